"""No database or argon2 work on the event loop: one blocking call there stalls every request
of the worker (issue 14). Route handlers are plain ``def`` (FastAPI runs them in its thread
pool); only a few small async dependencies that read the request body stay ``async``."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy import Engine, event, text
from web_support import ClientFactory, World, csrf_of, session_csrf

from werkpad.services import accounts
from werkpad.web.app import create_app

# Async callables allowed in a route's dependency tree: each only awaits the request body or
# checks a token, never the database or argon2. Add one here only after checking that.
ASYNC_ALLOWED = {
    "werkpad.web.posted.posted_form",
    "werkpad.web.security.check_csrf",
    "werkpad.web.views.chain.form_data",
    "werkpad.web.auth.require_role.<locals>.dependency",
    "werkpad.web.app.create_app.<locals>.favicon",
}


def _name(call: Callable[..., Any]) -> str:
    return f"{call.__module__}.{call.__qualname__}"


def _is_async(call: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(
        getattr(call, "__call__", None)  # noqa: B004  (a callable class instance)
    )


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    if dependant.call is not None:
        yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def _api_routes(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """(path, route) of every API route, looking inside included routers."""
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            context = getattr(route, "include_context", None)
            yield from _api_routes(original.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def async_calls_of(app: FastAPI) -> dict[str, set[str]]:
    """Route -> the async callables FastAPI would run on the event loop for it (the
    endpoint and its dependencies, however deep)."""
    found: dict[str, set[str]] = {}
    routes = list(_api_routes(app.routes))
    assert len(routes) > 50, "the walk no longer finds the routes"
    for path, route in routes:
        names = {_name(c) for c in _calls(route.dependant) if _is_async(c)}
        for dependency in route.dependencies:
            if dependency.dependency is not None and _is_async(dependency.dependency):
                names.add(_name(dependency.dependency))
        if names:
            found[f"{','.join(sorted(route.methods))} {path}"] = names
    return found


def test_route_handlers_and_their_dependencies_are_not_async(sqlite_url: str) -> None:
    app = create_app(sqlite_url, secret_key="test-secret", secure_cookies=False)
    offenders = {
        route: sorted(names - ASYNC_ALLOWED)
        for route, names in async_calls_of(app).items()
        if names - ASYNC_ALLOWED
    }
    assert offenders == {}, (
        "async handlers run on the event loop; make them plain def and take the form as "
        f"web.posted.PostedForm: {offenders}"
    )
    app.state.engine.dispose()


def test_the_route_inspection_finds_an_async_handler(sqlite_url: str) -> None:
    app = create_app(sqlite_url, secret_key="test-secret", secure_cookies=False)

    @app.get("/async-probe")
    async def probe() -> dict[str, str]:
        return {}

    assert "GET /async-probe" in async_calls_of(app)
    app.state.engine.dispose()


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@contextmanager
def blocking_work_on_the_loop(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[str]]:
    """Collects every SQL statement and argon2 verification that runs on an event loop."""
    seen: list[str] = []

    def on_execute(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if _on_event_loop():
            seen.append(statement.split()[0] + " " + statement[:80])

    verify = accounts.verify_password

    def guarded_verify(password_hash: str, password: str) -> bool:
        if _on_event_loop():
            seen.append("argon2 verify")
        return verify(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", guarded_verify)
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def test_login_pages_and_writes_run_no_sql_or_argon2_on_the_event_loop(
    world_sqlite: World, client_for: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(world_sqlite)
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    cid = world_sqlite.full_candidate
    with blocking_work_on_the_loop(engine, monkeypatch) as seen:
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login",
            data={"username": "km_a", "password": "geheim-wachtwoord-123", "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303
        token = session_csrf(client)
        for path in ("/caseload", f"/kandidaten/{cid}", "/kandidaten/nieuw", "/dashboard"):
            assert client.get(path).status_code == 200, path
        contact = {
            "csrf_token": token,
            "contact_date": date(2024, 2, 1).isoformat(),
            "contact_type": "PHONE",
            "summary": "Gebeld",
        }
        written = client.post(f"/kandidaten/{cid}/contact", data=contact, follow_redirects=False)
        assert written.status_code == 303
        refused = client.post(f"/kandidaten/{cid}/contact", data={"csrf_token": token})
        assert refused.status_code == 422
        out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert out.status_code == 303
    assert seen == []


def test_the_guard_sees_sql_run_by_an_async_handler(
    world_sqlite: World, client_for: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(world_sqlite)
    app: FastAPI = client.app  # type: ignore[assignment]

    @app.get("/async-probe")
    async def probe(request: Request) -> dict[str, int]:
        with request.app.state.engine.connect() as conn:
            return {"one": int(conn.execute(text("SELECT 1")).scalar_one())}

    with blocking_work_on_the_loop(app.state.engine, monkeypatch) as seen:
        assert client.get("/async-probe").json() == {"one": 1}
    assert seen == ["SELECT SELECT 1"]
