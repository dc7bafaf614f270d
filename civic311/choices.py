"""Every enumeration of Civic311, in one place, with translated labels.

The stored values are stable identifiers: the API, exports and the timeline use them, so never
rename a value; add a new one instead.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    SCHEDULED = "scheduled", _("Scheduled")
    CLOSED_FIXED = "closed_fixed", _("Completed")
    CLOSED_NOT_FIXED = "closed_not_fixed", _("Closed, not fixed")
    CLOSED_DUPLICATE = "closed_duplicate", _("Closed as a duplicate")
    CLOSED_REFERRED = "closed_referred", _("Referred to another agency")

    @classmethod
    def open_values(cls) -> tuple[str, ...]:
        return (cls.OPEN, cls.ACKNOWLEDGED, cls.IN_PROGRESS, cls.SCHEDULED)

    @classmethod
    def closed_values(cls) -> tuple[str, ...]:
        return (cls.CLOSED_FIXED, cls.CLOSED_NOT_FIXED, cls.CLOSED_DUPLICATE, cls.CLOSED_REFERRED)

    @classmethod
    def is_closed(cls, value: str) -> bool:
        return value in cls.closed_values()

    @classmethod
    def open311(cls, value: str) -> str:
        """The GeoReport v2 status: only `open` or `closed`."""
        return "closed" if cls.is_closed(value) else "open"


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API (app)")
    SMS = "sms", _("Text message")
    PHONE = "phone", _("Phone (311 operator)")
    WARD_OFFICE = "ward_office", _("Ward office")
    STAFF = "staff", _("City staff")
    IMPORT = "import", _("Imported")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Datatype(models.TextChoices):
    """The six GeoReport v2 attribute datatypes."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLEVALUELIST = "singlevaluelist", _("One choice from a list")
    MULTIVALUELIST = "multivaluelist", _("Several choices from a list")


class ServiceType(models.TextChoices):
    """GeoReport v2 service types: whether a POST returns an id at once."""

    REALTIME = "realtime", _("Realtime")
    BATCH = "batch", _("Batch")
    BLACKBOX = "blackbox", _("Blackbox")


class DuplicatePolicy(models.TextChoices):
    """What submit_request does with an open request of the same service nearby."""

    OFF = "off", _("Do not look for duplicates")
    SUGGEST = "suggest", _("Suggest the nearby request; create a new one")
    LINK = "link", _("Link the new request to the nearby one as a duplicate")


class AreaKind(models.TextChoices):
    CITY = "city", _("City limits")
    WARD = "ward", _("Ward")
    COMMUNITY_AREA = "community_area", _("Community area")
    ZIP = "zip", _("ZIP code")


class TimelineType(models.TextChoices):
    """Stable dotted types of timeline entries: the audit log, the public status history, the
    notification feed and the raw data for analytics."""

    OPENED = "request.opened", _("Request received")
    STATUS_CHANGED = "request.status_changed", _("Status changed")
    REROUTED = "request.rerouted", _("Rerouted")
    MERGED = "request.merged", _("Merged into another request")
    DUPLICATE_ATTACHED = "request.duplicate_attached", _("Duplicate attached")
    CLOSED = "request.closed", _("Closed")
    REOPENED = "request.reopened", _("Reopened")
    NOTE_ADDED = "note.added", _("Note")
    ASSIGNED = "request.assigned", _("Assigned")
    SCHEDULED = "request.scheduled", _("Scheduled")


class Open311NoteType(models.TextChoices):
    """The `notes[].type` values of the Open311 extended output (Chicago, Boston)."""

    OPENED = "opened", _("opened")
    ACTIVITY = "activity", _("activity")
    FOLLOW_ON_CREATED = "follow_on_created", _("follow-on created")
    FOLLOW_ON_CLOSED = "follow_on_closed", _("follow-on closed")
    CLOSED = "closed", _("closed")


class PhotoStatus(models.TextChoices):
    """A photo's way from upload to the public page: the worker re-encodes it without metadata."""

    PENDING = "pending", _("Waiting to be processed")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be processed")


class SubscriptionChannel(models.TextChoices):
    """How a follower of a request is told about it."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class NotificationKind(models.TextChoices):
    """Which message a follower of a request is sent."""

    CONFIRM = "confirm", _("Confirm following")
    RECEIVED = "received", _("Request received")
    STATUS = "status", _("Status changed")
    CLOSED = "closed", _("Request closed")
    REOPENED = "reopened", _("Request reopened")
    MOVED = "moved", _("Moved to the original request")
    REROUTED = "rerouted", _("Sent to another department")


class NotificationStatus(models.TextChoices):
    """A notification's way out: claimed (`sending`) before the mail server is spoken to, so a
    worker that dies mid-send leaves a trace the sweep can find."""

    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not sent (unsubscribed)")


class WebhookScope(models.TextChoices):
    """Which requests an app's webhook hears about."""

    OWN = "own", _("Requests submitted with this key")
    AREA = "area", _("Requests in an area")


class DeliveryStatus(models.TextChoices):
    """One webhook event's way to the app's server."""

    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class KeyKind(models.TextChoices):
    TEST = "test", _("Test (sandbox requests, issued at once)")
    PRODUCTION = "production", _("Production (approved by the city)")


class KeyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PENDING = "pending", _("Waiting for approval")
    REVOKED = "revoked", _("Revoked")


class Role(models.TextChoices):
    """What a staff member may do (see service_requests/permissions.py for the rules)."""

    OPERATOR = "operator", _("Call-center operator")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    SUPERVISOR = "supervisor", _("Department supervisor")
    WARD_OFFICE = "ward_office", _("Ward office")
    ADMINISTRATOR = "administrator", _("Administrator")


class QueueSort(models.TextChoices):
    """How the department work queue is ordered (staff/queue.py)."""

    OLDEST = "oldest", _("Oldest first")
    NEWEST = "newest", _("Newest first")
    DUE = "due", _("SLA due soonest")
    PRIORITY = "priority", _("Most urgent first")


class SlaState(models.TextChoices):
    """Where an open request stands against its service's target (staff/queue.py)."""

    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due within a day")
    ON_TIME = "on_time", _("On time")
    NO_TARGET = "no_target", _("No target")


class DigestStatus(models.TextChoices):
    """One department's daily SLA digest (staff/digest.py): claimed before it is sent, so a
    day is never sent twice."""

    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    NOTHING_OVERDUE = "nothing_overdue", _("Nothing overdue: not sent")
    NO_RECIPIENTS = "no_recipients", _("No address to send to")


class SmsDialogState(models.TextChoices):
    """Where a phone's text conversation stands (civic311/sms/dialog.py and report.py move it)."""

    IDLE = "idle", _("Nothing under way")
    SERVICE = "service", _("Choosing the service")
    ADDRESS = "address", _("Asked where")
    CONFIRM = "confirm", _("Confirming the address")
    DUPLICATE = "duplicate", _("Offered a request nearby")
    QUESTION = "question", _("Answering the service's questions")
    DESCRIPTION = "description", _("Asked for a description")


class SmsDirection(models.TextChoices):
    """Which way a text message went."""

    IN = "in", _("From the resident")
    OUT = "out", _("To the resident")
