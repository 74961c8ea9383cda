"""The effectiveness chapter: estimates with intervals, and no numbers for tiny groups."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from tests.analytics.effects.test_effects_timing import _snapshot

from werkpad.reports.effects_chapter import EffectSummary, chapter_html, effect_summaries


def test_chapter_shows_effect_and_interval_in_dutch_and_hides_groups_under_the_threshold() -> None:
    summaries = [
        EffectSummary("PS5 Solliciteren/matchen", 533, 23.1, 18.6, 27.9, "Lezing PS5."),
        EffectSummary("PS2 Inwerkweek", 7, 40.0, -5.0, 80.0, "Lezing PS2."),
    ]
    page = chapter_html(summaries, threshold=10)
    assert "<td>533</td><td>+23,1</td><td>+18,6 tot +27,9</td>" in page
    assert "<td>&lt;10</td><td>–</td><td>–</td>" in page
    assert "Lezing PS5." in page
    assert "Lezing PS2." not in page and "+40,0" not in page


def test_chapter_publishes_no_effect_for_support_after_placement_but_says_why() -> None:
    summaries = [
        EffectSummary("PS7 Borgen plaatsing", 0, None, None, None, "Volgt op werk.", True),
        EffectSummary("PS5 Solliciteren/matchen", 533, 23.1, 18.6, 27.9, "Lezing PS5."),
    ]
    page = chapter_html(summaries, threshold=10)
    assert "<td>PS7 Borgen plaatsing</td>" not in page
    assert "<b>PS7 Borgen plaatsing: niet geschat.</b> Volgt op werk." in page


def test_report_summaries_skip_the_exit_phase_and_still_estimate_the_top_codes() -> None:
    snap = _snapshot(800, seed=4, gos_code="PS7")
    extra = snap.provisions.assign(provision_type="B-PS5-001", gos_code="PS5")
    both = replace(snap, provisions=pd.concat([snap.provisions, extra.iloc[: len(extra) // 2]]))
    summaries = effect_summaries(both, top=1, n_bootstrap=0)
    assert [(s.label, s.refused) for s in summaries] == [
        ("PS7 Borgen plaatsing", True),
        ("PS5 Solliciteren/matchen", False),
    ]
    assert "kringredenering" in summaries[0].reading
