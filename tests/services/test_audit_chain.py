"""The audit log is tamper-evident: sealed blocks in a keyed HMAC chain (issue 22).

Each test edits the database the way someone with database access but without the audit key
could, and ``verify_audit_log`` must name it; on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from werkpad.protected.keys import MissingKey
from werkpad.services.audit_chain import (
    AuditChainBroken,
    prune_audit_log,
    seal_audit_log,
    verify_audit_log,
)
from werkpad.store.db import transaction
from werkpad.store.models import AuditEntry, AuditSeal

KEY = b"a" * 64
NOW = datetime(2026, 6, 1, 12, 0, 0)


def add_entries(session, count: int, start: datetime, step: timedelta = timedelta(hours=1)):
    for i in range(count):
        session.add(
            AuditEntry(
                at=start + i * step,
                action="READ",
                object_type="candidate",
                object_id=100 + i,
                purpose=f"Kandidaatdossier ingezien (web) {i}",
                ip="10.0.0.1",
            )
        )
    session.flush()


@pytest.fixture
def sealed(factory):
    """Ten entries from yesterday sealed in blocks of four (4, 4, 2)."""
    with transaction(factory) as session:
        add_entries(session, 10, NOW - timedelta(days=1))
        report = seal_audit_log(session, KEY, now=NOW, block_size=4)
    assert (report.blocks, report.entries) == (3, 10)
    return factory


def verify(factory, key: bytes = KEY):
    with factory() as session:
        return verify_audit_log(session, key)


def execute(factory, *statements: str) -> None:
    with transaction(factory) as session:
        for statement in statements:
            session.execute(sa.text(statement))


def test_sealed_log_verifies_intact_block_by_block(sealed):
    report = verify(sealed)
    assert report.intact, report.problems
    assert (report.blocks, report.entries, report.unsealed) == (3, 10, 0)


def test_verify_detects_an_edited_entry(sealed):
    execute(sealed, "UPDATE audit_log SET purpose = 'Niets bijzonders' WHERE id = 6")
    report = verify(sealed)
    assert report.problems == [
        "Blok 2 (regels 5-8) is na het verzegelen gewijzigd: een regel is aangepast of regels "
        "zijn van plaats verwisseld."
    ]


def test_verify_detects_a_deleted_entry(sealed):
    execute(sealed, "DELETE FROM audit_log WHERE id = 3")
    report = verify(sealed)
    assert report.problems == [
        "Blok 1 (regels 1-4) telt 3 regels, verzegeld waren er 4: verwijderd."
    ]


def test_verify_detects_a_reordered_entry(sealed):
    execute(
        sealed,
        "UPDATE audit_log SET id = -1 WHERE id = 9",
        "UPDATE audit_log SET id = 9 WHERE id = 10",
        "UPDATE audit_log SET id = 10 WHERE id = -1",
    )
    report = verify(sealed)
    assert (
        len(report.problems) == 1
        and "Blok 3 (regels 9-10) is na het verzegelen" in (report.problems[0])
    )


def test_verify_detects_a_removed_block_and_its_seal(sealed):
    execute(
        sealed,
        "DELETE FROM audit_log WHERE id BETWEEN 5 AND 8",
        "DELETE FROM audit_seal WHERE number = 2",
    )
    problems = verify(sealed).problems
    assert "Blok 2 ontbreekt: de keten springt naar blok 3." in problems
    assert any("Blok 3 (regels 9-10) sluit niet aan" in p for p in problems)


def test_verify_with_another_key_finds_nothing_sealed_by_it(sealed):
    report = verify(sealed, b"z" * 64)
    assert not report.intact
    assert any("andere auditsleutel" in p for p in report.problems)


def test_seal_refuses_to_continue_a_chain_with_another_key(sealed):
    with sealed() as session, pytest.raises(MissingKey, match="andere auditsleutel"):
        seal_audit_log(session, b"z" * 64, now=NOW)


def test_entries_younger_than_the_grace_period_wait_for_the_next_seal(factory):
    with transaction(factory) as session:
        add_entries(session, 3, NOW - timedelta(minutes=3), step=timedelta(minutes=1))
        first = seal_audit_log(session, KEY, now=NOW, grace=timedelta(minutes=2))
    assert first.entries == 2  # the one of a minute ago may still have a request around it
    report = verify(factory)
    assert report.intact and report.unsealed == 1
    with transaction(factory) as session:
        assert seal_audit_log(session, KEY, now=NOW + timedelta(minutes=5)).entries == 1
    assert verify(factory).unsealed == 0


def test_prune_dry_run_names_the_old_blocks_and_changes_nothing(factory):
    with transaction(factory) as session:
        add_entries(session, 6, NOW - timedelta(days=800), step=timedelta(days=1))
        add_entries(session, 2, NOW - timedelta(days=10))
        seal_audit_log(session, KEY, now=NOW, block_size=3)
        report = prune_audit_log(session, KEY, 730, dry_run=True, now=NOW)
    assert (report.blocks, report.entries) == ([1, 2], 6)
    with factory() as session:
        assert session.scalar(select(sa.func.count()).select_from(AuditEntry)) == 8


def test_prune_removes_old_sealed_blocks_and_the_chain_still_verifies(factory):
    with transaction(factory) as session:
        add_entries(session, 6, NOW - timedelta(days=800), step=timedelta(days=1))
        add_entries(session, 2, NOW - timedelta(days=10))
        seal_audit_log(session, KEY, now=NOW, block_size=3)
        prune_audit_log(session, KEY, 730, dry_run=False, now=NOW)
    with factory() as session:
        left = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        seals = session.scalar(select(sa.func.count()).select_from(AuditSeal))
    assert [e.action for e in left] == ["READ", "READ", "PRUNE"]
    assert "6 regels van blok 1-2 verwijderd" in (left[-1].purpose or "")
    assert seals == 4  # the seal rows of the removed blocks stay: the chain starts at block 1
    report = verify(factory)
    assert report.intact, report.problems
    assert (report.pruned_through, report.unsealed) == (2, 0)


def test_old_entries_deleted_behind_a_forged_prune_record_are_detected(factory):
    with transaction(factory) as session:
        add_entries(session, 6, NOW - timedelta(days=800), step=timedelta(days=1))
        seal_audit_log(session, KEY, now=NOW, block_size=3)
    execute(
        factory,
        "DELETE FROM audit_log WHERE id <= 3",
        "INSERT INTO audit_log (at, action, object_type, object_id, purpose) "
        "VALUES ('2026-06-01 12:00:00', 'PRUNE', 'audit_seal', 1, 'vervalst')",
    )
    assert any("niet verzegeld vastgelegd" in p for p in verify(factory).problems)


def test_prune_refuses_a_broken_chain_and_removes_nothing(sealed):
    execute(sealed, "UPDATE audit_log SET ip = '1.2.3.4' WHERE id = 1")
    with sealed() as session, pytest.raises(AuditChainBroken, match="niet intact"):
        prune_audit_log(session, KEY, 30, dry_run=False, now=NOW + timedelta(days=400))
    with sealed() as session:
        assert session.scalar(select(sa.func.count()).select_from(AuditEntry)) == 10


def test_cli_seals_verifies_and_reports_an_edit_with_exit_code_1(sqlite_url, tmp_path):
    from typer.testing import CliRunner

    from werkpad.cli import app

    runner = CliRunner()
    key = tmp_path / "audit.key"
    assert runner.invoke(app, ["audit", "keygen", "--out", str(key)]).exit_code == 0
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        for i in range(3):
            conn.execute(
                sa.text(
                    "INSERT INTO audit_log (at, action, object_type, purpose) "
                    "VALUES (:at, 'EXPORT', 'folder_export', :p)"
                ),
                {"at": datetime(2026, 1, 1, 10, i), "p": f"export {i}"},
            )
    keyed = ["--key-file", str(key), "--db", sqlite_url]
    sealed = runner.invoke(app, ["audit", "seal", *keyed])
    assert sealed.exit_code == 0, sealed.output
    assert "3 regels verzegeld in 1 blok" in sealed.output
    intact = runner.invoke(app, ["audit", "verify", *keyed])
    assert intact.exit_code == 0 and "intact" in intact.output
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET purpose = 'niets' WHERE id = 2"))
    engine.dispose()
    broken = runner.invoke(app, ["audit", "verify", *keyed])
    assert broken.exit_code == 1
    assert "Blok 1 (regels 1-3) is na het verzegelen gewijzigd" in " ".join(broken.output.split())
    refused = runner.invoke(app, ["audit", "prune", "--dry-run", *keyed])
    assert refused.exit_code == 1 and "niet intact" in refused.output


def test_cli_audit_settings_are_validated_in_dutch(sqlite_url):
    from typer.testing import CliRunner

    from werkpad.cli import app

    runner = CliRunner()
    shown = runner.invoke(app, ["audit", "settings", "--db", sqlite_url])
    assert "Bewaartermijn 730 dagen" in shown.output and "max(100, 3 x" in shown.output
    wrong = runner.invoke(app, ["audit", "settings", "--retention-days", "5", "--db", sqlite_url])
    assert wrong.exit_code == 2 and "30 tot 36500 dagen" in wrong.output
    ok = runner.invoke(
        app,
        [
            "audit",
            "settings",
            "--retention-days",
            "365",
            "--read-alert-factor",
            "4",
            "--db",
            sqlite_url,
        ],
    )
    assert ok.exit_code == 0 and "Bewaartermijn 365 dagen" in ok.output and "4 x" in ok.output
