"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings fused, with filters and years.

Fusion is a weighted sum of min-max normalised scores by default (chosen in eval/: see
eval/RESULTS.md); reciprocal rank fusion is the alternative. When the question names a year, chunks about that
year are searched first (``rag.years``).

``Hit.score`` has one scale in every mode and fusion: 0 to 1, relative to this question's
candidates. 1.0 is the best candidate of every ranking used (dense, BM25 or both), ties with it
included; a ranking that finds nothing (BM25 when no query word is in the index) is left out
rather than counted as 0. The year tier then multiplies it (``TIER_WEIGHTS``: 1, 0.55, 0.15).
Scores compare passages of one question; across questions the raw ``dense_score`` (cosine) and
``lexical_score`` (BM25) say how strong the evidence is.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from .chunking import Chunk
from .crosslingual import with_chinese_terms
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


def _ranked(ranking: dict[int, float]) -> list[int]:
    return sorted(ranking, key=lambda i: (-ranking[i], i))


def fuse(rankings: list[dict[int, float]], weights: tuple[float, ...], fusion: str = "weighted",
         rrf_k: int = 60) -> dict[int, float]:
    """Fused scores in [0, 1] of rankings given as {position: raw score}; 1 is the best candidate
    of every ranking that orders its candidates. ``weighted``: each ranking min-max normalised over
    its candidates, weighted sum divided by the weights of the rankings used. ``rrf``:
    reciprocal rank fusion, divided by its largest possible value (first everywhere)."""
    present = [(w, r) for w, r in zip(weights, rankings) if r]
    if not present:
        return {}
    fused: dict[int, float] = {}
    if fusion == "weighted":
        spans = [np.ptp(np.fromiter(r.values(), dtype=np.float64)) for _, r in present]
        # A ranking whose candidates all score the same (often a single BM25 match) orders nothing:
        # it adds 0 and does not count in the total, unless no ranking orders anything.
        ordering = [span > 0 for span in spans] if any(span > 0 for span in spans) else [True] * len(present)
        total = sum(w for (w, _), used in zip(present, ordering) if used)
        if total <= 0:  # only rankings of weight 0 order anything: they decide alone
            present, total = [(1.0, r) for _, r in present], sum(ordering)
        for (weight, ranking), span, used in zip(present, spans, ordering):
            low = min(ranking.values())
            for i, s in ranking.items():
                normalised = ((s - low) / span if span > 0 else 1.0) if used else 0.0
                fused[i] = fused.get(i, 0.0) + weight / total * normalised
        return fused
    best = len(present) / (rrf_k + 1)
    for _, ranking in present:
        for rank, i in enumerate(_ranked(ranking), 1):
            fused[i] = fused.get(i, 0.0) + 1.0 / (rrf_k + rank) / best
    return fused


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
        self._filter_columns: tuple[dict, np.ndarray, np.ndarray] | None = None  # built on the first filter

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

        lexical_all = self.snapshot.bm25.scores(self._lexical_tokens(query))
        lexical = {i: float(lexical_all[i]) for i in _top(lexical_all, allowed, n) if lexical_all[i] > 0} \
            if mode != "dense" else {}
        dense = self._dense(query, allowed, n) if mode != "bm25" else {}
        fused = self._with_tiers(self._fuse(dense, lexical), tiers)
        best = _ranked(fused)[:k]
        # A chunk outside the dense top-n has a low cosine anyway: 0 stands for "not close".
        return [self._hit(rank, chunks[i], fused[i], dense.get(i, 0.0), float(lexical_all[i]))
                for rank, i in enumerate(best, 1)]

    def _lexical_tokens(self, query: str) -> list[str]:
        """BM25 tokens of a question; an English one is searched by the Chinese words for its terms."""
        return tokenize(with_chinese_terms(query, self._vocabulary()), self.tokenizer_mode)

    def _vocabulary(self):
        return self.snapshot.bm25

    @staticmethod
    def _with_tiers(fused: dict, tiers) -> dict:
        """Fused scores scaled by the year tier of each candidate (``tiers[key]``), if any."""
        return fused if tiers is None else {i: s * TIER_WEIGHTS[tiers[i]] for i, s in fused.items()}

    def _fuse(self, dense: dict, lexical: dict) -> dict:
        """The one fusion of every store (``fuse``), with this retriever's settings."""
        return fuse([dense, lexical], (self.settings.dense_weight, 1 - self.settings.dense_weight),
                    self.settings.fusion, self.settings.rrf_k)

    def _filter_mask(self, doc_ids: list[str] | None, years: list[int] | None) -> np.ndarray | None:
        if not doc_ids and not years:
            return None
        if self._filter_columns is None:  # one pass over the chunks per snapshot, not per question
            chunks = self.snapshot.chunks
            codes = {doc_id: n for n, doc_id in enumerate(dict.fromkeys(c.doc_id for c in chunks))}
            self._filter_columns = (codes, np.array([codes[c.doc_id] for c in chunks], dtype=np.int32),
                                    np.array([c.year if c.year is not None else -1 for c in chunks], dtype=np.int32))
        codes, chunk_docs, chunk_years = self._filter_columns
        mask = np.ones(len(chunk_docs), dtype=bool)
        if doc_ids:
            mask &= np.isin(chunk_docs, [codes[d] for d in doc_ids if d in codes])
        if years:
            mask &= np.isin(chunk_years, list(years))
        return mask

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
