"""Numbers written the way a Dutch reader expects them: ``1.234`` (a dot groups thousands),
``46,2`` (a comma before the decimals), an en dash for a missing value. The one number format
of every page, table, report and reading in werkpad."""

from __future__ import annotations

import math

MISSING = "–"


def is_missing(value: object) -> bool:
    """None or NaN: a figure that has no value."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def dutch_number(value: float | int | None, decimals: int = 0, *, signed: bool = False) -> str:
    """``value`` with ``decimals`` decimals in Dutch notation (``signed``: always a + or -);
    a missing value becomes an en dash."""
    if is_missing(value):
        return MISSING
    sign = "+" if signed else ""
    # Rounded first and + 0.0, so a value that rounds to zero never prints as "-0,00".
    number = round(float(value), decimals) + 0.0  # type: ignore[arg-type]
    text = f"{number:{sign},.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
