"""Hostile content in every text field: Cypher fragments, markup and script, event handlers,
`javascript:` links, very long strings, control characters, right-to-left marks.

It goes in through a loader (a mapping CSV and a ClaimReview file whose every field is hostile, in
files with hostile names) and straight through `upsert`; it is stored and returned verbatim by the
store and by the API (JSON), queries that carry it as a search term find it and change nothing, and
the rendered views (HTML and SVG) carry it as inert text: no element, attribute or link it could
inject. The views helper's browser tests check the real rendering; this checks the markup.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from api.app import create_app
from graph.ids import make_id
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore
from loaders.runner import Runner
from tests.api.conftest import make_settings
from tests.reliability.checks import check_integrity
from tests.reliability.conftest import fuzz_settings, tally
from visualisations.kinds import ViewFormat, ViewKind
from visualisations.views import ViewRequest, render

LONG = "Long " + "very " * 20_000 + "end"
PAYLOADS = [
    "'}) MATCH (n) DETACH DELETE n //",
    '" OR 1=1 RETURN n; CREATE (:Claim {id: "claim:x"}) //',
    "`Claim`) DETACH DELETE n WITH $props AS p //",
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)><a href="javascript:alert(2)">click</a>',
    "</script><script>document.title='pwned'</script>",
    "{{7*7}} ${7*7} %s%n",
    "Ctrl\x00chars\x01\x07\x08\x1b[31m\x7f here",
    "RTL \u202egnp.exe\u202c and \u200f\u2066isolate\u2069 \ufeff zero\u200bwidth",
    'Apostrophe\'s "quoted" \\backslash\\ &amp; &lt;b&gt;',
    LONG,
]
_MARKERS = ("alert", "pwned", "javascript:", "onerror", "onload")


def _hostile(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


# -- through the loaders ----------------------------------------------------------------------------

_MAPPING = """dataset: "hostile <script>alert(1)</script>"
input: {type: csv, delimiter: ","}
fields:
  id: ref
  title: headline
  claim: summary
  debunk: rebuttal
  debunk_url: rebuttal_url
  date: published
  narrative: theme
  subnarrative: strand
  outlets: {from: channel, separator: "|"}
  speakers: said_by
  keywords: {from: tags, separator: "|"}
  url: link
  rating: verdict
  publisher: checker
"""
_COLUMNS = [
    "ref",
    "headline",
    "summary",
    "rebuttal",
    "rebuttal_url",
    "published",
    "theme",
    "strand",
    "channel",
    "said_by",
    "tags",
    "link",
    "verdict",
    "checker",
]


def _hostile_csv(folder: Path) -> tuple[Path, Path]:
    import csv

    path = folder / 'cases "<img src=x onerror=alert(1)>".csv'
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(_COLUMNS)
        for i, payload in enumerate(PAYLOADS):
            row = {c: f"{c} {i} {payload}" for c in _COLUMNS}
            row["published"] = "2023-05-0" + str(1 + i % 9)
            row["rebuttal_url"] = f"https://checks.example.org/{i}?q={payload[:40]}"
            writer.writerow([row[c] for c in _COLUMNS])
    mapping = folder / "hostile.yaml"
    mapping.write_text(_MAPPING, encoding="utf-8")
    return path, mapping


def _hostile_reviews(folder: Path) -> Path:
    reviews = []
    for i, payload in enumerate(PAYLOADS):
        reviews.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"https://checks.example.org/review/{i}#{payload[:30]}",
                "datePublished": "2023-06-01",
                "author": {"@type": "Organization", "name": f"Checker {i} {payload}"},
                "claimReviewed": f"Reviewed claim {i} {payload}",
                "reviewBody": f"Body {i} {payload}",
                "itemReviewed": {
                    "@type": "Claim",
                    "author": {"@type": "Person", "name": f"Speaker {i} {payload}"},
                },
                "reviewRating": {"@type": "Rating", "alternateName": f"Rating {i} {payload}"},
            }
        )
    path = folder / "reviews <script>.json"
    path.write_text(json.dumps(reviews), encoding="utf-8")
    return path


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _stored_strings(store: GraphStore) -> list[str]:
    out: list[str] = []
    for node in store.iter_nodes():
        out += _strings(node.properties) + [s.encode() for s in node.sources]
    for edge in store.iter_edges():
        out += _strings(edge.properties)
    return out


@pytest.fixture
def hostile_store(store: GraphStore, tmp_path: Path) -> GraphStore:
    path, mapping = _hostile_csv(tmp_path)
    report = Runner(store, link=False).load([path], "mapping", mapping)
    assert report.records == len(PAYLOADS), [str(r) for r in report.rejections]
    report = Runner(store, link=False).load([_hostile_reviews(tmp_path)])
    assert report.records == len(PAYLOADS), [str(r) for r in report.rejections]
    tally("hostile: payloads loaded", 2 * len(PAYLOADS))
    return store


def test_hostile_fields_are_stored_verbatim(hostile_store: GraphStore) -> None:
    check_integrity(hostile_store)
    stored = "\x1e".join(_stored_strings(hostile_store))
    for payload in PAYLOADS:
        # Loaders collapse runs of white space and strip the ends; none of the payloads has either.
        assert payload in stored, f"payload not stored verbatim: {payload[:60]!r}"


def _client(store: GraphStore) -> TestClient:
    return TestClient(create_app(make_settings(), store=store))


def test_hostile_fields_come_back_verbatim_from_the_api(hostile_store: GraphStore) -> None:
    before = hostile_store.counts()
    with _client(hostile_store) as client:
        for claim in hostile_store.iter_nodes(NodeLabel.CLAIM):
            r = client.get(f"/claims/{claim.id}")
            assert r.status_code == 200, r.text
            assert r.headers["content-type"].startswith("application/json")
            assert r.json()["claim"]["properties"] == claim.properties
            sub = client.get("/graph/neighbourhood", params={"id": claim.id, "depth": 1})
            assert sub.status_code == 200, sub.text
            for node in sub.json()["nodes"]:
                [stored] = hostile_store.get_nodes([node["id"]])
                assert node["properties"] == stored.properties
        for payload in PAYLOADS:
            for query in (payload, payload[:200]):
                r = client.get("/claims", params={"q": query[:500]})
                assert r.status_code in (200, 422), r.text  # a too-long query is refused, not run
                tally("hostile: API searches")
    assert hostile_store.counts() == before, "a search changed the graph"


# -- straight through the store, every text property, both stores -----------------------------------


def _hostile_nodes(payload: str, n: int) -> tuple[list[Node], list[Edge]]:
    src = [Source(f"hostile {payload[:50]}", f"file {payload[:50]}", f"line {n} {payload[:30]}")]
    claim = Node(
        make_id(NodeLabel.CLAIM, f"claim {n} {payload[:100]}"),
        NodeLabel.CLAIM,
        {"title": payload, "text": payload, "url": payload, "keywords": [payload, "plain"]},
        src,
    )
    narrative = Node(
        make_id(NodeLabel.NARRATIVE, f"narrative {n} {payload[:100]}"),
        NodeLabel.NARRATIVE,
        {"name": payload, "kind": "keyword", "terms": [payload]},
        src,
    )
    actor = Node(
        make_id(NodeLabel.ACTOR, f"actor {n} {payload[:100]}"),
        NodeLabel.ACTOR,
        {"name": payload, "kind": "outlet", "aliases": [payload], "url": payload},
        src,
    )
    debunk = Node(
        make_id(NodeLabel.DEBUNK, f"debunk {n} {payload[:100]}"),
        NodeLabel.DEBUNK,
        {"text": payload, "publisher": payload, "rating": payload, "url": payload},
        src,
    )
    edges = [
        Edge(EdgeType.PART_OF, claim.id, narrative.id, sources=src),
        Edge(EdgeType.PUBLISHED_BY, claim.id, actor.id, {"url": payload}, src),
        Edge(EdgeType.ATTRIBUTED_TO, claim.id, actor.id, {"quote": payload}, src),
        Edge(EdgeType.DEBUNKS, debunk.id, claim.id, sources=src),
    ]
    return [claim, narrative, actor, debunk], edges


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_store_returns_every_property_verbatim(store: GraphStore, index: int) -> None:
    nodes, edges = _hostile_nodes(_hostile(index), index)
    store.upsert(nodes, edges)
    for node in nodes:
        [got] = store.get_nodes([node.id])
        assert got.properties == node.properties
        assert got.sources == node.sources
    got_edges = {e.key: e for e in store.adjacent([nodes[0].id])}
    for edge in edges:
        assert got_edges[edge.key].properties == edge.properties
        assert got_edges[edge.key].sources == edge.sources
    found = store.find_nodes(NodeLabel.CLAIM, query=_hostile(index)[:200], limit=5)
    assert found.total >= 0
    assert store.find_nodes(NodeLabel.CLAIM, filters={"title": _hostile(index)}).total == 1
    check_integrity(store)


_ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=300)


@fuzz_settings(25, 1000)
@given(text=_ANY_TEXT)
def test_any_text_round_trips_through_the_embedded_store(text: str) -> None:
    from graph.memory import MemoryStore

    tally("hostile: generated strings")
    store = MemoryStore()
    nodes, edges = _hostile_nodes(text, 0)
    store.upsert(nodes, edges)
    assert [n.properties for n in store.get_nodes([n.id for n in nodes])] == [n.properties for n in nodes]


# -- rendered inert ---------------------------------------------------------------------------------


class _Markup(HTMLParser):
    """Every tag and attribute of a page, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


_INJECTED = ("alert('xss')", "alert(1)", "alert(2)", "pwned")  # only a payload can have put these there


def _assert_inert_html(page: str) -> None:
    """No element or attribute a payload could have made; its data block is JSON that cannot close
    the block; the product's own scripts carry no payload."""
    markup = _Markup()
    markup.feed(page)
    for tag, attrs in markup.tags:
        assert tag not in {"img", "iframe", "object", "embed", "svg"} or not any(
            m in str(attrs) for m in _MARKERS
        ), (tag, attrs)
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler attribute on <{tag}>: {name}={value!r}"
            if name in {"href", "src", "action", "xlink:href", "formaction"}:
                assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)
    script_tags = [dict(attrs) for tag, attrs in markup.tags if tag == "script"]
    assert len(script_tags) == len(markup.scripts)
    for script_attrs, body in zip(script_tags, markup.scripts, strict=True):
        if script_attrs.get("type") == "application/json":
            assert "<" not in body and ">" not in body, "markup inside the data block"
            json.loads(body)  # still the JSON it was, payloads and all
        else:
            assert not any(m in body for m in _INJECTED), "a payload reached a script"


def _assert_inert_svg(svg: str) -> None:
    root = ElementTree.fromstring(svg)  # well-formed: no payload (control characters too) broke it
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        assert tag not in {"script", "foreignObject", "iframe"}, f"<{tag}> in the SVG"
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            assert not local.startswith("on"), f"event handler in the SVG: {local}={value!r}"
            if local == "href":
                assert not value.strip().lower().startswith("javascript:"), value


def test_views_render_hostile_content_inert(hostile_store: GraphStore) -> None:
    claims = list(hostile_store.iter_nodes(NodeLabel.CLAIM))
    narrative = next(hostile_store.iter_nodes(NodeLabel.NARRATIVE))
    rendered = 0
    for claim in claims[:6]:
        request = ViewRequest(kind=ViewKind.NEIGHBOURHOOD, id=claim.id, depth=1, limit=100)
        page = render(hostile_store, request, ViewFormat.HTML).decode("utf-8")
        _assert_inert_html(page)
        _assert_inert_svg(render(hostile_store, request, ViewFormat.SVG).decode("utf-8"))
        rendered += 2
    for kind, node_id in ((ViewKind.NARRATIVE, narrative.id), (ViewKind.TIMELINE, narrative.id)):
        request = ViewRequest(kind=kind, id=node_id, limit=100)
        page = render(hostile_store, request, ViewFormat.HTML).decode("utf-8")
        _assert_inert_html(page)
        _assert_inert_svg(render(hostile_store, request, ViewFormat.SVG).decode("utf-8"))
        rendered += 2
    tally("hostile: views rendered", rendered)


def test_svg_with_control_characters_is_well_formed(memory_store: GraphStore) -> None:
    nodes, edges = _hostile_nodes("Ctrl\x00chars\x01\x1b[31m here", 0)
    memory_store.upsert(nodes, edges)
    request = ViewRequest(kind=ViewKind.NEIGHBOURHOOD, id=nodes[0].id, depth=1, limit=10)
    ElementTree.fromstring(render(memory_store, request, ViewFormat.SVG).decode("utf-8"))
