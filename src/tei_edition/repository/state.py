"""The deposit state file: which record each repository keeps this edition under.

`deposit-records.json` beside edition.toml, written by `edition deposit --to` and meant to be
committed with the edition: the next deposit from any checkout then makes a new version of the
same record instead of a second record. Keyed by the repository's address, so Zenodo and its
sandbox keep their own records.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

NAME = "deposit-records.json"
NOTE = ("Written by `edition deposit --to`: the record each repository keeps this edition under. "
        "Commit this file; without it the next deposit makes a new record instead of a new version.")


class StateError(Exception):
    """The state file cannot be read: (line, col, message)."""

    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col = line, col


@dataclass
class Entry:
    """What one repository holds of the edition."""

    record: str | None = None   # the latest published version
    draft: str | None = None    # an open draft (a first record, or the next version), if any
    version: str | None = None  # the edition version last uploaded
    url: str | None = None      # the page of the record or draft


def path_for(config_path: Path) -> Path:
    return config_path.parent / NAME


def load(path: Path) -> dict[str, Entry]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise StateError(1, 1, f"not UTF-8 text: {exc}") from None
    except json.JSONDecodeError as exc:
        raise StateError(exc.lineno, exc.colno, f"not valid JSON: {exc.msg}") from None
    targets = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(targets, dict):
        raise StateError(1, 1, 'expected {"targets": {"https://zenodo.org": {"record": "…"}}}')
    out = {}
    for base, entry in targets.items():
        if not isinstance(entry, dict) or not all(isinstance(v, (str, type(None))) for v in entry.values()) \
                or set(entry) - set(Entry.__dataclass_fields__):
            raise StateError(1, 1, f"the entry for {base} is not of the form "
                                   '{"record": "…", "draft": "…", "version": "…", "url": "…"}')
        out[base] = Entry(**entry)
    return out


def save(path: Path, entries: dict[str, Entry]) -> None:
    """Written whole into a temporary file, then renamed: never left half-written."""
    data = {"note": NOTE, "targets": {base: {k: v for k, v in asdict(e).items() if v is not None}
                                      for base, e in sorted(entries.items())}}
    fd, tmp = tempfile.mkstemp(prefix=".deposit-records-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
