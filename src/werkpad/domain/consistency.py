"""Consistency of a diagnosis: rules as data (code list ``diagnosis_rule``) that compare the
ladder step (trede), the segment, the loonwaarde and the expected months to work.

A rule gives ranges (``ladder_min/max``, ``loonwaarde_min/max``, ``months_min/max``) and a
space-separated list of ``segments``; it fires when every condition it gives holds for a
known value. A fired rule is a warning, not a refusal: the klantmanager may save anyway with a
reason ("the tool is not leading"). A municipality adds or replaces rules like any code list.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkpad.domain.codelists import Code, CodeList, code_list


@dataclass(frozen=True)
class DiagnosisFacts:
    ladder_step: int | None
    segment: str | None
    loonwaarde_pct: int | None
    months_to_work: int | None


def _within(value: int | None, low: object, high: object) -> bool | None:
    """None when the rule sets no range; False when the value is unknown."""
    if low is None and high is None:
        return None
    if value is None:
        return False
    return (low is None or value >= int(str(low))) and (high is None or value <= int(str(high)))


def rule_fires(rule: Code, facts: DiagnosisFacts) -> bool:
    checks = [
        _within(facts.ladder_step, rule.attr("ladder_min"), rule.attr("ladder_max")),
        _within(facts.loonwaarde_pct, rule.attr("loonwaarde_min"), rule.attr("loonwaarde_max")),
        _within(facts.months_to_work, rule.attr("months_min"), rule.attr("months_max")),
    ]
    segments = str(rule.attr("segments") or "").split()
    if segments:
        checks.append(facts.segment in segments)
    given = [c for c in checks if c is not None]
    return len(given) >= 2 and all(given)


def diagnosis_warnings(facts: DiagnosisFacts, rules: CodeList | None = None) -> list[Code]:
    """The rules that find this diagnosis contradictory, in the list's order."""
    return [r for r in (rules or code_list("diagnosis_rule")) if rule_fires(r, facts)]
