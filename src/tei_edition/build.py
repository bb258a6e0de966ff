"""`edition build`, top to bottom: load → index → check → write → finish.

Each phase is one function below; `_build` shows the whole pipeline. Writers say what they did
(a WriterResult: built, failed or skipped, and for a failure whether the data, the config or the
environment is the cause), so the summary and the exit code follow from their results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from tei_edition.config import Config
from tei_edition.diagnostics import display_path, format_text
from tei_edition.model.warm import WarmState
from tei_edition.runtime.epoch import EpochError, source_date_epoch
from tei_edition.runtime.executor import connect
from tei_edition.runtime.lock import hold
from tei_edition.runtime.memory import large_blocks_apart
from tei_edition.validate import Validation, check as run_checks, index_edition
from tei_edition.writers.base import WRITER_NAMES, BuildContext, WriterResult, load_writer


@dataclass(frozen=True)
class Settings:
    """How to build, as the command line said."""

    only: tuple[str, ...] = ()
    jobs: int = 1
    keep_going: bool = False
    strict: bool = False
    executor: str = "local"
    scheduler: object = None
    incremental: bool = True
    options: dict = field(default_factory=dict)  # the writers' (BuildContext.options)
    warm: WarmState | None = None  # what the last build of this process loaded (edition serve)


def build(config: Config, only: Iterable[str] = (), jobs: int = 1, keep_going: bool = False,
          strict: bool = False, log: Callable[[str], None] = print, executor: str = "local",
          scheduler=None, incremental: bool = True, options: dict | None = None,
          warm: WarmState | None = None) -> int:
    """Build the edition's outputs; return the exit code (0 ok, 1 problems in the data, 2 usage
    or environment).

    `jobs` worker processes do the per-document work (or a Dask cluster: executor="dask",
    scheduler=ADDRESS). With `incremental`, results of the last build in the output folder
    whose inputs did not change are reused (see tei_edition.cache.store). `options` go to the
    writers (`{"search": "later"}`: the html writer publishes the pages with the last search index;
    edition serve then re-indexes). `warm`: the corpus and index the last build of this process
    loaded, brought up to date instead of loaded again where that is safe (model/warm.py).
    """
    large_blocks_apart()  # (runtime/memory.py)
    owned = None
    if executor == "dask":  # connect before any work: an unreachable cluster is a usage error
        client = connect(scheduler)
        owned, scheduler = (client if client is not scheduler else None), client
    settings = Settings(tuple(only), jobs, keep_going, strict, executor, scheduler, incremental, dict(options or {}), warm)
    try:
        with hold(config.output):  # one build at a time; cleans up after a killed one
            return _build(config, settings, log)
    finally:
        if owned is not None:
            owned.close()


def _build(config: Config, settings: Settings, log: Callable[[str], None]) -> int:
    if not load(log):
        return 2
    indexed = index(config, settings)
    validation = check(indexed, settings, log)
    if not should_write(validation, settings, log):
        return 1
    results = write(config, validation, settings, log)
    return finish(config, validation, results, settings, log)


def load(log: Callable[[str], None]) -> bool:
    """What every output depends on besides the config (loaded by the caller): SOURCE_DATE_EPOCH."""
    try:
        source_date_epoch()
    except EpochError as exc:
        log(format_text([exc.diagnostic]))
        return False
    return True


def index(config: Config, settings: Settings) -> Validation:
    """The corpus, parsed once, and its cross-reference index (facts of unchanged files reused);
    each document's own checks run in the same pass, which reads it. In a long-running process
    the last build's corpus and index are updated instead where that is safe (model/warm.py)."""
    warm = settings.warm
    kept = warm.updated(config) if warm is not None else None
    if kept is not None:
        return Validation(*kept)  # check() runs the own checks of the changed documents
    indexed = index_edition(config, cache=config.output if settings.incremental else None, jobs=settings.jobs,
                            checks=True)
    if warm is not None:
        warm.remember(config, indexed.corpus, indexed.index, indexed.diagnostics)
    return indexed


def check(indexed: Validation, settings: Settings, log: Callable[[str], None]) -> Validation:
    """Every check, reported at once."""
    validation = run_checks(indexed, jobs=settings.jobs,
                            cache=indexed.corpus.config.output if settings.incremental else None)
    if validation.diagnostics:
        log(format_text(validation.diagnostics))
    return validation


def should_write(validation: Validation, settings: Settings, log: Callable[[str], None]) -> bool:
    """False (said why) when the problems found stop the build before any output is written."""
    errors = validation.errors
    if errors and not settings.keep_going:
        log(f"build stopped: {len(errors)} error(s) in the sources; fix them, or build anyway with --keep-going")
        return False
    if settings.strict and validation.diagnostics:
        log("build stopped: --strict treats warnings as errors")
        return False
    return True


def write(config: Config, validation: Validation, settings: Settings,
          log: Callable[[str], None]) -> dict[str, WriterResult | None]:
    """Run the writers in build order; their results by name (None: no such writer yet)."""
    corpus, index_, errors = validation.corpus, validation.index, validation.errors
    if errors:  # --keep-going: publish what can be read, list what cannot
        left_out = unreadable_sources(validation)
        if left_out:
            log(f"left out of the outputs ({len(left_out)} document(s) that could not be read; fix them and "
                "build again): " + ", ".join(left_out))
    ctx = BuildContext(config, corpus, index_, jobs=settings.jobs, keep_going=settings.keep_going,
                       source_errors=len(errors), log=log, executor=settings.executor,
                       scheduler=settings.scheduler, incremental=settings.incremental, options=settings.options)
    results: dict[str, WriterResult | None] = {}
    for name in writers_to_run(settings.only, log):
        writer = load_writer(name)
        pdf = results.get("pdf")
        if writer is None:
            results[name] = None
        elif name == "deposit" and pdf is not None and pdf.status == "failed":
            log("deposit: not built, because the pdf writer failed in this run (the package would carry old PDFs)")
            results[name] = WriterResult.failed(pdf.cause, [])
        else:
            results[name] = writer.write(ctx)
    return results


def finish(config: Config, validation: Validation, results: dict[str, WriterResult | None],
           settings: Settings, log: Callable[[str], None]) -> int:
    """One summary of what was built, and the exit code."""
    problems = [d for r in results.values() if r is not None for d in r.diagnostics]
    if problems:
        log(format_text(problems))

    def named(status: str) -> list[str]:
        return [name for name, r in results.items() if r is not None and r.status == status]

    built, failed, skipped = named("built"), named("failed"), named("skipped")
    missing = [name for name, r in results.items() if r is None]
    if built:
        log(f"built: {', '.join(built)} → {config.output}")
    if failed:
        log(f"failed: {', '.join(failed)} (see the errors above; the previous output is kept)")
    if skipped:
        log(f"not built: {', '.join(skipped)} (see the warnings above)")
    if missing:
        log(f"not built: {', '.join(missing)} (this version of the pipeline has no writer for "
            f"{'it' if len(missing) == 1 else 'them'} yet)")
    if any(results[name].cause == "config" for name in failed):
        return 2  # a usage error, like a bad [edition]
    errors = any(d.severity == "error" for d in problems)  # e.g. a page left out of a --keep-going build
    return 1 if (validation.errors or failed or errors or (settings.strict and problems)) else 0


def unreadable_sources(validation: Validation) -> list[str]:
    """The sources a --keep-going build cannot publish, by path: those that could not be read
    at all (not well-formed, not TEI, ...). Every other document is published with its errors
    listed (the exit code stays 1): a pointer that leads nowhere is shown as marked plain text,
    and a page that cannot be rendered is left out by the writer. No deposit package is made
    from sources with errors."""
    loaded = {d.display for d in validation.corpus.documents}
    return sorted(display_path(p) for p in validation.corpus.config.sources if display_path(p) not in loaded)


def writers_to_run(only: Iterable[str], log: Callable[[str], None]) -> list[str]:
    """The writers to run, in build order whatever the order of --only.

    The html writer indexes its pages with Pagefind before it publishes them (a site is never
    without its search index), so with html the search writer has nothing left to do.
    """
    wanted = set(only) or set(WRITER_NAMES)
    if "html" in wanted and "search" in wanted:
        wanted.discard("search")
        if only:
            log("search: indexed by the html writer, with the pages")
    return [name for name in WRITER_NAMES if name in wanted]
