"""Effect of a provision type, GOS code or route type on the municipality's own data.

The bridge between the analytics snapshot and the estimators in ``analytics.effects``:

* treatment: the first start of a provision of the chosen type (or GOS code), or of a route
  of the chosen route type, per person; only starts in a month the person was on benefit take
  part (a start outside a benefit spell leaves that person out of the risk sets);
* work exits: routes ended with a work reason (``is_work`` in the code list) and placements in
  a job, at their date; an exit is durable when no new benefit spell starts within the success
  definition's months after it;
* person-month panel of benefit spells with time-varying covariates (age band, benefit
  duration so far, segment and trede of the latest assessment before the month) and fixed ones
  (sex, migration background, statushouder);
* risk-set matching (``staggered``): each participant in their start month against people on
  benefit in that month who have not (yet) started, so there is no immortal-time bias.

Everything is a pure function of a :class:`~werkpad.analytics.snapshot.Snapshot`; no names or
BSNs are in the snapshot, and results are aggregates.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from scipy.linalg import LinAlgWarning
from threadpoolctl import threadpool_limits

from werkpad.analytics.definitions import SuccessDefinition, success_definition
from werkpad.analytics.effects.estimate import EffectEstimate, Interval, Method, estimate_effect
from werkpad.analytics.effects.panel import person_month_panel
from werkpad.analytics.effects.staggered import risk_set_table
from werkpad.analytics.effects.subgroups import MIN_PEOPLE, effects_by_subgroup
from werkpad.analytics.snapshot import Snapshot
from werkpad.analytics.treatment_timing import (
    StartDateCheck,
    TreatmentFollowsOutcome,
    phase_reason,
    starts_after_outcome,
)
from werkpad.domain import outcomes
from werkpad.domain.codelists import code_list

TreatmentKind = Literal["provision_type", "gos_code", "route_type"]
TREATMENT_KINDS: dict[str, str] = {
    "provision_type": "Soort voorziening",
    "gos_code": "GOS-code",
    "route_type": "Soort route",
}
OUTCOME_WINDOWS: dict[str, tuple[int, ...]] = {
    "work_exit": (6, 12, 18),
    "durable_exit": (6, 12, 18),
    "months_on_benefit": (12, 24),
}
OUTCOME_LABELS = {
    "work_exit": "Uitstroom naar werk binnen {h} maanden",
    "durable_exit": "Duurzame uitstroom naar werk binnen {h} maanden",
    "months_on_benefit": "Maanden in de uitkering in de {h} maanden erna",
}
COVARIATES = (
    "age_band",
    "sex",
    "migration_background",
    "statushouder",
    "benefit_duration",
    "segment",
    "trede",
    "period",
)
SUBGROUPS: dict[str, str] = {
    "segment": "Categorie (segment)",
    "age_band": "Leeftijd",
    "statushouder": "Statushouder",
    "benefit_duration": "Uitkeringsduur bij start",
    "trede": "Trede op de participatieladder",
}
AGE_BANDS = ((0, "tot 27"), (27, "27-34"), (35, "35-44"), (45, "45-54"), (55, "55 en ouder"))
DURATION_BANDS = (
    (0, "tot 6 maanden"),
    (6, "6-12 maanden"),
    (12, "1-2 jaar"),
    (24, "2-5 jaar"),
    (60, "5 jaar of langer"),
)
UNKNOWN = "onbekend"
SUBGROUP_BOOTSTRAP = 100
PERSON = "person"
MONTH = "month"
START = "start_month"


@dataclass(frozen=True)
class EvaluationSpec:
    """What to evaluate: the treatment (kind and code), outcome, window and estimator."""

    kind: TreatmentKind
    code: str
    outcome: str = "work_exit"
    window: int = 12
    method: Method = "psm"

    def __post_init__(self) -> None:
        if self.kind not in TREATMENT_KINDS:
            raise ValueError(f"onbekende soort behandeling: {self.kind}")
        if self.outcome not in OUTCOME_WINDOWS:
            raise ValueError(f"onbekende uitkomst: {self.outcome}")
        if self.window not in OUTCOME_WINDOWS[self.outcome]:
            allowed = ", ".join(map(str, OUTCOME_WINDOWS[self.outcome]))
            raise ValueError(f"venster {self.window} kan niet bij deze uitkomst (wel: {allowed})")
        if self.method not in ("psm", "ipw", "aipw"):
            raise ValueError(f"onbekende methode: {self.method}")

    @property
    def column(self) -> str:
        """The outcome column of the person-month panel."""
        if self.outcome == "months_on_benefit":
            return f"months_on_benefit_{self.window}"
        return f"{self.outcome}_{self.window}m"

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome].format(h=self.window)

    @property
    def treatment_label(self) -> str:
        if self.kind == "gos_code":
            return f"{self.code} {code_list('gos_code').label(self.code)}"
        if self.kind == "route_type":
            return code_list("route_type").label(self.code)
        return self.code


@dataclass(frozen=True)
class Evaluation:
    """The estimate with what the page and report show next to it (all aggregates)."""

    spec: EvaluationSpec
    estimate: EffectEstimate
    subgroups: dict[str, pd.DataFrame]
    survival: pd.DataFrame  # group, duration, event: one row per participant / comparison
    n_participants: int  # people whose first start fell in a month on benefit
    n_people: int  # people in the risk sets
    first_month: date
    last_month: date


# --- inputs -------------------------------------------------------------------------------


def treatment_starts(snap: Snapshot, kind: TreatmentKind, code: str) -> pd.DataFrame:
    """person, start_date of every start of the chosen provision type, GOS code or route type."""
    if kind == "route_type":
        routes = snap.routes[snap.routes["route_type"] == code]
        return routes[["person", "start_date"]].reset_index(drop=True)
    column = "provision_type" if kind == "provision_type" else "gos_code"
    chosen = snap.provisions[snap.provisions[column] == code]
    person = chosen["route_id"].map(snap.routes.set_index("route_id")["person"])
    frame = pd.DataFrame({"person": person, "start_date": chosen["start_date"]})
    return frame.dropna(subset=["person"]).astype({"person": "int64"}).reset_index(drop=True)


def usage_counts(snap: Snapshot, kind: TreatmentKind) -> pd.Series:
    """Number of people who ever started each code, most used first."""
    codes = (
        snap.routes[["person", "route_type"]].rename(columns={"route_type": "code"})
        if kind == "route_type"
        else pd.DataFrame(
            {
                "person": snap.provisions["route_id"].map(
                    snap.routes.set_index("route_id")["person"]
                ),
                "code": snap.provisions[
                    "provision_type" if kind == "provision_type" else "gos_code"
                ],
            }
        )
    )
    counts = codes.dropna().drop_duplicates().groupby("code").size()
    return counts.sort_values(ascending=False, kind="stable")


def work_exit_events(snap: Snapshot, durable_months: int) -> pd.DataFrame:
    """person, exit_date, durable: routes ended with a work reason and placements in a job."""
    work = outcomes.work_end_reasons()
    ended = snap.routes[snap.routes["end_reason"].isin(work)]
    parts = [
        pd.DataFrame({"person": ended["person"], "exit_date": pd.to_datetime(ended["end_date"])}),
        pd.DataFrame(
            {
                "person": snap.placements["person"],
                "exit_date": pd.to_datetime(snap.placements["start_date"]),
            }
        ),
    ]
    exits = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    exits["person"] = exits["person"].astype("int64")
    exits = exits.dropna().drop_duplicates().reset_index(drop=True)
    spells = snap.benefit_spells[["person", "start_date"]]
    pairs = exits.reset_index().merge(spells, on="person", how="inner")
    limit = pairs["exit_date"] + pd.DateOffset(months=durable_months)
    back = (pairs["start_date"] > pairs["exit_date"]) & (pairs["start_date"] <= limit)
    returned = pairs.loc[back, "index"].unique()
    exits["durable"] = ~exits.index.isin(returned)
    return exits


def _band(values: pd.Series, bands: tuple[tuple[int, str], ...]) -> pd.Series:
    edges = [lower for lower, _ in bands]
    labels = np.array([name for _, name in bands] + [UNKNOWN], dtype=object)
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    position = np.searchsorted(edges, numbers, side="right") - 1
    position = np.where(np.isnan(numbers), len(bands), np.clip(position, 0, len(bands) - 1))
    return pd.Series(labels[position], index=values.index)


def _month_start(month: pd.Series) -> pd.Series:
    values = month.to_numpy(dtype=int)
    return pd.Series(
        pd.to_datetime({"year": values // 12, "month": values % 12 + 1, "day": 1}),
        index=month.index,
    )


def _with_covariates(panel: pd.DataFrame, snap: Snapshot) -> pd.DataFrame:
    persons = snap.persons.set_index("person") if len(snap.persons) else pd.DataFrame()
    out = panel.copy()
    # Person-level values are looked up once per person, then taken by position per row.
    position = (
        persons.index.get_indexer(pd.Index(out[PERSON])) if len(persons) else np.full(len(out), -1)
    )

    def by_person(values: pd.Series) -> pd.Categorical:
        levels = pd.Categorical(values.to_numpy())
        codes = np.where(position >= 0, levels.codes[np.maximum(position, 0)], -1)
        if (codes < 0).any():
            levels = (
                levels.add_categories([UNKNOWN]) if UNKNOWN not in levels.categories else levels
            )
            codes = np.where(codes < 0, list(levels.categories).index(UNKNOWN), codes)
        return pd.Categorical.from_codes(codes, categories=levels.categories)

    year = out[MONTH] // 12
    birth = (
        persons["birth_year"].to_numpy(dtype=float)[np.maximum(position, 0)]
        if "birth_year" in persons
        else np.full(len(out), np.nan)
    )
    birth = np.where(position >= 0, birth, np.nan)
    out["age_band"] = _band(pd.Series(year.to_numpy() - birth, index=out.index), AGE_BANDS)
    for column in ("sex", "migration_background"):
        source = persons[column] if column in persons else pd.Series(index=persons.index)
        out[column] = by_person(source.astype(object).where(source.notna(), UNKNOWN).astype(str))
    flag = (
        persons["statushouder"]
        if "statushouder" in persons
        else pd.Series(index=persons.index, dtype=object)
    )
    out["statushouder"] = by_person(flag.map({True: "ja", False: "nee"}).fillna(UNKNOWN))
    out["benefit_duration"] = _band(out["benefit_months"], DURATION_BANDS)
    # Calendar time in the score as the year: month dummies are too sparse; matching stays
    # exact on the month.
    out["period"] = (out[MONTH] // 12).astype(str)
    out["segment"] = UNKNOWN
    out["trede"] = 0.0
    if len(snap.assessments):
        assessed = snap.assessments[["person", "assessed_on", "segment", "ladder_step"]]
        assessed = assessed.dropna(subset=["assessed_on"])
        day = pd.to_datetime(assessed["assessed_on"])
        # The latest assessment on or before the first of the month: one made on the first
        # counts from that month, a later one from the next month.
        valid_from = (day.dt.year * 12 + day.dt.month - 1 + (day.dt.day > 1)).astype("int64")
        assessed = assessed.assign(**{MONTH: valid_from.to_numpy(), "_day": day.to_numpy()})
        # Within a month the later assessment wins: order by day, then (stably) by month.
        assessed = assessed.sort_values("_day").sort_values(MONTH, kind="stable")
        ordered = out[[MONTH, PERSON]].astype("int64").reset_index().sort_values(MONTH)
        latest = pd.merge_asof(
            ordered,
            assessed[[MONTH, PERSON, "segment", "ladder_step"]],
            on=MONTH,
            by=PERSON,
            direction="backward",
        ).set_index("index")
        out["segment"] = latest["segment"].reindex(out.index).fillna(UNKNOWN).astype(str)
        # Trede as a number; without an assessment the median, and segment "onbekend" carries
        # the missingness (a separate "onbekend" trede would duplicate that column exactly).
        trede = pd.to_numeric(latest["ladder_step"].reindex(out.index), errors="coerce")
        out["trede"] = trede.fillna(trede.median() if trede.notna().any() else 0.0)
    return _as_categories(out)


def _as_categories(panel: pd.DataFrame) -> pd.DataFrame:
    """Text covariates as categories: a tenth of the memory, faster encoding, and the bands in
    their natural order (age and duration sort by age and duration, not as text)."""
    ordered = {
        "age_band": [name for _, name in AGE_BANDS] + [UNKNOWN],
        "benefit_duration": [name for _, name in DURATION_BANDS] + [UNKNOWN],
    }
    for column in ("age_band", "sex", "migration_background", "statushouder", "segment",
                   "benefit_duration", "period"):  # fmt: skip
        if isinstance(panel[column].dtype, pd.CategoricalDtype) and column not in ordered:
            panel[column] = panel[column].cat.remove_unused_categories()
            continue
        values = panel[column].astype(str)
        levels = ordered.get(column) or sorted(values.unique())
        panel[column] = pd.Categorical(values, categories=levels, ordered=column in ordered)
    return panel


def _months_back(day: date, months: int) -> date:
    return (pd.Timestamp(day) - pd.DateOffset(months=months)).date()


def evaluation_panel(
    snap: Snapshot, spec: EvaluationSpec, success: SuccessDefinition | None = None
) -> pd.DataFrame:
    """Person-months on benefit with covariates and the outcome, limited to months in which at
    least one participant started (the only months where a comparison is made).

    For the durable outcome the panel ends ``durable_months`` earlier, so every exit inside a
    window has been followed long enough to judge whether it lasted.
    """
    return _timed_panel(snap, spec, success)[0]


@dataclass(frozen=True)
class EvaluationBase:
    """The person-month panel with covariates and outcomes for one outcome window, before any
    treatment: shared by every treatment evaluated on the same snapshot (the report's chapter
    evaluates several)."""

    outcome: str
    window: int
    panel: pd.DataFrame
    exits: pd.DataFrame


def evaluation_base(
    snap: Snapshot, outcome: str, window: int, success: SuccessDefinition | None = None
) -> EvaluationBase:
    definition = success or success_definition()
    as_of = snap.reference_date
    if outcome == "durable_exit":
        as_of = _months_back(as_of, definition.durable_months)
    exits = work_exit_events(snap, definition.durable_months)
    spells = snap.benefit_spells[["person", "start_date", "end_date"]]
    none = pd.DataFrame(
        {"person": pd.Series(dtype="int64"), "start_date": pd.Series(dtype="datetime64[ns]")}
    )
    panel = person_month_panel(spells, none, exits, as_of=as_of, horizons=(window,))
    return EvaluationBase(outcome, window, _with_covariates(panel, snap), exits)


def _timed_panel(
    snap: Snapshot,
    spec: EvaluationSpec,
    success: SuccessDefinition | None = None,
    base: EvaluationBase | None = None,
) -> tuple[pd.DataFrame, StartDateCheck]:
    """The evaluation panel without the start months of starts that came after their outcome
    (``treatment_timing``), and the count of those starts."""
    if base is None or (base.outcome, base.window) != (spec.outcome, spec.window):
        base = evaluation_base(snap, spec.outcome, spec.window, success)
    starts = treatment_starts(snap, spec.kind, spec.code)
    first = starts.sort_values("start_date").drop_duplicates("person")
    start_date = pd.to_datetime(first.set_index("person")["start_date"])
    start_month = (start_date.dt.year * 12 + start_date.dt.month - 1).astype(float)
    panel = base.panel.assign(**{START: base.panel[PERSON].map(start_month)})
    is_start = (panel[START] == panel[MONTH]).to_numpy()
    first = first[first["person"].isin(panel.loc[is_start, PERSON])]
    after = starts_after_outcome(first, base.exits)
    late = after.index[after.to_numpy()]
    check = StartDateCheck(n_starts=len(first), n_after_outcome=len(late))
    # Such a start is no treatment for this outcome; before it the person was not yet started,
    # so their earlier months stay in the risk sets.
    panel = panel[~(is_start & panel[PERSON].isin(late).to_numpy())]
    started_here = panel.loc[panel[START] == panel[MONTH], MONTH].unique()
    panel = panel[panel[MONTH].isin(started_here)].reset_index(drop=True)
    return panel, check


def treatment_gos_code(snap: Snapshot, spec: EvaluationSpec) -> str | None:
    """The GOS code whose phase the treatment belongs to (None for a route type)."""
    if spec.kind == "gos_code":
        return spec.code
    if spec.kind == "provision_type" and len(snap.provisions):
        codes = snap.provisions.loc[snap.provisions["provision_type"] == spec.code, "gos_code"]
        return str(codes.iloc[0]) if len(codes.dropna()) else None
    return None


def timing_refusal(snap: Snapshot, spec: EvaluationSpec) -> str | None:
    """The Dutch reason why ``spec`` is not a treatment for its outcome by its phase, if so."""
    return phase_reason(spec.treatment_label, treatment_gos_code(snap, spec), spec.outcome)


def usable_covariates(table: pd.DataFrame, covariates: tuple[str, ...] = COVARIATES) -> list[str]:
    """The covariates that vary in ``table`` (a constant one cannot enter the model)."""
    return [c for c in covariates if table[c].nunique(dropna=False) > 1]


# --- estimate -----------------------------------------------------------------------------


def _survival_sample(table: pd.DataFrame, exits: pd.DataFrame, as_of: date, seed: int):
    """Months from the risk-set month to the first work exit after it, censored at ``as_of``.

    Participants from their start month; the comparison group is one random at-risk month per
    person who had not (yet) started in the same months (unadjusted, for the picture only).
    """
    treated = table[table["start"] == 1]
    controls = table[table["start"] == 0]
    # One random month per person: shuffle, then keep each person's first row (vectorised;
    # a per-person groupby sample took seconds at Den Haag scale).
    order = np.random.default_rng(seed).permutation(len(controls))
    comparison = controls.iloc[order].drop_duplicates(PERSON)
    rows = pd.concat(
        [treated.assign(group="Deelnemers"), comparison.assign(group="Nog niet gestart")]
    )[[PERSON, MONTH, "group"]]
    exit_month = pd.to_datetime(exits["exit_date"])
    exit_index = pd.DataFrame(
        {
            PERSON: exits["person"].to_numpy(),
            "exit_month": (exit_month.dt.year * 12 + exit_month.dt.month - 1).to_numpy(),
        }
    )
    pairs = rows.reset_index().merge(exit_index, on=PERSON, how="left")
    pairs = pairs[pairs["exit_month"] >= pairs[MONTH]]
    first_exit = pairs.groupby("index")["exit_month"].min()
    last = as_of.year * 12 + as_of.month - 1
    exit_at = first_exit.reindex(rows.index)
    event = exit_at.notna()
    duration = np.where(event, exit_at - rows[MONTH], last - rows[MONTH]) + 0.5
    return pd.DataFrame(
        {"group": rows["group"].to_numpy(), "duration": duration, "event": event.astype(int)}
    ).reset_index(drop=True)


def evaluate(
    snap: Snapshot,
    spec: EvaluationSpec,
    *,
    n_bootstrap: int = 200,
    seed: int = 0,
    subgroups: tuple[str, ...] = tuple(SUBGROUPS),
    min_people: int = MIN_PEOPLE,
    success: SuccessDefinition | None = None,
    subgroup_bootstrap: int = SUBGROUP_BOOTSTRAP,
    base: EvaluationBase | None = None,
    interval: Interval = "percentile",
) -> Evaluation:
    """Risk-set estimate of the effect of starting ``spec`` now versus not (yet), with
    subgroups and a survival sample. Raises ValueError (Dutch message) when there is nothing
    to compare, and ``TreatmentFollowsOutcome`` when by the timing rules the treatment follows
    its outcome. Subgroups use at most ``subgroup_bootstrap`` replicates each (there are many
    of them, and their intervals are wide anyway). ``base`` (from ``evaluation_base``) shares
    the person-month panel between several treatments with the same outcome."""
    # Small matrices everywhere: multi-threaded BLAS only contends on a busy machine.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        # Sparse years in small subgroups separate perfectly; scikit-learn then falls back
        # from Newton to L-BFGS and says so. The estimate is fine; the warning is noise here.
        warnings.simplefilter("ignore", LinAlgWarning)
        return _evaluate(
            snap,
            spec,
            (n_bootstrap, min(n_bootstrap, subgroup_bootstrap)),
            seed,
            subgroups,
            min_people,
            success,
            base,
            interval,
        )


def _evaluate(
    snap: Snapshot,
    spec: EvaluationSpec,
    replicates: tuple[int, int],
    seed: int,
    subgroups: tuple[str, ...],
    min_people: int,
    success: SuccessDefinition | None,
    base: EvaluationBase | None,
    interval: Interval,
) -> Evaluation:
    definition = success or success_definition()
    refusal = timing_refusal(snap, spec)
    if refusal:
        raise TreatmentFollowsOutcome(refusal)
    if base is None or (base.outcome, base.window) != (spec.outcome, spec.window):
        base = evaluation_base(snap, spec.outcome, spec.window, definition)
    panel, check = _timed_panel(snap, spec, definition, base)
    late = check.refusal(spec.treatment_label, spec.outcome)
    if late:
        raise TreatmentFollowsOutcome(late)
    if panel.empty:
        raise ValueError(
            "Geen deelnemers die startten terwijl ze een uitkering hadden, met een uitkomst die "
            "al bekend is op de peildatum."
        )
    table = risk_set_table(panel, month=MONTH, start_month=START)
    covariates = usable_covariates(table)
    # The risk-set design of ``staggered.estimate_staggered_effect``, on the table at hand.
    estimate = estimate_effect(
        table,
        "start",
        spec.column,
        covariates,
        method=spec.method,
        n_bootstrap=replicates[0],
        seed=seed,
        interval=interval,
        exact=MONTH,
        cluster=PERSON,
        exact_in_score=False,
    )
    estimate = _renamed(estimate, spec, check.note(spec.outcome))
    by_group = {
        name: effects_by_subgroup(
            table,
            "start",
            spec.column,
            covariates,
            by=name,
            method=spec.method,
            n_bootstrap=replicates[1],
            seed=seed,
            min_people=min_people,
            exact=MONTH,
            cluster=PERSON,
            exact_in_score=False,
        )
        for name in subgroups
    }
    exits = base.exits
    months = _month_start(pd.Series([table[MONTH].min(), table[MONTH].max()]))
    return Evaluation(
        spec=spec,
        estimate=estimate,
        subgroups=by_group,
        survival=_survival_sample(table, exits, snap.reference_date, seed),
        n_participants=int(table["start"].sum()),
        n_people=int(table[PERSON].nunique()),
        first_month=months.iloc[0].date(),
        last_month=months.iloc[1].date(),
    )


def _renamed(
    estimate: EffectEstimate, spec: EvaluationSpec, timing_note: str | None = None
) -> EffectEstimate:
    """The estimate with Dutch treatment and outcome names, so its reading is plain Dutch, and
    the timing note (starts after their outcome left out) among its warnings."""
    from dataclasses import replace

    from werkpad.analytics.effects.reading import effect_reading

    warnings = [*estimate.warnings, *([timing_note] if timing_note else [])]
    named = replace(
        estimate,
        treatment=spec.treatment_label,
        outcome=spec.outcome_label.lower(),
        warnings=warnings,
    )
    return replace(named, reading=effect_reading(named))
