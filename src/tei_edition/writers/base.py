"""Writers: one per output (html, search, pdf, deposit), all behind the same small interface.

A writer is a module `tei_edition.writers.<name>` with

    def write(ctx: BuildContext) -> WriterResult

It reads only `ctx` (config with its typed options, corpus, index) and writes below
`ctx.config.output`, through `atomic_output()` so that a failed run never leaves half-written
output behind. Its result says what happened (built, failed, skipped) and, for a failure,
whose the cause is, so the build decides what to report and which exit code from the result,
never from the rule codes of the diagnostics.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Callable, Literal

from tei_edition.config import Config
from tei_edition.diagnostics import Diagnostic
from tei_edition.model.corpus import Corpus
from tei_edition.model.index import Index
from tei_edition.runtime.folders import atomic_output  # noqa: F401 (every writer publishes through it)

# Build order: search indexes the HTML, the deposit packages the PDFs.
WRITER_NAMES = ("html", "search", "pdf", "deposit")


Status = Literal["built", "failed", "skipped"]
# Whose a failure is: the edition's data (exit 1), its configuration (exit 2), or the machine
# the build runs on: tools, disk, workers (`edition build` exits 1, `edition deposit` 2).
Cause = Literal["data", "config", "environment"]


@dataclass(frozen=True)
class WriterResult:
    """What a writer did, with the diagnostics it found (warnings also when it built)."""

    status: Status
    diagnostics: list[Diagnostic] = field(default_factory=list)
    cause: Cause | None = None  # for a failure

    @classmethod
    def built(cls, diagnostics: list[Diagnostic] = ()) -> "WriterResult":
        return cls("built", list(diagnostics))

    @classmethod
    def failed(cls, cause: Cause, diagnostics: list[Diagnostic]) -> "WriterResult":
        return cls("failed", list(diagnostics), cause)

    @classmethod
    def skipped(cls, diagnostics: list[Diagnostic] = ()) -> "WriterResult":
        return cls("skipped", list(diagnostics))


@dataclass
class BuildContext:
    config: Config
    corpus: Corpus
    index: Index
    jobs: int = 1
    keep_going: bool = False
    source_errors: int = 0  # errors validation found (non-zero only in a --keep-going build)
    log: Callable[[str], None] = print
    options: dict = field(default_factory=dict)
    executor: str = "local"   # where per-document work runs: "local" (process pool) or "dask"
    scheduler: object = None  # the Dask scheduler address (or a distributed.Client)
    incremental: bool = False  # reuse results of the last build whose inputs did not change (build() sets it)


def load_writer(name: str) -> ModuleType | None:
    """The writer module for `name`, or None when this version has none."""
    module = f"tei_edition.writers.{name}"
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise
