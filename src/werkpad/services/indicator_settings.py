"""The municipality's settings of the figures (issue 18): within how many weeks a new client
should start the induction week, how short a gap between benefit spells is bridged when the
long-stay caseload measures time on benefit, and how many years before the cohort year a followed
training counts for the cohort outflow by training (issue 17, Haarlemmermeer Tabel 3.5). Kept in
the ``setting`` table (key ``indicators``); the beheerder changes them on the settings page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from werkpad.analytics.kpis import KpiSettings
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.store.models import Setting

INDICATORS_KEY = "indicators"
# field -> (Dutch label, lowest, highest)
LIMITS: dict[str, tuple[str, int, int]] = {
    "induction_weeks": ("Inwerkweek binnen (weken na de start van de uitkering)", 1, 52),
    "bridge_months": (
        "Langdurig in de uitkering: onderbrekingen korter dan (maanden) tellen niet als einde",
        0,
        24,
    ),
    "training_window_years": (
        "Uitstroom naar gevolgde opleiding: opleidingen tellen mee vanaf 1 januari van (jaren"
        " vóór het cohortjaar)",
        0,
        10,
    ),
}


def read_kpi_settings(session: Session) -> KpiSettings:
    """The stored settings; a missing or out-of-range value takes its default."""
    row = session.get(Setting, INDICATORS_KEY)
    stored = (row.value or {}) if row is not None else {}
    defaults = KpiSettings()
    values: dict[str, int] = {}
    for name, (_, low, high) in LIMITS.items():
        raw = stored.get(name)
        if isinstance(raw, int) and not isinstance(raw, bool) and low <= raw <= high:
            values[name] = raw
        else:
            values[name] = int(getattr(defaults, name))
    return KpiSettings(**values)


def kpi_settings(engine: Engine) -> KpiSettings:
    """:func:`read_kpi_settings` in a session of its own (for pages and the CLI)."""
    with Session(engine) as session:
        return read_kpi_settings(session)


def set_kpi_settings(session: Session, data: Mapping[str, Any]) -> KpiSettings | None:
    """Store the settings typed by the beheerder (whole numbers within ``LIMITS``); a form
    without the fields leaves them as they are (returns None). Writes nothing on bad input."""
    if not any(name in data for name in LIMITS):
        return None
    current = read_kpi_settings(session)
    values: dict[str, int] = {}
    errors: list[FieldError] = []
    for name, (label, low, high) in LIMITS.items():
        if name not in data:
            values[name] = getattr(current, name)
            continue
        text = str(data[name] or "").strip()
        if not text.isdigit() or not low <= int(text) <= high:
            errors.append(FieldError(name, f"{label}: een heel getal van {low} tot {high}."))
            continue
        values[name] = int(text)
    if errors:
        raise ValidationFailed(errors)
    row = session.get(Setting, INDICATORS_KEY)
    if row is None:
        session.add(Setting(key=INDICATORS_KEY, value=dict(values)))
    else:
        row.value = dict(values)
    session.flush()
    return KpiSettings(**values)
