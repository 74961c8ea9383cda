"""The casework file kinds (plans, referrals, work profiles, proposals, follow-ups): valid rows
arrive typed and a re-import changes nothing; every bad row is named with its field in Dutch
and then nothing at all is written."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from werkpad.importing import ImportRejected, import_folder
from werkpad.store.db import make_engine

GOOD = {
    "plans": "id;candidate_id;created_on;goal;sub_goals;status;created_by\n"
    'PLN1;P001;2019-02-01;Werk in de zorg;"Taal\nWerkritme";;\n',
    "referrals": "id;candidate_id;route_id;referred_on;state;work_wishes\n"
    "AM1;P001;R001;2019-06-01;OPEN;Zorg, dichtbij\n",
    "work_profiles": "candidate_id;wished_occupations;wished_sectors;days;hours_min;hours_max;"
    "transport;radius_km;restrictions;last_confirmed_on\n"
    "P001;Helpende zorg;CARE;WO, MA, MA;16;32;FIETS;10;NIGHT;2019-06-01\n",
    "proposals": "id;vacancy_id;candidate_id;state;created_on;consent_on\n"
    "VS1;VAC001;P002;PLACED;2019-08-15;2019-08-20\n",
    "follow_ups": "placement_id;months;due_date;done_on;still_working;back_on_benefit\n"
    "PL001;6;2020-03-30;2020-04-02;ja;nee\nPL001;12;2020-09-30;;;\n",
}


def _write(folder: Path, files: dict[str, str]) -> None:
    for kind, text in files.items():
        (folder / f"{kind}.csv").write_text(text, encoding="utf-8")


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def test_casework_files_import_typed_and_a_reimport_changes_nothing(database_url, folder):
    _write(folder, GOOD)
    import_folder(database_url, folder)
    report = import_folder(database_url, folder)
    assert report.inserted == 0
    (profile,) = _rows(database_url, "SELECT days, restrictions, radius_km FROM work_profile")
    days = profile[0] if isinstance(profile[0], list) else __import__("json").loads(profile[0])
    assert days == ["MA", "WO"] and profile[2] == 10  # sorted, without doubles, as on screen
    assert _rows(database_url, "SELECT count(*) FROM follow_up") == [(2,)]
    (route_plan,) = _rows(
        database_url,
        "SELECT p.goal FROM plan p WHERE p.source_id = 'PLN1'",
    )
    assert route_plan == ("Werk in de zorg",)
    assert _rows(database_url, "SELECT state, consent_on IS NOT NULL FROM proposal") in (
        [("PLACED", True)],
        [("PLACED", 1)],
    )


@pytest.mark.parametrize(
    ("kind", "text", "column", "reason"),
    [
        (
            "follow_ups",
            "placement_id;months;due_date;done_on\nPL001;6;2020-03-30;2020-03-01\n",
            "done_on",
            "ligt vóór due_date",
        ),
        (
            "follow_ups",
            "placement_id;months;due_date\nPL001;9;2020-06-30\n",
            "months",
            "nazorg is na 6, 12 of 18 maanden",
        ),
        (
            "proposals",
            "id;vacancy_id;candidate_id;state;created_on\nVS1;VAC001;P002;INTERVIEW;2019-08-15\n",
            "consent_on",
            "zonder toestemming",
        ),
        (
            "work_profiles",
            "candidate_id;days;hours_min;hours_max;transport;radius_km;last_confirmed_on\n"
            "P001;MA, MAANDAG;16;8;FIETS;10;2019-06-01\n",
            "days",
            "onbekende code 'MAANDAG'",
        ),
        (
            "work_profiles",
            "candidate_id;days;hours_min;hours_max;transport;radius_km;last_confirmed_on\n"
            "P001;MA;16;8;FIETS;10;2019-06-01\n",
            "hours_max",
            "kleiner dan hours_min",
        ),
        (
            "provisions",
            None,
            "end_date",
            "een beëindigde voorziening heeft een einddatum nodig",
        ),
        (
            "referrals",
            "id;candidate_id;referred_on;state\nAM1;P404;2019-06-01;OPEN\n",
            "candidate_id",
            "verwijst naar onbekende rij",
        ),
    ],
)
def test_a_bad_casework_row_is_named_in_dutch_and_nothing_is_written(
    sqlite_url, folder, counts, kind, text, column, reason
):
    if text is None:  # a provision that says it ended, without an end date
        path = folder / "provisions.csv"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "2019-10-15,,2400,,,", "2019-10-15,,2400,COMPLETED,COMPLETED,"
            ),
            encoding="utf-8",
        )
    else:
        _write(folder, {kind: text})
    before = counts(sqlite_url)
    with pytest.raises(ImportRejected) as rejected:
        import_folder(sqlite_url, folder)
    found = [e for e in rejected.value.errors if e.column == column and reason in e.reason]
    assert found, [str(e) for e in rejected.value.errors]
    assert found[0].row == 2 or kind == "provisions"
    assert counts(sqlite_url) == before
