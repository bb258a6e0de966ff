"""Dates in the forms the records write them → ISO 8601 attributes (when, or from/to)."""

from __future__ import annotations

import calendar
import re


MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTH = r"(?:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
DASH = r"\s*[–—-]\s*"
# Each pattern names its parts; `_iso()` turns them into ISO dates (None when impossible).
DATE_FORMS = [
    # 9-9-1951 – 30-9-1951 (day-month-year, as the records write meeting dates)
    re.compile(r"(?P<d1>\d{1,2})-(?P<m1>\d{1,2})-(?P<y1>\d{4})(?:\s*[–—]\s*|\s+-\s+|\s+to\s+)(?P<d2>\d{1,2})-(?P<m2>\d{1,2})-(?P<y2>\d{4})"),
    re.compile(r"(?P<d1>\d{1,2})-(?P<m1>\d{1,2})-(?P<y1>\d{4})"),
    # 9–30 September 1951, 9 September – 3 October 1951
    re.compile(rf"(?P<d1>\d{{1,2}})(?:\s+(?P<mn1>{MONTH}))?{DASH}(?P<d2>\d{{1,2}})\s+(?P<mn2>{MONTH})\s+(?P<y2>\d{{4}})"),
    # September 9–30, 1951, September 9 – October 3, 1951
    re.compile(rf"(?P<mn1>{MONTH})\s+(?P<d1>\d{{1,2}}){DASH}(?:(?P<mn2>{MONTH})\s+)?(?P<d2>\d{{1,2}}),\s*(?P<y2>\d{{4}})"),
    # December 15, 1951 / 15 December 1951
    re.compile(rf"(?P<mn1>{MONTH})\s+(?P<d1>\d{{1,2}}),\s*(?P<y1>\d{{4}})"),
    re.compile(rf"(?P<d1>\d{{1,2}})\s+(?P<mn1>{MONTH})\s+(?P<y1>\d{{4}})"),
    # September – December 1951, September 1951 – March 1952
    re.compile(rf"(?P<mn1>{MONTH})(?:\s+(?P<y1>\d{{4}}))?{DASH}(?P<mn2>{MONTH})\s+(?P<y2>\d{{4}})"),
    # September 1951
    re.compile(rf"(?P<mn1>{MONTH})\s+(?P<y1>\d{{4}})"),
    # 1951 – 1953, 1951
    re.compile(r"(?<![\d.,-])(?P<y1>1[6-9]\d\d|20\d\d)" + DASH + r"(?P<y2>1[6-9]\d\d|20\d\d)(?![\d%s])"),
    re.compile(r"(?<![\d.,$£€-])(?P<y1>1[6-9]\d\d|20\d\d)(?![\d%s'’-])"),
]


def _iso(year: str | None, month: str | int | None, day: str | None) -> str | None:
    if year is None:
        return None
    y = int(year)
    if month is None:
        return f"{y:04d}" if day is None else None
    m = month if isinstance(month, int) else (MONTHS.get(month.rstrip(".").lower()) if not month.isdigit() else int(month))
    if not m or not 1 <= m <= 12:
        return None
    if day is None:
        return f"{y:04d}-{m:02d}"
    d = int(day)
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_date(match: re.Match) -> dict[str, str] | None:
    """The ISO attributes (when, or from/to) for one date the patterns found; None if impossible."""
    g = {k: v for k, v in match.groupdict().items()}
    month1 = g.get("m1") or g.get("mn1")
    month2 = g.get("m2") or g.get("mn2")
    y2 = g.get("y2")
    y1 = g.get("y1") or y2
    if "d2" in g or "y2" in g:  # a range: what the second half gives, the first inherits
        start = _iso(y1, month1 or month2, g.get("d1"))
        end = _iso(y2, month2 or month1, g.get("d2"))
        if start is None or end is None or start > end:
            return None
        return {"from": start, "to": end}
    when = _iso(y1, month1, g.get("d1"))
    return {"when": when} if when else None


def find_dates(text: str) -> list[tuple[int, int, dict[str, str] | None]]:
    """(start, end, attributes) of every date in `text`, longest forms first, without overlaps."""
    found: list[tuple[int, int, dict | None]] = []
    for pattern in DATE_FORMS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue
            found.append((m.start(), m.end(), parse_date(m)))
    return sorted(found, key=lambda x: x[0])


def prose_date(attrs: dict[str, str]) -> str:
    """ISO attributes as a title would say them: 9–30 September 1951."""
    def parts(iso: str):
        bits = iso.split("-")
        return [int(b) for b in bits]

    def say(p):
        if len(p) == 3:
            return f"{p[2]} {calendar.month_name[p[1]]} {p[0]}"
        if len(p) == 2:
            return f"{calendar.month_name[p[1]]} {p[0]}"
        return str(p[0])

    if "when" in attrs:
        return say(parts(attrs["when"]))
    a, b = parts(attrs["from"]), parts(attrs["to"])
    if len(a) == len(b) == 3 and a[0] == b[0]:
        if a[1] == b[1]:
            return f"{a[2]}–{b[2]} {calendar.month_name[a[1]]} {a[0]}"
        return f"{a[2]} {calendar.month_name[a[1]]} – {b[2]} {calendar.month_name[b[1]]} {a[0]}"
    return f"{say(a)} – {say(b)}"


