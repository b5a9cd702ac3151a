"""What the API sends and accepts, split by role: graph records, detail views, lists, requests.

Responses are built from the store's `Node` / `Edge` records by the `of` constructors here, so every
route shapes a node the same way. Each model carries an example for the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NodeLabel, SimilarityMethod, Verdict

T = TypeVar("T")

_CLAIM_EXAMPLE: dict[str, Any] = {
    "id": "claim:3f2a9c0d1e5b7a86c4d2",
    "label": "Claim",
    "properties": {"title": "The sanctions hurt only Europe", "date": "2021-03-04", "languages": ["English"]},
}
_NARRATIVE_EXAMPLE: dict[str, Any] = {
    "id": "narrative:9b1c2d3e4f5a6b7c8d9e",
    "label": "Narrative",
    "properties": {"name": "Sanctions backfire", "kind": "keyword"},
}
_EDGE_EXAMPLE: dict[str, Any] = {
    "id": "part_of:0a1b2c3d4e5f60718293",
    "type": "PART_OF",
    "source": _CLAIM_EXAMPLE["id"],
    "target": _NARRATIVE_EXAMPLE["id"],
    "properties": {},
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- errors ------------------------------------------------------------------------------------------


class ErrorBody(_Model):
    """What went wrong."""

    code: str = Field(description="Stable machine-readable error code, e.g. `not_found`, `limit_exceeded`.")
    message: str = Field(description="What went wrong, in words, naming the parameter or id at fault.")
    status: int = Field(description="The HTTP status, repeated for clients that only see the body.")
    details: list[dict[str, Any]] = Field(
        default_factory=list, description="Per-field problems of a rejected request, when there are any."
    )


class ErrorResponse(_Model):
    """The one shape of every error the API returns."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "error": {
                        "code": "not_found",
                        "message": "no claim with id 'claim:0000'",
                        "status": 404,
                        "details": [],
                    }
                }
            ]
        },
    )

    error: ErrorBody


# -- graph records -----------------------------------------------------------------------------------


class SourceOut(_Model):
    """Where a node or edge came from."""

    dataset: str = Field(description="The dataset, e.g. `euvsdisinfo`.")
    file: str = Field(description="The file within the dataset.")
    locator: str = Field(description="The row, line or JSON pointer within the file.")

    @classmethod
    def of(cls, source: Source) -> SourceOut:
        return cls(dataset=source.dataset, file=source.file, locator=source.locator)


class NodeOut(_Model):
    """A node: its id, label and properties (see the ontology for what each property means)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_CLAIM_EXAMPLE]})

    id: str = Field(description="Deterministic id; its prefix names the label (`claim:…`, `country:UA`).")
    label: NodeLabel
    properties: dict[str, Any] = Field(description="The node's properties, by name.")
    sources: list[SourceOut] | None = Field(
        None, description="Provenance; given on detail views, left out of lists."
    )

    @classmethod
    def of(cls, node: Node, *, sources: bool = False) -> NodeOut:
        return cls(
            id=node.id,
            label=node.label,
            properties=node.properties,
            sources=[SourceOut.of(s) for s in node.sources] if sources else None,
        )


class EdgeOut(_Model):
    """An edge, in its stored direction (symmetric SIMILAR_TO edges run from the smaller id)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EDGE_EXAMPLE]})

    id: str
    type: EdgeType
    source: str = Field(description="Id of the node the edge starts from.")
    target: str = Field(description="Id of the node the edge points to.")
    properties: dict[str, Any] = Field(description="The edge's properties, by name.")
    sources: list[SourceOut] | None = Field(None, description="Provenance, when asked for.")

    @classmethod
    def of(cls, edge: Edge, *, sources: bool = False) -> EdgeOut:
        return cls(
            id=edge.id,
            type=edge.type,
            source=edge.source,
            target=edge.target,
            properties=edge.properties,
            sources=[SourceOut.of(s) for s in edge.sources] if sources else None,
        )


def nodes_out(nodes: Sequence[Node]) -> list[NodeOut]:
    return [NodeOut.of(n) for n in nodes]


# -- lists -------------------------------------------------------------------------------------------


class Listing(_Model, Generic[T]):
    """One page of a list: the items, how many match in all, and where the page starts."""

    data: list[T]
    count: int = Field(description="How many items match in all, across every page.")
    offset: int = Field(description="Index of the first item of this page.")
    limit: int = Field(description="Most items a page holds.")


class NodeList(Listing[NodeOut]):
    """A page of nodes."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"data": [_CLAIM_EXAMPLE], "count": 1, "offset": 0, "limit": 50}]},
    )


class CountedNode(_Model):
    """A node and how many claims of the thing asked about link to it."""

    node: NodeOut
    claims: int = Field(description="Number of claims behind the link.")


# -- detail views ------------------------------------------------------------------------------------


class SimilarClaim(_Model):
    """A claim linked by SIMILAR_TO, with what the link rests on."""

    claim: NodeOut
    score: float = Field(description="Similarity from 0 to 1.")
    method: SimilarityMethod
    verdict: Verdict
    evidence: str | None = Field(None, description="Shared terms, or the sentence that lists the claims.")


class ActorLink(_Model):
    """An actor linked to a claim and how: published by, attributed to, or mentioned."""

    actor: NodeOut
    relation: EdgeType = Field(description="PUBLISHED_BY, ATTRIBUTED_TO or MENTIONS.")
    properties: dict[str, Any] = Field(description="The edge's properties (an article URL, a quote).")


class ClaimDetail(_Model):
    """A claim with everything joined to it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "claim": {
                        **_CLAIM_EXAMPLE,
                        "sources": [{"dataset": "demo", "file": "cases.csv", "locator": "line 2"}],
                    },
                    "debunks": [],
                    "narratives": [_NARRATIVE_EXAMPLE],
                    "countries": [],
                    "actors": [],
                    "similar": [],
                    "provenance": [{"dataset": "demo", "file": "cases.csv", "locator": "line 2"}],
                }
            ]
        },
    )

    claim: NodeOut
    debunks: list[NodeOut]
    narratives: list[NodeOut]
    countries: list[NodeOut]
    actors: list[ActorLink]
    similar: list[SimilarClaim] = Field(description="Similar claims, highest score first.")
    provenance: list[SourceOut] = Field(description="Every dataset row the claim was loaded from.")


class NarrativeDetail(_Model):
    """A narrative: its claims (first page), sub-narratives, wider narratives, countries and outlets."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "narrative": _NARRATIVE_EXAMPLE,
                    "claims": {"data": [_CLAIM_EXAMPLE], "count": 1, "offset": 0, "limit": 50},
                    "sub_narratives": [],
                    "parents": [],
                    "countries": [],
                    "outlets": [],
                }
            ]
        },
    )

    narrative: NodeOut
    claims: NodeList = Field(description="The narrative's claims, newest first; page on with /claims.")
    sub_narratives: list[NodeOut]
    parents: list[NodeOut] = Field(description="Wider narratives this one is a strand of.")
    countries: list[CountedNode] = Field(description="Countries its claims concern, most claims first.")
    outlets: list[CountedNode] = Field(description="Outlets that published its claims, most first.")


class CountryDetail(_Model):
    """A country: its claims (first page) and the narratives they feed."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "country": {
                        "id": "country:UA",
                        "label": "Country",
                        "properties": {"name": "Ukraine", "code": "UA", "kind": "country"},
                    },
                    "claims": {"data": [_CLAIM_EXAMPLE], "count": 1, "offset": 0, "limit": 50},
                    "narratives": [{"node": _NARRATIVE_EXAMPLE, "claims": 1}],
                }
            ]
        },
    )

    country: NodeOut
    claims: NodeList = Field(description="Claims concerning the country, newest first.")
    narratives: list[CountedNode] = Field(description="Narratives those claims feed, most claims first.")


class ActorDetail(_Model):
    """An actor: what it published, said or was named in, and which narratives that fed."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "actor": {
                        "id": "actor:5c6d7e8f9a0b1c2d3e4f",
                        "label": "Actor",
                        "properties": {"name": "Example Daily", "kind": "outlet"},
                    },
                    "published": [_CLAIM_EXAMPLE],
                    "attributed": [],
                    "mentioned_in": [],
                    "narratives": [{"node": _NARRATIVE_EXAMPLE, "claims": 1}],
                }
            ]
        },
    )

    actor: NodeOut
    published: list[NodeOut] = Field(description="Claims the actor published (as an outlet).")
    attributed: list[NodeOut] = Field(description="Claims attributed to the actor.")
    mentioned_in: list[NodeOut] = Field(description="Claims that name the actor.")
    narratives: list[CountedNode] = Field(description="Narratives those claims feed, most claims first.")


class MonthCount(_Model):
    """Claims seen in one month."""

    month: str = Field(description="YYYY-MM.")
    claims: int


class Sighting(_Model):
    """A claim at a date: the first or last sighting, or a comeback."""

    date: str = Field(description="YYYY-MM-DD.")
    claim: str = Field(description="The claim's id.")
    title: str
    gap_days: int | None = Field(None, description="For a comeback: the quiet days before it.")


class Share(_Model):
    """A country, language or outlet and how many claims of a period it carried."""

    value: str
    claims: int


class PeriodShift(_Model):
    """Who carried the story in one period (a year)."""

    period: str
    claims: int
    countries: list[Share]
    languages: list[Share]
    outlets: list[Share]


class TimelineOut(_Model):
    """When a narrative was seen: first and last sightings, claims per month, comebacks, who carried it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": _NARRATIVE_EXAMPLE["id"],
                    "kind": "narrative",
                    "name": "Sanctions backfire",
                    "claims": 2,
                    "undated": 0,
                    "first_seen": {
                        "date": "2016-03-01",
                        "claim": _CLAIM_EXAMPLE["id"],
                        "title": "The sanctions hurt only Europe",
                        "gap_days": None,
                    },
                    "last_seen": {
                        "date": "2019-07-10",
                        "claim": _CLAIM_EXAMPLE["id"],
                        "title": "The sanctions hurt only Europe",
                        "gap_days": None,
                    },
                    "months": [{"month": "2016-03", "claims": 1}],
                    "comebacks": [
                        {
                            "date": "2019-07-10",
                            "claim": _CLAIM_EXAMPLE["id"],
                            "title": "The sanctions hurt only Europe",
                            "gap_days": 1226,
                        }
                    ],
                    "shifts": [
                        {
                            "period": "2016",
                            "claims": 1,
                            "countries": [{"value": "country:UA", "claims": 1}],
                            "languages": [],
                            "outlets": [],
                        }
                    ],
                    "gap_days": 90,
                }
            ]
        },
    )

    id: str
    kind: str = Field(description="`narrative`, `recurring` or `claim`.")
    name: str
    claims: int = Field(description="Claims in the timeline.")
    undated: int = Field(description="Claims without a date, left out of the counts.")
    first_seen: Sighting | None
    last_seen: Sighting | None
    months: list[MonthCount] = Field(description="Every month from first to last, zeros included.")
    comebacks: list[Sighting] = Field(description="Returns after more than `gap_days` quiet days.")
    shifts: list[PeriodShift] = Field(description="Top countries, languages and outlets per year.")
    gap_days: int


# -- graph views -------------------------------------------------------------------------------------


class SubgraphOut(_Model):
    """Nodes and the edges among them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "nodes": [_CLAIM_EXAMPLE, _NARRATIVE_EXAMPLE],
                    "edges": [_EDGE_EXAMPLE],
                    "truncated": False,
                    "total": 2,
                }
            ]
        },
    )

    nodes: list[NodeOut]
    edges: list[EdgeOut]
    truncated: bool = Field(description="True when more nodes were reached than the limit let through.")
    total: int = Field(description="How many nodes were reached before the limit.")


class Hop(_Model):
    """One step of a path, in words."""

    source: str = Field(description="Id of the node the step leaves.")
    target: str = Field(description="Id of the node the step reaches.")
    edge: EdgeOut
    sentence: str = Field(description="The step explained, e.g. `claim “X” is part of narrative “Y”`.")


class PathOut(_Model):
    """A path from the source to the target."""

    length: int = Field(description="Number of hops.")
    nodes: list[NodeOut]
    hops: list[Hop]


class PathList(_Model):
    """Paths between two nodes, shortest first."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "data": [
                        {
                            "length": 1,
                            "nodes": [_CLAIM_EXAMPLE, _NARRATIVE_EXAMPLE],
                            "hops": [
                                {
                                    "source": _CLAIM_EXAMPLE["id"],
                                    "target": _NARRATIVE_EXAMPLE["id"],
                                    "edge": _EDGE_EXAMPLE,
                                    "sentence": "claim “The sanctions hurt only Europe” is part of "
                                    "narrative “Sanctions backfire”",
                                }
                            ],
                        }
                    ],
                    "count": 1,
                }
            ]
        },
    )

    data: list[PathOut]
    count: int


# -- analysis ----------------------------------------------------------------------------------------


class MatchRequest(_Model):
    """A text to check against the known claims."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "Sanctions only hurt European farmers", "k": 5}]},
    )

    text: str = Field(min_length=1, max_length=100_000, description="The text to match.")
    # Strict: JSON `true` is not the number 1 (the document says integer, and so does the check).
    k: int = Field(10, ge=1, le=100, strict=True, description="Most matches to return.")


class MatchOut(_Model):
    """A known claim the text repeats."""

    claim: NodeOut
    score: float = Field(description="Similarity from 0 to 1.")
    debunks: list[NodeOut]
    narratives: list[NodeOut]


class MatchList(_Model):
    """The known claims a text repeats, best first."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "data": [
                        {
                            "claim": _CLAIM_EXAMPLE,
                            "score": 0.71,
                            "debunks": [],
                            "narratives": [_NARRATIVE_EXAMPLE],
                        }
                    ],
                    "count": 1,
                }
            ]
        },
    )

    data: list[MatchOut]
    count: int


class VerdictRequest(_Model):
    """An analyst's verdict on a SIMILAR_TO link."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"verdict": "confirmed"}]})

    verdict: Verdict


class FileReportOut(_Model):
    """What one loaded file gave."""

    path: str = Field(description="The file as uploaded (its name).")
    format: str = Field(description="The loader that read it.")
    chosen_by: str = Field(description="`--format` when named, else `auto, <confidence>`.")
    records: int
    rejected: int
    notes: list[str]


class LoadReportOut(_Model):
    """What a load did: per file, in all, and every rejected row as `file:line: reason`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "files": [
                        {
                            "path": "posts.csv",
                            "format": "cknabs-posts",
                            "chosen_by": "auto, 0.95",
                            "records": 120,
                            "rejected": 1,
                            "notes": [],
                        }
                    ],
                    "records": 120,
                    "rejected": 1,
                    "nodes_created": {"Claim": 119},
                    "nodes_updated": {},
                    "edges_created": {"PART_OF": 230},
                    "edges_updated": {},
                    "rejections": ["posts.csv:14: no title"],
                    "removed": 0,
                    "linked": None,
                    "elapsed_seconds": 0.42,
                }
            ]
        },
    )

    files: list[FileReportOut]
    records: int = Field(description="Records written.")
    rejected: int = Field(description="Records rejected.")
    nodes_created: dict[str, int]
    nodes_updated: dict[str, int]
    edges_created: dict[str, int]
    edges_updated: dict[str, int]
    rejections: list[str] = Field(description="Each rejection as `file:line: reason`.")
    removed: int = Field(description="Nodes and edges a replacing load removed first.")
    linked: str | None = Field(description="What the similarity linker reported, if it ran.")
    elapsed_seconds: float


# -- health ------------------------------------------------------------------------------------------


class Health(_Model):
    """Liveness or readiness."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"status": "ok", "store": "memory"}]}
    )

    status: str = Field(description="`ok` when alive (or ready).")
    store: str = Field(description="Which store the API serves: `memory` or `neo4j`.")


class Stats(_Model):
    """How big the graph is."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "store": "memory",
                    "nodes": {"Claim": 10892},
                    "edges": {"PART_OF": 20011},
                    "total_nodes": 10892,
                    "total_edges": 20011,
                }
            ]
        },
    )

    store: str
    nodes: dict[str, int] = Field(description="Nodes per label.")
    edges: dict[str, int] = Field(description="Edges per type.")
    total_nodes: int
    total_edges: int
