"""Recovering what a worker that died (SIGKILL, out of memory, power cut) left half done.

Run it every minute or so (`manage.py notifications_sweep --every 60`). It only touches work
older than NOTIFY_SENDING_TIMEOUT_SECONDS, which must be longer than any live send can take
(EMAIL_TIMEOUT bounds each SMTP step), so it never races a worker that is merely slow.

- A delivery stuck in `sending`: the worker died talking to the mail server. It goes back to
  `pending` (its attempt counted) and is sent again. This is the one place a message can be
  sent twice: when the worker died after the server accepted it (see sending.py).
- A delivery `pending` long past its time, with a broker backend (RQ, Celery) that may lose a
  task: a new task is enqueued; the claim makes extra ones harmless.
- A notifications task (database backend) still `RUNNING` long after it started: its worker
  died. It is marked failed ("worker lost") and enqueued again; every handler is idempotent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task_backends

from civic311.choices import NotificationStatus
from civic311.notifications.deliveries import enqueue_send
from civic311.notifications.models import Delivery

log = logging.getLogger(__name__)

# Tasks of ours that are safe to run again (idempotent).
RECOVERABLE_TASKS = (
    "civic311.notifications.tasks.dispatch_event",
    "civic311.notifications.channels.email.sending.send_delivery",
    "civic311.notifications.channels.sms.sending.send_delivery",
    "civic311.webhooks.tasks.deliver_webhook",
)


class WorkerLost(Exception):
    """The worker running this task stopped without finishing it."""


@dataclass(frozen=True)
class SweepResult:
    stalled_sends: int
    lost_tasks: int
    requeued_pending: int


def _uses_database_backend() -> bool:
    try:
        from django_tasks_db.backend import DatabaseBackend
    except ImportError:  # pragma: no cover - the database backend is not installed
        return False
    return any(isinstance(b, DatabaseBackend) for b in task_backends.all())


def _stalled_tasks(cutoff_seconds: int) -> int:
    if not _uses_database_backend():
        return 0
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(seconds=cutoff_seconds)
    recovered = 0
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff, task_path__in=RECOVERABLE_TASKS
    )
    for row in stale:
        with transaction.atomic():
            locked = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=row.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if locked is None:
                continue
            locked.set_failed(WorkerLost(f"started {locked.started_at}, never finished"))
            task = import_string(locked.task_path)
            task.enqueue(*locked.args_kwargs["args"], **locked.args_kwargs["kwargs"])
            recovered += 1
            log.warning(
                "task %s (%s) was lost with its worker; enqueued again", row.pk, row.task_path
            )
    return recovered


def sweep(*, timeout_seconds: int | None = None) -> SweepResult:
    timeout = (
        settings.NOTIFY_SENDING_TIMEOUT_SECONDS if timeout_seconds is None else timeout_seconds
    )
    now = timezone.now()
    cutoff = now - timedelta(seconds=timeout)
    stalled = 0
    for delivery in Delivery.objects.filter(
        status=NotificationStatus.SENDING, claimed_at__lt=cutoff
    ).select_related("subscription"):
        with transaction.atomic():
            taken = Delivery.objects.filter(
                pk=delivery.pk, status=NotificationStatus.SENDING, claimed_at=delivery.claimed_at
            ).update(
                status=NotificationStatus.PENDING,
                next_attempt_at=now,
                last_error="the worker stopped while sending; sending again",
            )
            if taken:
                enqueue_send(delivery)
                stalled += 1
    lost = _stalled_tasks(timeout)
    requeued = 0
    # With the database backend a task is only lost with its worker, which _stalled_tasks
    # recovers; re-enqueueing every overdue delivery would just pile up tasks behind a backlog.
    # A broker (RQ, Celery) can drop a task on its own, so there the deliveries are the truth.
    if not _uses_database_backend():
        for delivery in Delivery.objects.filter(
            status=NotificationStatus.PENDING, next_attempt_at__lt=cutoff
        ).select_related("subscription"):
            with transaction.atomic():
                enqueue_send(delivery)
                requeued += 1
    if stalled or lost or requeued:
        log.warning(
            "sweep: %s stalled sends, %s lost tasks, %s pending deliveries enqueued again",
            stalled,
            lost,
            requeued,
        )
    return SweepResult(stalled_sends=stalled, lost_tasks=lost, requeued_pending=requeued)
