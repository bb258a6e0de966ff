"""Config options declared once (type, default, help) and checked into typed tables.

A table of edition.toml is a frozen dataclass whose fields are options:

    @dataclass(frozen=True)
    class HtmlOptions:
        base_url: str = option(BaseURL(), "", "the web address the edition is published at")

The TOML key is the field name with "-" for "_" (`base-url`). `check_table()` turns the TOML
table into an instance, collecting every problem (unknown keys included) instead of stopping
at the first, so the user fixes them all in one round.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import re
from pathlib import Path
from typing import Any

REQUIRED = object()  # the default of an option that must be given


class Invalid(Exception):
    """A value an option refuses; the message says why (after "key: ")."""


@dataclasses.dataclass
class Where:
    """What options need to know while checking: the config's folder, the values checked so far,
    and where extra problems go (an option with several values may find several)."""

    root: Path
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    problems: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)  # warnings: the config still loads


class Option:
    """One kind of value. `expected` says what it must be, in the words of an error message."""

    expected = "a value"

    def check(self, value, where: Where):
        """The typed value, or raise Invalid."""
        return value

    def refuse(self, value) -> Invalid:
        return Invalid(f"expected {self.expected}, got {value!r}")


def option(kind: Option, default, help: str):
    """A dataclass field that is an option of edition.toml (see the module docstring)."""
    if default is REQUIRED:
        return dataclasses.field(metadata={"option": kind, "help": help})
    factory = (lambda: default) if isinstance(default, (list, dict)) else None
    if factory:
        return dataclasses.field(default_factory=factory, metadata={"option": kind, "help": help})
    return dataclasses.field(default=default, metadata={"option": kind, "help": help})


def key_of(f: dataclasses.Field) -> str:
    return f.name.replace("_", "-")


def options_of(table: type) -> dict[str, dataclasses.Field]:
    """TOML key → field, in declaration order (the order they are checked in)."""
    return {key_of(f): f for f in dataclasses.fields(table) if "option" in f.metadata}


def describe(table: type) -> str:
    """The keys of a table with what each one is for, for "unknown key" messages."""
    return "; ".join(f"{k} ({f.metadata['help']})" for k, f in options_of(table).items())


def check_table(table: type, name: str, data: dict, root: Path,
                notes: list | None = None) -> tuple[Any, list[tuple[str, str, str]]]:
    """The table's options from `data` (defaults for what is missing) and its problems as
    (key, message, hint); the instance is None when there are problems. Warnings (key, message,
    hint) go to `notes` when given."""
    known = options_of(table)
    problems = [(key, f"[{name}] {key}: unknown key; expected one of: {describe(table)}",
                 "remove the key or correct its name") for key in data if key not in known]
    where = Where(root)
    for key, f in known.items():
        kind: Option = f.metadata["option"]
        if key in data:
            value = data[key]
        elif f.default is not dataclasses.MISSING:
            value = f.default
        elif f.default_factory is not dataclasses.MISSING:
            value = f.default_factory()
        else:
            problems.append((key, f"[{name}] {key}: missing; expected {kind.expected}", _hint(name, key, f)))
            continue
        if value is None:  # an optional path left out
            where.values[f.name] = None
            continue
        where.problems, where.notes = [], []
        try:  # defaults are written as in TOML and checked like the user's values
            where.values[f.name] = kind.check(value, where)
        except Invalid as exc:
            problems.append((key, f"[{name}] {key}: {exc}", _hint(name, key, f)))
        problems += [(key, f"[{name}] {key}: {p}", _hint(name, key, f)) for p in where.problems]
        if notes is not None:
            notes += [(key, f"[{name}] {key}: {p}", _hint(name, key, f)) for p in where.notes]
    if problems:
        return None, problems
    return table(**where.values), []


def _hint(name: str, key: str, f: dataclasses.Field) -> str:
    default = f.default if f.default is not dataclasses.MISSING else (
        f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
    shown = "" if default in (None, REQUIRED) else f" (default {_toml(default)})"
    return f"[{name}] {key}: {f.metadata['help']}{shown}"


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return f'"{value}"' if isinstance(value, str) else str(value)


# -- kinds of values --------------------------------------------------------------------------------

class Text(Option):
    expected = "a string"

    def check(self, value, where):
        if not isinstance(value, str):
            raise self.refuse(value)
        return value.strip()


class Flag(Option):
    expected = "true or false"

    def check(self, value, where):
        if not isinstance(value, bool):
            raise self.refuse(value)
        return value


class Whole(Option):
    """A whole number, 0 or more."""

    expected = "a whole number (0 or more)"

    def check(self, value, where):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.refuse(value)
        return value


class Choice(Option):
    def __init__(self, *values: str):
        self.values = values
        self.expected = "one of " + ", ".join(values)

    def check(self, value, where):
        if value not in self.values:
            raise self.refuse(value)
        return value


class VolumeCut(Choice):
    """How the print edition is cut into volumes; "pages" counts volume-size pages, so it needs one."""

    def check(self, value, where):
        value = super().check(value, where)
        if value == "pages" and not where.values.get("volume_size"):
            raise Invalid('"pages" binds volumes of volume-size pages: set volume-size too, e.g. 400')
        return value


class Titles(Option):
    """A table of names to titles: { letters = "Letters 1949-1953" }."""

    expected = 'a table of titles, e.g. { letters = "Letters" }'

    def check(self, value, where):
        if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
            raise self.refuse(value)
        return tuple((str(k), v.strip()) for k, v in value.items())


class Matching(Option):
    """A string matching a regular expression (whole, after stripping spaces)."""

    def __init__(self, pattern: str, expected: str):
        self.pattern, self.expected = re.compile(pattern, re.I), expected

    def check(self, value, where):
        if not isinstance(value, str) or not self.pattern.fullmatch(value.strip()):
            raise self.refuse(value)
        return value.strip()


class Count(Option):
    """A whole number from 1 to `most` (a TOML integer)."""

    def __init__(self, most: int):
        self.most, self.expected = most, f"a whole number from 1 to {most}"

    def check(self, value, where):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= self.most:
            raise self.refuse(value)
        return value


class Names(Option):
    """A non-empty list of non-empty strings, kept in order (e.g. font families)."""

    def __init__(self, expected: str = "a list of names"):
        self.expected = expected

    def check(self, value, where):
        if not (isinstance(value, (list, tuple)) and value and all(isinstance(v, str) and v.strip() for v in value)):
            raise self.refuse(value)
        return tuple(v.strip() for v in value)


class UrlPatterns(Option):
    """A list of web addresses, each with {id} once (where an address names a document's xml:id)."""

    expected = 'a list of web addresses with {id}, such as ["https://example.org/{id}.html"]'

    def check(self, value, where):
        if not (isinstance(value, (list, tuple)) and all(isinstance(v, str) and v.strip().count("{id}") == 1
                                                         for v in value)):
            raise self.refuse(value)
        return tuple(v.strip() for v in value)


class BaseURL(Option):
    expected = 'a web address such as "https://example.org/edition/"'

    def check(self, value, where):
        if not isinstance(value, str):
            raise self.refuse(value)
        value = value.strip()
        return value if not value or value.endswith("/") else value + "/"


class Origins(Option):
    """Web origins ("https://host" or "https://host:port"), e.g. the hosts a page may load images
    from: each goes into the pages' Content-Security-Policy as written, so nothing else may pass."""

    expected = 'a list of web origins such as ["https://images.example.org"]'
    pattern = re.compile(r"https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?", re.I)

    def check(self, value, where):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise self.refuse(value)
        found = []
        for v in value:
            origin = v.strip().rstrip("/").lower()
            if not self.pattern.fullmatch(origin):
                where.problems.append(f"{v!r} is not a web origin: give the scheme and host only, such as "
                                      '"https://images.example.org" (no path, no wildcard)')
            elif origin not in found:
                found.append(origin)
        return tuple(found)


class Folder(Option):
    """A folder the build writes, relative to the config (it need not exist)."""

    expected = "a path to a folder"

    def check(self, value, where):
        if not isinstance(value, str) or not value:
            raise self.refuse(value)
        return (where.root / value).resolve()


class File(Option):
    """An existing file, relative to the config, inside the edition's folder unless named
    outside it (a symbolic link inside must not make the build read any file of the machine)."""

    def __init__(self, expected: str = "a path to a file"):
        self.expected = expected

    def check(self, value, where):
        if not isinstance(value, str) or not value:
            raise self.refuse(value)
        path = (where.root / value).resolve()
        if escapes(where.root / value, where.root):
            raise Invalid(f"{value!r} is a symbolic link to {path}, outside the edition's folder: not read "
                          "(name its real place instead)")
        if not path.is_file():
            raise Invalid(f"file {value!r} not found (relative to {where.root})")
        return path


class Globs(Option):
    """Glob patterns relative to the config; the files, each once, never from the build's own
    output (a pattern like "**/*.xml" would take in the TEI copies the web edition publishes, and
    the next build would find every id twice). A pattern that matches nothing is an error, or
    with `may_be_empty` a warning: a new edition's documents folder is empty until the first
    import, which is a normal state."""

    def __init__(self, expected: str, suffixes: dict[str, str] | None = None, kind: str = "file",
                 may_be_empty: bool = False):
        self.expected, self.suffixes, self.kind, self.may_be_empty = expected, suffixes, kind, may_be_empty

    def check(self, value, where):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.refuse(value)
        output = where.values.get("output")
        found: list[Path] = []
        real = real_paths()
        # strings, not Path objects: thousands of sources, each compared twice with the folder
        root, out = str(where.root), str(output) if output else None
        for pattern in value:
            matches = []
            for match in sorted(glob.glob(str(where.root / pattern), recursive=True)):
                resolved = real(match)
                if _under(os.path.normpath(os.path.abspath(match)), root) and not _under(resolved, root):
                    where.problems.append(
                        f"{pattern!r} matches {match}, a symbolic link to {resolved}, outside the "
                        "edition's folder: not read (copy the file into the edition, or name its real place in "
                        "the pattern)")
                else:
                    matches.append(resolved)
            matches = [Path(m) for m in matches if os.path.isfile(m) and not (out and _under(m, out))]
            if not matches:
                (where.notes if self.may_be_empty else where.problems).append(
                    f"{pattern!r} matches no file (relative to {where.root})")
            found.extend(matches)
        found = list(dict.fromkeys(found))
        if self.suffixes is not None:
            for path in found:
                if path.suffix not in self.suffixes:
                    where.problems.append(f"{path.name}: unsupported {self.kind} type; expected "
                                          + ", ".join(f"{s} ({what})" for s, what in self.suffixes.items()))
        return tuple(found)


def escapes(match: Path, root: Path) -> bool:
    """True for a path inside the edition's folder that a symbolic link takes outside it.
    A pattern that names a place outside the folder itself ("../shared/*.xml") is the editor's
    choice and is followed."""
    inside = Path(os.path.normpath(match.absolute())).is_relative_to(root)  # ".." taken as written
    return inside and not match.resolve().is_relative_to(root)


def real_paths():
    """path → its real path (symbolic links followed), each folder resolved once: thousands of
    sources in a few folders cost a few look-ups, not one per part of every path."""
    folders: dict[str, str] = {}

    def real(path: str) -> str:
        if os.path.islink(path):
            return os.path.realpath(path)
        folder, name = os.path.split(path)
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
        return os.path.join(folders[folder], name)
    return real


def _under(path: str, folder: str) -> bool:
    """Path.is_relative_to for absolute, normalised paths as strings."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
