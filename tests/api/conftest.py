"""The API over a small graph we wrote ourselves, on each store.

The graph: three claims feeding two narratives (one a strand of the other), a debunk, two countries, an
outlet and a spokesperson, and one lexical similarity link. Ids come from the natural keys, as a loader
would make them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from graph.ids import code_id, make_id
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NodeLabel
from graph.settings import Settings
from graph.store import GraphStore

TOKEN = "test-token-7c1d"


@dataclass(frozen=True)
class Ids:
    ua: str = code_id(NodeLabel.COUNTRY, "UA")
    de: str = code_id(NodeLabel.COUNTRY, "DE")
    backfire: str = make_id(NodeLabel.NARRATIVE, "Sanctions backfire on Europe")
    collapse: str = make_id(NodeLabel.NARRATIVE, "Europe is collapsing")
    outlet: str = make_id(NodeLabel.ACTOR, "Example Daily")
    spokesman: str = make_id(NodeLabel.ACTOR, "A. Spokesman")
    farmers: str = make_id(NodeLabel.CLAIM, "Sanctions hurt only European farmers", "2016-03-01")
    ruined: str = make_id(NodeLabel.CLAIM, "European farmers ruined by the sanctions", "2019-07-10")
    gas: str = make_id(NodeLabel.CLAIM, "Germany will freeze without Russian gas", "2022-01-05")
    debunk: str = make_id(NodeLabel.DEBUNK, "https://debunks.example/farmers")


IDS = Ids()


def _src(row: int) -> list[Source]:
    return [Source("apitest", "fixture.csv", f"line {row}")]


def graph_records() -> tuple[list[Node], list[Edge]]:
    i = IDS
    nodes = [
        Node(i.ua, NodeLabel.COUNTRY, {"name": "Ukraine", "code": "UA", "kind": "country"}, _src(1)),
        Node(i.de, NodeLabel.COUNTRY, {"name": "Germany", "code": "DE", "kind": "country"}, _src(1)),
        Node(
            i.backfire,
            NodeLabel.NARRATIVE,
            {"name": "Sanctions backfire on Europe", "kind": "keyword"},
            _src(2),
        ),
        Node(i.collapse, NodeLabel.NARRATIVE, {"name": "Europe is collapsing", "kind": "editorial"}, _src(2)),
        Node(i.outlet, NodeLabel.ACTOR, {"name": "Example Daily", "kind": "outlet"}, _src(3)),
        Node(i.spokesman, NodeLabel.ACTOR, {"name": "A. Spokesman", "kind": "person"}, _src(3)),
        Node(
            i.farmers,
            NodeLabel.CLAIM,
            {
                "title": "Sanctions hurt only European farmers",
                "text": "The sanctions against Russia hurt only European farmers, who lose their markets.",
                "date": "2016-03-01",
                "languages": ["English"],
                "url": "https://cases.example/farmers",
            },
            _src(4),
        ),
        Node(
            i.ruined,
            NodeLabel.CLAIM,
            {
                "title": "European farmers ruined by the sanctions",
                "text": "Farmers across Europe are ruined because of the sanctions.",
                "date": "2019-07-10",
                "languages": ["German", "English"],
            },
            _src(5),
        ),
        Node(
            i.gas,
            NodeLabel.CLAIM,
            {
                "title": "Germany will freeze without Russian gas",
                "date": "2022-01-05",
                "languages": ["German"],
            },
            _src(6),
        ),
        Node(
            i.debunk,
            NodeLabel.DEBUNK,
            {
                "text": "EU farm exports grew after 2014; the claim ignores the data.",
                "url": "https://debunks.example/farmers",
                "publisher": "Debunks Example",
                "rating": "disinformation",
                "date": "2016-03-05",
            },
            _src(4),
        ),
    ]
    edges = [
        Edge(EdgeType.CONCERNS, i.farmers, i.ua, sources=_src(4)),
        Edge(EdgeType.CONCERNS, i.ruined, i.ua, sources=_src(5)),
        Edge(EdgeType.CONCERNS, i.gas, i.de, sources=_src(6)),
        Edge(EdgeType.PART_OF, i.farmers, i.backfire, sources=_src(4)),
        Edge(EdgeType.PART_OF, i.ruined, i.backfire, sources=_src(5)),
        Edge(EdgeType.PART_OF, i.gas, i.collapse, sources=_src(6)),
        Edge(EdgeType.SUBNARRATIVE_OF, i.backfire, i.collapse, {"share": 0.5}, _src(2)),
        Edge(EdgeType.PUBLISHED_BY, i.farmers, i.outlet, {"url": "https://daily.example/a1"}, _src(4)),
        Edge(EdgeType.ATTRIBUTED_TO, i.ruined, i.spokesman, {"quote": "They are ruined"}, _src(5)),
        Edge(EdgeType.MENTIONS, i.gas, i.spokesman, sources=_src(6)),
        Edge(EdgeType.DEBUNKS, i.debunk, i.farmers, sources=_src(4)),
        Edge(
            EdgeType.SIMILAR_TO,
            i.farmers,
            i.ruined,
            {"score": 0.82, "method": "lexical", "evidence": "farmers, sanctions, european"},
            _src(5),
            defaults={"verdict": "unreviewed"},
        ),
    ]
    return nodes, edges


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"store": "memory", "api_token": SecretStr(TOKEN), "cors_origins": []}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    nodes, edges = graph_records()
    store.upsert(nodes, edges)
    return store


@pytest.fixture
def client(loaded: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(), store=loaded)) as c:
        yield c


def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def assert_error(response: object, status: int, code: str | None = None) -> dict[str, object]:
    """The one error shape, with this status (and code)."""
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"code", "message", "status", "details"}
    assert err["status"] == status
    assert isinstance(err["message"], str) and err["message"]
    if code is not None:
        assert err["code"] == code, err
    return dict(err)
