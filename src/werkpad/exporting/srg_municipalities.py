"""The SRG delivery of a regional service: CBS receives one delivery per municipality code.

A provision belongs to the municipality of its person on the last day of the reporting month:
the municipality of the person's latest benefit dossier opened on or before that day; a person
without a dossier (NUO) belongs to the service's default municipality. Every municipality
needs its CBS code; the records are those of ``srg.srg_records``, one file per code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from werkpad.exporting.srg import SrgDelivery, read_srg_sources, srg_records, write_srg
from werkpad.store.models import BenefitDossier, DossierMember, Municipality


@dataclass(frozen=True)
class MunicipalDelivery:
    gemeentecode: str
    name: str
    path: Path
    records: int


def _frame(engine: Engine, statement: object, columns: list[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(statement).all()  # type: ignore[call-overload]
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def person_municipality(engine: Engine, day: pd.Timestamp) -> tuple[pd.Series, int | None]:
    """Per person the municipality of their latest dossier opened on or before ``day``, and
    the default municipality for everybody else."""
    dossiers = _frame(
        engine,
        select(
            DossierMember.candidate_id,
            BenefitDossier.opened_on,
            BenefitDossier.id,
            BenefitDossier.municipality_id,
        )
        .join(BenefitDossier, BenefitDossier.id == DossierMember.dossier_id)
        .where(BenefitDossier.opened_on <= day.date()),
        ["person_id", "opened_on", "dossier_id", "municipality_id"],
    )
    places = _frame(
        engine,
        select(Municipality.id, Municipality.is_default).order_by(Municipality.id),
        ["id", "is_default"],
    )
    defaults = places.loc[places["is_default"].astype(bool), "id"].tolist()
    default = int(defaults[0]) if defaults else None
    latest = dossiers.sort_values(["opened_on", "dossier_id"]).groupby("person_id").last()
    return latest["municipality_id"].astype("int64"), default


def export_srg_per_municipality(
    engine: Engine, delivery: SrgDelivery, out_dir: Path
) -> list[MunicipalDelivery]:
    """One SRG file per municipality of the service (``srg-<code>-<yyyymm>.csv`` in
    ``out_dir``); ``delivery.gemeentecode`` is replaced by each municipality's code. A
    municipality without a CBS code stops the export before anything is written."""
    places = _frame(
        engine,
        select(Municipality.id, Municipality.name, Municipality.cbs_code).order_by(
            Municipality.cbs_code, Municipality.id
        ),
        ["id", "name", "cbs_code"],
    )
    missing = places.loc[places["cbs_code"].isna(), "name"].tolist()
    if missing:
        raise ValueError(
            "Geef eerst elke gemeente een CBS-gemeentecode; zonder code: " + ", ".join(missing)
        )
    if places.empty:
        raise ValueError("Er is nog geen gemeente vastgelegd; er is niets te leveren.")
    sources = read_srg_sources(engine)
    homes, default = person_municipality(engine, pd.Timestamp(delivery.last_day))
    provisions = sources["provisions"]
    owner = provisions["person_id"].map(homes).fillna(default if default is not None else -1)
    deliveries = []
    for place_id, name, code in places.itertuples(index=False):
        own = {**sources, "provisions": provisions[owner == place_id].reset_index(drop=True)}
        records = srg_records(own, replace(delivery, gemeentecode=str(code)))
        path = out_dir / f"srg-{code}-{delivery.year:04d}{delivery.month:02d}.csv"
        write_srg(records, path)
        deliveries.append(MunicipalDelivery(str(code), str(name), path, len(records)))
    return deliveries
