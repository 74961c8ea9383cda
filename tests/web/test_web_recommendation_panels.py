"""The evaluators' recommendations on the dashboard (issue 18): each KPI a panel with its
definition, hand-checked figures on a team of our own (the team filter), the settings of the
figures on the beheerder's page, suppression for the roles that see published tables, and
Dutch labels instead of codes."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import date

from dashboard_support import section
from sqlalchemy import select
from typer.testing import CliRunner
from web_support import ClientFactory, World, session_csrf

import factories as f
from werkpad.cli.reports import kpi_app
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Setting

REF = "2020-12-31"


def _granite_team(world: World) -> int:
    """Team Graniet, on 31-12-2020:

    * P1 on benefit since 01-01-2014, a contact on 01-06-2020 (over 5 years, seen);
    * P2 01-01-2016 to 31-12-2017, again from 15-01-2018: the 15-day gap is bridged, so on
      benefit since 2016 (4.999 years: over 3, not over 5);
    * P3 01-01-2015 to 30-06-2017, again from 01-09-2017: the two-month gap is not bridged
      with the default of 1 month (3.3 years), it is with 3 months (6 years);
    * P4 applied 15-02-2020, benefit from 01-03-2020, first contact 10-03-2020 (24 days after
      the application, 9 after the start)."""
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        team = f.make_team(s, name="Team Graniet")
        km = f.make_user(s, "KLANTMANAGER", team, username="km_g", full_name="Gert Graniet")
        spells = {
            "P1": [(date(2014, 1, 1), None)],
            "P2": [(date(2016, 1, 1), date(2017, 12, 31)), (date(2018, 1, 15), None)],
            "P3": [(date(2015, 1, 1), date(2017, 6, 30)), (date(2017, 9, 1), None)],
            "P4": [(date(2020, 3, 1), None)],
        }
        people = {}
        for name, periods in spells.items():
            c = f.make_candidate(s, team, km, first_name=name, last_name="Graniet")
            for start, end in periods:
                applied = date(2020, 2, 15) if name == "P4" else start
                f.make_benefit_spell(s, c, start_date=start, end_date=end, application_date=applied)
            people[name] = c
        f.make_contact(s, people["P1"], km, contact_date=date(2020, 6, 1))
        f.make_contact(s, people["P4"], km, contact_date=date(2020, 3, 10))
        team_id = team.id
    engine.dispose()
    return team_id


def _rows(panel: str) -> list[list[str]]:
    body = panel[panel.index("<tbody>") : panel.index("</tbody>")]
    return [
        [html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in
         re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]  # fmt: skip


def _board(client: object, team_id: int) -> str:
    response = client.get(f"/dashboard?peildatum={REF}&van=2020&tot=2020&team={team_id}")  # type: ignore[attr-defined]
    assert response.status_code == 200
    return str(response.text)


def test_long_stay_panel_bridges_short_gaps_and_counts_who_was_seen(
    world: World, client_for: ClientFactory
) -> None:
    team_id = _granite_team(world)
    panel = section(_board(client_for(world, "tl"), team_id), "granieten-bestand")
    assert "Onderbrekingen korter dan 1 maand tellen niet als einde" in panel
    # on benefit 4; over 3 years P1, P2, P3 (75%); over 5 years P1 (25%); seen: P1 of 3
    assert _rows(panel) == [["2020", "4", "3", "75,0", "1", "25,0", "1", "33,3"]]


def test_inflow_speed_panel_counts_days_from_the_application_and_from_the_start(
    world: World, client_for: ClientFactory
) -> None:
    team_id = _granite_team(world)
    panel = section(_board(client_for(world, "tl"), team_id), "instroom-snelheid")
    rows = _rows(panel)
    # P4 only (no diagnosis: "Onbekend"); no provision, so the median stays empty.
    assert ["2020", "Aanvraag", "Totaal", "1", "1", "24", "100,0", "100,0", "–", "0,0", "0,0"] in (
        rows
    )
    assert ["2020", "Start uitkering", "Totaal", "1", "1", "9", "100,0", "100,0", "–", "0,0",
            "0,0"] in rows  # fmt: skip
    assert any(r[2] == "Onbekend" for r in rows)


def test_beheerder_sets_the_bridged_months_and_induction_weeks_and_the_panels_follow(
    world: World, client_for: ClientFactory
) -> None:
    team_id = _granite_team(world)
    admin = client_for(world, "beheer")
    page = admin.get("/beheer/instellingen").text
    assert 'id="induction_weeks"' in page and 'id="bridge_months"' in page
    saved = admin.post(
        "/beheer/instellingen",
        data={
            "csrf_token": session_csrf(admin),
            "scheme": "DENHAAG",
            "induction_weeks": "6",
            "bridge_months": "3",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    board = _board(client_for(world, "tl"), team_id)
    long_stay = section(board, "granieten-bestand")
    assert "Onderbrekingen korter dan 3 maanden tellen niet als einde" in long_stay
    # P3's two-month gap is bridged now: over 5 years P1 and P3.
    assert _rows(long_stay) == [["2020", "4", "3", "75,0", "2", "50,0", "1", "33,3"]]
    assert "binnen 6 weken aan de inwerkweek" in section(board, "inwerkweek")


def test_an_invalid_figure_setting_gets_a_dutch_message_and_writes_nothing(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    refused = admin.post(
        "/beheer/instellingen",
        data={
            "csrf_token": session_csrf(admin),
            "scheme": "DENHAAG",
            "induction_weeks": "0",
            "bridge_months": "2",
        },
    )
    assert refused.status_code == 422
    assert "een heel getal van 1 tot 52." in html_lib.unescape(refused.text)
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        assert s.scalars(select(Setting).where(Setting.key == "indicators")).first() is None
    engine.dispose()


def test_analyst_gets_the_recommendation_tables_suppressed(
    world: World, client_for: ClientFactory
) -> None:
    team_id = _granite_team(world)
    board = _board(client_for(world, "analist"), team_id)
    rows = _rows(section(board, "granieten-bestand"))
    assert rows == [["2020", "<10", "<10", "<10", "<10", "<10", "<10", "<10"]]
    assert "verborgen" in section(board, "granieten-bestand")


def test_recommendation_panels_show_dutch_labels_and_no_codes(
    world: World, client_for: ClientFactory
) -> None:
    board = client_for(world, "tl").get(f"/dashboard?peildatum={REF}").text
    domains = section(board, "leefgebieden")
    assert "Financiën (schulden)" in domains and "Sociaal netwerk" in domains
    assert "<td>financien</td>" not in domains
    for key in ("instroom-snelheid", "inwerkweek"):
        assert not re.search(r"<td>DH_[ABCP]</td>", section(board, key))
    intensity = section(board, "contactintensiteit-team")
    assert "Team Centrum" in intensity
    assert "alleen voor de eigen teamleider" in section(board, "contactintensiteit")


def _training_dossiers(url: str, year: str) -> dict[str, float]:
    """``werkpad kpi --json``'s cohort outflow by training for ``year``: dossiers per Ja/Nee."""
    result = CliRunner().invoke(
        kpi_app, ["--json", "--db", url, "--peildatum", REF, "--year", year[:4]]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]
    return {
        r["group"]: r["value"]
        for r in rows
        if r["kpi_id"] == "cohort_outflow_training"
        and r["period"] == year
        and r["measure"] == "dossiers"
    }


def test_beheerder_sets_the_training_window_and_the_cohort_outflow_by_training_follows(
    world: World, client_for: ClientFactory
) -> None:
    # One applicant on benefit since 2018 who followed a work-directed training in the spring
    # of 2018: Haarlemmermeer's Tabel 3.5 ("gevolgd in periode 2017-2019" for the 2019 cohort)
    # counts it for the 2020 cohort with the default window of 2 years, not with 0.
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        team = f.make_team(s, name="Team Opleiding")
        km = f.make_user(s, "KLANTMANAGER", team, username="km_o", full_name="Olga Opleiding")
        c = f.make_candidate(s, team, km, first_name="Otto", last_name="Opleiding")
        f.make_benefit_spell(s, c, start_date=date(2018, 1, 8), application_date=date(2018, 1, 2))
        f.make_dossier(s, c, opened_on=date(2018, 1, 8))
        route = f.make_route(s, c, start_date=date(2018, 3, 1))
        training = f.make_provision_type(s, is_work_directed_training=True)
        f.make_provision(
            s, route, training, start_date=date(2018, 3, 1), end_date=date(2018, 6, 29)
        )
    engine.dispose()
    before = _training_dossiers(world.url, "2020")
    assert before.get("Ja", 0) >= 1
    admin = client_for(world, "beheer")
    assert 'id="training_window_years"' in admin.get("/beheer/instellingen").text
    saved = admin.post(
        "/beheer/instellingen",
        data={"csrf_token": session_csrf(admin), "scheme": "DENHAAG", "training_window_years": "0"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    after = _training_dossiers(world.url, "2020")
    assert after.get("Ja", 0) == before["Ja"] - 1
    assert after["Totaal"] == before["Totaal"]
    refused = admin.post(
        "/beheer/instellingen",
        data={"csrf_token": session_csrf(admin), "scheme": "DENHAAG", "training_window_years": "x"},
    )
    assert refused.status_code == 422
    assert "een heel getal van 0 tot 10." in html_lib.unescape(refused.text)
