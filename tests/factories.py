"""Builders of realistic test data, one function per domain object.

Each builder adds the object to the session, flushes (so it has an id) and returns it; every
field has a plausible default and any field can be overridden by keyword. BSNs come from a
counter through ``bsn_from_stem``, so they always pass the elfproef and never collide.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from werkpad.domain.bsn import bsn_from_stem
from werkpad.domain.codelists import code_list
from werkpad.domain.lifecycle import provision_state_from_dates
from werkpad.services.accounts import hash_password
from werkpad.store.models import (
    Assessment,
    BenefitDossier,
    BenefitSpell,
    Candidate,
    Contact,
    DossierMember,
    Employer,
    Exemption,
    Placement,
    PlacementInstrument,
    Provider,
    Provision,
    ProvisionType,
    Route,
    Team,
    User,
    Vacancy,
)

DEFAULT_PASSWORD = "geheim-wachtwoord-123"
_counter = itertools.count(1)
# One argon2 hash for every test user: hashing is deliberately slow.
_DEFAULT_HASH = hash_password(DEFAULT_PASSWORD)

FIRST_NAMES = ["Fatima", "Jan", "Mohamed", "Sanne", "Kees", "Aylin", "Pieter", "Noor", "Youssef"]
LAST_NAMES = ["Jansen", "El Amrani", "de Vries", "Yilmaz", "Bakker", "Visser", "Ozturk", "Smit"]


def _n() -> int:
    return next(_counter)


def _add(session: Session, obj: Any) -> Any:
    session.add(obj)
    session.flush()
    return obj


def make_team(session: Session, **kw: Any) -> Team:
    n = _n()
    return _add(session, Team(**{"name": f"Team {n}", "fte": Decimal("8.0"), **kw}))


def make_user(
    session: Session,
    role: str = "KLANTMANAGER",
    team: Team | None = None,
    password: str | None = None,
    **kw: Any,
) -> User:
    n = _n()
    values: dict[str, Any] = {
        "username": f"{role.lower()}{n}",
        "full_name": f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n % len(LAST_NAMES)]}",
        "password_hash": hash_password(password) if password else _DEFAULT_HASH,
        "role": role,
        "team_id": team.id if team else None,
        "active": True,
        **kw,
    }
    return _add(session, User(**values))


def make_candidate(
    session: Session,
    team: Team | None = None,
    klantmanager: User | None = None,
    **kw: Any,
) -> Candidate:
    n = _n()
    values: dict[str, Any] = {
        "bsn": bsn_from_stem(10_000_000 + n * 7919),
        "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
        "last_name": f"{LAST_NAMES[n % len(LAST_NAMES)]} {n}",
        "birth_date": date(1980 + n % 20, 1 + n % 12, 1 + n % 28),
        "sex": "MV"[n % 2],
        "postcode": "2511 AB",
        "city": "Den Haag",
        "team_id": team.id if team else None,
        "klantmanager_id": klantmanager.id if klantmanager else None,
        "registered_on": date(2019, 1, 15),
        **kw,
    }
    return _add(session, Candidate(**values))


def make_benefit_spell(session: Session, candidate: Candidate, **kw: Any) -> BenefitSpell:
    values: dict[str, Any] = {
        "candidate_id": candidate.id,
        "benefit_type": "PW",
        "application_date": date(2019, 1, 2),
        "start_date": date(2019, 1, 15),
        "monthly_amount": Decimal("1150.00"),
        **kw,
    }
    return _add(session, BenefitSpell(**values))


def make_dossier(
    session: Session, applicant: Candidate, partner: Candidate | None = None, **kw: Any
) -> BenefitDossier:
    n = _n()
    dossier = _add(
        session,
        BenefitDossier(**{"dossier_number": f"D-{n:06d}", "opened_on": date(2019, 1, 15), **kw}),
    )
    _add(
        session,
        DossierMember(dossier_id=dossier.id, candidate_id=applicant.id, member_role="APPLICANT"),
    )
    if partner is not None:
        _add(
            session,
            DossierMember(dossier_id=dossier.id, candidate_id=partner.id, member_role="PARTNER"),
        )
    return dossier


def make_assessment(session: Session, candidate: Candidate, **kw: Any) -> Assessment:
    values: dict[str, Any] = {
        "candidate_id": candidate.id,
        "assessed_on": date(2019, 2, 1),
        "scheme": "DENHAAG",
        "segment": "DH_B",
        "ladder_step": 3,
        "reason": "Intakegesprek",
        **kw,
    }
    return _add(session, Assessment(**values))


def make_exemption(session: Session, candidate: Candidate, **kw: Any) -> Exemption:
    values: dict[str, Any] = {
        "candidate_id": candidate.id,
        "exemption_type": "TEMPORARY_URGENT",
        "start_date": date(2019, 3, 1),
        "review_date": date(2019, 9, 1),
        **kw,
    }
    return _add(session, Exemption(**values))


def make_provider(session: Session, **kw: Any) -> Provider:
    n = _n()
    return _add(
        session, Provider(**{"name": f"Re-integratiebedrijf {n}", "kind": "EXTERNAL", **kw})
    )


def make_provision_type(session: Session, **kw: Any) -> ProvisionType:
    n = _n()
    values: dict[str, Any] = {
        "code": f"V{n:04d}",
        "name": f"Werkfit-training {n}",
        "kind": "BASIC",
        "gos_code": "PS3",
        "srg_code": "11",
        "phase": "WORKFIT",
        "unit_cost": Decimal("1250.00"),
        **kw,
    }
    return _add(session, ProvisionType(**values))


def make_route(session: Session, candidate: Candidate, **kw: Any) -> Route:
    values: dict[str, Any] = {
        "candidate_id": candidate.id,
        "team_id": candidate.team_id,
        "route_type": "WORK_12M",
        "start_date": date(2019, 3, 1),
        **kw,
    }
    return _add(session, Route(**values))


def make_provision(
    session: Session,
    route: Route,
    provision_type: ProvisionType | None = None,
    provider: Provider | None = None,
    **kw: Any,
) -> Provision:
    ptype = provision_type or make_provision_type(session)
    values: dict[str, Any] = {
        "route_id": route.id,
        "provision_type_id": ptype.id,
        "provider_id": provider.id if provider else None,
        "start_date": route.start_date,
        "cost": Decimal("1250.00"),
        **kw,
    }
    if "state" not in kw:
        # As older and imported data: ended as the result says, otherwise in use.
        result = code_list("provision_result").get(values.get("result") or "")
        values["state"] = provision_state_from_dates(
            values["start_date"],
            values.get("end_date"),
            result.attr("ends_as") if result else None,
            date.max,
        )
    return _add(session, Provision(**values))


def make_contact(
    session: Session, candidate: Candidate, user: User | None = None, **kw: Any
) -> Contact:
    values: dict[str, Any] = {
        "candidate_id": candidate.id,
        "user_id": user.id if user else None,
        "contact_date": date(2019, 4, 1),
        "contact_type": "FACE_TO_FACE",
        "summary": "Voortgangsgesprek",
        **kw,
    }
    return _add(session, Contact(**values))


def make_employer(session: Session, **kw: Any) -> Employer:
    n = _n()
    return _add(session, Employer(**{"name": f"Werkgever {n} BV", "sector": "LOGISTICS", **kw}))


def make_vacancy(session: Session, employer: Employer, **kw: Any) -> Vacancy:
    """An open orderpicker vacancy (24 hours, logistics) at the employer's location."""
    defaults: dict[str, Any] = {
        "employer_id": employer.id,
        "title": "Orderpicker (24 uur)",
        "occupation": "Orderpicker",
        "sector": "LOGISTICS",
        "hours_per_week": 24,
        "postcode": employer.postcode or "2512 AB",
        "opened_on": date(2026, 1, 1),
    }
    return _add(session, Vacancy(**{**defaults, **kw}))


def make_placement(
    session: Session,
    candidate: Candidate,
    route: Route | None = None,
    employer: Employer | None = None,
    **kw: Any,
) -> Placement:
    values: dict[str, Any] = {
        "candidate_id": candidate.id,
        "route_id": route.id if route else None,
        "employer_id": employer.id if employer else None,
        "start_date": date(2020, 1, 1),
        "job_type": "6",
        "contract_type": "TEMPORARY",
        "hours_per_week": 32,
        "claimed_by_team_id": candidate.team_id,
        **kw,
    }
    placement = _add(session, Placement(**values))
    return placement


def make_lks(session: Session, placement: Placement, **kw: Any) -> PlacementInstrument:
    values: dict[str, Any] = {
        "placement_id": placement.id,
        "instrument": "LKS",
        "loonwaarde_pct": 60,
        "start_date": placement.start_date,
        **kw,
    }
    return _add(session, PlacementInstrument(**values))


def make_full_candidate(
    session: Session, team: Team, klantmanager: User | None = None, *, ended: bool = True
) -> Candidate:
    """A candidate with a complete file: benefit, dossier with partner, two assessments, an
    exemption, a route with two provisions, contacts and (when ``ended``) a job exit."""
    candidate = make_candidate(session, team, klantmanager)
    partner = make_candidate(session, team, klantmanager)
    dossier = make_dossier(session, candidate, partner)
    make_benefit_spell(session, candidate, dossier_id=dossier.id)
    make_assessment(session, candidate, assessed_on=date(2019, 2, 1), segment="DH_C", ladder_step=2)
    make_assessment(session, candidate, assessed_on=date(2019, 8, 1), segment="DH_B", ladder_step=4)
    make_exemption(session, candidate)
    provider = make_provider(session)
    route = make_route(
        session,
        candidate,
        end_date=date(2020, 1, 1) if ended else None,
        end_reason="JOB" if ended else None,
    )
    make_provision(
        session,
        route,
        make_provision_type(session, gos_code="PS2"),
        provider,
        end_date=date(2019, 4, 1),
        result="COMPLETED",
    )
    make_provision(
        session,
        route,
        make_provision_type(session, gos_code="PS5"),
        provider,
        start_date=date(2019, 5, 1),
    )
    make_contact(session, candidate, klantmanager, contact_date=date(2019, 4, 1))
    make_contact(session, candidate, klantmanager, contact_date=date(2019, 10, 1))
    if ended:
        placement = make_placement(session, candidate, route, make_employer(session))
        make_lks(session, placement)
    return candidate


# The structured work profile of a referral to matching, as the form posts it.
WORK_PROFILE_FORM: dict[str, Any] = {
    "wished_occupations": ["Orderpicker"],
    "wished_sectors": ["LOGISTICS"],
    "hours_min": "24",
    "hours_max": "32",
    "days": ["MA", "DI", "WO", "DO", "VR"],
    "transport": "FIETS",
    "radius_km": "10",
    "language_level": "B1",
    "confirmed_on": "2019-03-02",
}
