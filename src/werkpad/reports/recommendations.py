"""The evaluators' recommendations made measurable (issue 18): the tables of speed for new
inflow, the induction week, contact intensity, loonkostensubsidie, participation outcomes, the
long-stay caseload and the ZRM life domains, built once from the tidy KPI results for the
dashboard (``web/recommendation_panels.py``) and the council report (:func:`report_chapter`).

Each builder turns the KPI rows into the frame its published table (``reports.tables``)
declares: codes become their Dutch labels, rows come in a fixed order. The per-klantmanager
contact intensity is not here: it is never published (the teamleider's own view only).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import pandas as pd

from werkpad.analytics import inflow, lks, long_stay
from werkpad.analytics import life_domains as life_domains_kpi
from werkpad.domain.codelists import code_list

TOTAL = "Totaal"
ORIGIN_LABELS = {"aanvraag": "Aanvraag", "start uitkering": "Start uitkering"}
TRACK_LABELS = {TOTAL: TOTAL, "re-integratie": "Re-integratie", "participatie": "Participatie"}
OUTCOME_LABELS = {
    "ladder_rise_3_4": "Gestegen van trede 1-2 naar trede 3 of hoger",
    "volunteer_work": "Vrijwilligerswerk gestart",
    "tegenprestatie": "Tegenprestatie gestart",
    "participation_placement": "Participatieplaats gestart",
    "any_outcome": "Minstens één van deze uitkomsten",
}
NO_TEAM = "Zonder team"


def _rows(results: pd.DataFrame, kpi_id: str) -> pd.DataFrame:
    return results[results["kpi_id"] == kpi_id]


def _wide(results: pd.DataFrame, kpi_id: str, index: Sequence[str], measures: Sequence[str]) -> (
    pd.DataFrame
):  # fmt: skip
    """One row per ``index`` combination with a column per measure (NaN where absent)."""
    rows = _rows(results, kpi_id)
    if rows.empty:
        return pd.DataFrame(columns=[*index, *measures])
    wide = rows.pivot_table(
        index=list(index), columns="measure", values="value", aggfunc="first", dropna=False
    ).reset_index()
    wide.columns.name = None
    return wide.reindex(columns=[*index, *measures])


def _in_years(frame: pd.DataFrame, years: Sequence[str] | None) -> pd.DataFrame:
    if years is None or frame.empty:
        return frame.reset_index(drop=True)
    return frame[frame["period"].astype(str).isin(list(years))].reset_index(drop=True)


def _segment_order(code: str) -> tuple[int, int]:
    order = {c.code: i for i, c in enumerate(code_list("segment"))}
    if code == TOTAL:
        return (0, 0)
    return (1, order[code]) if code in order else (2, 0)


def _segment_label(code: str) -> str:
    return TOTAL if code == TOTAL else code_list("segment").label(code)


def _by_segment(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    if frame.empty:
        return frame.assign(label=pd.Series(dtype=object))
    frame = frame.assign(_order=frame["group"].astype(str).map(_segment_order))
    frame = frame.sort_values([*keys, "_order"], kind="stable").drop(columns="_order")
    return frame.assign(label=frame["group"].astype(str).map(_segment_label)).reset_index(drop=True)


def inflow_speed(results: pd.DataFrame, years: Sequence[str] | None = None) -> pd.DataFrame:
    """Table ``inflow_speed``: per year, origin (application, benefit start) and segment."""
    frame = _wide(results, "inflow_speed", ["period", "subgroup", "group"], inflow.SPEED_MEASURES)
    frame = _in_years(frame, years)
    origin_order = {name: i for i, name in enumerate(ORIGIN_LABELS)}
    frame = frame.assign(_origin=frame["subgroup"].map(origin_order))
    frame = _by_segment(frame, ["period", "_origin"]).drop(columns="_origin")
    frame["origin_label"] = frame["subgroup"].map(ORIGIN_LABELS).fillna(frame["subgroup"])
    frame["block"] = frame["period"].astype(str) + "|" + frame["subgroup"].astype(str)
    return frame


def induction_week_uptake(
    results: pd.DataFrame, years: Sequence[str] | None = None
) -> pd.DataFrame:
    """Table ``induction_week_uptake``: per year and segment."""
    measures = ["new_clients", "judged", "started", "started_pct"]
    frame = _in_years(_wide(results, "induction_week_uptake", ["period", "group"], measures), years)
    return _by_segment(frame, ["period"])


_INTENSITY = ["candidates", "contacts", "years_in_service", "contacts_per_year", "below_norm",
              "below_norm_pct"]  # fmt: skip


def contact_intensity_by_track(
    results: pd.DataFrame, years: Sequence[str] | None = None
) -> pd.DataFrame:
    """Table ``contact_intensity_by_track``: all teams together, per year and track."""
    frame = _wide(results, "contact_intensity", ["period", "group", "subgroup"], _INTENSITY)
    frame = _in_years(frame[frame["group"] == TOTAL], years)
    order = {name: i for i, name in enumerate(TRACK_LABELS)}
    frame = frame.assign(_order=frame["subgroup"].map(order).fillna(len(order)))
    frame = frame.sort_values(["period", "_order"], kind="stable").drop(columns="_order")
    frame["track"] = frame["subgroup"].map(TRACK_LABELS).fillna(frame["subgroup"])
    return frame.reset_index(drop=True)


def contact_intensity_by_team(
    results: pd.DataFrame, team_names: Mapping[int, str], years: Sequence[str] | None = None
) -> pd.DataFrame:
    """Table ``contact_intensity_by_team``: both tracks together, per year and team (by
    name; the total first)."""
    frame = _wide(results, "contact_intensity", ["period", "group", "subgroup"], _INTENSITY)
    frame = _in_years(frame[frame["subgroup"] == TOTAL], years)

    def label(group: object) -> str:
        text = str(group)
        if text == TOTAL:
            return TOTAL
        if text.isdigit():
            return team_names.get(int(text), f"Team {text}")
        return NO_TEAM

    frame = frame.assign(label=frame["group"].map(label))
    frame = frame.assign(_order=frame["label"].map(lambda t: (t != TOTAL, t == NO_TEAM, t)))
    return (
        frame.sort_values(["period", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def lks_placements(results: pd.DataFrame, years: Sequence[str] | None = None) -> pd.DataFrame:
    """Table ``lks_placements``: per year."""
    frame = _wide(results, "lks_placements", ["period"], lks.MEASURES)
    return _in_years(frame.sort_values("period", kind="stable"), years)


def participation_outcomes(
    results: pd.DataFrame, years: Sequence[str] | None = None
) -> pd.DataFrame:
    """Table ``participation_outcomes``: one row per year and outcome."""
    rows = _rows(results, "participation_outcomes")
    out = []
    for period, of_year in rows.groupby("period", sort=True):
        values = of_year.set_index("measure")["value"]
        for key, text in OUTCOME_LABELS.items():
            out.append(
                {
                    "period": period,
                    "label": text,
                    "persons": values.get("persons"),
                    "count": values.get(key),
                    "share_pct": values.get(f"{key}_pct"),
                }
            )
    frame = pd.DataFrame(out, columns=["period", "label", "persons", "count", "share_pct"])
    return _in_years(frame, years)


def long_stay_caseload(results: pd.DataFrame, years: Sequence[str] | None = None) -> pd.DataFrame:
    """Table ``long_stay_caseload``: per 31 December."""
    frame = _wide(results, "long_stay_caseload", ["period"], long_stay.MEASURES)
    return _in_years(frame.sort_values("period", kind="stable"), years)


def life_domains(results: pd.DataFrame) -> pd.DataFrame:
    """Table ``life_domains``: per ZRM life domain in code-list order, by its Dutch name."""
    frame = _wide(results, "life_domains", ["group"], life_domains_kpi.MEASURES)
    domains = code_list("life_domain")
    order = {c.code: i for i, c in enumerate(domains)}
    frame = frame.assign(_order=frame["group"].map(order).fillna(len(order)))
    frame = frame.sort_values("_order", kind="stable").drop(columns="_order")
    return frame.assign(label=frame["group"].map(domains.label)).reset_index(drop=True)


# --- the council report's chapter --------------------------------------------------------

T = TypeVar("T")


def report_chapter(
    results: pd.DataFrame,
    *,
    year: int,
    years: Sequence[int],
    team_names: Mapping[int, str],
    publish: Callable[[str, pd.DataFrame, str], T],
) -> list[T]:
    """The chapter's tables in reading order, each published (and suppressed) by
    ``publish(table_key, frame, intro)``. Tables broken down by segment or team show the
    report year; the others the years of the report as a trend."""
    one = [str(year)]
    trend = [str(y) for y in years]
    return [
        publish(
            "inflow_speed",
            inflow_speed(results, one),
            f"Hoe snel krijgen nieuwe klanten van {year} een eerste contact en een eerste "
            "voorziening? (Den Haag, aanbeveling 5: direct na de aanvraag inzetten op "
            "re-integratie)",
        ),
        publish(
            "induction_week_uptake",
            induction_week_uptake(results, one),
            "Begonnen nieuwe klanten aan de inwerkweek? (Den Haag, aanbeveling 6)",
        ),
        publish(
            "contact_intensity_by_track",
            contact_intensity_by_track(results, trend),
            "Contacten per jaar tegenover de norm van het spoor (Den Haag, aanbeveling 2; "
            "Leidschendam-Voorburg: minimaal 3-4 contacten per jaar in re-integratie, één in "
            "participatie).",
        ),
        publish(
            "contact_intensity_by_team",
            contact_intensity_by_team(results, team_names, one),
            f"Dezelfde contactintensiteit per team in {year}. Cijfers per klantmanager staan "
            "niet in dit rapport: die zijn alleen voor de eigen teamleider.",
        ),
        publish(
            "lks_placements",
            lks_placements(results, trend),
            "Plaatsingen met loonkostensubsidie (Den Haag, aanbeveling 7: het landelijke "
            "LKS-budget wordt verdeeld naar realisatie).",
        ),
        publish(
            "participation_outcomes",
            participation_outcomes(results, trend),
            "Bredere uitkomsten in het participatiesegment, apart van uitstroom naar werk (Den "
            "Haag, aanbeveling 1; Leidschendam-Voorburg: laat de groep met de grootste afstand "
            "niet achter).",
        ),
        publish(
            "long_stay_caseload",
            long_stay_caseload(results, trend),
            "Het granieten bestand: hoe lang mensen in de uitkering zitten, en of er nog "
            "contact is.",
        ),
        publish(
            "life_domains",
            life_domains(results),
            "Problemen op de leefgebieden van de zelfredzaamheidsmatrix (ZRM) en of er een "
            "flankerende voorziening volgde (Hillegom/Lisse/Noordwijkerhout, aanbeveling 2: werk "
            "aan alle leefgebieden). Gepseudonimiseerd.",
        ),
    ]
