"""The appointment's life cycle and the rules on its date and outcome (issue 16)."""

from __future__ import annotations

from datetime import date, time

import pytest

from werkpad.domain.appointments import (
    APPOINTMENT,
    contact_type_for,
    is_in_past,
    needs_third_party,
    outcome_allowed,
    repeated_no_shows,
)
from werkpad.domain.lifecycle import TransitionRefused
from werkpad.domain.worklist import CandidateFacts, Thresholds, repeated_no_show

DAY = date(2020, 3, 2)


def test_a_planned_appointment_ends_once_and_its_outcome_is_final() -> None:
    for outcome in ("HELD", "NO_SHOW_NOTICE", "NO_SHOW", "CANCELLED"):
        assert APPOINTMENT.can("PLANNED", outcome)
        assert APPOINTMENT.is_final(outcome)
    with pytest.raises(TransitionRefused, match="Heeft plaatsgevonden"):
        APPOINTMENT.check("HELD", "NO_SHOW")


def test_past_means_an_earlier_day_or_an_earlier_time_today_when_the_clock_runs() -> None:
    assert is_in_past(date(2020, 3, 1), time(9), DAY, None)
    assert not is_in_past(DAY, time(9), DAY, None)  # frozen demo clock: dates only
    assert is_in_past(DAY, time(9), DAY, time(10))
    assert not is_in_past(DAY, time(11), DAY, time(10))
    assert outcome_allowed(DAY, DAY) and not outcome_allowed(date(2020, 3, 3), DAY)


def test_kinds_say_which_contact_they_become_and_who_takes_part() -> None:
    assert contact_type_for("HOME_VISIT", by_video=False) == "HOME_VISIT"
    assert contact_type_for("PROGRESS", by_video=True) == "VIDEO"
    assert needs_third_party("TRIPARTITE_PROVIDER") and not needs_third_party("INTAKE")


def test_no_shows_signal_only_from_the_norm_within_the_window() -> None:
    facts = CandidateFacts(1, date(2019, 1, 1), no_show_dates=(date(2019, 1, 10), DAY))
    t = Thresholds(no_shows_for_signal=2, days_no_show_window=180)
    assert repeated_no_show(facts, DAY, t) is None  # the first one is too long ago
    assert repeated_no_shows(facts.no_show_dates, DAY, 500) == [date(2019, 1, 10), DAY]
    signal = repeated_no_show(facts, DAY, Thresholds(days_no_show_window=500))
    assert signal is not None and signal.code == "REPEATED_NO_SHOW"
    assert repeated_no_show(facts, DAY, Thresholds(no_shows_for_signal=0)) is None
