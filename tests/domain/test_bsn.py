from hypothesis import given
from hypothesis import strategies as st

from werkpad.domain.bsn import bsn_from_stem, is_valid_bsn, normalise_bsn


def test_known_valid_bsn_passes_elfproef() -> None:
    # 111222333: 9*1+8*1+7*1+6*2+5*2+4*2+3*3+2*3-1*3 = 66, divisible by 11
    assert is_valid_bsn("111222333")


def test_bsn_with_wrong_check_digit_is_refused() -> None:
    assert not is_valid_bsn("111222334")


def test_all_zero_bsn_is_refused_although_sum_is_divisible() -> None:
    assert not is_valid_bsn("000000000")


def test_non_digits_and_wrong_length_are_refused() -> None:
    assert not is_valid_bsn("12345678a")
    assert not is_valid_bsn("1234567")
    assert not is_valid_bsn(None)


def test_eight_digit_bsn_is_padded_with_leading_zero() -> None:
    assert normalise_bsn(bsn_from_stem(1234567)[1:]) == bsn_from_stem(1234567)


@given(st.integers(min_value=1_000_000, max_value=99_999_999))
def test_generated_bsns_always_pass_elfproef(stem: int) -> None:
    assert is_valid_bsn(bsn_from_stem(stem))


@given(st.text(min_size=9, max_size=9, alphabet="0123456789"), st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_of_a_valid_bsn_breaks_elfproef(text: str, pos: int, delta: int) -> None:
    bsn = bsn_from_stem(int(text[:8]) or 1)
    changed = bsn[:pos] + str((int(bsn[pos]) + delta) % 10) + bsn[pos + 1 :]
    assert not is_valid_bsn(changed)
