"""Which end reasons count as what: the one reading of the code lists' outcome attributes.

A route end reason with ``is_work`` is an exit to work (a job or self-employment), one with
``is_success`` a successful end; a benefit end reason with ``is_work`` ends the benefit because
of work. Services, engines and reports all ask here, so the classification is made once.
"""

from __future__ import annotations

from werkpad.domain.codelists import code_list


def work_end_reasons() -> list[str]:
    """Route end reasons that are an exit to work (attribute ``is_work``)."""
    return code_list("route_end_reason").codes_where(is_work=True)


def success_end_reasons() -> list[str]:
    """Route end reasons counted as a successful end (attribute ``is_success``)."""
    return code_list("route_end_reason").codes_where(is_success=True)


def benefit_work_end_reasons() -> list[str]:
    """Benefit end reasons that end the benefit because of work (attribute ``is_work``)."""
    return code_list("benefit_end_reason").codes_where(is_work=True)


def is_work_exit(end_reason: str | None) -> bool:
    """Whether a route that ended with ``end_reason`` ended in work."""
    return bool(end_reason) and end_reason in work_end_reasons()
