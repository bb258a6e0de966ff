"""One Diagnostic type for every check, and the two ways of printing them."""

from __future__ import annotations

import functools
import json
import os
import stat
import unicodedata
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal

from tei_edition.rules import level_hint, meaning

Severity = Literal["error", "warning"]

# Characters that do not show but change how a line reads: bidi controls reorder the rest of
# the terminal line, zero-width ones make two different values look the same.
BIDI_CONTROLS = frozenset({*range(0x202A, 0x202F), *range(0x2066, 0x206A)})
ZERO_WIDTH = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF})
INVISIBLE = BIDI_CONTROLS | ZERO_WIDTH


def visible(text: str) -> str:
    """`text` as a message may print it: invisible and control characters as <U+202E>
    (line breaks and tabs stay)."""
    return "".join(f"<U+{ord(c):04X}>" if ord(c) in INVISIBLE or (unicodedata.category(c) == "Cc" and c not in "\n\t")
                   else c for c in text)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem found at a place in a file.

    `rule` is a short stable code (`ref-unresolved`, `xsd`, ...) that tests and users can
    filter on; `hint` says what to do about it.
    """

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    rule: str
    hint: str = ""

    def format(self) -> str:
        # values quoted from the files are shown with their invisible characters spelled out
        text = f"{visible(self.path)}:{self.line}:{self.col}: {self.severity}: {visible(self.message)} [{self.rule}]"
        if self.hint:
            text += f"\n    hint: {visible(self.hint)}"
        return text


FIELDS = tuple(f.name for f in fields(Diagnostic))


def display_path(path: Path | str, base: Path | None = None) -> str:
    """A path as users want to read it: relative to the working directory when below it."""
    root = _real(str(base)) if base is not None else _real(os.getcwd())
    real = _realpath(os.fspath(path))
    if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
        return os.path.relpath(real, root)
    return str(path)


def _realpath(path: str) -> str:
    """os.path.realpath(path), with the folder of an absolute path resolved once for all its
    files (realpath asks the file system about every component of every path: at 10,000 files
    that was most of loading the file list); the file itself is looked at once, in case it is
    a link."""
    folder, name = os.path.split(path)
    if not os.path.isabs(path) or name in ("", ".", ".."):
        return os.path.realpath(path)
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return os.path.realpath(path)
    except OSError:
        pass  # (realpath too takes a missing file as it is written)
    return os.path.join(_real(folder), name)


@functools.lru_cache(maxsize=64)
def _real(folder: str) -> str:
    # the working directory is resolved once, not for each of the edition's 10,000 files
    return os.path.realpath(folder)


def sort_key(d: Diagnostic):
    return (d.path, d.line, d.col, d.rule, d.message)


# Up to this many findings are listed one per line (with their hints: about a screen); more
# are grouped by rule.
GROUP_ABOVE = 40
EXAMPLES = 3  # places shown per rule when grouped (a rule with up to EXAMPLES + 2 shows them all)


def format_text(diagnostics: list[Diagnostic], show_all: bool = False) -> str:
    """One line per finding (with its hint); when there are many, grouped by rule: per rule
    its count, meaning, first places, hint and the edition.toml line that changes its level,
    so that a corpus with 20,000 findings fits a screen. `show_all`: every finding."""
    ordered = sorted(diagnostics, key=sort_key)
    errors = sum(d.severity == "error" for d in ordered)
    warnings = len(ordered) - errors
    if show_all or len(ordered) <= GROUP_ABOVE:
        lines = [d.format() for d in ordered]
    else:
        lines = _grouped(ordered)
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def _grouped(ordered: list[Diagnostic]) -> list[str]:
    groups: dict[tuple[str, str], list[Diagnostic]] = {}
    for d in ordered:
        groups.setdefault((d.severity, d.rule), []).append(d)
    order = sorted(groups, key=lambda k: (k[0] != "error", -len(groups[k]), k[1]))
    most = sorted(groups, key=lambda k: (-len(groups[k]), k[1]))[:3]
    lines = [f"{len(ordered):,} findings from {len(groups)} rule(s); most from "
             + ", ".join(f"{rule} ({len(groups[sev, rule]):,} {sev}s)" for sev, rule in most)
             + f". Grouped by rule with the first {EXAMPLES} places; `edition validate --all` lists every finding "
             "(--format json too)."]
    for severity, rule in order:
        found = groups[severity, rule]
        lines += ["", f"== {rule}: {len(found):,} {severity}(s): {meaning(rule)}"]
        shown = found if len(found) <= EXAMPLES + 2 else found[:EXAMPLES]
        lines += [d.format().split("\n    hint: ")[0] for d in shown]
        if found[0].hint:
            lines.append(f"    hint: {visible(found[0].hint)}")
        if len(found) > len(shown):
            lines.append(f"    ... and {len(found) - len(shown):,} more of {rule}")
        change = level_hint(rule, severity)
        if change:
            lines.append(f"    level: {change}")
    lines.append("")
    return lines


def format_json(diagnostics: list[Diagnostic]) -> str:
    # (dataclasses.asdict copies deeply: slow for a corpus's 20,000 findings of plain strings)
    return json.dumps([{name: getattr(d, name) for name in FIELDS} for d in sorted(diagnostics, key=sort_key)],
                      ensure_ascii=False, indent=2)
