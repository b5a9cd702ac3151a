"""`/actors`: people, organisations, state bodies and outlets, and what they said or published."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.deps import ReadAuth, SettingsDep, StoreDep, check_page, node_of
from api.errors import ERROR_RESPONSES, NOT_FOUND
from api.models import ActorDetail, NodeList, NodeOut, nodes_out
from api.queries import counted_through, named_nodes
from graph.ontology import ActorKind, EdgeType, NodeLabel

router = APIRouter(prefix="/actors", tags=["actors"], dependencies=[ReadAuth])


@router.get("", response_model=NodeList, responses=ERROR_RESPONSES)
def list_actors(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str | None, Query(max_length=200, description="Words of the name.")] = None,
    kind: Annotated[
        ActorKind | None, Query(description="person, organisation, state_body or outlet.")
    ] = None,
    sort: Annotated[Literal["name", "-name"], Query(description="Order by name.")] = "name",
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Index of the first item of the page.")] = 0,
    limit: Annotated[int, Query(ge=1, description="Actors per page (at most `max_page_size`).")] = 50,
) -> NodeList:
    """Actors and outlets, by name."""
    check_page(settings, limit)
    kind_value = kind.value if kind else None
    return named_nodes(store, NodeLabel.ACTOR, q=q, kind=kind_value, sort=sort, offset=offset, limit=limit)


@router.get("/{actor_id}", response_model=ActorDetail, responses={**ERROR_RESPONSES, **NOT_FOUND})
def get_actor(
    store: StoreDep,
    settings: SettingsDep,
    actor_id: Annotated[str, Path(description="The actor's id.", examples=["actor:5c6d7e8f9a0b1c2d3e4f"])],
) -> ActorDetail:
    """An actor with the claims it published, made or was named in (newest first), and their narratives."""
    with store.reading():
        actor = node_of(store, actor_id, NodeLabel.ACTOR)
        edges = store.edges_of(actor.id, [EdgeType.PUBLISHED_BY, EdgeType.ATTRIBUTED_TO, EdgeType.MENTIONS])
        claims = {n.id: n for n in store.get_nodes([e.source for e in edges])}
        narratives = counted_through(store, sorted(claims), EdgeType.PART_OF)
    cap = settings.max_page_size

    def claims_by(edge_type: EdgeType) -> list[NodeOut]:
        found = [claims[e.source] for e in edges if e.type is edge_type and e.source in claims]
        found.sort(key=lambda n: (str(n.get("date", "")), n.id), reverse=True)
        return nodes_out(found[:cap])

    return ActorDetail(
        actor=NodeOut.of(actor, sources=True),
        published=claims_by(EdgeType.PUBLISHED_BY),
        attributed=claims_by(EdgeType.ATTRIBUTED_TO),
        mentioned_in=claims_by(EdgeType.MENTIONS),
        narratives=narratives,
    )
