"""The deposit writer: `edition build` (or `--only deposit`) also makes the deposit package."""

from __future__ import annotations

from tei_edition.writers.deposit.package import package
from tei_edition.diagnostics import Diagnostic, display_path
from tei_edition.writers.base import BuildContext, WriterResult


def write(ctx: BuildContext) -> WriterResult:
    if ctx.source_errors:
        # An archival package must not carry invalid TEI: a --keep-going build over sources
        # with errors builds everything but the package.
        return WriterResult.skipped([Diagnostic(display_path(ctx.config.path), 1, 1, "warning",
                           f"deposit package not built: the sources have {ctx.source_errors} error(s)"
                           " (a package from an earlier build, if any, is left as it was)",
                           "deposit-keep-going", "fix the errors `edition validate` reports, then build again")])
    return package(ctx)
