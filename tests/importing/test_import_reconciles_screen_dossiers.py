"""An import of benefit data adopts the person, dossier and benefit spell a klantmanager
entered at the intake (matched on BSN and start date) instead of refusing or duplicating them,
and lists the values that differ for review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select

import factories as f
from werkpad.importing import import_folder
from werkpad.services.candidates import register_candidate
from werkpad.store.db import make_engine, session_factory, transaction, upgrade
from werkpad.store.models import BenefitDossier, BenefitSpell, Candidate, DossierMember


def _intake_on_screen(url: str) -> str:
    """P001 of the example folder (BSN 123456009, bijstand from 1 January 2019) entered at the
    intake, with her last name spelled differently; returns the screen dossier number."""
    engine = make_engine(url)
    upgrade(engine)
    with transaction(session_factory(engine)) as s:
        team = f.make_team(s, name="Team Werk Centrum")
        km = f.make_user(s, "KLANTMANAGER", team, username="km_import")
        candidate = register_candidate(
            s,
            {"bsn": "123456009", "first_name": "Fatima", "last_name": "El-Amrani",
             "birth_date": "1965-01-10", "sex": "V", "benefit_type": "PW",
             "benefit_start_date": "2019-01-01", "postcode": "2511 AB"},
            km,
            today=date(2019, 1, 5),
        )  # fmt: skip
        number = s.scalars(
            select(BenefitDossier.dossier_number)
            .join(DossierMember)
            .where(DossierMember.candidate_id == candidate.id)
        ).one()
    engine.dispose()
    return number


def test_import_adopts_the_screen_intake_and_lists_differences_instead_of_duplicating(
    database_url: str, folder: Path, counts: Callable[[str], dict[str, int]]
) -> None:
    screen_number = _intake_on_screen(database_url)
    report = import_folder(database_url, folder)
    after = counts(database_url)
    assert after["candidate"] == 12  # the example's 12 persons, Fatima once
    assert after["benefit_spell"] == 10 and after["benefit_dossier"] == 9
    engine = make_engine(database_url)
    with session_factory(engine)() as s:
        fatima = s.scalars(select(Candidate).where(Candidate.bsn == "123456009")).one()
        assert (fatima.source_id, fatima.last_name) == ("P001", "El Amrani")
        spell = s.scalars(select(BenefitSpell).where(BenefitSpell.candidate_id == fatima.id)).one()
        assert spell.source_id == "B001"
        dossier = s.get(BenefitDossier, spell.dossier_id)
        assert dossier is not None and dossier.dossier_number == "D-1001"
    engine.dispose()
    shown = [str(d) for d in report.differences]
    assert "persons P001: achternaam was 'El-Amrani' (scherm), wordt 'El Amrani' (import)" in shown
    assert any(f"dossiernummer was '{screen_number}'" in line for line in shown)
    # A second import of the same folder changes nothing and finds nothing to reconcile.
    again = import_folder(database_url, folder)
    assert counts(database_url) == after and again.differences == []
