"""CodeFacts: the code-list classifications the figures are computed with."""

from __future__ import annotations

from werkpad.analytics.snapshot import CodeFacts
from werkpad.domain.outcomes import is_work_exit


def test_code_facts_mark_regular_job_types_and_work_reasons() -> None:
    facts = CodeFacts.from_code_lists()
    regular = facts.job_types.set_index("code")["is_regular"].to_dict()
    assert [code for code, flag in regular.items() if flag] == ["1", "2", "4", "6"]
    assert set(facts.work_route_reasons) == {"JOB", "SELF_EMPLOYED"}


def test_is_work_exit_follows_the_code_list() -> None:
    assert is_work_exit("JOB") and is_work_exit("SELF_EMPLOYED")
    assert not is_work_exit("MOVED") and not is_work_exit(None) and not is_work_exit("")
