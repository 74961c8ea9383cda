"""Issue 16 in the browser: a klantmanager plans an appointment (the invitation with its .ics
arrives at an SMTP server on loopback), sees it on today's worklist, records a no-show and
works a signal off, uploads a cv (the accountmanager opens it, not a medical statement) and
prints the plan van aanpak; the teamleider sees the team worklist; bad input (a past date, an
executable renamed .pdf, a 60 MB file, an unknown placeholder) gets a Dutch message and writes
nothing; the new pages pass axe-core at three widths.

The server runs with its own SMTP sink (aiosmtpd), so it is started here rather than shared.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from browser_support import DemoSite, Visitor, build_demo_municipality, is_local
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from smtp_sink import Sink, calendar_of, free_port, smtp_sink
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Appointment, Candidate, User

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]});
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} -> ` + v.nodes.slice(0, 3).map((n) => n.target.join(" ")));
}"""
WIDTHS = (390, 768, 1366)
EMAIL = "bewoner@example.org"


@pytest.fixture(scope="module")
def day_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DemoSite, Sink]]:
    workdir = tmp_path_factory.mktemp("working-day")
    url = f"sqlite:///{workdir / 'werkpad.db'}"
    logins, totp = build_demo_municipality(url)
    port = free_port()
    with smtp_sink() as (sink, smtp):
        env = {
            **os.environ,
            "WERKPAD_SMTP_HOST": str(smtp.host),
            "WERKPAD_SMTP_PORT": str(smtp.port),
            "WERKPAD_SMTP_SENDER": smtp.sender,
        }
        log = workdir / "server.log"
        command = [sys.executable, "-m", "werkpad.cli", "serve", "--db", url, "--port"]
        command += [str(port), "--workers", "1"]
        with log.open("wb") as out:
            server = subprocess.Popen(
                command,
                cwd=workdir,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                assert server.poll() is None, log.read_text()[-2000:]
                try:
                    if httpx.get(base + "/login", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            yield DemoSite(base_url=base, logins=logins, database_url=url, totp_secrets=totp), sink
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh context that refuses requests off this machine; ``bypass_csp`` lets Playwright
    inject the vendored axe-core into pages whose CSP forbids inline scripts."""
    context = chromium.new_context(
        locale="nl-NL", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if is_local(route.request.url) else route.abort("blockedbyclient")
        ),
    )
    yield context.new_page()
    context.close()


def _own_candidate(site: DemoSite) -> tuple[int, str]:
    """A candidate of the demo klantmanager, given an e-mail address."""
    username, _ = site.credentials("KLANTMANAGER")
    engine = make_engine(site.database_url)
    with transaction(session_factory(engine)) as s:
        km = s.scalars(select(User).where(User.username == username)).one()
        candidate = s.scalars(
            select(Candidate).where(Candidate.klantmanager_id == km.id).order_by(Candidate.id)
        ).first()
        assert candidate is not None
        candidate.email = EMAIL
        result = (candidate.id, candidate.full_name)
    engine.dispose()
    return result


def _appointments(site: DemoSite) -> int:
    engine = make_engine(site.database_url)
    with session_factory(engine)() as s:
        n = int(s.scalar(select(func.count()).select_from(Appointment)) or 0)
    engine.dispose()
    return n


def _axe_clean(page: Page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.add_script_tag(path=str(AXE_JS))
        assert page.evaluate(RUN_AXE) == [], f"{page.url} at {width}px"
        scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert scroll <= inner + 1, f"{page.url} scrolls sideways at {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_klantmanagers_working_day(page: Page, day_site: tuple[DemoSite, Sink]) -> None:
    from werkpad.synth import REFERENCE_DATE

    site, sink = day_site
    visitor = Visitor(page, site)
    candidate_id, name = _own_candidate(site)
    visitor.login("KLANTMANAGER")
    visitor.open(f"/kandidaten/{candidate_id}")
    page.locator("#afspraak summary").click()
    page.select_option("#afspraak-kind", "PROGRESS")
    page.fill("#afspraak-day", (REFERENCE_DATE - timedelta(days=1)).isoformat())
    page.fill("#afspraak-start_time", "10:30")
    page.fill("#afspraak-location", "Stadhuis, kamer 2.14")
    page.get_by_role("button", name="Afspraak plannen").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#afspraak-day-error")).to_contain_text("in het verleden")
    assert _appointments(site) == 0

    page.fill("#afspraak-day", REFERENCE_DATE.isoformat())
    page.get_by_role("button", name="Afspraak plannen").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text(f"Voortgangsgesprek met {name}")
    expect(page.locator("#berichten")).to_contain_text("Verstuurd")
    mail = sink.messages[-1]
    assert mail["To"] == EMAIL
    assert "LOCATION:Stadhuis\\, kamer 2.14" in calendar_of(mail)
    appointment_url = page.url
    _axe_clean(page)

    visitor.open("/werklijst")
    expect(page.locator("#vandaag")).to_contain_text(name)
    _axe_clean(page)
    visitor.open("/agenda?weergave=week")
    expect(page.locator(".agenda-day")).to_contain_text("10:30")
    _axe_clean(page)

    page.goto(appointment_url)
    page.check("input[name=outcome][value=NO_SHOW]")
    page.get_by_role("button", name="Uitkomst opslaan").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".appointment-state")).to_have_text("Niet verschenen (zonder bericht)")

    visitor.open("/werklijst")
    first = page.locator(".signal-row").first
    code = first.get_attribute("data-code")
    item = page.locator(".worklist-item").first
    person = item.locator("h3 a").inner_text()
    first.locator("summary").click()
    first.locator("input[name=reason]").fill("Besproken met de kandidaat")
    first.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state("networkidle")
    still = page.locator(".worklist-item", has=page.locator("h3 a", has_text=person))
    expect(still.locator(f".signal-row[data-code='{code}']")).to_have_count(0)
    page.reload()
    expect(still.locator(f".signal-row[data-code='{code}']")).to_have_count(0)


def test_the_teamleider_sees_the_team_worklist(page: Page, day_site: tuple[DemoSite, Sink]) -> None:
    site, _ = day_site
    visitor = Visitor(page, site)
    visitor.login("TEAMLEIDER")
    visitor.open("/werklijst")
    expect(page.locator("#per-klantmanager tbody tr").first).to_be_visible()
    _axe_clean(page)


def test_a_template_with_an_unknown_placeholder_gets_a_dutch_message(
    page: Page, day_site: tuple[DemoSite, Sink]
) -> None:
    site, _ = day_site
    visitor = Visitor(page, site)
    visitor.login("BEHEERDER")
    visitor.open("/beheer/berichten")
    _axe_clean(page)
    page.fill("#invitation_body", "Beste {naam}, tot {dattum}.")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#invitation_body-error")).to_contain_text("onbekend invulveld {dattum}")
    visitor.open("/beheer/berichten")
    expect(page.locator("#invitation_body")).not_to_have_value("Beste {naam}, tot {dattum}.")


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _refer(site: DemoSite, candidate_id: int) -> None:
    from werkpad.store.models import Referral
    from werkpad.synth import REFERENCE_DATE

    engine = make_engine(site.database_url)
    with transaction(session_factory(engine)) as s:
        s.add(Referral(candidate_id=candidate_id, referred_on=REFERENCE_DATE, state="OPEN"))
    engine.dispose()


def _upload(page: Page, kind: str, name: str, content: bytes | Path, mime: str) -> None:
    if page.locator("details#document[open]").count() == 0:  # open again after a refusal
        page.locator("#document summary").click()
    page.select_option("#document-document_type", kind)
    if isinstance(content, Path):  # Playwright sends a large file only from disk
        page.set_input_files("#document-file", content)
    else:
        page.set_input_files("#document-file", {"name": name, "mimeType": mime, "buffer": content})
    page.get_by_role("button", name="Document opslaan").click()
    page.wait_for_load_state("networkidle")


def test_documents_and_the_plan_to_sign(
    page: Page, day_site: tuple[DemoSite, Sink], tmp_path: Path
) -> None:
    site, _ = day_site
    visitor = Visitor(page, site)
    candidate_id, _ = _own_candidate(site)
    visitor.login("KLANTMANAGER")
    visitor.open(f"/kandidaten/{candidate_id}")
    _upload(page, "CV", "programma.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    expect(page.locator("#document-file-error")).to_contain_text("kijkt naar de inhoud")
    big = tmp_path / "groot.pdf"
    big.write_bytes(PDF + b"0" * (60 * 1024 * 1024))
    _upload(page, "CV", "groot.pdf", big, "application/pdf")
    expect(page.locator("#document-file-error")).to_contain_text("te groot")
    assert page.locator("#bestanden a[href^='/documenten/']").count() == 0
    _upload(page, "CV", "cv.pdf", PDF, "application/pdf")
    _upload(page, "MEDICAL", "verklaring.pdf", PDF, "application/pdf")
    links = page.locator("#bestanden a[href^='/documenten/']")
    expect(links).to_have_count(2)
    by_name = {links.nth(i).inner_text(): links.nth(i).get_attribute("href") for i in range(2)}

    page.locator("section#plan summary", has_text="Nieuw plan").click()
    page.fill("#plan-goal", "Binnen een jaar werk in de zorg")
    page.fill("#plan-goals", "Cursus helpende zorg\nStage bij een verpleeghuis")
    page.locator("form[action$='/plan'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    plan_link = page.locator("a.plan-pdf").last.get_attribute("href")
    assert plan_link
    pdf = page.request.get(site.url(plan_link))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Binnen een jaar werk in de zorg" in text and "Stage bij een verpleeghuis" in text
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "p")], check=True)
    assert list(tmp_path.glob("p*.png")), "the plan's pages render"

    # A substantial change is a new version; the two side by side name what changed.
    page.locator("section#plan summary", has_text="Nieuw plan").click()
    page.fill("#plan-goal", "Binnen een jaar werk in de logistiek")
    page.fill("#plan-goals", "Cursus helpende zorg\nHeftruckcertificaat halen")
    page.locator("form[action$='/plan'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.locator("a.plan-compare").last.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("tr.compare-goal")).to_contain_text("Gewijzigd")
    expect(page.locator("tr.compare-goals")).to_contain_text("Heftruckcertificaat halen (nieuw)")
    _axe_clean(page)

    _refer(site, candidate_id)
    page.context.clear_cookies()
    visitor.login("ACCOUNTMANAGER")
    assert page.request.get(site.url(str(by_name["cv.pdf"]))).status == 200
    assert page.request.get(site.url(str(by_name["verklaring.pdf"]))).status == 403
