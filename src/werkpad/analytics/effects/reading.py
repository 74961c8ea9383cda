"""Plain-Dutch reading of an effect estimate and the warnings that go with it.

The text is for a policy adviser or alderman: what the number means, whether the interval
rules out "no effect", how far the raw comparison was off, and what to distrust.
"""

from __future__ import annotations

from werkpad.analytics.effects.balance import SMD_THRESHOLD
from werkpad.analytics.effects.labels import covariate_label
from werkpad.analytics.effects.result import EffectEstimate
from werkpad.analytics.effects.sensitivity import sensitivity_reading
from werkpad.domain.formatting import dutch_number

MIN_GROUP = 50  # below this many treated (or matched) people an estimate says too little
MAX_UNMATCHED_SHARE = 0.05
MIN_EFFECTIVE_CONTROLS = 100


def _number(value: float, binary: bool) -> str:
    if binary:
        return dutch_number(abs(value) * 100, 1) + " procentpunt"
    return dutch_number(abs(value), 2)


def _signed(value: float, binary: bool) -> str:
    return (
        dutch_number(value * 100, 1, signed=True) if binary else dutch_number(value, 2, signed=True)
    )


def effect_warnings(est: EffectEstimate) -> list[str]:
    """Warnings in Dutch about sample size, common support, balance and weights."""
    out: list[str] = []
    if est.n_treated < MIN_GROUP or est.n_matched_treated < MIN_GROUP:
        out.append(
            f"Te weinig deelnemers ({est.n_matched_treated} vergeleken) om iets betrouwbaars te "
            f"zeggen; minimaal {MIN_GROUP} nodig."
        )
    if est.method == "psm" and est.n_treated:
        unmatched = est.overlap.n_unmatched_treated / est.n_treated
        if unmatched > MAX_UNMATCHED_SHARE:
            out.append(
                f"{unmatched:.0%} van de deelnemers had geen vergelijkbare niet-deelnemer; het "
                "effect geldt alleen voor de deelnemers die wel vergeleken konden worden."
            )
    unbalanced = est.balance.index[est.balance["smd_after"].abs() > SMD_THRESHOLD].tolist()
    if unbalanced:
        out.append(
            "Na correctie verschillen de groepen nog op: "
            + ", ".join(covariate_label(str(name)) for name in unbalanced)
            + f" (gestandaardiseerd verschil boven {SMD_THRESHOLD:.1f}).".replace(".", ",", 1)
        )
    if est.method in ("ipw", "aipw") and est.overlap.effective_control_n < MIN_EFFECTIVE_CONTROLS:
        out.append(
            "De weging leunt op weinig niet-deelnemers (effectief "
            f"{est.overlap.effective_control_n:.0f}); de uitkomst is kwetsbaar."
        )
    return out


def effect_reading(est: EffectEstimate) -> str:
    """A few sentences in plain Dutch describing the estimate, its interval and the naive gap."""
    binary = est.outcome_is_binary
    direction = "hoger" if est.effect > 0 else "lager"
    group = "deelnemers" if est.estimand == "ATT" else "alle kandidaten"
    level = f"{est.confidence:.0%}"
    parts = [
        f"Voor {group} aan '{est.treatment}' lag '{est.outcome}' gemiddeld "
        f"{_number(est.effect, binary)} {direction} dan bij vergelijkbare kandidaten zonder "
        f"'{est.treatment}'."
    ]
    if est.n_bootstrap > 0 and est.ci_low == est.ci_low:
        interval = f"{_signed(est.ci_low, binary)} tot {_signed(est.ci_high, binary)}"
        if est.ci_low > 0 or est.ci_high < 0:
            verdict = "het effect is dus met redelijke zekerheid niet nul"
        else:
            verdict = "een effect van nul is dus niet uit te sluiten"
        parts.append(f"Het {level}-betrouwbaarheidsinterval loopt van {interval}; {verdict}.")
    parts.append(
        f"Een ruwe vergelijking van alle deelnemers met alle niet-deelnemers gaf "
        f"{_signed(est.naive_difference, binary)}; het verschil met de gecorrigeerde schatting "
        "komt doordat deelnemers en niet-deelnemers al vooraf van elkaar verschilden."
    )
    parts.append(
        "De schatting gaat ervan uit dat de gebruikte kenmerken alles omvatten wat zowel deelname "
        "als uitkomst beïnvloedt; motivatie en oordeel van de klantmanager zitten er niet in."
    )
    sensitivity = sensitivity_reading(est)
    if sensitivity:
        parts.append(sensitivity)
    if est.warnings:
        parts.append("Let op: " + " ".join(est.warnings))
    return " ".join(parts)
