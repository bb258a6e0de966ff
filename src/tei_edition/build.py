"""`edition build`, top to bottom: load → index → validate → writers."""

from __future__ import annotations

from typing import Callable, Iterable

from .config import Config
from .diagnostics import Diagnostic, format_text
from .executor import connect
from .validate import validate
from .writers import WRITER_NAMES, BuildContext, load_writer

# Writer diagnostics that mean the config is wrong (exit 2), not the data (exit 1).
CONFIG_RULES = {"config-html", "pdf-config", "deposit-config"}


def build(config: Config, only: Iterable[str] = (), jobs: int = 1, keep_going: bool = False,
          strict: bool = False, log: Callable[[str], None] = print, executor: str = "local",
          scheduler=None, incremental: bool = True) -> int:
    """Build the edition's outputs; return the exit code (0 ok, 1 problems in the data).

    `jobs` worker processes do the per-document work (or a Dask cluster: executor="dask",
    scheduler=ADDRESS). With `incremental`, results of the last build in the output folder
    whose inputs did not change are reused (see tei_edition.cache).
    """
    owned = None
    if executor == "dask":  # connect before any work: an unreachable cluster is a usage error
        client = connect(scheduler)
        owned, scheduler = (client if client is not scheduler else None), client
    try:
        return _build(config, only, jobs, keep_going, strict, log, executor, scheduler, incremental)
    finally:
        if owned is not None:
            owned.close()


def _build(config, only, jobs, keep_going, strict, log, executor, scheduler, incremental) -> int:
    cache = config.output if incremental else None
    validation = validate(config, jobs=jobs, cache=cache)
    diagnostics: list[Diagnostic] = list(validation.diagnostics)
    if diagnostics:
        log(format_text(diagnostics))
    errors = validation.errors
    if errors and not keep_going:
        log(f"build stopped: {len(errors)} error(s) in the sources; fix them, or build anyway with --keep-going")
        return 1
    if strict and diagnostics:
        log("build stopped: --strict treats warnings as errors")
        return 1

    ctx = BuildContext(config, validation.corpus, validation.index, jobs=jobs, keep_going=keep_going,
                       source_errors=len(errors), log=log, executor=executor, scheduler=scheduler,
                       incremental=incremental)
    written: list[str] = []
    failed_writers: list[str] = []
    missing: list[str] = []
    writer_problems: list[Diagnostic] = []
    for name in writers_to_run(only, log):
        writer = load_writer(name)
        if writer is None:
            missing.append(name)
            continue
        if name == "deposit" and "pdf" in failed_writers:
            log("deposit: not built, because the pdf writer failed in this run (the package would carry old PDFs)")
            failed_writers.append(name)
            continue
        found = writer.write(ctx)
        writer_problems += found
        (failed_writers if any(d.severity == "error" for d in found) else written).append(name)
    if writer_problems:
        log(format_text(writer_problems))
    if written:
        log(f"built: {', '.join(written)} → {config.output}")
    if failed_writers:
        log(f"failed: {', '.join(failed_writers)} (see the errors above; the previous output is kept)")
    if missing:
        log(f"not built: {', '.join(missing)} (this version of the pipeline has no writer for "
            f"{'it' if len(missing) == 1 else 'them'} yet)")
    if any(d.severity == "error" and d.rule in CONFIG_RULES for d in writer_problems):
        return 2  # a bad [html]/[pdf]/[deposit] table is a usage error, like a bad [edition]
    failed = any(d.severity == "error" for d in writer_problems) or (strict and writer_problems)
    return 1 if (errors or failed) else 0


def writers_to_run(only: Iterable[str], log: Callable[[str], None]) -> list[str]:
    """The writers to run, in build order whatever the order of --only.

    The search index lives inside the HTML output, which the html writer replaces whole, so
    rebuilding the pages always rebuilds the index too.
    """
    wanted = set(only) or set(WRITER_NAMES)
    if "html" in wanted and "search" not in wanted:
        log("search: rebuilt with the html pages (the index lives in output/html)")
        wanted.add("search")
    return [name for name in WRITER_NAMES if name in wanted]
