"""Role changes (issue 15): logged, sessions end, four-eyes for the beheerder role, and
break-the-glass access to a file outside one's team; both databases."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import ClientFactory, World, login, session_csrf, totp_secret_for

import factories as f
from werkpad.services.second_factor import enrol_with_secret
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import AuditEntry, BreakGlass, RoleChange, User


def _user(world: World, username: str) -> User:
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        s.expunge(user)
    engine.dispose()
    return user


def _second_beheerder(world: World) -> None:
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        other = f.make_user(s, "BEHEERDER", None, username="beheer2", full_name="Ben Tweede")
        enrol_with_secret(s, other, totp_secret_for("beheer2"))
    engine.dispose()


def _post(client: TestClient, path: str, **data: str) -> int:
    response = client.post(
        path, data={**data, "csrf_token": session_csrf(client)}, follow_redirects=False
    )
    return response.status_code


def test_a_role_change_is_logged_and_ends_the_users_sessions(
    world: World, client_for: ClientFactory
) -> None:
    am = client_for(world, "am")
    admin = client_for(world, "beheer")
    am_id = _user(world, "am").id
    assert _post(admin, f"/beheer/rollen/{am_id}", role="ANALIST") == 200
    assert _user(world, "am").role == "ANALIST"
    assert am.get("/dashboard", follow_redirects=False).status_code == 303
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        purposes = s.scalars(
            select(AuditEntry.purpose).where(AuditEntry.action == "ROLE_CHANGED")
        ).all()
    engine.dispose()
    assert purposes and "ACCOUNTMANAGER -> ANALIST" in purposes[0]


def test_the_beheerder_role_needs_a_second_beheerder_to_approve(
    world: World, client_for: ClientFactory
) -> None:
    _second_beheerder(world)
    admin = client_for(world, "beheer")
    km_id = world.km_a2_id
    assert _post(admin, f"/beheer/rollen/{km_id}", role="BEHEERDER") == 200
    assert _user(world, "km_a2").role == "KLANTMANAGER"  # only requested
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        change_id = s.scalar(select(RoleChange.id).where(RoleChange.state == "PENDING"))
    assert change_id is not None
    # The requester cannot approve their own request.
    assert _post(admin, f"/beheer/rollen/verzoek/{change_id}/goedkeuren") == 422
    assert _user(world, "km_a2").role == "KLANTMANAGER"
    second = client_for(world)
    login(second, "beheer2")
    assert _post(second, f"/beheer/rollen/verzoek/{change_id}/goedkeuren") == 200
    assert _user(world, "km_a2").role == "BEHEERDER"
    with session_factory(engine)() as s:
        change = s.get(RoleChange, change_id)
        assert change is not None and change.state == "APPLIED"
        assert change.decided_by_id == _user(world, "beheer2").id
    engine.dispose()


def test_a_rejected_beheerder_request_changes_nothing(
    world: World, client_for: ClientFactory
) -> None:
    _second_beheerder(world)
    admin = client_for(world, "beheer")
    assert _post(admin, f"/beheer/rollen/{world.km_a2_id}", role="BEHEERDER") == 200
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        change_id = s.scalar(select(RoleChange.id).where(RoleChange.state == "PENDING"))
    engine.dispose()
    second = client_for(world)
    login(second, "beheer2")
    assert _post(second, f"/beheer/rollen/verzoek/{change_id}/afwijzen") == 200
    assert _user(world, "km_a2").role == "KLANTMANAGER"


def test_break_the_glass_opens_one_file_with_a_reason_and_flags_it_to_the_teamleider(
    world: World, client_for: ClientFactory
) -> None:
    outsider = client_for(world, "km_b")
    file = f"/kandidaten/{world.full_candidate}"
    refused = outsider.get(file)
    assert refused.status_code == 403 and f"/noodtoegang/{world.full_candidate}" in refused.text
    assert _post(outsider, f"/noodtoegang/{world.full_candidate}", reason="kort") == 422
    assert outsider.get(file).status_code == 403
    reason = "Collega ziek, cliënt belt in crisis over huur"
    assert _post(outsider, f"/noodtoegang/{world.full_candidate}", reason=reason) == 303
    assert outsider.get(file).status_code == 200
    # Only this file: another file of that team stays closed.
    other = next(c for c in world.team_a_candidates if c != world.full_candidate)
    assert outsider.get(f"/kandidaten/{other}").status_code == 403
    teamleider = client_for(world, "tl")
    page = teamleider.get("/team/noodtoegang").text
    assert reason in page and "Bert Beek" in page and "nieuw" in page
    assert _post(teamleider, "/team/noodtoegang/gezien") == 303
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        row = s.scalar(select(BreakGlass))
        assert row is not None and row.seen_by_teamleider_at is not None
        logged = s.scalar(select(AuditEntry.purpose).where(AuditEntry.action == "BREAK_GLASS"))
        assert logged == f"Noodtoegang: {reason}"
    engine.dispose()
