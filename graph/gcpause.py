"""Keeping Python's cyclic garbage collector off a graph's worth of objects.

A load, or reading and writing the embedded store's file, allocates millions of small objects and
keeps most of them: the collector would walk that growing heap again and again, for longer than the
work itself. Reference counting still frees what is dropped; the few cycles go once the pause ends.
A server keeps its graph and indexes for its whole life: `settle` takes them out of the collector's
sight for good, or every full collection walks them again (a 60-400 ms pause in some request).
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


def settle() -> None:
    """Everything alive now is kept out of the cyclic collector's sight from now on: for what lives
    as long as the process (a served graph and its indexes). Reference counting still frees it."""
    gc.freeze()
