"""Exit of a route with a coded end reason, the placement it leads to, follow-ups after a work
exit and the return-to-benefit flag."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.domain.follow_up import follow_up_due_dates, is_return_to_benefit
from werkpad.domain.lifecycle import (
    ENDED_PROVISION_STATES,
    NOT_STARTED_PROVISION_STATES,
    OPEN_PROVISION_STATES,
)
from werkpad.domain.outcomes import is_work_exit
from werkpad.services.audit import record_change
from werkpad.services.dossiers import close_dossier_when_ended, open_dossier_for_new_spell
from werkpad.services.fields import Fields
from werkpad.services.plans import finish_provision, results_ending_as
from werkpad.services.transitions import log_transition
from werkpad.store.models import (
    BenefitSpell,
    Candidate,
    Employer,
    FollowUp,
    Placement,
    PlacementInstrument,
    Provider,
    Provision,
    Route,
    User,
)

PLACEMENT_REQUIRED = frozenset({"JOB"})


def _instrument_codes(data: Mapping[str, Any]) -> list[str]:
    raw = data.get("instruments")
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(",") if part.strip()]
    return [str(x).strip() for x in raw if str(x).strip()]


@dataclass(frozen=True)
class ExitResult:
    route: Route
    placement: Placement | None
    follow_ups: list[FollowUp]


# What becomes of an open provision when its route ends (the exit form asks per provision).
PROVISION_DECISIONS = {"afronden": "COMPLETED", "stoppen": "STOPPED", "annuleren": "CANCELLED"}


def decision_field(provision_id: int, part: str = "") -> str:
    """Form field of the exit form for one open provision: ``voorziening_<id>`` holds the
    decision (afronden, stoppen, annuleren), ``_result`` and ``_reason`` its details."""
    return f"voorziening_{provision_id}{'_' + part if part else ''}"


@dataclass(frozen=True)
class _Decision:
    provision: Provision
    target: str
    result: str | None
    reason: str | None


def _provisions_of(session: Session, route: Route) -> list[Provision]:
    return list(
        session.scalars(
            select(Provision)
            .where(Provision.route_id == route.id)
            .order_by(Provision.start_date, Provision.id)
        )
    )


def _provision_decisions(
    f: Fields, provisions: list[Provision], end: date | None
) -> list[_Decision]:
    """Read the decision for every open provision of the route; a provision that starts after
    the exit date can only be cancelled."""
    decisions: list[_Decision] = []
    for provision in provisions:
        if provision.state not in OPEN_PROVISION_STATES:
            continue
        name = decision_field(provision.id)
        label = provision.provision_type.name
        raw = str(f.data.get(name) or "").strip().lower()
        target = PROVISION_DECISIONS.get(raw)
        if target is None:
            f.fail(
                name,
                f"{label}: kies wat er met deze voorziening gebeurt (afronden met resultaat, "
                "voortijdig stoppen of annuleren).",
            )
            continue
        result: str | None = None
        reason: str | None = None
        if target == "CANCELLED" and provision.state not in NOT_STARTED_PROVISION_STATES:
            f.fail(name, f"{label} is gestart: rond haar af of stop haar voortijdig.")
            continue
        if target != "CANCELLED" and end is not None and provision.start_date > end:
            f.fail(
                name,
                f"{label} start pas op {provision.start_date:%d-%m-%Y}, na de einddatum: "
                + (
                    "annuleer deze voorziening."
                    if provision.state in NOT_STARTED_PROVISION_STATES
                    else "kies een latere einddatum."
                ),
            )
            continue
        if target == "COMPLETED":
            result = f.code(decision_field(provision.id, "result"), "Resultaat", "provision_result")
            if result is None and not f.has_error(decision_field(provision.id, "result")):
                result = "COMPLETED" if "COMPLETED" in results_ending_as("COMPLETED") else None
            if result not in results_ending_as("COMPLETED"):
                f.fail(decision_field(provision.id, "result"), f"{label}: kies een resultaat.")
        elif target == "STOPPED":
            result = (
                f.code(decision_field(provision.id, "result"), "Soort stoppen", "provision_result")
                or "STOPPED_EARLY"
            )
            if result not in results_ending_as("STOPPED"):
                f.fail(
                    decision_field(provision.id, "result"),
                    f"{label}: kies een reden van voortijdig stoppen.",
                )
        if target != "COMPLETED":
            reason = f.text(
                decision_field(provision.id, "reason"),
                f"{label}: reden",
                required=True,
                max_length=4000,
            )
        decisions.append(_Decision(provision, target, result, reason))
    return decisions


def end_route(
    session: Session, user: User, route: Route, data: Mapping[str, Any], *, today: date
) -> ExitResult:
    """End an open route with a coded reason. An exit to a job records the placement
    (employer, job type, contract type, hours, instruments, exactly one claimant: the team or
    a provider) and plans the follow-ups at 6, 12 and 18 months. Every open provision gets a
    decision (``voorziening_<id>``: afronden with a result, stoppen with a reason, annuleren
    with a reason); it ends on the route's end date. Nothing is written on any error."""
    f = Fields(data)
    if route.end_date is not None:
        f.fail("end_reason", "Deze route is al beëindigd.")
    end = f.date("end_date", "Einddatum route", required=True)
    provisions = _provisions_of(session, route)
    if end is not None:
        used = [p for p in provisions if p.state in ENDED_PROVISION_STATES]
        if end < route.start_date:
            f.fail("end_date", "Einddatum ligt vóór de start van de route.")
        elif end > today:
            f.fail("end_date", "Einddatum ligt in de toekomst.")
        elif any(p.end_date is not None and p.end_date > end for p in used):
            latest = max(p.end_date for p in used if p.end_date is not None)
            f.fail(
                "end_date",
                f"Een voorziening van deze route eindigde pas op {latest:%d-%m-%Y}, na deze "
                "einddatum.",
            )
    decisions = _provision_decisions(f, provisions, end) if route.end_date is None else []
    reason = f.code("end_reason", "Reden einde", "route_end_reason", required=True)
    placement_values = (
        _clean_placement(session, f, data, end, route.team_id)
        if reason in PLACEMENT_REQUIRED
        else None
    )
    f.raise_if_invalid()
    assert end is not None and reason is not None
    for decision in decisions:
        finish_provision(
            session,
            user,
            decision.provision,
            decision.target,
            end=end,
            result=decision.result,
            reason=decision.reason,
            today=today,
            at_exit=True,
        )
    route.end_date = end
    route.end_reason = reason
    log_transition(
        session,
        user,
        "route",
        route.id,
        "OPEN",
        "ENDED",
        today=today,
        reason=code_list("route_end_reason").label(reason),
    )
    placement: Placement | None = None
    follow_ups: list[FollowUp] = []
    if placement_values is not None:
        instruments, lks_loonwaarde, values = placement_values
        placement = Placement(candidate_id=route.candidate_id, route_id=route.id, **values)
        session.add(placement)
        session.flush()
        for code in instruments:
            session.add(
                PlacementInstrument(
                    placement_id=placement.id,
                    instrument=code,
                    loonwaarde_pct=lks_loonwaarde if code == "LKS" else None,
                    start_date=placement.start_date,
                )
            )
        follow_ups = [
            FollowUp(placement_id=placement.id, months=months, due_date=due)
            for months, due in follow_up_due_dates(end).items()
        ]
        session.add_all(follow_ups)
    session.flush()
    record_change(session, user, "UPDATE", "route", route.id, purpose="Route beëindigd")
    return ExitResult(route, placement, follow_ups)


def _clean_placement(
    session: Session,
    f: Fields,
    data: Mapping[str, Any],
    exit_date: date | None,
    team_id: int | None,
) -> tuple[list[str], int | None, dict[str, Any]] | None:
    employer_id = f.identifier("employer_id", "Werkgever", required=True)
    if employer_id is not None and session.get(Employer, employer_id) is None:
        f.fail("employer_id", "Onbekende werkgever.")
    job_type = f.code("job_type", "Soort baan", "job_type", required=True)
    contract = f.code("contract_type", "Soort contract", "contract_type", required=True)
    hours = f.integer("hours_per_week", "Uren per week", required=True, minimum=1, maximum=60)
    start = f.date("placement_start", "Startdatum baan") or exit_date
    claimant = str(data.get("claimant") or "TEAM").strip().upper()
    provider_id: int | None = None
    if claimant == "PROVIDER":
        provider_id = f.identifier("claimant_provider_id", "Aanbieder die claimt", required=True)
        if provider_id is not None and session.get(Provider, provider_id) is None:
            f.fail("claimant_provider_id", "Onbekende aanbieder.")
    elif claimant != "TEAM" or team_id is None:
        f.fail("claimant", "Kies wie de plaatsing claimt: het team of één aanbieder.")
    instruments = _instrument_codes(data)
    known = code_list("instrument")
    unknown = [c for c in instruments if c not in known]
    if unknown:
        f.fail("instruments", f"Instrument: onbekende code '{unknown[0][:40]}'.")
    if len(set(instruments)) != len(instruments):
        f.fail("instruments", "Elk instrument maar één keer.")
    lks = f.integer("lks_loonwaarde", "Loonwaarde bij LKS (%)", minimum=0, maximum=100)
    if "LKS" in instruments and lks is None and not f.has_error("lks_loonwaarde"):
        f.fail("lks_loonwaarde", "Loonkostensubsidie vraagt een vastgestelde loonwaarde.")
    if f.errors:
        return None
    return (
        instruments,
        lks,
        {
            "employer_id": employer_id,
            "start_date": start,
            "job_type": job_type,
            "contract_type": contract,
            "hours_per_week": hours,
            # Exactly one claimant: the route's team unless a provider claims the placement.
            "claimed_by_team_id": None if provider_id is not None else team_id,
            "claimed_by_provider_id": provider_id,
        },
    )


def benefit_return_before(
    session: Session, follow_up: FollowUp, on: date | None = None
) -> BenefitSpell | None:
    """The first benefit spell that started after the work exit of ``follow_up`` and on or
    before ``on`` (default: its due date): the benefit data show a return."""
    placement = session.get(Placement, follow_up.placement_id)
    if placement is None:
        return None
    route = session.get(Route, placement.route_id) if placement.route_id else None
    exit_date = route.end_date if route is not None and route.end_date else placement.start_date
    return session.scalar(
        select(BenefitSpell)
        .where(
            BenefitSpell.candidate_id == placement.candidate_id,
            BenefitSpell.start_date > exit_date,
            BenefitSpell.start_date <= (on or follow_up.due_date),
        )
        .order_by(BenefitSpell.start_date)
        .limit(1)
    )


def complete_follow_up(
    session: Session, user: User, follow_up: FollowUp, data: Mapping[str, Any], *, today: date
) -> FollowUp:
    """Record the follow-up contact, on or after its due date only (an earlier contact would
    count a job as durable before its time). When the benefit data show a return to benefit
    before the contact, 'terug in de uitkering' follows them unless the klantmanager says
    otherwise, and the note says so."""
    f = Fields(data)
    if follow_up.done_on is not None:
        f.fail("done_on", "Deze nazorg is al vastgelegd.")
    done = f.date("done_on", "Datum nazorgcontact", required=True)
    if done is not None:
        if done > today:
            f.fail("done_on", "Datum nazorgcontact ligt in de toekomst.")
        elif done < follow_up.due_date:
            f.fail(
                "done_on",
                f"De nazorg na {follow_up.months} maanden kan pas vanaf "
                f"{follow_up.due_date:%d-%m-%Y} worden vastgelegd.",
            )
    working = f.optional_flag("still_working", "Nog aan het werk")
    if working is None and not f.has_error("still_working"):
        f.fail("still_working", "Nog aan het werk: kies ja of nee.")
    back = f.optional_flag("back_on_benefit", "Terug in de uitkering")
    note = f.text("note", "Notitie", max_length=4000)
    f.raise_if_invalid()
    assert done is not None
    returned = benefit_return_before(session, follow_up, done)
    if returned is not None:
        if back is None:
            back = True
        fact = (
            f"Volgens de uitkeringsgegevens weer in de uitkering sinds "
            f"{returned.start_date:%d-%m-%Y}."
        )
        note = f"{note} {fact}" if note else fact
    follow_up.done_on = done
    follow_up.still_working = working
    follow_up.back_on_benefit = back
    follow_up.note = note
    session.flush()
    record_change(session, user, "UPDATE", "follow_up", follow_up.id, purpose="Nazorg")
    return follow_up


def benefit_returns_by_follow_up(
    candidate: Candidate, placements: Sequence[Placement], follow_ups: Sequence[FollowUp]
) -> dict[int, date]:
    """Per follow-up, the start of the first benefit spell after the work exit and on or
    before the follow-up's due date (from the loaded routes and spells; no query)."""
    exit_dates = {r.id: r.end_date for r in candidate.routes if r.end_date}
    by_placement = {p.id: exit_dates.get(p.route_id or -1) or p.start_date for p in placements}
    found: dict[int, date] = {}
    for follow_up in follow_ups:
        exit_date = by_placement.get(follow_up.placement_id)
        if exit_date is None:
            continue
        starts = [
            s.start_date
            for s in candidate.benefit_spells
            if exit_date < s.start_date <= (follow_up.done_on or follow_up.due_date)
        ]
        if starts:
            found[follow_up.id] = min(starts)
    return found


def follow_ups_of_candidate(session: Session, candidate_id: int) -> list[FollowUp]:
    return list(
        session.scalars(
            select(FollowUp)
            .join(Placement, Placement.id == FollowUp.placement_id)
            .where(Placement.candidate_id == candidate_id)
            .order_by(FollowUp.due_date, FollowUp.id)
        )
    )


@dataclass(frozen=True)
class BenefitReturn:
    exit_date: date
    restart_date: date
    benefit_type: str


def benefit_returns(
    work_exit_dates: Iterable[date], spells: Sequence[BenefitSpell]
) -> list[BenefitReturn]:
    """Benefit spells that started within 12 months after a work exit: returns (draaideur)."""
    exits = sorted(work_exit_dates)
    found = []
    for spell in spells:
        previous = [d for d in exits if is_return_to_benefit(d, spell.start_date)]
        if previous:
            found.append(BenefitReturn(max(previous), spell.start_date, spell.benefit_type))
    return found


def returns_of_candidate(candidate: Candidate) -> list[BenefitReturn]:
    """Uses the candidate's loaded routes and benefit spells (no query of its own)."""
    exits = [r.end_date for r in candidate.routes if r.end_date and is_work_exit(r.end_reason)]
    return benefit_returns(exits, candidate.benefit_spells)


def end_benefit(
    session: Session, user: User, spell: BenefitSpell, data: Mapping[str, Any], *, today: date
) -> BenefitSpell:
    """End a running benefit spell with a coded reason (e.g. work)."""
    f = Fields(data)
    if spell.end_date is not None:
        f.fail("end_date", "Deze uitkering is al beëindigd.")
    end = f.date("end_date", "Einddatum uitkering", required=True)
    if end is not None and end < spell.start_date:
        f.fail("end_date", "Einddatum ligt vóór de startdatum.")
    if end is not None and end > today:
        f.fail("end_date", "Einddatum ligt in de toekomst.")
    reason = f.code("end_reason", "Reden einde uitkering", "benefit_end_reason", required=True)
    f.raise_if_invalid()
    spell.end_date = end
    spell.end_reason = reason
    close_dossier_when_ended(session, spell)
    session.flush()
    record_change(session, user, "UPDATE", "benefit_spell", spell.id, purpose="Uitkering beëindigd")
    return spell


def restart_benefit(
    session: Session, user: User, candidate: Candidate, data: Mapping[str, Any], *, today: date
) -> tuple[BenefitSpell, bool]:
    """Register a new benefit spell; returns it and whether it counts as a return after a work
    exit within 12 months."""
    f = Fields(data)
    kind = f.code("benefit_type", "Soort uitkering", "benefit_type", required=True)
    start = f.date("start_date", "Startdatum uitkering", required=True)
    application = f.date("application_date", "Aanvraagdatum")
    if start is not None and application is not None and application > start:
        f.fail("application_date", "Aanvraagdatum ligt na de startdatum.")
    if start is not None and start > today:
        f.fail("start_date", "Startdatum ligt in de toekomst.")
    running = [
        s for s in candidate.benefit_spells if s.end_date is None or s.end_date >= (start or today)
    ]
    if running:
        f.fail("start_date", "Er loopt nog een uitkering; beëindig die eerst.")
    f.raise_if_invalid()
    assert start is not None
    spell = BenefitSpell(
        candidate_id=candidate.id, benefit_type=kind, start_date=start, application_date=application
    )
    session.add(spell)
    open_dossier_for_new_spell(session, candidate, spell)
    session.flush()
    record_change(session, user, "CREATE", "benefit_spell", spell.id, purpose="Uitkering herstart")
    exits = [r.end_date for r in candidate.routes if r.end_date and is_work_exit(r.end_reason)]
    return spell, bool(benefit_returns(exits, [spell]))
