"""Read the data sheet of an XLSX workbook: choose the sheet, bound its size, then read it fast.

Three steps, each for a reason:

1. **Choose** the sheet deliberately from ``xl/workbook.xml``: hidden sheets and explanation
   sheets ("Toelichting") are skipped; a sheet named after the file kind wins; otherwise exactly
   one data sheet must be left. The first sheet is not simply taken.
2. **Bound** the work before anything is parsed: the sheet's XML is decompressed in chunks and
   only counted (cells, rows, far-right cells, formulas), so a 1 MB file that unpacks into
   millions of empty cells is refused quickly and in little memory. The file's own
   ``<dimension>`` is never trusted.
3. **Read** the values with python-calamine (Rust; an order of magnitude faster than openpyxl).
   Calamine returns the cached result of a formula, and an empty string when a formula was never
   calculated; those cells are found in a second pass over the XML, only when the sheet has
   formulas at all.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.etree import ElementTree

from openpyxl.utils.cell import coordinate_from_string, get_column_letter
from python_calamine import CalamineWorkbook

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CHUNK = 1 << 20
_OVERLAP = 64  # longer than any pattern counted across chunk boundaries
# Per MB of --max-mb: a 40 MB CSV holds about 400,000 rows; allow the same in a sheet, with up to
# 25 cells a row (empty formatted cells count: they cost parsing time too).
ROWS_PER_MB = 10_000
CELLS_PER_MB = 250_000
XML_BYTES_PER_MB = 10 * 1024 * 1024
# No file kind has more than 26 columns, so a value in column AA or further right is never data;
# refusing it before calamine reads the sheet keeps a far-away cell (XFD1000000) from making it
# allocate the whole rectangle up to that cell.
_FAR_CELL = re.compile(rb'<c r="([A-Z]{2,}\d+)"[^>]*(?<!/)>')
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_FORMULA = (b"<f>", b"<f ")
_EXPLANATION = re.compile(
    r"^\s*(toelichting|uitleg|instructies?|handleiding|info(rmatie)?|lees\s*mij|readme|"
    r"legenda|help|notities?|opmerkingen|codes?|codelijst(en)?)\b",
    re.IGNORECASE,
)


class XlsxProblem(Exception):
    """The workbook cannot be imported as it is; ``reason`` says why in Dutch."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SheetData:
    """The chosen sheet: its name, its rows as calamine returns them (row 1 first, from column
    A), and the (row, column) positions, 0-based, of formulas that have no stored result."""

    name: str
    rows: list[list[Any]]
    uncalculated: frozenset[tuple[int, int]]


@dataclass(frozen=True)
class _Sheet:
    name: str
    path: str
    hidden: bool


def read_data_sheet(path: Any, kind: str, max_file_mb: float) -> SheetData:
    """Choose, bound and read the sheet holding ``kind``'s rows; ``XlsxProblem`` otherwise."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise XlsxProblem(f"bestand is geen leesbaar XLSX-werkboek ({type(exc).__name__})") from exc
    with archive:
        try:
            sheets, shared_strings = _sheets(archive)
        except (KeyError, ElementTree.ParseError, zipfile.BadZipFile) as exc:
            raise XlsxProblem(
                f"bestand is geen leesbaar XLSX-werkboek ({type(exc).__name__})"
            ) from exc
        sheet = choose_sheet(sheets, kind)
        has_formulas = _check_size(archive, sheet, shared_strings, max_file_mb)
        uncalculated = _uncalculated_formulas(archive, sheet.path) if has_formulas else set()
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            rows = workbook.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        finally:
            workbook.close()
    except Exception as exc:  # calamine raises its own error types for zip, xml and format
        raise XlsxProblem(
            f"werkblad {sheet.name} is niet leesbaar ({type(exc).__name__}: {exc})"
        ) from exc
    return SheetData(sheet.name, rows, frozenset(uncalculated))


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = archive.getinfo(name)
    if info.file_size > 10 * 1024 * 1024:  # the workbook index is a few kB in practice
        raise XlsxProblem(f"onderdeel {name} van het werkboek is onwaarschijnlijk groot")
    return ElementTree.fromstring(archive.read(name))


def _sheets(archive: zipfile.ZipFile) -> tuple[list[_Sheet], str | None]:
    """The worksheets in workbook order (chart sheets left out) and the shared-strings part."""
    book = _xml(archive, "xl/workbook.xml")
    rels = _xml(archive, "xl/_rels/workbook.xml.rels")
    targets: dict[str, tuple[str, str]] = {}
    shared: str | None = None
    for rel in rels.iter(f"{_PACKAGE_REL}Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        part = posixpath.normpath(part)
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        targets[rel.get("Id", "")] = (kind, part)
        if kind == "sharedStrings":
            shared = part
    sheets = []
    for element in book.iter(f"{_MAIN}sheet"):
        kind, part = targets.get(element.get(f"{_REL}id", ""), ("", ""))
        if kind == "worksheet" and part in archive.NameToInfo:
            state = element.get("state", "visible")
            sheets.append(_Sheet(element.get("name", ""), part, hidden=state != "visible"))
    return sheets, shared


def choose_sheet(sheets: list[_Sheet], kind: str) -> _Sheet:
    """The data sheet: the visible sheet named after ``kind``, else the one visible sheet that
    is not an explanation ("Toelichting", "Uitleg", "Instructies", ...)."""
    visible = [s for s in sheets if not s.hidden]
    named = [s for s in visible if s.name.strip().lower() == kind]
    if named:
        return named[0]
    data = [s for s in visible if not _EXPLANATION.match(s.name)]
    if len(data) == 1:
        return data[0]
    if not data:
        skipped = ", ".join(s.name for s in sheets) or "geen"
        raise XlsxProblem(
            "geen werkblad met gegevens gevonden; verborgen werkbladen en werkbladen met "
            f"toelichting worden overgeslagen (werkbladen: {skipped})"
        )
    names = ", ".join(s.name for s in data)
    raise XlsxProblem(
        f"meerdere werkbladen met gegevens ({names}); noem het werkblad met de gegevens "
        f"'{kind}', of verwijder of verberg de andere"
    )


def _chunks(stream: IO[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """(data, tail) pairs: ``data`` is the new chunk with the previous chunk's last bytes in
    front, so a pattern across the boundary is seen; ``tail`` is that prefix."""
    tail = b""
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        yield data, tail
        tail = data[-_OVERLAP:]


def _check_size(
    archive: zipfile.ZipFile, sheet: _Sheet, shared_strings: str | None, max_file_mb: float
) -> bool:
    """Refuse a sheet that is too large unpacked; returns whether it contains formulas."""
    max_bytes = max_file_mb * XML_BYTES_PER_MB
    max_cells, max_rows = max_file_mb * CELLS_PER_MB, max_file_mb * ROWS_PER_MB
    hint = "splits het bestand of verhoog de grens met --max-mb"
    unpacked = 0
    if shared_strings and shared_strings in archive.NameToInfo:
        with archive.open(shared_strings) as stream:
            for data, tail in _chunks(stream):
                unpacked += len(data) - len(tail)
                if unpacked > max_bytes:
                    break
    cells = rows = last_row = 0
    formulas = False
    with archive.open(sheet.path) as stream:
        for data, tail in _chunks(stream):
            unpacked += len(data) - len(tail)
            if unpacked > max_bytes:
                raise XlsxProblem(
                    f"werkblad {sheet.name} is uitgepakt groter dan "
                    f"{max_bytes / 1024 / 1024:.0f} MB (de grens bij --max-mb {max_file_mb:g}); "
                    + hint
                )
            cells += sum(data.count(p) - tail.count(p) for p in (b"<c ", b"<c>"))
            rows += data.count(b"<row") - tail.count(b"<row")
            last = data.rfind(b"<row")
            found = _ROW_NUMBER.match(data, last) if last >= 0 else None
            if found:
                last_row = max(last_row, int(found.group(1)))
            far = _FAR_CELL.search(data)
            if far:
                ref = far.group(1).decode()
                raise XlsxProblem(
                    f"werkblad {sheet.name} heeft een waarde in cel {ref}, ver rechts van elke "
                    "kolom die een importbestand kan hebben; wis de kolommen rechts van de gegevens"
                )
            formulas = formulas or any(p in data for p in _FORMULA)
            if cells > max_cells or max(rows, last_row) > max_rows:
                raise XlsxProblem(
                    f"werkblad {sheet.name} heeft meer dan {max_cells:,.0f} cellen of "
                    f"{max_rows:,.0f} rijen (ook lege cellen met opmaak tellen mee; de grens "
                    f"hoort bij --max-mb {max_file_mb:g}); wis lege rijen en kolommen onder en "
                    f"naast de gegevens, {hint}"
                )
    return formulas


def _uncalculated_formulas(archive: zipfile.ZipFile, part: str) -> set[tuple[int, int]]:
    """Cells with a formula but no stored result (a file written by a program, never opened in
    Excel): calamine reads them as empty, which would make a value disappear without a word."""
    found: set[tuple[int, int]] = set()
    with archive.open(part) as stream:
        for _, element in ElementTree.iterparse(stream, events=("end",)):
            if element.tag == f"{_MAIN}c":
                formula = element.find(f"{_MAIN}f")
                value = element.find(f"{_MAIN}v")
                inline = element.find(f"{_MAIN}is")
                has_value = (value is not None and (value.text or "") != "") or inline is not None
                if formula is not None and not has_value and element.get("r"):
                    letters, row = coordinate_from_string(element.get("r", ""))
                    found.add((row - 1, _column_index(letters) - 1))
                element.clear()
            elif element.tag == f"{_MAIN}row":
                element.clear()
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


def cell_name(row: int, column: int) -> str:
    """The spreadsheet name of a 0-based cell position: (3, 4) is ``E4``."""
    return f"{get_column_letter(column + 1)}{row + 1}"
