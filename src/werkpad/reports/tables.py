"""The publication layer: every table werkpad publishes, declared once, for the dashboard and
the council report alike.

A declaration (:class:`TableSpec`) names the table's columns with their Dutch labels and number
formats, and its small-cell protection: which columns are counts (hidden under the threshold,
primary suppression), which shares rest on which count, and whether a total row or shares of a
total are on the page (secondary suppression, ``x``; see ``analytics.suppression``).
:func:`publish` turns a frame whose columns carry the declared keys into rows of formatted
cells; the dashboard (``web/dashboard_panels.py``, ``web/templates/_table.html``) and the report
(``reports/council.py``, ``reports/templates/_table.html``) only lay those rows out.

Formats: ``count`` (whole number, ``1.234``), ``share`` (percentage with one decimal, ``46,2``;
the label says ``(%)``), ``money`` (``€ 8.895``, whole euros unless ``decimals`` says
otherwise), ``number`` (``decimals`` decimals), ``text`` and ``code`` (a code shown next to its
label, in a small column). Every number goes through ``domain.formatting.dutch_number``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from werkpad.analytics.suppression import SECONDARY_MARKER, suppress
from werkpad.domain.formatting import MISSING, dutch_number, is_missing

Format = Literal["count", "share", "money", "number", "text", "code"]
NUMERIC: frozenset[str] = frozenset({"count", "share", "money", "number"})
DEFAULT_DECIMALS = {"count": 0, "share": 1, "money": 0, "number": 1}


@dataclass(frozen=True)
class Column:
    key: str  # the frame column it shows
    label: str  # Dutch header
    format: Format = "count"
    decimals: int | None = None  # default per format (DEFAULT_DECIMALS)

    def text(self, value: object) -> str:
        """The cell text: suppression markers as they are, numbers in Dutch notation."""
        if isinstance(value, str):
            return value
        if is_missing(value):
            return MISSING
        if self.format in ("text", "code"):
            return str(value)
        decimals = DEFAULT_DECIMALS[self.format] if self.decimals is None else self.decimals
        number = dutch_number(float(value), decimals)  # type: ignore[arg-type]
        return f"€ {number}" if self.format == "money" else number


@dataclass(frozen=True)
class TableSpec:
    """One published table (see the module text)."""

    key: str
    kpi_ids: tuple[str, ...]
    columns: tuple[Column, ...]
    counts: tuple[str, ...] = ()
    shares: Mapping[str, str] = field(default_factory=dict)  # share column -> its count
    total: tuple[str, str] | None = None  # (column, value) of the row that sums the others
    shares_of_total: tuple[str, ...] = ()
    additive: tuple[str, ...] | None = None  # count columns that add up over the rows
    block: str | None = None  # rows are protected per value of this column
    # Columns the frame brings beyond the declared ones (years of a wide table): shown with the
    # frame's column name as label and this format; counts when ``more_are_counts``.
    more: Format | None = None
    more_decimals: int | None = None
    more_are_counts: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    href: str | None = None
    code: bool = False


@dataclass(frozen=True)
class PublishedTable:
    spec: TableSpec
    headers: list[str]
    rows: list[list[Cell]]
    hidden: int  # cells not shown (primary and secondary)
    shown: pd.DataFrame  # the protected frame (markers in hidden cells), e.g. for a chart

    @property
    def secondary(self) -> bool:
        """Whether cells are hidden (x) so that a small count cannot be recomputed."""
        return any(cell.text == SECONDARY_MARKER for row in self.rows for cell in row)

    @property
    def code_columns(self) -> list[bool]:
        return [cell.code for cell in self.rows[0]] if self.rows else []


Links = Mapping[str, Callable[[pd.Series], str | None]]


def columns_of(spec: TableSpec, frame: pd.DataFrame, omit: Sequence[str] = ()) -> list[Column]:
    """The declared columns (less ``omit``) and, for a wide table, the frame's further ones."""
    declared = [c for c in spec.columns if c.key not in omit]
    if spec.more is None:
        return declared
    known = {c.key for c in spec.columns}
    extra = [
        Column(str(name), str(name), spec.more, spec.more_decimals)
        for name in frame.columns
        if name not in known and name not in omit
    ]
    return declared + extra


def protect(
    spec: TableSpec,
    frame: pd.DataFrame,
    *,
    threshold: int,
    enabled: bool = True,
    total_rows: pd.Series | None = None,
) -> tuple[pd.DataFrame, int]:
    """Primary and secondary suppression as declared; ``total_rows`` overrides the declared
    total row (a mask over ``frame``'s rows)."""
    frame = frame.reset_index(drop=True)
    if not enabled or frame.empty:
        return frame.astype(object), 0
    counts = list(spec.counts)
    if spec.more_are_counts:
        known = {c.key for c in spec.columns}
        counts += [str(c) for c in frame.columns if c not in known]
    if total_rows is None and spec.total is not None:
        column, value = spec.total
        total_rows = frame[column].astype(str) == value
    return suppress(
        frame,
        counts,
        dependent=dict(spec.shares),
        threshold=threshold,
        total_rows=None if total_rows is None else total_rows.reset_index(drop=True),
        block=spec.block,
        shares_of_total=spec.shares_of_total,
        additive=spec.additive,
    )


def render(
    spec: TableSpec,
    shown: pd.DataFrame,
    *,
    hidden: int = 0,
    links: Links | None = None,
    omit: Sequence[str] = (),
) -> PublishedTable:
    """Rows of formatted cells for an already protected frame."""
    columns = columns_of(spec, shown, omit)
    links = links or {}
    rows = [
        [
            Cell(
                column.text(row[column.key]),
                numeric=column.format in NUMERIC,
                href=links[column.key](row) if column.key in links else None,
                code=column.format == "code",
            )
            for column in columns
        ]
        for _, row in shown.iterrows()
    ]
    return PublishedTable(spec, [c.label for c in columns], rows, hidden, shown)


def publish(
    spec: TableSpec,
    frame: pd.DataFrame,
    *,
    threshold: int,
    suppressed: bool = True,
    links: Links | None = None,
    omit: Sequence[str] = (),
) -> PublishedTable:
    """Protect ``frame`` as declared (when ``suppressed``) and render it."""
    shown, hidden = protect(spec, frame, threshold=threshold, enabled=suppressed)
    return render(spec, shown, hidden=hidden, links=links, omit=omit)


def table(key: str) -> TableSpec:
    """The declaration of table ``key`` (looked up at call time, so one change shows
    everywhere)."""
    return TABLES[key]


def _share(key: str, label: str) -> Column:
    return Column(key, label, "share")


CODE = Column("code", "Code", "code")
# The budget table's rows ("Post"): one name per cost line for dashboard and report.
BUDGET_LINES = {
    "lasten": "Lasten (uitvoering en voorzieningen)",
    "baten": "Baten (o.a. ESF)",
    "saldo": "Saldo",
    "lks": "Loonkostensubsidie",
    "subsidised_work": "Gesubsidieerde arbeid",
}

TABLES: dict[str, TableSpec] = {
    spec.key: spec
    for spec in (
        # --- shown on the dashboard and in the council report ---------------------------
        TableSpec(
            "route_end_reasons",
            ("route_end_reasons",),
            (
                Column("label", "Reden van beëindiging", "text"),
                Column("count", "Routes"),
                _share("share_pct", "Aandeel (%)"),
            ),
            counts=("count",),
            shares={"share_pct": "count"},
            shares_of_total=("count",),
        ),
        TableSpec(
            "dropout_by_benefit_duration",
            ("dropout_by_benefit_duration",),
            (
                Column("group", "Uitkeringsduur bij start", "text"),
                Column("ended", "Beëindigde routes"),
                Column("stopped", "Tussentijds gestopt"),
                _share("dropout_pct", "Uitval (%)"),
            ),
            counts=("ended", "stopped"),
            shares={"dropout_pct": "stopped"},
            # The totals of both columns are published too (all ended routes, and 'gestopt'
            # among the end reasons), so each column is protected as if it had a total.
            shares_of_total=("ended", "stopped"),
        ),
        TableSpec(
            "budget_vs_actual",
            ("budget_vs_actual",),
            (
                Column("period", "Jaar", "text"),
                Column("label", "Post", "text"),
                Column("budgeted", "Begroot", "money"),
                Column("actual", "Werkelijk", "money"),
                Column("difference", "Verschil", "money"),
            ),
        ),
        # --- dashboard ------------------------------------------------------------------
        TableSpec(
            "reach_by_year",
            ("reach",),
            (
                Column("period", "Jaar", "text"),
                Column("candidates", "Kandidaten"),
                Column("routes", "Routes"),
                Column("provisions", "Voorzieningen"),
                Column("provision_types", "Soorten voorzieningen"),
            ),
            counts=("candidates", "routes", "provisions", "provision_types"),
            total=("period", "totaal"),
            additive=("candidates", "routes", "provisions"),
        ),
        TableSpec(
            "regular_job_share",
            ("regular_job_share",),
            (
                Column("period", "Jaar", "text"),
                Column("placements", "Plaatsingen"),
                Column("regular", "Regulier"),
                _share("share_pct", "Aandeel regulier (%)"),
            ),
            counts=("placements", "regular"),
            shares={"share_pct": "regular"},
        ),
        TableSpec(
            "durability_by_year",
            ("durability",),
            (
                Column("period", "Jaar van uitstroom", "text"),
                Column("term", "Termijn", "text"),
                Column("exits", "Uitstroom naar werk"),
                Column("durable", "Duurzaam"),
                _share("durable_pct", "Aandeel duurzaam (%)"),
                _share("returned_pct", "Terug in uitkering (%)"),
            ),
            counts=("exits", "durable"),
            shares={"durable_pct": "durable", "returned_pct": "durable"},
            total=("period", "totaal"),
            block="months",
        ),
        TableSpec(
            "caseload_net_change",
            ("caseload_net_change",),
            (
                Column("period", "Jaar", "text"),
                Column("stock", "Bestand 31-12"),
                Column("net_change", "Netto verandering"),
                Column("reduction", "Daling"),
                Column("goal", "Doel (minimaal)"),
                Column("met", "Gehaald", "text"),
            ),
            counts=("stock",),
            shares={"net_change": "stock", "reduction": "stock"},
        ),
        TableSpec(
            "caseload_per_fte",
            ("caseload_per_fte",),
            (
                Column("period", "Kwartaal", "text"),
                Column("caseload", "Kandidaten met lopende route"),
                Column("fte", "Fte klantmanagers", "number"),
                Column("per_fte", "Per fte", "number"),
            ),
            counts=("caseload",),
            shares={"per_fte": "caseload"},
        ),
        TableSpec(
            "net_cost_per_durable_exit",
            ("net_cost_per_durable_exit",),
            (
                Column("period", "Jaar", "text"),
                Column("saldo", "Saldo", "money", 2),
                Column("units", "Duurzame uitstroom"),
                Column("per_unit", "Netto kosten per duurzame uitstroom", "money", 2),
            ),
            counts=("units",),
            shares={"per_unit": "units"},
        ),
        # --- council report -------------------------------------------------------------
        TableSpec(
            "reach_by_segment",
            ("reach",),
            (
                Column("label", "Segment", "text"),
                CODE,
                Column("candidates", "Kandidaten"),
                Column("routes", "Routes"),
                Column("provisions", "Voorzieningen"),
                Column("provision_types", "Soorten"),
            ),
            counts=("candidates", "routes", "provisions", "provision_types"),
            total=("label", "Totaal"),
            additive=("candidates", "routes", "provisions"),
        ),
        TableSpec(
            "route_duration",
            ("route_duration",),
            (
                Column("group", "Duur", "text"),
                Column("routes", "Routes"),
                _share("share_pct", "Aandeel (%)"),
            ),
            counts=("routes",),
            shares={"share_pct": "routes"},
            shares_of_total=("routes",),
        ),
        TableSpec(
            "provision_waiting_time",
            ("provision_waiting_time",),
            (
                Column("period", "Jaar", "text"),
                Column("waits", "Overgangen"),
                Column("median_days", "Mediaan (dagen)", "number", 0),
                _share("long_pct", "Langer dan 4 weken (%)"),
            ),
            counts=("waits",),
        ),
        TableSpec(
            "language_coverage",
            ("language_coverage",),
            (
                Column("label", "Segment", "text"),
                CODE,
                Column("need", "Taalbehoefte"),
                Column("covered", "Met taalvoorziening"),
                _share("coverage_pct", "Bereik (%)"),
            ),
            counts=("need", "covered"),
            shares={"coverage_pct": "covered"},
            total=("label", "Totaal"),
        ),
        TableSpec(
            "job_exits_by_type",
            ("job_exits_by_type", "regular_job_share"),
            (Column("label", "Soort baan", "text"),),
            total=("label", "Totaal"),
            more="count",
            more_are_counts=True,
        ),
        TableSpec(
            "durability_by_term",
            ("durability",),
            (Column("group", "Na", "text"),),
            more="share",
        ),
        TableSpec(
            "cohort_outflow_category",
            ("cohort_outflow_category",),
            (
                Column("label", "Categorie", "text"),
                CODE,
                Column("dossiers", "Dossiers op 1 januari"),
                Column("to_work", "Naar werk"),
                _share("share_pct", "Aandeel (%)"),
            ),
            counts=("to_work",),
            shares={"share_pct": "to_work"},
            total=("label", "Totaal"),
        ),
        TableSpec(
            "cohort_outflow_training",
            ("cohort_outflow_training", "divosa_outflow_rate"),
            (
                Column("group", "Werkgerichte opleiding", "text"),
                Column("dossiers", "Dossiers"),
                Column("to_work", "Naar werk"),
                _share("share_pct", "Aandeel (%)"),
            ),
            counts=("to_work",),
            shares={"share_pct": "to_work"},
            total=("group", "Totaal"),
        ),
        TableSpec(
            "targets",
            ("targets", "work_or_school_exits", "caseload_net_change"),
            (
                Column("label", "Doel", "text"),
                CODE,
                Column("period", "Jaar", "text"),
                Column("minimum", "Doel (minimaal)"),
                Column("realised", "Gerealiseerd"),
                Column("met", "Gehaald", "text"),
            ),
        ),
        TableSpec(
            "net_cost_per_unit",
            ("net_cost_per_participant", "net_cost_per_route", "net_cost_per_durable_exit"),
            (Column("label", "Netto kosten", "text"),),
            more="money",
        ),
    )
}

# --- the evaluators' recommendations (issue 18): dashboard and council report ---------------
# The per-klantmanager contact intensity is deliberately not declared: it is no published table
# (the teamleider's own view, web/views/team_intensity.py).


def _speed(event: str, what: str) -> tuple[Column, ...]:
    return (
        Column(f"{event}_median_days", f"Mediaan dagen tot {what}", "number", 0),
        _share(f"{event}_within_4w_pct", f"{what.capitalize()} binnen 4 weken (%)"),
        _share(f"{event}_within_8w_pct", f"{what.capitalize()} binnen 8 weken (%)"),
    )


def _contact_intensity(key: str, group: str, label: str) -> TableSpec:
    """Contacts per candidate-year in service against the track's norm, per ``group``."""
    return TableSpec(
        key,
        ("contact_intensity",),
        (
            Column("period", "Jaar", "text"),
            Column(group, label, "text"),
            Column("candidates", "Kandidaten in dienst"),
            Column("years_in_service", "Jaren in dienst", "number"),
            Column("contacts", "Contacten"),
            Column("contacts_per_year", "Contacten per jaar in dienst", "number"),
            Column("below_norm", "Onder de norm"),
            _share("below_norm_pct", "Aandeel onder de norm (%)"),
        ),
        counts=("candidates", "contacts", "below_norm"),
        shares={
            "below_norm_pct": "below_norm",
            "contacts_per_year": "candidates",
            "years_in_service": "candidates",
        },
        total=(group, "Totaal"),
        block="period",
    )


_SPEED_SHARES = {
    f"{event}_{measure}": "judged"
    for event in ("contact", "provision")
    for measure in ("median_days", "within_4w_pct", "within_8w_pct")
}

RECOMMENDATION_TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "inflow_speed",
        ("inflow_speed",),
        (
            Column("period", "Jaar", "text"),
            Column("origin_label", "Gerekend vanaf", "text"),
            Column("label", "Segment", "text"),
            Column("new_clients", "Nieuwe klanten"),
            Column("judged", "Minstens 8 weken oud"),
            *_speed("contact", "eerste contact"),
            *_speed("provision", "eerste voorziening"),
        ),
        counts=("new_clients", "judged"),
        shares=_SPEED_SHARES,
        total=("label", "Totaal"),
        block="block",
    ),
    TableSpec(
        "induction_week_uptake",
        ("induction_week_uptake",),
        (
            Column("period", "Jaar", "text"),
            Column("label", "Segment", "text"),
            Column("new_clients", "Nieuwe klanten"),
            Column("judged", "Oud genoeg om te beoordelen"),
            Column("started", "Inwerkweek gestart"),
            _share("started_pct", "Aandeel gestart (%)"),
        ),
        counts=("new_clients", "judged", "started"),
        shares={"started_pct": "started"},
        total=("label", "Totaal"),
        block="period",
    ),
    _contact_intensity("contact_intensity_by_track", "track", "Spoor"),
    _contact_intensity("contact_intensity_by_team", "label", "Team"),
    TableSpec(
        "lks_placements",
        ("lks_placements",),
        (
            Column("period", "Jaar", "text"),
            Column("started", "Gestart"),
            Column("running", "Lopend op 31-12"),
            Column("mean_loonwaarde_pct", "Gem. loonwaarde (%)", "number"),
            Column("mean_hours", "Gem. uren per week", "number"),
            Column("spending", "Uitgaven loonkostensubsidie", "money"),
            Column("judged", "Gestart, 12 maanden voorbij"),
            Column("in_work_12m", "Na 12 maanden aan het werk"),
            _share("in_work_12m_pct", "Aandeel na 12 maanden aan het werk (%)"),
        ),
        counts=("started", "running", "judged", "in_work_12m"),
        shares={
            "mean_loonwaarde_pct": "started",
            "mean_hours": "started",
            "in_work_12m_pct": "in_work_12m",
        },
    ),
    TableSpec(
        "participation_outcomes",
        ("participation_outcomes",),
        (
            Column("period", "Jaar", "text"),
            Column("label", "Uitkomst", "text"),
            Column("persons", "In het participatiesegment op 1 januari"),
            Column("count", "Met deze uitkomst"),
            _share("share_pct", "Aandeel (%)"),
        ),
        counts=("persons", "count"),
        shares={"share_pct": "count"},
    ),
    TableSpec(
        "long_stay_caseload",
        ("long_stay_caseload",),
        (
            Column("period", "Jaar", "text"),
            Column("on_benefit", "In de uitkering op 31-12"),
            Column("over_3y", "Langer dan 3 jaar"),
            _share("over_3y_pct", "Aandeel langer dan 3 jaar (%)"),
            Column("over_5y", "Langer dan 5 jaar"),
            _share("over_5y_pct", "Aandeel langer dan 5 jaar (%)"),
            Column("over_3y_seen", "Langer dan 3 jaar, gezien in 12 maanden"),
            _share("over_3y_seen_pct", "Aandeel gezien (%)"),
        ),
        counts=("on_benefit", "over_3y", "over_5y", "over_3y_seen"),
        shares={
            "over_3y_pct": "over_3y",
            "over_5y_pct": "over_5y",
            "over_3y_seen_pct": "over_3y_seen",
        },
    ),
    TableSpec(
        "life_domains",
        ("life_domains",),
        (
            Column("label", "Leefgebied", "text"),
            Column("assessed", "Met ZRM-score"),
            Column("with_problem", "Met een probleem"),
            _share("with_problem_pct", "Aandeel met een probleem (%)"),
            Column("flanking", "Flankerende voorziening gekregen"),
            _share("flanking_pct", "Aandeel met flankerende voorziening (%)"),
        ),
        counts=("assessed", "with_problem", "flanking"),
        shares={"with_problem_pct": "with_problem", "flanking_pct": "flanking"},
    ),
)
TABLES.update({spec.key: spec for spec in RECOMMENDATION_TABLES})
