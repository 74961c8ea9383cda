"""Budgets and cost lines, scaled to Den Haag's totals (denhaag_costs.csv, Tabel 9-11).

Actual costs per year equal Den Haag's actual figures times the scale factor: every provision's
cost is booked, LKS of the synthetic placements is booked per year, and monthly lines for the
rest (staff and overhead, LKS of placements from before 2018, subsidised work) make up the
difference. ESF income is booked per quarter. Budgets split the Lasten budget into provisions
and execution in the proportion of the actual provision costs.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from werkpad.synth.calibration import BUDGET_YEARS, COSTS_ACTUAL, COSTS_BUDGETED, REFERENCE_DATE
from werkpad.synth.frames import day, year_of

ACTUAL_MONTHS = [(y, m) for y in (2018, 2019, 2020, 2021) for m in range(1, 13)
                 if date(y, m, 1) <= REFERENCE_DATE]  # fmt: skip


def _month_end(year: int, month: int) -> int:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return day(nxt) - 1


def build_money(
    provisions: pd.DataFrame,
    provision_kind: np.ndarray,
    instruments: pd.DataFrame,
    factor: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(budget, cost_line) frames."""
    booked = np.where(
        provisions["end_date"].isna(), provisions["start_date"], provisions["end_date"]
    )
    cost = provisions["cost"].to_numpy()
    in_view = booked <= day(REFERENCE_DATE)
    prov_lines = pd.DataFrame(
        {
            "booked_on": booked[in_view],
            "cost_item": np.where(provision_kind[in_view] == "IN_HOUSE", "EXECUTION", "PROVISIONS"),
            "amount": cost[in_view],
            "provision_id": provisions["id"].to_numpy()[in_view],
            "description": "Voorziening",
        }
    )
    lks = instruments[instruments["instrument"] == "LKS"]
    lks_rows = []
    for year in (2018, 2019, 2020, 2021):
        y0, y1 = day(date(year, 1, 1)), min(day(date(year, 12, 31)), day(REFERENCE_DATE))
        start = lks["start_date"].to_numpy()
        end = lks["end_date"].to_numpy()
        overlap = np.clip(np.minimum(end, y1) - np.maximum(start, y0) + 1, 0, None)
        total = np.maximum(1.0, end - start + 1)
        amount = np.round(lks["amount"].to_numpy() * overlap / total, 2)
        keep = amount > 0
        lks_rows.append(
            pd.DataFrame(
                {
                    "booked_on": y1,
                    "cost_item": "LKS",
                    "amount": amount[keep],
                    "provision_id": np.nan,
                    "description": "Loonkostensubsidie plaatsing "
                    + lks["placement_id"].to_numpy()[keep].astype(str).astype(object),
                }
            )
        )
    lines = pd.concat([prov_lines, *lks_rows], ignore_index=True)
    years = year_of(lines["booked_on"].to_numpy())
    monthly: list[dict[str, object]] = []
    for item, target_key, description in (
        ("EXECUTION", "LASTEN", "Uitvoeringskosten (personeel, huisvesting, ICT)"),
        ("LKS", "LKS", "Loonkostensubsidie lopende dienstverbanden van voor 2018"),
        ("SUBSIDISED_WORK", "SUBSIDISED_WORK", "Gesubsidieerde arbeid (netto)"),
    ):
        for year in (2018, 2019, 2020, 2021):
            target = COSTS_ACTUAL[target_key][min(year, 2020)] * factor
            items = ("EXECUTION", "PROVISIONS") if item == "EXECUTION" else (item,)
            booked_sum = lines.loc[(years == year) & lines["cost_item"].isin(items), "amount"].sum()
            months = [m for y, m in ACTUAL_MONTHS if y == year]
            rest = (
                max(0.0, target * len(months) / 12 - booked_sum)
                if year == 2021
                else max(0.0, target - booked_sum)
            )
            for m in months:
                monthly.append(
                    {
                        "booked_on": _month_end(year, m),
                        "cost_item": item,
                        "amount": round(rest / len(months), 2),
                        "provision_id": np.nan,
                        "description": description,
                    }
                )
    for year in BUDGET_YEARS:
        for quarter in range(4):
            monthly.append(
                {
                    "booked_on": _month_end(year, 3 * quarter + 3),
                    "cost_item": "ESF_INCOME",
                    "amount": round(COSTS_ACTUAL["ESF_INCOME"][year] * factor / 4, 2),
                    "provision_id": np.nan,
                    "description": "ESF-subsidie (voorschot)",
                }
            )
    lines = pd.concat([lines, pd.DataFrame(monthly)], ignore_index=True)
    lines = lines.sort_values(["booked_on", "cost_item"], kind="stable").reset_index(drop=True)
    lines.insert(0, "id", np.arange(1, len(lines) + 1))
    lines.insert(1, "source_id", None)
    lines = lines[
        ["id", "source_id", "booked_on", "cost_item", "amount", "provision_id", "description"]
    ]

    years = year_of(lines["booked_on"].to_numpy())
    budgets = []
    for year in BUDGET_YEARS:
        lasten = COSTS_BUDGETED["LASTEN"][year] * factor
        prov_actual = lines.loc[
            (years == year) & (lines["cost_item"] == "PROVISIONS"), "amount"
        ].sum()
        prov_share = prov_actual / max(1.0, COSTS_ACTUAL["LASTEN"][year] * factor)
        for item, amount in (
            ("PROVISIONS", lasten * prov_share),
            ("EXECUTION", lasten * (1 - prov_share)),
            ("LKS", COSTS_BUDGETED["LKS"][year] * factor),
            ("SUBSIDISED_WORK", COSTS_BUDGETED["SUBSIDISED_WORK"][year] * factor),
            ("ESF_INCOME", COSTS_BUDGETED["ESF_INCOME"][year] * factor),
        ):
            budgets.append({"year": year, "cost_item": item, "amount": round(amount, 2)})
    budget = pd.DataFrame(budgets)
    budget.insert(0, "id", np.arange(1, len(budget) + 1))
    return budget, lines
