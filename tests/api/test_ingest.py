"""`POST /ingest`: an uploaded file goes through the CLI's loaders and runner; the report comes back."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import assert_error, auth

pytest.importorskip("loaders.runner")

# Case metadata in the cknabs posts.csv layout, written by us: two good rows and one without a title.
POSTS = (
    "date,id,title,countries,keywords,languages,outlets\n"
    "2018-05-02,https://euvsdisinfo.eu/report/test-case-one/,Wind farms cause earthquakes in the Baltics,"
    "Lithuania+Latvia,Energy,English,windnews.example\n"
    "2018-06-11,https://euvsdisinfo.eu/report/test-case-two/,Baltic wind farms shake the ground,"
    "Latvia,Energy,Russian,windnews.example\n"
    "2018-07-01,https://euvsdisinfo.eu/report/test-case-three/,,Latvia,Energy,Russian,\n"
)


def test_ingest_loads_and_reports(client: TestClient) -> None:
    before = client.get("/stats").json()["nodes"]["Claim"]
    r = client.post(
        "/ingest", files={"file": ("posts.csv", POSTS.encode())}, data={"format": "auto"}, headers=auth()
    )
    assert r.status_code == 200, r.text
    report = r.json()
    [entry] = report["files"]
    assert entry["path"] == "posts.csv" and entry["format"] == "cknabs-posts"
    assert entry["chosen_by"].startswith("auto")
    assert report["records"] == 2 and report["rejected"] == 1
    assert report["rejections"][0].startswith("posts.csv:4")  # our temporary path never leaks
    assert report["nodes_created"]["Claim"] == 2
    after = client.get("/stats").json()["nodes"]["Claim"]
    assert after == before + 2
    found = client.get("/claims", params={"q": "wind farms"}).json()
    assert found["count"] == 2
    claim = client.get(f"/claims/{found['data'][0]['id']}").json()
    assert claim["provenance"][0]["file"] == "posts.csv"
    # The matcher was refreshed: a new text finds the new claims.
    matched = client.post("/match", json={"text": "wind farms cause earthquakes"}).json()
    assert matched["data"][0]["claim"]["properties"]["title"] == "Wind farms cause earthquakes in the Baltics"


def test_ingest_errors(client: TestClient) -> None:
    assert_error(
        client.post("/ingest", files={"file": ("empty.csv", b"")}, headers=auth()), 422, "load_error"
    )
    err = assert_error(
        client.post(
            "/ingest", files={"file": ("x.csv", POSTS.encode())}, data={"format": "nope"}, headers=auth()
        ),
        422,
    )
    assert "nope" in str(err["message"])
    err = assert_error(
        client.post("/ingest", files={"file": ("odd.bin", b"\x00\x01 nothing known")}, headers=auth()), 422
    )
    assert "/tmp" not in str(err["message"])
    assert_error(client.post("/ingest", headers=auth()), 422)
