"""What the browser tests share: the demo site, a visitor at the keyboard, locality of URLs."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
from playwright.sync_api import Page

CHROMIUM = os.environ.get("WERKPAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def is_local(url: str) -> bool:
    """True for URLs served by this machine (or inline data), false for anything on a network."""
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS


@dataclass(frozen=True)
class DemoSite:
    """A running server and the demo accounts that the synthetic municipality created."""

    base_url: str
    logins: tuple[tuple[str, str, str], ...]
    # The server's database, for tests that check what a step wrote (or did not write).
    database_url: str = ""
    # username -> TOTP secret of the demo accounts whose role signs in with a second factor.
    totp_secrets: dict[str, str] = field(default_factory=dict)
    # username -> the last 30-second step whose code was used (a code works once).
    used_steps: dict[str, int] = field(default_factory=dict)

    def code_for(self, username: str) -> str:
        """A TOTP code for ``username`` the server has not accepted yet."""
        step = max(int(time.time()) // 30, self.used_steps.get(username, -1) + 1)
        self.used_steps[username] = step
        return pyotp.TOTP(self.totp_secrets[username]).at(step * 30)

    def credentials(self, role: str) -> tuple[str, str]:
        """Username and password of an account with ``role`` (the one named after it if any)."""
        matching = [(u, p) for u, p, r in self.logins if r.upper() == role.upper()]
        if not matching:
            raise LookupError(f"the demo municipality has no {role} account")
        named = [(u, p) for u, p in matching if u.lower() == role.lower()]
        return (named or matching)[0]

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path


class Visitor:
    """One person at the keyboard: a browser page on the demo site."""

    def __init__(self, page: Page, site: DemoSite) -> None:
        self.page = page
        self.site = site

    def login(self, role: str, password: str | None = None) -> None:
        """Log in through the form as a person would: username, password, "Inloggen"."""
        username, real_password = self.site.credentials(role)
        self.page.goto(self.site.url("/login"))
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", real_password if password is None else password)
        self.page.get_by_role("button", name="Inloggen").click()
        self.page.wait_for_load_state("networkidle")
        if self.page.url.endswith("/login/code") and username in self.site.totp_secrets:
            self.page.fill("input[name=code]", self.site.code_for(username))
            self.page.get_by_role("button", name="Controleren").click()
            self.page.wait_for_load_state("networkidle")

    def open(self, path: str) -> None:
        self.page.goto(self.site.url(path))
        self.page.wait_for_load_state("networkidle")

    def screenshot(self, name: str) -> Path:
        """Save the whole page to artifacts/screenshots/<name>.png for a human to look at."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def build_demo_municipality(url: str) -> tuple[tuple[tuple[str, str, str], ...], dict[str, str]]:
    """What ``werkpad demo`` builds at ``--scale small --seed 7``, demo clock and the demo
    beheerder's and analist's second factor included; returns the demo logins and their TOTP
    secrets, which only the in-process call hands back."""
    from rich.console import Console

    from werkpad.services.clock import freeze_today
    from werkpad.services.second_factor import enrol_demo_second_factors
    from werkpad.store.db import make_engine, session_factory, transaction, upgrade
    from werkpad.synth import REFERENCE_DATE, run_synth

    engine = make_engine(url)
    try:
        upgrade(engine)
        summary = run_synth(
            engine, scale="small", seed=7, replace=False, console=Console(quiet=True)
        )
        with transaction(session_factory(engine)) as session:
            freeze_today(session, REFERENCE_DATE)
            totp = enrol_demo_second_factors(session, [str(u) for u, _, _ in summary.logins])
    finally:
        engine.dispose()
    return tuple((str(u), str(p), str(r)) for u, p, r in summary.logins), totp
