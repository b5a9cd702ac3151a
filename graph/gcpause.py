"""Pausing Python's cyclic garbage collector while a graph's worth of objects is made or kept.

A load, or reading and writing the embedded store's file, allocates millions of small objects and
keeps most of them: the collector would walk that growing heap again and again, for longer than the
work itself. Reference counting still frees what is dropped; the few cycles go once the pause ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The collector off for the block, then back on. Process-wide: nested or concurrent pauses leave
    it off until the outermost one ends, and never off for good."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
