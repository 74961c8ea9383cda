"""The ZRM life domains on the candidate file (issue 18): the klantmanager sees them with their
history in the diagnosis section; the accountmanager never does (nor the teamleider), and the
refusal is decided on the server."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from web_support import ClientFactory, World

import factories as f
from werkpad.services.access import AccessDenied
from werkpad.services.life_domains import life_domain_history
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Candidate, User

HEADING = "Leefgebieden (zelfredzaamheidsmatrix)"


def _with_zrm(world: World) -> int:
    """Two ZRM assessments of the full candidate: debts a problem in the first (2), solved in
    the second (4); addiction acute (1) in the second."""
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        candidate = s.get(Candidate, world.full_candidate)
        assert candidate is not None
        f.make_assessment(
            s,
            candidate,
            assessed_on=date(2019, 3, 1),
            zrm_scores={"financien": 2, "huisvesting": 4, "taal": 3},
        )
        f.make_assessment(
            s,
            candidate,
            assessed_on=date(2019, 9, 1),
            zrm_scores={"financien": 4, "huisvesting": 4, "verslaving": 1, "taal": 3},
        )
    engine.dispose()
    return world.full_candidate


def _section(page: str) -> str:
    start = page.index(HEADING)
    return page[start : page.index("</section>", start)]


def test_klantmanager_sees_the_life_domains_with_their_history_in_the_diagnosis_section(
    world: World, client_for: ClientFactory
) -> None:
    candidate_id = _with_zrm(world)
    page = client_for(world, "km").get(f"/kandidaten/{candidate_id}").text
    diagnosis = page[page.index('id="diagnose-sectie"') : page.index('id="plan-en-route"')]
    assert HEADING in diagnosis
    part = _section(page)
    # Newest assessment first, both dates as columns.
    assert part.index("01-09-2019") < part.index("01-03-2019")
    assert "Financiën (schulden)" in part and "Verslaving" in part
    assert "2: Niet zelfredzaam <strong>(probleem)</strong>" in part  # debts, March
    assert "4: Voldoende zelfredzaam" in part  # debts, September
    assert "1: Acute problematiek <strong>(probleem)</strong>" in part
    assert "Nu een probleem op: Verslaving." in part
    # Labels, no codes.
    assert "financien" not in part and "verslaving<" not in part


def test_file_without_zrm_scores_says_so(world: World, client_for: ClientFactory) -> None:
    page = client_for(world, "km").get(f"/kandidaten/{world.full_candidate}").text
    assert "Geen scores op de leefgebieden vastgelegd." in _section(page)


def test_teamleider_reads_the_file_but_not_the_life_domains(
    world: World, client_for: ClientFactory
) -> None:
    candidate_id = _with_zrm(world)
    page = client_for(world, "tl").get(f"/kandidaten/{candidate_id}").text
    part = _section(page)
    assert "alleen zichtbaar voor de klantmanager" in part
    assert "Acute problematiek" not in page and "Niet zelfredzaam" not in page


def test_accountmanager_never_gets_the_life_domains(
    world: World, client_for: ClientFactory
) -> None:
    candidate_id = _with_zrm(world)
    client = client_for(world, "am")
    response = client.get(f"/kandidaten/{candidate_id}")
    assert response.status_code == 403
    assert "Acute problematiek" not in response.text and HEADING not in response.text
    # The service refuses too, whatever page would ask it (not only the template).
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        am = s.scalars(select(User).where(User.username == "am")).one()
        candidate = s.get(Candidate, candidate_id)
        assert candidate is not None
        with pytest.raises(AccessDenied):
            life_domain_history(am, candidate)
    engine.dispose()


def test_klantmanager_of_another_team_gets_no_life_domains(
    world: World, client_for: ClientFactory
) -> None:
    candidate_id = _with_zrm(world)
    response = client_for(world, "km_b").get(f"/kandidaten/{candidate_id}")
    assert response.status_code == 403
    assert "Acute problematiek" not in response.text
