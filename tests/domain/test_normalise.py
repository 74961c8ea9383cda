from datetime import date

import pytest

from werkpad.domain.normalise import age_on, normalise_postcode, pad_bsn, parse_date


def test_postcode_is_stored_in_one_form_whatever_the_spacing_or_case() -> None:
    assert {normalise_postcode(v) for v in ("2511AB", "2511 ab", " 2511  Ab ")} == {"2511 AB"}


@pytest.mark.parametrize("bad", ["0511 AB", "25111 AB", "2511 A", "ABCD EF"])
def test_postcode_that_is_not_dutch_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        normalise_postcode(bad)


def test_bsn_gets_the_dropped_leading_zero_and_loses_separators() -> None:
    assert pad_bsn("12345672") == "012345672"
    assert pad_bsn("0123.45.672") == "012345672"
    assert pad_bsn(12345672) == "012345672"


def test_dates_in_every_accepted_form_read_the_same() -> None:
    forms = ("2024-03-05", "05-03-2024", "5-3-2024", "05/03/2024", "05.03.2024", "2024/03/05")
    assert {parse_date(v) for v in forms} == {date(2024, 3, 5)}
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("31-02-2024")


def test_age_counts_whole_years_on_the_day() -> None:
    assert age_on(date(2000, 3, 5), date(2024, 3, 4)) == 23
    assert age_on(date(2000, 3, 5), date(2024, 3, 5)) == 24
    assert age_on(date(2000, 2, 29), date(2023, 2, 28)) == 22
