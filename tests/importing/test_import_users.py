"""``users.csv``: accounts arrive without a password and re-imports never touch the password."""

from __future__ import annotations

import sqlalchemy as sa

from werkpad.importing import ImportRejected, import_folder
from werkpad.services.accounts import authenticate, hash_password
from werkpad.store.db import make_engine, session_factory


def write_users(folder, rows: str) -> None:
    (folder / "users.csv").write_text(
        "username;full_name;role;team;fte;active\n" + rows, encoding="utf-8"
    )


def test_imported_user_cannot_log_in_until_a_password_is_set(sqlite_url, folder):
    write_users(folder, "KJansen;K. Jansen;KLANTMANAGER;Team Werk Centrum;0,8;ja\n")
    (folder / "persons.csv").write_text(
        (folder / "persons.csv")
        .read_text(encoding="utf-8")
        .replace(";Team Werk Centrum;;2019-01-01", ";Team Werk Centrum;kjansen;2019-01-01", 1),
        encoding="utf-8",
    )
    import_folder(sqlite_url, folder)
    engine = make_engine(sqlite_url)
    with session_factory(engine)() as session:
        assert authenticate(session, "kjansen", "") is None
        assert authenticate(session, "kjansen", "!geimporteerd-zonder-wachtwoord") is None
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT u.role, u.fte, t.name, (SELECT count(*) FROM candidate c "
                "WHERE c.klantmanager_id = u.id) FROM app_user u JOIN team t ON t.id = u.team_id"
            )
        ).one()
    engine.dispose()
    assert (row[0], float(row[1]), row[2], row[3]) == ("KLANTMANAGER", 0.8, "Team Werk Centrum", 1)


def test_reimporting_users_updates_them_but_keeps_their_password(sqlite_url, folder):
    write_users(folder, "kjansen;K. Jansen;KLANTMANAGER;;;\n")
    import_folder(sqlite_url, folder)
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE app_user SET password_hash = :h"), {"h": hash_password("geheim-12345")}
        )
    write_users(folder, "kjansen;K. Jansen-de Wit;TEAMLEIDER;;;nee\n")
    import_folder(sqlite_url, folder)
    with engine.connect() as conn:
        name, role, active = conn.execute(
            sa.text("SELECT full_name, role, active FROM app_user")
        ).one()
    with session_factory(engine)() as session:
        user = session.execute(sa.text("SELECT password_hash FROM app_user")).scalar_one()
    engine.dispose()
    assert (name, role, bool(active)) == ("K. Jansen-de Wit", "TEAMLEIDER", False)
    assert user.startswith("$argon2")


def test_users_file_with_an_unknown_role_is_refused(sqlite_url, folder):
    write_users(folder, "kjansen;K. Jansen;DIRECTEUR;;;\n")
    try:
        import_folder(sqlite_url, folder)
    except ImportRejected as rejected:
        assert [(e.file, e.row, e.column) for e in rejected.errors] == [("users.csv", 2, "role")]
    else:
        raise AssertionError("unknown role was accepted")
