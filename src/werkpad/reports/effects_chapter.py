"""The effectiveness chapter of the council report: does the most used support help people into
work? For the most used GOS codes, the risk-set estimate of the effect on a work exit within 12
months, with its interval and a plain-Dutch reading (see ``analytics.evaluation``)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from werkpad.analytics.evaluation import (
    EvaluationSpec,
    evaluate,
    evaluation_base,
    timing_refusal,
    usage_counts,
)
from werkpad.analytics.snapshot import Snapshot
from werkpad.domain.formatting import dutch_number

TOP = 3
# 50 replicates with the normal interval (effect +- 1,96 bootstrap SE): the percentile
# interval needs several hundred replicates for stable tails; the coverage study in
# bench/effects_chapter_bench.py checks this choice.
REPORT_BOOTSTRAP = 50


@dataclass(frozen=True)
class EffectSummary:
    """One GOS code's estimate, or the reason why there is none."""

    label: str
    participants: int
    effect_pp: float | None  # percentage points
    ci_low_pp: float | None
    ci_high_pp: float | None
    reading: str
    refused: bool = False  # by the timing rules: it follows the outcome, so it is no treatment


def effect_summaries(
    snap: Snapshot, *, top: int = TOP, n_bootstrap: int = REPORT_BOOTSTRAP, seed: int = 0
) -> list[EffectSummary]:
    """Estimates for the ``top`` GOS codes started by the most people, leaving out (and
    saying why) the codes that follow the outcome by their phase (``treatment_timing``)."""
    out = []
    estimated = 0
    base = evaluation_base(snap, "work_exit", 12)
    for code in usage_counts(snap, "gos_code").index:
        if estimated == top:
            break
        spec = EvaluationSpec("gos_code", str(code), "work_exit", 12)
        refusal = timing_refusal(snap, spec)
        if refusal:
            out.append(EffectSummary(spec.treatment_label, 0, None, None, None, refusal, True))
            continue
        estimated += 1
        try:
            result = evaluate(
                snap,
                spec,
                n_bootstrap=n_bootstrap,
                seed=seed,
                subgroups=(),
                base=base,
                interval="normal",
            )
        except ValueError as error:
            out.append(EffectSummary(spec.treatment_label, 0, None, None, None, str(error)))
            continue
        est = result.estimate
        out.append(
            EffectSummary(
                spec.treatment_label,
                result.n_participants,
                est.effect * 100,
                est.ci_low * 100,
                est.ci_high * 100,
                est.reading,
            )
        )
    return out


def _pp(value: float | None) -> str:
    return dutch_number(value, 1, signed=True)


def chapter_html(summaries: Sequence[EffectSummary], threshold: int) -> str:
    """The chapter as HTML: a table of estimates, then one reading per GOS code."""
    parts = [
        "<h2>Effectmeting: helpt de ondersteuning aan werk?</h2>",
        "<p>Voor de drie meest gebruikte soorten ondersteuning (GOS-codes): hoeveel meer "
        "deelnemers binnen 12 maanden aan het werk gingen dan vergelijkbare kandidaten die in "
        "dezelfde maand een uitkering hadden en (nog) niet begonnen waren. Vergeleken is op "
        "leeftijd, geslacht, migratieachtergrond, statushouderschap, uitkeringsduur, segment, "
        "trede en jaar.</p>",
    ]
    rows = []
    refused = [s for s in summaries if s.refused]
    summaries = [s for s in summaries if not s.refused]
    for s in summaries:
        shown = s.participants >= threshold
        count = dutch_number(s.participants) if shown else f"&lt;{threshold}"
        effect = _pp(s.effect_pp) if shown else "–"
        interval = f"{_pp(s.ci_low_pp)} tot {_pp(s.ci_high_pp)}" if shown else "–"
        rows.append(
            f"<tr><td>{html.escape(s.label)}</td><td>{count}</td><td>{effect}</td>"
            f"<td>{interval}</td></tr>"
        )
    parts.append(
        "<table><tr><th>Ondersteuning</th><th>Deelnemers</th><th>Effect (procentpunt)</th>"
        f"<th>95%-interval</th></tr>{''.join(rows)}</table>"
    )
    for s in summaries:
        if s.participants >= threshold:
            parts.append(f"<p><b>{html.escape(s.label)}.</b> {html.escape(s.reading)}</p>")
    for s in refused:
        parts.append(
            f"<p><b>{html.escape(s.label)}: niet geschat.</b> {html.escape(s.reading)}</p>"
        )
    parts.append(
        "<div class='note'>Een effect is pas aangetoond als het interval de nul niet bevat. "
        "De vergelijking corrigeert alleen voor kenmerken die in de gegevens staan; motivatie "
        "en het oordeel van de klantmanager zitten er niet in. Het effect is dat van 'nu "
        "beginnen' tegenover 'nu (nog) niet': de vergelijkingsgroep kan later alsnog beginnen. "
        "Zie docs/effects.md voor de definities.</div>"
    )
    return "".join(parts)
