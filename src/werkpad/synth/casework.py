"""Case work around the candidates: assessments, exemptions, plans, contacts and referrals.

Assessments keep a history (1-3 per candidate) in the Den Haag scheme; the trede rises for
candidates in a route, and about 9% of candidates were never classified (fields left empty,
as the evaluations found). About 20% have an exemption, typed like Haarlemmermeer's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from werkpad.synth.calibration import EXEMPTION_SHARE, EXEMPTION_TYPE_COUNTS, UNCLASSIFIED_SHARE
from werkpad.synth.frames import choice, months, or_none, pick
from werkpad.synth.trajectories import REF

SEGMENT_ROUTE_TYPE = {
    "DH_A": "DIRECT_MEDIATION",
    "DH_B": "WORK_12M",
    "DH_C": "SUPPORTED_WORK",
    "DH_P": "ACTIVATION",
}
SEGMENT_REASON = {
    "DH_A": (
        "Recente werkervaring en goede motivatie; kan op korte termijn aan het werk.",
        "Heeft een vakdiploma en is direct bemiddelbaar.",
    ),
    "DH_B": (
        "Beperkte werkervaring; met training en begeleiding binnen 18 maanden aan het werk.",
        "Werknemersvaardigheden en taal vragen aandacht; werkfittraject voorgesteld.",
    ),
    "DH_C": (
        "Arbeidsbeperking vastgesteld; werk met loonkostensubsidie of beschut werk haalbaar.",
        "Loonwaarde onder het minimumloon; doelgroep banenafspraak.",
    ),
    "DH_P": (
        "Meervoudige problematiek (schulden, gezondheid); eerst participatie en zorg.",
        "Niet binnen 18 maanden bemiddelbaar; activering en vrijwilligerswerk.",
    ),
}
UNCLASSIFIED_REASON = "Diagnosegesprek gevoerd; classificatie nog niet vastgelegd."
ZRM_DOMAINS = ("financien", "dagbesteding", "huisvesting", "gezondheid", "taal", "netwerk")
GOALS = {
    "DIRECT_MEDIATION": "Binnen drie maanden aan het werk via bemiddeling naar een vacature.",
    "WORK_12M": "Binnen twaalf maanden betaald werk na werkfittraject en vakopleiding.",
    "SUPPORTED_WORK": "Duurzaam werk met loonkostensubsidie en jobcoaching.",
    "ACTIVATION": "Stabiliseren: schulden regelen en dagbesteding opbouwen; daarna trede verhogen.",
    "SPECIALISED_PROVIDER": "Traject bij een gespecialiseerde aanbieder, op weg naar werk.",
}
CONTACT_SUMMARIES = {
    "FACE_TO_FACE": (
        "Voortgang traject besproken; afspraken vastgelegd.",
        "Gesprek over sollicitaties en werkwensen.",
        "Evaluatie voorziening; kandidaat is gemotiveerd.",
        "Belemmeringen besproken, doorverwijzing schuldhulp.",
    ),
    "HOME_VISIT": ("Huisbezoek: thuissituatie en kinderopvang besproken.",),
    "PHONE": (
        "Telefonisch contact over afwezigheid bij training.",
        "Kandidaat gebeld over een vacature.",
        "Afspraak verzet op verzoek van kandidaat.",
    ),
    "VIDEO": ("Beeldbelafspraak: voortgang en planning besproken.",),
    "EMAIL": ("Cv ontvangen en doorgestuurd.", "Bevestiging van de afspraak gestuurd."),
    "GROUP": ("Deelname groepsbijeenkomst sollicitatievaardigheden.",),
}
WORK_WISHES = {
    "DH_A": "Fulltime werk in de logistiek of detailhandel",
    "DH_B": "Parttime werk in de zorg of schoonmaak, overdag",
    "DH_C": "Werk met begeleiding, rustige werkplek",
    "DH_P": "Vrijwilligerswerk of participatieplaats",
}
EXEMPTION_REASON = {
    "SINGLE_PARENT_CHILD_UNDER_5": "Alleenstaande ouder met zorg voor kind jonger dan 5 jaar.",
    "FULLY_UNFIT": "Volledig en duurzaam arbeidsongeschikt volgens medisch advies.",
    "TEMPORARY_URGENT": "Tijdelijk: medische behandeling / mantelzorg / crisissituatie.",
}
LANGUAGE = ("A0", "A1", "A2", "B1", "B2", "C1")


def candidate_segments(rng: np.random.Generator, n: int, first_routes: pd.DataFrame) -> np.ndarray:
    """The segment of each candidate, consistent with how the first route ended."""
    segment = choice(rng, ["DH_B", "DH_C", "DH_P"], [0.2, 0.1, 0.7], n)  # no route
    pos = first_routes["candidate"].to_numpy()
    reason = first_routes["end_reason"].to_numpy()
    job_type = first_routes["job_type"].to_numpy()
    m = len(pos)
    seg = choice(rng, ["DH_A", "DH_B", "DH_C", "DH_P"], [0.25, 0.45, 0.12, 0.18], m)
    job = reason == "JOB"
    seg = np.where(job, np.where(rng.random(m) < 0.6, "DH_A", "DH_B"), seg)
    seg = np.where(np.isin(job_type, ["3", "5"]), "DH_C", seg)
    seg = np.where(
        reason == "STOPPED", choice(rng, ["DH_B", "DH_C", "DH_P"], [0.5, 0.2, 0.3], m), seg
    )
    segment[pos] = seg
    return segment


def build_assessments(
    rng: np.random.Generator,
    candidates: pd.DataFrame,
    segment: np.ndarray,
    spell_start: np.ndarray,
    first_routes: pd.DataFrame,
) -> pd.DataFrame:
    n = len(candidates)
    count = rng.choice([1, 2, 3], size=n, p=[0.35, 0.40, 0.25])
    d1 = spell_start + rng.integers(14, 60, n)
    r_start = np.full(n, np.nan)
    r_end = np.full(n, np.nan)
    job_type = np.full(n, None, dtype=object)
    pos = first_routes["candidate"].to_numpy()
    r_start[pos] = first_routes["start"].to_numpy()
    r_end[pos] = first_routes["end"].to_numpy()
    job_type[pos] = first_routes["job_type"].to_numpy()
    routed = ~np.isnan(r_start)
    d2 = np.where(routed, r_start - rng.integers(0, 30, n), d1 + rng.integers(300, 500, n))
    d3 = np.where(routed & ~np.isnan(r_end), r_end, d2 + rng.integers(180, 365, n))
    d2 = np.maximum(d2, d1 + 1)
    d3 = np.maximum(d3, d2 + 1)
    dates = np.stack([d1, d2, d3], axis=1)
    k = np.arange(3)[None, :]
    keep = (k < count[:, None]) & (dates <= REF)
    keep[:, 0] = True
    c_idx, a_idx = np.nonzero(keep)
    m = len(c_idx)
    seg = segment[c_idx]
    base = np.select([seg == "DH_A", seg == "DH_P"], [4, 2], 3) + rng.integers(-1, 2, m)
    rises = (routed[c_idx] & (rng.random(m) < 0.55)) * a_idx
    ladder = np.clip(base + rises, 1, 5).astype(float)
    last = a_idx == count[c_idx] - 1
    jt = job_type[c_idx]
    in_job = last & (a_idx > 0) & np.isin(jt, ["1", "2", "3", "4", "5", "6"])
    ladder = np.where(in_job, np.where(np.isin(jt, ["1", "3", "5"]), 5, 6), ladder)
    unclassified = rng.random(n) < UNCLASSIFIED_SHARE
    blank = unclassified[c_idx]
    bg = candidates["migration_background"].to_numpy()[c_idx]
    status = candidates["statushouder"].to_numpy()[c_idx]
    lang = np.where(
        bg == "NL",
        5,
        np.where(status, rng.integers(0, 4, m), rng.integers(2, 6, m)),
    )
    lang = np.minimum(lang + (status & (rng.random(m) < 0.5)) * a_idx, 5)
    loonwaarde = np.where(
        seg == "DH_C",
        rng.integers(30, 71, m),
        np.where((seg == "DH_B") & (rng.random(m) < 0.2), rng.integers(60, 86, m), -1),
    ).astype(float)
    loonwaarde[loonwaarde < 0] = np.nan
    measured = (seg == "DH_C") & (rng.random(m) < 0.6)
    zrm = [
        {d: int(s) for d, s in zip(ZRM_DOMAINS, rng.integers(1, 6, len(ZRM_DOMAINS)), strict=True)}
        if has
        else None
        for has in rng.random(m) < 0.5
    ]
    reason = np.array(
        [SEGMENT_REASON[s][i % 2] for s, i in zip(seg, a_idx, strict=True)], dtype=object
    )
    return pd.DataFrame(
        {
            "id": np.arange(1, m + 1),
            "source_id": None,
            "candidate_id": c_idx + 1,
            "assessed_on": dates[c_idx, a_idx],
            "scheme": or_none(blank, "DENHAAG"),
            "segment": or_none(blank, seg),
            "ladder_step": np.where(blank, np.nan, ladder),
            "loonwaarde_pct": np.where(blank, np.nan, loonwaarde),
            "loonwaarde_measured": ~blank & measured,
            "language_level": or_none(blank, np.asarray(LANGUAGE, dtype=object)[lang]),
            "work_disability": or_none(blank, seg == "DH_C"),
            "zrm_scores": zrm,
            "proposed_route_type": or_none(
                blank, np.array([SEGMENT_ROUTE_TYPE[s] for s in seg], dtype=object)
            ),
            "reason": np.where(blank, UNCLASSIFIED_REASON, reason),
            "assessed_by_id": candidates["klantmanager_id"].to_numpy()[c_idx],
        }
    )


def build_exemptions(
    rng: np.random.Generator, spell_start: np.ndarray, routed: np.ndarray
) -> pd.DataFrame:
    """Exemptions for about 20% of candidates (all candidates without a route among them)."""
    n = len(spell_start)
    extra = (EXEMPTION_SHARE * n - (~routed).sum()) / max(1, routed.sum())
    has = ~routed | (rng.random(n) < extra)
    c_idx = np.flatnonzero(has)
    m = len(c_idx)
    kind = choice(rng, list(EXEMPTION_TYPE_COUNTS), list(EXEMPTION_TYPE_COUNTS.values()), m)
    start = np.minimum(spell_start[c_idx] + rng.integers(30, 700, m), REF - rng.integers(0, 60, m))
    start = np.maximum(start, spell_start[c_idx])
    temp_end = start + months(rng.integers(3, 13, m))
    parent_end = start + months(rng.integers(12, 61, m))
    end = np.select(
        [kind == "TEMPORARY_URGENT", kind == "SINGLE_PARENT_CHILD_UNDER_5"],
        [temp_end, parent_end],
        np.nan,
    )
    review = np.select(
        [kind == "TEMPORARY_URGENT", kind == "SINGLE_PARENT_CHILD_UNDER_5"],
        [temp_end, start + months(12)],
        start + months(24),
    )
    return pd.DataFrame(
        {
            "id": np.arange(1, m + 1),
            "source_id": None,
            "candidate_id": c_idx + 1,
            "exemption_type": kind,
            "start_date": start,
            "end_date": end,
            "review_date": review,
            "reason": np.array([EXEMPTION_REASON[k] for k in kind], dtype=object),
        }
    )


def build_plans(routes: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One plan per route, written just before it started."""
    n = len(routes)
    route_type = routes["route_type"].to_numpy()
    goals = [
        {"steps": ["diagnose", "werkfit", "bemiddeling"], "target_hours": int(h)}
        for h in rng.choice([16, 24, 32, 36], size=n)
    ]
    return pd.DataFrame(
        {
            "id": routes["id"].to_numpy(),
            "candidate_id": routes["candidate_id"].to_numpy(),
            "created_on": routes["start"].to_numpy() - rng.integers(0, 21, n),
            "goal": np.array([GOALS[t] for t in route_type], dtype=object),
            "goals": goals,
            "status": np.where(routes["end"].isna(), "ACTIVE", "CLOSED"),
            "created_by_id": routes["klantmanager_id"].to_numpy(),
        }
    )


def build_contacts(
    rng: np.random.Generator,
    klantmanager: np.ndarray,
    window_start: np.ndarray,
    window_end: np.ndarray,
    rate_per_year: np.ndarray,
) -> pd.DataFrame:
    """Several contacts a year per candidate while in view, logged by the klantmanager."""
    years = np.maximum(0.0, (window_end - window_start) / 365.25)
    count = rng.poisson(rate_per_year * years)
    c_idx = np.repeat(np.arange(len(count)), count)
    m = len(c_idx)
    dates = window_start[c_idx] + np.floor(rng.random(m) * (window_end - window_start)[c_idx])
    kind = choice(
        rng,
        list(CONTACT_SUMMARIES),
        [0.35, 0.05, 0.30, 0.10, 0.15, 0.05],
        m,
    )
    summary = np.empty(m, dtype=object)
    for k, texts in CONTACT_SUMMARIES.items():
        idx = np.flatnonzero(kind == k)
        summary[idx] = pick(rng, texts, len(idx))
    order = np.lexsort((dates, c_idx))
    return pd.DataFrame(
        {
            "id": np.arange(1, m + 1),
            "source_id": None,
            "candidate_id": c_idx[order] + 1,
            "user_id": klantmanager[c_idx[order]],
            "contact_date": dates[order],
            "contact_type": kind[order],
            "summary": summary[order],
        }
    )


def build_referrals(
    rng: np.random.Generator,
    routes: pd.DataFrame,
    matching_start: pd.Series,
    accountmanagers: np.ndarray,
    segment: np.ndarray,
) -> pd.DataFrame:
    """A referral to employer services for each route with a matching provision (PS5)."""
    sub = routes.set_index("id").loc[matching_start.index]
    n = len(sub)
    referred = matching_start.to_numpy()
    ended = sub["end"].notna().to_numpy()
    state = np.where(
        ended, "CLOSED", choice(rng, ["OPEN", "PICKED_UP", "RETURNED"], [0.25, 0.6, 0.15], n)
    )
    picked = np.isin(state, ["PICKED_UP", "CLOSED", "RETURNED"])
    picked_on = np.minimum(referred + rng.integers(1, 22, n), REF)
    closed_on = np.where(
        ended, sub["end"].to_numpy(), np.where(state == "RETURNED", picked_on + 30, np.nan)
    )
    closed_on = np.where(closed_on > REF, REF, closed_on)
    seg = segment[sub["candidate_id"].to_numpy() - 1]
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "candidate_id": sub["candidate_id"].to_numpy(),
            "route_id": sub.index.to_numpy(),
            "referred_on": referred,
            "state": state,
            "work_wishes": np.array([WORK_WISHES[s] for s in seg], dtype=object),
            "availability": pick(
                rng, ["Fulltime, ma-vr", "24 uur, overdag", "32 uur", "Avonden en weekend"], n
            ),
            "restrictions": or_none(rng.random(n) >= 0.2, "Geen zwaar tilwerk"),
            "referred_by_id": sub["klantmanager_id"].to_numpy(),
            "picked_up_by_id": np.where(picked, pick(rng, list(accountmanagers), n), np.nan),
            "picked_up_on": np.where(picked, np.maximum(picked_on, referred), np.nan),
            # A referral closes after it was picked up, even when the route ended sooner.
            "closed_on": np.where(
                np.isnan(closed_on), np.nan, np.maximum(closed_on, np.maximum(picked_on, referred))
            ),
            "note": or_none(state != "RETURNED", "Teruggelegd: kandidaat nog niet bemiddelbaar"),
        }
    )


def build_referral_transitions(rng: np.random.Generator, referrals: pd.DataFrame) -> pd.DataFrame:
    """The logged life cycle of each referral: aangemeld, opgepakt, teruggelegd/afgesloten.

    Every step is allowed by ``werkpad.domain.lifecycle.REFERRAL``.
    """
    state = referrals["state"].to_numpy()
    picked = referrals["picked_up_on"].notna().to_numpy()
    final = np.isin(state, ["RETURNED", "CLOSED"])
    parts = [
        (np.ones(len(referrals), dtype=bool), None, "OPEN", "referred_on", "referred_by_id", None),
        (picked, "OPEN", "PICKED_UP", "picked_up_on", "picked_up_by_id", None),
        (final & picked, "PICKED_UP", None, "closed_on", "picked_up_by_id", "note"),
    ]
    frames = []
    for step, (mask, from_state, to_state, date_col, user_col, reason_col) in enumerate(parts):
        sub = referrals[mask]
        frames.append(
            pd.DataFrame(
                {
                    "object_type": "referral",
                    "object_id": sub["id"].to_numpy(),
                    "from_state": from_state,
                    "to_state": sub["state"].to_numpy() if to_state is None else to_state,
                    "day": sub[date_col].to_numpy(),
                    "user_id": sub[user_col].to_numpy(),
                    "reason": None if reason_col is None else sub[reason_col].to_numpy(),
                    "step": step,
                }
            )
        )
    log = pd.concat(frames, ignore_index=True)
    log = log.sort_values(["day", "object_id"], kind="stable").reset_index(drop=True)
    # Steps on the same day keep their order: morning, midday, afternoon.
    minutes = 8 * 60 + log["step"].to_numpy() * 180 + rng.integers(0, 150, len(log))
    log["at"] = log["day"].to_numpy().astype("int64").astype("datetime64[D]").astype(
        "datetime64[m]"
    ) + minutes.astype("timedelta64[m]")
    log.insert(0, "id", np.arange(1, len(log) + 1))
    return log.drop(columns=["day", "step"])
