"""Dates: ISO 8601 values, sensible ranges, and meetings that agree with their register events."""

from __future__ import annotations

import calendar
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

from tei_edition.names import TEI_NS
from tei_edition.model.attributes import attributed
from tei_edition.model.corpus import Document, Spot
from tei_edition.model.check_facts import date_span
from tei_edition.diagnostics import Diagnostic

if TYPE_CHECKING:  # (a worker checks dates without the index: not imported there)
    from tei_edition.model.index import Index

T = f"{{{TEI_NS}}}"
DATE_ATTRIBUTES = ("when", "from", "to", "notBefore", "notAfter")
DATE_ATTRIBUTE_SET = frozenset(DATE_ATTRIBUTES)
# Elements whose @from/@to are page numbers, pointers or positions, not dates.
NOT_DATED_RANGES = {"biblScope", "citedRange", "locus", "locusGrp", "span", "spanGrp", "fw", "line", "path", "zone"}
ISO = re.compile(
    r"(?P<year>-?\d{4,})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?"
)


@lru_cache(maxsize=4096)  # (a corpus writes the same dates again and again)
def iso_interval(value: str) -> tuple[tuple, tuple] | None:
    """The first and last instant an ISO 8601 date stands for, as comparable tuples; None if invalid.

    `1951` stands for 1951-01-01 .. 1951-12-31, `1951-09` for the whole month, and so on,
    so that from="1951" to="1951-06" is a valid range.
    """
    m = ISO.fullmatch(value.strip()) if value else None
    if not m:
        return None
    year = int(m["year"])
    month = int(m["month"]) if m["month"] else None
    day = int(m["day"]) if m["day"] else None
    if month is not None and not 1 <= month <= 12:
        return None
    leap_year = year if year > 0 else 2000 + (year % 400)
    if day is not None and not 1 <= day <= calendar.monthrange(leap_year, month)[1]:
        return None
    if m["h"] is not None and (int(m["h"]) > 24 or int(m["mi"]) > 59 or int(m["s"] or 0) > 60):
        return None
    if month is None:
        return (year, 1, 1, 0), (year, 12, 31, 86400)
    if day is None:
        return (year, month, 1, 0), (year, month, calendar.monthrange(leap_year, month)[1], 86400)
    if m["h"] is None:
        return (year, month, day, 0), (year, month, day, 86400)
    seconds = int(m["h"]) * 3600 + int(m["mi"]) * 60 + int(m["s"] or 0)
    return (year, month, day, seconds), (year, month, day, seconds)


def check_dates(doc: Document) -> Iterator[Diagnostic]:
    # the elements with a date attribute (most elements have none), from the document's one walk
    for el, tag, _line, _n, attrib in attributed(doc.root):
        if DATE_ATTRIBUTE_SET.isdisjoint(attrib):
            continue
        intervals = {}
        undated_range = tag.rpartition("}")[2] in NOT_DATED_RANGES
        for attr in DATE_ATTRIBUTES:
            if undated_range and attr in ("from", "to"):
                continue
            value = attrib.get(attr)
            if value is None:
                continue
            interval = iso_interval(value)
            if interval is None:
                line, col = doc.locate(el, attr)
                yield Diagnostic(doc.display, line, col, "error",
                                 f'@{attr}="{value}" is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD or a date-time)',
                                 "date-iso", 'write e.g. when="1951-09-09"; keep the date as written in the element text')
            else:
                intervals[attr] = interval
        for start, end in (("from", "to"), ("notBefore", "notAfter")):
            if start in intervals and end in intervals and intervals[start][0] > intervals[end][1]:
                line, col = doc.locate(el, start)
                yield Diagnostic(doc.display, line, col, "error",
                                 f'@{start}="{attrib[start]}" is after @{end}="{attrib[end]}"',
                                 "date-order", f"swap or correct the dates: @{start} must not be later than @{end}")


def check_meeting_dates(index: Index) -> Iterator[Diagnostic]:
    """The meeting a document records (teiHeader//setting) has the dates of its register event."""
    for doc in index.corpus.sources:
        for ref, mine, line, ordinal in index.facts[str(doc.path)].meetings:
            event = index.entity_for(doc, ref)
            if event is None or event.kind != "event":
                continue
            mine = tuple(mine) if mine else None
            theirs = date_span(event.element)
            if mine and theirs and mine != theirs:
                line, col = doc.locate_spot(Spot(line, "date", ordinal))
                yield Diagnostic(doc.display, line, col, "error",
                                 f"meeting dates {_show(mine)} differ from the dates of event \"{event.id}\" "
                                 f"in {event.doc.display}: {_show(theirs)}",
                                 "date-event-mismatch", "correct the document's date or the event in the register")


def _show(span: tuple[str, str]) -> str:
    return span[0] if span[0] == span[1] else f"{span[0]} to {span[1]}"
