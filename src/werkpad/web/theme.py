"""A municipality's own design tokens (colours, name, logo) for the NL Design System theme.

The screens use the NL Design System components (vendored ``@utrecht/*`` CSS) with werkpad's
own token set in ``static/werkpad-theme.css``. A municipality overrides the brand tokens in a
TOML settings file named by ``$WERKPAD_THEME_FILE``::

    municipality = "Gemeente Voorbeeld"
    primary_color = "#00589c"        # header, primary buttons, links
    primary_dark_color = "#003d6e"   # hover and pressed states
    logo = "logo.svg"                # SVG or PNG, relative to the settings file

Colours are checked against WCAG 2.1 AA when the app starts (white text on both colours and
the primary colour as link text on white need a contrast of at least 4.5:1), so a theme can
never make the screens unreadable; a bad file stops the start with a clear message.
"""

from __future__ import annotations

import base64
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

THEME_FILE_ENV = "WERKPAD_THEME_FILE"
AA_CONTRAST = 4.5
MAX_LOGO_BYTES = 200_000
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


class ThemeError(ValueError):
    """The theme settings file cannot be used (the message says why)."""


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of an ``#rrggbb`` colour."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@dataclass(frozen=True)
class Theme:
    """The brand tokens a municipality may set; everything else follows from the theme CSS."""

    municipality: str = ""
    primary_color: str = "#1a4f8b"
    primary_dark_color: str = "#123a66"
    logo_data_uri: str | None = None

    def css(self) -> str:
        """The overriding custom properties, for a ``<style>`` element in the page head."""
        return (
            ":root{"
            f"--werkpad-color-primary:{self.primary_color};"
            f"--werkpad-color-primary-dark:{self.primary_dark_color};"
            "}"
        )


def _colour(data: dict[str, object], key: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not _HEX.match(value):
        raise ThemeError(f"{key} moet een kleur zijn als #1a4f8b, niet {value!r}")
    return value.lower()


def _logo(base: Path, name: object) -> str | None:
    if name is None:
        return None
    if not isinstance(name, str) or not name:
        raise ThemeError("logo moet een bestandsnaam zijn")
    path = (base / name).resolve()
    media_type = _LOGO_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise ThemeError(f"logo moet een .svg- of .png-bestand zijn, niet {path.name}")
    if not path.is_file():
        raise ThemeError(f"logo {path} bestaat niet")
    raw = path.read_bytes()
    if len(raw) > MAX_LOGO_BYTES:
        raise ThemeError(f"logo {path.name} is groter dan {MAX_LOGO_BYTES // 1000} kB")
    # A data URI keeps the logo inside the page (the CSP allows data: images), so no route
    # serves files from outside the package.
    return f"data:{media_type};base64,{base64.b64encode(raw).decode('ascii')}"


def parse_theme(text: str, base: Path) -> Theme:
    """A theme from the TOML text of a settings file in folder ``base`` (for the logo)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"het themabestand is geen geldige TOML: {exc}") from exc
    default = Theme()
    municipality = data.get("municipality", "")
    if not isinstance(municipality, str):
        raise ThemeError("municipality moet tekst zijn")
    theme = Theme(
        municipality=municipality.strip()[:80],
        primary_color=_colour(data, "primary_color", default.primary_color),
        primary_dark_color=_colour(data, "primary_dark_color", default.primary_dark_color),
        logo_data_uri=_logo(base, data.get("logo")),
    )
    for key, colour in (
        ("primary_color", theme.primary_color),
        ("primary_dark_color", theme.primary_dark_color),
    ):
        ratio = contrast_ratio(colour, "#ffffff")
        if ratio < AA_CONTRAST:
            raise ThemeError(
                f"{key} {colour} geeft met witte tekst een contrast van {ratio:.1f}:1; "
                f"WCAG 2.1 AA vraagt minstens {AA_CONTRAST}:1. Kies een donkerdere kleur."
            )
    return theme


def load_theme(path: Path | None = None) -> Theme:
    """The theme from ``path``, else from ``$WERKPAD_THEME_FILE``, else werkpad's default."""
    if path is None:
        configured = os.environ.get(THEME_FILE_ENV, "").strip()
        if not configured:
            return Theme()
        path = Path(configured)
    if not path.is_file():
        raise ThemeError(f"themabestand {path} bestaat niet ({THEME_FILE_ENV})")
    return parse_theme(path.read_text(encoding="utf-8"), path.resolve().parent)
