from datetime import date

from werkpad.domain.lifecycle import PROVISION, provision_state_from_dates

TODAY = date(2024, 6, 3)


def test_older_provisions_map_to_states_from_their_dates_and_result() -> None:
    assert provision_state_from_dates(date(2024, 1, 1), date(2024, 3, 1), "COMPLETED", TODAY) == (
        "COMPLETED"
    )
    assert provision_state_from_dates(date(2024, 1, 1), date(2024, 3, 1), "STOPPED", TODAY) == (
        "STOPPED"
    )
    assert provision_state_from_dates(date(2024, 1, 1), date(2024, 3, 1), None, TODAY) == (
        "COMPLETED"
    )
    assert provision_state_from_dates(date(2024, 1, 1), None, None, TODAY) == "STARTED"
    assert provision_state_from_dates(date(2024, 7, 1), None, None, TODAY) == "PLANNED"


def test_a_provision_ends_only_once_started_and_is_cancelled_only_before() -> None:
    assert not PROVISION.can("PLANNED", "COMPLETED")
    assert not PROVISION.can("STARTED", "CANCELLED")
    assert PROVISION.can("REQUESTED", "PLANNED") and PROVISION.can("PLANNED", "CANCELLED")
    assert all(PROVISION.is_final(s) for s in ("COMPLETED", "STOPPED", "CANCELLED"))
