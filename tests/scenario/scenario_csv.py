"""Write the scenario as an import folder (docs/import.md), the way another system exports it.

Keys are the scenario's own (``P01``, ``R-P01`` ...). Where a screen derives a value (the
partner's spell and address, a dossier's opening and closing, a provision's default provider and
cost, the follow-up due dates, the placement's claimant), the value is written as the user guide
says the screen derives it, so the two databases can be compared row by row.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from scenario_data import (
    EMPLOYERS,
    KLANTMANAGER,
    PEILDATUM,
    PROVIDERS,
    PROVISION_TYPES,
    STAFF,
    TEAMS,
    VACANCIES,
    Case,
)

from werkpad.domain.follow_up import follow_up_due_dates
from werkpad.importing.spec import SPEC_BY_KIND

Row = dict[str, Any]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _write(folder: Path, kind: str, rows: list[Row]) -> None:
    if not rows:
        return
    columns = list(SPEC_BY_KIND[kind].column_names)
    with (folder / f"{kind}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(columns)
        for row in rows:
            unknown = set(row) - set(columns)
            assert not unknown, (kind, unknown)
            writer.writerow([_cell(row.get(c)) for c in columns])


def write_catalogue(folder: Path) -> None:
    """The provision catalogue, the same for both databases."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder, "providers", [{"name": n, "kind": k} for n, k in PROVIDERS])
    _write(
        folder,
        "provision_types",
        [
            {
                "code": c,
                "name": n,
                "kind": k,
                "gos_code": g,
                "srg_code": s,
                "phase": p,
                "default_provider": d,
                "unit_cost": u,
            }
            for c, n, k, g, s, p, d, u in PROVISION_TYPES
        ],
    )


def write_scenario(folder: Path, cases: list[Case]) -> None:
    write_catalogue(folder)
    _write(folder, "teams", [{"name": n, "fte": f} for n, f in TEAMS.values()])
    _write(
        folder,
        "users",
        [
            {
                "username": s.username,
                "full_name": s.full_name,
                "role": s.role,
                "team": TEAMS[s.team][0] if s.team else None,
                "fte": s.fte,
            }
            for s in STAFF
        ],
    )
    _write(
        folder,
        "employers",
        [
            {
                "id": key,
                "name": e.name,
                "sector": e.sector,
                "postcode": e.postcode,
                "city": e.city,
                "contact_person": e.contact_person,
                "accountmanager": "am",
                "sroi": e.sroi,
                "banenafspraak": bool(e.banenafspraak_plaatsen),
                "banenafspraak_plaatsen": e.banenafspraak_plaatsen,
            }
            for key, e in EMPLOYERS.items()
        ],
    )
    _write(
        folder,
        "vacancies",
        [
            {
                "id": key,
                "employer_id": v.employer,
                "title": v.title,
                "occupation": v.occupation,
                "sector": v.sector,
                "hours_per_week": v.hours,
                "postcode": EMPLOYERS[v.employer].postcode,
                "opened_on": v.opened_on,
                "suitable_for_lks": v.suitable_for_lks,
                "skills": v.skills,
                "days": v.days,
            }
            for key, v in VACANCIES.items()
        ],
    )
    files: dict[str, list[Row]] = {}
    for case in cases:
        for kind, row in _case_rows(case):
            files.setdefault(kind, []).append(row)
    for kind, rows in files.items():
        _write(folder, kind, rows)


def _case_rows(case: Case) -> list[tuple[str, Row]]:
    km = KLANTMANAGER[case.team]
    team = TEAMS[case.team][0]
    key = case.key
    out: list[tuple[str, Row]] = []
    people = [(key, case.person, True)]
    if case.partner is not None:
        people.append((f"{key}-partner", case.partner, False))
    benefit_end = case.benefit_end
    for pkey, person, applicant in people:
        # A correction of the applicant's address on screen leaves the partner's as it was.
        postcode = case.postcode
        if applicant and case.postcode_correction is not None:
            postcode = case.postcode_correction[1]
        out.append(
            (
                "persons",
                {
                    "id": pkey,
                    "bsn": person.bsn,
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "birth_date": person.birth_date,
                    "sex": person.sex,
                    "street": case.street,
                    "house_number": case.house_number,
                    "postcode": postcode,
                    "city": case.city,
                    "team": team,
                    "klantmanager": km,
                    "registered_on": case.intake_on,
                },
            )
        )
        out.append(
            (
                "benefit_spells",
                {
                    "id": f"S-{pkey}",
                    "candidate_id": pkey,
                    "dossier_number": None if case.benefit_type == "NUO" else f"D-{key}",
                    "benefit_type": case.benefit_type,
                    "application_date": case.application_date,
                    "start_date": case.benefit_start,
                    "end_date": benefit_end[0] if benefit_end else None,
                    "end_reason": benefit_end[1] if benefit_end else None,
                },
            )
        )
    if case.benefit_type != "NUO":
        out.append(
            (
                "dossiers",
                {
                    "dossier_number": f"D-{key}",
                    "opened_on": case.benefit_start,
                    "closed_on": benefit_end[0] if benefit_end else None,
                    "applicant_id": key,
                    "partner_id": f"{key}-partner" if case.partner else None,
                },
            )
        )
    if case.exemption is not None:
        kind, start, review, reason = case.exemption
        out.append(
            (
                "exemptions",
                {
                    "id": f"X-{key}",
                    "candidate_id": key,
                    "exemption_type": kind,
                    "start_date": start,
                    "review_date": review,
                    "reason": reason,
                },
            )
        )
    for n, (day, kind, summary) in enumerate(case.contacts):
        if case.contact_correction is not None and n == len(case.contacts) - 1:
            summary = case.contact_correction[1]
        out.append(
            (
                "contacts",
                {
                    "id": f"C-{key}-{n}",
                    "candidate_id": key,
                    "contact_date": day,
                    "contact_type": kind,
                    "summary": summary,
                    "user": km,
                },
            )
        )
    d = case.diagnosis
    if d is not None:
        out.append(
            (
                "assessments",
                {
                    "id": f"A-{key}",
                    "candidate_id": key,
                    "assessed_on": d.assessed_on,
                    "scheme": "DENHAAG",
                    "segment": d.segment,
                    "ladder_step": d.ladder_step,
                    "loonwaarde_pct": d.loonwaarde_pct,
                    "loonwaarde_measured": False,
                    "language_level": d.language_level,
                    "work_disability": d.work_disability,
                    "proposed_route_type": d.proposed_route,
                    "reason": "Intakediagnose",
                    "months_to_work": d.months_to_work,
                    "route_decision": d.route_decision,
                    "route_override_reason": d.override_reason,
                    "consistency_warnings": d.warnings,
                    "consistency_override_reason": d.consistency_reason,
                    "assessed_by": km,
                },
            )
        )
    if case.plan is None or case.route is None:
        return out
    created, goal, sub_goals = case.plan
    out.append(
        (
            "plans",
            {
                "id": f"PL-{key}",
                "candidate_id": key,
                "created_on": created,
                "goal": goal,
                "sub_goals": "\n".join(sub_goals),
                "status": "ACTIVE",
                "created_by": km,
            },
        )
    )
    route_type, start = case.route
    exit_date = case.exit_date
    out.append(
        (
            "routes",
            {
                "id": f"R-{key}",
                "candidate_id": key,
                "route_type": route_type,
                "start_date": start,
                "end_date": exit_date,
                "end_reason": case.exit[1] if case.exit else None,
                "team": team,
                "plan_id": f"PL-{key}",
            },
        )
    )
    catalogue = {c: (d_, u) for c, _n, _k, _g, _s, _p, d_, u in PROVISION_TYPES}
    for n, p in enumerate(case.provisions):
        provider, cost = catalogue[p.type_code]
        row: Row = {
            "id": f"V-{key}-{n}",
            "route_id": f"R-{key}",
            "provision_type": p.type_code,
            "provider": provider,
            "start_date": p.start,
            "cost": cost,
        }
        if p.outcome == "DONE":
            row.update(end_date=p.end, result="COMPLETED", state="COMPLETED")
        elif p.outcome == "STOPPED":
            row.update(
                end_date=p.end, result="STOPPED_EARLY", state="STOPPED", state_reason=p.reason
            )
        elif p.outcome == "CANCELLED":
            row.update(planned_start=p.start, state="CANCELLED", state_reason=p.reason)
        else:  # rounded off by the exit, on the exit date as recorded
            assert case.exit is not None
            row.update(end_date=case.exit[0], result="COMPLETED", state="COMPLETED")
        out.append(("provisions", row))
    placement = case.placement
    if case.referral is not None:
        referred, wishes, prof = case.referral
        through_vacancy = placement is not None and placement.vacancy is not None
        out.append(
            (
                "referrals",
                {
                    "id": f"RF-{key}",
                    "candidate_id": key,
                    "route_id": f"R-{key}",
                    "referred_on": referred,
                    "state": "CLOSED" if through_vacancy else "OPEN",
                    "work_wishes": wishes,
                    "restrictions": prof.note,
                    "referred_by": km,
                    "closed_on": case.exit[0] if through_vacancy and case.exit else None,
                },
            )
        )
        out.append(
            (
                "work_profiles",
                {
                    "candidate_id": key,
                    "wished_occupations": prof.occupations,
                    "wished_sectors": prof.sectors,
                    "skills": prof.skills,
                    "days": prof.days,
                    "hours_min": prof.hours_min,
                    "hours_max": prof.hours_max,
                    "transport": prof.transport,
                    "radius_km": prof.radius_km,
                    "driving_licence": prof.driving_licence,
                    "language_level": prof.language_level,
                    "restrictions": prof.restrictions,
                    "note": prof.note,
                    "available_from": prof.available_from,
                    "last_confirmed_on": referred,
                    "updated_by": km,
                },
            )
        )
    if placement is None or case.exit is None or exit_date is None:
        return out
    if placement.vacancy is not None:
        out.append(
            (
                "proposals",
                {
                    "id": f"PR-{key}",
                    "vacancy_id": placement.vacancy,
                    "candidate_id": key,
                    "state": "PLACED",
                    "created_on": placement.shortlist_on,
                    "consent_on": placement.proposed_on,
                    "created_by": "am",
                },
            )
        )
    out.append(
        (
            "placements",
            {
                "id": f"PM-{key}",
                "candidate_id": key,
                "route_id": f"R-{key}",
                "employer_id": placement.employer,
                "vacancy_id": placement.vacancy,
                # The job starts on the exit day; a corrected exit date moves it along.
                "start_date": exit_date,
                "job_type": placement.job_type,
                "contract_type": placement.contract_type,
                "hours_per_week": placement.hours,
                "claimed_by_team": team,
            },
        )
    )
    for instrument in placement.instruments:
        out.append(
            (
                "placement_instruments",
                {
                    "placement_id": f"PM-{key}",
                    "instrument": instrument,
                    "loonwaarde_pct": placement.lks_loonwaarde if instrument == "LKS" else None,
                    "start_date": exit_date,
                },
            )
        )
    due = follow_up_due_dates(exit_date)
    for f in case.follow_ups:
        done = due[f.months] <= PEILDATUM
        out.append(
            (
                "follow_ups",
                {
                    "placement_id": f"PM-{key}",
                    "months": f.months,
                    "due_date": due[f.months],
                    "done_on": due[f.months] if done else None,
                    "still_working": f.still_working if done else None,
                    "back_on_benefit": f.back_on_benefit if done else None,
                    "note": f.note if done else None,
                },
            )
        )
    return out
