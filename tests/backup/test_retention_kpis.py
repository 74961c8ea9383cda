"""Retention (issue 15): pseudonymise people past their period; the figures stay identical."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from werkpad.cli import app
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import Candidate, Contact, Correction

runner = CliRunner()
LATER = "2031-01-01"  # the synthetic history ends in 2020: seven years later most is due


def _kpis(db: str) -> dict[str, object]:
    result = runner.invoke(app, ["kpi", "--json", "--db", db, "--peildatum", "2020-12-31"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_retention_pseudonymises_past_their_period_and_the_kpis_stay_identical(
    synth_sqlite: str, tmp_path: Path
) -> None:
    source = make_engine(synth_sqlite).url.database or ""
    copy = tmp_path / "retention.db"
    shutil.copy(source, copy)
    db = f"sqlite:///{copy}"
    before = _kpis(db)
    engine = make_engine(db)
    with session_factory(engine)() as s:
        bsns_before = set(s.scalars(select(Candidate.bsn)))
    dry = runner.invoke(app, ["retention", "--dry-run", "--today", LATER, "--db", db])
    assert dry.exit_code == 0 and "Proefdraai" in dry.output
    with session_factory(engine)() as s:
        assert set(s.scalars(select(Candidate.bsn))) == bsns_before  # the dry run wrote nothing
    done = runner.invoke(app, ["retention", "--apply", "--today", LATER, "--db", db])
    assert done.exit_code == 0, done.output
    with session_factory(engine)() as s:
        gone = s.scalars(select(Candidate).where(Candidate.last_name == "Gepseudonimiseerd")).all()
        assert gone, "nothing was due: the test proves nothing"
        for person in gone:
            assert person.bsn.startswith("X") and person.bsn not in bsns_before
            assert person.first_name == "" and person.phone is None and person.email is None
            assert person.street is None and (person.postcode is None or len(person.postcode) == 4)
        ids = [p.id for p in gone]
        summaries = set(s.scalars(select(Contact.summary).where(Contact.candidate_id.in_(ids))))
        assert summaries <= {"[verwijderd]"}
        assert not s.scalar(
            select(func.count()).select_from(Correction).where(Correction.candidate_id.in_(ids))
        )
    engine.dispose()
    assert _kpis(db) == before
    # A second run finds nothing new.
    again = runner.invoke(app, ["retention", "--apply", "--today", LATER, "--db", db])
    assert "0 kandidaten" in again.output
