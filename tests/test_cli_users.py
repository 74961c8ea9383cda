"""``werkpad user create-admin``: the first beheerder of a new installation (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from werkpad.cli import app
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import AuditEntry, User
from werkpad.web.app import create_app

runner = CliRunner()
GOOD = "paars-fietsrek-onder-de-brug"


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def _create(url: str, username: str, password: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["user", "create-admin", "--db", url, "--username", username, "--full-name", "Eva Eerst"],
        input=f"{password}\n{password}\n",
    )
    return result.exit_code, result.output


def test_create_admin_makes_the_first_beheerder_who_sets_up_the_second_factor_at_login(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    code, output = _create(url, "eva", GOOD)
    assert code == 0, output
    engine = make_engine(url)
    with session_factory(engine)() as s:
        user = s.scalar(select(User).where(User.username == "eva"))
        assert user is not None and user.role == "BEHEERDER" and user.active
        assert GOOD not in user.password_hash
        assert s.scalar(select(AuditEntry.purpose).where(AuditEntry.action == "CREATE"))
    engine.dispose()
    client = TestClient(create_app(url, secret_key="k", secure_cookies=False))
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "eva", "password": GOOD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/login/instellen"
    page = client.get("/login/instellen").text
    assert "<svg" in page
    client.app.state.engine.dispose()  # type: ignore[attr-defined]


def test_create_admin_refuses_a_second_beheerder_and_a_weak_password(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    code, output = _create(url, "eva", "Wachtwoord2024!")
    assert code == 2 and "te bekend" in output
    code, output = _create(url, "eva", "eva-eva-eva-eva-123")
    assert code == 2 and "gebruikersnaam of naam" in output
    assert _create(url, "eva", GOOD)[0] == 0
    code, output = _create(url, "piet", GOOD)
    assert code == 1 and "al een beheerder" in output
