"""`/narratives`, `/countries`, `/actors`: lists and detail views."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import IDS, assert_error


def test_narratives_list_and_filter(client: TestClient) -> None:
    body = client.get("/narratives").json()
    assert body["count"] == 2
    assert [n["properties"]["name"] for n in body["data"]] == [
        "Europe is collapsing",
        "Sanctions backfire on Europe",
    ]
    only = client.get("/narratives", params={"kind": "keyword"}).json()
    assert [n["id"] for n in only["data"]] == [IDS.backfire]
    assert [n["id"] for n in client.get("/narratives", params={"q": "sanctions"}).json()["data"]] == [
        IDS.backfire
    ]
    assert_error(client.get("/narratives", params={"kind": "rumour"}), 422)


def test_narrative_detail(client: TestClient) -> None:
    body = client.get(f"/narratives/{IDS.backfire}").json()
    assert body["narrative"]["id"] == IDS.backfire
    assert body["narrative"]["sources"] == [
        {"dataset": "apitest", "file": "fixture.csv", "locator": "line 2"}
    ]
    assert body["claims"]["count"] == 2
    assert [c["id"] for c in body["claims"]["data"]] == [IDS.ruined, IDS.farmers]
    assert body["sub_narratives"] == []
    assert [p["id"] for p in body["parents"]] == [IDS.collapse]
    assert [(c["node"]["id"], c["claims"]) for c in body["countries"]] == [(IDS.ua, 2)]
    assert [(c["node"]["id"], c["claims"]) for c in body["outlets"]] == [(IDS.outlet, 1)]
    wider = client.get(f"/narratives/{IDS.collapse}").json()
    assert [s["id"] for s in wider["sub_narratives"]] == [IDS.backfire]
    assert_error(client.get("/narratives/narrative:ffffffffffffffffffff"), 404, "not_found")


def test_narrative_timeline(client: TestClient) -> None:
    r = client.get(f"/narratives/{IDS.backfire}/timeline", params={"gap_days": 365})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "narrative" and body["claims"] == 2 and body["gap_days"] == 365
    assert body["first_seen"]["date"] == "2016-03-01" and body["first_seen"]["claim"] == IDS.farmers
    assert body["last_seen"]["date"] == "2019-07-10" and body["last_seen"]["claim"] == IDS.ruined
    months = {m["month"]: m["claims"] for m in body["months"]}
    assert months["2016-03"] == 1 and months["2019-07"] == 1 and months["2017-01"] == 0
    assert [(c["date"], c["claim"]) for c in body["comebacks"]] == [("2019-07-10", IDS.ruined)]
    assert [s["period"] for s in body["shifts"]] == ["2016", "2019"]
    wider = client.get(f"/narratives/{IDS.collapse}/timeline").json()  # takes in its strand's claims
    assert wider["claims"] == 3
    assert_error(client.get("/narratives/narrative:ffffffffffffffffffff/timeline"), 404)
    assert_error(client.get(f"/narratives/{IDS.backfire}/timeline", params={"gap_days": 0}), 422)


def test_countries(client: TestClient) -> None:
    body = client.get("/countries").json()
    assert [c["properties"]["name"] for c in body["data"]] == ["Germany", "Ukraine"]
    by_code = client.get("/countries", params={"sort": "-code"}).json()
    assert [c["id"] for c in by_code["data"]] == [IDS.ua, IDS.de]
    detail = client.get("/countries/UA").json()
    assert detail["country"]["id"] == IDS.ua
    assert detail["claims"]["count"] == 2
    assert [(n["node"]["id"], n["claims"]) for n in detail["narratives"]] == [(IDS.backfire, 2)]
    assert client.get(f"/countries/{IDS.de}").json()["claims"]["data"][0]["id"] == IDS.gas
    assert_error(client.get("/countries/ZZ"), 404)
    assert_error(client.get("/countries/%20"), 404)


def test_actors(client: TestClient) -> None:
    body = client.get("/actors").json()
    assert [a["properties"]["name"] for a in body["data"]] == ["A. Spokesman", "Example Daily"]
    outlets = client.get("/actors", params={"kind": "outlet"}).json()
    assert [a["id"] for a in outlets["data"]] == [IDS.outlet]
    person = client.get(f"/actors/{IDS.spokesman}").json()
    assert [c["id"] for c in person["attributed"]] == [IDS.ruined]
    assert [c["id"] for c in person["mentioned_in"]] == [IDS.gas]
    assert person["published"] == []
    assert {(n["node"]["id"], n["claims"]) for n in person["narratives"]} == {
        (IDS.backfire, 1),
        (IDS.collapse, 1),
    }
    outlet = client.get(f"/actors/{IDS.outlet}").json()
    assert [c["id"] for c in outlet["published"]] == [IDS.farmers]
    assert_error(client.get(f"/actors/{IDS.farmers}"), 404)


def test_page_size_limits_everywhere(client: TestClient) -> None:
    for path in ("/claims", "/narratives", "/countries", "/actors"):
        assert_error(client.get(path, params={"limit": 501}), 422, "limit_exceeded")
        assert client.get(path, params={"limit": 500}).status_code == 200
