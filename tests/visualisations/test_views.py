"""The views without a browser: what they contain, what they escape, what they leave out; on both stores."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from graph.exc import InvalidInputError, LimitExceededError, NotFoundError
from graph.model import Edge, Source
from graph.ontology import EDGE_SPECS, NODE_SPECS, EdgeType, NodeLabel
from graph.store import GraphStore
from tests.visualisations.conftest import HREF_TITLE, XSS_TITLE, add_hostile_claims
from tests.visualisations.synthetic import Synthetic, build_synthetic
from visualisations.html import json_for_script, network_html
from visualisations.layout import layout
from visualisations.network import GraphView, build_network
from visualisations.style import EDGE_STYLES, NODE_STYLES, edge_look
from visualisations.views import (
    ViewFormat,
    ViewKind,
    ViewRequest,
    build,
    narrative_view,
    neighbourhood_view,
    path_view,
    render,
    timeline_data,
)

SCRIPT_OR_LINK = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*\"(?!data:)", re.IGNORECASE)


@pytest.fixture
def graph(store: GraphStore) -> tuple[GraphStore, Synthetic, tuple[str, str]]:
    ids = build_synthetic(store, 150, seed=2)
    return store, ids, add_hostile_claims(store, ids.claims[0])


def _all_requests(store: GraphStore, ids: Synthetic, hostile: tuple[str, str]) -> list[ViewRequest]:
    country = store.edges_of(ids.claims[0], [EdgeType.CONCERNS])[0].target
    return [
        ViewRequest(ViewKind.NEIGHBOURHOOD, id=hostile[0], depth=2, limit=60),
        ViewRequest(ViewKind.NARRATIVE, id=ids.narratives[0], limit=80),
        ViewRequest(ViewKind.NARRATIVE, limit=80),
        ViewRequest(ViewKind.PATH, source=hostile[1], target=country, k=2),
        ViewRequest(ViewKind.COUNTRY, id=ids.countries[0], limit=50),
        ViewRequest(ViewKind.TIMELINE, id=ids.narratives[0]),
    ]


def test_every_label_and_edge_type_has_a_style() -> None:
    assert set(NODE_STYLES) == set(NODE_SPECS)
    assert set(EDGE_STYLES) == set(EDGE_SPECS)


def test_similarity_width_follows_score_and_method_is_visible() -> None:
    src = [Source("t", "f")]
    weak = edge_look(
        Edge(EdgeType.SIMILAR_TO, "claim:a", "claim:b", {"score": 0.4, "method": "lexical"}, src)
    )
    strong = edge_look(
        Edge(EdgeType.SIMILAR_TO, "claim:a", "claim:b", {"score": 0.9, "method": "editorial"}, src)
    )
    debunk = edge_look(Edge(EdgeType.DEBUNKS, "debunk:a", "claim:b", {}, src))
    assert strong.width > weak.width
    assert weak.dashes and not strong.dashes  # computed dashed, editorial solid
    assert debunk.colour not in {weak.colour, strong.colour} and debunk.arrow


def test_views_are_self_contained_and_escape_every_string(
    graph: tuple[GraphStore, Synthetic, tuple[str, str]],
) -> None:
    store, ids, hostile = graph
    for request in _all_requests(store, ids, hostile):
        page = render(store, request, ViewFormat.HTML, explorer_url="http://127.0.0.1:8000/").decode()
        assert SCRIPT_OR_LINK.search(page) is None, f"{request.kind}: loads something from outside"
        assert "cdn" not in page.lower().replace("cdnjs", "")  # no CDN by name either
        assert "bootstrap" not in page.lower()
        assert 'http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;' in page
        assert "<img src=x" not in page and "<a href=" not in page
        if request.kind is ViewKind.NEIGHBOURHOOD:  # centred on the hostile claim: its title is shown as text
            assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert 'href="javascript' not in page
        assert page.count('<script type="application/json" id="view-data">') == 1
        svg = render(store, request, ViewFormat.SVG).decode()
        root = ET.fromstring(svg)  # well-formed, so nothing from the data broke out of its text node
        assert root.tag.endswith("svg")
        assert "<img" not in svg and "<a " not in svg


def test_hostile_title_travels_as_data_and_reads_back_unchanged(
    graph: tuple[GraphStore, Synthetic, tuple[str, str]],
) -> None:
    store, _, (xss, href) = graph
    view = neighbourhood_view(store, xss, depth=1)
    net = build_network(view)
    tips = {n["id"]: n["tip"]["h"] for n in net.nodes}
    assert tips[xss] == XSS_TITLE and tips[href] == HREF_TITLE
    assert all("title" not in n for n in net.nodes)  # no HTML tooltips for vis to interpret
    encoded = json_for_script({"t": HREF_TITLE + "</script>"})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded


def test_network_keeps_every_edge_even_between_the_same_pair(store: GraphStore) -> None:
    """pyvis's add_edge drops a second edge between two nodes of an undirected graph; ours keeps both."""
    ids = build_synthetic(store, 40, seed=4)
    claim, actor = ids.claims[0], ids.outlets[0]
    src = [Source("t", "f")]
    store.upsert(
        [],
        [Edge(EdgeType.PUBLISHED_BY, claim, actor, {}, src), Edge(EdgeType.MENTIONS, claim, actor, {}, src)],
    )
    view = neighbourhood_view(store, claim, depth=1)
    net = build_network(view)
    assert len(net.nodes) == len(view.subgraph.nodes)
    assert len(net.edges) == len(view.subgraph.edges)
    pair = [e for e in net.edges if {e["from"], e["to"]} == {claim, actor}]
    assert {e["type"] for e in pair} == {"PUBLISHED_BY", "MENTIONS"}


def test_big_view_is_placed_on_the_server_with_physics_off(store: GraphStore) -> None:
    ids = build_synthetic(store, 500, seed=6)
    view = neighbourhood_view(store, ids.countries[0], depth=3, limit=400)
    net = build_network(view)
    assert net.options["physics"] == {"enabled": False}
    xs = {n["x"] for n in net.nodes}
    assert len(xs) > len(net.nodes) * 0.9  # really spread out, not stacked
    small = build_network(neighbourhood_view(store, ids.claims[0], depth=1))
    assert small.options["physics"]["enabled"] is True


def test_truncated_view_says_showing_n_of_m(graph: tuple[GraphStore, Synthetic, tuple[str, str]]) -> None:
    store, ids, _ = graph
    view = neighbourhood_view(store, ids.countries[0], depth=2, limit=25)
    assert view.subgraph.truncated
    assert view.truncation == f"Showing 25 of {view.subgraph.total:,} nodes"
    assert view.truncation in network_html(view)
    whole = neighbourhood_view(store, ids.claims[3], depth=1, limit=500)
    assert whole.truncation == ""


def test_narrative_map_holds_narratives_claims_countries_outlets(
    graph: tuple[GraphStore, Synthetic, tuple[str, str]],
) -> None:
    store, ids, _ = graph
    view = narrative_view(store, limit=100)
    labels = {n.label for n in view.subgraph.nodes}
    assert {NodeLabel.NARRATIVE, NodeLabel.CLAIM, NodeLabel.COUNTRY, NodeLabel.ACTOR} <= labels
    assert len(view.subgraph.nodes) <= 100 + len(ids.countries) + len(ids.outlets)
    narratives_with_claims = {e.target for e in view.subgraph.edges if e.type is EdgeType.PART_OF}
    stored = {e.target for e in store.iter_edges(EdgeType.PART_OF)}
    assert narratives_with_claims == stored  # every narrative keeps at least one claim


def test_path_view_explains_each_hop(graph: tuple[GraphStore, Synthetic, tuple[str, str]]) -> None:
    store, ids, (xss, href) = graph
    view = path_view(store, href, ids.claims[0], k=1)
    path = store.shortest_paths(href, ids.claims[0], k=1)[0]
    assert len(view.notes) == path.length
    assert "is similar to" in view.notes[0]
    with pytest.raises(NotFoundError):
        path_view(store, ids.narratives[0], ids.narratives[0].replace("narrative:", "narrative:0"), k=1)


def test_timeline_counts_dated_claims_and_marks_comebacks(store: GraphStore) -> None:
    ids = build_synthetic(store, 300, seed=8)
    narrative = ids.narratives[-1]  # not the wider narrative others are strands of
    assert not store.adjacent([narrative], [EdgeType.SUBNARRATIVE_OF])
    claims = [e.source for e in store.adjacent([narrative], [EdgeType.PART_OF])]
    data = timeline_data(store, narrative, gap_days=90)
    assert sum(c for _, c in data.months) == len(claims)
    dates = sorted(str(n.get("date")) for n in store.get_nodes(claims))
    assert data.first_seen == dates[0] and data.last_seen == dates[-1]
    months = [m for m, _ in data.months]
    assert months == sorted(months) and len(set(months)) == len(months)
    with pytest.raises(InvalidInputError):
        timeline_data(store, ids.countries[0])
    quiet = [(day, gap) for day, gap in data.comebacks]
    assert all(gap > 90 for _, gap in quiet)


def test_requests_are_checked(graph: tuple[GraphStore, Synthetic, tuple[str, str]]) -> None:
    store, ids, _ = graph
    with pytest.raises(InvalidInputError, match="needs --target"):
        build(store, ViewRequest(ViewKind.PATH, source=ids.claims[0]))
    with pytest.raises(LimitExceededError):
        build(store, ViewRequest(ViewKind.NEIGHBOURHOOD, id=ids.claims[0], limit=10_000), max_limit=5000)
    with pytest.raises(InvalidInputError):
        build(store, ViewRequest(ViewKind.COUNTRY, id=ids.claims[0]))


def test_layout_is_deterministic_and_finite() -> None:
    ids = [f"n{i}" for i in range(400)]
    pairs = [(ids[i], ids[(i * 7 + 3) % 400]) for i in range(400)]
    first, second = layout(ids, pairs), layout(ids, pairs)
    assert first == second
    assert all(abs(x) < 1e6 and abs(y) < 1e6 for x, y in first.values())
    assert len({(round(x, 3), round(y, 3)) for x, y in first.values()}) == len(ids)


def test_graph_view_counts() -> None:
    from graph.store import Subgraph

    view = GraphView("neighbourhood", "t", Subgraph([], [], truncated=True, total=10))
    assert view.truncation == "Showing 0 of 10 nodes"


def test_cli_render_writes_each_format_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cli.main import app
    from graph.memory import MemoryStore

    data_dir = tmp_path / "data"
    ids = build_synthetic(MemoryStore(data_dir), 80, seed=9)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    runner = CliRunner()
    for name, extra in (("n.html", ["--id", ids.claims[0]]), ("c.svg", ["--id", ids.countries[0]])):
        kind = "neighbourhood" if name.startswith("n") else "country"
        result = runner.invoke(app, ["--data-dir", str(data_dir), "render", kind, *extra, "-o", name])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in work.iterdir()) == ["c.svg", "n.html"]  # no lib/ folder, no temp files
    assert (work / "n.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = runner.invoke(app, ["--data-dir", str(data_dir), "render", "country", "--id", "x", "-o", "v.pdf"])
    assert bad.exit_code != 0


@pytest.mark.browser
def test_print_exports_are_png_and_svg(
    graph: tuple[GraphStore, Synthetic, tuple[str, str]], browser_available: None, screenshots: Path
) -> None:
    store, ids, hostile = graph
    if type(store).__name__ != "MemoryStore":
        pytest.skip("print exports are store-independent; drawn once")
    for request in _all_requests(store, ids, hostile):
        svg = render(store, request, ViewFormat.SVG)
        png = render(store, request, ViewFormat.PNG)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
        stem = f"print-{request.kind.value}{'' if request.id or request.source else '-map'}"
        (screenshots / f"{stem}.png").write_bytes(png)
        (screenshots / f"{stem}.svg").write_bytes(svg)


def test_api_serves_views_with_frame_ancestors_from_settings(
    graph: tuple[GraphStore, Synthetic, tuple[str, str]],
) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from graph.settings import Settings

    store, ids, _ = graph
    settings = Settings(frame_ancestors="https://newsroom.example")  # type: ignore[call-arg]
    client = TestClient(create_app(settings, store))
    page = client.get("/views/neighbourhood", params={"id": ids.claims[0]})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"].endswith("frame-ancestors https://newsroom.example")
    svg = client.get("/views/timeline", params={"id": ids.narratives[0], "format": "svg"})
    assert svg.headers["content-type"] == "image/svg+xml"
    ET.fromstring(svg.text)
    assert client.get("/views/nope").status_code == 422
    missing = client.get("/views/path", params={"source": ids.claims[0]})
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "invalid_input"
    too_many = client.get("/views/neighbourhood", params={"id": ids.claims[0], "limit": 10**6})
    assert too_many.status_code == 422
    explorer = client.get("/")
    assert explorer.status_code == 200 and "explorer.js" in explorer.text
    assert "script-src 'self'" in explorer.headers["content-security-policy"]
    for asset in ("explorer.js", "explorer.css", "vis-network.min.js", "vis-network.css", "style.json"):
        assert client.get(f"/explorer/{asset}").status_code == 200, asset
    assert client.get("/explorer/..%2Fapp.py").status_code == 404


def test_png_without_chromium_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from visualisations.png import RendererUnavailableError, find_chromium

    monkeypatch.delenv("NARRATIVES_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", os.devnull)
    with pytest.raises(RendererUnavailableError, match="SVG export works without it"):
        find_chromium()
