"""WCAG 2.1 AA in the browser: axe-core on every main page of every role at three widths, reflow
without page-level horizontal scrolling, and one flow done with the keyboard alone.

axe-core is vendored (``tests/browser/vendor/axe-core``, refreshed by
``scripts/vendor-assets.sh``) and injected by Playwright; nothing is downloaded. All widths run
in the session's one Chromium: per role one browser context, per page one load, then the
viewport is resized and checked again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import DemoSite, Visitor
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (320, 768, 1366)
BLOCKING_IMPACTS = ("serious", "critical")
# WCAG 2.0/2.1 A and AA rules; axe's best-practice rules are advice, not the standard.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} -> ` +
                v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
}"""
PAGE_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"

# The start pages and menus of each role; pages reached through a link are added per role.
ROLE_PAGES: dict[str, tuple[str, ...]] = {
    "KLANTMANAGER": ("/caseload", "/kandidaten/nieuw", "/dashboard"),
    "TEAMLEIDER": (
        "/caseload",
        "/team",
        "/team/contactintensiteit",
        "/vacatures",
        "/dashboard",
        "/effectmeting",
    ),
    "ACCOUNTMANAGER": ("/matching", "/werkgevers", "/vacatures", "/dashboard"),
    "ANALIST": ("/dashboard", "/effectmeting"),
    "BEHEERDER": (
        "/beheer/gebruikers",
        "/beheer/teams",
        "/beheer/gemeenten",
        "/beheer/codelijsten",
        "/beheer/codelijsten?lijst=route_type",
        "/beheer/instellingen",
        "/beheer/audit",
        "/beheer/audit?soort=inloggen",
        "/beheer/privacy",
        "/beheer/privacy?zoek=1",
        "/beheer/privacy?zoek=onbekend",
    ),
}
# A link on a page to follow as well: (page, CSS selector of the link).
FOLLOW: dict[str, tuple[tuple[str, str], ...]] = {
    "KLANTMANAGER": (("/caseload", "a.candidate-link"),),
    "TEAMLEIDER": (("/caseload", "a.candidate-link"), ("/dashboard", "a.drill")),
    "ACCOUNTMANAGER": (
        ("/matching", "a.profile-link"),
        ("/werkgevers", "tbody a[href^='/werkgevers/']"),
        ("/vacatures", "tbody a[href^='/vacatures/']"),
    ),
    "ANALIST": (("/dashboard", "a.drill"),),
}


@pytest.fixture
def a11y_context(chromium: Browser) -> Iterator[BrowserContext]:
    # bypass_csp lets Playwright inject the vendored axe script into pages whose CSP forbids
    # inline scripts; the pages themselves are unchanged.
    context = chromium.new_context(
        locale="nl-NL", viewport={"width": WIDTHS[-1], "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _check_widths(page: Page, label: str) -> list[str]:
    """Violations and reflow failures of the loaded page at every width."""
    problems: list[str] = []
    page.add_script_tag(path=str(AXE_JS))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(150)  # let Plotly's responsive charts settle at the new width
        scroll_width, inner_width = page.evaluate(PAGE_WIDTH)
        if scroll_width > inner_width:
            problems.append(f"{label} @{width}px: page is {scroll_width}px wide (scrolls)")
        for violation in page.evaluate(RUN_AXE, AXE_TAGS):
            problems.append(f"{label} @{width}px: {violation}")
    return problems


# The first dashboard or effects page of a fresh server computes its figures; on a loaded
# 2-core machine that can take longer than a click should.
FIRST_LOAD_TIMEOUT_MS = 90_000


def _visit(page: Page, site: DemoSite, path: str) -> list[str]:
    response = page.goto(site.url(path), timeout=FIRST_LOAD_TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 200, f"{path}: {response}"
    return _check_widths(page, path)


def test_login_page_passes_axe_and_reflows_at_every_width(
    a11y_context: BrowserContext, demo_site: DemoSite
) -> None:
    page = a11y_context.new_page()
    problems = _visit(page, demo_site, "/login")
    page.fill("input[name=username]", "niemand")
    page.fill("input[name=password]", "fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("networkidle")
    problems += _check_widths(page, "/login (mislukt)")
    assert problems == []


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_every_main_page_of_a_role_passes_axe_and_reflows_at_every_width(
    role: str, a11y_context: BrowserContext, demo_site: DemoSite
) -> None:
    page = a11y_context.new_page()
    Visitor(page, demo_site).login(role)
    problems: list[str] = []
    for path in ROLE_PAGES[role]:
        problems += _visit(page, demo_site, path)
    for path, selector in FOLLOW.get(role, ()):
        page.goto(demo_site.url(path), timeout=FIRST_LOAD_TIMEOUT_MS)
        href = page.locator(selector).first.get_attribute("href")
        assert href, f"{path} has no link {selector}"
        problems += _visit(page, demo_site, href)
    assert problems == []


def test_a_failed_submit_moves_the_focus_to_the_message_that_links_to_the_field(
    a11y_context: BrowserContext, demo_site: DemoSite
) -> None:
    page = a11y_context.new_page()
    Visitor(page, demo_site).login("KLANTMANAGER")
    page.goto(demo_site.url("/kandidaten/nieuw"))
    page.get_by_role("button", name="Kandidaat opslaan").click()
    page.wait_for_load_state("networkidle")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    link = summary.locator("a[href='#bsn']")
    expect(link).to_have_count(1)
    field = page.locator("#bsn")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby") or ""
    expect(page.locator(f"#{described}")).to_have_text(re.compile(r"\S"))
    assert _check_widths(page, "/kandidaten/nieuw (fouten)") == []


def _tab_to(page: Page, predicate: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies the JS ``predicate(el)``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def test_keyboard_only_login_search_open_file_and_add_a_contact(
    visitor: Visitor, demo_site: DemoSite
) -> None:
    page = visitor.page
    page.goto(demo_site.url("/login"))
    username, password = demo_site.credentials("KLANTMANAGER")
    # The username field has the focus on arrival (autofocus).
    expect(page.locator("#username")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/caseload"))

    # The skip link comes first, shows when focused and jumps over the header to the content.
    page.keyboard.press("Tab")
    expect(page.locator(".utrecht-skip-link")).to_be_focused()
    expect(page.locator(".utrecht-skip-link")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#inhoud")).to_be_focused()
    first_row_name = page.locator("a.candidate-link").first.inner_text().strip()
    last_name = first_row_name.split()[-1]
    _tab_to(page, "el.id === 'q'")
    page.keyboard.type(last_name)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.locator("a.candidate-link").first).to_contain_text(last_name)

    _tab_to(page, "el.classList.contains('candidate-link')")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text("Kandidaat")
    expect(page.locator(".candidate-summary")).to_be_visible()

    # Open "Contact vastleggen" (a disclosure) and fill the form with keys only.
    _tab_to(page, "el.tagName === 'SUMMARY' && el.textContent.includes('Contact vastleggen')", 400)
    page.keyboard.press("Enter")
    _tab_to(page, "el.id === 'contact-contact_type'")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    summary_text = "Telefonisch gesproken, alleen met het toetsenbord vastgelegd"
    page.keyboard.type(summary_text)
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Contact opslaan')")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")

    expect(page.locator("#contact table")).to_contain_text(summary_text)


# --- labels instead of internal codes ------------------------------------------------------

LEAK_PATTERNS = (
    re.compile(r"\b[BF]-[A-Z0-9]+-\d{3}\b"),  # provision type codes such as F-PS1-001
    re.compile(r"\bDURABLE_\d+M\b"),  # success definition ids
    # English object types with an id, as the audit log once showed them ("referral 634").
    re.compile(r"\b(?:referral|provision|assessment|follow_up|candidate|benefit_spell) \d+\b"),
    re.compile(r"\bNone\b"),
)


def _internal_codes() -> set[str]:
    """Codes of the code lists that read as internal identifiers (``DH_A``, ``DENHAAG``,
    ``NONE``), leaving out codes that also occur in some label (``LKS`` in "... (LKS)")."""
    from werkpad.domain.codelists import all_code_lists

    lists = all_code_lists().values()
    labels = " ".join(c.label_nl for codes in lists for c in codes)
    return {
        c.code
        for codes in lists
        for c in codes
        if re.fullmatch(r"[A-Z][A-Z0-9_]{2,}", c.code)
        and ("_" in c.code or len(c.code) >= 4)
        and c.code != c.label_nl
        and not re.search(rf"\b{re.escape(c.code)}\b", labels)
    }


READ_VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  // <code> is where the beheer pages show a code on purpose; scripts hold no visible text.
  copy.querySelectorAll("code, script, style").forEach((el) => el.remove());
  copy.querySelectorAll("select").forEach((el) => {
    el.replaceWith(Array.from(el.options).map((o) => o.textContent).join(" | "));
  });
  return copy.textContent;
}"""


def leaked_codes(text: str, codes: set[str]) -> list[str]:
    """Internal codes and code-like fragments in ``text`` (the visible text of a page)."""
    words = set(re.findall(r"\b[A-Z][A-Z0-9_]{2,}\b", text))
    found = sorted(words & codes)
    for pattern in LEAK_PATTERNS:
        found += sorted(set(pattern.findall(text)))
    return found


def test_the_code_check_finds_the_codes_the_issue_saw() -> None:
    codes = _internal_codes()
    text = "Doelgroep (DENHAAG) · NONE · DH_A · DURABLE_12M v1 · F-PS1-001 · referral 634 · None"
    assert leaked_codes(text, codes) == [
        "DENHAAG", "DH_A", "NONE", "F-PS1-001", "DURABLE_12M", "referral 634", "None",
    ]  # fmt: skip
    assert leaked_codes("Trede 3 · Uitstroom naar werk · Loonkostensubsidie (LKS)", codes) == []


# Pages where a code list is the subject: the beheerder reads and edits the codes themselves.
CODE_PAGES = ("/beheer/codelijsten",)


def test_dashboard_panel_texts_name_the_success_definition_in_words(
    a11y_context: BrowserContext, demo_site: DemoSite
) -> None:
    page = a11y_context.new_page()
    Visitor(page, demo_site).login("ANALIST")
    page.goto(demo_site.url("/dashboard"))
    assert leaked_codes(page.evaluate(READ_VISIBLE_TEXT), _internal_codes()) == []


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_no_page_shows_an_internal_code_where_a_label_exists(
    role: str, a11y_context: BrowserContext, demo_site: DemoSite
) -> None:
    codes = _internal_codes()
    page = a11y_context.new_page()
    Visitor(page, demo_site).login(role)
    paths = [p for p in ROLE_PAGES[role] if not p.startswith(CODE_PAGES)]
    for path, selector in FOLLOW.get(role, ()):
        page.goto(demo_site.url(path))
        href = page.locator(selector).first.get_attribute("href")
        assert href
        paths.append(href)
    leaks: dict[str, list[str]] = {}
    for path in paths:
        page.goto(demo_site.url(path), timeout=FIRST_LOAD_TIMEOUT_MS)
        found = leaked_codes(page.evaluate(READ_VISIBLE_TEXT), codes)
        if found:
            leaks[path] = found
    assert leaks == {}


def test_the_provision_picker_searches_picks_and_passes_axe_at_every_width(
    a11y_context: BrowserContext, demo_site: DemoSite
) -> None:
    page = a11y_context.new_page()
    Visitor(page, demo_site).login("KLANTMANAGER")
    page.goto(demo_site.url("/caseload"), timeout=FIRST_LOAD_TIMEOUT_MS)
    files = [
        href
        for href in page.locator("a.candidate-link").evaluate_all("els => els.map(e => e.href)")
    ][:15]
    picker = None
    for href in files:  # the first file with an open route
        page.goto(href)
        link = page.locator("a[href*='/voorziening-kiezen/']")
        if link.count():
            picker = link.first.get_attribute("href")
            break
    assert picker, "no candidate of the caseload has an open route"
    problems = _visit(page, demo_site, picker)
    everything = page.locator("a:has-text('Kies')").count()
    page.fill("#picker-q", "training")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state("networkidle")
    found = page.locator("a:has-text('Kies')").count()
    assert 0 < found < everything
    page.locator("a:has-text('Kies')").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("button", name="Voorziening toevoegen aan de route").is_visible()
    problems += _check_widths(page, f"{picker} (gekozen)")
    assert problems == []
