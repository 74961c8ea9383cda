"""Teams and users: klantmanagers with caseloads of 70-90, accountmanagers, team leaders.

The first user of each role gets the role name as username (the demo logins) and a random
password that is returned once; everybody else gets an unusable password marker, because
hashing thousands of argon2 passwords would take minutes and nobody logs in as them.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from werkpad.services.accounts import hash_password
from werkpad.synth.calibration import CASELOAD_PER_KLANTMANAGER
from werkpad.synth.names import NamePools

DISTRICT_TEAMS = (
    "Team Centrum",
    "Team Escamp",
    "Team Laak",
    "Team Segbroek",
    "Team Loosduinen",
    "Team Scheveningen",
    "Team Haagse Hout",
    "Team Ypenburg",
)
EMPLOYER_TEAM = "Werkgeversdienstverlening"
ROLE_PREFIX = {
    "KLANTMANAGER": "km",
    "ACCOUNTMANAGER": "am",
    "TEAMLEIDER": "tl",
    "ANALIST": "an",
    "BEHEERDER": "bh",
}
# Unusable password marker: not an argon2 hash, so verification always fails.
UNUSABLE_PREFIX = "!unusable!"


@dataclass(frozen=True)
class Organisation:
    teams: pd.DataFrame
    users: pd.DataFrame
    logins: list[tuple[str, str, str]]

    def user_ids(self, role: str, team_id: int | None = None) -> np.ndarray:
        users = self.users[self.users["role"] == role]
        if team_id is not None:
            users = users[users["team_id"] == team_id]
        return users["id"].to_numpy()


def district_team_count(candidates: int) -> int:
    return int(min(len(DISTRICT_TEAMS), max(3, round(candidates / 3000))))


def _username(role: str, last_name: str, taken: set[str]) -> str:
    ascii_name = unicodedata.normalize("NFKD", last_name).encode("ascii", "ignore").decode()
    base = f"{ROLE_PREFIX[role]}." + "".join(ch for ch in ascii_name.lower() if ch.isalpha())
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    return name


def build_organisation(
    rng: np.random.Generator, pools: NamePools, candidates_per_team: np.ndarray
) -> Organisation:
    """Teams with FTE and their users; ``candidates_per_team`` sizes the klantmanager pool."""
    n_district = len(candidates_per_team)
    team_names = [*DISTRICT_TEAMS[:n_district], EMPLOYER_TEAM]
    plan: list[tuple[str, int | None]] = []
    for team_id, caseload in enumerate(candidates_per_team, start=1):
        n_km = max(2, round(int(caseload) / CASELOAD_PER_KLANTMANAGER))
        plan += [("TEAMLEIDER", team_id)]
        plan += [("KLANTMANAGER", team_id)] * n_km
        plan += [("ACCOUNTMANAGER", team_id)] * max(1, n_km // 10)
    total_km = sum(1 for role, _ in plan if role == "KLANTMANAGER")
    wgd = len(team_names)
    plan += [("TEAMLEIDER", wgd)] + [("ACCOUNTMANAGER", wgd)] * max(2, total_km // 6)
    plan += [("ANALIST", None), ("BEHEERDER", None)]
    # Demo users first, in role order, so "klantmanager" etc. are the first of their role.
    first_of_role: dict[str, int] = {}
    for index, (role, _) in enumerate(plan):
        first_of_role.setdefault(role, index)
    n = len(plan)
    female = rng.random(n) < 0.6
    migrant = rng.random(n) < 0.2
    firsts = pools.first_names(rng, female, migrant)
    lasts = pools.last_names(rng, migrant)
    fte = rng.choice([1.0, 1.0, 0.89, 0.8, 0.67], size=n)
    taken: set[str] = set()
    rows = []
    logins: list[tuple[str, str, str]] = []
    created = datetime(2017, 1, 2, 9, 0)
    for index, (role, team) in enumerate(plan):
        username: str
        if first_of_role[role] == index:
            username = role.lower()
            password = secrets.token_urlsafe(9)
            password_hash = hash_password(password)
            logins.append((username, password, role))
        else:
            username = _username(role, str(lasts[index]), taken)
            password_hash = UNUSABLE_PREFIX + secrets.token_hex(16)
        taken.add(username)
        rows.append(
            {
                "id": index + 1,
                "username": username,
                "full_name": f"{firsts[index]} {lasts[index]}",
                "password_hash": password_hash,
                "role": role,
                "team_id": team,
                "fte": float(fte[index]),
                "active": True,
                "created_at": created,
            }
        )
    users = pd.DataFrame(rows)
    team_fte = [
        round(float(users.loc[users["team_id"] == tid, "fte"].sum()), 2)
        for tid in range(1, len(team_names) + 1)
    ]
    teams = pd.DataFrame(
        {"id": np.arange(1, len(team_names) + 1), "name": team_names, "fte": team_fte}
    )
    return Organisation(teams=teams, users=users, logins=logins)
