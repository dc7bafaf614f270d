"""The words a resident can text, in English and Spanish, and what each means.

Opt-out words follow the carriers' rules (CTIA): STOP, STOPALL, UNSUBSCRIBE, CANCEL, END and
QUIT always opt out, whatever the dialog is doing, and so do their Spanish counterparts.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass


class Command(enum.StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    STATUS = "status"
    REPORT = "report"
    FOLLOW = "follow"
    NEW = "new"
    YES = "yes"
    NO = "no"
    SKIP = "skip"
    SEND = "send"
    SPANISH = "spanish"
    ENGLISH = "english"


# word -> (command, language it is in; "" for both)
_WORDS: dict[str, tuple[Command, str]] = {
    **dict.fromkeys(
        ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"), (Command.STOP, "en")
    ),
    **dict.fromkeys(("ALTO", "PARAR", "PARE", "CANCELAR", "BAJA", "DETENER"), (Command.STOP, "es")),
    **dict.fromkeys(("START", "UNSTOP", "SUBSCRIBE"), (Command.START, "en")),
    **dict.fromkeys(("INICIAR", "ALTA", "REANUDAR"), (Command.START, "es")),
    "HELP": (Command.HELP, "en"),
    "INFO": (Command.HELP, ""),
    "AYUDA": (Command.HELP, "es"),
    "STATUS": (Command.STATUS, "en"),
    "ESTADO": (Command.STATUS, "es"),
    "REPORT": (Command.REPORT, "en"),
    "REPORTAR": (Command.REPORT, "es"),
    "REPORTE": (Command.REPORT, "es"),
    "FOLLOW": (Command.FOLLOW, "en"),
    "SEGUIR": (Command.FOLLOW, "es"),
    "NEW": (Command.NEW, "en"),
    "NUEVO": (Command.NEW, "es"),
    "NUEVA": (Command.NEW, "es"),
    **dict.fromkeys(("YES", "Y", "YEP", "YEAH", "OK", "OKAY", "CORRECT"), (Command.YES, "en")),
    **dict.fromkeys(("SI", "S", "CORRECTO", "VALE"), (Command.YES, "es")),
    **dict.fromkeys(("NO", "N", "NOPE"), (Command.NO, "")),
    "SKIP": (Command.SKIP, "en"),
    **dict.fromkeys(("OMITIR", "SALTAR", "PASAR", "NADA"), (Command.SKIP, "es")),
    "SEND": (Command.SEND, "en"),
    "ENVIAR": (Command.SEND, "es"),
    **dict.fromkeys(("ESPANOL", "SPANISH"), (Command.SPANISH, "es")),
    **dict.fromkeys(("ENGLISH", "INGLES"), (Command.ENGLISH, "en")),
}


@dataclass(frozen=True)
class Parsed:
    command: Command | None
    language: str  # the language the keyword is in, "" when it says nothing about it
    rest: str  # what follows the keyword ("26-00012345" after STATUS)


def fold(text: str) -> str:
    """Upper case without accents: "Español" -> "ESPANOL", "sí" -> "SI"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


_FIRST_WORD = re.compile(r"\s*([^\s.,!?;:#]+)[\s.,!?;:]*(.*)", re.DOTALL)


def parse(text: str) -> Parsed:
    """The command a text starts with ("status 26-12345", "Sí!", "stop."), if any."""
    match = _FIRST_WORD.match(text)
    if match is None:
        return Parsed(None, "", text.strip())
    word, rest = fold(match.group(1)), match.group(2).strip()
    found = _WORDS.get(word)
    if found is None:
        return Parsed(None, "", text.strip())
    command, language = found
    # Opt-out and confirmation words count only alone: "stop sign down at ..." is a report.
    if rest and command in (
        Command.STOP,
        Command.START,
        Command.YES,
        Command.NO,
        Command.SKIP,
        Command.NEW,
        Command.SEND,
        Command.SPANISH,
        Command.ENGLISH,
    ):
        return Parsed(None, "", text.strip())
    return Parsed(command, language, rest)
