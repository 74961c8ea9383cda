"""The municipality a dashboard request is about: chosen with ``gemeente=<id>`` by staff of
the service, forced for a user with a municipality scope (an analist or a council's auditor
limited to one municipality), absent in a single-municipality installation.

A scoped user who asks for another municipality, or for the service as a whole, is refused
(403) rather than silently shown something else: a tampered link must not look like it works.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Engine

from werkpad.services.municipalities import MunicipalityRow, list_municipalities
from werkpad.store.models import User
from werkpad.web.errors import Forbidden

PARAM = "gemeente"


@dataclass(frozen=True)
class MunicipalityChoice:
    municipality_id: int | None  # None: the service as a whole
    options: list[MunicipalityRow]  # empty when there is nothing to choose
    error: str | None = None

    @property
    def label(self) -> str | None:
        found = next((m for m in self.options if m.id == self.municipality_id), None)
        return found.name if found else None


def choose_municipality(request: Request, user: User, engine: Engine) -> MunicipalityChoice:
    """The municipality of this request for ``user`` (see the module text)."""
    given = [v.strip() for v in request.query_params.getlist(PARAM) if v.strip()]
    raw = given[-1] if given else ""
    scope = user.municipality_id
    rows = list_municipalities(engine)
    known = {m.id for m in rows}
    wanted = int(raw) if raw.isdigit() else None
    if scope is not None:
        # Every value counts: a repeated parameter must not smuggle another one past us.
        if any(not v.isdigit() or int(v) != scope for v in given):
            raise Forbidden
        return MunicipalityChoice(scope, [m for m in rows if m.id == scope])
    if len(rows) <= 1:
        return MunicipalityChoice(None, [])
    if not raw:
        return MunicipalityChoice(None, rows)
    if wanted not in known or len(set(given)) > 1:
        return MunicipalityChoice(None, rows, "Onbekende gemeente; de hele dienst getoond.")
    return MunicipalityChoice(wanted, rows)
