"""`edition build`, top to bottom: load → index → validate → writers."""

from __future__ import annotations

from typing import Callable, Iterable

from .config import Config
from .diagnostics import Diagnostic, format_text
from .executor import connect
from .validate import validate
from .writers import WRITER_NAMES, BuildContext, load_writer


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
    for name in only or WRITER_NAMES:
        writer = load_writer(name)
        if writer is None:
            missing.append(name)
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
    failed = any(d.severity == "error" for d in writer_problems) or (strict and writer_problems)
    return 1 if (errors or failed) else 0
