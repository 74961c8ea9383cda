"""``/healthz`` for the reverse proxy: no login, no personal data, 503 when the database is gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import ClientFactory, World

from werkpad.store.db import make_engine
from werkpad.web.app import create_app, create_app_from_environment


def test_health_answers_ok_without_login_and_without_personal_data(
    world: World, client_for: ClientFactory
) -> None:
    response = client_for(world).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["cache-control"] == "no-store"


def test_health_answers_503_when_the_database_does_not_answer(
    world_sqlite: World, tmp_path: Path
) -> None:
    app = create_app(world_sqlite.url, secret_key="test-secret", secure_cookies=False)
    app.state.engine.dispose()
    # A database file in a folder that does not exist cannot be opened.
    app.state.engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'werkpad.db'}")
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_app_factory_of_the_serve_command_uses_the_database_from_the_environment(
    world_sqlite: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WERKPAD_DATABASE_URL", world_sqlite.url)
    monkeypatch.setenv("WERKPAD_SECRET_KEY", "test-secret")
    app = create_app_from_environment()
    assert str(app.state.engine.url) == world_sqlite.url
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
    app.state.engine.dispose()
