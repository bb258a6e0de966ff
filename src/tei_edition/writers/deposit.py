"""The deposit writer: `edition build` (or `--only deposit`) also makes the deposit package."""

from __future__ import annotations

from ..deposit import package
from ..diagnostics import Diagnostic, display_path
from . import BuildContext


def write(ctx: BuildContext) -> list[Diagnostic]:
    if ctx.keep_going:
        # The writer is not told whether the sources had errors; an archival package must not
        # carry invalid TEI, so --keep-going builds everything but the package.
        return [Diagnostic(display_path(ctx.config.path), 1, 1, "warning",
                           "deposit package not built: --keep-going may let sources with errors through",
                           "deposit-keep-going", "build without --keep-going, or run `edition deposit`")]
    return package(ctx)
