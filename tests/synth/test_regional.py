"""The synthetic ISD Bollenstreek reproduces the KplusV (2018) tables per municipality from its
generated histories: the KPIs compute the flows and the stock, nothing is written as a figure.

Copied from KplusV (2018), Bijlage 3 and Tabel 7, so these tests run without the reference
folder. Tolerances: inflow and outflow by reason exact (reasons counted under werkpad's codes,
``synth/hln_flows.csv``); a printed total within the gap between it and its printed rows
(Bijlage 3 does not always add up); clients on 31-12-2016 exact; caseload per FTE in Q4 2017
within 0.5 of the printed 88 (561 / 6.4 = 87.7).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from werkpad.analytics.kpis import KpiContext, compute_kpis
from werkpad.analytics.municipalities import for_municipality
from werkpad.reports.compute import kpi_results
from werkpad.services.municipalities import list_municipalities
from werkpad.services.snapshot import load_snapshot
from werkpad.store.db import make_engine
from werkpad.synth import run_synth
from werkpad.synth.regional import published_flows

# Bijlage 3: printed totals (instroom, uitstroom) per municipality and year.
PRINTED_TOTALS = {
    ("Hillegom", 2015): (102, 88),
    ("Lisse", 2015): (70, 71),
    ("Noordwijkerhout", 2015): (43, 45),
    ("Hillegom", 2016): (81, 78),
    ("Lisse", 2016): (104, 69),
    ("Noordwijkerhout", 2016): (71, 50),
    ("Hillegom", 2017): (85, 58),
    ("Lisse", 2017): (72, 69),
    ("Noordwijkerhout", 2017): (47, 56),
}
# Bijlage 3: "Aantal klanten 31-12-2016".
CLIENTS_2016 = {"Hillegom": 242, "Lisse": 251, "Noordwijkerhout": 189}
# Two rows as printed, to check the copy in hln_flows.csv.
LISSE_2016_COA_INFLOW = 35
NOORDWIJKERHOUT_2017_MOVED_OUTFLOW = 12
FLOW = {"inflow": "instroom", "outflow": "uitstroom"}


@pytest.fixture(scope="module")
def regional(tmp_path_factory: pytest.TempPathFactory) -> str:
    from werkpad.store.db import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('hln') / 'hln.db'}"
    engine = make_engine(url)
    upgrade(engine)
    run_synth(engine, scale="hln", seed=11, replace=False, console=None)
    engine.dispose()
    return url


def _results(url: str, municipality: str | None, ids: list[str]) -> pd.DataFrame:
    engine = make_engine(url)
    try:
        rows = {m.name: m.id for m in list_municipalities(engine)}
        _, _, results = kpi_results(
            engine,
            reference_date=date(2017, 12, 31),
            years=[2015, 2016, 2017],
            ids=ids,
            municipality_id=rows[municipality] if municipality else None,
        )
        return results
    finally:
        engine.dispose()


def _flows(results: pd.DataFrame) -> dict[tuple[int, str, str], int]:
    part = results[results["kpi_id"] == "inflow_outflow_by_reason"]
    return {
        (int(r.period), str(r.group), str(r.subgroup)): int(r.value)
        for r in part.itertuples(index=False)
    }


def test_the_copied_flow_table_holds_the_printed_rows() -> None:
    flows = published_flows()
    lisse = flows[
        (flows["municipality"] == "Lisse")
        & (flows["year"] == 2016)
        & (flows["code"] == "COA_NEWCOMER")
    ]
    assert lisse["count"].tolist() == [LISSE_2016_COA_INFLOW]
    nwh = flows[
        (flows["municipality"] == "Noordwijkerhout")
        & (flows["year"] == 2017)
        & (flows["direction"] == "outflow")
        & (flows["code"] == "MOVED")
    ]
    assert nwh["count"].tolist() == [NOORDWIJKERHOUT_2017_MOVED_OUTFLOW]


@pytest.mark.parametrize("municipality", ["Hillegom", "Lisse", "Noordwijkerhout"])
def test_inflow_and_outflow_by_reason_per_municipality_and_year_reproduce(
    regional: str, municipality: str
) -> None:
    computed = _flows(_results(regional, municipality, ["inflow_outflow_by_reason"]))
    flows = published_flows()
    rows = flows[(flows["municipality"] == municipality) & (flows["code"] != "Totaal")]
    expected = rows.groupby(["year", "direction", "code"])["count"].sum()
    for (year, direction, code), count in expected.items():
        got = computed.get((int(year), FLOW[str(direction)], str(code)), 0)
        if code == "OTHER":  # also takes the printed total's unplaced rest
            assert got >= count, (year, direction, code)
        else:
            assert got == count, (year, direction, code)
    for year in (2015, 2016, 2017):
        printed_in, printed_out = PRINTED_TOTALS[(municipality, year)]
        for direction, printed in (("inflow", printed_in), ("outflow", printed_out)):
            row_sum = int(expected.loc[year, direction].sum())
            got = computed[(year, FLOW[direction], "Totaal")]
            assert got == max(printed, row_sum), (year, direction)
            assert abs(got - printed) <= abs(row_sum - printed)


@pytest.mark.parametrize("municipality", ["Hillegom", "Lisse", "Noordwijkerhout"])
def test_clients_on_31_december_2016_reproduce_per_municipality(
    regional: str, municipality: str
) -> None:
    results = _results(regional, municipality, ["caseload_net_change"])
    stock = results[(results["measure"] == "stock") & (results["period"] == "2016")]
    assert stock["value"].tolist() == [CLIENTS_2016[municipality]]


def test_the_service_total_nets_out_moves_between_its_municipalities(regional: str) -> None:
    per_place = [
        _flows(_results(regional, m, ["inflow_outflow_by_reason"]))
        for m in ("Hillegom", "Lisse", "Noordwijkerhout")
    ]
    service = _flows(_results(regional, None, ["inflow_outflow_by_reason"]))
    for year in (2015, 2016, 2017):
        for flow, code in (("instroom", "MOVED_IN"), ("uitstroom", "MOVED")):
            summed = sum(p.get((year, flow, code), 0) for p in per_place)
            # one move a year between each ordered pair of the three municipalities
            assert service.get((year, flow, code), 0) == summed - 6, (year, flow)
            total = sum(p[(year, flow, "Totaal")] for p in per_place)
            assert service[(year, flow, "Totaal")] == total - 6
    stock = _results(regional, None, ["caseload_net_change"])
    at_2016 = stock[(stock["measure"] == "stock") & (stock["period"] == "2016")]
    assert at_2016["value"].tolist() == [sum(CLIENTS_2016.values())]


def test_caseload_per_fte_of_the_service_in_q4_2017_reproduces(regional: str) -> None:
    results = _results(regional, None, ["caseload_per_fte"])
    q4 = results[(results["period"] == "2017-Q4")].set_index("measure")["value"]
    assert q4["caseload"] == 561
    assert q4["fte"] == pytest.approx(6.4)
    assert abs(q4["per_fte"] - 88) <= 0.5


def test_every_frame_of_a_municipality_snapshot_keeps_only_its_own_rows(regional: str) -> None:
    engine = make_engine(regional)
    try:
        snap = load_snapshot(engine, date(2017, 12, 31))
        lisse = next(m.id for m in list_municipalities(engine) if m.name == "Lisse")
    finally:
        engine.dispose()
    part = for_municipality(snap, lisse)
    assert set(part.dossiers["municipality_id"]) == {lisse}
    assert set(part.budgets["municipality_id"]) == {lisse}
    assert set(part.benefit_spells["dossier_id"]) <= set(part.dossiers["dossier_id"])
    assert set(part.routes["person"]) <= set(part.persons["person"])
    assert set(part.persons["person"]) <= set(part.dossiers["person"])
    assert part.municipalities["name"].tolist() == ["Lisse"]
    others = compute_kpis(part, KpiContext.for_snapshot(part, years=[2017]), ["reach"])
    assert not others.empty
