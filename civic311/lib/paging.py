"""Keyset paging: every list that can be deep is read a page at a time by where the last page
ended (its last row's sort key), never by an offset.

An offset makes the database read and throw away every row before the page: page 200 of 50
reads 10,000 rows, and a row inserted meanwhile shifts every later page by one (a row shown
twice, or one never shown). A keyset page reads its own rows through the index that orders
them, as cheap at row 1,000,000 as at row 1, and a row inserted between two pages moves
nothing.

A list is one or more *segments*, read one after the other, each a queryset with the order
of the index that serves it (the work queue's "most urgent first" is the urgent requests by
due date, then the high ones, ...: one index-ordered read each, no query sorts the backlog).
Each segment's order ends with a unique key (the id), so ties never reorder a page.

A cursor is an opaque token: the direction (after or before its row), the segment, the row's
sort key and, for display, how many rows come before the page it leads to. `LAST` asks for the
last page (read backwards from the end). `paginate(skip=N)` starts the first page N rows in: a
bounded offset, kept for the numbered links that lists had before cursors (old bookmarks).

Knows no models: the fields are read from the querysets given (`lib` imports no civic311 app).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model, Q, QuerySet

T = TypeVar("T")
LAST = "last"
MAX_CURSOR = 500  # characters: far more than any key needs


class BadCursor(ValueError):
    """A cursor this list did not make (edited, truncated, or from another list)."""


@dataclass(frozen=True)
class Segment(Generic[T]):
    """Rows read in `order` (field names, `-` for descending, the last one unique)."""

    queryset: QuerySet[Any, T]
    order: tuple[str, ...]

    def sort_keys(self) -> list[tuple[str, bool]]:
        return [(name.lstrip("-"), name.startswith("-")) for name in self.order]


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next: str = ""  # the cursor of the page after this one; empty on the last page
    previous: str = ""  # the cursor of the page before; empty on the first
    position: int | None = None  # rows before this page, when known

    @property
    def is_first(self) -> bool:
        return not self.previous

    @property
    def is_last(self) -> bool:
        return not self.next


@dataclass(frozen=True)
class _Mark:
    forward: bool
    segment: int
    values: tuple[Any, ...]
    position: int | None


# --- Cursors -------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _encode(mark: _Mark) -> str:
    data = ["a" if mark.forward else "b", mark.segment, mark.position, *map(_plain, mark.values)]
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str, segments: Sequence[Segment[Any]]) -> _Mark:
    try:
        if len(token) > MAX_CURSOR:
            raise ValueError
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        direction, segment, position, *raw = data
        if direction not in ("a", "b") or not isinstance(segment, int):
            raise ValueError
        if position is not None and (not isinstance(position, int) or position < 0):
            raise ValueError
        keys = segments[segment].sort_keys() if 0 <= segment < len(segments) else []
        if not keys or len(raw) != len(keys):
            raise ValueError
        model = segments[segment].queryset.model
        pairs = zip(keys, raw, strict=True)
        values = tuple(_python(model, name, value) for (name, _desc), value in pairs)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise BadCursor(token[:40]) from error
    return _Mark(direction == "a", segment, values, position)


def _python(model: type[Model], name: str, raw: Any) -> Any:
    """A key value as the field holds it; a naive datetime or a null is no key of ours."""
    try:
        field = model._meta.get_field(name)
        if not isinstance(field, Field):
            raise ValueError(name)
        value = field.to_python(raw)
    except (FieldDoesNotExist, ValidationError) as error:
        raise ValueError(name) from error
    if value is None or (isinstance(value, datetime) and value.tzinfo is None):
        raise ValueError(name)
    return value


def cursor_after(values: Sequence[Any], *, segment: int = 0) -> str:
    """The cursor of the page after a row with these key values (for links made before
    cursors, which carried the key itself)."""
    return _encode(_Mark(forward=True, segment=segment, values=tuple(values), position=None))


# --- Reading -------------------------------------------------------------------------------------


def _key(row: Any, segment: Segment[Any]) -> tuple[Any, ...]:
    if isinstance(row, dict):
        return tuple(row[name] for name, _desc in segment.sort_keys())
    meta = row._meta
    return tuple(getattr(row, meta.get_field(name).attname) for name, _desc in segment.sort_keys())


def beyond(keys: Sequence[tuple[str, bool]], values: Sequence[Any], *, forward: bool) -> Q:
    """Rows after `values` in the keys' order (before them when not `forward`). Written as a
    range on the first key and the tie-breaks after it, so an index on the keys reads only
    the rows wanted."""
    condition: Q | None = None
    for (name, descending), value in reversed(list(zip(keys, values, strict=True))):
        op = "lt" if descending == forward else "gt"
        strict = Q(**{f"{name}__{op}": value})
        condition = strict if condition is None else strict | (Q(**{name: value}) & condition)
    assert condition is not None
    (first, descending), value = keys[0], values[0]
    if len(keys) > 1:
        condition &= Q(**{f"{first}__{'lt' if descending == forward else 'gt'}e": value})
    return condition


def _ordered(segment: Segment[T], *, forward: bool) -> QuerySet[Any, T]:
    if forward:
        return segment.queryset.order_by(*segment.order)
    flipped = [name[1:] if name.startswith("-") else f"-{name}" for name in segment.order]
    return segment.queryset.order_by(*flipped)


def _read(
    segments: Sequence[Segment[T]], want: int, *, mark: _Mark | None, forward: bool, skip: int = 0
) -> list[tuple[int, T]]:
    """Up to `want` rows from `mark` on (or from the start, or the end when going backwards),
    in the direction of reading, each with its segment's index. One query per segment read."""
    order = range(len(segments)) if forward else range(len(segments) - 1, -1, -1)
    found: list[tuple[int, T]] = []
    for index in order:
        if mark is not None and (index < mark.segment if forward else index > mark.segment):
            continue
        segment = segments[index]
        qs = _ordered(segment, forward=forward)
        if mark is not None and index == mark.segment:
            qs = qs.filter(beyond(segment.sort_keys(), mark.values, forward=forward))
        if skip and index < len(segments) - 1:
            held = qs.values("pk")[:skip].count()  # a bounded count, for the legacy offset only
            if held < skip:
                skip -= held
                continue
        found += [(index, row) for row in qs[skip : skip + want - len(found)]]
        skip = 0
        if len(found) >= want:
            break
    return found


def _mark(segments: Sequence[Segment[Any]], item: tuple[int, Any], **kw: Any) -> str:
    index, row = item
    return _encode(_Mark(segment=index, values=_key(row, segments[index]), **kw))


def paginate(
    segments: Sequence[Segment[T]],
    *,
    size: int,
    cursor: str = "",
    skip: int = 0,
    total: int | None = None,
) -> Page[T]:
    """One page of `size` rows: the first (at `skip`), or the one `cursor` leads to. `total`,
    when known, places the last page. Raises BadCursor on a cursor this list did not make."""
    if cursor == LAST:
        found = _read(segments, size + 1, mark=None, forward=False)[::-1]
        more_before, found = len(found) > size, found[-size:]
        position = max(0, total - len(found)) if total is not None else None
        if not more_before:
            position = 0
        return _page(segments, found, position, more_before=more_before, more_after=False)
    mark = _decode(cursor, segments) if cursor else None
    if mark is None or mark.forward:
        found = _read(segments, size + 1, mark=mark, forward=True, skip=0 if mark else skip)
        position = mark.position if mark else skip
        more_before = mark is not None or skip > 0
        return _page(
            segments, found[:size], position, more_before=more_before, more_after=len(found) > size
        )
    found = _read(segments, size + 1, mark=mark, forward=False)[::-1]
    more_before, found = len(found) > size, found[-size:]
    if mark.position is None:
        position = None
    else:
        position = max(0, mark.position - len(found)) if more_before else 0
    return _page(segments, found, position, more_before=more_before, more_after=True)


def _page(
    segments: Sequence[Segment[T]],
    found: list[tuple[int, T]],
    position: int | None,
    *,
    more_before: bool,
    more_after: bool,
) -> Page[T]:
    if not found:
        return Page(rows=[], position=position)
    after = None if position is None else position + len(found)
    return Page(
        rows=[row for _index, row in found],
        next=_mark(segments, found[-1], forward=True, position=after) if more_after else "",
        previous=_mark(segments, found[0], forward=False, position=position) if more_before else "",
        position=position,
    )


def walk(
    segments: Sequence[Segment[Any]], *, fields: Sequence[str], chunk: int
) -> Iterator[tuple[Any, ...]]:
    """Every row, as tuples of `fields`, `chunk` rows a query: an export of any size in flat
    memory, and no query (nor database snapshot) held open while the rows are sent."""
    for segment in segments:
        keys = segment.sort_keys()
        extra = [name for name, _desc in keys if name not in fields]
        columns = [*fields, *extra]
        at = [columns.index(name) for name, _desc in keys]
        qs = _ordered(segment, forward=True).values_list(*columns)
        rows = list(qs[:chunk])
        while rows:
            for row in rows:
                yield row[: len(fields)]
            if len(rows) < chunk:
                break
            last = rows[-1]
            rows = list(qs.filter(beyond(keys, [last[i] for i in at], forward=True))[:chunk])
