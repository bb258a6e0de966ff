"""runtime/memory.py: blocks from MMAP_FROM up are mapped apart from the heap (glibc)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tei_edition.runtime import memory

PROBE = """
import ctypes
from tei_edition.runtime import memory
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
if {apart}:
    memory.large_blocks_apart()
before = libc.mallinfo2().hblks
block = bytearray(100 * 1024)  # above MMAP_FROM, below glibc's first threshold (128 KiB)
print(libc.mallinfo2().hblks - before)
"""


@pytest.mark.skipif(memory._libc() is None or not hasattr(memory._libc(), "mallinfo2"), reason="glibc only")
def test_large_blocks_are_mapped_apart_from_the_heap():
    def mapped(apart: bool) -> int:
        out = subprocess.run([sys.executable, "-c", PROBE.format(apart=apart)], capture_output=True, text=True,
                             check=True)
        return int(out.stdout)

    assert mapped(False) == 0  # glibc's own threshold: from the heap
    assert mapped(True) == 1


def test_release_and_large_blocks_apart_never_fail():
    memory.large_blocks_apart()
    memory.release()
