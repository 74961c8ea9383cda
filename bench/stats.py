"""Latency summaries: pure functions over a list of durations in seconds."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class LatencySummary:
    """Percentiles of one page's response times, in milliseconds."""

    name: str
    requests: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    failures: int


def percentile(samples: list[float], pct: float) -> float:
    """The ``pct``-th percentile with linear interpolation between order statistics."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(name: str, seconds: list[float], failures: int = 0) -> LatencySummary:
    return LatencySummary(
        name=name,
        requests=len(seconds),
        p50_ms=percentile(seconds, 50) * 1000,
        p95_ms=percentile(seconds, 95) * 1000,
        mean_ms=statistics.fmean(seconds) * 1000,
        failures=failures,
    )
