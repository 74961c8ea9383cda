"""Reading form or JSON input field by field, collecting Dutch messages instead of raising.

A service builds a ``Fields`` over the submitted mapping, asks for each value in the type it
needs, and calls ``raise_if_invalid()`` before it writes anything, so every problem is reported
at once and nothing is written on any error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.normalise import normalise_postcode, parse_date

__all__ = ["FALSE_WORDS", "TRUE_WORDS", "Fields", "parse_date"]

TRUE_WORDS = frozenset({"1", "true", "on", "ja", "yes"})
FALSE_WORDS = frozenset({"0", "false", "off", "nee", "no"})

# The largest id an ``integer`` column holds on PostgreSQL (SQLite's limit is higher): a larger
# number typed in a form is no id of anything, and must not reach the database as one.
MAX_ID = 2**31 - 1


class Fields:
    """Typed access to submitted values; problems are collected in ``errors``."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: list[FieldError] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def has_error(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise ValidationFailed(list(self.errors))

    def text(
        self, name: str, label: str, *, required: bool = False, max_length: int | None = None
    ) -> str | None:
        value = self.data.get(name)
        text = str(value).strip() if value is not None else ""
        if not text:
            if required:
                self.fail(name, f"{label} is verplicht.")
            return None
        if max_length is not None and len(text) > max_length:
            self.fail(name, f"{label}: maximaal {max_length} tekens.")
        return text

    def date(self, name: str, label: str, *, required: bool = False) -> date | None:
        try:
            value = parse_date(self.data.get(name))
        except ValueError:
            self.fail(name, f"{label} is geen geldige datum (gebruik dd-mm-jjjj of jjjj-mm-dd).")
            return None
        if value is None and required:
            self.fail(name, f"{label} is verplicht.")
        return value

    def postcode(self, name: str, label: str, *, required: bool = False) -> str | None:
        """A Dutch postcode in its stored form ``1234 AB`` (``domain.normalise``)."""
        text = self.text(name, label, required=required)
        if text is None:
            return None
        try:
            return normalise_postcode(text)
        except ValueError:
            self.fail(name, f"{label} moet de vorm 1234 AB hebben.")
            return None

    def integer(
        self,
        name: str,
        label: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        raw = self.data.get(name)
        if raw is None or str(raw).strip() == "":
            if required:
                self.fail(name, f"{label} is verplicht.")
            return None
        if isinstance(raw, bool):
            self.fail(name, f"{label} moet een geheel getal zijn.")
            return None
        try:
            value = int(str(raw).strip())
        except ValueError:
            self.fail(name, f"{label} moet een geheel getal zijn.")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            low = "" if minimum is None else str(minimum)
            high = "" if maximum is None else str(maximum)
            self.fail(name, f"{label} moet tussen {low} en {high} liggen.")
            return None
        return value

    def amount(self, name: str, label: str, *, required: bool = False) -> Decimal | None:
        raw = self.data.get(name)
        if raw is None or str(raw).strip() == "":
            if required:
                self.fail(name, f"{label} is verplicht.")
            return None
        text = str(raw).strip().replace("€", "").replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.fail(name, f"{label} is geen geldig bedrag.")
            return None
        if not value.is_finite() or value < 0:
            self.fail(name, f"{label} mag niet negatief zijn.")
            return None
        if value >= Decimal("10000000000"):
            self.fail(name, f"{label} is te groot.")
            return None
        return value.quantize(Decimal("0.01"))

    def code(self, name: str, label: str, list_name: str, *, required: bool = False) -> str | None:
        """A code from a code list: never free text."""
        raw = self.data.get(name)
        text = str(raw).strip() if raw is not None else ""
        if not text:
            if required:
                self.fail(name, f"{label} is verplicht.")
            return None
        if text not in code_list(list_name):
            self.fail(name, f"{label}: onbekende code '{text[:40]}'.")
            return None
        return text

    def flag(self, name: str) -> bool:
        raw = self.data.get(name)
        if isinstance(raw, bool):
            return raw
        return str(raw or "").strip().lower() in TRUE_WORDS

    def optional_flag(self, name: str, label: str) -> bool | None:
        raw = self.data.get(name)
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        self.fail(name, f"{label}: kies ja of nee.")
        return None

    def identifier(self, name: str, label: str, *, required: bool = False) -> int | None:
        raw = self.data.get(name)
        if raw is None or str(raw).strip() == "":
            if required:
                self.fail(name, f"{label} is verplicht.")
            return None
        text = str(raw).strip()
        if isinstance(raw, bool) or not text.isdigit() or not 0 < int(text) <= MAX_ID:
            self.fail(name, f"{label}: onbekende keuze.")
            return None
        return int(text)
