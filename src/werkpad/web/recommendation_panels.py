"""The dashboard's panels for the evaluators' recommendations (issue 18): speed for new inflow,
the induction week, contact intensity against the norm (per track and per team), LKS, broader
participation outcomes, the long-stay caseload and the ZRM life domains.

The frames come from ``reports.recommendations`` and the tables from ``reports.tables``, the
same the council report publishes; suppression follows the role (``ViewOptions``). Contact
intensity per klantmanager is not a dashboard panel: it is the teamleider's own page.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from werkpad.analytics.definitions import KpiDefinition, kpi_definitions
from werkpad.analytics.kpis import KpiContext, KpiSettings, compute_kpis
from werkpad.analytics.snapshot import Snapshot
from werkpad.domain.formatting import is_missing
from werkpad.reports import recommendations as rec
from werkpad.reports.tables import PublishedTable, protect, render, table
from werkpad.web import dashboard_charts as dc
from werkpad.web.dashboard_filters import Filters
from werkpad.web.templating import nl_date

RECOMMENDATION_KPIS = [
    "inflow_speed",
    "induction_week_uptake",
    "contact_intensity",
    "lks_placements",
    "participation_outcomes",
    "long_stay_caseload",
    "life_domains",
]
MUNICIPALITY_NOTE = (
    "De uitgaven gelden voor de hele gemeente; het team- en segmentfilter is daar niet van "
    "toepassing."
)


@dataclass(frozen=True)
class Publication:
    """How the tables are published for this role (``dashboard_panels.ViewOptions``)."""

    suppress: bool
    threshold: int
    indicators: KpiSettings = field(default_factory=KpiSettings)


@dataclass(frozen=True)
class Panel:
    """One panel; ``dashboard_panels`` lays it out like its own."""

    key: str
    title: str
    kpi: KpiDefinition
    lead: str
    chart: str
    table: PublishedTable
    notes: list[str] = field(default_factory=list)


def chart_value(value: object) -> float | None:
    """Chart values: hidden (a marker) and missing become gaps."""
    if isinstance(value, str) or is_missing(value):
        return None
    return float(value)  # type: ignore[arg-type]


def _published(key: str, frame: pd.DataFrame, options: Publication) -> PublishedTable:
    spec = table(key)
    shown, hidden = protect(spec, frame, threshold=options.threshold, enabled=options.suppress)
    return render(spec, shown, hidden=hidden)


def _series(shown: pd.DataFrame, column: str, name: str, years: list[str]) -> dc.Series:
    values = shown.set_index(shown["period"].astype(str))[column] if len(shown) else pd.Series()
    return dc.Series(name, [chart_value(values.get(y)) for y in years])


def _panel(key: str, title: str, kpi_id: str, lead: str, chart: str, published: PublishedTable,
           notes: list[str] | None = None) -> Panel:  # fmt: skip
    return Panel(key, title, kpi_definitions()[kpi_id], lead, chart, published, notes or [])


def recommendation_panels(
    snap: Snapshot,
    ctx: KpiContext,
    filters: Filters,
    options: Publication,
    team_names: Mapping[int, str],
    cache: Callable[[Hashable, Callable[[], pd.DataFrame]], pd.DataFrame] | None = None,
) -> list[Panel]:
    """The recommendation panels for ``filters`` on the (already scoped) snapshot ``snap``.
    The figures do not depend on the role; ``cache`` keeps them per filters and settings."""
    ctx = ctx.with_settings(options.indicators)

    def compute() -> pd.DataFrame:
        return compute_kpis(snap, ctx, RECOMMENDATION_KPIS)

    key = ("recommendation_kpis", filters, options.indicators)
    results = cache(key, compute) if cache is not None else compute()
    years = [str(y) for y in filters.years]
    ref = nl_date(filters.reference_date)
    filtered = filters.team_id is not None or bool(filters.segment)
    builders: list[Callable[[], Panel]] = [
        lambda: _inflow_panel(results, years, ref, options),
        lambda: _induction_panel(results, years, ref, options, ctx.induction_weeks),
        lambda: _intensity_track_panel(results, years, ref, options),
        lambda: _intensity_team_panel(results, years, ref, options, team_names),
        lambda: _lks_panel(results, years, ref, options, filtered),
        lambda: _participation_panel(results, years, ref, options),
        lambda: _long_stay_panel(results, years, ref, options, ctx.bridge_months),
        lambda: _life_domains_panel(results, ref, options),
    ]
    return [build() for build in builders]


def _inflow_panel(results: pd.DataFrame, years: list[str], ref: str, options: Publication) -> Panel:
    published = _published("inflow_speed", rec.inflow_speed(results, years), options)
    shown = published.shown
    total = shown[(shown["group"] == rec.TOTAL) & (shown["subgroup"] == "aanvraag")]
    chart = dc.bars(
        years,
        [
            _series(total, "contact_within_8w_pct", "Eerste contact binnen 8 weken", years),
            _series(total, "provision_within_8w_pct", "Eerste voorziening binnen 8 weken", years),
        ],
        y_title="Procent van de nieuwe klanten",
        x_title="Jaar van instroom (gerekend vanaf de aanvraag)",
        percent=True,
    )
    lead = (
        "Van elke uitkering die in het jaar begon: hoeveel dagen het duurde van de aanvraag en "
        "van de start van de uitkering tot het eerste re-integratiecontact en tot de eerste "
        "voorziening, per segment. Alleen instroom die op de peildatum "
        f"{ref} minstens 8 weken oud is telt mee; wie nog geen contact had, telt in de mediaan "
        "mee tot de peildatum (Kaplan-Meier)."
    )
    return _panel("instroom-snelheid", "Snelheid voor nieuwe instroom", "inflow_speed", lead,
                  chart, published)  # fmt: skip


def _induction_panel(
    results: pd.DataFrame, years: list[str], ref: str, options: Publication, weeks: int
) -> Panel:
    published = _published(
        "induction_week_uptake", rec.induction_week_uptake(results, years), options
    )
    shown = published.shown
    total = shown[shown["group"] == rec.TOTAL]
    chart = dc.bars(
        years,
        [_series(total, "started_pct", f"Inwerkweek binnen {weeks} weken", years)],
        y_title="Procent van de nieuwe klanten",
        x_title="Jaar van de start van de uitkering",
        percent=True,
    )
    lead = (
        f"Van de uitkeringen die in het jaar begonnen en op de peildatum {ref} minstens "
        f"{weeks} weken oud zijn: het aandeel dat binnen {weeks} weken aan de inwerkweek (GOS "
        "PS2) begon, per segment. Het aantal weken is een instelling van de gemeente."
    )
    return _panel("inwerkweek", "Nieuwe klanten in de inwerkweek", "induction_week_uptake", lead,
                  chart, published)  # fmt: skip


def _intensity_track_panel(
    results: pd.DataFrame, years: list[str], ref: str, options: Publication
) -> Panel:
    frame = rec.contact_intensity_by_track(results, years)
    published = _published("contact_intensity_by_track", frame, options)
    shown = published.shown
    chart = dc.bars(
        years,
        [
            _series(shown[shown["track"] == name], "below_norm_pct", name, years)
            for name in ("Re-integratie", "Participatie")
        ],
        y_title="Procent onder de norm",
        x_title="Jaar",
        percent=True,
    )
    lead = (
        f"Per jaar (tot de peildatum {ref}) en spoor: contacten per jaar in dienst en het "
        "aandeel kandidaten met minder contacten dan de norm van hun spoor (re-integratie 3, "
        "participatie 1 per jaar), naar rato van de dagen met een lopende route."
    )
    notes = [
        "Cijfers per klantmanager staan niet op het dashboard: die zijn alleen voor de eigen "
        "teamleider (op de teampagina), omdat het volgen van individuele medewerkers de "
        "instemming van de ondernemingsraad vraagt."
    ]
    return _panel("contactintensiteit", "Contactintensiteit tegenover de norm",
                  "contact_intensity", lead, chart, published, notes)  # fmt: skip


def _intensity_team_panel(
    results: pd.DataFrame,
    years: list[str],
    ref: str,
    options: Publication,
    team_names: Mapping[int, str],
) -> Panel:
    frame = rec.contact_intensity_by_team(results, team_names, years)
    published = _published("contact_intensity_by_team", frame, options)
    shown = published.shown
    teams = [t for t in dict.fromkeys(shown["label"]) if t != rec.TOTAL] if len(shown) else []
    chart = dc.bars(
        years,
        [_series(shown[shown["label"] == t], "below_norm_pct", str(t), years) for t in teams],
        y_title="Procent onder de norm",
        x_title="Jaar",
        percent=True,
    )
    lead = (
        f"Dezelfde contactintensiteit per team (het huidige team van de kandidaat), beide "
        f"sporen samen, tot de peildatum {ref}."
    )
    return _panel("contactintensiteit-team", "Contactintensiteit per team", "contact_intensity",
                  lead, chart, published)  # fmt: skip


def _lks_panel(
    results: pd.DataFrame, years: list[str], ref: str, options: Publication, filtered: bool
) -> Panel:
    published = _published("lks_placements", rec.lks_placements(results, years), options)
    shown = published.shown
    chart = dc.bars(
        years,
        [_series(shown, "started", "Gestart", years),
         _series(shown, "running", "Lopend op 31 december", years)],
        y_title="Plaatsingen met loonkostensubsidie",
        x_title="Jaar",
    )  # fmt: skip
    lead = (
        "Per jaar: plaatsingen met loonkostensubsidie die begonnen en die op 31 december (of de "
        f"peildatum {ref}) liepen, hun gemiddelde loonwaarde en uren, de uitgaven op de "
        "kostenpost loonkostensubsidie, en van de plaatsingen waarvan 12 maanden voorbij zijn "
        "het aandeel dat na 12 maanden nog aan het werk was."
    )
    notes = [MUNICIPALITY_NOTE] if filtered else []
    return _panel("lks", "Plaatsingen met loonkostensubsidie", "lks_placements", lead, chart,
                  published, notes)  # fmt: skip


def _participation_panel(
    results: pd.DataFrame, years: list[str], ref: str, options: Publication
) -> Panel:
    frame = rec.participation_outcomes(results, years)
    published = _published("participation_outcomes", frame, options)
    shown = published.shown
    chart = dc.bars(
        years,
        [_series(shown[shown["label"] == text], "share_pct", text, years)
         for text in rec.OUTCOME_LABELS.values()],
        y_title="Procent van het participatiesegment",
        x_title="Jaar",
        percent=True,
    )  # fmt: skip
    lead = (
        "Van wie op 1 januari in een segment zonder werkroute zat (met een lopende uitkering of "
        f"route): wat in het jaar (tot de peildatum {ref}) bereikt werd op de "
        "participatieladder en in vrijwilligerswerk, tegenprestatie of een participatieplaats. "
        "Apart van de uitstroom naar werk, zodat een breed doel meetbaar is."
    )
    return _panel("participatie", "Uitkomsten in het participatiesegment",
                  "participation_outcomes", lead, chart, published)  # fmt: skip


def _long_stay_panel(
    results: pd.DataFrame, years: list[str], ref: str, options: Publication, bridge: int
) -> Panel:
    published = _published("long_stay_caseload", rec.long_stay_caseload(results, years), options)
    shown = published.shown
    chart = dc.bars(
        years,
        [_series(shown, "over_3y_pct", "Langer dan 3 jaar", years),
         _series(shown, "over_5y_pct", "Langer dan 5 jaar", years)],
        y_title="Procent van wie in de uitkering zit",
        x_title="31 december van het jaar",
        percent=True,
    )  # fmt: skip
    gap = f"korter dan {bridge} maand{'en' if bridge != 1 else ''}" if bridge else "geen enkele"
    lead = (
        f"Op 31 december (of de peildatum {ref}): wie langer dan 3 en langer dan 5 jaar een "
        f"uitkering heeft. Onderbrekingen {gap} tellen niet als einde (een instelling van de "
        "gemeente). En hoeveel van de groep langer dan 3 jaar in de 12 maanden daarvoor een "
        "contact of een voorziening had."
    )
    return _panel("granieten-bestand", "Langdurig in de uitkering (granieten bestand)",
                  "long_stay_caseload", lead, chart, published)  # fmt: skip


def _life_domains_panel(results: pd.DataFrame, ref: str, options: Publication) -> Panel:
    published = _published("life_domains", rec.life_domains(results), options)
    shown = published.shown
    labels = [str(v) for v in shown["label"]] if len(shown) else []
    chart = dc.bars(
        labels[::-1],
        [dc.Series("Met een probleem", [chart_value(v) for v in shown["with_problem"]][::-1]),
         dc.Series("Met flankerende voorziening",
                   [chart_value(v) for v in shown["flanking"]][::-1])],
        y_title="Personen",
        horizontal=True,
    )  # fmt: skip
    lead = (
        f"Van wie op de peildatum {ref} een lopende route of uitkering heeft, met de laatste "
        "scores op de zelfredzaamheidsmatrix: per leefgebied hoeveel mensen een probleem hebben "
        "(score 1 of 2) en hoeveel daarvan een flankerende voorziening voor dat leefgebied "
        "kregen."
    )
    return _panel("leefgebieden", "Leefgebieden (ZRM) en flankerende voorzieningen",
                  "life_domains", lead, chart, published)  # fmt: skip
