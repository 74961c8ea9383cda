"""Organisation settings kept in the ``setting`` table: segmentation scheme, routing
threshold and worklist thresholds. Only the beheerder changes them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.routing import RoutingRules
from werkpad.domain.worklist import Thresholds, thresholds_from_mapping
from werkpad.store.models import Setting

SCHEME_KEY = "segmentation_scheme"
ROUTING_KEY = "routing"
WORKLIST_KEY = "worklist_thresholds"
LADDER = "LADDER"
DEFAULT_SCHEME = "DENHAAG"


@dataclass(frozen=True)
class SchemePreset:
    code: str
    label: str


def scheme_presets() -> list[SchemePreset]:
    """The participatieladder alone, then the seed municipalities' schemes (code list)."""
    presets = [SchemePreset(LADDER, "Alleen participatieladder (trede 1-6)")]
    presets += [SchemePreset(c.code, c.label_nl) for c in code_list("segment_scheme")]
    return presets


@dataclass(frozen=True)
class Configuration:
    scheme: str
    specialised_threshold: int | None
    thresholds: Thresholds

    def routing_rules(self) -> RoutingRules:
        return RoutingRules.from_code_list(specialised_threshold=self.specialised_threshold)

    def segments(self) -> list[Any]:
        """The segments a klantmanager may choose under the active scheme."""
        return [c for c in code_list("segment") if c.attr("scheme") == self.scheme]


def load_configuration(session: Session) -> Configuration:
    """All three settings in one query."""
    rows = {
        s.key: s.value
        for s in session.scalars(
            select(Setting).where(Setting.key.in_([SCHEME_KEY, ROUTING_KEY, WORKLIST_KEY]))
        )
    }
    scheme = str(rows.get(SCHEME_KEY, {}).get("scheme") or DEFAULT_SCHEME)
    threshold = rows.get(ROUTING_KEY, {}).get("specialised_threshold")
    stored = rows.get(WORKLIST_KEY, {})
    try:
        thresholds = thresholds_from_mapping(stored)
    except ValidationFailed:
        thresholds = Thresholds()
    return Configuration(
        scheme=scheme,
        specialised_threshold=int(threshold) if threshold is not None else None,
        thresholds=thresholds,
    )


def _put(session: Session, key: str, value: dict[str, Any]) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    session.flush()


def choose_scheme(session: Session, scheme: str) -> None:
    if scheme not in {p.code for p in scheme_presets()}:
        raise ValidationFailed([FieldError("scheme", "Kies een segmentatieschema uit de lijst.")])
    _put(session, SCHEME_KEY, {"scheme": scheme})


def set_routing_threshold(session: Session, raw: Any) -> None:
    """The loonwaarde at or below which the route goes to a specialised provider (empty: none)."""
    text = str(raw or "").strip().rstrip("%").strip()
    if text == "":
        _put(session, ROUTING_KEY, {"specialised_threshold": None})
        return
    if not text.isdigit() or not 0 <= int(text) <= 100:
        raise ValidationFailed(
            [FieldError("specialised_threshold", "Drempel: een percentage van 0 tot 100.")]
        )
    _put(session, ROUTING_KEY, {"specialised_threshold": int(text)})


def set_worklist_thresholds(session: Session, data: dict[str, Any]) -> Thresholds:
    current = load_configuration(session).thresholds
    thresholds = thresholds_from_mapping(data, current)
    _put(session, WORKLIST_KEY, asdict(thresholds))
    return thresholds
