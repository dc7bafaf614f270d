"""The service request, its private contact details, its timeline and its tracking number.

Rows here are written only by service_requests/actions (see DESIGN.md, "One path for every
change"); a test enforces it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic311.choices import Channel, Priority, Status, TimelineType
from civic311.service_requests import lookups

# Open requests that are not a developer's test: what work queues show (partial indexes below).
QUEUED = models.Q(status__in=Status.open_values(), is_test=False)


class ServiceRequest(models.Model):
    tracking_number = models.CharField(_("tracking number"), max_length=16, unique=True)
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, related_name="requests"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    status_notes = models.TextField(_("latest public note"), blank=True)
    department = models.ForeignKey(
        "departments.Department", on_delete=models.PROTECT, related_name="requests"
    )
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    source = models.CharField(
        _("source"), max_length=100, blank=True, help_text=_("The app, operator or import.")
    )
    description = models.TextField(_("description"), blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)

    # Where. lat/long are WGS84; ward, community area and ZIP are the codes of geo.Area rows.
    lat = models.FloatField(_("latitude"))
    long = models.FloatField(_("longitude"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    address_id = models.CharField(_("address id"), max_length=64, blank=True)
    zipcode = models.CharField(_("ZIP code"), max_length=10, blank=True)
    ward = models.CharField(_("ward"), max_length=32, blank=True)
    community_area = models.CharField(_("community area"), max_length=32, blank=True)
    # H3 cells (resolution 9, ~0.1 km²; resolution 7, ~5 km²): "nearby" becomes an indexed
    # `IN (cells)` lookup on any database.
    h3_r9 = models.CharField(max_length=16)
    h3_r7 = models.CharField(max_length=16)

    requested_at = models.DateTimeField(_("requested"))
    updated_at = models.DateTimeField(_("updated"))
    expected_at = models.DateTimeField(_("expected completion"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # Submitted with a developer's test key: processed like any other, but kept out of public
    # lists, queues and statistics.
    is_test = models.BooleanField(_("test request"), default=False)

    # Who works it (department work queue): a person, a crew, and when the work is booked.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("assigned to"),
    )
    crew = models.CharField(_("crew"), max_length=100, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            # GET requests by service and date. Open requests are a small share of millions, so
            # they get partial indexes that serve "open, newest first" without sorting; closed
            # ones are most rows and are read through the plain indexes.
            models.Index(fields=["service", "requested_at"], name="sr_service_requested"),
            models.Index(
                fields=["service", "requested_at"],
                name="sr_open_service_requested",
                condition=models.Q(status__in=Status.open_values()),
            ),
            models.Index(
                fields=["requested_at"],
                name="sr_open_requested",
                condition=models.Q(status__in=Status.open_values()),
            ),
            models.Index(fields=["requested_at"], name="sr_requested"),
            models.Index(fields=["updated_at"], name="sr_updated"),
            models.Index(fields=["ward", "requested_at"], name="sr_ward_requested"),
            models.Index(fields=["community_area", "requested_at"], name="sr_ca_requested"),
            # The department work queue (staff/queue.py): a department's open requests, by age,
            # SLA due date (and overdue), status, ward, priority; and a person's own work. Test
            # requests never show in queues, and their condition is part of these indexes: a
            # count over 100,000 open requests then reads the index alone, never the rows.
            models.Index(
                fields=["department", "requested_at"],
                name="sr_open_department_queue",
                condition=QUEUED,
            ),
            models.Index(
                fields=["department", "expected_at"],
                name="sr_open_department_due",
                condition=QUEUED,
            ),
            models.Index(
                fields=["department", "status", "requested_at"],
                name="sr_open_department_status",
                condition=QUEUED,
            ),
            models.Index(
                fields=["department", "ward", "requested_at"],
                name="sr_open_department_ward",
                condition=QUEUED,
            ),
            models.Index(
                fields=["department", "priority", "expected_at"],
                name="sr_open_department_priority",
                condition=QUEUED,
            ),
            models.Index(
                fields=["assignee", "requested_at"],
                name="sr_open_assignee",
                condition=QUEUED,
            ),
            # Nearby: open requests of one service in a ring of H3 cells.
            models.Index(fields=["h3_r9", "service", "status"], name="sr_h3r9_service_status"),
            models.Index(fields=["h3_r7", "requested_at"], name="sr_h3r7_requested"),
            # Nearby by status, read from the index alone: "at this address" on the desk (a busy
            # block holds thousands of requests a year) and open requests of any service nearby.
            models.Index(
                fields=["h3_r9", "status", "requested_at", "lat", "long"],
                name="sr_h3r9_status_place",
            ),
            # A ward office's open requests, newest or oldest first (staff/ward.py).
            models.Index(
                fields=["ward", "requested_at"],
                name="sr_open_ward_requested",
                condition=models.Q(status__in=Status.open_values()),
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_closed(self) -> bool:
        return Status.is_closed(self.status)

    @property
    def open311_status(self) -> str:
        return Status.open311(self.status)


lookups.register(ServiceRequest._meta.get_field("status"))


class ReporterContact(models.Model):
    """Who reported it. Private: never in a public page, feed or API response."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="contact", primary_key=True
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    account_id = models.CharField(_("account id"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("reporter contact")
        verbose_name_plural = _("reporter contacts")
        # The call-center desk finds a caller's requests by the phone they reported from.
        indexes = [models.Index(fields=["phone"], name="contact_phone")]

    def __str__(self) -> str:
        return f"contact of {self.request_id}"


class TimelineEntry(models.Model):
    """One thing that happened to a request. The audit log, the public status history (Open311
    notes), the feed notifications are sent from, and the raw data of analytics."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="timeline")
    type = models.CharField(_("type"), max_length=40, choices=TimelineType.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(
        _("by"), max_length=200, blank=True, help_text=_("Who, as the public may see it.")
    )
    public = models.BooleanField(_("public"), default=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["request", "at"], name="timeline_request_at"),
            models.Index(fields=["at"], name="timeline_at"),
            models.Index(fields=["type", "at"], name="timeline_type_at"),
        ]

    def __str__(self) -> str:
        return f"{self.type} at {self.at:%Y-%m-%d %H:%M}"


class TrackingCounter(models.Model):
    """The last tracking number given out in a year. Incremented inside the submission's
    transaction, so two submissions can never share a number (the row is locked until commit)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tracking counter")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
