"""Vectorised cell parsers: text column in, typed values and a reason per bad cell out.

Each parser returns ``(values, bad)`` where ``values`` is an object Series of Python values
(None for empty cells) and ``bad`` a Series with a Dutch reason for every cell that could not be
read (empty string when fine). Empty cells are never "bad" here; required-ness is checked apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from werkpad.domain.bsn import is_valid_bsn
from werkpad.domain.normalise import DATE_FORMATS, normalise_postcode, pad_bsn
from werkpad.protected.spreadsheet import restore_cell

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
    # A leading ' before =, +, -, @ is the export's guard against formulas, not data.
    text = text.map(restore_cell)
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


# One separator followed by exactly three digits: "2.450" is 2450 in Dutch and 2.45 in English,
# "1,234" the other way round. Only the other values in the file can tell which was meant.
_AMBIGUOUS = r"[+-]?[1-9]\d{0,2}[.,]\d{3}"
_COMMA_DECIMAL = (
    r"[+-]?\d*,\d+",  # a lone comma (the ambiguous three-digit case is excluded apart)
    r"[+-]?\d{1,3}(\.\d{3})+,\d*",  # 1.234,56
    r"[+-]?\d{1,3}(\.\d{3}){2,}",  # 1.234.567
)
_POINT_DECIMAL = (
    r"[+-]?\d*\.\d+",
    r"[+-]?\d{1,3}(,\d{3})+\.\d*",
    r"[+-]?\d{1,3}(,\d{3}){2,}",
)


def _clean_number(text: pd.Series) -> pd.Series:
    return text.str.replace(r"[\s€]", "", regex=True)


def decimal_mark(columns: Iterable[pd.Series]) -> str | None:
    """The decimal mark the values of a file use: ``","``, ``"."`` or None (no clue, or both).

    Only values that can be read one way count: ``12,5`` and ``1.234,56`` say comma, ``12.5``
    and ``1,234.56`` say point; ``2.450`` says nothing.
    """
    comma = point = False
    for text in columns:
        cleaned = _clean_number(text)
        clear = ~cleaned.str.fullmatch(_AMBIGUOUS)
        comma = comma or any((clear & cleaned.str.fullmatch(p)).any() for p in _COMMA_DECIMAL)
        point = point or any((clear & cleaned.str.fullmatch(p)).any() for p in _POINT_DECIMAL)
    if comma == point:
        return None
    return "," if comma else "."


def normalise_decimal_text(text: pd.Series, decimal_mark: str | None = None) -> pd.Series:
    """Dutch and English notations to a plain ``1234.56``: decimal comma and € accepted.

    With both separators present the last one is the decimal mark (``1.234,56`` and
    ``1,234.56``); a separator that occurs twice is a thousands separator (``1.234.567``); a
    lone separator is a decimal mark, except before exactly three digits (``2.450``): then
    ``decimal_mark`` (the file's) decides, and without it the value stays unreadable.
    """
    cleaned = _clean_number(text)
    has_comma = cleaned.str.contains(",", regex=False)
    has_dot = cleaned.str.contains(".", regex=False)
    comma_last = cleaned.str.rfind(",") > cleaned.str.rfind(".")
    ambiguous = cleaned.str.fullmatch(_AMBIGUOUS)
    dots_grouped = cleaned.str.count(r"\.") > 1
    commas_grouped = cleaned.str.count(",") > 1
    if decimal_mark == ",":
        dots_grouped |= ambiguous & has_dot
    elif decimal_mark == ".":
        commas_grouped |= ambiguous & has_comma
    dutch = (has_comma & (~has_dot | comma_last)) | (dots_grouped & ~has_comma)
    english = (has_comma & has_dot & ~comma_last) | (commas_grouped & ~has_dot)
    out = cleaned.copy()
    out[dutch] = cleaned[dutch].str.replace(".", "", regex=False).str.replace(",", ".")
    out[english] = cleaned[english].str.replace(",", "", regex=False)
    if decimal_mark is None:
        out[ambiguous] = "?"
    return out


def _ambiguity_reason(value: str) -> str:
    cleaned = re.sub(r"[\s€]", "", value)
    whole, fraction = re.split(r"[.,]", cleaned)
    return (
        f"bedrag is dubbelzinnig: {whole}{fraction} of {whole},{fraction}? Schrijf het zonder "
        f"duizendtalpunt ({whole}{fraction}) of met twee decimalen; niets in het bestand laat "
        "zien of het een decimaalkomma of een decimaalpunt gebruikt"
    )


def parse_decimal(
    text: pd.Series,
    minimum: int | None,
    maximum: int | None,
    decimal_mark: str | None = None,
) -> Parsed:
    """A number or amount; ``decimal_mark`` is the file's (see ``decimal_mark``), if known."""
    filled = text != ""
    cleaned = normalise_decimal_text(text, decimal_mark)
    well_formed = cleaned.str.fullmatch(r"[+-]?\d{1,10}(\.\d*)?")
    bad = _empty_reasons(text)
    bad[filled & ~well_formed] = "geen geldig bedrag of getal (gebruik bijvoorbeeld 1234,56)"
    ambiguous = filled & (cleaned == "?")
    bad[ambiguous] = text[ambiguous].map(_ambiguity_reason)
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
    serial = filled & result.isna() & text.str.fullmatch(r"\d{5}(\.0+)?")
    bad[serial] = text[serial].map(_serial_date_reason)
    values = result.dt.date.astype(object).where(result.notna(), None)
    out_of_range = values.map(lambda d: d is not None and not (_MIN_DATE <= d <= _MAX_DATE))
    bad[out_of_range.astype(bool)] = "datum ligt buiten 1900-2100"
    return _none_where(values, filled & (bad == "")), bad


_EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's date numbers (1900 date system)


def _serial_date_reason(value: str) -> str:
    day = _EXCEL_EPOCH + timedelta(days=int(float(value)))
    return (
        f"geen geldige datum: {int(float(value))} lijkt een Excel-datumgetal ({day.isoformat()}); "
        "geef de kolom in Excel de celopmaak Datum, of schrijf JJJJ-MM-DD"
    )


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


def parse_list(
    text: pd.Series, allowed: list[str] | None, what: str, *, separator: str = ","
) -> Parsed:
    """Several values in one cell (``MA, DI, WO``; sub-goals one per line with ``separator``
    a newline) as a list; with ``allowed`` every value must be one of those codes."""
    filled = text != ""
    allowed_set = set(allowed) if allowed is not None else None
    reasons: list[str] = []
    values: list[list[str] | None] = []
    hint = f" (toegestaan: {', '.join(allowed)})" if allowed and len(allowed) <= 12 else ""
    for cell in text:
        items = [part.strip() for part in str(cell).split(separator) if part.strip()]
        unknown = [i for i in items if allowed_set is not None and i not in allowed_set]
        reasons.append(f"onbekende code '{unknown[0][:40]}' in {what}{hint}" if unknown else "")
        values.append(items or None)
    bad = pd.Series(reasons, index=text.index, dtype=object)
    parsed = pd.Series(values, index=text.index, dtype=object)
    return _none_where(parsed, filled & (bad == "")), bad
