"""Exports that leave the operational store: the pseudonymised analytics extract (docs/export.md).

Public entry points: ``export_analytics`` (read, pseudonymise, write), ``pseudonymise`` (pure),
``load_key`` / ``write_key_file`` / ``person_pseudonym`` (the keyed pseudonym), and the monthly
CBS SRG delivery (``export_srg``, ``srg_records``, ``SrgDelivery``; layout in srg_layout.csv).
"""

from __future__ import annotations

from werkpad.exporting.analytics import (
    EXTRACT_COLUMNS,
    ExportResult,
    export_analytics,
    pseudonymise,
    read_operational_tables,
    write_extract,
)
from werkpad.exporting.pseudonym import MissingKey, load_key, person_pseudonym, write_key_file
from werkpad.exporting.srg import SrgDelivery, export_srg, srg_layout, srg_records

__all__ = [
    "EXTRACT_COLUMNS",
    "ExportResult",
    "MissingKey",
    "SrgDelivery",
    "export_analytics",
    "export_srg",
    "load_key",
    "person_pseudonym",
    "pseudonymise",
    "read_operational_tables",
    "srg_layout",
    "srg_records",
    "write_extract",
    "write_key_file",
]
