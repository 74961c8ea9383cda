"""Cell parsing: Dutch number and date notations, BSN padding, Excel-stripped leading zeros."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

from werkpad.domain.bsn import bsn_from_stem
from werkpad.importing import cells


def series(*values: str) -> pd.Series:
    return pd.Series(list(values), dtype=object)


def test_decimal_accepts_decimal_comma_and_thousands_separators():
    values, bad = cells.parse_decimal(
        series("1.234,56", "1,234.56", "12,5", "€ 7", "-3"), None, None
    )
    assert list(values) == [
        Decimal("1234.56"),
        Decimal("1234.56"),
        Decimal("12.50"),
        Decimal("7.00"),
        Decimal("-3.00"),
    ]
    assert set(bad) == {""}


def test_decimal_refuses_text_and_negative_when_a_minimum_is_set():
    values, bad = cells.parse_decimal(series("veel", "-1", ""), 0, None)
    assert list(values) == [None, None, None]
    assert bad.iloc[0].startswith("geen geldig bedrag")
    assert bad.iloc[1] == "waarde is kleiner dan 0"
    assert bad.iloc[2] == ""


def test_dates_in_iso_and_dutch_notation_and_impossible_dates_refused():
    values, bad = cells.parse_date(series("2020-02-29", "29-02-2020", "1/3/2020", "2021-02-29"))
    assert list(values)[:3] == [date(2020, 2, 29), date(2020, 2, 29), date(2020, 3, 1)]
    assert values.iloc[3] is None and "geen geldige datum" in bad.iloc[3]


def test_bsn_with_eight_digits_gets_its_leading_zero():
    valid = bsn_from_stem(1_234_567)
    assert valid.startswith("0")
    values, bad = cells.parse_bsn(series(valid[1:], "111222333", "12345"))
    assert values.iloc[0] == valid and bad.iloc[0] == ""
    assert values.iloc[1] == "111222333"
    assert bad.iloc[2] == "BSN moet uit 9 cijfers bestaan"


def test_numeric_code_that_lost_its_leading_zero_in_excel_is_recognised():
    values, bad = cells.parse_code(series("4", "04", "44"), ["01", "04", "99"], "codelijst x")
    assert list(values) == ["04", "04", None]
    assert bad.iloc[2].startswith("onbekende code in codelijst x")


def test_yes_no_in_dutch_and_english():
    values, bad = cells.parse_bool(series("ja", "Nee", "true", "0", "misschien"))
    assert list(values) == [True, False, True, False, None]
    assert bad.iloc[4].startswith("geen ja/nee-waarde")


def test_a_formula_guard_from_the_export_is_removed_on_import() -> None:
    values, _ = cells.parse_text(pd.Series(["'=HYPERLINK(x)", "'t Hoen", "'-5"]), 60)
    assert list(values) == ["=HYPERLINK(x)", "'t Hoen", "-5"]
