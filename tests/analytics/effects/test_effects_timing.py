"""Timing rules: support that follows the outcome it is evaluated on is not a treatment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from werkpad.analytics.evaluation import EvaluationSpec, evaluate, evaluation_panel
from werkpad.analytics.snapshot import Snapshot
from werkpad.analytics.treatment_timing import (
    TreatmentFollowsOutcome,
    phase_reason,
    phases_following,
)

FIRST = pd.Timestamp("2015-01-01")
MONTHS = 40


def _day(month: int, day: int) -> pd.Timestamp:
    return FIRST + pd.DateOffset(months=int(month)) + pd.Timedelta(days=day - 1)


def _snapshot(
    n: int, seed: int, gos_code: str, *, after_exit_share: float = 0.0, effect: float = 0.03
) -> Snapshot:
    """Everyone on benefit from January 2015; a provision of ``gos_code`` starts with a
    probability rising with trede, work exits with a probability rising with trede plus
    ``effect`` after the start. A share ``after_exit_share`` of the starters instead get the
    provision a few days after their work exit, in the same month (support after placement)."""
    rng = np.random.default_rng(seed)
    trede = rng.integers(1, 7, n)
    employability = 0.45 * (trede - 3)
    h0 = np.clip(0.03 + 0.015 * employability, 0.003, 0.2)
    p_start = 1 / (1 + np.exp(-(np.log(0.03 / 0.97) + employability)))
    start, exit_month = np.full(n, -1), np.full(n, -1)
    for m in range(MONTHS):
        active = exit_month < 0
        begins = active & (start < 0) & (rng.random(n) < p_start)
        start[begins] = m
        exit_month[active & (rng.random(n) < h0 + effect * (start >= 0))] = m
    person = np.arange(1, n + 1)
    left = exit_month >= 0
    end = [_day(e, 15) if e >= 0 else pd.NaT for e in exit_month]
    spells = pd.DataFrame(
        {"person": person, "start_date": FIRST, "end_date": end, "end_reason": None}
    )
    routes = pd.DataFrame(
        {
            "route_id": person,
            "person": person,
            "route_type": "WORK_12M",
            "start_date": FIRST,
            "end_date": end,
            "end_reason": np.where(left, "JOB", None),
        }
    )
    starters = np.flatnonzero(start >= 0)
    late = rng.random(starters.size) < after_exit_share
    late &= exit_month[starters] >= 0
    start_dates = [
        _day(exit_month[i], 20) if is_late else _day(start[i], 10)
        for i, is_late in zip(starters, late, strict=True)
    ]
    provisions = pd.DataFrame(
        {
            "route_id": person[starters],
            "provision_type": f"B-{gos_code}-001",
            "gos_code": gos_code,
            "start_date": start_dates,
        }
    )
    # The benefit of a late starter runs to the end of the exit month, so the start month is
    # a month on benefit and the start follows the exit inside it.
    ends = spells["end_date"].copy()
    late_people = person[starters][late]
    ends[spells["person"].isin(late_people)] = [_day(exit_month[p - 1] + 1, 1) for p in late_people]
    spells["end_date"] = ends
    persons = pd.DataFrame(
        {
            "person": person,
            "birth_year": rng.integers(1960, 1995, n),
            "sex": rng.choice(["M", "V"], n),
            "migration_background": "NL",
            "statushouder": False,
        }
    )
    assessments = pd.DataFrame(
        {
            "person": person,
            "assessed_on": pd.Timestamp("2014-12-01"),
            "segment": np.where(trede >= 4, "DH_A", "DH_B"),
            "ladder_step": trede,
        }
    )
    reference = (_day(MONTHS, 1) - pd.Timedelta(days=1)).date()
    placements = pd.DataFrame(columns=["person", "start_date"])
    return Snapshot(
        reference, routes, provisions, placements, spells, persons=persons, assessments=assessments
    )


def test_the_exit_phase_follows_every_exit_outcome_per_the_code_list() -> None:
    for outcome in ("work_exit", "durable_exit", "months_on_benefit"):
        assert phases_following(outcome) == ["EXIT"]
    assert phase_reason("PS5 Solliciteren/matchen", "PS5", "work_exit") is None


@pytest.mark.parametrize(("kind", "code"), [("gos_code", "PS7"), ("provision_type", "B-PS7-001")])
def test_support_after_placement_is_refused_as_a_treatment_with_the_reason_in_dutch(
    kind: str, code: str
) -> None:
    snap = _snapshot(600, seed=1, gos_code="PS7")
    spec = EvaluationSpec(kind, code, "work_exit", 12)  # type: ignore[arg-type]
    with pytest.raises(TreatmentFollowsOutcome) as refused:
        evaluate(snap, spec, n_bootstrap=0, subgroups=())
    message = str(refused.value)
    assert "uitstroom en nazorg" in message
    assert "volgt per definitie op een uitstroom naar werk" in message
    assert "niet geschat" in message


def test_a_start_after_the_work_exit_in_its_month_is_left_out_and_said_in_the_reading() -> None:
    snap = _snapshot(2_000, seed=2, gos_code="PS5", after_exit_share=0.2)
    spec = EvaluationSpec("gos_code", "PS5", "work_exit", 12)
    panel = evaluation_panel(snap, spec)
    starts = panel[panel["start_month"] == panel["month"]]
    provisions = snap.provisions.set_index("route_id")["start_date"]
    exits = snap.routes.set_index("person")["end_date"]
    late = provisions.index[(provisions.dt.day == 20)]
    assert len(late) > 20
    assert not starts["person"].isin(late).any()
    assert (exits.loc[late].dt.to_period("M") == provisions.loc[late].dt.to_period("M")).all()
    result = evaluate(snap, spec, n_bootstrap=0, subgroups=())
    note = next(w for w in result.estimate.warnings if "kwamen pas na" in w)
    # Only starts whose 12-month outcome is known by the reference date are in the panel.
    month = (provisions.loc[late].dt.year - 2015) * 12 + provisions.loc[late].dt.month - 1
    assert note.startswith(f"{int((month <= MONTHS - 12).sum())} van de ")
    assert "geen deelnemers" in result.estimate.reading


def test_a_provision_that_mostly_starts_after_the_exit_is_refused() -> None:
    snap = _snapshot(1_500, seed=3, gos_code="PS6", after_exit_share=1.0, effect=0.0)
    with pytest.raises(TreatmentFollowsOutcome, match="De meeste starts"):
        evaluate(snap, EvaluationSpec("gos_code", "PS6"), n_bootstrap=0, subgroups=())
