"""The one place that loads, caches and invalidates the snapshot-derived figures: the
dashboard, its drill-down, the effects page and the council report all read through it.

A process keeps snapshots (per reference date) and what pages derive from them (boards, effect
estimates) for one *figures version*: the counter in the database that every write changing
the figures bumps in its own transaction (``werkpad.store.figures_version``). Each request
reads that counter once (one cheap query) and uses its cached copy only when the versions
match, so several worker processes stay correct without telling each other anything.

Loading a snapshot takes seconds at municipality scale; concurrent requests for the same stale
key wait for the one thread loading it (a lock per key) instead of each loading it again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Entry:
    version: int
    loaded_at: datetime  # aware, UTC
    value: object


class Figures:
    """Per-process cache of figures, valid for one figures version (see the module text)."""

    def __init__(self, engine: Engine, *, max_items: int = MAX_ITEMS) -> None:
        self.engine = engine
        self.max_items = max_items
        self._guard = threading.Lock()  # guards the two dicts, never held while loading
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}

    def current(self) -> FiguresView:
        """The figures as of the database's current version (one query)."""
        return FiguresView(self, read_figures_version(self.engine))

    def _lock_for(self, key: Hashable) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _fresh(self, key: Hashable, version: int) -> _Entry | None:
        with self._guard:
            entry = self._entries.get(key)
            if entry is None or entry.version != version:
                return None
            self._entries.move_to_end(key)
            return entry

    def _store(self, key: Hashable, entry: _Entry) -> None:
        with self._guard:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_items:
                old, _ = self._entries.popitem(last=False)
                self._locks.pop(old, None)

    def entry(self, key: Hashable, version: int, compute: Callable[[], object]) -> _Entry:
        """The value for ``key`` at ``version``: cached, or computed once while concurrent
        callers for the same key wait and then share the result."""
        hit = self._fresh(key, version)
        if hit is not None:
            return hit
        with self._lock_for(key):
            hit = self._fresh(key, version)  # loaded by the thread we waited for
            if hit is not None:
                return hit
            entry = _Entry(version, datetime.now(UTC), compute())
            self._store(key, entry)
            return entry

    def clear(self) -> None:
        """Forget this process's copies (the version makes this unnecessary after writes; it
        is for tests and for freeing memory)."""
        with self._guard:
            self._entries.clear()
            self._locks.clear()


class FiguresView:
    """The figures of one request: everything it reads belongs to one version."""

    def __init__(self, figures: Figures, version: int) -> None:
        self.figures = figures
        self.version = version
        self.loaded_at: datetime | None = None

    def snapshot(self, reference_date: date) -> Snapshot:
        """The snapshot on ``reference_date`` (see ``services.snapshot.load_snapshot``)."""
        engine = self.figures.engine
        entry = self.figures.entry(
            ("snapshot", reference_date),
            self.version,
            lambda: load_snapshot(engine, reference_date),
        )
        self.loaded_at = entry.loaded_at
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
        """A value computed from this version's snapshots (a dashboard board, an effect
        estimate), cached under ``key`` like the snapshots themselves."""
        entry = self.figures.entry(("derived", key), self.version, compute)
        return entry.value  # type: ignore[return-value]

    @property
    def as_of(self) -> str:
        """When the figures shown were read from the database, as "hh:mm" (Dutch time)."""
        if self.loaded_at is None:
            return ""
        return f"{self.loaded_at.astimezone(LOCAL_TIME):%H:%M}"
