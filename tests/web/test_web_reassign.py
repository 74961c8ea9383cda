"""Reassignment by the teamleider: tick candidates in the caseload (or pick a klantmanager on
the team page), confirm, and read what moved; every move logged with its reason."""

from __future__ import annotations

from sqlalchemy import select
from web_support import ClientFactory, World, session_csrf

from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import Candidate, StateTransition


def _klantmanagers(url: str, ids: list[int]) -> dict[int, int | None]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        rows = dict(
            s.execute(
                select(Candidate.id, Candidate.klantmanager_id).where(Candidate.id.in_(ids))
            ).all()
        )
    engine.dispose()
    return rows


def _logged_reasons(url: str) -> list[str | None]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        reasons = list(
            s.scalars(
                select(StateTransition.reason).where(
                    StateTransition.object_type == "candidate_klantmanager"
                )
            )
        )
    engine.dispose()
    return reasons


def test_teamleider_ticks_candidates_confirms_and_reads_what_moved(
    world: World, client_for: ClientFactory
) -> None:
    tl = client_for(world, "tl")
    token = session_csrf(tl)
    page = tl.get("/caseload").text
    assert 'form="bulk-reassign"' in page and 'id="bulk-reassign"' in page
    chosen = world.team_a_candidates[1:3]
    form = {
        "csrf_token": token,
        "candidate_id": [str(c) for c in chosen],
        "klantmanager_id": str(world.km_a2_id),
        "reason": "Verlof Karin",
        "return_to": "/caseload",
    }
    confirm = tl.post("/caseload/overdragen", data=form)
    assert confirm.status_code == 200
    assert "U draagt 2 kandidaten over aan Kees Klant" in confirm.text
    assert set(_klantmanagers(world.url, chosen).values()) == {world.km_a_id}, "not yet moved"

    done = tl.post("/caseload/overdragen", data={**form, "confirmed": "ja"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/caseload"
    assert set(_klantmanagers(world.url, chosen).values()) == {world.km_a2_id}
    assert _logged_reasons(world.url) == ["Verlof Karin", "Verlof Karin"]
    after = tl.get("/caseload").text
    assert "2 kandidaten overgedragen aan Kees Klant: " in after
    assert "overgedragen" not in tl.get("/caseload").text, "the message is shown once"


def test_reassignment_without_reason_or_ticks_gets_dutch_messages(
    world: World, client_for: ClientFactory
) -> None:
    tl = client_for(world, "tl")
    token = session_csrf(tl)
    refused = tl.post(
        "/caseload/overdragen",
        data={"csrf_token": token, "klantmanager_id": str(world.km_a2_id), "confirmed": "ja"},
    )
    assert refused.status_code == 422
    assert "Kies minstens één kandidaat." in refused.text and "Reden is verplicht." in refused.text
    stranger = tl.post(
        "/caseload/overdragen",
        data={
            "csrf_token": token,
            "candidate_id": str(world.team_b_candidate),
            "klantmanager_id": str(world.km_a2_id),
            "reason": "x",
            "confirmed": "ja",
        },
    )
    assert stranger.status_code == 422 and "Alleen kandidaten van je eigen team." in stranger.text
    km = client_for(world, "km")
    assert km.post("/caseload/overdragen", data={"csrf_token": session_csrf(km)}).status_code == 403


def test_team_page_moves_a_klantmanagers_candidates_by_name_and_says_so(
    world: World, client_for: ClientFactory
) -> None:
    tl = client_for(world, "tl")
    token = session_csrf(tl)
    page = tl.get("/team").text
    assert "Kandidaatnummers" not in page and 'name="from_klantmanager"' in page
    confirm = tl.post(
        "/team/overdragen",
        data={
            "csrf_token": token,
            "from_klantmanager": str(world.km_a2_id),
            "klantmanager_id": str(world.km_a_id),
            "reason": "Terug van verlof",
        },
    )
    assert (
        confirm.status_code == 200 and "U draagt 1 kandidaat over aan Karin Klant" in confirm.text
    )
    ids = [
        int(v)
        for v in confirm.text.split('name="candidate_id" value="')[1:]
        for v in [v.split('"')[0]]
    ]
    done = tl.post(
        "/caseload/overdragen",
        data={
            "csrf_token": token,
            "candidate_id": [str(i) for i in ids],
            "klantmanager_id": str(world.km_a_id),
            "reason": "Terug van verlof",
            "return_to": "/team",
            "confirmed": "ja",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/team"
    assert "1 kandidaat overgedragen aan Karin Klant: Omar Olij." in tl.get("/team").text
