"""``werkpad serve``: several uvicorn workers built by the app factory, proxy headers off,
uvicorn's access log off, the session key made once before the workers start."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from werkpad.cli import MAX_DEFAULT_WORKERS, app, default_workers

runner = CliRunner()


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    """Capture what serve hands to uvicorn instead of listening on a port."""
    import uvicorn

    calls: list[dict[str, Any]] = []

    def fake_run(target: Any, **kwargs: Any) -> None:
        calls.append({"target": target, **kwargs, "env_url": os.environ["WERKPAD_DATABASE_URL"]})

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.chdir(tmp_path)
    # Recorded, so the serve command's own setting is undone after the test.
    monkeypatch.delenv("WERKPAD_DATABASE_URL", raising=False)
    monkeypatch.delenv("WERKPAD_SECRET_KEY", raising=False)
    return calls


def test_serve_runs_the_app_factory_in_the_requested_number_of_workers(
    uvicorn_calls: list[dict[str, Any]], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    result = runner.invoke(app, ["serve", "--db", url, "--workers", "3", "--log-format", "json"])
    assert result.exit_code == 0, result.output
    [call] = uvicorn_calls
    assert call["target"] == "werkpad.web.app:create_app_from_environment"
    assert call["factory"] is True and call["workers"] == 3
    assert call["env_url"] == url  # what every worker's factory reads
    assert call["proxy_headers"] is False and call["access_log"] is False
    assert "JsonLinesFormatter" in str(call["log_config"]["formatters"])
    # The session key exists before the workers start, so they cannot race to create it.
    assert (tmp_path / "werkpad-secret.key").exists()


def test_serve_defaults_to_two_workers_per_core_and_at_most_eight(
    uvicorn_calls: list[dict[str, Any]], tmp_path: Path
) -> None:
    result = runner.invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'w.db'}"])
    assert result.exit_code == 0, result.output
    assert uvicorn_calls[0]["workers"] == default_workers()
    assert default_workers() == min(2 * (os.cpu_count() or 1), MAX_DEFAULT_WORKERS)


def test_serve_refuses_zero_workers_and_unknown_log_formats(
    uvicorn_calls: list[dict[str, Any]],
) -> None:
    assert runner.invoke(app, ["serve", "--workers", "0"]).exit_code != 0
    assert runner.invoke(app, ["serve", "--log-format", "xml"]).exit_code != 0
    assert uvicorn_calls == []
