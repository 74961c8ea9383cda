"""Pure generation of a whole synthetic municipality: seed in, one frame per table out.

Nothing here touches a database. Ids are assigned here (1..n per table) so foreign keys are
filled vectorised; ``werkpad.synth.load`` writes the frames in this order.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from werkpad.synth.benefits import build_benefits
from werkpad.synth.calibration import SCALES, Scale
from werkpad.synth.casework import (
    SEGMENT_ROUTE_TYPE,
    build_assessments,
    build_contacts,
    build_exemptions,
    build_plans,
    build_referral_transitions,
    build_referrals,
    candidate_segments,
)
from werkpad.synth.catalogue import build_provider_types_and_providers
from werkpad.synth.employers import build_employers, build_vacancies
from werkpad.synth.frames import SynthData, day
from werkpad.synth.matching_tables import add_matching_tables
from werkpad.synth.money import build_money
from werkpad.synth.municipalities import all_teams_serve, owned_by, single_municipality
from werkpad.synth.names import NamePools
from werkpad.synth.organisation import build_organisation, district_team_count
from werkpad.synth.placements import build_placements
from werkpad.synth.population import assign_klantmanagers, build_candidates
from werkpad.synth.provisions import build_provisions
from werkpad.synth.trajectories import REF, build_trajectories

ADULT_DAYS = int(18 * 365.25) + 1
OLDEST_DAYS = int(67 * 365.25) - 1


def resolve_scale(scale: str | Scale) -> Scale:
    if isinstance(scale, Scale):
        return scale
    if scale not in SCALES:
        raise ValueError(f"Onbekende schaal '{scale}'; kies uit: {', '.join(SCALES)}")
    return SCALES[scale]


def generate(scale: str | Scale, seed: int) -> SynthData:
    """The synthetic municipality for ``scale`` and ``seed`` (same seed, same data)."""
    size = resolve_scale(scale)
    rng = np.random.default_rng(seed)
    pools = NamePools.build(seed)
    data = SynthData()
    n = size.candidates

    n_teams = district_team_count(n)
    candidates = build_candidates(rng, pools, n, n_teams, size.city)
    per_team = np.bincount(candidates["team_id"].to_numpy(), minlength=n_teams + 1)[1:]
    org = build_organisation(rng, pools, per_team)
    km_by_team = {t: org.user_ids("KLANTMANAGER", t) for t in range(1, n_teams + 1)}
    candidates["klantmanager_id"] = assign_klantmanagers(rng, candidates, km_by_team)
    data.logins = org.logins

    trajectories = build_trajectories(rng, n, size.routes)
    benefits = build_benefits(rng, trajectories.spells, candidates)
    spells = benefits.spells
    first_spell_start = spells["start_date"].to_numpy()[:n].astype(float)
    candidates["registered_on"] = spells["application_date"].to_numpy()[:n]
    latest_birth = first_spell_start - ADULT_DAYS
    earliest_birth = REF - OLDEST_DAYS
    candidates["birth_date"] = np.clip(
        candidates["birth_date"].to_numpy(), earliest_birth, latest_birth
    )

    routes = trajectories.routes
    first = routes[routes["route_no"] == 1]
    segment = candidate_segments(rng, n, first)
    routes = _route_table(rng, routes, candidates, segment)

    providers, types = build_provider_types_and_providers()
    provisions = build_provisions(rng, routes, types, size.provisions)

    accountmanagers = org.user_ids("ACCOUNTMANAGER")
    n_employers = 200 + n // 10
    employers = build_employers(rng, pools, n_employers, accountmanagers, size.city)
    vacancies = build_vacancies(rng, employers, int(n_employers * 1.5))
    placed = build_placements(rng, routes, employers, vacancies)

    assessments = build_assessments(rng, candidates, segment, first_spell_start, first)
    routed = np.zeros(n, dtype=bool)
    routed[routes["candidate_id"].to_numpy() - 1] = True
    exemptions = build_exemptions(rng, first_spell_start, routed)
    plans = build_plans(routes, rng)
    contacts = _contacts(rng, candidates, spells, routed)
    gos = (
        types.set_index("id").loc[provisions["provision_type_id"].to_numpy(), "gos_code"].to_numpy()
    )
    matching = provisions[gos == "PS5"].groupby("route_id")["start_date"].min()
    referrals = build_referrals(rng, routes, matching, accountmanagers, segment)
    transitions = build_referral_transitions(rng, referrals)
    provider_kind = providers.set_index("id").loc[provisions["provider_id"].to_numpy(), "kind"]
    budget, cost_lines = build_money(
        provisions, provider_kind.to_numpy(), placed.instruments, size.factor
    )

    municipalities = single_municipality()
    for name, frame in (
        ("municipality", municipalities),
        ("team", org.teams),
        ("team_municipality", all_teams_serve(org.teams, municipalities)),
        ("app_user", org.users),
        ("provider", providers),
        ("provision_type", types),
        ("employer", employers),
        ("vacancy", vacancies),
        ("candidate", candidates),
        ("benefit_dossier", owned_by(benefits.dossiers, 1)),
        ("dossier_member", benefits.members),
        ("benefit_spell", spells),
        ("assessment", assessments),
        ("exemption", exemptions),
        ("plan", plans),
        ("route", routes),
        ("provision", provisions),
        ("contact", contacts),
        ("referral", referrals),
        ("state_transition", transitions),
        ("placement", placed.placements),
        ("placement_instrument", placed.instruments),
        ("follow_up", placed.follow_ups),
        ("budget", owned_by(budget, 1)),
        ("cost_line", owned_by(cost_lines, 1)),
    ):
        data.add(name, frame)
    # Matching tables draw from their own stream, so the other tables stay identical per seed.
    add_matching_tables(data, np.random.default_rng([seed, 7]))
    return data


def _route_table(
    rng: np.random.Generator, routes: pd.DataFrame, candidates: pd.DataFrame, segment: np.ndarray
) -> pd.DataFrame:
    routes = routes.reset_index(drop=True).copy()
    n = len(routes)
    pos = routes["candidate"].to_numpy()
    route_type = np.array([SEGMENT_ROUTE_TYPE[s] for s in segment[pos]], dtype=object)
    route_type = np.where(rng.random(n) < 0.05, "SPECIALISED_PROVIDER", route_type)
    routes["id"] = np.arange(1, n + 1)
    routes["source_id"] = None
    routes["candidate_id"] = pos + 1
    routes["plan_id"] = routes["id"]
    routes["team_id"] = candidates["team_id"].to_numpy()[pos]
    routes["klantmanager_id"] = candidates["klantmanager_id"].to_numpy()[pos]
    routes["route_type"] = route_type
    routes["start_date"] = routes["start"]
    routes["end_date"] = routes["end"]
    return routes


def _contacts(
    rng: np.random.Generator, candidates: pd.DataFrame, spells: pd.DataFrame, routed: np.ndarray
) -> pd.DataFrame:
    n = len(candidates)
    cand = spells["candidate_id"].to_numpy() - 1
    end = spells["end_date"].to_numpy().astype(float)
    last_end = np.full(n, -np.inf)
    np.maximum.at(last_end, cand, np.where(np.isnan(end), np.inf, end))
    window_end = np.minimum(last_end, REF).astype(float)
    window_start = np.maximum(spells["start_date"].to_numpy()[:n], day(date(2017, 1, 1))).astype(
        float
    )
    window_start = np.minimum(window_start, window_end)
    return build_contacts(
        rng,
        candidates["klantmanager_id"].to_numpy(),
        window_start,
        window_end,
        np.where(routed, 4.0, 1.5),
    )
