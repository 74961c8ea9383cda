"""Plan with goals, and the route built from the provision catalogue in phase order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.lifecycle import (
    ENDED_PROVISION_STATES,
    NOT_STARTED_PROVISION_STATES,
    PROVISION,
)
from werkpad.services.audit import record_change
from werkpad.services.fields import Fields
from werkpad.services.transitions import check_step, log_transition
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


def results_ending_as(state: str) -> list[str]:
    """The ``provision_result`` codes that end a provision in ``state`` (COMPLETED/STOPPED);
    a result without ``ends_as`` counts as completed."""
    return [
        c.code for c in code_list("provision_result") if (c.attr("ends_as") or "COMPLETED") == state
    ]


def ends_as(result: str | None) -> str:
    found = code_list("provision_result").get(result) if result else None
    return "STOPPED" if found is not None and found.attr("ends_as") == "STOPPED" else "COMPLETED"


def add_provision(
    session: Session, user: User, route: Route, data: Mapping[str, Any], *, today: date
) -> Provision:
    """Add a provision of the catalogue to an open route.

    Basic provisions follow the intended order diagnose, werkfit maken, ontwikkelen,
    bemiddelen, uitstroom: a basic provision of an earlier phase than one already in the route
    is refused. Supporting (flankerende) provisions may come at any moment.

    The provision is *planned* when it has only a planned start or starts after today, and
    *started* otherwise; with an end date and a result it is entered as ended (afgerond or
    voortijdig gestopt, as the result says). Dates must lie within the route.
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
    actual_start = f.date("start_date", "Startdatum")
    start = actual_start or planned_start
    if start is None and not f.has_error("start_date") and not f.has_error("planned_start"):
        f.fail("start_date", "Startdatum is verplicht (of vul de geplande start in).")
    end = f.date("end_date", "Einddatum")
    if start is not None and start < route.start_date:
        f.fail(
            "start_date" if actual_start else "planned_start",
            f"Startdatum ligt vóór de start van de route ({route.start_date:%d-%m-%Y}).",
        )
    if end is not None:
        if start is not None and end < start:
            f.fail("end_date", "Einddatum ligt vóór de startdatum.")
        elif end > today:
            f.fail("end_date", "Einddatum ligt in de toekomst.")
    cost = f.amount("cost", "Kosten")
    result = f.code("result", "Resultaat", "provision_result")
    if result is not None and end is None and not f.has_error("end_date"):
        f.fail(
            "end_date", "Een resultaat hoort bij een afgeronde voorziening: vul de einddatum in."
        )
    if end is not None and result is None and not f.has_error("result"):
        f.fail("result", "Een beëindigde voorziening vraagt een resultaat.")
    if ptype is not None and ptype.kind == BASIC:
        later = [
            p.provision_type
            for p in route.provisions
            if p.state != "CANCELLED"
            and p.provision_type.kind == BASIC
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
    if end is not None:
        state = ends_as(result)
    elif actual_start is None or start > today:
        state = "PLANNED"
    else:
        state = "STARTED"
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
        state=state,
    )
    session.add(provision)
    session.flush()
    log_transition(session, user, "provision", provision.id, None, state, today=today)
    record_change(session, user, "CREATE", "provision", provision.id, purpose="Voorziening")
    return provision


# The logged step of a provision that the route's exit closed starts with this.
EXIT_STEP = "Bij uitstroom"


def exit_step_note(reason: str | None) -> str:
    """The logged reason of a step the exit made: ``EXIT_STEP``, with the user's reason."""
    return f"{EXIT_STEP}: {reason}" if reason else EXIT_STEP


def _move(
    session: Session,
    user: User,
    provision: Provision,
    target: str,
    *,
    today: date,
    reason: str | None = None,
) -> None:
    check_step(PROVISION, provision.state, target)
    log_transition(
        session,
        user,
        "provision",
        provision.id,
        provision.state,
        target,
        today=today,
        reason=reason,
    )
    provision.state = target


def _end_checks(f: Fields, start: date, route: Route, end: date | None, today: date) -> None:
    if end is None:
        return
    if end < start:
        f.fail("end_date", f"Einddatum ligt vóór de startdatum ({start:%d-%m-%Y}).")
    elif end > today:
        f.fail("end_date", "Einddatum ligt in de toekomst.")
    elif route.end_date is not None and end > route.end_date:
        f.fail("end_date", f"Einddatum ligt na het einde van de route ({route.end_date:%d-%m-%Y}).")


def finish_provision(
    session: Session,
    user: User,
    provision: Provision,
    target: str,
    *,
    end: date | None,
    result: str | None,
    reason: str | None,
    today: date,
    at_exit: bool = False,
) -> Provision:
    """Move an open provision to COMPLETED, STOPPED or CANCELLED with checked values (the
    callers validate); a planned provision that did take place is started on its start date
    first. ``at_exit``: the route's exit does this, and its logged steps say so
    (``EXIT_STEP``), so that undoing the exit knows which provisions to restore."""
    note = exit_step_note(reason) if at_exit else reason
    if target in ("COMPLETED", "STOPPED") and provision.state in NOT_STARTED_PROVISION_STATES:
        _move(session, user, provision, "STARTED", today=today, reason=note if at_exit else None)
    _move(session, user, provision, target, today=today, reason=note)
    if target != "CANCELLED":
        provision.end_date = end
        provision.result = result
    provision.state_reason = reason
    session.flush()
    record_change(
        session,
        user,
        "UPDATE",
        "provision",
        provision.id,
        purpose=f"Voorziening {PROVISION.labels_nl[target].lower()}",
    )
    return provision


def _require_state(provision: Provision, allowed: frozenset[str], message: str) -> None:
    if provision.state not in allowed:
        raise ValidationFailed(
            [
                FieldError(
                    "state",
                    f"{message} (de voorziening is "
                    f"{PROVISION.labels_nl.get(provision.state, provision.state).lower()}).",
                )
            ]
        )


def start_provision(
    session: Session, user: User, provision: Provision, data: Mapping[str, Any], *, today: date
) -> Provision:
    """A planned or requested provision starts (on a date within the route, not after today)."""
    _require_state(provision, NOT_STARTED_PROVISION_STATES, "Alleen een geplande voorziening start")
    f = Fields(data)
    start = f.date("start_date", "Startdatum") or today
    route = provision.route
    if route.end_date is not None:
        f.fail("start_date", "De route is beëindigd.")
    elif start < route.start_date:
        f.fail(
            "start_date",
            f"Startdatum ligt vóór de start van de route ({route.start_date:%d-%m-%Y}).",
        )
    elif start > today:
        f.fail("start_date", "Startdatum ligt in de toekomst: de voorziening is nog niet gestart.")
    f.raise_if_invalid()
    _move(session, user, provision, "STARTED", today=today)
    provision.start_date = start
    session.flush()
    record_change(session, user, "UPDATE", "provision", provision.id, purpose="Voorziening gestart")
    return provision


def complete_provision(
    session: Session, user: User, provision: Provision, data: Mapping[str, Any], *, today: date
) -> Provision:
    """A started provision ends as planned (afgerond) with a result that ends it so, the end
    date and (optionally) the actual cost."""
    _require_state(provision, frozenset({"STARTED"}), "Alleen een gestarte voorziening rondt af")
    f = Fields(data)
    end = f.date("end_date", "Einddatum", required=True)
    _end_checks(f, provision.start_date, provision.route, end, today)
    result = f.code("result", "Resultaat", "provision_result", required=True)
    if result is not None and result not in results_ending_as("COMPLETED"):
        f.fail("result", "Dit resultaat hoort bij voortijdig stoppen: kies 'Voortijdig stoppen'.")
    cost = f.amount("cost", "Kosten")
    f.raise_if_invalid()
    if cost is not None:
        provision.cost = cost
    return finish_provision(
        session, user, provision, "COMPLETED", end=end, result=result, reason=None, today=today
    )


def stop_provision(
    session: Session, user: User, provision: Provision, data: Mapping[str, Any], *, today: date
) -> Provision:
    """A started provision stops early, with a stop result and the reason in words."""
    _require_state(provision, frozenset({"STARTED"}), "Alleen een gestarte voorziening stopt")
    f = Fields(data)
    end = f.date("end_date", "Einddatum", required=True)
    _end_checks(f, provision.start_date, provision.route, end, today)
    result = f.code("result", "Soort stoppen", "provision_result") or "STOPPED_EARLY"
    if result not in results_ending_as("STOPPED"):
        f.fail("result", "Kies een reden van voortijdig stoppen.")
    reason = f.text("reason", "Reden van stoppen", required=True, max_length=MAX_TEXT)
    f.raise_if_invalid()
    return finish_provision(
        session, user, provision, "STOPPED", end=end, result=result, reason=reason, today=today
    )


def cancel_provision(
    session: Session, user: User, provision: Provision, data: Mapping[str, Any], *, today: date
) -> Provision:
    """A provision that has not started is cancelled, with a reason; it then counts nowhere."""
    _require_state(
        provision,
        NOT_STARTED_PROVISION_STATES,
        "Alleen een voorziening die nog niet gestart is, kan geannuleerd worden; stop een "
        "gestarte voorziening voortijdig",
    )
    f = Fields(data)
    reason = f.text("reason", "Reden van annuleren", required=True, max_length=MAX_TEXT)
    f.raise_if_invalid()
    return finish_provision(
        session, user, provision, "CANCELLED", end=None, result=None, reason=reason, today=today
    )


def change_provision_dates(
    session: Session, user: User, provision: Provision, data: Mapping[str, Any], *, today: date
) -> Provision:
    """Change the planned dates, the start and (of an ended provision) the end, checked against
    the route; a started or ended provision cannot start after today."""
    if provision.state == "CANCELLED":
        raise ValidationFailed(
            [FieldError("state", "Een geannuleerde voorziening heeft geen datums meer.")]
        )
    f = Fields(data)
    planned_start = f.date("planned_start", "Geplande start")
    planned_end = f.date("planned_end", "Gepland einde")
    if planned_start and planned_end and planned_end < planned_start:
        f.fail("planned_end", "Gepland einde ligt vóór de geplande start.")
    start = f.date("start_date", "Startdatum", required=True)
    route = provision.route
    if start is not None:
        if start < route.start_date:
            f.fail(
                "start_date",
                f"Startdatum ligt vóór de start van de route ({route.start_date:%d-%m-%Y}).",
            )
        elif provision.state not in NOT_STARTED_PROVISION_STATES and start > today:
            f.fail("start_date", "Startdatum ligt in de toekomst.")
        elif route.end_date is not None and start > route.end_date:
            f.fail(
                "start_date",
                f"Startdatum ligt na het einde van de route ({route.end_date:%d-%m-%Y}).",
            )
    end: date | None = None
    if provision.state in ENDED_PROVISION_STATES:
        end = f.date("end_date", "Einddatum", required=True)
        if start is not None:
            _end_checks(f, start, route, end, today)
    f.raise_if_invalid()
    assert start is not None
    provision.planned_start = planned_start
    provision.planned_end = planned_end
    provision.start_date = start
    if end is not None:
        provision.end_date = end
    session.flush()
    record_change(session, user, "UPDATE", "provision", provision.id, purpose="Datums voorziening")
    return provision


def provision_type_names(session: Session) -> dict[str, str]:
    """The name of every provision type by its code, for screens that list codes."""
    rows = session.execute(select(ProvisionType.code, ProvisionType.name)).all()
    return {str(code): str(name) for code, name in rows}


# --- comparing two versions of the plan van aanpak (issue 16) ------------------------------


@dataclass(frozen=True)
class PlanProvision:
    """A provision of a plan's route as the printed plan shows it."""

    name: str
    provider: str
    start: date | None
    end: date | None


@dataclass
class PlanComparison:
    """What changed from ``old`` to ``new``: the main goal, the sub-goals and the provisions
    of the routes started under each plan. The agreements on both sides are the plan's fixed
    text (the same in every version)."""

    old: Plan
    new: Plan
    goal_changed: bool
    goals_added: list[str] = field(default_factory=list)
    goals_removed: list[str] = field(default_factory=list)
    goals_kept: list[str] = field(default_factory=list)
    provisions_added: list[PlanProvision] = field(default_factory=list)
    provisions_removed: list[PlanProvision] = field(default_factory=list)
    provisions_kept: list[PlanProvision] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (
            self.goal_changed
            or self.goals_added
            or self.goals_removed
            or self.provisions_added
            or self.provisions_removed
        )


def plans_of_candidate(session: Session, candidate_id: int) -> list[Plan]:
    return list(
        session.scalars(
            select(Plan).where(Plan.candidate_id == candidate_id).order_by(Plan.created_on, Plan.id)
        )
    )


def _goals(plan: Plan) -> list[str]:
    items = (plan.goals or {}).get("items") or []
    return [str(i) for i in items]


def _provisions(session: Session, plan: Plan) -> list[PlanProvision]:
    rows = session.scalars(
        select(Provision)
        .join(Route, Route.id == Provision.route_id)
        .where(Route.plan_id == plan.id)
        .options(joinedload(Provision.provision_type), joinedload(Provision.provider))
        .order_by(Provision.start_date, Provision.id)
    ).all()
    return [
        PlanProvision(
            name=p.provision_type.name,
            provider=p.provider.name if p.provider else "",
            start=p.planned_start or p.start_date,
            end=p.end_date or p.planned_end,
        )
        for p in rows
    ]


def _split(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any], list[Any]]:
    """(added, removed, kept), each in the order of its own version."""
    return (
        [x for x in new if x not in old],
        [x for x in old if x not in new],
        [x for x in new if x in old],
    )


def compare_plans(session: Session, candidate_id: int, old_id: int, new_id: int) -> PlanComparison:
    """Two versions of one candidate's plan side by side; KeyError when either is not a plan of
    this candidate."""
    old, new = session.get(Plan, old_id), session.get(Plan, new_id)
    for plan, plan_id in ((old, old_id), (new, new_id)):
        if plan is None or plan.candidate_id != candidate_id:
            raise KeyError(plan_id)
    assert old is not None and new is not None
    g_added, g_removed, g_kept = _split(_goals(old), _goals(new))
    p_added, p_removed, p_kept = _split(_provisions(session, old), _provisions(session, new))
    return PlanComparison(
        old=old,
        new=new,
        goal_changed=old.goal.strip() != new.goal.strip(),
        goals_added=g_added,
        goals_removed=g_removed,
        goals_kept=g_kept,
        provisions_added=p_added,
        provisions_removed=p_removed,
        provisions_kept=p_kept,
    )
