"""Enter the scenario through the HTTP interface only: the beheerder's forms for teams and
users, the accountmanager's forms for employers, vacancies, shortlist and proposals, and the
JSON API (with login and CSRF) for the klantmanager's chain and corrections.

"Today" is the server's clock; the driver sets it to each event's date, as the day it happened.
The one thing no screen keeps is the provision catalogue: the beheerder imports it (as she
would), and the very same files go into the import database. The first beheerder account is
created like ``werkpad`` setup does, before anyone can log in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyotp
from fastapi.testclient import TestClient
from scenario_csv import write_catalogue
from scenario_data import (
    EMPLOYERS,
    KLANTMANAGER,
    PASSWORD,
    PEILDATUM,
    PROVISION_TYPES,
    STAFF,
    TEAMS,
    VACANCIES,
    Case,
)

from werkpad.domain.follow_up import follow_up_due_dates
from werkpad.importing import import_folder
from werkpad.services.accounts import hash_password
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import User
from werkpad.web.app import create_app

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_TOTP_SECRET = re.compile(r'class="totp-secret"><code>([A-Z2-7 ]+)</code>')


class ScenarioClock:
    """The server's "today", moved by the driver to the date of each event."""

    def __init__(self) -> None:
        self.day = date(2022, 1, 3)

    def today(self) -> date:
        return self.day

    def frozen(self) -> date | None:
        return None


class Failed(AssertionError):
    pass


def _check(response: Any, *expected: int) -> Any:
    if response.status_code not in expected:
        raise Failed(
            f"{response.request.method} {response.request.url}: "
            f"{response.status_code} {response.text[:1500]}"
        )
    return response


@dataclass
class Desk:
    """A logged-in user's browser: cookies and the session's CSRF token."""

    client: TestClient
    csrf: str

    def form(self, url: str, data: dict[str, Any], *expected: int) -> Any:
        body = {"csrf_token": self.csrf, **{k: v for k, v in data.items() if v is not None}}
        return _check(
            self.client.post(url, data=body, follow_redirects=False), *(expected or (303,))
        )

    def api(self, url: str, body: dict[str, Any], method: str = "post") -> Any:
        headers = {"X-CSRF-Token": self.csrf}
        if method == "get":
            response = self.client.get(url)
        else:
            response = getattr(self.client, method)(url, json=body, headers=headers)
        return _check(response, 200, 201).json()

    def get(self, url: str) -> str:
        return str(_check(self.client.get(url), 200).text)


# The password the beheerder gives a new colleague; at her first login she chooses PASSWORD.
FIRST_PASSWORD = "eerste-keer-scenario-31"


def _login(app: Any, username: str, password: str = PASSWORD) -> Desk:
    client = TestClient(app)
    token = _CSRF.search(client.get("/login").text)
    assert token
    response = _check(
        client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token.group(1)},
            follow_redirects=False,
        ),
        303,
    )
    _sign_in_steps(client, response.headers["location"])
    page = client.get("/api/docs").text
    csrf = _CSRF.search(page)
    assert csrf
    return Desk(client, csrf.group(1))


def _sign_in_steps(client: TestClient, location: str) -> None:
    """The steps after the password, as a new colleague takes them: choose her own password
    (the same policy-proof one, so the scenario keeps one) and set up the second factor that
    her role requires."""
    for _ in range(3):
        if location == "/login/nieuw-wachtwoord":
            page = client.get(location).text
            csrf = _CSRF.search(page)
            assert csrf
            response = _check(
                client.post(
                    location,
                    data={
                        "password": PASSWORD,
                        "password_again": PASSWORD,
                        "csrf_token": csrf.group(1),
                    },
                    follow_redirects=False,
                ),
                303,
            )
            location = response.headers["location"]
        elif location == "/login/instellen":
            page = client.get(location).text
            csrf, secret = _CSRF.search(page), _TOTP_SECRET.search(page)
            assert csrf and secret
            code = pyotp.TOTP(secret.group(1).replace(" ", "")).now()
            _check(
                client.post(
                    location,
                    data={"code": code, "csrf_token": csrf.group(1)},
                    follow_redirects=False,
                ),
                200,
            )
            return
        else:
            return


def _id_from(response: Any) -> int:
    location = response.headers["location"]
    match = re.search(r"/(\d+)(?:[#?].*)?$", location)
    assert match, location
    return int(match.group(1))


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass
class HttpEntry:
    url: str
    folder: Path
    clock: ScenarioClock = field(default_factory=ScenarioClock)
    desks: dict[str, Desk] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # natural key -> database id

    def run(self, cases: list[Case]) -> None:
        self._bootstrap()
        app = create_app(self.url, secret_key="scenario-secret", secure_cookies=False)
        app.state.clock = self.clock
        try:
            self._staff(app)
            self._employers()
            for case in cases:
                self._case(case)
        finally:
            for desk in self.desks.values():
                desk.client.close()
            app.state.engine.dispose()

    # --- setup ----------------------------------------------------------------------------

    def _bootstrap(self) -> None:
        engine = make_engine(self.url)
        with transaction(session_factory(engine)) as session:
            session.add(
                User(
                    username="beheer",
                    full_name="Bea Heer",
                    role="BEHEERDER",
                    password_hash=hash_password(PASSWORD),
                )
            )
        engine.dispose()
        write_catalogue(self.folder)
        import_folder(self.url, self.folder)

    def _staff(self, app: Any) -> None:
        self.desks["beheer"] = beheer = _login(app, "beheer")
        for name, fte in TEAMS.values():
            beheer.form("/beheer/teams", {"name": name, "fte": fte})
        page = beheer.get("/beheer/gebruikers")
        team_ids = {
            name: int(m.group(1))
            for name, _ in TEAMS.values()
            if (m := re.search(rf'<option value="(\d+)"[^>]*>{name}</option>', page))
        }
        for staff in STAFF:
            if staff.username == "beheer":
                continue
            beheer.form(
                "/beheer/gebruikers",
                {
                    "username": staff.username,
                    "full_name": staff.full_name,
                    "role": staff.role,
                    "team_id": team_ids[TEAMS[staff.team][0]] if staff.team else "",
                    "fte": staff.fte,
                    "password": FIRST_PASSWORD,
                },
            )
            self.desks[staff.username] = _login(app, staff.username, FIRST_PASSWORD)

    def _employers(self) -> None:
        am = self.desks["am"]
        self.clock.day = date(2022, 1, 3)
        for key, e in EMPLOYERS.items():
            response = am.form(
                "/werkgevers/nieuw",
                {
                    "name": e.name,
                    "sector": e.sector,
                    "postcode": e.postcode,
                    "city": e.city,
                    "contact_person": e.contact_person,
                    "sroi": "on" if e.sroi else None,
                    "banenafspraak": "on" if e.banenafspraak_plaatsen else None,
                    "banenafspraak_plaatsen": e.banenafspraak_plaatsen,
                },
            )
            self.ids[key] = _id_from(response)
        for key, v in VACANCIES.items():
            response = am.form(
                "/vacatures/nieuw",
                {
                    "employer_id": self.ids[v.employer],
                    "title": v.title,
                    "occupation": v.occupation,
                    "sector": v.sector,
                    "hours_per_week": v.hours,
                    "opened_on": _day(v.opened_on),
                    "skills": ", ".join(v.skills),
                    "days": list(v.days),
                    "suitable_for_lks": "on" if v.suitable_for_lks else None,
                },
            )
            self.ids[key] = _id_from(response)

    # --- one candidate's chain --------------------------------------------------------------

    def _at(self, day: date) -> None:
        self.clock.day = day

    def _case(self, case: Case) -> None:
        km = self.desks[KLANTMANAGER[case.team]]
        self._at(case.intake_on)
        person = case.person
        body: dict[str, Any] = {
            "bsn": person.bsn,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_date": _day(person.birth_date),
            "sex": person.sex,
            "street": case.street,
            "house_number": case.house_number,
            "postcode": case.postcode,
            "city": case.city,
            "benefit_type": case.benefit_type,
            "application_date": _day(case.application_date),
            "benefit_start_date": _day(case.benefit_start),
            "allow_similar": True,
        }
        if case.partner is not None:
            p = case.partner
            body["partner"] = {
                "bsn": p.bsn,
                "first_name": p.first_name,
                "last_name": p.last_name,
                "birth_date": _day(p.birth_date),
                "sex": p.sex,
            }
        cid = km.api("/api/candidates", body)["id"]
        steps = f"/api/candidates/{cid}/steps"
        if case.postcode_correction is not None:
            self._at(case.postcode_correction[0])
            km.api(
                f"/api/candidates/{cid}",
                {"postcode": case.postcode_correction[1], "reason": "Verhuisd vóór de intake"},
                method="patch",
            )
        if case.exemption is not None:
            kind, start, review, reason = case.exemption
            km.api(
                f"{steps}/ontheffing",
                {
                    "exemption_type": kind,
                    "start_date": _day(start),
                    "review_date": _day(review),
                    "reason": reason,
                },
            )
        contact_ids = []
        for day, kind, summary in case.contacts[:1]:
            self._at(day)
            contact_ids.append(
                km.api(
                    f"{steps}/contact",
                    {"contact_date": _day(day), "contact_type": kind, "summary": summary},
                )["id"]
            )
        d = case.diagnosis
        if d is not None:
            self._at(d.assessed_on)
            km.api(
                f"{steps}/diagnose",
                {
                    "assessed_on": _day(d.assessed_on),
                    "ladder_step": str(d.ladder_step),
                    "segment": d.segment,
                    "months_to_work": d.months_to_work,
                    "loonwaarde_pct": d.loonwaarde_pct,
                    "language_level": d.language_level,
                    "work_disability": "ja" if d.work_disability else "nee",
                    "reason": "Intakediagnose",
                    "route_decision": d.route_decision,
                    "route_override_reason": d.override_reason,
                    "consistency_confirmed": "ja" if d.consistency_reason else None,
                    "consistency_reason": d.consistency_reason,
                },
            )
        if case.plan is None or case.route is None:
            return
        self._at(case.plan[0])
        plan_id = km.api(
            f"{steps}/plan",
            {"created_on": _day(case.plan[0]), "goal": case.plan[1], "goals": list(case.plan[2])},
        )["id"]
        route_type, start = case.route
        self._at(start)
        route_id = km.api(
            f"{steps}/route",
            {"route_type": route_type, "start_date": _day(start), "plan_id": plan_id},
        )["id"]
        for day, kind, summary in case.contacts[1:]:
            self._at(day)
            contact_ids.append(
                km.api(
                    f"{steps}/contact",
                    {"contact_date": _day(day), "contact_type": kind, "summary": summary},
                )["id"]
            )
        if case.contact_correction is not None:
            self._at(case.contact_correction[0])
            km.api(
                f"/api/candidates/{cid}/records/contact/{contact_ids[-1]}",
                {"summary": case.contact_correction[1], "reason": "Tikfout"},
                method="patch",
            )
        if case.deleted_contact is not None:
            day, kind, summary = case.deleted_contact
            self._at(day)
            wrong = km.api(
                f"{steps}/contact",
                {"contact_date": _day(day), "contact_type": kind, "summary": summary},
            )["id"]
            km.api(
                f"/api/candidates/{cid}/records/contact/{wrong}/delete",
                {"reason": "Bij de verkeerde kandidaat ingevoerd"},
            )
        at_exit = self._provisions(km, cid, route_id, case)
        if case.mistaken_exit is not None:
            day, reason = case.mistaken_exit
            self._at(day)
            km.api(f"{steps}/einde/{route_id}", {"end_date": _day(day), "end_reason": reason})
            self._at(day + timedelta(days=2))
            km.api(
                f"/api/candidates/{cid}/routes/{route_id}/undo-exit",
                {"reason": "Andere kandidaat bedoeld"},
            )
        if case.referral is not None:
            referred, wishes, p = case.referral
            self._at(referred)
            km.api(
                f"{steps}/aanmelding",
                {
                    "work_wishes": wishes,
                    "wished_occupations": list(p.occupations),
                    "wished_sectors": list(p.sectors),
                    "skills": list(p.skills),
                    "days": list(p.days),
                    "hours_min": p.hours_min,
                    "hours_max": p.hours_max,
                    "transport": p.transport,
                    "radius_km": p.radius_km,
                    "driving_licence": "ja" if p.driving_licence else None,
                    "language_level": p.language_level,
                    "available_from": _day(p.available_from),
                    "restriction_codes": list(p.restrictions),
                    "restrictions": p.note,
                    "confirmed_on": _day(referred),
                },
            )
        if case.exit is None:
            return
        decisions = {f"voorziening_{pid}": "afronden" for pid in at_exit}
        exit_on, reason = case.exit
        placement = case.placement
        if placement is not None and placement.vacancy is not None:
            self._place(cid, case, decisions)
        else:
            self._at(exit_on)
            values: dict[str, Any] = {"end_date": _day(exit_on), "end_reason": reason, **decisions}
            if placement is not None:
                values.update(
                    employer_id=self.ids[placement.employer],
                    job_type=placement.job_type,
                    contract_type=placement.contract_type,
                    hours_per_week=placement.hours,
                    claimant="TEAM",
                )
            km.api(f"{steps}/einde/{route_id}", values)
        if case.exit_correction is not None:
            corrected, on = case.exit_correction
            self._at(on)
            km.api(
                f"/api/candidates/{cid}/records/route/{route_id}",
                {"end_date": _day(corrected), "reason": "Verkeerde datum ingevoerd"},
                method="patch",
            )
        final_exit = case.exit_date
        assert final_exit is not None
        due = follow_up_due_dates(final_exit)
        for follow_up in case.follow_ups:
            if due[follow_up.months] > PEILDATUM:
                continue
            self._at(due[follow_up.months])
            page = km.get(f"/kandidaten/{cid}")
            (fid,) = re.findall(rf'/kandidaten/{cid}/nazorg/(\d+)"', page)
            km.api(
                f"{steps}/nazorg/{fid}",
                {
                    "done_on": _day(due[follow_up.months]),
                    "still_working": "ja" if follow_up.still_working else "nee",
                    "back_on_benefit": "ja" if follow_up.back_on_benefit else "nee",
                    "note": follow_up.note,
                },
            )
        if case.benefit_end is not None:
            self._end_benefits(km, cid, case)

    def _provisions(self, km: Desk, cid: int, route_id: int, case: Case) -> list[int]:
        steps = f"/api/candidates/{cid}/steps"
        type_ids = self._type_ids(km, cid)
        at_exit: list[int] = []
        for p in case.provisions:
            type_id = type_ids[p.type_code]
            if p.outcome == "CANCELLED":
                assert p.end is not None
                self._at(p.end)
                pid = km.api(
                    f"{steps}/voorziening/{route_id}",
                    {"provision_type_id": type_id, "planned_start": _day(p.start)},
                )["id"]
                km.api(f"{steps}/annuleren/{pid}", {"reason": p.reason})
                continue
            self._at(p.start)
            pid = km.api(
                f"{steps}/voorziening/{route_id}",
                {"provision_type_id": type_id, "start_date": _day(p.start)},
            )["id"]
            if p.outcome == "DONE":
                assert p.end is not None
                self._at(p.end)
                km.api(f"{steps}/resultaat/{pid}", {"end_date": _day(p.end), "result": "COMPLETED"})
            elif p.outcome == "STOPPED":
                assert p.end is not None
                self._at(p.end)
                km.api(
                    f"{steps}/stoppen/{pid}",
                    {"end_date": _day(p.end), "reason": p.reason, "result": "STOPPED_EARLY"},
                )
            else:
                at_exit.append(pid)
        return at_exit

    def _type_ids(self, km: Desk, cid: int) -> dict[str, int]:
        if not any(code in self.ids for code, *_ in PROVISION_TYPES):
            page = km.get(f"/kandidaten/{cid}")
            for code, name, *_ in PROVISION_TYPES:
                match = re.search(rf'<option value="(\d+)">[^<]*· {name}</option>', page)
                assert match, name
                self.ids[code] = int(match.group(1))
        return {code: self.ids[code] for code, *_ in PROVISION_TYPES}

    def _place(self, cid: int, case: Case, decisions: dict[str, str]) -> None:
        placement = case.placement
        assert placement is not None and placement.vacancy is not None and case.exit
        am = self.desks["am"]
        vacancy_id = self.ids[placement.vacancy]
        url = f"/vacatures/{vacancy_id}"
        assert placement.shortlist_on and placement.proposed_on and placement.interview_on
        self._at(placement.shortlist_on)
        am.form(f"{url}/shortlist", {"candidate_id": cid})
        # The newest proposal on the vacancy's pipeline is the one just made.
        proposal_id = max(int(p) for p in re.findall(rf"{url}/voorstellen/(\d+)", am.get(url)))
        step = f"{url}/voorstellen/{proposal_id}"
        self._at(placement.proposed_on)
        am.form(step, {"target": "PROPOSED", "consent": "on"})
        self._at(placement.interview_on)
        am.form(step, {"target": "INTERVIEW"})
        self._at(case.exit[0])
        am.form(
            step,
            {
                "target": "PLACED",
                "end_date": _day(case.exit[0]),
                "job_type": placement.job_type,
                "contract_type": placement.contract_type,
                "hours_per_week": placement.hours,
                "instruments": list(placement.instruments),
                "lks_loonwaarde": placement.lks_loonwaarde,
                **decisions,
            },
        )

    def _end_benefits(self, km: Desk, cid: int, case: Case) -> None:
        assert case.benefit_end is not None
        day, reason = case.benefit_end
        self._at(day)
        people = [cid]
        if case.partner is not None:
            found = km.api(f"/api/candidates?q={case.partner.bsn}", {}, method="get")
            people += [item["id"] for item in found["items"]]
        for person in people:
            detail = km.api(f"/api/candidates/{person}", {}, method="get")
            for spell in detail["benefit_spells"]:
                if spell["end_date"] is None:
                    km.api(
                        f"/api/candidates/{person}/steps/uitkeringseinde/{spell['id']}",
                        {"end_date": _day(day), "end_reason": reason},
                    )
