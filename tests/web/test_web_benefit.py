"""Ending a benefit spell and restarting benefit from the candidate file (both backends)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from web_support import ClientFactory, World, session_csrf

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import BenefitSpell, Candidate


def _spells(url: str, candidate_id: int) -> list[tuple[date, date | None, str | None]]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        rows = s.execute(
            select(BenefitSpell.start_date, BenefitSpell.end_date, BenefitSpell.end_reason)
            .where(BenefitSpell.candidate_id == candidate_id)
            .order_by(BenefitSpell.start_date)
        ).all()
    engine.dispose()
    return [(r[0], r[1], r[2]) for r in rows]


def _zwart(url: str, number: int) -> int:
    """Sanne Zwart <number> of team A: a candidate with one running benefit spell."""
    engine = make_engine(url)
    with session_factory(engine)() as s:
        cid = s.scalar(select(Candidate.id).where(Candidate.last_name == f"Zwart {number}"))
    engine.dispose()
    assert cid is not None
    return cid


def _prepare(url: str, candidate_id: int, other_id: int) -> tuple[int, int]:
    """A work exit on 1-9-2019 for the candidate; returns their running spell and another
    candidate's spell."""
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        candidate = s.get(Candidate, candidate_id)
        assert candidate is not None
        f.make_route(s, candidate, end_date=date(2019, 9, 1), end_reason="JOB")
        own = s.scalar(select(BenefitSpell.id).where(BenefitSpell.candidate_id == candidate_id))
        other = s.scalar(select(BenefitSpell.id).where(BenefitSpell.candidate_id == other_id))
    engine.dispose()
    assert own is not None and other is not None
    return own, other


def test_klantmanager_ends_the_benefit_and_a_restart_within_a_year_shows_as_a_return(
    world: World, client_for: ClientFactory
) -> None:
    cid = _zwart(world.url, 0)
    spell_id, foreign_spell = _prepare(world.url, cid, _zwart(world.url, 1))
    km = client_for(world, "km")
    token = session_csrf(km)
    url = f"/kandidaten/{cid}"
    page = km.get(url).text
    assert f'action="{url}/uitkeringseinde/{spell_id}"' in page
    assert "Uitkering opnieuw starten" not in page

    refused = km.post(
        f"{url}/uitkeringseinde/{spell_id}", data={"csrf_token": token, "end_date": "2019-08-31"}
    )
    assert refused.status_code == 422
    assert "Reden einde uitkering is verplicht." in refused.text
    assert _spells(world.url, cid) == [(date(2019, 1, 15), None, None)]

    not_theirs = km.post(
        f"{url}/uitkeringseinde/{foreign_spell}",
        data={"csrf_token": token, "end_date": "2019-08-31", "end_reason": "WORK"},
    )
    assert not_theirs.status_code == 404

    figures = km.app.state.figures  # type: ignore[attr-defined]
    cached = figures.current().snapshot(date(2019, 12, 31))
    assert figures.current().snapshot(date(2019, 12, 31)) is cached  # served from the cache
    ended = km.post(
        f"{url}/uitkeringseinde/{spell_id}",
        data={"csrf_token": token, "end_date": "2019-08-31", "end_reason": "WORK"},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    # The exit changed the figures: the next dashboard recomputes instead of using the cache.
    assert figures.current().snapshot(date(2019, 12, 31)) is not cached
    assert _spells(world.url, cid) == [(date(2019, 1, 15), date(2019, 8, 31), "WORK")]

    page = km.get(url).text
    assert "Uitkering opnieuw starten" in page and "Werkaanvaarding" in page
    assert "Terugval" not in page

    restarted = km.post(
        f"{url}/uitkering",
        data={"csrf_token": token, "benefit_type": "PW", "start_date": "2020-03-01"},
        follow_redirects=False,
    )
    assert restarted.status_code == 303
    assert _spells(world.url, cid)[-1] == (date(2020, 3, 1), None, None)
    page = km.get(url).text
    assert "Terugval: uitkering opnieuw gestart op 01-03-2020" in page
    assert f'action="{url}/uitkeringseinde/' in page


def test_benefit_restart_with_a_running_benefit_is_refused_in_dutch(
    world: World, client_for: ClientFactory
) -> None:
    cid = _zwart(world.url, 0)
    km = client_for(world, "km")
    refused = km.post(
        f"/kandidaten/{cid}/uitkering",
        data={"csrf_token": session_csrf(km), "benefit_type": "PW", "start_date": "2020-03-01"},
    )
    assert refused.status_code == 422
    assert "Er loopt nog een uitkering; beëindig die eerst." in refused.text
    assert len(_spells(world.url, cid)) == 1


def test_accountmanager_cannot_end_a_benefit(world: World, client_for: ClientFactory) -> None:
    cid = _zwart(world.url, 0)
    spell_id, _ = _prepare(world.url, cid, _zwart(world.url, 1))
    am = client_for(world, "am")
    refused = am.post(
        f"/kandidaten/{cid}/uitkeringseinde/{spell_id}",
        data={"csrf_token": session_csrf(am), "end_date": "2019-08-31", "end_reason": "WORK"},
    )
    assert refused.status_code == 403
    assert _spells(world.url, cid) == [(date(2019, 1, 15), None, None)]
