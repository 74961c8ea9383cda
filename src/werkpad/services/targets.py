"""Targets per municipality: the beheerder sets a target of ``analytics/targets.csv`` (its
years, minimum and maximum) for one municipality of the service or for the service as a whole
(docs/municipalities.md). Callers commit (one transaction per use case).

Which targets a set of figures is measured against:

* one municipality: the targets set for that municipality, and nothing else (the report of
  "Lisse 2017" shows Lisse's targets only);
* the service, or a single-municipality installation: the packaged targets, each replaced by
  the value the beheerder set for the service. Without any set, exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from werkpad.analytics.targets import Target, load_targets
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.store.models import Municipality, MunicipalityTarget

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class TargetRow:
    municipality_id: int | None
    target_id: str
    label_nl: str
    first_year: int
    last_year: int
    minimum: Decimal | None
    maximum: Decimal | None


def target_definitions() -> list[Target]:
    """The targets a municipality can set (the packaged ones)."""
    return load_targets()


def set_targets(session: Session) -> list[TargetRow]:
    """Every target the beheerder set, by municipality (the service first) and target."""
    labels = {t.id: t.label_nl for t in target_definitions()}
    rows = session.scalars(select(MunicipalityTarget).order_by(MunicipalityTarget.id))
    found = [
        TargetRow(
            r.municipality_id,
            r.target_id,
            labels.get(r.target_id, r.target_id),
            r.first_year,
            r.last_year,
            r.minimum,
            r.maximum,
        )
        for r in rows
    ]
    return sorted(found, key=lambda r: (r.municipality_id or 0, r.target_id))


def _number(text: str) -> Decimal | None:
    """A number as typed: ``12,5`` or ``12.5``; with a comma, points group thousands."""
    clean = text.strip().replace(" ", "")
    if "," in clean:
        clean = clean.replace(".", "").replace(",", ".")
    try:
        value = Decimal(clean)
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < Decimal("1e12") else None


def _year(text: str) -> int | None:
    clean = text.strip()
    year = int(clean) if clean.isdigit() and len(clean) == 4 else None
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None


def save_target(
    session: Session,
    municipality_id: int | None,
    target_id: str,
    values: dict[str, str],
) -> MunicipalityTarget | None:
    """Set target ``target_id`` for a municipality (``None``: the service) from the form
    ``values`` (first_year, last_year, minimum, maximum; Dutch numbers). Both bounds empty
    removes the municipality's value of that target. Returns the row, or None when removed."""
    errors = []
    if municipality_id is not None and session.get(Municipality, municipality_id) is None:
        errors.append(FieldError("municipality_id", "Onbekende gemeente gekozen."))
    if target_id not in {t.id for t in target_definitions()}:
        errors.append(FieldError("target_id", "Kies een doel uit de lijst."))
    bounds: dict[str, Decimal | None] = {}
    for name in ("minimum", "maximum"):
        text = values.get(name, "").strip()
        bounds[name] = _number(text) if text else None
        if text and bounds[name] is None:
            errors.append(FieldError(name, "Vul een getal in (bijvoorbeeld 30 of 12,5)."))
    low, high = bounds["minimum"], bounds["maximum"]
    removing = not values.get("minimum", "").strip() and not values.get("maximum", "").strip()
    first = _year(values.get("first_year", ""))
    last = _year(values.get("last_year", ""))
    if not removing:
        if first is None:
            errors.append(
                FieldError("first_year", f"Vul een jaar in tussen {FIRST_YEAR} en {LAST_YEAR}.")
            )
        if last is None:
            errors.append(
                FieldError("last_year", f"Vul een jaar in tussen {FIRST_YEAR} en {LAST_YEAR}.")
            )
        if first is not None and last is not None and first > last:
            errors.append(FieldError("last_year", "Het laatste jaar ligt niet voor het eerste."))
        if low is not None and high is not None and low > high:
            errors.append(FieldError("maximum", "Het maximum is niet kleiner dan het minimum."))
    if errors:
        raise ValidationFailed(errors)
    scope = (
        MunicipalityTarget.municipality_id.is_(None)
        if municipality_id is None
        else MunicipalityTarget.municipality_id == municipality_id
    )
    session.execute(
        delete(MunicipalityTarget).where(scope, MunicipalityTarget.target_id == target_id)
    )
    if removing:
        session.flush()
        return None
    assert first is not None and last is not None
    row = MunicipalityTarget(
        municipality_id=municipality_id,
        target_id=target_id,
        first_year=first,
        last_year=last,
        minimum=low,
        maximum=high,
    )
    session.add(row)
    session.flush()
    return row


def targets_for(engine: Engine, municipality_id: int | None) -> tuple[Target, ...] | None:
    """The targets the figures of a municipality (``None``: the service) are measured against
    (see the module text); ``None`` when nothing was set, so the packaged targets apply."""
    with Session(engine) as session:
        rows = set_targets(session)
    if municipality_id is None and not any(r.municipality_id is None for r in rows):
        return None
    definitions = {t.id: t for t in target_definitions()}

    def as_target(row: TargetRow) -> Target:
        return replace(
            definitions[row.target_id],
            first_year=row.first_year,
            last_year=row.last_year,
            minimum=float(row.minimum) if row.minimum is not None else None,
            maximum=float(row.maximum) if row.maximum is not None else None,
            source="Ingesteld door de beheerder",
        )

    chosen = [
        r for r in rows if r.municipality_id == municipality_id and r.target_id in definitions
    ]
    if municipality_id is not None:
        return tuple(as_target(r) for r in chosen)
    own = {r.target_id: as_target(r) for r in chosen}
    return tuple(own.get(t.id, t) for t in definitions.values())
