"""The SRG delivery of a regional service: one file per CBS municipality code, each provision
in the file of its person's municipality, together exactly the single delivery."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from typer.testing import CliRunner

from werkpad.cli.exporting import export_app
from werkpad.exporting.srg import SrgDelivery, read_srg_sources, srg_records
from werkpad.exporting.srg_municipalities import export_srg_per_municipality
from werkpad.importing import EXAMPLE_FOLDER, import_folder
from werkpad.store.db import make_engine

DELIVERY = SrgDelivery(2019, 10, "0000", "0001")


def _two_municipalities(url: str) -> sa.Engine:
    import_folder(url, EXAMPLE_FOLDER)  # one default municipality, "Gemeente"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE municipality SET name = 'Hillegom', cbs_code = '0534'"))
        conn.execute(
            sa.text(
                "INSERT INTO municipality (name, cbs_code, is_default) VALUES ('Lisse', '0553', :f)"
            ),
            {"f": False},
        )
        conn.execute(
            sa.text(
                "UPDATE benefit_dossier SET municipality_id = "
                "(SELECT id FROM municipality WHERE cbs_code = '0553') "
                "WHERE dossier_number IN ('D-1001', 'D-1003')"
            )
        )
    return engine


def _lisse_bsns(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT c.bsn FROM candidate c JOIN dossier_member dm ON dm.candidate_id = c.id "
                "JOIN benefit_dossier d ON d.id = dm.dossier_id "
                "WHERE d.dossier_number IN ('D-1001', 'D-1003')"
            )
        ).scalars()
        return set(rows)


def test_srg_writes_one_delivery_per_municipality_code(database_url: str, tmp_path: Path) -> None:
    engine = _two_municipalities(database_url)
    try:
        deliveries = export_srg_per_municipality(engine, DELIVERY, tmp_path)
        single = srg_records(read_srg_sources(engine), DELIVERY)
        lisse = _lisse_bsns(engine)
    finally:
        engine.dispose()
    assert [d.gemeentecode for d in deliveries] == ["0534", "0553"]
    files = {
        d.gemeentecode: pd.read_csv(d.path, sep=";", dtype=str, keep_default_na=False)
        for d in deliveries
    }
    assert (tmp_path / "srg-0553-201910.csv").is_file()
    for code, frame in files.items():
        assert set(frame["gemeentecode"]) <= {code}
    assert set(files["0553"]["bsn"]) <= lisse and len(files["0553"]) > 0
    assert not set(files["0534"]["bsn"]) & lisse
    joined = pd.concat(files.values())
    assert sorted(joined["registratienummer"]) == sorted(single["registratienummer"])


def test_srg_per_municipality_refuses_a_municipality_without_code(
    sqlite_url: str, tmp_path: Path
) -> None:
    import_folder(sqlite_url, EXAMPLE_FOLDER)  # the default municipality has no CBS code
    result = CliRunner().invoke(
        export_app,
        [
            "srg-gemeenten",
            "--year",
            "2019",
            "--month",
            "10",
            "--berichtgevercode",
            "0001",
            "--out",
            str(tmp_path),
            "--db",
            sqlite_url,
        ],
    )
    assert result.exit_code == 2
    assert "CBS-gemeentecode" in result.output and "Gemeente" in result.output
    assert not list(tmp_path.glob("*.csv"))


def test_srg_per_municipality_command_writes_each_file(sqlite_url: str, tmp_path: Path) -> None:
    engine = _two_municipalities(sqlite_url)
    engine.dispose()
    result = CliRunner().invoke(
        export_app,
        [
            "srg-gemeenten",
            "--year",
            "2019",
            "--month",
            "10",
            "--berichtgevercode",
            "0001",
            "--out",
            str(tmp_path),
            "--db",
            sqlite_url,
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == [
        "srg-0534-201910.csv",
        "srg-0553-201910.csv",
    ]
