"""The SRG delivery: provisions running in the month, fields per layout, BSN kept private."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from werkpad.cli.exporting import export_app
from werkpad.domain.bsn import is_valid_bsn
from werkpad.exporting.srg import (
    SrgDelivery,
    export_srg,
    read_srg_sources,
    srg_layout,
    srg_records,
)
from werkpad.importing import EXAMPLE_FOLDER, import_folder
from werkpad.store.db import make_engine


@pytest.fixture
def sources(database_url: str) -> dict[str, pd.DataFrame]:
    import_folder(database_url, EXAMPLE_FOLDER)
    engine = make_engine(database_url)
    yield read_srg_sources(engine)
    engine.dispose()


def delivery(month: int, layout: str = "2016", year: int = 2019) -> SrgDelivery:
    return SrgDelivery(year, month, "0518", "0001", layout=layout)


def test_srg_delivers_every_provision_running_in_the_month(sources):
    records = srg_records(sources, delivery(10))
    # V003 ended 30 September; V001/V011 ended in spring; V005 and V008 start in 2020
    assert sorted(records["registratienummer"]) == ["V002", "V004", "V006", "V007", "V009", "V010"]
    assert records["bsn"].map(is_valid_bsn).all()
    assert set(records["statistiekcode"]) == {"10"}


def test_srg_end_date_and_reason_only_when_the_provision_ended_by_month_end(sources):
    october = srg_records(sources, delivery(10, "2015")).set_index("registratienummer")
    december = srg_records(sources, delivery(12, "2015")).set_index("registratienummer")
    assert october.at["V006", "einddatum"] == "" and october.at["V006", "reden_einde"] == ""
    assert december.at["V006", "einddatum"] == "20191215"
    assert december.at["V006", "reden_einde"] == "1"  # COMPLETED


def test_srg_2015_layout_has_ladder_fields_and_2016_drops_them(sources):
    old = srg_records(sources, delivery(10, "2015"))
    new = srg_records(sources, delivery(10, "2016"))
    assert list(old.columns) == [f.code for f in srg_layout("2015")] and len(old.columns) == 19
    dropped = set(old.columns) - set(new.columns)
    assert dropped == {"participatieladder", "participatieladder_begin", "reden_einde"}
    row = old.set_index("registratienummer").loc["V002"]
    assert (row["participatieladder"], row["participatieladder_begin"]) == ("3", "20190120")
    assert (row["geboortedatum"], row["geslacht"], row["begindatum"]) == (
        "19650110",
        "2",
        "20190401",
    )


def test_srg_file_is_owner_only_and_refuses_bad_delivery_codes(sqlite_url, tmp_path):
    import_folder(sqlite_url, EXAMPLE_FOLDER)
    engine = make_engine(sqlite_url)
    path = tmp_path / "srg.csv"
    export_srg(engine, delivery(10), path)
    engine.dispose()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text(encoding="utf-8").splitlines()[0].startswith("statistiekjaar;")
    with pytest.raises(ValueError, match="4 cijfers"):
        SrgDelivery(2019, 10, "518", "0001")
    with pytest.raises(ValueError, match="onbekende SRG-indeling"):
        srg_layout("2031")


def test_srg_command_writes_the_delivery(sqlite_url, tmp_path):
    import_folder(sqlite_url, EXAMPLE_FOLDER)
    out = tmp_path / "levering.csv"
    result = CliRunner().invoke(
        export_app,
        [
            "srg",
            "--year",
            "2019",
            "--month",
            "10",
            "--gemeentecode",
            "0518",
            "--berichtgevercode",
            "0001",
            "--db",
            sqlite_url,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out, sep=";", dtype=str)) == 6
