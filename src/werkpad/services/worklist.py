"""The klantmanager's worklist: signals for the candidates in their caseload.

Facts are gathered per kind in one query each (candidates, contacts, routes with provisions,
referrals, exemptions, assessments, follow-ups, benefit spells, missed appointments), so the
number of queries does not grow with the caseload; the rules themselves are pure
(``werkpad.domain.worklist``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from werkpad.domain.appointments import NO_SHOW
from werkpad.domain.codelists import code_list
from werkpad.domain.messages import INVITATION
from werkpad.domain.worklist import HIGH as HIGH_PRIORITY
from werkpad.domain.worklist import (
    PARTICIPATION,
    REINTEGRATION,
    CandidateFacts,
    Signal,
    Thresholds,
    signals,
    stale_profile_signal,
)
from werkpad.services.access import candidate_scope
from werkpad.services.audit import record_change, utc_now
from werkpad.services.caseload import in_service_on
from werkpad.services.fields import Fields
from werkpad.services.matching import load_settings
from werkpad.services.referrals import ACTIVE_REFERRAL_STATES
from werkpad.store.models import (
    Appointment,
    Assessment,
    BenefitSpell,
    Candidate,
    Contact,
    Exemption,
    FollowUp,
    OutboxMessage,
    Placement,
    Provision,
    Referral,
    Route,
    SignalDecision,
    User,
    WorkProfile,
)

PARTICIPATION_ROUTES = frozenset({"ACTIVATION"})


@dataclass(frozen=True)
class WorklistItem:
    """A candidate with open signals (most urgent first); ``decided`` holds the signals
    marked handled or snoozed for their current cause (shown only on request)."""

    candidate_id: int
    name: str
    signals: list[Signal]
    klantmanager_id: int | None = None
    decided: list[Signal] = field(default_factory=list)

    def urgency(self, today: date) -> tuple[int, date]:
        return min(s.urgency(today) for s in self.signals)


@dataclass
class _Acc:
    contacts: list[date] = field(default_factory=list)
    open_route_start: date | None = None
    open_route_type: str | None = None
    provisions: list[tuple[date, date | None]] = field(default_factory=list)
    referrals: list[date] = field(default_factory=list)
    exemption_reviews: list[date | None] = field(default_factory=list)
    latest: Any = None
    follow_ups: list[date] = field(default_factory=list)
    benefit_start: date | None = None
    profile_confirmed: date | None = None
    has_referred_profile: bool = False
    no_shows: list[date] = field(default_factory=list)
    no_show_invitations: list[tuple[date, str | None]] = field(default_factory=list)


def _track(acc: _Acc) -> str:
    if acc.open_route_type in PARTICIPATION_ROUTES:
        return PARTICIPATION
    segment = code_list("segment").get(acc.latest.segment) if acc.latest is not None else None
    if segment is not None and segment.attr("work_route") is False:
        return PARTICIPATION
    return REINTEGRATION


def build_worklist(
    session: Session,
    user: User,
    *,
    today: date,
    thresholds: Thresholds,
    limit: int = 500,
    stale_profile_days: int | None = None,
    candidate_id: int | None = None,
    with_decided: bool = False,
) -> list[WorklistItem]:
    """Candidates of the user's caseload in service today that have at least one open
    signal, the most urgent first (priority, then due date).

    Klantmanagers get their own candidates; a teamleider gets the whole team (``candidate_id``
    narrows it to one). Besides the domain rules, a referred candidate whose work profile is
    older than ``stale_profile_days`` (default: the matching setting ``stale_after_days``) is
    signalled. A signal marked handled for its current cause, or snoozed until after today,
    is not open (``with_decided`` keeps candidates whose signals are all decided).
    """
    conditions = [candidate_scope(user), in_service_on(today)]
    if user.role == "KLANTMANAGER":
        conditions.append(Candidate.klantmanager_id == user.id)
    if candidate_id is not None:
        conditions.append(Candidate.id == candidate_id)
    people = session.execute(
        select(
            Candidate.id,
            Candidate.first_name,
            Candidate.last_name,
            Candidate.registered_on,
            Candidate.klantmanager_id,
        )
        .where(*conditions)
        .order_by(Candidate.last_name, Candidate.first_name, Candidate.id)
    ).all()
    acc = _gather(session, select(Candidate.id).where(*conditions), today)
    if stale_profile_days is None and any(a.has_referred_profile for a in acc.values()):
        stale_profile_days = load_settings(session).stale_after_days
    decisions = _decisions(session, select(Candidate.id).where(*conditions))
    items: list[WorklistItem] = []
    for cid, first, last, registered, km_id in people:
        a = acc[cid]
        facts = _facts(cid, registered, a)
        found = signals(facts, today, thresholds)
        stale = (
            stale_profile_signal(a.profile_confirmed, today, stale_profile_days)
            if a.has_referred_profile and stale_profile_days is not None
            else None
        )
        if stale is not None:
            found.append(stale)
        open_, decided = _split(found, decisions.get(cid, {}), today)
        if open_ or (with_decided and decided):
            open_.sort(key=lambda sig: sig.urgency(today))
            items.append(WorklistItem(cid, f"{first} {last}", open_, km_id, decided))
    items.sort(key=lambda item: item.urgency(today) if item.signals else (9, today))
    return items[:limit]


def _decisions(session: Session, ids_query: Select[Any]) -> dict[int, dict[str, SignalDecision]]:
    found: dict[int, dict[str, SignalDecision]] = defaultdict(dict)
    for row in session.scalars(
        select(SignalDecision).where(SignalDecision.candidate_id.in_(ids_query))
    ):
        found[row.candidate_id][row.code] = row
    return found


def is_decided(signal: Signal, decision: SignalDecision | None, today: date) -> bool:
    """Handled or snoozed for this very cause (a changed cause reopens the signal)."""
    if decision is None or decision.fingerprint != signal.fingerprint:
        return False
    if decision.action == HANDLED:
        return True
    return decision.snoozed_until is not None and decision.snoozed_until > today


def _split(
    found: list[Signal], decisions: dict[str, SignalDecision], today: date
) -> tuple[list[Signal], list[Signal]]:
    open_ = [s for s in found if not is_decided(s, decisions.get(s.code), today)]
    return open_, [s for s in found if s not in open_]


def _gather(session: Session, ids_query: Select[Any], today: date) -> dict[int, _Acc]:
    """Everything the rules need about the candidates of ``ids_query``, one query per kind."""
    acc: dict[int, _Acc] = defaultdict(_Acc)
    for cid, day in session.execute(
        select(Contact.candidate_id, Contact.contact_date).where(
            Contact.candidate_id.in_(ids_query)
        )
    ):
        acc[cid].contacts.append(day)
    for cid, start, rtype in session.execute(
        select(Route.candidate_id, Route.start_date, Route.route_type).where(
            Route.candidate_id.in_(ids_query), Route.end_date.is_(None)
        )
    ):
        a = acc[cid]
        if a.open_route_start is None or start < a.open_route_start:
            a.open_route_start, a.open_route_type = start, rtype
    for cid, start, end in session.execute(
        select(Route.candidate_id, Provision.start_date, Provision.end_date)
        .join(Route, Route.id == Provision.route_id)
        .where(Route.candidate_id.in_(ids_query), Route.end_date.is_(None))
    ):
        acc[cid].provisions.append((start, end))
    # Active referrals with the candidate's work profile (if any), in one query: an OPEN one
    # may wait too long, any active one makes a stale work profile a signal.
    for cid, day, state, profile_id, confirmed in session.execute(
        select(
            Referral.candidate_id,
            Referral.referred_on,
            Referral.state,
            WorkProfile.id,
            WorkProfile.last_confirmed_on,
        )
        .outerjoin(WorkProfile, WorkProfile.candidate_id == Referral.candidate_id)
        .where(Referral.candidate_id.in_(ids_query), Referral.state.in_(ACTIVE_REFERRAL_STATES))
    ):
        if state == "OPEN":
            acc[cid].referrals.append(day)
        if profile_id is not None:
            acc[cid].has_referred_profile = True
            acc[cid].profile_confirmed = confirmed
    for cid, end, review in session.execute(
        select(Exemption.candidate_id, Exemption.end_date, Exemption.review_date).where(
            Exemption.candidate_id.in_(ids_query),
            or_(Exemption.end_date.is_(None), Exemption.end_date >= today),
        )
    ):
        acc[cid].exemption_reviews.append(review or end)
    for row in session.execute(
        select(
            Assessment.candidate_id,
            Assessment.assessed_on,
            Assessment.id,
            Assessment.segment,
            Assessment.ladder_step,
            Assessment.review_date,
        ).where(Assessment.candidate_id.in_(ids_query))
    ):
        a = acc[row.candidate_id]
        if a.latest is None or (row.assessed_on, row.id) > (a.latest.assessed_on, a.latest.id):
            a.latest = row
    for cid, due in session.execute(
        select(Placement.candidate_id, FollowUp.due_date)
        .join(Placement, Placement.id == FollowUp.placement_id)
        .where(Placement.candidate_id.in_(ids_query), FollowUp.done_on.is_(None))
    ):
        acc[cid].follow_ups.append(due)
    for cid, start in session.execute(
        select(BenefitSpell.candidate_id, BenefitSpell.start_date).where(
            BenefitSpell.candidate_id.in_(ids_query),
            BenefitSpell.start_date <= today,
            or_(BenefitSpell.end_date.is_(None), BenefitSpell.end_date > today),
        )
    ):
        a = acc[cid]
        if a.benefit_start is None or start < a.benefit_start:
            a.benefit_start = start
    for cid, day, status in session.execute(
        select(Appointment.candidate_id, Appointment.day, OutboxMessage.status)
        .outerjoin(
            OutboxMessage,
            (OutboxMessage.appointment_id == Appointment.id) & (OutboxMessage.kind == INVITATION),
        )
        .where(Appointment.candidate_id.in_(ids_query), Appointment.state == NO_SHOW)
    ):
        acc[cid].no_shows.append(day)
        acc[cid].no_show_invitations.append((day, status))

    return acc


def _facts(cid: int, registered: date, a: _Acc) -> CandidateFacts:
    """The domain rules' view of one candidate."""
    latest = a.latest
    return CandidateFacts(
        candidate_id=cid,
        registered_on=registered,
        track=_track(a),
        contact_dates=tuple(a.contacts),
        has_open_route=a.open_route_start is not None,
        open_route_start=a.open_route_start,
        provisions=tuple(a.provisions),
        open_referral_dates=tuple(a.referrals),
        exemption_reviews=tuple(d for d in a.exemption_reviews if d is not None),
        classification_review=latest.review_date if latest is not None else None,
        has_classification=latest is not None
        and (latest.segment is not None or latest.ladder_step is not None),
        last_assessment=latest.assessed_on if latest is not None else None,
        follow_up_dues=tuple(a.follow_ups),
        benefit_start=a.benefit_start,
        no_show_dates=tuple(a.no_shows),
        no_show_invitations=tuple(a.no_show_invitations),
    )


# --- working the list off -----------------------------------------------------------------

HANDLED, SNOOZED = "HANDLED", "SNOOZED"
MAX_REASON = 500
MAX_SNOOZE_DAYS = 366


def decide_signal(
    session: Session,
    user: User,
    candidate_id: int,
    data: Mapping[str, Any],
    *,
    today: date,
    thresholds: Thresholds,
) -> SignalDecision:
    """Mark one of the candidate's current signals handled (with a short reason) or snoozed
    until a date after today. The signal is looked up again here, so the stored fingerprint is
    that of its cause today, never one sent by the browser."""
    f = Fields(data)
    code = str(data.get("code") or "")
    action = str(data.get("action") or "")
    reason = f.text("reason", "Reden", required=action == HANDLED, max_length=MAX_REASON)
    until = f.date("snoozed_until", "Wegzetten tot", required=action == SNOOZED)
    if action not in (HANDLED, SNOOZED):
        f.fail("action", "Kies afgehandeld of wegzetten.")
    if action == SNOOZED and until is not None:
        if until <= today:
            f.fail("snoozed_until", "Kies een datum na vandaag.")
        elif (until - today).days > MAX_SNOOZE_DAYS:
            f.fail("snoozed_until", "Wegzetten kan tot ten hoogste een jaar vooruit.")
    items = build_worklist(
        session,
        user,
        today=today,
        thresholds=thresholds,
        candidate_id=candidate_id,
        with_decided=True,
    )
    current = [s for i in items for s in (*i.signals, *i.decided) if s.code == code]
    if not current:
        f.fail("code", "Dit signaal staat niet (meer) op de werklijst.")
    f.raise_if_invalid()
    row = session.scalar(
        select(SignalDecision).where(
            SignalDecision.candidate_id == candidate_id, SignalDecision.code == code
        )
    )
    if row is None:
        row = SignalDecision(candidate_id=candidate_id, code=code)
        session.add(row)
    row.fingerprint = current[0].fingerprint
    row.action = action
    row.reason = reason
    row.snoozed_until = until if action == SNOOZED else None
    row.user_id = user.id
    row.at = utc_now()
    session.flush()
    record_change(session, user, "UPDATE", "candidate", candidate_id, purpose=f"Signaal {code}")
    return row


@dataclass(frozen=True)
class KlantmanagerCount:
    klantmanager_id: int | None
    name: str
    candidates: int
    signals: int
    high: int
    overdue: int


def team_counts(
    session: Session, items: list[WorklistItem], today: date
) -> list[KlantmanagerCount]:
    """The team worklist per klantmanager: candidates with open signals, signals, of which
    high priority and overdue (due before today); busiest first."""
    ids = {i.klantmanager_id for i in items if i.klantmanager_id is not None}
    names = dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())
    per: dict[int | None, list[WorklistItem]] = defaultdict(list)
    for item in items:
        if item.signals:
            per[item.klantmanager_id].append(item)
    rows = [
        KlantmanagerCount(
            km,
            str(names.get(km, "nog niet toegewezen")) if km is not None else "nog niet toegewezen",
            len(group),
            sum(len(i.signals) for i in group),
            sum(1 for i in group for s in i.signals if s.priority == HIGH_PRIORITY),
            sum(1 for i in group for s in i.signals if s.due is not None and s.due < today),
        )
        for km, group in per.items()
    ]
    return sorted(rows, key=lambda r: (-r.high, -r.signals, r.name))


def signal_counts(items: list[WorklistItem]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        for s in item.signals:
            counts[s.label] += 1
    return dict(counts)
