"""`neighbourhood` on a graph with hubs, checked against a breadth-first search written here.

Stores may walk a neighbourhood their own way (Neo4jStore counts and cuts the last level inside
Neo4j, in one transaction); every way must answer exactly what the shared definition says: nodes
nearest first, ties by id, up to the limit; the edges among them; the total reached.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from graph.ids import code_id, make_id
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NodeLabel, label_of
from graph.store import GraphStore, smallest

L = NodeLabel
E = EdgeType
SRC = Source("test", "hubs.csv", "line 1")


def _graph(seed: int = 11) -> tuple[list[Node], list[Edge]]:
    """Sixty claims, a few countries and outlets they share (the hubs), narratives, debunks."""
    rng = random.Random(seed)
    claims = [
        Node(make_id(L.CLAIM, f"claim {i}"), L.CLAIM, {"title": f"Claim number {i}"}, [SRC])
        for i in range(60)
    ]
    countries = [
        Node(code_id(L.COUNTRY, code), L.COUNTRY, {"name": code, "code": code, "kind": "country"}, [SRC])
        for code in ("UA", "RU", "PL", "DE")
    ]
    outlets = [
        Node(make_id(L.ACTOR, f"outlet {i}"), L.ACTOR, {"name": f"Outlet {i}", "kind": "outlet"}, [SRC])
        for i in range(5)
    ]
    narratives = [
        Node(
            make_id(L.NARRATIVE, f"story {i}"), L.NARRATIVE, {"name": f"Story {i}", "kind": "keyword"}, [SRC]
        )
        for i in range(4)
    ]
    debunks = [
        Node(make_id(L.DEBUNK, f"debunk {i}"), L.DEBUNK, {"text": f"Debunk {i}"}, [SRC]) for i in range(8)
    ]
    edges: list[Edge] = []
    for claim in claims:
        # Skewed choices make hubs: the first country and outlet take most claims.
        for country_id in {rng.choice(countries[:1] * 6 + countries).id for _ in range(2)}:
            edges.append(Edge(E.CONCERNS, claim.id, country_id, {}, [SRC]))
        edges.append(Edge(E.PUBLISHED_BY, claim.id, rng.choice(outlets[:1] * 4 + outlets).id, {}, [SRC]))
        if rng.random() < 0.5:
            edges.append(Edge(E.PART_OF, claim.id, rng.choice(narratives).id, {}, [SRC]))
        if rng.random() < 0.3:
            other = rng.choice(claims)
            if other.id != claim.id:
                score = round(rng.uniform(0.4, 0.95), 2)
                edges.append(
                    Edge(E.SIMILAR_TO, claim.id, other.id, {"score": score, "method": "lexical"}, [SRC])
                )
    for debunk in debunks:
        edges.append(Edge(E.DEBUNKS, debunk.id, rng.choice(claims).id, {}, [SRC]))
    edges.append(Edge(E.SUBNARRATIVE_OF, narratives[1].id, narratives[0].id, {}, [SRC]))
    return [*claims, *countries, *outlets, *narratives, *debunks], edges


def _expected(
    edges: Sequence[Edge],
    centre: str,
    depth: int,
    labels: Sequence[NodeLabel] | None,
    edge_types: Sequence[EdgeType] | None,
    limit: int,
) -> tuple[list[str], list[str], int]:
    """Node ids nearest first (ties by id) up to `limit`, edge ids among them, and the total."""
    pairs: dict[str, set[str]] = {}
    for e in edges:
        if edge_types is None or e.type in edge_types:
            pairs.setdefault(e.source, set()).add(e.target)
            pairs.setdefault(e.target, set()).add(e.source)
    distance = {centre: 0}
    frontier = [centre]
    for level in range(1, depth + 1):
        frontier = sorted(
            {
                other
                for node in frontier
                for other in pairs.get(node, ())
                if other not in distance and (not labels or label_of(other) in labels)
            }
        )
        distance.update(dict.fromkeys(frontier, level))
    ordered = sorted(distance, key=lambda i: (distance[i], i))[:limit]
    kept = set(ordered)
    among = sorted(
        {
            e.id
            for e in edges
            if e.source in kept and e.target in kept and (edge_types is None or e.type in edge_types)
        }
    )
    return ordered, among, len(distance)


CASES = [
    (1, None, None, 500),
    (2, None, None, 500),
    (2, None, None, 25),
    (2, None, None, 1),
    (3, None, None, 40),
    (3, None, None, 5000),
    (2, [L.CLAIM], None, 30),
    (2, [L.CLAIM, L.DEBUNK], None, 500),
    (3, [L.COUNTRY, L.ACTOR], None, 500),
    (2, None, [E.CONCERNS], 20),
    (3, None, [E.SIMILAR_TO, E.DEBUNKS], 500),
    (2, None, [], 500),
    (0, None, None, 500),
    (3, [L.CLAIM, L.NARRATIVE], [E.PART_OF, E.SUBNARRATIVE_OF], 12),
]


@pytest.mark.parametrize(("depth", "labels", "edge_types", "limit"), CASES)
def test_neighbourhood_matches_breadth_first_search(
    store: GraphStore,
    depth: int,
    labels: list[NodeLabel] | None,
    edge_types: list[EdgeType] | None,
    limit: int,
) -> None:
    nodes, edges = _graph()
    store.upsert(nodes, edges)
    stored = {e.key: e for e in store.iter_edges()}
    assert len(stored) == len({e.key for e in edges})
    # From a hub, a plain claim, a debunk at the rim: truncation bites at different levels.
    for centre in (code_id(L.COUNTRY, "UA"), nodes[3].id, nodes[-1].id):
        sub = store.neighbourhood(centre, depth=depth, labels=labels, edge_types=edge_types, limit=limit)
        ids, among, total = _expected(list(stored.values()), centre, depth, labels, edge_types, limit)
        assert [n.id for n in sub.nodes] == ids
        assert [e.id for e in sub.edges] == among
        assert (sub.total, sub.truncated) == (total, total > limit)
        assert [n.properties for n in sub.nodes] == [n.properties for n in store.get_nodes(ids)]
        assert all(e.properties == stored[e.key].properties for e in sub.edges)


def test_every_store_walks_as_the_shared_definition(store: GraphStore) -> None:
    """A store's own `neighbourhood` and the shared one on its primitives agree, field for field."""
    nodes, edges = _graph(seed=5)
    store.upsert(nodes, edges)
    for depth, labels, edge_types, limit in CASES:
        for centre in (code_id(L.COUNTRY, "RU"), nodes[10].id):
            own = store.neighbourhood(centre, depth=depth, labels=labels, edge_types=edge_types, limit=limit)
            shared = GraphStore.neighbourhood(
                store, centre, depth=depth, labels=labels, edge_types=edge_types, limit=limit
            )
            assert own == shared


def _dense_graph(claims: int = 240) -> tuple[list[Node], list[Edge], list[str]]:
    """Claims nearly all of which concern one country (the hub), as half the real claims concern
    Russia: a level past it holds most of a label, and a small limit keeps only its first ids."""
    rng = random.Random(3)
    claim_nodes = [
        Node(make_id(L.CLAIM, f"dense {i}"), L.CLAIM, {"title": f"Dense claim {i}"}, [SRC])
        for i in range(claims)
    ]
    hub, other = (
        Node(code_id(L.COUNTRY, code), L.COUNTRY, {"name": code, "code": code, "kind": "country"}, [SRC])
        for code in ("RU", "US")
    )
    outlets = [
        Node(make_id(L.ACTOR, f"dense outlet {i}"), L.ACTOR, {"name": f"Outlet {i}", "kind": "outlet"}, [SRC])
        for i in range(12)
    ]
    edges: list[Edge] = []
    for claim in claim_nodes:
        if rng.random() < 0.9:
            edges.append(Edge(E.CONCERNS, claim.id, hub.id, {}, [SRC]))
        if rng.random() < 0.3:
            edges.append(Edge(E.CONCERNS, claim.id, other.id, {}, [SRC]))
        edges.append(Edge(E.PUBLISHED_BY, claim.id, rng.choice(outlets).id, {}, [SRC]))
        if rng.random() < 0.1:
            edges.append(Edge(E.MENTIONS, claim.id, rng.choice(outlets).id, {}, [SRC]))
    centres = [hub.id, claim_nodes[0].id, claim_nodes[7].id, outlets[0].id]
    return [*claim_nodes, hub, other, *outlets], edges, centres


@pytest.mark.parametrize("limit", [1, 5, 30, 120, 5000])
def test_neighbourhood_past_a_hub_that_holds_most_of_a_label(store: GraphStore, limit: int) -> None:
    """Each way a store may cut the last level (Neo4jStore walks the label's id index where the
    level holds most of the label, and sorts the ids it reached elsewhere) keeps the same nodes."""
    nodes, edges, centres = _dense_graph()
    store.upsert(nodes, edges)
    stored = list(store.iter_edges())
    for centre in centres:
        for depth, labels in ((1, None), (2, None), (3, None), (2, [L.CLAIM, L.COUNTRY])):
            sub = store.neighbourhood(centre, depth=depth, labels=labels, limit=limit)
            ids, among, total = _expected(stored, centre, depth, labels, None, limit)
            assert [n.id for n in sub.nodes] == ids
            assert [e.id for e in sub.edges] == among
            assert (sub.total, sub.truncated) == (total, total > limit)
            assert sub == GraphStore.neighbourhood(store, centre, depth=depth, labels=labels, limit=limit)


def test_the_ids_kept_from_a_level_are_its_smallest_in_order() -> None:
    """`smallest` sorts only what falls below a cut-off taken from a sample, the first ids it is
    given; whatever the sample, the answer is `sorted(ids)[:n]`."""
    rng = random.Random(7)
    pool = sorted([make_id(L.CLAIM, f"level {i}") for i in range(3000)] + [code_id(L.COUNTRY, "RU")])
    cases: list[tuple[Sequence[str] | set[str], int]] = [
        (pool, 500),  # a sample of the smallest ids only: too few fall below its cut-off
        (pool[::-1], 500),  # of the largest only: nearly all do
        (pool[1000:] + pool[:1000], 300),
    ]
    for _ in range(300):
        ids = set(rng.sample(pool, rng.randint(1, len(pool))))
        cases.append((ids, rng.randint(-1, len(ids) + 2)))
    for ids, n in cases:
        assert smallest(ids, n) == sorted(ids)[: max(n, 0)]
