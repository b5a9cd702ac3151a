"""Every write route refuses a missing, wrong or malformed token with the one error shape, and with no
token configured every write is disabled; a refused write changes nothing. On both stores.

The write routes are found in the app's OpenAPI document (every method but GET/HEAD), so a
new one fails here until it is listed with a request that would succeed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from api.app import create_app
from graph.store import GraphStore
from tests.api.conftest import IDS, TOKEN, assert_error, graph_records, make_settings
from tests.reliability.checks import snapshot
from tests.reliability.conftest import tally

_CSV = (
    b"date,id,title,countries,keywords,languages,outlets\n"
    b"2023-02-01,https://cases.example.org/report/auth/,Auth test case,Germany,Energy,English,Example TV\n"
)

Send = Callable[[TestClient, dict[str, str]], Response]

WRITES: dict[tuple[str, str], Send] = {
    ("PATCH", "/similarities/{a}/{b}"): lambda c, h: c.patch(
        f"/similarities/{IDS.farmers}/{IDS.ruined}", json={"verdict": "confirmed"}, headers=h
    ),
    ("POST", "/ingest"): lambda c, h: c.post(
        "/ingest", files={"file": ("posts.csv", _CSV, "text/csv")}, data={"format": "auto"}, headers=h
    ),
}

# POSTs that only read (a body is the natural way to send a long text): open, and proved to write nothing.
READS_BY_POST: dict[tuple[str, str], Send] = {
    ("POST", "/match"): lambda c, h: c.post(
        "/match", json={"text": "Sanctions hurt only European farmers, officials said."}, headers=h
    ),
}

BAD_HEADERS: list[dict[str, str]] = [
    {},
    {"Authorization": "Bearer wrong-token"},
    {"Authorization": f"Bearer {TOKEN}x"},
    {"Authorization": f"Bearer {TOKEN[:-1]}"},
    {"Authorization": f"Bearer {TOKEN.upper()}"},
    {"Authorization": "Bearer "},
    {"Authorization": "Bearer"},
    {"Authorization": TOKEN},
    {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": f"Token {TOKEN}"},
    {"Authorization": f"Bearer  {TOKEN} extra"},
    {"X-Api-Token": TOKEN},
    {"Cookie": f"token={TOKEN}"},
]


def _write_routes(app: FastAPI) -> set[tuple[str, str]]:
    # From the OpenAPI document: this FastAPI nests included routers, and the only routes left out of
    # the document (the explorer's page and assets) are GETs.
    return {
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        for method in item
        if method.upper() not in {"GET", "HEAD", "OPTIONS"}
    }


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    store.upsert(*graph_records())
    return store


def test_every_write_route_is_covered(loaded: GraphStore) -> None:
    assert _write_routes(create_app(make_settings(), store=loaded)) == set(WRITES) | set(READS_BY_POST)


@pytest.mark.parametrize("route", sorted(READS_BY_POST), ids=lambda r: f"{r[0]} {r[1]}")
def test_posts_that_read_write_nothing(loaded: GraphStore, route: tuple[str, str]) -> None:
    before = snapshot(loaded)
    with TestClient(create_app(make_settings(), store=loaded)) as client:
        for headers in BAD_HEADERS[:3]:
            r = READS_BY_POST[route](client, headers)
            assert r.status_code == 200, r.text
    assert snapshot(loaded) == before


@pytest.mark.parametrize("route", sorted(WRITES), ids=lambda r: f"{r[0]} {r[1]}")
def test_missing_or_wrong_token_is_refused(loaded: GraphStore, route: tuple[str, str]) -> None:
    before = snapshot(loaded)
    send = WRITES[route]
    with TestClient(create_app(make_settings(), store=loaded)) as client:
        for headers in BAD_HEADERS:
            r = send(client, headers)
            err = assert_error(r, 401, "unauthorised")
            assert TOKEN not in str(err["message"]), "the error leaks the token"
            tally("auth: refused writes")
        assert snapshot(loaded) == before, "a refused write changed the graph"
        ok = send(client, {"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200, ok.text
    assert snapshot(loaded) != before, "the accepted write did nothing"


@pytest.mark.parametrize("route", sorted(WRITES), ids=lambda r: f"{r[0]} {r[1]}")
def test_no_token_configured_disables_writes(loaded: GraphStore, route: tuple[str, str]) -> None:
    before = snapshot(loaded)
    send = WRITES[route]
    with TestClient(create_app(make_settings(api_token=None), store=loaded)) as client:
        for headers in [{"Authorization": f"Bearer {TOKEN}"}, *BAD_HEADERS]:
            assert_error(send(client, headers), 403, "writes_disabled")
            tally("auth: refused writes")
    assert snapshot(loaded) == before


def test_refusal_comes_before_the_body_is_read(loaded: GraphStore) -> None:
    """Without the token even an invalid body or an unknown claim gets 401, not 422 or 404: nothing
    about the graph or the request is revealed to a caller who may not write."""
    with TestClient(create_app(make_settings(), store=loaded)) as client:
        attempts: list[Any] = [
            client.patch("/similarities/claim:nope/claim:nope2", json={"verdict": "confirmed"}),
            client.patch(f"/similarities/{IDS.farmers}/{IDS.ruined}", json={"verdict": "maybe"}),
            client.patch(f"/similarities/{IDS.farmers}/{IDS.ruined}", content=b"{not json"),
            client.post("/ingest", content=b"not multipart"),
            client.post("/ingest", files={"file": ("x.bin", b"\x00" * 10)}),
        ]
        for r in attempts:
            assert_error(r, 401, "unauthorised")


def test_reads_are_not_writes(loaded: GraphStore) -> None:
    """Other methods on the write paths are not a way round the token."""
    with TestClient(create_app(make_settings(), store=loaded)) as client:
        for method in ("PUT", "DELETE", "POST"):
            r = client.request(
                method, f"/similarities/{IDS.farmers}/{IDS.ruined}", json={"verdict": "confirmed"}
            )
            assert r.status_code in (401, 405), (method, r.status_code)
        for method in ("PUT", "DELETE", "PATCH"):
            assert client.request(method, "/ingest").status_code in (401, 405)
