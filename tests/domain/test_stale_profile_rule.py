"""The stale-work-profile rule on its own: the norm's day still counts as fresh."""

from __future__ import annotations

from datetime import date

from werkpad.domain.worklist import stale_profile_signal

TODAY = date(2021, 6, 30)


def test_profile_confirmed_exactly_the_norm_ago_is_not_stale() -> None:
    assert stale_profile_signal(date(2021, 4, 1), TODAY, 90) is None  # 90 days


def test_profile_one_day_past_the_norm_is_stale_with_its_date() -> None:
    signal = stale_profile_signal(date(2021, 3, 31), TODAY, 90)  # 91 days
    assert signal is not None and signal.code == "STALE_WORK_PROFILE"
    assert "31-03-2021" in signal.detail and "norm 90 dagen" in signal.detail


def test_profile_never_confirmed_is_stale() -> None:
    signal = stale_profile_signal(None, TODAY, 90)
    assert signal is not None and "nooit" in signal.detail
