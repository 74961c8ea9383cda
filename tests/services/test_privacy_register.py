"""The processing register and DPIA outline are generated from the installation (issue 15)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session
from typer.testing import CliRunner

import factories as f
from werkpad.cli import app
from werkpad.services.privacy_register import register_markdown


def test_register_counts_people_and_names_roles_retention_and_providers(
    session: Session,
) -> None:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    f.make_user(session, "ANALIST")
    for _ in range(3):
        f.make_candidate(session, team, km)
    f.make_provider(session, name="Re-integratiebureau Voorbeeld", kind="EXTERNAL")
    session.flush()
    text = register_markdown(session, today=date(2026, 1, 5), controller="Gemeente Voorbeeld")
    assert "| kandidaten (inwoners in re-integratie of met uitkering) | 3 |" in text
    assert "Gemeente Voorbeeld" in text
    assert "Re-integratiebureau Voorbeeld (EXTERNAL)" in text
    assert "7 jaar na beëindiging" in text and "auditlog: 730 dagen" in text
    assert "analist 1" in text and "klantmanager 1" in text
    assert "## DPIA-opzet (art. 35 AVG)" in text


def test_cli_writes_the_register(database_url: str, tmp_path: Path) -> None:
    out = tmp_path / "register.md"
    result = CliRunner().invoke(
        app, ["privacy", "register", "--db", database_url, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# Verwerkingsregister")
