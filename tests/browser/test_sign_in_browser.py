"""The sign-in pages of issue 15 in the browser: the code step, Mijn account and the
enrolment page with its inline QR code pass axe-core and reflow at 390, 768 and 1366 px."""

from __future__ import annotations

from browser_support import DemoSite, Visitor
from playwright.sync_api import BrowserContext
from test_accessibility_browser import _check_widths, _visit, a11y_context

__all__ = ["a11y_context"]  # the fixture, imported for this module's tests


def test_the_code_step_and_mijn_account_pass_axe_at_every_width(
    a11y_context: BrowserContext, demo_site: DemoSite
) -> None:
    page = a11y_context.new_page()
    username, password = demo_site.credentials("BEHEERDER")
    page.goto(demo_site.url("/login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/login/code")
    problems = _check_widths(page, "/login/code")
    page.fill("input[name=code]", "000000")
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state("networkidle")
    assert "Deze code klopt niet" in page.content()
    problems += _check_widths(page, "/login/code (fout)")
    page.fill("input[name=code]", demo_site.code_for(username))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/beheer/audit")
    problems += _visit(page, demo_site, "/account")
    assert problems == []


def test_the_enrolment_page_with_its_qr_code_passes_axe_at_every_width(
    a11y_context: BrowserContext, demo_site: DemoSite
) -> None:
    page = a11y_context.new_page()
    Visitor(page, demo_site).login("KLANTMANAGER")
    problems = _visit(page, demo_site, "/account/tweestapsverificatie")
    assert page.locator(".totp-qr svg").count() == 1
    assert problems == []
