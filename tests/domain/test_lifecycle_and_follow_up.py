from datetime import date

import pytest

from werkpad.domain.follow_up import add_months, follow_up_due_dates, is_return_to_benefit
from werkpad.domain.lifecycle import PROPOSAL, REFERRAL, TransitionRefused


def test_referral_can_be_picked_up_then_returned_but_not_reopened_after_closing() -> None:
    REFERRAL.check("OPEN", "PICKED_UP")
    REFERRAL.check("PICKED_UP", "RETURNED")
    with pytest.raises(TransitionRefused, match="Afgesloten"):
        REFERRAL.check("CLOSED", "OPEN")


def test_placement_is_final_in_the_proposal_life_cycle() -> None:
    assert PROPOSAL.is_final("PLACED")
    assert not PROPOSAL.can("SHORTLISTED", "PLACED")


def test_follow_ups_fall_at_6_12_and_18_months_clamped_to_month_end() -> None:
    assert follow_up_due_dates(date(2019, 8, 31)) == {
        6: date(2020, 2, 29),
        12: date(2020, 8, 31),
        18: date(2021, 2, 28),
    }


def test_benefit_restart_within_twelve_months_is_a_return() -> None:
    assert is_return_to_benefit(date(2019, 3, 1), date(2020, 3, 1))
    assert not is_return_to_benefit(date(2019, 3, 1), date(2020, 3, 2))
    assert add_months(date(2020, 1, 31), 1) == date(2020, 2, 29)
