"""Corrections of a candidate's file with history: correct a record, delete one entered in
error, undo a mistaken exit.

Every correction needs a reason and keeps the old and new values, who and when in the
``correction`` table; the audit entry points at the correction (object type ``correction``), so
retention can later anonymise the values without breaking the audit log. Personal data and
benefit spells that came from the income administration by import (``source_id`` set) stay
read-only on screen. Bad input raises ``ValidationFailed`` (Dutch, at the field) and writes
nothing; callers commit, so every correction is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from werkpad.domain.bsn import is_valid_bsn
from werkpad.domain.codelists import code_list
from werkpad.domain.follow_up import follow_up_due_dates
from werkpad.domain.lifecycle import ENDED_PROVISION_STATES, USED_PROVISION_STATES
from werkpad.domain.normalise import age_on, normalise_postcode, pad_bsn
from werkpad.services.audit import record_change, utc_now
from werkpad.services.candidates import _EMAIL, MAX_AGE, MIN_AGE
from werkpad.services.casework import check_exemption_dates
from werkpad.services.dossiers import close_dossier_when_ended, is_benefit, open_dossier
from werkpad.services.fields import Fields
from werkpad.services.plans import EXIT_STEP, results_ending_as
from werkpad.services.transitions import log_transition
from werkpad.store.models import (
    Assessment,
    BenefitDossier,
    BenefitSpell,
    Candidate,
    Contact,
    Correction,
    CostLine,
    DossierMember,
    Employer,
    Exemption,
    FollowUp,
    Placement,
    PlacementInstrument,
    Plan,
    Provider,
    Provision,
    Referral,
    Route,
    Setting,
    StateTransition,
    User,
)

# Who may correct a record: the roles that may create it (every record of the file is created
# by the klantmanager or the teamleider of the candidate's team; a placement found through
# matching is recorded by the accountmanager, but corrected on the file by the case workers,
# who own the exit it belongs to; see docs/security.md).
CORRECTION_ROLES = ("KLANTMANAGER", "TEAMLEIDER")
SETTING_KEY = "corrections"
DEFAULT_EXIT_UNDO_DAYS = 30
MAX_REASON = 2000
IMPORTED_READ_ONLY = (
    "Dit gegeven komt uit de uitkeringsadministratie (import) en kan hier niet worden gewijzigd."
)
# What happens to the placement and its follow-ups when an exit to a job is undone.
FOLLOW_UP_CHOICES = {
    "verwijderen": "Plaatsing en nazorgmomenten vervallen",
    "behouden": "Plaatsing en nazorgmomenten blijven staan",
}


@dataclass(frozen=True)
class Spec:
    """One correctable field: label, kind (text, date, code, int, amount, flag, optional_flag,
    bsn, postcode, email, or ``ref``: the id of a row of ``REFERENCES``), the code list or
    bounds, and the column when it differs from the name."""

    label: str
    kind: str = "text"
    required: bool = False
    codes: str | None = None
    low: int | None = None
    high: int | None = None
    max_length: int = 4000
    column: str | None = None


@dataclass(frozen=True)
class Kind:
    """A correctable record type of the file."""

    label: str
    model: type[Any]
    fields: dict[str, Spec]
    imported_read_only: bool = False
    deletable: bool = False
    delete_hint: str = ""
    extra_rules: Callable[..., None] | None = field(default=None, compare=False)


def _value(session: Session, spec: Spec, f: Fields, name: str) -> Any:
    if spec.kind == "date":
        return f.date(name, spec.label, required=spec.required)
    if spec.kind == "code":
        assert spec.codes is not None
        return f.code(name, spec.label, spec.codes, required=spec.required)
    if spec.kind == "int":
        return f.integer(
            name, spec.label, required=spec.required, minimum=spec.low, maximum=spec.high
        )
    if spec.kind == "amount":
        return f.amount(name, spec.label, required=spec.required)
    if spec.kind == "ref":
        assert spec.codes is not None
        found = f.identifier(name, spec.label, required=spec.required)
        if found is not None and session.get(REFERENCES[spec.codes], found) is None:
            f.fail(name, f"{spec.label}: onbekend.")
        return found
    if spec.kind == "flag":
        return f.flag(name)
    if spec.kind == "optional_flag":
        return f.optional_flag(name, spec.label)
    text = f.text(name, spec.label, required=spec.required, max_length=spec.max_length)
    if text is None:
        return None
    if spec.kind == "bsn":
        text = pad_bsn(text)
        if not is_valid_bsn(text):
            f.fail(name, "BSN is ongeldig: het moet 9 cijfers hebben en voldoen aan de elfproef.")
    elif spec.kind == "postcode":
        try:
            text = normalise_postcode(text)
        except ValueError:
            f.fail(name, "Postcode moet de vorm 1234 AB hebben.")
    elif spec.kind == "email" and not _EMAIL.fullmatch(text):
        f.fail(name, "E-mailadres is ongeldig.")
    return text


# --- record-specific rules (after the fields are read; ``new`` holds the resulting values) ---


def _person_rules(
    session: Session, f: Fields, obj: Candidate, new: dict[str, Any], today: date
) -> None:
    birth = new["birth_date"]
    if birth is not None and not f.has_error("birth_date"):
        if birth > today:
            f.fail("birth_date", "Geboortedatum ligt in de toekomst.")
        elif not MIN_AGE <= age_on(birth, today) <= MAX_AGE:
            f.fail(
                "birth_date",
                f"Geboortedatum is niet aannemelijk: de leeftijd moet tussen "
                f"{MIN_AGE} en {MAX_AGE} jaar liggen.",
            )
    if new["bsn"] != obj.bsn and not f.has_error("bsn"):
        taken = session.scalar(select(Candidate.id).where(Candidate.bsn == new["bsn"]))
        if taken is not None:
            f.fail("bsn", "Er is al een kandidaat met dit BSN.")


def _spell_rules(
    session: Session, f: Fields, obj: BenefitSpell, new: dict[str, Any], today: date
) -> None:
    start, end = new["start_date"], new["end_date"]
    if start is not None and end is not None and end < start:
        f.fail("end_date", "Einddatum ligt vóór de startdatum.")
    if end is not None and end > today:
        f.fail("end_date", "Einddatum ligt in de toekomst.")
    if (
        start is not None
        and new["application_date"] is not None
        and new["application_date"] > start
    ):
        f.fail("application_date", "Aanvraagdatum ligt na de startdatum van de uitkering.")
    if (end is None) != (new["end_reason"] is None):
        f.fail("end_reason", "Een einddatum en een reden einde horen bij elkaar.")
    if new["benefit_type"] and is_benefit(new["benefit_type"]) != is_benefit(obj.benefit_type):
        f.fail(
            "benefit_type",
            "Van of naar NUO wijzigen kan niet als correctie: beëindig de "
            "periode en start een nieuwe.",
        )


def _not_future(name: str, label: str) -> Callable[..., None]:
    def rule(session: Session, f: Fields, obj: Any, new: dict[str, Any], today: date) -> None:
        if new[name] is not None and new[name] > today:
            f.fail(name, f"{label} ligt in de toekomst.")

    return rule


def _route_rules(session: Session, f: Fields, obj: Route, new: dict[str, Any], today: date) -> None:
    start, end = new["start_date"], new["end_date"]
    if obj.end_date is None and (end is not None or new["end_reason"] is not None):
        f.fail("end_date", "Een lopende route beëindigt u met 'Route beëindigen'.")
        return
    if obj.end_date is not None and (end is None or new["end_reason"] is None):
        f.fail("end_date", "Een uitstroom maakt u ongedaan met 'Uitstroom ongedaan maken'.")
        return
    if start is not None and end is not None and end < start:
        f.fail("end_date", "Einddatum ligt vóór de start van de route.")
    if end is not None and end > today:
        f.fail("end_date", "Einddatum ligt in de toekomst.")
    if start is not None and any(p.start_date < start for p in obj.provisions):
        f.fail("start_date", "Er start een voorziening vóór deze startdatum.")
    # Provisions the exit closed without a result move with the exit date.
    fixed = [p for p in obj.provisions if not (p.end_date == obj.end_date and p.result is None)]
    if end is not None and (
        any((p.end_date or p.start_date) > end for p in fixed)
        or any(p.start_date > end for p in obj.provisions)
    ):
        f.fail("end_date", "Er loopt een voorziening tot na deze einddatum.")
    placed = session.scalar(select(Placement.id).where(Placement.route_id == obj.id))
    if placed is not None and new["end_reason"] != obj.end_reason:
        f.fail(
            "end_reason",
            "Bij deze uitstroom hoort een plaatsing: maak de uitstroom ongedaan "
            "in plaats van de reden te wijzigen.",
        )


def _follow_up_rules(
    session: Session, f: Fields, obj: FollowUp, new: dict[str, Any], today: date
) -> None:
    done = new["done_on"]
    if done is not None and done > today:
        f.fail("done_on", "Datum nazorgcontact ligt in de toekomst.")
    elif done is not None and done < obj.due_date:
        f.fail("done_on", f"Nazorg kan pas vanaf {obj.due_date:%d-%m-%Y} worden vastgelegd.")


def _provision_rules(
    session: Session, f: Fields, obj: Provision, new: dict[str, Any], today: date
) -> None:
    """Dates within the route, an end date and result only where the life cycle ended the
    provision (its state changes through the life cycle, never through a correction)."""
    route = session.get(Route, obj.route_id)
    assert route is not None
    start, end = new["start_date"], new["end_date"]
    planned_start, planned_end = new["planned_start"], new["planned_end"]
    if planned_start is not None and planned_end is not None and planned_end < planned_start:
        f.fail("planned_end", "Gepland einde ligt vóór de geplande start.")
    if start is not None:
        if start < route.start_date:
            f.fail(
                "start_date",
                f"Startdatum ligt vóór de start van de route ({route.start_date:%d-%m-%Y}).",
            )
        elif route.end_date is not None and start > route.end_date and obj.state != "CANCELLED":
            f.fail(
                "start_date",
                f"Startdatum ligt na de einddatum van de route ({route.end_date:%d-%m-%Y}).",
            )
        elif obj.state in USED_PROVISION_STATES and start > today:
            f.fail("start_date", "Een gestarte voorziening kan niet in de toekomst starten.")
    if obj.state in ENDED_PROVISION_STATES:
        if end is None and not f.has_error("end_date"):
            f.fail("end_date", "Een afgeronde of gestopte voorziening heeft een einddatum.")
        elif end is not None:
            if start is not None and end < start:
                f.fail("end_date", "Einddatum ligt vóór de startdatum.")
            elif end > today:
                f.fail("end_date", "Einddatum ligt in de toekomst.")
            elif route.end_date is not None and end > route.end_date:
                f.fail(
                    "end_date",
                    f"Einddatum ligt na de einddatum van de route ({route.end_date:%d-%m-%Y}).",
                )
        result = new["result"]
        if result is not None and result not in results_ending_as(obj.state):
            f.fail(
                "result",
                "Dit resultaat past niet bij een "
                + ("afgeronde" if obj.state == "COMPLETED" else "voortijdig gestopte")
                + " voorziening.",
            )
    else:
        if end is not None:
            f.fail(
                "end_date",
                "Deze voorziening is niet afgerond; een einddatum legt u vast met "
                "'Afronden met resultaat' of 'Voortijdig stoppen'.",
            )
        if new["result"] is not None:
            f.fail(
                "result", "Een resultaat hoort alleen bij een afgeronde of gestopte voorziening."
            )


def _exemption_rules(
    session: Session, f: Fields, obj: Exemption, new: dict[str, Any], today: date
) -> None:
    check_exemption_dates(
        f, new["exemption_type"], new["start_date"], new["end_date"], new["review_date"]
    )


def _placement_rules(
    session: Session, f: Fields, obj: Placement, new: dict[str, Any], today: date
) -> None:
    start, end = new["start_date"], new["end_date"]
    if start is not None and end is not None and end < start:
        f.fail("end_date", "Einddatum ligt vóór de startdatum van de baan.")
    elif end is not None and end > today:
        f.fail("end_date", "Einddatum ligt in de toekomst.")


def _referral_rules(
    session: Session, f: Fields, obj: Referral, new: dict[str, Any], today: date
) -> None:
    referred = new["referred_on"]
    if referred is None:
        return
    if referred > today:
        f.fail("referred_on", "Datum aanmelding ligt in de toekomst.")
    elif obj.picked_up_on is not None and referred > obj.picked_up_on:
        f.fail(
            "referred_on",
            f"Datum aanmelding ligt na het oppakken door matching ({obj.picked_up_on:%d-%m-%Y}).",
        )


KINDS: dict[str, Kind] = {
    "candidate": Kind(
        "Persoonsgegevens",
        Candidate,
        {
            "bsn": Spec("BSN", "bsn", required=True),
            "first_name": Spec("Voornaam", required=True, max_length=80),
            "last_name": Spec("Achternaam", required=True, max_length=120),
            "birth_date": Spec("Geboortedatum", "date", required=True),
            "sex": Spec("Geslacht", "code", required=True, codes="sex"),
            "street": Spec("Straat", max_length=120),
            "house_number": Spec("Huisnummer", max_length=12),
            "postcode": Spec("Postcode", "postcode"),
            "city": Spec("Woonplaats", max_length=80),
            "phone": Spec("Telefoon", max_length=30),
            "email": Spec("E-mail", "email", max_length=120),
            "education_level": Spec("Opleidingsniveau", "code", codes="education_level"),
            "migration_background": Spec(
                "Migratieachtergrond", "code", codes="migration_background"
            ),
            "statushouder": Spec("Statushouder", "flag"),
        },
        imported_read_only=True,
        extra_rules=_person_rules,
    ),
    "benefit_spell": Kind(
        "Uitkeringsperiode",
        BenefitSpell,
        {
            "benefit_type": Spec("Soort uitkering", "code", required=True, codes="benefit_type"),
            "application_date": Spec("Aanvraagdatum", "date"),
            "start_date": Spec("Startdatum uitkering", "date", required=True),
            "end_date": Spec("Einddatum uitkering", "date"),
            "end_reason": Spec("Reden einde uitkering", "code", codes="benefit_end_reason"),
        },
        imported_read_only=True,
        deletable=True,
        extra_rules=_spell_rules,
    ),
    "assessment": Kind(
        "Diagnose",
        Assessment,
        {
            "assessed_on": Spec("Datum diagnose", "date", required=True),
            "segment": Spec("Segment", "code", codes="segment"),
            "ladder_step": Spec("Trede", "int", low=1, high=6),
            "loonwaarde_pct": Spec("Loonwaarde (%)", "int", low=0, high=100),
            "language_level": Spec("Taalniveau", "code", codes="language_level"),
            "months_to_work": Spec("Maanden tot werk", "int", low=0, high=240),
            "review_date": Spec("Herbeoordelingsdatum", "date"),
            "assessment_reason": Spec("Toelichting diagnose", required=True, column="reason"),
        },
        deletable=True,
        extra_rules=_not_future("assessed_on", "Datum diagnose"),
    ),
    "plan": Kind(
        "Plan",
        Plan,
        {
            "created_on": Spec("Datum plan", "date", required=True),
            "goal": Spec("Doel", required=True),
        },
        deletable=True,
        extra_rules=_not_future("created_on", "Datum plan"),
    ),
    "route": Kind(
        "Route",
        Route,
        {
            "route_type": Spec("Soort route", "code", required=True, codes="route_type"),
            "start_date": Spec("Startdatum route", "date", required=True),
            "end_date": Spec("Einddatum route (uitstroom)", "date"),
            "end_reason": Spec("Reden einde", "code", codes="route_end_reason"),
        },
        deletable=True,
        extra_rules=_route_rules,
    ),
    "contact": Kind(
        "Contact",
        Contact,
        {
            "contact_date": Spec("Datum contact", "date", required=True),
            "contact_type": Spec("Soort contact", "code", required=True, codes="contact_type"),
            "summary": Spec("Samenvatting", required=True),
        },
        deletable=True,
        extra_rules=_not_future("contact_date", "Datum contact"),
    ),
    "follow_up": Kind(
        "Nazorg",
        FollowUp,
        {
            "done_on": Spec("Datum nazorgcontact", "date"),
            "still_working": Spec("Nog aan het werk", "optional_flag"),
            "back_on_benefit": Spec("Terug in de uitkering", "optional_flag"),
            "note": Spec("Notitie"),
        },
        extra_rules=_follow_up_rules,
    ),
    "provision": Kind(
        "Voorziening",
        Provision,
        {
            "provider_id": Spec("Aanbieder", "ref", codes="provider"),
            "planned_start": Spec("Geplande start", "date"),
            "planned_end": Spec("Gepland einde", "date"),
            "start_date": Spec("Startdatum", "date", required=True),
            "end_date": Spec("Einddatum", "date"),
            "cost": Spec("Kosten (€)", "amount"),
            "result": Spec("Resultaat", "code", codes="provision_result"),
            "state_reason": Spec("Reden stoppen of annuleren", max_length=4000),
        },
        imported_read_only=True,
        deletable=True,
        extra_rules=_provision_rules,
    ),
    "exemption": Kind(
        "Ontheffing",
        Exemption,
        {
            "exemption_type": Spec(
                "Soort ontheffing", "code", required=True, codes="exemption_type"
            ),
            "start_date": Spec("Startdatum", "date", required=True),
            "end_date": Spec("Einddatum", "date"),
            "review_date": Spec("Datum herbeoordeling", "date"),
            "exemption_reason": Spec("Toelichting", max_length=4000, column="reason"),
        },
        imported_read_only=True,
        deletable=True,
        extra_rules=_exemption_rules,
    ),
    "placement": Kind(
        "Plaatsing",
        Placement,
        {
            "employer_id": Spec("Werkgever", "ref", required=True, codes="employer"),
            "job_type": Spec("Soort baan", "code", required=True, codes="job_type"),
            "contract_type": Spec("Soort contract", "code", required=True, codes="contract_type"),
            "hours_per_week": Spec("Uren per week", "int", low=1, high=60),
            "start_date": Spec("Startdatum baan", "date", required=True),
            "end_date": Spec("Einddatum baan", "date"),
        },
        imported_read_only=True,
        delete_hint=" Een plaatsing vervalt door de uitstroom ongedaan te maken.",
        extra_rules=_placement_rules,
    ),
    "referral": Kind(
        "Aanmelding matching",
        Referral,
        {
            "referred_on": Spec("Datum aanmelding", "date", required=True),
            "work_wishes": Spec("Werkwensen in eigen woorden", max_length=4000),
            "availability": Spec("Beschikbaarheid", max_length=4000),
            "restrictions": Spec("Beperkingen in eigen woorden", max_length=4000),
        },
        delete_hint=" Een aanmelding die niet doorgaat, trekt u in bij matching.",
        extra_rules=_referral_rules,
    ),
}


# The rows a ``ref`` field may point at.
REFERENCES: dict[str, type[Any]] = {"provider": Provider, "employer": Employer}


def _column(name: str, spec: Spec) -> str:
    return spec.column or name


def _plain(value: Any) -> Any:
    """A value as the history stores it (JSON): dates as ISO text, amounts as text."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def candidate_of(session: Session, object_type: str, obj: Any) -> int:
    if object_type == "candidate":
        return int(obj.id)
    if object_type == "follow_up":
        return int(session.get(Placement, obj.placement_id).candidate_id)  # type: ignore[union-attr]
    if object_type == "provision":
        return int(session.get(Route, obj.route_id).candidate_id)  # type: ignore[union-attr]
    return int(obj.candidate_id)


def find_record(session: Session, candidate: Candidate, object_type: str, object_id: int) -> Any:
    """The record of the candidate's file, or None when it is not theirs (or unknown)."""
    kind = KINDS.get(object_type)
    if kind is None:
        return None
    obj = session.get(kind.model, object_id)
    if obj is None or candidate_of(session, object_type, obj) != candidate.id:
        return None
    return obj


def _check_role(user: User) -> None:
    if user.role not in CORRECTION_ROLES:
        raise PermissionError("only case workers correct a candidate's file")


def _reason(f: Fields) -> str | None:
    return f.text("reason", "Reden van de correctie", required=True, max_length=MAX_REASON)


def _write(
    session: Session,
    user: User,
    candidate_id: int,
    object_type: str,
    object_id: int,
    action: str,
    changes: dict[str, Any],
    reason: str,
) -> Correction:
    correction = Correction(
        candidate_id=candidate_id,
        object_type=object_type,
        object_id=object_id,
        action=action,
        changes=changes,
        reason=reason,
        user_id=user.id,
        at=utc_now(),
    )
    session.add(correction)
    session.flush()
    what = {"CORRECT": "Correctie", "DELETE": "Verwijderd", "UNDO_EXIT": "Uitstroom ongedaan"}
    label = _kind_label(object_type)
    record_change(
        session,
        user,
        action,
        "correction",
        correction.id,
        purpose=f"{what[action]}: {label.lower()} (correctie {correction.id})",
    )
    return correction


def correct_record(
    session: Session,
    user: User,
    candidate: Candidate,
    object_type: str,
    obj: Any,
    data: Mapping[str, Any],
    *,
    today: date,
) -> Correction:
    """Correct the fields of ``obj`` present in ``data`` (a PATCH: absent fields keep their
    value) with a mandatory ``reason``; keeps old and new values in the history."""
    _check_role(user)
    kind = KINDS[object_type]
    f = Fields(data)
    reason = _reason(f)
    if kind.imported_read_only and getattr(obj, "source_id", None) is not None:
        f.fail(next(iter(kind.fields)), IMPORTED_READ_ONLY)
        f.raise_if_invalid()
    new: dict[str, Any] = {}
    for name, spec in kind.fields.items():
        current = getattr(obj, _column(name, spec))
        new[name] = _value(session, spec, f, name) if name in data else current
    if kind.extra_rules is not None and not f.errors:
        kind.extra_rules(session, f, obj, new, today)
    changes = {
        name: [_plain(getattr(obj, _column(name, spec))), _plain(new[name])]
        for name, spec in kind.fields.items()
        if new[name] != getattr(obj, _column(name, spec))
    }
    if not changes and not f.errors:
        f.fail("reason", "Er is niets gewijzigd.")
    f.raise_if_invalid()
    assert reason is not None
    old_end = getattr(obj, "end_date", None)
    for name, spec in kind.fields.items():
        setattr(obj, _column(name, spec), new[name])
    if object_type == "benefit_spell":
        _sync_dossier(session, obj)
    if object_type == "route" and "end_date" in changes and old_end is not None:
        _move_follow_ups(session, obj, old_end)
    session.flush()
    return _write(session, user, candidate.id, object_type, obj.id, "CORRECT", changes, reason)


def _sync_dossier(session: Session, spell: BenefitSpell) -> None:
    if spell.dossier_id is None:
        return
    session.flush()
    dossier = session.get(BenefitDossier, spell.dossier_id)
    assert dossier is not None
    first = session.scalar(
        select(func.min(BenefitSpell.start_date)).where(BenefitSpell.dossier_id == dossier.id)
    )
    if first is not None:
        dossier.opened_on = first
    close_dossier_when_ended(session, spell)


def _move_follow_ups(session: Session, route: Route, old_end: date) -> None:
    """A corrected exit date moves the follow-ups still to do, and provisions closed by it."""
    for provision in route.provisions:
        if provision.end_date == old_end and provision.result is None:
            provision.end_date = route.end_date
    placement = session.scalar(select(Placement).where(Placement.route_id == route.id))
    if placement is None or route.end_date is None:
        return
    due = follow_up_due_dates(route.end_date)
    for follow_up in session.scalars(select(FollowUp).where(FollowUp.placement_id == placement.id)):
        if follow_up.done_on is None and follow_up.months in due:
            follow_up.due_date = due[follow_up.months]
    if placement.start_date == old_end:
        placement.start_date = route.end_date
    # Its instruments (LKS, jobcoach) started with the job and move with it.
    for instrument in placement.instruments:
        if instrument.start_date == old_end:
            instrument.start_date = route.end_date


# --- deleting a record entered in error --------------------------------------------------------


def _dependants(session: Session, object_type: str, obj: Any) -> str | None:
    """Why the record cannot be deleted (in Dutch), or None when nothing depends on it."""
    plan_routes = select(Route.id).where(Route.plan_id == obj.id).limit(1)
    if object_type == "plan" and session.scalar(plan_routes) is not None:
        return "Er hoort een route bij dit plan; corrigeer of verwijder die eerst."
    if object_type == "route":
        if obj.provisions:
            return "Er horen voorzieningen bij deze route."
        if session.scalar(select(Placement.id).where(Placement.route_id == obj.id)) is not None:
            return "Er hoort een plaatsing bij deze route; maak eerst de uitstroom ongedaan."
        if session.scalar(select(Referral.id).where(Referral.route_id == obj.id).limit(1)):
            return "Er hoort een aanmelding bij matching bij deze route."
    if object_type == "provision":
        booked = select(CostLine.id).where(CostLine.provision_id == obj.id).limit(1)
        if session.scalar(booked) is not None:
            return "Er zijn kosten op deze voorziening geboekt."
    if object_type == "benefit_spell" and obj.dossier_id is not None:
        others = session.scalar(
            select(func.count(BenefitSpell.id)).where(
                BenefitSpell.dossier_id == obj.dossier_id, BenefitSpell.id != obj.id
            )
        )
        if others:
            return "Deze uitkeringsperiode deelt een dossier met de partner; corrigeer haar."
    return None


def delete_record(
    session: Session,
    user: User,
    candidate: Candidate,
    object_type: str,
    obj: Any,
    data: Mapping[str, Any],
) -> Correction:
    """Delete a record entered in error, with a reason; its values stay in the history. Refused
    (Dutch reason at ``reason``) for imported data and where other records depend on it."""
    _check_role(user)
    kind = KINDS[object_type]
    f = Fields(data)
    reason = _reason(f)
    if not kind.deletable:
        f.fail(
            "reason",
            f"{kind.label} kan niet worden verwijderd, alleen gecorrigeerd.{kind.delete_hint}",
        )
    elif kind.imported_read_only and getattr(obj, "source_id", None) is not None:
        f.fail("reason", IMPORTED_READ_ONLY)
    else:
        why = _dependants(session, object_type, obj)
        if why is not None:
            f.fail("reason", f"Verwijderen kan niet: {why}")
    f.raise_if_invalid()
    assert reason is not None
    changes = {
        name: [_plain(getattr(obj, _column(name, spec))), None]
        for name, spec in kind.fields.items()
    }
    object_id = obj.id
    if object_type == "benefit_spell" and obj.dossier_id is not None:
        dossier_id = obj.dossier_id
        session.delete(obj)
        session.flush()
        session.execute(delete(DossierMember).where(DossierMember.dossier_id == dossier_id))
        session.execute(delete(BenefitDossier).where(BenefitDossier.id == dossier_id))
        changes["dossier"] = [dossier_id, None]
    else:
        session.delete(obj)
    session.flush()
    return _write(session, user, candidate.id, object_type, object_id, "DELETE", changes, reason)


# --- undoing a mistaken exit -------------------------------------------------------------------


def exit_undo_days(session: Session) -> int:
    """How many days after it was recorded an exit can be undone (setting, default 30)."""
    row = session.get(Setting, SETTING_KEY)
    value = (row.value or {}).get("exit_undo_days") if row is not None else None
    return int(value) if isinstance(value, int) and value >= 0 else DEFAULT_EXIT_UNDO_DAYS


MAX_EXIT_UNDO_DAYS = 366


def save_exit_undo_days(session: Session, raw: Any) -> int:
    """Set the undo period from a form value: a whole number of days, 0 to 366 (0: an exit
    can only be undone on the day it was recorded); Dutch message at ``exit_undo_days``."""
    f = Fields({"exit_undo_days": raw})
    days = f.integer(
        "exit_undo_days",
        "Uitstroom ongedaan maken: aantal dagen",
        required=True,
        minimum=0,
        maximum=MAX_EXIT_UNDO_DAYS,
    )
    f.raise_if_invalid()
    assert days is not None
    set_exit_undo_days(session, days)
    return days


def set_exit_undo_days(session: Session, days: int) -> None:
    row = session.get(Setting, SETTING_KEY)
    if row is None:
        session.add(Setting(key=SETTING_KEY, value={"exit_undo_days": days}))
    else:
        row.value = {**(row.value or {}), "exit_undo_days": days}


def exit_recorded_on(session: Session, route: Route) -> date | None:
    """The day the exit was recorded (its logged transition), else the exit date itself."""
    at = session.scalar(
        select(func.max(StateTransition.at)).where(
            StateTransition.object_type == "route",
            StateTransition.object_id == route.id,
            StateTransition.to_state == "ENDED",
        )
    )
    if isinstance(at, datetime):
        return at.date()
    return route.end_date


CLOSED_PROVISION_STATES = ENDED_PROVISION_STATES | {"CANCELLED"}


def _closed_by_exit(session: Session, route: Route) -> list[tuple[Provision, str]]:
    """The provisions the route's exit closed, each with the state it had before: those whose
    latest logged steps were made by the exit (``EXIT_STEP``). A provision ended on its own,
    before the exit, is not touched by undoing the exit."""
    found: list[tuple[Provision, str]] = []
    for provision in route.provisions:
        if provision.state not in CLOSED_PROVISION_STATES:
            continue
        steps = session.scalars(
            select(StateTransition)
            .where(
                StateTransition.object_type == "provision",
                StateTransition.object_id == provision.id,
            )
            .order_by(StateTransition.at.desc(), StateTransition.id.desc())
        )
        before: str | None = None
        for step in steps:  # newest first: the run of steps the exit made
            if not (step.reason or "").startswith(EXIT_STEP):
                break
            before = step.from_state
        if before is not None and before not in CLOSED_PROVISION_STATES:
            found.append((provision, before))
    return found


def undo_exit(
    session: Session,
    user: User,
    candidate: Candidate,
    route: Route,
    data: Mapping[str, Any],
    *,
    today: date,
) -> Correction:
    """Reopen a route whose exit was a mistake, within ``exit_undo_days`` of recording it, with
    a reason. When its placement already has follow-ups, ``follow_ups`` says what happens to
    them: ``verwijderen`` (the placement and its follow-ups lapse; refused once one was done)
    or ``behouden``. Provisions the exit closed
    return to the state they had before it (their steps logged)."""
    _check_role(user)
    f = Fields(data)
    reason = _reason(f)
    if route.end_date is None:
        f.fail("reason", "Deze route loopt nog; er is geen uitstroom om ongedaan te maken.")
        f.raise_if_invalid()
    assert route.end_date is not None
    days = exit_undo_days(session)
    recorded = exit_recorded_on(session, route) or route.end_date
    if (today - recorded).days > days:
        f.fail(
            "reason",
            f"Een uitstroom kan tot {days} dagen na het vastleggen ongedaan worden "
            f"gemaakt; deze is vastgelegd op {recorded:%d-%m-%Y}.",
        )
    placement = session.scalar(select(Placement).where(Placement.route_id == route.id))
    follow_ups = (
        list(session.scalars(select(FollowUp).where(FollowUp.placement_id == placement.id)))
        if placement is not None
        else []
    )
    choice = str(data.get("follow_ups") or "").strip()
    if follow_ups:
        if choice not in FOLLOW_UP_CHOICES:
            f.fail("follow_ups", "Kies wat er gebeurt met de plaatsing en de nazorgmomenten.")
        elif choice == "verwijderen" and any(u.done_on for u in follow_ups):
            f.fail(
                "follow_ups",
                "Er is al nazorg vastgelegd; die kan niet vervallen. Kies 'blijven staan'.",
            )
    f.raise_if_invalid()
    assert reason is not None
    changes: dict[str, Any] = {
        "end_date": [_plain(route.end_date), None],
        "end_reason": [route.end_reason, None],
    }
    for provision, before in _closed_by_exit(session, route):
        was = provision.state
        provision.state = before
        provision.end_date = None
        provision.result = None
        provision.state_reason = None
        log_transition(
            session,
            user,
            "provision",
            provision.id,
            was,
            before,
            today=today,
            reason=f"Uitstroom ongedaan: {reason}"[:2000],
        )
        changes.setdefault("provisions_reopened", [None, []])[1].append(provision.id)
    drop_placement = placement is not None and (not follow_ups or choice == "verwijderen")
    if placement is not None and drop_placement:
        changes["placement"] = [placement.id, None]
        changes["follow_ups"] = [[u.id for u in follow_ups], None]
        for follow_up in follow_ups:
            session.delete(follow_up)
        session.execute(
            delete(PlacementInstrument).where(PlacementInstrument.placement_id == placement.id)
        )
        session.flush()
        session.delete(placement)
    elif placement is not None:
        changes["placement"] = [placement.id, placement.id]
    label = code_list("route_end_reason").label(route.end_reason)
    route.end_date = None
    route.end_reason = None
    session.flush()
    log_transition(
        session,
        user,
        "route",
        route.id,
        "ENDED",
        "OPEN",
        today=today,
        reason=f"Uitstroom ({label}) ongedaan: {reason}"[:2000],
    )
    return _write(session, user, candidate.id, "route", route.id, "UNDO_EXIT", changes, reason)


# --- a partner added to a dossier in error -----------------------------------------------------

PARTNER_LINK = "dossier_member"


def remove_partner(
    session: Session, user: User, candidate: Candidate, data: Mapping[str, Any]
) -> Correction:
    """Take the partner out of the open dossier of which ``candidate`` is the applicant, when
    they were added in error, with a reason. The partner stays registered; their benefit
    spells in the dossier move to a dossier of their own (as applicant), so a spell that was
    itself entered in error can be deleted next. Kept in the history as a deletion of the
    dossier membership."""
    _check_role(user)
    f = Fields(data)
    reason = _reason(f)
    member = session.scalar(
        select(DossierMember)
        .join(BenefitDossier, BenefitDossier.id == DossierMember.dossier_id)
        .where(
            DossierMember.member_role == "PARTNER",
            BenefitDossier.closed_on.is_(None),
            DossierMember.dossier_id.in_(
                select(DossierMember.dossier_id).where(
                    DossierMember.candidate_id == candidate.id,
                    DossierMember.member_role == "APPLICANT",
                )
            ),
        )
    )
    if member is None:
        f.fail("reason", "Er is geen partner in een open dossier van deze kandidaat.")
    f.raise_if_invalid()
    assert member is not None and reason is not None
    dossier = session.get(BenefitDossier, member.dossier_id)
    partner = session.get(Candidate, member.candidate_id)
    assert dossier is not None and partner is not None
    spells = list(
        session.scalars(
            select(BenefitSpell)
            .where(BenefitSpell.dossier_id == dossier.id, BenefitSpell.candidate_id == partner.id)
            .order_by(BenefitSpell.start_date)
        )
    )
    session.delete(member)
    session.flush()
    changes: dict[str, Any] = {
        "partner": [f"{partner.first_name} {partner.last_name}", None],
        "dossier": [dossier.dossier_number, dossier.dossier_number],
    }
    if spells:
        own = open_dossier(session, partner, spells[0])
        for spell in spells[1:]:
            spell.dossier = own
        session.flush()
        close_dossier_when_ended(session, spells[0])
        changes["own_dossier"] = [None, own.dossier_number]
    return _write(session, user, candidate.id, PARTNER_LINK, dossier.id, "DELETE", changes, reason)


# --- the history on the file ---------------------------------------------------------------


@dataclass(frozen=True)
class ChangeLine:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryItem:
    correction: Correction
    what: str
    lines: list[ChangeLine]


def _kind_label(object_type: str) -> str:
    if object_type == PARTNER_LINK:
        return "Partner in uitkeringsdossier"
    return KINDS[object_type].label if object_type in KINDS else object_type


def _label_of(object_type: str, name: str) -> str:
    kind = KINDS.get(object_type)
    if kind is not None and name in kind.fields:
        return kind.fields[name].label
    return {
        "placement": "Plaatsing",
        "follow_ups": "Nazorgmomenten",
        "provisions_reopened": "Voorzieningen weer lopend",
        "dossier": "Uitkeringsdossier",
        "partner": "Partner",
        "own_dossier": "Eigen dossier van de partner",
    }.get(name, name)


def corrections_of(session: Session, candidate_id: int) -> list[HistoryItem]:
    """The correction history of a file, newest first (one query, users joined)."""
    rows = session.scalars(
        select(Correction)
        .where(Correction.candidate_id == candidate_id)
        .options(joinedload(Correction.user))
        .order_by(Correction.at.desc(), Correction.id.desc())
    ).all()
    action = {"CORRECT": "gecorrigeerd", "DELETE": "verwijderd", "UNDO_EXIT": "uitstroom ongedaan"}
    return [
        HistoryItem(
            correction=c,
            what=f"{_kind_label(c.object_type)} {action[c.action]}",
            lines=[
                ChangeLine(_label_of(c.object_type, k), v[0], v[1])
                for k, v in (c.changes or {}).items()
            ],
        )
        for c in rows
    ]


def correctable_records(
    session: Session,
    candidate: Candidate,
    contacts: Sequence[Contact],
    exemptions: Sequence[Exemption] = (),
    placements: Sequence[Placement] = (),
    referrals: Sequence[Referral] = (),
) -> list[tuple[str, int, str]]:
    """(object type, id, Dutch description) of every record of the file that can be corrected
    on screen (imported records are left out); contacts, exemptions, placements and referrals
    as the file loaded them."""
    out: list[tuple[str, int, str]] = []
    if candidate.source_id is None:
        out.append(("candidate", candidate.id, "Persoonsgegevens"))
    for s in candidate.benefit_spells:
        if s.source_id is None:
            out.append(
                (
                    "benefit_spell",
                    s.id,
                    f"Uitkering {code_list('benefit_type').label(s.benefit_type)} "
                    f"vanaf {s.start_date:%d-%m-%Y}",
                )
            )
    for a in candidate.assessments:
        out.append(("assessment", a.id, f"Diagnose van {a.assessed_on:%d-%m-%Y}"))
    for p in session.scalars(select(Plan).where(Plan.candidate_id == candidate.id)):
        out.append(("plan", p.id, f"Plan van {p.created_on:%d-%m-%Y}: {p.goal[:40]}"))
    for r in candidate.routes:
        ended = f", uitstroom {r.end_date:%d-%m-%Y}" if r.end_date else ""
        out.append(
            (
                "route",
                r.id,
                f"Route {code_list('route_type').label(r.route_type)} "
                f"vanaf {r.start_date:%d-%m-%Y}{ended}",
            )
        )
        for pv in r.provisions:
            if pv.source_id is None:
                out.append(
                    (
                        "provision",
                        pv.id,
                        f"Voorziening {pv.provision_type.name} vanaf {pv.start_date:%d-%m-%Y}",
                    )
                )
    for e in sorted(exemptions, key=lambda e: (e.start_date, e.id)):
        if e.source_id is not None:
            continue
        label = code_list("exemption_type").label(e.exemption_type)
        out.append(("exemption", e.id, f"Ontheffing {label} vanaf {e.start_date:%d-%m-%Y}"))
    for pl in sorted(placements, key=lambda p: (p.start_date, p.id)):
        if pl.source_id is not None:
            continue
        out.append(("placement", pl.id, f"Plaatsing vanaf {pl.start_date:%d-%m-%Y}"))
    for ref in sorted(referrals, key=lambda r: (r.referred_on, r.id)):
        out.append(("referral", ref.id, f"Aanmelding matching van {ref.referred_on:%d-%m-%Y}"))
    for x in sorted(contacts, key=lambda x: (x.contact_date, x.id)):
        out.append(("contact", x.id, f"Contact van {x.contact_date:%d-%m-%Y}"))
    for u in session.scalars(
        select(FollowUp)
        .join(Placement, Placement.id == FollowUp.placement_id)
        .where(Placement.candidate_id == candidate.id)
        .order_by(FollowUp.due_date)
    ):
        out.append(("follow_up", u.id, f"Nazorg {u.months} maanden ({u.due_date:%d-%m-%Y})"))
    return out


def reference_choices(session: Session, object_type: str) -> dict[str, list[tuple[str, str]]]:
    """Per ``ref`` field of the record type, the (id, name) pairs the form offers."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, spec in KINDS[object_type].fields.items():
        if spec.kind == "ref":
            assert spec.codes is not None
            model = REFERENCES[spec.codes]
            out[name] = [
                (str(row.id), row.name)
                for row in session.scalars(select(model).order_by(model.name))
            ]
    return out


def current_values(obj: Any, object_type: str) -> dict[str, str]:
    """The record's values as the correction form shows them."""
    out: dict[str, str] = {}
    for name, spec in KINDS[object_type].fields.items():
        value = getattr(obj, _column(name, spec))
        if value is None:
            out[name] = ""
        elif isinstance(value, bool):
            out[name] = "ja" if value else "nee"
        elif isinstance(value, date):
            out[name] = value.isoformat()
        else:
            out[name] = str(value)
    return out


def undoable_exits(session: Session, candidate: Candidate, today: date) -> list[Route]:
    days = exit_undo_days(session)
    return [
        r
        for r in candidate.routes
        if r.end_date is not None
        and (today - (exit_recorded_on(session, r) or r.end_date)).days <= days
    ]


def has_follow_ups(session: Session, route: Route) -> bool:
    return (
        session.scalar(
            select(FollowUp.id)
            .join(Placement, Placement.id == FollowUp.placement_id)
            .where(Placement.route_id == route.id)
            .limit(1)
        )
        is not None
    )
