"""`POST /match`: the known claims a text repeats, with their debunks and narratives."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from graph.model import Node, Source
from graph.ontology import NodeLabel
from graph.store import GraphStore
from tests.api.conftest import IDS, assert_error, make_settings


def test_match_finds_the_claim_a_text_repeats(client: TestClient) -> None:
    r = client.post(
        "/match", json={"text": "sanctions hurt European farmers only, they lose markets", "k": 3}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == len(body["data"]) >= 1
    best = body["data"][0]
    assert best["claim"]["id"] == IDS.farmers
    assert 0 < best["score"] <= 1
    assert [d["id"] for d in best["debunks"]] == [IDS.debunk]
    assert [n["id"] for n in best["narratives"]] == [IDS.backfire]
    scores = [m["score"] for m in body["data"]]
    assert scores == sorted(scores, reverse=True)


def test_match_limits(client: TestClient) -> None:
    assert_error(client.post("/match", json={"text": "gas", "k": 0}), 422)
    assert_error(client.post("/match", json={"text": "gas", "k": 101}), 422)
    assert_error(client.post("/match", json={"text": "   "}), 422)
    assert_error(client.post("/match", json={}), 422)
    # Not integers, though a lenient parser reads `true` as 1 and "5" as 5 (found by schemathesis).
    for k in (True, "5", 2.5):
        assert_error(client.post("/match", json={"text": "gas", "k": k}), 422)
    assert_error(
        client.post("/match", content=b"not json", headers={"content-type": "application/json"}), 422
    )


def test_match_sees_claims_written_after_a_refresh(loaded: GraphStore) -> None:
    with TestClient(create_app(make_settings(), store=loaded)) as c:
        text = {"text": "Polar bears invade the Baltic coast"}
        before = [m["claim"]["id"] for m in c.post("/match", json=text).json()["data"]]
        new = Node(
            "claim:" + "ab" * 10,
            NodeLabel.CLAIM,
            {"title": "Polar bears invade the Baltic coast"},
            [Source("apitest", "late.csv", "line 1")],
        )
        loaded.upsert([new])
        c.app.state.matcher.refresh()  # what POST /ingest does after a load
        after = [m["claim"]["id"] for m in c.post("/match", json=text).json()["data"]]
        assert new.id not in before and after[0] == new.id
