"""The dashboard's filters: reference date, period (a year or from/to), team, segment and
success definition, read from the query string with Dutch messages for what is not valid."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlencode

from werkpad.analytics.definitions import DEFAULT_SUCCESS, success_definitions
from werkpad.domain.codelists import code_list

MAX_DEFAULT_YEARS = 6
FIRST_POSSIBLE_YEAR = 2000


@dataclass(frozen=True)
class Filters:
    reference_date: date
    first_year: int
    last_year: int
    team_id: int | None = None
    segment: str | None = None
    success: str = DEFAULT_SUCCESS
    municipality_id: int | None = None  # one municipality of the service (docs/municipalities.md)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def period_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    def params(self) -> dict[str, str]:
        """The filters as query parameters (for drill-down links and the form)."""
        values = {
            "peildatum": self.reference_date.isoformat(),
            "van": str(self.first_year),
            "tot": str(self.last_year),
            "succes": self.success,
        }
        if self.team_id is not None:
            values["team"] = str(self.team_id)
        if self.segment:
            values["segment"] = self.segment
        if self.municipality_id is not None:
            values["gemeente"] = str(self.municipality_id)
        return values

    def query(self, **extra: str | int) -> str:
        return urlencode({**self.params(), **{k: str(v) for k, v in extra.items()}})


def parse_reference_date(raw: str, today: date) -> tuple[date, str | None]:
    if not raw:
        return today, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return today, "Ongeldige peildatum (gebruik jjjj-mm-dd); vandaag gebruikt."


def default_period(reference_date: date, first_data_year: int | None) -> tuple[int, int]:
    """From the first year with a route (at most ``MAX_DEFAULT_YEARS`` back) to the reference
    year."""
    last = reference_date.year
    first = last - MAX_DEFAULT_YEARS + 1
    if first_data_year is not None and first_data_year <= last:
        first = max(first, first_data_year)
    return first, last


def _year(raw: str) -> int | None:
    text = raw.strip()
    if not text.isdigit() or not FIRST_POSSIBLE_YEAR <= int(text) <= 2100:
        return None
    return int(text)


def parse_filters(
    params: Mapping[str, str],
    reference_date: date,
    default: tuple[int, int],
    *,
    team_ids: set[int],
) -> tuple[Filters, list[str]]:
    """Filters from the query string; invalid values fall back to the default with a message."""
    errors: list[str] = []
    first, last = default
    if params.get("jaar"):
        year = _year(params["jaar"])
        if year is None:
            errors.append("Ongeldig jaar; de standaardperiode is gebruikt.")
        else:
            first = last = year
    elif params.get("van") or params.get("tot"):
        start = _year(params.get("van", "")) if params.get("van") else first
        end = _year(params.get("tot", "")) if params.get("tot") else last
        if start is None or end is None or start > end:
            errors.append("Ongeldige periode (van moet vóór of gelijk aan tot zijn); "
                          "de standaardperiode is gebruikt.")  # fmt: skip
        else:
            first, last = start, end
    filters = Filters(reference_date, first, last)
    team = params.get("team", "")
    if team:
        if team.isdigit() and int(team) in team_ids:
            filters = replace(filters, team_id=int(team))
        else:
            errors.append("Onbekend team; alle teams getoond.")
    segment = params.get("segment", "")
    if segment:
        if code_list("segment").get(segment) is not None:
            filters = replace(filters, segment=segment)
        else:
            errors.append("Onbekend segment; alle segmenten getoond.")
    success = params.get("succes", "")
    if success:
        if success in success_definitions():
            filters = replace(filters, success=success)
        else:
            errors.append("Onbekende succesdefinitie; de standaarddefinitie is gebruikt.")
    return filters, errors
