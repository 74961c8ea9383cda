"""A partner added to an existing benefit dossier after the intake, through the file's form and
the API: a new person or a registered candidate of the team; refused (Dutch, at the field,
nothing written) for a NUO registration, a dossier that already has a partner, or bad input."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from test_web_intake_dossiers import PARTNER, _counts, _dossier_of, _post_form, intake
from web_support import ClientFactory, World, session_csrf

from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import BenefitSpell, Candidate


def _id_of(url: str, bsn: str) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        value = s.scalar(select(Candidate.id).where(Candidate.bsn == bsn))
    engine.dispose()
    assert value is not None
    return int(value)


def _post(client: Any, url: str, data: dict[str, str]) -> Any:
    token = session_csrf(client)
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)


def test_klantmanager_adds_a_new_partner_to_the_dossier_from_the_file(
    world: World, client_for: ClientFactory
) -> None:
    km = client_for(world, "km")
    assert _post_form(km, intake()).status_code == 303
    cid = _id_of(world.url, "111222333")
    page = km.get(f"/kandidaten/{cid}").text
    assert "Partner toevoegen aan dossier" in page and 'action="/kandidaten/' in page

    before = _counts(world.url)
    bad = _post(
        km,
        f"/kandidaten/{cid}/partner",
        {**PARTNER, "partner_bsn": "123456789", "partner_start_date": "2024-03-01"},
    )
    assert bad.status_code == 422
    assert 'id="partner-partner_bsn-error"' in bad.text and "BSN is ongeldig" in bad.text
    assert "Deze datum ligt vóór de opening van het dossier (01-04-2024)." in bad.text
    assert _counts(world.url) == before

    added = _post(km, f"/kandidaten/{cid}/partner", {**PARTNER, "partner_start_date": "2024-06-01"})
    assert added.status_code == 303, added.text[-800:]
    _number, members = _dossier_of(world.url, "111222333") or ("", [])
    assert members == [("111222333", "APPLICANT"), ("123456782", "PARTNER")]
    partner_id = _id_of(world.url, "123456782")
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        spell = s.scalars(select(BenefitSpell).where(BenefitSpell.candidate_id == partner_id)).one()
        assert (spell.benefit_type, str(spell.start_date)) == ("PW", "2024-06-01")
        partner = s.get(Candidate, partner_id)
        assert partner is not None and partner.postcode == "2512 AB"
    engine.dispose()
    file = km.get(f"/kandidaten/{cid}").text
    assert f'href="/kandidaten/{partner_id}"' in file
    assert "Partner toevoegen aan dossier" not in file

    again = _post(
        km,
        f"/kandidaten/{cid}/partner",
        {"partner_bsn": "100000010", "partner_start_date": "2024-06-01"},
    )
    assert again.status_code == 422 and "Dit dossier heeft al een partner." in again.text


def test_api_adds_a_registered_candidate_as_partner_and_refuses_nuo(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    km = client_for(world_sqlite, "km")
    headers = {"X-CSRF-Token": session_csrf(km)}
    lisa = km.post(
        "/api/candidates",
        json=intake(bsn="100000010", first_name="Lisa", last_name="Bos"),
        headers=headers,
    )
    mo = km.post(
        "/api/candidates",
        json=intake(bsn="100000022", first_name="Mo", last_name="Ali", benefit_type="NUO"),
        headers=headers,
    )
    assert lisa.status_code == 201 and mo.status_code == 201
    lisa_id, mo_id = _id_of(world_sqlite.url, "100000010"), _id_of(world_sqlite.url, "100000022")

    nuo = km.post(
        f"/api/candidates/{mo_id}/steps/partner",
        json={**PARTNER, "partner_start_date": "2024-06-01"},
        headers=headers,
    )
    assert nuo.status_code == 422
    assert nuo.json()["detail"][0]["field"] == "partner_bsn"
    assert "bij NUO hoort geen dossier" in nuo.json()["detail"][0]["message"]

    # Mo is registered (NUO, running): he cannot join until that registration has ended.
    refused = km.post(
        f"/api/candidates/{lisa_id}/steps/partner",
        json={"partner_bsn": "100000022", "partner_start_date": "2024-06-01"},
        headers=headers,
    )
    assert refused.status_code == 422
    assert "lopende NUO-registratie" in refused.json()["detail"][0]["message"]

    engine = make_engine(world_sqlite.url)
    with session_factory(engine)() as s:
        spell = s.scalars(select(BenefitSpell).where(BenefitSpell.candidate_id == mo_id)).one()
        spell_id = spell.id
    engine.dispose()
    ended = km.post(
        f"/api/candidates/{mo_id}/steps/uitkeringseinde/{spell_id}",
        json={"end_date": "2024-05-31", "end_reason": "OTHER"},
        headers=headers,
    )
    assert ended.status_code == 201, ended.text
    joined = km.post(
        f"/api/candidates/{lisa_id}/steps/partner",
        json={"partner_bsn": "100000022", "partner_start_date": "2024-06-01"},
        headers=headers,
    )
    assert joined.status_code == 201, joined.text
    assert joined.json()["id"] == mo_id
    assert _dossier_of(world_sqlite.url, "100000010") is not None
    assert _dossier_of(world_sqlite.url, "100000010")[1] == [  # type: ignore[index]
        ("100000010", "APPLICANT"),
        ("100000022", "PARTNER"),
    ]
    engine = make_engine(world_sqlite.url)
    with session_factory(engine)() as s:
        spells = s.scalar(
            select(func.count(BenefitSpell.id)).where(BenefitSpell.candidate_id == mo_id)
        )
    engine.dispose()
    assert spells == 2  # the ended NUO registration and the benefit in Lisa's dossier


def test_a_partner_added_in_error_leaves_the_dossier_with_a_reason_and_a_trace(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    km = client_for(world_sqlite, "km")
    assert _post_form(km, intake()).status_code == 303
    cid = _id_of(world_sqlite.url, "111222333")
    added = _post(km, f"/kandidaten/{cid}/partner", {**PARTNER, "partner_start_date": "2024-06-01"})
    assert added.status_code == 303
    partner_id = _id_of(world_sqlite.url, "123456782")
    assert "Partner per vergissing toegevoegd" in km.get(f"/kandidaten/{cid}").text

    no_reason = _post(km, f"/kandidaten/{cid}/partner-uit-dossier", {})
    assert no_reason.status_code == 422
    assert 'id="partner-uit-dossier-reason-error"' in no_reason.text
    assert (_dossier_of(world_sqlite.url, "111222333") or ("", []))[1] == [
        ("111222333", "APPLICANT"),
        ("123456782", "PARTNER"),
    ]
    removed = _post(
        km, f"/kandidaten/{cid}/partner-uit-dossier", {"reason": "Verkeerde persoon gekoppeld"}
    )
    assert removed.status_code == 303, removed.text[-600:]
    assert (_dossier_of(world_sqlite.url, "111222333") or ("", []))[1] == [
        ("111222333", "APPLICANT")
    ]
    assert (_dossier_of(world_sqlite.url, "123456782") or ("", []))[1] == [
        ("123456782", "APPLICANT")
    ]
    page = km.get(f"/kandidaten/{cid}").text
    assert "Partner in uitkeringsdossier verwijderd" in page
    assert "Verkeerde persoon gekoppeld" in page and "dossier_member" not in page
    # Her spell no longer shares a dossier, so when it too was entered in error it can go.
    engine = make_engine(world_sqlite.url)
    with session_factory(engine)() as s:
        spell_id = s.scalar(select(BenefitSpell.id).where(BenefitSpell.candidate_id == partner_id))
    engine.dispose()
    gone = _post(
        km,
        f"/kandidaten/{partner_id}/correctie/benefit_spell/{spell_id}/verwijderen",
        {"reason": "Per vergissing ingevoerd"},
    )
    assert gone.status_code == 303, gone.text[-600:]
    assert _dossier_of(world_sqlite.url, "123456782") is None
