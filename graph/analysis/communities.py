"""Discovered narratives: communities of the similarity graph.

The SIMILAR_TO links (any method, rejected ones left out, weighted by score) are split into
communities by NetworkX's Louvain method with a fixed seed, so a re-run on the same graph gives the
same narratives. Each community of at least `MIN_SIZE` claims becomes a `Narrative` of kind
`cluster`, named by its most distinctive words, its claims `PART_OF` it, and `SUBNARRATIVE_OF`
the editorial (else keyword) narrative most of its claims feed. A re-run replaces the previous
discovered narratives.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.analysis.corpus import ClaimCorpus
from graph.analysis.embedders import LexicalEmbedder
from graph.ids import make_id
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NarrativeKind, NodeLabel, Verdict
from graph.settings import Settings
from graph.store import GraphStore

SEED = 20240601
MIN_SIZE = 5
TERMS = 6
NAME_TERMS = 3
MIN_SHARE = 0.2  # a parent narrative must be fed by at least this share of the cluster's claims
PROVENANCE_FILE = "communities"
PROVENANCE = Source("computed", PROVENANCE_FILE, "louvain")


@dataclass(slots=True)
class DiscoveredNarrative:
    """One community of similar claims."""

    id: str
    name: str
    terms: list[str]
    claim_ids: list[str]
    parent: str | None = None
    parent_share: float = 0.0


@dataclass(slots=True)
class DiscoveryReport:
    """What one discovery run found and wrote."""

    claims_linked: int = 0
    communities: int = 0
    narratives: list[DiscoveredNarrative] = field(default_factory=list)
    removed: int = 0
    seconds: float = 0.0


def similarity_graph(store: GraphStore) -> nx.Graph:
    """Claims joined by their SIMILAR_TO links, weighted by score; rejected links left out."""
    graph = nx.Graph()
    for edge in store.iter_edges(EdgeType.SIMILAR_TO):
        if edge.properties.get("verdict") == Verdict.REJECTED.value:
            continue
        weight = float(edge.properties.get("score", 0.0) or 0.0)
        if weight > 0:
            graph.add_edge(edge.source, edge.target, weight=weight)
    return graph


def communities(graph: nx.Graph, min_size: int = MIN_SIZE) -> list[list[str]]:
    """Louvain communities with a fixed seed, the largest first, each sorted, small ones left out."""
    if graph.number_of_edges() == 0:
        return []
    # Louvain visits nodes in graph order; a graph built in sorted order makes the seed enough.
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_weighted_edges_from(
        sorted((min(u, v), max(u, v), d["weight"]) for u, v, d in graph.edges(data=True))
    )
    found = nx.community.louvain_communities(ordered, weight="weight", seed=SEED)
    groups = [sorted(c) for c in found if len(c) >= min_size]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def distinctive_terms(corpus: ClaimCorpus, groups: list[list[str]], n: int = TERMS) -> list[list[str]]:
    """Each group's words that weigh most in it compared with the whole corpus (class TF-IDF)."""
    embedder = LexicalEmbedder(word_weight=1.0)
    words = embedder.word_block(embedder.fit_embed(corpus.documents))
    terms = embedder.terms()
    overall = np.asarray(words.mean(axis=0)).ravel()
    out: list[list[str]] = []
    for group in groups:
        rows = [corpus.index[i] for i in group if i in corpus.index]
        if not rows:
            out.append([])
            continue
        block = sp.csr_matrix(words[rows])
        inside = np.asarray(block.mean(axis=0)).ravel()
        presence = np.asarray((block > 0).sum(axis=0)).ravel() / len(rows)
        # Weight by how much more the group uses a word than the corpus does, and by how many of
        # its claims use it, so one long claim's words do not name the whole group.
        score = (inside - overall) * presence
        best = [int(i) for i in np.argsort(-score, kind="stable")[: n * 3] if score[i] > 0]
        chosen: list[str] = []
        for i in best:
            term = str(terms[i])
            # Skip a word already inside a chosen pair, or a pair whose words are both chosen.
            if any(term in c.split() for c in chosen) or all(t in chosen for t in term.split()):
                continue
            chosen.append(term)
            if len(chosen) == n:
                break
        out.append(chosen)
    return out


def _parent(corpus: ClaimCorpus, group: list[str]) -> tuple[str | None, float]:
    for kind in (NarrativeKind.EDITORIAL.value, NarrativeKind.KEYWORD.value):
        votes: Counter[str] = Counter()
        for claim_id in group:
            if claim_id in corpus.index:
                claim = corpus.claims[corpus.index[claim_id]]
                votes.update(n for n in claim.narratives if corpus.narrative_kinds.get(n) == kind)
        if votes:
            best, count = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
            share = count / len(group)
            if share >= MIN_SHARE:
                return best, round(share, 3)
    return None, 0.0


def discover(store: GraphStore, min_size: int = MIN_SIZE) -> list[DiscoveredNarrative]:
    """The discovered narratives of the store's current similarity graph, without writing them."""
    corpus = ClaimCorpus.from_store(store)
    # Previous discoveries must not vote for themselves as parents.
    for narrative_id, kind in list(corpus.narrative_kinds.items()):
        if kind == NarrativeKind.CLUSTER.value:
            del corpus.narrative_kinds[narrative_id]
    groups = [g for g in communities(similarity_graph(store), min_size) if len(g) >= min_size]
    if not groups:
        return []
    found = []
    used: set[str] = set()
    for group, terms in zip(groups, distinctive_terms(corpus, groups), strict=True):
        key = make_id(NodeLabel.NARRATIVE, "cluster", *sorted(terms[:NAME_TERMS]))
        if key in used or not terms:
            key = make_id(NodeLabel.NARRATIVE, "cluster", *sorted(terms[:NAME_TERMS]), group[0])
        used.add(key)
        name = " / ".join(terms[:NAME_TERMS]) if terms else f"cluster of {len(group)} claims"
        parent, share = _parent(corpus, group)
        found.append(DiscoveredNarrative(key, name, terms, group, parent, share))
    return found


def discover_narratives(store: GraphStore, settings: Settings, min_size: int = MIN_SIZE) -> DiscoveryReport:
    """Discovers narratives and writes them, replacing those of the previous run."""
    del settings  # the seed and sizes are fixed so that re-runs agree; kept for a uniform signature
    began = time.perf_counter()
    found = discover(store, min_size)
    report = DiscoveryReport(communities=len(found), narratives=found)
    report.claims_linked = sum(len(n.claim_ids) for n in found)
    with store.bulk():
        report.removed = store.remove_source(PROVENANCE.dataset, PROVENANCE_FILE).nodes_removed
        for narrative in found:
            node = Node(
                narrative.id,
                NodeLabel.NARRATIVE,
                {"name": narrative.name, "kind": NarrativeKind.CLUSTER.value, "terms": narrative.terms},
                [PROVENANCE],
            )
            edges = [Edge(EdgeType.PART_OF, c, narrative.id, {}, [PROVENANCE]) for c in narrative.claim_ids]
            if narrative.parent:
                edges.append(
                    Edge(
                        EdgeType.SUBNARRATIVE_OF,
                        narrative.id,
                        narrative.parent,
                        {"share": narrative.parent_share},
                        [PROVENANCE],
                    )
                )
            store.upsert([node], edges)
    report.seconds = round(time.perf_counter() - began, 3)
    return report
