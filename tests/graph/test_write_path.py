"""The write path's shortcuts keep the behaviour of the plain code they replace.

Each test states what the slow form does and checks the fast one against it, on both stores where the
store is involved: the word index built on first search, repeats folded without merging, the cleaned
properties, the ids' normal form.
"""

from __future__ import annotations

import dataclasses
import pickle
import re
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.ids import _QUOTES, edge_id, make_id, normalise
from graph.memory import MemoryStore
from graph.model import Edge, Node, Source, clean_properties, coalesce
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore

SRC = Source("test", "t.csv", "line 1")
FILE = Source("test", "t.csv")


def _plain_normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold()


@settings(max_examples=500, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=40))
def test_normalise_matches_its_plain_form(text: str, repeat: int) -> None:
    # Short texts take the cached path, long ones the direct one; ASCII skips NFKC.
    for sample in (text, text * repeat, text.encode("ascii", "ignore").decode()):
        assert normalise(sample) == _plain_normalise(sample)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c"]),
        st.one_of(st.none(), st.text(max_size=2), st.lists(st.text(max_size=1), max_size=2), st.integers()),
    )
)
def test_clean_properties_drops_only_empty_values(props: dict[str, object]) -> None:
    cleaned = clean_properties(props)
    assert cleaned == {k: v for k, v in props.items() if v is not None and v != [] and v != ""}
    assert cleaned is not props  # callers may change what they get


def _country() -> Node:
    return Node("country:UA", NodeLabel.COUNTRY, {"name": "Ukraine", "code": "UA", "kind": "country"}, [FILE])


def test_coalesce_counts_repeats_of_one_instance_and_merges_differing_ones() -> None:
    shared = _country()
    claim = make_id(NodeLabel.CLAIM, "a claim")
    other = Node("country:UA", NodeLabel.COUNTRY, {"name": "Ukraine (renamed)"}, [SRC], {"kind": "region"})
    links = [
        Edge(EdgeType.CONCERNS, claim, "country:UA", {}, [SRC]),
        Edge(EdgeType.CONCERNS, claim, "country:UA", {}, [FILE]),
    ]
    nodes, edges, repeats = coalesce([shared, shared, _country(), other], links)
    assert len(nodes) == 1 and len(edges) == 1
    assert repeats == {"Country": 3, "CONCERNS": 1}
    merged = nodes[0]
    assert merged.properties == {"name": "Ukraine (renamed)", "code": "UA", "kind": "country"}
    assert merged.sources == [FILE, SRC]
    assert merged.defaults == {"kind": "region"}
    assert edges[0].sources == [SRC, FILE]
    assert shared.properties["name"] == "Ukraine"  # the loader's instance is never changed


def test_one_call_folds_as_separate_calls_would(store: GraphStore) -> None:
    # A repeat without a value ("" or None means no value) leaves the earlier value standing, in
    # properties and in defaults, on both stores: one call ends as the same calls one by one.
    claim = make_id(NodeLabel.CLAIM, "a claim")
    first = Node(
        claim,
        NodeLabel.CLAIM,
        {"title": "A claim", "url": "https://x.example/1"},
        [SRC],
        {"text": "Its text"},
    )
    again = Node(claim, NodeLabel.CLAIM, {"title": "A claim", "url": None}, [FILE], {"text": ""})
    link = Edge(EdgeType.CONCERNS, claim, "country:UA", {}, [SRC])
    result = store.upsert([first, _country(), again], [link, link])
    stored = store.get_nodes([claim])[0]
    assert stored.properties == {"title": "A claim", "url": "https://x.example/1", "text": "Its text"}
    assert stored.sources == [SRC, FILE]
    assert result.nodes_created == {"Claim": 1, "Country": 1}
    assert result.nodes_updated == {"Claim": 1} and result.edges_updated == {"CONCERNS": 1}


def test_edge_defaults_and_symmetric_order() -> None:
    a, b = make_id(NodeLabel.CLAIM, "a"), make_id(NodeLabel.CLAIM, "b")
    low, high = sorted([a, b])
    edge = Edge(EdgeType.SIMILAR_TO, high, low)
    assert (edge.source, edge.target) == (low, high)
    assert edge.properties == {} and edge.sources == [] and edge.defaults == {}
    assert Edge(EdgeType.SIMILAR_TO, high, low).properties is not edge.properties
    assert Edge(EdgeType.PART_OF, high, "narrative:x").source == high  # directed: order kept


def test_an_edge_id_kept_after_its_first_use_is_that_of_its_type_and_ends() -> None:
    # The id is hashed the first time it is asked for and kept on the edge: a copy with other ends,
    # or one that crossed a process boundary, answers for its own type and ends all the same.
    a, b, c = (make_id(NodeLabel.CLAIM, key) for key in "abc")
    edge = Edge(EdgeType.SIMILAR_TO, a, b, {"score": 0.5}, [SRC])
    assert edge.id == edge_id(EdgeType.SIMILAR_TO, *sorted([a, b])) == edge.id
    moved = dataclasses.replace(edge, target=c)
    assert moved.id == edge_id(EdgeType.SIMILAR_TO, *sorted([edge.source, c])) != edge.id
    assert moved != edge and dataclasses.replace(edge) == edge
    copied = pickle.loads(pickle.dumps(edge))
    assert (copied.id, copied) == (edge.id, edge)


def _claim(title: str) -> Node:
    return Node(make_id(NodeLabel.CLAIM, "fixed key"), NodeLabel.CLAIM, {"title": title}, [SRC])


def _found(store: GraphStore, word: str) -> list[str]:
    return [n.id for n in store.find_nodes(NodeLabel.CLAIM, query=word).items]


def test_search_sees_every_write_before_and_after_the_first_query(store: GraphStore) -> None:
    node = _claim("Grain corridor closed")
    store.upsert([node])
    store.upsert([_claim("Grain corridor reopened")])  # changed before any search
    assert _found(store, "reopened") == [node.id]
    assert _found(store, "closed") == []
    store.upsert([_claim("Pipeline sabotage")])  # and after one
    assert _found(store, "sabotage") == [node.id]
    assert _found(store, "grain") == []
    store.remove_source("test")
    assert _found(store, "sabotage") == []


def test_search_after_reading_the_data_directory(tmp_path: Path) -> None:
    writer = MemoryStore(tmp_path)
    with writer.bulk():
        writer.upsert([_claim("Biolabs in Ukraine")])
    reader = MemoryStore(tmp_path)
    assert _found(reader, "biolabs") == _found(writer, "biolabs") != []
