"""ClaimReview JSON-LD (schema.org): one review per debunk and claim it disproves.

The shape fact-checkers publish and Google reads: `claimReviewed`, a `reviewRating`, the reviewing
`author`, and the claim as `itemReviewed` with its date, appearance and author. Narratives go in as
`keywords`. Claims without a debunk have no review and are left out. `claimReviewed` is the claim's
title (schema.org: "a short summary of the claim"), its full text goes in `itemReviewed.text`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from graph.model import Edge, Node
from graph.ontology import ActorKind, EdgeType, NodeLabel

CONTEXT = "https://schema.org"


def _author(actor: Node) -> dict[str, Any]:
    kind = "Person" if actor.get("kind") == ActorKind.PERSON.value else "Organization"
    out: dict[str, Any] = {"@type": kind, "name": str(actor.get("name", actor.id))}
    if actor.get("url"):
        out["url"] = str(actor.get("url"))
    return out


def reviews(nodes: list[Node], edges: list[Edge]) -> list[dict[str, Any]]:
    by_id = {n.id: n for n in nodes}
    narratives: dict[str, list[str]] = defaultdict(list)
    authors: dict[str, list[Node]] = defaultdict(list)
    appearances: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge.source not in by_id or edge.target not in by_id:
            continue
        if edge.type is EdgeType.PART_OF:
            narratives[edge.source].append(str(by_id[edge.target].get("name", edge.target)))
        elif edge.type is EdgeType.ATTRIBUTED_TO:
            authors[edge.source].append(by_id[edge.target])
        elif edge.type is EdgeType.PUBLISHED_BY and edge.properties.get("url"):
            appearances[edge.source].append(str(edge.properties["url"]))
    out = []
    for edge in edges:
        if edge.type is not EdgeType.DEBUNKS or edge.source not in by_id or edge.target not in by_id:
            continue
        debunk, claim = by_id[edge.source], by_id[edge.target]
        if claim.label is not NodeLabel.CLAIM:
            continue
        title = str(claim.get("title", claim.id))
        item: dict[str, Any] = {"@type": "Claim", "name": title}
        if claim.get("text") and claim.get("text") != title:
            item["text"] = str(claim.get("text"))
        if claim.get("date"):
            item["datePublished"] = str(claim.get("date"))
        urls = [str(claim.get("url"))] if claim.get("url") else []
        urls += appearances.get(claim.id, [])
        if urls:
            item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in dict.fromkeys(urls)]
        if authors.get(claim.id):
            item["author"] = _author(authors[claim.id][0])
        if claim.get("languages"):
            item["inLanguage"] = [str(v) for v in claim.get("languages")]
        review: dict[str, Any] = {
            "@type": "ClaimReview",
            # The title, as the claim's natural key: a re-load meets the same claim (same title and date).
            "claimReviewed": title,
            "itemReviewed": item,
            "reviewBody": str(debunk.get("text", "")),
        }
        if debunk.get("url"):
            review["url"] = str(debunk.get("url"))
        if debunk.get("date"):
            review["datePublished"] = str(debunk.get("date"))
        if debunk.get("publisher"):
            review["author"] = {"@type": "Organization", "name": str(debunk.get("publisher"))}
        if debunk.get("rating") or debunk.get("rating_value"):
            review["reviewRating"] = {
                "@type": "Rating",
                "alternateName": str(debunk.get("rating") or debunk.get("rating_value")),
            }
        if narratives.get(claim.id):
            review["keywords"] = sorted(set(narratives[claim.id]))
        out.append(review)
    return out


def claimreview(nodes: list[Node], edges: list[Edge]) -> bytes:
    doc = {"@context": CONTEXT, "@graph": reviews(nodes, edges)}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
