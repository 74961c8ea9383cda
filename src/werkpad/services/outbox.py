"""The outbox: invitations and reminders for appointments, by e-mail through a real SMTP
client (``smtplib``) with an ``.ics`` attachment, or as a letter to print for a candidate
without e-mail (or who opted out of it).

A message is written in the same transaction as the appointment (status QUEUED), then sent
after that commit: the appointment is kept whatever the mail server does, and a message that
could not be sent is FAILED with the error and retried by ``werkpad outbox send``. Sending
claims rows with one ``UPDATE ... WHERE status ...`` first, so several senders (a timer on
each worker, a click in the browser) never send the same message twice.
"""

from __future__ import annotations

import secrets
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from werkpad.config import SmtpSettings
from werkpad.domain.codelists import code_list
from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.messages import (
    DEFAULT_TEXTS,
    EMAIL,
    FAILED,
    INVITATION,
    LETTER,
    LOCAL_ZONE,
    PRINTED,
    QUEUED,
    REMINDER,
    SENDING,
    SENT,
    calendar_file,
    check_templates,
    fill,
    reminder_due,
)
from werkpad.services.audit import record_change, utc_now
from werkpad.store.models import (
    Appointment,
    Candidate,
    MessagePreference,
    OutboxMessage,
    Setting,
    User,
)

SETTINGS_KEY = "messages"
DEFAULT_REMINDER_HOURS = 24
MAX_REMINDER_HOURS = 24 * 14
MAX_ATTEMPTS = 5
# A message claimed this long ago by a sender that never reported back (it crashed) may be
# claimed again: the one case in which a message could reach the server twice.
STALE_CLAIM = timedelta(hours=1)
MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


# --- settings: texts and reminder time (the beheerder's) -----------------------------------


@dataclass(frozen=True)
class MessageSettings:
    texts: dict[str, str]
    reminder_hours: int = DEFAULT_REMINDER_HOURS


def load_message_settings(session: Session) -> MessageSettings:
    row = session.get(Setting, SETTINGS_KEY)
    value: dict[str, Any] = dict(row.value) if row is not None else {}
    texts = {**DEFAULT_TEXTS, **{k: str(v) for k, v in (value.get("texts") or {}).items()}}
    hours = value.get("reminder_hours", DEFAULT_REMINDER_HOURS)
    return MessageSettings(texts, int(hours))


def save_message_settings(session: Session, user: User, data: Mapping[str, Any]) -> None:
    """The texts and the reminder time from the beheerder's form; a template with an unknown
    placeholder (or an hour count out of range) is refused and nothing is stored."""
    errors: list[FieldError] = []
    try:
        texts = check_templates(data)
    except ValidationFailed as exc:
        errors += exc.errors
        texts = {}
    raw = str(data.get("reminder_hours") or "").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_REMINDER_HOURS:
        errors.append(
            FieldError(
                "reminder_hours",
                f"Herinnering: een geheel aantal uren van 1 tot {MAX_REMINDER_HOURS}.",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    value = {"texts": texts, "reminder_hours": int(raw)}
    row = session.get(Setting, SETTINGS_KEY)
    if row is None:
        session.add(Setting(key=SETTINGS_KEY, value=value))
    else:
        row.value = value
    record_change(session, user, "UPDATE", "setting", 0, purpose="Berichtteksten")


# --- e-mail opt-out -------------------------------------------------------------------------


def email_opted_out(session: Session, candidate_id: int) -> bool:
    row = session.get(MessagePreference, candidate_id)
    return bool(row and row.email_opt_out)


def set_email_opt_out(session: Session, user: User, candidate: Candidate, opt_out: bool) -> None:
    row = session.get(MessagePreference, candidate.id)
    if row is None:
        row = MessagePreference(candidate_id=candidate.id)
        session.add(row)
    row.email_opt_out = opt_out
    row.changed_at = utc_now()
    row.changed_by_id = user.id
    record_change(session, user, "UPDATE", "candidate", candidate.id, purpose="Berichtvoorkeur")


# --- composing ------------------------------------------------------------------------------


def long_date(day: date) -> str:
    return f"{WEEKDAYS_NL[day.weekday()]} {day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def placeholder_values(appointment: Appointment, candidate: Candidate) -> dict[str, str]:
    where = appointment.location or "via beeldbellen"
    if appointment.location and appointment.video_link:
        where += f" (of via beeldbellen: {appointment.video_link})"
    return {
        "naam": candidate.full_name,
        "soort": code_list("appointment_kind").label(appointment.kind).lower(),
        "datum": long_date(appointment.day),
        "tijd": appointment.start_time.strftime("%H:%M"),
        "plaats": where,
        "videolink": appointment.video_link or "",
        "met_wie": appointment.with_whom or "",
        "klantmanager": appointment.staff.full_name,
        "toelichting": appointment.note or "",
    }


def queue_message(
    session: Session, appointment: Appointment, kind: str, *, settings: MessageSettings
) -> OutboxMessage:
    """The invitation or reminder for ``appointment``, queued (the caller commits): an e-mail
    when the candidate has an address and did not opt out, else a letter to print."""
    candidate = appointment.candidate
    by_email = bool(candidate.email) and not email_opted_out(session, candidate.id)
    prefix = "invitation" if kind == INVITATION else "reminder"
    values = placeholder_values(appointment, candidate)
    message = OutboxMessage(
        candidate_id=candidate.id,
        appointment_id=appointment.id,
        kind=kind,
        channel=EMAIL if by_email else LETTER,
        recipient=candidate.email if by_email else None,
        subject=fill(settings.texts[f"{prefix}_subject"], values).strip()[:250],
        body=fill(settings.texts[f"{prefix}_body"], values),
        status=QUEUED,
        attempts=0,
        created_at=utc_now(),
    )
    session.add(message)
    session.flush()
    return message


def queue_invitation(session: Session, appointment: Appointment) -> OutboxMessage:
    return queue_message(session, appointment, INVITATION, settings=load_message_settings(session))


def messages_of_appointment(session: Session, appointment_id: int) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.appointment_id == appointment_id)
            .order_by(OutboxMessage.id)
        )
    )


# --- sending --------------------------------------------------------------------------------


def _domain(sender: str) -> str:
    return sender.rpartition("@")[2] or "localhost"


def mime_message(message: OutboxMessage, appointment: Appointment, smtp: SmtpSettings) -> Any:
    """The e-mail as it goes to the server: plain text plus the appointment as ``.ics``."""
    mail = EmailMessage()
    mail["From"] = smtp.sender
    mail["To"] = message.recipient or ""
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(datetime.now(LOCAL_ZONE))
    mail["Message-ID"] = make_msgid("werkpad", domain=_domain(smtp.sender))
    mail.set_content(message.body)
    ics = calendar_file(
        uid=f"afspraak-{appointment.id}@{_domain(smtp.sender)}",
        day=appointment.day,
        start=appointment.start_time,
        minutes=appointment.duration_minutes,
        summary=message.subject,
        location=appointment.location or appointment.video_link or "",
        description=message.body,
        organizer=smtp.sender,
        stamp=utc_now(),
    )
    mail.add_attachment(
        ics.encode(),
        maintype="text",
        subtype="calendar",
        filename="afspraak.ics",
        params={"method": "REQUEST"},
    )
    return mail


def _claimable(now: datetime) -> Any:
    return and_(
        OutboxMessage.channel == EMAIL,
        or_(
            OutboxMessage.status == QUEUED,
            and_(OutboxMessage.status == FAILED, OutboxMessage.attempts < MAX_ATTEMPTS),
            and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < now - STALE_CLAIM),
        ),
    )


def claim_messages(
    session: Session,
    *,
    ids: Sequence[int] | None = None,
    skip: Sequence[int] = (),
    limit: int = 100,
) -> list[int]:
    """Claim e-mails to send for this sender alone and commit the claim. The UPDATE repeats
    the condition, so a row another sender claimed in the meantime is not taken again
    (PostgreSQL re-checks it after the other's lock; SQLite runs one writer at a time)."""
    now = utc_now()
    condition = _claimable(now)
    if ids is not None:
        condition = and_(condition, OutboxMessage.id.in_(list(ids)))
    if skip:
        condition = and_(condition, OutboxMessage.id.not_in(list(skip)))
    wanted = list(
        session.scalars(
            select(OutboxMessage.id).where(condition).order_by(OutboxMessage.id).limit(limit)
        )
    )
    if not wanted:
        return []
    token = secrets.token_hex(16)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(wanted), condition)
        .values(status=SENDING, claim=token, claimed_at=now)
    )
    session.commit()
    return list(session.scalars(select(OutboxMessage.id).where(OutboxMessage.claim == token)))


def _deliver_one(session: Session, message: OutboxMessage, smtp: SmtpSettings) -> None:
    appointment = session.get(Appointment, message.appointment_id)
    assert appointment is not None
    message.attempts += 1
    try:
        if smtp.host is None:
            raise OSError("geen mailserver ingesteld (WERKPAD_SMTP_HOST)")
        mail = mime_message(message, appointment, smtp)
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
            if smtp.starttls:
                client.starttls()
            if smtp.username and smtp.password:
                client.login(smtp.username, smtp.password)
            client.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        message.status = FAILED
        message.error = f"{type(exc).__name__}: {exc}"[:1000]
    else:
        message.status = SENT
        message.message_id = str(mail["Message-ID"])
        message.error = None
    message.claim = None
    message.done_at = utc_now()
    session.commit()


def send_claimed(session: Session, ids: Sequence[int], smtp: SmtpSettings) -> int:
    """Send the claimed messages, each recorded in its own transaction; returns how many the
    server accepted."""
    sent = 0
    for message_id in ids:
        message = session.get(OutboxMessage, message_id)
        if message is None or message.status != SENDING:
            continue
        _deliver_one(session, message, smtp)
        sent += message.status == SENT
    return sent


def send_now(session: Session, message: OutboxMessage, smtp: SmtpSettings) -> None:
    """Send one just-queued e-mail after its transaction committed (a letter waits to be
    printed). The SMTP server being down leaves it FAILED, to be retried."""
    if message.channel != EMAIL:
        return
    send_claimed(session, claim_messages(session, ids=[message.id]), smtp)


def queue_due_reminders(session: Session, now_local: datetime) -> int:
    """Queue the one reminder of each planned appointment whose reminder time has come; a
    reminder another sender queued first is skipped (unique per appointment and kind)."""
    settings = load_message_settings(session)
    today = now_local.date()
    horizon = today + timedelta(days=settings.reminder_hours // 24 + 1)
    has_reminder = exists().where(
        OutboxMessage.appointment_id == Appointment.id, OutboxMessage.kind == REMINDER
    )
    due = [
        a
        for a in session.scalars(
            select(Appointment).where(
                Appointment.state == "PLANNED",
                Appointment.day >= today,
                Appointment.day <= horizon,
                ~has_reminder,
            )
        )
        if reminder_due(a.day, a.start_time, now_local, settings.reminder_hours)
    ]
    queued = 0
    for appointment in due:
        try:
            with session.begin_nested():
                queue_message(session, appointment, REMINDER, settings=settings)
            queued += 1
        except IntegrityError:
            continue
    session.commit()
    return queued


@dataclass(frozen=True)
class OutboxRun:
    reminders_queued: int
    claimed: int
    sent: int

    @property
    def failed(self) -> int:
        return self.claimed - self.sent


def run_outbox(session: Session, smtp: SmtpSettings, now_local: datetime) -> OutboxRun:
    """One run of ``werkpad outbox send``: queue due reminders, then send every queued e-mail
    and retry the failed ones (at most ``MAX_ATTEMPTS`` tries each)."""
    reminders = queue_due_reminders(session, now_local)
    tried: list[int] = []  # a message that fails now waits for the next run
    sent = 0
    while ids := claim_messages(session, skip=tried):
        tried += ids
        sent += send_claimed(session, ids, smtp)
    return OutboxRun(reminders, len(tried), sent)


def mark_printed(session: Session, user: User, message: OutboxMessage) -> None:
    """A letter that was printed (opened as PDF by staff) counts as delivered on paper."""
    if message.channel == LETTER and message.status == QUEUED:
        message.status = PRINTED
        message.done_at = utc_now()
        record_change(session, user, "UPDATE", "outbox_message", message.id, purpose="Brief")
