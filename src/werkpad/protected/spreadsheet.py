"""Formula-safe CSV: a cell that Excel or LibreOffice would run as a formula becomes text.

Following OWASP's "CSV Injection" advice, a text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading apostrophe, so ``=HYPERLINK(...)`` shows as the
text it is. A cell that is only a number (``-12,50``, ``-1.234,56``, ``+31612345678``,
``-1e-05``) is left alone: a minus sign before digits cannot call a function, and amounts must
stay amounts. Quotes inside cells are doubled by the ``csv`` module as usual.

Every CSV werkpad writes goes through :func:`write_csv` (or :func:`safe_frame` before pandas
writes one); each caller keeps its own delimiter and encoding (the rejects file is ``;`` with a
UTF-8 BOM, which is what Dutch Excel opens directly).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import pandas as pd

from werkpad.protected.modes import open_private

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Digits with dot/comma separators, an optional sign and exponent: nothing a formula needs.
_PLAIN_NUMBER = re.compile(r"[+-]?[\d.,]*\d[\d.,]*(?:[eE][+-]?\d+)?")


def neutralise_cell(value: str) -> str:
    """``value`` as a cell no spreadsheet evaluates (see module docstring)."""
    if value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """The inverse of :func:`neutralise_cell`: a text that starts with ``'`` followed by a
    formula trigger is read without the ``'``, so a name that began with ``=`` survives an
    export and an import unchanged."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def _safe(value: Any) -> Any:
    return neutralise_cell(value) if isinstance(value, str) else value


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8",
    lineterminator: str = "\r\n",
) -> int:
    """Write ``header`` and ``rows`` formula-safe to an owner-only file; returns the row count."""
    with open_private(path, "w", encoding=encoding, newline="") as handle:
        return write_csv_to(
            handle, header, rows, delimiter=delimiter, lineterminator=lineterminator
        )


def write_csv_to(
    handle: IO[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ";",
    lineterminator: str = "\r\n",
) -> int:
    """Write ``header`` and ``rows`` formula-safe to an open text ``handle`` (opened with
    ``newline=""``), e.g. a member of a sealed zip; returns the row count."""
    count = 0
    writer = csv.writer(handle, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow([_safe(h) for h in header])
    for row in rows:
        writer.writerow([_safe(cell) for cell in row])
        count += 1
    return count


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised (numbers and dates untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_safe)
    out.columns = [_safe(c) for c in out.columns]
    return out
