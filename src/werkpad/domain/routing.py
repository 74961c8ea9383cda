"""Routing rules: from a loonwaarde estimate and a segmentation horizon to a proposed route.

The rules are data: loonwaarde bands come from the ``route_type`` code list (attributes
``loonwaarde_min`` / ``loonwaarde_max``, following the HLN target-group table: 80-100 direct
mediation, 60-80 work within 12 months, 30-60 supported work, 0-30 activation), and an
organisation may add a threshold that sends everyone at or below it to a specialised provider
(one region routes loonwaarde <= 70% that way). The klantmanager confirms the proposal or
overrides it with a reason; "the tool is not leading".
"""

from __future__ import annotations

from dataclasses import dataclass

from werkpad.domain.codelists import CodeList, code_list


@dataclass(frozen=True)
class RouteProposal:
    route_type: str
    rule: str  # plain-Dutch explanation of the rule that fired


@dataclass(frozen=True)
class RoutingRules:
    bands: tuple[tuple[int, int, str], ...]  # (min inclusive, max inclusive, route_type)
    specialised_threshold: int | None = None
    specialised_route_type: str = "SPECIALISED_PROVIDER"

    @classmethod
    def from_code_list(
        cls, route_types: CodeList | None = None, specialised_threshold: int | None = None
    ) -> RoutingRules:
        route_types = route_types or code_list("route_type")
        bands = tuple(
            sorted(
                (
                    (int(c.attr("loonwaarde_min")), int(c.attr("loonwaarde_max")), c.code)
                    for c in route_types
                    if c.attr("loonwaarde_min") is not None and c.attr("loonwaarde_max") is not None
                ),
                reverse=True,
            )
        )
        return cls(bands=bands, specialised_threshold=specialised_threshold)

    def propose(self, loonwaarde_pct: int | None) -> RouteProposal | None:
        """The proposed route type for a loonwaarde, or None when no estimate is known.

        Bands are checked from the highest down, so a boundary value (80) goes to the higher
        band (direct mediation), as the HLN table reads "80-100%".
        """
        if loonwaarde_pct is None:
            return None
        if not 0 <= loonwaarde_pct <= 100:
            raise ValueError("loonwaarde moet tussen 0 en 100 procent liggen")
        if self.specialised_threshold is not None and loonwaarde_pct <= self.specialised_threshold:
            return RouteProposal(
                self.specialised_route_type,
                f"loonwaarde {loonwaarde_pct}% is niet hoger dan de drempel van "
                f"{self.specialised_threshold}% voor de specialistische aanbieder",
            )
        for low, high, route_type in self.bands:
            if low <= loonwaarde_pct <= high:
                return RouteProposal(
                    route_type, f"loonwaarde {loonwaarde_pct}% valt in de band {low}-{high}%"
                )
        return None


def segment_for_horizon(scheme: str, months_to_work: int | None) -> str | None:
    """The segment of ``scheme`` whose horizon contains the expected months to work.

    Den Haag's 18-month rule follows from the data: more than 18 months is "participatie".
    Returns None when the horizon is unknown (the segment must then be chosen by hand).
    """
    if months_to_work is None:
        return None
    candidates = [
        c
        for c in code_list("segment")
        if c.attr("scheme") == scheme and c.attr("horizon_months_min") is not None
    ]
    for c in sorted(candidates, key=lambda c: c.attr("horizon_months_min")):
        low = c.attr("horizon_months_min")
        high = c.attr("horizon_months_max")
        if low <= months_to_work and (high is None or months_to_work <= high):
            return c.code
    return None
