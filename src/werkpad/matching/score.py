"""Vectorised scoring and top-k on the encoded matrices, blockwise to bound memory.

The score of a pair is an exact whole number of milli-points (float32 holds every integer
below 2**24), so rankings are deterministic: score descending, then id ascending. Excluded
pairs score below zero (a hard-filter penalty) or -inf (hours).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from werkpad.matching.features import Encoded

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Ranked:
    """Top-k of one vacancy or candidate: the other side's ids and milli-points, best first."""

    ids: I64
    milli: I64


def score_block(enc: Encoded, cand: slice, vac: slice) -> F32:
    """Milli-points of candidates (rows) x vacancies (columns); negative means excluded."""
    scores: F32 = enc.cand[cand] @ enc.vac_t[:, vac]
    places = enc.vac_place[vac]
    scores += np.take(enc.travel[:, places], enc.travel_group[cand], axis=0)
    hours = enc.vac_hours[vac][None, :]
    outside = (enc.hours_min[cand][:, None] > hours) | (enc.hours_max[cand][:, None] < hours)
    np.putmask(scores, outside, -np.inf)
    return scores


def top_k_per_column(scores: F32, k: int, ids: I64) -> list[tuple[I64, I64]]:
    """Per column the k best non-negative rows: (row indices, milli-points), best first.

    Ties are broken by ``ids`` ascending. A cheap lower bound on each column's k-th value (the
    k-th largest of chunk maxima) leaves only a few rows to sort exactly.
    """
    n, g = scores.shape
    k = min(k, n)
    if k == 0 or g == 0:
        empty = np.empty(0, dtype=np.int64)
        return [(empty, empty) for _ in range(g)]
    chunk = max(1, n // (4 * k))
    m = n // chunk
    maxima = scores[: m * chunk].reshape(m, chunk, g).max(axis=1)
    if m * chunk < n:
        maxima = np.vstack([maxima, scores[m * chunk :].max(axis=0, keepdims=True)])
    bound = np.partition(maxima, len(maxima) - k, axis=0)[len(maxima) - k]
    rows, cols = np.nonzero(scores >= bound[None, :])
    vals = scores[rows, cols]
    keep = vals >= 0
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    order = np.lexsort((ids[rows], -vals, cols))
    rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.searchsorted(cols, np.arange(g + 1))
    out = []
    for j in range(g):
        stop = min(starts[j] + k, starts[j + 1])
        out.append(
            (rows[starts[j] : stop].astype(np.int64), vals[starts[j] : stop].astype(np.int64))
        )
    return out


def top_candidates(enc: Encoded, k: int = 20, block: int = 256) -> dict[int, Ranked]:
    """For every vacancy the k best candidates; memory is bounded by candidates x ``block``."""
    result: dict[int, Ranked] = {}
    n_vac = len(enc.vacancy_ids)
    everyone = slice(0, len(enc.candidate_ids))
    for start in range(0, n_vac, block):
        stop = min(start + block, n_vac)
        scores = score_block(enc, everyone, slice(start, stop))
        for j, (rows, milli) in enumerate(top_k_per_column(scores, k, enc.candidate_ids)):
            result[int(enc.vacancy_ids[start + j])] = Ranked(enc.candidate_ids[rows], milli)
    return result


def top_vacancies(enc: Encoded, k: int = 20, block: int = 2048) -> dict[int, Ranked]:
    """For every candidate the k best vacancies (score desc, vacancy id asc)."""
    result: dict[int, Ranked] = {}
    n_cand = len(enc.candidate_ids)
    every_vacancy = slice(0, len(enc.vacancy_ids))
    for start in range(0, n_cand, block):
        stop = min(start + block, n_cand)
        scores = np.ascontiguousarray(score_block(enc, slice(start, stop), every_vacancy).T)
        for j, (rows, milli) in enumerate(top_k_per_column(scores, k, enc.vacancy_ids)):
            result[int(enc.candidate_ids[start + j])] = Ranked(enc.vacancy_ids[rows], milli)
    return result
