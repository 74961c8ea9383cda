"""The FastAPI application: pages, API, sessions, CSRF, security headers, error pages."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from werkpad.config import OidcSettings, oidc_settings, session_idle_minutes, trusted_proxies
from werkpad.services.audit import record_event
from werkpad.services.clock import Clock
from werkpad.services.figures import Figures
from werkpad.services.oidc import OidcClient
from werkpad.services.sessions import SessionPolicy
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.web.auth import SESSION_COOKIE, client_ip
from werkpad.web.errors import Forbidden, NotAuthenticated, NotFound
from werkpad.web.security import (
    SECURITY_HEADERS,
    CsrfFailed,
    pending_cookies,
    resolve_secret_key,
)
from werkpad.web.static_assets import plotly_js
from werkpad.web.templating import templates
from werkpad.web.views import (
    account,
    admin,
    agenda,
    api,
    candidate,
    caseload,
    chain,
    council_report,
    dashboard,
    documents,
    drilldown,
    effects,
    employers,
    health,
    login,
    login_steps,
    matching,
    messages,
    municipalities,
    oidc_login,
    password_reset,
    privacy,
    roles,
    team,
    team_intensity,
    vacancies,
    worklist,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"
__all__ = ["SERVER_OPTIONS", "SESSION_COOKIE", "create_app"]
# How ``werkpad serve`` runs uvicorn: no ``server: uvicorn`` banner, and no rewriting of the
# client address from X-Forwarded-For (uvicorn trusts 127.0.0.1 by default, so anything on
# the host could fake it); the app reads that header itself, from ``trusted_proxies`` only.
SERVER_OPTIONS: dict[str, Any] = {"server_header": False, "proxy_headers": False}
ACCESS_LOGGER = "uvicorn.access"


class WithoutQueryString(logging.Filter):
    """Drops the query string from access-log lines: searches (``/caseload?q=<BSN>``) and
    filters stay out of log files, which are kept longer and read by more people than the
    audit log. uvicorn logs ``(client, method, path, http version, status)``."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def install_access_log_filter() -> None:
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, WithoutQueryString) for f in logger.filters):
        logger.addFilter(WithoutQueryString())


PAGE_ROUTERS = (
    health.router,
    login.router,
    login_steps.router,
    oidc_login.router,
    account.router,
    password_reset.router,
    roles.router,
    privacy.router,
    caseload.router,
    candidate.router,
    agenda.router,  # before chain: its /kandidaten/{id}/{name} would catch ours
    messages.router,
    worklist.router,
    documents.router,
    chain.router,
    matching.router,
    employers.router,
    vacancies.router,
    team.router,
    team_intensity.router,
    dashboard.router,
    effects.router,
    council_report.router,
    drilldown.router,
    municipalities.router,
    admin.router,
)
API_ROUTERS = (api.docs_router, api.router)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") and request.url.path != "/api/docs"


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    return templates.TemplateResponse(
        request, "error.html", {"title": title, "message": message}, status_code=status
    )


def _audit_refusal(request: Request) -> None:
    """A 403 is an attempt to see what the role may not: log who tried which path (never the
    query string, which may hold a BSN), in its own transaction."""
    user = getattr(request.state, "user", None)
    with transaction(request.app.state.session_factory) as db:
        record_event(
            db,
            user,
            "DENIED",
            "request",
            purpose=f"Geweigerd: {request.method} {request.url.path}",
            ip=client_ip(request),
        )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, _exc: Exception) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "Niet ingelogd"}, status_code=401)
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _exc: Exception) -> Response:
        await run_in_threadpool(_audit_refusal, request)
        if _is_api(request):
            return JSONResponse({"detail": "Geen toegang"}, status_code=403)
        return _error_page(request, 403, "Geen toegang", "Je hebt geen toegang tot deze pagina.")

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: Exception) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"detail": "CSRF-token ontbreekt of klopt niet (header X-CSRF-Token)"},
                status_code=403,
            )
        return _error_page(
            request,
            403,
            "Formulier verlopen",
            "Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en probeer het "
            "nog eens.",
        )

    @app.exception_handler(NotFound)
    async def not_found(request: Request, _exc: Exception) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "Niet gevonden"}, status_code=404)
        return _error_page(
            request, 404, "Niet gevonden", "Deze pagina of dit dossier bestaat niet."
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request) or exc.status_code not in (404, 405):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        if exc.status_code == 405:
            return _error_page(request, 405, "Niet toegestaan", "Deze actie kan hier niet.")
        return _error_page(request, 404, "Niet gevonden", "Deze pagina bestaat niet.")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            # An id out of range (``web.params.DbId``) names nothing: the same 404 as an
            # id that does not exist, so the answer tells nothing more.
            return await not_found(request, NotFound())
        detail = [
            {
                "field": str(error["loc"][-1]) if error.get("loc") else "",
                "message": "Ongeldige waarde.",
            }
            for error in exc.errors()
        ]
        if _is_api(request):
            return JSONResponse({"detail": detail}, status_code=422)
        return _error_page(
            request, 422, "Ongeldige invoer", "De pagina kreeg een ongeldige waarde."
        )


def _install_security_headers(app: FastAPI, *, secure_cookies: bool) -> None:
    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        # Cookies the request's handler asked for (login, logout, an ended session, the
        # login form's CSRF token): always HttpOnly and SameSite=Lax, Secure unless testing.
        for name, cookie in pending_cookies(request).items():
            if cookie is None:
                response.delete_cookie(name, httponly=True, samesite="lax", secure=secure_cookies)
            else:
                response.set_cookie(
                    name,
                    cookie[0],
                    max_age=cookie[1],
                    httponly=True,
                    samesite="lax",
                    secure=secure_cookies,
                )
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            # Pages hold personal data: never keep them in a shared or back-button cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def create_app(
    database_url: str,
    *,
    secret_key: str | None = None,
    secure_cookies: bool = True,
    idle_minutes: int | None = None,
    proxies: str | None = None,
    oidc: OidcSettings | None = None,
) -> FastAPI:
    """The werkpad web application on ``database_url`` (schema must be migrated already).

    ``idle_minutes`` (else ``$WERKPAD_SESSION_IDLE_MINUTES``, else 30) ends a session nobody
    used for that long; ``proxies`` (else ``$WERKPAD_TRUSTED_PROXIES``, else none) lists the
    reverse proxies whose ``X-Forwarded-For`` names the client in the audit log; ``oidc``
    (else the ``$WERKPAD_OIDC_*`` settings, else none) the organisation's identity provider."""
    app = FastAPI(
        title="Werkpad API",
        version="1",
        description="Kandidaten en routes van de re-integratiedienst. Inloggen via /login; "
        "POST-verzoeken sturen de CSRF-token mee in de header X-CSRF-Token.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    engine = make_engine(database_url)
    app.state.engine = engine
    app.state.session_factory = session_factory(engine)
    app.state.figures = Figures(engine)
    app.state.clock = Clock(engine)
    app.state.session_policy = SessionPolicy().with_idle_minutes(session_idle_minutes(idle_minutes))
    app.state.trusted_proxies = trusted_proxies(proxies)
    oidc = oidc if oidc is not None else oidc_settings()
    app.state.oidc = OidcClient(oidc) if oidc is not None else None
    # The key no longer signs cookies (they hold a random token); it keys the hash that
    # stands in the audit log for a username that is not an account.
    app.state.secret_key = resolve_secret_key(secret_key)

    _install_error_handlers(app)
    _install_security_headers(app, secure_cookies=secure_cookies)
    install_access_log_filter()
    app.add_api_route("/static/plotly.min.js", plotly_js, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in PAGE_ROUTERS:
        app.include_router(router, include_in_schema=False)
    for router in API_ROUTERS:
        app.include_router(router)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    return app


def create_app_from_environment() -> FastAPI:
    """The application as each worker process of ``werkpad serve`` builds it (uvicorn calls
    this factory in every worker): the database from ``$WERKPAD_DATABASE_URL``, which the serve
    command sets, and a request log without personal data (``web/request_log.py``)."""
    # Imported here so this factory stays an addition at the end of the module.
    from werkpad.config import database_url
    from werkpad.web.request_log import RequestLog

    app = create_app(database_url())
    app.add_middleware(RequestLog)
    # Today's snapshot loads while the worker starts taking requests (services.figures).
    app.state.figures.warm(app.state.clock.today)
    return app
