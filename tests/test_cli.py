from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from werkpad.cli import _safe, app

runner = CliRunner()


def test_db_upgrade_creates_schema_and_code_lists_in_the_given_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    result = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert result.exit_code == 0, result.output
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM code WHERE list_name='job_type'")) == 6


def test_database_url_from_environment_is_used_when_no_option(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    result = runner.invoke(app, ["db", "upgrade"], env={"WERKPAD_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()


def test_printed_urls_never_show_a_password() -> None:
    assert _safe("postgresql://werkpad:geheim@db:5432/w") == "postgresql://werkpad@db:5432/w"


def test_every_documented_subcommand_is_mounted() -> None:
    result = runner.invoke(app, ["--help"])
    for command in (
        "demo",
        "serve",
        "synth",
        "db",
        "import",
        "export",
        "evaluate",
        "kpi",
        "report",
        "match",
        "backup",
        "restore",
        "audit",
    ):
        assert command in result.output
