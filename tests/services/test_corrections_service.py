"""Corrections and dossiers at the service level: partners share one dossier that closes with
the last spell, corrections keep the dossier right, follow-ups are not recorded before their due
date, an undone exit can keep its follow-ups, and a shared spell is not deleted."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import factories as f
from werkpad.domain.errors import ValidationFailed
from werkpad.services.candidates import register_candidate
from werkpad.services.corrections import (
    correct_record,
    delete_record,
    set_exit_undo_days,
    undo_exit,
)
from werkpad.services.exits import end_benefit
from werkpad.store.models import (
    BenefitDossier,
    BenefitSpell,
    Candidate,
    Correction,
    FollowUp,
    Placement,
    Route,
)

TODAY = date(2024, 6, 3)
COUPLE = {
    "bsn": "111222333",
    "first_name": "Fatima",
    "last_name": "El Amrani",
    "birth_date": "1988-04-12",
    "sex": "V",
    "benefit_type": "PW",
    "benefit_start_date": "2024-02-01",
    "partner_bsn": "123456782",
    "partner_first_name": "Youssef",
    "partner_last_name": "El Amrani",
    "partner_birth_date": "1985-09-30",
    "partner_sex": "M",
}


def _couple(session: Session) -> tuple[Candidate, list[BenefitSpell]]:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    applicant = register_candidate(session, COUPLE, km, today=TODAY)
    session.commit()
    spells = list(session.scalars(select(BenefitSpell).where(BenefitSpell.dossier_id.is_not(None))))
    return applicant, spells


def test_a_couples_dossier_closes_only_when_both_spells_have_ended(session: Session) -> None:
    applicant, spells = _couple(session)
    km = applicant.klantmanager
    assert km is not None and len(spells) == 2
    dossier = session.get(BenefitDossier, spells[0].dossier_id)
    assert dossier is not None and dossier.opened_on == date(2024, 2, 1)
    end_benefit(
        session, km, spells[0], {"end_date": "2024-05-01", "end_reason": "WORK"}, today=TODAY
    )
    assert dossier.closed_on is None
    end_benefit(
        session, km, spells[1], {"end_date": "2024-05-31", "end_reason": "WORK"}, today=TODAY
    )
    assert dossier.closed_on == date(2024, 5, 31)


def test_correcting_a_spells_start_moves_the_dossiers_opening_and_a_shared_spell_is_not_deleted(
    session: Session,
) -> None:
    applicant, spells = _couple(session)
    km = applicant.klantmanager
    assert km is not None
    for spell in spells:
        correct_record(
            session,
            km,
            session.get(Candidate, spell.candidate_id),
            "benefit_spell",  # type: ignore[arg-type]
            spell,
            {"start_date": "2024-01-15", "reason": "Datum besluit"},
            today=TODAY,
        )
    dossier = session.get(BenefitDossier, spells[0].dossier_id)
    assert dossier is not None and dossier.opened_on == date(2024, 1, 15)
    with pytest.raises(ValidationFailed) as refused:
        delete_record(session, km, applicant, "benefit_spell", spells[0], {"reason": "Fout"})
    assert "deelt een dossier met de partner" in refused.value.errors[0].message


def _placed(session: Session) -> tuple[Candidate, Route]:
    team = f.make_team(session)
    km = f.make_user(session, "KLANTMANAGER", team)
    candidate = f.make_candidate(session, team, km)
    route = f.make_route(
        session,
        candidate,
        start_date=date(2023, 1, 1),
        end_date=date(2024, 5, 20),
        end_reason="JOB",
    )
    placement = f.make_placement(
        session, candidate, route, f.make_employer(session), start_date=date(2024, 5, 20)
    )
    session.add(FollowUp(placement_id=placement.id, months=6, due_date=date(2024, 11, 20)))
    session.commit()
    return candidate, route


def test_a_follow_up_is_not_corrected_to_a_day_before_its_due_date(session: Session) -> None:
    candidate, _route = _placed(session)
    follow_up = session.scalars(select(FollowUp)).one()
    km = candidate.klantmanager
    assert km is not None
    with pytest.raises(ValidationFailed) as refused:
        correct_record(
            session,
            km,
            candidate,
            "follow_up",
            follow_up,
            {"done_on": "2024-06-01", "reason": "x"},
            today=date(2024, 12, 1),
        )
    assert refused.value.errors[0].message == "Nazorg kan pas vanaf 20-11-2024 worden vastgelegd."


def test_an_undone_exit_can_keep_its_placement_and_follow_ups_and_the_period_is_a_setting(
    session: Session,
) -> None:
    candidate, route = _placed(session)
    km = candidate.klantmanager
    assert km is not None
    set_exit_undo_days(session, 5)
    with pytest.raises(ValidationFailed) as late:
        undo_exit(
            session,
            km,
            candidate,
            route,
            {"reason": "Vergissing", "follow_ups": "behouden"},
            today=TODAY,
        )
    assert "tot 5 dagen" in late.value.errors[0].message
    set_exit_undo_days(session, 30)
    correction = undo_exit(
        session,
        km,
        candidate,
        route,
        {"reason": "Vergissing", "follow_ups": "behouden"},
        today=TODAY,
    )
    assert route.end_date is None and correction.action == "UNDO_EXIT"
    assert session.scalar(select(func.count(Placement.id))) == 1
    assert session.scalar(select(func.count(FollowUp.id))) == 1
    assert session.scalar(select(func.count(Correction.id))) == 1
