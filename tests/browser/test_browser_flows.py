"""End-to-end flows in headless Chromium against the real server and a synthetic municipality."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from browser_support import Visitor, is_local
from playwright.sync_api import expect

# Keep every browser test in this file: scripts/test.sh distributes per file, so the session
# fixtures (synthetic municipality, server, Chromium) are built once.
pytestmark = pytest.mark.browser

# The login page's message for a wrong username or password (web/views/login.py).
DUTCH_LOGIN_ERROR = "Inloggen mislukt. Controleer je gebruikersnaam en wachtwoord."


def _first_candidate_href(visitor: Visitor) -> str:
    href = visitor.page.locator("a.candidate-link").first.get_attribute("href")
    assert href, "a caseload row without a link to the candidate file"
    return href


def test_klantmanager_logs_in_and_sees_own_caseload(visitor: Visitor) -> None:
    visitor.open("/login")
    visitor.screenshot("01-login")
    visitor.login("KLANTMANAGER")

    expect(visitor.page.locator("h1")).to_have_text("Caseload")
    assert visitor.page.locator("a.candidate-link").count() > 0
    visitor.screenshot("02-caseload")


def test_klantmanager_opens_a_candidate_file_from_the_caseload(visitor: Visitor) -> None:
    visitor.login("KLANTMANAGER")
    visitor.page.locator("a.candidate-link").first.click()
    visitor.page.wait_for_load_state("networkidle")

    expect(visitor.page.locator("h1")).to_have_text(re.compile(r"^\s*Kandidaat"))
    visitor.screenshot("03-candidate-file")


def test_dashboard_draws_plotly_charts_from_local_files(visitor: Visitor) -> None:
    visitor.login("TEAMLEIDER")
    visitor.open("/dashboard")

    expect(visitor.page.locator("h1")).to_have_text("Dashboard")
    expect(visitor.page.locator("div.chart .main-svg").first).to_be_visible()
    visitor.screenshot("04-dashboard")


def test_wrong_password_shows_a_dutch_error_and_stays_on_login(visitor: Visitor) -> None:
    visitor.login("KLANTMANAGER", password="dit-is-niet-het-wachtwoord")

    assert urlsplit(visitor.page.url).path == "/login"
    expect(visitor.page.locator("body")).to_contain_text(DUTCH_LOGIN_ERROR)
    expect(visitor.page.locator("input[name=password]")).to_be_visible()
    visitor.screenshot("05-login-failed")


def test_analist_is_refused_a_candidate_file(visitor: Visitor) -> None:
    visitor.login("KLANTMANAGER")
    href = _first_candidate_href(visitor)
    visitor.page.context.clear_cookies()

    visitor.login("ANALIST")
    response = visitor.page.goto(visitor.site.url(href))

    assert response is not None
    assert response.status == 403


def test_pages_only_request_resources_from_this_machine(visitor: Visitor) -> None:
    requested: list[str] = []
    visitor.page.on("request", lambda request: requested.append(request.url))

    visitor.login("KLANTMANAGER")
    visitor.page.locator("a.candidate-link").first.click()
    visitor.page.wait_for_load_state("networkidle")
    visitor.open("/dashboard")

    assert len(requested) > 3
    assert [url for url in requested if not is_local(url)] == []
