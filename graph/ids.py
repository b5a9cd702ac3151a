"""Deterministic ids from natural keys.

An id is `<label prefix>:<key>`: readable where the key is a code (`country:UA`), a short hash of the
normalised natural key elsewhere (`claim:3f2a…`). The same key always gives the same id, so a re-load
updates instead of duplicating; no key, no id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from graph.exc import InvalidIdError
from graph.ontology import NODE_SPECS, EdgeType, NodeLabel

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "`": "'"})
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")
_PREFIX = {label: spec.id_prefix for label, spec in NODE_SPECS.items()}


_CACHED_LENGTH = 256  # keys (names, titles, dates) repeat across rows; long texts rarely do


def normalise(text: str) -> str:
    """Casefolded, NFKC, quotes unified, white space collapsed: the form natural keys compare in."""
    if len(text) <= _CACHED_LENGTH:
        return _normalise_key(text)
    return _normalise(text)


@lru_cache(maxsize=65536)
def _normalise_key(text: str) -> str:
    return _normalise(text)


def _normalise(text: str) -> str:
    if text.isascii():
        # NFKC leaves ASCII as it is and the only ASCII quote to unify is the backtick; `split()`
        # and `strip()` know the same white space as the pattern's `\s`.
        return " ".join(text.replace("`", "'").split()).casefold()
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().casefold()


def digest(*parts: str) -> str:
    """A short stable hash of the parts (their order matters)."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=10).hexdigest()


def make_id(label: NodeLabel, *keys: str | None) -> str:
    """The id of a node from its natural key parts (normalised before hashing)."""
    parts = [part for k in keys if k is not None and (part := normalise(k))]
    if not parts:
        raise InvalidIdError(f"a {label.value} needs a natural key, got none")
    return f"{_PREFIX[label]}:{digest(*parts)}"


def code_id(label: NodeLabel, code: str) -> str:
    """The id of a node whose natural key is already a code (`country:UA`, `country:SUHH`)."""
    code = code.strip().upper()
    if not _CODE.match(code):
        raise InvalidIdError(f"not a code: {code!r}")
    return f"{_PREFIX[label]}:{code}"


@lru_cache(maxsize=1 << 17)  # Neo4j reads build their edges afresh each time: hash each one once
def edge_id(edge_type: EdgeType, source: str, target: str) -> str:
    """The id of an edge: one per type and (ordered) pair of endpoints."""
    return f"{edge_type.value.lower()}:{digest(source, target)}"
