"""The request log names the user of a failed request too: the session is closed and its
objects expired by then, and reading ``user.id`` from the database would raise instead."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

import factories as f
from werkpad.store.db import transaction
from werkpad.store.models import User
from werkpad.web.request_log import _user_id


def test_the_user_id_of_an_expired_detached_user_is_logged(
    factory: sessionmaker[Session],
) -> None:
    with transaction(factory) as session:
        user_id = f.make_user(session, "KLANTMANAGER", f.make_team(session)).id
    session = factory()
    user = session.get(User, user_id)
    session.rollback()  # what a failed request does: every object expired ...
    session.close()  # ... and the session gone
    assert _user_id(user) == user_id
    assert _user_id(None) is None
