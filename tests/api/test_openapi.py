"""The OpenAPI document is complete, and schemathesis finds no server error against it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from graph.memory import MemoryStore
from tests.api.conftest import auth, graph_records, make_settings

MAX_EXAMPLES = 30  # per operation: bounded, so `make test` stays quick


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    store = MemoryStore(Path(tmp_path_factory.mktemp("openapi")) / "data")
    store.upsert(*graph_records())
    yield create_app(make_settings(), store=store)
    store.close()


def _operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    spec = app.openapi()
    return [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]


def test_every_route_has_a_model_a_description_and_an_example(app: FastAPI) -> None:
    spec = app.openapi()
    schemas = spec["components"]["schemas"]
    ops = _operations(app)
    assert len(ops) >= 18
    for path, method, op in ops:
        where = f"{method.upper()} {path}"
        assert op.get("description"), f"{where}: no description"
        assert op.get("summary"), f"{where}: no summary"
        ok = op["responses"].get("200")
        assert ok, f"{where}: no 200 response"
        contents = ok.get("content", {})
        assert contents, f"{where}: no response body documented"
        for media, content in contents.items():
            schema = content.get("schema", {})
            ref = schema.get("$ref")
            if ref:
                model = schemas[ref.rsplit("/", 1)[1]]
                assert model.get("examples") or content.get("example"), f"{where}: no example for {ref}"
            elif media == "application/json":
                assert content.get("example"), f"{where}: no example"
        errors = {code for code in op["responses"] if code.startswith(("4", "5"))}
        for code in errors:
            ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorResponse"), f"{where} {code}: not the one error shape"
        if op.get("parameters") or op.get("requestBody"):
            assert "422" in errors, f"{where}: a 422 is possible but undocumented"


def test_parameters_are_described(app: FastAPI) -> None:
    for path, method, op in _operations(app):
        for param in op.get("parameters", []):
            assert param.get("description") or param["schema"].get("description"), (
                f"{method.upper()} {path}: parameter {param['name']!r} has no description"
            )


def _fuzzed_app() -> FastAPI:
    # Built when the module is collected (schemathesis parametrises from the schema then); the store is
    # in memory only, so nothing is written to disk and nothing leaks between runs.
    store = MemoryStore()
    store.upsert(*graph_records())
    return create_app(make_settings(), store=store)


schema = schemathesis.openapi.from_asgi("/openapi.json", _fuzzed_app())


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any) -> None:
    # Every check but "a schema-valid request is accepted": some rules span parameters (`id` or
    # `narrative`, not both; a non-empty upload) and OpenAPI cannot state them, so a 422 there is right.
    case.call_and_validate(headers=auth(), excluded_checks=[positive_data_acceptance])
