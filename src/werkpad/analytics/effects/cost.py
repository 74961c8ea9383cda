"""Cost-effectiveness: cost per additional work exit and benefit savings.

Definitions (version 1):

* additional exits per participant = the effect on the treated on a 0/1 work-exit outcome;
* cost per additional (durable) exit = cost per participant / additional exits per
  participant; its interval comes from the same bootstrap replicates. When the effect
  interval reaches zero or below, the upper bound is infinite: no finite cost can be claimed;
* benefit savings per participant over 12 or 24 months = minus the effect on months on benefit
  in that period, times the monthly benefit amount (a parameter: it differs by household type
  and municipality), and the net result = savings - cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from werkpad.analytics.effects.estimate import EffectEstimate


@dataclass(frozen=True)
class CostPerExit:
    additional_exits_per_participant: float
    cost_per_additional_exit: float
    ci_low: float
    ci_high: float  # inf when the effect interval does not exclude zero


@dataclass(frozen=True)
class BenefitSavings:
    months_saved_per_participant: float
    savings_per_participant: float
    ci_low: float
    ci_high: float
    net_per_participant: float  # savings minus cost
    total_net: float  # over all participants


def cost_per_additional_exit(
    exit_effect: EffectEstimate, cost_per_participant: float
) -> CostPerExit:
    """Cost per extra work exit, with an interval from the effect's bootstrap replicates."""
    if not exit_effect.outcome_is_binary:
        raise ValueError("cost per exit needs a 0/1 work-exit outcome")
    effect = exit_effect.effect
    point = cost_per_participant / effect if effect > 0 else float("inf")
    replicates = exit_effect.replicates[np.isfinite(exit_effect.replicates)]
    alpha = (1 - exit_effect.confidence) / 2
    low_effect, high_effect = (
        np.quantile(replicates, [alpha, 1 - alpha]) if replicates.size else (np.nan, np.nan)
    )
    # Cost per exit falls as the effect rises, so the bounds swap.
    low = cost_per_participant / high_effect if high_effect > 0 else float("inf")
    high = cost_per_participant / low_effect if low_effect > 0 else float("inf")
    return CostPerExit(effect, point, float(low), float(high))


def benefit_savings(
    months_effect: EffectEstimate,
    monthly_benefit: float,
    cost_per_participant: float = 0.0,
) -> BenefitSavings:
    """Benefit saved per participant from an effect on months on benefit (negative = fewer)."""
    saved = -months_effect.effect
    savings = saved * monthly_benefit
    low = -months_effect.ci_high * monthly_benefit
    high = -months_effect.ci_low * monthly_benefit
    net = savings - cost_per_participant
    return BenefitSavings(
        months_saved_per_participant=saved,
        savings_per_participant=savings,
        ci_low=low,
        ci_high=high,
        net_per_participant=net,
        total_net=net * months_effect.n_matched_treated,
    )
