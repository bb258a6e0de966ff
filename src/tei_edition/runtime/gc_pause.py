"""Building large structures without Python's cyclic garbage collector looking on."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large structure is built.

    The collector runs every few hundred new objects, and its full passes scan every object
    there is. Loading the cached facts of a corpus and building its index make millions of
    objects that are all kept, so those passes find nothing and cost more as the heap grows:
    at 10,000 documents they were half of the time of both (index 5.4 s → 2.5 s, facts 2.3 s
    → 0.9 s). Objects that are dropped are still freed at once (reference counting); the
    collector runs again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
