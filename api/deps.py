"""What routes are handed, as `Annotated` dependencies: settings, the store, the token checks, limits."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from graph.exc import AuthError, LimitExceededError, NotFoundError, WritesDisabledError
from graph.model import Node
from graph.ontology import NodeLabel, label_of
from graph.settings import Settings
from graph.store import GraphStore

_bearer = HTTPBearer(auto_error=False, description="The API token (`NARRATIVES_API_TOKEN`).")


# The dependencies every request solves are `async def`: they never block, and FastAPI runs a plain
# `def` dependency on the thread pool, a hand-off per dependency per request.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


def store_kind(store: GraphStore) -> str:
    """`neo4j` or `memory`: what the API actually serves (tests hand in a store of either kind)."""
    return "neo4j" if type(store).__name__.lower().startswith("neo4j") else "memory"


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _check_token(settings: Settings, credentials: HTTPAuthorizationCredentials | None, what: str) -> None:
    if settings.api_token is None:
        raise WritesDisabledError(f"{what} disabled: no API token is configured (set NARRATIVES_API_TOKEN)")
    if credentials is None:
        raise AuthError(f"{what} need a bearer token: send `Authorization: Bearer <token>`")
    expected = settings.api_token.get_secret_value().encode("utf-8")
    if not secrets.compare_digest(credentials.credentials.encode("utf-8"), expected):
        raise AuthError("the bearer token is wrong")


async def require_write(settings: SettingsDep, credentials: Credentials) -> None:
    """Writes always need the token; with none configured they are disabled, not open."""
    _check_token(settings, credentials, "writes are")


async def require_read(settings: SettingsDep, credentials: Credentials) -> None:
    """Reads are open unless `protect_reads` puts them behind the token."""
    if settings.protect_reads:
        _check_token(settings, credentials, "reads are protected and")


WriteAuth = Depends(require_write)
ReadAuth = Depends(require_read)


def check_page(settings: Settings, limit: int) -> None:
    if limit > settings.max_page_size:
        raise LimitExceededError(
            f"query parameter 'limit': at most {settings.max_page_size} items a page, got {limit}"
        )


def node_of(store: GraphStore, node_id: str, label: NodeLabel) -> Node:
    """The node with this id if it is one of `label`; a 404 naming the label otherwise."""
    noun = label.value.lower()
    try:
        ok = label_of(node_id) is label
    except ValueError:
        ok = False
    found = store.get_nodes([node_id]) if ok else []
    if not found:
        raise NotFoundError(f"no {noun} with id {node_id!r}")
    return found[0]


def json_example(value: Any) -> dict[str, Any]:
    """An OpenAPI `openapi_examples` entry."""
    return {"default": {"summary": "example", "value": value}}


def get_matcher(request: Request) -> Any:
    """The app's `Matcher`, built from the store on first use and kept in `app.state`."""
    return build_matcher(request.app.state)


def build_matcher(state: Any) -> Any:
    """Builds the matcher of an app's `state` unless it is built; callers meanwhile wait for it."""
    with state.matcher_lock:
        if state.matcher is None:
            # Imported here: the analysis stack (scikit-learn, scipy) loads only when matching.
            from graph.analysis.match import Matcher

            state.matcher = Matcher.from_store(state.store)
        return state.matcher


def refresh_matcher(request: Request) -> None:
    """After a write that adds claims: the next match sees them."""
    state = request.app.state
    with state.matcher_lock:
        if state.matcher is not None:
            state.matcher.refresh()


MatcherDep = Annotated[Any, Depends(get_matcher)]
