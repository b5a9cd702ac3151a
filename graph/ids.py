"""Deterministic ids from natural keys.

An id is `<label prefix>:<key>`: readable where the key is a code (`country:UA`), a short hash of the
normalised natural key elsewhere (`claim:3f2a…`). The same key always gives the same id, so a re-load
updates instead of duplicating; no key, no id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from graph.exc import InvalidIdError
from graph.ontology import NODE_SPECS, EdgeType, NodeLabel

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "`": "'"})
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")


def normalise(text: str) -> str:
    """Casefolded, NFKC, quotes unified, white space collapsed: the form natural keys compare in."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().casefold()


def digest(*parts: str) -> str:
    """A short stable hash of the parts (their order matters)."""
    joined = "\x1f".join(parts)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=10).hexdigest()


def make_id(label: NodeLabel, *keys: str | None) -> str:
    """The id of a node from its natural key parts (normalised before hashing)."""
    parts = [normalise(k) for k in keys if k is not None and normalise(k)]
    if not parts:
        raise InvalidIdError(f"a {label.value} needs a natural key, got none")
    return f"{NODE_SPECS[label].id_prefix}:{digest(*parts)}"


def code_id(label: NodeLabel, code: str) -> str:
    """The id of a node whose natural key is already a code (`country:UA`, `country:SUHH`)."""
    code = code.strip().upper()
    if not _CODE.match(code):
        raise InvalidIdError(f"not a code: {code!r}")
    return f"{NODE_SPECS[label].id_prefix}:{code}"


def edge_id(edge_type: EdgeType, source: str, target: str) -> str:
    """The id of an edge: one per type and (ordered) pair of endpoints."""
    return f"{edge_type.value.lower()}:{digest(source, target)}"
