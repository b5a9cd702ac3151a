"""`/countries`: the countries and regions claims concern."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.deps import ReadAuth, SettingsDep, StoreDep, check_page, node_of
from api.errors import ERROR_RESPONSES, NOT_FOUND
from api.models import CountryDetail, NodeList, NodeOut, nodes_out
from api.queries import counted_through, named_nodes
from graph.exc import InvalidInputError
from graph.ids import code_id
from graph.ontology import CountryKind, EdgeType, NodeLabel

router = APIRouter(prefix="/countries", tags=["countries"], dependencies=[ReadAuth])
_DETAIL_CLAIMS = 50


@router.get("", response_model=NodeList, responses=ERROR_RESPONSES)
def list_countries(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str | None, Query(max_length=200, description="Words of the name.")] = None,
    kind: Annotated[CountryKind | None, Query(description="country, region or former.")] = None,
    sort: Annotated[Literal["name", "-name", "code", "-code"], Query(description="Order.")] = "name",
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Index of the first item of the page.")] = 0,
    limit: Annotated[int, Query(ge=1, description="Countries per page (at most `max_page_size`).")] = 50,
) -> NodeList:
    """Countries, regions and former states, by name."""
    check_page(settings, limit)
    kind_value = kind.value if kind else None
    return named_nodes(store, NodeLabel.COUNTRY, q=q, kind=kind_value, sort=sort, offset=offset, limit=limit)


@router.get("/{country_id}", response_model=CountryDetail, responses={**ERROR_RESPONSES, **NOT_FOUND})
def get_country(
    store: StoreDep,
    country_id: Annotated[
        str, Path(description="The country's id, or its code.", examples=["country:UA", "UA"])
    ],
) -> CountryDetail:
    """A country with its newest claims and the narratives its claims feed."""
    if ":" not in country_id:
        try:
            country_id = code_id(NodeLabel.COUNTRY, country_id)
        except InvalidInputError:
            pass  # not a code either: node_of answers 404
    with store.reading():
        country = node_of(store, country_id, NodeLabel.COUNTRY)
        page = store.find_nodes(NodeLabel.CLAIM, linked=[country.id], order_by="-date", limit=_DETAIL_CLAIMS)
        claim_ids = sorted(store.neighbour_ids([country.id], [EdgeType.CONCERNS]))
        return CountryDetail(
            country=NodeOut.of(country, sources=True),
            claims=NodeList(data=nodes_out(page.items), count=page.total, offset=0, limit=_DETAIL_CLAIMS),
            narratives=counted_through(store, claim_ids, EdgeType.PART_OF),
        )
