"""Reading a plain-text meeting record: its labelled fields, with line numbers, or located errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tei_edition.diagnostics import Diagnostic, display_path


# label → div/@subtype, in the order a record gives them
FIELDS = {
    "Dates of Meeting": "dates",
    "Type of Meeting": "meeting-type",
    "Place of Meeting": "place",
    "Attendance": "attendance",
    "Major Agenda Items": "agenda",
    "Speeches/Reports": "speeches",
    "Documents passed": "documents-passed",
    "Remarks": "remarks",
}
# Fields whose text the draft cannot do without (title, id, setting of the meeting).
NON_EMPTY = {"dates", "meeting-type", "place"}
# A line that is only a label: a few words and a colon.
LABEL_LINE = re.compile(r"^(?P<label>[A-Z][\w/&' -]{1,40}):\s*$")


@dataclass
class Line:
    number: int  # 1-based line in the record
    col: int  # 1-based column of the first non-blank character
    text: str  # stripped


@dataclass
class Field:
    label: str
    key: str
    line: int
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(ln.text for ln in self.lines)


@dataclass
class Record:
    path: Path
    display: str
    stem: str
    fields: dict[str, Field]


def _problem(display: str, line: int, col: int, message: str, rule: str, hint: str) -> Diagnostic:
    return Diagnostic(display, line, col, "error", message, rule, hint)


def read_record(path: Path) -> tuple[Record | None, list[Diagnostic]]:
    """Split a record into its fields; every problem is reported, with its line and column."""
    display = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [_problem(display, 1, 1, f"cannot read record: {exc.strerror}", "record-io",
                               "check that the file exists and is readable")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [_problem(display, line, col,
                               f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                               "record-encoding", "save the record as UTF-8 (e.g. iconv -f cp1252 -t utf-8)")]
    if not text.strip():
        return None, [_problem(display, 1, 1, "the record is empty", "record-empty",
                               "import a record with its labelled fields (Dates of Meeting:, Type of Meeting:, ...)")]

    problems: list[Diagnostic] = []
    fields: dict[str, Field] = {}
    current: Field | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            if current is not None and current.lines and current.lines[-1].text:
                current.lines.append(Line(number, 1, ""))  # a blank line separates blocks
            continue
        col = len(raw) - len(raw.lstrip()) + 1
        label = LABEL_LINE.match(stripped)
        if label:
            name = label["label"].strip()
            if name in FIELDS:
                if FIELDS[name] in fields:
                    problems.append(_problem(display, number, col, f'field "{name}:" appears twice '
                                             f"(first on line {fields[FIELDS[name]].line})", "record-field-duplicate",
                                             "merge the two fields into one"))
                current = Field(name, FIELDS[name], number)
                fields.setdefault(current.key, current)
                continue
            known = ", ".join(f'"{k}:"' for k in FIELDS)
            problems.append(_problem(display, number, col, f'unknown field "{name}:"', "record-field-unknown",
                                     f"a record has the fields {known}; correct the label"))
            current = Field(name, "unknown", number)  # its text belongs to it, not to the field before
            continue
        if current is None:
            problems.append(_problem(display, number, col, "text outside any field", "record-field-unknown",
                                     'put a field label (e.g. "Dates of Meeting:") on its own line before it'))
            continue
        current.lines.append(Line(number, col, stripped))

    for f in fields.values():
        while f.lines and not f.lines[-1].text:
            f.lines.pop()
    last_line = text.count("\n") + 1
    keys = list(FIELDS.values())
    for label, key in FIELDS.items():
        if key in fields:
            if key in NON_EMPTY and not fields[key].lines:
                f = fields[key]
                problems.append(_problem(display, f.line, 1, f'field "{label}:" is empty', "record-field-empty",
                                         f'write the {label.lower()} on the line after "{label}:"'))
            continue
        later = [fields[k].line for k in keys[keys.index(key) + 1:] if k in fields]
        where = min(later) if later else last_line
        problems.append(_problem(display, where, 1, f'missing field "{label}:"', "record-field-missing",
                                 f'add the line "{label}:" and its text (fields come in the order '
                                 + ", ".join(FIELDS) + ")"))
    if problems:
        return None, problems
    return Record(path, display, path.stem, fields), []


