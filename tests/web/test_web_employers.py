"""Employers for the accountmanager: search, detail with agreements and vacancies, create and
edit with Dutch validation (nothing written on error), and refusals for other roles.

Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from vacancy_support import VacancyWorld, build_vacancy_world
from web_support import ClientFactory, World, session_csrf

from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import AuditEntry, Employer


@pytest.fixture
def vw(world: World) -> VacancyWorld:
    return build_vacancy_world(world)


def _employers(url: str) -> list[Employer]:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            return list(s.scalars(select(Employer).order_by(Employer.id)))
    finally:
        engine.dispose()


def _employer(vw: VacancyWorld) -> Employer:
    return next(e for e in _employers(vw.world.url) if e.id == vw.employer_id)


def _audit_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)
    finally:
        engine.dispose()


VALID = {
    "name": "Zorgcentrum De Linde",
    "sector": "CARE",
    "size_class": "MKB",
    "contact_person": "Fatima Yilmaz",
    "contact_email": "p-o@delinde.example",
    "postcode": "2515ab",
    "city": "Den Haag",
    "banenafspraak": "ja",
    "banenafspraak_plaatsen": "2",
    "agreements_note": "Twee garantiebanen in 2026",
}


def test_employer_list_searches_by_name_and_by_sector(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    assert "Distributiecentrum Haaglanden" in client.get("/werkgevers").text
    assert "Distributiecentrum Haaglanden" in client.get("/werkgevers?q=haaglanden").text
    assert "Distributiecentrum Haaglanden" in client.get("/werkgevers?q=logistiek").text
    assert "Distributiecentrum Haaglanden" in client.get("/werkgevers?sector=LOGISTICS").text
    assert "Distributiecentrum Haaglanden" not in client.get("/werkgevers?q=bakkerij").text
    assert "Distributiecentrum Haaglanden" not in client.get("/werkgevers?sector=CARE").text


def test_employer_detail_shows_contact_agreements_and_vacancies(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    page = client_for(vw.world, "am").get(f"/werkgevers/{vw.employer_id}")
    assert page.status_code == 200
    text = page.text
    for expected in (
        "Marieke de Wit",
        "hr@dc-haaglanden.example",
        "Groot (250 of meer medewerkers)",
        "Social return (SROI)",
        "Toegezegde banenafspraakplaatsen",
        f'href="/vacatures/{vw.vacancy_id}"',
        "Orderpicker (24 uur)",
    ):
        assert expected in text, expected


def test_accountmanager_creates_an_employer_with_agreements(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    response = client.post(
        "/werkgevers/nieuw",
        data={"csrf_token": session_csrf(client), **VALID},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    created = _employers(vw.world.url)[-1]
    assert response.headers["location"] == f"/werkgevers/{created.id}"
    assert (created.name, created.sector, created.size_class, created.postcode) == (
        "Zorgcentrum De Linde",
        "CARE",
        "MKB",
        "2515 AB",
    )
    assert created.agreements == {
        "sroi": False,
        "banenafspraak": True,
        "proefplaatsing": False,
        "banenafspraak_plaatsen": 2,
        "note": "Twee garantiebanen in 2026",
    }


def test_employer_form_rejects_invalid_input_in_dutch_and_writes_nothing(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    before, audit_before = _employers(vw.world.url), _audit_count(vw.world.url)
    response = client.post(
        "/werkgevers/nieuw",
        data={
            "csrf_token": session_csrf(client),
            **VALID,
            "name": " ",
            "sector": "RUIMTEVAART",
            "size_class": "REUS",
            "contact_email": "geen-adres",
            "postcode": "0000",
            "banenafspraak": "",
        },
    )
    assert response.status_code == 422
    for message in (
        "Naam is verplicht.",
        "Sector: onbekende code &#39;RUIMTEVAART&#39;.",
        "Grootte: kies klein, midden of groot.",
        "E-mail contactpersoon is geen geldig e-mailadres.",
        "Postcode moet de vorm 1234 AB hebben.",
        "Plaatsen toegezegd zonder banenafspraak aan te vinken.",
    ):
        assert message in response.text, message
    assert 'value="geen-adres"' in response.text  # the input is kept for correction
    assert len(_employers(vw.world.url)) == len(before)
    assert _audit_count(vw.world.url) == audit_before


def test_editing_an_employer_changes_it_and_a_failed_edit_changes_nothing(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "am")
    form = client.get(f"/werkgevers/{vw.employer_id}/bewerken").text
    assert 'value="Distributiecentrum Haaglanden"' in form
    bad = client.post(
        f"/werkgevers/{vw.employer_id}/bewerken",
        data={"csrf_token": session_csrf(client), **VALID, "name": ""},
    )
    assert bad.status_code == 422
    assert _employer(vw).name == "Distributiecentrum Haaglanden"
    good = client.post(
        f"/werkgevers/{vw.employer_id}/bewerken",
        data={"csrf_token": session_csrf(client), **VALID, "name": "DC Haaglanden"},
        follow_redirects=False,
    )
    assert good.status_code == 303
    employer = _employer(vw)
    assert (employer.name, employer.sector) == ("DC Haaglanden", "CARE")


@pytest.mark.parametrize("who", ["km", "analist", "beheer"])
def test_other_roles_get_403_without_employer_data_and_cannot_create(
    vw: VacancyWorld, client_for: ClientFactory, who: str
) -> None:
    client = client_for(vw.world, who)
    before = len(_employers(vw.world.url))
    for path in ("/werkgevers", f"/werkgevers/{vw.employer_id}", "/werkgevers/nieuw"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Haaglanden" not in response.text and "Marieke" not in response.text
    refused = client.post("/werkgevers/nieuw", data={"csrf_token": session_csrf(client), **VALID})
    assert refused.status_code == 403
    assert len(_employers(vw.world.url)) == before


def test_teamleider_reads_employers_but_cannot_edit(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    client = client_for(vw.world, "tl")
    page = client.get(f"/werkgevers/{vw.employer_id}")
    assert page.status_code == 200 and "Marieke de Wit" in page.text
    assert "/bewerken" not in page.text
    assert client.get(f"/werkgevers/{vw.employer_id}/bewerken").status_code == 403
    refused = client.post(
        f"/werkgevers/{vw.employer_id}/bewerken",
        data={"csrf_token": session_csrf(client), **VALID},
    )
    assert refused.status_code == 403
    assert _employer(vw).name == "Distributiecentrum Haaglanden"


def test_unknown_employer_is_404(vw: VacancyWorld, client_for: ClientFactory) -> None:
    assert client_for(vw.world, "am").get("/werkgevers/999999").status_code == 404


def test_editing_keeps_an_imported_size_code_outside_the_list(
    vw: VacancyWorld, client_for: ClientFactory
) -> None:
    engine = make_engine(vw.world.url)
    with session_factory(engine)() as s:
        employer = s.get(Employer, vw.employer_id)
        assert employer is not None
        employer.size_class = "LARGE"
        s.commit()
    engine.dispose()
    client = client_for(vw.world, "am")
    assert (
        '<option value="LARGE" selected>'
        in client.get(f"/werkgevers/{vw.employer_id}/bewerken").text
    )
    kept = client.post(
        f"/werkgevers/{vw.employer_id}/bewerken",
        data={"csrf_token": session_csrf(client), **VALID, "size_class": "LARGE"},
        follow_redirects=False,
    )
    assert kept.status_code == 303
    assert _employer(vw).size_class == "LARGE"
    chosen = client.post(
        "/werkgevers/nieuw",
        data={"csrf_token": session_csrf(client), **VALID, "size_class": "LARGE"},
    )
    assert chosen.status_code == 422
