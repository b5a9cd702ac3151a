"""The FastAPI app: `create_app(settings, store)`; the store is opened in the lifespan, never at import.

`narratives serve` runs it under uvicorn. Tests hand in a store of either kind and keep ownership of
it; otherwise the lifespan opens the configured store (one Neo4j driver for the app's life) and
closes it at shutdown.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from api.deps import build_matcher
from api.errors import install_error_handlers
from api.routes import (
    actors,
    claims,
    countries,
    export,
    graph,
    health,
    ingest,
    match,
    narratives,
    similarities,
    views,
)
from graph.factory import open_store
from graph.gcpause import settle
from graph.settings import Settings
from graph.store import GraphStore

DESCRIPTION = """
A knowledge graph of disinformation narratives, claims, debunks, countries and actors.

Reads are open unless the server sets `protect_reads`; writes (`PATCH /similarities`, `POST /ingest`)
need `Authorization: Bearer <token>` and are disabled when no token is configured. Every error has one
shape: `{"error": {"code", "message", "status", "details"}}`.
"""

TAGS = [
    {"name": "claims", "description": "Claims as made in the world, searchable and filterable."},
    {"name": "narratives", "description": "Recurring stories claims feed, with their timelines."},
    {"name": "countries", "description": "Countries and regions claims concern."},
    {"name": "actors", "description": "People, organisations and outlets."},
    {"name": "graph", "description": "Neighbourhoods and explained paths."},
    {"name": "match", "description": "Which known claims a text repeats."},
    {"name": "similarities", "description": "Analyst verdicts on similarity links."},
    {"name": "ingest", "description": "Loading files over HTTP."},
    {"name": "export", "description": "The graph in other tools' formats."},
    {"name": "health", "description": "Liveness, readiness and size."},
]

_ROUTERS = (claims, narratives, countries, actors, graph, match, similarities, ingest, export, health, views)
_WRITES = {("PATCH", "/similarities/{a}/{b}"), ("POST", "/ingest")}


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The API over `store`, or over the store `settings` name (opened at start-up)."""
    settings = settings if settings is not None else Settings()  # type: ignore[call-arg]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store if store is not None else open_store(settings)
        if owned:
            # The graph just read, and the indexes built on it now rather than in a first request,
            # are there for the server's life: settled out of the cyclic collector's sight, a full
            # collection no longer walks their millions of objects (a 60-400 ms pause in some
            # unlucky request). A warm store settles again whenever it re-reads its data.
            app.state.store.warm()
            settle()
            # A served app builds its matcher now, in the background, rather than on the first
            # `/match` (seconds on a full graph); a request meanwhile waits for it, as it would have.
            threading.Thread(target=_warm_matcher, args=(app,), name="warm-matcher", daemon=True).start()
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    # The interactive docs (/docs) with their script and styles served by this server, not a CDN:
    # analysts on a closed network get them too. No /redoc: its page fetches a logo from its CDN.
    app = FastAPIOffline(
        redoc_url=None,
        title="narrative-graph",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.matcher = None
    app.state.matcher_lock = threading.Lock()
    if store is not None:
        # Usable before the lifespan runs too (a TestClient not used as a context manager).
        app.state.store = store
    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH"],
            allow_headers=["Authorization", "Content-Type"],
        )
    for module in _ROUTERS:
        app.include_router(module.router)
    _document_configuration(app, settings)
    return app


def _warm_matcher(app: FastAPI) -> None:
    try:
        build_matcher(app.state)
    except Exception as exc:  # noqa: BLE001 - the first `/match` builds it again and reports the error
        logging.getLogger(__name__).warning("could not build the matcher at start-up: %s", exc)
        return
    settle()  # the matcher's index, like the graph, lives as long as the server


def _document_configuration(app: FastAPI, settings: Settings) -> None:
    """Puts what this server is configured with into its OpenAPI document.

    The limits are settings, checked at run time (a clear 422 beyond them); the document states this
    server's values. The token is optional on reads unless `protect_reads` makes it required.
    """
    build = app.openapi
    maxima = {"depth": settings.max_depth}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            for path, item in spec.get("paths", {}).items():
                traversal = path.startswith(("/graph", "/export", "/views"))
                for method, op in item.items():
                    if (
                        op.get("security")
                        and not settings.protect_reads
                        and (method.upper(), path) not in _WRITES
                    ):
                        op["security"] = [{}, *op["security"]]
                    for param in op.get("parameters", []):
                        name, schema = param["name"], param.get("schema", {})
                        if name == "limit":
                            schema["maximum"] = settings.max_limit if traversal else settings.max_page_size
                        elif name in maxima:
                            schema["maximum"] = maxima[name]
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
