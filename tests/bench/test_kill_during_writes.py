"""Chaos: the server is killed (SIGKILL, supervisor and every worker) during a burst of writes.

Four colleagues register intakes, contacts and exits through the forms (login, CSRF) against
``werkpad serve --workers 2``. After the kill and a restart, every write that got its 303 is
there, and no write is half there: an intake is a candidate with its benefit spell or nothing,
an exit is an ended route with its reason, its transition and (for a job) the placement with its
three follow-ups, or an open route without any of them. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import itertools
import random
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from bench.people import new_candidate_form
from bench.serving import ProductionServer, build_municipality, postgres_database
from sqlalchemy import func, select

from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import (
    BenefitSpell,
    Candidate,
    Contact,
    Employer,
    FollowUp,
    Placement,
    Route,
    StateTransition,
    User,
)

pytestmark = pytest.mark.slow
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
COLLEAGUES = 4
ACKNOWLEDGED_BEFORE_KILL = 24
BURST_TIMEOUT_S = 90.0
TODAY = "2021-06-30"  # the demo clock


@pytest.fixture(params=BACKENDS)
def demo_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'werkpad.db'}"
        return
    with postgres_database() as url:
        yield url


class Colleague:
    """A klantmanager's browser session: login through the form, then forms with the token."""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=30.0, follow_redirects=False)
        page = self.get("/login")
        self.post("/login", {"username": username, "password": password}, CSRF.search(page))
        self.csrf = self._token(self.get("/kandidaten/nieuw"))

    @staticmethod
    def _token(html: str) -> str:
        match = CSRF.search(html)
        assert match, "page without a CSRF token"
        return match.group(1)

    def _send_cookies(self) -> None:
        # The session cookie is Secure; like a browser on loopback, send it over http.
        self.client.headers["Cookie"] = "; ".join(
            f"{c.name}={c.value}" for c in self.client.cookies.jar
        )

    def get(self, path: str) -> str:
        response = self.client.get(path)
        self._send_cookies()
        assert response.status_code == 200, f"GET {path}: HTTP {response.status_code}"
        return response.text

    def post(self, path: str, data: dict[str, Any], token: Any = None) -> int:
        csrf = token.group(1) if token is not None else self.csrf
        response = self.client.post(path, data={**data, "csrf_token": csrf})
        self._send_cookies()
        return response.status_code


def _kinds() -> dict[str, list[Any]]:
    return {"intake": [], "contact": [], "exit": []}


@dataclass
class Burst:
    """What was sent and what the server acknowledged with its 303, across the threads."""

    attempted: dict[str, list[Any]] = field(default_factory=_kinds)
    acknowledged: dict[str, list[Any]] = field(default_factory=_kinds)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        with self.lock:
            return sum(len(keys) for keys in self.acknowledged.values())

    def send(
        self, kind: str, key: Any, colleague: Colleague, path: str, form: dict[str, Any]
    ) -> None:
        with self.lock:
            self.attempted[kind].append(key)
        if colleague.post(path, form) == 303:
            with self.lock:
                self.acknowledged[kind].append(key)


@dataclass(frozen=True)
class Work:
    klantmanager: tuple[str, str]
    candidate_ids: list[int]
    open_routes: list[tuple[int, int]]  # (candidate id, route id)
    employer_id: int


def _work(url: str, username: str, password: str) -> Work:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        candidate_ids = list(
            s.scalars(select(Candidate.id).where(Candidate.klantmanager_id == user.id).limit(50))
        )
        routes = s.execute(
            select(Route.candidate_id, Route.id)
            .join(Candidate, Candidate.id == Route.candidate_id)
            .where(
                Candidate.klantmanager_id == user.id,
                Route.end_date.is_(None),
                Route.team_id.is_not(None),
            )
        ).all()
        employer_id = s.scalars(select(Employer.id).limit(1)).one()
    engine.dispose()
    assert candidate_ids and routes, "the demo klantmanager has no candidates with open routes"
    return Work((username, password), candidate_ids, [(c, r) for c, r in routes], employer_id)


def _exit_form(route_index: int, employer_id: int) -> dict[str, Any]:
    if route_index % 2:
        return {"end_date": TODAY, "end_reason": "STOPPED"}
    return {
        "end_date": TODAY,
        "end_reason": "JOB",
        "employer_id": str(employer_id),
        "job_type": "6",
        "contract_type": "PERMANENT",
        "hours_per_week": "32",
        "claimant": "TEAM",
    }


def _write_until_the_server_dies(
    colleague: Colleague,
    work: Work,
    routes: Iterator[tuple[int, tuple[int, int]]],
    burst: Burst,
    seed: int,
) -> None:
    """Intake, contact, exit, intake, ... until the connection breaks."""
    rng = random.Random(seed)
    try:
        for step in itertools.count():
            if step % 3 == 0:
                form = new_candidate_form(rng)
                burst.send("intake", form["bsn"], colleague, "/kandidaten/nieuw", form)
            elif step % 3 == 1:
                summary = f"Chaos-contact {seed}-{step}"
                path = f"/kandidaten/{rng.choice(work.candidate_ids)}/contact"
                form = {"contact_date": TODAY, "contact_type": "PHONE", "summary": summary}
                burst.send("contact", summary, colleague, path, form)
            elif (item := next(routes, None)) is not None:
                index, (candidate_id, route_id) = item
                path = f"/kandidaten/{candidate_id}/einde/{route_id}"
                form = _exit_form(index, work.employer_id)
                burst.send("exit", (route_id, index), colleague, path, form)
    except httpx.TransportError:
        return  # the server is gone: this colleague stops


def _check_nothing_lost_and_nothing_half_written(url: str, burst: Burst) -> None:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        for bsn in set(burst.attempted["intake"]):
            candidate_id = s.scalar(select(Candidate.id).where(Candidate.bsn == bsn))
            spells = s.scalar(
                select(func.count(BenefitSpell.id)).where(BenefitSpell.candidate_id == candidate_id)
            )
            if bsn in burst.acknowledged["intake"]:
                assert candidate_id is not None, f"acknowledged intake {bsn} was lost"
            if candidate_id is not None:
                assert spells == 1, f"intake {bsn} is written without its benefit spell"
        for summary in set(burst.attempted["contact"]):
            count = s.scalar(select(func.count(Contact.id)).where(Contact.summary == summary))
            expected = {1} if summary in burst.acknowledged["contact"] else {0, 1}
            assert count in expected, f"contact {summary!r}: {count} rows"
        for route_id, index in set(burst.attempted["exit"]):
            route = s.get(Route, route_id)
            assert route is not None
            placement = s.scalars(select(Placement).where(Placement.route_id == route_id)).all()
            ended = s.scalar(
                select(func.count(StateTransition.id)).where(
                    StateTransition.object_type == "route",
                    StateTransition.object_id == route_id,
                    StateTransition.to_state == "ENDED",
                )
            )
            if (route_id, index) in burst.acknowledged["exit"]:
                assert route.end_date is not None, f"acknowledged exit of route {route_id} lost"
            if route.end_date is None:
                assert route.end_reason is None and not placement and ended == 0
                continue
            assert route.end_reason is not None and ended == 1
            if route.end_reason == "JOB":
                assert len(placement) == 1, f"route {route_id} ended in a job without placement"
                follow_ups = s.scalar(
                    select(func.count(FollowUp.id)).where(FollowUp.placement_id == placement[0].id)
                )
                assert follow_ups == 3, f"placement of route {route_id} has {follow_ups} follow-ups"
            else:
                assert not placement
    engine.dispose()


def test_killing_the_server_during_writes_loses_nothing_acknowledged_and_half_writes_nothing(
    demo_url: str, tmp_path: Path
) -> None:
    logins = build_municipality(demo_url)
    username, password, _ = next(row for row in logins if row[2] == "KLANTMANAGER")
    work = _work(demo_url, username, password)
    routes = iter(enumerate(work.open_routes))
    routes_lock = threading.Lock()

    def next_route() -> Iterator[tuple[int, tuple[int, int]]]:
        while True:
            with routes_lock:
                item = next(routes, None)
            if item is None:
                return
            yield item

    server = ProductionServer(demo_url, tmp_path, workers=2).start()
    burst = Burst()
    try:
        colleagues = [Colleague(server.base_url, username, password) for _ in range(COLLEAGUES)]
        threads = [
            threading.Thread(
                target=_write_until_the_server_dies,
                args=(colleague, work, next_route(), burst, seed),
                daemon=True,
            )
            for seed, colleague in enumerate(colleagues)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + BURST_TIMEOUT_S
        while burst.count() < ACKNOWLEDGED_BEFORE_KILL and time.monotonic() < deadline:
            assert all(t.is_alive() for t in threads), server.log_tail()
            time.sleep(0.05)
        server.kill()  # while the colleagues are still writing
        for thread in threads:
            thread.join(timeout=40)
        assert not any(t.is_alive() for t in threads)
    finally:
        server.kill()
    acknowledged = burst.count()
    assert acknowledged >= ACKNOWLEDGED_BEFORE_KILL, f"only {acknowledged} writes before the kill"
    assert burst.acknowledged["exit"], "no exit was acknowledged before the kill"

    restarted = ProductionServer(demo_url, tmp_path, workers=2).start()
    try:
        _check_nothing_lost_and_nothing_half_written(demo_url, burst)
        # The restarted server serves what was written before the kill.
        colleague = Colleague(restarted.base_url, username, password)
        engine = make_engine(demo_url)
        with session_factory(engine)() as s:
            newest = s.scalar(
                select(Candidate.id).where(Candidate.bsn == burst.acknowledged["intake"][-1])
            )
        engine.dispose()
        assert "Testpersoon" in colleague.get(f"/kandidaten/{newest}")
    finally:
        restarted.stop()
