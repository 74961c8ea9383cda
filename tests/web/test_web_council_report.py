"""/rapportage: the council report downloaded from the web as HTML and tagged PDF."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from fastapi.testclient import TestClient
from web_support import login

import factories as f
from werkpad.store.db import make_engine, session_factory, transaction, upgrade
from werkpad.synth import run_synth
from werkpad.web.app import create_app

USERS = {"ANALIST": "rap_analist", "TEAMLEIDER": "rap_tl", "KLANTMANAGER": "rap_km"}


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path: Path = tmp_path_factory.mktemp("council_web") / "small.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    run_synth(engine, scale="small", seed=7, replace=False)
    with transaction(session_factory(engine)) as session:
        team = f.make_team(session, name="Team Rapport")
        for role, username in USERS.items():
            f.make_user(session, role, team, username=username)
    engine.dispose()
    app = create_app(url, secret_key="test-secret", secure_cookies=False)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def _as(client: TestClient, role: str) -> TestClient:
    client.cookies.clear()
    login(client, USERS[role])
    return client


def test_klantmanager_cannot_download_the_council_report(app_client: TestClient) -> None:
    response = _as(app_client, "KLANTMANAGER").get("/rapportage/download?formaat=html")
    assert response.status_code == 403
    assert "Raadsrapportage" not in response.text


def test_teamleider_downloads_the_html_report_without_the_circular_ps7_effect(
    app_client: TestClient,
) -> None:
    page = _as(app_client, "TEAMLEIDER").get("/rapportage")
    assert page.status_code == 200
    link = next(
        line.split('href="')[2].split('"')[0].replace("&amp;", "&")
        for line in page.text.splitlines()
        if "formaat=pdf" in line
    )
    assert link.endswith("formaat=html")
    response = app_client.get(link)
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    document = response.text
    assert "<html lang='nl'>" in document
    assert "Effectmeting: helpt de ondersteuning aan werk?" in document
    assert "<td>PS7 Borgen plaatsing</td>" not in document


def test_analist_downloads_a_tagged_pdf_with_dutch_as_its_language(
    app_client: TestClient,
) -> None:
    response = _as(app_client, "ANALIST").get("/rapportage/download?jaar=2020&formaat=pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "nl"
        assert bool(root.MarkInfo.Marked)
        assert "/StructTreeRoot" in root
        assert len(root.StructTreeRoot.K) > 0


def test_an_unknown_year_or_format_gets_a_dutch_message_and_no_file(
    app_client: TestClient,
) -> None:
    response = _as(app_client, "ANALIST").get("/rapportage/download?jaar=1990&formaat=doc")
    assert response.status_code == 422
    assert "Kies een verslagjaar" in response.text
