"""Issue 22, audit completeness: every command-line import and export leaves an audit entry
saying which kind, how many rows and where to (or from)."""

from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from werkpad.cli import app
from werkpad.importing import EXAMPLE_FOLDER
from werkpad.store.db import make_engine

runner = CliRunner()


def audit_rows(url: str) -> list[tuple[str, str, str]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT action, object_type, purpose FROM audit_log ORDER BY id")
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_cli_import_and_every_export_write_an_audit_entry_with_rows_and_target(
    sqlite_url, tmp_path
):
    done = runner.invoke(app, ["import", str(EXAMPLE_FOLDER), "--db", sqlite_url])
    assert done.exit_code == 0, done.output
    key = tmp_path / "p.key"
    key.write_text("k" * 40)
    commands = [
        ["export", "analytics", "--out", str(tmp_path / "a"), "--key-file", str(key)],
        ["export", "folder", str(tmp_path / "map.werkpadmap"), "--key-file", str(key)],
        ["export", "srg", "--year", "2019", "--month", "10", "--gemeentecode", "0518"],
    ]
    commands[2] += ["--berichtgevercode", "0001", "--out", str(tmp_path / "srg.csv")]
    for command in commands:
        result = runner.invoke(app, [*command, "--db", sqlite_url])
        assert result.exit_code == 0, result.output
    entries = audit_rows(sqlite_url)
    assert [(a, o) for a, o, _ in entries] == [
        ("IMPORT", "import"),
        ("EXPORT", "analytics_export"),
        ("EXPORT", "folder_export"),
        ("EXPORT", "srg_export"),
    ]
    imported, analytics, folder, srg = (p for _, _, p in entries)
    assert "rijen" in imported and "example" in imported
    assert "analyse-export" in analytics and "naar " in analytics
    assert "importmap (met BSN, versleuteld en ondertekend)" in folder and "rijen in" in folder
    assert "SRG-levering 2019-10" in srg and "6 rijen" in srg


def test_rejected_cli_import_is_audited_with_the_rejects_file(sqlite_url, tmp_path):
    folder = tmp_path / "fout"
    folder.mkdir()
    (folder / "persons.csv").write_text("id;bsn\nP1;123\n", encoding="utf-8")
    rejects = tmp_path / "afgekeurd.csv"
    result = runner.invoke(
        app, ["import", str(folder), "--db", sqlite_url, "--rejects", str(rejects)]
    )
    assert result.exit_code == 1
    ((action, _, purpose),) = audit_rows(sqlite_url)
    assert action == "IMPORT" and "geweigerd" in purpose and rejects.name in purpose
