"""Money: budget against actual per year, and net cost per unit of output or outcome.

Definitions (version 1):

* Cost items come from the ``cost_item`` code list; its ``direction`` attribute says cost or
  income. **Execution costs (lasten)** are the items ``EXECUTION`` and ``PROVISIONS``; **income
  (baten)** is ``ESF_INCOME``; **net (saldo)** = lasten - baten. Wage-cost subsidies (``LKS``)
  and subsidised work are shown as separate lines and are not part of the saldo, as in the Den
  Haag evaluation (Berenschot 2022, Tabel 9-11). Actuals are cost lines by booking year.
* **Net cost per unit** = saldo of the year / number of units in the year, for: new participants
  (persons who started a basic provision in the year, Tabel 12-13), active routes (routes open
  on any day of the year, Tabel 14-15), active routes with a basic provision, and durable work
  exits (exits of the year that are durable under the chosen success definition).
* **Cost per client per provision type**: the cost of the provisions of a type that started in
  the year / the distinct persons who received them.
"""

from __future__ import annotations

import pandas as pd

LASTEN_ITEMS = ("EXECUTION", "PROVISIONS")
BATEN_ITEMS = ("ESF_INCOME",)
SEPARATE_ITEMS = ("LKS", "SUBSIDISED_WORK")


def _by_year_item(frame: pd.DataFrame, year: pd.Series) -> pd.DataFrame:
    return frame.assign(year=year).pivot_table(
        index="year", columns="cost_item", values="amount", aggfunc="sum", fill_value=0.0
    )


def _summary(items: pd.DataFrame) -> pd.DataFrame:
    items = items.reindex(columns=[*LASTEN_ITEMS, *BATEN_ITEMS, *SEPARATE_ITEMS], fill_value=0.0)
    lasten = items[list(LASTEN_ITEMS)].sum(axis=1)
    baten = items[list(BATEN_ITEMS)].sum(axis=1)
    return pd.DataFrame(
        {
            "lasten": lasten,
            "baten": baten,
            "saldo": lasten - baten,
            "lks": items["LKS"],
            "subsidised_work": items["SUBSIDISED_WORK"],
        }
    )


def budget_vs_actual(budgets: pd.DataFrame, cost_lines: pd.DataFrame) -> pd.DataFrame:
    """Long frame per year and line (lasten, baten, saldo, lks, subsidised_work): ``budgeted``,
    ``actual`` and ``difference`` (budgeted - actual: positive = underspend)."""
    budget = _summary(_by_year_item(budgets, budgets["year"]))
    actual = _summary(_by_year_item(cost_lines, cost_lines["booked_on"].dt.year))
    years = sorted(set(budget.index) | set(actual.index))
    budget = budget.reindex(years)
    actual = actual.reindex(years)
    frame = pd.concat(
        {"budgeted": budget.stack(future_stack=True), "actual": actual.stack(future_stack=True)},
        axis=1,
    )
    frame.index.names = ["year", "line"]
    frame["difference"] = frame["budgeted"] - frame["actual"]
    return frame.reset_index()


def actual_saldo_by_year(cost_lines: pd.DataFrame) -> pd.Series:
    if cost_lines.empty:
        return pd.Series(dtype="float64", name="saldo")
    return _summary(_by_year_item(cost_lines, cost_lines["booked_on"].dt.year))["saldo"]


def net_cost_per_unit(saldo: pd.Series, units: pd.Series) -> pd.DataFrame:
    """Per year present in both: ``saldo``, ``units`` and ``per_unit`` (saldo / units)."""
    frame = pd.concat([saldo.rename("saldo"), units.rename("units")], axis=1, join="inner")
    frame["per_unit"] = frame["saldo"] / frame["units"].where(frame["units"] > 0)
    return frame.rename_axis("year")


def new_participants_by_year(provisions: pd.DataFrame, routes: pd.DataFrame) -> pd.Series:
    basic = provisions[provisions["kind"] == "BASIC"][["route_id", "start_date"]].merge(
        routes[["route_id", "person"]], on="route_id"
    )
    return basic.groupby(basic["start_date"].dt.year)["person"].nunique().rename("units")


def active_routes_by_year(routes: pd.DataFrame, years: list[int]) -> pd.Series:
    counts = {}
    for year in years:
        first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
        active = (routes["start_date"] <= last) & (
            routes["end_date"].isna() | (routes["end_date"] >= first)
        )
        counts[year] = int(active.sum())
    return pd.Series(counts, dtype="int64", name="units")


def routes_with_basic(routes: pd.DataFrame, provisions: pd.DataFrame) -> pd.DataFrame:
    return routes[
        routes["route_id"].isin(provisions.loc[provisions["kind"] == "BASIC", "route_id"])
    ]


def cost_per_client_by_provision_type(
    provisions: pd.DataFrame, routes: pd.DataFrame, year: int
) -> pd.DataFrame:
    """Per provision type started in ``year``: ``cost``, ``clients`` and ``per_client``."""
    chosen = provisions[provisions["start_date"].dt.year == year][
        ["route_id", "provision_type", "cost"]
    ].merge(routes[["route_id", "person"]], on="route_id")
    result = chosen.groupby("provision_type").agg(
        cost=("cost", "sum"), clients=("person", "nunique")
    )
    result["per_client"] = result["cost"] / result["clients"]
    return result.sort_values("cost", ascending=False)
