"""An employer with a vacancy and three referred candidates on top of the web tests' world.

Distances come from the packaged demo centroids (Den Haag postcode areas). The demo clock is
frozen on TODAY, so dates in forms and transitions are fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from web_support import World

import factories as f
from werkpad.services.clock import freeze_today
from werkpad.services.matching import save_work_profile
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Referral, Team, User

TODAY = date(2026, 3, 2)
PROFILE = {
    "wished_occupations": ["Orderpicker"],
    "wished_sectors": ["LOGISTICS"],
    "experience": ["Orderpicker"],
    "skills": ["VCA", "heftruckcertificaat"],
    "days": ["MA", "DI", "WO", "DO", "VR"],
    "hours_min": 16,
    "hours_max": 32,
    "radius_km": 15,
    "transport": "FIETS",
    "language_level": "B1",
}


@dataclass(frozen=True)
class VacancyWorld:
    world: World
    employer_id: int
    vacancy_id: int
    good: int  # fits well, open route from which the referral came
    weaker: int  # wishes another sector, no experience
    excluded: int  # wants more hours than the vacancy offers
    good_bsn: str
    route_id: int


def build_vacancy_world(world: World) -> VacancyWorld:
    engine = make_engine(world.url)
    try:
        with transaction(session_factory(engine)) as s:
            freeze_today(s, TODAY)
            am = s.scalar(select(User).where(User.username == world.users["am"]))
            km = s.scalar(select(User).where(User.username == world.users["km"]))
            assert am is not None and km is not None
            team = s.get(Team, km.team_id)
            assert team is not None
            employer = f.make_employer(
                s,
                name="Distributiecentrum Haaglanden",
                sector="LOGISTICS",
                size_class="GROOT",
                contact_person="Marieke de Wit",
                contact_email="hr@dc-haaglanden.example",
                postcode="2512 CD",
                city="Den Haag",
                agreements={"sroi": True, "banenafspraak": True, "banenafspraak_plaatsen": 3},
                accountmanager_id=am.id,
            )
            vacancy = f.make_vacancy(
                s,
                employer,
                opened_on=date(2026, 2, 1),
                requirements={
                    "language_min": "B1",
                    "education_min": "VMBO",
                    "skills": ["VCA", "HACCP"],
                    "driving_licence": False,
                },
                suitable_for_lks=True,
            )

            def referred(last_name: str, **profile: object) -> tuple[int, str, int]:
                cand = f.make_candidate(
                    s,
                    team,
                    km,
                    first_name="Yara",
                    last_name=last_name,
                    postcode="2511 AB",
                    education_level="VMBO",
                )
                route = f.make_route(s, cand, start_date=date(2025, 6, 1))
                s.add(
                    Referral(
                        candidate_id=cand.id,
                        route_id=route.id,
                        referred_on=date(2026, 1, 10),
                        state="PICKED_UP",
                    )
                )
                save_work_profile(s, am, cand.id, today=TODAY, **{**PROFILE, **profile})
                return cand.id, cand.bsn, route.id

            good, good_bsn, route_id = referred("Goedpassend")
            weaker, _, _ = referred(
                "Anderesector", wished_sectors=["CARE"], wished_occupations=[], experience=[]
            )
            excluded, _, _ = referred("Vooltijd", hours_min=36, hours_max=40)
            return VacancyWorld(
                world, employer.id, vacancy.id, good, weaker, excluded, good_bsn, route_id
            )
    finally:
        engine.dispose()
