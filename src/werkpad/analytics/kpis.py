"""The KPI registry: id -> pure function over a snapshot, and the tidy result set.

Every KPI function takes the pseudonymised :class:`~werkpad.analytics.snapshot.Snapshot` and a
:class:`KpiContext` and returns a long frame with the columns ``period`` (a year, a quarter end,
``totaal`` or empty), ``group`` and ``subgroup`` (what the figure is about, or empty),
``measure`` and ``value``. :func:`compute_kpis` attaches the definition id, version, unit, kind,
reference date and success definition to every row, so each figure says how it was made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from werkpad.analytics import (
    caseload,
    cohort_outflow,
    cooccurrence,
    costs,
    coverage,
    dropout,
    durability,
    durations,
    end_reasons,
    inflow,
    intensity,
    job_exits,
    ladder,
    life_domains,
    lks,
    long_stay,
    municipalities,
    participation,
    reach,
    targets,
)
from werkpad.analytics.definitions import (
    SuccessDefinition,
    kpi_definitions,
    success_definition,
)
from werkpad.analytics.snapshot import CodeFacts, Snapshot
from werkpad.analytics.targets import Target

COLUMNS = ["period", "group", "subgroup", "measure", "value"]
RESULT_COLUMNS = [
    "kpi_id",
    "version",
    "kind",
    "unit",
    *COLUMNS,
    "reference_date",
    "success_definition",
]


@dataclass(frozen=True)
class KpiContext:
    """What every KPI needs besides the data: the reference date, the years to report and the
    chosen success definition, and the code-list facts (which end reasons are work, which job
    types regular) the figures classify by."""

    reference_date: date
    years: list[int]
    success: SuccessDefinition = field(default_factory=success_definition)
    targets_path: str | None = None
    # The targets to measure against (one municipality's, or the service's as the beheerder
    # set them); None: those of ``targets_path`` or the packaged ``targets.csv``.
    targets: tuple[Target, ...] | None = None
    facts: CodeFacts = field(default_factory=CodeFacts.from_code_lists)
    induction_weeks: int = 8
    bridge_months: int = long_stay.DEFAULT_BRIDGE_MONTHS
    training_window_years: int = cohort_outflow.DEFAULT_TRAINING_WINDOW_YEARS

    @classmethod
    def for_snapshot(
        cls, snap: Snapshot, *, years: Iterable[int] | None = None, success: str | None = None
    ) -> KpiContext:
        ref = snap.reference_date
        chosen = list(years) if years is not None else list(range(ref.year - 3, ref.year + 1))
        definition = success_definition(success) if success else success_definition()
        return cls(reference_date=ref, years=chosen, success=definition)

    def with_settings(self, settings: KpiSettings) -> KpiContext:
        """This context with the municipality's settings of the figures."""
        return replace(
            self,
            induction_weeks=settings.induction_weeks,
            bridge_months=settings.bridge_months,
            training_window_years=settings.training_window_years,
        )


@dataclass(frozen=True)
class KpiSettings:
    """What a municipality sets for the figures (the beheerder's settings page): the weeks
    within which a new client should start the induction week, the gap between benefit
    spells (in months) below which the long-stay caseload counts them as one period, and the
    years before the cohort year in which a followed training counts for the cohort outflow by
    training (Haarlemmermeer Tabel 3.5: 2)."""

    induction_weeks: int = 8
    bridge_months: int = long_stay.DEFAULT_BRIDGE_MONTHS
    training_window_years: int = cohort_outflow.DEFAULT_TRAINING_WINDOW_YEARS


def _long(
    frame: pd.DataFrame,
    *,
    period: str | None = None,
    group: str | None = None,
    subgroup: str | None = None,
    measures: Iterable[str],
) -> pd.DataFrame:
    """Melt a wide frame (columns named by ``period``/``group``/``subgroup``) into COLUMNS."""
    flat = frame.reset_index() if frame.index.name or frame.index.names[0] else frame
    ids = [name for name in (period, group, subgroup) if name]
    melted = flat.melt(id_vars=ids, value_vars=list(measures), var_name="measure")
    out = pd.DataFrame(
        {
            "period": melted[period].astype(str) if period else "",
            "group": melted[group].astype(str) if group else "",
            "subgroup": melted[subgroup].astype(str) if subgroup else "",
            "measure": melted["measure"],
            "value": pd.to_numeric(melted["value"], errors="coerce").astype("float64"),
        }
    )
    return out[COLUMNS]


def first_recorded_year(snap: Snapshot) -> int | None:
    """The first year of the recorded re-integration history (the earliest route or placement
    start); a figure for an earlier year has no data rather than a count of 0."""
    starts = pd.concat([snap.routes["start_date"], snap.placements["start_date"]]).dropna()
    return int(starts.min().year) if len(starts) else None


def _years(frame: pd.DataFrame, ctx: KpiContext) -> pd.DataFrame:
    return frame[frame.index.isin(ctx.years)]


# --- the KPI functions -------------------------------------------------------------------


def kpi_reach(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    segments = reach.segment_at_route_start(snap.routes, snap.assessments)
    per_segment = reach.reach_by_segment(snap.routes, snap.provisions, segments)
    per_segment = per_segment[per_segment["year"].isin(ctx.years)]
    overall = _years(reach.reach(snap.routes, snap.provisions), ctx).reset_index()
    total = pd.DataFrame([reach.reach_total(snap.routes, snap.provisions)]).assign(year="totaal")
    both = pd.concat([overall, total]).assign(segment="Totaal")
    frame = pd.concat([both, per_segment], ignore_index=True)
    return _long(frame, period="year", group="segment", measures=reach.REACH_COLUMNS)


def kpi_route_end_reasons(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = end_reasons.route_end_reasons(snap.routes, ctx.facts.route_end_reason_labels)
    return _long(frame, group="end_reason", measures=["count", "share_pct"])


def kpi_job_exits_by_type(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    table = job_exits.job_exits_by_type_year(snap.placements)
    # Every reported year is a column: 0 in a year of the recorded history without placements,
    # no value (shown as "–") in a year before the history starts, where 0 would claim a count.
    table = table.reindex(columns=pd.Index(list(ctx.years), name="year"), fill_value=0)
    first = first_recorded_year(snap)
    before = [year for year in ctx.years if first is None or year < first]
    table[before] = float("nan")
    table.loc["Totaal"] = table.sum(min_count=1)
    long = pd.Series(table.stack(future_stack=True), name="count").reset_index()
    return _long(long, period="year", group="job_type", measures=["count"])


def kpi_regular_job_share(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    share = job_exits.regular_job_share_by_year(snap.placements, ctx.facts.job_types)
    frame = _years(share, ctx)
    return _long(frame, period="year", measures=["placements", "regular", "share_pct"])


def kpi_work_or_school_exits(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    ended = snap.routes[snap.routes["end_reason"].isin(ctx.facts.success_route_reasons)]
    counts = ended.groupby([ended["end_date"].dt.year.rename("year"), "end_reason"]).size()
    frame = counts.rename("routes").reset_index()
    frame = frame[frame["year"].isin(ctx.years)]
    totals = frame.groupby("year")["routes"].sum().reset_index().assign(end_reason="Totaal")
    frame = pd.concat([frame, totals], ignore_index=True)
    return _long(frame, period="year", group="end_reason", measures=["routes"])


def kpi_durability(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = durability.durability(
        snap.routes,
        snap.benefit_spells,
        work_reasons=list(ctx.facts.work_route_reasons),
        reference_date=ctx.reference_date,
    )
    frame = frame[frame["year"].isin([*map(str, ctx.years), "all"])].copy()
    frame["year"] = frame["year"].replace({"all": "totaal"})
    frame["months"] = frame["months"].astype(str) + " maanden"
    return _long(
        frame,
        period="year",
        group="months",
        measures=["exits", "durable", "durable_pct", "returned_pct"],
    )


def kpi_dropout(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = dropout.dropout_by_benefit_duration(snap.routes, snap.benefit_spells)
    return _long(frame, group="band", measures=["ended", "stopped", "dropout_pct"])


def kpi_route_duration(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = _long(
        durations.route_duration_distribution(snap.routes),
        group="band",
        measures=["routes", "share_pct"],
    )
    quartiles = durations.route_duration_quartiles(snap.routes)
    extra = pd.DataFrame(
        {"period": "", "group": "", "subgroup": "", "measure": list(quartiles),
         "value": list(quartiles.values())}
    )  # fmt: skip
    return pd.concat([frame, extra], ignore_index=True)


def kpi_waiting_time(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = _years(durations.waiting_time_by_year(snap.provisions), ctx)
    return _long(frame, period="year", measures=["waits", "median_days", "mean_days", "long_pct"])


def kpi_gos_cooccurrence(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    codes = list(ctx.facts.gos_codes)
    matrix = cooccurrence.gos_cooccurrence(snap.provisions, codes)
    shares = pd.Series(matrix[codes].stack(future_stack=True), name="share_pct").reset_index()
    routes = matrix["routes"].rename("routes").reset_index().assign(also_has="")
    return pd.concat(
        [
            _long(shares, group="has", subgroup="also_has", measures=["share_pct"]),
            _long(routes, group="has", measures=["routes"]),
        ],
        ignore_index=True,
    )


def kpi_language_coverage(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = coverage.language_coverage(
        snap.benefit_spells,
        snap.assessments,
        snap.routes,
        snap.provisions,
        reference_date=ctx.reference_date,
    )
    return _long(frame, group="group", measures=["population", "need", "covered", "coverage_pct"])


def _cohort_periods(ctx: KpiContext) -> list[tuple[int, date, date]]:
    periods = []
    for year in ctx.years:
        start = date(year - 1, 12, 31)  # open at the end of the year before = on 1 January
        end = min(date(year, 12, 31), ctx.reference_date)
        if start < ctx.reference_date:
            periods.append((year, start, end))
    return periods


def _cohort(snap: Snapshot, ctx: KpiContext, by: str) -> pd.DataFrame:
    frames = []
    for year, start, end in _cohort_periods(ctx):
        outcomes = cohort_outflow.cohort_outcomes(
            snap.dossiers,
            snap.benefit_spells,
            snap.assessments,
            snap.routes,
            snap.provisions,
            cohort_date=start,
            period_end=end,
            work_reasons=list(ctx.facts.work_benefit_reasons),
            training_window_years=ctx.training_window_years,
        )
        shares = cohort_outflow.outflow_share(outcomes, by).rename_axis(by).reset_index()
        frames.append(_long(shares.assign(year=year), period="year", group=by,
                            measures=["dossiers", "to_work", "share_pct"]))  # fmt: skip
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def kpi_cohort_outflow_category(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    return _cohort(snap, ctx, "category")


def kpi_cohort_outflow_training(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    return _cohort(snap, ctx, "training")


def kpi_divosa_outflow_rate(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = cohort_outflow.divosa_outflow_rate(
        snap.dossiers,
        snap.benefit_spells,
        years=ctx.years,
        work_reasons=list(ctx.facts.work_benefit_reasons),
    )
    return _long(frame, period="year", measures=["to_work", "average_stock", "rate_pct"])


def kpi_caseload_net_change(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = caseload.stock_at_year_end(snap.dossiers, ctx.years)
    frame["reduction"] = -frame["net_change"]
    frame["group"] = "Totaal"
    return _long(frame, period="year", group="group",
                 measures=["stock", "net_change", "reduction"])  # fmt: skip


def kpi_caseload_flows(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = caseload.flows_by_year(snap.dossiers, snap.benefit_spells, ctx.years)
    return _long(frame, period="year", group="flow", subgroup="reason", measures=["dossiers"])


def kpi_inflow_outflow_by_reason(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = municipalities.flows_by_reason(snap.dossiers, snap.benefit_spells, ctx.years)
    return _long(frame, period="year", group="flow", subgroup="reason", measures=["dossiers"])


def kpi_caseload_per_fte(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    ends = caseload.quarter_ends(ctx.years, pd.Timestamp(ctx.reference_date))
    counts = caseload.open_routes_at(snap.routes, ends)
    fte: pd.Series | float = caseload.klantmanager_fte(snap.staff)
    if snap.staff.empty and not snap.municipality_fte.empty:
        # One municipality of a shared service: the formation stated for it, per year.
        fte = caseload.fte_by_year(snap.municipality_fte, list(counts.index))
    frame = caseload.caseload_per_fte(counts, fte)
    frame.index = [d.strftime("%Y-Q") + str((d.month - 1) // 3 + 1) for d in frame.index]
    frame.index.name = "quarter"
    return _long(frame, period="quarter", measures=["caseload", "fte", "per_fte"])


def kpi_ladder_rise(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    moves = ladder.ladder_moves(snap.provisions, snap.routes, snap.assessments)
    frame = ladder.ladder_rise_by_provision_type(moves)
    return _long(frame, group="provision_type", measures=["persons", "risen", "rise_pct"])


def kpi_budget_vs_actual(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = costs.budget_vs_actual(snap.budgets, snap.cost_lines)
    frame = frame[frame["year"].isin(ctx.years)]
    return _long(frame, period="year", group="line",
                 measures=["budgeted", "actual", "difference"])  # fmt: skip


def _per_unit(snap: Snapshot, units: pd.Series, group: str) -> pd.DataFrame:
    frame = costs.net_cost_per_unit(costs.actual_saldo_by_year(snap.cost_lines), units)
    return _long(frame.assign(group=group), period="year", group="group",
                 measures=["saldo", "units", "per_unit"])  # fmt: skip


def kpi_net_cost_per_participant(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    units = costs.new_participants_by_year(snap.provisions, snap.routes)
    return _per_unit(snap, units[units.index.isin(ctx.years)], "nieuwe deelnemers")


def kpi_net_cost_per_route(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    with_basic = costs.routes_with_basic(snap.routes, snap.provisions)
    return pd.concat(
        [
            _per_unit(snap, costs.active_routes_by_year(snap.routes, ctx.years), "alle routes"),
            _per_unit(
                snap,
                costs.active_routes_by_year(with_basic, ctx.years),
                "routes met basisvoorziening",
            ),
        ],
        ignore_index=True,
    )


def kpi_net_cost_per_durable_exit(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    exits = job_exits.work_exits(snap.routes, list(ctx.facts.work_route_reasons))
    rates = job_exits.durable_exit_rate(
        exits,
        snap.benefit_spells,
        reference_date=ctx.reference_date,
        months=ctx.success.durable_months,
    )
    units = rates["durable"][rates.index.isin(ctx.years)]
    return _per_unit(snap, units, "duurzame uitstroom")


def kpi_cost_per_client_by_provision_type(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frames = []
    for year in ctx.years:
        frame = costs.cost_per_client_by_provision_type(snap.provisions, snap.routes, year)
        frames.append(_long(frame.assign(year=year), period="year", group="provision_type",
                            measures=["cost", "clients", "per_client"]))  # fmt: skip
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


# --- the evaluators' recommendations -----------------------------------------------------


def kpi_inflow_speed(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = inflow.inflow_speed(
        snap.benefit_spells,
        snap.contacts,
        snap.provisions,
        snap.routes,
        snap.assessments,
        reference_date=ctx.reference_date,
        years=ctx.years,
    )
    return _long(frame, period="year", group="segment", subgroup="origin",
                 measures=inflow.SPEED_MEASURES)  # fmt: skip


def kpi_induction_week_uptake(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = inflow.induction_week_uptake(
        snap.benefit_spells,
        snap.provisions,
        snap.routes,
        snap.assessments,
        reference_date=ctx.reference_date,
        years=ctx.years,
        weeks=ctx.induction_weeks,
    )
    return _long(frame, period="year", group="segment",
                 measures=["new_clients", "judged", "started", "started_pct"])  # fmt: skip


def kpi_contact_intensity(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    years = intensity.person_years(
        snap.routes,
        snap.contacts,
        snap.assessments,
        years=ctx.years,
        reference_date=ctx.reference_date,
        work_route=ctx.facts.segment_work_route,
    )
    frame = intensity.contact_intensity(years, snap.persons)
    return _long(frame, period="year", group="group", subgroup="track",
                 measures=intensity.MEASURES)  # fmt: skip


def kpi_lks_placements(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = lks.lks_by_year(
        snap.placements,
        snap.placement_instruments,
        snap.cost_lines,
        years=ctx.years,
        reference_date=ctx.reference_date,
    )
    return _long(frame, period="year", measures=lks.MEASURES)


def kpi_participation_outcomes(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = participation.participation_outcomes(
        snap.assessments,
        snap.benefit_spells,
        snap.routes,
        snap.provisions,
        years=ctx.years,
        reference_date=ctx.reference_date,
        work_route=ctx.facts.segment_work_route,
    )
    return _long(frame, period="year", measures=participation.MEASURES)


def kpi_long_stay_caseload(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = long_stay.long_stay(
        snap.benefit_spells,
        snap.contacts,
        snap.provisions,
        snap.routes,
        years=ctx.years,
        reference_date=ctx.reference_date,
        bridge_months=ctx.bridge_months,
    )
    return _long(frame, period="year", measures=long_stay.MEASURES)


def kpi_life_domains(snap: Snapshot, ctx: KpiContext) -> pd.DataFrame:
    frame = life_domains.life_domain_problems(
        snap.life_domains,
        snap.benefit_spells,
        snap.routes,
        snap.provisions,
        reference_date=ctx.reference_date,
        problem_max=ctx.facts.life_domain_problem_max,
    )
    return _long(frame, group="domain", measures=life_domains.MEASURES)


KpiFunction = Callable[["Snapshot", KpiContext], pd.DataFrame]

REGISTRY: dict[str, KpiFunction] = {
    "reach": kpi_reach,
    "route_end_reasons": kpi_route_end_reasons,
    "job_exits_by_type": kpi_job_exits_by_type,
    "regular_job_share": kpi_regular_job_share,
    "work_or_school_exits": kpi_work_or_school_exits,
    "durability": kpi_durability,
    "dropout_by_benefit_duration": kpi_dropout,
    "route_duration": kpi_route_duration,
    "provision_waiting_time": kpi_waiting_time,
    "gos_cooccurrence": kpi_gos_cooccurrence,
    "language_coverage": kpi_language_coverage,
    "cohort_outflow_category": kpi_cohort_outflow_category,
    "cohort_outflow_training": kpi_cohort_outflow_training,
    "divosa_outflow_rate": kpi_divosa_outflow_rate,
    "caseload_net_change": kpi_caseload_net_change,
    "caseload_flows": kpi_caseload_flows,
    "caseload_per_fte": kpi_caseload_per_fte,
    "inflow_outflow_by_reason": kpi_inflow_outflow_by_reason,
    "ladder_rise": kpi_ladder_rise,
    "budget_vs_actual": kpi_budget_vs_actual,
    "net_cost_per_participant": kpi_net_cost_per_participant,
    "net_cost_per_route": kpi_net_cost_per_route,
    "net_cost_per_durable_exit": kpi_net_cost_per_durable_exit,
    "cost_per_client_by_provision_type": kpi_cost_per_client_by_provision_type,
    "inflow_speed": kpi_inflow_speed,
    "induction_week_uptake": kpi_induction_week_uptake,
    "contact_intensity": kpi_contact_intensity,
    "lks_placements": kpi_lks_placements,
    "participation_outcomes": kpi_participation_outcomes,
    "long_stay_caseload": kpi_long_stay_caseload,
    "life_domains": kpi_life_domains,
}
# Depend on the choice of success definition (the others carry an empty success_definition).
USES_SUCCESS = {"net_cost_per_durable_exit"}


def compute_kpis(snap: Snapshot, ctx: KpiContext, ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The tidy result set of the chosen KPIs (all by default), plus ``targets``."""
    definitions = kpi_definitions()
    chosen = list(ids) if ids is not None else list(definitions)
    unknown = [i for i in chosen if i not in definitions]
    if unknown:
        raise ValueError(f"Onbekende indicator(en): {', '.join(unknown)}")
    frames = []
    for kpi_id in chosen:
        if kpi_id == "targets":
            continue
        frames.append(_attach(REGISTRY[kpi_id](snap, ctx), kpi_id, ctx))
    results = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RESULT_COLUMNS)
    )
    if "targets" in chosen:
        results = pd.concat([results, _attach(kpi_targets(results, ctx), "targets", ctx)])
    return results.reset_index(drop=True)[RESULT_COLUMNS]


def kpi_targets(results: pd.DataFrame, ctx: KpiContext) -> pd.DataFrame:
    chosen = (
        list(ctx.targets) if ctx.targets is not None else targets.load_targets(ctx.targets_path)
    )
    frame = targets.targets_vs_realisation(chosen, results)
    frame["met"] = frame["met"].map({True: 1.0, False: 0.0})
    return _long(frame, period="year", group="target_id",
                 measures=["minimum", "maximum", "realised", "met"])  # fmt: skip


def _attach(frame: pd.DataFrame, kpi_id: str, ctx: KpiContext) -> pd.DataFrame:
    definition = kpi_definitions()[kpi_id]
    out = frame.copy()
    out.insert(0, "unit", definition.unit)
    out.insert(0, "kind", definition.kind)
    out.insert(0, "version", definition.version)
    out.insert(0, "kpi_id", kpi_id)
    out["reference_date"] = ctx.reference_date.isoformat()
    out["success_definition"] = ctx.success.label if kpi_id in USES_SUCCESS else ""
    return out
