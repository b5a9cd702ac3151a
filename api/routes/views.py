"""`/views/{kind}`: embeddable views (HTML for an iframe, SVG and PNG for print); the explorer at `/`.

A view's page carries its own CSP allowing only its inline scripts; the header adds `frame-ancestors`
from the `frame_ancestors` setting, so only the sites named there may embed it.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import ReadAuth, SettingsDep, StoreDep
from api.errors import ERROR_RESPONSES, NOT_FOUND
from graph.exc import LimitExceededError, NotFoundError
from graph.store import MAX_PATH_LENGTH, MAX_PATHS
from visualisations.html import asset, content_security_policy, vis_css, vis_js
from visualisations.kinds import MEDIA_TYPES, ViewFormat, ViewKind
from visualisations.style import explorer_style
from visualisations.views import ViewRequest, render

router = APIRouter(tags=["views"])

_VIEW_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The view: an HTML page for an iframe, an SVG document or a PNG image.",
        "content": {"text/html": {}, "image/svg+xml": {}, "image/png": {}},
    }
}
_EXPLORER_FILES = {
    "explorer.js": "text/javascript; charset=utf-8",
    "explorer.css": "text/css; charset=utf-8",
}
_EXPLORER_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'"
)


@router.get(
    "/views/{kind}",
    response_class=Response,
    responses={**_VIEW_CONTENT, **ERROR_RESPONSES, **NOT_FOUND},
    dependencies=[ReadAuth],
)
async def get_view(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    kind: Annotated[
        ViewKind, Path(description="Which view: neighbourhood, narrative, path, country, timeline.")
    ],
    id: Annotated[
        str | None,
        Query(max_length=200, description="The node the view is about (path views use source and target)."),
    ] = None,
    source: Annotated[
        str | None, Query(max_length=200, description="Path view: where the path starts.")
    ] = None,
    target: Annotated[
        str | None, Query(max_length=200, description="Path view: where the path ends.")
    ] = None,
    depth: Annotated[int, Query(ge=0, description="Neighbourhood view: hops (at most `max_depth`).")] = 1,
    limit: Annotated[int, Query(ge=1, description="Most nodes drawn (at most `max_limit`).")] = 300,
    k: Annotated[int, Query(ge=1, le=MAX_PATHS, description="Path view: most paths drawn.")] = 3,
    max_length: Annotated[
        int, Query(ge=1, le=MAX_PATH_LENGTH, description="Path view: most hops a path may have.")
    ] = 4,
    gap_days: Annotated[
        int | None, Query(ge=1, le=3650, description="Timeline: quiet days that make a comeback.")
    ] = None,
    format: Annotated[ViewFormat, Query(description="html (for an iframe), svg or png (for print).")] = (
        ViewFormat.HTML
    ),
) -> Response:
    """A view of the graph, self-contained: HTML for an iframe, or SVG / PNG for print."""
    if depth > settings.max_depth:
        raise LimitExceededError(f"query parameter 'depth': at most {settings.max_depth}, got {depth}")
    if limit > settings.max_limit:
        raise LimitExceededError(f"query parameter 'limit': at most {settings.max_limit} nodes, got {limit}")
    wanted = ViewRequest(
        kind=kind,
        id=id,
        source=source,
        target=target,
        depth=depth,
        limit=limit,
        k=k,
        max_length=max_length,
        gap_days=gap_days or settings.comeback_gap_days,
        hub_degree=settings.hub_degree,
    )
    explorer = str(request.base_url)
    body = await run_in_threadpool(
        render, store, wanted, format, explorer_url=explorer, max_limit=settings.max_limit
    )
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
    if format is ViewFormat.HTML:
        headers["Content-Security-Policy"] = content_security_policy(
            with_vis=kind is not ViewKind.TIMELINE, frame_ancestors=settings.frame_ancestors
        )
    else:
        headers["Content-Security-Policy"] = (
            f"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors {settings.frame_ancestors}"
        )
        extension = format.value
        headers["Content-Disposition"] = f'inline; filename="{kind.value}.{extension}"'
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)


def _explorer_file(name: str) -> str:
    return resources.files("visualisations").joinpath("explorer", name).read_text(encoding="utf-8")


@router.get("/", response_class=Response, include_in_schema=False)
def explorer() -> Response:
    """The explorer: search, graph panel, claim panel and embed snippets, in one static page."""
    return Response(
        _explorer_file("index.html"),
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": _EXPLORER_CSP, "X-Content-Type-Options": "nosniff"},
    )


@router.get("/explorer/{name}", response_class=Response, include_in_schema=False)
def explorer_asset(name: str) -> Response:
    """The explorer's script and styles, and vis-network from the installed pyvis."""
    if name == "vis-network.min.js":
        text, media = vis_js(), "text/javascript; charset=utf-8"
    elif name == "vis-network.css":
        text, media = vis_css(), "text/css; charset=utf-8"
    elif name == "style.json":
        text, media = json.dumps(explorer_style()), "application/json"
    elif name == "captions.js":  # the views' caption rule, shared
        text, media = asset(name), "text/javascript; charset=utf-8"
    elif name in _EXPLORER_FILES:
        text, media = _explorer_file(name), _EXPLORER_FILES[name]
    else:
        raise NotFoundError(f"no explorer file {name!r}")
    return Response(
        text,
        media_type=media,
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )
