"""The CSV every export writes (lib/csvwriter.py): RFC 4180 text that reads back to what was
written, no cell a spreadsheet would run as a formula, and rows written as they come, a few
hundred lines at a time."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from civic311.lib import csvwriter

CHICAGO = ZoneInfo("America/Chicago")


def written(rows: list[list[object]], header: tuple[str, ...] = ("a", "b")) -> str:
    return "".join(csvwriter.lines(list(header), rows, tz=CHICAGO))


def test_fields_are_quoted_only_when_needed_and_lines_end_with_crlf() -> None:
    text = written([["plain", 'say "hi"'], ["a, b", "two\nlines"], ["", "x"]])
    assert text == 'a,b\r\nplain,"say ""hi"""\r\n"a, b","two\nlines"\r\n,x\r\n'
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back == [["a", "b"], ["plain", 'say "hi"'], ["a, b", "two\nlines"], ["", "x"]]


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "%0A=1",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(typed: str) -> None:
    [_header, [cell]] = csv.reader(io.StringIO(written([[typed]], header=("a",)), newline=""))
    assert cell.startswith("'")
    assert cell[1:].replace("\\|", "|") == typed


def test_pipes_are_escaped_in_such_a_cell_as_defusedcsv_does() -> None:
    assert csvwriter.safe("=cmd|' /C calc'!A0") == "'=cmd\\|' /C calc'!A0"
    assert csvwriter.safe("a | b") == "a | b"


@pytest.mark.parametrize("number", ["-12", "-12.5", "1,200"])
def test_text_that_is_a_plain_number_stays_a_number(number: str) -> None:
    assert csvwriter.safe(number) == number


def test_values_are_written_by_type() -> None:
    when = datetime(2026, 3, 1, 18, 30, tzinfo=UTC)
    text = written([[None, when], [Decimal("-87.65"), -3], [41.88, 0]])
    assert text.splitlines()[1:] == ["," + "2026-03-01T12:30:00-06:00", "-87.65,-3", "41.88,0"]


def test_rows_are_read_only_as_lines_go_out() -> None:
    read = 0

    def rows() -> Iterator[list[object]]:
        nonlocal read
        for n in range(1_050):
            read += 1
            yield [n, "x"]

    pieces = csvwriter.lines(["n", "x"], rows(), tz=CHICAGO, lines_per_write=500)
    assert next(pieces) == "n,x\r\n"
    assert read == 0
    first = next(pieces)
    assert first.count("\r\n") == 500
    assert read == 500
    assert [piece.count("\r\n") for piece in pieces] == [500, 50]
    assert read == 1_050
