"""Plan with goals, and the route built from the provision catalogue in phase order."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.services.audit import record_change
from werkpad.services.fields import Fields
from werkpad.store.models import Candidate, Plan, Provider, Provision, ProvisionType, Route, User

MAX_TEXT = 4000
PHASE_ORDER = {c.code: c.sort_order for c in code_list("provision_phase")}
BASIC = "BASIC"


def create_plan(
    session: Session, user: User, candidate: Candidate, data: Mapping[str, Any], *, today: date
) -> Plan:
    """A plan with a main goal and optional sub-goals (one per line)."""
    f = Fields(data)
    goal = f.text("goal", "Doel van het plan", required=True, max_length=MAX_TEXT)
    created_on = f.date("created_on", "Datum plan") or today
    if created_on > today:
        f.fail("created_on", "Datum plan ligt in de toekomst.")
    raw_goals = data.get("goals")
    items: list[str]
    if isinstance(raw_goals, list):
        items = [str(g).strip() for g in raw_goals if str(g).strip()]
    else:
        items = [line.strip() for line in str(raw_goals or "").splitlines() if line.strip()]
    if len(items) > 20 or any(len(i) > 500 for i in items):
        f.fail("goals", "Maximaal 20 subdoelen van elk maximaal 500 tekens.")
    f.raise_if_invalid()
    plan = Plan(
        candidate_id=candidate.id,
        created_on=created_on,
        goal=goal or "",
        goals={"items": items},
        status="ACTIVE",
        created_by_id=user.id,
    )
    session.add(plan)
    session.flush()
    record_change(session, user, "CREATE", "plan", plan.id, purpose="Plan van aanpak")
    return plan


def start_route(
    session: Session, user: User, candidate: Candidate, data: Mapping[str, Any], *, today: date
) -> Route:
    """Open a route of a coded type; a candidate has at most one open route at a time."""
    f = Fields(data)
    route_type = f.code("route_type", "Soort route", "route_type", required=True)
    start = f.date("start_date", "Startdatum route", required=True)
    if start is not None and start < candidate.birth_date:
        f.fail("start_date", "Startdatum ligt vóór de geboortedatum.")
    plan_id = f.identifier("plan_id", "Plan")
    if plan_id is not None:
        plan = session.get(Plan, plan_id)
        if plan is None or plan.candidate_id != candidate.id:
            f.fail("plan_id", "Dit plan hoort niet bij deze kandidaat.")
    open_route = session.scalar(
        select(Route.id).where(Route.candidate_id == candidate.id, Route.end_date.is_(None))
    )
    if open_route is not None:
        f.fail("route_type", "Er loopt al een route; beëindig die eerst.")
    f.raise_if_invalid()
    route = Route(
        candidate_id=candidate.id,
        plan_id=plan_id,
        team_id=candidate.team_id,
        route_type=route_type or "",
        start_date=start or today,
    )
    session.add(route)
    session.flush()
    record_change(session, user, "CREATE", "route", route.id, purpose="Route gestart")
    return route


def catalogue(session: Session) -> list[ProvisionType]:
    """Active provision types in phase order, then by name."""
    types = session.scalars(select(ProvisionType).where(ProvisionType.active)).all()
    return sorted(types, key=lambda t: (PHASE_ORDER.get(t.phase, 99), t.name))


def providers(session: Session) -> list[Provider]:
    return list(session.scalars(select(Provider).order_by(Provider.name)))


def _phase_label(phase: str) -> str:
    return code_list("provision_phase").label(phase).lower()


def add_provision(session: Session, user: User, route: Route, data: Mapping[str, Any]) -> Provision:
    """Add a provision of the catalogue to an open route.

    Basic provisions follow the intended order diagnose, werkfit maken, ontwikkelen,
    bemiddelen, uitstroom: a basic provision of an earlier phase than one already in the route
    is refused. Supporting (flankerende) provisions may come at any moment.
    """
    if route.end_date is not None:
        raise ValidationFailed([FieldError("route", "Deze route is beëindigd.")])
    f = Fields(data)
    type_id = f.identifier("provision_type_id", "Voorziening", required=True)
    ptype = session.get(ProvisionType, type_id) if type_id is not None else None
    if type_id is not None and (ptype is None or not ptype.active):
        f.fail("provision_type_id", "Kies een voorziening uit de catalogus.")
        ptype = None
    provider_id = f.identifier("provider_id", "Aanbieder")
    if provider_id is not None and session.get(Provider, provider_id) is None:
        f.fail("provider_id", "Onbekende aanbieder.")
    planned_start = f.date("planned_start", "Geplande start")
    planned_end = f.date("planned_end", "Gepland einde")
    if planned_start and planned_end and planned_end < planned_start:
        f.fail("planned_end", "Gepland einde ligt vóór de geplande start.")
    start = f.date("start_date", "Startdatum", required=True) or planned_start
    end = f.date("end_date", "Einddatum")
    if start is not None and start < route.start_date:
        f.fail("start_date", "Startdatum ligt vóór de start van de route.")
    if start is not None and end is not None and end < start:
        f.fail("end_date", "Einddatum ligt vóór de startdatum.")
    cost = f.amount("cost", "Kosten")
    result = f.code("result", "Resultaat", "provision_result")
    if result is not None and end is None and not f.has_error("end_date"):
        f.fail(
            "end_date", "Een resultaat hoort bij een afgeronde voorziening: vul de einddatum in."
        )
    if ptype is not None and ptype.kind == BASIC:
        later = [
            p.provision_type
            for p in route.provisions
            if p.provision_type.kind == BASIC
            and PHASE_ORDER.get(p.provision_type.phase, 0) > PHASE_ORDER.get(ptype.phase, 0)
        ]
        if later:
            f.fail(
                "provision_type_id",
                f"Volgorde: een voorziening voor {_phase_label(ptype.phase)} past niet na "
                f"{_phase_label(later[0].phase)} (diagnose, werkfit maken, ontwikkelen, "
                "bemiddelen, uitstroom).",
            )
    f.raise_if_invalid()
    assert ptype is not None and start is not None
    provision = Provision(
        route_id=route.id,
        provision_type_id=ptype.id,
        provider_id=provider_id if provider_id is not None else ptype.default_provider_id,
        planned_start=planned_start,
        planned_end=planned_end,
        start_date=start,
        end_date=end,
        cost=cost if cost is not None else ptype.unit_cost,
        result=result,
    )
    session.add(provision)
    session.flush()
    record_change(session, user, "CREATE", "provision", provision.id, purpose="Voorziening")
    return provision


def complete_provision(
    session: Session, user: User, provision: Provision, data: Mapping[str, Any]
) -> Provision:
    """Record the actual end, the coded result and (optionally) the actual cost."""
    f = Fields(data)
    end = f.date("end_date", "Einddatum", required=True)
    if end is not None and end < provision.start_date:
        f.fail("end_date", "Einddatum ligt vóór de startdatum.")
    result = f.code("result", "Resultaat", "provision_result", required=True)
    cost = f.amount("cost", "Kosten")
    f.raise_if_invalid()
    provision.end_date = end
    provision.result = result
    if cost is not None:
        provision.cost = cost
    session.flush()
    record_change(session, user, "UPDATE", "provision", provision.id, purpose="Resultaat")
    return provision


def provision_type_names(session: Session) -> dict[str, str]:
    """The name of every provision type by its code, for screens that list codes."""
    return dict(session.execute(select(ProvisionType.code, ProvisionType.name)).tuples().all())
