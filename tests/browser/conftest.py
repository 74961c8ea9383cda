"""A real werkpad server over a small synthetic municipality, and headless Chromium to drive it.

The server runs in its own process (``werkpad serve``) on a free loopback port, exactly as a
user would start it; the browser is Debian's Chromium, driven through Playwright's sync API.
Nothing is downloaded: Playwright's own browser builds are never used.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DemoSite,
    Visitor,
    build_demo_municipality,
    is_local,
)
from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright

SERVER_START_TIMEOUT_S = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"werkpad serve exited with {server.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            if httpx.get(base_url + "/login", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(
        f"werkpad serve gave no /login within {SERVER_START_TIMEOUT_S}s:\n{log.read_text()}"
    )


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """``werkpad serve`` over a small municipality (seed 7) in a temporary SQLite file."""
    workdir = tmp_path_factory.mktemp("demo-site")
    url = f"sqlite:///{workdir / 'werkpad.db'}"
    logins, totp = build_demo_municipality(url)
    port = _free_port()
    log = workdir / "server.log"
    with log.open("wb") as out:
        # cwd=workdir keeps the generated secret key and other runtime files out of the checkout.
        server = subprocess.Popen(
            # One worker: a write and the page after it always meet the same process's caches.
            [
                sys.executable,
                "-m",
                "werkpad.cli",
                "serve",
                "--db",
                url,
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base_url, server, log)
        yield DemoSite(base_url=base_url, logins=logins, database_url=url, totp_secrets=totp)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright_driver: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run ./scripts/bootstrap.sh --tests (apt chromium)")
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _only_local(route: Route) -> None:
    # A page that reaches for a CDN would hang or leak on an offline municipal network.
    if is_local(route.request.url):
        route.continue_()
    else:
        route.abort("blockedbyclient")


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test that refuses requests off this machine."""
    context = chromium.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.route("**/*", _only_local)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def visitor(page: Page, demo_site: DemoSite) -> Visitor:
    return Visitor(page, demo_site)
