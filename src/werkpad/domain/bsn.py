"""Burgerservicenummer (BSN) validation with the elfproef."""

from __future__ import annotations

from werkpad.domain.normalise import pad_bsn

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_valid_bsn(value: str | int | None) -> bool:
    """True when ``value`` is a 9-digit BSN that passes the elfproef.

    The elfproef: sum(d_i * w_i) with weights 9..2 for the first eight digits and -1 for the
    last must be divisible by 11 and not be zero. Eight-digit numbers are padded with a leading
    zero, as the BRP does. "000000000" is refused.
    """
    if value is None:
        return False
    text = pad_bsn(value)
    if len(text) != 9 or not text.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(text, _WEIGHTS, strict=True))
    return total != 0 and total % 11 == 0


def normalise_bsn(value: str | int) -> str:
    """The BSN as a 9-character string, or ValueError with a Dutch reason."""
    text = pad_bsn(value)
    if not is_valid_bsn(text):
        raise ValueError(f"BSN '{value}' is ongeldig (voldoet niet aan de elfproef)")
    return text


def bsn_from_stem(stem: int) -> str:
    """A valid BSN built from an 8-digit stem, for synthetic data.

    Chooses the check digit that makes the elfproef hold; stems whose check digit would be 10
    are shifted to the next stem, so the result is always valid but not always ``stem`` itself.
    """
    while True:
        digits = f"{stem % 100_000_000:08d}"
        partial = sum(int(d) * w for d, w in zip(digits, _WEIGHTS[:8], strict=True))
        check = partial % 11
        if check < 10 and (partial - check) != 0:
            candidate = digits + str(check)
            if is_valid_bsn(candidate):
                return candidate
        stem += 1
