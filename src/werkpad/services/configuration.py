"""Organisation settings kept in the ``setting`` table: segmentation scheme, routing
threshold and loonwaarde bands, worklist thresholds and the small-cell threshold of published
tables. Only the beheerder changes them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from werkpad.analytics.suppression import DEFAULT_THRESHOLD
from werkpad.domain.codelists import code_list
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.routing import Band, RoutingRules, band_problems
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
class SegmentDefinition:
    """One segment of a scheme as the settings page shows it."""

    code: str
    label: str
    horizon: str  # "0-6 maanden", "meer dan 18 maanden", "" when the scheme has no horizon
    work_route: bool | None


@dataclass(frozen=True)
class SchemeDefinition:
    code: str
    label: str
    source: str | None
    segments: list[SegmentDefinition]
    rules: list[str]  # plain-Dutch rules that follow from the horizons (the 18-month rule)


def _horizon(low: Any, high: Any) -> str:
    if low is None:
        return "onbekend"
    if high is None:
        return f"meer dan {low} maanden"
    return f"{low}-{high} maanden"


def scheme_definition(scheme: str) -> SchemeDefinition:
    """The segments of ``scheme`` with their horizons, for the beheerder to check."""
    preset = {p.code: p for p in scheme_presets()}.get(scheme)
    label = preset.label if preset else scheme
    if scheme == LADDER:
        steps = [SegmentDefinition(c.code, c.label_nl, "", None) for c in code_list("ladder_step")]
        return SchemeDefinition(
            LADDER,
            label,
            None,
            steps,
            ["Alleen de trede op de participatieladder wordt vastgelegd; geen doelgroep."],
        )
    codes = [c for c in code_list("segment") if c.attr("scheme") == scheme]
    segments = [
        SegmentDefinition(
            c.code,
            c.label_nl,
            _horizon(c.attr("horizon_months_min"), c.attr("horizon_months_max")),
            c.attr("work_route"),
        )
        for c in codes
    ]
    rules = [
        f"Verwachting langer dan {c.attr('horizon_months_min')} maanden tot werk: {c.label_nl}."
        for c in codes
        if c.attr("horizon_months_min") is not None and c.attr("horizon_months_max") is None
    ]
    if any(c.attr("horizon_months_min") is not None for c in codes):
        rules.append(
            "Vult de klantmanager geen doelgroep in, dan volgt die uit de verwachte termijn "
            "tot werk; een grenswaarde valt in de eerste passende categorie."
        )
    meta = code_list("segment_scheme").get(scheme)
    return SchemeDefinition(scheme, label, meta.attr("source") if meta else None, segments, rules)


def default_bands() -> tuple[Band, ...]:
    """The loonwaarde bands shipped in the ``route_type`` code list (HLN table)."""
    return RoutingRules.from_code_list().bands


@dataclass(frozen=True)
class Configuration:
    scheme: str
    specialised_threshold: int | None
    thresholds: Thresholds
    bands: tuple[Band, ...] | None = None  # None: the bands of the route_type code list

    def routing_rules(self) -> RoutingRules:
        if self.bands:
            return RoutingRules.from_bands(
                self.bands, specialised_threshold=self.specialised_threshold
            )
        return RoutingRules.from_code_list(specialised_threshold=self.specialised_threshold)

    def effective_bands(self) -> tuple[Band, ...]:
        return self.routing_rules().bands

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
    routing = rows.get(ROUTING_KEY, {})
    threshold = routing.get("specialised_threshold")
    stored = rows.get(WORKLIST_KEY, {})
    try:
        thresholds = thresholds_from_mapping(stored)
    except ValidationFailed:
        thresholds = Thresholds()
    return Configuration(
        scheme=scheme,
        specialised_threshold=int(threshold) if threshold is not None else None,
        thresholds=thresholds,
        bands=_stored_bands(routing.get("bands")),
    )


def _stored_bands(raw: Any) -> tuple[Band, ...] | None:
    """Bands from the setting; anything unreadable or invalid falls back to the code list."""
    if not raw:
        return None
    try:
        bands = tuple((int(low), int(high), str(code)) for low, high, code in raw)
    except (TypeError, ValueError):
        return None
    known = set(code_list("route_type").codes_where())
    if band_problems(bands) or not {code for _, _, code in bands} <= known:
        return None
    return bands


def _routing_setting(session: Session) -> dict[str, Any]:
    row = session.get(Setting, ROUTING_KEY)
    return dict(row.value) if row is not None and row.value else {}


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


def _percentage(raw: Any) -> int | None:
    """A whole percentage typed as "70" or "70%"; None when empty. ValueError when it is not a
    whole number from 0 to 100."""
    text = str(raw or "").strip().rstrip("%").strip()
    if text == "":
        return None
    if not text.isdigit() or not 0 <= int(text) <= 100:
        raise ValueError(text)
    return int(text)


def set_routing_threshold(session: Session, raw: Any) -> None:
    """The loonwaarde at or below which the route goes to a specialised provider (empty: none)."""
    try:
        threshold = _percentage(raw)
    except ValueError:
        raise ValidationFailed(
            [FieldError("specialised_threshold", "Drempel: een percentage van 0 tot 100.")]
        ) from None
    _put(session, ROUTING_KEY, {**_routing_setting(session), "specialised_threshold": threshold})


def banded_route_types() -> list[Any]:
    """The route types a loonwaarde band can point to (all but the specialised provider)."""
    return [c for c in code_list("route_type") if c.code != RoutingRules.specialised_route_type]


def band_field(route_type: str, end: str) -> str:
    """Form field name of one end ("min"/"max") of a route type's band."""
    return f"band_{route_type}_{end}"


def set_routing_bands(session: Session, data: Mapping[str, Any]) -> tuple[Band, ...] | None:
    """Store the loonwaarde bands from form fields ``band_<ROUTE_TYPE>_min/_max``.

    A route type with both fields empty gets no band. The bands must cover 0-100% without gaps
    or overlaps; otherwise ``ValidationFailed`` with Dutch messages and nothing is written.
    Returns None (and changes nothing) when the form has no band fields at all.
    """
    types = banded_route_types()
    names = [band_field(t.code, end) for t in types for end in ("min", "max")]
    if not any(name in data for name in names):
        return None
    errors: list[FieldError] = []
    bands: list[Band] = []
    for t in types:
        ends: dict[str, int] = {}
        filled: list[bool] = []
        for end, word in (("min", "ondergrens"), ("max", "bovengrens")):
            field = band_field(t.code, end)
            filled.append(str(data.get(field) or "").strip() != "")
            try:
                value = _percentage(data.get(field))
            except ValueError:
                errors.append(
                    FieldError(field, f"{t.label_nl}: {word} is een percentage van 0 tot 100.")
                )
                continue
            if value is not None:
                ends[end] = value
        if any(filled) and not all(filled):
            missing = "min" if not filled[0] else "max"
            errors.append(
                FieldError(
                    band_field(t.code, missing),
                    f"{t.label_nl}: vul zowel de onder- als de bovengrens in, of laat beide leeg.",
                )
            )
        elif len(ends) == 2:
            bands.append((ends["min"], ends["max"], t.code))
    if not errors:
        labels = {t.code: t.label_nl for t in types}
        errors = [FieldError("bands", message) for message in band_problems(bands, labels)]
    if errors:
        raise ValidationFailed(errors)
    stored = tuple(sorted(bands, reverse=True))
    _put(
        session,
        ROUTING_KEY,
        {**_routing_setting(session), "bands": [list(band) for band in stored]},
    )
    return stored


def set_worklist_thresholds(session: Session, data: dict[str, Any]) -> Thresholds:
    current = load_configuration(session).thresholds
    thresholds = thresholds_from_mapping(data, current)
    _put(session, WORKLIST_KEY, asdict(thresholds))
    return thresholds


PUBLICATION_KEY = "publication"
THRESHOLD_RANGE = (2, 100)


def read_small_cell_threshold(session: Session) -> int:
    """The small-cell threshold of published tables (dashboard, drill-down, effects page,
    council report): counts under it are hidden. Default 10."""
    row = session.get(Setting, PUBLICATION_KEY)
    stored = (row.value or {}).get("small_cell_threshold") if row is not None else None
    low, high = THRESHOLD_RANGE
    if isinstance(stored, int) and low <= stored <= high:
        return stored
    return DEFAULT_THRESHOLD


def small_cell_threshold(engine: Engine) -> int:
    """:func:`read_small_cell_threshold` in a session of its own (for pages and the CLI)."""
    with Session(engine) as session:
        return read_small_cell_threshold(session)


def set_small_cell_threshold(session: Session, raw: Any) -> int:
    """Store the small-cell threshold typed by the beheerder: a whole number from 2 to 100."""
    text = str(raw or "").strip()
    low, high = THRESHOLD_RANGE
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValidationFailed(
            [
                FieldError(
                    "small_cell_threshold",
                    f"Drempel voor kleine aantallen: een heel getal van {low} tot {high}.",
                )
            ]
        )
    _put(session, PUBLICATION_KEY, {"small_cell_threshold": int(text)})
    return int(text)
