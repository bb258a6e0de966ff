"""`edition import`: plain-text meeting records → TEI drafts linked to the registers.

A record has a fixed shape: labelled fields ("Dates of Meeting:", "Type of Meeting:", ...) each
followed by its text; lists ("- "), numbered remarks ("1. "), Markdown links ("[text](#)"),
superscript note numbers ("⁸⁷") and, after the remarks, the citation of the record's source.

The import runs in three steps, one module each (plus helpers):

1. `record.py`  bytes → `Record` (fields with their line numbers) or located Diagnostics;
2. `encode.py`  Record + the edition's registers → a TEI tree with the structure of the
                hand-encoded records (one `div type="field"` per field, names, titles, dates and
                note numbers marked up and linked), plus the names it could not link; the
                header comes from `header.py`, dates from `dates.py`, names from `names.py`;
3. here         `import_records()` writes the draft and its review file (`output.py`), never
                overwriting a TEI file without --force, and checks the draft against the
                project schemas.

Names are linked by their exact form, by any alternative name in the registers, and by case and
hyphenation variants of pinyin ("Liu Shao-qi", "LIU SHAOQI" → liu-shaoqi). A name the registers
lack is never added to them: the draft points to a proposed id and the review file holds the
proposed register entry, so `edition validate` reports the pointer until an editor adds it.

Output is deterministic: no clock is read. The date of the draft is SOURCE_DATE_EPOCH when set,
else the publication date of the edition header.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from tei_edition.config import Config, ConfigError, load_config
from tei_edition.model.corpus import Corpus, load_document
from tei_edition.diagnostics import Diagnostic, display_path, format_text
from tei_edition.model.index import Index
from tei_edition.commands.importer.dates import find_dates, parse_date, prose_date
from tei_edition.commands.importer.encode import Encoder
from tei_edition.commands.importer.names import Gazetteer, slug
from tei_edition.commands.importer.output import draft_date, draft_name, review_text, serialize, write_atomically
from tei_edition.commands.importer.record import _problem, read_record

__all__ = ["import_command", "import_records", "read_record", "find_dates", "parse_date", "prose_date", "slug"]


def import_records(records: list[Path], config: Config, out_dir: Path, force: bool,
                   log: Callable[[str], None]) -> tuple[list[Path], list[Diagnostic]]:
    """Import each record; return the drafts written and every problem found."""
    from tei_edition.validate.schemas import load_check  # compiled once per process

    # only the header and the registers matter here; the edition's documents are not read
    corpus, load_problems = Corpus.load(replace(config, sources=()))
    index = Index(corpus)
    gazetteer = Gazetteer.from_index(index)
    date = draft_date(config, index)
    checks = [load_check(p) for p in config.schemas]
    problems: list[Diagnostic] = list(load_problems)
    written: list[Path] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in records:
        record, found = read_record(path)
        problems += found
        if record is None:
            continue
        encoder = Encoder(config, index, gazetteer, out_dir / "draft.xml", date)
        tei, found = encoder.encode(record)
        problems += found
        if tei is None:
            continue
        target = out_dir / draft_name(tei)
        encoder.out_path = target
        if target.exists() and not force:
            problems.append(_problem(record.display, 1, 1, f"{display_path(target)} exists; not overwritten",
                                     "import-exists", "pass --force to replace it, or import into another --out folder"))
            continue
        write_atomically(target, serialize(tei, config.schemas, out_dir))
        review = target.with_suffix(".review.toml")
        write_atomically(review, review_text(record, target, encoder).encode("utf-8"))
        written.append(target)
        doc, parse_problems = load_document(target, "source")
        problems += parse_problems
        for check in checks if doc is not None else []:
            problems += list(check(doc))
        for u in encoder.unlinked:
            problems.append(Diagnostic(record.display, u.line, u.col, "warning",
                                       f'{u.kind} "{u.name}" is not in the registers; the draft points to the '
                                       f'proposed entry "{u.proposed_id}"', "import-unlinked",
                                       f"check the proposal in {display_path(review)} and add it to "
                                       f"{u.register or 'a register'}"))
        unlinked = len(encoder.unlinked)
        log(f"{record.display} → {display_path(target)}: {len(encoder.linked)} name(s) linked, "
            f"{unlinked} not in the registers" + (f" (proposed entries in {display_path(review)})" if unlinked else ""))
    return written, problems


def import_command(records: list[Path], out_dir: Path | None, force: bool, config_path: Path,
                   log: Callable[[str], None] = print) -> int:
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        for problem in exc.problems:
            log(problem)
        log("error: the importer needs the edition's config to find its registers and schemas")
        return 2
    if out_dir is None:
        out_dir = config.sources[0].parent
    from tei_edition.validate.schemas import SchemaLoadError

    try:
        written, problems = import_records(records, config, out_dir.resolve(), force, log)
    except SchemaLoadError as exc:
        log(f"error: {exc}")
        return 2
    except OSError as exc:  # e.g. --out names a file, or a folder that cannot be written
        log(f"error: cannot write the drafts to {out_dir}: {exc.strerror or exc}")
        return 2
    if problems:
        log(format_text(problems))
    failed = len(records) - len(written)
    log(f"imported {len(written)} of {len(records)} record(s)" + (f"; {failed} failed" if failed else ""))
    return 1 if failed or any(d.severity == "error" for d in problems) else 0
