"""Schemathesis on the app's own OpenAPI document, in-process (issue 22): every /api operation
with generated input, logged in (teamleider: the case and the matching roles) and with the
CSRF header; a bounded number of examples per operation. Zero 5xx, zero schema violations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from web_support import World, build_world, login

from werkpad.web.app import SESSION_COOKIE, create_app


@dataclass(frozen=True)
class Logged:
    app: Any
    cookies: dict[str, str]
    headers: dict[str, str]


@pytest.fixture
def logged(tmp_path: Any, sqlite_template: Any) -> Iterator[Logged]:
    import shutil

    path = tmp_path / "werkpad.db"
    shutil.copy(sqlite_template, path)
    world: World = build_world(f"sqlite:///{path}")
    app = create_app(world.url, secret_key="k", secure_cookies=False)
    with TestClient(app) as client:
        token = login(client, world.users["tl"])
        cookie = client.cookies.get(SESSION_COOKIE)
        assert cookie
    yield Logged(app, {SESSION_COOKIE: cookie}, {"X-CSRF-Token": token})
    app.state.engine.dispose()


def test_api_answers_every_generated_request_within_its_schema(logged: Logged) -> None:
    loaded = schemathesis.openapi.from_dict(logged.app.openapi())
    loaded.app = logged.app
    operations = [
        result.ok() for result in loaded.include(path_regex="^/api/").get_all_operations()
    ]
    assert len(operations) >= 6
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            case.call_and_validate(
                cookies=logged.cookies,
                headers=logged.headers,
                # A schema-valid intake can still break a business rule the schema cannot
                # state (elfproef, plausible age): that is the documented 422 with Dutch field
                # messages, not a defect. Every other check runs, 5xx and schema included.
                excluded_checks=[positive_data_acceptance],
            )

        check()
