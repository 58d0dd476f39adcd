"""Lexical side of hybrid search: Chinese tokenisation for BM25 (the ``bm25s`` library scores).

Tokens are jieba's search-mode words plus character bigrams of Chinese runs (robust to words
jieba does not know), with numbers kept whole: ``8.4万平方米`` yields ``8.4`` and ``8.4万平方米``,
``19.3%`` stays ``19.3%``. Text is folded first, so full-width digits match half-width ones.

The words come from ``rjieba`` (jieba-rs, the same dictionary and algorithm in Rust): it loads in
0.1 s where Python jieba takes 0.6-1 s, and gives the same words on all 53 reports measured; it
differs only on hyphenated Latin words (``beaux-arts`` stays whole). Indexes record
``TOKENIZER_VERSION``; one written by another tokenizer is re-tokenised when opened.
"""
from __future__ import annotations

import json
import logging
import math
import re
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .normalize import fold, strip_footnotes

_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)*(?:%|‰)?"
    r"(?:(?:万|亿|千|百)?(?:平方公里|平方米|公里|千米|千瓦|公顷|人次|场次|余人|余个|余万|"
    r"[米吨亩人户个家元度项所张场名条座天年月日倍期次批类栋套辆台]))?"
)
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[\w\u3400-\u9fff]")
# Function words and question words: frequent everywhere, they only add noise to BM25.
STOPWORDS = frozenset(
    "的 了 和 与 及 以及 或 是 在 有 为 对 把 被 将 从 到 向 等 个 之 其 这 那 这个 那个 哪个 并 也 都 就 还 "
    "多少 什么 哪些 哪 几 几个 吗 呢 吧 啊 怎么 怎样 如何 是否 有没有 多大 多高 谁 么 请问 请 一下 告诉 我 你 "
    "我们 他们 报告 中 上 下 里 方面 情况 分别 各 各自 共 总共 一共 达到 达 多 少".split()
)
# Question phrases removed before bigramming, so that '绿地多少' does not yield the bigram '地多'.
_QUESTION_PHRASES = re.compile(r"多少|什么|哪些|哪个|哪里|怎么样|怎样|怎么|如何|是否|有没有|请问|为什么|吗|呢")
TOKENIZER_MODES = ("jieba", "bigram", "jieba+bigram")
TOKENIZER_VERSION = "rjieba-0.2+t2s"  # in the manifest: indexes tokenised otherwise are re-tokenised

_jieba = None


def load_jieba():
    """Python jieba, for its part-of-speech tags (follow-up questions); loading takes a second."""
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)  # its start-up chatter would pollute stderr of scripts
        _jieba = jieba
    return _jieba


def _bigrams(run: str) -> list[str]:
    return [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]


def words_part(folded: str) -> str:
    """What words and bigrams are taken from: the folded text without numbers and question phrases."""
    return _QUESTION_PHRASES.sub(" ", _NUMBER.sub(" ", folded))


def tokenize(text: str, mode: str = "jieba+bigram") -> list[str]:
    if mode not in TOKENIZER_MODES:
        raise ValueError(f"tokenizer mode {mode!r}: choose from {TOKENIZER_MODES}")
    text = fold(strip_footnotes(text))
    tokens: list[str] = []
    for match in _NUMBER.finditer(text):
        number = re.match(r"\d+(?:[.,]\d+)*(?:%|‰)?", match.group()).group().replace(",", "")
        tokens.append(number)
        if match.group() != number:
            tokens.append(match.group().replace(",", ""))
    rest = words_part(text)
    if "jieba" in mode:
        import rjieba

        tokens.extend(w for w in rjieba.cut_for_search(rest)
                      if _WORD.search(w) and w not in STOPWORDS)
    if "bigram" in mode:
        for run in _CJK_RUN.findall(rest):
            tokens.extend(b for b in _bigrams(run) if b not in STOPWORDS)
    return tokens


class BM25Index:
    """BM25 over pre-tokenised chunks; scores for every chunk, so filters are simple masks.

    ``bm25s`` computes the weights when an index is built and saves them; a saved index is read
    back as its three posting arrays (memory-mapped) and scored with numpy, because importing
    bm25s pulls in scipy, which costs a third of a second at every start of `rag ask`."""

    _FILES = ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy", "vocab.index.json")

    def __init__(self, corpus_tokens: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.size = len(corpus_tokens)
        self._bm25 = None  # the bm25s model, kept for saving
        self._vocab: dict[str, int] = {}
        self._data = self._indices = np.zeros(0, dtype=np.float32)
        self._indptr = np.zeros(1, dtype=np.int64)
        if self.size:
            import bm25s

            self._bm25 = bm25s.BM25(k1=k1, b=b)
            # An empty document still needs a placeholder token so that bm25s keeps its row.
            self._bm25.index([list(t) or ["\u0000"] for t in corpus_tokens], show_progress=False)
            self._vocab = self._bm25.vocab_dict
            postings = self._bm25.scores
            self._data, self._indices, self._indptr = postings["data"], postings["indices"], postings["indptr"]

    def save(self, directory: Path) -> None:
        directory.mkdir()
        if self.size:
            self._bm25.save(str(directory), show_progress=False)
        (directory / "size").write_text(str(self.size), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "BM25Index":
        """Memory-mapped: opening a large index costs milliseconds, not a rebuild."""
        index = cls([])
        index.size = int((directory / "size").read_text(encoding="utf-8"))
        if index.size:
            data, indices, indptr, vocab = (directory / name for name in cls._FILES)
            index._data, index._indices, index._indptr = (np.load(p, mmap_mode="r") for p in (data, indices, indptr))
            index._vocab = json.loads(vocab.read_text(encoding="utf-8"))
        return index

    def __contains__(self, token: str) -> bool:
        return token in self._vocab

    def idf(self) -> dict[str, float]:
        """Inverse document frequency of every token, from the index's own postings (no need for
        the chunks' tokens): BM25's idf floored at 0.05, so very common terms still count a little.
        The same table as ``idf_table`` over the indexed tokens."""
        frequencies = np.diff(self._indptr)  # postings are grouped by token: their count is its df
        values = np.maximum(0.05, np.log1p((self.size - frequencies + 0.5) / (frequencies + 0.5)))
        # bm25s adds "" (no postings) to its vocabulary; "\u0000" is our placeholder for empty chunks
        return {token: float(values[i]) for token, i in self._vocab.items()
                if i < len(values) and token not in ("", "\u0000")}

    def scores(self, query_tokens: Iterable[str]) -> np.ndarray:
        """BM25 score of every chunk: the sum of the query tokens' postings (a repeated token counts
        again, as in bm25s)."""
        ids = [self._vocab[t] for t in query_tokens if t in self._vocab]
        if not ids or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        spans = [slice(self._indptr[i], self._indptr[i + 1]) for i in ids]
        chunks = np.concatenate([self._indices[s] for s in spans])
        weights = np.concatenate([self._data[s] for s in spans]).astype(np.float64)
        return np.bincount(chunks, weights=weights, minlength=self.size).astype(np.float32)


def idf_table(tokens_per_chunk: list[list[str]]) -> dict[str, float]:
    """Inverse document frequency of every token over the chunks (BM25's idf, floored at a
    small positive value so that very common terms still count a little)."""
    n = len(tokens_per_chunk)
    df: dict[str, int] = {}
    for tokens in tokens_per_chunk:
        for t in set(tokens):
            df[t] = df.get(t, 0) + 1
    return {t: max(0.05, math.log(1 + (n - f + 0.5) / (f + 0.5))) for t, f in df.items()}
