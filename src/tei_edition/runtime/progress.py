"""A progress bar for long builds (rich), shown only to a person watching a terminal.

When stdout is not a terminal (a log file, CI, a test) nothing is drawn, so logs stay clean.
Short phases draw nothing either: the bar appears only from `SHOW_FROM` items.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

SHOW_FROM = 200


class _Silent:
    def advance(self, n: int = 1) -> None:
        pass


class _Bar:
    def __init__(self, progress, task):
        self._progress, self._task = progress, task

    def advance(self, n: int = 1) -> None:
        self._progress.advance(self._task, n)


def on_terminal() -> bool:
    return sys.stdout.isatty()


@contextmanager
def progress(label: str, total: int) -> Iterator[_Silent | _Bar]:
    """`with progress("html pages", n) as bar: ... bar.advance()`"""
    if total < SHOW_FROM or not on_terminal():
        yield _Silent()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True) as bar:
        yield _Bar(bar, bar.add_task(label, total=total))
