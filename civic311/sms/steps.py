"""What the SMS dialog reads and decides: a phone's dialog before a message (Snapshot), and
what the message leads to (Step), with the effect conversation.py carries out (Submit, Follow).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from civic311.messaging.models import DialogState
from civic311.messaging.provider import Media


@dataclass(frozen=True)
class Snapshot:
    """A phone's dialog as read before the message: the input of `handle`."""

    number: str
    state: str = DialogState.IDLE
    data: dict[str, Any] = field(default_factory=dict)
    language: str = "en"
    opted_out: bool = False

    @property
    def dialog_language(self) -> str:
        return str(self.data.get("lang") or self.language)


@dataclass(frozen=True)
class Submit:
    service_code: str
    lat: float
    long: float
    address: str
    answers: dict[str, Any]
    description: str
    media: tuple[Media, ...]
    language: str
    # The dialog's data, kept if the submission fails so that SEND can try again.
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Follow:
    tracking_number: str
    language: str


@dataclass
class Step:
    """What a message leads to: the replies, the dialog afterwards, and an effect to carry out."""

    replies: list[str]
    state: str
    data: dict[str, Any]
    language: str | None = None  # the phone's language from now on, when it changes
    opt_out: bool | None = None  # True: STOP; False: START
    new_dialog: bool = False  # a report dialog starts: its messages become its transcript
    effect: Submit | Follow | None = None


def keep(snapshot: Snapshot, replies: list[str]) -> Step:
    """Replies, and the dialog left as it was."""
    return Step(replies, snapshot.state, snapshot.data)
