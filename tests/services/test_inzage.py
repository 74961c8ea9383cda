"""The inzage export (AVG art. 15, issue 15): everything about one person, nothing about
another (not the partner in the same benefit dossier, not a stranger); JSON and PDF."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import factories as f
from werkpad.cli import app
from werkpad.services.audit import record_read
from werkpad.services.inzage import candidate_tables, person_export
from werkpad.store.models import AuditEntry, Candidate, DossierMember


def _people(session: Session) -> tuple[Candidate, Candidate, Candidate]:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    person = f.make_full_candidate(session, team, km)
    partner_id = session.scalar(
        select(DossierMember.candidate_id).where(DossierMember.candidate_id != person.id)
    )
    partner = session.get(Candidate, partner_id)
    assert partner is not None
    stranger = f.make_candidate(session, team, km, first_name="Vreemd", last_name="Persoon")
    f.make_contact(session, stranger, km)
    f.make_assessment(session, stranger)
    record_read(session, km, person.id, purpose="Dossier bekeken", ip="127.0.0.1")
    session.flush()
    return person, partner, stranger


def test_inzage_holds_everything_about_one_person_and_nothing_about_another(
    session: Session,
) -> None:
    person, partner, stranger = _people(session)
    export = person_export(session, person.id)
    text = json.dumps(export, ensure_ascii=False)
    assert person.bsn in text and person.last_name in text
    for other in (partner, stranger):
        assert other.bsn not in text
        assert f'"id": {other.id},' not in json.dumps(export["secties"]["candidate"])
    for section in export["secties"].values():
        for row in section:
            assert row.get("candidate_id", person.id) == person.id
    # Everything: each table with a candidate_id has exactly this person's rows.
    for table in candidate_tables():
        stored = session.scalar(
            select(func.count()).select_from(table).where(table.c.candidate_id == person.id)
        )
        assert len(export["secties"][table.name]) == stored, table.name
    assert export["secties"]["route"] and export["secties"]["provision"]
    assert [a["action"] for a in export["secties"]["audit"]] == ["READ"]
    assert export["secties"]["audit"][0]["role"] == "KLANTMANAGER"


def test_inzage_covers_every_table_with_a_candidate_id(session: Session) -> None:
    person, _, _ = _people(session)
    sections = set(person_export(session, person.id)["secties"])
    assert {t.name for t in candidate_tables()} <= sections


def test_cli_writes_owner_only_json_and_pdf_and_audits_it(
    engine: object, session: Session, database_url: str, tmp_path: Path
) -> None:
    person, partner, _ = _people(session)
    session.commit()
    out_json, out_pdf = tmp_path / "inzage.json", tmp_path / "inzage.pdf"
    args = ["privacy", "inzage", str(person.id), "--json", str(out_json), "--pdf", str(out_pdf)]
    result = CliRunner().invoke(app, [*args, "--db", database_url])
    assert result.exit_code == 0, result.output
    assert json.loads(out_json.read_text())["kandidaat_id"] == person.id
    assert out_pdf.read_bytes().startswith(b"%PDF")
    for path in (out_json, out_pdf):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = CliRunner().invoke(app, [*args, "--db", database_url])
    assert again.exit_code == 1 and "bestaat al" in again.output
    session.expire_all()
    purposes = session.scalars(select(AuditEntry.purpose).where(AuditEntry.action == "EXPORT"))
    assert any(f"inzage kandidaat {person.id}" in p for p in purposes)
    assert partner.bsn not in out_json.read_text()
