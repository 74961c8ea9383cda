"""The benchmark's page mix for locust: colleagues clicking through werkpad at the same time.

Run by ``bench/load.py`` and the load tests in a process of its own (locust patches the
interpreter with gevent; never import this module elsewhere). The demo logins come from the CSV
file named by ``$WERKPAD_BENCH_LOGINS`` (username,password,role).

- Klantmanagers and teamleiders (9 in 10 users): log in through the form with its CSRF token,
  then open the caseload, search it by a name from it, open candidate files, the dashboard,
  register a contact (a write) and now and then a new candidate through the intake (a write).
- Accountmanagers (1 in 10): the vacancy list and a vacancy page.
Every user waits 0.2-1 s between clicks. Redirects are not followed, so each request is timed
on its own and a redirect to the login page counts as a failure.
"""

from __future__ import annotations

import csv
import html
import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

from bench.people import new_candidate_form

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CANDIDATE_LINK = re.compile(r'class="candidate-link" href="(/kandidaten/\d+)">([^<]+)</a>')
VACANCY_LINK = re.compile(r'href="(/vacatures/\d+)"')
# The demo clock stands at the synthetic reference date (2021-06-30): writes are dated before it.
CONTACT_DATE = "2021-06-15"


def _logins() -> dict[str, list[tuple[str, str]]]:
    by_role: dict[str, list[tuple[str, str]]] = {}
    with open(os.environ["WERKPAD_BENCH_LOGINS"], encoding="utf-8", newline="") as handle:
        for row in list(csv.reader(handle))[1:]:
            username, password, role = row
            by_role.setdefault(role.upper(), []).append((username, password))
    return by_role


LOGINS = _logins()


class WerkpadUser(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)
    roles: tuple[str, ...] = ()
    csrf = ""

    def loopback_cookies(self) -> None:
        """Send the Secure session cookie back over http to 127.0.0.1, as browsers do for
        loopback (requests' cookie jar would not; the load test refuses any other host)."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def on_start(self) -> None:
        role = random.choice([r for r in self.roles if r in LOGINS])
        username, password = random.choice(LOGINS[role])
        page = self.client.get("/login", name="/login")
        self.loopback_cookies()
        token = CSRF.search(page.text)
        data = {"username": username, "password": password}
        with self.client.post(
            "/login",
            data={**data, "csrf_token": token.group(1) if token else ""},
            name="login (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 303 or "/login" in response.headers.get("location", ""):
                response.failure(f"login as {role} failed: HTTP {response.status_code}")
                return
            response.success()
        self.loopback_cookies()
        self.start_page = response.headers["location"]

    def page(self, path: str, name: str, params: dict[str, str] | None = None) -> Any:
        """GET a page that must answer 200 (a redirect means the session was lost)."""
        with self.client.get(
            path, params=params, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            else:
                token = CSRF.search(response.text)
                if token:
                    self.csrf = token.group(1)
            self.loopback_cookies()
            return response

    def post(self, path: str, data: dict[str, str], name: str) -> Any:
        """POST a form that must answer 303 (stored, redirected to the result)."""
        with self.client.post(
            path,
            data={**data, "csrf_token": self.csrf},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 303:
                response.failure(f"HTTP {response.status_code}")
            self.loopback_cookies()
            return response


class CaseWorker(WerkpadUser):
    """A klantmanager or teamleider working through their caseload."""

    weight = 9
    roles = ("KLANTMANAGER", "TEAMLEIDER")

    def on_start(self) -> None:
        self.candidates: list[tuple[str, str]] = []
        super().on_start()
        self.caseload()

    @task(3)
    def caseload(self) -> None:
        response = self.page("/caseload", "caseload")
        found = CANDIDATE_LINK.findall(response.text or "")
        if found:
            self.candidates = found

    @task(2)
    def caseload_search(self) -> None:
        if not self.candidates:
            return
        _, name = random.choice(self.candidates)
        self.page("/caseload", "caseload search", params={"q": html.unescape(name).split()[-1]})

    @task(4)
    def candidate_file(self) -> None:
        if self.candidates:
            self.page(random.choice(self.candidates)[0], "candidate file")

    @task(2)
    def dashboard(self) -> None:
        self.page("/dashboard", "dashboard")

    @task(1)
    def add_contact(self) -> None:
        if not self.candidates or not self.csrf:
            return
        path = random.choice(self.candidates)[0]
        contact = {
            "contact_date": CONTACT_DATE,
            "contact_type": "PHONE",
            "summary": "Telefonisch gesproken over de voortgang (belastingtest).",
        }
        self.post(f"{path}/contact", contact, "contact (write)")

    @task(1)
    def intake(self) -> None:
        self.page("/kandidaten/nieuw", "intake form")
        if not self.csrf:
            return
        person = new_candidate_form(random.Random())
        self.post("/kandidaten/nieuw", person, "intake (write)")


class AccountManager(WerkpadUser):
    """An accountmanager looking at vacancies."""

    weight = 1
    roles = ("ACCOUNTMANAGER",)

    def on_start(self) -> None:
        self.vacancies: list[str] = []
        super().on_start()

    @task(1)
    def vacancy_list(self) -> None:
        response = self.page("/vacatures", "vacancies")
        self.vacancies = VACANCY_LINK.findall(response.text or "") or self.vacancies

    @task(3)
    def vacancy(self) -> None:
        if self.vacancies:
            self.page(random.choice(self.vacancies), "vacancy")
        else:
            self.vacancy_list()
