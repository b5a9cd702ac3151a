"""The claims as the analyses see them: one record per claim with its text and its context.

Read once from any `GraphStore` with `iter_nodes` / `iter_edges` (or, for a few claims, with
`get_nodes` / `adjacent`), so every analysis works the same on the memory store and on Neo4j.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.analysis.text import claim_document
from graph.model import Edge, Node
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
        corpus = cls([r for node in store.iter_nodes(NodeLabel.CLAIM) if (r := _record(node)) is not None])
        if context:
            # Streamed: the context edges of a whole store are tens of thousands.
            nodes = (n for label in _CONTEXT_LABELS for n in store.iter_nodes(label))
            corpus._link(nodes, (e for etype in _CONTEXT_EDGES for e in store.iter_edges(etype)))
        return corpus

    @classmethod
    def of_claims(cls, store: GraphStore, ids: Iterable[str]) -> ClaimCorpus:
        """The records `from_store` makes for these claims (those with text), context included,
        from reads of what they touch alone: a narrative's few hundred claims, not the whole store."""
        nodes = store.get_nodes(sorted(set(ids)))
        corpus = cls([r for n in nodes if n.label is NodeLabel.CLAIM and (r := _record(n)) is not None])
        edges = store.adjacent([c.id for c in corpus.claims], _CONTEXT_EDGES) if corpus.claims else []
        linked = [e for e in edges if e.source in corpus.index]
        corpus._link(store.get_nodes(sorted({e.target for e in linked})), linked)
        return corpus

    def _link(self, context: Iterable[Node], edges: Iterable[Edge]) -> None:
        """Fills each claim's countries, outlets and narratives from the `edges` leaving it, named
        by the `context` nodes (countries, actors and narratives)."""
        names: dict[str, str] = {}
        outlets: set[str] = set()
        for node in context:
            names[node.id] = str(node.get("name", node.id))
            if node.label is NodeLabel.ACTOR and node.get("kind") == ActorKind.OUTLET.value:
                outlets.add(node.id)
            if node.label is NodeLabel.NARRATIVE:
                self.narrative_names[node.id] = names[node.id]
                self.narrative_kinds[node.id] = str(node.get("kind", ""))
        linked: dict[EdgeType, dict[str, list[str]]] = {t: defaultdict(list) for t in _CONTEXT_EDGES}
        for edge in edges:
            if edge.source in self.index and edge.type in linked:
                linked[edge.type][edge.source].append(edge.target)
        for claim in self.claims:
            claim.countries = tuple(sorted(names.get(t, t) for t in linked[EdgeType.CONCERNS][claim.id]))
            claim.outlets = tuple(
                sorted(names.get(t, t) for t in linked[EdgeType.PUBLISHED_BY][claim.id] if t in outlets)
            )
            claim.narratives = tuple(sorted(linked[EdgeType.PART_OF][claim.id]))


def _record(node: Node) -> ClaimRecord | None:
    """A claim's record without its context, or None for a claim with no text to compare."""
    document = claim_document(node.properties)
    if not document:
        return None
    date = node.get("date")
    return ClaimRecord(
        id=node.id,
        title=str(node.get("title", "")),
        document=document,
        date=str(date)[:10] if date else None,
        languages=tuple(_strings(node.get("languages"))),
    )


_CONTEXT_LABELS = (NodeLabel.COUNTRY, NodeLabel.ACTOR, NodeLabel.NARRATIVE)
_CONTEXT_EDGES = (EdgeType.CONCERNS, EdgeType.PUBLISHED_BY, EdgeType.PART_OF)


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []
