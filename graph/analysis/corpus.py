"""The claims as the analyses see them: one record per claim with its text and its context.

Read once from any `GraphStore` with `iter_nodes` / `iter_edges`, so every analysis works the same
on the memory store and on Neo4j.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.analysis.text import claim_document
from graph.ontology import ActorKind, EdgeType, NodeLabel
from graph.store import GraphStore


@dataclass(slots=True)
class ClaimRecord:
    """One claim: its id, title, the text compared, when it appeared and where."""

    id: str
    title: str
    document: str
    date: str | None = None
    languages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # country names
    outlets: tuple[str, ...] = ()  # outlet names
    narratives: tuple[str, ...] = ()  # narrative ids the claim is PART_OF


@dataclass(slots=True)
class ClaimCorpus:
    """Every claim with text, in id order, and where each id sits."""

    claims: list[ClaimRecord]
    index: dict[str, int] = field(default_factory=dict)
    narrative_names: dict[str, str] = field(default_factory=dict)
    narrative_kinds: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.index:
            self.index = {c.id: i for i, c in enumerate(self.claims)}

    def __len__(self) -> int:
        return len(self.claims)

    @property
    def documents(self) -> list[str]:
        return [c.document for c in self.claims]

    @classmethod
    def from_store(cls, store: GraphStore, *, context: bool = True) -> ClaimCorpus:
        """The claims of a store; with `context`, their countries, outlets and narratives too."""
        claims = []
        for node in store.iter_nodes(NodeLabel.CLAIM):
            document = claim_document(node.properties)
            if not document:
                continue
            date = node.get("date")
            claims.append(
                ClaimRecord(
                    id=node.id,
                    title=str(node.get("title", "")),
                    document=document,
                    date=str(date)[:10] if date else None,
                    languages=tuple(_strings(node.get("languages"))),
                )
            )
        corpus = cls(claims)
        if context:
            corpus._add_context(store)
        return corpus

    def _add_context(self, store: GraphStore) -> None:
        names: dict[str, str] = {}
        outlets: set[str] = set()
        for label in (NodeLabel.COUNTRY, NodeLabel.ACTOR, NodeLabel.NARRATIVE):
            for node in store.iter_nodes(label):
                names[node.id] = str(node.get("name", node.id))
                if label is NodeLabel.ACTOR and node.get("kind") == ActorKind.OUTLET.value:
                    outlets.add(node.id)
                if label is NodeLabel.NARRATIVE:
                    self.narrative_names[node.id] = names[node.id]
                    self.narrative_kinds[node.id] = str(node.get("kind", ""))
        linked: dict[EdgeType, dict[str, list[str]]] = {t: defaultdict(list) for t in _CONTEXT_EDGES}
        for etype in _CONTEXT_EDGES:
            for edge in store.iter_edges(etype):
                if edge.source in self.index:
                    linked[etype][edge.source].append(edge.target)
        for claim in self.claims:
            claim.countries = tuple(sorted(names.get(t, t) for t in linked[EdgeType.CONCERNS][claim.id]))
            claim.outlets = tuple(
                sorted(names.get(t, t) for t in linked[EdgeType.PUBLISHED_BY][claim.id] if t in outlets)
            )
            claim.narratives = tuple(sorted(linked[EdgeType.PART_OF][claim.id]))


_CONTEXT_EDGES = (EdgeType.CONCERNS, EdgeType.PUBLISHED_BY, EdgeType.PART_OF)


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []
