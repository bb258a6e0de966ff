"""The edition's config file (`edition.toml`), read and checked in one go.

Every problem in the file is collected before anything is reported, so a user fixes them all
in one round instead of one per run.

```toml
[edition]
header = "tei/edition.xml"            # optional: the edition-level TEI header and front matter
sources = ["tei/meetings/*.xml"]      # glob patterns of the documents (required)
registers = ["tei/registers/*.xml"]   # glob patterns of the registers (optional)
schemas = ["schema/edition.xsd", "schema/edition.sch"]  # .xsd, .rng or .sch (optional)
output = "output"                     # where builds are written (default "output")

[validation]                          # optional: the level of each rule (error, warning, off)
levels = { ref-code = "off", header-licence = "error" }
[[validation.paths]]                  # optional, per file pattern (relative to this file)
pattern = "registers/*.xml"
levels = { register-unused = "off" }
```

Paths are relative to the config file. Rule codes and their default levels are in
`tei_edition.rules` (docs/validation.md); an unknown code is a config error. Other tables (`[html]`, `[pdf]`, `[deposit]`) belong to
the writers of those outputs, which check their own keys.
"""

from __future__ import annotations

import difflib
import glob
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .rules import LEVELS, RULES, Levels, configurable

EDITION_KEYS = {
    "header": "a path to the edition header TEI file",
    "sources": "a list of glob patterns for the documents",
    "registers": "a list of glob patterns for the register files",
    "schemas": "a list of schema paths ending in .xsd, .rng or .sch",
    "output": "a path to the output folder",
}
WRITER_TABLES = {"html", "pdf", "deposit", "build"}
VALIDATION_KEYS = {
    "levels": 'a table of rule code → "error", "warning" or "off"',
    "paths": "an array of tables, each with a pattern and levels",
}
SCHEMA_SUFFIXES = {".xsd", ".rng", ".sch"}


class ConfigError(Exception):
    """All the problems of one config file; `problems` are ready-to-print lines."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Config:
    path: Path
    header: Path | None
    sources: tuple[Path, ...]
    registers: tuple[Path, ...]
    schemas: tuple[Path, ...]
    output: Path
    tables: dict = field(default_factory=dict, compare=False)
    levels: Levels = field(default_factory=Levels, compare=False)  # [validation]

    @property
    def root(self) -> Path:
        return self.path.parent

    def all_files(self) -> tuple[Path, ...]:
        """Every TEI file of the edition: header, registers, then sources, each once."""
        seen: dict[Path, None] = {}
        for p in ((self.header,) if self.header else ()) + self.registers + self.sources:
            seen.setdefault(p, None)
        return tuple(seen)


def load_config(path: Path | str) -> Config:
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise ConfigError([f"{where}: config file not found; pass --config FILE or run in a folder with edition.toml"])
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{where}: not valid TOML: {exc}"]) from None

    problems: list[str] = []
    root = path.resolve().parent

    for table in data:
        if table not in ("edition", "validation") and table not in WRITER_TABLES:
            problems.append(f"{where}: unknown table [{table}]; expected [edition], [validation] or one of "
                            + ", ".join(f"[{t}]" for t in sorted(WRITER_TABLES)))
    edition = data.get("edition")
    if not isinstance(edition, dict):
        problems.append(f"{where}: missing table [edition]; it names the sources, registers, schemas and output")
        raise ConfigError(problems)
    for key in edition:
        if key not in EDITION_KEYS:
            problems.append(f"{where}: [edition] {key}: unknown key; known keys are {', '.join(EDITION_KEYS)}")

    def patterns(key: str, required: bool) -> tuple[Path, ...]:
        value = edition.get(key)
        if value is None:
            if required:
                problems.append(f"{where}: [edition] {key}: missing; expected {EDITION_KEYS[key]}")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{where}: [edition] {key}: expected {EDITION_KEYS[key]}, got {value!r}")
            return ()
        found: list[Path] = []
        for pattern in value:
            matches = []
            for match in sorted(glob.glob(str(root / pattern), recursive=True)):
                if _escapes(Path(match), root):
                    problems.append(f"{where}: [edition] {key}: {pattern!r} matches {match}, a symbolic link to "
                                    f"{Path(match).resolve()}, outside the edition's folder: not read (copy the "
                                    "file into the edition, or name its real place in the pattern)")
                else:
                    matches.append(Path(match).resolve())
            # never the build's own output (a pattern like "**/*.xml" would take in the TEI
            # copies the web edition publishes, and the next build would find every id twice)
            matches = [m for m in matches if m.is_file() and not (output and m.is_relative_to(output))]
            if not matches:
                problems.append(f"{where}: [edition] {key}: {pattern!r} matches no file (relative to {root})")
            found.extend(matches)
        return tuple(dict.fromkeys(found))

    def single_path(key: str, default: str | None) -> Path | None:
        value = edition.get(key, default)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            problems.append(f"{where}: [edition] {key}: expected {EDITION_KEYS[key]}, got {value!r}")
            return None
        return (root / value).resolve()

    output = single_path("output", "output")
    header = single_path("header", None)
    if header is not None and _escapes(root / edition["header"], root):  # (output may link anywhere: it is written)
        problems.append(f"{where}: [edition] header: {edition['header']!r} is a symbolic link to {header}, "
                        "outside the edition's folder: not read (name its real place instead)")
        header = None
    if header is not None and not header.is_file():
        problems.append(f"{where}: [edition] header: file {edition['header']!r} not found (relative to {root})")
    sources = patterns("sources", required=True)
    registers = patterns("registers", required=False)
    schemas = patterns("schemas", required=False)
    for schema in schemas:
        if schema.suffix not in SCHEMA_SUFFIXES:
            problems.append(f"{where}: [edition] schemas: {schema.name}: unsupported schema type; "
                            "expected .xsd (XML Schema), .rng (RELAX NG) or .sch (ISO Schematron)")

    levels = _validation(data.get("validation", {}), schemas, root, where, problems)

    if problems:
        raise ConfigError(problems)
    tables = {k: v for k, v in data.items() if k != "edition"}
    return Config(path=path.resolve(), header=header, sources=sources, registers=registers,
                  schemas=schemas, output=output, tables=tables, levels=levels)


def _validation(table, schemas: tuple[Path, ...], root: Path, where: str, problems: list[str]) -> Levels:
    """The [validation] table: rule levels, globally and per path pattern."""
    if not isinstance(table, dict):
        problems.append(f"{where}: [validation]: expected a table, got {table!r}")
        return Levels()
    for key in table:
        if key not in VALIDATION_KEYS:
            problems.append(f"{where}: [validation] {key}: unknown key; known keys are {', '.join(VALIDATION_KEYS)}")
    known = schema_rule_codes(schemas)

    def levels(value, name: str) -> dict:
        if not isinstance(value, dict):
            problems.append(f"{where}: {name}: expected {VALIDATION_KEYS['levels']}, got {value!r}")
            return {}
        out = {}
        for code, level in value.items():
            if level not in LEVELS:
                problems.append(f'{where}: {name}: {code} = {level!r}: expected "error", "warning" or "off"')
            elif code in RULES and not configurable(code):
                why = ("the file is not read at all" if RULES[code].stage == "validate"
                       else f"reported by the {RULES[code].stage} step, not by validation")
                problems.append(f"{where}: {name}: {code}: its level cannot be changed ({why})")
            elif code not in RULES and code not in known:
                close = difflib.get_close_matches(code, [c for c in RULES if configurable(c)] + sorted(known), n=1)
                problems.append(f"{where}: {name}: {code}: unknown rule code"
                                + (f" (did you mean {close[0]}?)" if close else "")
                                + "; the codes are listed in docs/validation.md")
            else:
                out[code] = level
        return out

    found = levels(table.get("levels", {}), "[validation] levels")
    paths = []
    entries = table.get("paths", [])
    if not isinstance(entries, list):
        problems.append(f"{where}: [validation] paths: expected {VALIDATION_KEYS['paths']}, got {entries!r}")
        entries = []
    for n, entry in enumerate(entries, 1):
        name = f"[[validation.paths]] #{n}"
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str) or not entry.get("pattern"):
            problems.append(f"{where}: {name}: expected a table with pattern = \"glob\" and levels = {{ ... }}")
            continue
        for key in entry:
            if key not in ("pattern", "levels"):
                problems.append(f"{where}: {name} {key}: unknown key; known keys are pattern, levels")
        paths.append((entry["pattern"], levels(entry.get("levels", {}), f"{name} levels")))
    return Levels(found, tuple(paths), root)


def schema_rule_codes(schemas: tuple[Path, ...]) -> set[str]:
    """The rule codes configured Schematron schemas report: the ids of their asserts and reports."""
    from lxml import etree

    codes: set[str] = set()
    for schema in schemas:
        if schema.suffix != ".sch":
            continue
        try:
            tree = etree.parse(str(schema), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
        except (etree.LxmlError, OSError):
            continue  # reported when the schema is loaded
        for el in tree.iter("{http://purl.oclc.org/dsdl/schematron}assert", "{http://purl.oclc.org/dsdl/schematron}report"):
            if el.get("id"):
                codes.add(el.get("id"))
    return codes


def _escapes(match: Path, root: Path) -> bool:
    """True for a path inside the edition's folder that a symbolic link takes outside it: a
    corpus from elsewhere must not make the build read (and publish) any file of the machine.
    A pattern that names a place outside the folder itself ("../shared/*.xml") is the editor's
    choice and is followed."""
    inside = Path(os.path.normpath(match.absolute())).is_relative_to(root)  # ".." taken as written
    return inside and not match.resolve().is_relative_to(root)
