import pytest

from werkpad.domain.routing import RoutingRules, segment_for_horizon


@pytest.mark.parametrize(
    ("loonwaarde", "route_type"),
    [
        (100, "DIRECT_MEDIATION"),
        (80, "DIRECT_MEDIATION"),
        (79, "WORK_12M"),
        (60, "WORK_12M"),
        (45, "SUPPORTED_WORK"),
        (30, "SUPPORTED_WORK"),
        (12, "ACTIVATION"),
        (0, "ACTIVATION"),
    ],
)
def test_loonwaarde_bands_propose_the_hln_route(loonwaarde: int, route_type: str) -> None:
    proposal = RoutingRules.from_code_list().propose(loonwaarde)
    assert proposal is not None
    assert proposal.route_type == route_type


def test_organisation_threshold_sends_70_percent_or_less_to_specialised_provider() -> None:
    rules = RoutingRules.from_code_list(specialised_threshold=70)
    assert rules.propose(70).route_type == "SPECIALISED_PROVIDER"  # type: ignore[union-attr]
    assert rules.propose(71).route_type == "WORK_12M"  # type: ignore[union-attr]


def test_unknown_loonwaarde_gives_no_proposal_and_out_of_range_is_refused() -> None:
    rules = RoutingRules.from_code_list()
    assert rules.propose(None) is None
    with pytest.raises(ValueError, match="tussen 0 en 100"):
        rules.propose(120)


def test_den_haag_eighteen_month_rule_puts_longer_horizons_in_participatie() -> None:
    assert segment_for_horizon("DENHAAG", 3) == "DH_A"
    assert segment_for_horizon("DENHAAG", 12) == "DH_B"
    assert segment_for_horizon("DENHAAG", 30) == "DH_P"


def test_leidschendam_voorburg_distance_in_months_maps_to_categories() -> None:
    assert segment_for_horizon("LV", 2) == "LV_1A"
    assert segment_for_horizon("LV", 60) == "LV_3A"
