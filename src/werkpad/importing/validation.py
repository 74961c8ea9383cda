"""Validate a whole import folder before anything is written (pure: no database access).

Checks, in this order: cell types and code lists (per column, vectorised), required cells,
duplicate keys, unique columns (also against the database), date order, the rules of each file
kind, and finally references between files (a reference must point at a row in the referenced
file or at a row already in the database).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from werkpad.domain.codelists import code_list
from werkpad.importing import cells
from werkpad.importing.errors import RowError
from werkpad.importing.reading import RawFile
from werkpad.importing.spec import SPECS, Column, FileSpec
from werkpad.store.models import Base

KEY = "__key"


@dataclass
class KnownKeys:
    """What the database already holds, so references and uniqueness can be checked purely.

    ``keys[kind]`` are the keys of existing rows of that kind (``users`` = usernames);
    ``unique[(kind, column)]`` maps an existing value of a unique column to its owner's key.
    """

    keys: dict[str, set[str]] = field(default_factory=dict)
    unique: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    # start date of every route in the database, so exits.csv can be checked without routes.csv
    route_starts: dict[str, date] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedFile:
    """A validated file: typed Python values per file column, plus its key in ``__key``."""

    spec: FileSpec
    name: str
    frame: pd.DataFrame


@dataclass
class Validation:
    files: dict[str, ParsedFile]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return sum(len(p.frame) for p in self.files.values())


def validate_folder(
    raw: dict[str, RawFile], known: KnownKeys | None = None, unreadable: set[str] | None = None
) -> Validation:
    """Type, check and cross-check every file; returns the parsed files and every error found.

    References into an ``unreadable`` file kind are not checked: that file already has an error
    and repeating it on every referring row would bury it.
    """
    known = known or KnownKeys()
    result = Validation(files={}, errors=[])
    for spec in SPECS:
        if spec.kind in raw:
            parsed, errors = validate_file(raw[spec.kind], known)
            result.files[spec.kind] = parsed
            result.errors.extend(errors)
    result.errors.extend(check_references(result.files, known, unreadable or set()))
    result.errors.extend(check_exits(result.files, known))
    result.errors.sort()
    return result


def _max_length(spec: FileSpec, column: Column) -> int | None:
    table = Base.metadata.tables[spec.table]
    if column.target not in table.c:
        return None
    return getattr(table.c[column.target].type, "length", None)


def _parse_column(
    spec: FileSpec, column: Column, text: pd.Series, decimal_mark: str | None
) -> cells.Parsed:
    if column.kind == "int":
        return cells.parse_int(text, column.minimum, column.maximum)
    if column.kind == "decimal":
        return cells.parse_decimal(text, column.minimum, column.maximum, decimal_mark)
    if column.kind == "date":
        return cells.parse_date(text)
    if column.kind == "bool":
        return cells.parse_bool(text)
    if column.kind == "bsn":
        return cells.parse_bsn(text)
    if column.kind == "postcode":
        return cells.parse_postcode(text)
    if column.kind == "list":
        return _parse_list(column, text)
    if column.kind == "code" and column.codes:
        allowed = [c.code for c in code_list(column.codes)]
        return cells.parse_code(text, allowed, f"codelijst {column.codes}")
    if column.choices:
        return cells.parse_code(text, list(column.choices), "de vaste waarden")
    return cells.parse_text(text, _max_length(spec, column))


def _parse_list(column: Column, text: pd.Series) -> cells.Parsed:
    allowed: list[str] | None = None
    what = "de vaste waarden"
    if column.codes:
        allowed, what = [c.code for c in code_list(column.codes)], f"codelijst {column.codes}"
    elif column.choices:
        allowed = list(column.choices)
    values, bad = cells.parse_list(text, allowed, what, separator=column.separator)
    if column.order == "sorted":
        values = values.map(lambda v: sorted(set(v)) if isinstance(v, list) else v)
    elif column.order == "allowed":
        rank = {c: i for i, c in enumerate(allowed or [])}
        values = values.map(
            lambda v: sorted(set(v), key=lambda c: rank.get(c, 0)) if isinstance(v, list) else v
        )
    return values, bad


def _row(label: object) -> int:
    """The spreadsheet row number held in a frame index label."""
    return int(str(label))


def _errors(name: str, column: str, reasons: pd.Series, text: pd.Series) -> list[RowError]:
    bad = reasons[reasons != ""]
    return [
        RowError(name, _row(row), column, str(reason), str(text.get(row, "")))
        for row, reason in bad.items()
    ]


def _rows(name: str, column: str, mask: pd.Series, reason: str, text: pd.Series) -> list[RowError]:
    return [
        RowError(name, int(row), column, reason, str(text.get(row, ""))) for row in mask[mask].index
    ]


UNCALCULATED = (
    "formule zonder opgeslagen uitkomst (het bestand is gemaakt door een programma en nooit in "
    "Excel berekend); open het in Excel, sla het op en importeer opnieuw, of vul de waarde in"
)


def _leading_zero_reason(value: str) -> str:
    return (
        f"{value} staat in Excel als getal, waardoor de 0 vooraan is weggevallen; geef de kolom "
        f"de celopmaak Tekst en vul het nummer opnieuw in (0{value}?)"
    )


def validate_file(raw: RawFile, known: KnownKeys) -> tuple[ParsedFile, list[RowError]]:
    """Parse and check one file on its own (references between files come later)."""
    spec, text, name = _spec(raw.kind), raw.frame, raw.name
    no_kind = pd.Series("", index=text.index, dtype=object)
    kinds = {c.name: raw.kinds[c.name] if raw.kinds is not None else no_kind for c in spec.columns}
    errors: list[RowError] = []
    values: dict[str, pd.Series] = {}
    # The file's decimal mark, from its text cells (a number cell in a workbook says nothing).
    mark = cells.decimal_mark(
        text[c.name].where(kinds[c.name] != "n", "") for c in spec.columns if c.kind == "decimal"
    )
    for column in spec.columns:
        cell_text, number = text[column.name], kinds[column.name] == "n"
        if column.kind == "bsn":
            # A number cannot hold leading zeros, so a BSN typed as a number lost them for sure.
            cell_text = cell_text.where(~number, cell_text.str.zfill(9))
        parsed, reasons = _parse_column(spec, column, cell_text, mark)
        if column.kind == "decimal" and number.any():
            exact, exact_reasons = cells.parse_decimal(
                cell_text, column.minimum, column.maximum, decimal_mark="."
            )
            parsed, reasons = parsed.where(~number, exact), reasons.where(~number, exact_reasons)
        if column.leading_zero:
            lost = number & cell_text.str.fullmatch(r"[1-9]\d*")
            reasons = reasons.where(~lost, cell_text.map(_leading_zero_reason))
            parsed = parsed.where(~lost, None)
        errors.extend(_errors(name, column.name, reasons, text[column.name]))
        uncalculated = kinds[column.name] == "f"
        errors.extend(_rows(name, column.name, uncalculated, UNCALCULATED, text[column.name]))
        if column.required:
            empty = (text[column.name] == "") & ~uncalculated
            errors.extend(
                _rows(name, column.name, empty, "verplicht veld is leeg", text[column.name])
            )
        if column.ref == "users" or (spec.kind == "users" and column.name == "username"):
            # usernames are stored in lower case (services.accounts)
            parsed = parsed.map(lambda v: v.lower() if isinstance(v, str) else v)
        values[column.name] = parsed
    frame = pd.DataFrame(values, index=text.index)
    frame[KEY] = _keys(spec, frame)
    errors.extend(_duplicate_keys(spec, name, frame, text))
    errors.extend(_unique_columns(spec, name, frame, text, known))
    errors.extend(_date_order(spec, name, frame, text))
    errors.extend(_kind_rules(spec, name, frame, text))
    return ParsedFile(spec, name, frame), errors


def _spec(kind: str) -> FileSpec:
    return next(s for s in SPECS if s.kind == kind)


def _keys(spec: FileSpec, frame: pd.DataFrame) -> pd.Series:
    parts = [frame[c].map(lambda v: "" if v is None else str(v)) for c in spec.key]
    key = parts[0]
    for part in parts[1:]:
        key = key + "|" + part
    return key


def _duplicate_keys(
    spec: FileSpec, name: str, frame: pd.DataFrame, text: pd.DataFrame
) -> list[RowError]:
    keys = frame[KEY]
    complete = frame[list(spec.key)].notna().all(axis=1)
    dup = keys.duplicated(keep="first") & complete
    first_row = keys[complete & ~keys.duplicated(keep="first")]
    first_of = {k: _row(r) for r, k in first_row.items()}
    column = "+".join(spec.key)
    return [
        RowError(name, _row(row), column, f"dubbele sleutel; komt ook voor in rij {first_of[k]}", k)
        for row, k in keys[dup].items()
    ]


def _unique_columns(
    spec: FileSpec, name: str, frame: pd.DataFrame, text: pd.DataFrame, known: KnownKeys
) -> list[RowError]:
    errors: list[RowError] = []
    for column in spec.columns:
        if not column.unique:
            continue
        filled = frame[column.name].notna()
        values = frame[column.name].where(filled).astype(object)
        dup = values.duplicated(keep="first") & filled
        errors.extend(
            _rows(
                name, column.name, dup, "waarde komt al voor in een eerdere rij", text[column.name]
            )
        )
        owners = known.unique.get((spec.kind, column.name), {})
        if owners:
            owner = values.map(lambda v, owners=owners: owners.get(v) if v is not None else None)
            clash = owner.notna() & (owner != frame[KEY])
            errors.extend(
                RowError(
                    name,
                    int(row),
                    column.name,
                    f"waarde hoort in de database al bij een andere rij (sleutel {owner[row]})",
                    str(text.at[row, column.name]),
                )
                for row in clash[clash].index
            )
    return errors


def _date_order(
    spec: FileSpec, name: str, frame: pd.DataFrame, text: pd.DataFrame
) -> list[RowError]:
    errors: list[RowError] = []
    for earlier, later in spec.date_order:
        wrong = _as_datetime(frame[later]) < _as_datetime(frame[earlier])
        errors.extend(_rows(name, later, wrong, f"ligt vóór {earlier}", text[later]))
    return errors


def _as_datetime(values: pd.Series) -> pd.Series:
    """Dates (or None) as datetime64, so comparisons with a missing side are simply False."""
    return pd.to_datetime(values.astype(object).where(values.notna(), None))


def _kind_rules(
    spec: FileSpec, name: str, frame: pd.DataFrame, text: pd.DataFrame
) -> list[RowError]:
    rules = {
        "routes": _route_rules,
        "benefit_spells": _spell_rules,
        "assessments": _assessment_rules,
        "placements": _placement_rules,
        "dossiers": _dossier_rules,
        "provisions": _provision_rules,
        "work_profiles": _work_profile_rules,
        "proposals": _proposal_rules,
        "follow_ups": _follow_up_rules,
    }
    rule = rules.get(spec.kind)
    return rule(name, frame, text) if rule else []


def _route_rules(name: str, frame: pd.DataFrame, text: pd.DataFrame) -> list[RowError]:
    has_end = frame["end_date"].notna() | (text["end_date"] != "")
    has_reason = frame["end_reason"].notna() | (text["end_reason"] != "")
    return _rows(
        name,
        "end_reason",
        has_end & ~has_reason,
        "een beëindigde route heeft een eindreden nodig",
        text["end_reason"],
    ) + _rows(
        name, "end_date", has_reason & ~has_end, "een eindreden zonder einddatum", text["end_date"]
    )


def _spell_rules(name: str, frame: pd.DataFrame, text: pd.DataFrame) -> list[RowError]:
    orphan = (text["end_reason"] != "") & (text["end_date"] == "")
    return _rows(name, "end_date", orphan, "een eindreden zonder einddatum", text["end_date"])


def _assessment_rules(name: str, frame: pd.DataFrame, text: pd.DataFrame) -> list[RowError]:
    scheme_of = {c.code: c.attr("scheme") for c in code_list("segment")}
    implied = frame["segment"].map(lambda s: scheme_of.get(s) if s is not None else None)
    given = frame["scheme"]
    clash = implied.notna() & given.notna() & (implied != given)
    # The segment implies its scheme, so an empty scheme is filled in rather than refused.
    frame["scheme"] = given.where(given.notna(), implied)
    return _rows(
        name, "segment", clash, "segment hoort niet bij de gekozen indeling", text["segment"]
    )


def _placement_rules(name: str, frame: pd.DataFrame, text: pd.DataFrame) -> list[RowError]:
    team = text["claimed_by_team"] != ""
    provider = text["claimed_by_provider"] != ""
    wrong = team == provider
    return _rows(
        name,
        "claimed_by_team",
        wrong,
        "vul precies één van claimed_by_team en claimed_by_provider in (één claimant)",
        text["claimed_by_team"],
    )


def _dossier_rules(name: str, frame: pd.DataFrame, text: pd.DataFrame) -> list[RowError]:
    same = frame["partner_id"].notna() & (frame["partner_id"] == frame["applicant_id"])
    return _rows(
        name, "partner_id", same, "partner is dezelfde persoon als de aanvrager", text["partner_id"]
    )


def _provision_rules(name: str, frame: pd.DataFrame, text: pd.DataFrame) -> list[RowError]:
    """A given state must fit the end date: afgerond and voortijdig gestopt have one, the
    others have none (an empty state is derived from the dates and the result)."""
    ended = frame["state"].isin(["COMPLETED", "STOPPED"])
    other = frame["state"].notna() & ~ended
    has_end = text["end_date"] != ""
    return _rows(
        name, "end_date", ended & ~has_end, "een beëindigde voorziening heeft een einddatum nodig",
        text["end_date"],
    ) + _rows(
        name, "end_date", other & has_end,
        "alleen een afgeronde of voortijdig gestopte voorziening heeft een einddatum",
        text["end_date"],
    )  # fmt: skip


def _work_profile_rules(name: str, frame: pd.DataFrame, text: pd.DataFrame) -> list[RowError]:
    low, high = _as_number(frame["hours_min"]), _as_number(frame["hours_max"])
    return _rows(name, "hours_max", high < low, "kleiner dan hours_min", text["hours_max"])


def _as_number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.astype(object).where(values.notna(), None), errors="coerce")


def _proposal_rules(name: str, frame: pd.DataFrame, text: pd.DataFrame) -> list[RowError]:
    """Proposing a candidate to an employer needs their consent (a date)."""
    needs = frame["state"].notna() & ~frame["state"].isin(["SHORTLISTED", "WITHDRAWN"])
    missing = needs & frame["consent_on"].isna() & (text["consent_on"] == "")
    return _rows(
        name, "consent_on", missing,
        "zonder toestemming van de kandidaat (datum) geen voorstel aan de werkgever",
        text["consent_on"],
    )  # fmt: skip


def _follow_up_rules(name: str, frame: pd.DataFrame, text: pd.DataFrame) -> list[RowError]:
    """Follow-ups are at 6, 12 or 18 months; one done before its due date is refused by the
    date order (a job would count as durable before its time)."""
    wrong = frame["months"].notna() & ~frame["months"].isin([6, 12, 18])
    return _rows(name, "months", wrong, "nazorg is na 6, 12 of 18 maanden", text["months"])


_REF_PLACES = {"users": "gebruikers"}
_REF_REASONS = {
    "municipalities": "onbekende gemeente; gebruik de CBS-code (zoals 0534) of de naam van een "
    "gemeente van de dienst",
}


def check_references(
    files: dict[str, ParsedFile], known: KnownKeys, unreadable: set[str]
) -> list[RowError]:
    """Every reference points at a row in its file or in the database."""
    errors: list[RowError] = []
    for parsed in files.values():
        for column in parsed.spec.columns:
            if column.ref is None or column.ref in unreadable:
                continue
            target = files.get(column.ref)
            available = set(known.keys.get(column.ref, set()))
            if target is not None:
                available.update(target.frame[KEY])
            values = parsed.frame[column.name]
            missing = values.notna() & ~values.isin(available)
            where = _REF_PLACES.get(str(column.ref), f"{column.ref}-bestand of database")
            reason = _REF_REASONS.get(str(column.ref), f"verwijst naar onbekende rij in {where}")
            errors.extend(
                RowError(
                    parsed.name,
                    int(row),
                    column.name,
                    reason,
                    str(values[row]),
                )
                for row in missing[missing].index
            )
    return errors


def check_exits(files: dict[str, ParsedFile], known: KnownKeys | None = None) -> list[RowError]:
    """An exit must not contradict routes.csv and cannot precede the route's start.

    The start comes from routes.csv when the route is in it (those rows are written first),
    else from the route already in the database.
    """
    exits, routes = files.get("exits"), files.get("routes")
    if exits is None:
        return []
    frame = exits.frame
    in_database = pd.Series((known or KnownKeys()).route_starts, dtype=object)
    start = frame["route_id"].map(in_database)
    end = pd.Series(None, index=frame.index, dtype=object)
    reason = pd.Series(None, index=frame.index, dtype=object)
    if routes is not None:
        route = routes.frame.drop_duplicates(KEY).set_index(KEY)
        in_file = frame["route_id"].isin(route.index)
        start = start.where(~in_file, frame["route_id"].map(route["start_date"]))
        end = frame["route_id"].map(route["end_date"])
        reason = frame["route_id"].map(route["end_reason"])
    errors: list[RowError] = []
    early = _as_datetime(frame["exit_date"]) < _as_datetime(start)
    errors.extend(
        _rows(
            exits.name,
            "exit_date",
            early,
            "ligt vóór de startdatum van de route",
            frame["exit_date"].astype(str),
        )
    )
    differs = (
        end.notna()
        & frame["exit_date"].notna()
        & ((end != frame["exit_date"]) | (reason != frame["end_reason"]))
    )
    errors.extend(
        _rows(
            exits.name,
            "exit_date",
            differs,
            "routes-bestand geeft deze route een andere einddatum of eindreden",
            frame["exit_date"].astype(str),
        )
    )
    return errors
