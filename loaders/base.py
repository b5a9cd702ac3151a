"""What every loader is: a format that recognises its files and yields records lazily.

A `Record` is what one row, line, block or JSON object contributes: its nodes and edges, plus the
claims it refers to only in words ("such as claims that …"), which the runner resolves against the
graph. A record is written whole or not at all; a bad one becomes a `Rejection` and the load goes on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from graph.exc import InvalidInputError
from graph.model import Edge, Node, Source


@dataclass(slots=True)
class Reference:
    """A claim another claim's case names only in words, to be matched to a known claim or stubbed."""

    text: str  # the referenced claim, as the sentence words it
    from_claim: str  # id of the claim whose case makes the reference
    evidence: str  # the sentence the reference comes from
    source: Source


@dataclass(slots=True)
class Record:
    """What one unit of input (row, line, block, JSON object) contributes to the graph."""

    locator: str  # "line 12", "row 3", "/@graph/2": where in the file it came from
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things the loader wants the user told


@dataclass(slots=True)
class Rejection:
    """A unit of input that could not be loaded, and why."""

    file: str
    line: int | None
    reason: str
    raw: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.reason}"


class Loader(ABC):
    """One input format."""

    format: ClassVar[str]  # the name `--format` takes
    dataset: ClassVar[str]  # the provenance dataset name its records carry by default
    description: ClassVar[str]

    @classmethod
    @abstractmethod
    def sniff(cls, path: Path, head: str) -> float:
        """How sure (0 to 1) this loader is that a file is in its format, from its name and first 64 KiB."""

    @abstractmethod
    def read(self, path: Path) -> Iterator[Record | Rejection]:
        """The file's records, lazily, with a `Rejection` for each unit that cannot be loaded."""


def guarded(
    file: str, line: int | None, build: Callable[..., Record | Rejection], *args: Any
) -> Record | Rejection:
    """The record `build` makes, or a `Rejection` when a value in it cannot be used (a keyword or name
    with nothing to key it on): one bad row never ends the load of the others."""
    try:
        return build(*args)
    except InvalidInputError as exc:
        return Rejection(file, line, str(exc))
