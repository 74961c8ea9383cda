"""Figures after a write: the previous ones at once while one thread loads the new ones
(stale-while-revalidate), no rebuild storm from a burst of writes, and a version bump that
does not make PostgreSQL writers queue behind each other's whole transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

import factories as f
from werkpad.analytics.snapshot import Snapshot
from werkpad.services import figures as figures_module
from werkpad.services.figures import Figures
from werkpad.store.db import transaction
from werkpad.store.figures_version import read_figures_version
from werkpad.store.models import Candidate, Team, User

REF = date(2020, 12, 31)


def _bump(factory: sessionmaker[Session]) -> None:
    """A write that changes the figures: a new route."""
    with transaction(factory) as session:
        team = f.make_team(session)
        f.make_route(session, f.make_candidate(session, team))


class GatedLoads:
    """``load_snapshot`` counted, and held at a gate the test opens (a slow load, no sleep)."""

    def __init__(self) -> None:
        self.count = 0
        self.gate = threading.Event()
        self.gate.set()
        self.real = figures_module.load_snapshot

    def __call__(self, bind: Engine, reference_date: date) -> Snapshot:
        self.count += 1
        assert self.gate.wait(30), "the test never opened the gate"
        return self.real(bind, reference_date)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> GatedLoads:
    gated = GatedLoads()
    monkeypatch.setattr(figures_module, "load_snapshot", gated)
    return gated


def test_a_request_after_a_write_gets_the_previous_figures_while_the_new_ones_load(
    engine: Engine, factory: sessionmaker[Session], loads: GatedLoads
) -> None:
    figures = Figures(engine, max_wait=0.05)
    previous_view = figures.current()
    previous = previous_view.snapshot(REF)
    _bump(factory)
    loads.gate.clear()  # the new load hangs until the gate opens
    view = figures.current()
    assert view.snapshot(REF) is previous  # served at once, not after the load
    assert view.served_version == previous_view.version < view.version
    assert view.as_of == previous_view.as_of != ""
    assert _eventually(lambda: loads.count == 2)  # the cold load and the one rebuild
    loads.gate.set()
    rebuilt = _wait_for_new_snapshot(figures, previous)
    assert len(rebuilt.routes) == len(previous.routes) + 1
    assert loads.count == 2


def _eventually(condition: Callable[[], bool]) -> bool:
    for _ in range(600):
        if condition():
            return True
        threading.Event().wait(0.05)
    return False


def _wait_for_new_snapshot(figures: Figures, previous: Snapshot) -> Snapshot:
    for _ in range(600):
        snap = figures.current().snapshot(REF)
        if snap is not previous:
            return snap
        threading.Event().wait(0.05)
    raise AssertionError("the rebuild never finished")


def test_ten_concurrent_requests_after_a_write_start_one_rebuild_and_wait_for_none(
    engine: Engine, factory: sessionmaker[Session], loads: GatedLoads
) -> None:
    figures = Figures(engine, max_wait=0.05)
    previous = figures.current().snapshot(REF)
    _bump(factory)
    loads.gate.clear()
    start = threading.Barrier(10)
    seen: list[Snapshot] = []

    def request() -> None:
        start.wait()
        seen.append(figures.current().snapshot(REF))

    threads = [threading.Thread(target=request) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert len(seen) == 10 and all(s is previous for s in seen)  # nobody waited for the load
    loads.gate.set()
    _wait_for_new_snapshot(figures, previous)
    assert loads.count == 2  # the cold load and exactly one rebuild


def test_a_burst_of_contact_writes_runs_one_rebuild_at_a_time(
    engine: Engine, factory: sessionmaker[Session], loads: GatedLoads
) -> None:
    with transaction(factory) as session:
        team = f.make_team(session)
        user = f.make_user(session, "KLANTMANAGER", team)
        candidate = f.make_candidate(session, team, user)
        user_id, candidate_id = user.id, candidate.id
    # Rebuilds start at least a minute apart, however quick the load.
    figures = Figures(engine, max_wait=0.05, min_pause=60)
    first = figures.current().snapshot(REF)
    versions = []
    for day in range(1, 21):
        with transaction(factory) as session:
            candidate = session.get(Candidate, candidate_id)
            user = session.get(User, user_id)
            assert candidate is not None and user is not None
            f.make_contact(session, candidate, user, contact_date=date(2020, 6, day))
        versions.append(read_figures_version(engine))
        figures.current().snapshot(REF)
    assert len(set(versions)) == 20  # every contact bumped the version
    rebuilt = _wait_for_new_snapshot(figures, first)
    for _ in range(5):
        figures.current().snapshot(REF)  # still stale: the next rebuild waits its turn
    assert loads.count == 2  # the cold load and one rebuild, not twenty
    assert len(rebuilt.contacts) >= len(first.contacts) + 1
    figures.close()


def test_a_cold_start_makes_concurrent_requests_share_one_load(
    engine: Engine, loads: GatedLoads
) -> None:
    figures = Figures(engine)
    loads.gate.clear()
    seen: list[Snapshot] = []
    threads = [
        threading.Thread(target=lambda: seen.append(figures.current().snapshot(REF)))
        for _ in range(10)
    ]
    for thread in threads:
        thread.start()
    loads.gate.set()
    for thread in threads:
        thread.join(20)
    assert loads.count == 1
    assert len(seen) == 10 and all(s is seen[0] for s in seen)


def test_the_version_bump_does_not_hold_writers_behind_an_open_transaction(
    database_url: str, engine: Engine, factory: sessionmaker[Session]
) -> None:
    """An open transaction that changed figures (flushed, not committed) must not lock the
    version row: another writer commits without waiting for it."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time anyway")
    with transaction(factory) as session:
        team_id = f.make_team(session).id
    before = read_figures_version(engine)
    slow = factory()
    try:
        slow_candidate = f.make_candidate(slow, slow.get(Team, team_id))
        f.make_route(slow, slow_candidate)
        slow.flush()  # the slow writer's rows are written, its transaction still open
        with transaction(factory) as quick:
            quick.execute(text("SET LOCAL lock_timeout = '3s'"))
            f.make_route(quick, f.make_candidate(quick, quick.get(Team, team_id)))
        assert read_figures_version(engine) == before + 1
        slow.commit()
    finally:
        slow.close()
    assert read_figures_version(engine) == before + 2


def test_a_board_after_a_write_is_the_previous_one_while_the_new_one_is_computed(
    engine: Engine, factory: sessionmaker[Session]
) -> None:
    figures = Figures(engine, max_wait=0.05)
    gate = threading.Event()
    computed: list[int] = []

    def board(routes: int) -> int:
        computed.append(routes)
        assert gate.wait(30)
        return routes

    gate.set()
    first = figures.current()
    snap = first.snapshot(REF)
    assert first.derived("board", lambda: board(len(snap.routes))) == len(snap.routes)
    _bump(factory)
    gate.clear()  # the next board takes "long"
    _wait_for_new_snapshot(figures, snap)
    second = figures.current()
    new_snap = second.snapshot(REF)  # the new snapshot is there
    assert len(new_snap.routes) == len(snap.routes) + 1
    shown = second.derived("board", lambda: board(len(new_snap.routes)))
    assert shown == len(snap.routes)  # the previous board, at once
    assert second.as_of == first.as_of
    gate.set()
    assert _eventually(
        lambda: figures.current().derived("board", lambda: -1) == len(new_snap.routes)
    )
    assert computed == [len(snap.routes), len(new_snap.routes)]


def test_warming_loads_the_snapshot_once_for_the_first_requests(
    engine: Engine, loads: GatedLoads
) -> None:
    figures = Figures(engine)
    loads.gate.clear()
    warming = figures.warm(lambda: REF)
    assert _eventually(lambda: loads.count == 1)
    seen: list[Snapshot] = []
    request = threading.Thread(target=lambda: seen.append(figures.current().snapshot(REF)))
    request.start()
    loads.gate.set()
    warming.join(20)
    request.join(20)
    assert loads.count == 1 and len(seen) == 1
