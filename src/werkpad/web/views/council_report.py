"""The council report (raadsrapportage) from the web, as HTML or tagged PDF (ANALIST,
TEAMLEIDER): the same document as ``werkpad report``, computed from the figures service's
snapshot and kept per figures version, so a second download costs nothing."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from werkpad.analytics.kpis import KpiContext, compute_kpis
from werkpad.reports.compute import years_up_to
from werkpad.reports.council import build_html, render_pdf
from werkpad.reports.effects_chapter import effect_summaries
from werkpad.services.indicator_settings import kpi_settings
from werkpad.store.models import User
from werkpad.web.auth import require_role
from werkpad.web.templating import templates
from werkpad.web.views.dashboard import figures_view, first_route_year, suppression_threshold

router = APIRouter()
REPORT_ROLES = ("ANALIST", "TEAMLEIDER")
FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
YEARS_OFFERED = 4


def _years(request: Request) -> list[int]:
    """Report years with data: from the last year with route starts (never the current year,
    which is not over) back to the first route, at most ``YEARS_OFFERED``."""
    today = request.app.state.clock.today()
    snap = figures_view(request).snapshot(today)
    first = first_route_year(snap) or today.year - 1
    starts = snap.routes["start_date"]
    last = min(today.year - 1, int(starts.max().year) if len(starts) else today.year - 1)
    return list(range(last, max(first, last - YEARS_OFFERED + 1) - 1, -1))


@router.get("/rapportage", response_class=HTMLResponse)
def report_page(request: Request, user: User = Depends(require_role(*REPORT_ROLES))) -> Response:
    return templates.TemplateResponse(request, "council_report.html", {"years": _years(request)})


@router.get("/rapportage/download")
def report_download(
    request: Request,
    jaar: str = "",
    formaat: str = "pdf",
    user: User = Depends(require_role(*REPORT_ROLES)),
) -> Response:
    years = _years(request)
    year = int(jaar) if jaar.isdigit() else (years[0] if years else 0)
    if not years or year not in years or formaat not in FORMATS:
        return templates.TemplateResponse(
            request,
            "council_report.html",
            {"years": years, "error": "Kies een verslagjaar uit de lijst en HTML of PDF."},
            status_code=422,
        )
    figures = figures_view(request)
    threshold = suppression_threshold(request)
    reference = request.app.state.clock.today()
    settings = kpi_settings(request.app.state.engine)

    def document() -> str:
        snap = figures.snapshot(reference)
        # The beheerder's settings of the figures, as `werkpad report` applies them.
        ctx = KpiContext.for_snapshot(snap, years=years_up_to(year)).with_settings(settings)
        effects = effect_summaries(snap)
        return build_html(
            compute_kpis(snap, ctx), ctx, year=year, threshold=threshold, effects=effects
        )

    html = figures.derived(("council_report", reference, year, threshold, settings), document)
    body: bytes | str = html
    if formaat == "pdf":
        body = figures.derived(
            ("council_report_pdf", reference, year, threshold, settings), lambda: render_pdf(html)
        )
    name = f"raadsrapportage-{year}.{formaat}"
    return Response(
        body,
        media_type=FORMATS[formaat],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
