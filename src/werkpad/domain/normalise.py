"""One way to read a BSN, a postcode, a date and an age, for every input path: the intake
form, the other forms (``services.fields``), the JSON API and the import.

* BSN: spaces, dots and dashes dropped; eight digits get the leading zero the BRP drops.
* Postcode: stored as ``1234 AB`` (four digits, one space, two capitals), the form PostNL
  writes; ``1234ab`` and ``1234  AB`` are read as the same postcode.
* Dates: ``jjjj-mm-dd`` (preferred), ``dd-mm-jjjj``, ``dd/mm/jjjj``, ``dd.mm.jjjj``, ``jjjj/mm/dd``.
* Age: whole years completed on a day (a birthday on 29 February counts from 1 March).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
_POSTCODE = re.compile(r"([1-9][0-9]{3})\s*([A-Za-z]{2})")
_BSN_SEPARATORS = re.compile(r"[\s.\-]")


def pad_bsn(value: str | int) -> str:
    """The BSN's digits as typed, without separators, with the leading zero restored when one
    was dropped (eight digits). No elfproef: see ``domain.bsn.is_valid_bsn``."""
    text = _BSN_SEPARATORS.sub("", str(value).strip())
    if len(text) == 8 and text.isdigit():
        return "0" + text
    return text


def normalise_postcode(value: str) -> str:
    """A Dutch postcode in its stored form ``1234 AB``; ValueError when it is not one."""
    match = _POSTCODE.fullmatch(str(value).strip())
    if match is None:
        raise ValueError(f"geen geldige postcode: {value!r}")
    return f"{match.group(1)} {match.group(2).upper()}"


def parse_date(value: Any) -> date | None:
    """A date in one of ``DATE_FORMATS``; None for empty; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def age_on(birth: date, day: date) -> int:
    """Whole years completed on ``day`` by someone born on ``birth``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
