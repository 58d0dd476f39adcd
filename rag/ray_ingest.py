"""Ingestion on a Ray cluster: files parsed and passages embedded by Ray tasks and actors; this
process writes the results into the store (FAISS, Milvus Lite or a Milvus server), under the
writer's lock as every write.

    rag index --ray local reports/                       # a Ray cluster on this machine
    rag index --ray ray://head:10001 reports/ --store http://milvus:19530

Each embedding actor holds one CPU and its own one-thread copy of the model (as the workers of
``rag.embed_pool``); ``Config.embed_workers`` actors, or one per CPU of the cluster (None or 0).
Files are read by the cluster's workers by path: on a cluster of several machines the folder must
be at the same path on each (shared storage). The ``rag`` package is shipped to a remote cluster
with the job (``runtime_env``); the cluster needs this package's dependencies installed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from .errors import RagError

LOCAL = "local"  # start (or join) a Ray cluster on this machine


def connect(address: str) -> None:
    """Join the Ray cluster at ``address`` (``local``: start one here, or use the one this process
    already started). Raises RagError when Ray is missing or the cluster cannot be reached."""
    try:
        import ray
    except ImportError as exc:
        raise RagError("用 Ray 建索引需要先安装 Ray：pip install 'rag[ray]'（或 pip install ray）。") from exc
    if ray.is_initialized():
        return
    try:
        if address == LOCAL:
            ray.init(include_dashboard=False, logging_level="WARNING", log_to_driver=False)
        else:  # a remote cluster gets this very package with the job
            ray.init(address=address, include_dashboard=False, logging_level="WARNING", log_to_driver=False,
                     runtime_env={"py_modules": [str(Path(__file__).parent)]})
    except Exception as exc:  # ConnectionError, RuntimeError, ValueError for a bad address
        raise RagError(f"无法连接 Ray 集群“{address}”（{type(exc).__name__}: {exc}）：请确认地址（如 ray://主机:10001）"
                       "和集群已启动，或用 --ray local 在本机运行。") from exc


def _parse(path: str, source: str | None, seconds: float, memory_mb: int, max_file_mb: float):
    """A Ray task: one file read in a limited parser process (``rag.parsing``) on a Ray worker.
    Returns the Document, or the RagError message for a file that cannot be read."""
    from .parsing import IsolatedParser

    try:
        return IsolatedParser(seconds, memory_mb).load(path, source=source, max_file_mb=max_file_mb)
    except RagError as exc:
        return str(exc)
    except Exception as exc:  # a hostile file must not stop the others
        return f"“{source or path}”读取失败（{type(exc).__name__}: {exc}）：请检查文件是否完整。"


class _EmbeddingActor:
    """A Ray actor with its own one-thread model (``rag.embed_pool``)."""

    def __init__(self, name: str):
        from . import embed_pool

        embed_pool._start_worker(name)
        self._embed = embed_pool._embed_batch

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)


class RayPool:
    """Parsing tasks and ``workers`` embedding actors on the Ray cluster at ``address``, with the
    interface of ``rag.embed_pool.WorkerPool``. Use as a context manager: the actors end on exit."""

    def __init__(self, name: str, workers: int, address: str = LOCAL):
        import ray

        connect(address)
        self.name = name
        self.workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._actors: list = []  # started when the files are read: parsing tasks need the CPUs too

    def parse(self, paths: Sequence[str], sources: Sequence[str | None], seconds: float, memory_mb: int,
              max_file_mb: float) -> list:
        """One Document or error message per path, in order, each file read by a Ray task."""
        import ray

        task = ray.remote(num_cpus=1)(_parse)
        return ray.get([task.remote(str(p), s, seconds, memory_mb, max_file_mb) for p, s in zip(paths, sources)])

    def embed_batches(self, batches: Sequence[list[str]]) -> Iterator[np.ndarray]:
        """One float32 array per batch, in order; two batches in flight per actor."""
        import ray

        if not self._actors and batches:
            actor = ray.remote(num_cpus=1)(_EmbeddingActor)
            self._actors = [actor.remote(self.name) for _ in range(self.workers)]
        pending = []
        for n, batch in enumerate(batches):
            pending.append(self._actors[n % self.workers].embed.remote(batch))
            if len(pending) >= 2 * self.workers:
                yield ray.get(pending.pop(0))
        while pending:
            yield ray.get(pending.pop(0))

    def close(self) -> None:
        import ray

        for actor in self._actors:
            ray.kill(actor)
        self._actors = []

    def __enter__(self) -> "RayPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
