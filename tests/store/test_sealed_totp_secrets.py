"""Issue 15: TOTP secrets are encrypted at rest. The column holds a Fernet token under the TOTP
key (outside the database), a dump of the table shows no secret, sign-in codes still work, and
migration 0017 seals the secrets stored in plain text before it."""

from __future__ import annotations

import pyotp
import pytest
import sqlalchemy as sa
from alembic import command

from werkpad.protected.keys import MissingKey
from werkpad.services.second_factor import enrol_with_secret, verify_second_factor
from werkpad.store.db import alembic_config, make_engine, session_factory, upgrade
from werkpad.store.models import User, UserCredential
from werkpad.store.sealed_secret import PREFIX, open_secret

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _user(session) -> User:
    user = User(username="beheer", full_name="Beheer", role="BEHEERDER", password_hash="x")
    session.add(user)
    session.flush()
    return user


def test_a_dump_of_the_credentials_shows_no_totp_secret_and_codes_still_work(database_url):
    engine = make_engine(database_url)
    factory = session_factory(engine)
    with factory() as session:
        user = _user(session)
        enrol_with_secret(session, user, SECRET)
        session.commit()
        user_id = user.id
    with engine.connect() as conn:
        dump = [tuple(r) for r in conn.execute(sa.text("SELECT * FROM user_credential"))]
    assert SECRET not in repr(dump)
    stored = next(v for v in dump[0] if isinstance(v, str) and v.startswith(PREFIX))
    assert open_secret(stored) == SECRET
    with pytest.raises(MissingKey, match="andere sleutel"):
        open_secret(stored, "x" * 64)
    with factory() as session:
        user = session.get(User, user_id)
        assert session.get(UserCredential, user_id).totp_secret == SECRET
        assert verify_second_factor(session, user, pyotp.TOTP(SECRET).now())
    engine.dispose()


def test_migration_0017_seals_secrets_stored_in_plain_text(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'oud.db'}")
    command.upgrade(alembic_config(engine), "0014")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO app_user (id, username, full_name, role, password_hash, fte, active) "
                "VALUES (1, 'beheer', 'Beheer', 'BEHEERDER', 'x', 1, 1)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO user_credential (user_id, totp_secret, must_change_password) "
                "VALUES (1, :s, 0)"
            ),
            {"s": SECRET},
        )
    upgrade(engine)
    with engine.connect() as conn:
        raw = conn.execute(sa.text("SELECT totp_secret FROM user_credential")).scalar_one()
    assert raw.startswith(PREFIX) and SECRET not in raw
    with session_factory(engine)() as session:
        assert session.get(UserCredential, 1).totp_secret == SECRET
    engine.dispose()
