"""Routing rules: from a loonwaarde estimate and a segmentation horizon to a proposed route.

The rules are data: loonwaarde bands come from the ``route_type`` code list (attributes
``loonwaarde_min`` / ``loonwaarde_max``, following the HLN target-group table: 80-100 direct
mediation, 60-80 work within 12 months, 30-60 supported work, 0-30 activation), and an
organisation may add a threshold that sends everyone at or below it to a specialised provider
(one region routes loonwaarde <= 70% that way). The klantmanager confirms the proposal or
overrides it with a reason; "the tool is not leading".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from werkpad.domain.codelists import CodeList, code_list

LOONWAARDE_MIN = 0
LOONWAARDE_MAX = 100
Band = tuple[int, int, str]  # (min inclusive, max inclusive, route_type)


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

    @classmethod
    def from_bands(
        cls, bands: Sequence[Band], specialised_threshold: int | None = None
    ) -> RoutingRules:
        """Rules from bands a beheerder configured (checked with ``band_problems`` first)."""
        return cls(
            bands=tuple(sorted(bands, reverse=True)), specialised_threshold=specialised_threshold
        )

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


def band_problems(bands: Sequence[Band], labels: Mapping[str, str] | None = None) -> list[str]:
    """Dutch messages for loonwaarde bands that do not cover 0-100% exactly once.

    Neighbouring bands may share their boundary ("60-80" and "80-100": 80 goes to the higher
    band, as ``propose`` reads them) or meet on whole percentages ("60-79" and "80-100").
    Anything else leaves a gap or an overlap. An empty list means the bands are valid.
    """
    labels = labels or {}

    def name(band: Band) -> str:
        return f"{labels.get(band[2], band[2])} ({band[0]}-{band[1]}%)"

    if not bands:
        return ["Geef minstens één loonwaardeband op."]
    problems: list[str] = []
    for band in bands:
        low, high, _ = band
        if not LOONWAARDE_MIN <= low <= high <= LOONWAARDE_MAX:
            problems.append(
                f"{name(band)}: de ondergrens moet tussen 0 en 100 liggen en niet boven de "
                "bovengrens."
            )
    if problems:
        return problems
    ordered = sorted(bands, key=lambda b: (b[0], b[1]))
    if ordered[0][0] != LOONWAARDE_MIN:
        problems.append(f"0-{ordered[0][0] - 1}% valt in geen enkele band.")
    reaching = ordered[0]  # the band that reaches highest so far
    for band in ordered[1:]:
        if band[0] < reaching[1]:
            problems.append(f"{name(reaching)} en {name(band)} overlappen.")
        elif band[0] > reaching[1] + 1:
            problems.append(f"{reaching[1] + 1}-{band[0] - 1}% valt in geen enkele band.")
        if band[1] > reaching[1]:
            reaching = band
    if reaching[1] != LOONWAARDE_MAX:
        problems.append(f"{reaching[1] + 1}-100% valt in geen enkele band.")
    return problems


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
