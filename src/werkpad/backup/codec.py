"""Column kinds and the JSON encoding of one cell, so every type survives SQLite <-> PostgreSQL.

A backup stores each row as a JSON array of encoded cells. Dates and datetimes are ISO strings,
decimals are strings (no float rounding), JSON cells are wrapped in a one-element list so SQL
NULL (``null``) and a JSON ``null`` document (``[null]``) stay apart.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.types import TypeEngine

Kind = Literal["int", "float", "decimal", "bool", "date", "datetime", "json", "text"]
KINDS: tuple[Kind, ...] = ("int", "float", "decimal", "bool", "date", "datetime", "json", "text")


def column_kind(column_type: TypeEngine[Any]) -> Kind:
    """The backup kind of a SQLAlchemy column type (Float before Numeric: it is a subclass)."""
    if isinstance(column_type, sa.JSON):
        return "json"
    if isinstance(column_type, sa.Boolean):
        return "bool"
    if isinstance(column_type, sa.DateTime):
        return "datetime"
    if isinstance(column_type, sa.Date):
        return "date"
    if isinstance(column_type, sa.Float):
        return "float"
    if isinstance(column_type, sa.Numeric):
        return "decimal"
    if isinstance(column_type, sa.Integer):
        return "int"
    return "text"


def bind_type(kind: Kind) -> TypeEngine[Any]:
    """The type to bind a decoded cell with on insert (JSON: ``None`` means SQL NULL)."""
    types: dict[str, TypeEngine[Any]] = {
        "int": sa.Integer(),
        "float": sa.Float(),
        "decimal": sa.Numeric(asdecimal=True),
        "bool": sa.Boolean(),
        "date": sa.Date(),
        "datetime": sa.DateTime(),
        "json": sa.JSON(none_as_null=True),
        "text": sa.Text(),
    }
    return types[kind]


def encode(kind: Kind, value: Any, sql_null: bool = False) -> Any:
    """One cell as a JSON value; ``sql_null`` tells a SQL NULL from a JSON null (kind json)."""
    if kind == "json":
        return None if sql_null else [value]
    if value is None:
        return None
    if kind in ("date", "datetime"):
        return value.isoformat()
    if kind == "decimal":
        return str(value)
    if kind == "bool":
        return bool(value)
    return value


def decode(kind: Kind, value: Any) -> Any:
    """The Python value to insert for an encoded cell (the inverse of :func:`encode`)."""
    if kind == "json":
        if value is None:
            return None
        (document,) = value
        return sa.JSON.NULL if document is None else document
    if value is None:
        return None
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "decimal":
        return Decimal(value)
    if kind == "float":
        return float(value)
    return value
