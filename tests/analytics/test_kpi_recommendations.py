"""The evaluators' recommendations as figures: hand-computed on small frames, with cohorts too
young to judge and part-year cases."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from werkpad.analytics import inflow, intensity, life_domains, lks, long_stay, participation
from werkpad.analytics.kpis import KpiContext, compute_kpis
from werkpad.analytics.snapshot import Snapshot

T = pd.Timestamp
WORK_ROUTE = {"A": True, "P": False}


def _frame(rows: list[dict[str, object]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for name in frame.columns:
        if name.endswith("_date") or name in ("assessed_on", "booked_on"):
            frame[name] = pd.to_datetime(frame[name])
    return frame


SPELLS = _frame(
    [
        # person 1: applied 1 Jan 2020, benefit from 15 Jan, contact on day 10, provision day 40
        {"person": 1, "start_date": "2020-01-15", "end_date": None,
         "application_date": "2020-01-01"},
        # person 2: applied and started 1 Feb, contact after 70 days, no provision
        {"person": 2, "start_date": "2020-02-01", "end_date": None,
         "application_date": "2020-02-01"},
        # person 3: started 20 Dec 2020: too young to judge on 31 Dec
        {"person": 3, "start_date": "2020-12-20", "end_date": None,
         "application_date": "2020-12-20"},
    ],
    ["person", "start_date", "end_date", "application_date"],
)  # fmt: skip
CONTACTS = _frame(
    [
        {"person": 1, "contact_date": "2019-12-01"},  # before the application: not counted
        {"person": 1, "contact_date": "2020-01-11"},
        {"person": 2, "contact_date": "2020-04-11"},
        {"person": 3, "contact_date": "2020-12-21"},
    ],
    ["person", "contact_date"],
)
ROUTES = _frame(
    [
        {"route_id": 10, "person": 1, "start_date": "2020-02-01", "end_date": None},
        {"route_id": 20, "person": 2, "start_date": "2020-07-01", "end_date": "2020-09-30"},
    ],
    ["route_id", "person", "start_date", "end_date"],
)
PROVISIONS = _frame(
    [
        {"provision_id": 1, "route_id": 10, "start_date": "2020-02-10", "gos_code": "PS2",
         "provision_name": "Inwerkweek", "srg_code": "99"},
    ],
    ["provision_id", "route_id", "start_date", "gos_code", "provision_name", "srg_code"],
)  # fmt: skip
ASSESSMENTS = _frame(
    [{"person": 1, "assessed_on": "2020-01-20", "segment": "A", "ladder_step": 4}],
    ["person", "assessed_on", "segment", "ladder_step"],
)


def _cell(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for key, value in where.items():
        mask &= frame[key] == value
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


def test_inflow_speed_counts_days_from_application_and_leaves_out_too_young_cohorts() -> None:
    frame = inflow.inflow_speed(SPELLS, CONTACTS, PROVISIONS, ROUTES, ASSESSMENTS,
                                reference_date=date(2020, 12, 31), years=[2020])  # fmt: skip
    total = _cell(frame, origin="aanvraag", segment="Totaal")
    assert total["new_clients"] == 3
    assert total["judged"] == 2  # person 3 started 11 days before the reference date
    # contact: person 1 after 10 days, person 2 after 70 days -> 1 of 2 within 4 and 8 weeks
    assert total["contact_within_4w_pct"] == pytest.approx(50.0)
    assert total["contact_within_8w_pct"] == pytest.approx(50.0)
    # Kaplan-Meier median of (10, 70): the survival drops to 0.5 at day 10
    assert total["contact_median_days"] == pytest.approx(10.0)
    # provision: person 1 after 40 days (1 Jan -> 10 Feb), person 2 none -> median 40
    assert total["provision_within_4w_pct"] == pytest.approx(0.0)
    assert total["provision_within_8w_pct"] == pytest.approx(50.0)
    from_start = _cell(frame, origin="start uitkering", segment="Totaal")
    assert from_start["provision_within_4w_pct"] == pytest.approx(50.0)  # 15 Jan -> 10 Feb
    segment_a = _cell(frame, origin="aanvraag", segment="A")
    assert segment_a["judged"] == 1


def test_inflow_speed_median_is_empty_when_fewer_than_half_had_the_event() -> None:
    spells = SPELLS[SPELLS["person"] == 2]
    frame = inflow.inflow_speed(spells, CONTACTS, PROVISIONS, ROUTES, ASSESSMENTS,
                                reference_date=date(2020, 12, 31), years=[2020])  # fmt: skip
    assert pd.isna(_cell(frame, origin="aanvraag", segment="Totaal")["provision_median_days"])


def test_induction_week_uptake_counts_ps2_within_the_weeks_setting() -> None:
    frame = inflow.induction_week_uptake(SPELLS, PROVISIONS, ROUTES, ASSESSMENTS,
                                         reference_date=date(2020, 12, 31), years=[2020],
                                         weeks=8)  # fmt: skip
    total = _cell(frame, segment="Totaal")
    assert (total["new_clients"], total["judged"], total["started"]) == (3, 2, 1)
    assert total["started_pct"] == pytest.approx(50.0)
    short = inflow.induction_week_uptake(SPELLS, PROVISIONS, ROUTES, ASSESSMENTS,
                                         reference_date=date(2020, 12, 31), years=[2020],
                                         weeks=2)  # fmt: skip
    assert _cell(short, segment="Totaal")["started"] == 0  # 15 Jan -> 10 Feb is 26 days


def test_contact_intensity_pro_rates_the_norm_for_part_of_a_year() -> None:
    years = intensity.person_years(ROUTES, CONTACTS, ASSESSMENTS, years=[2020],
                                   reference_date=date(2020, 12, 31),
                                   work_route=WORK_ROUTE)  # fmt: skip
    by_person = years.set_index("person")
    # person 1: route from 1 Feb to the year end = 335 days, 0 contacts in the route period
    # but the year counts all contacts in the year: 1 (11 Jan); expected 3 x 335/366
    assert by_person.loc[1, "days"] == 335
    assert by_person.loc[1, "expected"] == pytest.approx(3 * 335 / 366)
    assert bool(by_person.loc[1, "below_norm"])
    # person 2: route 1 Jul - 30 Sep = 92 days, expected 3 x 92/366 = 0.75, 1 contact -> fine
    assert by_person.loc[2, "days"] == 92
    assert not bool(by_person.loc[2, "below_norm"])
    persons = pd.DataFrame({"person": [1, 2], "team_id": [7, 7], "klantmanager_id": [5, 6]})
    table = intensity.contact_intensity(years, persons)
    total = _cell(table, group="Totaal", track="Totaal")
    assert total["below_norm"] == 1 and total["below_norm_pct"] == pytest.approx(50.0)
    assert total["contacts_per_year"] == pytest.approx(2 / ((335 + 92) / 365))
    per_km = intensity.contact_intensity_by_klantmanager(years, persons)
    assert set(per_km["group"]) == {"Totaal", "5", "6"}


def test_overlapping_routes_count_their_days_once() -> None:
    routes = _frame(
        [
            {"route_id": 1, "person": 1, "start_date": "2020-01-01", "end_date": "2020-01-31"},
            {"route_id": 2, "person": 1, "start_date": "2020-01-15", "end_date": "2020-02-14"},
        ],
        ["route_id", "person", "start_date", "end_date"],
    )
    days = intensity.days_in_service(routes, 2020, T(2020, 12, 31))
    assert days.loc[1] == 45  # 1 Jan - 14 Feb


def test_participation_track_has_a_norm_of_one_contact() -> None:
    assessments = _frame([{"person": 2, "assessed_on": "2020-01-01", "segment": "P"}],
                         ["person", "assessed_on", "segment"])  # fmt: skip
    years = intensity.person_years(ROUTES, CONTACTS, assessments, years=[2020],
                                   reference_date=date(2020, 12, 31),
                                   work_route=WORK_ROUTE)  # fmt: skip
    row = years.set_index("person").loc[2]
    assert row["track"] == intensity.PARTICIPATION
    assert row["expected"] == pytest.approx(92 / 366)


def test_lks_placements_judge_twelve_months_only_when_they_have_passed() -> None:
    placements = _frame(
        [
            {"placement_id": 1, "person": 1, "start_date": "2019-03-01", "end_date": None,
             "hours_per_week": 32},
            {"placement_id": 2, "person": 2, "start_date": "2019-06-01",
             "end_date": "2019-12-01", "hours_per_week": 24},
            {"placement_id": 3, "person": 3, "start_date": "2019-11-01", "end_date": None,
             "hours_per_week": 36},  # not yet 12 months on 2020-06-30
            {"placement_id": 4, "person": 4, "start_date": "2019-04-01", "end_date": None,
             "hours_per_week": 40},  # no LKS
        ],
        ["placement_id", "person", "start_date", "end_date", "hours_per_week"],
    )  # fmt: skip
    instruments = pd.DataFrame(
        {"placement_id": [1, 2, 3, 4], "instrument": ["LKS", "LKS", "LKS", "JOBCOACH"],
         "loonwaarde_pct": [50, 70, 60, None]}
    )  # fmt: skip
    costs = _frame(
        [
            {"booked_on": "2019-05-01", "cost_item": "LKS", "amount": 1000.0},
            {"booked_on": "2019-05-01", "cost_item": "PROVISIONS", "amount": 500.0},
        ],
        ["booked_on", "cost_item", "amount"],
    )
    frame = lks.lks_by_year(placements, instruments, costs, years=[2019],
                            reference_date=date(2020, 6, 30)).iloc[0]  # fmt: skip
    assert (frame["started"], frame["running"]) == (3, 2)
    assert frame["mean_loonwaarde_pct"] == pytest.approx(60.0)
    assert frame["mean_hours"] == pytest.approx((32 + 24 + 36) / 3)
    assert frame["spending"] == pytest.approx(1000.0)
    assert (frame["judged"], frame["in_work_12m"]) == (2, 1)
    assert frame["in_work_12m_pct"] == pytest.approx(50.0)


def test_participation_outcomes_count_ladder_rise_and_volunteer_work_apart_from_work() -> None:
    assessments = _frame(
        [
            {"person": 1, "assessed_on": "2019-06-01", "segment": "P", "ladder_step": 2},
            {"person": 1, "assessed_on": "2020-09-01", "segment": "P", "ladder_step": 3},
            {"person": 2, "assessed_on": "2019-06-01", "segment": "P", "ladder_step": 1},
            {"person": 3, "assessed_on": "2019-06-01", "segment": "A", "ladder_step": 4},
        ],
        ["person", "assessed_on", "segment", "ladder_step"],
    )  # fmt: skip
    spells = _frame(
        [{"person": p, "start_date": "2019-01-01", "end_date": None} for p in (1, 2, 3)],
        ["person", "start_date", "end_date"],
    )
    routes = _frame([{"route_id": 1, "person": 2, "start_date": "2020-01-01", "end_date": None}],
                    ["route_id", "person", "start_date", "end_date"])  # fmt: skip
    provisions = _frame(
        [{"provision_id": 1, "route_id": 1, "start_date": "2020-03-01", "gos_code": "PS",
          "provision_name": "Vrijwilligerswerk met begeleiding", "srg_code": "99"}],
        ["provision_id", "route_id", "start_date", "gos_code", "provision_name", "srg_code"],
    )  # fmt: skip
    row = participation.participation_outcomes(
        assessments, spells, routes, provisions, years=[2020], reference_date=date(2020, 12, 31),
        work_route=WORK_ROUTE,
    ).iloc[0]  # fmt: skip
    assert row["persons"] == 2  # person 3 is in a work-route segment
    assert row["ladder_rise_3_4"] == 1 and row["volunteer_work"] == 1
    assert row["any_outcome"] == 2 and row["any_outcome_pct"] == pytest.approx(100.0)
    assert row["tegenprestatie"] == 0


def test_long_stay_bridges_short_gaps_and_counts_who_was_seen() -> None:
    spells = _frame(
        [
            # person 1: 2014-2016, gap of 10 days, then open: one period since 2014 (> 5 years)
            {"person": 1, "start_date": "2014-01-01", "end_date": "2016-12-31"},
            {"person": 1, "start_date": "2017-01-10", "end_date": None},
            # person 2: gap of three months resets the clock: since 2017-04-01 (< 3 years)
            {"person": 2, "start_date": "2012-01-01", "end_date": "2016-12-31"},
            {"person": 2, "start_date": "2017-04-01", "end_date": None},
            # person 3: on benefit since 2016-06-01: 3.6 years
            {"person": 3, "start_date": "2016-06-01", "end_date": None},
        ],
        ["person", "start_date", "end_date"],
    )
    contacts = _frame([{"person": 3, "contact_date": "2019-10-01"},
                       {"person": 1, "contact_date": "2018-01-01"}],
                      ["person", "contact_date"])  # fmt: skip
    empty_routes = pd.DataFrame(columns=["route_id", "person", "start_date", "end_date"])
    empty_provisions = pd.DataFrame(columns=["route_id", "start_date"])
    row = long_stay.long_stay(spells, contacts, empty_provisions, empty_routes, years=[2019],
                              reference_date=date(2020, 6, 30)).iloc[0]  # fmt: skip
    assert row["on_benefit"] == 3
    assert (row["over_3y"], row["over_5y"]) == (2, 1)
    assert row["over_3y_seen"] == 1  # person 3 had a contact in the last 12 months
    assert row["over_3y_seen_pct"] == pytest.approx(50.0)


def test_life_domains_count_problems_and_flanking_provisions_for_them() -> None:
    scores = _frame(
        [
            {"person": 1, "assessed_on": "2020-01-01", "domain": "financien", "score": 1},
            {"person": 1, "assessed_on": "2020-01-01", "domain": "taal", "score": 4},
            {"person": 2, "assessed_on": "2019-01-01", "domain": "financien", "score": 2},
            {"person": 2, "assessed_on": "2020-03-01", "domain": "financien", "score": 3},
            {"person": 9, "assessed_on": "2020-01-01", "domain": "financien", "score": 1},
        ],
        ["person", "assessed_on", "domain", "score"],
    )  # fmt: skip
    spells = _frame([{"person": p, "start_date": "2019-01-01", "end_date": None} for p in (1, 2)],
                    ["person", "start_date", "end_date"])  # fmt: skip
    routes = _frame([{"route_id": 1, "person": 1, "start_date": "2020-01-01", "end_date": None}],
                    ["route_id", "person", "start_date", "end_date"])  # fmt: skip
    provisions = _frame(
        [{"provision_id": 1, "route_id": 1, "start_date": "2020-02-01", "gos_code": "PS",
          "provision_name": "Schuldhulptraject", "srg_code": "99"}],
        ["provision_id", "route_id", "start_date", "gos_code", "provision_name", "srg_code"],
    )  # fmt: skip
    frame = life_domains.life_domain_problems(
        scores, spells, routes, provisions, reference_date=date(2020, 12, 31),
        problem_max={"financien": 2, "taal": 2},
    ).set_index("domain")  # fmt: skip
    # person 9 is not in service; person 2's latest score (3) is no problem any more
    assert frame.loc["financien", "assessed"] == 2
    assert frame.loc["financien", "with_problem"] == 1
    assert frame.loc["financien", "flanking"] == 1
    assert frame.loc["taal", "with_problem"] == 0


def test_recommendation_kpis_run_on_an_empty_history() -> None:
    snap = Snapshot(
        date(2020, 12, 31),
        routes=pd.DataFrame(columns=["route_id", "person", "team_id", "route_type", "start_date",
                                     "end_date", "end_reason"]),
        provisions=pd.DataFrame(columns=["provision_id", "route_id", "start_date", "end_date",
                                         "gos_code", "provision_name", "srg_code"]),
        placements=pd.DataFrame(columns=["placement_id", "person", "route_id", "start_date",
                                         "end_date"]),
        benefit_spells=pd.DataFrame(columns=["person", "start_date", "end_date",
                                             "application_date"]),
        assessments=pd.DataFrame(columns=["person", "assessed_on", "segment", "ladder_step"]),
        contacts=pd.DataFrame(columns=["person", "contact_date"]),
    )  # fmt: skip
    for frame_name in ("routes", "provisions", "placements", "benefit_spells", "assessments",
                       "contacts"):  # fmt: skip
        frame = getattr(snap, frame_name)
        for column in frame.columns:
            if column.endswith("_date") or column == "assessed_on":
                frame[column] = pd.to_datetime(frame[column])
    ids = ["inflow_speed", "induction_week_uptake", "contact_intensity", "lks_placements",
           "participation_outcomes", "long_stay_caseload", "life_domains"]  # fmt: skip
    results = compute_kpis(snap, KpiContext.for_snapshot(snap, years=[2020]), ids)
    assert set(results["kpi_id"]) <= set(ids)
