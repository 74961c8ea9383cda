"""The log of state changes (``state_transition``): one way to check a step against its life
cycle and one way to write it, dated on werkpad's "today" (``services.clock.moment_on``) so
durations between steps also hold on a demo with a frozen date."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from werkpad.domain.errors import FieldError, ValidationFailed
from werkpad.domain.lifecycle import StateMachine, TransitionRefused
from werkpad.services.clock import moment_on
from werkpad.store.models import StateTransition, User


def check_step(machine: StateMachine, current: str, target: str) -> None:
    """``ValidationFailed`` (field ``state``, Dutch message) when the life cycle forbids it."""
    try:
        machine.check(current, target)
    except TransitionRefused as exc:
        raise ValidationFailed([FieldError("state", str(exc) + ".")]) from exc


def log_transition(
    session: Session,
    user: User,
    object_type: str,
    object_id: int,
    from_state: str | None,
    to_state: str,
    *,
    today: date,
    reason: str | None = None,
) -> None:
    """Add one logged step (the caller commits)."""
    session.add(
        StateTransition(
            object_type=object_type,
            object_id=object_id,
            from_state=from_state,
            to_state=to_state,
            user_id=user.id,
            reason=reason,
            at=moment_on(today),
        )
    )
