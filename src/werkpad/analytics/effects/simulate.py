"""Synthetic evaluation tables with a planted effect and planted selection on observables.

Used to prove the estimators: the true effect on the treated is known by construction, and the
people who get the provision are selected on the same characteristics that drive their chance
of work (younger, higher on the participatieladder, shorter on benefit), so the raw comparison
of participants with non-participants overstates the effect.

Outcome: ``work_exit_12m``, 1 if the person left benefit for work within 12 months, and
``months_on_benefit_12``, months on benefit in those 12 months. The
treatment adds ``effect`` to everyone's probability of a work exit (an additive effect on the
probability scale), so the ATT and ATE both equal ``effect`` in expectation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

COVARIATES = ["age", "sex", "migration_background", "benefit_months", "ladder_step"]
TREATMENT = "treated"
OUTCOME = "work_exit_12m"


@dataclass(frozen=True)
class PlantedData:
    """A flat table with the truth that produced it."""

    frame: pd.DataFrame
    true_effect: float
    treatment: str = TREATMENT
    outcome: str = OUTCOME
    covariates: tuple[str, ...] = tuple(COVARIATES)


def simulate_flat(
    n: int,
    effect: float = 0.08,
    selection: float = 1.0,
    treated_share: float = 0.25,
    seed: int = 0,
    effect_by_sex: dict[str, float] | None = None,
) -> PlantedData:
    """``n`` people on benefit, a share of them given a provision, and their 12-month outcome.

    ``selection`` scales how strongly the covariates drive participation (0: randomised).
    ``effect_by_sex`` (e.g. {"M": 0.15, "V": 0.02}) plants a different effect per sex.
    """
    if not 0 <= effect <= 0.2:
        raise ValueError("effect must be between 0 and 0.2 so probabilities stay valid")
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 67, n)
    sex = rng.choice(["M", "V"], n)
    migration = rng.choice(["none", "western", "non_western"], n, p=[0.5, 0.15, 0.35])
    benefit_months = np.round(rng.lognormal(np.log(30), 0.9, n)).clip(0, 240)
    ladder = np.clip(np.round(rng.normal(3.2, 1.1, n)), 1, 6)

    # Employability index: what drives both the klantmanager's choice and the chance of work.
    # Linear in the covariates, so a main-effects logit is the correct propensity model.
    employability = (
        -0.03 * (age - 40)
        + 0.45 * (ladder - 3)
        - 0.25 * (benefit_months / 12 - 3.5)
        - 0.15 * (migration == "non_western")
        + 0.05 * (sex == "M")
    )
    base_logit = np.log(treated_share / (1 - treated_share))
    p_treat = 1 / (1 + np.exp(-(base_logit + selection * 1.2 * employability)))
    treated = rng.random(n) < p_treat
    p_untreated = np.clip(0.22 + 0.09 * employability, 0.02, 0.75)
    person_effect = np.full(n, effect)
    for value, size in (effect_by_sex or {}).items():
        if not 0 <= size <= 0.2:
            raise ValueError("effect must be between 0 and 0.2 so probabilities stay valid")
        person_effect[sex == value] = size
    p_work = p_untreated + person_effect * treated
    work_exit = (rng.random(n) < p_work).astype(int)
    # Exit month uniform on 1..12 whatever the treatment, so the true effect on months on
    # benefit in the next 12 is -(12 - 6.5) * effect = -5.5 * effect.
    exit_month = rng.integers(1, 13, n)
    months_on_benefit = np.where(work_exit == 1, exit_month, 12)

    frame = pd.DataFrame(
        {
            "person_id": np.arange(1, n + 1),
            "age": age,
            "sex": sex,
            "migration_background": migration,
            "benefit_months": benefit_months,
            "ladder_step": ladder,
            TREATMENT: treated.astype(int),
            OUTCOME: work_exit,
            "months_on_benefit_12": months_on_benefit,
        }
    )
    return PlantedData(frame=frame, true_effect=effect)


@dataclass(frozen=True)
class PlantedPanel:
    """Person-months on benefit with staggered provision starts, and the truth behind them."""

    panel: pd.DataFrame
    true_att: float  # effect of starting in month m versus not (yet) starting in month m
    naive_ever_vs_never: float  # exit within 24 months of benefit start, ever vs never treated
    covariates: tuple[str, ...] = ("age", "sex", "migration_background", "ladder_step")
    outcome: str = "work_exit_12m"


def _exit_hazard(employability: np.ndarray) -> np.ndarray:
    return np.clip(0.03 + 0.015 * employability, 0.003, 0.2)


def _start_hazard(employability: np.ndarray, month: int | np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(np.log(0.03 / 0.97) + 1.0 * employability - 0.03 * month)))


def simulate_panel(
    n: int, hazard_effect: float = 0.02, months: int = 48, seed: int = 0
) -> PlantedPanel:
    """People followed monthly from the start of their benefit.

    Each month on benefit, someone not yet in the provision starts it with a probability that
    rises with employability (selection on observables) and falls with time on benefit; then
    they leave for work with a monthly probability that rises with employability and, from the
    start month on, by ``hazard_effect``. The outcome of a person-month is a work exit within
    the next 12 months. The true effect of starting in month m (versus not starting in m, but
    perhaps later) is computed by replaying each participant's own random draws without the
    start, so it is exact for this sample.
    """
    rng = np.random.default_rng(seed)
    base = simulate_flat(n, effect=0.0, seed=seed).frame
    employability = (
        -0.03 * (base["age"].to_numpy() - 40)
        + 0.45 * (base["ladder_step"].to_numpy() - 3)
        - 0.15 * (base["migration_background"].to_numpy() == "non_western")
        + 0.05 * (base["sex"].to_numpy() == "M")
    )
    u_start = rng.random((n, months))
    u_exit = rng.random((n, months))
    h0 = _exit_hazard(employability)
    start = np.full(n, -1)
    exit_month = np.full(n, -1)
    for m in range(months):
        active = exit_month < 0
        begins = active & (start < 0) & (u_start[:, m] < _start_hazard(employability, m))
        start[begins] = m
        hazard = h0 + hazard_effect * (start >= 0)
        exit_month[active & (u_exit[:, m] < hazard)] = m

    horizon = months - 12
    person, month = np.nonzero(np.ones((n, horizon + 1), dtype=bool))
    on_benefit = (exit_month[person] < 0) | (exit_month[person] >= month)
    person, month = person[on_benefit], month[on_benefit]
    exits_soon = (exit_month[person] >= month) & (exit_month[person] < month + 12)
    panel = pd.DataFrame(
        {
            "person_id": person + 1,
            "month": month,
            "age": base["age"].to_numpy()[person] + month // 12,
            "sex": base["sex"].to_numpy()[person],
            "migration_background": base["migration_background"].to_numpy()[person],
            "ladder_step": base["ladder_step"].to_numpy()[person],
            "start_month": np.where(start[person] >= 0, start[person], np.nan),
            "work_exit_12m": exits_soon.astype(int),
        }
    )

    # Counterfactual for each participant: the same draws, but no start in the start month.
    who = np.flatnonzero((start >= 0) & (start <= horizon))
    m0 = start[who]
    started = np.zeros(who.size, dtype=bool)
    gone = np.zeros(who.size, dtype=bool)
    for k in range(12):
        at = m0 + k
        if k > 0:
            p_start = _start_hazard(employability[who], at)
            started |= ~gone & (u_start[who, at] < p_start)
        hazard = h0[who] + hazard_effect * started
        gone |= u_exit[who, at] < hazard
    observed = (exit_month[who] >= m0) & (exit_month[who] < m0 + 12)
    true_att = float((observed.astype(float) - gone).mean()) if who.size else float("nan")

    ever = start >= 0
    early_exit = (exit_month >= 0) & (exit_month < 24)
    naive = float(early_exit[ever].mean() - early_exit[~ever].mean())
    return PlantedPanel(panel=panel, true_att=true_att, naive_ever_vs_never=naive)


def simulate_dependence_panel(
    n: int,
    effect: float = -0.1,
    months: int = 36,
    dip: float = 0.0,
    treated_share: float = 0.4,
    seed: int = 0,
) -> pd.DataFrame:
    """Balanced monthly panel of benefit dependence (0..1) with staggered provision starts.

    People differ in level (fixed effects correlated with who starts and when), all share a
    declining calendar trend, and from their start month on dependence falls by ``effect``.
    ``dip`` adds an Ashenfelter dip: dependence rises by ``dip`` in the 3 months before the
    start, the kind of pre-trend an event study must reveal.
    """
    rng = np.random.default_rng(seed)
    level = rng.normal(0.7, 0.1, n)
    treated = rng.random(n) < treated_share
    # Selection: higher-dependence people start earlier.
    start = np.where(
        treated,
        np.clip(np.round(18 - 40 * (level - 0.7) + rng.normal(0, 5, n)), 3, months - 4),
        np.nan,
    )
    person, month = np.divmod(np.arange(n * months), months)
    since = month - start[person]
    trend = -0.01 * month
    y = level[person] + trend + rng.normal(0, 0.05, n * months)
    y = y + np.where(since >= 0, effect, 0.0)
    y = y + np.where((since >= -3) & (since < 0), dip, 0.0)
    return pd.DataFrame(
        {
            "person_id": person + 1,
            "month": month,
            "start_month": start[person],
            "dependence": y,
        }
    )
