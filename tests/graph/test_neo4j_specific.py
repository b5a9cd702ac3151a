"""What only the Neo4j store has: its schema, its batching and transactions, its query text, its
handling of an unreachable server; and a differential check that it answers as MemoryStore does on
a randomised graph (the contract suite pins the documented cases; this one hunts the odd ones)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import ClientError, ConstraintError

from graph import cypher
from graph.exc import MissingEndpointError, StoreUnavailableError
from graph.ids import code_id, make_id
from graph.memory import MemoryStore
from graph.model import Edge, Node, Source
from graph.neo4j_store import Neo4jStore
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore
from tests.neo4j_server import free_port

pytestmark = pytest.mark.neo4j

L = NodeLabel
E = EdgeType
SRC = Source("test", "cases.csv", "line 2")


@pytest.fixture
def neo(neo4j_driver: Driver) -> Iterator[Neo4jStore]:
    store = Neo4jStore(neo4j_driver)
    store.clear()
    yield store
    store.close()


def claim(i: int, title: str | None = None, defaults: dict[str, Any] | None = None, **props: Any) -> Node:
    title = title if title is not None else f"Claim number {i}"
    src = Source("t", "c.csv", f"{i}")
    return Node(make_id(L.CLAIM, f"claim {i}"), L.CLAIM, {"title": title, **props}, [src], defaults or {})


def country(code: str) -> Node:
    props = {"name": f"Land {code}", "code": code, "kind": "country"}
    return Node(code_id(L.COUNTRY, code), L.COUNTRY, props, [SRC])


def concerns(a: Node, b: Node, i: int = 0) -> Edge:
    return Edge(E.CONCERNS, a.id, b.id, {}, [Source("t", "e.csv", f"{i}")])


# -- schema ------------------------------------------------------------------------------------


def test_schema_has_unique_ids_and_the_fulltext_index(neo: Neo4jStore, neo4j_driver: Driver) -> None:
    neo.ping()
    constraints = {
        r["name"]: r
        for r in neo4j_driver.execute_query(
            "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties"
        ).records
    }
    for label in NodeLabel:
        c = constraints[cypher.constraint_name(label)]
        assert c["type"] == "UNIQUENESS" and c["labelsOrTypes"] == [label.value] and c["properties"] == ["id"]
    index = neo4j_driver.execute_query(
        "SHOW FULLTEXT INDEXES YIELD name, state, labelsOrTypes, properties, options WHERE name = $name",
        name=cypher.FULLTEXT_INDEX,
    ).records[0]
    assert index["state"] == "ONLINE"
    assert set(index["labelsOrTypes"]) == {label.value for label in NodeLabel}
    assert set(index["properties"]) == set(cypher.TEXT_FIELDS)
    assert index["options"]["indexConfig"]["fulltext.analyzer"] == cypher.FULLTEXT_ANALYZER


def test_uniqueness_is_enforced_by_the_database(neo: Neo4jStore, neo4j_driver: Driver) -> None:
    a = claim(1)
    neo.upsert([a])
    with pytest.raises(ConstraintError):
        neo4j_driver.execute_query("CREATE (:Claim {id: $id})", id=a.id)
    assert neo.counts().nodes["Claim"] == 1


def test_schema_survives_clear_and_a_second_store(neo: Neo4jStore, neo4j_driver: Driver) -> None:
    neo.upsert([claim(1)])
    neo.clear()
    again = Neo4jStore(neo4j_driver)
    again.upsert([claim(2, "zebra crossing")])
    assert [n.id for n in again.find_nodes(query="Zebra").items] == [claim(2).id]


# -- batching and transactions -----------------------------------------------------------------


def test_small_batches_give_the_same_result_as_one(neo4j_driver: Driver, memory_store: MemoryStore) -> None:
    store = Neo4jStore(neo4j_driver, batch_size=3)
    store.clear()
    lands = [country(c) for c in ("UA", "RU", "KZ")]
    claims = [claim(i, defaults={"excerpt": True}) for i in range(11)]
    edges = [concerns(c, lands[i % 3], i) for i, c in enumerate(claims)]
    # The same claim twice in one call: first created, then updated, as two calls would do.
    twice = [*claims, claim(4, "Claim number four, retitled")]
    for s in (store, memory_store):
        first = s.upsert([*lands, *twice], edges)
        assert first.nodes_created == {"Country": 3, "Claim": 11} and first.nodes_updated == {"Claim": 1}
        assert first.edges_created == {"CONCERNS": 11} and not first.edges_updated
        second = s.upsert([*lands, *claims], edges)
        assert second.nodes_updated == {"Country": 3, "Claim": 11} and not second.nodes_created
    assert list(store.iter_nodes()) == list(memory_store.iter_nodes())
    assert list(store.iter_edges()) == list(memory_store.iter_edges())


def test_a_failure_in_a_later_batch_rolls_back_the_whole_call(
    neo4j_driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Neo4jStore(neo4j_driver, batch_size=2)
    store.clear()
    land = country("UA")
    claims = [claim(i) for i in range(5)]
    real = cypher.upsert_edges
    calls = []

    def failing_on_second_batch(edge_type: EdgeType, props: Any, defaults: Any) -> str:
        calls.append(edge_type)
        # A statement the database itself rejects, after nodes and one edge batch are written.
        if len(calls) < 2:
            return real(edge_type, props, defaults)
        return "UNWIND $rows AS row RETURN 1 / 0 AS rows"

    monkeypatch.setattr(cypher, "upsert_edges", failing_on_second_batch)
    with pytest.raises(ClientError):
        store.upsert([land, *claims], [concerns(c, land) for c in claims])
    monkeypatch.undo()
    assert len(calls) == 2
    counts = store.counts()
    assert sum(counts.nodes.values()) == 0 and sum(counts.edges.values()) == 0


def test_missing_endpoint_across_batches_writes_nothing(neo4j_driver: Driver) -> None:
    store = Neo4jStore(neo4j_driver, batch_size=2)
    store.clear()
    land = country("UA")
    claims = [claim(i) for i in range(6)]
    ghost = claim(99)
    edges = [concerns(c, land) for c in claims] + [concerns(ghost, land)]
    with pytest.raises(MissingEndpointError, match=ghost.id):
        store.upsert([land, *claims], edges)
    assert sum(store.counts().nodes.values()) == 0


def test_clear_is_fast_enough_for_per_test_cleanup(neo: Neo4jStore) -> None:
    land = country("UA")
    claims = [claim(i) for i in range(1500)]
    neo.upsert([land, *claims], [concerns(c, land, i) for i, c in enumerate(claims)])
    start = time.perf_counter()
    neo.clear()
    assert time.perf_counter() - start < 30
    assert neo.counts().nodes["Claim"] == 0 and neo.counts().edges["CONCERNS"] == 0


def test_iteration_streams_past_one_fetch(neo: Neo4jStore) -> None:
    land = country("UA")
    claims = [claim(i) for i in range(1200)]
    neo.upsert([land, *claims], [concerns(c, land, i) for i, c in enumerate(claims)])
    ids = [n.id for n in neo.iter_nodes(L.CLAIM)]
    assert ids == sorted(c.id for c in claims)
    edge_ids = [e.id for e in neo.iter_edges()]
    assert len(edge_ids) == 1200 and edge_ids == sorted(edge_ids)
    assert neo.degrees([land.id, claims[0].id, "country:XX", "nonsense"]) == {
        land.id: 1200,
        claims[0].id: 1,
        "country:XX": 0,
        "nonsense": 0,
    }


# -- query text and injection ------------------------------------------------------------------


def test_names_spliced_into_cypher_must_be_identifiers() -> None:
    assert cypher._q("Claim") == "`Claim`"
    for bad in ("Claim` DETACH DELETE n //", "a b", "", "1abc", "x)-[r]-(y"):
        with pytest.raises(ValueError):
            cypher._q(bad)


def test_every_statement_names_only_ontology_labels_and_types() -> None:
    statements = [cypher.upsert_nodes(label, ["title"], ["text"]) for label in NodeLabel]
    statements += [cypher.upsert_edges(t, ["score"], []) for t in EdgeType]
    statements += [cypher.counts(), cypher.create_fulltext_index()]
    text = "\n".join(statements)
    for label in NodeLabel:
        assert f"`{label.value}`" in text
    for etype in EdgeType:
        assert f"`{etype.value}`" in text


@pytest.mark.parametrize(
    "key",
    ["title` = '' DETACH DELETE n //", "title}) MATCH (m) DETACH DELETE m //", "id", "_sources", "_w_title"],
)
def test_hostile_or_hidden_property_names_are_values_not_code(neo: Neo4jStore, key: str) -> None:
    neo.upsert([claim(1), claim(2)])
    assert neo.find_nodes(L.CLAIM, filters={key: "x"}).total == 0
    assert neo.find_nodes(L.CLAIM, ranges={key: ("a", None)}).total == 0
    assert neo.find_nodes(L.CLAIM, filters={key: None}).total == 2
    ordered = neo.find_nodes(L.CLAIM, order_by=f"-{key}").items
    assert [n.id for n in ordered] == sorted([claim(1).id, claim(2).id])
    assert neo.counts().nodes["Claim"] == 2


def test_hidden_fields_never_leave_the_store(neo: Neo4jStore) -> None:
    a = claim(1, "Visible title", text="Visible text")
    neo.upsert([a])
    (got,) = neo.get_nodes([a.id])
    assert got.properties == a.properties
    assert all(not k.startswith("_") and k != "id" for n in neo.iter_nodes() for k in n.properties)


# -- full text: same words as the embedded store -----------------------------------------------

TEXTS = [
    "Don't trust the U.S. biolabs: 3.5 million doses",
    "Straße nach Kyiv — «НАТО» стоит у границ",
    "日本語のテキスト and NOT a lucene OR query",
    'title:(zebra) AND field* ~fuzzy^2 \\ "quoted" [range TO x] {a} !bang +plus -minus && ||',
    "snake_case_word and CamelCase and émigré café",
]
QUERIES = [
    "don",
    "t",
    "don't",
    "u s",
    "us",
    "3 5",
    "3.5",
    "straße",
    "STRASSE",
    "нато",
    "НАТО границ",
    "日本語のテキスト",
    "日本",
    "not",
    "and or",
    "lucene OR",
    "title",
    "zebra",
    "field*",
    "fuzzy~",
    "x]",
    '"quoted"',
    "bang",
    "+plus",
    "-minus",
    "&&",
    "||",
    "snake_case_word",
    "snake",
    "camelcase",
    "émigré",
    "emigre",
    "café",
    "",
    "   ",
    "!!!",
    "*",
    "?",
]


def test_full_text_answers_as_the_embedded_store(neo: Neo4jStore, memory_store: MemoryStore) -> None:
    nodes = [claim(i, t) for i, t in enumerate(TEXTS)]
    owner = {"name": "Café owner", "kind": "person"}
    nodes.append(Node(make_id(L.ACTOR, "café owner"), L.ACTOR, owner, [SRC]))
    for s in (neo, memory_store):
        s.upsert(nodes)
    for query in QUERIES:
        for label in (None, L.CLAIM, L.ACTOR):
            want = memory_store.find_nodes(label, query=query)
            got = neo.find_nodes(label, query=query)
            assert [n.id for n in got.items] == [n.id for n in want.items] and got.total == want.total, query


def test_text_words_follow_the_property_they_come_from(neo: Neo4jStore, memory_store: MemoryStore) -> None:
    first = claim(1, "Original wording")
    stub = Node(first.id, L.CLAIM, {}, [SRC], defaults={"title": "Stub wording", "text": "Stub text"})
    retitled = claim(1, "Replaced wording")
    for s in (neo, memory_store):
        s.upsert([first])
        s.upsert([stub])
        s.upsert([retitled])
    for query in ("original", "stub", "replaced", "wording", "text"):
        assert neo.find_nodes(query=query).total == memory_store.find_nodes(query=query).total, query


# -- an unreachable server ---------------------------------------------------------------------


def test_unreachable_server_is_a_store_unavailable_error() -> None:
    driver = GraphDatabase.driver(f"bolt://127.0.0.1:{free_port()}", connection_timeout=2)
    store = Neo4jStore(driver, owns_driver=True, retry_seconds=0.5)  # constructing needs no server
    start = time.perf_counter()
    calls = (store.ping, store.counts, lambda: store.upsert([claim(1)]), lambda: list(store.iter_nodes()))
    for call in calls:
        with pytest.raises(StoreUnavailableError, match="unreachable"):
            call()
    assert time.perf_counter() - start < 20
    store.close()


def test_a_store_recovers_once_the_server_answers(neo4j_driver: Driver, neo4j_uri: str) -> None:
    # The same store object, first pointed at nothing, then at the real server: no cached session
    # or half-made schema stands in the way (the driver reconnects by itself).
    port = free_port()
    dead = GraphDatabase.driver(f"bolt://127.0.0.1:{port}", connection_timeout=2)
    store = Neo4jStore(dead, owns_driver=True, retry_seconds=0.2)
    with pytest.raises(StoreUnavailableError):
        store.ping()
    store._driver = neo4j_driver  # the server "comes back" under the same store
    store.ping()
    store.clear()
    assert store.counts().nodes["Claim"] == 0
    dead.close()


# -- differential: random graphs, both stores, same answers ------------------------------------


def _random_graph(rng: random.Random) -> tuple[list[Node], list[Edge]]:
    words = "nato border vaccine grain sanctions protest minister army plan media".split()
    lands = [country(c) for c in ("UA", "RU", "KZ", "PL")]
    claims = []
    for i in range(40):
        props: dict[str, Any] = {"title": " ".join(rng.sample(words, 3))}
        if rng.random() < 0.7:
            props["date"] = f"202{rng.randint(0, 4)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        if rng.random() < 0.5:
            props["languages"] = rng.sample(["en", "ru", "de"], rng.randint(1, 2))
        if rng.random() < 0.3:
            props["excerpt"] = rng.random() < 0.5
        defaults = {"text": "default text " + rng.choice(words)} if rng.random() < 0.3 else {}
        src = Source(rng.choice(["a", "b"]), rng.choice(["1.csv", "2.csv"]), str(i))
        claims.append(Node(make_id(L.CLAIM, f"r{i}"), L.CLAIM, props, [src], defaults))
    edges = []
    for _ in range(70):
        a, b = rng.sample(claims, 2)
        kind = rng.random()
        src = Source(rng.choice(["a", "b"]), "e.csv", "")
        if kind < 0.5:
            edges.append(Edge(E.CONCERNS, a.id, rng.choice(lands).id, {}, [src]))
        else:
            score = round(rng.random(), 2)
            edges.append(
                Edge(
                    E.SIMILAR_TO,
                    a.id,
                    b.id,
                    {"score": score, "method": "lexical"},
                    [src],
                    defaults={"verdict": "unreviewed"},
                )
            )
    return lands + claims, edges


def _same(a: GraphStore, b: GraphStore, rng: random.Random) -> None:
    assert a.counts() == b.counts()
    assert list(a.iter_nodes()) == list(b.iter_nodes())
    assert list(a.iter_edges()) == list(b.iter_edges())
    ids = [n.id for n in a.iter_nodes()]
    sample = rng.sample(ids, min(6, len(ids))) + ["country:XX", "bad id"]
    assert a.adjacent(sample) == b.adjacent(sample)
    assert a.adjacent(sample, [E.SIMILAR_TO]) == b.adjacent(sample, [E.SIMILAR_TO])
    assert a.degrees(sample) == b.degrees(sample)
    assert a.get_nodes(sample[::-1]) == b.get_nodes(sample[::-1])
    searches: list[dict[str, Any]] = [
        {"label": L.CLAIM, "order_by": "date"},
        {"label": L.CLAIM, "order_by": "-date", "offset": 3, "limit": 7},
        {"label": L.CLAIM, "order_by": "-excerpt"},
        {"label": L.CLAIM, "filters": {"languages": "en"}, "order_by": "title"},
        {"label": L.CLAIM, "filters": {"excerpt": False}},
        {"label": L.CLAIM, "ranges": {"date": ("2021-01-01", "2023-12-31")}, "order_by": "-date"},
        {"label": L.CLAIM, "ranges": {"date": (None, "2022-05-15")}, "limit": 5},
        {"linked": ["country:UA"]},
        {"linked": ["country:UA", "country:RU"], "order_by": "-title"},
        {"query": "nato border", "order_by": "date"},
        {"query": "default", "linked": ["country:KZ"]},
        {"label": L.COUNTRY, "query": "land", "limit": 2, "offset": 1},
        {"limit": 0},
        {"offset": 1000},
    ]
    for search in searches:
        pa, pb = a.find_nodes(**search), b.find_nodes(**search)
        assert (pa.items, pa.total) == (pb.items, pb.total), search
    centre = ids[len(ids) // 2]
    assert a.neighbourhood(centre, depth=2, limit=15) == b.neighbourhood(centre, depth=2, limit=15)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_graphs_answer_as_the_embedded_store(
    neo: Neo4jStore, memory_store: MemoryStore, seed: int
) -> None:
    rng = random.Random(seed)
    nodes, edges = _random_graph(rng)
    half = len(edges) // 2
    first = [s.upsert(nodes, edges[:half]) for s in (neo, memory_store)]
    assert first[0] == first[1]
    results = [s.upsert(nodes[::2], edges) for s in (neo, memory_store)]
    assert results[0] == results[1]
    _same(neo, memory_store, random.Random(seed))
    removed = [s.remove_source("a", "1.csv") for s in (neo, memory_store)]
    assert removed[0] == removed[1]
    _same(neo, memory_store, random.Random(seed))
    removed = [s.remove_source("b") for s in (neo, memory_store)]
    assert removed[0] == removed[1]
    _same(neo, memory_store, random.Random(seed))
