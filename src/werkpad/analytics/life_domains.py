"""Problems on the life domains of the zelfredzaamheidsmatrix (ZRM), and whether a flanking
provision followed (Hillegom/Lisse/Noordwijkerhout recommendation 2: work on all life domains).

Definitions (version 1):

* The persons **in service** on the reference date (an open route or an open benefit spell),
  each with the scores of their latest assessment that has ZRM scores.
* A **problem** on a domain: a score at or below the domain's ``problem_max_score`` in the
  ``life_domain`` code list (2 by default: acute problem or not self-reliant).
* **Flanking provision received**: a provision of the group ``flanking_<domain>``
  (``provision_groups.csv``) that started no earlier than 90 days before that assessment.
* Per domain: ``assessed`` (persons with a ZRM score on it), ``with_problem`` and its share,
  ``flanking`` and its share of those with the problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from werkpad.analytics._frames import open_on, share_of
from werkpad.analytics.provision_groups import in_group

LOOKBACK_DAYS = 90
MEASURES = ["assessed", "with_problem", "with_problem_pct", "flanking", "flanking_pct"]


def life_domain_problems(
    life_domains: pd.DataFrame,
    spells: pd.DataFrame,
    routes: pd.DataFrame,
    provisions: pd.DataFrame,
    *,
    reference_date: date,
    problem_max: Mapping[str, int],
) -> pd.DataFrame:
    """domain and MEASURES for every domain in ``problem_max`` (see the module docstring)."""
    ref = pd.Timestamp(reference_date)
    active: set[int] = set()
    for frame in (spells, routes):
        if len(frame):
            active |= set(frame.loc[open_on(frame["start_date"], frame["end_date"], ref), "person"])
    scores = (
        life_domains[life_domains["person"].isin(list(active))]
        if len(life_domains)
        else life_domains
    )
    if len(scores):
        latest_day = scores.groupby("person")["assessed_on"].transform("max")
        scores = scores[scores["assessed_on"] == latest_day]
    started = (
        provisions.merge(routes[["route_id", "person"]], on="route_id")
        if len(provisions) and len(routes)
        else pd.DataFrame(columns=["person", "start_date"])
    )
    rows = []
    for domain, threshold in problem_max.items():
        on_domain = scores[scores["domain"] == domain] if len(scores) else scores
        problem = on_domain[on_domain["score"] <= threshold] if len(on_domain) else on_domain
        flanking = 0
        if len(problem) and len(started):
            helped = started[in_group(started, f"flanking_{domain}")]
            joined = problem.merge(helped[["person", "start_date"]], on="person")
            recent = joined["start_date"] >= joined["assessed_on"] - pd.Timedelta(
                days=LOOKBACK_DAYS
            )
            flanking = joined.loc[recent, "person"].nunique()
        with_problem = problem["person"].nunique() if len(problem) else 0
        assessed = on_domain["person"].nunique() if len(on_domain) else 0
        rows.append(
            {
                "domain": domain,
                "assessed": assessed,
                "with_problem": with_problem,
                "with_problem_pct": share_of(with_problem, assessed),
                "flanking": flanking,
                "flanking_pct": share_of(flanking, with_problem),
            }
        )
    return pd.DataFrame(rows, columns=["domain", *MEASURES])
