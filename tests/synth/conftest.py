"""Generated municipalities shared by the synth tests (generation is pure, so reuse is safe)."""

from __future__ import annotations

import pytest

from werkpad.synth import Scale, SynthData, generate
from werkpad.synth.calibration import DENHAAG_CANDIDATES, DENHAAG_PROVISIONS, DENHAAG_ROUTES

# A third of Den Haag: big enough for shares within a few points, fast enough for every run.
MID = Scale(
    "mid",
    DENHAAG_CANDIDATES // 3,
    DENHAAG_ROUTES // 3,
    DENHAAG_PROVISIONS // 3,
)


@pytest.fixture(scope="session")
def mid_data() -> SynthData:
    return generate(MID, seed=7)


@pytest.fixture(scope="session")
def small_data() -> SynthData:
    return generate("small", seed=1)
