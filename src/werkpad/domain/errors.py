"""Validation errors that carry a field name and a Dutch message for the UI and the API."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass
class ValidationFailed(Exception):
    """Raised by services when input breaks a rule; nothing has been written."""

    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{e.field}: {e.message}" for e in self.errors)

    def as_dict(self) -> list[dict[str, str]]:
        return [{"field": e.field, "message": e.message} for e in self.errors]
