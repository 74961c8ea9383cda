"""A contradictory diagnosis through the form: a warning at the field, saved only once
confirmed with a reason, and the override shown on the file (SQLite and PostgreSQL)."""

from __future__ import annotations

from web_support import ClientFactory, World, session_csrf


def test_contradictory_diagnosis_warns_and_is_saved_with_a_confirmed_reason(
    world: World, client_for: ClientFactory
) -> None:
    cid = world.team_a_candidates[1]
    km = client_for(world, "km")
    token = session_csrf(km)
    data = {
        "csrf_token": token,
        "ladder_step": "1",
        "segment": "DH_A",
        "loonwaarde_pct": "95",
        "months_to_work": "40",
        "reason": "Intake",
    }
    refused = km.post(f"/kandidaten/{cid}/diagnose", data=data)
    assert refused.status_code == 422
    assert "Deze diagnose spreekt zichzelf tegen" in refused.text
    assert "Trede 1 of 2 (geïsoleerd of alleen sociale contacten)" in refused.text
    saved = km.post(
        f"/kandidaten/{cid}/diagnose",
        data={**data, "consistency_confirmed": "ja", "consistency_reason": "Eerst stabiliseren"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = km.get(f"/kandidaten/{cid}").text
    assert "opgeslagen ondanks" in page and "Eerst stabiliseren" in page
