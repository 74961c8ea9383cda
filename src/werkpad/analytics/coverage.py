"""Coverage of provisions against need: language provisions versus estimated language need.

Definition (version 1): the population is everyone with a running benefit spell on the reference
date. A person has a language need when their latest assessment on or before that date records a
Dutch language level below B1 (A0, A1 or A2). The person is covered when any of their routes
holds a language provision (catalogue flag ``is_language``) that started in the 24 months up to
the reference date. Coverage = covered / in need, per group (the latest segment) and overall.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from werkpad.analytics._frames import open_on

NEED_LEVELS = ("A0", "A1", "A2")
LOOKBACK_MONTHS = 24
UNKNOWN = "Onbekend"


def latest_assessment(assessments: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """The latest assessment per person on or before ``on`` (index: person)."""
    known = assessments[assessments["assessed_on"] <= on]
    return (
        known.sort_values("assessed_on", kind="stable")
        .groupby("person")
        .tail(1)
        .set_index("person")
    )


def language_coverage(
    benefit_spells: pd.DataFrame,
    assessments: pd.DataFrame,
    routes: pd.DataFrame,
    provisions: pd.DataFrame,
    *,
    reference_date: date,
) -> pd.DataFrame:
    """Per group (latest segment, plus ``Totaal``): ``population``, ``need``, ``covered`` and
    ``coverage_pct``."""
    ref = pd.Timestamp(reference_date)
    running = benefit_spells[open_on(benefit_spells["start_date"], benefit_spells["end_date"], ref)]
    people = pd.Index(running["person"].unique(), name="person")
    latest = latest_assessment(assessments, ref).reindex(people)
    group = latest["segment"].fillna(UNKNOWN)
    need = latest["language_level"].isin(NEED_LEVELS)
    since = ref - pd.DateOffset(months=LOOKBACK_MONTHS)
    lang = provisions[
        provisions["is_language"].astype(bool)
        & (provisions["start_date"] > since)
        & (provisions["start_date"] <= ref)
    ]
    covered_people = routes.loc[routes["route_id"].isin(lang["route_id"]), "person"].unique()
    covered = need & people.isin(covered_people)
    frame = pd.DataFrame({"group": group, "need": need, "covered": covered})
    result = frame.groupby("group").agg(
        population=("need", "size"), need=("need", "sum"), covered=("covered", "sum")
    )
    result.loc["Totaal"] = result.sum()
    result = result.astype("int64")
    result["coverage_pct"] = result["covered"] * 100.0 / result["need"].where(result["need"] > 0)
    return result.rename_axis("group")
