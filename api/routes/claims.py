"""`/claims`: search and filter claims; one claim with everything joined to it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.deps import ReadAuth, SettingsDep, StoreDep, check_page, node_of
from api.errors import ERROR_RESPONSES, NOT_FOUND
from api.models import ActorLink, ClaimDetail, NodeList, NodeOut, SimilarClaim, SourceOut, nodes_out
from api.queries import other_end
from api.responses import model_json
from graph.exc import InvalidInputError
from graph.ids import code_id
from graph.ontology import EdgeType, NodeLabel, SimilarityMethod, Verdict, label_of

router = APIRouter(prefix="/claims", tags=["claims"], dependencies=[ReadAuth])

ClaimSort = Literal["date", "-date", "title", "-title"]
_ACTOR_EDGES = (EdgeType.PUBLISHED_BY, EdgeType.ATTRIBUTED_TO, EdgeType.MENTIONS)


def _linked_id(value: str, label: NodeLabel, param: str) -> str:
    """A filter's node id; a bare country code (`UA`) is taken as `country:UA`."""
    if label is NodeLabel.COUNTRY and ":" not in value:
        try:
            return code_id(label, value)
        except InvalidInputError as exc:
            raise InvalidInputError(f"query parameter {param!r}: {exc}") from exc
    try:
        ok = label_of(value) is label
    except InvalidInputError:
        ok = False
    if not ok:
        raise InvalidInputError(f"query parameter {param!r}: {value!r} is not a {label.value.lower()} id")
    return value


def _DATE(description: str) -> Any:  # noqa: N802 - reads as the parameter's type
    return Query(
        pattern=r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$|^\d{4}-(0[13-9]|1[0-2])-(29|30)$"
        r"|^\d{4}-(0[13578]|1[02])-31$",
        description=description + " (to the 28th in February)",
        examples=["2016-03-01"],
    )


def _day(value: str | None, param: str) -> str | None:
    """A YYYY-MM-DD date as the stores compare it (ISO text), checked to be a real day."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise InvalidInputError(f"query parameter {param!r}: {value!r} is not a date (YYYY-MM-DD)") from exc


@router.get("", response_model=NodeList, responses=ERROR_RESPONSES)
def list_claims(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[
        str | None,
        Query(
            max_length=500,
            description="Words that must all appear in the title or text.",
            examples=["sanctions"],
        ),
    ] = None,
    country: Annotated[
        str | None,
        Query(
            pattern=r"^(country:)?[A-Za-z0-9][A-Za-z0-9-]{0,15}$",
            description="A country id or ISO code the claim concerns.",
            examples=["UA"],
        ),
    ] = None,
    narrative: Annotated[
        str | None,
        Query(pattern=r"^narrative:\S+$", max_length=200, description="A narrative id the claim feeds."),
    ] = None,
    actor: Annotated[
        str | None,
        Query(
            pattern=r"^actor:\S+$", max_length=200, description="An actor or outlet id linked to the claim."
        ),
    ] = None,
    language: Annotated[
        str | None,
        Query(max_length=100, description="A language the claim appeared in.", examples=["English"]),
    ] = None,
    date_from: Annotated[str | None, _DATE(description="Earliest date, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, _DATE(description="Latest date, YYYY-MM-DD.")] = None,
    sort: Annotated[
        ClaimSort, Query(description="Order: a property, `-` in front for descending.")
    ] = "-date",
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Index of the first claim.")] = 0,
    limit: Annotated[int, Query(ge=1, description="Claims per page (at most `max_page_size`, 500).")] = 50,
) -> Response:
    """Claims matching a full-text query and filters, one page of them and how many match in all."""
    check_page(settings, limit)
    date_from, date_to = _day(date_from, "date_from"), _day(date_to, "date_to")
    if date_from and date_to and date_from > date_to:
        raise InvalidInputError(f"query parameter 'date_from' ({date_from}) is after 'date_to' ({date_to})")
    linked = [
        _linked_id(v, label, name)
        for v, label, name in (
            (country, NodeLabel.COUNTRY, "country"),
            (narrative, NodeLabel.NARRATIVE, "narrative"),
            (actor, NodeLabel.ACTOR, "actor"),
        )
        if v
    ]
    ranges = None
    if date_from or date_to:
        ranges = {"date": (date_from, date_to)}
    page = store.find_nodes(
        NodeLabel.CLAIM,
        query=q if q and q.strip() else None,
        linked=linked,
        filters={"languages": language} if language else None,
        ranges=ranges,
        order_by=sort,
        offset=offset,
        limit=limit,
    )
    return model_json(NodeList(data=nodes_out(page.items), count=page.total, offset=offset, limit=limit))


@router.get("/{claim_id}", response_model=ClaimDetail, responses={**ERROR_RESPONSES, **NOT_FOUND})
def get_claim(
    store: StoreDep,
    claim_id: Annotated[str, Path(description="The claim's id.", examples=["claim:3f2a9c0d1e5b7a86c4d2"])],
) -> Response:
    """A claim with its debunks, narratives, countries, actors, similar claims and provenance."""
    with store.reading():
        claim = node_of(store, claim_id, NodeLabel.CLAIM)
        edges = store.edges_of(claim.id)
        others = {n.id: n for n in store.get_nodes([other_end(e, claim.id) for e in edges])}

    def ends(edge_type: EdgeType) -> list[NodeOut]:
        return [
            NodeOut.of(others[other_end(e, claim.id)])
            for e in edges
            if e.type is edge_type and other_end(e, claim.id) in others
        ]

    similar = []
    for e in edges:
        if e.type is EdgeType.SIMILAR_TO and other_end(e, claim.id) in others:
            p = e.properties
            similar.append(
                SimilarClaim(
                    claim=NodeOut.of(others[other_end(e, claim.id)]),
                    score=float(p.get("score", 0.0)),
                    method=SimilarityMethod(p.get("method", SimilarityMethod.LEXICAL.value)),
                    verdict=Verdict(p.get("verdict", Verdict.UNREVIEWED.value)),
                    evidence=p.get("evidence"),
                )
            )
    similar.sort(key=lambda s: (-s.score, s.claim.id))
    actors = [
        ActorLink(actor=NodeOut.of(others[e.target]), relation=e.type, properties=e.properties)
        for e in edges
        if e.type in _ACTOR_EDGES and e.target in others
    ]
    detail = ClaimDetail(
        claim=NodeOut.of(claim, sources=True),
        debunks=ends(EdgeType.DEBUNKS),
        narratives=ends(EdgeType.PART_OF),
        countries=ends(EdgeType.CONCERNS),
        actors=actors,
        similar=similar,
        provenance=[SourceOut.of(s) for s in claim.sources],
    )
    return model_json(detail)
