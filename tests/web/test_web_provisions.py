"""A provision through the candidate file's forms: planned, started, ended with a result,
stopped early or cancelled, and the exit form asking what becomes of each open provision
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from web_support import ClientFactory, World, session_csrf

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import FollowUp, Placement, Provision, Route


def _route_with_type(url: str, candidate_id: int) -> tuple[int, int]:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        ptype = f.make_provision_type(s, name="Werkfit Plus", phase="DEVELOP", gos_code="PS3")
        candidate = s.get(f.Candidate, candidate_id)
        assert candidate is not None
        route = f.make_route(s, candidate, start_date=date.today() - timedelta(days=90))
        ids = (route.id, ptype.id)
    engine.dispose()
    return ids


def _provision(url: str, provision_id: int) -> Provision:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        provision = s.get(Provision, provision_id)
        assert provision is not None
        s.expunge(provision)
    engine.dispose()
    return provision


def _provision_ids(url: str, route_id: int) -> list[int]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        ids = list(
            s.scalars(
                select(Provision.id).where(Provision.route_id == route_id).order_by(Provision.id)
            )
        )
    engine.dispose()
    return ids


def test_klantmanager_takes_a_provision_from_planned_to_an_ended_result_on_the_file(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    route_id, type_id = _route_with_type(world.url, cid)
    km = client_for(world, "km")
    token = session_csrf(km)
    url = f"/kandidaten/{cid}"
    today = date.today()
    later = (today + timedelta(days=30)).isoformat()
    added = km.post(
        f"{url}/voorziening/{route_id}",
        data={"csrf_token": token, "provision_type_id": str(type_id), "start_date": later},
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text[-600:]
    (pid,) = _provision_ids(world.url, route_id)
    page = km.get(url).text
    assert "Gepland" in page and f"/starten/{pid}" in page and f"/annuleren/{pid}" in page

    refused = km.post(f"{url}/starten/{pid}", data={"csrf_token": token, "start_date": later})
    assert refused.status_code == 422
    assert "Startdatum ligt in de toekomst: de voorziening is nog niet gestart." in refused.text
    assert _provision(world.url, pid).state == "PLANNED"

    started = km.post(
        f"{url}/starten/{pid}",
        data={"csrf_token": token, "start_date": today.isoformat()},
        follow_redirects=False,
    )
    assert started.status_code == 303
    page = km.get(url).text
    assert f"/resultaat/{pid}" in page and f"/stoppen/{pid}" in page

    refused = km.post(
        f"{url}/stoppen/{pid}", data={"csrf_token": token, "end_date": today.isoformat()}
    )
    assert refused.status_code == 422 and "Reden van stoppen is verplicht." in refused.text
    done = km.post(
        f"{url}/resultaat/{pid}",
        data={"csrf_token": token, "end_date": today.isoformat(), "result": "COMPLETED"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    provision = _provision(world.url, pid)
    assert (provision.state, provision.result, provision.end_date) == (
        "COMPLETED",
        "COMPLETED",
        today,
    )
    assert "Afgerond volgens plan" in km.get(url).text


def test_exit_form_lists_open_provisions_and_a_later_planned_one_no_longer_blocks(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    route_id, type_id = _route_with_type(world.url, cid)
    km = client_for(world, "km")
    token = session_csrf(km)
    url = f"/kandidaten/{cid}"
    today = date.today()
    for start in (today - timedelta(days=60), today + timedelta(days=20)):
        assert (
            km.post(
                f"{url}/voorziening/{route_id}",
                data={
                    "csrf_token": token,
                    "provision_type_id": str(type_id),
                    "start_date": start.isoformat(),
                },
                follow_redirects=False,
            ).status_code
            == 303
        )
    running, planned = _provision_ids(world.url, route_id)
    page = km.get(url).text
    assert f'name="voorziening_{running}"' in page and f'name="voorziening_{planned}"' in page

    exit_data = {"csrf_token": token, "end_date": today.isoformat(), "end_reason": "STOPPED"}
    refused = km.post(f"{url}/einde/{route_id}", data=exit_data)
    assert refused.status_code == 422
    assert "kies wat er met deze voorziening gebeurt" in refused.text
    assert "Er start nog een voorziening na deze einddatum" not in refused.text

    ended = km.post(
        f"{url}/einde/{route_id}",
        data={
            **exit_data,
            f"voorziening_{running}": "stoppen",
            f"voorziening_{running}_reason": "Verhuisd",
            f"voorziening_{planned}": "annuleren",
            f"voorziening_{planned}_reason": "Route gestopt",
        },
        follow_redirects=False,
    )
    assert ended.status_code == 303, ended.text[-800:]
    assert _provision(world.url, running).state == "STOPPED"
    assert _provision(world.url, planned).state == "CANCELLED"
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        route = s.get(Route, route_id)
        assert route is not None and route.end_date == today
    engine.dispose()


def test_api_steps_on_a_provision_answer_its_id_and_dutch_errors(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    route_id, type_id = _route_with_type(world.url, cid)
    km = client_for(world, "km")
    headers = {"X-CSRF-Token": session_csrf(km)}
    today = date.today().isoformat()
    made = km.post(
        f"/api/candidates/{cid}/steps/voorziening/{route_id}",
        json={"provision_type_id": type_id, "start_date": today},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    pid = made.json()["id"]
    assert _provision_ids(world.url, route_id) == [pid]
    refused = km.post(
        f"/api/candidates/{cid}/steps/annuleren/{pid}", json={"reason": "x"}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "state"
    stopped = km.post(
        f"/api/candidates/{cid}/steps/stoppen/{pid}",
        json={"end_date": today, "result": "STOPPED_EXTERNAL", "reason": "Verhuisd"},
        headers=headers,
    )
    assert stopped.status_code == 201
    assert _provision(world.url, pid).result == "STOPPED_EXTERNAL"


def test_follow_up_form_appears_from_its_due_date_and_an_early_post_is_refused(
    world: World, client_for: ClientFactory
) -> None:
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        placement = s.scalars(
            select(Placement).where(Placement.candidate_id == world.full_candidate)
        ).one()
        follow_up = FollowUp(
            placement_id=placement.id, months=6, due_date=date.today() + timedelta(days=10)
        )
        s.add(follow_up)
        s.flush()
        fid = follow_up.id
    engine.dispose()
    km = client_for(world, "km")
    token = session_csrf(km)
    url = f"/kandidaten/{world.full_candidate}"
    page = km.get(url).text
    assert f"/nazorg/{fid}" not in page and "Vast te leggen vanaf" in page
    refused = km.post(
        f"{url}/nazorg/{fid}",
        data={"csrf_token": token, "done_on": date.today().isoformat(), "still_working": "ja"},
    )
    assert refused.status_code == 422
    due = (date.today() + timedelta(days=10)).strftime("%d-%m-%Y")
    assert f"kan pas vanaf {due} worden vastgelegd." in refused.text


def test_undoing_an_exit_restores_the_provisions_it_closed_and_leaves_earlier_ends_alone(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    route_id, type_id = _route_with_type(world.url, cid)
    km = client_for(world, "km")
    token = session_csrf(km)
    url = f"/kandidaten/{cid}"
    today = date.today()
    for start in (
        today - timedelta(days=80),
        today - timedelta(days=60),
        today + timedelta(days=20),
    ):
        added = km.post(
            f"{url}/voorziening/{route_id}",
            data={
                "csrf_token": token,
                "provision_type_id": str(type_id),
                "start_date": start.isoformat(),
            },
            follow_redirects=False,
        )
        assert added.status_code == 303, added.text[-500:]
    earlier, running, planned = _provision_ids(world.url, route_id)
    finished = km.post(
        f"{url}/resultaat/{earlier}",
        data={
            "csrf_token": token,
            "end_date": (today - timedelta(days=10)).isoformat(),
            "result": "COMPLETED",
        },
        follow_redirects=False,
    )
    assert finished.status_code == 303, finished.text[-800:]
    ended = km.post(
        f"{url}/einde/{route_id}",
        data={
            "csrf_token": token,
            "end_date": today.isoformat(),
            "end_reason": "STOPPED",
            f"voorziening_{running}": "afronden",
            f"voorziening_{running}_result": "COMPLETED",
            f"voorziening_{planned}": "annuleren",
            f"voorziening_{planned}_reason": "Route gestopt",
        },
        follow_redirects=False,
    )
    assert ended.status_code == 303, ended.text[-800:]
    assert _provision(world.url, running).state == "COMPLETED"

    undone = km.post(
        f"{url}/correctie/route/{route_id}/uitstroom-ongedaan",
        data={"csrf_token": token, "reason": "Uitstroom bij de verkeerde kandidaat"},
        follow_redirects=False,
    )
    assert undone.status_code == 303, undone.text[-800:]
    back = _provision(world.url, running)
    assert (back.state, back.end_date, back.result) == ("STARTED", None, None)
    assert _provision(world.url, planned).state == "PLANNED"
    kept = _provision(world.url, earlier)
    assert (kept.state, kept.end_date) == ("COMPLETED", today - timedelta(days=10))
