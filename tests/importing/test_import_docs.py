"""docs/import.md documents every file kind and every column the importer accepts."""

from __future__ import annotations

from pathlib import Path

from werkpad.importing.spec import SPECS

DOC = Path(__file__).resolve().parents[2] / "docs" / "import.md"


def test_import_doc_names_every_file_kind_and_column():
    text = DOC.read_text(encoding="utf-8")
    missing = []
    for spec in SPECS:
        section = text.split(f"### `{spec.kind}`", 1)
        if len(section) == 1:
            missing.append(spec.kind)
            continue
        body = section[1].split("\n### ", 1)[0]
        missing.extend(
            f"{spec.kind}.{c.name}" for c in spec.columns if f"| `{c.name}` |" not in body
        )
    assert not missing
