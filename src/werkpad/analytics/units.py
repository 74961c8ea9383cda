"""The unit of each measure of the KPI result set, and Dutch formatting for people.

The ``unit`` column of a result row is the unit of the KPI as a whole (``procent`` for the
share of regular work, whose rows also hold the counts the share rests on). :func:`measure_unit`
gives the unit of one measure: a count, a percentage, an amount in euros, days or fte.
:func:`format_value` writes a value the way a Dutch reader expects it: ``1.234`` for a count,
``46,2%`` for a share, ``€ 8.895`` for money. Machine output (``--json``) keeps the raw values.
"""

from __future__ import annotations

from werkpad.domain.codelists import code_list
from werkpad.domain.formatting import MISSING, dutch_number, is_missing

COUNT = "aantal"
PERCENT = "procent"
EURO = "euro"
DAYS = "dagen"
FTE = "fte"
RATIO = "aantal per fte"
YES_NO = "ja/nee"

MONEY_MEASURES = {"budgeted", "actual", "difference", "saldo", "per_unit", "cost", "per_client"}
DAY_MEASURES = {"median_days", "mean_days", "p25_days", "p75_days"}


def measure_unit(kpi_id: str, measure: str) -> str:
    """The unit of ``measure`` within KPI ``kpi_id``."""
    if measure.endswith("_pct"):
        return PERCENT
    if measure in DAY_MEASURES:
        return DAYS
    if measure == "fte":
        return FTE
    if measure == "per_fte":
        return RATIO
    if kpi_id == "targets" and measure == "met":
        return YES_NO
    if measure in MONEY_MEASURES:
        return EURO
    return COUNT


def format_value(value: float | None, unit: str) -> str:
    """``value`` for a Dutch reader; missing values become an en dash."""
    if value is None or is_missing(value):
        return MISSING
    number = float(value)
    if unit == PERCENT:
        return dutch_number(number, 1) + "%"
    if unit == EURO:
        return "€ " + dutch_number(number, 0)
    if unit == YES_NO:
        return "ja" if number else "nee"
    if unit in (FTE, RATIO):
        return dutch_number(number, 1)
    if unit == DAYS:
        return dutch_number(number, 0 if number.is_integer() else 1) + " dagen"
    # Counts are whole numbers; an average of counts (average stock) keeps one decimal.
    return dutch_number(number, 0 if number.is_integer() else 1)


# Which code list the group / subgroup of a KPI's rows come from (for labels next to codes).
GROUP_CODE_LISTS = {
    "reach": "segment",
    "language_coverage": "segment",
    "cohort_outflow_category": "segment",
    "route_end_reasons": "route_end_reason",
    "work_or_school_exits": "route_end_reason",
    "job_exits_by_type": "job_type",
    "gos_cooccurrence": "gos_code",
}
SUBGROUP_CODE_LISTS = {"gos_cooccurrence": "gos_code", "caseload_flows": "benefit_end_reason"}


def code_label(kpi_id: str, code: str, *, subgroup: bool = False) -> str:
    """The Dutch label of a group (or subgroup) code of ``kpi_id``'s rows; empty when the value
    is not a code (``Totaal``, a band, a year)."""
    name = (SUBGROUP_CODE_LISTS if subgroup else GROUP_CODE_LISTS).get(kpi_id)
    if not name or not code:
        return ""
    found = code_list(name).get(code)
    return found.label_nl if found else ""
