"""Corrections of provisions, exemptions and placements through the form and the API: a
mandatory reason, dates checked against the route, the history under "Wijzigingen", an audit
entry that points at the correction, and deletion refused where other records depend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from web_support import ClientFactory, World, session_csrf

from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import (
    AuditEntry,
    Candidate,
    Correction,
    CostLine,
    Exemption,
    Placement,
    Provision,
    Referral,
    Route,
    StateTransition,
)


def _scalar(url: str, statement: Any) -> Any:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        value = s.scalar(statement)
    engine.dispose()
    return value


def _post(client: Any, url: str, data: dict[str, str]) -> Any:
    token = session_csrf(client)
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)


def _completed_provision(url: str, cid: int) -> int:
    return int(
        _scalar(
            url,
            select(Provision.id)
            .join(Route, Route.id == Provision.route_id)
            .where(Route.candidate_id == cid, Provision.state == "COMPLETED"),
        )
    )


def test_provision_correction_is_checked_against_the_route_and_kept_in_the_history(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.full_candidate  # route 1 March 2019 - 1 January 2020, exit to a job
    pid = _completed_provision(world.url, cid)
    km = client_for(world, "km")
    url = f"/kandidaten/{cid}/correctie/provision/{pid}"
    form = km.get(url)
    assert form.status_code == 200
    assert 'id="correctie-provider_id"' in form.text and "Re-integratiebedrijf" in form.text

    refused = _post(
        km,
        url,
        {"end_date": "2020-02-01", "result": "STOPPED_EARLY", "reason": "Datum verkeerd"},
    )
    assert refused.status_code == 422
    assert "Einddatum ligt na de einddatum van de route (01-01-2020)." in refused.text
    assert 'id="correctie-end_date-error"' in refused.text
    assert "Dit resultaat past niet bij een afgeronde voorziening." in refused.text
    no_reason = _post(km, url, {"cost": "900,00"})
    assert no_reason.status_code == 422
    assert "Reden van de correctie is verplicht." in no_reason.text
    assert _scalar(world.url, select(func.count(Correction.id))) == 0
    assert _scalar(world.url, select(Provision.cost).where(Provision.id == pid)) == Decimal(
        "1250.00"
    )

    done = _post(
        km, url, {"cost": "900,00", "end_date": "2019-04-15", "reason": "Factuur ontvangen"}
    )
    assert done.status_code == 303, done.text[-600:]
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        provision = s.get(Provision, pid)
        assert provision is not None
        assert (provision.cost, provision.end_date) == (Decimal("900.00"), date(2019, 4, 15))
        correction = s.scalars(select(Correction)).one()
        assert correction.changes["cost"] == ["1250.00", "900.00"]
        audit = s.scalars(select(AuditEntry).where(AuditEntry.object_type == "correction")).one()
        assert audit.object_id == correction.id
    engine.dispose()
    page = km.get(f"/kandidaten/{cid}").text
    assert "Voorziening gecorrigeerd" in page and "Kosten (€): 1250.00 → 900.00" in page
    assert "Factuur ontvangen" in page


def test_a_provision_with_booked_costs_cannot_be_deleted_and_one_without_leaves_a_trace(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.full_candidate
    pid = _completed_provision(world_sqlite.url, cid)
    engine = make_engine(world_sqlite.url)
    with transaction(session_factory(engine)) as s:
        s.add(CostLine(booked_on=date(2019, 4, 1), cost_item="PROVISION", amount=Decimal("1250")))
        s.flush()
        line = s.scalars(select(CostLine)).one()
        line.provision_id = pid
    engine.dispose()
    km = client_for(world_sqlite, "km")
    url = f"/kandidaten/{cid}/correctie/provision/{pid}/verwijderen"
    refused = _post(km, url, {"reason": "Dubbel ingevoerd"})
    assert refused.status_code == 422
    assert "Verwijderen kan niet: Er zijn kosten op deze voorziening geboekt." in refused.text
    assert _scalar(world_sqlite.url, select(Provision.id).where(Provision.id == pid)) == pid

    engine = make_engine(world_sqlite.url)
    with transaction(session_factory(engine)) as s:
        for line in s.scalars(select(CostLine)):
            s.delete(line)
    engine.dispose()
    gone = _post(km, url, {"reason": "Dubbel ingevoerd"})
    assert gone.status_code == 303, gone.text[-600:]
    assert _scalar(world_sqlite.url, select(Provision.id).where(Provision.id == pid)) is None
    trace = km.get(f"/api/candidates/{cid}/corrections").json()
    assert trace[0]["action"] == "DELETE" and trace[0]["object_type"] == "provision"
    assert trace[0]["changes"]["cost"] == ["1250.00", None]


def test_api_corrects_and_deletes_an_exemption_with_422_on_bad_input(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.full_candidate
    eid = _scalar(world.url, select(Exemption.id).where(Exemption.candidate_id == cid))
    km = client_for(world, "km")
    headers = {"X-CSRF-Token": session_csrf(km)}
    base = f"/api/candidates/{cid}/records/exemption/{eid}"
    bad = km.patch(base, json={"review_date": "2019-01-01", "reason": "Datum"}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["detail"] == [
        {"field": "review_date", "message": "Herbeoordeling moet na de startdatum liggen."}
    ]
    unknown = km.patch(base, json={"exemption_type": "NONE", "reason": "x"}, headers=headers)
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "exemption_type"
    assert _scalar(world.url, select(func.count(Correction.id))) == 0

    ok = km.patch(
        base,
        json={"review_date": "2019-08-01", "exemption_reason": "Zorg voor kind", "reason": "Brief"},
        headers=headers,
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["changes"]["review_date"] == ["2019-09-01", "2019-08-01"]
    assert _scalar(world.url, select(Exemption.reason).where(Exemption.id == eid)) == (
        "Zorg voor kind"
    )
    gone = km.post(f"{base}/delete", json={"reason": "Bij de verkeerde kandidaat"}, headers=headers)
    assert gone.status_code == 200 and gone.json()["action"] == "DELETE"
    assert _scalar(world.url, select(Exemption.id).where(Exemption.id == eid)) is None
    assert "Ontheffing verwijderd" in km.get(f"/kandidaten/{cid}").text


def test_placement_is_corrected_on_the_file_but_only_lapses_by_undoing_the_exit(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.full_candidate
    plid = _scalar(world_sqlite.url, select(Placement.id).where(Placement.candidate_id == cid))
    km = client_for(world_sqlite, "km")
    page = km.get(f"/kandidaten/{cid}").text
    assert f"/kandidaten/{cid}/correctie/placement/{plid}" in page
    url = f"/kandidaten/{cid}/correctie/placement/{plid}"
    bad = _post(km, url, {"hours_per_week": "0", "reason": "Uren"})
    assert bad.status_code == 422 and "Uren per week moet tussen 1 en 60 liggen." in bad.text
    ok = _post(
        km, url, {"contract_type": "PERMANENT", "hours_per_week": "36", "reason": "Contract"}
    )
    assert ok.status_code == 303, ok.text[-600:]
    assert _scalar(
        world_sqlite.url, select(Placement.contract_type).where(Placement.id == plid)
    ) == ("PERMANENT")
    refused = _post(km, f"{url}/verwijderen", {"reason": "Vergissing"})
    assert refused.status_code == 422
    assert "Een plaatsing vervalt door de uitstroom ongedaan te maken." in refused.text
    assert _scalar(world_sqlite.url, select(Placement.id).where(Placement.id == plid)) == plid


def test_accountmanager_may_not_correct_a_provision(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.full_candidate
    pid = _completed_provision(world_sqlite.url, cid)
    am = client_for(world_sqlite, "am")
    response = am.patch(
        f"/api/candidates/{cid}/records/provision/{pid}",
        json={"cost": "1", "reason": "Test"},
        headers={"X-CSRF-Token": session_csrf(am)},
    )
    assert response.status_code == 403


def test_beheerder_sets_the_undo_period_and_a_bad_value_writes_nothing(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    admin = client_for(world_sqlite, "beheer")
    page = admin.get("/beheer/instellingen").text
    field = 'id="exit_undo_days" name="exit_undo_days" inputmode="numeric" value="{}"'
    assert field.format(30) in page
    bad = _post(admin, "/beheer/instellingen", {"scheme": "DENHAAG", "exit_undo_days": "veel"})
    assert bad.status_code == 422
    assert 'id="exit_undo_days-error"' in bad.text
    assert "Uitstroom ongedaan maken: aantal dagen moet een geheel getal zijn." in bad.text
    ok = _post(admin, "/beheer/instellingen", {"scheme": "DENHAAG", "exit_undo_days": "2500"})
    assert ok.status_code == 422 and "moet tussen 0 en 366 liggen" in ok.text
    assert field.format(30) in admin.get("/beheer/instellingen").text, "nothing written"
    saved = _post(admin, "/beheer/instellingen", {"scheme": "DENHAAG", "exit_undo_days": "7"})
    assert saved.status_code == 303, saved.text[-500:]

    # Seven days: an exit recorded ten days ago can no longer be undone; three days ago can.
    cid = world_sqlite.team_a_candidates[1]
    km = client_for(world_sqlite, "km")
    old_exit, recent_exit = (
        _recorded_exit(world_sqlite, cid, 10),
        _recorded_exit(world_sqlite, cid, 3),
    )
    headers = {"X-CSRF-Token": session_csrf(km)}
    refused = km.post(
        f"/api/candidates/{cid}/routes/{old_exit}/undo-exit",
        json={"reason": "Vergissing"},
        headers=headers,
    )
    assert refused.status_code == 422
    assert "tot 7 dagen na het vastleggen" in refused.json()["detail"][0]["message"]
    undone = km.post(
        f"/api/candidates/{cid}/routes/{recent_exit}/undo-exit",
        json={"reason": "Vergissing"},
        headers=headers,
    )
    assert undone.status_code == 200, undone.text
    assert _scalar(world_sqlite.url, select(Route.end_date).where(Route.id == recent_exit)) is None


def _recorded_exit(world: World, cid: int, days_ago: int) -> int:
    """A route of the candidate ended (moved away) and recorded ``days_ago`` days ago."""
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        candidate = s.get(Candidate, cid)
        assert candidate is not None
        recorded = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=days_ago)
        route = Route(
            candidate_id=cid,
            team_id=candidate.team_id,
            route_type="DIRECT_MEDIATION",
            start_date=recorded.date() - timedelta(days=200),
            end_date=recorded.date(),
            end_reason="MOVED",
        )
        s.add(route)
        s.flush()
        s.add(
            StateTransition(
                object_type="route",
                object_id=route.id,
                from_state="OPEN",
                to_state="ENDED",
                at=recorded,
            )
        )
        route_id = route.id
    engine.dispose()
    return route_id


def test_a_referral_to_matching_is_corrected_with_a_reason_but_not_dated_in_the_future(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    cid = world_sqlite.team_a_candidates[1]
    engine = make_engine(world_sqlite.url)
    with transaction(session_factory(engine)) as s:
        referral = Referral(
            candidate_id=cid, referred_on=date(2024, 3, 1), work_wishes="Magazijn", state="OPEN"
        )
        s.add(referral)
        s.flush()
        rid = referral.id
    engine.dispose()
    km = client_for(world_sqlite, "km")
    assert f"/kandidaten/{cid}/correctie/referral/{rid}" in km.get(f"/kandidaten/{cid}").text
    url = f"/kandidaten/{cid}/correctie/referral/{rid}"
    future = _post(km, url, {"referred_on": "2999-01-01", "reason": "Datum"})
    assert future.status_code == 422 and "Datum aanmelding ligt in de toekomst." in future.text
    done = _post(km, url, {"work_wishes": "Magazijn of productie", "reason": "Aangevuld"})
    assert done.status_code == 303, done.text[-500:]
    assert _scalar(world_sqlite.url, select(Referral.work_wishes).where(Referral.id == rid)) == (
        "Magazijn of productie"
    )
    assert "Aanmelding matching gecorrigeerd" in km.get(f"/kandidaten/{cid}").text
