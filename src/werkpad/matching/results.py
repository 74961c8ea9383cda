"""Match results for display: ranked ids turned into explained, Dutch result rows (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from werkpad.matching import explain
from werkpad.matching.config import MatchSettings
from werkpad.matching.features import CandidateProfile, VacancyProfile, encode
from werkpad.matching.geo import Geo
from werkpad.matching.reference import assess_pair
from werkpad.matching.score import top_candidates, top_vacancies


@dataclass(frozen=True)
class MatchResult:
    rank: int
    candidate_id: int
    vacancy_id: int
    name: str  # the candidate's name or the vacancy's title, whichever side is listed
    milli: int
    score_pct: float
    summary: str
    lines: tuple[explain.Line, ...]
    warning: str  # e.g. "profiel verouderd: ..." (empty when none)

    def as_dict(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "candidate_id": self.candidate_id,
            "vacancy_id": self.vacancy_id,
            "name": self.name,
            "score_pct": round(self.score_pct, 1),
            "summary": self.summary,
            "warning": self.warning,
            "criteria": [
                {
                    "criterion": ln.criterion,
                    "label": ln.label,
                    "points": ln.points,
                    "max_points": ln.max_points,
                    "text": ln.text,
                }
                for ln in self.lines
            ],
        }


def _result(
    rank: int,
    c: CandidateProfile,
    v: VacancyProfile,
    name: str,
    settings: MatchSettings,
    geo: Geo,
    today: date,
) -> MatchResult:
    pair = assess_pair(c, v, settings, geo)
    return MatchResult(
        rank=rank,
        candidate_id=c.candidate_id,
        vacancy_id=v.vacancy_id,
        name=name,
        milli=pair.total_milli,
        score_pct=explain.score_pct(pair.total_milli, settings.weights),
        summary=explain.summary(pair),
        lines=tuple(explain.lines(pair)),
        warning=explain.staleness_text(c.last_confirmed_on, today, settings.stale_after_days),
    )


def rank_candidates_for(
    vacancy: VacancyProfile,
    candidates: Sequence[CandidateProfile],
    settings: MatchSettings,
    geo: Geo,
    *,
    today: date,
    k: int = 20,
) -> list[MatchResult]:
    """The k best candidates for one vacancy, each with its explanation."""
    ranked = top_candidates(encode(candidates, [vacancy], settings, geo), k).get(vacancy.vacancy_id)
    if ranked is None:
        return []
    by_id: Mapping[int, CandidateProfile] = {c.candidate_id: c for c in candidates}
    return [
        _result(n, by_id[int(cid)], vacancy, by_id[int(cid)].name, settings, geo, today)
        for n, cid in enumerate(ranked.ids, start=1)
    ]


def rank_vacancies_for(
    candidate: CandidateProfile,
    vacancies: Sequence[VacancyProfile],
    settings: MatchSettings,
    geo: Geo,
    *,
    today: date,
    k: int = 20,
) -> list[MatchResult]:
    """The k best vacancies for one candidate, each with its explanation."""
    ranked = top_vacancies(encode([candidate], vacancies, settings, geo), k).get(
        candidate.candidate_id
    )
    if ranked is None:
        return []
    by_id = {v.vacancy_id: v for v in vacancies}
    out = []
    for n, vid in enumerate(ranked.ids, start=1):
        v = by_id[int(vid)]
        title = v.title + (f" — {v.employer}" if v.employer else "")
        out.append(_result(n, candidate, v, title, settings, geo, today))
    return out


def explain_pair(
    candidate: CandidateProfile,
    vacancy: VacancyProfile,
    settings: MatchSettings,
    geo: Geo,
) -> tuple[list[str], list[explain.Line]]:
    """Why a pair is excluded (empty when it is not) and every criterion's line."""
    pair = assess_pair(candidate, vacancy, settings, geo)
    return explain.exclusions(pair), explain.lines(pair)
