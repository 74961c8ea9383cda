"""The chain on the candidate file: diagnosis, plan, route, provisions, contacts, exemptions,
referral, exit and follow-up. Every form posts here, and the JSON API calls the same actions.

An action gets the database session, the user, the candidate, the submitted values and today;
it raises ``ValidationFailed`` (nothing written) or returns what it wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.domain.errors import ValidationFailed
from werkpad.domain.lifecycle import (
    NOT_STARTED_PROVISION_STATES,
    OPEN_PROVISION_STATES,
    PROVISION,
)
from werkpad.services.audit import record_read
from werkpad.services.candidate_file import file_extras, load_candidate_file
from werkpad.services.candidate_summary import summarise_candidate
from werkpad.services.caseload import age_on
from werkpad.services.casework import add_contact, add_exemption
from werkpad.services.choices import choice_lists
from werkpad.services.configuration import load_configuration
from werkpad.services.corrections import remove_partner
from werkpad.services.diagnosis import propose_route, record_assessment
from werkpad.services.dossier_partners import add_partner
from werkpad.services.exits import (
    benefit_returns_by_follow_up,
    complete_follow_up,
    end_benefit,
    end_route,
    follow_ups_of_candidate,
    restart_benefit,
    returns_of_candidate,
)
from werkpad.services.life_domains import life_domains_for_file
from werkpad.services.plans import (
    add_provision,
    cancel_provision,
    change_provision_dates,
    complete_provision,
    create_plan,
    results_ending_as,
    start_provision,
    start_route,
    stop_provision,
)
from werkpad.services.provision_picker import (
    SORT_KEY,
    WAIT_DEFINITION,
    picker_figures,
    picker_groups,
)
from werkpad.services.referrals import (
    PROFILE_LIST_FIELDS,
    confirm_work_profile,
    refer,
    referrals_of_candidate,
)
from werkpad.store.models import (
    BenefitSpell,
    Candidate,
    FollowUp,
    Placement,
    Plan,
    Provision,
    Route,
    User,
)
from werkpad.web.auth import CASE_ROLES, client_ip, get_session, readable_candidate, require_role
from werkpad.web.errors import NotFound
from werkpad.web.params import DbId
from werkpad.web.templating import templates
from werkpad.web.views.candidate import FILE_PURPOSE
from werkpad.web.views.dashboard import figures_view

router = APIRouter()
MULTI_VALUED = ("instruments", *PROFILE_LIST_FIELDS)
# Actions on one object of the candidate (route, provision, follow-up, benefit spell): the
# object's id follows the action name in the URL.
OBJECT_ACTIONS = (
    "voorziening",
    "resultaat",
    "starten",
    "stoppen",
    "annuleren",
    "datums",
    "einde",
    "nazorg",
    "uitkeringseinde",
)
PROVISION_STEPS = ("resultaat", "starten", "stoppen", "annuleren", "datums")


Action = Callable[[Session, User, Candidate, Mapping[str, Any], date, int | None], Any]


def _route_of(db: Session, candidate: Candidate, route_id: int | None) -> Route:
    route = db.get(Route, route_id) if route_id is not None else None
    if route is None or route.candidate_id != candidate.id:
        raise NotFound
    return route


def _assess(db: Session, u: User, c: Candidate, d: Mapping[str, Any], t: date, _: Any) -> Any:
    return record_assessment(db, u, c, d, today=t, config=load_configuration(db))


def _provision(db: Session, u: User, c: Candidate, d: Mapping[str, Any], t: date, rid: Any) -> Any:
    return add_provision(db, u, _route_of(db, c, rid), d, today=t)


ProvisionStep = Callable[..., Provision]


def _on_provision(step: ProvisionStep) -> Action:
    """An action on one provision of the candidate (the id is the provision's)."""

    def action(db: Session, u: User, c: Candidate, d: Mapping[str, Any], t: date, pid: Any) -> Any:
        provision = db.get(Provision, pid) if pid is not None else None
        if provision is None:
            raise NotFound
        _route_of(db, c, provision.route_id)
        return step(db, u, provision, d, today=t)

    return action


def _exit(db: Session, u: User, c: Candidate, d: Mapping[str, Any], t: date, rid: Any) -> Any:
    return end_route(db, u, _route_of(db, c, rid), d, today=t)


def _follow_up(db: Session, u: User, c: Candidate, d: Mapping[str, Any], t: date, fid: Any) -> Any:
    # One query that only finds the follow-up through this candidate's own placements.
    follow_up = db.scalar(
        select(FollowUp)
        .join(Placement, Placement.id == FollowUp.placement_id)
        .where(FollowUp.id == fid, Placement.candidate_id == c.id)
    )
    if follow_up is None:
        raise NotFound
    return complete_follow_up(db, u, follow_up, d, today=t)


def _benefit_end(
    db: Session, u: User, c: Candidate, d: Mapping[str, Any], t: date, sid: Any
) -> Any:
    spell = db.get(BenefitSpell, sid) if sid is not None else None
    if spell is None or spell.candidate_id != c.id:
        raise NotFound
    return end_benefit(db, u, spell, d, today=t)


ACTIONS: dict[str, Action] = {
    "diagnose": _assess,
    "plan": lambda db, u, c, d, t, _: create_plan(db, u, c, d, today=t),
    "route": lambda db, u, c, d, t, _: start_route(db, u, c, d, today=t),
    "voorziening": _provision,
    "resultaat": _on_provision(complete_provision),
    "starten": _on_provision(start_provision),
    "stoppen": _on_provision(stop_provision),
    "annuleren": _on_provision(cancel_provision),
    "datums": _on_provision(change_provision_dates),
    "einde": _exit,
    "contact": lambda db, u, c, d, t, _: add_contact(db, u, c, d, today=t),
    "ontheffing": lambda db, u, c, d, t, _: add_exemption(db, u, c, d),
    "aanmelding": lambda db, u, c, d, t, _: refer(db, u, c, d, today=t),
    "werkprofiel": lambda db, u, c, d, t, _: confirm_work_profile(db, u, c, d, today=t),
    "nazorg": _follow_up,
    "uitkering": lambda db, u, c, d, t, _: restart_benefit(db, u, c, d, today=t),
    "uitkeringseinde": _benefit_end,
    "partner": lambda db, u, c, d, t, _: add_partner(db, u, c, d, today=t),
    "partner-uit-dossier": lambda db, u, c, d, t, _: remove_partner(db, u, c, d),
}


def run_action(
    db: Session,
    user: User,
    candidate: Candidate,
    name: str,
    data: Mapping[str, Any],
    today: date,
    object_id: int | None = None,
) -> Any:
    """Run one chain action and commit; on ``ValidationFailed`` roll back and re-raise."""
    try:
        result = ACTIONS[name](db, user, candidate, data, today, object_id)
        db.commit()
    except ValidationFailed:
        db.rollback()
        raise
    return result


@dataclass(frozen=True)
class Choices:
    """Everything the forms of the candidate file offer (codes, catalogue, providers...)."""

    config: Any
    catalogue: list[Any]
    providers: list[Any]
    employers: list[Any]

    @staticmethod
    def load(db: Session) -> Choices:
        lists = choice_lists(db)  # cached per version of the lists (services.choices)
        return Choices(
            config=load_configuration(db),
            catalogue=list(lists.catalogue),
            providers=list(lists.providers),
            employers=list(lists.employers),
        )


def codes(name: str) -> list[Any]:
    return list(code_list(name))


def render_candidate(
    request: Request,
    db: Session,
    user: User,
    candidate: Candidate,
    *,
    section: str | None = None,
    errors: dict[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    today: date = request.app.state.clock.today()
    record_read(db, user, candidate.id, purpose=FILE_PURPOSE, ip=client_ip(request))
    # Committed at once: on SQLite the audit row's write lock is not held while the file is
    # read and rendered, which made other writers fail with "database is locked" (issue 14).
    db.commit()
    file = load_candidate_file(db, candidate)
    choices = Choices.load(db)
    latest = file.candidate.assessments[-1] if file.candidate.assessments else None
    referrals = referrals_of_candidate(db, candidate.id)
    follow_ups = follow_ups_of_candidate(db, candidate.id)
    context = {
        "file": file,
        "c": file.candidate,
        "age": age_on(file.candidate.birth_date, today),
        "today": today,
        "choices": choices,
        "codes": codes,
        "plans": list(
            db.scalars(
                select(Plan).where(Plan.candidate_id == candidate.id).order_by(Plan.created_on)
            )
        ),
        "referrals": referrals,
        "follow_ups": follow_ups,
        "follow_up_returns": benefit_returns_by_follow_up(
            file.candidate, file.placements, follow_ups
        ),
        "summary": summarise_candidate(
            file,
            today=today,
            thresholds=choices.config.thresholds,
            referrals=referrals,
            follow_ups=follow_ups,
        ),
        "returns": returns_of_candidate(file.candidate),
        "open_route": next((r for r in file.candidate.routes if r.end_date is None), None),
        "latest": latest,
        "proposal": propose_route(choices.config, latest.loonwaarde_pct) if latest else None,
        "provision_states": PROVISION.labels_nl,
        "open_provision_states": OPEN_PROVISION_STATES,
        "not_started_states": NOT_STARTED_PROVISION_STATES,
        "completed_results": results_ending_as("COMPLETED"),
        "stopped_results": results_ending_as("STOPPED"),
        "section": section,
        "errors": errors or {},
        "values": values or {},
        **file_extras(db, file, referrals),
        "life_domains": life_domains_for_file(user, file.candidate),
    }
    db.commit()
    return templates.TemplateResponse(request, "candidate.html", context, status_code=status_code)


async def form_data(request: Request) -> dict[str, Any]:
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token":
            continue
        data[key] = (
            [str(v) for v in form.getlist(key)] if key in MULTI_VALUED else str(form.get(key))
        )
    return data


# The chain's forms, read on the event loop so that the handlers stay plain ``def`` (their
# database work runs in the thread pool, ``web.posted``).
SubmittedData = Annotated[dict[str, Any], Depends(form_data)]


PICKER_PURPOSE = "Voorziening kiezen voor de route"


def _picker_page(
    request: Request,
    db: Session,
    user: User,
    candidate: Candidate,
    route: Route,
    *,
    q: str = "",
    chosen: int | None = None,
    errors: dict[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    today: date = request.app.state.clock.today()
    record_read(db, user, candidate.id, purpose=PICKER_PURPOSE, ip=client_ip(request))
    db.commit()
    figures = figures_view(request).derived(
        ("provision_picker", today), lambda: picker_figures(db, today)
    )
    groups = picker_groups(db, figures, q)
    choice = None
    if chosen is not None:
        choice = next((c for c in choice_lists(db).catalogue if c.id == chosen), None)
        if choice is None:
            raise NotFound
    context = {
        "c": candidate,
        "route": route,
        "q": q,
        "groups": groups,
        "count": sum(len(g.rows) for g in groups),
        "chosen": choice,
        "sort_key": SORT_KEY,
        "wait_definition": WAIT_DEFINITION,
        "providers": list(choice_lists(db).providers),
        "today": today,
        "errors": errors or {},
        "values": values or {},
    }
    return templates.TemplateResponse(
        request, "provision_picker.html", context, status_code=status_code
    )


@router.get("/kandidaten/{candidate_id}/voorziening-kiezen/{route_id}", response_class=HTMLResponse)
def provision_picker(
    request: Request,
    candidate_id: DbId,
    route_id: DbId,
    q: str = "",
    kies: str = "",
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    candidate = readable_candidate(db, user, candidate_id)
    route = _route_of(db, candidate, route_id)
    chosen = int(kies) if kies.isdigit() and len(kies) < 10 else None
    if kies and chosen is None:
        raise NotFound
    return _picker_page(request, db, user, candidate, route, q=q[:100], chosen=chosen)


@router.post(
    "/kandidaten/{candidate_id}/voorziening-kiezen/{route_id}", response_class=HTMLResponse
)
def provision_pick(
    request: Request,
    data: SubmittedData,
    candidate_id: DbId,
    route_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    candidate = readable_candidate(db, user, candidate_id)
    route = _route_of(db, candidate, route_id)
    try:
        run_action(
            db, user, candidate, "voorziening", data, request.app.state.clock.today(), route.id
        )
    except ValidationFailed as exc:
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(error.field, error.message)
        candidate = readable_candidate(db, user, candidate_id)
        route = _route_of(db, candidate, route_id)
        raw = str(data.get("provision_type_id") or "")
        chosen = int(raw) if raw.isdigit() and len(raw) < 10 else None
        valid = chosen is not None and any(c.id == chosen for c in choice_lists(db).catalogue)
        return _picker_page(
            request,
            db,
            user,
            candidate,
            route,
            chosen=chosen if valid else None,
            errors=errors,
            values=data,
            status_code=422,
        )
    return RedirectResponse(f"/kandidaten/{candidate_id}#route", status_code=303)


@router.get("/kandidaten/{candidate_id}", response_class=HTMLResponse)
def candidate_file(
    request: Request,
    candidate_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    return render_candidate(request, db, user, readable_candidate(db, user, candidate_id))


def _post(
    request: Request,
    data: dict[str, Any],
    db: Session,
    user: User,
    candidate_id: DbId,
    name: str,
    object_id: int | None = None,
) -> Response:
    candidate = readable_candidate(db, user, candidate_id)
    try:
        run_action(db, user, candidate, name, data, request.app.state.clock.today(), object_id)
    except ValidationFailed as exc:
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(error.field, error.message)
        candidate = readable_candidate(db, user, candidate_id)
        return render_candidate(
            request,
            db,
            user,
            candidate,
            # The forms on one provision are named after it (several provisions, one page).
            section=f"{name}-{object_id}" if name in PROVISION_STEPS else name,
            errors=errors,
            values=data,
            status_code=422,
        )
    return RedirectResponse(f"/kandidaten/{candidate_id}#{name}", status_code=303)


@router.post("/kandidaten/{candidate_id}/{name}", response_class=HTMLResponse)
def chain_step(
    request: Request,
    data: SubmittedData,
    candidate_id: DbId,
    name: str,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    if name not in ACTIONS or name in OBJECT_ACTIONS:
        raise NotFound
    return _post(request, data, db, user, candidate_id, name)


@router.post("/kandidaten/{candidate_id}/{name}/{object_id}", response_class=HTMLResponse)
def chain_step_on(
    request: Request,
    data: SubmittedData,
    candidate_id: DbId,
    name: str,
    object_id: DbId,
    user: User = Depends(require_role(*CASE_ROLES)),
    db: Session = Depends(get_session),
) -> Response:
    if name not in OBJECT_ACTIONS:
        raise NotFound
    return _post(request, data, db, user, candidate_id, name, object_id)
