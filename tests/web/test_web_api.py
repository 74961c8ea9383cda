"""The JSON API: scoped lists, candidate detail, routes with provisions, OpenAPI docs."""

from __future__ import annotations

from web_support import ClientFactory, World


def test_api_candidates_is_paginated_and_scoped_to_the_team(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "tl")
    first = client.get("/api/candidates?page_size=2").json()
    assert first["total"] == len(world_sqlite.team_a_candidates)
    assert len(first["items"]) == 2
    everything = client.get("/api/candidates?page_size=100").json()["items"]
    assert {c["id"] for c in everything} == set(world_sqlite.team_a_candidates)
    zwart = client.get("/api/candidates?segment=DH_A").json()["items"]
    assert {c["segment_label"] for c in zwart} == {"A: op korte termijn aan het werk"}


def test_api_candidate_detail_has_the_file_without_full_bsn(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "km")
    body = client.get(f"/api/candidates/{world_sqlite.full_candidate}").json()
    assert body["bsn_masked"].startswith("******")
    assert "bsn" not in body
    assert [a["segment"] for a in body["assessments"]] == ["DH_C", "DH_B"]
    (route,) = body["routes"]
    assert route["end_reason_label"] == "Uitstroom naar (parttime) baan"
    assert [p["gos_code"] for p in route["provisions"]] == ["PS2", "PS5"]
    assert body["placements"][0]["job_type"] == "6"


def test_api_routes_of_a_candidate_and_one_route(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "km")
    routes = client.get(f"/api/routes?candidate_id={world_sqlite.full_candidate}").json()
    assert len(routes) == 1
    one = client.get(f"/api/routes/{routes[0]['id']}").json()
    assert one == routes[0]
    assert one["provisions"][0]["cost"] == "1250.00"
    assert one["provisions"][0]["result_label"] == "Afgerond volgens plan"


def test_api_route_of_another_team_is_refused(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    tl = client_for(world_sqlite, "tl")
    route_id = tl.get(f"/api/routes?candidate_id={world_sqlite.full_candidate}").json()[0]["id"]
    other = client_for(world_sqlite, "km_b")
    response = other.get(f"/api/routes/{route_id}")
    assert response.status_code == 403
    assert response.json() == {"detail": "Geen toegang"}


def test_openapi_schema_and_docs_are_served_without_external_assets(
    world_sqlite: World, client_for: ClientFactory
) -> None:
    client = client_for(world_sqlite, "analist")
    spec = client.get("/api/openapi.json").json()
    assert {
        "/api/candidates",
        "/api/candidates/{candidate_id}",
        "/api/routes",
        "/api/routes/{route_id}",
    } <= set(spec["paths"])
    assert "/caseload" not in spec["paths"]
    docs = client.get("/api/docs").text
    assert "<code>/api/candidates</code>" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs
