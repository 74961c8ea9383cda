"""Effectmeting: the net effect of a provision type, GOS code or route type (ANALIST, TEAMLEIDER).

Only aggregates leave this page: the estimate, its interval, the balance table, overlap counts,
survival curves and subgroup rows (small counts suppressed, small groups not estimated). The
computation takes seconds, so results are kept by the figures service (``services.figures``)
per reference date and parameter set, until a write changes the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from werkpad.analytics.effects.balance import SMD_THRESHOLD
from werkpad.analytics.effects.explain import (
    balance_reading,
    overlap_reading,
    subgroup_reading,
    survival_reading,
)
from werkpad.analytics.effects.labels import covariate_label, level_label
from werkpad.analytics.effects.subgroups import MIN_PEOPLE
from werkpad.analytics.effects.survival import (
    kaplan_meier_by_group,
    kaplan_meier_figure,
    median_months_to_work,
)
from werkpad.analytics.evaluation import (
    OUTCOME_LABELS,
    OUTCOME_WINDOWS,
    SUBGROUPS,
    TREATMENT_KINDS,
    Evaluation,
    EvaluationSpec,
    evaluate,
    usage_counts,
)
from werkpad.analytics.snapshot import Snapshot
from werkpad.analytics.suppression import DEFAULT_THRESHOLD, suppress
from werkpad.domain.codelists import code_list
from werkpad.domain.formatting import MISSING, dutch_number, is_missing
from werkpad.services.figures import FiguresView
from werkpad.services.plans import provision_type_names
from werkpad.store.models import User
from werkpad.web.auth import require_role
from werkpad.web.errors import Forbidden
from werkpad.web.templating import templates
from werkpad.web.views.dashboard import figures_view, suppression_threshold

router = APIRouter()
EFFECT_ROLES = ("ANALIST", "TEAMLEIDER")
KM_MONTHS = 36
MIN_USERS_LISTED = 20  # provision types used by fewer people are not offered
METHODS = {
    "psm": "Matching (propensity score)",
    "ipw": "Weging (inverse kans)",
    "aipw": "Dubbel robuust (weging plus uitkomstmodel)",
}


def _provision_names(request: Request) -> dict[str, str]:
    with request.app.state.session_factory() as db:
        return provision_type_names(db)


def treatment_options(
    snap: Snapshot, provision_names: dict[str, str] | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Option groups for the form: value ``kind:code``, label with the number of people."""
    labels = {
        "provision_type": provision_names or {},
        "gos_code": {c.code: f"{c.code} {c.label_nl}" for c in code_list("gos_code")},
        "route_type": {c.code: c.label_nl for c in code_list("route_type")},
    }
    groups = []
    for kind, title in TREATMENT_KINDS.items():
        counts = usage_counts(snap, kind)  # type: ignore[arg-type]
        if kind == "provision_type":
            counts = counts[counts >= MIN_USERS_LISTED]
        names = labels.get(kind, {})
        options = [
            (f"{kind}:{code}", f"{names.get(str(code), code)} ({n} personen)")
            for code, n in counts.items()
        ]
        groups.append((title, options))
    return groups


def parse_spec(behandeling: str, uitkomst: str, venster: str, methode: str) -> EvaluationSpec:
    kind, _, code = behandeling.partition(":")
    if not code:
        raise ValueError("Kies een voorziening, GOS-code of soort route.")
    try:
        window = int(venster)
    except ValueError as error:
        raise ValueError("Ongeldig venster.") from error
    return EvaluationSpec(kind, code, uitkomst, window, methode)  # type: ignore[arg-type]


@dataclass(frozen=True)
class EffectView:
    """What the template shows; all of it aggregated."""

    evaluation: Evaluation
    balance: list[dict[Any, Any]]
    km_chart: str
    survival_text: str
    balance_text: str
    overlap_text: str
    subgroups: list[tuple[str, list[dict[Any, Any]], int]]  # title, rows, hidden cells
    figures: dict[str, str]  # effect, interval and naive gap, formatted in Dutch


def effect_text(value: float, binary: bool, signed: bool = True) -> str:
    """+4,2 procentpunt for a 0/1 outcome, +0,35 maanden for months on benefit."""
    if is_missing(value):
        return MISSING
    if binary:
        return f"{dutch_number(value * 100, 1, signed=signed)} procentpunt"
    return f"{dutch_number(value, 2, signed=signed)} maanden"


def _figures(evaluation: Evaluation) -> dict[str, str]:
    est = evaluation.estimate
    binary = est.outcome_is_binary
    level = (
        (lambda v: f"{dutch_number(v * 100, 1)}%")
        if binary
        else (lambda v: f"{dutch_number(v, 2)} maanden")
    )
    return {
        "effect": effect_text(est.effect, binary),
        "ci_low": effect_text(est.ci_low, binary),
        "ci_high": effect_text(est.ci_high, binary),
        "naive": effect_text(est.naive_difference, binary),
        "treated_mean": level(est.mean_outcome_treated),
        "counterfactual_mean": level(est.mean_outcome_counterfactual),
    }


def _km_chart(evaluation: Evaluation) -> tuple[str, str]:
    sample = evaluation.survival
    curves = kaplan_meier_by_group(sample, "duration", "event", "group")
    curves = curves[curves["month"] <= KM_MONTHS]
    figure = kaplan_meier_figure(curves, title="")
    figure.update_layout(
        height=340,
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        separators=",.",
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.2},
        font={"family": "system-ui, sans-serif", "size": 13},
    )
    medians = median_months_to_work(sample, "duration", "event", "group")
    return figure.to_json(), survival_reading(medians)


def _subgroup_rows(
    table: pd.DataFrame, binary: bool, threshold: int
) -> tuple[list[dict[Any, Any]], int]:
    shown, hidden = suppress(table.reset_index(), ["n_treated", "n_control"], threshold=threshold)
    rows = []
    for record in shown.to_dict(orient="records"):
        level = next(iter(record.values()))
        estimated = pd.notna(record["effect"])
        if estimated:
            record = {
                **record,
                "effect": effect_text(float(record["effect"]), binary),
                "ci_low": effect_text(float(record["ci_low"]), binary),
                "ci_high": effect_text(float(record["ci_high"]), binary),
            }
        rows.append({**record, "level": level, "estimated": estimated})
    return rows, hidden


def subgroup_level_label(covariate: str, level: object) -> str:
    """A subgroup's Dutch name: code-list labels, and the trede as "trede 3"."""
    if covariate == "trede":
        return f"trede {dutch_number(float(level), 0)}"  # type: ignore[arg-type]
    return level_label(covariate, level)


def build_view(evaluation: Evaluation, threshold: int = DEFAULT_THRESHOLD) -> EffectView:
    est = evaluation.estimate
    balance = [
        {
            "covariate": covariate_label(str(name)),
            **{
                key: dutch_number(value, 2 if str(key).startswith("smd") else 3)
                for key, value in row.items()
            },
            "unbalanced": abs(row["smd_after"]) >= SMD_THRESHOLD,
        }
        for name, row in est.balance.to_dict(orient="index").items()
    ]
    km_chart, km_text = _km_chart(evaluation)
    subgroups = []
    for name, table in evaluation.subgroups.items():
        rows, hidden = _subgroup_rows(table, est.outcome_is_binary, threshold)
        for row in rows:
            row["level"] = subgroup_level_label(name, row["level"])
        subgroups.append((SUBGROUPS[name], rows, hidden))
    return EffectView(
        evaluation=evaluation,
        balance=balance,
        km_chart=km_chart,
        survival_text=km_text,
        balance_text=balance_reading(est),
        overlap_text=overlap_reading(est),
        subgroups=subgroups,
        figures=_figures(evaluation),
    )


def _result(
    figures: FiguresView, snap: Snapshot, spec: EvaluationSpec, threshold: int
) -> EffectView | str:
    def compute() -> EffectView | str:
        try:
            return build_view(evaluate(snap, spec), threshold)
        except ValueError as error:
            return f"Deze effectmeting kan niet: {error}"

    return figures.derived(("effect", snap.reference_date, spec, threshold), compute)


@router.get("/effectmeting", response_class=HTMLResponse)
def effects_page(
    request: Request,
    behandeling: str = "",
    uitkomst: str = "work_exit",
    venster: str = "12",
    methode: str = "psm",
    user: User = Depends(require_role(*EFFECT_ROLES)),
) -> Response:
    if user.municipality_id is not None:
        raise Forbidden  # effect estimates are figures of the whole service
    outcome, _, window = uitkomst.partition(":")
    uitkomst, venster = outcome, window or venster
    figures = figures_view(request)
    threshold = suppression_threshold(request)
    reference_date = request.app.state.clock.today()
    snap = figures.snapshot(reference_date)
    # The catalogue is part of the figures (its version bumps when it changes): read it once.
    names = figures.derived(("provision_type_names",), lambda: _provision_names(request))
    error = None
    view = None
    if behandeling:
        try:
            spec = parse_spec(behandeling, uitkomst, venster, methode)
        except ValueError as problem:
            error = str(problem)
        else:
            result = _result(figures, snap, spec, threshold)
            if isinstance(result, str):
                error = result
            else:
                view = result
    outcomes = [
        (f"{outcome}:{h}", OUTCOME_LABELS[outcome].format(h=h))
        for outcome, windows in OUTCOME_WINDOWS.items()
        for h in windows
    ]
    return templates.TemplateResponse(
        request,
        "effects.html",
        {
            "reference_date": reference_date,
            "options": treatment_options(snap, names),
            "outcomes": outcomes,
            "methods": METHODS,
            "chosen": {
                "behandeling": behandeling,
                "uitkomst": f"{uitkomst}:{venster}",
                "methode": methode,
            },
            "view": view,
            "error": error,
            "min_people": MIN_PEOPLE,
            "threshold": threshold,
            "figures_as_of": figures.as_of,
            "subgroup_text": subgroup_reading(MIN_PEOPLE),
        },
    )
