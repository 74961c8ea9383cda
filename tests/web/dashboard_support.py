"""Hand-built data for the dashboard tests on top of the small municipality, and page readers."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from web_support import World

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Team, User

REF = "2024-01-31"


@dataclass(frozen=True)
class DashWorld:
    world: World
    team_a: int
    team_b: int
    stopped_b: list[int]  # candidates of team B whose routes stopped (2021, 2022)
    returner: int  # team A: job exit 2020-01-01, new benefit 9 months later


def extend(world: World) -> DashWorld:
    """Adds to the world: in team B two routes that stopped (2021 and 2022, segment DH_A, two
    years on benefit at the start); in team A a job exit on 2020-01-01 followed by a new
    benefit on 2020-10-01 (durable at 6 months, not at 12)."""
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        team_a = s.scalar(select(Team).where(Team.name == "Team Centrum"))
        team_b = s.scalar(select(Team).where(Team.name == "Team Escamp"))
        km_a = s.scalar(select(User).where(User.username == "km_a"))
        km_b = s.scalar(select(User).where(User.username == "km_b"))
        assert team_a and team_b and km_a and km_b
        stopped = []
        for year in (2021, 2022):
            c = f.make_candidate(s, team_b, km_b, first_name="Bram", last_name=f"Bos {year}")
            f.make_assessment(s, c, segment="DH_A", assessed_on=date(year, 1, 5))
            f.make_benefit_spell(s, c, start_date=date(year - 2, 1, 1))
            f.make_route(
                s,
                c,
                start_date=date(year, 2, 1),
                end_date=date(year, 9, 1),
                end_reason="STOPPED",
            )
            stopped.append(c.id)
        back = f.make_candidate(s, team_a, km_a, first_name="Rik", last_name="Weerom")
        f.make_assessment(s, back, segment="DH_B", assessed_on=date(2019, 2, 1))
        f.make_benefit_spell(s, back, start_date=date(2019, 1, 15), end_date=date(2019, 12, 31))
        f.make_route(
            s, back, start_date=date(2019, 3, 1), end_date=date(2020, 1, 1), end_reason="JOB"
        )
        f.make_benefit_spell(s, back, start_date=date(2020, 10, 1))
        result = DashWorld(world, team_a.id, team_b.id, stopped, back.id)
    engine.dispose()
    return result


def ended_total(page: str) -> str:
    match = re.search(r"zijn beëindigd \(([^)]+)\)", html_lib.unescape(page))
    assert match, "no end-reason total on the page"
    return match.group(1)


def section(page: str, key: str) -> str:
    match = re.search(rf'<section class="card" id="{key}">(.*?)</section>', page, re.S)
    assert match, f"no section {key}"
    return match.group(1)


def drill_links(page: str) -> list[tuple[str, int]]:
    """(address, shown count) of every drill-down link on a dashboard page."""
    return [
        (html_lib.unescape(href), int(count.replace(".", "")))
        for href, count in re.findall(r'<a class="drill" href="([^"]+)">([\d.]+)</a>', page)
    ]


def list_rows(page: str) -> int:
    return page.count('<tr class="drill-row">')


def list_total(page: str) -> int:
    match = re.search(r"Achter dit cijfer: <strong>(\d+)</strong>", page)
    assert match, "no total on the list page"
    return int(match.group(1))
