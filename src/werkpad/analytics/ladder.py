"""Movement on the participation ladder (trede) after a provision starts.

Definition (version 1): for each provision start, the trede before is the ladder step of the
person's latest assessment on or before the start date; the trede after is the ladder step of
the latest assessment in the 12 months after it (start excluded). A provision counts when both
are known; it shows a rise when after > before. Per provision type: distinct persons counted,
persons with a rise and the share in percent (a person counts once per type, with their first
counted start of that type).
"""

from __future__ import annotations

import pandas as pd

from werkpad.analytics._frames import latest_as_of

WINDOW_MONTHS = 12


def ladder_moves(
    provisions: pd.DataFrame, routes: pd.DataFrame, assessments: pd.DataFrame
) -> pd.DataFrame:
    """One row per counted provision start: person, provision_type, start_date, before, after."""
    starts = provisions[["route_id", "provision_type", "start_date"]].merge(
        routes[["route_id", "person"]], on="route_id"
    )
    steps = assessments.dropna(subset=["ladder_step"])[["person", "assessed_on", "ladder_step"]]
    steps = steps.astype({"ladder_step": "float64"})
    before = latest_as_of(
        steps, starts, event_date="assessed_on", key_date="start_date", columns=["ladder_step"]
    )["ladder_step"]
    keys = starts.assign(window_end=starts["start_date"] + pd.DateOffset(months=WINDOW_MONTHS))
    after_rows = latest_as_of(
        steps.assign(when=steps["assessed_on"]),
        keys,
        event_date="assessed_on",
        key_date="window_end",
        columns=["ladder_step", "when"],
    )
    after = after_rows["ladder_step"].where(after_rows["when"] > keys["start_date"].to_numpy())
    moves = starts.assign(before=before.to_numpy(), after=after.to_numpy())
    return moves.dropna(subset=["before", "after"]).reset_index(drop=True)


def ladder_rise_by_provision_type(moves: pd.DataFrame) -> pd.DataFrame:
    """Per provision type (plus ``Totaal`` over all starts): persons, risen and ``rise_pct``."""
    first = moves.sort_values("start_date", kind="stable").drop_duplicates(
        ["person", "provision_type"]
    )
    first = first.assign(rose=first["after"] > first["before"])
    result = first.groupby("provision_type").agg(persons=("rose", "size"), risen=("rose", "sum"))
    everyone = moves.sort_values("start_date", kind="stable").drop_duplicates("person")
    everyone_rose = everyone["after"] > everyone["before"]
    result.loc["Totaal"] = [len(everyone), int(everyone_rose.sum())]
    result = result.astype("int64")
    result["rise_pct"] = result["risen"] * 100.0 / result["persons"].where(result["persons"] > 0)
    return result.rename_axis("provision_type")
