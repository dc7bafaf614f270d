"""What the city offers: Open311 jurisdictions, services and their questions."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic311.choices import Datatype, DuplicatePolicy, Priority, ServiceType


class Jurisdiction(models.Model):
    """The city an Open311 endpoint answers for (`jurisdiction_id`)."""

    jurisdiction_id = models.CharField(_("jurisdiction id"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    contact = models.TextField(_("contact"), blank=True, help_text=_("Shown in discovery."))
    key_service = models.TextField(
        _("key service"), blank=True, help_text=_("Where developers get an API key.")
    )

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """An Open311 service: a kind of problem a resident can report."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="services"
    )
    service_code = models.CharField(_("service code"), max_length=64, unique=True)
    service_name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Comma-separated.")
    )
    type = models.CharField(
        _("type"), max_length=16, choices=ServiceType.choices, default=ServiceType.REALTIME
    )
    service_notice = models.TextField(
        _("service notice"), blank=True, help_text=_("Returned to the submitter, e.g. timing.")
    )
    active = models.BooleanField(_("accepting requests"), default=True)
    # Routing and service level: who fixes it, how urgent, how fast.
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("responsible department"),
    )
    default_priority = models.CharField(
        _("default priority"), max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    sla_hours = models.PositiveIntegerField(
        _("service level target (hours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Time from report to completion the city commits to. Empty: no target."),
    )
    # Duplicate detection.
    duplicate_policy = models.CharField(
        _("duplicates"), max_length=16, choices=DuplicatePolicy.choices, default=DuplicatePolicy.OFF
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (metres)"), default=50, validators=[MinValueValidator(1)]
    )
    # Names and texts in other languages: {"es": {"service_name": …, "description": …, "group":
    # …}}. The fields above are the default language's (and the Open311 API's).
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["group", "service_name"]

    def __str__(self) -> str:
        return self.service_name

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class ServiceAttribute(models.Model):
    """One question of a service definition (an Open311 `attribute`)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField(_("code"), max_length=64)
    variable = models.BooleanField(
        _("asks for an answer"),
        default=True,
        help_text=_("Off: an informational text shown to the resident, not a question."),
    )
    datatype = models.CharField(_("datatype"), max_length=16, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    datatype_description = models.CharField(_("datatype description"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=1)
    description = models.TextField(_("question"))
    # {"es": {"description": …, "datatype_description": …}}; see Service.translations.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="attribute_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.service.service_code}/{self.code}"

    @property
    def has_values(self) -> bool:
        return self.datatype in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)


class AttributeValue(models.Model):
    """One allowed answer of a list question (Open311 `values/value`: key and name)."""

    attribute = models.ForeignKey(ServiceAttribute, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(_("key"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=1)
    # {"es": {"name": …}}; see Service.translations.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "key"], name="attribute_value_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name
