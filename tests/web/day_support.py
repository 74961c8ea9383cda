"""Helpers for the tests of the klantmanager's working day (issue 16): a frozen "today", and
planning an appointment through the candidate file's form."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from web_support import session_csrf

from werkpad.services.clock import freeze_today
from werkpad.store.db import make_engine, session_factory, transaction

TODAY = date(2020, 3, 2)  # a Monday


def freeze(url: str, day: date = TODAY) -> None:
    """Pin werkpad's "today" (before the client is created: the clock caches it)."""
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        freeze_today(s, day)
    engine.dispose()


def plan(client: TestClient, candidate_id: int, **values: Any) -> Any:
    data = {
        "kind": "PROGRESS",
        "day": TODAY.isoformat(),
        "start_time": "10:30",
        "duration_minutes": "45",
        "location": "Stadhuis, Spui 70",
        "csrf_token": session_csrf(client),
        **{k: str(v) for k, v in values.items()},
    }
    return client.post(f"/kandidaten/{candidate_id}/afspraken", data=data, follow_redirects=False)


def planned_id(response: Any) -> int:
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/afspraken/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def step(client: TestClient, appointment_id: int, name: str, **values: str) -> Any:
    data = {"csrf_token": session_csrf(client), **values}
    return client.post(f"/afspraken/{appointment_id}/{name}", data=data, follow_redirects=False)
