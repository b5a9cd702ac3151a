"""`/export`: the whole graph or a scope of it as node-link JSON, GraphML, GEXF, CSV, ClaimReview or STIX."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ReadAuth, SettingsDep, StoreDep, node_of
from api.errors import ERROR_RESPONSES, NOT_FOUND
from api.exporters import FORMATS, narrative_scope, whole
from graph.exc import InvalidInputError, LimitExceededError
from graph.ontology import NodeLabel

router = APIRouter(prefix="/export", tags=["export"], dependencies=[ReadAuth])

ExportFormat = Literal["json", "graphml", "gexf", "csv", "claimreview", "stix"]

_CONTENT: dict[str, dict[str, Any]] = {
    # JSON flavours are objects (clients parse them); the rest are files.
    fmt.media_type.split(";")[0]: {
        "schema": {"type": "object"} if "json" in fmt.media_type else {"type": "string", "format": "binary"}
    }
    for name, fmt in FORMATS.items()
    if name != "json"
}
_CONTENT["application/json"] = {
    "schema": {"type": "object"},
    "example": {
        "directed": True,
        "multigraph": True,
        "graph": {"name": "narrative-graph"},
        "nodes": [],
        "links": [],
    },
}


@router.get(
    "",
    response_class=Response,
    responses={
        200: {"description": "The export, as a download in the format asked for.", "content": _CONTENT},
        **ERROR_RESPONSES,
        **NOT_FOUND,
    },
)
def export(
    store: StoreDep,
    settings: SettingsDep,
    format: Annotated[
        ExportFormat,
        Query(
            description="json (node-link), graphml, gexf, csv (a zip of "
            "nodes.csv and edges.csv), claimreview (JSON-LD) or stix (2.1)."
        ),
    ] = "json",
    id: Annotated[
        str | None, Query(max_length=200, description="Export this node's neighbourhood only.")
    ] = None,
    depth: Annotated[int, Query(ge=0, description="Hops of the neighbourhood (at most `max_depth`).")] = 1,
    narrative: Annotated[
        str | None, Query(max_length=200, description="Export this narrative, its claims and what they join.")
    ] = None,
    limit: Annotated[
        int, Query(ge=1, description="Most nodes of a neighbourhood (at most `max_limit`).")
    ] = 5000,
) -> Response:
    """The graph, a node's neighbourhood or a narrative, in a format other tools open (Gephi, OpenCTI, …)."""
    if id and narrative:
        raise InvalidInputError("give either query parameter 'id' or 'narrative', not both")
    if depth > settings.max_depth:
        raise LimitExceededError(f"query parameter 'depth': at most {settings.max_depth}, got {depth}")
    if limit > settings.max_limit:
        raise LimitExceededError(f"query parameter 'limit': at most {settings.max_limit} nodes, got {limit}")
    if id:
        sub = store.neighbourhood(id, depth=depth, limit=limit)
        nodes, edges, scope = sub.nodes, sub.edges, id
    elif narrative:
        with store.reading():
            nodes, edges = narrative_scope(store, node_of(store, narrative, NodeLabel.NARRATIVE).id)
        scope = narrative
    else:
        nodes, edges = whole(store)
        scope = "graph"
    fmt = FORMATS[format]
    filename = f"narratives-{re.sub(r'[^A-Za-z0-9_.-]+', '-', scope)[:80]}.{fmt.extension}"
    return Response(
        fmt.write(nodes, edges),
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
