"""Publishing an output folder whole: assemble a new version beside it, then swap the two.

A build killed at any moment leaves the old folder or the new one, never neither: the swap is
one atomic exchange where Linux offers it (renameat2), elsewhere two renames whose gap the
output lock's clean-up repairs (runtime.lock). runtime.site_update builds on these for a
rebuild that changes a few files of a large folder.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


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


def link_or_copy_file(source: Path | str, target: Path | str) -> None:
    """Hard-link `source` as `target` (a copy where links are not possible, e.g. across file
    systems); FileNotFoundError when `source` is missing."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        if not os.path.isfile(source):
            raise
        os.makedirs(os.path.dirname(os.fspath(target)), exist_ok=True)  # a folder the caller did not make
        shutil.copyfile(source, target)
    except OSError:
        shutil.copyfile(source, target)
