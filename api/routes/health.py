"""`/healthz`, `/readyz`, `/stats`: is the API alive, can it reach its store, how big is the graph."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ReadAuth, StoreDep, store_kind
from api.errors import ERROR_RESPONSES
from api.models import ErrorResponse, Health, Stats

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(store: StoreDep) -> Health:
    """Alive: the process answers. Says nothing of the store (see `/readyz`)."""
    return Health(status="ok", store=store_kind(store))


@router.get(
    "/readyz",
    response_model=Health,
    responses={503: {"model": ErrorResponse, "description": "The graph store cannot be reached."}},
)
def readyz(store: StoreDep) -> Health:
    """Ready: the store answers. A 503 in the one error shape when it does not."""
    store.ping()
    return Health(status="ok", store=store_kind(store))


@router.get("/stats", response_model=Stats, dependencies=[ReadAuth], responses={**ERROR_RESPONSES})
def stats(store: StoreDep) -> Stats:
    """Nodes per label and edges per type."""
    counts = store.counts()
    return Stats(
        store=store_kind(store),
        nodes=counts.nodes,
        edges=counts.edges,
        total_nodes=sum(counts.nodes.values()),
        total_edges=sum(counts.edges.values()),
    )
