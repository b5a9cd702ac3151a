"""`/similarities`: an analyst confirms or rejects a SIMILAR_TO link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import StoreDep, WriteAuth, node_of
from api.errors import BODY_ERRORS, NOT_FOUND
from api.models import EdgeOut, VerdictRequest
from graph.ontology import EdgeType, NodeLabel

router = APIRouter(prefix="/similarities", tags=["similarities"])

_ClaimId = Annotated[
    str,
    Path(
        description="A claim id (either end; the order does not matter).",
        examples=["claim:3f2a9c0d1e5b7a86c4d2"],
    ),
]


@router.patch(
    "/{a}/{b}",
    response_model=EdgeOut,
    dependencies=[WriteAuth],
    responses={**BODY_ERRORS, **NOT_FOUND},
)
def set_verdict(store: StoreDep, a: _ClaimId, b: _ClaimId, body: VerdictRequest) -> EdgeOut:
    """Records an analyst's verdict on the SIMILAR_TO link between two claims. Needs the API token."""
    first = node_of(store, a, NodeLabel.CLAIM)
    second = node_of(store, b, NodeLabel.CLAIM)
    edge = store.set_edge_properties(
        EdgeType.SIMILAR_TO, first.id, second.id, {"verdict": body.verdict.value}
    )
    return EdgeOut.of(edge, sources=True)
