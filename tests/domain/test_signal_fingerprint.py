"""A signal's fingerprint names its cause, not the day it is looked at (issue 16)."""

from __future__ import annotations

from datetime import date, timedelta

from werkpad.domain.worklist import HIGH, CandidateFacts, Thresholds, no_recent_contact

T = Thresholds()


def test_the_fingerprint_holds_from_day_to_day_and_changes_with_the_cause() -> None:
    facts = CandidateFacts(1, date(2019, 1, 1), contact_dates=(date(2019, 6, 1),))
    monday = no_recent_contact(facts, date(2020, 3, 2), T)
    tuesday = no_recent_contact(facts, date(2020, 3, 3), T)
    assert monday is not None and tuesday is not None
    assert monday.fingerprint == tuesday.fingerprint
    later = CandidateFacts(1, date(2019, 1, 1), contact_dates=(date(2019, 7, 1),))
    changed = no_recent_contact(later, date(2020, 3, 2), T)
    assert changed is not None and changed.fingerprint != monday.fingerprint


def test_no_contact_is_due_at_the_norm_and_urgent_at_twice_the_norm() -> None:
    last = date(2019, 6, 1)
    facts = CandidateFacts(1, date(2019, 1, 1), contact_dates=(last,))
    signal = no_recent_contact(facts, date(2020, 3, 2), T)
    assert signal is not None
    assert signal.due == last + timedelta(weeks=T.weeks_without_contact)
    assert signal.priority == HIGH
