"""Intake of a new candidate (kandidaat) with their first benefit spell and benefit dossier.

``register_candidate`` checks every field first and raises ``ValidationFailed`` with all Dutch
field messages at once; only when everything is right does it write the candidate, the benefit
spell and (for a benefit, not for NUO) the benefit dossier, with a partner when one is given
(flushed, committed by the caller). Nothing is written on any error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from werkpad.domain.bsn import is_valid_bsn
from werkpad.domain.codelists import code_list
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.normalise import age_on, normalise_postcode, pad_bsn, parse_date
from werkpad.services.dossiers import check_joinable, is_benefit, join_dossier, open_dossier
from werkpad.services.fields import MAX_ID
from werkpad.store.models import BenefitDossier, BenefitSpell, Candidate, User

INTAKE_ROLES = ("KLANTMANAGER", "TEAMLEIDER")
MIN_AGE = 15
MAX_AGE = 110
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

FIELD_LENGTHS = {
    "first_name": 80,
    "last_name": 120,
    "street": 120,
    "house_number": 12,
    "city": 80,
    "phone": 30,
    "email": 120,
}
# The partner in the same dossier: a second person with their own BSN, sharing the address.
PARTNER_PREFIX = "partner_"
PARTNER_PERSON_FIELDS = ("bsn", "first_name", "last_name", "birth_date", "sex")
PARTNER_FIELDS = tuple(PARTNER_PREFIX + name for name in PARTNER_PERSON_FIELDS)
INTAKE_FIELDS = (
    "bsn",
    "first_name",
    "last_name",
    "birth_date",
    "sex",
    "street",
    "house_number",
    "postcode",
    "city",
    "phone",
    "email",
    "migration_background",
    "education_level",
    "statushouder",
    "benefit_type",
    "application_date",
    "benefit_start_date",
    "benefit_end_date",
    "klantmanager_id",
    "join_dossier_number",
    *PARTNER_FIELDS,
)


# Last names at least this alike (difflib ratio of the normalised names) count as similar.
SIMILAR_NAME_RATIO = 0.8
_NAME_PREFIXES = frozenset({"van", "de", "der", "den", "het", "ten", "ter", "te", "el", "al"})


class PossibleDuplicate(Exception):
    """The intake is valid, but people with a similar name and the same birth date are
    registered already; register again with ``allow_similar=True`` once confirmed.

    ``similar`` holds only those the intaker may see (their own team); ``elsewhere`` counts the
    others, whose name and team are never shown (the intaker asks the beheerder)."""

    def __init__(self, similar: list[Candidate], elsewhere: int = 0) -> None:
        super().__init__(f"{len(similar) + elsewhere} similar candidate(s)")
        self.similar = similar
        self.elsewhere = elsewhere


@dataclass(frozen=True)
class DuplicateCheck:
    """What the intake's duplicate check found, for the audit log: a check is a read of the
    register ("is this person known here?"), so every one is logged, whatever the answer."""

    outcome: str  # Dutch, for the audit log's purpose
    candidate_id: int | None  # the registered person found, if any


DuplicateCheckSink = Callable[[DuplicateCheck], None]


def _name_key(name: str) -> str:
    """Lower case, without accents, punctuation or prefixes (van, de, el...)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z]+", ascii_name)
    kept = [w for w in words if w not in _NAME_PREFIXES] or words
    return "".join(kept)


def names_similar(first_a: str, last_a: str, first_b: str, last_b: str) -> bool:
    """Whether two people's names look like the same person's: last names equal or nearly
    so once accents, prefixes and spacing are ignored, and the same first initial."""
    key_a, key_b = _name_key(last_a), _name_key(last_b)
    if not key_a or not key_b:
        return False
    last_alike = key_a == key_b or SequenceMatcher(None, key_a, key_b).ratio() >= (
        SIMILAR_NAME_RATIO
    )
    initial_a, initial_b = _name_key(first_a)[:1], _name_key(first_b)[:1]
    return last_alike and initial_a == initial_b


def similar_candidates(
    session: Session, first_name: str, last_name: str, birth_date: date
) -> list[Candidate]:
    """Registered candidates born on ``birth_date`` whose name is similar (one query)."""
    born_same_day = session.scalars(
        select(Candidate).where(Candidate.birth_date == birth_date).order_by(Candidate.id)
    )
    return [
        c for c in born_same_day if names_similar(first_name, last_name, c.first_name, c.last_name)
    ]


@dataclass(frozen=True)
class _Cleaned:
    values: dict[str, Any]
    errors: list[FieldError]


def _text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _clean(data: Mapping[str, Any], today: date) -> _Cleaned:
    errors: list[FieldError] = []
    values: dict[str, Any] = {}

    def fail(field: str, message: str) -> None:
        errors.append(FieldError(field, message))

    bsn = _text(data, "bsn")
    if bsn is None:
        fail("bsn", "BSN is verplicht.")
    else:
        bsn = pad_bsn(bsn)
        if not is_valid_bsn(bsn):
            fail("bsn", "BSN is ongeldig: het moet 9 cijfers hebben en voldoen aan de elfproef.")
        values["bsn"] = bsn

    for name, label in (("first_name", "Voornaam"), ("last_name", "Achternaam")):
        text = _text(data, name)
        if text is None:
            fail(name, f"{label} is verplicht.")
        values[name] = text

    for name, limit in FIELD_LENGTHS.items():
        text = values.get(name, _text(data, name))
        if text is not None and len(text) > limit:
            fail(name, f"Maximaal {limit} tekens.")
        values[name] = text

    birth_date = _date_field(data, "birth_date", "Geboortedatum", fail, required=True)
    if birth_date is not None:
        age = age_on(birth_date, today)
        if birth_date > today:
            fail("birth_date", "Geboortedatum ligt in de toekomst.")
        elif not MIN_AGE <= age <= MAX_AGE:
            fail(
                "birth_date",
                f"Geboortedatum is niet aannemelijk: de leeftijd moet tussen {MIN_AGE} en "
                f"{MAX_AGE} jaar liggen.",
            )
    values["birth_date"] = birth_date

    for name, list_name, label, required in (
        ("sex", "sex", "Geslacht", True),
        ("benefit_type", "benefit_type", "Soort uitkering", True),
        ("migration_background", "migration_background", "Migratieachtergrond", False),
        ("education_level", "education_level", "Opleidingsniveau", False),
    ):
        code = _text(data, name)
        if code is None:
            if required:
                fail(name, f"{label} is verplicht.")
        elif code not in code_list(list_name):
            fail(name, f"{label}: onbekende code '{code}'.")
        values[name] = code

    postcode = _text(data, "postcode")
    if postcode is not None:
        try:
            postcode = normalise_postcode(postcode)
        except ValueError:
            fail("postcode", "Postcode moet de vorm 1234 AB hebben.")
    values["postcode"] = postcode

    email = values.get("email")
    if email is not None and not _EMAIL.fullmatch(email):
        fail("email", "E-mailadres is ongeldig.")

    values["statushouder"] = _flag(data.get("statushouder"))

    application = _date_field(data, "application_date", "Aanvraagdatum", fail, required=False)
    start = _date_field(data, "benefit_start_date", "Startdatum uitkering", fail, required=True)
    end = _date_field(data, "benefit_end_date", "Einddatum uitkering", fail, required=False)
    if start is not None and end is not None and end < start:
        fail("benefit_end_date", "Einddatum ligt vóór de startdatum.")
    if start is not None and application is not None and application > start:
        fail("application_date", "Aanvraagdatum ligt na de startdatum van de uitkering.")
    if start is not None and birth_date is not None and start < birth_date:
        fail("benefit_start_date", "Startdatum ligt vóór de geboortedatum.")
    values.update(application_date=application, benefit_start_date=start, benefit_end_date=end)

    raw_km = _text(data, "klantmanager_id")
    values["klantmanager_id"] = None
    if raw_km is not None:
        if raw_km.isdigit() and 0 < int(raw_km) <= MAX_ID:
            values["klantmanager_id"] = int(raw_km)
        else:
            fail("klantmanager_id", "Onbekende klantmanager.")
    return _Cleaned(values, errors)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "on", "ja", "yes")


def _date_field(
    data: Mapping[str, Any], name: str, label: str, fail: Any, *, required: bool
) -> date | None:
    raw = data.get(name)
    try:
        parsed = parse_date(raw)
    except ValueError:
        fail(name, f"{label} is geen geldige datum (gebruik dd-mm-jjjj of jjjj-mm-dd).")
        return None
    if parsed is None and required:
        fail(name, f"{label} is verplicht.")
    return parsed


def _check_klantmanager(session: Session, user: User, klantmanager_id: int | None) -> int | None:
    """The klantmanager for the new candidate: the intaker, or a chosen one of the same team."""
    if user.role == "KLANTMANAGER":
        return user.id
    if klantmanager_id is None:
        return None
    chosen = session.get(User, klantmanager_id)
    if (
        chosen is None
        or chosen.role != "KLANTMANAGER"
        or chosen.team_id != user.team_id
        or not chosen.active
    ):
        raise ValidationFailed([FieldError("klantmanager_id", "Onbekende klantmanager.")])
    return chosen.id


def _partner_data(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The partner's person fields (without prefix), or None when no partner was entered."""
    given = {name: data.get(PARTNER_PREFIX + name) for name in PARTNER_PERSON_FIELDS}
    if all(_text(given, name) is None for name in PARTNER_PERSON_FIELDS):
        return None
    # The partner shares the applicant's benefit and address; only the person fields differ.
    shared = {k: v for k, v in data.items() if k not in PARTNER_PERSON_FIELDS}
    personal = dict.fromkeys(("phone", "email", "migration_background", "education_level"))
    return {**shared, **given, **personal, "statushouder": False}


def _clean_partner(
    partner: Mapping[str, Any], values: Mapping[str, Any], today: date
) -> tuple[dict[str, Any], list[FieldError]]:
    """Check the partner like the applicant; messages go to the ``partner_`` fields."""
    cleaned = _clean(partner, today)
    errors = [
        FieldError(PARTNER_PREFIX + e.field, e.message)
        for e in cleaned.errors
        if e.field in PARTNER_PERSON_FIELDS
    ]
    bsn = cleaned.values.get("bsn")
    if bsn is not None and bsn == values.get("bsn"):
        errors.append(FieldError("partner_bsn", "De partner heeft een ander BSN dan de aanvrager."))
    if not is_benefit(values.get("benefit_type")):
        errors.append(
            FieldError(
                "partner_bsn", "Een partner hoort bij een uitkeringsdossier; bij NUO is er geen."
            )
        )
    return cleaned.values, errors


def register_candidate(
    session: Session,
    data: Mapping[str, Any],
    user: User,
    *,
    today: date | None = None,
    allow_similar: bool = False,
    on_check: DuplicateCheckSink | None = None,
) -> Candidate:
    """Register a new candidate with their first benefit spell (or NUO registration).

    Checks: BSN present and passing the elfproef and not yet registered; first and last name;
    a plausible birth date (age 15-110, not in the future); known codes for sex, benefit type,
    migration background and education level; benefit end not before its start; postcode and
    e-mail format. The candidate joins the intaker's team. Raises ``ValidationFailed`` listing
    every problem; nothing is written then. A valid intake of someone with a similar name and
    the same birth date as a registered candidate raises ``PossibleDuplicate`` (nothing
    written) unless ``allow_similar`` says the intaker confirmed it is another person.
    Every duplicate check that runs (BSN, then name and birth date) is reported to
    ``on_check``, so the caller can audit it even when nothing is written.

    A benefit (not NUO) starts in a benefit dossier: a new one with the candidate as applicant
    and, when ``partner_*`` fields are given, the partner (checked the same way, registered as
    a candidate with the same address, spell and klantmanager) as second member; or, with
    ``join_dossier_number``, the open dossier of a candidate of the team as its partner.
    """
    report: DuplicateCheckSink = on_check or (lambda _check: None)
    if user.role not in INTAKE_ROLES or user.team_id is None:
        raise PermissionError("only case workers of a team register candidates")
    today = today or date.today()
    cleaned = _clean(data, today)
    errors = list(cleaned.errors)
    values = cleaned.values
    partner_data = _partner_data(data)
    partner_values: dict[str, Any] | None = None
    if partner_data is not None:
        partner_values, partner_errors = _clean_partner(partner_data, values, today)
        errors.extend(partner_errors)
    join_number = _text(data, "join_dossier_number")
    dossier_to_join: BenefitDossier | None = None
    if join_number is not None:
        if partner_data is not None:
            errors.append(
                FieldError(
                    "join_dossier_number",
                    "Kies een partner óf een bestaand dossier, niet allebei.",
                )
            )
        elif not is_benefit(values.get("benefit_type")):
            errors.append(
                FieldError("join_dossier_number", "Bij NUO hoort geen uitkeringsdossier.")
            )
        else:
            try:
                dossier_to_join = check_joinable(
                    session, join_number, team_id=user.team_id, field="join_dossier_number"
                )
            except ValidationFailed as exc:
                errors.extend(exc.errors)
    bsn_ok = not any(e.field == "bsn" for e in errors)
    known_id = (
        session.scalar(select(Candidate.id).where(Candidate.bsn == values["bsn"]))
        if bsn_ok
        else None
    )
    if known_id is not None:
        errors.append(FieldError("bsn", "Er is al een kandidaat met dit BSN."))
        report(DuplicateCheck("Dubbelcheck intake: BSN bekend", known_id))
    partner_known = (
        session.scalar(select(Candidate.id).where(Candidate.bsn == partner_values["bsn"]))
        if partner_values is not None and not any(e.field == "partner_bsn" for e in errors)
        else None
    )
    if partner_known is not None:
        report(DuplicateCheck("Dubbelcheck intake: BSN partner bekend", partner_known))
        errors.append(
            FieldError(
                "partner_bsn",
                "Er is al een kandidaat met dit BSN; voeg de nieuwe kandidaat dan toe aan "
                "het dossier van die partner.",
            )
        )
    klantmanager_id: int | None = None
    if not any(e.field == "klantmanager_id" for e in errors):
        try:
            klantmanager_id = _check_klantmanager(session, user, values["klantmanager_id"])
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if errors:
        if bsn_ok and known_id is None:
            report(DuplicateCheck("Dubbelcheck intake: BSN geen treffer", None))
        raise ValidationFailed(errors)
    similar = similar_candidates(
        session, values["first_name"], values["last_name"], values["birth_date"]
    )
    if similar:
        outcome = "bevestigd ander persoon" if allow_similar else "niet ingeschreven"
        report(
            DuplicateCheck(
                f"Dubbelcheck intake: {len(similar)} vergelijkbaar ({outcome})", similar[0].id
            )
        )
        if not allow_similar:
            own = [c for c in similar if c.team_id == user.team_id]
            raise PossibleDuplicate(own, elsewhere=len(similar) - len(own))
    else:
        report(DuplicateCheck("Dubbelcheck intake: geen treffer", None))

    candidate, spell = _new_candidate(values, user, klantmanager_id, today)
    session.add_all([candidate, spell])
    if dossier_to_join is not None:
        join_dossier(session, dossier_to_join, candidate, spell)
    elif is_benefit(spell.benefit_type):
        partner = partner_spell = None
        if partner_values is not None:
            partner, partner_spell = _new_candidate(partner_values, user, klantmanager_id, today)
            session.add_all([partner, partner_spell])
        open_dossier(session, candidate, spell, partner=partner, partner_spell=partner_spell)
    try:
        session.flush()
    except IntegrityError as exc:
        # A concurrent intake registered the same BSN between our check and the insert; the
        # unit of work is void, so roll it back rather than leave a half-flushed session.
        session.rollback()
        raise ValidationFailed([FieldError("bsn", "Er is al een kandidaat met dit BSN.")]) from exc
    return candidate


def _new_candidate(
    values: Mapping[str, Any], user: User, klantmanager_id: int | None, today: date
) -> tuple[Candidate, BenefitSpell]:
    candidate = Candidate(
        bsn=values["bsn"],
        first_name=values["first_name"],
        last_name=values["last_name"],
        birth_date=values["birth_date"],
        sex=values["sex"],
        street=values["street"],
        house_number=values["house_number"],
        postcode=values["postcode"],
        city=values["city"],
        phone=values["phone"],
        email=values["email"],
        migration_background=values["migration_background"],
        education_level=values["education_level"],
        statushouder=values["statushouder"],
        team_id=user.team_id,
        klantmanager_id=klantmanager_id,
        registered_on=today,
    )
    spell = BenefitSpell(
        candidate=candidate,
        benefit_type=values["benefit_type"],
        application_date=values["application_date"],
        start_date=values["benefit_start_date"],
        end_date=values["benefit_end_date"],
    )
    return candidate, spell


def clean_partner_after_intake(
    data: Mapping[str, Any], applicant: Candidate, spell: BenefitSpell, start: date, today: date
) -> tuple[dict[str, Any], list[FieldError]]:
    """The ``partner_*`` person fields of a partner joining ``applicant``'s dossier after the
    intake, checked as at intake: the partner shares the address and the benefit type, and
    the partner's spell starts on ``start``."""
    shared = {
        "street": applicant.street,
        "house_number": applicant.house_number,
        "postcode": applicant.postcode,
        "city": applicant.city,
        "benefit_type": spell.benefit_type,
        "benefit_start_date": start.isoformat(),
    }
    given = {name: data.get(PARTNER_PREFIX + name) for name in PARTNER_PERSON_FIELDS}
    personal = dict.fromkeys(("phone", "email", "migration_background", "education_level"))
    partner = {**shared, **given, **personal, "statushouder": False}
    return _clean_partner(
        partner, {"bsn": applicant.bsn, "benefit_type": spell.benefit_type}, today
    )


def new_partner_registration(
    values: Mapping[str, Any], user: User, klantmanager_id: int | None, today: date
) -> tuple[Candidate, BenefitSpell]:
    """The partner as a new candidate with their spell (not yet added to the session)."""
    return _new_candidate(values, user, klantmanager_id, today)
