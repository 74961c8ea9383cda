"""Vacancies for the accountmanager: explained matches, the pipeline with consent, recording the
placement, the vacancy form, the matches API, and refusals for roles that must not look.

Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from vacancy_support import TODAY, VacancyWorld, build_vacancy_world
from web_support import ClientFactory, World, session_csrf

from werkpad.services.proposals import candidate_reference
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import (
    FollowUp,
    Placement,
    PlacementInstrument,
    Proposal,
    Referral,
    Route,
    StateTransition,
    Vacancy,
)


@pytest.fixture
def vw(world: World) -> VacancyWorld:
    return build_vacancy_world(world)


def _read(url: str, statement: object) -> object:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            return s.execute(statement).all()  # type: ignore[call-overload]
    finally:
        engine.dispose()


def _proposal(vw: VacancyWorld, candidate_id: int) -> Proposal | None:
    rows = _read(
        vw.world.url,
        select(Proposal).where(
            Proposal.vacancy_id == vw.vacancy_id, Proposal.candidate_id == candidate_id
        ),
    )
    assert isinstance(rows, list)
    return rows[0][0] if rows else None


def _step(
    client: TestClient, vw: VacancyWorld, proposal_id: int, target: str, **fields: object
) -> object:
    data = {"csrf_token": session_csrf(client), "target": target, **fields}
    return client.post(
        f"/vacatures/{vw.vacancy_id}/voorstellen/{proposal_id}", data=data, follow_redirects=False
    )


def _shortlisted(client: TestClient, vw: VacancyWorld, candidate_id: int) -> Proposal:
    response = client.post(
        f"/vacatures/{vw.vacancy_id}/shortlist",
        data={"csrf_token": session_csrf(client), "candidate_id": str(candidate_id)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    proposal = _proposal(vw, candidate_id)
    assert proposal is not None
    return proposal


def test_vacancy_page_ranks_candidates_with_dutch_explanations_and_no_bsn(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    page = client.get(f"/vacatures/{vw.vacancy_id}")
    assert page.status_code == 200
    text = page.text
    # Every shortlist form carries the session's CSRF token (not an empty one).
    token_field = f'<input type="hidden" name="csrf_token" value="{session_csrf(client)}">'
    assert text.count(token_field) >= 3  # logout + two shortlist forms
    assert text.index("Yara Goedpassend") < text.index("Yara Anderesector")
    assert "Vooltijd" not in text  # excluded by the hours filter
    assert "sector past (Logistiek)" in text
    assert "sector niet gewenst (Logistiek)" in text
    assert "vaardigheden 1 van 2 (mist: HACCP)" in text
    assert "reistijd" in text
    assert vw.good_bsn not in text
    assert text.count(f'action="/vacatures/{vw.vacancy_id}/shortlist"') == 2


@pytest.mark.parametrize("who", ["km", "analist", "beheer"])
def test_roles_without_matching_get_403_and_no_employer_or_vacancy_data(
    vw: VacancyWorld, client_for: ClientFactory, who: str
) -> None:
    client = client_for(vw.world, who)
    for path in (
        "/vacatures",
        f"/vacatures/{vw.vacancy_id}",
        "/vacatures/nieuw",
        "/werkgevers",
        f"/werkgevers/{vw.employer_id}",
        f"/api/vacancies/{vw.vacancy_id}/matches",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Orderpicker" not in response.text
        assert "Haaglanden" not in response.text
        assert "Goedpassend" not in response.text


def test_teamleider_reads_the_vacancy_with_references_only_and_cannot_act(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "tl")
    page = client.get(f"/vacatures/{vw.vacancy_id}")
    assert page.status_code == 200
    assert "Goedpassend" not in page.text
    assert candidate_reference(vw.good) in page.text
    assert "Op shortlist" not in page.text
    refused = client.post(
        f"/vacatures/{vw.vacancy_id}/shortlist",
        data={"csrf_token": session_csrf(client), "candidate_id": str(vw.good)},
    )
    assert refused.status_code == 403
    assert _proposal(vw, vw.good) is None


def test_shortlist_without_csrf_token_is_refused(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    response = client.post(
        f"/vacatures/{vw.vacancy_id}/shortlist", data={"candidate_id": str(vw.good)}
    )
    assert response.status_code == 403
    assert _proposal(vw, vw.good) is None


def test_shortlist_refuses_a_candidate_the_hard_filters_exclude(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    response = client.post(
        f"/vacatures/{vw.vacancy_id}/shortlist",
        data={"csrf_token": session_csrf(client), "candidate_id": str(vw.excluded)},
    )
    assert response.status_code == 422
    assert "Kandidaat valt af" in response.text
    assert _proposal(vw, vw.excluded) is None


def test_proposing_needs_the_candidates_consent(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    proposal = _shortlisted(client, vw, vw.good)
    assert proposal.state == "SHORTLISTED" and proposal.score_milli is not None

    refused = _step(client, vw, proposal.id, "PROPOSED")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "Zonder toestemming van de kandidaat geen voorstel." in refused.text  # type: ignore[attr-defined]
    unchanged = _proposal(vw, vw.good)
    assert unchanged is not None and unchanged.state == "SHORTLISTED"
    assert unchanged.consent_on is None

    done = _step(client, vw, proposal.id, "PROPOSED", consent="ja")
    assert done.status_code == 303  # type: ignore[attr-defined]
    proposed = _proposal(vw, vw.good)
    assert proposed is not None and proposed.state == "PROPOSED"
    assert proposed.consent_on == TODAY


def test_pipeline_steps_follow_the_life_cycle_and_are_logged(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    proposal = _shortlisted(client, vw, vw.good)
    skipped = _step(client, vw, proposal.id, "TRIAL")  # not allowed from the shortlist
    assert skipped.status_code == 422  # type: ignore[attr-defined]
    for target, extra in (("PROPOSED", {"consent": "ja"}), ("INTERVIEW", {}), ("TRIAL", {})):
        assert _step(client, vw, proposal.id, target, **extra).status_code == 303  # type: ignore[attr-defined]
    rows = _read(
        vw.world.url,
        select(StateTransition.from_state, StateTransition.to_state)
        .where(StateTransition.object_type == "proposal", StateTransition.object_id == proposal.id)
        .order_by(StateTransition.id),
    )
    assert [tuple(r) for r in rows] == [  # type: ignore[attr-defined]
        (None, "SHORTLISTED"),
        ("SHORTLISTED", "PROPOSED"),
        ("PROPOSED", "INTERVIEW"),
        ("INTERVIEW", "TRIAL"),
    ]
    page = client.get(f"/vacatures/{vw.vacancy_id}").text
    assert "Proefplaatsing" in page and "Plaatsing vastleggen" in page
    assert "toestemming kandidaat op 02-03-2026" in page

    withdrawn = _step(client, vw, proposal.id, "WITHDRAWN", reason="Kandidaat ziek")
    assert withdrawn.status_code == 303  # type: ignore[attr-defined]
    final = _proposal(vw, vw.good)
    assert final is not None and final.state == "WITHDRAWN"
    assert "Plaatsing vastleggen" not in client.get(f"/vacatures/{vw.vacancy_id}").text


def _to_interview(client: TestClient, vw: VacancyWorld) -> int:
    proposal = _shortlisted(client, vw, vw.good)
    _step(client, vw, proposal.id, "PROPOSED", consent="ja")
    _step(client, vw, proposal.id, "INTERVIEW")
    return proposal.id


def test_recording_the_placement_ends_the_route_with_a_work_exit_and_plans_follow_ups(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    proposal_id = _to_interview(client, vw)
    response = client.post(
        f"/vacatures/{vw.vacancy_id}/voorstellen/{proposal_id}",
        data={
            "csrf_token": session_csrf(client),
            "target": "PLACED",
            "job_type": "4",
            "contract_type": "TEMPORARY",
            "hours_per_week": "24",
            "placement_start": "2026-03-02",
            "end_date": "2026-03-02",
            "instruments": ["LKS", "JOBCOACH"],
            "lks_loonwaarde": "70",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    placements = _read(vw.world.url, select(Placement).where(Placement.candidate_id == vw.good))
    assert isinstance(placements, list) and len(placements) == 1
    placement: Placement = placements[0][0]
    assert placement.vacancy_id == vw.vacancy_id
    assert placement.employer_id == vw.employer_id
    assert placement.route_id == vw.route_id
    assert (placement.job_type, placement.contract_type, placement.hours_per_week) == (
        "4",
        "TEMPORARY",
        24,
    )
    instruments = _read(
        vw.world.url,
        select(PlacementInstrument.instrument, PlacementInstrument.loonwaarde_pct)
        .where(PlacementInstrument.placement_id == placement.id)
        .order_by(PlacementInstrument.instrument),
    )
    assert [tuple(r) for r in instruments] == [("JOBCOACH", None), ("LKS", 70)]  # type: ignore[attr-defined]
    route = _read(
        vw.world.url, select(Route.end_date, Route.end_reason).where(Route.id == vw.route_id)
    )
    assert [tuple(r) for r in route] == [(TODAY, "JOB")]  # type: ignore[attr-defined]
    follow_ups = _read(
        vw.world.url, select(FollowUp.months).where(FollowUp.placement_id == placement.id)
    )
    assert sorted(r[0] for r in follow_ups) == [6, 12, 18]  # type: ignore[attr-defined]
    referral = _read(vw.world.url, select(Referral.state).where(Referral.candidate_id == vw.good))
    assert [r[0] for r in referral] == ["CLOSED"]  # type: ignore[attr-defined]
    placed = _proposal(vw, vw.good)
    assert placed is not None and placed.state == "PLACED"
    assert "Geplaatst" in client.get(f"/vacatures/{vw.vacancy_id}").text
    # Every step is dated on werkpad's today (the frozen test date), not the wall clock,
    # so the pipeline's time to placement is measurable on a demo too.
    steps = _read(
        vw.world.url,
        select(StateTransition.at).where(
            StateTransition.object_type == "proposal", StateTransition.object_id == proposal_id
        ),
    )
    assert {r[0].date() for r in steps} == {TODAY}  # type: ignore[attr-defined]
    listing = client.get("/vacatures?status=alle").text
    assert "Pijplijn: conversie en doorlooptijd" in listing
    assert "<td>2026</td>" in listing and "100,0%" in listing


def test_placement_with_lks_but_no_loonwaarde_writes_nothing(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    proposal_id = _to_interview(client, vw)
    response = _step(
        client,
        vw,
        proposal_id,
        "PLACED",
        job_type="4",
        contract_type="TEMPORARY",
        hours_per_week="24",
        end_date="2026-03-02",
        instruments="LKS",
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "Loonkostensubsidie vraagt een vastgestelde loonwaarde." in response.text  # type: ignore[attr-defined]
    count = _read(
        vw.world.url,
        select(func.count()).select_from(Placement).where(Placement.candidate_id == vw.good),
    )
    assert count == [(0,)]
    still = _proposal(vw, vw.good)
    assert still is not None and still.state == "INTERVIEW"
    route = _read(vw.world.url, select(Route.end_date).where(Route.id == vw.route_id))
    assert route == [(None,)]


def test_vacancy_form_rejects_invalid_input_and_writes_nothing(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    before = _read(vw.world.url, select(func.count()).select_from(Vacancy))
    response = client.post(
        "/vacatures/nieuw",
        data={
            "csrf_token": session_csrf(client),
            "employer_id": str(vw.employer_id),
            "title": "",
            "occupation": "Heftruckchauffeur",
            "sector": "LOGISTICS",
            "hours_per_week": "80",
            "postcode": "12AB",
            "opened_on": "2026-03-01",
            "closed_on": "2026-02-01",
            "physical_demands": "VLIEGEN",
        },
    )
    assert response.status_code == 422
    for message in (
        "Functietitel is verplicht.",
        "Uren per week moet tussen 1 en 60 liggen.",
        "Postcode werklocatie moet de vorm 1234 AB hebben.",
        "Sluitingsdatum ligt vóór de openingsdatum.",
        "Fysieke eisen en werktijden: onbekende keuze &#39;VLIEGEN&#39;.",
    ):
        assert message in response.text, message
    assert _read(vw.world.url, select(func.count()).select_from(Vacancy)) == before


def test_vacancy_create_and_edit_store_the_requirements_matching_reads(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    fields: dict[str, str | list[str]] = {
        "csrf_token": session_csrf(client),
        "employer_id": str(vw.employer_id),
        "title": "Heftruckchauffeur (32 uur)",
        "occupation": "Heftruckchauffeur",
        "sector": "LOGISTICS",
        "hours_per_week": "32",
        "postcode": "",
        "start_date": "2026-04-01",
        "opened_on": "2026-03-01",
        "education_min": "VMBO",
        "language_min": "A2",
        "skills": "heftruckcertificaat, VCA",
        "driving_licence": "ja",
        "physical_demands": ["HEAVY_LIFTING", "SHIFTS"],
        "suitable_for_garantiebaan": "ja",
    }
    created = client.post("/vacatures/nieuw", data=fields, follow_redirects=False)
    assert created.status_code == 303, created.text
    new_id = int(created.headers["location"].rsplit("/", 1)[1])
    rows = _read(vw.world.url, select(Vacancy).where(Vacancy.id == new_id))
    vacancy: Vacancy = rows[0][0]  # type: ignore[index]
    assert vacancy.postcode == "2512 CD"  # the employer's when left empty
    assert vacancy.requirements == {
        "education_min": "VMBO",
        "language_min": "A2",
        "skills": ["VCA", "heftruckcertificaat"],
        "driving_licence": True,
        "physical_demands": ["HEAVY_LIFTING", "SHIFTS"],
    }
    assert vacancy.suitable_for_garantiebaan and not vacancy.suitable_for_lks

    form = client.get(f"/vacatures/{new_id}/bewerken").text
    assert 'value="Heftruckchauffeur (32 uur)"' in form
    edited = {**fields, "hours_per_week": "20", "closed_on": "2026-05-01"}
    assert client.post(f"/vacatures/{new_id}/bewerken", data=edited).status_code == 200
    rows = _read(
        vw.world.url, select(Vacancy.hours_per_week, Vacancy.closed_on).where(Vacancy.id == new_id)
    )
    assert [tuple(r) for r in rows] == [(20, TODAY.replace(month=5, day=1))]  # type: ignore[attr-defined]


def test_vacancy_list_filters_open_and_closed_and_by_employer(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    assert "Orderpicker (24 uur)" in client.get("/vacatures").text
    assert "Orderpicker (24 uur)" not in client.get("/vacatures?status=gesloten").text
    assert (
        "Orderpicker (24 uur)"
        in client.get(f"/vacatures?status=alle&werkgever={vw.employer_id}").text
    )
    assert (
        "Orderpicker (24 uur)"
        not in client.get(f"/vacatures?werkgever={vw.employer_id + 999}").text
    )


def test_matches_api_gives_scores_and_explanations_with_pseudonymous_references(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    response = client.get(f"/api/vacancies/{vw.vacancy_id}/matches")
    assert response.status_code == 200
    body = response.json()
    assert body["vacancy_id"] == vw.vacancy_id and body["pool_size"] == 3
    refs = [m["candidate_ref"] for m in body["matches"]]
    assert refs == [candidate_reference(vw.good), candidate_reference(vw.weaker)]
    first = body["matches"][0]
    assert set(first) == {"rank", "candidate_ref", "score_pct", "summary", "warning", "criteria"}
    assert any(c["text"] == "sector past (Logistiek)" for c in first["criteria"])
    assert "Goedpassend" not in response.text and vw.good_bsn not in response.text
    assert client.get("/api/vacancies/999999/matches").status_code == 404
    assert "/api/vacancies/{vacancy_id}/matches" in client.get("/api/openapi.json").json()["paths"]
    assert client_for(vw.world).get(f"/api/vacancies/{vw.vacancy_id}/matches").status_code == 401
