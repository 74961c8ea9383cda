"""Beheer pages for teams and users: create, deactivate, CSRF and role checks (both backends)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from web_support import ClientFactory, World, csrf_of, login, session_csrf

import factories as f
from werkpad.domain import codelists
from werkpad.services.configuration import Configuration, load_configuration
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import AuditEntry, Team, User

NEW_PASSWORD = "een-lang-eerste-wachtwoord"


def _user(url: str, username: str) -> User | None:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        found = s.scalars(select(User).where(User.username == username)).one_or_none()
        if found is not None:
            s.expunge(found)
    engine.dispose()
    return found


def _count(url: str, model: type[object]) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        n = int(s.scalar(select(func.count()).select_from(model)) or 0)
    engine.dispose()
    return n


def _team_id(url: str, name: str) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        team_id = s.scalar(select(Team.id).where(Team.name == name))
    engine.dispose()
    assert team_id is not None
    return team_id


def test_beheerder_creates_a_team_and_a_klantmanager_who_can_log_in(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    token = session_csrf(admin)
    audit_before = _count(world.url, AuditEntry)

    refused = admin.post("/beheer/teams", data={"csrf_token": token, "name": "team centrum"})
    assert refused.status_code == 422
    assert "Er is al een team met deze naam." in refused.text
    created = admin.post(
        "/beheer/teams",
        data={"csrf_token": token, "name": "Team Laak", "fte": "6,5"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    assert "Team Laak" in admin.get("/beheer/teams").text
    laak = _team_id(world.url, "Team Laak")

    user_form = {
        "csrf_token": token,
        "username": "km.laak",
        "full_name": "Lotte Laak",
        "role": "KLANTMANAGER",
        "fte": "0,8",
        "password": NEW_PASSWORD,
    }
    no_team = admin.post("/beheer/gebruikers", data=user_form)
    assert no_team.status_code == 422
    assert "Klantmanagers en teamleiders horen bij een team." in no_team.text
    assert NEW_PASSWORD not in no_team.text  # the password is never echoed
    assert 'value="Lotte Laak"' in no_team.text
    assert _user(world.url, "km.laak") is None

    done = admin.post(
        "/beheer/gebruikers", data={**user_form, "team_id": str(laak)}, follow_redirects=False
    )
    assert done.status_code == 303
    new = _user(world.url, "km.laak")
    assert new is not None and new.team_id == laak and new.active and new.role == "KLANTMANAGER"
    assert _count(world.url, AuditEntry) == audit_before + 2

    anonymous = client_for(world)
    login(anonymous, "km.laak", NEW_PASSWORD)
    assert anonymous.get("/caseload").status_code == 200


def test_deactivated_user_cannot_log_in_and_beheerder_cannot_deactivate_themselves(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    token = session_csrf(admin)
    km2 = _user(world.url, "km_a2")
    me = _user(world.url, "beheer")
    assert km2 is not None and me is not None
    still_logged_in = client_for(world, "km2")

    off = admin.post(
        f"/beheer/gebruikers/{km2.id}/uitschakelen",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert off.status_code == 303
    assert _user(world.url, "km_a2").active is False  # type: ignore[union-attr]
    # An open session ends at the next request.
    assert still_logged_in.get("/caseload", follow_redirects=False).status_code == 303
    fresh = client_for(world)
    refused_login = fresh.post(
        "/login",
        data={
            "username": "km_a2",
            "password": f.DEFAULT_PASSWORD,
            "csrf_token": csrf_of(fresh.get("/login").text),
        },
        follow_redirects=False,
    )
    assert refused_login.status_code == 401

    self_off = admin.post(f"/beheer/gebruikers/{me.id}/uitschakelen", data={"csrf_token": token})
    assert self_off.status_code == 422
    assert "Je kunt jezelf niet uitschakelen." in self_off.text
    assert _user(world.url, "beheer").active is True  # type: ignore[union-attr]

    on = admin.post(
        f"/beheer/gebruikers/{km2.id}/inschakelen",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert on.status_code == 303
    assert _user(world.url, "km_a2").active is True  # type: ignore[union-attr]


def test_admin_posts_need_the_beheerder_role_and_the_csrf_token(
    world: World, client_for: ClientFactory
) -> None:
    km2 = _user(world.url, "km_a2")
    assert km2 is not None
    users_before = _count(world.url, User)
    teams_before = _count(world.url, Team)
    user_form = {
        "username": "indringer",
        "full_name": "Indringer",
        "role": "BEHEERDER",
        "password": NEW_PASSWORD,
    }
    for who in ("km", "tl", "am", "analist"):
        client = client_for(world, who)
        token = session_csrf(client)
        assert (
            client.post("/beheer/gebruikers", data={**user_form, "csrf_token": token}).status_code
            == 403
        )
        assert (
            client.post("/beheer/teams", data={"name": "X", "csrf_token": token}).status_code == 403
        )
        assert (
            client.post(f"/beheer/gebruikers/{km2.id}/uitschakelen", data={"csrf_token": token})
        ).status_code == 403

    admin = client_for(world, "beheer")
    assert admin.post("/beheer/gebruikers", data=user_form).status_code == 403
    assert admin.post("/beheer/teams", data={"name": "Zonder token"}).status_code == 403
    assert admin.post(f"/beheer/gebruikers/{km2.id}/uitschakelen").status_code == 403
    assert _count(world.url, User) == users_before
    assert _count(world.url, Team) == teams_before
    assert _user(world.url, "km_a2").active is True  # type: ignore[union-attr]


def _configuration(url: str) -> Configuration:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        config = load_configuration(s)
    engine.dispose()
    return config


HLN_FORM = {
    "band_DIRECT_MEDIATION_min": "80",
    "band_DIRECT_MEDIATION_max": "100",
    "band_WORK_12M_min": "60",
    "band_WORK_12M_max": "80",
    "band_SUPPORTED_WORK_min": "30",
    "band_SUPPORTED_WORK_max": "60",
    "band_ACTIVATION_min": "0",
    "band_ACTIVATION_max": "30",
}


def test_beheerder_edits_loonwaarde_bands_and_the_proposal_follows(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    token = session_csrf(admin)
    page = admin.get("/beheer/instellingen").text
    assert 'name="band_WORK_12M_min" aria-label="Werk binnen 12 maanden: van (%)"' in page
    assert 'value="60"' in page
    assert _configuration(world.url).routing_rules().propose(75).route_type == "WORK_12M"  # type: ignore[union-attr]

    wider = {**HLN_FORM, "band_DIRECT_MEDIATION_min": "70", "band_WORK_12M_max": "70"}
    saved = admin.post(
        "/beheer/instellingen",
        data={"csrf_token": token, "scheme": "DENHAAG", **wider},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    config = _configuration(world.url)
    assert config.bands == (
        (70, 100, "DIRECT_MEDIATION"),
        (60, 70, "WORK_12M"),
        (30, 60, "SUPPORTED_WORK"),
        (0, 30, "ACTIVATION"),
    )
    assert config.routing_rules().propose(75).route_type == "DIRECT_MEDIATION"  # type: ignore[union-attr]

    # Changing the threshold later keeps the bands (one setting row holds both).
    admin.post(
        "/beheer/instellingen",
        data={"csrf_token": token, "scheme": "DENHAAG", "specialised_threshold": "50"},
    )
    config = _configuration(world.url)
    assert config.specialised_threshold == 50 and config.bands is not None
    assert config.bands[0] == (70, 100, "DIRECT_MEDIATION")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"band_WORK_12M_max": "75"}, "76-79% valt in geen enkele band."),
        (
            {"band_SUPPORTED_WORK_max": "65"},
            "Werken naar vermogen (ondersteund) (30-65%) en Werk binnen 12 maanden (60-80%) "
            "overlappen.",
        ),
        (
            {"band_ACTIVATION_min": "x"},
            "Activering / zorg: ondergrens is een percentage van 0 tot 100.",
        ),
        (
            {"band_ACTIVATION_max": ""},
            "Activering / zorg: vul zowel de onder- als de bovengrens in, of laat beide leeg.",
        ),
        (
            {"band_ACTIVATION_min": "", "band_ACTIVATION_max": ""},
            "0-29% valt in geen enkele band.",
        ),
    ],
)
def test_invalid_loonwaarde_bands_get_a_dutch_message_and_write_nothing(
    world: World, client_for: ClientFactory, changes: dict[str, str], message: str
) -> None:
    admin = client_for(world, "beheer")
    token = session_csrf(admin)
    refused = admin.post(
        "/beheer/instellingen",
        data={
            "csrf_token": token,
            "scheme": "LV",
            "specialised_threshold": "40",
            **HLN_FORM,
            **changes,
        },
    )
    assert refused.status_code == 422
    assert message in refused.text
    for name, value in changes.items():  # the submitted values are shown again
        assert f'name="{name}" aria-label' in refused.text
        if value:
            assert f'value="{value}"' in refused.text
    config = _configuration(world.url)
    assert config.bands is None and config.scheme == "DENHAAG"
    assert config.specialised_threshold is None


def test_settings_page_shows_the_segments_of_the_chosen_scheme(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    html = admin.get("/beheer/instellingen").text
    active = html.split('data-active="true"', 1)[1].split("</details>", 1)[0]
    assert "Doelgroepen Den Haag" in active and "Berenschot 2022" in active
    assert "<td>DH_A</td>" in active and "0-6 maanden" in active
    assert "Verwachting langer dan 18 maanden tot werk: Participatie" in active
    assert "<td>LV_1A</td>" not in active
    admin.post("/beheer/instellingen", data={"csrf_token": session_csrf(admin), "scheme": "LV"})
    active = admin.get("/beheer/instellingen").text.split('data-active="true"', 1)[1]
    active = active.split("</details>", 1)[0]
    assert "<td>LV_3A</td>" in active and "meer dan 48 maanden" in active
    assert "<td>DH_A</td>" not in active


def test_beheerder_sees_every_code_list_with_the_origin_of_each_code(
    world: World, client_for: ClientFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "contact_type.csv").write_text(
        "code,label_nl,label_en,sort_order\n"
        "WIJKTEAM,Overleg met het wijkteam,Meeting with the neighbourhood team,20\n"
        "PHONE,Telefonisch (gemeente),By phone,3\n",
        encoding="utf-8",
    )
    admin = client_for(world, "beheer")
    plain = admin.get("/beheer/codelijsten")
    assert plain.status_code == 200
    assert "Nu is er geen map ingesteld" in plain.text
    assert '<a href="/beheer/codelijsten" aria-current="page">Codelijsten</a>' in plain.text
    for name in codelists.all_code_lists():
        assert f'href="/beheer/codelijsten?lijst={name}"' in plain.text

    monkeypatch.setenv("WERKPAD_CODELIST_DIR", str(tmp_path))
    codelists.reload()
    try:
        html = admin.get("/beheer/codelijsten?lijst=contact_type").text
        assert str(tmp_path) in html

        def row(code: str) -> str:
            return html.split(f'<tr data-code="{code}">', 1)[1].split("</tr>", 1)[0]

        assert "Overleg met het wijkteam" in row("WIJKTEAM")
        assert "Eigen code gemeente" in row("WIJKTEAM")
        assert "Telefonisch (gemeente)" in row("PHONE")
        assert "Meegeleverd, aangepast door gemeente" in row("PHONE")
        assert ">Meegeleverd<" in row("FACE_TO_FACE")
        attributes = admin.get("/beheer/codelijsten?lijst=route_type").text
        assert '<th scope="col">loonwaarde_min</th>' in attributes
        assert admin.get("/beheer/codelijsten?lijst=bestaat_niet").status_code == 404
    finally:
        monkeypatch.delenv("WERKPAD_CODELIST_DIR")
        codelists.reload()
