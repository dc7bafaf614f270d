"""What the console keeps for its users: response templates, saved queue views, and failed
logins (for the lockout, docs/staff.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic311.choices import DigestStatus, Status


class ResponseTemplate(models.Model):
    """A public note staff pick instead of retyping it, offered for a service (or every
    service) and the status being set (or any)."""

    name = models.CharField(_("name"), max_length=100, help_text=_("What staff pick it by."))
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response_templates",
        verbose_name=_("service"),
        help_text=_("Empty: offered for every service."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text=_("Empty: offered whatever the status being set."),
    )
    text = models.TextField(_("public note"))

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["name"]
        indexes = [models.Index(fields=["service", "status"], name="response_template_lookup")]

    def __str__(self) -> str:
        return self.name


class SavedView(models.Model):
    """A queue's filters and sort under a name, for its owner (or their whole department)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(
        _("filters"), max_length=500, blank=True, help_text=_("The queue's query string.")
    )
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_views",
        verbose_name=_("shared with department"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class LoginFailure(models.Model):
    """One failed staff login. Kept in the database so every web worker sees the same count;
    rows older than the lockout window no longer count and are deleted as logins happen."""

    username = models.CharField(_("username"), max_length=150)
    address = models.GenericIPAddressField(_("address"))
    # The browser's device cookie, when it had one for this username (see staff/lockout.py).
    device = models.CharField(_("device"), max_length=32, blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        indexes = [models.Index(fields=["username", "at"], name="login_failure_username_at")]

    def __str__(self) -> str:
        return f"{self.username} from {self.address}"


class DigestSent(models.Model):
    """A department's daily SLA digest for one day of the city's calendar: at most one row per
    department and day, written before the email goes out (staff/digest.py)."""

    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.CASCADE,
        related_name="sla_digests",
        verbose_name=_("department"),
    )
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=20, choices=DigestStatus.choices)
    overdue = models.PositiveIntegerField(_("overdue requests"), default=0)
    recipients = models.TextField(_("recipients"), blank=True)
    claimed_at = models.DateTimeField(_("claimed"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA digest")
        verbose_name_plural = _("SLA digests")
        ordering = ["-day", "department"]
        constraints = [
            models.UniqueConstraint(fields=["department", "day"], name="digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.day}"
