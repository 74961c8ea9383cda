"""Beheer → Privacy (issue 15): the beheerder finds one person by BSN or candidate number and
downloads the inzage as JSON and PDF, and views or downloads the processing register with DPIA
outline; each step is audited, and every other role is refused; both databases."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from web_support import ClientFactory, World

from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import AuditEntry, Candidate


def _audit(world: World) -> list[tuple[str, str, int | None, str]]:
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        rows = s.execute(
            select(
                AuditEntry.action, AuditEntry.object_type, AuditEntry.object_id, AuditEntry.purpose
            ).order_by(AuditEntry.id)
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _bsn(world: World, candidate_id: int) -> str:
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        candidate = s.get(Candidate, candidate_id)
        assert candidate is not None
        bsn = candidate.bsn
    engine.dispose()
    return bsn


def test_beheerder_finds_a_person_by_bsn_and_downloads_the_inzage_as_json_and_pdf(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    person, other = world.full_candidate, world.team_b_candidate
    bsn = _bsn(world, person)
    page = admin.get(f"/beheer/privacy?zoek={bsn}")
    assert page.status_code == 200
    assert f"/beheer/privacy/inzage/{person}.pdf" in page.text
    by_number = admin.get(f"/beheer/privacy?zoek={person}")
    assert f"/beheer/privacy/inzage/{person}.json" in by_number.text
    download = admin.get(f"/beheer/privacy/inzage/{person}.json")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    export = json.loads(download.text)
    assert export["secties"]["candidate"][0]["id"] == person
    assert _bsn(world, other) not in download.text
    pdf = admin.get(f"/beheer/privacy/inzage/{person}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    entries = _audit(world)
    looked_up = [e for e in entries if e[0] == "READ" and "inzageverzoek" in e[3]]
    assert [e[2] for e in looked_up] == [person, person]
    assert all(bsn not in e[3] for e in entries)  # the searched BSN is never logged
    exports = [e for e in entries if e[:2] == ("EXPORT", "inzage")]
    assert [(e[2], "JSON" in e[3], "PDF" in e[3]) for e in exports] == [
        (person, True, False),
        (person, False, True),
    ]


def test_an_unknown_or_malformed_search_says_so_at_the_field(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    wrong = admin.get("/beheer/privacy?zoek=jansen")
    assert wrong.status_code == 200 and "BSN (9 cijfers)" in wrong.text
    missing = admin.get("/beheer/privacy?zoek=999999")
    assert missing.status_code == 200 and "Geen kandidaat gevonden" in missing.text
    assert admin.get("/beheer/privacy/inzage/999999.json").status_code == 404


def test_beheerder_views_and_downloads_the_processing_register(
    world: World, client_for: ClientFactory
) -> None:
    admin = client_for(world, "beheer")
    shown = admin.get("/beheer/privacy/register.md")
    assert shown.status_code == 200 and shown.headers["content-type"].startswith("text/plain")
    assert "DPIA" in shown.text
    saved = admin.get("/beheer/privacy/register.md?download=1")
    assert "attachment" in saved.headers["content-disposition"]
    purposes = [e[3] for e in _audit(world) if e[1] == "privacy_register"]
    assert purposes == [
        "Verwerkingsregister en DPIA-opzet bekeken",
        "Verwerkingsregister en DPIA-opzet gedownload",
    ]


@pytest.mark.parametrize("who", ["km", "tl", "am", "analist"])
def test_other_roles_are_refused_the_privacy_screen_and_downloads(
    world: World, client_for: ClientFactory, who: str
) -> None:
    client = client_for(world, who)
    person = world.full_candidate
    for path in (
        "/beheer/privacy",
        f"/beheer/privacy/inzage/{person}.json",
        f"/beheer/privacy/inzage/{person}.pdf",
        "/beheer/privacy/register.md",
    ):
        assert client.get(path).status_code == 403, path
