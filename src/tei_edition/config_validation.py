"""The [validation] table of edition.toml: the level of each rule, for all files and per file pattern.

```toml
[validation]
levels = { ref-code = "off", header-licence = "error" }   # rule code → error | warning | off
[[validation.paths]]                                      # optional, later entries win
pattern = "registers/*.xml"                               # relative to edition.toml
levels = { register-unused = "off" }
```

Rule codes and their default levels are in `tei_edition.rules` (docs/validation.md); codes of the
configured Schematron schemas (the ids of their asserts and reports) may be given levels too. An
unknown code, a level that is not one of the three, or a rule whose level is fixed is a config
error, reported with every other problem of the file.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from lxml import etree

from tei_edition.rules import LEVELS, RULES, Levels, configurable

SCHEMATRON = "{http://purl.oclc.org/dsdl/schematron}"
KEYS = {"levels": 'a table of rule code → "error", "warning" or "off"',
        "paths": "an array of tables, each with a pattern and levels"}


def validation_levels(table, schemas: tuple[Path, ...], root: Path) -> tuple[Levels, list[tuple[str, str, str]]]:
    """The levels the table sets, and its problems as (key, message, hint)."""
    problems: list[tuple[str, str, str]] = []
    if not isinstance(table, dict):
        return Levels(), [("", f"[validation]: expected a table, got {table!r}", "write [validation] with levels = { ... }")]
    for key in table:
        if key not in KEYS:
            problems.append((key, f"[validation] {key}: unknown key; known keys are {', '.join(KEYS)}",
                             "remove it or correct its name"))
    known = schema_rule_codes(schemas)
    found = _levels(table.get("levels", {}), "[validation] levels", known, problems)
    paths = []
    entries = table.get("paths", [])
    if not isinstance(entries, list):
        problems.append(("paths", f"[validation] paths: expected {KEYS['paths']}, got {entries!r}",
                         "write [[validation.paths]] tables"))
        entries = []
    for n, entry in enumerate(entries, 1):
        name = f"[[validation.paths]] #{n}"
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str) or not entry.get("pattern"):
            problems.append(("paths", f"{name}: expected a table with pattern and levels",
                             'write pattern = "registers/*.xml" and levels = { rule = "off" }'))
            continue
        for key in entry:
            if key not in ("pattern", "levels"):
                problems.append(("paths", f"{name} {key}: unknown key; known keys are pattern, levels",
                                 "remove it or correct its name"))
        paths.append((entry["pattern"], _levels(entry.get("levels", {}), f"{name} levels", known, problems)))
    return Levels(found, tuple(paths), root), problems


def _levels(value, name: str, known: set[str], problems: list) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append(("levels", f"{name}: expected {KEYS['levels']}, got {value!r}",
                         'write levels = { ref-code = "warning" }'))
        return {}
    out = {}
    for code, level in value.items():
        if level not in LEVELS:
            problems.append(("levels", f'{name}: {code} = {level!r}: expected "error", "warning" or "off"',
                             f'write {code} = "warning" (or "error", "off")'))
        elif code in RULES and not configurable(code):
            why = ("the file is not read at all" if RULES[code].stage == "validate"
                   else f"reported by the {RULES[code].stage} step, not by validation")
            problems.append(("levels", f"{name}: {code}: its level cannot be changed ({why})", "remove it"))
        elif code not in RULES and code not in known:
            close = difflib.get_close_matches(code, [c for c in RULES if configurable(c)] + sorted(known), n=1)
            problems.append(("levels", f"{name}: {code}: unknown rule code"
                             + (f" (did you mean {close[0]}?)" if close else ""),
                             "the rule codes are listed in docs/validation.md"))
        else:
            out[code] = level
    return out


def schema_rule_codes(schemas: tuple[Path, ...]) -> set[str]:
    """The rule codes configured Schematron schemas report: the ids of their asserts and reports."""
    codes: set[str] = set()
    for schema in schemas:
        if schema.suffix != ".sch":
            continue
        try:
            tree = etree.parse(str(schema), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
        except (etree.LxmlError, OSError):
            continue  # reported when the schema is loaded
        codes |= {el.get("id") for el in tree.iter(f"{SCHEMATRON}assert", f"{SCHEMATRON}report") if el.get("id")}
    return codes
