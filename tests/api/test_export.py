"""`/export`: every format, re-read by the tools that read it."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import networkx as nx
import pytest
import stix2
from fastapi.testclient import TestClient

from api.exporters.stix import OPENCTI_EXTENSION
from tests.api.conftest import IDS, assert_error

_NODES = 10
_EDGES = 12


def test_node_link_json(client: TestClient) -> None:
    r = client.get("/export", params={"format": "json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert "attachment" in r.headers["content-disposition"]
    body = r.json()
    assert len(body["nodes"]) == _NODES and len(body["links"]) == _EDGES
    g = nx.node_link_graph(body, edges="links")
    assert g.number_of_nodes() == _NODES and g.number_of_edges() == _EDGES


def test_graphml_rereads_with_networkx(client: TestClient) -> None:
    r = client.get("/export", params={"format": "graphml"})
    assert r.status_code == 200
    g = nx.read_graphml(io.BytesIO(r.content))
    assert g.number_of_nodes() == _NODES and g.number_of_edges() == _EDGES
    assert g.nodes[IDS.farmers]["type"] == "Claim"
    assert g.nodes[IDS.farmers]["label"] == "Sanctions hurt only European farmers"
    assert g.nodes[IDS.ruined]["languages"] == "German; English"
    similar = [d for _, _, d in g.edges(data=True) if d["type"] == "SIMILAR_TO"]
    assert similar[0]["score"] == pytest.approx(0.82)


def test_gexf_rereads_with_networkx(client: TestClient) -> None:
    r = client.get("/export", params={"format": "gexf"})
    assert r.status_code == 200
    g = nx.read_gexf(io.BytesIO(r.content))
    assert g.number_of_nodes() == _NODES and g.number_of_edges() == _EDGES
    assert g.nodes[IDS.ua]["label"] == "Ukraine"


def test_csv_tables(client: TestClient) -> None:
    r = client.get("/export", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        nodes = list(csv.DictReader(io.StringIO(zf.read("nodes.csv").decode("utf-8"))))
        edges = list(csv.DictReader(io.StringIO(zf.read("edges.csv").decode("utf-8"))))
    assert len(nodes) == _NODES and len(edges) == _EDGES
    by_id = {n["id"]: n for n in nodes}
    assert by_id[IDS.ua]["name"] == "Ukraine" and by_id[IDS.ua]["label"] == "Country"
    assert by_id[IDS.farmers]["sources"] == "apitest|fixture.csv|line 4"
    assert {e["type"] for e in edges} >= {"SIMILAR_TO", "DEBUNKS", "PART_OF"}


def _register_narrative() -> None:
    # OpenCTI's narrative is its own STIX object; stix2 validates it once told its properties.
    try:
        stix2.v21.CustomObject(
            "narrative",
            [
                ("name", stix2.properties.StringProperty(required=True)),
                ("description", stix2.properties.StringProperty()),
                ("aliases", stix2.properties.ListProperty(stix2.properties.StringProperty())),
                ("narrative_types", stix2.properties.ListProperty(stix2.properties.StringProperty())),
            ],
            extension_name=OPENCTI_EXTENSION,
        )(type("Narrative", (), {}))
    except stix2.exceptions.DuplicateRegistrationError:
        pass


def test_stix_bundle_validates(client: TestClient) -> None:
    _register_narrative()
    r = client.get("/export", params={"format": "stix"})
    assert r.status_code == 200
    raw: dict[str, Any] = json.loads(r.content)
    bundle = stix2.parse(raw, allow_custom=False)  # strict: every object must be valid STIX 2.1
    types = [o["type"] for o in bundle.objects]
    assert types.count("narrative") == 2 and types.count("report") == 3 and types.count("note") == 1
    assert types.count("location") == 2 and types.count("identity") == 3  # two actors and the producer
    rels = {o["relationship_type"] for o in bundle.objects if o["type"] == "relationship"}
    assert rels == {"subnarrative-of", "related-to"}
    ids = {o["id"] for o in bundle.objects}
    assert len(ids) == len(bundle.objects)
    report = next(
        o for o in bundle.objects if o["type"] == "report" and o["name"].startswith("Sanctions hurt")
    )
    assert set(report["object_refs"]) <= ids and len(report["object_refs"]) == 3
    note = next(o for o in bundle.objects if o["type"] == "note")
    assert note["object_refs"] == [report["id"]]
    # The same graph exports to the same ids.
    again = json.loads(client.get("/export", params={"format": "stix"}).content)
    assert {o["id"] for o in again["objects"]} == ids


def test_claimreview_json_ld(client: TestClient) -> None:
    r = client.get("/export", params={"format": "claimreview"})
    assert r.status_code == 200
    doc = r.json()
    assert doc["@context"] == "https://schema.org"
    [review] = doc["@graph"]
    assert review["@type"] == "ClaimReview"
    assert review["url"] == "https://debunks.example/farmers"
    assert review["itemReviewed"]["name"] == "Sanctions hurt only European farmers"
    assert review["reviewRating"]["alternateName"] == "disinformation"
    assert review["keywords"] == ["Sanctions backfire on Europe"]


def test_scopes(client: TestClient) -> None:
    around = client.get("/export", params={"format": "json", "id": IDS.gas}).json()
    assert {n["id"] for n in around["nodes"]} == {IDS.gas, IDS.de, IDS.collapse, IDS.spokesman}
    story = client.get("/export", params={"format": "json", "narrative": IDS.backfire}).json()
    ids = {n["id"] for n in story["nodes"]}
    assert {IDS.backfire, IDS.farmers, IDS.ruined, IDS.debunk, IDS.ua, IDS.outlet, IDS.spokesman} <= ids
    assert IDS.gas not in ids
    assert_error(client.get("/export", params={"narrative": IDS.ua}), 404)
    assert_error(client.get("/export", params={"id": "claim:00000000000000000000"}), 404)
    assert_error(client.get("/export", params={"id": IDS.ua, "narrative": IDS.backfire}), 422)
    assert_error(client.get("/export", params={"format": "pdf"}), 422)
    assert_error(client.get("/export", params={"id": IDS.ua, "depth": 4}), 422, "limit_exceeded")


def test_claimreview_reloads_to_the_same_claims_and_debunks(client: TestClient, tmp_path: Any) -> None:
    pytest.importorskip("loaders.claimreview")
    from graph.memory import MemoryStore
    from graph.ontology import EdgeType, NodeLabel
    from loaders.runner import Runner

    path = tmp_path / "reviews.jsonld"
    path.write_bytes(client.get("/export", params={"format": "claimreview"}).content)
    fresh = MemoryStore()
    report = Runner(fresh, None, link=False).load([path], "claimreview")
    assert report.rejected == 0 and report.records == 1
    [claim] = fresh.iter_nodes(NodeLabel.CLAIM)
    assert claim.id == IDS.farmers  # same title and date: the same claim
    assert claim.get("title") == "Sanctions hurt only European farmers" and claim.get("date") == "2016-03-01"
    [debunk] = fresh.iter_nodes(NodeLabel.DEBUNK)
    assert debunk.id == IDS.debunk  # keyed by its URL, as ours was
    assert debunk.get("publisher") == "Debunks Example" and debunk.get("rating") == "disinformation"
    assert debunk.get("text").startswith("EU farm exports grew after 2014")
    assert [(e.source, e.target) for e in fresh.iter_edges(EdgeType.DEBUNKS)] == [(IDS.debunk, IDS.farmers)]
