"""A STIX 2.1 bundle that OpenCTI imports: narratives as its `narrative` objects, claims as reports.

Mapping: Narrative → `narrative` (OpenCTI's own SDO, flagged with its `new-sdo` extension, id derived
from the name the way OpenCTI derives it so a re-import merges), Claim → `report` whose `object_refs`
are its narratives, countries and actors, Debunk → `note` on the claims it disproves, Country →
`location`, Actor → `identity`; SUBNARRATIVE_OF → `subnarrative-of` and SIMILAR_TO → `related-to`
relationships. Ids are UUIDv5 of our ids, so the same graph exports to the same bundle.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from graph.model import Edge, Node
from graph.ontology import ActorKind, EdgeType, NodeLabel

OPENCTI_EXTENSION = "extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba"
_OPENCTI_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
_OUR_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/narrative-graph")
_STIX_TYPE = {
    NodeLabel.NARRATIVE: "narrative",
    NodeLabel.CLAIM: "report",
    NodeLabel.DEBUNK: "note",
    NodeLabel.COUNTRY: "location",
    NodeLabel.ACTOR: "identity",
}
_IDENTITY_CLASS = {
    ActorKind.PERSON.value: "individual",
    ActorKind.ORGANISATION.value: "organization",
    ActorKind.STATE_BODY.value: "organization",
    ActorKind.OUTLET.value: "organization",
}
_CONTAINED = (
    EdgeType.PART_OF,
    EdgeType.CONCERNS,
    EdgeType.PUBLISHED_BY,
    EdgeType.ATTRIBUTED_TO,
    EdgeType.MENTIONS,
)


def _canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def stix_id(node: Node) -> str:
    kind = _STIX_TYPE[node.label]
    if node.label is NodeLabel.NARRATIVE:
        name = str(node.get("name", node.id)).lower().strip()
        return f"{kind}--{uuid.uuid5(_OPENCTI_NAMESPACE, _canonical({'name': name}))}"
    return f"{kind}--{uuid.uuid5(_OUR_NAMESPACE, node.id)}"


def _timestamp(day: Any, fallback: str) -> str:
    if isinstance(day, str) and len(day) >= 10:
        try:
            return datetime.fromisoformat(day[:10]).strftime("%Y-%m-%dT00:00:00.000Z")
        except ValueError:
            pass
    return fallback


def _refs(node: Node) -> list[dict[str, str]]:
    url = node.get("url")
    return [{"source_name": "narrative-graph", "url": str(url)}] if url else []


def _common(node: Node, now: str, producer: str) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": _STIX_TYPE[node.label],
        "spec_version": "2.1",
        "id": stix_id(node),
        "created": now,
        "modified": now,
        "created_by_ref": producer,
    }
    refs = _refs(node)
    if refs:
        obj["external_references"] = refs
    return obj


def stix_objects(nodes: list[Node], edges: list[Edge], now: datetime | None = None) -> list[dict[str, Any]]:
    """The bundle's objects, producer identity first."""
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    producer = {
        "type": "identity",
        "spec_version": "2.1",
        "id": f"identity--{uuid.uuid5(_OUR_NAMESPACE, 'producer')}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "name": "narrative-graph",
        "identity_class": "system",
    }
    pid = producer["id"]
    by_id = {n.id: n for n in nodes}
    sid: dict[str, str] = {}
    for n in nodes:
        candidate = stix_id(n)
        if candidate in sid.values():  # two narratives of one name: the second keeps an id of its own
            candidate = f"{_STIX_TYPE[n.label]}--{uuid.uuid5(_OUR_NAMESPACE, n.id)}"
        sid[n.id] = candidate
    contained: dict[str, list[str]] = defaultdict(list)
    reviewed: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge.source in sid and edge.target in sid:
            if edge.type in _CONTAINED:
                contained[edge.source].append(sid[edge.target])
            elif edge.type is EdgeType.DEBUNKS:
                reviewed[edge.source].append(sid[edge.target])
    objects: list[dict[str, Any]] = [producer]
    for node in nodes:
        obj = _common(node, stamp, pid)
        obj["id"] = sid[node.id]
        p = node.properties
        if node.label is NodeLabel.NARRATIVE:
            obj.update(
                name=str(p.get("name", node.id)),
                description=f"{p.get('kind', '')} narrative".strip(),
                narrative_types=[str(p["kind"])] if p.get("kind") else [],
                extensions={OPENCTI_EXTENSION: {"extension_type": "new-sdo"}},
            )
            if p.get("terms"):
                obj["aliases"] = []
                obj["labels"] = [str(t) for t in p["terms"]][:20]
        elif node.label is NodeLabel.CLAIM:
            obj.update(
                name=str(p.get("title", node.id)),
                published=_timestamp(p.get("date"), stamp),
                report_types=["disinformation-claim"],
                object_refs=sorted(set(contained.get(node.id, []))) or [pid],
            )
            if p.get("text"):
                obj["description"] = str(p["text"])
            if p.get("languages"):
                obj["labels"] = [str(v) for v in p["languages"]]
        elif node.label is NodeLabel.DEBUNK:
            refs = sorted(set(reviewed.get(node.id, [])))
            if not refs:
                continue  # a note must be about something; a debunk of nothing in scope is left out
            obj.update(content=str(p.get("text", "")), object_refs=refs)
            if p.get("publisher"):
                obj["authors"] = [str(p["publisher"])]
            if p.get("rating"):
                obj["abstract"] = f"Rated: {p['rating']}"
        elif node.label is NodeLabel.COUNTRY:
            parent = by_id.get(str(p.get("part_of", "")))
            code = str(parent.get("code") if parent else p.get("code", node.id.split(":", 1)[-1]))
            obj.update(name=str(p.get("name", code)), country=code)
        else:
            obj.update(
                name=str(p.get("name", node.id)),
                identity_class=_IDENTITY_CLASS.get(str(p.get("kind")), "unknown"),
            )
            if p.get("kind") == ActorKind.OUTLET.value:
                obj["sectors"] = ["communications"]
        objects.append(obj)
    for edge in edges:
        if edge.source not in sid or edge.target not in sid:
            continue
        if edge.type is EdgeType.SUBNARRATIVE_OF:
            rel_type, description = "subnarrative-of", None
        elif edge.type is EdgeType.SIMILAR_TO:
            score = edge.properties.get("score")
            rel_type = "related-to"
            description = f"similar claims ({edge.properties.get('method', '?')}"
            description += f", {float(score):.2f})" if isinstance(score, (int, float)) else ")"
        else:
            continue
        rel: dict[str, Any] = {
            "type": "relationship",
            "spec_version": "2.1",
            "id": f"relationship--{uuid.uuid5(_OUR_NAMESPACE, edge.id)}",
            "created": stamp,
            "modified": stamp,
            "created_by_ref": pid,
            "relationship_type": rel_type,
            "source_ref": sid[edge.source],
            "target_ref": sid[edge.target],
        }
        if description:
            rel["description"] = description
        objects.append(rel)
    return objects


def stix_bundle(nodes: list[Node], edges: list[Edge]) -> bytes:
    objects = stix_objects(nodes, edges)
    ids = ",".join(sorted(o["id"] for o in objects))
    bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid5(_OUR_NAMESPACE, ids)}", "objects": objects}
    return json.dumps(bundle, ensure_ascii=False).encode("utf-8")
