"""Contact intensity per klantmanager (issue 18): on a page linked from the team page, for the
teamleider of that klantmanager's team only; every other role and another team's teamleider
get 403, and the figures appear nowhere else (dashboard, council report)."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date

import pytest
from sqlalchemy import select
from web_support import ClientFactory, World, login

import factories as f
from werkpad.services.clock import freeze_today
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import AuditEntry, Team, User

PAGE = "/team/contactintensiteit"


def _prepare(world: World) -> None:
    """Today is 31-12-2020. Kees Klant (km_a2) already has Omar Olij, on a route since
    01-03-2019 without a contact in 2019 or 2020; he gets Lotte, on a route from 01-07-2020
    with two contacts in 2020. A teamleider for team Escamp too."""
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        freeze_today(s, date(2020, 12, 31))
        team_a = s.scalars(select(Team).where(Team.name == "Team Centrum")).one()
        team_b = s.scalars(select(Team).where(Team.name == "Team Escamp")).one()
        km_a2 = s.get(User, world.km_a2_id)
        assert km_a2 is not None
        lotte = f.make_candidate(s, team_a, km_a2, first_name="Lotte", last_name="Lente")
        f.make_route(s, lotte, start_date=date(2020, 7, 1))
        f.make_contact(s, lotte, km_a2, contact_date=date(2020, 8, 1))
        f.make_contact(s, lotte, km_a2, contact_date=date(2020, 9, 1))
        f.make_user(s, "TEAMLEIDER", team_b, username="tl_b", full_name="Tom Escamp")
    engine.dispose()


def _rows(page: str) -> list[list[str]]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [
        [html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in
         re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]  # fmt: skip


def test_team_page_links_to_the_teamleiders_own_intensity_page(
    world: World, client_for: ClientFactory
) -> None:
    _prepare(world)
    team = client_for(world, "tl").get("/team").text
    assert f'href="{PAGE}"' in team


def test_teamleider_sees_intensity_per_klantmanager_pro_rated_with_the_works_council_note(
    world: World, client_for: ClientFactory
) -> None:
    _prepare(world)
    page = client_for(world, "tl").get(PAGE)
    assert page.status_code == 200
    assert "Alleen voor de teamleider van dit team." in page.text
    assert "ondernemingsraad" in page.text
    rows = _rows(page.text)
    # Kees Klant in 2020: Omar the whole year (366 days, 0 contacts, expected 3: below), Lotte
    # from 1 July (184 days, expected 3 x 184/366 = 1.5, 2 contacts: not below).
    # Years in service (366 + 184) / 365 = 1.507, so 2 / 1.507 = 1.3 contacts per year.
    assert ["2020", "Kees Klant", "2", "2", "1,3", "1", "50,0"] in rows
    # 2019: only Omar, from 1 March (306 days) without a contact.
    assert ["2019", "Kees Klant", "1", "0", "0,0", "1", "100,0"] in rows
    assert any(r[1] == "Totaal team" for r in rows)
    assert all(r[1] != "Bert Beek" for r in rows)  # another team's klantmanager


def test_teamleider_opens_one_klantmanager_per_track(
    world: World, client_for: ClientFactory
) -> None:
    _prepare(world)
    page = client_for(world, "tl").get(f"{PAGE}?klantmanager={world.km_a2_id}")
    assert page.status_code == 200
    rows = _rows(page.text)
    assert ["2020", "Kees Klant", "Re-integratie", "2", "2", "1,3", "1", "50,0"] in rows
    assert {r[1] for r in rows} == {"Kees Klant"}


def test_viewing_the_intensity_per_klantmanager_is_audited(
    world: World, client_for: ClientFactory
) -> None:
    _prepare(world)
    client_for(world, "tl").get(f"{PAGE}?klantmanager={world.km_a2_id}")
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.object_type == "staff_figures")).one()
        assert entry.object_id == world.km_a2_id
        assert "Contactintensiteit per klantmanager" in (entry.purpose or "")
    engine.dispose()


def test_another_teams_teamleider_gets_403_for_this_teams_klantmanager(
    world: World, client_for: ClientFactory
) -> None:
    _prepare(world)
    client = client_for(world)
    login(client, "tl_b")
    refused = client.get(f"{PAGE}?klantmanager={world.km_a2_id}")
    assert refused.status_code == 403
    assert "Kees Klant" not in refused.text
    own = client.get(PAGE)
    assert own.status_code == 200
    assert "Kees Klant" not in own.text and "Karin Klant" not in own.text


@pytest.mark.parametrize("who", ["km", "km2", "am", "analist", "beheer"])
def test_other_roles_get_403(world: World, client_for: ClientFactory, who: str) -> None:
    _prepare(world)
    client = client_for(world, who)
    for address in (PAGE, f"{PAGE}?klantmanager={world.km_a2_id}"):
        response = client.get(address)
        assert response.status_code == 403, address
        assert "Onder de norm" not in response.text


def test_an_unknown_or_malformed_klantmanager_is_refused_without_a_500(
    world: World, client_for: ClientFactory
) -> None:
    _prepare(world)
    client = client_for(world, "tl")
    assert client.get(f"{PAGE}?klantmanager=999999").status_code == 403
    assert client.get(f"{PAGE}?klantmanager=abc").status_code == 404


def test_the_dashboard_shows_no_figures_per_klantmanager(
    world: World, client_for: ClientFactory
) -> None:
    _prepare(world)
    page = client_for(world, "tl").get("/dashboard?peildatum=2020-12-31")
    assert page.status_code == 200
    assert 'id="contactintensiteit-team"' in page.text
    assert "Kees Klant" not in page.text and "Karin Klant" not in page.text
