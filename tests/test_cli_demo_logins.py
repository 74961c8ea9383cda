"""``werkpad demo`` gives the demo beheerder and analist a second factor and prints it once
(issue 15): the secret in the logins table and the CSV, a QR code in the terminal."""

from __future__ import annotations

import stat
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from werkpad.cli import app
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import User, UserCredential


@pytest.mark.slow
def test_demo_prints_the_totp_secrets_once_and_keeps_them_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'werkpad.db'}"
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--db", url, "--no-serve"], env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    logins = (tmp_path / "werkpad-demo-logins.csv").read_text().splitlines()
    assert logins[0] == "username,password,role,totp_secret"
    secrets = {row.split(",")[0]: row.split(",")[3] for row in logins[1:]}
    assert secrets["beheerder"] and secrets["analist"] and not secrets["klantmanager"]
    assert stat.S_IMODE((tmp_path / "werkpad-demo-logins.csv").stat().st_mode) == 0o600
    assert "QR-code voor beheerder" in first.output and "█" in first.output
    engine = make_engine(url)
    with session_factory(engine)() as s:
        stored = s.scalar(
            select(UserCredential.totp_secret)
            .join(User, User.id == UserCredential.user_id)
            .where(User.username == "beheerder")
        )
    engine.dispose()
    assert stored == secrets["beheerder"]
    assert pyotp.TOTP(stored).now().isdigit()
    second = runner.invoke(app, ["demo", "--db", url, "--no-serve"], env={"COLUMNS": "200"})
    assert second.exit_code == 0
    assert secrets["beheerder"] in second.output and "QR-code voor" not in second.output
