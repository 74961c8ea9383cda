"""Matching configuration: criterion weights (points) and thresholds, as plain data.

Weights are whole points; a result's score is the sum of criterion contributions in
milli-points (integers, so the vectorised engine and the reference agree exactly), shown as a
percentage of the maximum.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

CRITERIA: tuple[str, ...] = (
    "occupation",
    "experience",
    "sector",
    "skills",
    "travel",
    "language",
    "education",
    "days",
    "lks",
)

CRITERION_LABELS_NL: dict[str, str] = {
    "occupation": "Beroepswens",
    "experience": "Werkervaring",
    "sector": "Sector",
    "skills": "Vaardigheden",
    "travel": "Reistijd",
    "language": "Taalniveau",
    "education": "Opleiding",
    "days": "Werkdagen",
    "lks": "Loonwaarde / LKS",
}

# A penalty far below any reachable score marks a pair as excluded inside the score matrix.
PENALTY = float(2**22)
MAX_TOTAL_MILLI = 2**21


@dataclass(frozen=True)
class Weights:
    occupation: int = 20
    experience: int = 10
    sector: int = 15
    skills: int = 15
    travel: int = 15
    language: int = 10
    education: int = 5
    days: int = 5
    lks: int = 5

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"gewicht {f.name} moet een geheel getal >= 0 zijn")
        if self.total <= 0:
            raise ValueError("de som van de gewichten moet groter dan 0 zijn")
        if self.total * 1000 >= MAX_TOTAL_MILLI:
            raise ValueError("de som van de gewichten is te groot")

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in CRITERIA)

    def milli(self, criterion: str) -> int:
        return int(getattr(self, criterion)) * 1000


@dataclass(frozen=True)
class MatchSettings:
    weights: Weights = Weights()
    stale_after_days: int = 90
    max_travel_minutes: float = 60.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": asdict(self.weights),
            "stale_after_days": self.stale_after_days,
            "max_travel_minutes": self.max_travel_minutes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> MatchSettings:
        """Settings from stored JSON; missing keys keep their defaults, unknown keys refuse."""
        if not data:
            return cls()
        unknown = set(data) - {"weights", "stale_after_days", "max_travel_minutes"}
        if unknown:
            raise ValueError(f"onbekende matchinginstelling: {', '.join(sorted(unknown))}")
        weights_data = dict(data.get("weights") or {})
        bad = set(weights_data) - set(CRITERIA)
        if bad:
            raise ValueError(f"onbekend criterium: {', '.join(sorted(bad))}")
        max_minutes = float(data.get("max_travel_minutes", 60.0))
        if max_minutes <= 0:
            raise ValueError("maximale reistijd moet groter dan 0 zijn")
        return cls(
            weights=Weights(**{k: int(v) for k, v in weights_data.items()}),
            stale_after_days=int(data.get("stale_after_days", 90)),
            max_travel_minutes=max_minutes,
        )
