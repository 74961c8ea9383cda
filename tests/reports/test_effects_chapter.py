"""The effectiveness chapter: estimates with intervals, and no numbers for tiny groups."""

from __future__ import annotations

from werkpad.reports.effects_chapter import EffectSummary, chapter_html


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
