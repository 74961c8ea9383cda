"""The council report (raadsrapportage): summary, output and outcome indicators, costs, trends
and plain-Dutch explanations, as HTML and as PDF (WeasyPrint) with static SVG charts.

The tables are declared in ``reports.tables`` (shared with the dashboard) and laid out by the
Jinja templates in ``reports/templates``. They hide counts under the municipality's small-cell
threshold (a setting, 10 by default) and the shares built on them (primary suppression), and
where a total or shares of the total are shown also the cells that would give a hidden count
away (secondary suppression, marked ``x``); they say so under the table. Codes (segments,
targets) are shown with their Dutch label; the code stays in a small column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader

from werkpad.analytics.definitions import KpiDefinition, kpi_definitions
from werkpad.analytics.kpis import KpiContext
from werkpad.analytics.suppression import DEFAULT_THRESHOLD
from werkpad.analytics.targets import load_targets
from werkpad.domain.codelists import code_list
from werkpad.domain.formatting import dutch_number
from werkpad.reports.charts import bar_chart_svg
from werkpad.reports.effects_chapter import EffectSummary, chapter_html
from werkpad.reports.municipal_comparison import ComparisonTable
from werkpad.reports.recommendations import report_chapter
from werkpad.reports.tables import BUDGET_LINES, PublishedTable, publish, table

CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page); font-size: 9pt; } }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; color: #222; }
h1 { color: #1f5f8b; font-size: 20pt; } h2 { color: #1f5f8b; border-bottom: 1px solid #1f5f8b; }
table { border-collapse: collapse; margin: 6px 0 4px; } td, th { padding: 2px 8px;
border-bottom: 1px solid #ddd; text-align: right; } th { background: #eef3f7; }
td:first-child, th:first-child { text-align: left; }
.note { font-size: 8.5pt; color: #555; margin-bottom: 12px; }
.chart svg { width: 100%; height: auto; }
.kpi { font-size: 8pt; color: #777; }
td.code, th.code { font-size: 7.5pt; color: #777; text-align: left; }
"""


TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    trim_blocks=True,
)
UNIT_NAMES = {
    "nieuwe deelnemers": "per nieuwe deelnemer",
    "alle routes": "per actieve route",
    "routes met basisvoorziening": "per actieve route met basisvoorziening",
    "duurzame uitstroom": "per duurzame uitstroom naar werk",
}


@dataclass(frozen=True)
class ReportTable:
    """A published table as the report shows it: an optional lead-in, the table and the
    definitions of the KPIs it shows."""

    table: PublishedTable
    intro: str | None
    definitions: list[KpiDefinition]


class _Tables:
    """Publishes the report's tables with one threshold."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.definitions = kpi_definitions()

    def __call__(
        self, key: str, frame: pd.DataFrame, intro: str | None = None, omit: Sequence[str] = ()
    ) -> ReportTable:
        spec = table(key)
        published = publish(spec, frame, threshold=self.threshold, omit=omit)
        return ReportTable(published, intro, [self.definitions[k] for k in spec.kpi_ids])


def _fmt(value: float | None) -> str:
    return dutch_number(value)


def _pick(results: pd.DataFrame, kpi_id: str, measure: str | None = None) -> pd.DataFrame:
    part = results[results["kpi_id"] == kpi_id]
    return part if measure is None else part[part["measure"] == measure]


def _value(results: pd.DataFrame, kpi_id: str, measure: str, *, period: str = "",
           group: str = "") -> float | None:  # fmt: skip
    part = _pick(results, kpi_id, measure)
    if period:
        part = part[part["period"] == period]
    if group:
        part = part[part["group"] == group]
    return float(part["value"].iloc[0]) if len(part) and pd.notna(part["value"].iloc[0]) else None


def _labelled(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """The codes in ``group`` become a ``label`` (their Dutch name) and a ``code`` column;
    rows without a code (Totaal, Onbekend) keep their text and get no code."""
    codes = frame["group"].astype(str)
    out = frame.drop(columns=["group"])
    out.insert(0, "code", codes.where(codes.isin(list(labels)), ""))
    out.insert(0, "label", codes.map(labels).fillna(codes))
    return out


def _wide(part: pd.DataFrame, index: str | list[str], columns: str) -> pd.DataFrame:
    return part.pivot_table(index=index, columns=columns, values="value", aggfunc="first",
                            sort=False)  # fmt: skip


def _measures(results: pd.DataFrame, kpi_id: str, year: str | None = None) -> pd.DataFrame:
    """One row per group with a column per measure (of ``year`` when given)."""
    part = _pick(results, kpi_id)
    if year is not None:
        part = part[part["period"] == year]
    return _wide(part, "group", "measure").reset_index()


def summary_items(results: pd.DataFrame, ctx: KpiContext, year: int) -> list[str]:
    """The summary's five sentences."""
    y = str(year)
    candidates = _value(results, "reach", "candidates", period=y, group="Totaal")
    exits = _value(results, "work_or_school_exits", "routes", period=y, group="Totaal")
    durable = _value(results, "durability", "durable_pct", period="totaal",
                     group=f"{ctx.success.durable_months} maanden")  # fmt: skip
    change = _value(results, "caseload_net_change", "net_change", period=y)
    stock = _value(results, "caseload_net_change", "stock", period=y)
    per_participant = _value(results, "net_cost_per_participant", "per_unit", period=y)
    return [
        f"In {year} begonnen {_fmt(candidates)} kandidaten aan een re-integratieroute.",
        f"{_fmt(exits)} routes eindigden in {year} met werk, een eigen bedrijf of een opleiding.",
        f"Van wie aan het werk ging, had {_fmt(durable)}% na {ctx.success.durable_months} "
        "maanden geen nieuwe uitkering.",
        f"Op 31 december {year} waren er {_fmt(stock)} open uitkeringsdossiers "
        f"({'+' if (change or 0) > 0 else ''}{_fmt(change)} ten opzichte van een jaar eerder).",
        f"De netto uitvoeringskosten per nieuwe deelnemer waren € {_fmt(per_participant)}.",
    ]


def output_tables(results: pd.DataFrame, year: int, tables: _Tables) -> list[ReportTable]:
    """Reach per segment, route duration, waiting time for provisions, language coverage."""
    segments = {c.code: c.label_nl for c in code_list("segment")}
    reach = _labelled(_measures(results, "reach", str(year)), segments)
    duration = _wide(_pick(results, "route_duration").query("group != ''"), "group", "measure")
    duration = duration.reset_index()
    wait = _wide(_pick(results, "provision_waiting_time"), "period", "measure").reset_index()
    language = _labelled(_measures(results, "language_coverage"), segments)
    return [
        tables(
            "reach_by_segment",
            reach,
            "Hoeveel mensen, routes en voorzieningen er in het jaar zijn begonnen, per segment.",
        ),
        tables("route_duration", duration, "Hoe lang afgeronde routes duurden."),
        tables("provision_waiting_time", wait),
        tables(
            "language_coverage",
            language,
            "Krijgen mensen die onvoldoende Nederlands spreken ook een taalvoorziening?",
        ),
    ]


def outcome_tables(
    results: pd.DataFrame, ctx: KpiContext, year: int, tables: _Tables
) -> list[ReportTable]:
    """End reasons, job exits, durability, dropout, cohort outflow and targets."""
    reasons = {c.code: c.label_nl for c in code_list("route_end_reason")}
    ends = _measures(results, "route_end_reasons")
    codes = ends.pop("group")
    ends.insert(0, "label", codes.map(reasons).fillna(codes))
    jobs = _wide(_pick(results, "job_exits_by_type"), "group", "period")
    labels = {c.code: c.label_nl for c in code_list("job_type")}
    jobs.index = [labels.get(str(i), str(i)) for i in jobs.index]
    jobs = jobs.rename_axis("label").reset_index()
    durability = _pick(results, "durability", "durable_pct")
    durability = _wide(durability, "group", "period").reset_index()
    out = [
        tables(
            "route_end_reasons",
            ends,
            "Waarom routes eindigden (alle beëindigde routes tot de peildatum).",
        ),
        tables("job_exits_by_type", jobs, "Uitstroom naar werk per soort baan en jaar."),
        tables(
            "durability_by_term",
            durability,
            "Bleven mensen uit de uitkering nadat ze aan "
            "het werk gingen? (percentage zonder nieuwe uitkering; een jaar staat er pas als "
            "de termijn voorbij is)",
        ),
        tables("dropout_by_benefit_duration", _measures(results, "dropout_by_benefit_duration")),
    ]
    return out + _cohort_and_target_tables(results, ctx, year, tables)


def _cohort_and_target_tables(
    results: pd.DataFrame, ctx: KpiContext, year: int, tables: _Tables
) -> list[ReportTable]:
    out = []
    segments = {c.code: c.label_nl for c in code_list("segment")}
    cohort = _measures(results, "cohort_outflow_category", str(year))
    if len(cohort):
        out.append(tables("cohort_outflow_category", _labelled(cohort, segments),
                          f"Van de dossiers die op 1 januari {year} open waren: hoeveel sloten er "
                          "vanwege werk, per categorie?"))  # fmt: skip
    training = _measures(results, "cohort_outflow_training", str(year))
    if len(training):
        out.append(tables("cohort_outflow_training", training))
    goals = _wide(_pick(results, "targets"), ["group", "period"], "measure").reset_index()
    # Only the report's years: a target of a later year has no realisation yet.
    goals = goals[goals["period"].astype(str).isin([str(y) for y in ctx.years if y <= year])]
    if len(goals):
        met = goals["met"] if "met" in goals else pd.Series(float("nan"), index=goals.index)
        goals["met"] = met.map({1.0: "ja", 0.0: "nee"}).fillna("–")
        names = {t.id: t.label_nl for t in load_targets(ctx.targets_path)}
        names.update({t.id: t.label_nl for t in ctx.targets or ()})
        out.append(tables("targets", _labelled(goals, names), "Doelen en realisatie."))
    return out


def cost_tables(
    results: pd.DataFrame, ctx: KpiContext, year: int, tables: _Tables
) -> list[ReportTable]:
    """Budget against actual for the year, and net cost per unit over the years."""
    out = []
    money = _pick(results, "budget_vs_actual")
    money = _wide(money[money["period"] == str(year)], "group", "measure").reset_index()
    if len(money):
        money.insert(0, "label", money["group"].map(BUDGET_LINES))
        out.append(tables("budget_vs_actual", money, "Verschil = begroot min werkelijk: een "
                          "positief verschil is minder uitgegeven.", omit=("period",)))  # fmt: skip
    years = [str(v) for v in ctx.years]
    unit_rows = []
    for kpi_id in ("net_cost_per_participant", "net_cost_per_route", "net_cost_per_durable_exit"):
        part = _pick(results, kpi_id, "per_unit")
        for group, rows in part.groupby("group", sort=False):
            values = rows.set_index("period")["value"]
            unit_rows.append([UNIT_NAMES.get(str(group), f"per {group}"),
                              *[values.get(v, float("nan")) for v in years]])  # fmt: skip
    if unit_rows:
        out.append(tables("net_cost_per_unit", pd.DataFrame(unit_rows, columns=["label", *years])))
    return out


def recommendation_tables(
    results: pd.DataFrame,
    ctx: KpiContext,
    year: int,
    tables: _Tables,
    team_names: Mapping[int, str],
) -> list[ReportTable]:
    """The chapter on the evaluators' recommendations (issue 18), suppressed like every other
    table; the per-klantmanager contact intensity is never part of it."""
    return report_chapter(
        results,
        year=year,
        years=ctx.years,
        team_names=team_names,
        publish=lambda key, frame, intro: tables(key, frame, intro),
    )


def trend_charts(results: pd.DataFrame, ctx: KpiContext) -> list[str]:
    """Work or school exits, open benefit dossiers and the net cost (saldo) per year."""
    years = [str(v) for v in ctx.years]
    exits_by_year = _pick(results, "work_or_school_exits", "routes")
    exits_values = exits_by_year[exits_by_year["group"] == "Totaal"].set_index("period")["value"]
    stock_years = _pick(results, "caseload_net_change", "stock").set_index("period")["value"]
    saldo = _pick(results, "budget_vs_actual")
    saldo = saldo[saldo["group"] == "saldo"]
    budgeted = saldo[saldo["measure"] == "budgeted"].set_index("period")["value"]
    actual = saldo[saldo["measure"] == "actual"].set_index("period")["value"]
    return [
        bar_chart_svg(years, {"routes": [float(exits_values.get(v, 0.0)) for v in years]},
                      title="Routes beëindigd met werk of school", ylabel="routes"),
        bar_chart_svg(years, {"dossiers": [stock_years.get(v, 0.0) for v in years]},
                      title="Open uitkeringsdossiers op 31 december", ylabel="dossiers"),
        bar_chart_svg(
            years,
            {"begroot": [budgeted.get(v, 0.0) / 1e6 for v in years],
             "werkelijk": [actual.get(v, 0.0) / 1e6 for v in years]},
            title="Netto uitvoeringskosten (saldo)", ylabel="miljoen euro"),
    ]  # fmt: skip


def build_html(
    results: pd.DataFrame,
    ctx: KpiContext,
    *,
    year: int,
    threshold: int = DEFAULT_THRESHOLD,
    effects: Sequence[EffectSummary] | None = None,
    team_names: Mapping[int, str] | None = None,
    municipality: str | None = None,
    comparison: Sequence[ComparisonTable] = (),
) -> str:
    """The whole report as one HTML document (no external files, no scripts), from the
    template ``templates/council.html``. ``threshold`` is the municipality's small-cell
    threshold; ``effects`` (from ``effects_chapter.effect_summaries``) adds the effectiveness
    chapter. ``team_names`` labels the teams of the contact intensity (id -> name).
    ``municipality`` names the one municipality of the service the figures are of;
    ``comparison`` (``municipal_comparison``) sets the service's municipalities side by side."""
    tables = _Tables(threshold)
    return TEMPLATES.get_template("council.html").render(
        css=CSS,
        year=year,
        ctx=ctx,
        threshold=threshold,
        summary=summary_items(results, ctx, year),
        output=output_tables(results, year, tables),
        outcome=outcome_tables(results, ctx, year, tables),
        costs=cost_tables(results, ctx, year, tables),
        charts=trend_charts(results, ctx),
        effects=chapter_html(effects, threshold) if effects else "",
        recommendations=recommendation_tables(results, ctx, year, tables, team_names or {}),
        municipality=municipality,
        comparison=list(comparison),
    )


def write_report(
    results: pd.DataFrame,
    ctx: KpiContext,
    *,
    year: int,
    out: Path,
    threshold: int = DEFAULT_THRESHOLD,
    effects: Sequence[EffectSummary] | None = None,
    team_names: Mapping[int, str] | None = None,
    municipality: str | None = None,
    comparison: Sequence[ComparisonTable] = (),
) -> tuple[Path, Path]:
    """Write ``raadsrapportage-YEAR.html`` and ``.pdf`` into ``out``; returns both paths."""
    out.mkdir(parents=True, exist_ok=True)
    document = build_html(
        results,
        ctx,
        year=year,
        threshold=threshold,
        effects=effects,
        team_names=team_names,
        municipality=municipality,
        comparison=comparison,
    )
    html_path = out / f"raadsrapportage-{year}.html"
    pdf_path = out / f"raadsrapportage-{year}.pdf"
    html_path.write_text(document, encoding="utf-8")
    pdf_path.write_bytes(render_pdf(document, base_url=str(out)))
    return html_path, pdf_path


def render_pdf(document: str, base_url: str | None = None) -> bytes:
    """The report as a tagged PDF (PDF/UA-1: structure tags, the document language from
    ``<html lang>`` as /Lang, a title), for screen readers."""
    from weasyprint import HTML

    pdf = HTML(string=document, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return pdf
