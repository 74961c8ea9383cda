"""The dashboard after a write: ten colleagues opening it at once cause one snapshot load, and
the page says from when its figures are ("Cijfers van hh:mm")."""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from sqlalchemy import Engine
from web_support import ClientFactory, World, session_csrf

from werkpad.analytics.snapshot import Snapshot
from werkpad.services import figures as figures_module

AS_OF = re.compile(r"Cijfers van (\d\d:\d\d)\.")


def test_ten_concurrent_dashboards_after_a_write_load_the_snapshot_once(
    world_sqlite: World, client_for: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[date] = []
    real = figures_module.load_snapshot

    def counting_load(bind: Engine, reference_date: date) -> Snapshot:
        loads.append(reference_date)
        return real(bind, reference_date)

    monkeypatch.setattr(figures_module, "load_snapshot", counting_load)
    km = client_for(world_sqlite, "km")
    first = km.get("/dashboard")
    assert first.status_code == 200 and AS_OF.search(first.text)
    assert len(loads) == 1
    contact = {
        "csrf_token": session_csrf(km),
        "contact_date": "2024-01-10",
        "contact_type": "PHONE",
        "summary": "Gebeld",
    }
    cid = world_sqlite.full_candidate
    assert km.post(f"/kandidaten/{cid}/contact", data=contact).status_code in (200, 303)

    # Ten requests at once into one app (one worker process, one figures cache).
    start = threading.Barrier(10)
    pages: list[str] = []

    def open_dashboard() -> None:
        start.wait()
        response = km.get("/dashboard")
        assert response.status_code == 200
        pages.append(response.text)

    threads = [threading.Thread(target=open_dashboard) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(pages) == 10
    assert all(AS_OF.search(page) for page in pages)
    assert len(loads) == 2  # the first page's and one after the write, not ten
