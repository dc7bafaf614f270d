"""The outbox: every timeline entry becomes a task, stored with the change that caused it.

With the database task backend (the default) the task row is written inside the action's
transaction, so it commits or rolls back with the change: nothing is sent for a change that
rolled back, and nothing is lost for one that committed. With a broker-backed backend (RQ,
Celery) the task cannot join the transaction, so it is enqueued right after the commit instead.
"""

from __future__ import annotations

from django.db import transaction
from django_tasks import task_backends

from civic311.notifications.tasks import dispatch_event


def _backend_is_transactional() -> bool:
    backend = task_backends[dispatch_event.backend]
    return type(backend).__module__.startswith("django_tasks_db")


def enqueue_event(entry_id: int) -> None:
    if _backend_is_transactional():
        dispatch_event.enqueue(entry_id)
    else:
        transaction.on_commit(lambda: dispatch_event.enqueue(entry_id), robust=True)
