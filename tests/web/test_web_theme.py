"""A municipality's theme settings: its colours and logo, never at the cost of AA contrast."""

from __future__ import annotations

from pathlib import Path

import pytest

from werkpad.web.theme import ThemeError, contrast_ratio, load_theme, parse_theme


def test_contrast_ratio_matches_the_wcag_extremes() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_a_theme_file_sets_name_colours_and_an_embedded_logo(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    settings = tmp_path / "thema.toml"
    settings.write_text(
        'municipality = "Gemeente Voorbeeld"\nprimary_color = "#00589C"\n'
        'primary_dark_color = "#003d6e"\nlogo = "logo.svg"\n'
    )
    theme = load_theme(settings)
    assert theme.municipality == "Gemeente Voorbeeld"
    assert "--werkpad-color-primary:#00589c;" in theme.css()
    assert theme.logo_data_uri and theme.logo_data_uri.startswith("data:image/svg+xml;base64,")


def test_a_colour_below_aa_contrast_with_white_text_is_refused() -> None:
    with pytest.raises(ThemeError, match=r"WCAG 2\.1 AA"):
        parse_theme('primary_color = "#7fb2e5"', Path("."))


def test_a_colour_that_is_not_a_hex_code_is_refused_before_it_reaches_the_css() -> None:
    with pytest.raises(ThemeError, match="#1a4f8b"):
        parse_theme('primary_color = "red;}body{display:none"', Path("."))


def test_every_page_carries_the_skip_link_and_the_design_system_css() -> None:
    base = (Path(__file__).parents[2] / "src/werkpad/web/templates/base.html").read_text()
    assert 'href="#inhoud"' in base and 'id="inhoud"' in base
    assert "/static/vendor/nl-design-system/component-library.css" in base
