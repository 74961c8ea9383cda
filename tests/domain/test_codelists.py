from pathlib import Path

import pytest

from werkpad.domain import codelists


def test_den_haag_regular_job_types_are_1_2_4_6() -> None:
    assert codelists.code_list("job_type").codes_where(is_regular=True) == ["1", "2", "4", "6"]


def test_srg_codes_keep_leading_zero() -> None:
    assert "01" in codelists.code_list("srg_provision_type")


def test_municipality_can_add_a_code_without_code_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "route_end_reason.csv").write_text(
        "code,label_nl,label_en,sort_order,is_work,is_success\n"
        "PARTICIPATION,Overgedragen aan participatie,Handed over to participation,8,false,false\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WERKPAD_CODELIST_DIR", str(tmp_path))
    codelists.reload()
    try:
        reasons = codelists.code_list("route_end_reason")
        assert "PARTICIPATION" in reasons
        assert "JOB" in reasons
    finally:
        monkeypatch.delenv("WERKPAD_CODELIST_DIR")
        codelists.reload()


def test_unknown_code_list_raises() -> None:
    with pytest.raises(KeyError):
        codelists.code_list("no_such_list")
