"""The provision picker of the candidate file: the catalogue searched by name, grouped by GOS
phase, with per type its uptake and median waiting time over the last 12 months and the places
in use (provisions of the type running now) against its capacity where known.

The figures come from one query over the provisions of the last year (plus the cached choice
lists), computed once per figures version by the caller (``FiguresView.derived``), never per
row. Issue 17 adds the evidence per type in ``PickerRow.evidence``.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.services.choices import ProvisionChoice, choice_lists
from werkpad.store.models import Provision

WINDOW_DAYS = 365
SORT_KEY = "gebruik in de afgelopen 12 maanden (aantal gestarte voorzieningen), daarna naam"
WAIT_DEFINITION = (
    "mediaan aantal dagen van de geplande start tot de werkelijke start, "
    "over de voorzieningen die in de afgelopen 12 maanden begonnen"
)


@dataclass(frozen=True)
class TypeFigures:
    uptake: int = 0
    median_wait_days: float | None = None
    running: int = 0


@dataclass(frozen=True)
class PickerRow:
    choice: ProvisionChoice
    provider_name: str | None
    figures: TypeFigures
    evidence: Any = None  # the slot for issue 17 (evidence for candidates like this one)


@dataclass(frozen=True)
class PickerGroup:
    phase: str
    label: str
    rows: list[PickerRow] = field(default_factory=list)


def picker_figures(session: Session, today: date) -> dict[int, TypeFigures]:
    """Uptake, median wait and running count per provision type: one query."""
    since = today - timedelta(days=WINDOW_DAYS)
    rows = session.execute(
        select(
            Provision.provision_type_id,
            Provision.state,
            Provision.planned_start,
            Provision.start_date,
        ).where(
            or_(
                Provision.state == "STARTED",
                Provision.state.in_(("COMPLETED", "STOPPED")) & (Provision.start_date >= since),
            )
        )
    )
    uptake: dict[int, int] = defaultdict(int)
    running: dict[int, int] = defaultdict(int)
    waits: dict[int, list[int]] = defaultdict(list)
    for type_id, state, planned, start in rows:
        if state == "STARTED":
            running[type_id] += 1
        if since <= start <= today:
            uptake[type_id] += 1
            if planned is not None and planned <= start:
                waits[type_id].append((start - planned).days)
    return {
        t: TypeFigures(
            uptake=uptake.get(t, 0),
            median_wait_days=statistics.median(waits[t]) if waits.get(t) else None,
            running=running.get(t, 0),
        )
        for t in set(uptake) | set(running)
    }


def picker_groups(
    session: Session, figures: dict[int, TypeFigures], query: str
) -> list[PickerGroup]:
    """The active catalogue matching ``query`` (words in the name, any order), per GOS phase in
    phase order, within a phase by uptake (most first), then by name."""
    lists = choice_lists(session)
    providers = {p.id: p.name for p in lists.providers}
    words = [w for w in query.casefold().split() if w]
    labels = {c.code: c.label_nl for c in code_list("provision_phase")}
    groups: dict[str, PickerGroup] = {}
    for choice in lists.catalogue:  # already in phase order
        name = choice.name.casefold()
        if not all(w in name for w in words):
            continue
        group = groups.setdefault(
            choice.phase, PickerGroup(choice.phase, labels.get(choice.phase, choice.phase))
        )
        group.rows.append(
            PickerRow(
                choice,
                providers.get(choice.default_provider_id)
                if choice.default_provider_id is not None
                else None,
                figures.get(choice.id, TypeFigures()),
            )
        )
    for group in groups.values():
        group.rows.sort(key=lambda r: (-r.figures.uptake, r.choice.name))
    return list(groups.values())
