"""`/narratives`: the recurring stories, each with its claims, strands, countries, outlets and timeline."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from api.deps import ReadAuth, SettingsDep, StoreDep, check_page, node_of
from api.errors import ERROR_RESPONSES, NOT_FOUND
from api.models import (
    MonthCount,
    NarrativeDetail,
    NodeList,
    NodeOut,
    PeriodShift,
    Share,
    Sighting,
    TimelineOut,
    nodes_out,
)
from api.queries import counted_through, named_nodes, neighbours
from graph.ontology import EdgeType, NarrativeKind, NodeLabel

router = APIRouter(prefix="/narratives", tags=["narratives"], dependencies=[ReadAuth])

_NarrativeId = Annotated[
    str, Path(description="The narrative's id.", examples=["narrative:9b1c2d3e4f5a6b7c8d9e"])
]
_DETAIL_CLAIMS = 50


@router.get("", response_model=NodeList, responses=ERROR_RESPONSES)
def list_narratives(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[
        str | None, Query(max_length=500, description="Words that must all appear in the name.")
    ] = None,
    kind: Annotated[NarrativeKind | None, Query(description="editorial, keyword or cluster.")] = None,
    sort: Annotated[Literal["name", "-name"], Query(description="Order by name.")] = "name",
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Index of the first item of the page.")] = 0,
    limit: Annotated[int, Query(ge=1, description="Narratives per page (at most `max_page_size`).")] = 50,
) -> NodeList:
    """Narratives, by name, optionally filtered by words of the name and by kind."""
    check_page(settings, limit)
    kind_value = kind.value if kind else None
    return named_nodes(
        store, NodeLabel.NARRATIVE, q=q, kind=kind_value, sort=sort, offset=offset, limit=limit
    )


@router.get("/{narrative_id}", response_model=NarrativeDetail, responses={**ERROR_RESPONSES, **NOT_FOUND})
def get_narrative(store: StoreDep, narrative_id: _NarrativeId) -> NarrativeDetail:
    """A narrative with its newest claims, sub-narratives, wider narratives, countries and outlets."""
    with store.reading():
        narrative = node_of(store, narrative_id, NodeLabel.NARRATIVE)
        page = store.find_nodes(
            NodeLabel.CLAIM, linked=[narrative.id], order_by="-date", limit=_DETAIL_CLAIMS
        )
        claim_ids = sorted(store.neighbour_ids([narrative.id], [EdgeType.PART_OF]))
        return NarrativeDetail(
            narrative=NodeOut.of(narrative, sources=True),
            claims=NodeList(data=nodes_out(page.items), count=page.total, offset=0, limit=_DETAIL_CLAIMS),
            sub_narratives=nodes_out(
                neighbours(store, narrative.id, EdgeType.SUBNARRATIVE_OF, outgoing=False)
            ),
            parents=nodes_out(neighbours(store, narrative.id, EdgeType.SUBNARRATIVE_OF, outgoing=True)),
            countries=counted_through(store, claim_ids, EdgeType.CONCERNS),
            outlets=counted_through(store, claim_ids, EdgeType.PUBLISHED_BY),
        )


def _sighting(s: Any) -> Sighting | None:
    if s is None:
        return None
    return Sighting(date=s.date, claim=s.claim_id, title=s.title, gap_days=s.gap_days)


def _shares(pairs: list[tuple[str, int]]) -> list[Share]:
    return [Share(value=v, claims=c) for v, c in pairs]


@router.get(
    "/{narrative_id}/timeline", response_model=TimelineOut, responses={**ERROR_RESPONSES, **NOT_FOUND}
)
def get_timeline(
    store: StoreDep,
    settings: SettingsDep,
    narrative_id: _NarrativeId,
    gap_days: Annotated[
        int | None,
        Query(ge=1, le=3650, description="Quiet days that make a comeback (default `comeback_gap_days`)."),
    ] = None,
) -> TimelineOut:
    """When the narrative (and its strands) was first and last seen, per month, comebacks and carriers."""
    # Imported here: the analysis stack (scikit-learn, scipy) loads only for a timeline.
    from graph.analysis.timeline import timeline

    with store.reading():
        narrative = node_of(store, narrative_id, NodeLabel.NARRATIVE)
        t = timeline(store, narrative.id, gap_days or settings.comeback_gap_days, settings=settings)
    return TimelineOut(
        id=t.id,
        kind=t.kind,
        name=t.name,
        claims=t.claims,
        undated=t.undated,
        first_seen=_sighting(t.first_seen),
        last_seen=_sighting(t.last_seen),
        months=[MonthCount(month=m, claims=c) for m, c in t.per_month],
        comebacks=[c for c in (_sighting(s) for s in t.comebacks) if c is not None],
        shifts=[
            PeriodShift(
                period=p.period,
                claims=p.claims,
                countries=_shares(p.countries),
                languages=_shares(p.languages),
                outlets=_shares(p.outlets),
            )
            for p in t.shifts
        ],
        gap_days=t.gap_days,
    )
