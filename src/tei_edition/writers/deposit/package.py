"""`edition deposit`: the edition as a BagIt 1.0 package (folder and zip) for repositories.

    pre-flight (headers) → payload + metadata (XSLT) → bag → zip → self-check → rename into place

Everything is written into a temporary folder and moved to output/deposit/ only when the bag
and its records pass the self-check, so a failed deposit leaves the previous one untouched.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import bagit

from tei_edition.render import xslt
from tei_edition.config import Config
from tei_edition.diagnostics import Diagnostic, display_path, format_text
from tei_edition.validate import SchemaLoadError, validate
from tei_edition.runtime.epoch import EpochError, source_date_epoch
from tei_edition.runtime.lock import OutputBusy, hold
from tei_edition.writers.base import BuildContext, WriterResult, atomic_output, load_writer
from tei_edition.writers.deposit.bag import check_bag, check_with_library, make_bag, verify, write_zip
from tei_edition.writers.deposit.preflight import EditionFacts, preflight
from tei_edition.writers.deposit.records import Payload, titles
from tei_edition.writers.deposit.selfcheck import check_records

__all__ = ["deposit_command", "verify_command", "package", "verify"]


class _Refused(Exception):
    def __init__(self, problems: list[Diagnostic]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def fixed_time(facts: EditionFacts) -> int:
    """The package's one timestamp: SOURCE_DATE_EPOCH when set, else the edition's publication date."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    year, month, day = (facts.date.split("-") + ["01", "01"])[:3]
    return int(datetime(int(year), int(month), int(day), tzinfo=timezone.utc).timestamp())


def package(ctx: BuildContext) -> WriterResult:
    """Write output/deposit/<id>-<version>/ and its .zip (nothing written if there is any problem)."""
    config = ctx.config
    checked = preflight(ctx.index)
    if checked.facts is None:
        return WriterResult.failed("data", checked.gaps)
    facts = checked.facts
    pdf_dir = config.output / "pdf"
    if not pdf_dir.is_dir():
        if load_writer("pdf") is not None:
            ctx.log(f"note: {display_path(pdf_dir)}/ is missing, so the package has no PDFs; "
                    "run `edition build --only pdf` first to include them")
    final = config.output / "deposit"
    try:
        epoch = fixed_time(facts)
        with atomic_output(final) as tmp:
            problems = _write_and_check(ctx, facts, tmp, epoch, label=display_path(final / facts.name))
            if problems:
                raise _Refused(problems)  # atomic_output then discards tmp and keeps the old package
    except _Refused as refused:  # the package failed its own check
        return WriterResult.failed("data", refused.problems)
    except EpochError as exc:  # checked when the config was loaded; changed since
        return WriterResult.failed("environment", [exc.diagnostic])
    except xslt.XsltError as exc:
        return WriterResult.failed("environment", [Diagnostic(
            str(xslt.XSLT_DIR / "deposit"), 1, 1, "error", str(exc), "deposit-xslt",
            "a deposit stylesheet failed; the message names it")])
    except (OSError, bagit.BagError) as exc:
        return WriterResult.failed("environment", [Diagnostic(
            display_path(final), 1, 1, "error", f"cannot write the package: {exc}", "deposit-io",
            "check that the output folder is writable and the disk not full")])
    files = sum(1 for p in (final / facts.name / "data").rglob("*") if p.is_file())
    ctx.log(f"deposit: {display_path(final / facts.name)}/ ({files} payload files) and "
            f"{display_path(final / (facts.name + '.zip'))}")
    return WriterResult.built()


def _write_and_check(ctx: BuildContext, facts: EditionFacts, tmp: Path, epoch: int, label: str) -> list[Diagnostic]:
    """Payload, bag and zip written into `tmp`, then checked; the problems found."""
    stamp = datetime.fromtimestamp(epoch, timezone.utc)
    bag_dir = tmp / facts.name
    bag_dir.mkdir()
    # the payload is written into the bag's folder; make_bag moves it into data/
    Payload(ctx, facts, bag_dir, stamp.strftime("%Y-%m-%dT%H:%M:%SZ")).write_all()
    info = json.loads(xslt.transform("deposit/baginfo.xsl", ctx.corpus.header.tree, {"titles": titles(ctx.corpus)}))
    make_bag(bag_dir, info, stamp.strftime("%Y-%m-%d"), epoch)
    zip_path = tmp / f"{facts.name}.zip"
    write_zip(bag_dir, zip_path, epoch)
    problems = check_bag(bag_dir, label) or check_with_library(bag_dir, label)
    problems += check_records(bag_dir, label)
    # the zip holds the same files: our own check suffices (the library has just run on the folder)
    return problems or verify(zip_path, library=False)


def deposit_command(config: Config, log: Callable[[str], None] = print) -> int:
    """`edition deposit`: validate the edition, run the pre-flight, write and check the package."""
    try:
        with hold(config.output):  # not while a build writes the same output folder
            return _deposit(config, log)
    except OutputBusy as exc:
        log(f"error: {exc}")
        return 2
    except OSError as exc:  # the output folder cannot even be made (a file in its place, no permission)
        log(format_text([Diagnostic(display_path(config.output), 1, 1, "error", f"cannot write the package: {exc}",
                                    "deposit-io", "check that the output folder is writable and the disk not full")]))
        return 2


def _deposit(config: Config, log: Callable[[str], None]) -> int:
    try:
        validation = validate(config)
    except SchemaLoadError as exc:
        log(f"error: {exc}")
        return 2
    if validation.errors:  # no package from invalid TEI; but say at once what a deposit lacks besides
        checked = preflight(validation.index)
        result, covered = WriterResult.failed("data", checked.gaps), checked.covers
    else:
        result, covered = package(BuildContext(config, validation.corpus, validation.index, log=log)), set()
    # a gap the pre-flight names more precisely than a header error of validation is said once
    shown = [d for d in validation.diagnostics if d not in covered] + result.diagnostics
    if shown:
        log(format_text(shown))
    if validation.errors or result.status == "failed":
        log("deposit stopped: nothing written; fix the errors above")
        return 1 if validation.errors or result.cause == "data" else 2
    return 0


def verify_command(path: Path, log: Callable[[str], None] = print) -> int:
    """`edition deposit --verify PATH`: re-check a bag folder or zip; exit 1 on any problem."""
    try:
        problems = verify(path)
    except OSError as exc:
        log(f"error: {path}: cannot read: {exc}")
        return 1
    if problems:
        log(format_text(problems))
        return 1
    log(f"{path}: complete and valid (BagIt 1.0; every file in every manifest, checksums match)")
    return 0
