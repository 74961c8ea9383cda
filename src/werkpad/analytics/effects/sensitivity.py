"""Sensitivity to a hidden factor: the E-value (VanderWeele and Ding 2017), in plain Dutch.

For a 0/1 outcome, the risk ratio RR = mean outcome of participants / their counterfactual
mean. The E-value is the smallest strength of association (as a risk ratio) that a factor not
in the data would need with both participation and the outcome, beyond the measured
covariates, to explain the effect away: RR + sqrt(RR * (RR - 1)) for RR >= 1 (use 1/RR below
1). The E-value of the interval is that of the bound nearest to no effect (1 when the interval
contains no effect).
"""

from __future__ import annotations

import math

from werkpad.analytics.effects.result import EffectEstimate
from werkpad.domain.formatting import dutch_number


def e_value(risk_ratio: float) -> float:
    """E-value of a risk ratio (1 for no effect; NaN for a missing or non-positive ratio)."""
    if not math.isfinite(risk_ratio) or risk_ratio <= 0:
        return float("nan")
    rr = risk_ratio if risk_ratio >= 1 else 1 / risk_ratio
    return rr + math.sqrt(rr * (rr - 1))


def effect_e_values(est: EffectEstimate) -> tuple[float, float] | None:
    """(E-value of the estimate, of the interval bound nearest to zero); None when the outcome
    is not 0/1 or the counterfactual mean is not positive."""
    treated, counterfactual = est.mean_outcome_treated, est.mean_outcome_counterfactual
    if not est.outcome_is_binary or not counterfactual > 0 or not treated > 0:
        return None
    point = e_value(treated / counterfactual)
    if math.isnan(est.ci_low) or est.ci_low <= 0 <= est.ci_high:
        return point, 1.0
    bound = est.ci_low if est.effect > 0 else est.ci_high
    base = treated - bound
    return point, e_value(treated / base) if base > 0 else float("nan")


def sensitivity_reading(est: EffectEstimate) -> str:
    """One or two Dutch sentences on how strong a hidden factor would have to be."""
    values = effect_e_values(est)
    if values is None:
        return ""
    point, bound = values
    if point <= 1.0:
        return ""
    text = (
        "Een verborgen factor die niet in de gegevens staat (bijvoorbeeld motivatie) zou zowel "
        f"de kans op deelname als de kans op de uitkomst minstens {dutch_number(point, 1)} "
        "keer zo groot moeten maken, bovenop de gemeten kenmerken, om dit effect helemaal te "
        "verklaren"
    )
    if bound > 1.0:
        text += (
            f"; om het interval tot nul te laten reiken is {dutch_number(bound, 1)} keer genoeg."
        )
    else:
        text += "; het interval bevat nul al, dus daarvoor is geen verborgen factor nodig."
    return text
