"""The embedded store's data directory: `graph.json`, written atomically, and a lock file.

A write goes to a temporary file in the same directory, is flushed to disk, then renamed over
`graph.json`, so a reader sees the old graph or the new one, never half of one. Processes that
write the same directory take turns through `flock` on `.lock`.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from graph.exc import StoreUnavailableError

FILE_NAME = "graph.json"
Stamp = tuple[int, int]


def stamp(path: Path) -> Stamp | None:
    """When and how big the file was last written (None: there is none yet)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


def read(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise StoreUnavailableError(f"cannot read {path}: {exc}") from exc


def write(path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".graph-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Holds the directory's lock file exclusively."""
    fd = os.open(directory / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
