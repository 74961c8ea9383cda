"""The council report (raadsrapportage): summary, output and outcome indicators, costs, trends
and plain-Dutch explanations, as HTML and as PDF (WeasyPrint) with static SVG charts.

Published tables hide counts under the threshold (10 by default) and the shares built on them
(primary suppression), and where a total or shares of the total are shown also the cells that
would give a hidden count away (secondary suppression, marked ``x``); they say so under the
table. Codes (segments, targets) are shown with their Dutch label; the code stays in a small
column.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from werkpad.analytics.definitions import kpi_definitions
from werkpad.analytics.kpis import KpiContext
from werkpad.analytics.suppression import SECONDARY_MARKER, has_secondary, suppress
from werkpad.analytics.targets import load_targets
from werkpad.domain.codelists import code_list
from werkpad.reports.charts import bar_chart_svg
from werkpad.reports.effects_chapter import EffectSummary, chapter_html

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


def _fmt(value: object, decimals: int = 0) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


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


class _Builder:
    def __init__(self, results: pd.DataFrame, ctx: KpiContext, year: int, threshold: int):
        self.results = results
        self.ctx = ctx
        self.year = year
        self.threshold = threshold
        self.parts: list[str] = []
        self.definitions = kpi_definitions()

    def add(self, text: str) -> None:
        self.parts.append(text)

    def heading(self, text: str) -> None:
        self.add(f"<h2>{html.escape(text)}</h2>")

    def para(self, text: str) -> None:
        self.add(f"<p>{html.escape(text)}</p>")

    def table(
        self,
        frame: pd.DataFrame,
        *,
        kpi_ids: Sequence[str],
        counts: Sequence[str] = (),
        shares: dict[str, str] | None = None,
        decimals: dict[str, int] | None = None,
        total_row: str | None = None,
        shares_of_total: Sequence[str] = (),
        additive: Sequence[str] | None = None,
    ) -> None:
        """A published table. ``total_row``: the first-column value of the row that sums the
        others; ``shares_of_total``: count columns whose total the shares give away;
        ``additive``: the count columns that add up over the rows (default: all)."""
        total_rows = frame.iloc[:, 0].astype(str) == total_row if total_row else None
        shown, hidden = suppress(
            frame,
            counts,
            dependent=shares,
            threshold=self.threshold,
            total_rows=total_rows,
            shares_of_total=shares_of_total,
            additive=additive,
        )

        def cell_class(column: object) -> str:
            return " class='code'" if column == CODE else ""

        head = "".join(f"<th{cell_class(c)}>{html.escape(str(c))}</th>" for c in shown.columns)
        rows = []
        for _, row in shown.iterrows():
            cells = "".join(
                f"<td{cell_class(c)}>"
                f"{html.escape(_fmt(row[c], (decimals or {}).get(str(c), 0)))}</td>"
                for c in shown.columns
            )
            rows.append(f"<tr>{cells}</tr>")
        self.add(f"<table><tr>{head}</tr>{''.join(rows)}</table>")
        notes = []
        if hidden:
            notes.append(
                f"{hidden} cel(len) niet getoond om herleidbaarheid te voorkomen: aantallen met "
                f"minder dan {self.threshold} personen of routes (&lt;{self.threshold}) en de "
                "percentages die erop rusten."
            )
        if has_secondary(shown):
            notes.append(
                f"{SECONDARY_MARKER} = niet klein, maar ook verborgen: anders is een verborgen "
                "aantal terug te rekenen uit het totaal of de percentages."
            )
        for kpi_id in kpi_ids:
            d = self.definitions[kpi_id]
            notes.append(
                f"<span class='kpi'>[{d.id} v{d.version}, {d.kind}]</span> "
                f"{html.escape(d.definition_nl)}"
            )
        self.add(f"<div class='note'>{'<br>'.join(notes)}</div>")

    def chart(self, svg: str) -> None:
        self.add(f"<div class='chart'>{svg}</div>")


CODE = "Code"
UNIT_NAMES = {
    "nieuwe deelnemers": "per nieuwe deelnemer",
    "alle routes": "per actieve route",
    "routes met basisvoorziening": "per actieve route met basisvoorziening",
    "duurzame uitstroom": "per duurzame uitstroom naar werk",
}


def _labelled(frame: pd.DataFrame, column: str, labels: dict[str, str], title: str) -> pd.DataFrame:
    """Replace the codes in ``column`` by their Dutch label (title ``title``) and keep the code
    in a small column next to it; rows without a code (Totaal, Onbekend) get no code."""
    codes = frame[column].astype(str)
    out = frame.drop(columns=[column])
    out.insert(0, CODE, codes.where(codes.isin(list(labels)), ""))
    out.insert(0, title, codes.map(labels).fillna(codes))
    return out


def _wide(part: pd.DataFrame, index: str | list[str], columns: str) -> pd.DataFrame:
    return part.pivot_table(index=index, columns=columns, values="value", aggfunc="first",
                            sort=False)  # fmt: skip


def build_html(
    results: pd.DataFrame,
    ctx: KpiContext,
    *,
    year: int,
    threshold: int = 10,
    effects: Sequence[EffectSummary] | None = None,
) -> str:
    """The whole report as one HTML document (no external files, no scripts). ``effects``
    (from ``effects_chapter.effect_summaries``) adds the effectiveness chapter."""
    b = _Builder(results, ctx, year, threshold)
    y = str(year)
    years = [str(v) for v in ctx.years]
    reasons = {c.code: c.label_nl for c in code_list("route_end_reason")}
    segments = {c.code: c.label_nl for c in code_list("segment")}
    b.add(f"<h1>Re-integratie {year}: raadsrapportage</h1>")
    b.para(
        f"Peildatum {ctx.reference_date:%d-%m-%Y}. Duurzame uitstroom volgens "
        f"'{ctx.success.name_nl}' ({ctx.success.label}). Alle cijfers komen uit werkpad en zijn "
        "herleidbaar tot een vaste definitie met een nummer en een versie (zie onder elke tabel)."
    )

    # --- summary ------------------------------------------------------------------------
    b.heading("Samenvatting")
    candidates = _value(results, "reach", "candidates", period=y, group="Totaal")
    exits = _value(results, "work_or_school_exits", "routes", period=y, group="Totaal")
    durable = _value(results, "durability", "durable_pct", period="totaal",
                     group=f"{ctx.success.durable_months} maanden")  # fmt: skip
    change = _value(results, "caseload_net_change", "net_change", period=y)
    stock = _value(results, "caseload_net_change", "stock", period=y)
    per_participant = _value(results, "net_cost_per_participant", "per_unit", period=y)
    items = [
        f"In {year} begonnen {_fmt(candidates)} kandidaten aan een re-integratieroute.",
        f"{_fmt(exits)} routes eindigden in {year} met werk, een eigen bedrijf of een opleiding.",
        f"Van wie aan het werk ging, had {_fmt(durable)}% na {ctx.success.durable_months} "
        "maanden geen nieuwe uitkering.",
        f"Op 31 december {year} waren er {_fmt(stock)} open uitkeringsdossiers "
        f"({'+' if (change or 0) > 0 else ''}{_fmt(change)} ten opzichte van een jaar eerder).",
        f"De netto uitvoeringskosten per nieuwe deelnemer waren € {_fmt(per_participant)}.",
    ]
    b.add("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
    if ctx.reference_date.year == year:
        b.para(
            f"Let op: {year} is nog niet voorbij op de peildatum; de cijfers over {year} gaan "
            f"tot {ctx.reference_date:%d-%m-%Y}."
        )

    # --- output -------------------------------------------------------------------------
    b.heading("Output: wat heeft de gemeente gedaan?")
    reach = _pick(results, "reach")
    reach_year = _wide(reach[reach["period"] == y], "group", "measure").reset_index()
    reach_year.columns = ["group", "Kandidaten", "Routes", "Voorzieningen", "Soorten"]
    reach_year = _labelled(reach_year, "group", segments, "Segment")
    b.para("Hoeveel mensen, routes en voorzieningen er in het jaar zijn begonnen, per segment.")
    b.table(reach_year, kpi_ids=["reach"],
            counts=["Kandidaten", "Routes", "Voorzieningen", "Soorten"], total_row="Totaal",
            additive=["Kandidaten", "Routes", "Voorzieningen"])  # fmt: skip
    duration = _wide(_pick(results, "route_duration").query("group != ''"), "group", "measure")
    duration = duration.reset_index()
    duration.columns = ["Duur", "Routes", "Aandeel (%)"]
    b.para("Hoe lang afgeronde routes duurden.")
    b.table(duration, kpi_ids=["route_duration"], counts=["Routes"],
            shares={"Aandeel (%)": "Routes"}, decimals={"Aandeel (%)": 1},
            shares_of_total=["Routes"])  # fmt: skip
    wait = _wide(_pick(results, "provision_waiting_time"), "period", "measure").reset_index()
    wait = wait[["period", "waits", "median_days", "long_pct"]]
    wait.columns = ["Jaar", "Overgangen", "Mediaan (dagen)", "Langer dan 4 weken (%)"]
    b.table(wait, kpi_ids=["provision_waiting_time"], counts=["Overgangen"],
            decimals={"Langer dan 4 weken (%)": 1})  # fmt: skip
    language = _wide(_pick(results, "language_coverage"), "group", "measure").reset_index()
    language = language[["group", "need", "covered", "coverage_pct"]]
    language.columns = ["group", "Taalbehoefte", "Met taalvoorziening", "Bereik (%)"]
    language = _labelled(language, "group", segments, "Segment")
    b.para("Krijgen mensen die onvoldoende Nederlands spreken ook een taalvoorziening?")
    b.table(language, kpi_ids=["language_coverage"], counts=["Taalbehoefte", "Met taalvoorziening"],
            shares={"Bereik (%)": "Met taalvoorziening"}, decimals={"Bereik (%)": 1},
            total_row="Totaal")  # fmt: skip

    # --- outcome ------------------------------------------------------------------------
    b.heading("Outcome: wat heeft het opgeleverd?")
    ends = _wide(_pick(results, "route_end_reasons"), "group", "measure").reset_index()
    ends["group"] = ends["group"].map(reasons).fillna(ends["group"])
    ends.columns = ["Reden van beëindiging", "Routes", "Aandeel (%)"]
    b.para("Waarom routes eindigden (alle beëindigde routes tot de peildatum).")
    b.table(ends, kpi_ids=["route_end_reasons"], counts=["Routes"],
            shares={"Aandeel (%)": "Routes"}, decimals={"Aandeel (%)": 1},
            shares_of_total=["Routes"])  # fmt: skip
    jobs = _wide(_pick(results, "job_exits_by_type"), "group", "period")
    labels = {c.code: c.label_nl for c in code_list("job_type")}
    jobs.index = [labels.get(str(i), str(i)) for i in jobs.index]
    jobs = jobs.rename_axis("Soort baan").reset_index()
    b.para("Uitstroom naar werk per soort baan en jaar.")
    b.table(jobs, kpi_ids=["job_exits_by_type", "regular_job_share"],
            counts=[c for c in jobs.columns if c != "Soort baan"], total_row="Totaal")  # fmt: skip
    dur = _pick(results, "durability")
    dur_wide = _wide(dur[dur["measure"] == "durable_pct"], "group", "period").reset_index()
    dur_wide = dur_wide.rename(columns={"group": "Na"})
    b.para("Bleven mensen uit de uitkering nadat ze aan het werk gingen? (percentage zonder "
           "nieuwe uitkering; een jaar staat er pas als de termijn voorbij is)")  # fmt: skip
    b.table(dur_wide, kpi_ids=["durability"],
            decimals={c: 1 for c in dur_wide.columns})  # fmt: skip
    drop = _wide(_pick(results, "dropout_by_benefit_duration"), "group", "measure").reset_index()
    drop = drop[["group", "ended", "stopped", "dropout_pct"]]
    drop.columns = ["Uitkeringsduur bij start", "Beëindigd", "Tussentijds gestopt", "Uitval (%)"]
    b.table(drop, kpi_ids=["dropout_by_benefit_duration"],
            counts=["Beëindigd", "Tussentijds gestopt"],
            shares={"Uitval (%)": "Tussentijds gestopt"}, decimals={"Uitval (%)": 1})  # fmt: skip
    cohort = _pick(results, "cohort_outflow_category")
    cohort = _wide(cohort[cohort["period"] == y], "group", "measure").reset_index()
    if len(cohort):
        cohort = cohort[["group", "dossiers", "to_work", "share_pct"]]
        cohort.columns = ["group", "Dossiers op 1 januari", "Naar werk", "Aandeel (%)"]
        cohort = _labelled(cohort, "group", segments, "Categorie")
        b.para(f"Van de dossiers die op 1 januari {year} open waren: hoeveel sloten er vanwege "
               "werk, per categorie?")  # fmt: skip
        b.table(cohort, kpi_ids=["cohort_outflow_category"], counts=["Naar werk"],
                shares={"Aandeel (%)": "Naar werk"}, decimals={"Aandeel (%)": 1},
                total_row="Totaal")  # fmt: skip
    training = _pick(results, "cohort_outflow_training")
    training = _wide(training[training["period"] == y], "group", "measure").reset_index()
    if len(training):
        training = training[["group", "dossiers", "to_work", "share_pct"]]
        training.columns = ["Werkgerichte opleiding", "Dossiers", "Naar werk", "Aandeel (%)"]
        b.table(training, kpi_ids=["cohort_outflow_training", "divosa_outflow_rate"],
                counts=["Naar werk"], shares={"Aandeel (%)": "Naar werk"},
                decimals={"Aandeel (%)": 1}, total_row="Totaal")  # fmt: skip
    target_rows = _wide(_pick(results, "targets"), ["group", "period"], "measure").reset_index()
    if len(target_rows):
        target_rows["met"] = target_rows["met"].map({1.0: "ja", 0.0: "nee"}).fillna("–")
        target_rows = target_rows[["group", "period", "minimum", "realised", "met"]]
        target_rows.columns = ["group", "Jaar", "Doel (minimaal)", "Gerealiseerd", "Gehaald"]
        goals = {t.id: t.label_nl for t in load_targets(ctx.targets_path)}
        target_rows = _labelled(target_rows, "group", goals, "Doel")
        b.para("Doelen en realisatie.")
        b.table(target_rows, kpi_ids=["targets", "work_or_school_exits", "caseload_net_change"])

    # --- costs --------------------------------------------------------------------------
    b.heading("Kosten")
    money = _pick(results, "budget_vs_actual")
    money = money[money["period"] == y]
    money = _wide(money, "group", "measure").reset_index()
    if len(money):
        line_names = {"lasten": "Lasten (uitvoering en voorzieningen)", "baten": "Baten (o.a. ESF)",
                      "saldo": "Saldo", "lks": "Loonkostensubsidies",
                      "subsidised_work": "Gesubsidieerde arbeid"}  # fmt: skip
        money["group"] = money["group"].map(line_names)
        money = money[["group", "budgeted", "actual", "difference"]]
        money.columns = [f"{year} (euro)", "Begroot", "Werkelijk", "Verschil"]
        b.para("Verschil = begroot min werkelijk: een positief verschil is minder uitgegeven.")
        b.table(money, kpi_ids=["budget_vs_actual"])
    unit_rows = []
    for kpi_id in ("net_cost_per_participant", "net_cost_per_route", "net_cost_per_durable_exit"):
        part = _pick(results, kpi_id, "per_unit")
        for group, rows in part.groupby("group", sort=False):
            values = rows.set_index("period")["value"]
            unit_rows.append([UNIT_NAMES.get(str(group), f"per {group}"),
                              *[values.get(v, float("nan")) for v in years]])  # fmt: skip
    if unit_rows:
        units = pd.DataFrame(unit_rows, columns=["Netto kosten (euro)", *years])
        b.table(units, kpi_ids=["net_cost_per_participant", "net_cost_per_route",
                                "net_cost_per_durable_exit"])  # fmt: skip

    # --- trends -------------------------------------------------------------------------
    b.heading("Trends")
    exits_by_year = _pick(results, "work_or_school_exits", "routes")
    exits_values = exits_by_year[exits_by_year["group"] == "Totaal"].set_index("period")["value"]
    exits_series = {"routes": [float(exits_values.get(v, 0.0)) for v in years]}
    b.chart(
        bar_chart_svg(
            years, exits_series, title="Routes beëindigd met werk of school", ylabel="routes"
        )
    )
    stock_years = _pick(results, "caseload_net_change", "stock").set_index("period")["value"]
    b.chart(
        bar_chart_svg(
            years,
            {"dossiers": [stock_years.get(v, 0.0) for v in years]},
            title="Open uitkeringsdossiers op 31 december",
            ylabel="dossiers",
        )
    )
    saldo = _pick(results, "budget_vs_actual")
    saldo = saldo[saldo["group"] == "saldo"]
    budgeted = saldo[saldo["measure"] == "budgeted"].set_index("period")["value"]
    actual = saldo[saldo["measure"] == "actual"].set_index("period")["value"]
    b.chart(bar_chart_svg(
        years,
        {"begroot": [budgeted.get(v, 0.0) / 1e6 for v in years],
         "werkelijk": [actual.get(v, 0.0) / 1e6 for v in years]},
        title="Netto uitvoeringskosten (saldo)", ylabel="miljoen euro"))  # fmt: skip
    if ctx.reference_date.year in ctx.years:
        b.para(f"{ctx.reference_date.year} loopt tot de peildatum en is dus nog niet compleet.")

    # --- effects ------------------------------------------------------------------------
    if effects:
        b.add(chapter_html(effects, threshold))

    # --- about --------------------------------------------------------------------------
    b.heading("Over deze cijfers")
    b.para(
        "Output-indicatoren beschrijven wat de gemeente doet (bereik, voorzieningen, kosten); "
        "outcome-indicatoren beschrijven wat dat oplevert (werk, duurzaamheid, uitstroom). "
        f"Tabellen tonen geen aantallen onder {threshold}, en ook geen percentages die op zo'n "
        "klein aantal berusten. Staat er een totaal of een percentage van het totaal bij, dan "
        "is ook een tweede cel verborgen (x), zodat het kleine aantal niet uit het totaal min "
        "de andere cellen is terug te rekenen. Codes (zoals segmenten) staan met hun "
        "Nederlandse omschrijving in de tabellen. De gegevens zijn gepseudonimiseerd: er zijn "
        "geen namen of BSN's gebruikt. Succesdefinitie: " + ctx.success.definition_nl
    )
    return (
        "<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>"
        f"<title>Raadsrapportage re-integratie {year}</title><style>{CSS}</style></head>"
        f"<body>{''.join(b.parts)}</body></html>"
    )


def write_report(
    results: pd.DataFrame,
    ctx: KpiContext,
    *,
    year: int,
    out: Path,
    threshold: int = 10,
    effects: Sequence[EffectSummary] | None = None,
) -> tuple[Path, Path]:
    """Write ``raadsrapportage-YEAR.html`` and ``.pdf`` into ``out``; returns both paths."""
    from weasyprint import HTML

    out.mkdir(parents=True, exist_ok=True)
    document = build_html(results, ctx, year=year, threshold=threshold, effects=effects)
    html_path = out / f"raadsrapportage-{year}.html"
    pdf_path = out / f"raadsrapportage-{year}.pdf"
    html_path.write_text(document, encoding="utf-8")
    HTML(string=document, base_url=str(out)).write_pdf(pdf_path)
    return html_path, pdf_path
