"""The monthly CBS SRG delivery (Statistiek Re-integratie door Gemeenten): one record per provision.

The record layout is data, versioned: ``srg_layout.csv`` lists every field with its position,
format and the layouts it belongs to. ``2015`` is the statutory annex of the Regeling statistiek
Participatiewet (19 fields); ``2016`` drops the ladder position, its date and the end reason,
which CBS has derived from registers since 1 January 2016 (design/srg.md). The 2019/2021 layout
and the file format CBS expects are not public in the sources we have, so this writes the
*record content* as a semicolon CSV for checking against the guideline, not a certified file.

Unlike the analytics extract this delivery carries BSN and birth date: CBS needs them. The file
is written readable by its owner only.
"""

from __future__ import annotations

import calendar
import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from werkpad import __version__
from werkpad.protected.modes import open_private
from werkpad.protected.spreadsheet import safe_frame
from werkpad.store.models import (
    Assessment,
    Candidate,
    Placement,
    PlacementInstrument,
    Provision,
    ProvisionType,
    Route,
)

LAYOUT_FILE = Path(__file__).resolve().parent / "srg_layout.csv"
LKS_TYPES = ("01", "04")  # provision types that carry a loonwaarde
_SEX = {"M": "1", "V": "2"}
_END_REASON = {"COMPLETED": "1", "STOPPED_EARLY": "2", "STOPPED_EXTERNAL": "3"}


@dataclass(frozen=True)
class SrgField:
    code: str
    label_nl: str
    position: int
    group: str
    format: str
    width: int


def layout_versions() -> list[str]:
    with LAYOUT_FILE.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    return [c.removeprefix("layout_") for c in header if c.startswith("layout_")]


def srg_layout(version: str) -> list[SrgField]:
    """The fields of layout ``version`` in delivery order."""
    if version not in layout_versions():
        raise ValueError(
            f"onbekende SRG-indeling {version!r}; kies uit {', '.join(layout_versions())}"
        )
    with LAYOUT_FILE.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r[f"layout_{version}"].strip() == "true"]
    fields = [
        SrgField(
            r["code"], r["label_nl"], int(r["sort_order"]), r["group"], r["format"], int(r["width"])
        )
        for r in rows
    ]
    return sorted(fields, key=lambda f: f.position)


@dataclass(frozen=True)
class SrgDelivery:
    """Who delivers which month in which layout."""

    year: int
    month: int
    gemeentecode: str  # CBS municipality code, 4 digits
    berichtgevercode: str  # sender code, 4 digits
    layout: str = "2016"
    software: str = "WPD"
    release: str = __version__

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12):
            raise ValueError("maand moet tussen 1 en 12 liggen")
        for name in ("gemeentecode", "berichtgevercode"):
            value = getattr(self, name)
            if not (len(value) == 4 and value.isdigit()):
                raise ValueError(f"{name} moet uit 4 cijfers bestaan, niet {value!r}")

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


def _frame(engine: Engine, statement: object, columns: list[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(statement).all()  # type: ignore[call-overload]
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def read_srg_sources(engine: Engine) -> dict[str, pd.DataFrame]:
    """Persons, provisions with their SRG type, ladder/loonwaarde history and LKS instruments."""
    return {
        "persons": _frame(
            engine,
            select(Candidate.id, Candidate.bsn, Candidate.birth_date, Candidate.sex),
            ["person_id", "bsn", "birth_date", "sex"],
        ),
        "provisions": _frame(
            engine,
            select(
                Provision.id,
                Provision.source_id,
                Route.candidate_id,
                ProvisionType.srg_code,
                Provision.start_date,
                Provision.end_date,
                Provision.result,
            )
            .join(Route, Route.id == Provision.route_id)
            .join(ProvisionType, ProvisionType.id == Provision.provision_type_id),
            ["id", "source_id", "person_id", "srg_code", "start_date", "end_date", "result"],
        ),
        "assessments": _frame(
            engine,
            select(
                Assessment.candidate_id,
                Assessment.assessed_on,
                Assessment.ladder_step,
                Assessment.loonwaarde_pct,
            ),
            ["person_id", "assessed_on", "ladder_step", "loonwaarde_pct"],
        ),
        "lks": _frame(
            engine,
            select(
                Placement.candidate_id,
                PlacementInstrument.loonwaarde_pct,
                PlacementInstrument.start_date,
                PlacementInstrument.end_date,
            )
            .join(Placement, Placement.id == PlacementInstrument.placement_id)
            .where(PlacementInstrument.instrument == "LKS"),
            ["person_id", "loonwaarde_pct", "start_date", "end_date"],
        ),
    }


def _ymd(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return pd.Timestamp(str(value)).strftime("%Y%m%d")


def _latest_on(frame: pd.DataFrame, value: str, when: str, day: date) -> pd.DataFrame:
    """Per person the latest row with ``value`` filled in, dated on or before ``day``."""
    dated = frame[frame[value].notna() & (pd.to_datetime(frame[when]) <= pd.Timestamp(day))]
    return dated.sort_values(when).groupby("person_id").tail(1).set_index("person_id")


def srg_records(sources: dict[str, pd.DataFrame], delivery: SrgDelivery) -> pd.DataFrame:
    """The delivery's records (pure): every provision running in the reporting month.

    Running: started on or before the month's last day and not ended before its first day.
    An end date (and end reason) is delivered only when it falls on or before the last day;
    a later end is still a plan. Loonwaarde is given for LKS types (01, 04): the LKS instrument
    running in the month, else the latest assessed loonwaarde.
    """
    first, last = pd.Timestamp(delivery.first_day), pd.Timestamp(delivery.last_day)
    provisions = sources["provisions"].copy()
    start = pd.to_datetime(provisions["start_date"])
    end = pd.to_datetime(provisions["end_date"])
    running = (start <= last) & (end.isna() | (end >= first))
    provisions, end = provisions[running], end[running]
    ended = end.notna() & (end <= last)

    persons = sources["persons"].set_index("person_id")
    person = provisions["person_id"]
    ladder = _latest_on(sources["assessments"], "ladder_step", "assessed_on", delivery.last_day)
    assessed_lw = _latest_on(
        sources["assessments"], "loonwaarde_pct", "assessed_on", delivery.last_day
    )
    lks = sources["lks"]
    lks_running = (
        lks[
            lks["loonwaarde_pct"].notna()
            & (pd.to_datetime(lks["start_date"]).fillna(first) <= last)
            & (pd.to_datetime(lks["end_date"]).isna() | (pd.to_datetime(lks["end_date"]) >= first))
        ]
        .groupby("person_id")["loonwaarde_pct"]
        .last()
    )
    loonwaarde = person.map(lks_running).fillna(person.map(assessed_lw["loonwaarde_pct"]))
    loonwaarde = loonwaarde.where(provisions["srg_code"].isin(LKS_TYPES))

    registration = provisions["source_id"].where(
        provisions["source_id"].notna() & (provisions["source_id"].str.len() <= 15),
        "WP" + provisions["id"].astype(str),
    )
    values = {
        "statistiekjaar": f"{delivery.year:04d}",
        "statistiekmaand": f"{delivery.month:02d}",
        "statistiekcode": "10",
        "softwarepakket": delivery.software,
        "softwareversie": delivery.release[:12],
        "gemeentecode": delivery.gemeentecode,
        "berichtgevercode": delivery.berichtgevercode,
        "bsn": person.map(persons["bsn"]),
        "geboortedatum": person.map(persons["birth_date"]).map(_ymd),
        "geslacht": person.map(persons["sex"]).map(lambda s: _SEX.get(s, "")),
        "participatieladder": person.map(ladder["ladder_step"]).map(
            lambda v: "" if pd.isna(v) else str(int(v))
        ),
        "participatieladder_begin": person.map(ladder["assessed_on"]).map(_ymd),
        "arbeidsvermogen": "",  # codes not in the public sources (design/srg.md)
        "registratienummer": registration,
        "type_voorziening": provisions["srg_code"],
        "begindatum": provisions["start_date"].map(_ymd),
        "einddatum": provisions["end_date"].where(ended, None).map(_ymd),
        "reden_einde": provisions["result"]
        .where(ended, None)
        .map(lambda r: _END_REASON.get(r, "") if isinstance(r, str) else ""),
        "loonwaarde": loonwaarde.map(lambda v: "" if pd.isna(v) else f"{int(v):03d}"),
    }
    frame = pd.DataFrame(values, index=provisions.index)
    columns = [f.code for f in srg_layout(delivery.layout)]
    return frame[columns].sort_values(["bsn", "registratienummer"]).reset_index(drop=True)


def write_srg(records: pd.DataFrame, path: Path) -> Path:
    """Semicolon CSV, UTF-8, header of field codes; owner-only because it holds BSNs, and
    formula-safe (a registration number comes from the source system)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_private(path, "w", encoding="utf-8", newline="") as handle:
        safe_frame(records).to_csv(handle, sep=";", index=False)
    return path


def export_srg(engine: Engine, delivery: SrgDelivery, path: Path) -> pd.DataFrame:
    """Build and write the SRG records of ``delivery``; returns them."""
    records = srg_records(read_srg_sources(engine), delivery)
    write_srg(records, path)
    return records
