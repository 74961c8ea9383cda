"""Calibration targets of the synthetic municipality, copied from the reference tables.

Every number names the file in ``shared/reference/`` it comes from, so the generator works
without that folder. Shares are fractions (0.47 = 47%). Tests compare generated data with these
targets; the generator's own tuning knobs (``TUNING_*``) are marked as ours, not the reports'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The synthetic "today": follow-ups due before it are done, later ones are open.
REFERENCE_DATE = date(2021, 6, 30)
# Routes counted by Den Haag ran in 2018-2020 (denhaag_reach.csv).
PERIOD_START = date(2018, 1, 1)
PERIOD_END = date(2020, 12, 31)


@dataclass(frozen=True)
class Scale:
    """Size of a synthetic municipality."""

    name: str
    candidates: int
    routes: int
    provisions: int
    city: str = "Den Haag"

    @property
    def factor(self) -> float:
        """Size relative to Den Haag 2018-2020, used to scale budgets and costs."""
        return self.routes / DENHAAG_ROUTES


# denhaag_reach.csv: candidates, unique_routes, provisions_used (2018-2020).
DENHAAG_CANDIDATES = 19_172
DENHAAG_ROUTES = 21_039
DENHAAG_PROVISIONS = 73_107

SCALES: dict[str, Scale] = {
    "small": Scale("small", 1_000, round(1_000 * DENHAAG_ROUTES / DENHAAG_CANDIDATES), 3_813),
    "denhaag": Scale("denhaag", DENHAAG_CANDIDATES, DENHAAG_ROUTES, DENHAAG_PROVISIONS),
    "national": Scale(
        "national", 20 * DENHAAG_CANDIDATES, 20 * DENHAAG_ROUTES, 20 * DENHAAG_PROVISIONS, "NL"
    ),
}

# denhaag_reach.csv: basic_provision_types, supporting_provision_types.
BASIC_PROVISION_TYPES = 154
SUPPORTING_PROVISION_TYPES = 179

# denhaag_route_end_reasons.csv (Tabel 2): shares of ended routes (counts / 18,652).
END_REASON_COUNTS: dict[str, int] = {
    "JOB": 8715,
    "STOPPED": 5987,
    "MOVED_DETENTION_OTHER": 2115,
    "DAY_EDUCATION": 979,
    "SELF_EMPLOYED": 443,
    "BENEFIT_REJECTED": 269,
    "WIJKBANEN_NUO": 144,
}
_ENDED_TOTAL = sum(END_REASON_COUNTS.values())
END_REASON_SHARES: dict[str, float] = {k: v / _ENDED_TOTAL for k, v in END_REASON_COUNTS.items()}

# denhaag_reach.csv: routes_ended_share (88%), measured here at the end of 2020.
ENDED_SHARE_END_2020 = 0.88
# denhaag_reach.csv: dropout (STOPPED) by benefit duration before the route started.
DROPOUT_SHARE_BENEFIT_UNDER_6_MONTHS = 0.24
DROPOUT_SHARE_BENEFIT_OVER_2_YEARS = 0.39
# denhaag_reach.csv: routes_longer_than_3_months_share (>85%), routes_18_months_or_longer (~1/3).
ROUTES_LONGER_THAN_3_MONTHS = 0.85
ROUTES_18_MONTHS_OR_LONGER = 1 / 3

# denhaag_job_exits_by_type_year.csv (Tabel 3): exits to a job by job type and year.
JOB_EXITS_BY_YEAR: dict[int, dict[str, int]] = {
    2018: {"1": 233, "2": 167, "3": 98, "4": 316, "5": 805, "6": 1642},
    2019: {"1": 291, "2": 58, "3": 60, "4": 252, "5": 327, "6": 1360},
    2020: {"1": 157, "2": 28, "3": 20, "4": 126, "5": 239, "6": 1105},
    2021: {"1": 124, "2": 19, "3": 43, "4": 74, "5": 228, "6": 931},
}
REGULAR_JOB_TYPES = ("1", "2", "4", "6")
# denhaag_reach.csv: regular share of job exits 2018 (72%) and 2020 (84%).
REGULAR_SHARE_2018 = 0.72
REGULAR_SHARE_2020 = 0.84
# denhaag_reach.csv: flexible (84%) vs permanent (16%) contracts of job exits.
PERMANENT_CONTRACT_SHARE = 0.16
FLEXIBLE_CONTRACT_SPLIT = {"TEMPORARY": 0.50, "AGENCY": 0.27, "ON_CALL": 0.13, "INTERNSHIP": 0.10}

# denhaag_durability.csv: no new benefit within 12 months: 71% all job types, 82% regular
# full-time (job type 6). Other job types then need 1 - 0.44 (solved from the two figures).
DURABLE_SHARE_ALL = 0.71
DURABLE_SHARE_TYPE_6 = 0.82

# denhaag_gos_codes.csv, in the intended phase order.
GOS_CODES = ("PS", "PS1", "PS2", "PS3", "PS4", "PS5", "PS6", "PS7")
# denhaag_gos_cooccurrence.csv: % of routes with code (row) that also have code (column).
GOS_COOCCURRENCE: dict[str, tuple[int, ...]] = {
    "PS": (100, 59, 29, 25, 16, 41, 3, 14),
    "PS1": (37, 100, 37, 33, 16, 48, 4, 16),
    "PS2": (35, 71, 100, 44, 21, 48, 6, 26),
    "PS3": (22, 48, 33, 100, 20, 60, 6, 25),
    "PS4": (27, 43, 30, 35, 100, 66, 8, 44),
    "PS5": (15, 29, 15, 24, 15, 100, 5, 34),
    "PS6": (10, 19, 16, 20, 15, 42, 100, 42),
    "PS7": (11, 19, 16, 21, 20, 69, 11, 100),
}
# Ours: the share of routes with PS5 (the most common code); the other marginals follow from
# the ratios P(Y|X) / P(X|Y) = P(Y) / P(X) of the co-occurrence table.
TUNING_PS5_SHARE = 0.55

# denhaag_g4_cohorts.csv (Tabel 4), Den Haag: short (<1 y) 23%, medium (1-2 y) 5%, long 72%
# of the benefit stock. Route starters are newer on average (ours, so that dropout matches):
# shares of benefit duration at route start per band.
BENEFIT_STOCK_DURATION_SHARES = {"short": 0.23, "medium": 0.05, "long": 0.72}
BENEFIT_BANDS = ("<6m", "6-12m", "1-2y", ">2y")
BENEFIT_BAND_SHARES = (0.30, 0.12, 0.13, 0.45)
BENEFIT_BAND_DAYS = ((14, 182), (183, 365), (366, 730), (731, 3650))
# Dropout per band (ours): the two reported ends, interpolated between; the first band is set
# a little above 24% because rejected applications (never dropouts) also fall in it.
DROPOUT_BY_BAND = (0.255, 0.27, 0.31, 0.38)

# haarlemmermeer_clients_2019.csv (Tabel 2.1): sex, age bands, statushouder.
FEMALE_SHARE = 0.572
AGE_BANDS = ((18, 24), (25, 34), (35, 44), (45, 54), (55, 66))
AGE_BAND_SHARES = (0.066, 0.188, 0.234, 0.227, 0.285)
STATUSHOUDER_SHARE = 0.273
# haarlemmermeer_clients_2019.csv: 13.2% category "onbekend"; Den Haag unknowns are lower.
UNCLASSIFIED_SHARE = 0.09

# haarlemmermeer_exemptions.csv (Tabel 2.5): 22.8% exempted, by type.
EXEMPTION_SHARE = 0.20
EXEMPTION_TYPE_COUNTS = {
    "SINGLE_PARENT_CHILD_UNDER_5": 26,
    "FULLY_UNFIT": 48,
    "TEMPORARY_URGENT": 460,
}

# hln_instrument_costs_2017.csv (Tabel 6): cost per client of HLN instruments, EUR 651-2,000.
HLN_COST_PER_CLIENT = {
    "Jobcoaching": 1446,
    "Opleidingen": 1282,
    "Premie PW": 651,
    "3Steps2Work": 1016,
    "Opstapsubsidie PW": 1514,
    "Individuele re-integratie overeenkomst": 2000,
    "Loonwaarde bepaling": 599,
    "Reiskostendeclaraties": 138,
    "Kinderopvang": 187,
}

# denhaag_costs.csv (Tabel 9-11): budgeted and actual euros per year.
COSTS_BUDGETED: dict[str, dict[int, int]] = {
    "LASTEN": {2018: 51_029_623, 2019: 54_111_251, 2020: 61_833_304},
    "ESF_INCOME": {2018: 5_300_000, 2019: 2_669_700, 2020: 560_000},
    "LKS": {2018: 11_500_000, 2019: 17_133_653, 2020: 13_505_696},
    "SUBSIDISED_WORK": {2018: 12_952_769, 2019: 11_772_411, 2020: 5_629_948},
}
COSTS_ACTUAL: dict[str, dict[int, int]] = {
    "LASTEN": {2018: 51_758_882, 2019: 50_876_168, 2020: 50_755_617},
    "ESF_INCOME": {2018: 5_758_785, 2019: 2_381_284, 2020: 603_219},
    "LKS": {2018: 15_305_402, 2019: 14_662_196, 2020: 13_803_131},
    "SUBSIDISED_WORK": {2018: 11_724_423, 2019: 10_118_719, 2020: 8_654_499},
}
BUDGET_YEARS = (2018, 2019, 2020)

# hln_caseload_per_fte_2017.csv / mission.md: caseloads of 70-90 per klantmanager.
CASELOAD_PER_KLANTMANAGER = 80
# Ours: monthly benefit amounts (bijstand single/couple norms 2019, EUR 1,000-1,500).
MONTHLY_BENEFIT_RANGE = (1000.0, 1500.0)
# Ours: statutory minimum wage per month around 2019 (for LKS amounts).
MINIMUM_WAGE_MONTH = 1650.0
