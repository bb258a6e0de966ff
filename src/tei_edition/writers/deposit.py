"""The deposit writer: `edition build` (or `--only deposit`) also makes the deposit package."""

from __future__ import annotations

from ..deposit import package
from ..diagnostics import Diagnostic
from . import BuildContext


def write(ctx: BuildContext) -> list[Diagnostic]:
    return package(ctx)
