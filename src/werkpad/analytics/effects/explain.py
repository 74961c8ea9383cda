"""Plain-Dutch readings of the figures next to an estimate: what each shows and what it does not.

The estimate itself has its reading in ``reading``; these texts go with the balance table, the
overlap summary, the survival curves and the subgroup table.
"""

from __future__ import annotations

import pandas as pd

from werkpad.analytics.effects.balance import SMD_THRESHOLD
from werkpad.analytics.effects.estimate import EffectEstimate
from werkpad.analytics.effects.labels import covariate_label
from werkpad.domain.formatting import dutch_number


def _dec(value: float, digits: int = 2) -> str:
    return dutch_number(value, digits)


def balance_reading(est: EffectEstimate) -> str:
    """Which characteristic differed most before and after the correction."""
    before_abs = est.balance["smd_before"].abs()
    after_abs = est.balance["smd_after"].abs()
    before = covariate_label(str(before_abs.idxmax()))
    after = covariate_label(str(after_abs.idxmax()))
    smd_before = float(est.balance["smd_before"].to_numpy()[before_abs.to_numpy().argmax()])
    smd_after = float(est.balance["smd_after"].to_numpy()[after_abs.to_numpy().argmax()])
    worst_after = abs(smd_after)
    verdict = (
        "dat is onder de grens van "
        + _dec(SMD_THRESHOLD, 1)
        + ", dus de vergelijkingsgroep lijkt op deze kenmerken op de deelnemers"
        if worst_after < SMD_THRESHOLD
        else "dat is boven de grens van "
        + _dec(SMD_THRESHOLD, 1)
        + ", dus de groepen verschillen nog en de schatting is minder betrouwbaar"
    )
    return (
        "De tabel vergelijkt deelnemers met niet-deelnemers per kenmerk, vóór en na de correctie "
        "(gestandaardiseerd verschil: 0 is gelijk). Vóór de correctie was het grootste verschil "
        f"'{before}' ({_dec(smd_before)}); erna '{after}' ({_dec(smd_after)}): {verdict}. "
        "De tabel zegt niets over kenmerken die niet in de gegevens staan, zoals motivatie of "
        "gezondheid."
    )


def overlap_reading(est: EffectEstimate) -> str:
    """Whether every participant had comparable non-participants (common support)."""
    ov = est.overlap
    parts = [
        f"Van de {est.n_treated} deelnemers konden er {est.n_matched_treated} vergeleken worden "
        f"met {est.n_controls_used} niet-deelnemers met een vergelijkbare kans op deelname "
        "in dezelfde maand."
    ]
    if ov.n_unmatched_treated:
        parts.append(
            f"{ov.n_unmatched_treated} deelnemers hadden geen vergelijkbare niet-deelnemer; voor "
            "hen zegt de schatting niets."
        )
    if est.method in ("ipw", "aipw"):
        parts.append(
            f"Na weging tellen de niet-deelnemers effectief als {ov.effective_control_n:.0f} "
            f"personen; de zwaarste weegt {_dec(ov.largest_control_weight_share * 100, 1)}% "
            "van het totaal."
        )
    parts.append(
        "Overlap laat zien óf er vergelijkbare mensen zijn, niet dát ze ook echt vergelijkbaar "
        "zijn op wat niet gemeten is."
    )
    return " ".join(parts)


def survival_reading(medians: pd.Series) -> str:
    """The unadjusted curves: what they show and that they are not the effect."""
    shown = []
    for group, months in medians.items():
        text = "niet bereikt" if months == float("inf") else f"{_dec(float(months), 0)} maanden"
        shown.append(f"{group}: {text}")
    return (
        "De lijnen tonen welk deel nog niet aan het werk was, gerekend vanaf de startmaand "
        "(deelnemers) of een willekeurige maand waarin iemand nog niet gestart was "
        "(vergelijkingsgroep). Mediane tijd tot werk: " + "; ".join(shown) + ". Dit is een "
        "ongecorrigeerde vergelijking: de groepen verschillen al vooraf, dus het verschil "
        "tussen de lijnen is niet het effect. Wie om een andere reden de uitkering verliet, "
        "telt tot de peildatum mee als nog niet aan het werk."
    )


def subgroup_reading(min_people: int) -> str:
    return (
        "Per groep is het effect apart geschat, met een eigen vergelijkingsgroep. Groepen met "
        f"minder dan {min_people} deelnemers of niet-deelnemers worden niet geschat: een "
        "interval over zo weinig mensen is toeval. Verschillen tussen groepen zijn alleen "
        "betekenisvol als de intervallen elkaar niet overlappen; de groepen zijn bovendien "
        "niet vooraf gekozen als hypothese, dus één opvallende groep kan toeval zijn."
    )
