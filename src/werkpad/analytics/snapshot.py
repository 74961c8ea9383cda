"""The analytic input: pseudonymised frames as of a reference date, and the code-list facts the
figures need. Services fill a :class:`Snapshot` from the store (``werkpad.services.snapshot``);
the engines in this package only ever see these types, so the same functions run on a
municipality, on a national data set or on a hand-built frame in a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from werkpad.domain import outcomes
from werkpad.domain.codelists import code_list


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


@dataclass(frozen=True)
class Snapshot:
    """Pseudonymised analysis frames as of ``reference_date``.

    The first four frames are always filled by :func:`load_snapshot`; the others default to
    empty frames so hand-built snapshots in tests only need what they use:

    * ``persons``: person, birth_year, sex, migration_background, statushouder, team_id,
      registered_on (no BSN, names or address);
    * ``assessments``: person, assessed_on, scheme, segment, ladder_step, language_level;
    * ``exemptions``: person, exemption_type, start_date, end_date;
    * ``dossiers``: dossier_id, person (the applicant), opened_on, closed_on;
    * ``budgets``: year, cost_item, amount; ``cost_lines``: booked_on, cost_item, amount,
      provision_id;
    * ``teams``: team_id, fte; ``staff``: team_id, role, fte (one row per active user);
    * ``contacts``: person, contact_date (no summaries: they are free text about a person);
    * ``placement_instruments``: placement_id, instrument, loonwaarde_pct;
    * ``life_domains``: person, assessed_on, domain, score (the ZRM scores of an assessment,
      1 = acute problem .. 5 = fully self-reliant);
    * ``municipalities``: municipality_id, name, cbs_code (the service's municipalities);
    * ``municipality_fte``: municipality_id, year, fte (the klantmanager formation that works
      for a municipality in a year, when the service states it).

    For a service of several municipalities (``werkpad.analytics.municipalities``) the dossiers
    also carry ``municipality_id`` and ``moved_from_dossier_id`` (the dossier a move within the
    service continues), the spells ``inflow_reason``, budgets and cost lines ``municipality_id``.

    ``persons`` also carries ``klantmanager_id`` (a staff id, for the teamleider's own view);
    ``benefit_spells`` carries ``application_date``; ``placements`` carries ``hours_per_week``;
    ``provisions`` carries ``provision_name`` and ``srg_code`` (catalogue data, not personal).

    ``benefit_spells`` also carries ``dossier_id`` and ``end_reason``; ``provisions`` carries
    the catalogue flags ``kind``, ``is_language`` and ``is_work_directed_training``.
    """

    reference_date: date
    routes: pd.DataFrame
    provisions: pd.DataFrame
    placements: pd.DataFrame
    benefit_spells: pd.DataFrame
    persons: pd.DataFrame = field(default_factory=_empty)
    assessments: pd.DataFrame = field(default_factory=_empty)
    exemptions: pd.DataFrame = field(default_factory=_empty)
    dossiers: pd.DataFrame = field(default_factory=_empty)
    budgets: pd.DataFrame = field(default_factory=_empty)
    cost_lines: pd.DataFrame = field(default_factory=_empty)
    teams: pd.DataFrame = field(default_factory=_empty)
    staff: pd.DataFrame = field(default_factory=_empty)
    contacts: pd.DataFrame = field(default_factory=_empty)
    placement_instruments: pd.DataFrame = field(default_factory=_empty)
    life_domains: pd.DataFrame = field(default_factory=_empty)
    municipalities: pd.DataFrame = field(default_factory=_empty)
    municipality_fte: pd.DataFrame = field(default_factory=_empty)


@dataclass(frozen=True)
class CodeFacts:
    """The classifications a figure depends on, taken from the code lists once and passed in
    through the KPI context (so a test or another municipality can state its own).

    * ``work_route_reasons``: route end reasons that are an exit to work (``is_work``);
    * ``success_route_reasons``: route end reasons counted as a successful end (``is_success``);
    * ``work_benefit_reasons``: benefit end reasons that are an exit to work;
    * ``route_end_reason_labels``: code -> Dutch label;
    * ``job_types``: frame ``code``, ``is_regular`` (Den Haag's "regular" job types);
    * ``gos_codes``: the GOS phases in catalogue order;
    * ``segment_work_route``: segment -> whether it is on the work route (false: participation);
    * ``life_domain_problem_max``: ZRM life domain -> the highest score that is a problem.
    """

    work_route_reasons: tuple[str, ...]
    success_route_reasons: tuple[str, ...]
    work_benefit_reasons: tuple[str, ...]
    route_end_reason_labels: dict[str, str]
    job_types: pd.DataFrame
    gos_codes: tuple[str, ...]
    segment_work_route: dict[str, bool] = field(default_factory=dict)
    life_domain_problem_max: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_code_lists(cls) -> CodeFacts:
        return cls(
            work_route_reasons=tuple(outcomes.work_end_reasons()),
            success_route_reasons=tuple(outcomes.success_end_reasons()),
            work_benefit_reasons=tuple(outcomes.benefit_work_end_reasons()),
            route_end_reason_labels={c.code: c.label_nl for c in code_list("route_end_reason")},
            job_types=pd.DataFrame(
                [(c.code, bool(c.attr("is_regular"))) for c in code_list("job_type")],
                columns=["code", "is_regular"],
            ),
            gos_codes=tuple(c.code for c in code_list("gos_code")),
            segment_work_route={
                c.code: c.attr("work_route") is not False for c in code_list("segment")
            },
            life_domain_problem_max={
                c.code: int(c.attr("problem_max_score", 2)) for c in code_list("life_domain")
            },
        )
