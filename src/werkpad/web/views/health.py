"""``/healthz`` for the reverse proxy and the service manager: is this worker able to answer?

No login, no personal data and no audit row: one cheap query proves the database answers.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

router = APIRouter()
log = logging.getLogger("werkpad.health")


@router.get("/healthz", include_in_schema=False)
def healthz(request: Request) -> JSONResponse:
    """200 ``{"status": "ok"}`` when the database answers, else 503, so a load balancer or a
    monitoring probe can take this instance out of service or raise an alarm."""
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("health check: database unavailable (%s)", type(exc).__name__)
        return JSONResponse({"status": "unavailable", "database": "unavailable"}, 503)
    return JSONResponse({"status": "ok", "database": "ok"})
