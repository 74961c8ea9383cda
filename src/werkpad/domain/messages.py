"""Invitations and reminders for appointments: the texts with their placeholders, and the
calendar file (.ics) that goes with an e-mail. Pure: ``werkpad.services.outbox`` queues and
sends them.

A text is a template the beheerder edits, with placeholders such as ``{naam}`` and
``{datum}``. Only the placeholders in ``PLACEHOLDERS`` exist: a template with another one is
refused (a typo would otherwise reach a resident as ``{dattum}``).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from werkpad.domain.errors import FieldError, ValidationFailed

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")

INVITATION = "INVITATION"
REMINDER = "REMINDER"
EMAIL = "EMAIL"
LETTER = "LETTER"

QUEUED = "QUEUED"
SENDING = "SENDING"
SENT = "SENT"
FAILED = "FAILED"
PRINTED = "PRINTED"
STATUS_LABELS = {
    QUEUED: "In de wachtrij",
    SENDING: "Wordt verstuurd",
    SENT: "Verstuurd",
    FAILED: "Mislukt",
    PRINTED: "Afgedrukt",
}
# Whether a message reached the candidate, in the words of the worklist's no-show signal:
# queued or still sending is "niet verstuurd", as is an appointment without an invitation.
DELIVERY_LABELS = {SENT: "verzonden", FAILED: "mislukt", PRINTED: "afgedrukt"}
NOT_SENT_LABEL = "niet verstuurd"


def delivery_label(status: str | None) -> str:
    """How an invitation fared, in one Dutch word group (None: there was none)."""
    return DELIVERY_LABELS.get(status or "", NOT_SENT_LABEL)


KIND_LABELS = {INVITATION: "Uitnodiging", REMINDER: "Herinnering"}
CHANNEL_LABELS = {EMAIL: "e-mail", LETTER: "brief"}

PLACEHOLDERS: dict[str, str] = {
    "naam": "naam van de kandidaat",
    "soort": "soort afspraak",
    "datum": "datum in woorden",
    "tijd": "begintijd",
    "plaats": "plaats of 'via beeldbellen'",
    "videolink": "de videolink (leeg als er geen is)",
    "met_wie": "wie er nog bij is",
    "klantmanager": "naam van de klantmanager",
    "toelichting": "toelichting bij de afspraak",
}


@dataclass(frozen=True)
class TextTemplate:
    key: str
    label: str
    default: str


# Subject and body of each message, in plain Dutch (B1): short sentences, "u", one message.
TEMPLATES: tuple[TextTemplate, ...] = (
    TextTemplate("invitation_subject", "Uitnodiging: onderwerp", "Uitnodiging: {soort} op {datum}"),
    TextTemplate(
        "invitation_body",
        "Uitnodiging: tekst",
        "Beste {naam},\n\n"
        "U heeft een afspraak met {klantmanager}.\n"
        "Het gaat om: {soort}.\n"
        "Wanneer: {datum} om {tijd}.\n"
        "Waar: {plaats}.\n"
        "{toelichting}\n\n"
        "Kunt u niet komen? Bel of mail ons dan zo snel mogelijk.\n"
        "Dan maken we een nieuwe afspraak.\n\n"
        "Met vriendelijke groet,\n{klantmanager}",
    ),
    TextTemplate("reminder_subject", "Herinnering: onderwerp", "Herinnering: {soort} op {datum}"),
    TextTemplate(
        "reminder_body",
        "Herinnering: tekst",
        "Beste {naam},\n\n"
        "Dit is een herinnering aan uw afspraak met {klantmanager}.\n"
        "Wanneer: {datum} om {tijd}.\n"
        "Waar: {plaats}.\n\n"
        "Kunt u niet komen? Laat het ons dan weten.\n\n"
        "Met vriendelijke groet,\n{klantmanager}",
    ),
)
TEMPLATE_KEYS = tuple(t.key for t in TEMPLATES)
DEFAULT_TEXTS = {t.key: t.default for t in TEMPLATES}
MAX_TEMPLATE = 4000


def placeholders_in(text: str) -> list[str]:
    """The placeholder names in ``text``; ValueError on a stray ``{`` or ``}``."""
    names = []
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if spec or conversion:
            raise ValueError(name)
        names.append(name)
    return names


def check_templates(texts: Mapping[str, str]) -> dict[str, str]:
    """The texts to store (every known key, stripped), or ``ValidationFailed`` with one Dutch
    message per wrong field: empty, too long, an unknown placeholder or a loose brace."""
    errors: list[FieldError] = []
    clean: dict[str, str] = {}
    known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
    for template in TEMPLATES:
        text = str(texts.get(template.key) or "").replace("\r\n", "\n").strip()
        if not text:
            errors.append(FieldError(template.key, f"{template.label} is verplicht."))
            continue
        if len(text) > MAX_TEMPLATE:
            errors.append(FieldError(template.key, f"{template.label}: maximaal 4000 tekens."))
            continue
        try:
            names = placeholders_in(text)
        except ValueError:
            errors.append(
                FieldError(
                    template.key,
                    f"{template.label}: een accolade {{ of }} staat los. "
                    f"Gebruik accolades alleen om een invulveld: {known}.",
                )
            )
            continue
        unknown = [n for n in names if n not in PLACEHOLDERS]
        if unknown:
            errors.append(
                FieldError(
                    template.key,
                    f"{template.label}: onbekend invulveld {{{unknown[0]}}}. "
                    f"Gebruik alleen: {known}.",
                )
            )
            continue
        clean[template.key] = text
    if errors:
        raise ValidationFailed(errors)
    return clean


def fill(text: str, values: Mapping[str, str]) -> str:
    """A checked template with its placeholders filled in."""
    return text.format_map({p: values.get(p, "") for p in PLACEHOLDERS}).strip() + "\n"


def reminder_due(day: date, start: time, now_local: datetime, hours_before: int) -> bool:
    """Whether the reminder of an appointment at (day, start) is due at ``now_local``:
    from ``hours_before`` hours before it until it begins."""
    begins = datetime.combine(day, start)
    return begins - timedelta(hours=hours_before) <= now_local < begins


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 lines of at most 75 octets, continued with a leading space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def calendar_file(
    *,
    uid: str,
    day: date,
    start: time,
    minutes: int,
    summary: str,
    location: str,
    description: str,
    organizer: str,
    stamp: datetime,
    sequence: int = 0,
) -> str:
    """An iCalendar (RFC 5545) invitation for one appointment, its times in UTC."""
    begins = datetime.combine(day, start, tzinfo=LOCAL_ZONE).astimezone(UTC)
    ends = begins + timedelta(minutes=minutes)
    utc = "%Y%m%dT%H%M%SZ"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//werkpad//afspraken//NL",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{stamp.strftime(utc)}",
        f"DTSTART:{begins.strftime(utc)}",
        f"DTEND:{ends.strftime(utc)}",
        f"SUMMARY:{_ics_text(summary)}",
        f"LOCATION:{_ics_text(location)}",
        f"DESCRIPTION:{_ics_text(description)}",
        f"ORGANIZER:mailto:{organizer}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
