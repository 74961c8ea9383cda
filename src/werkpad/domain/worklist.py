"""Worklist signals: what a klantmanager should act on, as pure functions of dated facts.

Each rule looks at one candidate's ``CandidateFacts`` on a given day with configurable
``Thresholds`` and yields at most one ``Signal``. ``signals`` runs all rules. Nothing here
touches the database; ``werkpad.services.worklist`` gathers the facts in a fixed number of
queries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from werkpad.domain.appointments import repeated_no_shows
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.follow_up import add_months
from werkpad.domain.messages import delivery_label

REINTEGRATION = "REINTEGRATION"
PARTICIPATION = "PARTICIPATION"


@dataclass(frozen=True)
class Thresholds:
    """The organisation's norms; every field can be changed by the beheerder."""

    contacts_per_year_reintegration: int = 3
    contacts_per_year_participation: int = 1
    weeks_without_contact: int = 13
    weeks_between_provisions: int = 8
    days_referral_not_picked_up: int = 14
    days_review_ahead: int = 14
    days_follow_up_ahead: int = 14
    months_on_benefit_without_reexamination: int = 24
    months_in_reintegration_without_work_exit: int = 24
    no_shows_for_signal: int = 2
    days_no_show_window: int = 180


THRESHOLD_LABELS: dict[str, str] = {
    "contacts_per_year_reintegration": "Minimaal aantal contacten per jaar (re-integratie)",
    "contacts_per_year_participation": "Minimaal aantal contacten per jaar (participatie)",
    "weeks_without_contact": "Signaal na zoveel weken zonder contact",
    "weeks_between_provisions": "Signaal na zoveel weken wachten tussen voorzieningen",
    "days_referral_not_picked_up": "Signaal als een aanmelding zoveel dagen niet is opgepakt",
    "days_review_ahead": "Herbeoordeling ontheffing/classificatie: zoveel dagen vooruit melden",
    "days_follow_up_ahead": "Nazorgmoment: zoveel dagen vooruit melden",
    "months_on_benefit_without_reexamination": "Maanden in de uitkering zonder herbeoordeling",
    "months_in_reintegration_without_work_exit": "Maanden in re-integratie zonder uitstroom",
    "no_shows_for_signal": "Signaal na zoveel keer niet verschenen zonder bericht (0: nooit)",
    "days_no_show_window": "Niet verschenen: tel de afspraken van zoveel dagen terug",
}
THRESHOLD_LIMITS = (0, 3650)


def thresholds_from_mapping(data: Mapping[str, Any], base: Thresholds | None = None) -> Thresholds:
    """Thresholds from submitted values (missing ones keep ``base``); Dutch errors if invalid."""
    base = base or Thresholds()
    errors: list[FieldError] = []
    changes: dict[str, int] = {}
    low, high = THRESHOLD_LIMITS
    for f in fields(Thresholds):
        raw = data.get(f.name)
        if raw is None or str(raw).strip() == "":
            continue
        text = str(raw).strip()
        if not text.isdigit() or not low <= int(text) <= high:
            errors.append(
                FieldError(
                    f.name, f"{THRESHOLD_LABELS[f.name]}: een geheel getal van {low} tot {high}."
                )
            )
            continue
        changes[f.name] = int(text)
    if errors:
        raise ValidationFailed(errors)
    return replace(base, **changes)


@dataclass(frozen=True)
class CandidateFacts:
    """What the rules need to know about one candidate (dates only, no personal details)."""

    candidate_id: int
    registered_on: date
    track: str = REINTEGRATION
    contact_dates: tuple[date, ...] = ()
    has_open_route: bool = False
    open_route_start: date | None = None
    provisions: tuple[tuple[date, date | None], ...] = ()  # of open routes: (start, end)
    open_referral_dates: tuple[date, ...] = ()  # referred_on of referrals still OPEN
    exemption_reviews: tuple[date, ...] = ()  # review (or end) dates of running exemptions
    classification_review: date | None = None
    has_classification: bool = False
    last_assessment: date | None = None
    follow_up_dues: tuple[date, ...] = ()  # due dates of follow-ups not yet done
    benefit_start: date | None = None  # start of the running benefit spell
    no_show_dates: tuple[date, ...] = ()  # appointments not attended without notice
    # Per such appointment: its day and the delivery status of its invitation (None: none).
    no_show_invitations: tuple[tuple[date, str | None], ...] = ()


HIGH, NORMAL, LOW = 1, 2, 3
PRIORITY_LABELS = {HIGH: "Hoog", NORMAL: "Normaal", LOW: "Laag"}


@dataclass(frozen=True)
class Signal:
    """One reason to act on a candidate. ``cause`` names what the signal is about (the date of
    the last contact, the referral...), not how long ago: a signal marked handled comes back
    only when its cause changes (``fingerprint``). ``due`` is when it should be acted on."""

    code: str
    label: str
    detail: str
    priority: int = NORMAL
    due: date | None = None
    cause: str = ""

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.code}|{self.cause}".encode()).hexdigest()[:32]

    def urgency(self, today: date) -> tuple[int, date]:
        """Sort key: priority first, then the earliest due date (none: today)."""
        return (self.priority, self.due or today)


Rule = Callable[[CandidateFacts, date, Thresholds], Signal | None]


def _nl(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def contact_frequency(facts: CandidateFacts, today: date, t: Thresholds) -> Signal | None:
    """Fewer contacts in the past year than the track's norm (pro rata when known < 1 year)."""
    norm = (
        t.contacts_per_year_participation
        if facts.track == PARTICIPATION
        else t.contacts_per_year_reintegration
    )
    known_days = min(365, (today - facts.registered_on).days)
    if norm <= 0 or known_days < 0:
        return None
    required = norm * known_days // 365
    year_ago = today - timedelta(days=365)
    count = sum(1 for d in facts.contact_dates if year_ago < d <= today)
    if count >= required:
        return None
    track = "participatie" if facts.track == PARTICIPATION else "re-integratie"
    return Signal(
        "CONTACT_FREQUENCY",
        "Te weinig contact",
        f"{count} contact(en) in het afgelopen jaar; de norm voor {track} is {norm} per jaar.",
        due=today,
        cause=f"{track}:{count}",
    )


def no_recent_contact(facts: CandidateFacts, today: date, t: Thresholds) -> Signal | None:
    past = [d for d in facts.contact_dates if d <= today]
    since = max(past) if past else facts.registered_on
    weeks = (today - since).days // 7
    if weeks < t.weeks_without_contact:
        return None
    what = f"laatste contact {_nl(since)}" if past else "nog geen contact vastgelegd"
    return Signal(
        "NO_CONTACT",
        "Lang geen contact",
        f"{weeks} weken; {what}.",
        priority=HIGH if weeks >= 2 * t.weeks_without_contact else NORMAL,
        due=since + timedelta(weeks=t.weeks_without_contact),
        cause=since.isoformat(),
    )


def waiting_between_provisions(facts: CandidateFacts, today: date, t: Thresholds) -> Signal | None:
    """An open route with no provision running, for longer than the norm."""
    if not facts.has_open_route or facts.open_route_start is None:
        return None
    running = any(s <= today and (e is None or e >= today) for s, e in facts.provisions)
    if running:
        return None
    ended = [e for s, e in facts.provisions if e is not None and e < today]
    since = max([facts.open_route_start, *ended])
    weeks = (today - since).days // 7
    if weeks < t.weeks_between_provisions:
        return None
    return Signal(
        "WAITING",
        "Wacht op een voorziening",
        f"{weeks} weken zonder lopende voorziening (sinds {_nl(since)}).",
        due=since + timedelta(weeks=t.weeks_between_provisions),
        cause=since.isoformat(),
    )


def referral_not_picked_up(facts: CandidateFacts, today: date, t: Thresholds) -> Signal | None:
    late = [
        d for d in facts.open_referral_dates if (today - d).days > t.days_referral_not_picked_up
    ]
    if not late:
        return None
    first = min(late)
    return Signal(
        "REFERRAL_WAITING",
        "Aanmelding niet opgepakt",
        f"Aangemeld bij matching op {_nl(first)}, {(today - first).days} dagen geleden.",
        priority=HIGH,
        due=first + timedelta(days=t.days_referral_not_picked_up),
        cause=first.isoformat(),
    )


def exemption_review_due(facts: CandidateFacts, today: date, t: Thresholds) -> Signal | None:
    horizon = today + timedelta(days=t.days_review_ahead)
    due = [d for d in facts.exemption_reviews if d <= horizon]
    if not due:
        return None
    return Signal(
        "EXEMPTION_REVIEW",
        "Herbeoordeling ontheffing",
        f"Herbeoordeling op {_nl(min(due))}.",
        due=min(due),
        cause=min(due).isoformat(),
    )


def classification_review_due(facts: CandidateFacts, today: date, t: Thresholds) -> Signal | None:
    review = facts.classification_review
    if review is None or review > today + timedelta(days=t.days_review_ahead):
        return None
    return Signal(
        "CLASSIFICATION_REVIEW",
        "Herbeoordeling classificatie",
        f"Gepland op {_nl(review)}.",
        due=review,
        cause=review.isoformat(),
    )


def follow_up_due(facts: CandidateFacts, today: date, t: Thresholds) -> Signal | None:
    horizon = today + timedelta(days=t.days_follow_up_ahead)
    due = [d for d in facts.follow_up_dues if d <= horizon]
    if not due:
        return None
    return Signal(
        "FOLLOW_UP",
        "Nazorg na uitstroom",
        f"Nazorgmoment op {_nl(min(due))}.",
        due=min(due),
        cause=min(due).isoformat(),
    )


def classification_missing(facts: CandidateFacts, today: date, t: Thresholds) -> Signal | None:
    if facts.has_classification:
        return None
    return Signal(
        "NO_CLASSIFICATION",
        "Geen classificatie",
        "Nog geen diagnose vastgelegd.",
        due=facts.registered_on + timedelta(weeks=4),
        cause="none",
    )


def long_on_benefit(facts: CandidateFacts, today: date, t: Thresholds) -> Signal | None:
    """On benefit for the norm's months without a re-examination in that period."""
    months = t.months_on_benefit_without_reexamination
    if facts.benefit_start is None or months <= 0:
        return None
    cutoff = add_months(today, -months)
    if facts.benefit_start > cutoff:
        return None
    if facts.last_assessment is not None and facts.last_assessment > cutoff:
        return None
    return Signal(
        "BENEFIT_NO_REEXAMINATION",
        "Lang in de uitkering zonder herbeoordeling",
        f"In de uitkering sinds {_nl(facts.benefit_start)}; laatste diagnose "
        f"{_nl(facts.last_assessment) if facts.last_assessment else 'nooit'}.",
        priority=LOW,
        due=add_months(
            max(facts.benefit_start, facts.last_assessment or facts.benefit_start), months
        ),
        cause=f"{facts.benefit_start.isoformat()}:{facts.last_assessment}",
    )


def long_in_reintegration(facts: CandidateFacts, today: date, t: Thresholds) -> Signal | None:
    months = t.months_in_reintegration_without_work_exit
    start = facts.open_route_start
    if not facts.has_open_route or start is None or months <= 0:
        return None
    if start > add_months(today, -months):
        return None
    return Signal(
        "LONG_ROUTE",
        "Lang in re-integratie zonder uitstroom",
        f"Route loopt sinds {_nl(start)} zonder uitstroom naar werk.",
        priority=LOW,
        due=add_months(start, months),
        cause=start.isoformat(),
    )


def repeated_no_show(facts: CandidateFacts, today: date, t: Thresholds) -> Signal | None:
    """Not attended without notice at least the norm's number of times within the window:
    the klantmanager considers a maatregel (werkpad records; the klantmanager decides)."""
    if t.no_shows_for_signal <= 0:
        return None
    missed = repeated_no_shows(facts.no_show_dates, today, t.days_no_show_window)
    if len(missed) < t.no_shows_for_signal:
        return None
    window = set(missed)
    delivered = "; ".join(
        f"{_nl(day)}: {delivery_label(status)}"
        for day, status in sorted(facts.no_show_invitations, key=lambda x: (x[0], x[1] or ""))
        if day in window
    )
    invitations = f" Uitnodiging {delivered}." if delivered else ""
    return Signal(
        "REPEATED_NO_SHOW",
        "Herhaald niet verschenen",
        f"{len(missed)} keer niet verschenen zonder bericht (laatste {_nl(missed[-1])}); "
        f"overweeg een maatregel.{invitations}",
        priority=HIGH,
        due=missed[-1] + timedelta(days=7),
        cause=f"{len(missed)}:{missed[-1].isoformat()}",  # another no-show: a new cause
    )


def stale_profile_signal(confirmed: date | None, today: date, days: int) -> Signal | None:
    """A referred candidate's work profile not confirmed for more than ``days`` days: matching
    on it shows outdated wishes. Not in ``RULES``: its norm is the matching setting
    ``stale_after_days``, not a worklist threshold, so the service applies it beside them."""
    if confirmed is not None and (today - confirmed).days <= days:
        return None
    when = _nl(confirmed) if confirmed else "nooit"
    return Signal(
        "STALE_WORK_PROFILE",
        "Werkprofiel verouderd",
        f"Laatst bevestigd: {when} (norm {days} dagen); bevestig het met de kandidaat.",
        due=confirmed + timedelta(days=days) if confirmed else today,
        cause=str(confirmed),
    )


RULES: tuple[Rule, ...] = (
    classification_missing,
    contact_frequency,
    no_recent_contact,
    waiting_between_provisions,
    referral_not_picked_up,
    exemption_review_due,
    classification_review_due,
    follow_up_due,
    long_on_benefit,
    long_in_reintegration,
    repeated_no_show,
)


def signals(facts: CandidateFacts, today: date, thresholds: Thresholds) -> list[Signal]:
    """Every signal that applies to the candidate today, in the order of ``RULES``."""
    found = (rule(facts, today, thresholds) for rule in RULES)
    return [s for s in found if s is not None]
