"""`/graph/neighbourhood` and `/graph/paths`: limits, filters, and hops in words."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import GraphStore
from tests.api.conftest import IDS, assert_error, make_settings


def test_neighbourhood_depth_one(client: TestClient) -> None:
    body = client.get("/graph/neighbourhood", params={"id": IDS.farmers}).json()
    ids = {n["id"] for n in body["nodes"]}
    assert ids == {IDS.farmers, IDS.ua, IDS.backfire, IDS.outlet, IDS.debunk, IDS.ruined}
    assert body["total"] == 6 and body["truncated"] is False
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])
    # Edges among the reached nodes, not only those at the centre: ruined → ua, ruined → backfire.
    assert {(e["source"], e["target"]) for e in body["edges"]} >= {
        (IDS.ruined, IDS.ua),
        (IDS.ruined, IDS.backfire),
    }


def test_neighbourhood_depth_two_filters_and_limit(client: TestClient) -> None:
    everything = client.get("/graph/neighbourhood", params={"id": IDS.farmers, "depth": 2}).json()
    assert IDS.collapse in {n["id"] for n in everything["nodes"]}
    claims_only = client.get(
        "/graph/neighbourhood", params={"id": IDS.ua, "depth": 2, "labels": ["Claim"]}
    ).json()
    assert {n["id"] for n in claims_only["nodes"]} == {IDS.ua, IDS.farmers, IDS.ruined}
    similar = client.get(
        "/graph/neighbourhood", params={"id": IDS.farmers, "depth": 3, "edge_types": ["SIMILAR_TO"]}
    ).json()
    assert {n["id"] for n in similar["nodes"]} == {IDS.farmers, IDS.ruined}
    capped = client.get("/graph/neighbourhood", params={"id": IDS.farmers, "depth": 2, "limit": 3}).json()
    assert len(capped["nodes"]) == 3 and capped["truncated"] is True
    assert capped["total"] == everything["total"]
    assert capped["nodes"][0]["id"] == IDS.farmers  # nearest first


def test_neighbourhood_limits(client: TestClient) -> None:
    err = assert_error(
        client.get("/graph/neighbourhood", params={"id": IDS.ua, "depth": 4}), 422, "limit_exceeded"
    )
    assert "depth" in str(err["message"]) and "3" in str(err["message"])
    err = assert_error(client.get("/graph/neighbourhood", params={"id": IDS.ua, "limit": 5001}), 422)
    assert "5000" in str(err["message"])
    assert_error(client.get("/graph/neighbourhood", params={"id": "claim:00000000000000000000"}), 404)
    assert_error(client.get("/graph/neighbourhood", params={"id": IDS.ua, "labels": ["Planet"]}), 422)
    assert_error(client.get("/graph/neighbourhood"), 422)


def test_paths_explain_each_hop(client: TestClient) -> None:
    body = client.get("/graph/paths", params={"source": IDS.ruined, "target": IDS.collapse, "k": 5}).json()
    assert body["count"] >= 1
    first = body["data"][0]
    assert first["length"] == 2
    assert [n["id"] for n in first["nodes"]] == [IDS.ruined, IDS.backfire, IDS.collapse]
    sentences = [h["sentence"] for h in first["hops"]]
    assert sentences == [
        "claim “European farmers ruined by the sanctions” is part of "
        "narrative “Sanctions backfire on Europe”",
        "narrative “Sanctions backfire on Europe” is a strand of narrative “Europe is collapsing”",
    ]
    lengths = [p["length"] for p in body["data"]]
    assert lengths == sorted(lengths)


def test_similarity_hops_name_method_and_score(client: TestClient) -> None:
    body = client.get(
        "/graph/paths",
        params={"source": IDS.ruined, "target": IDS.debunk, "edge_types": ["SIMILAR_TO", "DEBUNKS"]},
    ).json()
    hops = [h["sentence"] for h in body["data"][0]["hops"]]
    assert hops[0] == (
        "claim “European farmers ruined by the sanctions” is similar to claim “Sanctions hurt only European "
        "farmers” (lexical, 0.82)"
    )
    assert hops[1].startswith("debunk “EU farm exports grew after 2014")
    assert hops[1].endswith("debunks claim “Sanctions hurt only European farmers”")


def test_hubs_are_skipped_unless_asked(loaded: GraphStore) -> None:
    # Every node between the two claims has more than one edge: with a threshold of 1 all are hubs.
    app = create_app(make_settings(hub_degree=1), store=loaded)
    with TestClient(app) as c:
        params = {"source": IDS.farmers, "target": IDS.gas, "max_length": 6}
        assert c.get("/graph/paths", params=params).json()["count"] == 0
        through = c.get("/graph/paths", params={**params, "skip_hubs": "false"}).json()
        assert through["count"] >= 1


def test_path_errors(client: TestClient) -> None:
    assert_error(
        client.get("/graph/paths", params={"source": IDS.ua, "target": "claim:00000000000000000000"}), 404
    )
    assert_error(
        client.get("/graph/paths", params={"source": IDS.ua, "target": IDS.de, "max_length": 7}), 422
    )
    assert_error(client.get("/graph/paths", params={"source": IDS.ua, "target": IDS.de, "k": 21}), 422)
