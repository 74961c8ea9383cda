"""The pseudonymised analytics extract: what leaves the operational store for analysis.

Allow-list, not block-list: only the columns named in ``EXTRACT_COLUMNS`` are ever read, so a
new column in the schema stays inside until someone adds it here on purpose. People appear as a
keyed pseudonym (``person``) instead of BSN, internal id and name; birth date becomes birth
year; postcodes keep their four digits. Free text (summaries, reasons, notes, descriptions) and
contact details are never exported: they are where names hide.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from werkpad.exporting.pseudonym import key_fingerprint, person_pseudonym
from werkpad.protected.modes import open_private, private_dir
from werkpad.protected.spreadsheet import safe_frame
from werkpad.store.models import Base

EXTRACT_VERSION = "1"
FORMATS = ("parquet", "csv")

# extract table -> (database table, columns read)
EXTRACT_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "persons": (
        "candidate",
        (
            "id",
            "bsn",
            "birth_date",
            "sex",
            "postcode",
            "migration_background",
            "statushouder",
            "education_level",
            "team_id",
            "registered_on",
        ),
    ),
    "teams": ("team", ("id", "name", "fte")),
    "dossiers": ("benefit_dossier", ("id", "opened_on", "closed_on")),
    "dossier_members": ("dossier_member", ("dossier_id", "candidate_id", "member_role")),
    "benefit_spells": (
        "benefit_spell",
        (
            "id",
            "candidate_id",
            "dossier_id",
            "benefit_type",
            "application_date",
            "start_date",
            "end_date",
            "end_reason",
            "monthly_amount",
        ),
    ),
    "assessments": (
        "assessment",
        (
            "id",
            "candidate_id",
            "assessed_on",
            "scheme",
            "segment",
            "ladder_step",
            "loonwaarde_pct",
            "loonwaarde_measured",
            "language_level",
            "work_disability",
            "proposed_route_type",
        ),
    ),
    "exemptions": (
        "exemption",
        ("id", "candidate_id", "exemption_type", "start_date", "end_date", "review_date"),
    ),
    "plans": ("plan", ("id", "candidate_id", "created_on", "status")),
    "routes": (
        "route",
        (
            "id",
            "candidate_id",
            "plan_id",
            "team_id",
            "route_type",
            "start_date",
            "end_date",
            "end_reason",
        ),
    ),
    "provisions": (
        "provision",
        (
            "id",
            "route_id",
            "provision_type_id",
            "provider_id",
            "planned_start",
            "planned_end",
            "start_date",
            "end_date",
            "cost",
            "result",
        ),
    ),
    "provision_types": (
        "provision_type",
        (
            "id",
            "code",
            "name",
            "kind",
            "gos_code",
            "srg_code",
            "phase",
            "is_language",
            "is_work_directed_training",
            "unit_cost",
            "typical_weeks",
        ),
    ),
    "providers": ("provider", ("id", "name", "kind")),
    "contacts": ("contact", ("id", "candidate_id", "contact_date", "contact_type")),
    "referrals": (
        "referral",
        ("id", "candidate_id", "route_id", "referred_on", "state", "picked_up_on", "closed_on"),
    ),
    "employers": ("employer", ("id", "sector", "size_class", "postcode")),
    "vacancies": (
        "vacancy",
        (
            "id",
            "employer_id",
            "occupation",
            "sector",
            "hours_per_week",
            "postcode",
            "start_date",
            "opened_on",
            "closed_on",
            "suitable_for_lks",
            "suitable_for_garantiebaan",
        ),
    ),
    "placements": (
        "placement",
        (
            "id",
            "candidate_id",
            "route_id",
            "employer_id",
            "vacancy_id",
            "start_date",
            "end_date",
            "job_type",
            "contract_type",
            "hours_per_week",
            "claimed_by_team_id",
            "claimed_by_provider_id",
        ),
    ),
    "placement_instruments": (
        "placement_instrument",
        ("id", "placement_id", "instrument", "loonwaarde_pct", "start_date", "end_date", "amount"),
    ),
    "follow_ups": (
        "follow_up",
        ("id", "placement_id", "months", "due_date", "done_on", "still_working", "back_on_benefit"),
    ),
    "budgets": ("budget", ("year", "cost_item", "amount")),
    "cost_lines": ("cost_line", ("id", "booked_on", "cost_item", "amount", "provision_id")),
}


def read_operational_tables(engine: Engine) -> dict[str, pd.DataFrame]:
    """The allow-listed columns of the store, still identifying: never write these out."""
    frames: dict[str, pd.DataFrame] = {}
    with engine.connect() as conn:
        for name, (table_name, columns) in EXTRACT_COLUMNS.items():
            table = Base.metadata.tables[table_name]
            rows = conn.execute(select(*(table.c[c] for c in columns))).all()
            frames[name] = pd.DataFrame([tuple(r) for r in rows], columns=list(columns))
    return frames


def postcode4(values: pd.Series) -> pd.Series:
    """The four digits of a Dutch postcode (the letters narrow it to a street)."""
    digits = values.astype(object).where(values.notna(), "").astype(str).str.slice(0, 4)
    return digits.where(digits.str.fullmatch(r"\d{4}"), None)


def pseudonymise(raw: dict[str, pd.DataFrame], key: bytes) -> dict[str, pd.DataFrame]:
    """Turn the operational tables into the analytics extract (pure).

    ``candidate_id`` columns become ``person`` (the keyed pseudonym of the person's BSN); the
    persons table loses BSN and internal id, keeps birth year and four-digit postcode.
    """
    persons = raw["persons"]
    pseudonym_of = dict(
        zip(persons["id"], (person_pseudonym(key, str(b)) for b in persons["bsn"]), strict=True)
    )
    out: dict[str, pd.DataFrame] = {}
    for name, frame in raw.items():
        frame = frame.copy()
        if name == "persons":
            frame.insert(0, "person", frame["id"].map(pseudonym_of))
            frame.insert(1, "birth_year", pd.to_datetime(frame["birth_date"]).dt.year)
            frame = frame.drop(columns=["id", "bsn", "birth_date"])
        if "candidate_id" in frame.columns:
            position = frame.columns.get_loc("candidate_id")
            assert isinstance(position, int)
            frame.insert(position, "person", frame["candidate_id"].map(pseudonym_of))
            frame = frame.drop(columns=["candidate_id"])
        if "postcode" in frame.columns:
            frame["postcode"] = postcode4(frame["postcode"])
            frame = frame.rename(columns={"postcode": "postcode4"})
        out[name] = frame
    return out


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    files: list[Path]
    rows: dict[str, int]
    key_fingerprint: str


def write_extract(
    frames: dict[str, pd.DataFrame],
    folder: Path,
    key: bytes,
    formats: Iterable[str] = FORMATS,
) -> ExportResult:
    """Write each table as Parquet and/or CSV (UTF-8, ISO dates) plus a manifest.json.

    The folder is 0700 and every file 0600 (the extract is still personal data), and CSV text
    cells are formula-safe (``werkpad.protected.spreadsheet``).
    """
    private_dir(folder)
    files: list[Path] = []
    chosen = list(formats)
    unknown = set(chosen) - set(FORMATS)
    if unknown:
        raise ValueError(f"onbekend formaat: {', '.join(sorted(unknown))}")
    for name, frame in frames.items():
        if "parquet" in chosen:
            path = folder / f"{name}.parquet"
            with open_private(path, "wb") as handle:
                frame.to_parquet(handle, index=False)
            files.append(path)
        if "csv" in chosen:
            path = folder / f"{name}.csv"
            with open_private(path, "w", encoding="utf-8", newline="") as handle:
                safe_frame(frame).to_csv(handle, index=False)
            files.append(path)
    rows = {name: len(frame) for name, frame in frames.items()}
    fingerprint = key_fingerprint(key)
    manifest = {
        "extract": "werkpad-analytics",
        "version": EXTRACT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "key_fingerprint": fingerprint,
        "rows": rows,
        "columns": {name: list(frame.columns) for name, frame in frames.items()},
    }
    manifest_path = folder / "manifest.json"
    with open_private(manifest_path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(manifest, indent=2))
    files.append(manifest_path)
    return ExportResult(folder, files, rows, fingerprint)


def export_analytics(
    engine: Engine, folder: Path, key: bytes, formats: Iterable[str] = FORMATS
) -> ExportResult:
    """Read, pseudonymise and write the analytics extract to ``folder``."""
    return write_extract(pseudonymise(read_operational_tables(engine), key), folder, key, formats)
