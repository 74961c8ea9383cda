"""Typed request parameters shared by every route: ids and page numbers the database can hold.

An id in a path beyond what an ``integer`` column holds (2**31 - 1 on PostgreSQL, the narrower
of the two backends; SQLite overflows at 2**63) used to reach the database and end in a 500.
``DbId`` bounds it in the route's signature (and in the OpenAPI document); ``web.app`` answers
an out-of-range path id with 404, like any id that does not exist. Query numbers get 422.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from werkpad.services.fields import MAX_ID

MAX_DB_ID = MAX_ID
# Page numbers times the largest page size must stay a valid OFFSET on both backends.
MAX_PAGE = 1_000_000

DbId = Annotated[int, Path(ge=1, le=MAX_DB_ID)]
QueryDbId = Annotated[int, Query(ge=1, le=MAX_DB_ID)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Query(ge=1, le=1000)]


def db_id(text: str) -> int | None:
    """An id typed in a form or query string, or None when it is not one the database can
    hold (not digits, zero, or out of range)."""
    text = text.strip()
    if not text.isdigit() or len(text) > len(str(MAX_DB_ID)):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_DB_ID else None
