"""The publication layer: one declaration per table serves the dashboard and the council
report; the small-cell threshold is one municipality setting the beheerder changes."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from dashboard_support import REF, DashWorld, extend, section
from web_support import ClientFactory, World, session_csrf

from werkpad.reports import tables
from werkpad.reports.compute import kpi_results, years_up_to
from werkpad.reports.council import build_html
from werkpad.services.configuration import small_cell_threshold
from werkpad.store.db import make_engine


@pytest.fixture
def dash(world_sqlite: World) -> DashWorld:
    return extend(world_sqlite)


def _report(url: str, threshold: int = 10) -> str:
    engine = make_engine(url)
    try:
        ref = date.fromisoformat(REF)
        _, ctx, results = kpi_results(engine, reference_date=ref, years=years_up_to(ref.year))
    finally:
        engine.dispose()
    return build_html(results, ctx, year=ref.year, threshold=threshold)


def _threshold(url: str) -> int:
    engine = make_engine(url)
    try:
        return small_cell_threshold(engine)
    finally:
        engine.dispose()


def test_changing_a_table_declaration_label_changes_dashboard_and_report(
    dash: DashWorld, client_for: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    label = "Beëindigde routes (proeflabel)"
    spec = tables.TABLES["route_end_reasons"]
    count = next(c for c in spec.columns if c.key == "count")
    columns = tuple(dataclasses.replace(c, label=label) if c is count else c for c in spec.columns)
    monkeypatch.setitem(
        tables.TABLES, "route_end_reasons", dataclasses.replace(spec, columns=columns)
    )
    dashboard = client_for(dash.world, "tl").get(f"/dashboard?peildatum={REF}").text
    assert f">{label}</th>" in section(dashboard, "redenen")
    report = _report(dash.world.url)
    assert f">{label}</th>" in report


def test_beheerder_sets_the_small_cell_threshold_used_by_the_dashboard_and_the_report(
    dash: DashWorld, client_for: ClientFactory
) -> None:
    admin = client_for(dash.world, "beheer")
    token = session_csrf(admin)
    refused = admin.post(
        "/beheer/instellingen",
        data={"csrf_token": token, "scheme": "DENHAAG", "small_cell_threshold": "1"},
    )
    assert refused.status_code == 422
    assert "Drempel voor kleine aantallen: een heel getal van 2 tot 100." in refused.text
    assert _threshold(dash.world.url) == 10  # nothing written
    saved = admin.post(
        "/beheer/instellingen",
        data={"csrf_token": token, "scheme": "DENHAAG", "small_cell_threshold": "3"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert (
        'name="small_cell_threshold" inputmode="numeric" value="3"'
        in admin.get("/beheer/instellingen").text
    )
    threshold = _threshold(dash.world.url)
    assert threshold == 3
    reasons = section(client_for(dash.world, "analist").get(f"/dashboard?peildatum={REF}").text,
                      "redenen")  # fmt: skip
    assert "aantallen onder de 3" in reasons and "&lt;3" in reasons
    assert "Tabellen tonen geen aantallen onder 3" in _report(dash.world.url, threshold)
