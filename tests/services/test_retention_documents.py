"""Retention of documents (issue 16): a document past its type's retention period is removed by
``werkpad retention --apply``, its row in the run's transaction and its file after the commit;
the dry run only counts them per document type."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from factories import make_candidate
from werkpad.cli import app
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import AuditEntry, Document

runner = CliRunner()
TODAY = "2026-06-01"


def _documents(url: str, directory: Path) -> dict[str, int]:
    """Two documents past retention (a medical statement, a cv) and one still current."""
    engine = make_engine(url)
    ids: dict[str, int] = {}
    with transaction(session_factory(engine)) as s:
        candidate = make_candidate(s, registered_on=date(2026, 1, 5))
        for name, kind, until in (
            ("old_medical", "MEDICAL", date(2026, 5, 31)),
            ("old_cv", "CV", date(2025, 1, 1)),
            ("current", "CV", date(2026, 6, 1)),
        ):
            (directory / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
            document = Document(
                candidate_id=candidate.id, document_type=kind, filename=f"{name}.pdf",
                content_type="application/pdf", size_bytes=15, sha256="0" * 64,
                storage_key=name, uploaded_at=datetime(2025, 1, 1), retain_until=until,
            )  # fmt: skip
            s.add(document)
            s.flush()
            ids[name] = document.id
    engine.dispose()
    return ids


def _stored(url: str) -> set[str]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        keys = set(s.scalars(select(Document.storage_key)))
    engine.dispose()
    return keys


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WERKPAD_DATA_DIR", str(tmp_path / "data"))
    directory = tmp_path / "data" / "documents"
    directory.mkdir(parents=True)
    return directory


def test_the_dry_run_counts_documents_past_retention_per_type_and_changes_nothing(
    database_url: str, data_dir: Path
) -> None:
    _documents(database_url, data_dir)
    dry = runner.invoke(app, ["retention", "--dry-run", "--today", TODAY, "--db", database_url])
    assert dry.exit_code == 0, dry.output
    out = " ".join(dry.output.split())
    assert "Proefdraai" in out
    assert "2 documenten (Cv: 1, Medische verklaring: 1)" in out
    assert _stored(database_url) == {"old_medical", "old_cv", "current"}
    assert {p.name for p in data_dir.iterdir()} == {"old_medical", "old_cv", "current"}


def test_apply_removes_the_row_and_file_of_a_document_past_retention_and_keeps_a_current_one(
    database_url: str, data_dir: Path
) -> None:
    _documents(database_url, data_dir)
    done = runner.invoke(app, ["retention", "--apply", "--today", TODAY, "--db", database_url])
    assert done.exit_code == 0, done.output
    assert _stored(database_url) == {"current"}
    assert {p.name for p in data_dir.iterdir()} == {"current"}
    engine = make_engine(database_url)
    with session_factory(engine)() as s:
        purposes = s.scalars(
            select(AuditEntry.purpose).where(AuditEntry.object_type == "retention")
        ).all()
    engine.dispose()
    assert any("2 documenten (Cv: 1, Medische verklaring: 1)" in (p or "") for p in purposes)
    again = runner.invoke(app, ["retention", "--apply", "--today", TODAY, "--db", database_url])
    assert "0 documenten" in again.output
    assert {p.name for p in data_dir.iterdir()} == {"current"}
