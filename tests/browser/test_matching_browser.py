"""Issue 7 in the browser: an accountmanager opens a vacancy, reads the explained matches,
shortlists a candidate, proposes them (refused without consent, accepted with it), records the
interview and the placement; the placement is then in the job-exit KPIs.

Headless Chromium against ``werkpad serve`` over the synthetic municipality (seed 7); the demo
clock is frozen on 30-06-2021, so that is "today" for every dated step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from browser_support import Visitor
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.analytics.kpis import KpiContext, compute_kpis
from werkpad.services.matching import candidates_for_vacancy
from werkpad.services.proposals import candidate_reference, route_for_placement
from werkpad.services.snapshot import load_snapshot
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import FollowUp, Placement, Proposal, Route, Vacancy
from werkpad.synth import REFERENCE_DATE

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Pick:
    vacancy_id: int
    candidate_id: int
    route_id: int


def _has_room_for_a_placement(session: Session, candidate_id: int) -> int | None:
    """The open route a placement today would end, if it can end today."""
    route = route_for_placement(session, candidate_id)
    if route is None or route.start_date > REFERENCE_DATE:
        return None
    if any(p.start_date > REFERENCE_DATE for p in route.provisions):
        return None
    return route.id


def _pick_vacancy_and_candidate(database_url: str) -> Pick:
    """An open vacancy whose ranking holds a candidate not yet in any pipeline for it, with an
    open route that can end today."""
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as s:
            vacancies = s.scalars(
                select(Vacancy.id)
                .where(
                    Vacancy.opened_on <= REFERENCE_DATE,
                    (Vacancy.closed_on.is_(None)) | (Vacancy.closed_on >= REFERENCE_DATE),
                )
                .order_by(Vacancy.id)
            ).all()
            for vacancy_id in vacancies:
                taken = set(
                    s.scalars(
                        select(Proposal.candidate_id).where(Proposal.vacancy_id == vacancy_id)
                    )
                )
                match = candidates_for_vacancy(s, vacancy_id, today=REFERENCE_DATE, top=20)
                for result in match.results[:5]:
                    if result.candidate_id in taken:
                        continue
                    route_id = _has_room_for_a_placement(s, result.candidate_id)
                    if route_id is not None:
                        return Pick(vacancy_id, result.candidate_id, route_id)
    finally:
        engine.dispose()
    pytest.fail("the demo municipality has no open vacancy with a placeable match")


def _proposal(database_url: str, pick: Pick) -> Proposal:
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as s:
            proposal = s.scalar(
                select(Proposal).where(
                    Proposal.vacancy_id == pick.vacancy_id,
                    Proposal.candidate_id == pick.candidate_id,
                )
            )
    finally:
        engine.dispose()
    assert proposal is not None
    return proposal


def _job_exits_in_reference_year(database_url: str) -> float:
    engine = make_engine(database_url)
    try:
        snap = load_snapshot(engine, REFERENCE_DATE)
        kpis = compute_kpis(snap, KpiContext.for_snapshot(snap), ids=["job_exits_by_type"])
    finally:
        engine.dispose()
    rows = kpis[
        (kpis["period"].astype(str) == str(REFERENCE_DATE.year)) & (kpis["group"] == "Totaal")
    ]
    return float(rows["value"].sum())


def test_accountmanager_proposes_an_explained_match_and_records_the_placement(
    visitor: Visitor,
) -> None:
    site = visitor.site
    pick = _pick_vacancy_and_candidate(site.database_url)
    exits_before = _job_exits_in_reference_year(site.database_url)
    page = visitor.page

    visitor.login("ACCOUNTMANAGER")
    page.get_by_role("link", name="Vacatures", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Vacatures")
    visitor.open(f"/vacatures/{pick.vacancy_id}")

    row = page.locator(f"tr.match[data-candidate='{candidate_reference(pick.candidate_id)}']")
    expect(row).to_have_count(1)
    explanation = row.locator("ul.explanation li")
    assert explanation.count() == 9  # one plain-Dutch line per criterion
    expect(row).to_contain_text(re.compile(r"sector (past|niet gewenst)"))
    expect(row).to_contain_text(re.compile(r"reistijd"))
    visitor.screenshot("matching-vacancy")

    row.get_by_role("button", name="Op shortlist").click()
    expect(row).to_contain_text("in pijplijn")
    proposal_id = _proposal(site.database_url, pick).id
    entry = page.locator(f"article#voorstel-{proposal_id}")
    expect(entry.locator(".proposal-state")).to_have_text("Op shortlist")

    # Without the candidate's consent the server refuses the proposal.
    entry.get_by_role("button", name="Voorstellen aan werkgever").click()
    page.wait_for_load_state("networkidle")
    entry = page.locator(f"article#voorstel-{proposal_id}")
    expect(entry.locator(".alert")).to_contain_text("Zonder toestemming van de kandidaat")
    assert _proposal(site.database_url, pick).state == "SHORTLISTED"

    entry.get_by_label("Kandidaat geeft toestemming").check()
    entry.get_by_role("button", name="Voorstellen aan werkgever").click()
    expect(entry.locator(".proposal-state")).to_have_text("Voorgesteld")
    proposed = _proposal(site.database_url, pick)
    assert proposed.state == "PROPOSED" and proposed.consent_on == REFERENCE_DATE

    entry = page.locator(f"article#voorstel-{proposal_id}")
    expect(entry.locator(".proposal-state")).to_have_text("Voorgesteld")
    entry.get_by_role("button", name="Sollicitatiegesprek").click()
    page.wait_for_load_state("networkidle")
    entry = page.locator(f"article#voorstel-{proposal_id}")
    expect(entry.locator(".proposal-state")).to_have_text("Gesprek")

    form = entry.locator("form.placement-form")
    form.get_by_label("Soort baan").select_option("4")
    form.get_by_label("Soort contract").select_option("TEMPORARY")
    form.get_by_label("Loonkostensubsidie (LKS)").check()
    form.get_by_label("Jobcoach").check()
    form.get_by_label("Loonwaarde bij LKS (%)").fill("65")
    form.get_by_role("button", name="Plaatsing vastleggen").click()
    page.wait_for_load_state("networkidle")
    entry = page.locator(f"article#voorstel-{proposal_id}")
    expect(entry.locator(".proposal-state")).to_have_text("Geplaatst")
    expect(entry).to_contain_text("30-06-2021")
    visitor.screenshot("matching-placed")

    engine = make_engine(site.database_url)
    try:
        with session_factory(engine)() as s:
            placement = s.scalar(
                select(Placement).where(
                    Placement.vacancy_id == pick.vacancy_id,
                    Placement.candidate_id == pick.candidate_id,
                )
            )
            assert placement is not None
            assert (placement.job_type, placement.contract_type) == ("4", "TEMPORARY")
            assert sorted(i.instrument for i in placement.instruments) == ["JOBCOACH", "LKS"]
            route = s.get(Route, pick.route_id)
            assert route is not None
            assert (route.end_date, route.end_reason) == (REFERENCE_DATE, "JOB")
            follow_ups = s.scalars(
                select(FollowUp.months).where(FollowUp.placement_id == placement.id)
            ).all()
            assert sorted(follow_ups) == [6, 12, 18]
    finally:
        engine.dispose()
    assert _job_exits_in_reference_year(site.database_url) == exits_before + 1
