"""Freed memory given back to the system between the build's phases.

The phases of a build make large short-lived structures in the main process (the rendered
pages passing through, the linked data's triples and their two serialisations, the site files'
bodies). Python frees them, but the C allocator (glibc's malloc) keeps most of the freed heap for
later use, so the process's resident memory stays at its highest point while the next phases,
and the Pagefind processes at the end, add theirs: at 2,000 documents some 170 MB of the main
process's 450 MB after the linked data was such freed memory. `release()` asks the allocator to
return it (malloc_trim); elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def _trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim  # glibc only (musl has none)
    except (OSError, AttributeError):
        return None


def release() -> None:
    """Return the freed heap of this process to the system, where the allocator can."""
    trim = _trim()
    if trim is not None:
        trim(0)
