"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings fused, with filters and years.

Fusion is a weighted sum of min-max normalised scores by default (chosen in eval/: see
eval/RESULTS.md); reciprocal rank fusion is the alternative. When the question names a year, chunks about that
year are searched first (``rag.years``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from .chunking import Chunk
from .embedding import Embedder
from .errors import RagError
from .lexical import tokenize
from .store import Snapshot
from .years import TIER_WEIGHTS, YearTiers, asks_for_target, years_in_question

FUSIONS = ("rrf", "weighted")
MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class SearchSettings:
    mode: str = "hybrid"
    # Min-max normalised weighted sum beat reciprocal rank fusion on all three test sets
    # (eval/RESULTS.md: CMRC R@1 0.985 vs 0.967, national reports 0.90 vs 0.85).
    fusion: str = "weighted"
    rrf_k: int = 60  # for the rrf fusion only
    dense_weight: float = 0.5
    candidates: int = 100  # per ranking, before fusion
    year_aware: bool = True


@dataclass
class Hit:
    rank: int
    score: float
    text: str
    doc_id: str
    title: str
    section: str
    chunk_id: str
    start: int
    end: int
    year: int | None = None
    # Raw evidence strength, used to decide whether the reports answer a question at all.
    dense_score: float = field(default=0.0, repr=False)
    lexical_score: float = field(default=0.0, repr=False)
    period: int | None = field(default=None, repr=False)  # the year the passage is about (review Y-1 or plan Y)

    CONTRACT = ("rank", "score", "text", "doc_id", "title", "section", "chunk_id", "start", "end", "year")

    def to_dict(self) -> dict:
        data = asdict(self)
        return {key: data[key] for key in self.CONTRACT}


def _top(scores: np.ndarray, allowed: np.ndarray | None, n: int) -> list[int]:
    """Positions of the n best scores among allowed ones (ties broken by position)."""
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    n = min(n, int(np.isfinite(scores).sum()))
    if n <= 0:
        return []
    top = np.argpartition(-scores, n - 1)[:n]
    return sorted(top.tolist(), key=lambda i: (-scores[i], i))


class HybridRetriever:
    def __init__(self, snapshot: Snapshot, embedder: Embedder, settings: SearchSettings = SearchSettings(),
                 tokenizer_mode: str = "jieba+bigram"):
        if settings.fusion not in FUSIONS or settings.mode not in MODES:
            raise RagError(f"检索设置无效（fusion={settings.fusion}, mode={settings.mode}）："
                           f"fusion 可选 {', '.join(FUSIONS)}，mode 可选 {', '.join(MODES)}。")
        self.snapshot = snapshot
        self.embedder = embedder
        self.settings = settings
        self.tokenizer_mode = tokenizer_mode
        self._year_tiers_index: YearTiers | None = None  # built on the first question naming a year

    def _dense(self, query: str, allowed: np.ndarray | None, n: int) -> dict[int, float]:
        return self.snapshot.dense_search(self.embedder.embed_queries([query]), allowed, n)

    def _mode(self, mode: str | None) -> str:
        mode = mode or self.settings.mode
        if mode not in MODES:
            raise RagError(f"未知的检索方式“{mode}”：可选 {', '.join(MODES)}。")
        return mode

    def search(self, query: str, k: int = 5, doc_ids: list[str] | None = None,
               years: list[int] | None = None, mode: str | None = None) -> list[Hit]:
        """Best ``k`` chunks for ``query``. ``doc_ids``/``years`` restrict to those documents or
        report years; ``mode`` overrides the configured one (hybrid, dense or bm25)."""
        chunks = self.snapshot.chunks
        if not chunks or not query.strip():
            return []
        mode = self._mode(mode)
        allowed = self._filter_mask(doc_ids, years)
        tiers = self._year_tiers(query)
        if tiers is not None:
            # Search where the year is first; fall back to everything if nothing there is allowed.
            about_year = tiers < 2 if allowed is None else (tiers < 2) & allowed
            if about_year.any():
                allowed = about_year
        n = max(self.settings.candidates, k)

        lexical_all = self.snapshot.bm25.scores(tokenize(query, self.tokenizer_mode))
        lexical = {i: float(lexical_all[i]) for i in _top(lexical_all, allowed, n) if lexical_all[i] > 0} \
            if mode != "dense" else {}
        dense = self._dense(query, allowed, n) if mode != "bm25" else {}
        fused = self._with_tiers(self._fuse(dense, lexical), tiers)
        best = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        # A chunk outside the dense top-n has a low cosine anyway: 0 stands for "not close".
        return [self._hit(rank, chunks[i], fused[i], dense.get(i, 0.0), float(lexical_all[i]))
                for rank, i in enumerate(best, 1)]

    @staticmethod
    def _with_tiers(fused: dict, tiers) -> dict:
        """Fused scores scaled by the year tier of each candidate (``tiers[key]``), if any."""
        return fused if tiers is None else {i: s * TIER_WEIGHTS[tiers[i]] for i, s in fused.items()}

    def _fuse(self, dense: dict[int, float], lexical: dict[int, float]) -> dict[int, float]:
        rankings = [r for r in (dense, lexical) if r]
        if len(rankings) == 1:
            only = rankings[0]
            return {i: 1.0 / (self.settings.rrf_k + rank) for rank, i in
                    enumerate(sorted(only, key=lambda i: (-only[i], i)), 1)}
        if self.settings.fusion == "weighted":
            weights = (self.settings.dense_weight, 1 - self.settings.dense_weight)
            fused: dict[int, float] = {}
            for weight, ranking in zip(weights, rankings):
                values = np.array(list(ranking.values()))
                low, span = values.min(), max(values.max() - values.min(), 1e-9)
                for i, s in ranking.items():
                    fused[i] = fused.get(i, 0.0) + weight * (s - low) / span
            return fused
        fused = {}
        for ranking in rankings:
            for rank, i in enumerate(sorted(ranking, key=lambda i: (-ranking[i], i)), 1):
                fused[i] = fused.get(i, 0.0) + 1.0 / (self.settings.rrf_k + rank)
        return fused

    def _filter_mask(self, doc_ids: list[str] | None, years: list[int] | None) -> np.ndarray | None:
        if not doc_ids and not years:
            return None
        chunks = self.snapshot.chunks
        wanted_docs, wanted_years = set(doc_ids or ()), set(years or ())
        return np.array([(not wanted_docs or c.doc_id in wanted_docs) and (not wanted_years or c.year in wanted_years)
                         for c in chunks], dtype=bool)

    def _year_tiers(self, query: str) -> np.ndarray | None:
        if not self.settings.year_aware:
            return None
        years = years_in_question(query)
        if not years:
            return None
        if self._year_tiers_index is None:
            self._year_tiers_index = YearTiers(self.snapshot.chunks)
        return self._year_tiers_index.tiers(years, asks_for_target(query))

    @staticmethod
    def _hit(rank: int, c: Chunk, score: float, dense_score: float, lexical_score: float) -> Hit:
        return Hit(rank, round(float(score), 6), c.text, c.doc_id, c.title, c.section, c.chunk_id, c.start, c.end,
                   c.year, dense_score, lexical_score, c.period)
