"""The version of the form choice lists (employers, providers, provision types), so that every
worker process can cache them and know in one cheap query when its copy is stale.

The counter is the second row of the ``figures_version`` table (the first counts the figures):
ORM writes to the watched tables bump it at commit, like the figures version. Core writes
(imports, the synthetic load) do not run those hooks, so the fingerprint also holds each
table's row count and highest id: a bulk insert or delete changes it too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from werkpad.store.figures_version import bump_figures_version
from werkpad.store.models import Employer, FiguresVersion, Provider, ProvisionType

ROW_ID = 2
WATCHED = frozenset({"employer", "provider", "provision_type"})
CHANGED = "choices_changed"
Fingerprint = tuple[int | None, ...]


def read_choices_fingerprint(bind: Engine | Connection | Session) -> Fingerprint:
    """(counter, and count and max id per table) in one statement."""
    parts = [select(FiguresVersion.version).where(FiguresVersion.id == ROW_ID).scalar_subquery()]
    for model in (Employer, Provider, ProvisionType):
        parts.append(select(func.count(model.id)).scalar_subquery())
        parts.append(select(func.max(model.id)).scalar_subquery())
    statement = select(*parts)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return tuple(conn.execute(statement).one())
    return tuple(bind.execute(statement).one())


def _note_changes(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(CHANGED):
        return
    touched = (*session.new, *session.deleted, *session.dirty)
    if any(getattr(o, "__tablename__", None) in WATCHED for o in touched):
        session.info[CHANGED] = True


def _bump_at_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()
    if session.info.pop(CHANGED, False):
        bump_figures_version(session.connection(), ROW_ID)


def _forget_after_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:
        session.info.pop(CHANGED, None)


event.listen(Session, "before_flush", _note_changes)
event.listen(Session, "before_commit", _bump_at_commit)
event.listen(Session, "after_soft_rollback", _forget_after_rollback)
