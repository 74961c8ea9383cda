"""The import file formats: one ``FileSpec`` per file kind, in the order they are written.

Files reference each other by the source system's keys (``candidate_id`` in routes.csv is the
``id`` of a row in persons.csv); the catalogue, providers and teams are referenced by their code or
name. ``docs/import.md`` documents the same formats for people; keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from werkpad.domain.codelists import code_list
from werkpad.domain.lifecycle import PROPOSAL, PROVISION_STATES, REFERRAL
from werkpad.matching.features import DAYS, DEMANDS
from werkpad.matching.geo import TRANSPORT

ColumnKind = Literal["text", "int", "decimal", "date", "bool", "bsn", "postcode", "code", "list"]


@dataclass(frozen=True)
class Column:
    """A column of an import file and the database column it fills."""

    name: str
    kind: ColumnKind = "text"
    required: bool = False
    codes: str | None = None  # code list name (kind "code")
    choices: tuple[str, ...] = ()  # fixed values when there is no code list
    ref: str | None = None  # file kind whose key this column refers to
    db: str | None = None  # target column; None means the same as ``name``
    minimum: int | None = None
    maximum: int | None = None
    default: object = None  # written when the cell is empty
    unique: bool = False  # unique within the file and against the database
    # digits whose leading 0 matters (phone numbers): in a number cell Excel has dropped it
    leading_zero: bool = False
    # one key of a JSON object in the ``db`` column (the ZRM scores of an assessment)
    json_key: str | None = None
    # kind "list": what separates the values in a cell, and their stored order ("given",
    # "sorted" without doubles, or "allowed": the order of ``choices``) as the screens keep it
    separator: str = ","
    order: Literal["given", "sorted", "allowed"] = "given"

    @property
    def target(self) -> str:
        return self.db or self.name


@dataclass(frozen=True)
class FileSpec:
    """One file kind: its key, its table and its columns."""

    kind: str  # file stem: persons.csv / persons.xlsx
    table: str
    key: tuple[str, ...]  # file columns that identify a row in the source system
    key_db: tuple[str, ...]  # the database columns holding that key
    columns: tuple[Column, ...]
    date_order: tuple[tuple[str, str], ...] = ()  # (earlier, later) pairs that must hold
    update_only: bool = False  # rows update existing rows of ``table`` (exits)
    description: str = ""
    # Database values written on insert only, never on update (users: no password yet).
    insert_values: tuple[tuple[str, object], ...] = ()
    # Child rows without an id of their own: the file replaces all rows of the parents it
    # names (through this reference column), as the income administration sends them whole.
    replaces_children_of: str | None = None

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


# An imported account cannot log in until the beheerder sets a password: this is no argon2 hash,
# so ``services.accounts.verify_password`` refuses every password.
NO_PASSWORD = "!geimporteerd-zonder-wachtwoord"
ROLES = ("KLANTMANAGER", "ACCOUNTMANAGER", "TEAMLEIDER", "ANALIST", "BEHEERDER")


def _zrm_columns() -> tuple[Column, ...]:
    """One column per ZRM life domain (``zrm_financien`` ...), scores 1-5, kept together as the
    assessment's ``zrm_scores``."""
    return tuple(
        Column(f"zrm_{c.code}", "int", minimum=1, maximum=5, db="zrm_scores", json_key=c.code)
        for c in code_list("life_domain")
    )


def _id(required: bool = True) -> Column:
    return Column("id", required=required, db="source_id")


SPECS: tuple[FileSpec, ...] = (
    FileSpec(
        kind="teams",
        table="team",
        key=("name",),
        key_db=("name",),
        columns=(Column("name", required=True), Column("fte", "decimal", minimum=0)),
        description="Teams (optioneel; bestaande teams worden op naam gevonden)",
    ),
    FileSpec(
        kind="users",
        table="app_user",
        key=("username",),
        key_db=("username",),
        columns=(
            Column("username", required=True),
            Column("full_name", required=True),
            Column("role", required=True, choices=ROLES),
            Column("team", ref="teams", db="team_id"),
            Column("fte", "decimal", minimum=0, maximum=2, default=1),
            Column("active", "bool", default=True),
        ),
        insert_values=(("password_hash", NO_PASSWORD),),
        description="Medewerkers (accounts zonder wachtwoord; de beheerder stelt het in)",
    ),
    FileSpec(
        kind="providers",
        table="provider",
        key=("name",),
        key_db=("name",),
        columns=(
            Column("name", required=True),
            Column("kind", "code", required=True, codes="provider_kind"),
        ),
        description="Aanbieders van voorzieningen",
    ),
    FileSpec(
        kind="provision_types",
        table="provision_type",
        key=("code",),
        key_db=("code",),
        columns=(
            Column("code", required=True),
            Column("name", required=True),
            Column("kind", required=True, choices=("BASIC", "SUPPORTING")),
            Column("gos_code", "code", required=True, codes="gos_code"),
            Column("srg_code", "code", required=True, codes="srg_provision_type"),
            Column("phase", "code", required=True, codes="provision_phase"),
            Column("is_language", "bool", default=False),
            Column("is_work_directed_training", "bool", default=False),
            Column("default_provider", ref="providers", db="default_provider_id"),
            Column("unit_cost", "decimal", minimum=0, default=0),
            Column("typical_weeks", "int", minimum=0, maximum=520, default=12),
            Column("capacity", "int", minimum=0, maximum=100_000),
            Column("active", "bool", default=True),
        ),
        description="Voorzieningencatalogus",
    ),
    FileSpec(
        kind="persons",
        table="candidate",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("bsn", "bsn", required=True, unique=True),
            Column("first_name", required=True),
            Column("last_name", required=True),
            Column("birth_date", "date", required=True),
            Column("sex", "code", required=True, codes="sex"),
            Column("street"),
            Column("house_number"),
            Column("postcode", "postcode"),
            Column("city"),
            Column("phone", leading_zero=True),
            Column("email"),
            Column("migration_background", "code", codes="migration_background"),
            Column("statushouder", "bool", default=False),
            Column("education_level", "code", codes="education_level"),
            Column("team", ref="teams", db="team_id"),
            Column("klantmanager", ref="users", db="klantmanager_id"),
            Column("registered_on", "date", required=True),
        ),
        date_order=(("birth_date", "registered_on"),),
        description="Personen (kandidaten)",
    ),
    FileSpec(
        kind="dossiers",
        table="benefit_dossier",
        key=("dossier_number",),
        key_db=("dossier_number",),
        columns=(
            Column("dossier_number", required=True),
            Column("opened_on", "date", required=True),
            Column("closed_on", "date"),
            Column("applicant_id", required=True, ref="persons"),
            Column("partner_id", ref="persons"),
            # CBS code (0534, GM0534) or name; empty: the default municipality (issue 12)
            Column("municipality", ref="municipalities", db="municipality_id"),
        ),
        date_order=(("opened_on", "closed_on"),),
        description="Uitkeringsdossiers met aanvrager en partner",
    ),
    FileSpec(
        kind="benefit_spells",
        table="benefit_spell",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("candidate_id", required=True, ref="persons"),
            Column("dossier_number", ref="dossiers", db="dossier_id"),
            Column("benefit_type", "code", required=True, codes="benefit_type"),
            Column("application_date", "date"),
            Column("start_date", "date", required=True),
            Column("end_date", "date"),
            Column("end_reason", "code", codes="benefit_end_reason"),
            Column("monthly_amount", "decimal", minimum=0),
        ),
        date_order=(("start_date", "end_date"),),
        description="Uitkeringsperioden",
    ),
    FileSpec(
        kind="assessments",
        table="assessment",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("candidate_id", required=True, ref="persons"),
            Column("assessed_on", "date", required=True),
            Column("scheme", "code", codes="segment_scheme"),
            Column("segment", "code", codes="segment"),
            Column("ladder_step", "int", minimum=1, maximum=6),
            Column("loonwaarde_pct", "int", minimum=0, maximum=100),
            Column("loonwaarde_measured", "bool", default=False),
            Column("language_level", "code", codes="language_level"),
            Column("work_disability", "bool"),
            Column("proposed_route_type", "code", codes="route_type"),
            Column("reason", default=""),
            *_zrm_columns(),
            Column("months_to_work", "int", minimum=0, maximum=600),
            Column("review_date", "date"),
            Column("route_decision", "code", codes="route_type"),
            Column("route_override_reason"),
            Column("consistency_warnings", "list", codes="diagnosis_rule"),
            Column("consistency_override_reason"),
            Column("assessed_by", ref="users", db="assessed_by_id"),
        ),
        date_order=(("assessed_on", "review_date"),),
        description="Diagnoses en segmentaties (trede, doelgroep, loonwaarde)",
    ),
    FileSpec(
        kind="exemptions",
        table="exemption",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("candidate_id", required=True, ref="persons"),
            Column("exemption_type", "code", required=True, codes="exemption_type"),
            Column("start_date", "date", required=True),
            Column("end_date", "date"),
            Column("review_date", "date"),
            Column("reason"),
        ),
        date_order=(("start_date", "end_date"), ("start_date", "review_date")),
        description="Ontheffingen van de arbeidsverplichting",
    ),
    FileSpec(
        kind="plans",
        table="plan",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("candidate_id", required=True, ref="persons"),
            Column("created_on", "date", required=True),
            Column("goal", required=True),
            Column("sub_goals", "list", separator="\n", db="goals", json_key="items"),
            Column("status", choices=("ACTIVE", "CLOSED"), default="ACTIVE"),
            Column("created_by", ref="users", db="created_by_id"),
        ),
        description="Plannen van aanpak met hun doel (subdoelen één per regel in de cel)",
    ),
    FileSpec(
        kind="routes",
        table="route",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("candidate_id", required=True, ref="persons"),
            Column("route_type", "code", required=True, codes="route_type"),
            Column("start_date", "date", required=True),
            Column("end_date", "date"),
            Column("end_reason", "code", codes="route_end_reason"),
            Column("team", ref="teams", db="team_id"),
            Column("plan_id", ref="plans"),
        ),
        date_order=(("start_date", "end_date"),),
        description="Routes (trajecten)",
    ),
    FileSpec(
        kind="exits",
        table="route",
        key=("route_id",),
        key_db=("source_id",),
        columns=(
            Column("route_id", required=True, ref="routes", db="source_id"),
            Column("exit_date", "date", required=True, db="end_date"),
            Column("end_reason", "code", required=True, codes="route_end_reason"),
        ),
        update_only=True,
        description="Uitstroom: einddatum en eindreden van een route",
    ),
    FileSpec(
        kind="provisions",
        table="provision",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("route_id", required=True, ref="routes"),
            Column("provision_type", required=True, ref="provision_types", db="provision_type_id"),
            Column("provider", ref="providers", db="provider_id"),
            Column("planned_start", "date"),
            Column("planned_end", "date"),
            Column("start_date", "date", required=True),
            Column("end_date", "date"),
            Column("cost", "decimal", minimum=0),
            Column("result", "code", codes="provision_result"),
            Column("state", choices=PROVISION_STATES),
            Column("state_reason"),
        ),
        date_order=(("start_date", "end_date"), ("planned_start", "planned_end")),
        description="Ingezette voorzieningen",
    ),
    FileSpec(
        kind="referrals",
        table="referral",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("candidate_id", required=True, ref="persons"),
            Column("route_id", ref="routes"),
            Column("referred_on", "date", required=True),
            Column("state", required=True, choices=tuple(REFERRAL.labels_nl)),
            Column("work_wishes"),
            Column("availability"),
            Column("restrictions"),
            Column("referred_by", ref="users", db="referred_by_id"),
            Column("picked_up_by", ref="users", db="picked_up_by_id"),
            Column("picked_up_on", "date"),
            Column("closed_on", "date"),
            Column("note"),
        ),
        date_order=(("referred_on", "picked_up_on"), ("referred_on", "closed_on")),
        description="Aanmeldingen bij matching (werkgeversdienstverlening)",
    ),
    FileSpec(
        kind="work_profiles",
        table="work_profile",
        key=("candidate_id",),
        key_db=("candidate_id",),
        columns=(
            Column("candidate_id", required=True, ref="persons"),
            Column("wished_occupations", "list", codes="occupation", order="sorted"),
            Column("wished_sectors", "list", codes="sector", order="sorted"),
            Column("experience", "list", codes="occupation", order="sorted"),
            Column("skills", "list", codes="skill", order="sorted"),
            Column("days", "list", required=True, choices=DAYS, order="sorted"),
            Column("hours_min", "int", required=True, minimum=1, maximum=60),
            Column("hours_max", "int", required=True, minimum=1, maximum=60),
            Column("transport", required=True, choices=tuple(TRANSPORT)),
            Column("radius_km", "int", required=True, minimum=0, maximum=200),
            Column("driving_licence", "bool", default=False),
            Column("language_level", "code", codes="language_level"),
            Column("loonwaarde_pct", "int", minimum=0, maximum=100),
            Column("restrictions", "list", choices=DEMANDS, order="sorted"),
            Column("note"),
            Column("available_from", "date"),
            Column("last_confirmed_on", "date", required=True),
            Column("updated_by", ref="users", db="updated_by_id"),
        ),
        description="Werkprofielen voor matching (één per kandidaat); het bestand vervangt het "
        "werkprofiel van de genoemde kandidaten",
        replaces_children_of="candidate_id",
    ),
    FileSpec(
        kind="employers",
        table="employer",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("name", required=True),
            Column("sector", "code", required=True, codes="sector"),
            Column("size_class", "code", codes="employer_size"),
            Column("contact_person"),
            Column("contact_email"),
            Column("postcode", "postcode"),
            Column("city"),
            Column("accountmanager", ref="users", db="accountmanager_id"),
            Column("sroi", "bool", db="agreements", json_key="sroi"),
            Column("banenafspraak", "bool", db="agreements", json_key="banenafspraak"),
            Column("proefplaatsing", "bool", db="agreements", json_key="proefplaatsing"),
            Column(
                "banenafspraak_plaatsen",
                "int",
                minimum=0,
                maximum=1000,
                db="agreements",
                json_key="banenafspraak_plaatsen",
            ),
            Column("agreements_note", db="agreements", json_key="note"),
        ),
        description="Werkgevers",
    ),
    FileSpec(
        kind="vacancies",
        table="vacancy",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("employer_id", required=True, ref="employers"),
            Column("title", required=True),
            Column("occupation"),
            Column("sector", "code", required=True, codes="sector"),
            Column("hours_per_week", "int", required=True, minimum=1, maximum=60),
            Column("postcode", "postcode"),
            Column("start_date", "date"),
            Column("opened_on", "date", required=True),
            Column("closed_on", "date"),
            Column("suitable_for_lks", "bool", default=False),
            Column("suitable_for_garantiebaan", "bool", default=False),
            Column(
                "education_min",
                "code",
                codes="education_level",
                db="requirements",
                json_key="education_min",
            ),
            Column(
                "language_min",
                "code",
                codes="language_level",
                db="requirements",
                json_key="language_min",
            ),
            Column("skills", "list", order="sorted", db="requirements", json_key="skills"),
            Column("driving_licence", "bool", db="requirements", json_key="driving_licence"),
            Column(
                "physical_demands",
                "list",
                choices=DEMANDS,
                order="allowed",
                db="requirements",
                json_key="physical_demands",
            ),
            Column(
                "days", "list", choices=DAYS, order="allowed", db="requirements", json_key="days"
            ),
        ),
        date_order=(("opened_on", "closed_on"),),
        description="Vacatures",
    ),
    FileSpec(
        kind="proposals",
        table="proposal",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("vacancy_id", required=True, ref="vacancies"),
            Column("candidate_id", required=True, ref="persons"),
            Column("state", required=True, choices=tuple(PROPOSAL.labels_nl)),
            Column("score_milli", "int", minimum=0),
            Column("created_on", "date", required=True),
            Column("consent_on", "date"),
            Column("note"),
            Column("created_by", ref="users", db="created_by_id"),
        ),
        date_order=(("created_on", "consent_on"),),
        description="Voorstellen van kandidaten bij vacatures (shortlist tot plaatsing)",
    ),
    FileSpec(
        kind="placements",
        table="placement",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("candidate_id", required=True, ref="persons"),
            Column("route_id", ref="routes", unique=True),
            Column("employer_id", ref="employers"),
            Column("vacancy_id", ref="vacancies"),
            Column("start_date", "date", required=True),
            Column("end_date", "date"),
            Column("job_type", "code", required=True, codes="job_type"),
            Column("contract_type", "code", required=True, codes="contract_type"),
            Column("hours_per_week", "int", minimum=1, maximum=60),
            Column("claimed_by_team", ref="teams", db="claimed_by_team_id"),
            Column("claimed_by_provider", ref="providers", db="claimed_by_provider_id"),
        ),
        date_order=(("start_date", "end_date"),),
        description="Plaatsingen (werk), met precies één claimende partij",
    ),
    FileSpec(
        kind="placement_instruments",
        table="placement_instrument",
        key=("placement_id", "instrument"),
        key_db=("placement_id", "instrument"),
        columns=(
            Column("placement_id", required=True, ref="placements"),
            Column("instrument", "code", required=True, codes="instrument"),
            Column("loonwaarde_pct", "int", minimum=0, maximum=100),
            Column("start_date", "date"),
            Column("end_date", "date"),
            Column("amount", "decimal", minimum=0),
        ),
        date_order=(("start_date", "end_date"),),
        description="Instrumenten bij een plaatsing (loonkostensubsidie met loonwaarde, jobcoach, "
        "no-riskpolis); het bestand vervangt alle instrumenten van de genoemde plaatsingen",
        replaces_children_of="placement_id",
    ),
    FileSpec(
        kind="follow_ups",
        table="follow_up",
        key=("placement_id", "months"),
        key_db=("placement_id", "months"),
        columns=(
            Column("placement_id", required=True, ref="placements"),
            Column("months", "int", required=True, minimum=6, maximum=18),
            Column("due_date", "date", required=True),
            Column("done_on", "date"),
            Column("still_working", "bool"),
            Column("back_on_benefit", "bool"),
            Column("note"),
        ),
        date_order=(("due_date", "done_on"),),
        description="Nazorg na 6, 12 en 18 maanden bij een plaatsing; het bestand vervangt de "
        "nazorgmomenten van de genoemde plaatsingen",
        replaces_children_of="placement_id",
    ),
    FileSpec(
        kind="contacts",
        table="contact",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("candidate_id", required=True, ref="persons"),
            Column("contact_date", "date", required=True),
            Column("contact_type", "code", required=True, codes="contact_type"),
            Column("summary", default=""),
            Column("user", ref="users", db="user_id"),
        ),
        description="Contactmomenten",
    ),
    FileSpec(
        kind="budgets",
        table="budget",
        key=("year", "cost_item"),
        key_db=("year", "cost_item"),
        columns=(
            Column("year", "int", required=True, minimum=1990, maximum=2100),
            Column("cost_item", "code", required=True, codes="cost_item"),
            Column("amount", "decimal", required=True),
        ),
        description="Begrotingen per jaar en kostenpost",
    ),
    FileSpec(
        kind="cost_lines",
        table="cost_line",
        key=("id",),
        key_db=("source_id",),
        columns=(
            _id(),
            Column("booked_on", "date", required=True),
            Column("cost_item", "code", required=True, codes="cost_item"),
            Column("amount", "decimal", required=True),
            Column("provision_id", ref="provisions"),
            Column("description"),
            Column("municipality", ref="municipalities", db="municipality_id"),
        ),
        description="Kosten- en opbrengstregels (negatief bedrag = opbrengst)",
    ),
)

SPEC_BY_KIND: dict[str, FileSpec] = {s.kind: s for s in SPECS}

# Reference targets that are not import files: looked up in the database only.
DB_ONLY_REFS: dict[str, tuple[str, str]] = {
    # The service's municipalities, by CBS code or name (``writing.key_map`` lists both).
    "municipalities": ("municipality", "name"),
}


def ref_target(kind: str) -> tuple[str, tuple[str, ...]]:
    """The table and key columns a reference to ``kind`` resolves against."""
    if kind in DB_ONLY_REFS:
        table, column = DB_ONLY_REFS[kind]
        return table, (column,)
    spec = SPEC_BY_KIND[kind]
    return spec.table, spec.key_db
