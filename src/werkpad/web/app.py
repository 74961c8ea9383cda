"""The FastAPI application: pages, API, sessions, CSRF, security headers, error pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from werkpad.services.clock import Clock
from werkpad.services.figures import Figures
from werkpad.store.db import make_engine, session_factory
from werkpad.web.errors import Forbidden, NotAuthenticated, NotFound
from werkpad.web.security import SECURITY_HEADERS, CsrfFailed, resolve_secret_key
from werkpad.web.static_assets import plotly_js
from werkpad.web.templating import templates
from werkpad.web.views import (
    admin,
    api,
    candidate,
    caseload,
    chain,
    dashboard,
    drilldown,
    effects,
    employers,
    login,
    matching,
    team,
    vacancies,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "werkpad_session"
SESSION_MAX_AGE = 8 * 3600
PAGE_ROUTERS = (
    login.router,
    caseload.router,
    candidate.router,
    chain.router,
    matching.router,
    employers.router,
    vacancies.router,
    team.router,
    dashboard.router,
    effects.router,
    drilldown.router,
    admin.router,
)
API_ROUTERS = (api.docs_router, api.router)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") and request.url.path != "/api/docs"


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    return templates.TemplateResponse(
        request, "error.html", {"title": title, "message": message}, status_code=status
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


def _install_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            # Pages hold personal data: never keep them in a shared or back-button cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def create_app(
    database_url: str, *, secret_key: str | None = None, secure_cookies: bool = True
) -> FastAPI:
    """The werkpad web application on ``database_url`` (schema must be migrated already)."""
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

    _install_error_handlers(app)
    _install_security_headers(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=resolve_secret_key(secret_key),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=secure_cookies,
    )
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
