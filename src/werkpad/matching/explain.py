"""Plain-Dutch explanation lines for a pair: one per criterion, and why a pair is excluded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from werkpad.domain.codelists import code_list
from werkpad.domain.formatting import dutch_number
from werkpad.matching.config import CRITERION_LABELS_NL, Weights
from werkpad.matching.features import DAY_LABELS_NL, DEMAND_LABELS_NL
from werkpad.matching.geo import TRANSPORT_LABELS_NL
from werkpad.matching.reference import Contribution, Exclusion, PairAssessment


@dataclass(frozen=True)
class Line:
    criterion: str
    label: str
    points: float  # contribution in points (weight units)
    max_points: float
    text: str


def _num(x: float, digits: int = 1) -> str:
    return dutch_number(x, digits)


def _sector(code: str) -> str:
    return code_list("sector").label(code) if code_list("sector").get(code) else code


def contribution_text(c: Contribution) -> str:
    d = c.detail
    full = c.milli == c.max_milli
    match c.criterion:
        case "occupation":
            if d["occupation"] is None:
                return "beroep van de vacature onbekend"
            if c.milli:
                return f"beroep past bij wens ({d['occupation']})"
            return f"{d['occupation']} staat niet bij de beroepswensen"
        case "experience":
            if d["occupation"] is None:
                return "beroep van de vacature onbekend"
            if c.milli:
                return f"werkervaring als {d['occupation']}"
            return f"geen werkervaring als {d['occupation']}"
        case "sector":
            label = _sector(d["sector"])
            return f"sector past ({label})" if c.milli else f"sector niet gewenst ({label})"
        case "skills":
            if not d["asked"]:
                return "geen vaardigheden gevraagd"
            if not d["missing"]:
                return "alle gevraagde vaardigheden"
            return f"vaardigheden {d['matched']} van {d['asked']} (mist: {', '.join(d['missing'])})"
        case "travel":
            if d["minutes"] is None:
                return "reistijd onbekend (postcode ontbreekt of onbekend)"
            mode = TRANSPORT_LABELS_NL[d["transport"]]
            return f"reistijd {round(d['minutes'])} min ({mode}, {_num(d['km'])} km)"
        case "language" | "education":
            word = "taalniveau" if c.criterion == "language" else "opleiding"
            levels = code_list("language_level" if c.criterion == "language" else "education_level")
            d = {**d, "have": levels.label(d["have"]) if d["have"] is not None else None,
                 "need": levels.label(d["need"]) if d["need"] is not None else None}  # fmt: skip
            if d["need"] is None:
                return f"geen {word} gevraagd"
            if d["have"] is None:
                return f"{word} onbekend (gevraagd {d['need']})"
            if d["below"]:
                return f"{word} lager dan gevraagd ({d['have']}, gevraagd {d['need']})"
            return f"{word} voldoet ({d['have']}, gevraagd {d['need']})"
        case "days":
            if not d["asked"]:
                return "geen vaste werkdagen gevraagd"
            if full or not d["missing"]:
                return "beschikbaar op alle gevraagde dagen"
            missing = ", ".join(DAY_LABELS_NL[x] for x in d["missing"])
            return f"beschikbaar op {d['matched']} van {d['asked']} dagen (niet: {missing})"
        case "lks":
            if not d["needs_lks"]:
                return "volledige loonwaarde"
            pct = d["loonwaarde_pct"]
            if d["suitable_for_lks"]:
                return f"loonwaarde {pct}%: vacature geschikt voor LKS"
            if d["suitable_for_garantiebaan"]:
                return f"loonwaarde {pct}%: vacature geschikt als garantiebaan"
            return f"loonwaarde {pct}%: vacature niet geschikt voor LKS of garantiebaan"
    raise ValueError(f"onbekend criterium: {c.criterion}")


def exclusion_text(e: Exclusion) -> str:
    d = e.detail
    match e.rule:
        case "HOURS":
            return (
                f"uren passen niet: {d['hours']} uur gevraagd, "
                f"beschikbaar {d['min']}-{d['max']} uur"
            )
        case "RADIUS":
            return f"buiten reisafstand: {_num(d['km'])} km, maximaal {_num(d['radius_km'])} km"
        case "LICENCE":
            return "rijbewijs gevraagd, kandidaat heeft geen rijbewijs"
        case "RESTRICTION":
            return f"beperking: {DEMAND_LABELS_NL[d['code']]}"
    raise ValueError(f"onbekende regel: {e.rule}")


def lines(assessment: PairAssessment) -> list[Line]:
    """One line per criterion, in configuration order, with points as weight units."""
    return [
        Line(
            criterion=c.criterion,
            label=CRITERION_LABELS_NL[c.criterion],
            points=c.milli / 1000,
            max_points=c.max_milli / 1000,
            text=contribution_text(c),
        )
        for c in assessment.contributions
    ]


def exclusions(assessment: PairAssessment) -> list[str]:
    return [exclusion_text(e) for e in assessment.exclusions]


def score_pct(milli: int, weights: Weights) -> float:
    """A score in milli-points as a percentage of the maximum (0-100)."""
    return milli / (weights.total * 10)


def staleness_text(last_confirmed_on: date | None, today: date, stale_after_days: int) -> str:
    """Empty when the profile is fresh; otherwise a warning for the result list."""
    if last_confirmed_on is None:
        return "profiel nooit bevestigd"
    if (today - last_confirmed_on).days > stale_after_days:
        return f"profiel verouderd: laatst bevestigd op {last_confirmed_on:%d-%m-%Y}"
    return ""


def summary(assessment: PairAssessment) -> str:
    """The pair in one sentence: what helps most and what costs most."""
    if assessment.excluded:
        return "; ".join(exclusions(assessment))
    gains = [c for c in assessment.contributions if c.milli > 0]
    losses = [c for c in assessment.contributions if c.milli < c.max_milli]
    gains.sort(key=lambda c: -c.milli)
    losses.sort(key=lambda c: -(c.max_milli - c.milli))
    parts = [contribution_text(c) for c in gains[:3]] + [contribution_text(c) for c in losses[:2]]
    return "; ".join(dict.fromkeys(parts))
