"""The summary at the top of a candidate file: the facts a klantmanager reads at a glance.

Built from the already loaded file (no extra queries): trede and segment of the latest
assessment, how long the running benefit has lasted, the klantmanager, the open route, the
worklist signals that are open today (the same domain rules as the caseload's worklist) and
the next dated moment in the file (a follow-up, an exemption or classification review).
Werkpad has no appointment book yet, so the "next appointment" is the next of those moments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from werkpad.domain.codelists import code_list
from werkpad.domain.worklist import (
    PARTICIPATION,
    REINTEGRATION,
    CandidateFacts,
    Signal,
    Thresholds,
    signals,
)
from werkpad.services.candidate_file import CandidateFile
from werkpad.store.models import Assessment, Route

PARTICIPATION_ROUTES = frozenset({"ACTIVATION"})


@dataclass(frozen=True)
class NextMoment:
    day: date
    what: str


@dataclass(frozen=True)
class CandidateSummary:
    latest: Assessment | None
    benefit_start: date | None
    benefit_months: int | None
    open_route: Route | None
    signals: list[Signal]
    next_moment: NextMoment | None
    changes: list[tuple[date, str]]


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 within the first month)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def _track(latest: Assessment | None, open_route: Route | None) -> str:
    if open_route is not None and open_route.route_type in PARTICIPATION_ROUTES:
        return PARTICIPATION
    segment = code_list("segment").get(latest.segment) if latest and latest.segment else None
    if segment is not None and segment.attr("work_route") is False:
        return PARTICIPATION
    return REINTEGRATION


def summarise_candidate(
    file: CandidateFile,
    *,
    today: date,
    thresholds: Thresholds,
    referrals: list[Any],
    follow_ups: list[Any],
) -> CandidateSummary:
    """The summary of ``file`` on ``today`` (signals by the caseload's ``thresholds``)."""
    c = file.candidate
    latest = c.assessments[-1] if c.assessments else None
    open_routes = sorted((r for r in c.routes if r.end_date is None), key=lambda r: r.start_date)
    open_route = open_routes[0] if open_routes else None
    running = [
        s.start_date
        for s in c.benefit_spells
        if s.start_date <= today and (s.end_date is None or s.end_date > today)
    ]
    benefit_start = min(running) if running else None
    running_exemptions = [e for e in file.exemptions if e.end_date is None or e.end_date >= today]
    open_follow_ups = [u for u in follow_ups if u.done_on is None]
    facts = CandidateFacts(
        candidate_id=c.id,
        registered_on=c.registered_on,
        track=_track(latest, open_route),
        contact_dates=tuple(x.contact_date for x in file.contacts),
        has_open_route=open_route is not None,
        open_route_start=open_route.start_date if open_route else None,
        provisions=tuple((p.start_date, p.end_date) for r in open_routes for p in r.provisions),
        open_referral_dates=tuple(r.referred_on for r in referrals if r.state == "OPEN"),
        exemption_reviews=tuple(
            d for e in running_exemptions if (d := e.review_date or e.end_date) is not None
        ),
        classification_review=latest.review_date if latest else None,
        has_classification=latest is not None
        and (latest.segment is not None or latest.ladder_step is not None),
        last_assessment=latest.assessed_on if latest else None,
        follow_up_dues=tuple(u.due_date for u in open_follow_ups),
        benefit_start=benefit_start,
    )
    moments = [NextMoment(u.due_date, f"nazorg na {u.months} maanden") for u in open_follow_ups]
    moments += [
        NextMoment(e.review_date, "herbeoordeling ontheffing")
        for e in running_exemptions
        if e.review_date is not None
    ]
    if latest is not None and latest.review_date is not None:
        moments.append(NextMoment(latest.review_date, "herbeoordeling diagnose"))
    changes = _changes(file, referrals)
    upcoming = sorted((m for m in moments if m.day >= today), key=lambda m: m.day)
    return CandidateSummary(
        latest=latest,
        benefit_start=benefit_start,
        benefit_months=months_between(benefit_start, today) if benefit_start else None,
        open_route=open_route,
        signals=signals(facts, today, thresholds),
        next_moment=upcoming[0] if upcoming else None,
        changes=changes,
    )


MAX_CHANGES = 60


def _changes(file: CandidateFile, referrals: list[Any]) -> list[tuple[date, str]]:
    """What was recorded in the file, newest first, in words (at most ``MAX_CHANGES``)."""
    c = file.candidate
    label = code_list
    found: list[tuple[date, str]] = [(c.registered_on, "ingeschreven")]
    for s in c.benefit_spells:
        found.append(
            (s.start_date, f"uitkering gestart ({label('benefit_type').label(s.benefit_type)})")
        )
        if s.end_date is not None:
            found.append((s.end_date, "uitkering beëindigd"))
    for a in c.assessments:
        found.append((a.assessed_on, "diagnose vastgelegd"))
    for e in file.exemptions:
        found.append(
            (e.start_date, f"ontheffing: {label('exemption_type').label(e.exemption_type)}")
        )
    for r in c.routes:
        route = label("route_type").label(r.route_type)
        found.append((r.start_date, f"route gestart: {route}"))
        for p in r.provisions:
            found.append((p.start_date, f"voorziening gestart: {p.provision_type.name}"))
        if r.end_date is not None:
            reason = label("route_end_reason").label(r.end_reason) if r.end_reason else "–"
            found.append((r.end_date, f"route beëindigd: {reason}"))
    for x in file.contacts:
        found.append((x.contact_date, f"contact: {label('contact_type').label(x.contact_type)}"))
    for ref in referrals:
        found.append((ref.referred_on, "aangemeld bij matching"))
    for pl in file.placements:
        found.append(
            (pl.start_date, "geplaatst" + (f" bij {pl.employer.name}" if pl.employer else ""))
        )
    found.sort(key=lambda item: item[0], reverse=True)
    return found[:MAX_CHANGES]
