"""Writes need the token; with none configured they are disabled. Reads can be put behind it too."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from graph.ontology import EdgeType
from graph.store import GraphStore
from tests.api.conftest import IDS, TOKEN, assert_error, auth, make_settings


def _verdict_path() -> str:
    return f"/similarities/{IDS.ruined}/{IDS.farmers}"  # either order names the one link


def test_verdict_is_recorded(client: TestClient, loaded: GraphStore) -> None:
    r = client.patch(_verdict_path(), json={"verdict": "confirmed"}, headers=auth())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["type"] == "SIMILAR_TO" and body["properties"]["verdict"] == "confirmed"
    assert body["properties"]["score"] == 0.82
    [edge] = loaded.edges_of(IDS.farmers, [EdgeType.SIMILAR_TO])
    assert edge.properties["verdict"] == "confirmed"
    similar = client.get(f"/claims/{IDS.farmers}").json()["similar"]
    assert similar[0]["verdict"] == "confirmed"


def test_verdict_errors(client: TestClient) -> None:
    assert_error(client.patch(_verdict_path(), json={"verdict": "maybe"}, headers=auth()), 422)
    assert_error(client.patch(_verdict_path(), json={}, headers=auth()), 422)
    # Two claims with no link between them.
    assert_error(
        client.patch(f"/similarities/{IDS.farmers}/{IDS.gas}", json={"verdict": "rejected"}, headers=auth()),
        404,
    )
    assert_error(
        client.patch(f"/similarities/{IDS.farmers}/{IDS.ua}", json={"verdict": "rejected"}, headers=auth()),
        404,
    )


def test_writes_need_the_token(client: TestClient) -> None:
    r = client.patch(_verdict_path(), json={"verdict": "confirmed"})
    assert_error(r, 401, "unauthorised")
    assert r.headers["www-authenticate"] == "Bearer"
    wrong = {"Authorization": "Bearer not-the-token"}
    assert_error(client.patch(_verdict_path(), json={"verdict": "confirmed"}, headers=wrong), 401)
    assert_error(client.post("/ingest", files={"file": ("x.csv", b"a,b\n1,2\n")}), 401)


def test_no_token_configured_disables_writes(loaded: GraphStore) -> None:
    with TestClient(create_app(make_settings(api_token=None), store=loaded)) as c:
        err = assert_error(
            c.patch(_verdict_path(), json={"verdict": "confirmed"}, headers=auth()), 403, "writes_disabled"
        )
        assert "NARRATIVES_API_TOKEN" in str(err["message"])
        assert_error(c.post("/ingest", files={"file": ("x.csv", b"a,b\n1,2\n")}, headers=auth()), 403)
        assert c.get("/claims").status_code == 200  # reads stay open
    [edge] = loaded.edges_of(IDS.farmers, [EdgeType.SIMILAR_TO])
    assert edge.properties["verdict"] == "unreviewed"


def test_protected_reads(loaded: GraphStore) -> None:
    with TestClient(create_app(make_settings(protect_reads=True), store=loaded)) as c:
        for path in (
            "/claims",
            f"/claims/{IDS.farmers}",
            "/narratives",
            "/stats",
            "/export",
            f"/graph/neighbourhood?id={IDS.ua}",
        ):
            assert_error(c.get(path), 401)
            assert c.get(path, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200, path
        assert c.get("/healthz").status_code == 200  # probes stay open
        assert c.get("/readyz").status_code == 200
