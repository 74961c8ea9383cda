"""Targets per municipality: the beheerder sets them on Beheer → Gemeenten for one municipality
or for the service; the figures and the report of Lisse are measured against Lisse's targets
only, the service against the packaged targets with the service's own values in their place."""

from __future__ import annotations

from dashboard_support import REF, DashWorld
from sqlalchemy import select
from test_web_municipality_scope import places  # noqa: F401  (the Hillegom-Lisse world)
from web_support import ClientFactory, login, session_csrf

from werkpad.reports.compute import kpi_results
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import AuditEntry, MunicipalityTarget

PAGE = "/beheer/gemeenten"
NET = "LV_NET_REDUCTION"
LABEL = "Netto bestandsreductie van 30 tot 50 dossiers per jaar (meer is ook gehaald)"


def _targets(url: str, municipality_id: int | None) -> dict[str, float]:
    """Per target the minimum the report's figures are measured against."""
    engine = make_engine(url)
    _, _, results = kpi_results(
        engine, municipality_id=municipality_id, ids=["caseload_net_change", "targets"]
    )
    engine.dispose()
    rows = results[(results["kpi_id"] == "targets") & (results["measure"] == "minimum")]
    return {str(r.group): float(r.value) for r in rows.itertuples(index=False)}


def test_lisse_is_measured_against_lisses_targets_only(
    places: tuple[DashWorld, int, int],  # noqa: F811
    client_for: ClientFactory,
) -> None:
    dash, hillegom, lisse = places
    url = dash.world.url
    packaged = _targets(url, None)
    assert set(packaged) == {"DH_WORK_OR_SCHOOL", NET}
    assert _targets(url, lisse) == {}, "no targets of its own: none of the service's"

    admin = client_for(dash.world, "beheer")
    token = session_csrf(admin)
    form = {"csrf_token": token, "target_id": NET, "first_year": "2021", "last_year": "2023"}
    for bad, field, message in (
        ({"minimum": "veel"}, "minimum", "Vul een getal in"),
        (
            {"minimum": "5", "first_year": "21"},
            "first_year",
            "Vul een jaar in tussen 2000 en 2100.",
        ),
        (
            {"minimum": "5", "last_year": "2020"},
            "last_year",
            "Het laatste jaar ligt niet voor het eerste.",
        ),
        (
            {"minimum": "5", "maximum": "2"},
            "maximum",
            "Het maximum is niet kleiner dan het minimum.",
        ),
        ({"minimum": "5", "target_id": "ONBEKEND"}, "target_id", "Kies een doel uit de lijst."),
        (
            {"minimum": "5", "municipality_id": "999999"},
            "municipality_id",
            "Onbekende gemeente gekozen.",
        ),
    ):
        refused = admin.post(f"{PAGE}/doelen", data={**form, "municipality_id": str(lisse), **bad})
        assert refused.status_code == 422
        assert message in refused.text and f'id="doel-{field}-error"' in refused.text
    engine = make_engine(url)
    with session_factory(engine)() as s:
        assert s.scalars(select(MunicipalityTarget)).all() == [], "nothing written"
    engine.dispose()

    saved = admin.post(
        f"{PAGE}/doelen",
        data={**form, "municipality_id": str(lisse), "minimum": "5"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    service = admin.post(
        f"{PAGE}/doelen",
        data={**form, "municipality_id": "", "minimum": "40"},
        follow_redirects=False,
    )
    assert service.status_code == 303
    page = admin.get(PAGE).text.split("Ingestelde doelen</h3>", 1)[1]
    assert "Lisse" in page and "Hele dienst" in page and "2021–2023" in page

    assert _targets(url, lisse) == {NET: 5.0}
    assert _targets(url, hillegom) == {}
    assert _targets(url, None) == {"DH_WORK_OR_SCHOOL": packaged["DH_WORK_OR_SCHOOL"], NET: 40.0}

    # The dashboard of Lisse names Lisse's target; Hillegom's names none.
    analist = client_for(dash.world)
    login(analist, "an_lisse")
    lisse_board = analist.get(f"/dashboard?peildatum={REF}").text
    assert "2021–2023; bron: Ingesteld door de beheerder" in lisse_board
    staff = client_for(dash.world, "analist")
    hillegom_board = staff.get(f"/dashboard?peildatum={REF}&gemeente={hillegom}").text
    assert "bron: Ingesteld door de beheerder" not in hillegom_board
    assert "Doel: Netto bestandsreductie" not in hillegom_board

    removed = admin.post(
        f"{PAGE}/doelen", data={**form, "municipality_id": str(lisse)}, follow_redirects=False
    )
    assert removed.status_code == 303
    assert _targets(url, lisse) == {}
    engine = make_engine(url)
    with session_factory(engine)() as s:
        purposes = [
            e.purpose for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "CONFIGURE"))
        ]
    engine.dispose()
    assert purposes == [
        f"Doel '{LABEL}' voor Lisse: 2021–2023, minimum 5",
        f"Doel '{LABEL}' voor de hele dienst: 2021–2023, minimum 40",
        f"Doel '{LABEL}' voor Lisse: verwijderd",
    ]
    assert (
        staff.post(f"{PAGE}/doelen", data={**form, "csrf_token": session_csrf(staff)}).status_code
        == 403
    )
