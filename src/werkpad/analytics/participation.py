"""Broader outcomes for the participation segment, kept apart from work exits (Den Haag
recommendation 1; Leidschendam-Voorburg: do not leave the long-distance group behind).

Definitions (version 1):

* **Participation segment**: persons whose latest diagnosis on or before 1 January of the year
  places them in a segment without a work route (``work_route`` false), with an open benefit
  spell or route on that day.
* Per year, of those persons: ``ladder_rise_3_4`` — trede at most 2 on 1 January and at least 3
  on 31 December (or the reference date); ``volunteer_work``, ``tegenprestatie`` and
  ``participation_placement`` — started a provision of that group in the year (groups in
  ``provision_groups.csv``); ``any_outcome`` — at least one of these. Shares are of the persons.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

import pandas as pd

from werkpad.analytics._frames import latest_as_of, open_on, share_of
from werkpad.analytics.provision_groups import in_group

OUTCOMES = ("ladder_rise_3_4", "volunteer_work", "tegenprestatie", "participation_placement")
MEASURES = [
    "persons",
    *[m for o in (*OUTCOMES, "any_outcome") for m in (o, f"{o}_pct")],
]


def _latest(
    assessments: pd.DataFrame, persons: pd.Series, on: pd.Timestamp, column: str
) -> pd.Series:
    keys = pd.DataFrame({"person": persons.to_numpy(), "_on": on})
    known = assessments.dropna(subset=[column]) if not assessments.empty else assessments
    found = latest_as_of(known, keys, event_date="assessed_on", key_date="_on", columns=[column])
    return pd.Series(found[column].to_numpy(), index=persons.to_numpy())


def _open_on(frame: pd.DataFrame, on: pd.Timestamp) -> set[int]:
    if frame.empty:
        return set()
    return set(frame.loc[open_on(frame["start_date"], frame["end_date"], on), "person"])


def participation_outcomes(
    assessments: pd.DataFrame,
    spells: pd.DataFrame,
    routes: pd.DataFrame,
    provisions: pd.DataFrame,
    *,
    years: Collection[int],
    reference_date: date,
    work_route: Mapping[str, bool],
) -> pd.DataFrame:
    """year and MEASURES (see the module docstring)."""
    ref = pd.Timestamp(reference_date)
    people = pd.Series(
        sorted(set(assessments["person"])) if len(assessments) else [], dtype="int64"
    )
    started = (
        provisions.merge(routes[["route_id", "person"]], on="route_id")
        if len(provisions)
        else provisions
    )
    rows = []
    for year in years:
        first = pd.Timestamp(year, 1, 1)
        if first > ref:
            continue
        last = min(pd.Timestamp(year, 12, 31), ref)
        segment = _latest(assessments, people, first, "segment")
        in_segment = segment.map(
            lambda s: s is not None and not pd.isna(s) and work_route.get(s) is False
        )
        active = _open_on(spells, first) | _open_on(routes, first)
        chosen = pd.Series([p for p in in_segment[in_segment].index if p in active], dtype="int64")
        flags = pd.DataFrame(index=chosen.to_numpy())
        before = pd.to_numeric(_latest(assessments, chosen, first, "ladder_step"), errors="coerce")
        after = pd.to_numeric(_latest(assessments, chosen, last, "ladder_step"), errors="coerce")
        flags["ladder_rise_3_4"] = ((before <= 2) & (after >= 3)).fillna(False).astype(bool)
        in_year = started[started["start_date"].dt.year == year] if len(started) else started
        for group in OUTCOMES[1:]:
            who = set(in_year.loc[in_group(in_year, group), "person"]) if len(in_year) else set()
            flags[group] = flags.index.isin(list(who))
        flags["any_outcome"] = flags[list(OUTCOMES)].any(axis=1)
        row: dict[str, float] = {"year": year, "persons": float(len(flags))}
        for name in (*OUTCOMES, "any_outcome"):
            count = int(flags[name].sum())
            row[name] = float(count)
            row[f"{name}_pct"] = share_of(count, len(flags))
        rows.append(row)
    return pd.DataFrame(rows, columns=["year", *MEASURES])
