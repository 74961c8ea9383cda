"""Notes and documents on the candidate file (issue 16): uploads checked by size and by
content, a virus-scanner hook, each opening audited, visibility per role and type."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web_support import ClientFactory, World, session_csrf

from werkpad.config import DocumentSettings
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import AuditEntry, Document, FileNote, Referral

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _client(world: World, client_for: ClientFactory, who: str, tmp_path: Path, **kw: Any) -> Any:
    client = client_for(world, who)
    client.app.state.documents = DocumentSettings(  # type: ignore[attr-defined]
        directory=tmp_path / "documents", max_bytes=kw.get("max_bytes", 1024 * 1024),
        scan_command=kw.get("scan"),
    )  # fmt: skip
    return client


def _upload(client: TestClient, cid: int, kind: str, name: str, content: bytes) -> Any:
    return client.post(
        f"/kandidaten/{cid}/documenten",
        data={"document_type": kind, "csrf_token": session_csrf(client)},
        files={"file": (name, content, "application/pdf")},
        follow_redirects=False,
    )


def _count(url: str, model: type) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        n = int(s.scalar(select(func.count()).select_from(model)) or 0)
    engine.dispose()
    return n


def _document_links(html: str) -> list[str]:
    return re.findall(r'href="(/documenten/\d+)"', html)


def _refer(url: str, candidate_id: int) -> None:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        s.add(Referral(candidate_id=candidate_id, referred_on=date(2020, 1, 1), state="OPEN"))
    engine.dispose()


def test_an_accountmanager_opens_a_cv_but_not_a_medical_statement(
    world: World, client_for: ClientFactory, tmp_path: Path
) -> None:
    cid = world.full_candidate
    km = _client(world, client_for, "km", tmp_path)
    assert _upload(km, cid, "CV", "cv.pdf", PDF).status_code == 303
    assert _upload(km, cid, "MEDICAL", "verklaring.pdf", PDF).status_code == 303
    cv, medical = sorted(_document_links(km.get(f"/kandidaten/{cid}").text))
    assert km.get(medical).content == PDF
    _refer(world.url, cid)
    am = _client(world, client_for, "am", tmp_path)
    opened = am.get(cv)
    assert opened.status_code == 200 and opened.content == PDF
    assert "attachment" in opened.headers["content-disposition"]
    assert am.get(medical).status_code == 403
    engine = make_engine(world.url)
    with session_factory(engine)() as s:
        reads = s.scalars(
            select(AuditEntry.purpose).where(AuditEntry.purpose.like("Document ingezien%"))
        ).all()
    engine.dispose()
    assert sorted(reads) == ["Document ingezien: Cv", "Document ingezien: Medische verklaring"]


def test_an_accountmanager_sees_no_documents_of_a_candidate_not_referred(
    world: World, client_for: ClientFactory, tmp_path: Path
) -> None:
    km = _client(world, client_for, "km", tmp_path)
    assert _upload(km, world.full_candidate, "CV", "cv.pdf", PDF).status_code == 303
    [cv] = _document_links(km.get(f"/kandidaten/{world.full_candidate}").text)
    am = _client(world, client_for, "am", tmp_path)
    assert am.get(cv).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("programma.pdf", EXE, "werkpad kijkt naar de inhoud"),
        ("groot.pdf", PDF + b"0" * (2 * 1024 * 1024), "te groot: maximaal 1 MB"),
        ("leeg.pdf", b"", "Kies een bestand."),
    ],
)
def test_a_bad_upload_gets_a_dutch_message_and_writes_nothing(
    world: World, client_for: ClientFactory, tmp_path: Path, name: str, content: bytes,
    message: str,
) -> None:  # fmt: skip
    km = _client(world, client_for, "km", tmp_path)
    response = _upload(km, world.full_candidate, "CV", name, content)
    assert response.status_code == 422 and message in response.text
    assert _count(world.url, Document) == 0
    folder = tmp_path / "documents"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_virus_scanner_hook_refuses_what_it_rejects(
    world: World, client_for: ClientFactory, tmp_path: Path
) -> None:
    refuse = _client(world, client_for, "km", tmp_path, scan="false")
    response = _upload(refuse, world.full_candidate, "CV", "cv.pdf", PDF)
    assert (
        response.status_code == 422 and "virusscanner heeft dit bestand afgekeurd" in response.text
    )
    assert _count(world.url, Document) == 0
    assert list((tmp_path / "documents").iterdir()) == []
    passes = _client(world, client_for, "km", tmp_path, scan="true")
    assert _upload(passes, world.full_candidate, "CV", "cv.pdf", PDF).status_code == 303


def test_notes_have_a_type_and_an_empty_note_is_refused(
    world: World, client_for: ClientFactory, tmp_path: Path
) -> None:
    km = _client(world, client_for, "km", tmp_path)
    post = lambda **d: km.post(  # noqa: E731
        f"/kandidaten/{world.full_candidate}/notities",
        data={"csrf_token": session_csrf(km), **d},
        follow_redirects=False,
    )
    assert post(note_type="REPORT", text="").status_code == 422
    assert _count(world.url, FileNote) == 0
    assert post(note_type="REPORT", text="Gesprek over werkfit worden").status_code == 303
    page = km.get(f"/kandidaten/{world.full_candidate}").text
    assert "Gespreksverslag" in page and "Gesprek over werkfit worden" in page
