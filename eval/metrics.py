"""Ranking metrics as pure functions over a ranked list of relevance flags (True = relevant).

``n_relevant`` is how many relevant items exist in total (for recall and ideal DCG); with the
usual single gold item it is 1.
"""
from __future__ import annotations

import math
from typing import Sequence


def recall_at_k(relevant: Sequence[bool], k: int, n_relevant: int = 1) -> float:
    if n_relevant <= 0:
        return 0.0
    return min(sum(relevant[:k]), n_relevant) / n_relevant


def hit_at_k(relevant: Sequence[bool], k: int) -> float:
    return 1.0 if any(relevant[:k]) else 0.0


def mrr_at_k(relevant: Sequence[bool], k: int = 10) -> float:
    for rank, flag in enumerate(relevant[:k], 1):
        if flag:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(relevant: Sequence[bool], k: int = 10, n_relevant: int = 1) -> float:
    dcg = sum(1.0 / math.log2(rank + 1) for rank, flag in enumerate(relevant[:k], 1) if flag)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(n_relevant, k) + 1))
    return dcg / ideal if ideal else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[index]


def summarize(rankings: list[Sequence[bool]], ks: Sequence[int] = (1, 3, 5, 10)) -> dict[str, float]:
    """Mean metrics over questions; an empty list gives zeros, not an error."""
    n = len(rankings) or 1
    out = {f"R@{k}": sum(hit_at_k(r, k) for r in rankings) / n for k in ks}
    out["MRR@10"] = sum(mrr_at_k(r, 10) for r in rankings) / n
    out["nDCG@10"] = sum(ndcg_at_k(r, 10) for r in rankings) / n
    out["n"] = len(rankings)
    return out
