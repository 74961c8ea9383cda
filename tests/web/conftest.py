"""Fixtures for the web tests: a populated database and logged-in clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_support import ClientFactory, World, build_world, login

from werkpad.web.app import create_app


@pytest.fixture
def world_sqlite(sqlite_url: str) -> World:
    return build_world(sqlite_url)


@pytest.fixture
def world(database_url: str) -> World:
    """The small municipality on both backends."""
    return build_world(database_url)


@pytest.fixture
def client_for() -> Iterator[ClientFactory]:
    """``client_for(world, "km")``: a TestClient logged in as that user (None: anonymous)."""
    clients: list[TestClient] = []

    def make(world: World, who: str | None = None) -> TestClient:
        app = create_app(world.url, secret_key="test-secret", secure_cookies=False)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        if who is not None:
            login(client, world.users[who])
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
        client.app.state.engine.dispose()  # type: ignore[attr-defined]
