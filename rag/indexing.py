"""Writing to the knowledge base: add, re-index, remove documents.

Every change is computed from the newest snapshot under the writer's lock and written as a new
snapshot (``rag.store``), so a bad file, a crash or a second writer never damages the index.
"""
from __future__ import annotations

import contextlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from . import __version__
from .chunking import Chunk, chunk_document, search_texts
from .config import Config, default_embed_workers
from .documents import Document
from .parsing import IsolatedParser
from .embedding import Embedder
from .errors import RagError
from .lexical import TOKENIZER_VERSION, tokenize
from .reuse import EMBEDDED_TEXT_VERSION, StoredVectors
from .store import DocumentRecord, Snapshot
from .stores import EMBEDDED, open_store, record_store

Progress = Callable[[int, int], None]  # (chunks embedded so far, total)


LONG_INDEXING_SECONDS = 180  # an index build longer than this is announced with its forecast
# Fewer chunks than this are embedded in this process even with workers: starting a worker
# process and loading its model takes about as long as embedding this many.
WORKER_MIN_CHUNKS = 32
STATUS_LABELS = {"added": "已添加", "updated": "已更新", "unchanged": "未变化", "duplicate": "重复，已跳过", "error": "失败"}


@dataclass
class FileResult:
    """What happened to one input: added, updated, unchanged, duplicate or error (with reason)."""
    source: str
    status: str
    doc_id: str | None = None
    chunks: int = 0
    error: str | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @property
    def label(self) -> str:
        """The status in Chinese, for people."""
        return STATUS_LABELS.get(self.status, self.status)


def _versions() -> dict:
    import faiss

    return {"rag": __version__, "faiss": faiss.__version__, "numpy": np.__version__}


class Indexer:
    def __init__(self, config: Config, embedder: Embedder):
        self.config = config
        self.embedder = embedder
        self.store = open_store(config)
        self.parser = IsolatedParser(config.parse_seconds, config.parse_memory_mb)

    def _manifest(self, current: Snapshot | None) -> dict:
        index_type = self.config.index_type or (current.manifest.get("index_type") if current else None) or "flat"
        return {"embedder": self.embedder.name, "dim": self.embedder.dim, "index_type": index_type,
                "chunker": self.config.chunker.to_dict(), "tokenizer": self.config.tokenizer,
                "tokenizer_version": TOKENIZER_VERSION, "embedded_text": EMBEDDED_TEXT_VERSION,
                "versions": _versions()}

    def _current(self) -> Snapshot | None:
        return self.store.load(self.embedder.name) if self.store.exists() else None

    def add(self, inputs: Iterable[str | Path | Document], *, sources: list[str] | None = None,
            progress: Progress | None = None, quiet: bool = False, replace: bool = False) -> list[FileResult]:
        """Index files or ready ``Document`` objects. A bad file is reported in its result and
        the others are still indexed. ``sources`` gives display names (e.g. upload names).

        A document is identified by its content, never by its file name: a file whose name is
        taken by a document of other content is added beside it (both stay, with distinct
        titles), unless ``replace`` is set, which replaces the document of that name."""
        inputs = list(inputs)
        with self._ray_pool() as pool:
            loaded = self._load(inputs, sources, pool)
            with self._locked():
                current = self._current()
                self._write(current, [(d, r) for d, r in loaded if d is not None], progress, quiet, replace=replace,
                            pool=pool)
        return [r for _, r in loaded]

    def _load(self, inputs: list, sources: list[str] | None, pool) -> list[tuple[Document | None, FileResult]]:
        """Each input as a Document, or its error: files parsed in a limited worker process
        (rag.parsing), by Ray tasks when ``pool`` is a Ray pool."""
        shown = [sources[n] if sources else (item.source if isinstance(item, Document) else str(item))
                 for n, item in enumerate(inputs)]
        files = [n for n, item in enumerate(inputs) if not isinstance(item, Document)]
        parsed = dict(zip(files, pool.parse([inputs[n] for n in files], [sources[n] if sources else None for n in files],
                                            self.config.parse_seconds, self.config.parse_memory_mb,
                                            self.config.max_file_mb))) if pool is not None and files else {}
        loaded: list[tuple[Document | None, FileResult]] = []
        for n, item in enumerate(inputs):
            try:
                if n in parsed:
                    if isinstance(parsed[n], str):
                        raise RagError(parsed[n])
                    doc = parsed[n]
                else:
                    doc = item if isinstance(item, Document) else self.parser.load(
                        item, source=sources[n] if sources else None, max_file_mb=self.config.max_file_mb)
                loaded.append((doc, FileResult(shown[n], "pending", doc.doc_id)))
            except RagError as exc:
                loaded.append((None, FileResult(shown[n], "error", error=str(exc))))
            except Exception as exc:  # a hostile file must not stop the others
                loaded.append((None, FileResult(shown[n], "error",
                                                error=f"“{shown[n]}”读取失败（{type(exc).__name__}: {exc}）：请检查文件是否完整。")))
        return loaded

    def _ray_pool(self):
        """Ray's tasks and embedding actors when ``Config.ray`` names a cluster, else nothing."""
        if not self.config.ray:
            return contextlib.nullcontext()
        from .ray_ingest import RayPool

        return RayPool(self.embedder.name, self.config.embed_workers or 0, self.config.ray)

    def remove(self, doc_id: str) -> DocumentRecord:
        with self._locked():
            current = self._current()
            if current is None or doc_id not in current.documents:
                known = ", ".join(current.documents) if current else "（索引为空）"
                raise RagError(f"索引中没有文档“{doc_id}”：可用 `rag docs` 查看文档编号。现有：{known}")
            removed = current.documents[doc_id]
            self._write(current, [], None, True, drop={doc_id})
        return removed

    def rebuild(self, quiet: bool = False, progress: Progress | None = None) -> list[FileResult]:
        """Re-chunk and re-embed every recorded document with the current settings, into this
        indexer's store (``--store``), from the store the knowledge base recorded."""
        source = open_store(self.config.with_(store=None))
        documents = source.read_documents()
        with self._ray_pool() as pool, self._locked():
            results = [(d, FileResult(d.source, "pending", d.doc_id)) for d in documents]
            try:  # vectors of chunks whose text is unchanged are reused, never embedded again
                previous = source.load(self.embedder.name)
            except RagError:  # an old format or another embedder: everything is embedded
                previous = None
            self._write(None, results, progress, quiet, reuse_from=previous, pool=pool)
        return [r for _, r in results]

    @contextlib.contextmanager
    def _locked(self):
        """The writer's lock; a second writer waits, then gets a clear refusal."""
        from filelock import Timeout

        lock = self.store.lock(self.config.lock_timeout)
        try:
            lock.acquire()
        except Timeout as exc:
            raise RagError(f"另一个进程正在写入索引“{self.store.uri}”，等待 {self.config.lock_timeout:g} 秒后仍未结束："
                           "请稍后重试。") from exc
        try:
            yield
        finally:
            lock.release()

    def _write(self, current: Snapshot | None, incoming: list[tuple[Document, FileResult]],
               progress: Progress | None, quiet: bool, drop: set[str] = frozenset(), replace: bool = False,
               reuse_from=None, pool=None) -> None:
        """Write ``incoming`` documents and drop ``drop`` as one new snapshot. Vectors are reused
        from ``reuse_from`` (all its documents: a rebuild) or else from ``current``'s documents
        that are replaced or share a file name with an incoming one. ``pool`` embeds (Ray)."""
        docs: dict[str, DocumentRecord] = dict(current.documents) if current else {}
        titles = {d.title for d in docs.values()}
        by_source = {d.source: d.doc_id for d in docs.values()}
        by_checksum = {d.checksum: d.doc_id for d in docs.values()}
        drop = set(drop)
        new_docs: list[Document] = []
        for doc, result in incoming:
            same_source = by_source.get(doc.source)
            if doc.checksum in by_checksum and by_checksum[doc.checksum] not in drop:
                existing = by_checksum[doc.checksum]
                result.status = "unchanged" if existing == same_source else "duplicate"
                result.doc_id, result.chunks = existing, docs[existing].n_chunks
                result.error = f"与已有文档“{docs[existing].title}”（{existing}）内容相同"
                continue
            same_source = same_source if replace else None
            doc_id = same_source or _unique_id(doc.doc_id, set(docs) | {d.doc_id for d in new_docs})
            result.status = "updated" if same_source else "added"
            title = doc.title
            if same_source:
                drop.add(same_source)
            elif title in titles:  # two reports of one name both stay: say which is which
                title = _unique_title(title, doc.source, titles)
            titles.add(title)
            doc = Document(doc_id, title, doc.text, doc.source, doc.year, doc.checksum)
            result.doc_id = doc_id
            by_checksum[doc.checksum] = doc_id
            new_docs.append(doc)
        if not new_docs and not drop:
            return  # nothing changed: an unchanged re-index writes nothing

        records: dict[str, DocumentRecord] = {}
        new_chunks: list[Chunk] = []
        now = time.strftime("%Y-%m-%d %H:%M:%S")
        for doc in new_docs:
            doc_chunks = chunk_document(doc, self.config.chunker)
            new_chunks.extend(doc_chunks)
            records[doc.doc_id] = DocumentRecord(doc.doc_id, doc.title, doc.source, doc.year, doc.checksum, now,
                                                 len(doc_chunks))
        for doc, result in incoming:
            if result.status in ("added", "updated"):
                result.chunks = records[result.doc_id].n_chunks
        searched = search_texts(new_chunks, {d.doc_id: d.text for d in new_docs})
        if reuse_from is not None:
            stored = StoredVectors(reuse_from, reuse_from.documents, self.embedder.name, self.embedder.dim)
        else:
            related = set(drop) | {by_source[d.source] for d in new_docs if d.source in by_source}
            stored = StoredVectors(current, related, self.embedder.name, self.embedder.dim)
        new_vectors = self._embed(searched, progress, quiet, stored, pool)
        tokens = [tokenize(t, self.config.tokenizer) for t in searched]
        documents = [(records[d.doc_id], d.text) for d in new_docs]
        self.store.write_changes(current, self._manifest(current), documents, new_chunks, tokens, new_vectors, drop)
        record_store(self.config.index_dir, EMBEDDED if self.store.backend == EMBEDDED else self.store.uri)

    def _embed(self, texts: list[str], progress: Progress | None, quiet: bool,
               stored: StoredVectors | None = None, pool=None, batch: int = 16) -> np.ndarray:
        """One row per text (float32, L2-normalised): the stored vector of a text already embedded
        by this model, else a new one: by ``pool`` (Ray), else in ``Config.embed_workers`` worker
        processes (``rag.embed_pool``), else here. ``progress`` counts the chunks embedded now."""
        from tqdm import tqdm

        found, missing = stored.lookup(texts) if stored is not None else ({}, list(range(len(texts))))
        vectors = np.zeros((len(texts), self.embedder.dim), np.float32)
        for i, vector in found.items():
            vectors[i] = vector
        todo = [texts[i] for i in missing]
        if found and not quiet:
            print(f"rag: {len(found)} 块文本未变，沿用已有向量；需向量化 {len(todo)} 块。", file=sys.stderr)
        if progress and texts:
            progress(0, len(todo))  # chunking is done: say how many chunks are coming
        batches = [todo[i:i + batch] for i in range(0, len(todo), batch)]
        workers = self.config.embed_workers
        workers = (default_embed_workers() if workers is None else workers) if len(todo) >= WORKER_MIN_CHUNKS else 0
        started = time.monotonic()
        with contextlib.ExitStack() as stack, \
                tqdm(total=len(todo), unit="块", desc="向量化", disable=quiet or not todo, file=sys.stderr) as bar:
            if pool is not None:
                parts = pool.embed_batches(batches)
            elif workers:
                from .embed_pool import WorkerPool

                parts = stack.enter_context(WorkerPool(self.embedder.name, workers)).embed_batches(batches)
            else:
                parts = (self.embedder.embed_passages(b) for b in batches)
            done = 0
            for part in parts:
                vectors[missing[done:done + len(part)]] = part
                first, done = done == 0, done + len(part)
                bar.update(len(part))
                if first and not quiet and done < len(todo):
                    left = (time.monotonic() - started) / done * (len(todo) - done)
                    if left > LONG_INDEXING_SECONDS:  # said up front, not found out after an hour
                        bar.write(f"rag: 共 {len(todo)} 块，按当前速度约需 {left / 60:.0f} 分钟；"
                                  "可中断（Ctrl+C），已有索引不受影响。", file=sys.stderr)
                if progress:
                    progress(done, len(todo))
        return vectors


def _unique_title(title: str, source: str, taken: set[str]) -> str:
    """'政府工作报告（政府工作报告.txt，第2份）': a title no other document has."""
    n = 2
    while f"{title}（{Path(source).name}，第{n}份）" in taken:
        n += 1
    return f"{title}（{Path(source).name}，第{n}份）"


def _unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
