"""Beheer: teams and user accounts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from werkpad.domain.passwords import password_problems
from werkpad.services.accounts import deny_list, hash_password
from werkpad.services.fields import Fields
from werkpad.store.models import Team, User

ROLES = ("KLANTMANAGER", "ACCOUNTMANAGER", "TEAMLEIDER", "ANALIST", "BEHEERDER")
TEAM_ROLES = ("KLANTMANAGER", "TEAMLEIDER")
MIN_PASSWORD = 12
MAX_TEAM_FTE = Decimal("999")
_USERNAME = re.compile(r"^[a-z0-9._-]{2,60}$")


def create_team(session: Session, data: Mapping[str, Any]) -> Team:
    f = Fields(data)
    name = f.text("name", "Naam team", required=True, max_length=100)
    fte = f.amount("fte", "Formatie (fte)")
    if fte is not None and fte > MAX_TEAM_FTE:
        f.fail("fte", f"Formatie: hoogstens {MAX_TEAM_FTE} fte.")
    if name and session.scalar(select(Team.id).where(func.lower(Team.name) == name.lower())):
        f.fail("name", "Er is al een team met deze naam.")
    f.raise_if_invalid()
    team = Team(name=name, fte=fte)
    session.add(team)
    session.flush()
    return team


def create_user(session: Session, data: Mapping[str, Any]) -> User:
    f = Fields(data)
    username = (f.text("username", "Gebruikersnaam", required=True) or "").lower()
    if username and not _USERNAME.fullmatch(username):
        f.fail("username", "Gebruikersnaam: 2-60 tekens, kleine letters, cijfers, . _ of -.")
    elif username and session.scalar(select(User.id).where(User.username == username)):
        f.fail("username", "Deze gebruikersnaam bestaat al.")
    full_name = f.text("full_name", "Naam", required=True, max_length=120)
    role = f.text("role", "Rol", required=True)
    if role is not None and role not in ROLES:
        f.fail("role", "Kies een rol uit de lijst.")
    team_id = f.identifier("team_id", "Team")
    if team_id is not None and session.get(Team, team_id) is None:
        f.fail("team_id", "Onbekend team.")
    if role in TEAM_ROLES and team_id is None and not f.has_error("team_id"):
        f.fail("team_id", "Klantmanagers en teamleiders horen bij een team.")
    fte = f.amount("fte", "Deeltijdfactor (fte)")
    if fte is not None and not Decimal("0.1") <= fte <= Decimal("1.5"):
        f.fail("fte", "Deeltijdfactor tussen 0,1 en 1,5.")
    password = str(data.get("password") or "")
    # The policy of issue 15: length, deny list, not derived from the name.
    for problem in password_problems(
        password, username=username, full_name=full_name or "", deny=deny_list()
    ):
        f.fail("password", problem)
    f.raise_if_invalid()
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        team_id=team_id,
        fte=fte if fte is not None else Decimal("1.00"),
        password_hash=hash_password(password),
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def set_active(session: Session, acting: User, user: User, active: bool) -> None:
    if user.id == acting.id and not active:
        from werkpad.domain.errors import FieldError, ValidationFailed

        raise ValidationFailed([FieldError("active", "Je kunt jezelf niet uitschakelen.")])
    user.active = active
    session.flush()
