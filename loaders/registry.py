"""Every loader, by format name, and `--format auto`: which loader a file is for, and how sure.

Each loader class sniffs a file's name and first 64 KiB and says how sure it is (0 to 1); the
surest wins if it is at least `MIN_CONFIDENCE`, and the choice is reported with its confidence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from graph.exc import LoadError
from loaders.bare_case import BareCaseLoader
from loaders.base import Loader
from loaders.cknabs import CknabsPostsLoader, CknabsPublicationsLoader
from loaders.claimreview import ClaimReviewLoader
from loaders.euvsdisinfo_page import EuvsdisinfoPageLoader
from loaders.kalkun import KalkunLoader
from loaders.mapping import MappingLoader
from loaders.news import NewsArticleLoader

MIN_CONFIDENCE: Final = 0.5
HEAD_BYTES: Final = 64 * 1024

_BUILT_IN: Final[tuple[type[Loader], ...]] = (
    EuvsdisinfoPageLoader,
    BareCaseLoader,
    NewsArticleLoader,
    CknabsPostsLoader,
    CknabsPublicationsLoader,
    KalkunLoader,
    ClaimReviewLoader,
    MappingLoader,
)


def loader_classes() -> list[type[Loader]]:
    """Every loader class, the text-document loaders first."""
    return list(_BUILT_IN)


def formats() -> dict[str, type[Loader]]:
    """Format name → loader class."""
    return {cls.format: cls for cls in loader_classes()}


def read_head(path: Path) -> str:
    """The start of a file as text; raises `LoadError` for an empty or unreadable file."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}", file=str(path)) from exc
    if not raw.strip():
        raise LoadError("file is empty", file=str(path))
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


def detect(path: Path) -> tuple[type[Loader], float]:
    """The loader class surest it reads this file, and how sure; `LoadError` if none is sure enough."""
    head = read_head(path)
    scored = sorted(
        ((cls.sniff(path, head), cls.format, cls) for cls in loader_classes()),
        reverse=True,
        key=lambda t: (t[0], t[1]),
    )
    score, _, best = scored[0]
    if score < MIN_CONFIDENCE:
        names = ", ".join(sorted(formats()))
        raise LoadError(f"format not recognised; name it with --format (one of: {names})", file=str(path))
    return best, score


def instantiate(cls: type[Loader], mapping: Path | None) -> Loader:
    """A loader object; the mapping-driven loader is handed its mapping file."""
    if issubclass(cls, MappingLoader):
        if mapping is None:
            raise LoadError("the mapping format needs --mapping FILE")
        return MappingLoader(mapping)
    return cls()


def choose_loader(path: Path, fmt: str = "auto", mapping: Path | None = None) -> tuple[Loader, str]:
    """The loader for a file and how it was chosen ("auto, 0.95" or "--format")."""
    read_head(path)  # an empty file is an error whatever the format
    if fmt == "auto" and mapping is not None:
        fmt = "mapping"
    if fmt != "auto":
        known = formats()
        if fmt not in known:
            raise LoadError(f"unknown format {fmt!r} (one of: auto, {', '.join(sorted(known))})")
        return instantiate(known[fmt], mapping), "--format"
    cls, score = detect(path)
    return instantiate(cls, mapping), f"auto, {score:.2f}"
