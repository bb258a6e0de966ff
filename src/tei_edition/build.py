"""`edition build`, top to bottom: load → index → validate → writers."""

from __future__ import annotations

from typing import Callable, Iterable

from tei_edition.config import Config
from tei_edition.model.corpus import Corpus
from tei_edition.diagnostics import Diagnostic, display_path, format_text
from tei_edition.runtime.executor import connect
from tei_edition.runtime.lock import hold
from tei_edition.model.index import Index
from tei_edition.validate import Validation, validate
from tei_edition.writers.base import WRITER_NAMES, BuildContext, load_writer

# Writer diagnostics that mean the config is wrong (exit 2), not the data (exit 1).
CONFIG_RULES = {"config-html", "pdf-config", "deposit-config"}
# Writer warnings that mean the writer chose not to write (so it is not reported as built).
NOT_BUILT_RULES = {"deposit-keep-going"}


def build(config: Config, only: Iterable[str] = (), jobs: int = 1, keep_going: bool = False,
          strict: bool = False, log: Callable[[str], None] = print, executor: str = "local",
          scheduler=None, incremental: bool = True) -> int:
    """Build the edition's outputs; return the exit code (0 ok, 1 problems in the data).

    `jobs` worker processes do the per-document work (or a Dask cluster: executor="dask",
    scheduler=ADDRESS). With `incremental`, results of the last build in the output folder
    whose inputs did not change are reused (see tei_edition.cache.store).
    """
    owned = None
    if executor == "dask":  # connect before any work: an unreachable cluster is a usage error
        client = connect(scheduler)
        owned, scheduler = (client if client is not scheduler else None), client
    try:
        with hold(config.output):  # one build at a time; cleans up after a killed one
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

    corpus, index = validation.corpus, validation.index
    if errors:  # --keep-going: publish only what is fine
        corpus, index, left_out = without_failing_sources(validation)
        if left_out:
            log(f"left out of the outputs ({len(left_out)} document(s) with errors; fix them and build again): "
                + ", ".join(left_out))
    ctx = BuildContext(config, corpus, index, jobs=jobs, keep_going=keep_going,
                       source_errors=len(errors), log=log, executor=executor, scheduler=scheduler,
                       incremental=incremental)
    written: list[str] = []
    failed_writers: list[str] = []
    missing: list[str] = []
    skipped: list[str] = []
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
        if any(d.severity == "error" for d in found):
            failed_writers.append(name)
        elif any(d.rule in NOT_BUILT_RULES for d in found):
            skipped.append(name)
        else:
            written.append(name)
    if writer_problems:
        log(format_text(writer_problems))
    if written:
        log(f"built: {', '.join(written)} → {config.output}")
    if failed_writers:
        log(f"failed: {', '.join(failed_writers)} (see the errors above; the previous output is kept)")
    if skipped:
        log(f"not built: {', '.join(skipped)} (see the warnings above)")
    if missing:
        log(f"not built: {', '.join(missing)} (this version of the pipeline has no writer for "
            f"{'it' if len(missing) == 1 else 'them'} yet)")
    if any(d.severity == "error" and d.rule in CONFIG_RULES for d in writer_problems):
        return 2  # a bad [html]/[pdf]/[deposit] table is a usage error, like a bad [edition]
    failed = any(d.severity == "error" for d in writer_problems) or (strict and writer_problems)
    return 1 if (errors or failed) else 0


def without_failing_sources(validation: Validation) -> tuple[Corpus, Index, list[str]]:
    """The corpus and index without the source documents that have errors, and their paths.

    A --keep-going build publishes the documents that passed and lists the others: a page
    built from a document with errors would be published as if it were fine. Pointers into a
    document left out become unresolved, so pages show them as marked plain text. Registers
    and the edition header stay (every page needs them); their errors fail the build's exit
    code as always, and the deposit package is not made.
    """
    failing = {d.path for d in validation.errors}
    config = validation.corpus.config
    # also the sources that did not even load (not well-formed, ...): they are in no corpus
    left_out = sorted(failing & {display_path(p) for p in config.sources})
    kept = [d for d in validation.corpus.documents if d.role != "source" or d.display not in failing]
    if len(kept) == len(validation.corpus.documents):
        return validation.corpus, validation.index, left_out
    corpus = Corpus(config, kept)
    return corpus, Index(corpus, _Taken(validation.index)), left_out


class _Taken:
    """Hands Index the facts the validation's index already took, so nothing is parsed again."""

    def __init__(self, index: Index):
        self.index = index

    def get(self, doc):
        return self.index.facts.get(str(doc.path))


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
