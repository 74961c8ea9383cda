"""Time to placement and conversion in the accountmanager's proposal pipeline.

Pure functions on the logged steps of proposals (one row per step: ``proposal_id``,
``to_state``, ``at``), so the figures follow from the dated life cycle of
``werkpad.domain.lifecycle.PROPOSAL`` and nothing else.
"""

from __future__ import annotations

import pandas as pd

STAGES = ("SHORTLISTED", "PROPOSED", "INTERVIEW", "PLACED")
PIPELINE_COLUMNS = [
    "year",
    "shortlisted",
    "proposed",
    "interview",
    "placed",
    "placed_pct",
    "median_days_to_placement",
    "median_days_proposal_to_placement",
]


def _first_reached(steps: pd.DataFrame) -> pd.DataFrame:
    """One row per proposal, a column per stage with the first moment it was reached."""
    reached = steps[steps["to_state"].isin(STAGES)]
    wide = reached.pivot_table(
        index="proposal_id", columns="to_state", values="at", aggfunc="min"
    ).reindex(columns=list(STAGES))
    return wide.apply(pd.to_datetime)


def pipeline_by_year(steps: pd.DataFrame) -> pd.DataFrame:
    """Per year in which proposals were shortlisted: how many got each stage, the share placed,
    and the median calendar days from shortlist (and from proposal to the employer) to placement.

    A proposal counts in the year of its shortlisting, so a year's conversion is complete only
    once its proposals have run their course; the medians cover placed proposals only.
    """
    if steps.empty:
        return pd.DataFrame(columns=PIPELINE_COLUMNS)
    wide = _first_reached(steps)
    wide = wide[wide["SHORTLISTED"].notna()]
    to_place = (wide["PLACED"] - wide["SHORTLISTED"]).dt.days
    proposal_to_place = (wide["PLACED"] - wide["PROPOSED"]).dt.days
    frame = pd.DataFrame(
        {
            "year": wide["SHORTLISTED"].dt.year,
            "shortlisted": 1,
            "proposed": wide["PROPOSED"].notna().astype(int),
            "interview": wide["INTERVIEW"].notna().astype(int),
            "placed": wide["PLACED"].notna().astype(int),
            "to_place": to_place,
            "proposal_to_place": proposal_to_place,
        }
    )
    grouped = frame.groupby("year")
    out = grouped[["shortlisted", "proposed", "interview", "placed"]].sum()
    out["placed_pct"] = 100.0 * out["placed"] / out["shortlisted"]
    out["median_days_to_placement"] = grouped["to_place"].median()
    out["median_days_proposal_to_placement"] = grouped["proposal_to_place"].median()
    return out.reset_index()[PIPELINE_COLUMNS]
