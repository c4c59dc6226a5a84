"""The API keeps its own OpenAPI description: schemathesis fuzzes every operation in-process, and the
documentation pages work offline."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from haven.services.accounts import create_token, hash_password
from haven.store import Store
from haven.store.accounts import insert_user
from haven.web import api
from haven.web.app import create_app
from haven.web.settings import WebSettings

MY_TAGS = ("records", "places", "analyses", "zones")
EXAMPLES = 5  # per operation and mode; run with more (HAVEN_FUZZ_EXAMPLES=100) to search harder
# Flows take a second or two per call (their AdminIndex reads places one query at a time): fewer examples.
SLOW = {"/api/flows": 2, "/api/flows/net": 2}


@pytest.fixture(scope="module")
def fuzzed(reference_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, str]:
    """The app over a copy of the reference crisis, and an analyst's token so writes are fuzzed too."""
    db = tmp_path_factory.mktemp("openapi") / "haven.db"
    shutil.copyfile(reference_db, db)
    with Store.open(db) as store:
        insert_user(store, "analyst", "analyst", hash_password("analyst-password"), secrets.token_urlsafe(24))
        token = create_token(store, "analyst", "schemathesis", actor="tests")
    return create_app(WebSettings(db=str(db), secret_key="test")), token


@pytest.fixture(scope="module")
def api_schema(fuzzed: tuple[FastAPI, str]) -> Any:
    app, _ = fuzzed
    return schemathesis.openapi.from_asgi("/openapi.json", app)  # loaded from the app, not a URL


def _operations() -> list[Any]:
    """(method, path, mode, who, repeatable query parameters) of every operation of the routers this
    suite owns, read without a database.

    Valid requests are sent by an analyst and, for reads, by the public too (its answers are built
    differently). Invalid requests are generated for operations with query parameters or a body; a path
    parameter alone has no invalid value a URL can carry (an empty segment is another route)."""
    bare = FastAPI()
    bare.include_router(api.router, prefix="/api")
    cases = []
    for path, operations in bare.openapi()["paths"].items():
        for method, operation in operations.items():
            if operation["tags"][0] not in MY_TAGS:
                continue
            query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
            repeatable = frozenset(p["name"] for p in query if "array" in json.dumps(p["schema"]))
            runs = [(GenerationMode.POSITIVE, "analyst")]
            if method == "get":
                runs.append((GenerationMode.POSITIVE, "public"))
            if query or "requestBody" in operation:
                runs.append((GenerationMode.NEGATIVE, "analyst"))
            for mode, who in runs:
                kind = "valid" if mode is GenerationMode.POSITIVE else "invalid"
                name = f"{method.upper()} {path} {kind} by {who}"
                cases.append(pytest.param(method.upper(), path, mode, who, repeatable, id=name))
    return cases


def _invalid_on_the_wire(case: Any, repeatable: frozenset[str]) -> bool:
    """Whether an invalid case stays invalid once it is a URL.

    A repeatable parameter is a list of strings, and any scalar or list of scalars is sent as strings
    (``false`` becomes ``?context=false``): schemathesis would count the server's acceptance as a failure.
    Only lists of strings can break such a parameter's own rules (an empty item, an unknown choice)."""
    for name, value in (case.query or {}).items():
        if name in repeatable and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return False
    return True


# schemathesis's own pytest plugin does not run under pytest 9 (it reads a private node id), so each
# operation is one test here, driving schemathesis's Hypothesis strategies directly.
@pytest.mark.parametrize(("method", "path", "mode", "who", "repeatable"), _operations())
def test_every_operation_keeps_to_its_schema(
    api_schema: Any,
    fuzzed: tuple[FastAPI, str],
    method: str,
    path: str,
    mode: GenerationMode,
    who: str,
    repeatable: frozenset[str],
) -> None:
    _, token = fuzzed
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {token}"} if who == "analyst" else {}
    cases = operation.as_strategy(generation_mode=mode)
    if mode is GenerationMode.NEGATIVE:
        cases = cases.filter(lambda case: _invalid_on_the_wire(case, repeatable))

    examples = int(os.environ.get("HAVEN_FUZZ_EXAMPLES", 0)) or SLOW.get(path, EXAMPLES)

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=cases)
    def check(case: Any) -> None:
        response = case.call(headers=headers)
        # Every built-in check but one: see _refused_for_a_reason for what replaces it.
        case.validate_response(response, headers=headers, excluded_checks=[positive_data_acceptance])
        if mode is GenerationMode.POSITIVE and response.status_code in (400, 422):
            assert _refused_for_a_reason(response.json()), f"{case.as_curl_command()}: {response.text}"

    check()


def _refused_for_a_reason(body: dict[str, Any]) -> bool:
    """Whether a request the schema allows was refused by a rule the schema cannot state.

    An unknown p-code, a period that ends before it starts or a buffer with two distances pass the
    schema and are refused by Haven's own checks: a sentence (``HavenError``) or errors of type
    ``value_error`` naming the parameter. A refusal by FastAPI's own validation of a schema-valid
    request would mean the schema is wrong, and fails the test.
    """
    detail = body["detail"]
    if isinstance(detail, str):
        return bool(detail)
    return bool(detail) and all(error["type"] == "value_error" and error["loc"] for error in detail)


# ---------------------------------------------------------------- the description itself
def test_every_api_operation_has_a_tag_a_summary_and_documented_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            name = f"{method.upper()} {path}"
            assert operation.get("tags"), f"{name} has no tag"
            assert operation.get("summary"), f"{name} has no summary"
            if operation["tags"][0] in MY_TAGS:
                assert {"404", "422"} <= set(operation["responses"]), f"{name} documents no errors"
    listed = spec["paths"]["/api/events"]["get"]
    assert listed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/ListPage")
    problem = spec["components"]["schemas"]["Problem"]
    assert problem["required"] == ["detail"]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_documentation_is_served_from_the_server_itself(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    html = response.text
    assert "openapi.json" in html
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    references += re.findall(r"""(?:url|specUrl|spec-url)\s*[:=]\s*["']([^"']+)["']""", html)
    assert references, "the page loads its scripts from somewhere"
    outside = [url for url in references if re.match(r"^(https?:)?//", url)]
    assert outside == []
    assert not re.search(r"https?://(cdn|unpkg|fonts\.googleapis|jsdelivr)", html)
    for url in references:
        if url.startswith("/") and not url.endswith("openapi.json"):
            assert client.get(url).status_code == 200, url
