"""Read an import folder into text tables: CSV (, ; or tab; UTF-8 or Windows-1252) and XLSX.

Every cell becomes text here; typing and checking happen in ``validation``. For a workbook the
cell's type is kept beside the text (``RawFile.kinds``: number cell, formula without a result),
because only the reader knows it and some rules depend on it (a BSN number lost its zeros).
The frame index is the row number a spreadsheet shows (header = row 1), so errors point at the
row a person can find.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from werkpad.importing.errors import RowError
from werkpad.importing.spec import SPEC_BY_KIND
from werkpad.importing.xlsx import XlsxProblem, cell_name, read_data_sheet

DEFAULT_MAX_FILE_MB = 40
SUFFIXES = (".csv", ".xlsx")
_IGNORED_PREFIXES = (".", "~$", "readme")


@dataclass(frozen=True)
class RawFile:
    """One import file as text: ``frame`` has the normalised header names as columns."""

    kind: str
    name: str
    frame: pd.DataFrame
    # What each cell was in a workbook (same shape as ``frame``): "" text, date or empty; "n" a
    # number cell; "f" a formula without a stored result. None for CSV: every cell is text.
    kinds: pd.DataFrame | None = None


@dataclass
class ReadResult:
    files: dict[str, RawFile]
    errors: list[RowError]


def read_folder(folder: Path, max_file_mb: float = DEFAULT_MAX_FILE_MB) -> ReadResult:
    """Read every import file in ``folder``; unreadable files become errors, not exceptions."""
    result = ReadResult(files={}, errors=[])
    if not folder.is_dir():
        result.errors.append(RowError(str(folder), 0, "", "map bestaat niet"))
        return result
    paths = sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and not p.name.lower().startswith(_IGNORED_PREFIXES)
    )
    for path in paths:
        kind = path.stem.lower()
        if kind not in SPEC_BY_KIND:
            known = ", ".join(SPEC_BY_KIND)
            result.errors.append(
                RowError(path.name, 0, "", f"onbekend bestand; verwacht een van: {known}")
            )
            continue
        if kind in result.files:
            other = result.files[kind].name
            result.errors.append(
                RowError(path.name, 0, "", f"dubbel: {other} bevat hetzelfde soort gegevens")
            )
            continue
        raw, errors = read_file(path, kind, max_file_mb)
        result.errors.extend(errors)
        if raw is not None:
            result.files[kind] = raw
    if not paths:
        result.errors.append(
            RowError(
                folder.name, 0, "", "de map bevat geen CSV- of XLSX-bestanden om te importeren"
            )
        )
    return result


def read_file(
    path: Path, kind: str, max_file_mb: float = DEFAULT_MAX_FILE_MB
) -> tuple[RawFile | None, list[RowError]]:
    """Read one file; returns the table or the reasons it could not be read."""
    size = path.stat().st_size
    if size > max_file_mb * 1024 * 1024:
        reason = (
            f"bestand is {size / 1024 / 1024:.0f} MB, groter dan de grens van {max_file_mb:g} MB; "
            "splits het bestand of verhoog de grens met --max-mb"
        )
        return None, [RowError(path.name, 0, "", reason)]
    if size == 0:
        return None, [RowError(path.name, 0, "", "bestand is leeg")]
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, kind, max_file_mb)
    try:
        frame = _read_csv(path.read_bytes())
    except _FileProblem as problem:
        return None, [RowError(path.name, problem.row, "", problem.reason)]
    return _check_shape(path.name, kind, frame)


def file_of(label: str) -> str:
    """The file name in an error's file label (``persons.xlsx, werkblad Gegevens``)."""
    return label.split(", werkblad ", 1)[0]


class _FileProblem(Exception):
    def __init__(self, reason: str, row: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.row = row


# A multi-byte UTF-8 sequence (two to four bytes); in real Windows-1252 text these byte pairs
# ("Ã©" and the like) do not occur, so finding one means the file was written as UTF-8.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def decode(raw: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), else Windows-1252; anything else refused.

    A file that is UTF-8 except for a few bytes (one row edited in another program) is refused
    rather than decoded whole as Windows-1252, which would garble every accented name in it.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise _FileProblem(
            "tekenset niet ondersteund (UTF-16 of binair bestand); sla op als CSV UTF-8"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    row = raw[:bad_at].count(b"\n") + 1
    position = bad_at - (raw.rfind(b"\n", 0, bad_at) + 1) + 1
    if _UTF8_SEQUENCE.search(raw):
        raise _FileProblem(
            f"tekenset gemengd: het bestand is UTF-8, maar rij {row} heeft op positie {position} "
            f"een teken (byte {raw[bad_at]:#04x}) in een andere tekenset, waarschijnlijk "
            "Windows-1252; verbeter die rij of sla het hele bestand op als CSV UTF-8",
            row,
        )
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        raise _FileProblem(
            "tekenset niet herkend (geen UTF-8 en geen Windows-1252); sla op als CSV UTF-8", row
        ) from exc


def sniff_delimiter(first_line: str) -> str:
    """The separator a header line uses: semicolon (Dutch Excel), tab or comma."""
    counts = {sep: first_line.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _read_csv(raw: bytes) -> pd.DataFrame:
    text = decode(raw)
    first_line = text.split("\n", 1)[0]
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=sniff_delimiter(first_line),
            header=None,  # read the header as a row: pandas would rename a duplicate to "id.1"
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError as exc:
        raise _FileProblem("bestand is leeg") from exc
    except pd.errors.ParserError as exc:
        raise _parser_problem(str(exc)) from exc
    header = ["" if pd.isna(v) else str(v) for v in table.iloc[0]]
    frame = table.iloc[1:].reset_index(drop=True)
    frame.columns = pd.Index(header)
    return frame


_TOKENIZE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _parser_problem(message: str) -> _FileProblem:
    """pandas' tokenizer message in Dutch, with the line it names as the row."""
    found = _TOKENIZE.search(message)
    if found is None:
        return _FileProblem(f"bestand is geen geldige CSV: {message}")
    expected, line, saw = found.groups()
    return _FileProblem(
        f"bestand is geen geldige CSV: regel {line} heeft {saw} velden, de kopregel {expected}",
        int(line),
    )


_NUMBER = frozenset((float, int))


def _cell_text(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return value
    if kind is date:
        return value.isoformat()
    if kind is float or kind is int:
        return number_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def number_text(value: float) -> str:
    """A number cell as plain digits with a decimal point, never in exponent notation: ``1e-05``
    becomes ``0.00001`` and 7436671.0 becomes ``7436671``."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _read_xlsx(path: Path, kind: str, max_file_mb: float) -> tuple[RawFile | None, list[RowError]]:
    try:
        sheet = read_data_sheet(path, kind, max_file_mb)
    except XlsxProblem as problem:
        return None, [RowError(path.name, 0, "", problem.reason)]
    label = f"{path.name}, werkblad {sheet.name}"
    rows = sheet.rows
    if not rows or all(_cell_text(v) == "" for v in rows[0]):
        return None, [RowError(label, 0, "", "bestand is leeg of de kopregel (rij 1) is leeg")]
    header = [_cell_text(v) for v in rows[0]]
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    # calamine returns a rectangle as wide as the rightmost value, so every row has this length
    body_columns = list(zip(*rows[1:], strict=True))
    errors = [
        _right_of_header(label, i + 1, j, value)
        for j in range(width, len(body_columns))
        for i, value in enumerate(body_columns[j])
        if _cell_text(value) != ""
    ]
    height = len(rows) - 1
    kinds = np.full((height, width), "", dtype="<U1")
    columns: dict[str, list[str]] = {}
    # Column by column: most columns hold one type, so each is converted by one C-level map.
    for j in range(width):
        values = body_columns[j] if j < len(body_columns) else ("",) * height
        types = set(map(type, values))
        if types == {str}:
            columns[str(j)] = list(values)
            continue
        if types & {float, int}:
            kinds[np.fromiter(map(_NUMBER.__contains__, map(type, values)), bool, height), j] = "n"
        convert = number_text if types <= {float, int} else _cell_text
        columns[str(j)] = list(map(convert, values))
    for i, j in sheet.uncalculated:
        if 1 <= i <= height and j < width:
            kinds[i - 1, j] = "f"
    frame = pd.DataFrame(columns, dtype=object)
    frame.columns = pd.Index(header)
    raw, shape_errors = _check_shape(label, kind, frame, pd.DataFrame(kinds, columns=header))
    return raw, errors + shape_errors


def _right_of_header(label: str, index: int, column: int, value: Any) -> RowError:
    """A value beyond the last named column: an error, as a CSV line with too many fields is."""
    return RowError(
        label,
        index + 1,
        "",
        f"cel {cell_name(index, column)} ligt rechts van de laatste kolom van de kopregel; "
        "geef de kolom een naam in rij 1 of wis de cel",
        _cell_text(value),
    )


def header_name(value: str) -> str:
    """A header cell as a column name: case, spacing and look-alike spaces (a non-breaking space
    from a web page or Word) do not matter."""
    return re.sub(r"\s+", "_", unicodedata.normalize("NFKC", value).strip().lower())


def _odd_characters(name: str) -> str:
    odd = sorted({c for c in name if not (c.isascii() and c.isprintable())})
    if not odd:
        return ""
    codes = ", ".join(f"U+{ord(c):04X}" for c in odd)
    return f" (de naam bevat een onzichtbaar of bijzonder teken: {codes})"


def _check_shape(
    name: str, kind: str, frame: pd.DataFrame, kinds: pd.DataFrame | None = None
) -> tuple[RawFile | None, list[RowError]]:
    spec = SPEC_BY_KIND[kind]
    frame = frame.fillna("").astype(str)
    header = [header_name(str(c)) for c in frame.columns]
    errors: list[RowError] = []
    # Excel leaves nameless empty columns behind trailing separators: drop those silently.
    blank = [
        i for i, c in enumerate(header) if c == "" and (frame.iloc[:, i].str.strip() == "").all()
    ]
    if blank:
        keep = [i for i in range(len(header)) if i not in blank]
        frame, header = frame.iloc[:, keep], [header[i] for i in keep]
        kinds = kinds.iloc[:, keep] if kinds is not None else None
    seen: set[str] = set()
    for column in header:
        if column == "":
            errors.append(
                RowError(name, 1, "", "kolom met gegevens maar zonder naam in de kopregel")
            )
            continue
        if column in seen:
            errors.append(RowError(name, 1, column, "kolom komt twee keer voor"))
        seen.add(column)
        if column not in spec.column_names:
            errors.append(
                RowError(
                    name,
                    1,
                    column,
                    "onbekende kolom; controleer de spelling of laat haar weg"
                    + _odd_characters(column),
                )
            )
    for col in spec.columns:
        if col.required and col.name not in seen:
            errors.append(RowError(name, 1, col.name, "verplichte kolom ontbreekt"))
    if errors:
        return None, errors
    frame = frame.copy()
    frame.columns = pd.Index(header)
    frame = frame.apply(lambda s: s.str.strip())
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    filled = (frame != "").any(axis=1)
    if kinds is not None:
        kinds = kinds.set_axis(pd.Index(header), axis=1).set_axis(frame.index, axis=0)
        filled |= (kinds == "f").any(axis=1)
        kinds = kinds[filled]
    frame = frame[filled]
    if frame.empty:
        return None, [
            RowError(name, 0, "", "bestand bevat geen gegevensrijen; laat het weg als er niets is")
        ]
    for col in spec.columns:
        if col.name not in frame.columns:
            frame[col.name] = ""
    columns = list(spec.column_names)
    if kinds is not None:
        kinds = kinds.reindex(columns=columns, fill_value="")
    return RawFile(kind=kind, name=name, frame=frame[columns], kinds=kinds), []
