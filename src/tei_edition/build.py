"""`edition build`, top to bottom: load → index → validate → writers."""

from __future__ import annotations

from typing import Callable, Iterable

from .config import Config
from .diagnostics import Diagnostic, format_text
from .validate import validate
from .writers import WRITER_NAMES, BuildContext, load_writer


def build(config: Config, only: Iterable[str] = (), jobs: int = 1, keep_going: bool = False,
          strict: bool = False, log: Callable[[str], None] = print) -> int:
    """Build the edition's outputs; return the exit code (0 ok, 1 problems in the data)."""
    validation = validate(config)
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
                       source_errors=len(errors), log=log)
    written: list[str] = []
    missing: list[str] = []
    writer_problems: list[Diagnostic] = []
    for name in only or WRITER_NAMES:
        writer = load_writer(name)
        if writer is None:
            missing.append(name)
            continue
        writer_problems += writer.write(ctx)
        written.append(name)
    if writer_problems:
        log(format_text(writer_problems))
    if written:
        log(f"built: {', '.join(written)} → {config.output}")
    if missing:
        log(f"not built: {', '.join(missing)} (this version of the pipeline has no writer for "
            f"{'it' if len(missing) == 1 else 'them'} yet)")
    failed = any(d.severity == "error" for d in writer_problems) or (strict and writer_problems)
    return 1 if (errors or failed) else 0
