"""Who fixes things: departments and the rules that send a request to one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic311.choices import AreaKind, Priority, Role


class Department(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("contact email"), blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Sends a service's requests in one area to another department, or at another priority.

    Without a matching rule a request goes to its service's department at its default priority.
    The most specific rule wins (a ward rule before a community-area rule before a ZIP rule).
    """

    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, related_name="routing_rules"
    )
    area_kind = models.CharField(_("area kind"), max_length=20, choices=AreaKind.choices)
    area_code = models.CharField(_("area code"), max_length=32)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="routing_rules", null=True, blank=True
    )
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices, blank=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "area_kind", "area_code"], name="routing_rule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} in {self.area_kind} {self.area_code}"


class Membership(models.Model):
    """A staff user's one role: in a department (staff, supervisor), in a ward office, at the
    call center, or as an administrator. Superusers act as administrators without one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )
    ward = models.CharField(
        _("ward"), max_length=32, blank=True, help_text=_("For a ward office: its ward's code.")
    )

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=[Role.DEPARTMENT_STAFF, Role.SUPERVISOR])
                | models.Q(department__isnull=False),
                name="membership_department_roles_have_a_department",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.WARD_OFFICE) | ~models.Q(ward=""),
                name="membership_ward_office_has_a_ward",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
