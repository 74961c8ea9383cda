"""One service, several municipalities: a snapshot narrowed to one municipality, the service
as a whole with its internal moves netted out, and the inflow and outflow of dossiers by reason
as the ISD Bollenstreek publishes them per municipality (KplusV 2018, Bijlage 3).

Definitions (version 1):

* A **dossier** belongs to the municipality recorded on it; its **spells** go with it. A
  **person** belongs to the municipality of their latest dossier opened on or before the
  reference date; every person-keyed frame (routes, placements, diagnoses, contacts, ...)
  follows the person, provisions follow their routes. A person who never had a benefit dossier
  (NUO) belongs to no single municipality: only the service total counts them.
* **Money** (budgets, cost lines) is booked per municipality and follows its municipality.
* **Staff** of a shared service work across its municipalities, so a municipality's snapshot
  has no staff of its own; its caseload per FTE divides by the klantmanager formation the
  service states for that municipality and year (``municipality_fte``), none without it.
* A **move within the service** closes the dossier in one municipality (end reason ``MOVED``)
  and opens a linked one in the other (``moved_from_dossier_id``). Each municipality counts it
  as outflow and inflow; the **service total** joins the two into one dossier that runs from
  the first opening to the last closing in the last municipality, so it is neither.
* **Inflow by reason**: dossiers opened in the year by the inflow reason of the spell that
  opened them; **outflow by reason**: dossiers closed in the year by the end reason of the
  spell that ended on the closing date (``Onbekend`` without one), with a ``Totaal`` per flow.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Any

import pandas as pd

from werkpad.analytics.cohort_outflow import closure_reasons
from werkpad.analytics.coverage import UNKNOWN
from werkpad.analytics.snapshot import Snapshot

_PERSON_FRAMES = ("routes", "placements", "assessments", "exemptions", "contacts", "life_domains")
TOTAL = "Totaal"


def municipality_of_persons(dossiers: pd.DataFrame) -> pd.Series:
    """Per person (index) the municipality of their latest opened dossier."""
    if dossiers.empty or "municipality_id" not in dossiers.columns:
        return pd.Series(dtype="int64", name="municipality_id")
    latest = dossiers.sort_values(["opened_on", "dossier_id"], kind="stable")
    return latest.groupby("person")["municipality_id"].last().astype("int64")


def restrict_to_municipality(snap: Snapshot, municipality_id: int) -> Snapshot:
    """The snapshot of one municipality of the service (see the module text): every frame is
    narrowed consistently, so every KPI computed on it is that municipality's figure."""
    dossiers = snap.dossiers
    own = (
        dossiers[dossiers["municipality_id"] == municipality_id] if not dossiers.empty else dossiers
    )
    homes = municipality_of_persons(dossiers)
    persons = set(homes[homes == municipality_id].index)
    changes: dict[str, Any] = {"dossiers": own.reset_index(drop=True)}
    for name in _PERSON_FRAMES:
        frame: pd.DataFrame = getattr(snap, name)
        if not frame.empty and "person" in frame.columns:
            changes[name] = frame[frame["person"].isin(persons)].reset_index(drop=True)
    if not snap.persons.empty:
        changes["persons"] = snap.persons[snap.persons["person"].isin(persons)].reset_index(
            drop=True
        )
    spells = snap.benefit_spells
    if not spells.empty:
        in_dossier = spells["dossier_id"].isin(set(own["dossier_id"]))
        without = spells["dossier_id"].isna() & spells["person"].isin(persons)
        changes["benefit_spells"] = spells[in_dossier | without].reset_index(drop=True)
    routes = changes.get("routes", snap.routes)
    changes["provisions"] = snap.provisions[
        snap.provisions["route_id"].isin(routes["route_id"])
    ].reset_index(drop=True)
    if not snap.placement_instruments.empty:
        placements = changes.get("placements", snap.placements)
        changes["placement_instruments"] = snap.placement_instruments[
            snap.placement_instruments["placement_id"].isin(placements["placement_id"])
        ].reset_index(drop=True)
    for name in ("budgets", "cost_lines"):
        frame = getattr(snap, name)
        if not frame.empty and "municipality_id" in frame.columns:
            changes[name] = frame[frame["municipality_id"] == municipality_id].reset_index(
                drop=True
            )
    fte = snap.municipality_fte
    if not fte.empty:
        changes["municipality_fte"] = fte[fte["municipality_id"] == municipality_id].reset_index(
            drop=True
        )
    changes["staff"] = snap.staff.iloc[0:0]
    changes["teams"] = snap.teams.iloc[0:0]
    if not snap.municipalities.empty:
        places = snap.municipalities
        changes["municipalities"] = places[
            places["municipality_id"] == municipality_id
        ].reset_index(drop=True)
    return replace(snap, **changes)


def _chain_roots(dossiers: pd.DataFrame) -> pd.Series:
    """Per dossier id (index) the first dossier of its chain of moves within the snapshot."""
    ids = dossiers["dossier_id"].astype("int64").to_numpy()
    known = set(ids.tolist())
    links = dossiers.loc[dossiers["moved_from_dossier_id"].notna()]
    parent = {
        int(child): int(source)
        for child, source in zip(links["dossier_id"], links["moved_from_dossier_id"], strict=True)
        if int(source) in known
    }
    roots = {}
    for dossier in parent:  # only the linked dossiers walk; chains are short
        current, seen = dossier, {dossier}
        while current in parent and parent[current] not in seen:
            current = parent[current]
            seen.add(current)
        roots[dossier] = current
    return pd.Series([roots.get(i, i) for i in ids.tolist()], index=ids, dtype="int64")


def service_total(snap: Snapshot) -> Snapshot:
    """The service as a whole: each chain of moves between its municipalities becomes one
    dossier (first opening, last closing, last municipality), its spells re-pointed to it, so
    an internal move is neither outflow nor inflow. Unchanged without internal moves."""
    dossiers = snap.dossiers
    if dossiers.empty or "moved_from_dossier_id" not in dossiers.columns:
        return snap
    root = _chain_roots(dossiers)
    if bool((root == root.index).all()):
        return snap
    frame = dossiers.assign(root=dossiers["dossier_id"].map(root).astype("int64"))
    frame = frame.sort_values(["root", "opened_on", "dossier_id"], kind="stable")
    grouped = frame.groupby("root", sort=False)
    last = grouped.last()
    joined = grouped.first()
    # The last dossier of a chain decides whether it is still open (NaT is "open").
    joined["closed_on"] = grouped["closed_on"].apply(lambda s: s.iloc[-1])
    joined["municipality_id"] = last["municipality_id"]
    joined["dossier_id"] = joined.index.astype("int64")
    joined["moved_from_dossier_id"] = pd.array([pd.NA] * len(joined), dtype="Int64")
    merged = joined.reset_index(drop=True)[list(dossiers.columns)]
    spells = snap.benefit_spells
    if not spells.empty:
        mapped = spells["dossier_id"].map(root)
        spells = spells.assign(dossier_id=mapped.where(mapped.notna(), spells["dossier_id"]))
        # The spells keep their dates: the one that ended the first dossier with MOVED no
        # longer ends on the joined dossier's closing date, the one that opened the next no
        # longer starts on its opening date, so neither is counted as outflow or inflow.
    return replace(snap, dossiers=merged, benefit_spells=spells.reset_index(drop=True))


def for_municipality(snap: Snapshot, municipality_id: int | None) -> Snapshot:
    """One municipality's snapshot, or (``None``) the service total."""
    if municipality_id is None:
        return service_total(snap)
    return restrict_to_municipality(snap, municipality_id)


def _opening_reasons(dossiers: pd.DataFrame, spells: pd.DataFrame) -> pd.Series:
    """Per dossier the inflow reason of the spell that started on its opening date."""
    if spells.empty or "inflow_reason" not in spells.columns:
        return pd.Series(dtype=object)
    frame = spells.dropna(subset=["dossier_id"])[["dossier_id", "start_date", "inflow_reason"]]
    frame = frame.astype({"dossier_id": "int64"}).merge(
        dossiers[["dossier_id", "opened_on"]], on="dossier_id"
    )
    frame = frame[frame["start_date"] == frame["opened_on"]].dropna(subset=["inflow_reason"])
    return (
        frame.sort_values(["dossier_id", "inflow_reason"])
        .groupby("dossier_id")["inflow_reason"]
        .first()
    )


def flows_by_reason(
    dossiers: pd.DataFrame, spells: pd.DataFrame, years: Collection[int]
) -> pd.DataFrame:
    """``year``, ``flow`` (instroom/uitstroom), ``reason`` (a code or Totaal), ``dossiers``."""
    columns = ["year", "flow", "reason", "dossiers"]
    if dossiers.empty:
        return pd.DataFrame(columns=columns)
    opened = dossiers[dossiers["opened_on"].dt.year.isin(list(years))]
    inflow = pd.DataFrame(
        {
            "year": opened["opened_on"].dt.year,
            "reason": opened["dossier_id"].map(_opening_reasons(dossiers, spells)).fillna(UNKNOWN),
            "flow": "instroom",
        }
    )
    closed = dossiers[dossiers["closed_on"].notna()]
    closed = closed[closed["closed_on"].dt.year.isin(list(years))]
    outflow = pd.DataFrame(
        {
            "year": closed["closed_on"].dt.year,
            "reason": closed["dossier_id"].map(closure_reasons(closed, spells)).fillna(UNKNOWN),
            "flow": "uitstroom",
        }
    )
    events = pd.concat([inflow, outflow], ignore_index=True)
    if events.empty:
        return pd.DataFrame(columns=columns)
    by_reason = events.groupby(["year", "flow", "reason"]).size().rename("dossiers")
    totals = events.groupby(["year", "flow"]).size().rename("dossiers").reset_index()
    frame = pd.concat([by_reason.reset_index(), totals.assign(reason=TOTAL)], ignore_index=True)
    frame["dossiers"] = frame["dossiers"].astype("int64")
    frame["year"] = frame["year"].astype("int64")
    return frame.sort_values(["year", "flow", "reason"]).reset_index(drop=True)[columns]
