"""Beheer → Gemeenten: the beheerder adds and edits the municipalities of the service, says
which teams serve which, and limits a user to one municipality, through the same services as
``werkpad gemeente``; every change is audited, bad input gets a Dutch message at the field and
writes nothing, and a scope change ends the user's sessions. Both backends."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import ClientFactory, World, session_csrf

from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import (
    AuditEntry,
    Municipality,
    MunicipalityFte,
    Team,
    TeamMunicipality,
    User,
)

PAGE = "/beheer/gemeenten"


def _rows(url: str, statement):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    with session_factory(engine)() as s:
        rows = list(s.execute(statement).all())
    engine.dispose()
    return rows


def _places(url: str) -> dict[str, str | None]:
    return dict(_rows(url, select(Municipality.name, Municipality.cbs_code)))


def _configured(url: str) -> list[str]:
    statement = select(AuditEntry.purpose).where(AuditEntry.action == "CONFIGURE")
    return [str(p) for (p,) in _rows(url, statement.order_by(AuditEntry.id))]


def _id(url: str, model: type, name: str) -> int:  # type: ignore[type-arg]
    column = model.username if model is User else model.name  # type: ignore[attr-defined]
    return int(_rows(url, select(model.id).where(column == name))[0][0])  # type: ignore[attr-defined]


def _default(url: str) -> int:
    return int(_rows(url, select(Municipality.id).where(Municipality.is_default.is_(True)))[0][0])


def _service(admin: TestClient, token: str, url: str) -> None:
    """The world's default municipality becomes Hillegom; Lisse joins it."""
    form = {"csrf_token": token, "name": "Hillegom", "cbs_code": "0534"}
    assert admin.post(f"{PAGE}/{_default(url)}", data=form).status_code == 200
    form = {"csrf_token": token, "name": "Lisse", "cbs_code": "0553"}
    assert admin.post(PAGE, data=form).status_code == 200


def test_beheerder_adds_and_edits_municipalities_with_a_valid_unique_cbs_code(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    token = session_csrf(admin)
    assert admin.get(PAGE).status_code == 200

    assert _places(world.url) == {"Gemeente": None}, "the world's default municipality"
    renamed = admin.post(
        f"{PAGE}/{_default(world.url)}",
        data={"csrf_token": token, "name": "Hillegom", "cbs_code": "0534"},
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    added = admin.post(
        PAGE,
        data={"csrf_token": token, "name": "Lisse", "cbs_code": "GM0553"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert _places(world.url) == {"Hillegom": "0534", "Lisse": "0553"}

    bad = {
        "05a3": "De CBS-gemeentecode bestaat uit 4 cijfers.",
        "12345": "De CBS-gemeentecode bestaat uit 4 cijfers.",
        "0534": "Deze CBS-gemeentecode is al in gebruik.",
    }
    for code, message in bad.items():
        refused = admin.post(
            PAGE, data={"csrf_token": token, "name": "Noordwijk", "cbs_code": code}
        )
        assert refused.status_code == 422
        assert message in refused.text
        assert 'id="nieuw-cbs_code-error"' in refused.text
    empty = admin.post(PAGE, data={"csrf_token": token, "name": " ", "cbs_code": ""})
    assert empty.status_code == 422 and "Vul de naam van de gemeente in." in empty.text
    assert set(_places(world.url)) == {"Hillegom", "Lisse"}, "nothing written"

    lisse = _id(world.url, Municipality, "Lisse")
    taken = admin.post(
        f"{PAGE}/{lisse}", data={"csrf_token": token, "name": "Lisse", "cbs_code": "0534"}
    )
    assert taken.status_code == 422
    assert "Deze CBS-gemeentecode is al in gebruik." in taken.text
    assert f'id="gemeente-{lisse}-cbs_code-error"' in taken.text
    renamed = admin.post(
        f"{PAGE}/{lisse}",
        data={"csrf_token": token, "name": "Gemeente Lisse", "cbs_code": "553"},
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    assert _places(world.url) == {"Hillegom": "0534", "Gemeente Lisse": "0553"}
    assert admin.post(f"{PAGE}/999999", data={"csrf_token": token, "name": "X"}).status_code == 404
    page = admin.get(PAGE).text
    assert "Gemeente Lisse" in page and "0553" in page
    assert _configured(world.url) == [
        "Gemeente Hillegom gewijzigd (CBS-code 0534)",
        "Gemeente Lisse toegevoegd",
        "Gemeente Gemeente Lisse gewijzigd (CBS-code 0553)",
    ]


def test_beheerder_chooses_the_municipalities_a_team_serves(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    token = session_csrf(admin)
    _service(admin, token, world.url)
    hillegom = _id(world.url, Municipality, "Hillegom")
    lisse = _id(world.url, Municipality, "Lisse")
    team = _id(world.url, Team, "Team Centrum")
    served = select(TeamMunicipality.municipality_id).where(TeamMunicipality.team_id == team)

    chosen = admin.post(
        f"{PAGE}/team/{team}",
        data={"csrf_token": token, "municipality": [str(hillegom), str(lisse)]},
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    assert {m for (m,) in _rows(world.url, served)} == {hillegom, lisse}
    assert (
        "checked"
        in admin.get(PAGE).text.split("Team Centrum</legend>", 1)[1].split("</fieldset>")[0]
    )

    for bad in ("999999", "abc"):
        refused = admin.post(
            f"{PAGE}/team/{team}", data={"csrf_token": token, "municipality": [str(lisse), bad]}
        )
        assert refused.status_code == 422
        assert "Onbekende gemeente gekozen." in refused.text
    assert {m for (m,) in _rows(world.url, served)} == {hillegom, lisse}, "nothing written"

    admin.post(f"{PAGE}/team/{team}", data={"csrf_token": token, "municipality": str(lisse)})
    assert {m for (m,) in _rows(world.url, served)} == {lisse}
    assert admin.post(f"{PAGE}/team/999999", data={"csrf_token": token}).status_code == 404
    assert _configured(world.url)[-2:] == [
        "Team Team Centrum werkt voor Hillegom, Lisse",
        "Team Team Centrum werkt voor Lisse",
    ]


def test_a_scope_change_limits_the_user_and_ends_their_sessions(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    token = session_csrf(admin)
    _service(admin, token, world.url)
    lisse = _id(world.url, Municipality, "Lisse")
    analist_id = _id(world.url, User, "analist")
    scope = select(User.municipality_id).where(User.id == analist_id)
    analist = client_for(world, "analist")
    assert analist.get("/dashboard", follow_redirects=False).status_code == 200

    for form, field, message in (
        ({"user_id": "", "municipality_id": str(lisse)}, "user_id", "Kies een gebruiker."),
        ({"user_id": "999999", "municipality_id": str(lisse)}, "user_id", "Kies een gebruiker."),
        (
            {"user_id": str(analist_id), "municipality_id": "999999"},
            "municipality_id",
            "Onbekende gemeente gekozen.",
        ),
    ):
        refused = admin.post(f"{PAGE}/gebruiker", data={"csrf_token": token, **form})
        assert refused.status_code == 422
        assert message in refused.text and f'id="scope-{field}-error"' in refused.text
    assert _rows(world.url, scope) == [(None,)], "nothing written"
    assert analist.get("/dashboard", follow_redirects=False).status_code == 200

    limited = admin.post(
        f"{PAGE}/gebruiker",
        data={"csrf_token": token, "user_id": str(analist_id), "municipality_id": str(lisse)},
        follow_redirects=False,
    )
    assert limited.status_code == 303
    assert _rows(world.url, scope) == [(lisse,)]
    # The open session ended: the analist signs in again, and then sees Lisse only.
    assert analist.get("/dashboard", follow_redirects=False).status_code == 303
    again = client_for(world, "analist")
    assert again.get(f"/dashboard?gemeente={lisse}").status_code == 200
    assert (
        again.get(f"/dashboard?gemeente={_id(world.url, Municipality, 'Hillegom')}").status_code
        == 403
    )
    assert (
        "Anna Liste (analist)" in admin.get(PAGE).text.split("Gebruikers met een gemeente</h3>")[1]
    )

    cleared = admin.post(
        f"{PAGE}/gebruiker",
        data={"csrf_token": token, "user_id": str(analist_id), "municipality_id": ""},
        follow_redirects=False,
    )
    assert cleared.status_code == 303
    assert _rows(world.url, scope) == [(None,)]
    assert again.get("/dashboard", follow_redirects=False).status_code == 303
    assert _configured(world.url)[-2:] == [
        "Gebruiker analist beperkt tot Lisse (sessies beëindigd: 1)",
        "Gebruiker analist beperkt tot de hele dienst (sessies beëindigd: 1)",
    ]


def test_only_the_beheerder_manages_municipalities_and_only_with_the_csrf_token(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    token = session_csrf(admin)
    form = {"csrf_token": token, "name": "Hillegom", "cbs_code": "0534"}
    admin.post(f"{PAGE}/{_default(world.url)}", data=form)
    hillegom = _id(world.url, Municipality, "Hillegom")
    team = _id(world.url, Team, "Team Centrum")
    analist_id = _id(world.url, User, "analist")
    posts = [
        (PAGE, {"name": "Lisse", "cbs_code": "0553"}),
        (f"{PAGE}/{hillegom}", {"name": "Overgenomen", "cbs_code": "0999"}),
        (f"{PAGE}/team/{team}", {"municipality": str(hillegom)}),
        (f"{PAGE}/gebruiker", {"user_id": str(analist_id), "municipality_id": str(hillegom)}),
    ]
    before = _configured(world.url)
    for who in ("km", "tl", "am", "analist"):
        client = client_for(world, who)
        assert client.get(PAGE).status_code == 403
        own = session_csrf(client)
        for path, form in posts:
            assert client.post(path, data={**form, "csrf_token": own}).status_code == 403
    for path, form in posts:
        assert admin.post(path, data=form).status_code == 403, "no CSRF token"
    assert _places(world.url) == {"Hillegom": "0534"}
    assert _rows(world.url, select(TeamMunicipality.team_id)) == []
    assert _rows(world.url, select(User.municipality_id).where(User.id == analist_id)) == [(None,)]
    assert _configured(world.url) == before


def test_beheerder_states_the_fte_per_municipality_and_year(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    token = session_csrf(admin)
    _service(admin, token, world.url)
    lisse = _id(world.url, Municipality, "Lisse")
    stated = select(MunicipalityFte.year, MunicipalityFte.fte).where(
        MunicipalityFte.municipality_id == lisse
    )
    url = f"{PAGE}/{lisse}/formatie"

    saved = admin.post(
        url, data={"csrf_token": token, "fte_year": "2017", "fte": "2,1"}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert _rows(world.url, stated) == [(2017, Decimal("2.10"))]
    page = admin.get(PAGE).text.split("Formatie klantmanagers van Lisse", 1)[1]
    assert "2017" in page and "2,10" in page

    for form, field, message in (
        ({"fte_year": "17", "fte": "2"}, "fte_year", "Vul een jaar in tussen 2000 en 2100."),
        ({"fte_year": "2017", "fte": "veel"}, "fte", "groter dan 0 en hoogstens 999"),
        ({"fte_year": "2017", "fte": "0"}, "fte", "groter dan 0 en hoogstens 999"),
        ({"fte_year": "2017", "fte": "-1"}, "fte", "groter dan 0 en hoogstens 999"),
    ):
        refused = admin.post(url, data={"csrf_token": token, **form})
        assert refused.status_code == 422
        assert message in refused.text
        assert f'id="formatie-{lisse}-{field}-error"' in refused.text
    assert _rows(world.url, stated) == [(2017, Decimal("2.10"))], "nothing written"

    admin.post(url, data={"csrf_token": token, "fte_year": "2017", "fte": "2,4"})
    admin.post(url, data={"csrf_token": token, "fte_year": "2016", "fte": "1.5"})
    assert _rows(world.url, stated.order_by(MunicipalityFte.year)) == [
        (2016, Decimal("1.50")),
        (2017, Decimal("2.40")),
    ]
    admin.post(url, data={"csrf_token": token, "fte_year": "2016", "fte": ""})
    assert _rows(world.url, stated) == [(2017, Decimal("2.40"))]
    assert admin.post(f"{PAGE}/999999/formatie", data={"csrf_token": token}).status_code == 404
    assert _configured(world.url)[-4:] == [
        "Formatie Lisse 2017: 2,10 fte",
        "Formatie Lisse 2017: 2,40 fte",
        "Formatie Lisse 2016: 1,50 fte",
        "Formatie Lisse 2016: verwijderd",
    ]
    analist = client_for(world, "analist")
    assert (
        analist.post(
            url, data={"csrf_token": session_csrf(analist), "fte_year": "2018", "fte": "1"}
        ).status_code
        == 403
    )
