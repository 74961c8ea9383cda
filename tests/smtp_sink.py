"""A real SMTP server on loopback (aiosmtpd) that keeps every message it receives, parsed,
for the tests of invitations and reminders: werkpad's SMTP client talks to it over TCP."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from werkpad.config import SmtpSettings

SENDER = "klantcontact@werkpad.test"


@dataclass
class Sink:
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_sink() -> Iterator[tuple[Sink, SmtpSettings]]:
    """A running sink and the settings that point werkpad at it."""
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, SmtpSettings(host="127.0.0.1", port=port, sender=SENDER, timeout=5)
    finally:
        controller.stop()


def dead_server() -> SmtpSettings:
    """Settings of a mail server that is down (nothing listens on the port)."""
    return SmtpSettings(host="127.0.0.1", port=free_port(), sender=SENDER, timeout=2)


def calendar_of(message: EmailMessage) -> str:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "one .ics attachment"
    assert parts[0].get_filename() == "afspraak.ics"
    return str(parts[0].get_content())
