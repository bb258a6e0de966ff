"""One build at a time per output folder, and no debris from a build that was killed.

`edition build`, `edition deposit` and `edition serve` hold an exclusive lock on
`<output>/.lock` while they write. The lock is the kernel's (flock), so it ends with the
process that holds it, however that process ends: a build killed with SIGKILL leaves no stale
lock behind. A second build that finds the lock taken stops at once with a message instead of
waiting or writing into the same folders.

While holding the lock, the staging folders of an interrupted build (see
`writers.atomic_output`) are cleaned up: a folder being replaced is put back if the build was
killed between the two renames of the fallback swap, and unfinished staging folders are removed.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tei_edition.runtime.site_update import finish_commit

LOCK_NAME = ".lock"
# atomic_output's temporary names: .<name>.staging-<pid> and .<name>.previous-<pid>;
# updated_output's journal of a commit in progress: .<name>.commit-<pid>
DEBRIS = re.compile(r"^\.(?P<name>.+)\.(?P<kind>staging|previous|commit)-\d+$")


class OutputBusy(Exception):
    """Another process holds the output folder."""


@contextmanager
def hold(output: Path) -> Iterator[None]:
    """Hold `output`'s lock for the duration; raise OutputBusy when another process has it."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    fd = os.open(output / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            raise OutputBusy(f"{output} is in use by another edition build or deposit ({holder}); "
                             "wait for it to finish (or stop it), then run this again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode("ascii"), 0)
        clean_debris(output)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def clean_debris(output: Path) -> list[str]:
    """Undo what an interrupted build left in `output` and `output/html`; return what was done."""
    done = []
    for parent in (output, output / "html"):
        if not parent.is_dir():
            continue
        for journal in sorted(parent.glob(".*.commit-*")):  # first: they need their staging folders
            if DEBRIS.match(journal.name):
                finish_commit(journal)
                done.append(f"finished the update of {parent / DEBRIS.match(journal.name)['name']}")
        for entry in sorted(parent.iterdir()):
            m = DEBRIS.match(entry.name)
            if not m:
                continue
            final = parent / m["name"]
            if m["kind"] == "previous" and not final.exists() and not final.is_symlink() and entry.is_dir():
                entry.rename(final)  # killed between the two renames: the old folder goes back
                done.append(f"restored {final}")
            else:
                _remove(entry)
                done.append(f"removed {entry}")
    for tmp in sorted((output / ".cache").glob("*.tmp-*")):  # a cache file being written when killed
        _remove(tmp)
        done.append(f"removed {tmp}")
    return done


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        entry.unlink(missing_ok=True)
