"""The outbox: every timeline entry becomes a task, stored with the change that caused it.

With the database task backend (the default) the task row is written inside the action's
transaction, so it commits or rolls back with the change: nothing is sent for a change that
rolled back, and nothing is lost for one that committed. With a broker-backed backend (RQ,
Celery) the task cannot join the transaction, so it is enqueued right after the commit instead.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task_backends
from django_tasks.base import Task

from civic311.notifications.tasks import dispatch_event


def enqueue_in_transaction(task: Task[..., Any], *args: Any) -> None:
    """Enqueue `task` so that it exists if, and only if, the current transaction commits."""
    backend = task_backends[task.backend]
    if type(backend).__module__.startswith("django_tasks_db"):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args), robust=True)


def enqueue_event(entry_id: int) -> None:
    enqueue_in_transaction(dispatch_event, entry_id)
