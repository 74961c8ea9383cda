"""The two-way proof's municipality, defined once as data: about 60 candidates with dossiers and
partners, diagnoses, plans, routes with provisions, referrals with work profiles, proposals and
placements, exits, follow-ups and corrections.

``scenario_http`` enters it through the HTTP interface and ``scenario_csv`` writes it as import
files; neither decides anything the other must guess: every value either side needs is here.
Values the screens derive (a partner's spell, a dossier's dates, the follow-up due dates, a
provision's default cost) are derived in ``scenario_csv`` by the rule the user guide states.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

PEILDATUM = date(2025, 12, 31)
TEAMS = {"A": ("Team Noord", "6.0"), "B": ("Team Zuid", "4.5")}
PASSWORD = "scenario-wachtwoord-13"


@dataclass(frozen=True)
class Staff:
    username: str
    full_name: str
    role: str
    team: str | None  # key of TEAMS
    fte: str = "1"


STAFF = (
    Staff("beheer", "Bea Heer", "BEHEERDER", None),
    Staff("km_noord", "Karin Noord", "KLANTMANAGER", "A"),
    Staff("km_zuid", "Kees Zuid", "KLANTMANAGER", "B", "0.8"),
    Staff("tl_noord", "Tineke Leider", "TEAMLEIDER", "A"),
    Staff("am", "Ahmed Account", "ACCOUNTMANAGER", None),
)
KLANTMANAGER = {"A": "km_noord", "B": "km_zuid"}

# The provision catalogue (no screen keeps it: the beheerder imports it in both databases).
PROVIDERS = (("Werkpad Intern", "IN_HOUSE"), ("Leerwerkbedrijf Zuid", "EXTERNAL"))
# code, name, kind, gos, srg, phase, default provider, unit cost
PROVISION_TYPES = (
    ("DIAG01", "Diagnosegesprek", "BASIC", "PS1", "01", "DIAGNOSE", "Werkpad Intern", "150.00"),
    ("WERKFIT01", "Werkfit-traject", "BASIC", "PS3", "02", "WORKFIT", "Werkpad Intern", "900.00"),
    (
        "VAK01",
        "Vakopleiding logistiek",
        "BASIC",
        "PS4",
        "03",
        "DEVELOP",
        "Leerwerkbedrijf Zuid",
        "1750.50",
    ),
    (
        "SOLL01",
        "Sollicitatietraining",
        "BASIC",
        "PS5",
        "05",
        "MEDIATE",
        "Werkpad Intern",
        "300.00",
    ),
    (
        "TAAL01",
        "Taalcursus",
        "SUPPORTING",
        "PS",
        "99",
        "DEVELOP",
        "Leerwerkbedrijf Zuid",
        "1200.00",
    ),
)


@dataclass(frozen=True)
class Person:
    bsn: str
    first_name: str
    last_name: str
    birth_date: date
    sex: str


@dataclass(frozen=True)
class Diagnosis:
    assessed_on: date
    ladder_step: int
    segment: str
    months_to_work: int
    loonwaarde_pct: int
    language_level: str
    work_disability: bool
    proposed_route: str  # what the routing rules propose for this loonwaarde
    route_decision: str
    override_reason: str | None = None
    warnings: tuple[str, ...] = ()  # diagnosis_rule codes this diagnosis triggers
    consistency_reason: str | None = None


@dataclass(frozen=True)
class Provision:
    type_code: str
    start: date
    # DONE (afgerond on ``end``), STOPPED (voortijdig gestopt on ``end``), CANCELLED (planned
    # for ``start``, cancelled on ``end``), AT_EXIT (running; the exit rounds it off)
    outcome: str
    end: date | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Profile:
    occupations: tuple[str, ...]
    sectors: tuple[str, ...]
    skills: tuple[str, ...]
    days: tuple[str, ...]
    hours_min: int
    hours_max: int
    transport: str
    radius_km: int
    driving_licence: bool
    language_level: str
    available_from: date | None
    restrictions: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class Placement:
    employer: str  # key of EMPLOYERS
    vacancy: str | None  # key of VACANCIES (None: a job found without a vacancy)
    job_type: str
    contract_type: str
    hours: int
    instruments: tuple[str, ...] = ()
    lks_loonwaarde: int | None = None
    shortlist_on: date | None = None
    proposed_on: date | None = None
    interview_on: date | None = None


@dataclass(frozen=True)
class FollowUp:
    months: int
    still_working: bool
    back_on_benefit: bool
    note: str


@dataclass(frozen=True)
class Case:
    key: str
    team: str
    person: Person
    street: str
    house_number: str
    postcode: str  # as typed: some without the space
    city: str
    benefit_type: str
    application_date: date
    benefit_start: date
    intake_on: date
    partner: Person | None = None
    diagnosis: Diagnosis | None = None
    plan: tuple[date, str, tuple[str, ...]] | None = None
    route: tuple[str, date] | None = None
    provisions: tuple[Provision, ...] = ()
    contacts: tuple[tuple[date, str, str], ...] = ()
    exemption: tuple[str, date, date, str] | None = None  # type, start, review, reason
    referral: tuple[date, str, Profile] | None = None  # referred on, wishes, profile
    exit: tuple[date, str] | None = None
    placement: Placement | None = None
    exit_correction: tuple[date, date] | None = None  # corrected exit date, corrected on
    follow_ups: tuple[FollowUp, ...] = ()
    benefit_end: tuple[date, str] | None = None
    contact_correction: tuple[date, str] | None = None  # on, corrected summary of contact 1
    postcode_correction: tuple[date, str] | None = None  # on, corrected postcode
    # an exit recorded by mistake (date, reason) and undone two days later
    mistaken_exit: tuple[date, str] | None = None
    # a contact entered in error (date, type, summary), deleted the same day
    deleted_contact: tuple[date, str, str] | None = None

    @property
    def exit_date(self) -> date | None:
        """The exit date after corrections."""
        if self.exit_correction is not None:
            return self.exit_correction[0]
        return self.exit[0] if self.exit else None


@dataclass(frozen=True)
class Employer:
    name: str
    sector: str
    postcode: str
    city: str
    contact_person: str
    sroi: bool
    banenafspraak_plaatsen: int | None


@dataclass(frozen=True)
class Vacancy:
    employer: str
    title: str
    occupation: str
    sector: str
    hours: int
    opened_on: date
    skills: tuple[str, ...]
    days: tuple[str, ...]
    suitable_for_lks: bool


EMPLOYERS = {
    "E1": Employer("Zorggroep De Linde", "CARE", "2512 CD", "Den Haag", "Mw. Linde", True, 3),
    "E2": Employer(
        "Logistiek Haaglanden", "LOGISTICS", "2491 AA", "Den Haag", "Dhr. Vos", False, None
    ),
    "E3": Employer(
        "Bouwbedrijf Kade", "CONSTRUCTION", "2525 XY", "Den Haag", "Dhr. Kade", False, None
    ),
}
OPENED = date(2022, 1, 3)
WEEKDAYS = ("MA", "DI", "WO", "DO", "VR")
VACANCIES = {
    "V1": Vacancy(
        "E1",
        "Helpende zorg",
        "Helpende zorg",
        "CARE",
        24,
        OPENED,
        ("klantgericht",),
        WEEKDAYS,
        True,
    ),
    "V2": Vacancy(
        "E2",
        "Orderpicker",
        "Orderpicker",
        "LOGISTICS",
        32,
        OPENED,
        ("fysiek werk", "nauwkeurig"),
        WEEKDAYS,
        False,
    ),
    "V3": Vacancy(
        "E2", "Magazijnmedewerker", "Magazijnmedewerker", "LOGISTICS", 36, OPENED, (), (), True
    ),
    "V4": Vacancy(
        "E3",
        "Bouwplaatsmedewerker",
        "Bouwplaatsmedewerker",
        "CONSTRUCTION",
        38,
        OPENED,
        ("VCA",),
        WEEKDAYS,
        False,
    ),
}

FIRST = (
    "Anouk",
    "Bram",
    "Chaima",
    "Daan",
    "Esra",
    "Finn",
    "Gul",
    "Hugo",
    "Iris",
    "Jamal",
    "Kim",
    "Lars",
    "Mila",
    "Noah",
    "Özlem",
    "Pim",
    "Rania",
    "Sem",
    "Tess",
    "Yusuf",
)
LAST = (
    "de Vries",
    "Jansen",
    "El Idrissi",
    "Bakker",
    "Yılmaz",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
)
STREETS = ("Laan van Meerdervoort", "Weimarstraat", "Hoefkade", "Loosduinseweg")
PROFILES = {
    # trede, segment, months to work, loonwaarde, language, disability, proposed route
    "near": (5, "DH_A", 3, 90, "B1", False, "DIRECT_MEDIATION"),
    "mid": (4, "DH_B", 12, 70, "A2", False, "WORK_12M"),
    "far": (3, "DH_C", 15, 45, "A2", True, "SUPPORTED_WORK"),
}


def _bsn(rng: random.Random, taken: set[str]) -> str:
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        bsn = "".join(map(str, digits)) + str(last)
        if last <= 9 and bsn not in taken:
            taken.add(bsn)
            return bsn


def _person(rng: random.Random, taken: set[str], i: int, born: int) -> Person:
    return Person(
        bsn=_bsn(rng, taken),
        first_name=FIRST[i % len(FIRST)],
        last_name=LAST[(i * 7) % len(LAST)],
        birth_date=date(born, 1 + i % 12, 1 + (i * 5) % 28),
        sex="V" if i % 2 else "M",
    )


def _profile(rng: random.Random, vacancy: Vacancy | None, start: date) -> Profile:
    occupations = (vacancy.occupation,) if vacancy else ("Schilder",)
    sectors = (vacancy.sector,) if vacancy else ("CONSTRUCTION",)
    return Profile(
        occupations=occupations,
        sectors=sectors,
        skills=tuple(sorted(vacancy.skills)) if vacancy else ("flexibel",),
        days=tuple(sorted(WEEKDAYS)),
        hours_min=16,
        hours_max=40,
        transport=rng.choice(("FIETS", "OV", "AUTO")),
        radius_km=25,
        driving_licence=rng.random() < 0.4,
        language_level="B1",
        available_from=start,
        restrictions=("NIGHT",) if rng.random() < 0.3 else (),
        note="Liever geen nachtdiensten" if rng.random() < 0.3 else None,
    )


def build_cases(count: int = 60, seed: int = 13) -> list[Case]:
    """``count`` candidates with their whole chain, the same for the same seed."""
    rng = random.Random(seed)
    taken: set[str] = set()
    cases: list[Case] = []
    vacancy_keys = list(VACANCIES)
    for i in range(count):
        team = "A" if i % 3 else "B"
        intake = date(2022, 2, 1) + timedelta(days=11 * i)
        person = _person(rng, taken, i, 1970 + i % 30)
        nuo = i % 10 == 9
        partner = None
        if not nuo and i % 4 == 1:
            partner = _person(rng, taken, i + 31, 1968 + i % 30)
        kind = ("near", "mid", "far")[i % 3]
        step, segment, months, loonwaarde, language, disability, proposed = PROFILES[kind]
        assessed = intake + timedelta(days=14)
        warnings: tuple[str, ...] = ()
        decision, override, consistency = proposed, None, None
        if i == 7:  # contradictory: trede 1 with segment A, loonwaarde 95, 40 months to work
            step, segment, months, loonwaarde, proposed = 1, "DH_A", 40, 95, "DIRECT_MEDIATION"
            warnings = (
                "LOW_STEP_SHORT_SEGMENT",
                "LOW_STEP_HIGH_LOONWAARDE",
                "HIGH_LOONWAARDE_FAR_FROM_WORK",
                "SHORT_SEGMENT_FAR_FROM_WORK",
            )
            decision, override = "WORK_12M", "Eerst stabiliseren; de tool is niet leidend."
            consistency = "Gesprek met de GGD bevestigt de inschatting van de klantmanager."
        diagnosis = Diagnosis(
            assessed,
            step,
            segment,
            months,
            loonwaarde,
            language,
            disability,
            proposed,
            decision,
            override,
            warnings,
            consistency,
        )
        route_start = assessed + timedelta(days=21)
        plan = (route_start, f"Binnen {months} maanden aan het werk", ("Taal", "Werkritme"))
        provisions = [
            Provision("DIAG01", route_start, "DONE", route_start + timedelta(days=30)),
        ]
        if i % 5 == 2:
            provisions.append(
                Provision(
                    "WERKFIT01",
                    route_start + timedelta(days=40),
                    "STOPPED",
                    route_start + timedelta(days=90),
                    "Ziek geworden",
                ),
            )
        if i % 6 == 0:
            provisions.append(
                Provision(
                    "VAK01",
                    route_start + timedelta(days=400),
                    "CANCELLED",
                    route_start + timedelta(days=60),
                    "Opleiding gaat niet door",
                ),
            )
        if i % 4 == 0:
            provisions.append(Provision("TAAL01", route_start + timedelta(days=45), "AT_EXIT"))
        contacts = (
            (intake, "FACE_TO_FACE", "Intakegesprek"),
            (route_start + timedelta(days=7), "PHONE", "Voortgang besproken"),
        )
        exemption = None
        if i % 9 == 4:
            exemption = ("TEMPORARY_URGENT", intake, intake + timedelta(days=90), "Mantelzorg")
        case_exit: tuple[date, str] | None = None
        placement: Placement | None = None
        referral = None
        follow_ups: tuple[FollowUp, ...] = ()
        benefit_end = None
        exit_correction = None
        exit_on = route_start + timedelta(days=150 + 7 * (i % 20))
        if i % 5 in (0, 1, 3) and not nuo:  # referred to matching and placed
            vacancy_key = vacancy_keys[i % len(vacancy_keys)] if i % 10 != 3 else None
            vacancy = VACANCIES[vacancy_key] if vacancy_key else None
            referred = route_start + timedelta(days=100)
            referral = (referred, "Werk in de buurt", _profile(rng, vacancy, referred))
            lks = vacancy is not None and vacancy.suitable_for_lks and kind != "near"
            placement = Placement(
                employer=vacancy.employer if vacancy else "E3",
                vacancy=vacancy_key,
                job_type=("1", "2", "6")[i % 3],
                contract_type=("TEMPORARY", "PERMANENT")[i % 2],
                hours=24 if vacancy is None else vacancy.hours,
                instruments=("LKS", "JOBCOACH") if lks else (),
                lks_loonwaarde=loonwaarde if lks else None,
                shortlist_on=referred + timedelta(days=3) if vacancy else None,
                proposed_on=referred + timedelta(days=6) if vacancy else None,
                interview_on=referred + timedelta(days=10) if vacancy else None,
            )
            case_exit = (exit_on, "JOB")
            if i == 10:  # recorded in January, corrected into December: the year moves
                case_exit = (date(2024, 1, 8), "JOB")
                exit_correction = (date(2023, 12, 28), date(2024, 1, 10))
            final_exit = exit_correction[0] if exit_correction else case_exit[0]
            follow_ups = tuple(
                FollowUp(m, working, not working, f"Nazorg na {m} maanden")
                for m, working in ((6, True), (12, i % 7 != 0), (18, True))
            )
            benefit_end = (final_exit + timedelta(days=30), "WORK")
        elif i % 5 == 2:
            case_exit = (exit_on, "STOPPED")
        elif i % 10 == 4:
            case_exit = (exit_on, "DAY_EDUCATION")
        cases.append(
            Case(
                key=f"P{i + 1:02d}",
                team=team,
                person=person,
                street=STREETS[i % len(STREETS)],
                house_number=str(10 + i),
                postcode=f"25{10 + i % 80:02d}{'' if i % 2 else ' '}{'AB' if i % 3 else 'kx'}",
                city="Den Haag",
                benefit_type="NUO" if nuo else ("PW" if i % 8 else "IOAW"),
                application_date=intake - timedelta(days=10),
                benefit_start=intake - timedelta(days=3),
                intake_on=intake,
                partner=partner,
                diagnosis=diagnosis,
                plan=plan,
                route=(decision, route_start),
                provisions=tuple(provisions),
                contacts=contacts,
                exemption=exemption,
                referral=referral,
                exit=case_exit,
                placement=placement,
                exit_correction=exit_correction,
                follow_ups=follow_ups,
                benefit_end=benefit_end,
                contact_correction=(route_start + timedelta(days=9), "Voortgang en werkritme")
                if i % 8 == 5
                else None,
                postcode_correction=(intake + timedelta(days=2), "2597 GH") if i == 5 else None,
                mistaken_exit=(route_start + timedelta(days=120), "MOVED_DETENTION_OTHER")
                if i in (2, 22)
                else None,
                deleted_contact=(route_start + timedelta(days=8), "EMAIL", "Verkeerde kandidaat")
                if i % 11 == 4
                else None,
            )
        )
    return cases


@dataclass
class Scenario:
    cases: list[Case] = field(default_factory=build_cases)
