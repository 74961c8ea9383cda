"""Work profiles and vacancies as plain data, and their encoding into numpy feature matrices.

Every criterion contributes whole milli-points. The candidate side is a 0/1 matrix, the vacancy
side a matrix of milli-points (or a large negative penalty for a hard filter), so the linear
part of the score is one exact float32 matrix product; travel is a small lookup table per
(home postcode, transport, radius) group; hours are compared directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from werkpad.domain.codelists import code_list
from werkpad.matching.config import PENALTY, MatchSettings
from werkpad.matching.geo import MINUTES_PER_KM, OVERHEAD_MINUTES, TRANSPORT, Geo, postcode4

DAYS: tuple[str, ...] = ("MA", "DI", "WO", "DO", "VR", "ZA", "ZO")
DAY_LABELS_NL: dict[str, str] = dict(
    zip(DAYS, ("ma", "di", "wo", "do", "vr", "za", "zo"), strict=True)
)
WORKDAYS: frozenset[str] = frozenset(DAYS[:5])

# Physical or scheduling demands of a vacancy; the same codes are a candidate's restrictions.
DEMANDS: tuple[str, ...] = (
    "HEAVY_LIFTING",
    "LONG_STANDING",
    "KNEELING",
    "SHIFTS",
    "NIGHT",
    "OUTDOOR",
)
DEMAND_LABELS_NL: dict[str, str] = {
    "HEAVY_LIFTING": "zwaar tillen",
    "LONG_STANDING": "lang staan",
    "KNEELING": "knielen en bukken",
    "SHIFTS": "ploegendienst",
    "NIGHT": "nachtwerk",
    "OUTDOOR": "buitenwerk",
}

LANGUAGE_LEVELS: tuple[str, ...] = tuple(c.code for c in code_list("language_level"))
EDUCATION_LEVELS: tuple[str, ...] = tuple(c.code for c in code_list("education_level"))

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CandidateProfile:
    """What matching knows of a referred candidate (no BSN, no benefit file)."""

    candidate_id: int
    postcode4: str | None
    hours_min: int
    hours_max: int
    radius_km: float
    transport: str
    wished_occupations: frozenset[str] = frozenset()
    wished_sectors: frozenset[str] = frozenset()
    experience: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    days: frozenset[str] = WORKDAYS
    driving_licence: bool = False
    language_level: str | None = None
    education_level: str | None = None
    loonwaarde_pct: int | None = None
    restrictions: frozenset[str] = frozenset()
    last_confirmed_on: date | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if self.transport not in TRANSPORT:
            raise ValueError(f"onbekend vervoer: {self.transport}")
        if not 1 <= self.hours_min <= self.hours_max <= 60:
            raise ValueError("uren: 1 <= minimum <= maximum <= 60")
        if self.radius_km < 0:
            raise ValueError("reisafstand kan niet negatief zijn")
        unknown = (self.days - set(DAYS)) | (self.restrictions - set(DEMANDS))
        if unknown:
            raise ValueError(f"onbekende code(s): {', '.join(sorted(unknown))}")

    def needs_lks(self) -> bool:
        return self.loonwaarde_pct is not None and self.loonwaarde_pct < 100

    def is_stale(self, today: date, stale_after_days: int) -> bool:
        if self.last_confirmed_on is None:
            return True
        return (today - self.last_confirmed_on).days > stale_after_days


@dataclass(frozen=True)
class VacancyProfile:
    vacancy_id: int
    sector: str
    hours: int
    postcode4: str | None
    occupation: str | None = None
    title: str = ""
    start_date: date | None = None
    education_min: str | None = None
    language_min: str | None = None
    driving_licence: bool = False
    demands: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    days: frozenset[str] = field(default_factory=frozenset)
    suitable_for_lks: bool = False
    suitable_for_garantiebaan: bool = False
    employer: str = ""

    def __post_init__(self) -> None:
        if not 1 <= self.hours <= 60:
            raise ValueError("uren per week: 1 tot en met 60")
        unknown = (self.days - set(DAYS)) | (self.demands - set(DEMANDS))
        if unknown:
            raise ValueError(f"onbekende code(s): {', '.join(sorted(unknown))}")


def vacancy_from_record(
    *,
    vacancy_id: int,
    sector: str,
    hours: int,
    postcode: str | None,
    occupation: str | None,
    requirements: Mapping[str, Any] | None,
    suitable_for_lks: bool = False,
    suitable_for_garantiebaan: bool = False,
    title: str = "",
    start_date: date | None = None,
    employer: str = "",
) -> VacancyProfile:
    """A vacancy from its stored fields and the ``requirements`` JSON.

    Understood keys: education_min, language_min, skills, driving_licence, physical_demands,
    shifts (true adds SHIFTS), night (true adds NIGHT), days. Unknown demand codes refuse.
    """
    req = dict(requirements or {})
    demands = set(req.get("physical_demands") or [])
    if req.get("shifts"):
        demands.add("SHIFTS")
    if req.get("night"):
        demands.add("NIGHT")
    return VacancyProfile(
        vacancy_id=vacancy_id,
        sector=sector,
        hours=int(hours),
        postcode4=postcode4(postcode),
        occupation=occupation or None,
        title=title,
        start_date=start_date,
        education_min=req.get("education_min") or None,
        language_min=req.get("language_min") or None,
        driving_licence=bool(req.get("driving_licence")),
        demands=frozenset(demands),
        skills=frozenset(str(s) for s in req.get("skills") or []),
        days=frozenset(req.get("days") or []),
        suitable_for_lks=bool(suitable_for_lks),
        suitable_for_garantiebaan=bool(suitable_for_garantiebaan),
        employer=employer,
    )


# --- shared scoring rules (used by both engines) --------------------------------------------


def level_index(levels: Sequence[str], code: str | None) -> int | None:
    if code is None or code not in levels:
        return None
    return levels.index(code)


def level_fraction(have: int | None, need: int | None) -> float:
    """1 when the level meets the requirement, 0.5 one level below, else 0 (unknown: 0)."""
    if need is None:
        return 1.0
    if have is None:
        return 0.0
    if have >= need:
        return 1.0
    if have == need - 1:
        return 0.5
    return 0.0


def unit_milli(weight_milli: int, count: int) -> int:
    """Milli-points per matched item when a criterion is shared over ``count`` items."""
    return round(weight_milli / count)


def travel_milli(weight_milli: int, minutes: float, max_minutes: float) -> int:
    return round(weight_milli * max(0.0, 1.0 - minutes / max_minutes))


# --- encoding -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoded:
    """Both sides as arrays, rows sorted by id so the index order is the tie-break."""

    candidate_ids: I64
    vacancy_ids: I64
    cand: F32  # candidates x features (0/1)
    vac_t: F32  # features x vacancies (milli-points / -penalty)
    hours_min: npt.NDArray[np.int8]
    hours_max: npt.NDArray[np.int8]
    vac_hours: npt.NDArray[np.int8]
    travel_group: npt.NDArray[np.intp]  # per candidate
    vac_place: npt.NDArray[np.intp]  # per vacancy: column of the travel table
    travel: F32  # candidate travel groups x vacancy places


class _Columns:
    def __init__(self) -> None:
        self.index: dict[tuple[str, str], int] = {}

    def col(self, block: str, key: str) -> int:
        return self.index.setdefault((block, key), len(self.index))


def encode(
    candidates: Sequence[CandidateProfile],
    vacancies: Sequence[VacancyProfile],
    settings: MatchSettings,
    geo: Geo,
) -> Encoded:
    """Both sides as dense arrays over one feature space: a candidate row holds 0/1 per
    feature, a vacancy column the milli-points (or -penalty) that feature earns there."""
    cands = sorted(candidates, key=lambda c: c.candidate_id)
    vacs = sorted(vacancies, key=lambda v: v.vacancy_id)
    cols = _feature_columns(vacs)
    cand = _candidate_matrix(cands, cols)
    vac = np.zeros((len(vacs), len(cols.index)), dtype=np.float32)
    for i, v in enumerate(vacs):
        _score_vacancy_row(vac[i], v, cols, settings)
    travel_group, vac_place, travel = _travel_table(cands, vacs, settings, geo)
    return Encoded(
        candidate_ids=np.array([c.candidate_id for c in cands], dtype=np.int64),
        vacancy_ids=np.array([v.vacancy_id for v in vacs], dtype=np.int64),
        cand=cand,
        vac_t=np.ascontiguousarray(vac.T),
        hours_min=np.array([c.hours_min for c in cands], dtype=np.int8),
        hours_max=np.array([c.hours_max for c in cands], dtype=np.int8),
        vac_hours=np.array([v.hours for v in vacs], dtype=np.int8),
        travel_group=travel_group,
        vac_place=vac_place,
        travel=travel,
    )


def _feature_columns(vacs: Sequence[VacancyProfile]) -> _Columns:
    """The feature space: fixed blocks first, then what the vacancies ask for."""
    cols = _Columns()
    cols.col("const", "")
    for lvl in (*LANGUAGE_LEVELS, "?"):
        cols.col("lang", lvl)
    for lvl in (*EDUCATION_LEVELS, "?"):
        cols.col("edu", lvl)
    cols.col("lks", "needs")
    cols.col("lks", "full")
    cols.col("licence", "none")
    for code in DEMANDS:
        cols.col("restr", code)
    for day in DAYS:
        cols.col("day", day)
    for v in vacs:
        cols.col("sector", v.sector)
        if v.occupation is not None:
            cols.col("occ", v.occupation)
            cols.col("exp", v.occupation)
        for s in v.skills:
            cols.col("skill", s)
    return cols


def _candidate_matrix(cands: Sequence[CandidateProfile], cols: _Columns) -> F32:
    idx = cols.index
    const = idx[("const", "")]
    hit_rows: list[int] = []
    hit_cols: list[int] = []
    for j, c in enumerate(cands):
        rows = [const]
        rows += [idx[("sector", s)] for s in c.wished_sectors if ("sector", s) in idx]
        rows += [idx[("occ", o)] for o in c.wished_occupations if ("occ", o) in idx]
        rows += [idx[("exp", o)] for o in c.experience if ("exp", o) in idx]
        rows += [idx[("skill", s)] for s in c.skills if ("skill", s) in idx]
        rows += [idx[("day", d)] for d in c.days]
        rows += [idx[("restr", r)] for r in c.restrictions]
        lang = c.language_level if c.language_level in LANGUAGE_LEVELS else "?"
        edu = c.education_level if c.education_level in EDUCATION_LEVELS else "?"
        rows += [idx[("lang", lang or "?")], idx[("edu", edu or "?")]]
        rows.append(idx[("lks", "needs" if c.needs_lks() else "full")])
        if not c.driving_licence:
            rows.append(idx[("licence", "none")])
        hit_rows.extend([j] * len(rows))
        hit_cols.extend(rows)
    cand = np.zeros((len(cands), len(idx)), dtype=np.float32)
    cand[hit_rows, hit_cols] = 1.0
    return cand


def _score_vacancy_row(
    row: F32, v: VacancyProfile, cols: _Columns, settings: MatchSettings
) -> None:
    """Fill one vacancy's column of milli-points in place."""
    idx = cols.index
    const = idx[("const", "")]
    w = settings.weights
    row[idx[("sector", v.sector)]] += w.milli("sector")
    if v.occupation is not None:
        row[idx[("occ", v.occupation)]] += w.milli("occupation")
        row[idx[("exp", v.occupation)]] += w.milli("experience")
    if v.skills:
        unit = unit_milli(w.milli("skills"), len(v.skills))
        for s in v.skills:
            row[idx[("skill", s)]] += unit
    else:
        row[const] += w.milli("skills")
    if v.days:
        unit = unit_milli(w.milli("days"), len(v.days))
        for d in v.days:
            row[idx[("day", d)]] += unit
    else:
        row[const] += w.milli("days")
    need_lang = level_index(LANGUAGE_LEVELS, v.language_min)
    for k, lvl in enumerate(LANGUAGE_LEVELS):
        row[idx[("lang", lvl)]] += round(w.milli("language") * level_fraction(k, need_lang))
    row[idx[("lang", "?")]] += round(w.milli("language") * level_fraction(None, need_lang))
    need_edu = level_index(EDUCATION_LEVELS, v.education_min)
    for k, lvl in enumerate(EDUCATION_LEVELS):
        row[idx[("edu", lvl)]] += round(w.milli("education") * level_fraction(k, need_edu))
    row[idx[("edu", "?")]] += round(w.milli("education") * level_fraction(None, need_edu))
    row[idx[("lks", "full")]] += w.milli("lks")
    if v.suitable_for_lks or v.suitable_for_garantiebaan:
        row[idx[("lks", "needs")]] += w.milli("lks")
    if v.driving_licence:
        row[idx[("licence", "none")]] -= PENALTY
    for code in v.demands:
        row[idx[("restr", code)]] -= PENALTY


def _travel_table(
    cands: Sequence[CandidateProfile],
    vacs: Sequence[VacancyProfile],
    settings: MatchSettings,
    geo: Geo,
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], F32]:
    """Travel milli-points (or -penalty beyond the radius) per candidate group x vacancy place.

    A group is (home postcode, transport, radius); an unknown location on either side passes
    the radius filter with 0 points, as in the reference.
    """
    places = sorted(
        {v.postcode4 for v in vacs if v.postcode4 is not None and v.postcode4 in geo.xy}
    )
    place_col = {p: k for k, p in enumerate(places)}
    unknown_col = len(places)
    vac_place = np.array([place_col.get(v.postcode4 or "", unknown_col) for v in vacs], np.intp)

    groups: dict[tuple[str | None, str, float], int] = {}
    travel_group = np.empty(len(cands), dtype=np.intp)
    for j, c in enumerate(cands):
        pc = c.postcode4 if c.postcode4 in geo.xy else None
        travel_group[j] = groups.setdefault((pc, c.transport, float(c.radius_km)), len(groups))

    table = np.zeros((len(groups), len(places) + 1), dtype=np.float32)
    if places and groups:
        px = np.array([geo.xy[p][0] for p in places])
        py = np.array([geo.xy[p][1] for p in places])
        keys = list(groups)
        known = [g for g, (pc, _m, _r) in enumerate(keys) if pc is not None]
        if known:
            homes = [geo.xy[str(keys[g][0])] for g in known]
            gx = np.array([h[0] for h in homes])
            gy = np.array([h[1] for h in homes])
            overhead = np.array([OVERHEAD_MINUTES[keys[g][1]] for g in known])
            per_km = np.array([MINUTES_PER_KM[keys[g][1]] for g in known])
            radius = np.array([keys[g][2] for g in known])
            dx = gx[:, None] - px[None, :]
            dy = gy[:, None] - py[None, :]
            dist = np.sqrt(dx * dx + dy * dy)
            minutes = overhead[:, None] + dist * per_km[:, None]
            frac = np.maximum(0.0, 1.0 - minutes / settings.max_travel_minutes)
            points = np.rint(settings.weights.milli("travel") * frac)
            points[dist > radius[:, None]] = -PENALTY
            table[np.ix_(known, range(len(places)))] = points
    return travel_group, vac_place, table
