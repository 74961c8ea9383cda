"""Vectorised cell parsers: text column in, typed values and a reason per bad cell out.

Each parser returns ``(values, bad)`` where ``values`` is an object Series of Python values
(None for empty cells) and ``bad`` a Series with a Dutch reason for every cell that could not be
read (empty string when fine). Empty cells are never "bad" here; required-ness is checked apart.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from werkpad.domain.bsn import is_valid_bsn
from werkpad.domain.normalise import DATE_FORMATS, normalise_postcode, pad_bsn

Parsed = tuple[pd.Series, pd.Series]

_TRUE = {"true", "waar", "ja", "j", "yes", "y", "1", "x"}
_FALSE = {"false", "onwaar", "nee", "n", "no", "0"}
_DATE_FORMATS = DATE_FORMATS
_MIN_DATE = date(1900, 1, 1)
_MAX_DATE = date(2100, 12, 31)
_CENT = Decimal("0.01")


def _empty_reasons(text: pd.Series) -> pd.Series:
    return pd.Series("", index=text.index, dtype=object)


def _none_where(values: pd.Series, keep: pd.Series) -> pd.Series:
    return values.astype(object).where(keep, None)


def parse_text(text: pd.Series, max_length: int | None) -> Parsed:
    filled = text != ""
    bad = _empty_reasons(text)
    if max_length is not None:
        too_long = text.str.len() > max_length
        bad[too_long] = f"tekst is langer dan {max_length} tekens"
    return _none_where(text, filled), bad


def parse_int(text: pd.Series, minimum: int | None, maximum: int | None) -> Parsed:
    filled = text != ""
    cleaned = text.str.replace(r"[.,]0+$", "", regex=True)
    well_formed = cleaned.str.fullmatch(r"[+-]?\d{1,9}")
    bad = _empty_reasons(text)
    bad[filled & ~well_formed] = "geen geheel getal"
    numbers = pd.to_numeric(cleaned.where(well_formed & filled), errors="coerce")
    _range_reasons(numbers, bad, minimum, maximum)
    values = numbers.astype(object).map(lambda v: None if pd.isna(v) else int(v))
    return _none_where(values, filled & (bad == "")), bad


def _range_reasons(
    numbers: pd.Series, bad: pd.Series, minimum: float | None, maximum: float | None
) -> None:
    if minimum is not None:
        bad[(numbers < minimum) & (bad == "")] = f"waarde is kleiner dan {minimum:g}"
    if maximum is not None:
        bad[(numbers > maximum) & (bad == "")] = f"waarde is groter dan {maximum:g}"


def normalise_decimal_text(text: pd.Series) -> pd.Series:
    """Dutch and English notations to a plain ``1234.56``: decimal comma and € accepted.

    With both separators present the last one is the decimal mark (``1.234,56`` and
    ``1,234.56``); a lone comma is a decimal comma.
    """
    cleaned = text.str.replace(r"[\s€]", "", regex=True)
    has_comma = cleaned.str.contains(",", regex=False)
    has_dot = cleaned.str.contains(".", regex=False)
    comma_last = cleaned.str.rfind(",") > cleaned.str.rfind(".")
    dutch = has_comma & (~has_dot | comma_last)
    english = has_comma & has_dot & ~comma_last
    out = cleaned.copy()
    out[dutch] = cleaned[dutch].str.replace(".", "", regex=False).str.replace(",", ".")
    out[english] = cleaned[english].str.replace(",", "", regex=False)
    return out


def parse_decimal(text: pd.Series, minimum: int | None, maximum: int | None) -> Parsed:
    filled = text != ""
    cleaned = normalise_decimal_text(text)
    well_formed = cleaned.str.fullmatch(r"[+-]?\d{1,10}(\.\d*)?")
    bad = _empty_reasons(text)
    bad[filled & ~well_formed] = "geen geldig bedrag of getal (gebruik bijvoorbeeld 1234,56)"
    ok = filled & well_formed
    numbers = pd.to_numeric(cleaned.where(ok), errors="coerce")
    _range_reasons(numbers, bad, minimum, maximum)
    keep = ok & (bad == "")
    values = cleaned.where(keep).map(
        lambda v: Decimal(v).quantize(_CENT, rounding=ROUND_HALF_UP) if isinstance(v, str) else None
    )
    return _none_where(values, keep), bad


def parse_date(text: pd.Series) -> Parsed:
    """Dates as ``JJJJ-MM-DD`` (preferred) or ``DD-MM-JJJJ`` / ``DD/MM/JJJJ`` / ``DD.MM.JJJJ``."""
    filled = text != ""
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        todo = filled & result.isna()
        if not todo.any():
            break
        result[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    bad = _empty_reasons(text)
    bad[filled & result.isna()] = "geen geldige datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)"
    values = result.dt.date.astype(object).where(result.notna(), None)
    out_of_range = values.map(lambda d: d is not None and not (_MIN_DATE <= d <= _MAX_DATE))
    bad[out_of_range.astype(bool)] = "datum ligt buiten 1900-2100"
    return _none_where(values, filled & (bad == "")), bad


def parse_bool(text: pd.Series) -> Parsed:
    filled = text != ""
    lower = text.str.lower()
    is_true = lower.isin(_TRUE)
    is_false = lower.isin(_FALSE)
    bad = _empty_reasons(text)
    bad[filled & ~is_true & ~is_false] = "geen ja/nee-waarde (gebruik ja of nee)"
    values = pd.Series(np.where(is_true, True, False), index=text.index, dtype=object)
    return _none_where(values, filled & (is_true | is_false)), bad


def parse_bsn(text: pd.Series) -> Parsed:
    """A BSN with the elfproef; eight digits get the leading zero the BRP drops."""
    filled = text != ""
    padded = text.map(pad_bsn)
    nine_digits = padded.str.fullmatch(r"\d{9}")
    bad = _empty_reasons(text)
    bad[filled & ~nine_digits] = "BSN moet uit 9 cijfers bestaan"
    elfproef = padded.where(nine_digits, "").map(is_valid_bsn)
    bad[filled & nine_digits & ~elfproef.astype(bool)] = "BSN voldoet niet aan de elfproef"
    return _none_where(padded, filled & (bad == "")), bad


def _postcode_or_none(value: str) -> str | None:
    try:
        return normalise_postcode(value)
    except ValueError:
        return None


def parse_postcode(text: pd.Series) -> Parsed:
    """Dutch postcode, stored as ``1234 AB`` (``domain.normalise``)."""
    filled = text != ""
    values = text.map(_postcode_or_none)
    ok = values.notna()
    bad = _empty_reasons(text)
    bad[filled & ~ok] = "geen geldige postcode (1234 AB)"
    return _none_where(values, filled & ok), bad


def parse_code(text: pd.Series, allowed: list[str], what: str) -> Parsed:
    """A code from a code list; numeric codes may lose their leading zero in Excel ("1" = "01")."""
    filled = text != ""
    allowed_set = set(allowed)
    values = text.copy()
    width = max((len(c) for c in allowed if c.isdigit()), default=0)
    if width:
        padded = text.str.zfill(width)
        fix = ~text.isin(allowed_set) & text.str.isdigit() & padded.isin(allowed_set)
        values[fix] = padded[fix]
    known = values.isin(allowed_set)
    bad = _empty_reasons(text)
    hint = f" (toegestaan: {', '.join(allowed)})" if len(allowed) <= 12 else ""
    bad[filled & ~known] = f"onbekende code in {what}{hint}"
    return _none_where(values, filled & known), bad
