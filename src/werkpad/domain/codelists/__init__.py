"""Code lists as data.

Every code list is a CSV file in this folder with at least ``code,label_nl,label_en,sort_order``;
further columns are attributes (``is_regular``, ``scheme``, ...). A municipality extends or
overrides a list by putting a CSV of the same name in the folder named by the environment
variable ``WERKPAD_CODELIST_DIR``: rows with a new code are added, rows with an existing code
replace the shipped one. No code change is needed.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
REQUIRED_COLUMNS = ("code", "label_nl", "label_en", "sort_order")
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")


@dataclass(frozen=True)
class Code:
    list_name: str
    code: str
    label_nl: str
    label_en: str
    sort_order: int
    attributes: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def attr(self, name: str, default: Any = None) -> Any:
        return self.attributes.get(name, default)


@dataclass(frozen=True)
class CodeList:
    name: str
    codes: tuple[Code, ...]

    def __contains__(self, code: object) -> bool:
        return any(c.code == code for c in self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def get(self, code: str) -> Code | None:
        for c in self.codes:
            if c.code == code:
                return c
        return None

    def label(self, code: str | None) -> str:
        """The Dutch label for ``code``, or the code itself when unknown (never hides data)."""
        if code is None:
            return ""
        found = self.get(str(code))
        return found.label_nl if found else str(code)

    def codes_where(self, **attrs: Any) -> list[str]:
        return [c.code for c in self.codes if all(c.attr(k) == v for k, v in attrs.items())]


def _coerce(value: str) -> Any:
    """Attribute cells: empty is None, true/false are booleans, plain integers are ints.

    Codes with a leading zero ("01") stay text: they are identifiers, not numbers.
    """
    text = value.strip()
    if text == "":
        return None
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if _INTEGER.fullmatch(text):
        return int(text)
    return text


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"code list {path.name}: missing columns {', '.join(missing)}")
        return list(reader)


def _to_code(list_name: str, row: dict[str, str]) -> Code:
    attributes = {
        k: _coerce(v or "") for k, v in row.items() if k not in REQUIRED_COLUMNS and k is not None
    }
    return Code(
        list_name=list_name,
        code=row["code"].strip(),
        label_nl=row["label_nl"].strip(),
        label_en=row["label_en"].strip(),
        sort_order=int(row["sort_order"] or 0),
        attributes=attributes,
    )


def _override_dir() -> Path | None:
    value = os.environ.get("WERKPAD_CODELIST_DIR")
    return Path(value) if value else None


@lru_cache(maxsize=4)
def _load_all(override: Path | None) -> dict[str, CodeList]:
    merged: dict[str, dict[str, Code]] = {}
    for directory in (PACKAGE_DIR, override):
        if directory is None or not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.csv")):
            name = path.stem
            bucket = merged.setdefault(name, {})
            for row in _read_csv(path):
                code = _to_code(name, row)
                bucket[code.code] = code
    return {
        name: CodeList(name, tuple(sorted(codes.values(), key=lambda c: (c.sort_order, c.code))))
        for name, codes in merged.items()
    }


def all_code_lists() -> dict[str, CodeList]:
    return _load_all(_override_dir())


def code_list(name: str) -> CodeList:
    """The code list ``name`` (file stem), shipped rows merged with the municipality's own."""
    lists = all_code_lists()
    if name not in lists:
        raise KeyError(f"unknown code list: {name}")
    return lists[name]


SHIPPED = "shipped"
MUNICIPALITY = "municipality"  # a code the municipality added
MUNICIPALITY_OVERRIDE = "municipality_override"  # a shipped code the municipality replaced


def municipality_dir() -> Path | None:
    """The municipality's extension folder (``WERKPAD_CODELIST_DIR``), if one is set."""
    return _override_dir()


@lru_cache(maxsize=4)
def _origins(override: Path | None) -> dict[str, dict[str, str]]:
    shipped: dict[str, set[str]] = {
        path.stem: {row["code"].strip() for row in _read_csv(path)}
        for path in sorted(PACKAGE_DIR.glob("*.csv"))
    }
    origins = {name: dict.fromkeys(codes, SHIPPED) for name, codes in shipped.items()}
    if override is not None and override.is_dir():
        for path in sorted(override.glob("*.csv")):
            for row in _read_csv(path):
                code = row["code"].strip()
                known = code in shipped.get(path.stem, set())
                origins.setdefault(path.stem, {})[code] = (
                    MUNICIPALITY_OVERRIDE if known else MUNICIPALITY
                )
    return origins


def code_origins() -> dict[str, dict[str, str]]:
    """Per list and code where it comes from: ``SHIPPED``, ``MUNICIPALITY`` (added in the
    extension folder) or ``MUNICIPALITY_OVERRIDE`` (a shipped code replaced there)."""
    return _origins(_override_dir())


def reload() -> None:
    """Forget cached lists (after the beheerder changed an override file)."""
    _load_all.cache_clear()
    _origins.cache_clear()
