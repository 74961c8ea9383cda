"""The chain through the web forms and the API, with role refusals (both backends)."""

from __future__ import annotations

from sqlalchemy import func, select
from web_support import ClientFactory, World, session_csrf

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Assessment, FollowUp, Placement, Referral


def _count(url: str, model: object) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        n = s.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]
    engine.dispose()
    return int(n)


def _employer(url: str) -> int:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        employer_id = f.make_employer(s).id
    engine.dispose()
    return employer_id


def test_chain_walks_from_diagnosis_to_follow_up_with_three_roles(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    employer_id = _employer(world.url)
    km = client_for(world, "km")
    token = session_csrf(km)
    url = f"/kandidaten/{cid}"

    refused = km.post(f"{url}/diagnose", data={"csrf_token": token, "ladder_step": "3"})
    assert refused.status_code == 422
    assert "Reden van de (her)beoordeling is verplicht." in refused.text
    before = _count(world.url, Assessment)

    steps = [
        (
            "diagnose",
            {"ladder_step": "4", "segment": "DH_B", "loonwaarde_pct": "85", "reason": "Intake"},
        ),
        ("plan", {"goal": "Werk in de logistiek"}),
        ("route", {"route_type": "DIRECT_MEDIATION", "start_date": "2019-03-01"}),
        ("contact", {"contact_date": "2019-03-02", "contact_type": "PHONE", "summary": "Gebeld"}),
        (
            "aanmelding",
            {"work_wishes": "Magazijn", "availability": "Fulltime", **f.WORK_PROFILE_FORM},
        ),
    ]
    for name, data in steps:
        response = km.post(
            f"{url}/{name}", data={"csrf_token": token, **data}, follow_redirects=False
        )
        assert response.status_code == 303, (name, response.text[-800:])
    assert _count(world.url, Assessment) == before + 1
    assert "Directe bemiddeling" in km.get(url).text

    am = client_for(world, "am")
    pool = am.get("/matching")
    assert pool.status_code == 200 and "Magazijn" in pool.text
    referral_id = _referral(world.url, cid)
    profile = am.get(f"/matching/{referral_id}")
    assert profile.status_code == 200 and "Uitkering" not in profile.text
    assert am.get(url).status_code == 403
    am_token = session_csrf(am)
    assert (
        am.post(
            f"/matching/{referral_id}/oppakken",
            data={"csrf_token": am_token},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert "Opgepakt" in km.get(url).text

    page = km.get(url).text
    route_id = int(page.split("/einde/")[1].split('"')[0])
    exit_data = {
        "csrf_token": token,
        "end_date": "2019-09-01",
        "end_reason": "JOB",
        "employer_id": str(employer_id),
        "job_type": "6",
        "contract_type": "PERMANENT",
        "hours_per_week": "36",
        "instruments": ["LKS"],
    }
    refused = km.post(f"{url}/einde/{route_id}", data=exit_data)
    assert refused.status_code == 422
    assert "Loonkostensubsidie vraagt een vastgestelde loonwaarde." in refused.text
    assert _count(world.url, Placement) == 1  # the full candidate's placement only
    done = km.post(
        f"{url}/einde/{route_id}",
        data={**exit_data, "lks_loonwaarde": "60"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert _count(world.url, FollowUp) == 3

    tl = client_for(world, "tl")
    team = tl.get("/team")
    assert team.status_code == 200 and "Karin Klant" in team.text
    assert km.get("/team").status_code == 403


def _referral(url: str, candidate_id: int) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        rid = s.scalar(select(Referral.id).where(Referral.candidate_id == candidate_id))
    engine.dispose()
    assert rid is not None
    return rid


def test_api_chain_step_answers_dutch_errors_and_refuses_other_roles(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    km = client_for(world, "km")
    headers = {"X-CSRF-Token": session_csrf(km)}
    bad = km.post(
        f"/api/candidates/{cid}/steps/contact", json={"contact_type": "X"}, headers=headers
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["detail"]} == {"contact_date", "contact_type", "summary"}
    ok = km.post(
        f"/api/candidates/{cid}/steps/contact",
        headers=headers,
        json={"contact_date": "2019-05-01", "contact_type": "PHONE", "summary": "x"},
    )
    assert ok.status_code == 201
    for who in ("am", "analist", "beheer"):
        other = client_for(world, who)
        response = other.post(
            f"/api/candidates/{cid}/steps/contact",
            json={},
            headers={"X-CSRF-Token": session_csrf(other)},
        )
        assert response.status_code == 403 and response.json() == {"detail": "Geen toegang"}
    stranger = client_for(world, "km_b")
    response = stranger.post(
        f"/kandidaten/{cid}/contact", data={"csrf_token": session_csrf(stranger), "summary": "x"}
    )
    assert response.status_code == 403 and "Gebeld" not in response.text


def test_klantmanager_start_page_shows_worklist_signals(
    world: World, client_for: ClientFactory
) -> None:
    html = client_for(world, "km").get("/caseload").text
    assert 'id="werklijst"' in html
    assert 'data-code="NO_CONTACT"' in html


def test_beheerder_sets_scheme_and_threshold_and_invalid_values_write_nothing(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    token = session_csrf(admin)
    bad = admin.post(
        "/beheer/instellingen",
        data={"csrf_token": token, "scheme": "LV", "specialised_threshold": "170"},
    )
    assert bad.status_code == 422 and "Drempel: een percentage van 0 tot 100." in bad.text
    assert 'value="LV" selected' not in admin.get("/beheer/instellingen").text
    ok = admin.post(
        "/beheer/instellingen",
        data={"csrf_token": token, "scheme": "LV", "specialised_threshold": "70"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert 'value="LV" selected' in admin.get("/beheer/instellingen").text
    assert client_for(world, "km").get("/beheer/instellingen").status_code == 403


def _form_token(html: str, action: str) -> str:
    """The CSRF token inside the form that posts to ``action`` (not the logout form's)."""
    form = html.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    return form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_candidate_file_forms_post_with_their_own_token_and_mark_the_wrong_field(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    km = client_for(world, "km")
    url = f"/kandidaten/{cid}"
    token = _form_token(km.get(url).text, f"{url}/diagnose")
    assert token == session_csrf(km)

    refused = km.post(f"{url}/diagnose", data={"csrf_token": token, "ladder_step": "3"})
    assert refused.status_code == 422
    assert 'id="diagnose-reason-error"' in refused.text
    assert '<option value="3" selected>' in refused.text

    saved = km.post(
        f"{url}/diagnose",
        data={
            "csrf_token": token,
            "ladder_step": "3",
            "segment": "DH_B",
            "reason": "Herbeoordeling",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
