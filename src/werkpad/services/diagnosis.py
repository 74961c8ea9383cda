"""Diagnosis: a dated assessment under the organisation's segmentation scheme.

Every assessment is a new row (the history is never overwritten) and needs a reason. The
routing rules propose a route type from the loonwaarde; the klantmanager follows the proposal
or chooses another route type, and must then say why.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from werkpad.domain.codelists import code_list
from werkpad.domain.consistency import DiagnosisFacts, diagnosis_warnings
from werkpad.domain.routing import RouteProposal, segment_for_horizon
from werkpad.services.audit import record_change
from werkpad.services.configuration import LADDER, Configuration
from werkpad.services.fields import Fields
from werkpad.store.models import Assessment, Candidate, User

MAX_REASON = 2000


def propose_route(config: Configuration, loonwaarde_pct: int | None) -> RouteProposal | None:
    return config.routing_rules().propose(loonwaarde_pct)


ROUTE_CHANGED = "ROUTE_CHANGED"


def _warnings(
    candidate: Candidate,
    ladder_raw: str | None,
    segment: str | None,
    loonwaarde: int | None,
    months: int | None,
    proposal: RouteProposal | None,
    data: Mapping[str, Any],
) -> list[tuple[str, str]]:
    """(code, Dutch message) for every consistency rule that fires, and for a routing proposal
    that changes the route the previous diagnosis chose while the klantmanager follows it."""
    facts = DiagnosisFacts(
        ladder_step=int(ladder_raw) if ladder_raw and ladder_raw.isdigit() else None,
        segment=segment,
        loonwaarde_pct=loonwaarde,
        months_to_work=months,
    )
    found = [(rule.code, rule.label_nl) for rule in diagnosis_warnings(facts)]
    previous = candidate.assessments[-1] if candidate.assessments else None
    follows_proposal = not str(data.get("route_decision") or "").strip()
    if (
        proposal is not None
        and follows_proposal
        and previous is not None
        and previous.route_decision
        and previous.route_decision != proposal.route_type
    ):
        labels = code_list("route_type")
        found.append(
            (
                ROUTE_CHANGED,
                f"Het routevoorstel verandert van {labels.label(previous.route_decision)} naar "
                f"{labels.label(proposal.route_type)} ({proposal.rule}).",
            )
        )
    return found


def record_assessment(
    session: Session,
    user: User,
    candidate: Candidate,
    data: Mapping[str, Any],
    *,
    today: date,
    config: Configuration,
) -> Assessment:
    """Add an assessment; ``ValidationFailed`` with Dutch messages (and nothing written) if
    any field is wrong.

    Fields: assessed_on (default today), ladder_step (1-6, required), segment (of the active
    scheme; derived from months_to_work when left empty), months_to_work, loonwaarde_pct,
    loonwaarde_measured, language_level, work_disability (ja/nee), review_date, reason
    (required), route_decision (empty: follow the proposal) and route_override_reason
    (required when the decision differs from the proposal).

    A contradictory diagnosis (``domain.consistency`` rules, or a proposal that silently
    changes the route chosen before) is saved only when ``consistency_confirmed`` is set with
    a ``consistency_reason``; the warnings and the reason are kept on the assessment.
    """
    f = Fields(data)
    assessed_on = f.date("assessed_on", "Datum diagnose") or today
    if assessed_on > today:
        f.fail("assessed_on", "Datum diagnose ligt in de toekomst.")
    elif assessed_on < candidate.birth_date:
        f.fail("assessed_on", "Datum diagnose ligt vóór de geboortedatum.")
    ladder_raw = f.code("ladder_step", "Trede participatieladder", "ladder_step", required=True)
    months = f.integer(
        "months_to_work", "Verwachte termijn tot werk (maanden)", minimum=0, maximum=600
    )
    segment = f.code("segment", "Doelgroep/categorie", "segment")
    scheme: str | None = None
    if config.scheme == LADDER:
        if segment is not None:
            f.fail("segment", "Het gekozen schema kent alleen de participatieladder.")
    else:
        scheme = config.scheme
        if segment is None and months is not None:
            segment = segment_for_horizon(config.scheme, months)
        if segment is None and not f.has_error("segment"):
            f.fail(
                "segment",
                "Doelgroep/categorie is verplicht (of vul de verwachte termijn tot werk in).",
            )
        elif segment is not None:
            found = code_list("segment").get(segment)
            if found is None or found.attr("scheme") != config.scheme:
                f.fail("segment", "Deze doelgroep/categorie hoort niet bij het gekozen schema.")
    loonwaarde = f.integer("loonwaarde_pct", "Loonwaarde (%)", minimum=0, maximum=100)
    measured = f.flag("loonwaarde_measured")
    if measured and loonwaarde is None and not f.has_error("loonwaarde_pct"):
        f.fail("loonwaarde_pct", "Vul de gemeten loonwaarde in.")
    language = f.code("language_level", "Taalniveau", "language_level")
    disability = f.optional_flag("work_disability", "Arbeidsbeperking")
    review = f.date("review_date", "Datum herbeoordeling")
    if review is not None and review <= assessed_on:
        f.fail("review_date", "Datum herbeoordeling moet na de datum van de diagnose liggen.")
    reason = f.text("reason", "Reden van de (her)beoordeling", required=True, max_length=MAX_REASON)
    decision = f.code("route_decision", "Route", "route_type")
    override_reason = f.text("route_override_reason", "Reden afwijking", max_length=MAX_REASON)
    proposal = propose_route(config, loonwaarde) if not f.has_error("loonwaarde_pct") else None
    if decision is None and proposal is not None:
        decision = proposal.route_type
    if (
        proposal is not None
        and decision is not None
        and decision != proposal.route_type
        and override_reason is None
    ):
        f.fail(
            "route_override_reason",
            f"U wijkt af van het voorstel ({code_list('route_type').label(proposal.route_type)}): "
            "geef een reden.",
        )
    warnings = _warnings(candidate, ladder_raw, segment, loonwaarde, months, proposal, data)
    confirmed = f.flag("consistency_confirmed")
    consistency_reason = f.text(
        "consistency_reason", "Reden om toch op te slaan", max_length=MAX_REASON
    )
    if warnings and not f.errors and not (confirmed and consistency_reason):
        f.fail(
            "consistency_reason",
            "Deze diagnose spreekt zichzelf tegen: "
            + " ".join(message for _, message in warnings)
            + " Pas de diagnose aan, of bevestig en geef een reden om toch op te slaan.",
        )
    f.raise_if_invalid()

    assessment = Assessment(
        candidate_id=candidate.id,
        assessed_on=assessed_on,
        scheme=scheme,
        segment=segment,
        ladder_step=int(ladder_raw) if ladder_raw else None,
        loonwaarde_pct=loonwaarde,
        loonwaarde_measured=measured,
        language_level=language,
        work_disability=disability,
        months_to_work=months,
        review_date=review,
        proposed_route_type=proposal.route_type if proposal else None,
        route_decision=decision,
        route_override_reason=(
            override_reason if proposal is None or decision != proposal.route_type else None
        ),
        reason=reason or "",
        consistency_warnings=[code for code, _ in warnings] or None,
        consistency_override_reason=consistency_reason if warnings else None,
        assessed_by_id=user.id,
    )
    session.add(assessment)
    session.flush()
    record_change(session, user, "CREATE", "assessment", assessment.id, purpose="Diagnose")
    return assessment
