"""The embedded store's full-text index: which nodes hold each word of their searched properties.

Both stores split text into words the same way (`tokens`): `Neo4jStore` keeps the words of each
text property in a field its full-text index reads, `MemoryStore` keeps a `WordIndex`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from graph.ontology import NODE_SPECS, NodeLabel

_WORD = re.compile(r"\w+")
_TEXT_PROPERTIES = {label: spec.text_properties for label, spec in NODE_SPECS.items()}


def tokens(text: str) -> set[str]:
    """The words a full-text query matches on: lower-cased runs of letters and digits."""
    return set(_WORD.findall(text.casefold()))


def text_tokens(label: NodeLabel, props: Mapping[str, Any]) -> set[str]:
    """The words of a node's searched properties."""
    out: set[str] = set()
    for key in _TEXT_PROPERTIES[label]:
        value = props.get(key)
        if isinstance(value, str):
            out |= tokens(value)
    return out


def text_changed(label: NodeLabel, old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether a searched property differs between two versions of a node's properties."""
    return any(old.get(key) != new.get(key) for key in _TEXT_PROPERTIES[label])


class WordIndex:
    """Word -> ids of the nodes whose searched properties hold it.

    A load or a re-read of the data file adds thousands of nodes: those are only marked `pending`,
    and the first query indexes them all at once from their properties as they are by then.
    """

    def __init__(self) -> None:
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._node_words: dict[str, set[str]] = {}
        self.pending: set[str] = set()

    def postings(self, nodes: Mapping[str, Mapping[str, Any]]) -> dict[str, set[str]]:
        """The complete postings; `nodes` maps id -> `{"label", "props"}` for the pending ones."""
        if self.pending:
            pending, self.pending = self.pending, set()
            for node_id in pending:
                d = nodes.get(node_id)
                if d is None:
                    continue
                words = text_tokens(d["label"], d["props"])
                if words:
                    for word in words:
                        self._postings[word].add(node_id)
                    self._node_words[node_id] = words
        return self._postings

    def update(self, node_id: str, words: Iterable[str]) -> None:
        """Sets a node's words (none: the node leaves the index). A pending node waits its turn."""
        if node_id in self.pending:
            return
        new = set(words)
        old = self._node_words.get(node_id, set())
        if old == new:
            return
        for word in old - new:
            ids = self._postings[word]
            ids.discard(node_id)
            if not ids:
                del self._postings[word]
        for word in new - old:
            self._postings[word].add(node_id)
        if new:
            self._node_words[node_id] = new
        else:
            self._node_words.pop(node_id, None)

    def drop(self, node_id: str) -> None:
        self.update(node_id, ())
        self.pending.discard(node_id)
