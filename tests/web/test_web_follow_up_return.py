"""Where the benefit data show a return to benefit after a work exit, the follow-up says so: on
the file, in the API's candidate file, and in the note of the follow-up once it is recorded."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from web_support import ClientFactory, World, session_csrf

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Candidate, FollowUp, Placement

RETURN = "Volgens de uitkeringsgegevens weer in de uitkering sinds 01-08-2020."


def _with_return(world: World) -> tuple[int, int, int]:
    """The full candidate (job exit 1 January 2020) with her follow-ups at 6 and 12 months and
    a new benefit spell from 1 August 2020; returns (candidate, 6-month, 12-month) ids."""
    cid = world.full_candidate
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as s:
        candidate = s.get(Candidate, cid)
        assert candidate is not None
        placement = s.scalars(select(Placement).where(Placement.candidate_id == cid)).one()
        six = FollowUp(placement_id=placement.id, months=6, due_date=date(2020, 7, 1))
        twelve = FollowUp(placement_id=placement.id, months=12, due_date=date(2021, 1, 1))
        s.add_all([six, twelve])
        f.make_benefit_spell(s, candidate, start_date=date(2020, 8, 1))
        s.flush()
        ids = (cid, six.id, twelve.id)
    engine.dispose()
    return ids


def test_file_and_api_say_a_follow_up_returned_to_benefit_and_the_record_notes_it(
    world: World, client_for: ClientFactory
) -> None:
    cid, six, twelve = _with_return(world)
    km = client_for(world, "km")
    page = km.get(f"/kandidaten/{cid}").text
    assert page.count("weer in de uitkering sinds 01-08-2020") == 1  # the 12-month one only

    detail = km.get(f"/api/candidates/{cid}").json()
    by_months = {u["months"]: u for u in detail["follow_ups"]}
    assert by_months[6]["benefit_return_since"] is None
    assert by_months[12]["benefit_return_since"] == "2020-08-01"

    recorded = km.post(
        f"/api/candidates/{cid}/steps/nazorg/{twelve}",
        json={"done_on": "2021-01-05", "still_working": "nee"},
        headers={"X-CSRF-Token": session_csrf(km)},
    )
    assert recorded.status_code == 201, recorded.text
    after = {u["months"]: u for u in km.get(f"/api/candidates/{cid}").json()["follow_ups"]}
    assert after[12]["back_on_benefit"] is True and after[12]["note"] == RETURN
    assert after[6]["done_on"] is None and six == after[6]["id"]
