"""The one place that loads, caches and invalidates the snapshot-derived figures: the
dashboard, its drill-down, the effects page and the council report all read through it.

A process keeps snapshots (per reference date) and what pages derive from them (boards, effect
estimates) for one *figures version*: the counter in the database that every write changing
the figures bumps in its own transaction (``werkpad.store.figures_version``). Each request
reads that counter once (one cheap query) and uses its cached copy only when the versions
match, so several worker processes stay correct without telling each other anything.

Loading a snapshot takes seconds at municipality scale, so a write never makes a request wait
for it (stale-while-revalidate, issue 14):

- cold (nothing loaded yet in this process): one thread loads, concurrent requests for the
  same key wait for it and share the result (a lock per key);
- stale (a write bumped the version): the request gets the previous figures at once (the page
  says "Cijfers van hh:mm") while one background thread loads the new ones. A request waits
  for that thread only when the last load took less than ``max_wait`` seconds (small
  municipalities and tests see their write at once);
- a burst of writes does not make a rebuild storm: at most one rebuild per key is in flight,
  and the next starts no sooner than ``REBUILD_PAUSE_FACTOR`` times the last load's duration
  after the previous one started (at most ``MAX_PAUSE_S``), so rebuilding takes at most a
  sixth of one core per worker and new figures show within about a minute of a write.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from werkpad.analytics.municipalities import for_municipality
from werkpad.analytics.snapshot import Snapshot
from werkpad.services.snapshot import load_snapshot
from werkpad.store.figures_version import read_figures_version

T = TypeVar("T")
MAX_ITEMS = 64  # boards per filter choice and effect estimates; snapshots count too
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
MAX_WAIT_S = 1.0  # the longest a request waits for new figures after a write
MAX_WAIT_ENV = "WERKPAD_FIGURES_MAX_WAIT_S"  # the test suite waits longer: no stale pages
REBUILD_PAUSE_FACTOR = 5.0
MAX_PAUSE_S = 60.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Entry:
    version: int
    loaded_at: datetime  # aware, UTC
    value: object


@dataclass
class _Rebuild:
    """The background rebuild of one key: at most one in flight."""

    running: bool = False
    loading_since: float | None = None  # monotonic; None while pausing or idle
    last_started: float = float("-inf")
    last_seconds: float = 0.0  # how long the last load of this key took
    starts_at: float = 0.0  # monotonic: when the pending rebuild's load begins
    done: threading.Event = field(default_factory=threading.Event)


def _max_wait_from_environment() -> float:
    try:
        return float(os.environ.get(MAX_WAIT_ENV, "") or MAX_WAIT_S)
    except ValueError:
        return MAX_WAIT_S


class Figures:
    """Per-process cache of figures, valid for one figures version (see the module text)."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_items: int = MAX_ITEMS,
        max_wait: float | None = None,
        min_pause: float = 0.0,
    ) -> None:
        self.engine = engine
        self.max_items = max_items
        self.max_wait = max_wait if max_wait is not None else _max_wait_from_environment()
        self.min_pause = min_pause  # seconds between rebuild starts, whatever the load took
        self._guard = threading.Lock()  # guards the dicts, never held while loading
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._rebuilds: dict[Hashable, _Rebuild] = {}
        self._closing = threading.Event()

    def current(self) -> FiguresView:
        """The figures as of the database's current version (one query)."""
        return FiguresView(self, read_figures_version(self.engine))

    def _lock_for(self, key: Hashable) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _fresh(self, key: Hashable, version: int) -> _Entry | None:
        with self._guard:
            entry = self._entries.get(key)
            if entry is None or entry.version < version:
                return None
            self._entries.move_to_end(key)
            return entry

    def _latest(self, key: Hashable) -> _Entry | None:
        with self._guard:
            return self._entries.get(key)

    def _store(self, key: Hashable, entry: _Entry) -> None:
        with self._guard:
            current = self._entries.get(key)
            if current is not None and current.version > entry.version:
                return  # a newer load finished first
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_items:
                old, _ = self._entries.popitem(last=False)
                self._locks.pop(old, None)
                self._rebuilds.pop(old, None)

    def _load(
        self,
        key: Hashable,
        version: int,
        compute: Callable[[], object],
        as_of: datetime | None = None,
    ) -> _Entry:
        started = time.monotonic()
        entry = _Entry(version, as_of or datetime.now(UTC), compute())
        with self._guard:
            self._rebuilds.setdefault(key, _Rebuild()).last_seconds = time.monotonic() - started
        self._store(key, entry)
        return entry

    def entry(
        self,
        key: Hashable,
        version: int,
        compute: Callable[[], object],
        as_of: datetime | None = None,
    ) -> _Entry:
        """The value for ``key`` at ``version``: cached, or computed once while concurrent
        callers for the same key wait and then share the result. ``as_of``: when the data it
        is computed from was read (default now)."""
        hit = self._fresh(key, version)
        if hit is not None:
            return hit
        with self._lock_for(key):
            hit = self._fresh(key, version)  # loaded by the thread we waited for
            if hit is not None:
                return hit
            return self._load(key, version, compute, as_of)

    def entry_or_previous(
        self,
        key: Hashable,
        version: int,
        compute: Callable[[], object],
        as_of: datetime | None = None,
        *,
        version_of: Callable[[], int] | None = None,
    ) -> _Entry:
        """Like :meth:`entry`, but when an older version is cached, that one comes back at
        once (or within ``max_wait``) while one background thread computes the new one, for
        the version ``version_of()`` gives when it starts (default: the database's)."""
        hit = self._fresh(key, version)
        if hit is not None:
            return hit
        previous = self._latest(key)
        if previous is None:
            return self.entry(key, version, compute, as_of)
        done, wait = self._start_rebuild(
            key, compute, version_of or (lambda: read_figures_version(self.engine)), as_of
        )
        if wait > 0:
            done.wait(wait)
        return self._latest(key) or previous

    def _start_rebuild(
        self,
        key: Hashable,
        compute: Callable[[], object],
        version_of: Callable[[], int],
        as_of: datetime | None,
    ) -> tuple[threading.Event, float]:
        """The event of the rebuild of ``key`` (started now unless one is in flight) and how
        long the caller may wait for it: up to ``max_wait`` when the rebuild is expected to
        be done by then (its pause left plus the last load's duration), else not at all."""
        now = time.monotonic()
        with self._guard:
            rebuild = self._rebuilds.setdefault(key, _Rebuild())
            if not rebuild.running:
                rebuild.running = True
                rebuild.done = threading.Event()
                pause = min(
                    MAX_PAUSE_S, max(self.min_pause, REBUILD_PAUSE_FACTOR * rebuild.last_seconds)
                )
                delay = max(0.0, rebuild.last_started + pause - now)
                rebuild.starts_at = now + delay
                threading.Thread(
                    target=self._rebuild,
                    args=(key, compute, version_of, as_of, rebuild, delay),
                    name=f"figures-rebuild-{key!r}"[:60],
                    daemon=True,
                ).start()
            if rebuild.loading_since is not None:
                expected_left = rebuild.last_seconds - (now - rebuild.loading_since)
            else:
                expected_left = max(0.0, rebuild.starts_at - now) + rebuild.last_seconds
            return rebuild.done, self.max_wait if expected_left <= self.max_wait else 0.0

    def _rebuild(
        self,
        key: Hashable,
        compute: Callable[[], object],
        version_of: Callable[[], int],
        as_of: datetime | None,
        rebuild: _Rebuild,
        delay: float,
    ) -> None:
        try:
            if delay > 0 and self._closing.wait(delay):
                return
            with self._lock_for(key):
                with self._guard:
                    rebuild.last_started = rebuild.loading_since = time.monotonic()
                # The version before the load: a write during the load makes it stale again.
                self._load(key, version_of(), compute, as_of)
        except Exception:  # the previous figures stay; the next request tries again
            log.exception("rebuilding figures %r failed", key)
        finally:
            with self._guard:
                rebuild.running = False
                rebuild.loading_since = None
            rebuild.done.set()

    def warm(self, reference_date: Callable[[], date]) -> threading.Thread:
        """Load the snapshot on ``reference_date()`` in the background (a worker starting
        up): the first dashboards wait for this one load instead of each starting one."""

        def load() -> None:
            try:
                self.current().snapshot(reference_date())
            except Exception:  # the first request loads it instead
                log.exception("warming the figures failed")

        thread = threading.Thread(target=load, name="figures-warm", daemon=True)
        thread.start()
        return thread

    def clear(self) -> None:
        """Forget this process's copies (the version makes this unnecessary after writes; it
        is for tests and for freeing memory)."""
        with self._guard:
            self._entries.clear()
            self._locks.clear()

    def close(self) -> None:
        """Cancel rebuilds that are waiting for their turn (the engine is going away)."""
        self._closing.set()


class FiguresView:
    """The figures of one request: everything it derives belongs to the version of the
    snapshot it was served (the current one, or the previous one while that is rebuilt)."""

    def __init__(self, figures: Figures, version: int) -> None:
        self.figures = figures
        self.version = version
        self.loaded_at: datetime | None = None
        self.served_version: int | None = None

    def snapshot(self, reference_date: date) -> Snapshot:
        """The snapshot on ``reference_date`` (see ``services.snapshot.load_snapshot``); after
        a write possibly the previous one for a little while (see the module text)."""
        engine = self.figures.engine
        entry = self.figures.entry_or_previous(
            ("snapshot", reference_date),
            self.version,
            lambda: load_snapshot(engine, reference_date),
        )
        self.loaded_at = entry.loaded_at
        self.served_version = entry.version
        assert isinstance(entry.value, Snapshot)
        return entry.value

    def municipal_snapshot(self, reference_date: date, municipality_id: int | None) -> Snapshot:
        """The snapshot of one municipality of the service, or (``None``) of the service as a
        whole with its internal moves netted out (``analytics.municipalities``); the same as
        :meth:`snapshot` for a single municipality."""
        snap = self.snapshot(reference_date)
        return self.derived(
            ("municipality", reference_date, municipality_id),
            lambda: for_municipality(snap, municipality_id),
        )

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A value computed from this request's snapshots (a dashboard board, an effect
        estimate), cached under ``key`` for the version of those snapshots. After a write the
        previous value may come back while one thread computes the new one, like the
        snapshots; ``as_of`` then says when the data of the value shown was read."""
        version = self.version if self.served_version is None else self.served_version
        entry = self.figures.entry_or_previous(
            ("derived", key), version, compute, self.loaded_at, version_of=lambda: version
        )
        if entry.version < version:
            self.loaded_at = entry.loaded_at  # the figures shown are the previous ones
        return entry.value  # type: ignore[return-value]

    @property
    def as_of(self) -> str:
        """When the figures shown were read from the database, as "hh:mm" (Dutch time)."""
        if self.loaded_at is None:
            return ""
        return f"{self.loaded_at.astimezone(LOCAL_TIME):%H:%M}"
