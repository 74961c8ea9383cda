"""A synthetic regional service: the ISD Bollenstreek for Hillegom, Lisse and Noordwijkerhout,
2015-2017, calibrated to the KplusV (2018) evaluation.

What is calibrated, each from the table it is copied from (``hln_flows.csv`` and below):

* inflow and outflow of dossiers by reason per municipality and year (Bijlage 3): each event
  is a dossier opened with that inflow reason or a running dossier closed with that end
  reason on a date in the year; when a printed total exceeds its printed rows, the difference
  is inflow/outflow for "Overige" (the rows that could not be placed);
* clients on 31 December 2016 (Bijlage 3: 242, 251, 189): the dossiers open on 1 January 2015
  follow from it and from the flows;
* moves within the service: one a year between each ordered pair of municipalities is a move
  within the service (two linked dossiers of the same person), the other moves go to or come
  from elsewhere;
* budgets per municipality (Tabel 2: SW-budget as subsidised work, re-integration budget as
  purchased provisions; the BUIG benefit budget of Tabel 1 is no re-integration cost item);
* cost lines: the 2017 instrument costs of Tabel 6 (EUR 265,614) booked monthly per
  municipality in proportion to its clients on 31-12-2016 (the report gives no split);
* caseload per FTE of the SPW in 2017 (Tabel 7): candidates with a route open at each quarter
  end (234, 435, 482, 561) and 6.4 FTE of klantmanagers (the store keeps no FTE history, so
  only Q4 2017 reproduces: 561 / 6.4 = 88).

The figures are not written: they are computed by the KPIs from these histories (the tests in
``tests/synth/test_regional.py``). Pure: seed in, frames out, like ``generate``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from importlib import resources

import numpy as np
import pandas as pd

from werkpad.synth.frames import SynthData, day
from werkpad.synth.municipalities import all_teams_serve
from werkpad.synth.names import NamePools
from werkpad.synth.organisation import build_organisation
from werkpad.synth.population import build_candidates

REFERENCE_DATE = date(2017, 12, 31)
START = date(2015, 1, 1)
YEARS = (2015, 2016, 2017)
# Bijlage 3: CBS codes are the municipality codes of the SRG delivery.
MUNICIPALITIES = (("Hillegom", "0534"), ("Lisse", "0553"), ("Noordwijkerhout", "0576"))
CLIENTS_2016 = {"Hillegom": 242, "Lisse": 251, "Noordwijkerhout": 189}
# Tabel 2 (EUR thousand): SW-budget (fictief) and re-integration budget, 2017-2020.
PARTICIPATION_BUDGET = {
    "Hillegom": {2017: (1668, 204), 2018: (1569, 205), 2019: (1497, 227), 2020: (1431, 246)},
    "Lisse": {2017: (1739, 166), 2018: (1613, 160), 2019: (1502, 178), 2020: (1417, 192)},
    "Noordwijkerhout": {2017: (1064, 138), 2018: (997, 116), 2019: (930, 128), 2020: (861, 139)},
}
# Tabel 7: SPW clients at the end of each quarter of 2017 and the FTE in Q4.
SPW_CLIENTS_2017 = (234, 435, 482, 561)
SPW_FTE_Q4 = 6.4
# Tabel 6: re-integration instruments bought in 2017 by the service, EUR (204 trajectories).
INSTRUMENT_COSTS_2017 = 265_614
INTERNAL_MOVES_PER_PAIR = 1
MOVED, MOVED_IN, OTHER = "MOVED", "MOVED_IN", "OTHER"


@dataclass(frozen=True)
class FlowTarget:
    municipality: str
    year: int
    direction: str  # inflow | outflow
    code: str
    count: int


def published_flows() -> pd.DataFrame:
    """``hln_flows.csv``: municipality, year, direction, reason_nl, code, count."""
    text = resources.files("werkpad.synth").joinpath("hln_flows.csv").read_text("utf-8")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    return pd.DataFrame(list(csv.DictReader(rows))).astype({"year": int, "count": int})


def flow_targets() -> pd.DataFrame:
    """Per municipality, year, direction and code the number of events to generate: the
    printed rows summed per code, plus "Overige" for a printed total above its rows."""
    flows = published_flows()
    rows = flows[flows["code"] != "Totaal"]
    per_code = rows.groupby(["municipality", "year", "direction", "code"])["count"].sum()
    totals = flows[flows["code"] == "Totaal"].set_index(["municipality", "year", "direction"])
    gap = (totals["count"] - per_code.groupby(level=[0, 1, 2]).sum()).clip(lower=0)
    extra = gap[gap > 0].rename("count").reset_index().assign(code=OTHER)
    out = pd.concat([per_code.reset_index(), extra], ignore_index=True)
    return out.groupby(["municipality", "year", "direction", "code"])["count"].sum().reset_index()


def _year_days(rng: np.random.Generator, year: int, n: int) -> np.ndarray:
    first, last = day(date(year, 1, 2)), day(date(year, 12, 30))
    return np.sort(rng.integers(first, last + 1, n))


@dataclass
class _Dossier:
    id: int
    person: int
    municipality: int
    opened: int
    closed: int | None = None
    end_reason: str | None = None
    inflow_reason: str | None = None
    moved_from: int | None = None


def _histories(rng: np.random.Generator) -> list[_Dossier]:
    targets = flow_targets()
    names = [m for m, _ in MUNICIPALITIES]
    place_id = {name: i + 1 for i, name in enumerate(names)}
    dossiers: list[_Dossier] = []
    persons = 0

    def new_person() -> int:
        nonlocal persons
        persons += 1
        return persons

    def count(name: str, year: int, direction: str) -> pd.Series:
        part = targets[
            (targets["municipality"] == name)
            & (targets["year"] == year)
            & (targets["direction"] == direction)
        ]
        return part.set_index("code")["count"]

    # Opening stock on 1 January 2015, so the flows end at the published 31-12-2016 stock.
    for name in names:
        flows = sum(
            int(count(name, y, "inflow").sum()) - int(count(name, y, "outflow").sum())
            for y in (2015, 2016)
        )
        opening = CLIENTS_2016[name] - flows
        opened = rng.integers(day(date(2008, 1, 1)), day(START), opening)
        for when in np.sort(opened):
            dossiers.append(
                _Dossier(len(dossiers) + 1, new_person(), place_id[name], int(when), None, None)
            )
    for year in YEARS:
        # Internal moves first: each uses one MOVED outflow and one MOVED_IN inflow.
        moves_out = {n: int(count(n, year, "outflow").get(MOVED, 0)) for n in names}
        moves_in = {n: int(count(n, year, "inflow").get(MOVED_IN, 0)) for n in names}
        events: list[tuple[int, str, str, str, str | None]] = []  # day, kind, from, reason, to
        for source in names:
            for destination in names:
                if source == destination:
                    continue
                k = min(INTERNAL_MOVES_PER_PAIR, moves_out[source], moves_in[destination])
                moves_out[source] -= k
                moves_in[destination] -= k
                for when in _year_days(rng, year, k):
                    events.append((int(when), "move", source, MOVED, destination))
        for name in names:
            for code, n in count(name, year, "inflow").items():
                left = moves_in[name] if code == MOVED_IN else int(n)
                for when in _year_days(rng, year, left):
                    events.append((int(when), "in", name, str(code), None))
            for code, n in count(name, year, "outflow").items():
                left = moves_out[name] if code == MOVED else int(n)
                for when in _year_days(rng, year, left):
                    events.append((int(when), "out", name, str(code), None))
        # Inflow before outflow on the same day, so a closing always finds an open dossier.
        order = {"in": 0, "move": 1, "out": 2}
        events.sort(key=lambda e: (e[0], order[e[1]], e[2], e[3]))
        for when, kind, place, reason, target in events:
            if kind == "in":
                dossiers.append(
                    _Dossier(
                        len(dossiers) + 1,
                        new_person(),
                        place_id[place],
                        when,
                        inflow_reason=reason,
                    )
                )
                continue
            running = [
                d
                for d in dossiers
                if d.municipality == place_id[place] and d.closed is None and d.opened < when
            ]
            chosen = running[int(rng.integers(0, len(running)))]
            chosen.closed, chosen.end_reason = when - 1, reason
            if kind == "move" and target is not None:
                dossiers.append(
                    _Dossier(
                        len(dossiers) + 1,
                        chosen.person,
                        place_id[target],
                        when,
                        inflow_reason=MOVED_IN,
                        moved_from=chosen.id,
                    )
                )
    return dossiers


def _routes(rng: np.random.Generator, dossiers: pd.DataFrame) -> pd.DataFrame:
    """SPW routes started in each quarter of 2017 and running at its end (Tabel 7)."""
    quarter_starts = [day(date(2017, m, 1)) for m in (1, 4, 7, 10)]
    quarter_ends = [day(date(2017, m, d)) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]
    new = np.diff([0, *SPW_CLIENTS_2017])
    open_at_end = dossiers[dossiers["closed_on"].isna()]
    chosen: set[int] = set()
    rows = []
    for start, end, n in zip(quarter_starts, quarter_ends, new, strict=True):
        pool = open_at_end[
            (open_at_end["opened_on"] <= start) & ~open_at_end["candidate_id"].isin(chosen)
        ]["candidate_id"].to_numpy()
        picked = rng.choice(pool, size=int(n), replace=False)
        days = rng.integers(start, end - 7, int(n))
        for person, when in zip(picked, days, strict=True):
            chosen.add(int(person))
            rows.append((int(person), int(when)))
    routes = pd.DataFrame(rows, columns=["candidate_id", "start_date"])
    routes.insert(0, "id", np.arange(1, len(routes) + 1))
    routes["source_id"] = None
    routes["plan_id"] = None
    routes["team_id"] = 1
    routes["route_type"] = "WORK_12M"
    routes["end_date"] = np.nan
    routes["end_reason"] = None
    return routes


def generate_regional(seed: int) -> SynthData:
    """The ISD Bollenstreek service for ``seed`` (same seed, same data)."""
    rng = np.random.default_rng(seed)
    pools = NamePools.build(seed)
    histories = _histories(rng)
    n_persons = max(d.person for d in histories)
    municipalities = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": [m for m, _ in MUNICIPALITIES],
            "cbs_code": [c for _, c in MUNICIPALITIES],
            "is_default": [True, False, False],
        }
    )
    org = build_organisation(rng, pools, np.array([n_persons]))
    users = org.users.copy()
    km = users["role"] == "KLANTMANAGER"
    # Tabel 7: 6.4 FTE of consultants in Q4 2017, spread over the klantmanagers.
    users.loc[km, "fte"] = round(SPW_FTE_Q4 / int(km.sum()), 4)
    users.loc[km, "fte"] = users.loc[km, "fte"].round(2)
    users.loc[users.index[km][-1], "fte"] = round(
        SPW_FTE_Q4 - float(users.loc[km, "fte"].iloc[:-1].sum()), 2
    )
    teams = org.teams.copy()
    teams["name"] = ["ISD Bollenstreek - Sociaal Plein Werk", "ISD Bollenstreek - Werkgevers"]
    teams["fte"] = [
        round(float(users.loc[users["team_id"] == t, "fte"].sum()), 2) for t in teams["id"]
    ]
    candidates = build_candidates(rng, pools, n_persons, 1, "Lisse")
    dossiers = pd.DataFrame(
        {
            "id": [d.id for d in histories],
            "dossier_number": [f"ISD-{d.id:06d}" for d in histories],
            "opened_on": [d.opened for d in histories],
            "closed_on": [np.nan if d.closed is None else d.closed for d in histories],
            "municipality_id": [d.municipality for d in histories],
            "moved_from_dossier_id": [d.moved_from for d in histories],
            "candidate_id": [d.person for d in histories],
        }
    )
    first_opened = dossiers.groupby("candidate_id")["opened_on"].min()
    home = dossiers.sort_values("opened_on").groupby("candidate_id")["municipality_id"].last()
    candidates["registered_on"] = first_opened.reindex(candidates["id"]).to_numpy()
    candidates["city"] = (
        municipalities.set_index("id")
        .loc[home.reindex(candidates["id"]).to_numpy(), "name"]
        .to_numpy()
    )
    candidates["birth_date"] = np.minimum(
        candidates["birth_date"].to_numpy(), candidates["registered_on"].to_numpy() - 6575
    )
    kms = users.loc[km, "id"].to_numpy()
    candidates["klantmanager_id"] = kms[rng.integers(0, len(kms), n_persons)]
    members = pd.DataFrame(
        {"dossier_id": dossiers["id"], "candidate_id": dossiers["candidate_id"]}
    ).assign(member_role="APPLICANT")
    spells = pd.DataFrame(
        {
            "id": dossiers["id"],
            "source_id": None,
            "candidate_id": dossiers["candidate_id"],
            "dossier_id": dossiers["id"],
            "benefit_type": "PW",
            "application_date": dossiers["opened_on"] - rng.integers(7, 35, len(dossiers)),
            "start_date": dossiers["opened_on"],
            "end_date": dossiers["closed_on"],
            "end_reason": [d.end_reason for d in histories],
            "monthly_amount": np.round(rng.uniform(900, 1400, len(dossiers)), 2),
            "inflow_reason": [d.inflow_reason for d in histories],
        }
    )
    routes = _routes(rng, dossiers.drop(columns="id"))
    budget_rows = [
        (place_id, year, item, amount * 1000)
        for place_id, (name, _) in enumerate(MUNICIPALITIES, start=1)
        for year, (sw, reintegration) in PARTICIPATION_BUDGET[name].items()
        for item, amount in (("SUBSIDISED_WORK", sw), ("PROVISIONS", reintegration))
    ]
    budget = pd.DataFrame(budget_rows, columns=["municipality_id", "year", "cost_item", "amount"])
    budget.insert(0, "id", np.arange(1, len(budget) + 1))
    clients = sum(CLIENTS_2016.values())
    cost_rows = [
        (place_id, day(date(2017, month, 28)), round(
            INSTRUMENT_COSTS_2017 * CLIENTS_2016[name] / clients / 12, 2))
        for place_id, (name, _) in enumerate(MUNICIPALITIES, start=1)
        for month in range(1, 13)
    ]  # fmt: skip
    cost_lines = pd.DataFrame(cost_rows, columns=["municipality_id", "booked_on", "amount"])
    cost_lines.insert(0, "id", np.arange(1, len(cost_lines) + 1))
    cost_lines["cost_item"] = "PROVISIONS"
    cost_lines["description"] = "Re-integratie-instrumenten (Tabel 6)"
    data = SynthData()
    data.logins = org.logins
    for name, frame in (
        ("municipality", municipalities),
        ("team", teams),
        ("team_municipality", all_teams_serve(teams, municipalities)),
        ("app_user", users),
        ("candidate", candidates),
        ("benefit_dossier", dossiers.drop(columns="candidate_id")),
        ("dossier_member", members),
        ("benefit_spell", spells),
        ("route", routes),
        ("budget", budget),
        ("cost_line", cost_lines),
    ):
        data.add(name, frame)
    return data
