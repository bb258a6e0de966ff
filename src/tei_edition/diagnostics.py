"""One Diagnostic type for every check, and the two ways of printing them."""

from __future__ import annotations

import functools
import json
import os
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

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


def display_path(path: Path | str, base: Path | None = None) -> str:
    """A path as users want to read it: relative to the working directory when below it."""
    root = _real(str(base)) if base is not None else _real(os.getcwd())
    real = os.path.realpath(path)
    if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
        return os.path.relpath(real, root)
    return str(path)


@functools.lru_cache(maxsize=64)
def _real(folder: str) -> str:
    # the working directory is resolved once, not for each of the edition's 10,000 files
    return os.path.realpath(folder)


def sort_key(d: Diagnostic):
    return (d.path, d.line, d.col, d.rule, d.message)


def format_text(diagnostics: list[Diagnostic]) -> str:
    lines = [d.format() for d in sorted(diagnostics, key=sort_key)]
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def format_json(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([asdict(d) for d in sorted(diagnostics, key=sort_key)], ensure_ascii=False, indent=2)
