"""The choice lists of the candidate file's forms (provision types, providers, employers),
cached per process for one version of those tables (``store.choices_version``).

Loading them as ORM objects on every view of a file was most of the page's CPU at Den Haag
scale (333 provision types and 500 employers, issue 14). Here they are read once per version
into plain frozen rows, which any number of request threads can share; each view costs one
small fingerprint query.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.services.plans import catalogue
from werkpad.store.choices_version import Fingerprint, read_choices_fingerprint
from werkpad.store.models import Employer, Provider

MAX_EMPLOYERS = 500


@dataclass(frozen=True)
class Named:
    """An employer or provider in a dropdown."""

    id: int
    name: str


@dataclass(frozen=True)
class ProvisionChoice:
    """A provision type of the catalogue (the columns of ``ProvisionType``)."""

    id: int
    code: str
    name: str
    kind: str
    gos_code: str
    srg_code: str
    phase: str
    is_language: bool
    is_work_directed_training: bool
    default_provider_id: int | None
    unit_cost: Decimal
    typical_weeks: int
    active: bool
    capacity: int | None = None  # places at one time, where known


@dataclass(frozen=True)
class ChoiceLists:
    catalogue: tuple[ProvisionChoice, ...]  # active types in phase order, then by name
    providers: tuple[Named, ...]
    employers: tuple[Named, ...]  # the first MAX_EMPLOYERS by name


def _load(session: Session) -> ChoiceLists:
    types = tuple(
        ProvisionChoice(
            id=t.id,
            code=t.code,
            name=t.name,
            kind=t.kind,
            gos_code=t.gos_code,
            srg_code=t.srg_code,
            phase=t.phase,
            is_language=bool(t.is_language),
            is_work_directed_training=bool(t.is_work_directed_training),
            default_provider_id=t.default_provider_id,
            unit_cost=t.unit_cost,
            typical_weeks=t.typical_weeks,
            active=bool(t.active),
            capacity=t.capacity,
        )
        for t in catalogue(session)
    )
    providers = session.execute(select(Provider.id, Provider.name).order_by(Provider.name))
    employers = session.execute(
        select(Employer.id, Employer.name).order_by(Employer.name).limit(MAX_EMPLOYERS)
    )
    return ChoiceLists(
        catalogue=types,
        providers=tuple(Named(r.id, r.name) for r in providers),
        employers=tuple(Named(r.id, r.name) for r in employers),
    )


class ChoiceCache:
    """The lists of one database, kept for one fingerprint."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: dict[str, tuple[Fingerprint, ChoiceLists]] = {}

    def lists(self, session: Session) -> ChoiceLists:
        database = str(session.get_bind().engine.url)
        fingerprint = read_choices_fingerprint(session)
        cached = self._cached.get(database)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        with self._lock:  # one thread loads; the others wait and share its result
            cached = self._cached.get(database)
            if cached is not None and cached[0] == fingerprint:
                return cached[1]
            lists = _load(session)
            self._cached[database] = (fingerprint, lists)
            return lists


_CACHE = ChoiceCache()


def choice_lists(session: Session) -> ChoiceLists:
    """The provision types, providers and employers the forms offer, current as of this
    request (one fingerprint query; the lists themselves only when they changed)."""
    return _CACHE.lists(session)
