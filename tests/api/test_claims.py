"""`/claims`: search, filters, sorting, pages, limits; one claim with everything joined to it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import IDS, assert_error


def _ids(response: object) -> list[str]:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


def test_list_is_newest_first_with_a_total(client: TestClient) -> None:
    r = client.get("/claims")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3 and body["offset"] == 0 and body["limit"] == 50
    assert [c["id"] for c in body["data"]] == [IDS.gas, IDS.ruined, IDS.farmers]


def test_sort_and_pages(client: TestClient) -> None:
    assert _ids(client.get("/claims", params={"sort": "date"})) == [IDS.farmers, IDS.ruined, IDS.gas]
    r = client.get("/claims", params={"sort": "date", "offset": 1, "limit": 1})
    assert r.json()["count"] == 3
    assert _ids(r) == [IDS.ruined]
    titles = [
        c["properties"]["title"] for c in client.get("/claims", params={"sort": "title"}).json()["data"]
    ]
    assert titles == sorted(titles)


def test_full_text_query_needs_every_word(client: TestClient) -> None:
    assert set(_ids(client.get("/claims", params={"q": "farmers"}))) == {IDS.farmers, IDS.ruined}
    assert _ids(client.get("/claims", params={"q": "farmers markets"})) == [IDS.farmers]
    assert _ids(client.get("/claims", params={"q": "nothing-like-this"})) == []


def test_filters(client: TestClient) -> None:
    assert set(_ids(client.get("/claims", params={"country": "UA"}))) == {IDS.farmers, IDS.ruined}
    assert _ids(client.get("/claims", params={"country": IDS.de})) == [IDS.gas]
    assert _ids(client.get("/claims", params={"narrative": IDS.collapse})) == [IDS.gas]
    assert _ids(client.get("/claims", params={"actor": IDS.outlet})) == [IDS.farmers]
    assert set(_ids(client.get("/claims", params={"language": "German"}))) == {IDS.ruined, IDS.gas}
    in_range = client.get("/claims", params={"date_from": "2017-01-01", "date_to": "2020-12-31"})
    assert _ids(in_range) == [IDS.ruined]
    both = client.get("/claims", params={"country": "UA", "language": "German", "q": "farmers"})
    assert _ids(both) == [IDS.ruined]


def test_bad_parameters_are_422_with_the_parameter_named(client: TestClient) -> None:
    err = assert_error(client.get("/claims", params={"limit": 501}), 422, "limit_exceeded")
    assert "limit" in str(err["message"]) and "500" in str(err["message"])
    err = assert_error(client.get("/claims", params={"date_from": "yesterday"}), 422, "invalid_input")
    assert "date_from" in str(err["message"])
    assert_error(client.get("/claims", params={"date_from": "2020-01-01", "date_to": "2019-01-01"}), 422)
    err = assert_error(client.get("/claims", params={"narrative": "country:UA"}), 422)
    assert "narrative" in str(err["message"])
    assert_error(client.get("/claims", params={"sort": "colour"}), 422)
    assert_error(client.get("/claims", params={"offset": -1}), 422)


def test_detail_joins_everything(client: TestClient) -> None:
    r = client.get(f"/claims/{IDS.farmers}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["claim"]["id"] == IDS.farmers
    assert body["claim"]["properties"]["title"] == "Sanctions hurt only European farmers"
    assert [d["id"] for d in body["debunks"]] == [IDS.debunk]
    assert [n["id"] for n in body["narratives"]] == [IDS.backfire]
    assert [c["id"] for c in body["countries"]] == [IDS.ua]
    assert [(a["actor"]["id"], a["relation"]) for a in body["actors"]] == [(IDS.outlet, "PUBLISHED_BY")]
    assert body["actors"][0]["properties"] == {"url": "https://daily.example/a1"}
    [similar] = body["similar"]
    assert similar["claim"]["id"] == IDS.ruined
    assert similar == {**similar, "score": 0.82, "method": "lexical", "verdict": "unreviewed"}
    assert similar["evidence"] == "farmers, sanctions, european"
    assert body["provenance"] == [{"dataset": "apitest", "file": "fixture.csv", "locator": "line 4"}]


def test_similar_claims_seen_from_either_end(client: TestClient) -> None:
    body = client.get(f"/claims/{IDS.ruined}").json()
    assert [s["claim"]["id"] for s in body["similar"]] == [IDS.farmers]
    assert [(a["actor"]["id"], a["relation"]) for a in body["actors"]] == [(IDS.spokesman, "ATTRIBUTED_TO")]


def test_unknown_ids_are_404(client: TestClient) -> None:
    err = assert_error(client.get("/claims/claim:00000000000000000000"), 404, "not_found")
    assert "claim:00000000000000000000" in str(err["message"])
    assert_error(client.get(f"/claims/{IDS.ua}"), 404)  # a country is not a claim
    assert_error(client.get("/claims/not-an-id"), 404)
