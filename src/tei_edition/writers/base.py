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

import ctypes
import errno
import importlib
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable, Iterator, Literal

from tei_edition.config import Config
from tei_edition.diagnostics import Diagnostic
from tei_edition.model.corpus import Corpus
from tei_edition.model.index import Index

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


@contextmanager
def atomic_output(final: Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside `final`; on success it replaces `final` whole.

    On any exception the temporary folder is removed and `final` is left as it was. The
    replacement is one atomic exchange of the two folders where the system offers it (Linux
    renameat2), so a build killed at any moment leaves either the old or the new folder in
    place, never neither; elsewhere two renames, whose gap `output_lock.clean_debris` repairs.
    """
    final = published_folder(final)
    tmp = staging_folder(final)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    replace_whole(tmp, final)


def published_folder(final: Path) -> Path:
    """The folder an output is published in (a symlink, e.g. output/html linked to a web
    server's folder: what it points to), its parent made."""
    final = Path(final)
    if final.is_symlink():
        final = final.resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    return final


def staging_folder(final: Path) -> Path:
    """A new empty folder beside `final` to assemble its next version in."""
    tmp = final.parent / f".{final.name}.staging-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    return tmp


def replace_whole(tmp: Path, final: Path) -> None:
    """Put the folder `tmp` in the place of `final` (see atomic_output)."""
    old = final.parent / f".{final.name}.previous-{os.getpid()}"
    if final.exists() and _exchange(tmp, final):
        tmp.rename(old)  # tmp now holds the previous contents
    else:
        if final.exists():
            final.rename(old)
        try:
            tmp.rename(final)
        except OSError:
            if old.exists() and not final.exists():
                old.rename(final)  # the previous folder goes back where it was
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if _renameat2 is None:
        return False
    if _renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # the file system cannot: fall back
        return False
    raise OSError(err, os.strerror(err), str(b))


AT_FDCWD, RENAME_EXCHANGE = -100, 2


def _load_renameat2():
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not Linux, or a C library without it
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_renameat2 = _load_renameat2()
