"""The GraphStore contract: every test runs on the embedded store and on a real Neo4j, and both must
answer the same inputs with the same outputs."""

from __future__ import annotations

import contextlib
import threading

import pytest

from graph.exc import LimitExceededError, MissingEndpointError, NotFoundError, OntologyError
from graph.ids import code_id, make_id
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore

L = NodeLabel
E = EdgeType
SRC = Source("test", "cases.csv", "line 2")


def claim(title: str, date: str = "2022-01-17", **props: object) -> Node:
    return Node(make_id(L.CLAIM, title, date), L.CLAIM, {"title": title, "date": date, **props}, [SRC])


def country(code: str, name: str) -> Node:
    return Node(code_id(L.COUNTRY, code), L.COUNTRY, {"name": name, "code": code, "kind": "country"}, [SRC])


def narrative(name: str) -> Node:
    return Node(make_id(L.NARRATIVE, name), L.NARRATIVE, {"name": name, "kind": "keyword"}, [SRC])


def similar(a: Node, b: Node, score: float = 0.8) -> Edge:
    return Edge(E.SIMILAR_TO, a.id, b.id, {"score": score, "method": "lexical"}, [SRC])


def link(etype: EdgeType, a: Node, b: Node, source: Source = SRC) -> Edge:
    return Edge(etype, a.id, b.id, {}, [source])


@pytest.fixture
def story(store: GraphStore) -> dict[str, Node]:
    """A small graph: three claims about Kazakhstan and NATO, two countries, a narrative."""
    nodes = {
        "kz": claim("Unrest in Kazakhstan is a conspiracy orchestrated from abroad", languages=["Spanish"]),
        "cr": claim("Protests in Kazakhstan are a colour revolution", "2022-01-10", languages=["Russian"]),
        "nato": claim("NATO was created for confrontation", "2021-12-01", text="NATO moves closer every day"),
        "KZ": country("KZ", "Kazakhstan"),
        "RU": country("RU", "Russia"),
        "colour": narrative("Colour revolutions"),
    }
    edges = [
        similar(nodes["kz"], nodes["cr"], 0.9),
        link(E.CONCERNS, nodes["kz"], nodes["KZ"]),
        link(E.CONCERNS, nodes["kz"], nodes["RU"]),
        link(E.CONCERNS, nodes["cr"], nodes["KZ"]),
        link(E.CONCERNS, nodes["nato"], nodes["RU"]),
        link(E.PART_OF, nodes["kz"], nodes["colour"]),
        link(E.PART_OF, nodes["cr"], nodes["colour"]),
    ]
    store.upsert(nodes.values(), edges)
    return nodes


def test_upsert_counts_created_then_updated(store: GraphStore) -> None:
    a, b = claim("A claim"), claim("Another claim")
    first = store.upsert([a, b], [similar(a, b)])
    assert first.nodes_created == {"Claim": 2} and not first.nodes_updated
    assert first.edges_created == {"SIMILAR_TO": 1}
    second = store.upsert([a, b], [similar(a, b)])
    assert second.nodes_updated == {"Claim": 2} and not second.nodes_created
    assert second.edges_updated == {"SIMILAR_TO": 1} and not second.edges_created


def test_reupsert_changes_no_count(store: GraphStore, story: dict[str, Node]) -> None:
    before = store.counts()
    store.upsert(story.values(), [similar(story["kz"], story["cr"], 0.9)])
    assert store.counts() == before
    assert before.nodes == {"Claim": 3, "Debunk": 0, "Narrative": 1, "Country": 2, "Actor": 0}
    assert before.edges["CONCERNS"] == 4 and before.edges["SIMILAR_TO"] == 1 and before.edges["DEBUNKS"] == 0


def test_get_node_roundtrips_properties_and_provenance(store: GraphStore, story: dict[str, Node]) -> None:
    got = store.get_node(story["kz"].id)
    assert got.label is L.CLAIM
    assert got.properties == {
        "title": "Unrest in Kazakhstan is a conspiracy orchestrated from abroad",
        "date": "2022-01-17",
        "languages": ["Spanish"],
    }
    assert got.sources == [SRC]


def test_get_nodes_keeps_order_and_skips_unknown(store: GraphStore, story: dict[str, Node]) -> None:
    ids = [story["RU"].id, "claim:doesnotexist", story["kz"].id]
    assert [n.id for n in store.get_nodes(ids)] == [story["RU"].id, story["kz"].id]
    with pytest.raises(NotFoundError):
        store.get_node("claim:doesnotexist")


def test_provenance_merges_and_properties_update(store: GraphStore) -> None:
    a = claim("Merged claim")
    store.upsert([a])
    other = Source("other", "full_dataset.csv", "line 9")
    store.upsert([Node(a.id, L.CLAIM, {"title": "Merged claim", "text": "Full text"}, [other, SRC])])
    got = store.get_node(a.id)
    assert got.sources == [SRC, other]
    assert got.properties["text"] == "Full text" and got.properties["date"] == "2022-01-17"


def test_defaults_fill_only_missing(store: GraphStore) -> None:
    a = claim("A claim first loaded in full", text="the full text")
    store.upsert([a])
    stub = Node(
        a.id,
        L.CLAIM,
        {},
        [Source("refs", "page.txt", "line 3")],
        defaults={"title": "a claim in other words", "stub": True},
    )
    store.upsert([stub])
    got = store.get_node(a.id)
    assert got.properties["title"] == "A claim first loaded in full"
    assert "stub" in got.properties and got.properties["stub"] is True
    fresh = Node(make_id(L.CLAIM, "only a stub"), L.CLAIM, {}, [SRC], defaults={"title": "only a stub"})
    store.upsert([fresh])
    assert store.get_node(fresh.id).properties == {"title": "only a stub"}


def test_none_and_empty_values_are_not_stored(store: GraphStore) -> None:
    a = claim("Sparse", text=None, languages=[])
    store.upsert([a])
    assert store.get_node(a.id).properties == {"title": "Sparse", "date": "2022-01-17"}


def test_symmetric_edge_stored_once(store: GraphStore) -> None:
    a, b = claim("First"), claim("Second")
    store.upsert([a, b], [similar(a, b)])
    store.upsert([], [similar(b, a, 0.7)])
    edges = list(store.iter_edges(E.SIMILAR_TO))
    assert len(edges) == 1
    assert (edges[0].source, edges[0].target) == tuple(sorted((a.id, b.id)))
    assert edges[0].properties["score"] == 0.7


def test_missing_endpoint_writes_nothing(store: GraphStore) -> None:
    a, ghost = claim("Present"), claim("Absent")
    with pytest.raises(MissingEndpointError):
        store.upsert([a], [similar(a, ghost)])
    assert store.counts().nodes["Claim"] == 0


def test_ontology_violations_are_refused(store: GraphStore) -> None:
    a, kz = claim("A"), country("KZ", "Kazakhstan")
    store.upsert([a, kz])
    with pytest.raises(OntologyError):
        store.upsert([], [link(E.CONCERNS, kz, a)])  # wrong direction
    with pytest.raises(OntologyError):
        store.upsert([Node(a.id, L.CLAIM, {"title": "A", "colour": "red"}, [SRC])])
    with pytest.raises(OntologyError):
        store.upsert([Node(a.id, L.CLAIM, {"title": "A"}, [])])
    with pytest.raises(OntologyError):
        store.upsert([], [Edge(E.SIMILAR_TO, a.id, claim("B").id, {"score": 1.0}, [SRC])])


def test_find_by_label_filters_and_pages(store: GraphStore, story: dict[str, Node]) -> None:
    page = store.find_nodes(L.CLAIM, limit=2)
    assert page.total == 3 and len(page.items) == 2
    all_ids = sorted(n.id for n in (story["kz"], story["cr"], story["nato"]))
    assert [n.id for n in page.items] == all_ids[:2]
    assert [n.id for n in store.find_nodes(L.CLAIM, offset=2, limit=2).items] == all_ids[2:]
    spanish = store.find_nodes(L.CLAIM, filters={"languages": "Spanish"})
    assert [n.id for n in spanish.items] == [story["kz"].id]
    assert store.find_nodes(L.COUNTRY, filters={"code": "KZ"}).total == 1


def test_find_by_date_range_and_order(store: GraphStore, story: dict[str, Node]) -> None:
    january = store.find_nodes(L.CLAIM, ranges={"date": ("2022-01-01", "2022-01-31")}, order_by="date")
    assert [n.id for n in january.items] == [story["cr"].id, story["kz"].id]
    newest = store.find_nodes(L.CLAIM, order_by="-date")
    assert [n.id for n in newest.items] == [story["kz"].id, story["cr"].id, story["nato"].id]
    by_text = store.find_nodes(L.CLAIM, order_by="text")
    assert by_text.items[0].id == story["nato"].id  # the only one with text; missing values last


def test_find_linked(store: GraphStore, story: dict[str, Node]) -> None:
    both = store.find_nodes(L.CLAIM, linked=[story["KZ"].id, story["RU"].id])
    assert [n.id for n in both.items] == [story["kz"].id]
    in_narrative = store.find_nodes(L.CLAIM, linked=[story["colour"].id])
    assert in_narrative.total == 2


def test_full_text_query(store: GraphStore, story: dict[str, Node]) -> None:
    hits = store.find_nodes(L.CLAIM, query="kazakhstan")
    assert sorted(n.id for n in hits.items) == sorted([story["kz"].id, story["cr"].id])
    assert [n.id for n in store.find_nodes(L.CLAIM, query="Kazakhstan colour").items] == [story["cr"].id]
    assert store.find_nodes(L.CLAIM, query="closer").total == 1  # matches the text property
    assert store.find_nodes(L.CLAIM, query='"NATO" OR (x:*) AND [').total == 0
    assert store.find_nodes(L.COUNTRY, query="russia").total == 1


def test_warm_changes_no_answer(store: GraphStore, story: dict[str, Node]) -> None:
    before = [n.id for n in store.find_nodes(L.CLAIM, query="kazakhstan", order_by="id").items]
    store.warm()
    store.warm()
    assert [n.id for n in store.find_nodes(L.CLAIM, query="kazakhstan", order_by="id").items] == before
    assert len(before) == 2


def test_reads_refuse_changes_in_place(store: GraphStore, story: dict[str, Node]) -> None:
    node = store.get_node(story["kz"].id)
    edge = store.adjacent([story["kz"].id], [E.SIMILAR_TO])[0]
    for read in (node, edge):
        with pytest.raises(TypeError, match="read from a store"):
            read.properties["title"] = "changed"
        with pytest.raises(TypeError, match="read from a store"):
            read.properties.update(score=0.1)
        with pytest.raises(TypeError, match="read from a store"):
            read.sources.append(Source("other", "file"))
        with pytest.raises(TypeError, match="read from a store"):
            read.defaults["title"] = "changed"
    assert {**node.properties, "title": "a copy"}["title"] == "a copy"  # copies change freely
    assert store.get_node(story["kz"].id) == node
    assert store.adjacent([story["kz"].id], [E.SIMILAR_TO])[0].properties["score"] == 0.9


def _view(store: GraphStore, story: dict[str, Node]) -> list[object]:
    """Every kind of read, of one small graph."""
    kz, nato = story["kz"].id, story["nato"].id
    return [
        store.get_node(kz),
        store.get_nodes([nato, kz, "claim:00000000000000000000"]),
        store.adjacent([kz]),
        store.edges_of(story["KZ"].id, [E.CONCERNS]),
        store.neighbour_ids([kz]),
        store.edges_among([kz, story["cr"].id, story["KZ"].id]),
        store.degrees([kz, nato]),
        store.find_nodes(L.CLAIM, query="kazakhstan", order_by="id"),
        store.neighbourhood(kz, depth=2),
        store.shortest_paths(kz, nato, max_length=4, k=3),
        store.counts(),
    ]


def test_reads_together_answer_as_reads_alone(store: GraphStore, story: dict[str, Node]) -> None:
    alone = _view(store, story)
    with store.reading():
        assert _view(store, story) == alone
        with store.reading():  # blocks nest
            assert _view(store, story) == alone
        assert store.get_node(story["kz"].id) == alone[0]
    with pytest.raises(NotFoundError), store.reading():
        store.get_node(story["kz"].id)
        store.get_node("claim:00000000000000000000")
    assert _view(store, story) == alone  # a block that raised is closed


def test_reading_blocks_of_concurrent_threads_stay_apart(store: GraphStore, story: dict[str, Node]) -> None:
    """Each request thread reads in its own block (or in none): a block is never another's."""
    expected = _view(store, story)
    failures: list[BaseException] = []
    start = threading.Barrier(4)

    def reader(in_block: bool) -> None:
        try:
            start.wait()
            for _ in range(15):
                with store.reading() if in_block else contextlib.nullcontext():
                    assert _view(store, story) == expected
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            failures.append(exc)

    threads = [threading.Thread(target=reader, args=(i < 3,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[0]


def test_every_write_is_read_after_reads_before_it(store: GraphStore, story: dict[str, Node]) -> None:
    """Reads may be built once and shared (a warm store builds them all): each kind of write must
    still be what the next read sees."""
    store.warm()
    kz, cr = story["kz"].id, story["cr"].id
    other = Source("other", "more.csv", "line 9")

    def similar_edge() -> Edge:
        return store.neighbourhood(kz, depth=1, edge_types=[E.SIMILAR_TO]).edges[0]

    assert store.get_node(kz).properties.get("text") is None and similar_edge().properties["score"] == 0.9
    title = story["kz"].properties["title"]
    store.upsert([Node(kz, L.CLAIM, {"title": title, "text": "now with a text"}, [other])])
    assert store.get_node(kz).properties["text"] == "now with a text"
    assert store.get_node(kz).sources == [SRC, other]
    assert store.find_nodes(L.CLAIM, query="kazakhstan", order_by="id").items[0].sources == [SRC, other]

    store.upsert([], [Edge(E.SIMILAR_TO, kz, cr, {"score": 0.6, "method": "lexical"}, [other])])
    assert similar_edge().properties["score"] == 0.6 and similar_edge().sources == [SRC, other]

    store.set_edge_properties(E.SIMILAR_TO, kz, cr, {"verdict": "rejected"})
    assert similar_edge().properties["verdict"] == "rejected"

    store.remove_source("other")
    assert store.get_node(kz).sources == [SRC] and similar_edge().sources == [SRC]
    assert [e.sources for e in store.iter_edges(E.SIMILAR_TO)] == [[SRC]]

    store.delete_edges([(E.SIMILAR_TO, kz, cr)])
    store.upsert([], [Edge(E.SIMILAR_TO, kz, cr, {"score": 0.3, "method": "lexical"}, [other])])
    assert similar_edge().properties == {"score": 0.3, "method": "lexical"}
    assert similar_edge().sources == [other]


def test_neighbourhood_depth_and_order(store: GraphStore, story: dict[str, Node]) -> None:
    one = store.neighbourhood(story["kz"].id, depth=1)
    assert [n.id for n in one.nodes][0] == story["kz"].id
    assert {n.id for n in one.nodes} == {story[k].id for k in ("kz", "cr", "KZ", "RU", "colour")}
    assert one.total == 5 and not one.truncated
    assert len(one.edges) == 6  # kz's four edges, and cr's to Kazakhstan and the narrative
    two = store.neighbourhood(story["kz"].id, depth=2)
    assert two.total == 6 and story["nato"].id in {n.id for n in two.nodes}


def test_neighbourhood_filters_and_limit(store: GraphStore, story: dict[str, Node]) -> None:
    claims_only = store.neighbourhood(story["kz"].id, depth=2, labels=[L.CLAIM])
    assert {n.id for n in claims_only.nodes} == {story["kz"].id, story["cr"].id}
    via_countries = store.neighbourhood(story["kz"].id, depth=2, edge_types=[E.CONCERNS])
    assert {n.id for n in via_countries.nodes} == {story[k].id for k in ("kz", "KZ", "RU", "cr", "nato")}
    cut = store.neighbourhood(story["kz"].id, depth=2, limit=3)
    assert cut.truncated and cut.total == 6 and len(cut.nodes) == 3
    assert cut.nodes[0].id == story["kz"].id
    kept = {n.id for n in cut.nodes}
    assert all(e.source in kept and e.target in kept for e in cut.edges)
    with pytest.raises(LimitExceededError):
        store.neighbourhood(story["kz"].id, depth=4)
    with pytest.raises(NotFoundError):
        store.neighbourhood("claim:nope")


def test_shortest_paths(store: GraphStore, story: dict[str, Node]) -> None:
    paths = store.shortest_paths(story["cr"].id, story["nato"].id, max_length=4, k=3)
    assert paths and paths[0].length == 3
    first = paths[0]
    assert first.nodes[0].id == story["cr"].id and first.nodes[-1].id == story["nato"].id
    for i, edge in enumerate(first.edges):
        assert {edge.source, edge.target} == {first.nodes[i].id, first.nodes[i + 1].id}
    lengths = [p.length for p in paths]
    assert lengths == sorted(lengths)
    assert len({tuple(n.id for n in p.nodes) for p in paths}) == len(paths)
    assert store.shortest_paths(story["cr"].id, story["nato"].id, max_length=2) == []


def test_shortest_paths_skip_hubs(store: GraphStore, story: dict[str, Node]) -> None:
    # Russia has degree 2; as a hub it may not be passed through, so cr reaches nato no more.
    assert store.shortest_paths(story["kz"].id, story["nato"].id, max_length=4, hub_degree=1) == []
    # ...but a hub may still be an endpoint.
    ends = store.shortest_paths(story["kz"].id, story["RU"].id, hub_degree=1)
    assert [n.id for n in ends[0].nodes] == [story["kz"].id, story["RU"].id]


def test_paths_are_the_same_on_both_stores_shape(store: GraphStore, story: dict[str, Node]) -> None:
    paths = store.shortest_paths(story["kz"].id, story["nato"].id, max_length=4, k=5)
    assert [[n.id for n in p.nodes] for p in paths] == [[story["kz"].id, story["RU"].id, story["nato"].id]]


def _simple_paths(
    adjacency: dict[str, set[str]], source: str, target: str, max_length: int, passable: set[str]
) -> list[list[str]]:
    """Every simple path of at most `max_length` hops through `passable` nodes, by length then ids."""
    found: list[list[str]] = []

    def walk(path: list[str]) -> None:
        if path[-1] == target:
            found.append(path)
            return
        if len(path) > max_length or (len(path) > 1 and path[-1] not in passable):
            return
        for other in adjacency[path[-1]]:
            if other not in path:
                walk([*path, other])

    walk([source])
    return sorted(found, key=lambda path: (len(path), path))


def test_shortest_paths_are_every_short_path_in_order(store: GraphStore) -> None:
    # A random graph with two countries most claims concern: hubs next to both ends, whichever
    # end a path is best read from. Each answer is checked against every simple path.
    import random

    rng = random.Random(5)
    claims = [claim(f"Claim number {i}", f"2020-01-{1 + i % 28:02d}") for i in range(40)]
    places = [country("RU", "Russia"), country("UA", "Ukraine"), country("GE", "Georgia")]
    stories = [narrative(f"Story {i}") for i in range(6)]
    edges = [link(E.CONCERNS, c, places[0]) for c in claims if rng.random() < 0.7]
    edges += [link(E.CONCERNS, c, places[1]) for c in claims if rng.random() < 0.5]
    edges += [link(E.CONCERNS, c, places[2]) for c in claims[:3]]
    edges += [link(E.PART_OF, c, rng.choice(stories)) for c in claims if rng.random() < 0.6]
    edges += [similar(*rng.sample(claims, 2)) for _ in range(15)]
    store.upsert([*claims, *places, *stories], edges)
    adjacency: dict[str, set[str]] = {n.id: set() for n in [*claims, *places, *stories]}
    for e in edges:
        adjacency[e.source].add(e.target)
        adjacency[e.target].add(e.source)
    ids = sorted(adjacency)
    ends = [(a, b) for a, b in (rng.sample(ids, 2) for _ in range(25)) if a != b]
    ends += [(places[0].id, places[1].id), (places[2].id, claims[-1].id), (claims[-1].id, places[0].id)]
    for i, (a, b) in enumerate(ends):
        hub_degree = (None, 6, 12)[i % 3]
        max_length, k = 2 + i % 4, 1 + i % 5
        passable = {n for n in ids if hub_degree is None or len(adjacency[n]) <= hub_degree}
        expected = _simple_paths(adjacency, a, b, max_length, passable)[:k]
        got = store.shortest_paths(a, b, max_length=max_length, k=k, hub_degree=hub_degree)
        assert [[n.id for n in p.nodes] for p in got] == expected, (a, b, max_length, k, hub_degree)
        for path in got:
            hops = zip(path.nodes, path.nodes[1:], strict=False)
            assert [{e.source, e.target} for e in path.edges] == [{x.id, y.id} for x, y in hops]


def test_count_targets(store: GraphStore, story: dict[str, Node]) -> None:
    claims = [story["kz"].id, story["cr"].id, story["nato"].id]
    # Each claim counts once however often it is named; an unknown id or a node with no such edge
    # adds nothing; edges are followed in their stored direction only.
    asked = [*claims, claims[0], "claim:nope", story["RU"].id]
    assert store.count_targets(asked, E.CONCERNS) == {story["KZ"].id: 2, story["RU"].id: 2}
    assert store.count_targets(asked, E.PART_OF) == {story["colour"].id: 2}
    assert store.count_targets([story["RU"].id], E.CONCERNS) == {}
    assert store.count_targets([], E.CONCERNS) == {}


def test_adjacent_and_degrees(store: GraphStore, story: dict[str, Node]) -> None:
    edges = store.adjacent([story["kz"].id])
    assert len(edges) == 4
    assert [e.id for e in edges] == sorted(e.id for e in edges)
    assert len(store.adjacent([story["kz"].id], [E.CONCERNS])) == 2
    assert store.degrees([story["kz"].id, story["RU"].id, "claim:nope"]) == {
        story["kz"].id: 4,
        story["RU"].id: 2,
        "claim:nope": 0,
    }


def test_set_edge_properties(store: GraphStore, story: dict[str, Node]) -> None:
    edge = store.set_edge_properties(E.SIMILAR_TO, story["cr"].id, story["kz"].id, {"verdict": "confirmed"})
    assert edge.properties["verdict"] == "confirmed" and edge.properties["score"] == 0.9
    store.upsert(
        [],
        [
            Edge(
                E.SIMILAR_TO,
                story["kz"].id,
                story["cr"].id,
                {"score": 0.5, "method": "lexical"},
                [SRC],
                defaults={"verdict": "unreviewed"},
            )
        ],
    )
    again = store.adjacent([story["kz"].id], [E.SIMILAR_TO])[0]
    assert again.properties["verdict"] == "confirmed" and again.properties["score"] == 0.5
    with pytest.raises(NotFoundError):
        store.set_edge_properties(E.SIMILAR_TO, story["kz"].id, story["nato"].id, {"verdict": "rejected"})


def test_delete_edges(store: GraphStore, story: dict[str, Node]) -> None:
    removed = store.delete_edges(
        [(E.SIMILAR_TO, story["cr"].id, story["kz"].id), (E.SIMILAR_TO, story["kz"].id, story["nato"].id)]
    )
    assert removed == 1 and store.counts().edges["SIMILAR_TO"] == 0


def test_iter_nodes_and_edges_in_id_order(store: GraphStore, story: dict[str, Node]) -> None:
    ids = [n.id for n in store.iter_nodes()]
    assert ids == sorted(ids) and len(ids) == 6
    assert [n.id for n in store.iter_nodes(L.COUNTRY)] == ["country:KZ", "country:RU"]
    edge_ids = [e.id for e in store.iter_edges()]
    assert edge_ids == sorted(edge_ids) and len(edge_ids) == 7


def test_iteration_survives_what_another_writer_removes_meanwhile(store: GraphStore) -> None:
    """A node or edge removed while an iteration streams is either read whole or not at all (past
    the driver's first fetch, Neo4j reads rows as the caller takes them)."""
    gone = Source("gone", "later.csv", "line 1")
    kz = country("KZ", "Kazakhstan")
    claims = [claim(f"Claim number {i}") for i in range(2_500)]
    store.upsert(
        [kz, *(Node(c.id, L.CLAIM, c.properties, [gone]) for c in claims)],
        [link(E.CONCERNS, c, kz, gone) for c in claims],
    )
    expected_nodes = {n.id: n for n in [kz, *claims]}
    expected_edges = {e.id for e in store.iter_edges()}
    nodes, edges = store.iter_nodes(), store.iter_edges()
    read_nodes, read_edges = [next(nodes)], [next(edges)]
    assert store.remove_source("gone").nodes_removed == 2_500
    read_nodes += nodes
    read_edges += edges
    for node in read_nodes:
        assert node.properties == expected_nodes[node.id].properties
    assert {e.id for e in read_edges} <= expected_edges
    assert all(e.type is E.CONCERNS and e.target == kz.id for e in read_edges)


def test_remove_source_undoes_one_load_only(store: GraphStore) -> None:
    first, second = Source("cknabs", "posts.csv", "line 2"), Source("kalkun", "full.csv", "line 5")
    shared = claim("Shared claim")
    only_first = claim("Only in the first")
    kz = country("KZ", "Kazakhstan")
    store.upsert(
        [
            Node(shared.id, L.CLAIM, shared.properties, [first]),
            Node(only_first.id, L.CLAIM, only_first.properties, [first]),
            Node(kz.id, L.COUNTRY, kz.properties, [first]),
        ],
        [link(E.CONCERNS, shared, kz, first), link(E.CONCERNS, only_first, kz, first)],
    )
    store.upsert(
        [
            Node(shared.id, L.CLAIM, {"title": "Shared claim", "text": "from kalkun"}, [second]),
            Node(kz.id, L.COUNTRY, kz.properties, [second]),
        ],
        [link(E.CONCERNS, shared, kz, second)],
    )
    result = store.remove_source("cknabs")
    assert (result.nodes_removed, result.nodes_updated) == (1, 2)
    assert (result.edges_removed, result.edges_updated) == (1, 1)
    assert [n.id for n in store.iter_nodes(L.CLAIM)] == [shared.id]
    kept = store.get_node(shared.id)
    assert kept.sources == [second] and kept.properties["text"] == "from kalkun"
    assert store.counts().edges["CONCERNS"] == 1
    assert store.remove_source("nothing-loaded").nodes_removed == 0


def test_remove_source_by_file(store: GraphStore) -> None:
    a = Source("news", "a.txt", "line 1")
    b = Source("news", "b.txt", "line 1")
    x, y = claim("From a"), claim("From b")
    store.upsert([Node(x.id, L.CLAIM, x.properties, [a]), Node(y.id, L.CLAIM, y.properties, [b])])
    store.remove_source("news", "a.txt")
    assert [n.id for n in store.iter_nodes()] == [y.id]


def test_clear(store: GraphStore, story: dict[str, Node]) -> None:
    store.clear()
    counts = store.counts()
    assert sum(counts.nodes.values()) == 0 and sum(counts.edges.values()) == 0


def test_hostile_strings_are_stored_verbatim(store: GraphStore) -> None:
    title = "'}) MATCH (n) DETACH DELETE n //<script>alert(1)</script> \u202e|%7C"
    a = claim(title, text='x" OR 1=1 --\x00')
    store.upsert([a])
    assert store.get_node(a.id).properties["title"] == title
    assert store.counts().nodes["Claim"] == 1
    odd = Source("data|set", "we|ird%7C.csv", "line 1|2")
    store.upsert([Node(a.id, L.CLAIM, {"title": title}, [odd])])
    assert store.get_node(a.id).sources[-1] == odd
    store.remove_source("data|set")
    assert store.get_node(a.id).sources == [SRC]
