"""The dashboard's panels: each a KPI from the registry as a chart plus a table, with its
definition, reference date and success definition (also written in the chart itself), small
cells suppressed where required (primary and secondary: a hidden count cannot be recomputed
from a total or shares on the page) and drill-down links on the counts that have a list
behind them."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from werkpad.analytics import scope
from werkpad.analytics.definitions import (
    KpiDefinition,
    SuccessDefinition,
    kpi_definitions,
    success_definition,
)
from werkpad.analytics.kpis import KpiContext, KpiSettings, compute_kpis
from werkpad.analytics.snapshot import Snapshot
from werkpad.analytics.suppression import SECONDARY_MARKER, suppress
from werkpad.analytics.targets import Target, load_targets, targets_vs_realisation
from werkpad.domain.codelists import code_list
from werkpad.domain.formatting import is_missing
from werkpad.reports.tables import (
    BUDGET_LINES,
    Column,
    Links,
    PublishedTable,
    TableSpec,
    protect,
    render,
    table,
)
from werkpad.web import dashboard_charts as dc
from werkpad.web.dashboard_filters import Filters
from werkpad.web.recommendation_panels import Publication, recommendation_panels
from werkpad.web.templating import nl_date, percent

MAIN_KPIS = [
    "reach",
    "regular_job_share",
    "durability",
    "caseload_net_change",
    "caseload_per_fte",
    "budget_vs_actual",
]
ENDED_KPIS = ["route_end_reasons", "dropout_by_benefit_duration"]
NET_REDUCTION_TARGET = "LV_NET_REDUCTION"
COUNT = Column("value", "", "count")


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    kpi: KpiDefinition
    lead: str
    chart: str
    table: PublishedTable  # declared in reports.tables, shared with the council report
    success: SuccessDefinition | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ViewOptions:
    """What differs per role: suppression of small cells and drill-down links."""

    suppress: bool
    threshold: int
    drill: bool
    # The municipality's settings of the figures (issue 18); part of the board's cache key.
    indicators: KpiSettings = field(default_factory=KpiSettings)
    # The chosen municipality's targets, or the service's as set (None: the packaged ones).
    targets: tuple[Target, ...] | None = None


@dataclass(frozen=True)
class Board:
    filters: Filters
    options: ViewOptions
    panels: list[Panel]
    team_scope_note: str = ""


# --- formatting -------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return is_missing(value)


def count_text(value: object) -> str:
    """A count in a lead text (tables format theirs by their declaration)."""
    return COUNT.text(value)


def pct_text(value: object) -> str:
    if isinstance(value, str):
        return value
    return "–" if _missing(value) else percent(float(value))  # type: ignore[arg-type]


def chart_value(value: object) -> float | None:
    """Chart values: hidden (a marker) and missing become gaps."""
    if isinstance(value, str) or _missing(value):
        return None
    return float(value)  # type: ignore[arg-type]


# --- helpers ----------------------------------------------------------------------------


def _wide(results: pd.DataFrame, kpi_id: str, index: Sequence[str]) -> pd.DataFrame:
    rows = results[results["kpi_id"] == kpi_id]
    if rows.empty:
        return pd.DataFrame()
    return rows.pivot_table(
        index=list(index), columns="measure", values="value", aggfunc="first", dropna=False
    ).reset_index()


def _published(
    spec: TableSpec,
    frame: pd.DataFrame,
    options: ViewOptions,
    links: Links | None = None,
) -> PublishedTable:
    """``frame`` protected as declared for roles that see published tables, and rendered."""
    shown, hidden = protect(spec, frame, threshold=options.threshold, enabled=options.suppress)
    return render(spec, shown, hidden=hidden, links=links)


def _stamp(panel: Panel, filters: Filters) -> Panel:
    text = f"{panel.kpi.id} v{panel.kpi.version} · peildatum {nl_date(filters.reference_date)}" + (
        f" · {panel.success.name_nl} (versie {panel.success.version})" if panel.success else ""
    )
    return replace(panel, chart=dc.stamped(panel.chart, text))


class _Links:
    def __init__(self, filters: Filters, options: ViewOptions) -> None:
        self.filters = filters
        self.enabled = options.drill

    def __call__(self, kpi_id: str, value: object, **extra: str | int) -> str | None:
        if not self.enabled or isinstance(value, str) or _missing(value) or not value:
            return None
        return "/dashboard/lijst?" + self.filters.query(kpi=kpi_id, **extra)


def _kpi(kpi_id: str) -> KpiDefinition:
    return kpi_definitions()[kpi_id]


# --- the panels -------------------------------------------------------------------------


def build_board(
    snap: Snapshot,
    filters: Filters,
    options: ViewOptions,
    team_names: Mapping[int, str] | None = None,
    cache: Callable[[Hashable, Callable[[], pd.DataFrame]], pd.DataFrame] | None = None,
) -> Board:
    """All panels for ``filters`` from the (unfiltered) snapshot ``snap``; ``team_names``
    labels the per-team panels; ``cache`` (the figures service's) keeps figures that do not
    depend on the role, so a second role's board does not compute them again."""
    scoped = scope.restrict(snap, team_id=filters.team_id, segment=filters.segment)
    ctx = KpiContext(
        reference_date=filters.reference_date,
        years=filters.years,
        success=success_definition(filters.success),
    )
    main = compute_kpis(scoped, ctx, MAIN_KPIS)
    ended = compute_kpis(scope.ended_in_period(scoped, filters.years), ctx, ENDED_KPIS)
    period_reach = compute_kpis(scope.started_in_period(scoped, filters.years), ctx, ["reach"])
    links = _Links(filters, options)
    builders: list[Callable[[], Panel]] = [
        lambda: _reach_panel(main, period_reach, filters, options, links),
        lambda: _end_reasons_panel(ended, filters, options, links),
        lambda: _regular_panel(main, filters, options),
        lambda: _durability_panel(main, filters, options, links, ctx.success),
        lambda: _dropout_panel(ended, filters, options, links),
        lambda: _caseload_change_panel(main, filters, options),
        lambda: _caseload_fte_panel(main, filters, options),
        lambda: _budget_panel(main, filters),
        lambda: _durable_cost_panel(snap, ctx, filters, options),
    ]
    panels = [build() for build in builders]
    publication = Publication(options.suppress, options.threshold, options.indicators)
    panels += [
        Panel(p.key, p.title, p.kpi, p.lead, p.chart, p.table, notes=p.notes)
        for p in recommendation_panels(
            scoped, ctx, filters, publication, team_names or {}, cache=cache
        )
    ]
    return Board(filters, options, [_stamp(panel, filters) for panel in panels])


def _reach_panel(
    main: pd.DataFrame,
    period_reach: pd.DataFrame,
    filters: Filters,
    options: ViewOptions,
    links: _Links,
) -> Panel:
    columns = ["candidates", "routes", "provisions", "provision_types"]
    wide = _wide(main[main["group"] == "Totaal"], "reach", ["period"])
    years = [str(y) for y in filters.years]
    by_year = (
        wide.set_index("period").reindex(years).reindex(columns=columns).fillna(0)
        if not wide.empty
        else pd.DataFrame(0, index=years, columns=columns)
    )
    by_year.index.name = "period"
    totals_wide = _wide(period_reach[period_reach["group"] == "Totaal"], "reach", ["period"])
    totals = totals_wide[totals_wide["period"] == "totaal"].reindex(columns=columns).fillna(0)
    total_row = (
        totals.iloc[[0]] if not totals.empty else pd.DataFrame(0, index=[0], columns=columns)
    )
    # The years and the period total (in the lead) are published together: a year's small
    # count must not follow from the total minus the other years.
    both = pd.concat([by_year.reset_index(), total_row.assign(period="totaal")], ignore_index=True)
    spec = table("reach_by_year")
    both_shown, hidden = protect(spec, both, threshold=options.threshold, enabled=options.suppress)
    shown = both_shown.iloc[:-1].reset_index(drop=True)
    t = both_shown.iloc[-1]
    route_link = {"routes": lambda r: links("reach", r["routes"], periode=r["period"])}
    published = render(spec, shown, hidden=hidden, links=route_link)
    route_links = [
        links("reach", v, periode=y) for v, y in zip(shown["routes"], years, strict=True)
    ]
    series = [
        dc.Series("Kandidaten", [chart_value(v) for v in shown["candidates"]]),
        dc.Series("Routes", [chart_value(v) for v in shown["routes"]], route_links),
        dc.Series("Voorzieningen", [chart_value(v) for v in shown["provisions"]]),
    ]
    chart = dc.bars(years, series, y_title="Aantal", x_title="Startjaar")
    lead = (
        f"Aantal routes dat in het jaar is gestart, aantal kandidaten met minstens één route die "
        f"in dat jaar startte, en aantal ingezette voorzieningen (naar startdatum), tot en met de "
        f"peildatum {nl_date(filters.reference_date)}. In de gekozen periode "
        f"({filters.period_label}): {count_text(t['candidates'])} kandidaten, "
        f"{count_text(t['routes'])} routes, {count_text(t['provisions'])} voorzieningen van "
        f"{count_text(t['provision_types'])} verschillende soorten."
    )
    return Panel("bereik", "Bereik per jaar", _kpi("reach"), lead, chart, published)


def _end_reasons_panel(
    ended: pd.DataFrame, filters: Filters, options: ViewOptions, links: _Links
) -> Panel:
    labels = code_list("route_end_reason")
    wide = _wide(ended, "route_end_reasons", ["group"])
    if wide.empty:
        wide = pd.DataFrame(columns=["group", "count", "share_pct"])
    wide = wide.sort_values(["count", "group"], ascending=[False, True])
    total = int(wide["count"].sum()) if not wide.empty else 0
    wide = wide.assign(label=[labels.label(str(g)) for g in wide["group"]])
    published = _published(
        table("route_end_reasons"), wide, options,
        {"count": lambda r: links("route_end_reasons", r["count"], groep=r["group"])},
    )  # fmt: skip
    shown = published.shown
    total_text = count_text(suppress(pd.DataFrame({"n": [total]}), ["n"],
                                     threshold=options.threshold)[0]["n"].iloc[0]
                            if options.suppress else total)  # fmt: skip
    ordered = shown.iloc[::-1]
    chart = dc.bars(
        [labels.label(str(g)) for g in ordered["group"]],
        [dc.Series("Beëindigde routes", [chart_value(v) for v in ordered["count"]],
                   [links("route_end_reasons", v, groep=g)
                    for v, g in zip(ordered["count"], ordered["group"], strict=True)])],
        y_title="Beëindigde routes",
        horizontal=True,
    )  # fmt: skip
    lead = (
        f"Alle routes die in {filters.period_label} en vóór of op de peildatum "
        f"{nl_date(filters.reference_date)} zijn beëindigd ({total_text}), naar reden van "
        "beëindiging. Het percentage is het aandeel van alle beëindigde routes; lopende routes "
        "tellen niet mee."
    )
    return Panel("redenen", "Redenen van beëindiging van routes", _kpi("route_end_reasons"), lead,
                 chart, published)  # fmt: skip


def _regular_panel(main: pd.DataFrame, filters: Filters, options: ViewOptions) -> Panel:
    wide = _wide(main, "regular_job_share", ["period"])
    if wide.empty:
        wide = pd.DataFrame(columns=["period", "placements", "regular", "share_pct"])
    published = _published(table("regular_job_share"), wide, options)
    shown = published.shown
    chart = dc.bars(
        [str(p) for p in shown["period"]],
        [dc.Series("Regulier", [chart_value(v) for v in shown["share_pct"]])],
        y_title="Procent",
        x_title="Jaar",
        percent=True,
    )
    lead = (
        f"Van alle plaatsingen in een baan die in het jaar begonnen (tot de peildatum "
        f"{nl_date(filters.reference_date)}): het aandeel in een reguliere baan. Regulier zijn "
        "baantypen 1, 2, 4 en 6; beschut werk en garantiebanen niet."
    )
    return Panel("regulier", "Aandeel reguliere banen bij uitstroom naar werk",
                 _kpi("regular_job_share"), lead, chart, published)  # fmt: skip


def _durability_panel(
    main: pd.DataFrame,
    filters: Filters,
    options: ViewOptions,
    links: _Links,
    success: SuccessDefinition,
) -> Panel:
    wide = _wide(main, "durability", ["period", "group"])
    columns = ["period", "group", "exits", "durable", "durable_pct", "returned_pct"]
    wide = wide.reindex(columns=columns) if not wide.empty else pd.DataFrame(columns=columns)
    wide["months"] = wide["group"].astype(str).str.split(" ").str[0]
    wide = wide.sort_values(["period", "months"], key=lambda s: s.map(_sort_key))
    chosen = str(success.durable_months)
    wide["term"] = [f"{m} maanden" + (" (gekozen)" if m == chosen else "") for m in wide["months"]]

    def exits_link(r: pd.Series) -> str | None:
        if r["period"] == "totaal":
            return None
        return links("durability", r["exits"], periode=r["period"], groep=r["months"])

    published = _published(table("durability_by_year"), wide, options, {"exits": exits_link})
    shown = published.shown
    per_year = shown[shown["period"] != "totaal"]
    years = sorted(set(per_year["period"].astype(str)))
    series = []
    for months in ("6", "12", "18"):
        part = per_year[per_year["months"] == months].set_index("period")
        values = [chart_value(part["durable_pct"].get(y)) for y in years]
        name = f"{months} maanden" + (" (gekozen definitie)" if months == chosen else "")
        series.append(dc.Series(name, values))
    chart = dc.bars(years, series, y_title="Procent duurzaam", x_title="Jaar van uitstroom",
                    percent=True)  # fmt: skip
    overall = shown[(shown["period"] == "totaal") & (shown["months"] == chosen)]
    overall_text = pct_text(overall["durable_pct"].iloc[0]) if not overall.empty else "–"
    lead = (
        "Van alle routes die eindigden met uitstroom naar werk (baan of zelfstandig "
        "ondernemerschap) lang genoeg vóór de peildatum "
        f"{nl_date(filters.reference_date)}: het aandeel waarbij de kandidaat in de 6, 12 of 18 "
        "maanden na de uitstroom géén nieuwe uitkering kreeg. Volgens de gekozen succesdefinitie "
        f"({success.name_nl}, versie {success.version}) over alle jaren: {overall_text}."
    )
    return Panel("duurzaamheid", "Duurzaamheid van uitstroom naar werk", _kpi("durability"),
                 lead, chart, published, success=success)  # fmt: skip


def _sort_key(value: object) -> object:
    text = str(value)
    return (1, text) if not text.isdigit() else (0, f"{int(text):06d}")


def _dropout_panel(
    ended: pd.DataFrame, filters: Filters, options: ViewOptions, links: _Links
) -> Panel:
    wide = _wide(ended, "dropout_by_benefit_duration", ["group"])
    columns = ["group", "ended", "stopped", "dropout_pct"]
    wide = wide.reindex(columns=columns) if not wide.empty else pd.DataFrame(columns=columns)
    order = ["< 6 maanden", "6-24 maanden", "> 24 maanden", "geen uitkering"]
    wide = wide.set_index("group").reindex(order).fillna({"ended": 0, "stopped": 0}).reset_index()
    published = _published(
        table("dropout_by_benefit_duration"), wide, options,
        {"stopped": lambda r: links("dropout_by_benefit_duration", r["stopped"], groep=r["group"])},
    )  # fmt: skip
    shown = published.shown
    chart = dc.bars(
        [str(g) for g in shown["group"]],
        [dc.Series("Uitval", [chart_value(v) for v in shown["dropout_pct"]],
                   [links("dropout_by_benefit_duration", v, groep=g)
                    for v, g in zip(shown["stopped"], shown["group"], strict=True)])],
        y_title="Procent tussentijds gestopt",
        x_title="Uitkeringsduur bij de start van de route",
        percent=True,
    )  # fmt: skip
    lead = (
        f"Van de routes die in {filters.period_label} (tot de peildatum "
        f"{nl_date(filters.reference_date)}) zijn beëindigd: het aandeel dat tussentijds stopte, "
        "naar de duur van de uitkering bij de start van de route."
    )
    return Panel("uitval", "Uitval naar uitkeringsduur", _kpi("dropout_by_benefit_duration"),
                 lead, chart, published)  # fmt: skip


def _caseload_change_panel(main: pd.DataFrame, filters: Filters, options: ViewOptions) -> Panel:
    wide = _wide(main, "caseload_net_change", ["period"])
    columns = ["period", "stock", "net_change", "reduction"]
    wide = wide.reindex(columns=columns) if not wide.empty else pd.DataFrame(columns=columns)
    chosen = options.targets if options.targets is not None else load_targets()
    target = next((t for t in chosen if t.id == NET_REDUCTION_TARGET), None)
    realised = targets_vs_realisation([target], main) if target else pd.DataFrame()
    goal: dict[str, float | None] = {}
    met: dict[str, object] = {}
    for _, r in realised.iterrows():
        goal[str(r["year"])] = r["minimum"]
        met[str(r["year"])] = r["met"]
    spec = table("caseload_net_change")
    shown, hidden = protect(spec, wide, threshold=options.threshold, enabled=options.suppress)
    # The change of the next year is that year's stock minus this one: hide it too.
    stock_hidden = shown["stock"].map(lambda v: isinstance(v, str)).tolist() if len(shown) else []
    for i in range(1, len(stock_hidden)):
        if stock_hidden[i - 1] and not stock_hidden[i]:
            shown.loc[shown.index[i], ["net_change", "reduction"]] = SECONDARY_MARKER
            hidden += 2
    shown["goal"] = [goal.get(str(year)) for year in shown["period"]]
    shown["met"] = [
        "–" if met.get(str(year)) is None or str(year) not in goal or isinstance(reduction, str)
        else ("ja" if met[str(year)] else "nee")
        for year, reduction in zip(shown["period"], shown["reduction"], strict=True)
    ]  # fmt: skip
    published = render(spec, shown, hidden=hidden)
    years = [str(p) for p in shown["period"]]
    chart = dc.bars(
        years,
        [dc.Series("Daling van het bestand", [chart_value(v) for v in shown["reduction"]])],
        y_title="Dossiers",
        x_title="Jaar",
        target=dc.Series("Doel: minimale daling", [goal.get(y) for y in years]),
    )
    notes = []
    if target:
        notes.append(f"Doel: {target.label_nl} ({target.first_year}–{target.last_year}; "
                     f"bron: {target.source}).")  # fmt: skip
        if filters.team_id is not None or filters.segment:
            notes.append("Het doel geldt voor de hele gemeente, niet voor het gekozen team of "
                         "segment.")  # fmt: skip
    lead = (
        "Het aantal open uitkeringsdossiers op 31 december (tot de peildatum "
        f"{nl_date(filters.reference_date)}) en de verandering tegenover een jaar eerder; de "
        "daling is positief als het bestand kleiner werd."
    )
    return Panel("bestand", "Netto verandering van het bestand tegenover het doel",
                 _kpi("caseload_net_change"), lead, chart, published, notes=notes)  # fmt: skip


def _caseload_fte_panel(main: pd.DataFrame, filters: Filters, options: ViewOptions) -> Panel:
    wide = _wide(main, "caseload_per_fte", ["period"])
    columns = ["period", "caseload", "fte", "per_fte"]
    wide = wide.reindex(columns=columns) if not wide.empty else pd.DataFrame(columns=columns)
    published = _published(table("caseload_per_fte"), wide, options)
    shown = published.shown
    chart = dc.lines(
        [str(p) for p in shown["period"]],
        [dc.Series("Kandidaten per fte", [chart_value(v) for v in shown["per_fte"]])],
        y_title="Kandidaten per fte",
    )
    notes = ["De fte is de huidige bezetting van actieve klantmanagers"
             + (" van het gekozen team" if filters.team_id is not None else "")
             + "; werkpad bewaart geen historie van de bezetting."]  # fmt: skip
    lead = (
        "Aan het eind van elk kwartaal (tot de peildatum "
        f"{nl_date(filters.reference_date)}): het aantal kandidaten met een lopende route, "
        "gedeeld door het aantal fte klantmanagers."
    )
    return Panel("caseload", "Caseload per fte klantmanager", _kpi("caseload_per_fte"), lead,
                 chart, published, notes=notes)  # fmt: skip


def _budget_panel(main: pd.DataFrame, filters: Filters) -> Panel:
    wide = _wide(main, "budget_vs_actual", ["period", "group"])
    columns = ["period", "group", "budgeted", "actual", "difference"]
    wide = wide.reindex(columns=columns) if not wide.empty else pd.DataFrame(columns=columns)
    order = list(BUDGET_LINES)
    wide = wide.assign(_line=wide["group"].map(order.index)).sort_values(["period", "_line"])
    wide["label"] = [BUDGET_LINES.get(str(g), str(g)) for g in wide["group"]]
    published = render(table("budget_vs_actual"), wide.astype(object))  # whole-municipality sums
    saldo = wide[wide["group"] == "saldo"]
    years = [str(p) for p in saldo["period"]]
    chart = dc.bars(
        years,
        [dc.Series("Begroot saldo", [chart_value(v) for v in saldo["budgeted"]]),
         dc.Series("Werkelijk saldo", [chart_value(v) for v in saldo["actual"]])],
        y_title="Euro",
        x_title="Jaar",
    )  # fmt: skip
    notes = ["Bedragen gelden voor de hele gemeente; het team- en segmentfilter is hier niet van "
             "toepassing."]  # fmt: skip
    lead = (
        "Per jaar de begrote en de werkelijk geboekte lasten, baten en het saldo (tot de "
        f"peildatum {nl_date(filters.reference_date)}), en apart loonkostensubsidie en "
        "gesubsidieerde arbeid. Verschil = begroot min werkelijk (positief = onderbesteding)."
    )
    return Panel("kosten", "Kosten: begroting en realisatie", _kpi("budget_vs_actual"), lead,
                 chart, published, notes=notes)  # fmt: skip


def _durable_cost_panel(
    snap: Snapshot, ctx: KpiContext, filters: Filters, options: ViewOptions
) -> Panel:
    """Net cost per durable work exit for the whole municipality: the one figure whose value
    depends on the chosen success definition (6, 12 or 18 months without benefit)."""
    results = compute_kpis(snap, ctx, ["net_cost_per_durable_exit"])
    wide = _wide(results, "net_cost_per_durable_exit", ["period"])
    columns = ["period", "saldo", "units", "per_unit"]
    wide = wide.reindex(columns=columns) if not wide.empty else pd.DataFrame(columns=columns)
    published = _published(table("net_cost_per_durable_exit"), wide, options)
    shown = published.shown
    chart = dc.bars(
        [str(p) for p in shown["period"]],
        [dc.Series("Netto kosten per duurzame uitstroom",
                   [chart_value(v) for v in shown["per_unit"]])],
        y_title="Euro",
        x_title="Jaar van uitstroom",
    )  # fmt: skip
    success = ctx.success
    notes = ["Bedragen en uitstroom gelden voor de hele gemeente; het team- en segmentfilter is "
             "hier niet van toepassing."]  # fmt: skip
    lead = (
        "Per jaar het werkelijke saldo (tot de peildatum "
        f"{nl_date(filters.reference_date)}) gedeeld door het aantal routes dat in dat jaar "
        "eindigde met werk en duurzaam bleef volgens de gekozen succesdefinitie "
        f"({success.name_nl}, versie {success.version}). Een andere succesdefinitie verandert "
        "het aantal duurzame uitstromers en dus de kosten per uitstromer."
    )
    return Panel("kosten-duurzaam", "Netto kosten per duurzame uitstroom naar werk",
                 _kpi("net_cost_per_durable_exit"), lead, chart, published, success=success,
                 notes=notes)  # fmt: skip


@dataclass(frozen=True)
class Headline:
    """One figure at the top of the dashboard, taken from a panel's published table."""

    key: str
    figure: str
    what: str


HEADLINES = 6


def _is_zero(text: str) -> bool:
    return text.strip() in ("0", "0,0", "–", "-", "x", "<10", "")


def headlines(panels: list[Panel]) -> list[Headline]:
    """The first numeric figure of each panel's total row (a row labelled ``Totaal``), else of
    its latest row that has a figure; panels whose figures are all empty or hidden are skipped.
    Suppressed cells stay suppressed: the text is the published one."""
    found: list[Headline] = []
    for panel in panels:
        rows = panel.table.rows
        totals = [r for r in rows if r and r[0].text.strip().lower() == "totaal"]
        candidates = totals or list(reversed(rows))
        for row in candidates:
            index = next(
                (i for i, c in enumerate(row) if i > 0 and c.numeric and not _is_zero(c.text)),
                None,
            )
            if index is None:
                continue
            label = panel.table.headers[index].lower()
            where = "" if row[0].numeric else f" ({row[0].text})"
            found.append(Headline(panel.key, row[index].text, f"{panel.title}: {label}{where}"))
            break
        if len(found) >= HEADLINES:
            break
    return found
