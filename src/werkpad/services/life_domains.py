"""The ZRM life domains of one candidate with their history, for the file's diagnosis section.

The scores (zelfredzaamheidsmatrix: 1 acute problems .. 5 fully self-reliant) are kept with each
assessment. They say something about debts, health and addiction, so only the klantmanager sees
them (``LIFE_DOMAIN_ROLES``), within the usual team scope; never the accountmanager, whatever
page asks. The check is here, on the server, not in the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from werkpad.domain.codelists import code_list
from werkpad.services.access import AccessDenied, may_read_candidate
from werkpad.store.models import Candidate, User

LIFE_DOMAIN_ROLES = ("KLANTMANAGER",)


@dataclass(frozen=True)
class DomainScore:
    score: int | None
    label: str  # the Dutch meaning of the score, "–" when not scored
    problem: bool  # at or below the domain's problem threshold (code list ``life_domain``)


@dataclass(frozen=True)
class DomainRow:
    code: str
    label: str
    scores: list[DomainScore]  # one per assessment of ``LifeDomainHistory.dates``, newest first


@dataclass(frozen=True)
class LifeDomainHistory:
    dates: list[date]  # assessments with ZRM scores, newest first
    rows: list[DomainRow]

    @property
    def problems(self) -> list[str]:
        """The labels of the domains with a problem in the latest assessment."""
        return [r.label for r in self.rows if r.scores and r.scores[0].problem]


def may_see_life_domains(user: User, candidate: Candidate) -> bool:
    return user.role in LIFE_DOMAIN_ROLES and may_read_candidate(user, candidate)


def life_domain_history(user: User, candidate: Candidate) -> LifeDomainHistory:
    """Every assessment of ``candidate`` with ZRM scores, per life domain of the code list
    (from the assessments the file has loaded already: no query of its own). AccessDenied for
    a user who may not see them."""
    if not may_see_life_domains(user, candidate):
        raise AccessDenied
    ordered = sorted(candidate.assessments, key=lambda a: (a.assessed_on, a.id), reverse=True)
    assessments = [
        (a.assessed_on, a.zrm_scores)
        for a in ordered
        if isinstance(a.zrm_scores, dict) and a.zrm_scores
    ]
    meanings = code_list("zrm_score")
    rows = []
    for domain in code_list("life_domain"):
        threshold = int(domain.attr("problem_max_score", 2))
        cells = []
        for _, scores in assessments:
            raw = scores.get(domain.code)
            score = int(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None
            cells.append(
                DomainScore(
                    score,
                    meanings.label(str(score)) if score is not None else "–",
                    score is not None and score <= threshold,
                )
            )
        rows.append(DomainRow(domain.code, domain.label_nl, cells))
    return LifeDomainHistory([day for day, _ in assessments], rows)


def life_domains_for_file(user: User, candidate: Candidate) -> LifeDomainHistory | None:
    """The history for the file page: None for a user who does not see life domains (the
    page then says who does)."""
    try:
        return life_domain_history(user, candidate)
    except AccessDenied:
        return None
