"""The generated municipality reproduces the reference figures within stated tolerances.

Figures are recomputed from the generated tables themselves (as an analyst would from the
database), not from the generator's internal variables.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from werkpad.domain.codelists import code_list
from werkpad.domain.lifecycle import StateMachine
from werkpad.synth import SynthData
from werkpad.synth.calibration import (
    COSTS_ACTUAL,
    DROPOUT_SHARE_BENEFIT_OVER_2_YEARS,
    DROPOUT_SHARE_BENEFIT_UNDER_6_MONTHS,
    DURABLE_SHARE_ALL,
    DURABLE_SHARE_TYPE_6,
    END_REASON_SHARES,
    ENDED_SHARE_END_2020,
    EXEMPTION_TYPE_COUNTS,
    FEMALE_SHARE,
    GOS_CODES,
    GOS_COOCCURRENCE,
    JOB_EXITS_BY_YEAR,
    PERMANENT_CONTRACT_SHARE,
    REGULAR_JOB_TYPES,
    REGULAR_SHARE_2018,
    REGULAR_SHARE_2020,
)
from werkpad.synth.frames import day, year_of

REF = day(date(2021, 6, 30))
END_2020 = day(date(2020, 12, 31))


def _ended(data: SynthData) -> pd.DataFrame:
    routes = data["route"]
    return routes[routes["end_date"].notna()]


def test_end_reason_shares_of_ended_routes_match_tabel_2(mid_data: SynthData) -> None:
    shares = _ended(mid_data)["end_reason"].value_counts(normalize=True)
    for reason, target in END_REASON_SHARES.items():
        assert shares.get(reason, 0.0) == pytest.approx(target, abs=0.025), reason


def test_about_88_percent_of_routes_ended_by_the_end_of_2020(mid_data: SynthData) -> None:
    routes = mid_data["route"]
    ended_2020 = (routes["end_date"] <= END_2020).mean()
    assert ended_2020 == pytest.approx(ENDED_SHARE_END_2020, abs=0.03)


def test_dropout_is_higher_after_longer_benefit_duration(mid_data: SynthData) -> None:
    routes = _ended(mid_data).sort_values("start_date")
    spells = mid_data["benefit_spell"].sort_values("start_date")
    # The spell a route belongs to: the candidate's latest spell started before the route.
    joined = pd.merge_asof(
        routes.astype({"start_date": "int64"}),
        spells[["candidate_id", "start_date"]]
        .rename(columns={"start_date": "spell_start"})
        .astype({"spell_start": "int64"}),
        left_on="start_date",
        right_on="spell_start",
        by="candidate_id",
    )
    on_benefit = joined["start_date"] - joined["spell_start"]
    stopped = joined["end_reason"] == "STOPPED"
    assert stopped[on_benefit < 183].mean() == pytest.approx(
        DROPOUT_SHARE_BENEFIT_UNDER_6_MONTHS, abs=0.04
    )
    assert stopped[on_benefit > 730].mean() == pytest.approx(
        DROPOUT_SHARE_BENEFIT_OVER_2_YEARS, abs=0.04
    )


def test_route_durations_mostly_exceed_3_months_and_a_third_reach_18(mid_data: SynthData) -> None:
    ended = _ended(mid_data)
    duration = ended["end_date"] - ended["start_date"]
    assert (duration > 91).mean() > 0.85
    assert (duration >= 548).mean() == pytest.approx(1 / 3, abs=0.05)


def test_job_exits_follow_tabel_3_job_type_mix_per_year(mid_data: SynthData) -> None:
    placements = mid_data["placement"]
    years = year_of(placements["start_date"].to_numpy())
    regular = placements["job_type"].isin(REGULAR_JOB_TYPES).to_numpy()
    assert regular[years == 2018].mean() == pytest.approx(REGULAR_SHARE_2018, abs=0.04)
    assert regular[years == 2020].mean() == pytest.approx(REGULAR_SHARE_2020, abs=0.05)
    for year in (2018, 2019):
        mix = placements["job_type"][years == year].value_counts(normalize=True)
        total = sum(JOB_EXITS_BY_YEAR[year].values())
        for job_type, count in JOB_EXITS_BY_YEAR[year].items():
            assert mix.get(job_type, 0.0) == pytest.approx(count / total, abs=0.04)


def test_every_job_exit_has_one_placement_claimed_by_the_route_team(mid_data: SynthData) -> None:
    routes = mid_data["route"].set_index("id")
    placements = mid_data["placement"]
    job_routes = routes[routes["end_reason"] == "JOB"]
    assert sorted(placements["route_id"]) == sorted(job_routes.index)
    assert (
        placements["claimed_by_team_id"].to_numpy()
        == routes.loc[placements["route_id"], "team_id"].to_numpy()
    ).all()
    assert placements["claimed_by_provider_id"].isna().all()
    assert placements["employer_id"].notna().all()
    assert placements["hours_per_week"].between(1, 60).all()
    permanent = (placements["contract_type"] == "PERMANENT").mean()
    assert permanent == pytest.approx(PERMANENT_CONTRACT_SHARE, abs=0.03)


def test_lks_with_loonwaarde_goes_mainly_to_garantiebaan_and_beschut(mid_data: SynthData) -> None:
    instruments = mid_data["placement_instrument"]
    placements = mid_data["placement"].set_index("id")
    lks = instruments[instruments["instrument"] == "LKS"]
    assert lks["loonwaarde_pct"].between(0, 100).all()
    types = placements.loc[lks["placement_id"], "job_type"]
    assert types.isin(["3", "5"]).mean() > 0.6
    assert set(instruments["instrument"]) >= {"LKS", "JOBCOACH", "NO_RISK_POLIS", "TRIAL_PLACEMENT"}


def test_durability_matches_71_percent_overall_and_82_for_regular_fulltime(
    mid_data: SynthData,
) -> None:
    placements = mid_data["placement"]
    observed = placements[placements["start_date"] <= REF - 365]
    spells = mid_data["benefit_spell"][["candidate_id", "start_date"]]
    joined = observed.merge(spells, on="candidate_id", suffixes=("", "_spell"))
    within = (joined["start_date_spell"] > joined["start_date"]) & (
        joined["start_date_spell"] <= joined["start_date"] + 365
    )
    returned = set(joined.loc[within, "id"])
    durable = ~observed["id"].isin(returned)
    assert durable.mean() == pytest.approx(DURABLE_SHARE_ALL, abs=0.03)
    assert durable[observed["job_type"] == "6"].mean() == pytest.approx(
        DURABLE_SHARE_TYPE_6, abs=0.04
    )


def test_catalogue_has_154_basic_and_179_supporting_types_over_8_gos_codes(
    small_data: SynthData,
) -> None:
    types = small_data["provision_type"]
    assert (types["kind"] == "BASIC").sum() == 154
    assert (types["kind"] == "SUPPORTING").sum() == 179
    assert set(types["gos_code"]) == set(GOS_CODES)
    phases = {c.code: c.attr("phase") for c in code_list("gos_code")}
    assert (types["phase"] == types["gos_code"].map(phases)).all()
    assert types["code"].is_unique and types["name"].is_unique
    assert types["is_language"].any() and types["is_work_directed_training"].any()
    assert set(types["srg_code"]) <= {c.code for c in code_list("srg_provision_type")}
    paid = types[types["unit_cost"] > 0]["unit_cost"]
    assert paid.min() >= 30 and paid.max() <= 3500 and 300 <= paid.median() <= 2000
    kinds = set(small_data["provider"]["kind"])
    assert kinds == {"IN_HOUSE", "WSP", "SHELTERED", "EXTERNAL"}


def test_basic_provisions_follow_the_phase_order_within_a_route(mid_data: SynthData) -> None:
    types = mid_data["provision_type"].set_index("id")
    prov = mid_data["provision"]
    basic = prov[types.loc[prov["provision_type_id"], "kind"].to_numpy() == "BASIC"].copy()
    basic["order"] = (
        types.loc[basic["provision_type_id"], "gos_code"].map(GOS_CODES.index).to_numpy()
    )
    basic = basic.sort_values(["route_id", "order", "start_date"])
    went_back = basic.groupby("route_id")["start_date"].diff() < 0
    assert not went_back.any()
    routes = mid_data["route"].set_index("id")
    r_start = routes.loc[prov["route_id"], "start_date"].to_numpy()
    assert (prov["start_date"].to_numpy() >= r_start).all()
    assert (prov["end_date"].isna() | (prov["end_date"] >= prov["start_date"])).all()


def test_gos_codes_cooccur_like_the_den_haag_matrix(mid_data: SynthData) -> None:
    types = mid_data["provision_type"].set_index("id")
    prov = mid_data["provision"]
    has = (
        pd.crosstab(prov["route_id"], types.loc[prov["provision_type_id"], "gos_code"].to_numpy())
        > 0
    )
    errors = []
    for row in GOS_CODES:
        with_row = has[has[row]]
        for col, expected in zip(GOS_CODES, GOS_COOCCURRENCE[row], strict=True):
            errors.append(abs(100 * with_row[col].mean() - expected))
    assert np.mean(errors) < 5
    assert np.max(errors) < 15


def test_provision_counts_and_costs_follow_the_catalogue(mid_data: SynthData) -> None:
    prov = mid_data["provision"]
    routes = mid_data["route"]
    assert len(prov) / len(routes) == pytest.approx(73_107 / 21_039, rel=0.05)
    unit = mid_data["provision_type"].set_index("id").loc[prov["provision_type_id"], "unit_cost"]
    paid = unit.to_numpy() > 0
    ratio = prov["cost"].to_numpy()[paid] / unit.to_numpy()[paid]
    assert 0.85 <= np.median(ratio) <= 1.15


def test_candidates_look_like_a_bijstand_population(mid_data: SynthData) -> None:
    cand = mid_data["candidate"]
    assert (cand["sex"] == "V").mean() == pytest.approx(FEMALE_SHARE, abs=0.03)
    age = (REF - cand["birth_date"]) / 365.25
    assert age.min() >= 18 and age.max() < 67
    spells = mid_data["benefit_spell"]
    first_start = spells.groupby("candidate_id")["start_date"].min()
    age_at_start = (first_start - cand.set_index("id")["birth_date"]) / 365.25
    assert age_at_start.min() >= 18
    assert cand["postcode"].str.match(r"^(249[1-9]|25\d\d) [A-Z]{2}$").all()
    assert cand["statushouder"].mean() == pytest.approx(0.273, abs=0.03)
    assert set(cand["migration_background"]) == {"NL", "WEST", "NONWEST"}
    assert cand["education_level"].notna().all()


def test_benefit_dossiers_spells_and_partners(mid_data: SynthData) -> None:
    members = mid_data["dossier_member"]
    dossiers = mid_data["benefit_dossier"]
    with_partner = members.loc[members["member_role"] == "PARTNER", "dossier_id"].nunique()
    assert with_partner / len(dossiers) == pytest.approx(0.20, abs=0.03)
    spells = mid_data["benefit_spell"]
    assert (spells["benefit_type"] == "NUO").any()
    paid = spells["monthly_amount"].dropna()
    assert paid.between(1000, 1500).all()
    assert (spells["end_date"].isna() | (spells["end_date"] >= spells["start_date"])).all()
    work_ends = spells[spells["end_reason"] == "WORK"]
    assert len(work_ends) >= 0.9 * (mid_data["route"]["end_reason"] == "JOB").sum()


def test_assessments_keep_a_history_and_some_candidates_lack_a_classification(
    mid_data: SynthData,
) -> None:
    assessments = mid_data["assessment"]
    per_candidate = assessments.groupby("candidate_id").size()
    assert per_candidate.between(1, 3).all()
    assert len(per_candidate) == len(mid_data["candidate"])
    unclassified = assessments.groupby("candidate_id")["segment"].apply(lambda s: s.isna().all())
    assert 0.05 <= unclassified.mean() <= 0.13
    classified = assessments.dropna(subset=["segment"])
    assert set(classified["segment"]) == {"DH_A", "DH_B", "DH_C", "DH_P"}
    ordered = classified.sort_values(["candidate_id", "assessed_on"])
    steps = ordered.groupby("candidate_id")["ladder_step"].agg(["first", "last", "size"])
    assert (
        steps.loc[steps["size"] > 1, "last"] - steps.loc[steps["size"] > 1, "first"]
    ).mean() > 0.3


def test_exemptions_for_about_a_fifth_typed_like_haarlemmermeer(mid_data: SynthData) -> None:
    exemptions = mid_data["exemption"]
    assert len(exemptions) / len(mid_data["candidate"]) == pytest.approx(0.20, abs=0.02)
    total = sum(EXEMPTION_TYPE_COUNTS.values())
    shares = exemptions["exemption_type"].value_counts(normalize=True)
    for kind, count in EXEMPTION_TYPE_COUNTS.items():
        assert shares[kind] == pytest.approx(count / total, abs=0.03)
    assert exemptions["review_date"].notna().all()


def test_klantmanagers_carry_caseloads_of_70_to_90(mid_data: SynthData) -> None:
    caseload = mid_data["candidate"].groupby("klantmanager_id").size()
    assert 70 <= caseload.mean() <= 90
    users = mid_data["app_user"].set_index("id")
    assert (users.loc[caseload.index, "role"] == "KLANTMANAGER").all()
    cand = mid_data["candidate"]
    assert (
        users.loc[cand["klantmanager_id"], "team_id"].to_numpy() == cand["team_id"].to_numpy()
    ).all()
    assert set(users["role"]) == {
        "KLANTMANAGER",
        "ACCOUNTMANAGER",
        "TEAMLEIDER",
        "ANALIST",
        "BEHEERDER",
    }


def test_costs_per_year_match_den_haag_totals_times_the_scale_factor(mid_data: SynthData) -> None:
    lines = mid_data["cost_line"]
    factor = len(mid_data["route"]) / 21_039
    years = year_of(lines["booked_on"].to_numpy())
    for year in (2018, 2019, 2020):
        in_year = lines[years == year]
        spend = in_year[in_year["cost_item"].isin(["EXECUTION", "PROVISIONS"])]["amount"].sum()
        assert spend == pytest.approx(COSTS_ACTUAL["LASTEN"][year] * factor, rel=0.01)
        lks = in_year[in_year["cost_item"] == "LKS"]["amount"].sum()
        assert lks == pytest.approx(COSTS_ACTUAL["LKS"][year] * factor, rel=0.01)
        esf = in_year[in_year["cost_item"] == "ESF_INCOME"]["amount"].sum()
        assert esf == pytest.approx(COSTS_ACTUAL["ESF_INCOME"][year] * factor, rel=0.01)
    budget = mid_data["budget"]
    assert len(budget) == 15 and set(budget["year"]) == {2018, 2019, 2020}
    provision_lines = lines["provision_id"].notna().sum()
    assert provision_lines >= 0.95 * len(mid_data["provision"])


def test_follow_ups_are_done_exactly_when_due_before_the_reference_date(
    mid_data: SynthData,
) -> None:
    follow_ups = mid_data["follow_up"]
    assert sorted(set(follow_ups["months"])) == [6, 12, 18]
    due_past = follow_ups["due_date"] <= REF
    assert (follow_ups["done_on"].notna() == due_past).all()
    assert (follow_ups.loc[due_past, "done_on"] <= REF).all()


def test_some_referrals_are_still_open(mid_data: SynthData) -> None:
    states = mid_data["referral"]["state"].value_counts()
    assert states.get("OPEN", 0) > 0 and states.get("CLOSED", 0) > states.get("OPEN", 0)


@pytest.mark.slow
def test_denhaag_scale_reaches_the_reported_volumes() -> None:
    from werkpad.synth import generate

    data = generate("denhaag", seed=1)
    assert len(data["candidate"]) == 19_172
    assert len(data["route"]) == pytest.approx(21_039, rel=0.01)
    assert len(data["provision"]) == pytest.approx(73_107, rel=0.03)
    ended = data["route"]["end_date"].notna().sum()
    assert ended / len(data["route"]) == pytest.approx(0.9, abs=0.05)


def test_follow_up_due_dates_use_the_domain_calendar_months(small_data: SynthData) -> None:
    from werkpad.domain.follow_up import follow_up_due_dates
    from werkpad.synth.frames import to_date

    placements = small_data["placement"].set_index("id")
    for row in small_data["follow_up"].itertuples():
        exit_day = to_date(placements.loc[row.placement_id, "start_date"])
        assert to_date(row.due_date) == follow_up_due_dates(exit_day)[row.months]


def test_referral_transitions_follow_the_referral_life_cycle(small_data: SynthData) -> None:
    from werkpad.domain.lifecycle import REFERRAL

    _assert_life_cycle(small_data, "referral", REFERRAL)


def test_proposal_transitions_follow_the_proposal_life_cycle(small_data: SynthData) -> None:
    from werkpad.domain.lifecycle import PROPOSAL

    _assert_life_cycle(small_data, "proposal", PROPOSAL)


def _assert_life_cycle(data: SynthData, object_type: str, machine: StateMachine) -> None:
    log = data["state_transition"]
    log = log[log["object_type"] == object_type].sort_values(["object_id", "at", "id"])
    assert len(log) > 0
    for object_id, steps in log.groupby("object_id"):
        state = None
        for step in steps.itertuples():
            assert step.from_state == state or (state is None and pd.isna(step.from_state))
            if state is not None:
                assert machine.can(state, step.to_state), (object_id, state, step.to_state)
            state = step.to_state
        final = data[object_type].set_index("id").loc[object_id, "state"]
        assert state == final
