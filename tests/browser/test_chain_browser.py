"""Issue 3 in the browser: one new candidate walked through the whole chain by three roles,
and the dashboard's figures moving with the exit. Headless Chromium against ``werkpad serve``.

The demo clock is frozen on the synthetic reference date (30-06-2021), so "today" in the forms
is that date and the candidate's route starts and ends in June 2021.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from browser_support import Visitor
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, select
from sqlalchemy.sql import Executable

from werkpad.domain.bsn import bsn_from_stem
from werkpad.domain.codelists import code_list
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import Candidate, Placement, Route

pytestmark = pytest.mark.browser

FIRST_NAME = "Fenna"
LAST_NAME = "Ketenloper"
BIRTH_DATE = "1988-04-12"
JOB_LABEL = code_list("route_end_reason").label("JOB")
REFERENCE_YEAR = "2021"


@dataclass(frozen=True)
class DashboardFigures:
    """What the dashboard shows for the reference year and for the end reasons."""

    ended_routes: int
    job_exits: int
    routes_started_in_year: int


def _count(database_url: str, statement: Executable) -> int:
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as session:
            return int(session.scalar(statement) or 0)
    finally:
        engine.dispose()


def _unused_bsn(database_url: str) -> str:
    stem = 91_234_560
    while True:
        bsn = bsn_from_stem(stem)
        taken = _count(
            database_url, select(func.count()).select_from(Candidate).where(Candidate.bsn == bsn)
        )
        if not taken:
            return bsn
        stem += 7


def _number(text: str) -> int:
    """A Dutch-formatted count ("1.006") as an int."""
    return int(text.strip().replace(".", ""))


def _section(page: Page, title: str) -> Locator:
    # Dashboard panels are h3 under the h2 of their theme.
    return page.locator("section.card", has=page.locator("h2, h3", has_text=title)).first


def _read_dashboard(page: Page) -> DashboardFigures:
    reasons = _section(page, "Redenen van beëindiging")
    match = re.search(r"zijn beëindigd \(([\d.]+)\)", reasons.inner_text())
    assert match, reasons.inner_text()
    job_row = reasons.locator("tbody tr", has=page.locator("td", has_text=JOB_LABEL))
    job_exits = _number(job_row.locator("td.num").first.inner_text()) if job_row.count() else 0
    reach = _section(page, "Bereik per jaar")
    headers = [h.strip() for h in reach.locator("thead th").all_inner_texts()]
    year_row = reach.locator("tbody tr").filter(
        has=page.locator("td:first-child", has_text=re.compile(rf"^\s*{REFERENCE_YEAR}\s*$"))
    )
    routes = _number(year_row.locator("td").nth(headers.index("Routes")).inner_text())
    return DashboardFigures(_number(match.group(1)), job_exits, routes)


def _team_total(page: Page) -> int:
    match = re.match(r"(\d+) kandidaten in behandeling", page.locator("p.lead").inner_text())
    assert match, page.locator("p.lead").inner_text()
    return int(match.group(1))


def _open(page: Page, section: str, summary: str) -> None:
    page.locator(f"{section} summary", has_text=summary).click()


def _submit(page: Page, form_action_part: str) -> None:
    page.locator(f"form[action*='{form_action_part}'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _new_login(visitor: Visitor, role: str) -> None:
    visitor.page.context.clear_cookies()
    visitor.login(role)


def _intake(visitor: Visitor, bsn: str) -> str:
    """Fill the intake form and return the new candidate file's path."""
    page = visitor.page
    visitor.open("/kandidaten/nieuw")
    page.fill("#bsn", bsn)
    page.fill("#first_name", FIRST_NAME)
    page.fill("#last_name", LAST_NAME)
    page.fill("#birth_date", BIRTH_DATE)
    page.select_option("#sex", "V")
    page.select_option("#benefit_type", "PW")
    page.fill("#benefit_start_date", "2021-05-01")
    page.fill("#city", "Den Haag")
    page.get_by_role("button", name="Kandidaat opslaan").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text(f"Kandidaat {FIRST_NAME} {LAST_NAME}")
    path = re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]
    assert re.fullmatch(r"/kandidaten/\d+", path), page.url
    return path


def _klantmanager_builds_the_route(visitor: Visitor, file_path: str) -> None:
    page = visitor.page
    _open(page, "section#diagnose", "Nieuwe (her)beoordeling")
    page.select_option("#diagnose-ladder_step", "4")
    segment = page.locator("#diagnose-segment")
    if segment.count():
        segment.select_option(index=1)
    page.fill("#diagnose-loonwaarde_pct", "85")
    page.fill("#diagnose-reason", "Intakegesprek: wil snel aan het werk in de logistiek")
    _submit(page, "/diagnose")
    expect(page.locator(".route-decision")).to_have_text("Directe bemiddeling")

    _open(page, "section#plan", "Nieuw plan")
    page.fill("#plan-goal", "Binnen drie maanden werk in de logistiek")
    page.fill("#plan-goals", "Heftruckcertificaat\nSollicitatietraining")
    _submit(page, "/plan")
    expect(page.locator("section#plan")).to_contain_text("Heftruckcertificaat")

    _open(page, "section#route", "Route starten")
    page.select_option("#route-route_type", "DIRECT_MEDIATION")
    page.fill("#route-start_date", "2021-06-01")
    page.locator("#route-plan_id").select_option(index=1)
    _submit(page, f"{file_path}/route")
    expect(page.locator("section#route h4").first).to_contain_text("lopend")

    _open(page, "section#route", "Voorziening toevoegen")
    page.locator("#voorziening-provision_type_id").select_option(index=1)
    page.fill("#voorziening-start_date", "2021-06-02")
    _submit(page, "/voorziening/")
    expect(page.locator("section#route table.data tbody tr")).to_have_count(1)

    _open(page, "section#contact", "Contact vastleggen")
    page.locator("#contact-contact_type").select_option(index=1)
    page.fill("#contact-summary", "Plan besproken, kandidaat is gemotiveerd")
    _submit(page, "/contact")
    expect(page.locator("section#contact")).to_contain_text("kandidaat is gemotiveerd")

    _open(page, "section#aanmelding", "Aanmelden bij matching")
    page.fill("#aanmelding-work_wishes", "Orderpicker of heftruckchauffeur")
    page.fill("#aanmelding-availability", "Fulltime, per direct")
    form = page.locator("form[action*='/aanmelding']")
    form.locator("input[name=wished_occupations][value=Orderpicker]").check()
    page.fill("#aanmelding-hours_min", "32")
    page.fill("#aanmelding-hours_max", "40")
    page.locator("#aanmelding-transport").select_option("FIETS")
    page.fill("#aanmelding-radius_km", "10")
    _submit(page, "/aanmelding")
    expect(page.locator("section#aanmelding .referral-state")).to_have_text("Aangemeld")


def _accountmanager_picks_up(visitor: Visitor) -> None:
    page = visitor.page
    _new_login(visitor, "ACCOUNTMANAGER")
    visitor.open("/matching")
    expect(page.locator("h1")).to_have_text("Matching")
    page.locator("a.profile-link", has_text=f"{FIRST_NAME} {LAST_NAME}").click()
    page.wait_for_load_state("networkidle")
    # The work profile only: no BSN, no benefit.
    expect(page.locator("main")).not_to_contain_text("BSN")
    expect(page.locator("main")).to_contain_text("Orderpicker")
    visitor.screenshot("12-matching-profile")
    page.get_by_role("button", name="Oppakken").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".referral-state")).to_have_text("Opgepakt")


def _klantmanager_ends_route_with_a_job(visitor: Visitor, file_path: str) -> None:
    page = visitor.page
    _new_login(visitor, "KLANTMANAGER")
    visitor.open(file_path)
    expect(page.locator("section#aanmelding .referral-state")).to_have_text("Opgepakt")
    _open(page, "section#route", "Route beëindigen")
    page.fill("#einde-end_date", "2021-06-30")
    page.select_option("#einde-end_reason", "JOB")
    page.locator("#einde-employer_id").select_option(index=1)
    page.select_option("#einde-job_type", "6")
    page.select_option("#einde-contract_type", "TEMPORARY")
    page.fill("#einde-hours_per_week", "32")
    page.select_option("#einde-claimant", "TEAM")
    page.locator("form[action*='/einde/'] input[name=instruments][value=LKS]").check()
    # The exit asks what becomes of the open provision.
    page.locator("form[action*='/einde/'] input[type=radio][value=afronden]").first.check()

    # Without the loonwaarde the LKS is refused, in Dutch, and nothing is ended.
    _submit(page, "/einde/")
    expect(page.locator(".alert[role=alert]")).to_contain_text(
        "Loonkostensubsidie vraagt een vastgestelde loonwaarde."
    )
    expect(page.locator("section#route h4").first).to_contain_text("lopend")
    visitor.screenshot("13-exit-refused")
    # What was filled in stays, the ticked instrument too.
    expect(page.locator("#einde-hours_per_week")).to_have_value("32")
    expect(page.locator("form[action*='/einde/'] input[value=LKS]")).to_be_checked()

    page.fill("#einde-lks_loonwaarde", "70")
    _submit(page, "/einde/")
    expect(page.locator("section#route")).to_contain_text(JOB_LABEL)
    placements = page.locator("section.card", has=page.locator("h3", has_text="Plaatsingen")).last
    expect(placements).to_contain_text("loonwaarde 70%")
    expect(page.locator("section#nazorg")).to_contain_text("6 maanden")
    visitor.screenshot("14-candidate-after-exit")


def test_one_candidate_walks_the_whole_chain_and_the_dashboard_counts_the_exit(
    visitor: Visitor,
) -> None:
    page = visitor.page
    database_url = visitor.site.database_url
    visitor.login("TEAMLEIDER")
    visitor.open("/dashboard")
    before = _read_dashboard(page)
    visitor.open("/team")
    in_service_before = _team_total(page)

    _new_login(visitor, "KLANTMANAGER")
    file_path = _intake(visitor, _unused_bsn(database_url))
    visitor.screenshot("10-intake-done")
    _klantmanager_builds_the_route(visitor, file_path)
    visitor.screenshot("11-candidate-route-running")

    _accountmanager_picks_up(visitor)
    _klantmanager_ends_route_with_a_job(visitor, file_path)

    _new_login(visitor, "TEAMLEIDER")
    visitor.open("/team")
    expect(page.locator("h1")).to_have_text("Team")
    expect(page.locator("p.lead")).to_contain_text("per fte")
    assert page.locator("td.caseload-count").count() >= 2
    assert _team_total(page) == in_service_before + 1
    visitor.screenshot("15-team")

    # The exit reset the dashboard cache: the figures include the new route at once.
    visitor.open("/dashboard")
    after = _read_dashboard(page)
    assert after == DashboardFigures(
        before.ended_routes + 1, before.job_exits + 1, before.routes_started_in_year + 1
    )
    visitor.screenshot("16-dashboard-after-exit")

    candidate_id = int(file_path.rsplit("/", 1)[1])
    assert (
        _count(
            database_url,
            select(func.count())
            .select_from(Placement)
            .where(
                Placement.candidate_id == candidate_id, Placement.claimed_by_team_id.is_not(None)
            ),
        )
        == 1
    )
    assert (
        _count(
            database_url,
            select(func.count())
            .select_from(Route)
            .where(Route.candidate_id == candidate_id, Route.end_reason == "JOB"),
        )
        == 1
    )


def test_intake_with_an_invalid_bsn_shows_the_dutch_message_and_writes_nothing(
    visitor: Visitor,
) -> None:
    page = visitor.page
    database_url = visitor.site.database_url
    candidates = select(func.count()).select_from(Candidate)
    before = _count(database_url, candidates)

    visitor.login("KLANTMANAGER")
    visitor.open("/kandidaten/nieuw")
    page.fill("#bsn", "123456789")  # fails the elfproef
    page.fill("#first_name", "Ongeldig")
    page.fill("#last_name", "Nummer")
    page.fill("#birth_date", "1990-01-01")
    page.select_option("#sex", "M")
    page.fill("#benefit_start_date", "2021-06-01")
    page.get_by_role("button", name="Kandidaat opslaan").click()
    page.wait_for_load_state("networkidle")

    expect(page.locator("h1")).to_have_text("Nieuwe kandidaat")
    expect(page.locator("#bsn-error")).to_have_text(
        "BSN is ongeldig: het moet 9 cijfers hebben en voldoen aan de elfproef."
    )
    expect(page.locator("#bsn")).to_have_attribute("aria-invalid", "true")
    # What was typed stays, so the klantmanager only corrects the BSN.
    expect(page.locator("#last_name")).to_have_value("Nummer")
    visitor.screenshot("17-intake-invalid-bsn")
    assert _count(database_url, candidates) == before


def test_beheerder_creates_a_team_and_a_klantmanager_in_the_browser(visitor: Visitor) -> None:
    page = visitor.page
    visitor.login("BEHEERDER")
    visitor.open("/beheer/teams")
    page.fill("#team-name", "Team Browserwijk")
    page.fill("#team-fte", "3,5")
    page.get_by_role("button", name="Team aanmaken").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("table.data")).to_contain_text("Team Browserwijk")
    visitor.screenshot("18-beheer-teams")

    visitor.open("/beheer/gebruikers")
    page.fill("#user-username", "km.browser")
    page.fill("#user-full_name", "Bram Browser")
    page.select_option("#user-role", "KLANTMANAGER")
    page.select_option("#user-team_id", label="Team Browserwijk")
    page.fill("#user-password", "kort")
    page.get_by_role("button", name="Gebruiker aanmaken").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#user-password-error")).to_have_text(
        "Kies een wachtwoord van minimaal 12 tekens."
    )
    expect(page.locator("#user-full_name")).to_have_value("Bram Browser")
    page.fill("#user-password", "een-lang-eerste-wachtwoord")
    page.get_by_role("button", name="Gebruiker aanmaken").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("tbody tr", has=page.locator("td", has_text="km.browser"))
    expect(row).to_contain_text("Team Browserwijk")

    row.get_by_role("button", name="Uitschakelen").click()
    page.wait_for_load_state("networkidle")
    expect(row.get_by_role("button", name="Inschakelen")).to_be_visible()
    expect(row.locator("td").nth(5)).to_have_text("nee")
    visitor.screenshot("19-beheer-gebruikers")
