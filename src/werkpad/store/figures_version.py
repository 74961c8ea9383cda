"""The figures version: a counter in the database that every write changing the figures bumps
in its own transaction, so any number of worker processes can tell that their cached figures
are stale with one cheap query (``werkpad.services.figures``).

ORM writes bump it by themselves: a ``before_flush`` hook on every session looks for new,
deleted or changed rows of the tables the snapshot reads (``services.snapshot.load_snapshot``)
and a ``before_commit`` hook bumps the counter as the transaction's last statement. Core
writes (imports, the synthetic load, a restore) call :func:`bump_figures_version`
on their connection.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event, inspect, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, SessionTransaction

from werkpad.store.models import FiguresVersion

ROW_ID = 1
# Table -> the columns the snapshot reads (None: all of them). Inserting or deleting a row of
# these tables always changes the figures; updating one only when a listed column changes, so
# a login (which writes ``app_user.last_login_at``) does not make every worker reload.
WATCHED: dict[str, frozenset[str] | None] = {
    "assessment": None,
    "benefit_dossier": None,
    "benefit_spell": None,
    "budget": None,
    "candidate": frozenset(
        {
            "birth_date",
            "sex",
            "migration_background",
            "statushouder",
            "team_id",
            "registered_on",
            "klantmanager_id",
        }
    ),
    "contact": frozenset({"candidate_id", "contact_date"}),
    "cost_line": None,
    "dossier_member": None,
    "exemption": None,
    "municipality": None,
    "municipality_fte": None,
    "placement": None,
    "placement_instrument": None,
    "provision": None,
    "provision_type": None,
    "route": None,
    "team": frozenset({"fte"}),
    "app_user": frozenset({"team_id", "role", "fte", "active"}),
}


def read_figures_version(bind: Engine | Connection) -> int:
    """The current version (0 on a database that has never changed a figure)."""
    statement = select(FiguresVersion.version).where(FiguresVersion.id == ROW_ID)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return int(conn.execute(statement).scalar() or 0)
    return int(bind.execute(statement).scalar() or 0)


def bump_figures_version(conn: Connection, row_id: int = ROW_ID) -> None:
    """Add one to the version inside the caller's transaction; the first bump creates the row
    (one upsert, so two first writers cannot both insert it). On PostgreSQL the row lock
    orders concurrent writers until their commit, so call it last (ORM sessions do).
    ``row_id`` picks another counter of the table (``store.choices_version``)."""
    insert = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = insert(FiguresVersion).values(id=row_id, version=1)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[FiguresVersion.id], set_={"version": FiguresVersion.version + 1}
        )
    )


def _changes_figures(obj: Any, *, updated: bool) -> bool:
    table = getattr(obj, "__tablename__", None)
    if table not in WATCHED:
        return False
    columns = WATCHED[table]
    if not updated or columns is None:
        return True
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in columns if name in state.attrs)


CHANGED = "figures_changed"


def _note_changes(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(CHANGED):
        return
    changed = any(_changes_figures(o, updated=False) for o in (*session.new, *session.deleted))
    changed = changed or any(
        _changes_figures(o, updated=True) for o in session.dirty if session.is_modified(o)
    )
    if changed:
        session.info[CHANGED] = True


def _bump_at_commit(session: Session) -> None:
    """Bump once per transaction, as its last statement: on PostgreSQL the version row stays
    locked only from here to the commit, so concurrent writers queue on it for milliseconds,
    not for the whole of each other's transactions."""
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit bumps
    session.flush()  # the last changes, so that they are noted too
    if session.info.pop(CHANGED, False):
        bump_figures_version(session.connection())


def _forget_after_rollback(session: Session, previous: SessionTransaction) -> None:
    # Only the outer transaction's rollback undoes everything; after a savepoint's rollback
    # the flag stays (at worst one needless bump, never a missed one).
    if previous.parent is None:
        session.info.pop(CHANGED, None)


# Changes are noted at every flush and the bump runs in ``before_commit``, once per transaction:
# readers see the new version when the transaction commits, and a rolled-back transaction
# leaves the version as it was.
event.listen(Session, "before_flush", _note_changes)
event.listen(Session, "before_commit", _bump_at_commit)
event.listen(Session, "after_soft_rollback", _forget_after_rollback)
