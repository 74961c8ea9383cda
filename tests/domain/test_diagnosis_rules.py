from werkpad.domain.consistency import DiagnosisFacts, diagnosis_warnings


def test_isolated_step_with_segment_a_high_loonwaarde_and_far_from_work_warns_thrice() -> None:
    facts = DiagnosisFacts(ladder_step=1, segment="DH_A", loonwaarde_pct=95, months_to_work=40)
    assert [r.code for r in diagnosis_warnings(facts)] == [
        "LOW_STEP_SHORT_SEGMENT",
        "LOW_STEP_HIGH_LOONWAARDE",
        "HIGH_LOONWAARDE_FAR_FROM_WORK",
        "SHORT_SEGMENT_FAR_FROM_WORK",
    ]


def test_a_coherent_diagnosis_and_unknown_values_give_no_warning() -> None:
    assert diagnosis_warnings(DiagnosisFacts(5, "DH_A", 85, 3)) == []
    assert diagnosis_warnings(DiagnosisFacts(1, None, None, None)) == []
