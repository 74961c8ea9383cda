"""Placing a candidate from the vacancy page while provisions of her route are still open: the
placement form asks what becomes of each (as the exit form does) instead of refusing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from vacancy_support import VacancyWorld, build_vacancy_world
from web_support import ClientFactory, World, session_csrf

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Placement, Proposal, Provision, Route


@pytest.fixture
def vw(world: World) -> VacancyWorld:
    return build_vacancy_world(world)


def _scalar(url: str, statement: Any) -> Any:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        value = s.scalar(statement)
    engine.dispose()
    return value


def _open_provisions(vw: VacancyWorld) -> tuple[int, int]:
    """A running training and a job-coach trajectory planned after today on the route."""
    engine = make_engine(vw.world.url)
    with transaction(session_factory(engine)) as s:
        route = s.get(Route, vw.route_id)
        assert route is not None
        started = f.make_provision(s, route, start_date=date(2025, 9, 1), state="STARTED")
        planned = f.make_provision(s, route, start_date=date(2026, 6, 1), state="PLANNED")
        ids = (started.id, planned.id)
    engine.dispose()
    return ids


def _in_interview(client: Any, vw: VacancyWorld) -> int:
    token = session_csrf(client)
    base = f"/vacatures/{vw.vacancy_id}"
    shortlisted = client.post(
        f"{base}/shortlist",
        data={"csrf_token": token, "candidate_id": str(vw.good)},
        follow_redirects=False,
    )
    assert shortlisted.status_code == 303
    pid = int(_scalar(vw.world.url, select(Proposal.id).where(Proposal.candidate_id == vw.good)))
    for target, extra in (("PROPOSED", {"consent": "ja"}), ("INTERVIEW", {})):
        step = client.post(
            f"{base}/voorstellen/{pid}",
            data={"csrf_token": token, "target": target, **extra},
            follow_redirects=False,
        )
        assert step.status_code == 303
    return pid


PLACEMENT = {
    "target": "PLACED",
    "job_type": "4",
    "contract_type": "TEMPORARY",
    "hours_per_week": "24",
    "placement_start": "2026-03-02",
    "end_date": "2026-03-02",
}


def test_placement_form_asks_what_becomes_of_open_provisions_and_then_places(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    started, planned = _open_provisions(vw)
    am = client_for(vw.world, "am")
    pid = _in_interview(am, vw)
    page = am.get(f"/vacatures/{vw.vacancy_id}").text
    assert "Open voorzieningen van de route: wat gebeurt ermee?" in page
    assert f'name="voorziening_{started}" value="afronden"' in page
    assert f'name="voorziening_{planned}" value="annuleren"' in page
    # A provision planned after the exit can only be cancelled.
    assert f'name="voorziening_{planned}" value="afronden"' not in page

    url = f"/vacatures/{vw.vacancy_id}/voorstellen/{pid}"
    token = session_csrf(am)
    refused = am.post(url, data={"csrf_token": token, **PLACEMENT}, follow_redirects=False)
    assert refused.status_code == 422
    assert "kies wat er met deze voorziening gebeurt" in refused.text
    assert f'id="p{pid}-voorziening_{started}-error"' in refused.text
    assert (
        _scalar(
            vw.world.url,
            select(func.count(Placement.id)).where(Placement.candidate_id == vw.good),
        )
        == 0
    )
    assert _scalar(vw.world.url, select(Route.end_date).where(Route.id == vw.route_id)) is None

    placed = am.post(
        url,
        data={
            "csrf_token": token,
            **PLACEMENT,
            f"voorziening_{started}": "afronden",
            f"voorziening_{started}_result": "COMPLETED",
            f"voorziening_{planned}": "annuleren",
            f"voorziening_{planned}_reason": "Werk gevonden",
        },
        follow_redirects=False,
    )
    assert placed.status_code == 303, placed.text[-800:]
    engine = make_engine(vw.world.url)
    with session_factory(engine)() as s:
        done = s.get(Provision, started)
        dropped = s.get(Provision, planned)
        assert done is not None and dropped is not None
        assert (done.state, done.result, done.end_date) == (
            "COMPLETED",
            "COMPLETED",
            date(2026, 3, 2),
        )
        assert (dropped.state, dropped.state_reason) == ("CANCELLED", "Werk gevonden")
        placement = s.scalars(select(Placement).where(Placement.candidate_id == vw.good)).one()
        assert placement.vacancy_id == vw.vacancy_id and placement.route_id == vw.route_id
    engine.dispose()
