"""`edition deposit`: the edition as a BagIt 1.0 package (folder and zip) for repositories.

    pre-flight (headers) → payload + metadata (XSLT) → bag → zip → self-check → rename into place

Everything is written into a temporary folder and moved to output/deposit/ only when the bag
and its records pass the self-check, so a failed deposit leaves the previous one untouched.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import bagit

from tei_edition.render import xslt
from tei_edition.config import Config
from tei_edition.diagnostics import Diagnostic, display_path, format_text
from tei_edition.validate import SchemaLoadError, validate
from tei_edition.runtime.lock import OutputBusy, hold
from tei_edition.writers.base import BuildContext, atomic_output, load_writer
from tei_edition.writers.deposit.bag import check_bag, check_with_library, make_bag, verify, write_zip
from tei_edition.writers.deposit.preflight import EditionFacts, preflight
from tei_edition.writers.deposit.records import Payload, check_options, titles
from tei_edition.writers.deposit.selfcheck import check_records

__all__ = ["deposit_command", "verify_command", "package", "verify"]


# Problems of the machine or the stylesheets rather than of the edition's data (exit code 2).
ENVIRONMENT_RULES = {"deposit-io", "deposit-xslt", "deposit-epoch", "deposit-config"}


class _Refused(Exception):
    def __init__(self, problems: list[Diagnostic]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def fixed_time(facts: EditionFacts) -> int:
    """The package's one timestamp: SOURCE_DATE_EPOCH when set, else the edition's publication date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            datetime.fromtimestamp(int(epoch), timezone.utc)  # in range for dates and zip times
            return int(epoch)
        except (ValueError, OverflowError, OSError):
            raise _Refused([Diagnostic("SOURCE_DATE_EPOCH", 1, 1, "error", f"SOURCE_DATE_EPOCH={epoch!r} is not a "
                                       "number of seconds since 1970", "deposit-epoch",
                                       "unset it, or set it to an integer such as $(git log -1 --format=%ct)")]) from None
    year, month, day = (facts.date.split("-") + ["01", "01"])[:3]
    return int(datetime(int(year), int(month), int(day), tzinfo=timezone.utc).timestamp())


def package(ctx: BuildContext) -> list[Diagnostic]:
    """Write output/deposit/<id>-<version>/ and its .zip; return the problems (nothing written if any)."""
    config = ctx.config
    option_problems = check_options(ctx)
    if option_problems:
        where = display_path(config.path)
        return [Diagnostic(where, 1, 1, "error", p, "deposit-config", "see docs/deposit.md, Configuration")
                for p in option_problems]
    facts, gaps = preflight(ctx.corpus)
    if gaps:
        return gaps
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
    except _Refused as refused:
        return refused.problems
    except xslt.XsltError as exc:
        return [Diagnostic(str(xslt.XSLT_DIR / "deposit"), 1, 1, "error", str(exc), "deposit-xslt",
                           "a deposit stylesheet failed; the message names it")]
    except (OSError, bagit.BagError) as exc:
        return [Diagnostic(display_path(final), 1, 1, "error", f"cannot write the package: {exc}", "deposit-io",
                           "check that the output folder is writable and the disk not full")]
    files = sum(1 for p in (final / facts.name / "data").rglob("*") if p.is_file())
    ctx.log(f"deposit: {display_path(final / facts.name)}/ ({files} payload files) and "
            f"{display_path(final / (facts.name + '.zip'))}")
    return []


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
    ctx = BuildContext(config, validation.corpus, validation.index, log=log)
    problems = package(ctx) if not validation.errors else preflight(validation.corpus)[1]
    # A gap the pre-flight names is also a header error of validation: say it once.
    gaps = {(d.path, d.rule.removeprefix("deposit-")) for d in problems}
    shown = [d for d in validation.diagnostics if (d.path, d.rule.removeprefix("header-")) not in gaps] + problems
    if shown:
        log(format_text(shown))
    if validation.errors or problems:
        log("deposit stopped: nothing written; fix the errors above")
        environment = not validation.errors and all(d.rule in ENVIRONMENT_RULES for d in problems)
        return 2 if environment else 1
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
