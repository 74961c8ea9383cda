"""Dossiers at intake: a benefit spell entered through the form or the API starts in a benefit
dossier (with a partner, or joining an existing one), NUO has none, and the dossier KPIs count
what the screens enter, the partner once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from web_support import ClientFactory, World, csrf_of, session_csrf

from werkpad.analytics.kpis import KpiContext, compute_kpis
from werkpad.services.snapshot import load_snapshot
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import BenefitDossier, BenefitSpell, Candidate, DossierMember

DOSSIER_KPIS = ["caseload_flows", "caseload_net_change", "divosa_outflow_rate"]


def intake(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "bsn": "111222333",
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "birth_date": "1988-04-12",
        "sex": "V",
        "benefit_type": "PW",
        "benefit_start_date": "2024-04-01",
        "postcode": "2512 AB",
        "city": "Den Haag",
    }
    data.update(overrides)
    return data


PARTNER = {
    "partner_bsn": "123456782",
    "partner_first_name": "Youssef",
    "partner_last_name": "El Amrani",
    "partner_birth_date": "1985-09-30",
    "partner_sex": "M",
}


def _counts(url: str) -> tuple[int, int, int, int]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        result = tuple(
            int(s.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Candidate, BenefitSpell, BenefitDossier, DossierMember)
        )
    engine.dispose()
    return result  # type: ignore[return-value]


def _dossier_of(url: str, bsn: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(dossier number, [(bsn, role)...]) of the person's dossier, None when they have none."""
    engine = make_engine(url)
    with session_factory(engine)() as s:
        number = s.scalar(
            select(BenefitDossier.dossier_number)
            .join(DossierMember, DossierMember.dossier_id == BenefitDossier.id)
            .join(Candidate, Candidate.id == DossierMember.candidate_id)
            .where(Candidate.bsn == bsn)
        )
        members = s.execute(
            select(Candidate.bsn, DossierMember.member_role)
            .join(DossierMember, DossierMember.candidate_id == Candidate.id)
            .join(BenefitDossier, BenefitDossier.id == DossierMember.dossier_id)
            .where(BenefitDossier.dossier_number == number)
            .order_by(DossierMember.member_role)
        ).all()
    engine.dispose()
    return None if number is None else (number, [(b, r) for b, r in members])


def _figures(url: str, on: date) -> pd.DataFrame:
    engine = make_engine(url)
    snap = load_snapshot(engine, on)
    engine.dispose()
    return compute_kpis(snap, KpiContext.for_snapshot(snap), ids=DOSSIER_KPIS)


def _pick(kpis: pd.DataFrame, kpi: str, **where: str) -> float:
    rows = kpis[kpis["kpi_id"] == kpi]
    for column, value in where.items():
        rows = rows[rows[column].astype(str) == value]
    return float(rows["value"].sum()) if not rows.empty else 0.0


def _post_form(client: Any, data: dict[str, Any]) -> Any:
    token = csrf_of(client.get("/kandidaten/nieuw").text)
    return client.post(
        "/kandidaten/nieuw", data={**data, "csrf_token": token}, follow_redirects=False
    )


def test_form_intake_with_partner_opens_one_dossier_with_both_members(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world, "km")
    before = _counts(world.url)
    response = _post_form(client, intake(**PARTNER))
    assert response.status_code == 303, response.text[-600:]
    assert _counts(world.url) == tuple(b + n for b, n in zip(before, (2, 2, 1, 2), strict=True))
    found = _dossier_of(world.url, "111222333")
    assert found is not None
    assert found[1] == [("111222333", "APPLICANT"), ("123456782", "PARTNER")]
    page = client.get(response.headers["location"]).text
    assert f"Dossier {found[0]} (aanvrager)" in page
    assert "Youssef El Amrani" in page


def test_form_intake_shows_the_partner_fields(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    page = client_for(world_sqlite, "km").get("/kandidaten/nieuw").text
    assert 'name="partner_bsn"' in page and 'name="join_dossier_number"' in page


def test_intake_rejects_a_partner_with_an_invalid_bsn_and_writes_nothing(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "km")
    before = _counts(world_sqlite.url)
    response = _post_form(client, intake(**{**PARTNER, "partner_bsn": "123456789"}))
    assert response.status_code == 422
    assert 'id="partner_bsn-error"' in response.text
    assert "BSN is ongeldig" in response.text
    assert _counts(world_sqlite.url) == before


def test_nuo_intake_has_no_dossier_and_refuses_a_partner(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "km")
    before = _counts(world_sqlite.url)
    refused = _post_form(client, intake(benefit_type="NUO", **PARTNER))
    assert refused.status_code == 422
    assert "bij NUO is er geen" in refused.text
    assert _counts(world_sqlite.url) == before
    assert _post_form(client, intake(benefit_type="NUO")).status_code == 303
    assert _counts(world_sqlite.url) == tuple(
        b + n for b, n in zip(before, (1, 1, 0, 0), strict=True)
    )
    assert _dossier_of(world_sqlite.url, "111222333") is None


def test_api_intake_with_partner_and_a_second_joining_an_existing_dossier(
    world: World, client_for: ClientFactory
) -> None:
    client = client_for(world, "km")
    headers = {"X-CSRF-Token": session_csrf(client)}
    partner = {k.removeprefix("partner_"): v for k, v in PARTNER.items()}
    created = client.post("/api/candidates", json={**intake(), "partner": partner}, headers=headers)
    assert created.status_code == 201, created.text
    found = _dossier_of(world.url, "111222333")
    assert found is not None and len(found[1]) == 2

    # A dossier with a partner already: a third person cannot join it.
    full = client.post(
        "/api/candidates",
        json={
            **intake(bsn="100000022", first_name="Mo", last_name="Ali"),
            "join_dossier_number": found[0],
        },
        headers=headers,
    )
    assert full.status_code == 422
    assert full.json()["detail"] == [
        {"field": "join_dossier_number", "message": "Dit dossier heeft al een partner."}
    ]

    single = client.post(
        "/api/candidates",
        json=intake(bsn="100000010", first_name="Lisa", last_name="Bos"),
        headers=headers,
    )
    assert single.status_code == 201
    lisa = _dossier_of(world.url, "100000010")
    assert lisa is not None
    joined = client.post(
        "/api/candidates",
        json={
            **intake(bsn="100000022", first_name="Mo", last_name="Ali"),
            "join_dossier_number": lisa[0],
        },
        headers=headers,
    )
    assert joined.status_code == 201, joined.text
    assert _dossier_of(world.url, "100000022") == (
        lisa[0],
        [("100000010", "APPLICANT"), ("100000022", "PARTNER")],
    )


def test_dossier_kpis_count_intakes_and_benefit_ends_entered_on_screen_partner_once(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    url = world_sqlite.url
    client = client_for(world_sqlite, "km")
    on = client.app.state.clock.today()  # type: ignore[attr-defined]
    start = f"{on.year - 1}-03-01"
    before = _figures(url, on)
    inflow = _pick(
        before, "caseload_flows", period=str(on.year - 1), group="instroom", subgroup="Totaal"
    )

    response = _post_form(client, intake(benefit_start_date=start, **PARTNER))
    assert response.status_code == 303
    after = _figures(url, on)
    assert (
        _pick(after, "caseload_flows", period=str(on.year - 1), group="instroom", subgroup="Totaal")
        == inflow + 1
    )

    # Ending both spells for work closes the dossier: one outflow to work, not two.
    cid = int(response.headers["location"].rsplit("/", 1)[1])
    token = session_csrf(client)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        spells = s.execute(
            select(BenefitSpell.id, BenefitSpell.candidate_id).where(
                BenefitSpell.dossier_id.is_not(None),
                BenefitSpell.start_date == date.fromisoformat(start),
            )
        ).all()
    engine.dispose()
    assert len(spells) == 2
    for spell_id, candidate_id in spells:
        ended = client.post(
            f"/kandidaten/{candidate_id}/uitkeringseinde/{spell_id}",
            data={"csrf_token": token, "end_date": f"{on.year}-02-01", "end_reason": "WORK"},
            follow_redirects=False,
        )
        assert ended.status_code == 303, ended.text[-600:]
    closed = _figures(url, on)
    year = str(on.year)
    assert _pick(closed, "caseload_flows", period=year, group="uitstroom", subgroup="Totaal") == (
        _pick(after, "caseload_flows", period=year, group="uitstroom", subgroup="Totaal") + 1
    )
    outflow_rate = closed[
        (closed["kpi_id"] == "divosa_outflow_rate") & (closed["period"].astype(str) == year)
    ]
    assert not outflow_rate.empty and outflow_rate["value"].max() > 0
    assert cid
