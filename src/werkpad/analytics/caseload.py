"""Caseload: stock and flows of benefit dossiers, net change per year, caseload per FTE.

Definitions (version 1):

* **Stock** on a date: benefit dossiers opened on or before it and not closed on or before it.
* **Net caseload change** in year *Y*: stock on 31 December *Y* minus stock on 31 December *Y-1*
  (Leidschendam-Voorburg, Platform31 2020, Tabel 1: 1,846 to 1,781 = -65 in 2019, against a
  target of a net reduction of 30-50 a year).
* **Inflow / outflow**: dossiers opened / closed in the year; outflow by the end reason of the
  spell that ended on the closing date ("Onbekend" without one).
* **Caseload per FTE** at a quarter end: candidates with an open route divided by the FTE of the
  active klantmanagers (current staffing; the store keeps no FTE history), as in Tabel 7 of the
  KplusV (2018) report (clients per full-time consultant).
"""

from __future__ import annotations

import pandas as pd

from werkpad.analytics._frames import open_on
from werkpad.analytics.cohort_outflow import closure_reasons
from werkpad.analytics.coverage import UNKNOWN


def stock_at_year_end(dossiers: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Per year: ``stock`` on 31 December and ``net_change`` against the year before."""
    stock = (
        {
            year: int(
                open_on(
                    dossiers["opened_on"], dossiers["closed_on"], pd.Timestamp(year, 12, 31)
                ).sum()
            )
            for year in [years[0] - 1, *years]
        }
        if years
        else {}
    )
    frame = pd.DataFrame({"stock": pd.Series(stock, dtype="int64")})
    frame["net_change"] = frame["stock"].diff()
    return frame.loc[years].rename_axis("year")


def flows_by_year(
    dossiers: pd.DataFrame, benefit_spells: pd.DataFrame, years: list[int]
) -> pd.DataFrame:
    """Long frame: ``year``, ``flow`` (instroom/uitstroom), ``reason`` and ``dossiers``."""
    opened = dossiers["opened_on"].dt.year
    inflow = opened[opened.isin(years)].value_counts().rename("dossiers").rename_axis("year")
    inflow_frame = inflow.reset_index().assign(flow="instroom", reason="Totaal")
    closed = dossiers[dossiers["closed_on"].notna()]
    reasons = closed["dossier_id"].map(closure_reasons(closed, benefit_spells)).fillna(UNKNOWN)
    out = pd.DataFrame({"year": closed["closed_on"].dt.year, "reason": reasons})
    out = out[out["year"].isin(years)]
    outflow = out.groupby(["year", "reason"]).size().rename("dossiers").reset_index()
    outflow_total = out.groupby("year").size().rename("dossiers").reset_index()
    outflow = pd.concat([outflow, outflow_total.assign(reason="Totaal")]).assign(flow="uitstroom")
    frame = pd.concat([inflow_frame, outflow], ignore_index=True)
    frame["dossiers"] = frame["dossiers"].astype("int64")
    return frame.sort_values(["year", "flow", "reason"]).reset_index(drop=True)[
        ["year", "flow", "reason", "dossiers"]
    ]


def quarter_ends(years: list[int], until: pd.Timestamp) -> list[pd.Timestamp]:
    ends = [pd.Timestamp(y, m, 1) + pd.offsets.MonthEnd(0) for y in years for m in (3, 6, 9, 12)]
    return [end for end in ends if end <= until]


def open_routes_at(routes: pd.DataFrame, dates: list[pd.Timestamp]) -> pd.Series:
    """Candidates with at least one open route on each date."""
    counts = {
        d: int(routes.loc[open_on(routes["start_date"], routes["end_date"], d), "person"].nunique())
        for d in dates
    }
    return pd.Series(counts, dtype="int64", name="caseload")


def caseload_per_fte(caseload: pd.Series, fte: pd.Series | float) -> pd.DataFrame:
    """``caseload``, ``fte`` and ``per_fte`` for each date of ``caseload``."""
    frame = pd.DataFrame({"caseload": caseload})
    frame["fte"] = fte if not isinstance(fte, pd.Series) else fte.reindex(frame.index)
    frame["per_fte"] = frame["caseload"] / frame["fte"].where(frame["fte"] > 0)
    return frame


def fte_by_year(stated: pd.DataFrame, dates: list[pd.Timestamp]) -> pd.Series:
    """For each date the FTE ``stated`` (year, fte) for its year, summed; NaN without one."""
    per_year = stated.groupby("year")["fte"].sum()
    return pd.Series(
        [float(per_year[d.year]) if d.year in per_year.index else float("nan") for d in dates],
        index=pd.Index(dates),
        dtype="float64",
    )


def klantmanager_fte(staff: pd.DataFrame) -> float:
    if staff.empty:
        return float("nan")
    return float(staff.loc[staff["role"] == "KLANTMANAGER", "fte"].sum())
