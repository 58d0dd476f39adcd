"""The on-disk index: FAISS vectors + BM25 tokens + metadata (SQLite) + a manifest.

Every write builds a complete new snapshot directory next to the current one and then switches
the ``CURRENT`` pointer file with an atomic rename. A crash or kill at any moment therefore
leaves the previous snapshot loadable, and readers never see a half-written index. Writers take
a lock file, so two processes indexing into one directory wait for each other.

Writers delete all but the two newest snapshot folders, so a reader must not need its folder
after opening it: loading reads chunks, document texts and the FAISS index into memory and maps
the BM25 arrays (a mapping keeps a deleted file's pages). Only writers read a snapshot's tokens
and vectors later, and they do so under the writer's lock, while no one deletes anything.
"""
from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .chunking import Chunk
from .errors import RagError
from .lexical import TOKENIZER_VERSION, BM25Index, tokenize

_log = logging.getLogger(__name__)
FORMAT_VERSION = 2
INDEX_TYPES = ("flat", "hnsw", "ivf")
_REBUILD = "请运行 `rag index --rebuild --index {root}` 重建索引（会重新读取已记录的原文）"


@dataclass(frozen=True)
class DocumentRecord:
    doc_id: str
    title: str
    source: str
    year: int | None
    checksum: str
    added_at: str
    n_chunks: int


@dataclass
class Snapshot:
    """One complete, immutable version of the index, loaded in memory."""
    directory: Path | None
    manifest: dict
    documents: dict[str, DocumentRecord]
    chunks: list[Chunk]
    vector_index: "object"  # a faiss.Index whose ids are positions in ``chunks``
    bm25: BM25Index
    texts: dict[str, str] = field(default_factory=dict, repr=False)  # doc_id -> normalised text
    _tokens: list[list[str]] | None = field(default=None, repr=False)  # read on first use

    @property
    def tokens(self) -> list[list[str]]:
        """BM25 tokens of every chunk, read from disk when first needed: by writers, under the
        writer's lock (a reader's folder may be gone by then; readers use ``bm25`` instead)."""
        if self._tokens is None:
            with _connect(self.directory / "meta.sqlite") as db:
                self._tokens = [json.loads(t) for (t,) in db.execute("SELECT tokens FROM chunks ORDER BY position")]
        return self._tokens

    @staticmethod
    def empty(dim: int) -> "Snapshot":
        return Snapshot(None, {"dim": dim}, {}, [], build_vector_index(np.zeros((0, dim), np.float32)),
                        BM25Index([]), _tokens=[])

    @property
    def size(self) -> int:
        return len(self.chunks)

    def document_text(self, doc_id: str) -> str:
        return self.texts.get(doc_id, "")

    def vectors(self) -> np.ndarray:
        """The stored vectors, read from disk: for writers, under the writer's lock."""
        if self.directory is None:
            return np.zeros((0, self.manifest["dim"]), dtype=np.float32)
        return np.load(self.directory / "vectors.npy")

    # ---- the store interface readers use (rag.milvus_store.MilvusSnapshot has the same) ----

    @property
    def version(self) -> str | None:
        return self.directory.name if self.directory else None

    def dense_search(self, vector: np.ndarray, allowed: np.ndarray | None, n: int) -> dict[int, float]:
        """Positions and cosine scores of the ``n`` nearest chunks among the ``allowed`` ones."""
        import faiss

        index = self.vector_index
        params = None
        if allowed is not None:
            ids = np.flatnonzero(allowed).astype(np.int64)
            if len(ids) <= EXACT_FILTER_LIMIT and not isinstance(index, faiss.IndexFlat):
                # An approximate index skips filtered-out chunks while it walks, so a narrow filter
                # (one document, one year of a large archive) would leave it few neighbours to
                # find: score the allowed chunks' stored vectors exactly instead.
                return _exact_top(index.reconstruct_batch(ids), ids, vector[0], n)
            params = _search_parameters(index, faiss.IDSelectorBatch(ids))
        scores, ids = index.search(vector, min(n, index.ntotal), params=params)
        return {int(i): float(s) for i, s in zip(ids[0], scores[0]) if i >= 0}

    def idf(self) -> dict[str, float]:
        """Inverse document frequency of every token, for the answerer."""
        from .lexical import idf_table

        return idf_table(self.tokens)

    def figures(self):
        """The figure records of this snapshot (``rag.figures``), built once on first use."""
        from .figures import FigureTable

        if "figures" not in self.__dict__.setdefault("_cache", {}):
            self._cache["figures"] = FigureTable.from_chunks(self.chunks, self.document_text)
        return self._cache["figures"]

    def retriever(self, embedder, settings, tokenizer: str):
        """Hybrid search over this snapshot's FAISS index and BM25 postings."""
        from .retrieval import HybridRetriever

        return HybridRetriever(self, embedder, settings, tokenizer)

    def _positions(self, doc_id: str) -> list[int]:
        """Positions in ``chunks`` of one document's chunks, in order (grouped once, on first use)."""
        if "positions" not in self.__dict__.setdefault("_cache", {}):
            positions: dict[str, list[int]] = {}
            for i, c in enumerate(self.chunks):
                positions.setdefault(c.doc_id, []).append(i)
            self._cache["positions"] = positions
        return self._cache["positions"].get(doc_id, [])

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        """The chunks of one document, in order (what ``rag.sections.ReportSections`` reads)."""
        return [self.chunks[i] for i in self._positions(doc_id)]

    def chunk_vectors(self, doc_id: str) -> tuple[list[Chunk], np.ndarray]:
        """A document's chunks and their stored vectors (float32, one row per chunk, in order):
        what re-indexing reuses (``rag.reuse``). For writers, under the writer's lock."""
        rows = self._positions(doc_id)
        if self.directory is None or not rows:
            return [], np.zeros((0, self.manifest["dim"]), dtype=np.float32)
        # The exact stored vectors, not the index's (IVF keeps 8-bit codes); mapped, not read whole.
        vectors = np.load(self.directory / "vectors.npy", mmap_mode="r")
        return [self.chunks[i] for i in rows], np.array(vectors[rows], dtype=np.float32)

    def export(self, batch: int = 2000):
        """Everything a store needs to hold this knowledge base, in batches (for `rag migrate`):
        first ``("documents", [(record, text), ...])``, then ``("chunks", chunks, tokens, vectors)``."""
        yield "documents", [(d, self.document_text(d.doc_id)) for d in self.documents.values()]
        vectors = self.vectors()
        for i in range(0, self.size, batch):
            yield "chunks", self.chunks[i:i + batch], self.tokens[i:i + batch], vectors[i:i + batch]


def build_vector_index(vectors: np.ndarray, index_type: str = "flat"):
    """Inner product on L2-normalised vectors = cosine similarity. Exact unless asked otherwise:
    ``hnsw`` is the fastest approximate index, ``ivf`` the smallest (vectors kept as 8-bit codes,
    a quarter of the memory), for collections of a million chunks (eval/RESULTS.md, "Stores")."""
    import faiss

    n, dim = vectors.shape
    if index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 512  # recall@10 0.93 at 1M chunks with 256 (eval/RESULTS.md, "Stores")
    elif index_type == "ivf" and n >= 2000:
        nlist = int(np.sqrt(n))
        index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(dim), dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT)
        # k-means on a sample of 64 vectors per list (faiss warns below 39): the 1M build stays ~2 minutes here
        sample = vectors[np.random.default_rng(0).choice(n, min(n, 64 * nlist), replace=False)]
        index.train(sample)
        index.nprobe = max(16, nlist // 5)  # recall@10 0.98 at 100k chunks, of 0.985 with 8-bit codes
    elif index_type in INDEX_TYPES:
        index = faiss.IndexFlatIP(dim)  # IVF needs enough vectors to train (39 a list); small ones stay exact
    else:
        raise RagError(f"未知的索引类型“{index_type}”：可选 {', '.join(INDEX_TYPES)}。")
    if n:
        index.add(vectors)
    _allow_reconstruct(index)
    return index


def _allow_reconstruct(index) -> None:
    """IVF lists are found by chunk position only through a direct map (8 bytes a chunk)."""
    import faiss

    if isinstance(index, faiss.IndexIVF):
        index.make_direct_map()


# Filters allowing at most this many chunks are searched exactly, whatever the index (one
# document, or one year of 100k chunks); wider ones go through the index with a selector.
EXACT_FILTER_LIMIT = 20_000


def _search_parameters(index, selector):
    """Search parameters carrying a filter and the index's own search breadth (the parameter
    objects default to the narrowest search, not to the index's settings)."""
    import faiss

    if isinstance(index, faiss.IndexHNSW):
        return faiss.SearchParametersHNSW(sel=selector, efSearch=index.hnsw.efSearch)
    if isinstance(index, faiss.IndexIVF):
        return faiss.SearchParametersIVF(sel=selector, nprobe=index.nprobe)
    return faiss.SearchParameters(sel=selector)


def _exact_top(vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, n: int) -> dict[int, float]:
    scores = vectors @ query
    top = np.argsort(-scores, kind="stable")[:n]
    return {int(ids[i]): float(scores[i]) for i in top}


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path))


class IndexStore:
    """Reads and atomically writes snapshots under one index directory (the embedded store)."""

    backend = "faiss"

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.uri = str(self.root)  # what messages name

    def empty(self, dim: int) -> Snapshot:
        return Snapshot.empty(dim)

    @property
    def pointer(self) -> Path:
        return self.root / "CURRENT"

    def exists(self) -> bool:
        return self.pointer.is_file()

    def lock(self, timeout: float = 600):
        """A writer's lock; a second writer waits up to ``timeout`` seconds, then is refused."""
        from filelock import FileLock

        self.root.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.root / ".lock"), timeout=timeout)

    # ---- reading ------------------------------------------------------------------------

    def current_version(self) -> str | None:
        try:
            return self.pointer.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def read_manifest(self, version: str | None = None) -> dict | None:
        """A snapshot's manifest (default: the current one); None when missing or unreadable."""
        version = version or self.current_version()
        try:
            return json.loads((self.root / version / "manifest.json").read_text(encoding="utf-8")) if version else None
        except (OSError, ValueError):
            return None

    def load(self, embedder_name: str | None = None, attempts: int = 5) -> Snapshot:
        """The current snapshot. A writer may switch ``CURRENT`` and delete the folder being read
        (after two more writes); the load then starts again from the new version."""
        for _ in range(attempts - 1):
            version = self.current_version()
            try:
                return self._load(version, embedder_name)
            except RagError:
                if self.current_version() == version:
                    raise  # not a race with a writer: the index itself is unusable
        return self._load(self.current_version(), embedder_name)

    def _load(self, version: str | None, embedder_name: str | None) -> Snapshot:
        if version is None:
            raise RagError(f"索引目录“{self.root}”中还没有索引：请先运行 `rag index`（不带路径即索引内置报告）。")
        directory = self.root / version
        manifest = self.read_manifest(version)  # the same version: a writer may switch meanwhile
        if manifest is None:
            raise RagError(f"索引“{self.root}”的清单文件缺失或损坏：" + _REBUILD.format(root=self.root))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise RagError(f"索引“{self.root}”是旧格式（版本 {manifest.get('format_version')}，当前 {FORMAT_VERSION}）："
                           + _REBUILD.format(root=self.root))
        if embedder_name and manifest.get("embedder") != embedder_name:
            raise RagError(f"索引“{self.root}”由嵌入模型 {manifest.get('embedder')} 构建，而当前使用 {embedder_name}："
                           f"请改用原模型（--embedder），或" + _REBUILD.format(root=self.root))
        try:
            return self._read(directory, manifest)
        except (OSError, sqlite3.Error, RuntimeError, ValueError) as exc:
            raise RagError(f"索引“{self.root}”的文件缺失或损坏（{type(exc).__name__}）："
                           + _REBUILD.format(root=self.root)) from exc

    def _read(self, directory: Path, manifest: dict) -> Snapshot:
        import faiss

        with _connect(directory / "meta.sqlite") as db:
            rows = db.execute("SELECT doc_id, title, source, year, checksum, added_at, n_chunks, text "
                              "FROM documents ORDER BY added_at, doc_id").fetchall()
            docs = {row[0]: DocumentRecord(*row[:7]) for row in rows}
            texts = {row[0]: row[7] for row in rows}
            # Row by row, with each document id and section name held once: at a million chunks
            # a list of all rows plus duplicated names would double the memory of opening.
            shared: dict[str, str] = {}
            chunks = [Chunk(r[0], shared.setdefault(r[1], r[1]), docs[r[1]].title, shared.setdefault(r[2], r[2]), *r[3:])
                      for r in db.execute("SELECT chunk_id, doc_id, section, year, period, paragraph, start, end_, "
                                          "text FROM chunks ORDER BY position")]
        index = faiss.read_index(str(directory / "vectors.faiss"))
        _allow_reconstruct(index)
        snapshot = Snapshot(directory, manifest, docs, chunks, index, BM25Index([]), texts)
        bm25_dir = directory / "bm25"
        if manifest.get("tokenizer_version") != TOKENIZER_VERSION:
            # Written by another tokenizer (Python jieba before rjieba): questions must be tokenised
            # like the chunks, so the chunks are re-tokenised here; the next write saves the result.
            _log.warning("索引“%s”由旧版分词器构建，已在内存中重新分词；运行 `rag index --rebuild --index %s` "
                         "（或任意一次写入）后保存，下次打开更快。", self.root, self.root)
            snapshot._tokens = [tokenize(c.search_text, manifest.get("tokenizer", "jieba+bigram")) for c in chunks]
            snapshot.bm25 = BM25Index(snapshot._tokens)
        else:  # snapshots written before BM25 was saved with them rebuild it from the stored tokens
            snapshot.bm25 = BM25Index.load(bm25_dir) if bm25_dir.is_dir() else BM25Index(snapshot.tokens)
        if index.ntotal != len(chunks) or snapshot.bm25.size != len(chunks):
            raise RuntimeError("vector, BM25 and chunk counts differ")
        return snapshot

    # ---- writing ------------------------------------------------------------------------

    def read_documents(self) -> list:
        """The recorded documents, for `rag index --rebuild`."""
        return read_documents_any_version(self)

    def write_changes(self, current: Snapshot | None, manifest: dict, documents: list[tuple[DocumentRecord, str]],
                      chunks: list[Chunk], tokens: list[list[str]], vectors: np.ndarray,
                      drop: set[str] = frozenset()) -> None:
        """Apply a change to ``current``: its documents in ``drop`` go, the given ones come in.
        Call with ``lock()`` held. Here the whole collection is written as a new snapshot."""
        keep = [i for i, c in enumerate(current.chunks) if c.doc_id not in drop] if current else []
        kept_docs = [(r, current.document_text(d)) for d, r in current.documents.items() if d not in drop] \
            if current else []
        kept_vectors = current.vectors()[keep] if current else np.zeros((0, vectors.shape[1]), np.float32)
        self.write(manifest, kept_docs + documents,
                   ([current.chunks[i] for i in keep] if current else []) + chunks,
                   ([current.tokens[i] for i in keep] if current else []) + tokens,
                   np.vstack([kept_vectors, vectors]).astype(np.float32))

    def write(self, manifest: dict, documents: list[tuple[DocumentRecord, str]], chunks: list[Chunk],
              tokens: list[list[str]], vectors: np.ndarray) -> None:
        """Write a complete snapshot and switch to it atomically. Call with ``lock()`` held."""
        import faiss

        self.root.mkdir(parents=True, exist_ok=True)
        staging = self.root / f".tmp-{uuid.uuid4().hex[:12]}"
        staging.mkdir()
        try:
            np.save(staging / "vectors.npy", vectors)
            BM25Index(tokens).save(staging / "bm25")
            faiss.write_index(build_vector_index(vectors, manifest.get("index_type", "flat")),
                              str(staging / "vectors.faiss"))
            with _connect(staging / "meta.sqlite") as db:
                db.execute("CREATE TABLE documents (doc_id TEXT PRIMARY KEY, title TEXT, source TEXT, year INTEGER, "
                           "checksum TEXT, added_at TEXT, n_chunks INTEGER, text TEXT)")
                db.execute("CREATE TABLE chunks (position INTEGER PRIMARY KEY, chunk_id TEXT, doc_id TEXT, "
                           "section TEXT, year INTEGER, period INTEGER, paragraph INTEGER, start INTEGER, "
                           "end_ INTEGER, text TEXT, tokens TEXT)")
                db.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?)",
                               [(d.doc_id, d.title, d.source, d.year, d.checksum, d.added_at, d.n_chunks, text)
                                for d, text in documents])
                db.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                               [(i, c.chunk_id, c.doc_id, c.section, c.year, c.period, c.paragraph, c.start,
                                 c.end, c.text, json.dumps(t, ensure_ascii=False))
                                for i, (c, t) in enumerate(zip(chunks, tokens))])
            manifest = {**manifest, "format_version": FORMAT_VERSION, "n_chunks": len(chunks),
                        "documents": {d.doc_id: d.checksum for d, _ in documents},
                        "written_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
            (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            _fsync_tree(staging)
            version = self._next_version()
            final = self.root / version
            os.rename(staging, final)
            pointer_tmp = self.root / "CURRENT.tmp"
            with open(pointer_tmp, "w", encoding="utf-8") as fh:
                fh.write(version)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(pointer_tmp, self.pointer)  # the commit point
            _fsync_dir(self.root)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                raise RagError(f"磁盘空间不足，索引“{self.root}”保持原样未改动：请清理磁盘空间后重试。") from exc
            raise
        self._collect_garbage(keep=version)

    def _next_version(self) -> str:
        numbers = [int(p.name[1:]) for p in self.root.glob("v[0-9]*") if p.name[1:].isdigit()]
        return f"v{max(numbers, default=0) + 1:06d}"

    def _collect_garbage(self, keep: str) -> None:
        """Drop staging leftovers of crashed writers and all but the two newest snapshots
        (a reader that opened the previous one a moment ago can still finish)."""
        for leftover in self.root.glob(".tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        versions = sorted(p.name for p in self.root.glob("v[0-9]*") if p.is_dir())
        for old in versions[:-2]:
            if old != keep:
                shutil.rmtree(self.root / old, ignore_errors=True)


def _fsync_tree(directory: Path) -> None:
    for path in directory.iterdir():
        if path.is_dir():
            _fsync_tree(path)
            continue
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
    _fsync_dir(directory)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(str(directory), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_documents_any_version(store: IndexStore) -> list:
    """The documents recorded in the current snapshot, whatever its format or embedder: what a
    rebuild re-reads. Needs only the documents table, which every format version has."""
    from .documents import Document

    version = store.current_version()
    path = store.root / version / "meta.sqlite" if version else None
    if path is None or not path.is_file():
        raise RagError(f"索引“{store.root}”中没有可重建的文档记录：请用 `rag index 文件…` 重新添加报告。")
    try:
        with _connect(path) as db:
            rows = db.execute("SELECT doc_id, title, source, year, text FROM documents").fetchall()
    except sqlite3.Error as exc:
        raise RagError(f"索引“{store.root}”的文档记录已损坏（{exc}）：请删除该目录后用 `rag index 文件…` 重新添加。") from exc
    return [Document.from_text(text, title=title, source=source, year=year, doc_id=doc_id)
            for doc_id, title, source, year, text in rows]
