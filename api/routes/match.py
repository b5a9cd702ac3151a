"""`/match`: which known claims a new text repeats, with their debunks and narratives."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from api.deps import MatcherDep, ReadAuth, StoreDep
from api.errors import BODY_ERRORS
from api.models import MatchList, MatchOut, MatchRequest, NodeOut, nodes_out
from api.responses import model_json
from graph.ontology import EdgeType

router = APIRouter(prefix="/match", tags=["match"], dependencies=[ReadAuth])


@router.post("", response_model=MatchList, responses=BODY_ERRORS)
def match(store: StoreDep, matcher: MatcherDep, body: MatchRequest) -> Response:
    """The known claims a text repeats, best first, each with its debunks and narratives."""
    results = list(matcher.match(body.text, body.k))
    ids = [r.claim_id for r in results]
    with store.reading():
        claims = {n.id: n for n in store.get_nodes(ids)}
        edges = store.adjacent(ids, [EdgeType.DEBUNKS, EdgeType.PART_OF])
        ends = sorted({e.source if e.type is EdgeType.DEBUNKS else e.target for e in edges})
        others = {n.id: n for n in store.get_nodes(ends)}
    out = []
    for result, claim_id in zip(results, ids, strict=True):
        if claim_id not in claims:
            continue  # removed since the matcher's last refresh
        debunks = [
            others[e.source]
            for e in edges
            if e.type is EdgeType.DEBUNKS and e.target == claim_id and e.source in others
        ]
        narratives = [
            others[e.target]
            for e in edges
            if e.type is EdgeType.PART_OF and e.source == claim_id and e.target in others
        ]
        out.append(
            MatchOut(
                claim=NodeOut.of(claims[claim_id]),
                score=float(result.score),
                debunks=nodes_out(debunks),
                narratives=nodes_out(narratives),
            )
        )
    return model_json(MatchList(data=out, count=len(out)))
