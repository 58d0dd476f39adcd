"""The Milvus store: a knowledge base as Milvus collections, searched on the server.

``uri`` is a local file (``kb.db``: Milvus Lite, embedded in this process, no server) or a server
(``http://host:19530``, token in ``$RAG_MILVUS_TOKEN``). Two collections per knowledge base:

* ``<name>``: one row per chunk: its metadata as scalar fields, the dense vector and two BM25
  sparse vectors that Milvus computes itself: ``sparse`` from our own tokens (jieba + bigrams,
  numbers whole: ``rag.lexical``), each written as a hash so that Milvus's plain ``standard``
  analyser keeps it whole, and ``sparse_jieba`` from the text by Milvus's jieba analyser (measured
  against each other in eval/RESULTS.md; ours is used). Dense search, BM25, document/year filters
  and year questions are all evaluated by Milvus, so nothing on the search path loops over the
  collection in Python.
* ``<name>_meta``: the manifest (the commit point), one record per document and the documents'
  texts in parts.

Writes never show half a document: every row carries the number (``gen``) of the write that put
it there, and readers only see rows whose ``gen`` the manifest has committed (and not retired).
A write inserts its rows under the next number and then replaces the manifest row, the one atomic
step; rows of a write that died before that are deleted by the next write, and rows of replaced
or removed documents one write later (a reader that opened the previous version can finish).
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .chunking import Chunk
from .errors import RagError
from .lexical import STOPWORDS, tokenize
from .retrieval import HybridRetriever, Hit
from .store import FORMAT_VERSION, DocumentRecord
from .years import YearTiers, asks_for_target, years_in_question

# Vector index per index type (manifest "index_type"): flat is exact, like the FAISS store's default.
VECTOR_INDEXES = {"flat": ("FLAT", {}, {}),
                  "hnsw": ("HNSW", {"M": 32, "efConstruction": 80}, {"ef": 64}),
                  "ivf": ("IVF_FLAT", {"nlist": 1024}, {"nprobe": 64})}
CHUNK_FIELDS = ["chunk_id", "doc_id", "title", "section", "year", "period", "paragraph", "start_pos", "end_pos", "text"]
TEXT_PART = 16000  # characters per row of a document's text (VARCHAR holds 65535 bytes)
_MENTIONED_YEAR = re.compile(r"(?=((?:19|20)\d{2}))")  # every "19xx"/"20xx" in a text, as YearTiers finds them
_clients: dict[str, object] = {}
_clients_lock = threading.Lock()


def is_lite(uri: str) -> bool:
    return not re.match(r"^[a-z]+://", uri)


def _connect(uri: str, token: str | None):
    """One client per URI and process (Milvus Lite lets only one process open a file)."""
    with _clients_lock:
        if uri not in _clients:
            from pymilvus import MilvusClient

            if is_lite(uri):
                Path(uri).parent.mkdir(parents=True, exist_ok=True)
            try:
                client = MilvusClient(uri=uri, token=token or "", timeout=5)
            except Exception as exc:  # pymilvus raises several types for "cannot connect"
                raise RagError(_unreachable(uri, exc)) from exc
            if not is_lite(uri):
                check_server(uri, client)  # before anything is embedded or created
            _clients[uri] = client
        return _clients[uri]


# Sparse vectors with BM25 functions, which the store's collection needs, came in Milvus 2.5.
MIN_SERVER = (2, 5)


def check_server(uri: str, client) -> None:
    """Refuse a Milvus server older than ``MIN_SERVER`` in one line that says what to do."""
    try:
        version = client.get_server_version()
    except Exception as exc:
        raise RagError(_unreachable(uri, exc)) from exc
    found = re.match(r"v?(\d+)\.(\d+)", str(version))
    if found and (int(found.group(1)), int(found.group(2))) < MIN_SERVER:
        raise RagError(f"Milvus 服务器“{uri}”的版本是 {version}，本程序需要 {'.'.join(map(str, MIN_SERVER))} 或更高"
                       "（需要稀疏向量与 BM25 函数）：请升级该服务器，或改用 Milvus Lite（--store kb.db）"
                       "或内置存储（--store faiss）。")


def _unreachable(uri: str, exc: Exception) -> str:
    if "DataDirLocked" in repr(exc) or "holds the lock" in str(exc) or (is_lite(uri) and "Open local milvus failed" in str(exc)):
        return (f"Milvus Lite 文件“{uri}”正被另一个进程使用（Milvus Lite 只允许一个进程打开）："
                "请通过正在运行的服务添加文档，或停止它后重试；多进程共用请改用 Milvus 服务器（http://主机:19530）。")
    return f"无法连接 Milvus“{uri}”（{type(exc).__name__}）：请确认服务已启动、地址和令牌（$RAG_MILVUS_TOKEN）正确。"


def collection_name(home: Path) -> str:
    """Milvus names allow [A-Za-z0-9_]: the knowledge base's folder name, made safe."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", Path(home).resolve().name).strip("_")
    return f"rag_{name or 'kb'}"


def hashed_tokens(tokens: list[str]) -> str:
    """Our tokens as one word each for any Milvus analyser: 12 hex digits of a hash (a token such
    as ``8.4万平方米`` would otherwise be split at the dot)."""
    return " ".join(hashlib.blake2b(t.encode("utf-8"), digest_size=6).hexdigest() for t in tokens)


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


class MilvusStore:
    """The same interface as ``rag.store.IndexStore``: exists, lock, read_manifest, load, write_changes."""

    backend = "milvus"

    def __init__(self, uri: str, home: str | Path, token: str | None = None, collection: str | None = None):
        self.uri = str(Path(uri).resolve()) if is_lite(uri) else uri
        self.home = Path(home)  # the knowledge base's folder: the writers' lock and the store record
        self.token = token
        self.collection = collection or collection_name(self.home)
        self.meta = f"{self.collection}_meta"

    @property
    def client(self):
        return _connect(self.uri, self.token)

    def _call(self, method: str, *args, **kwargs):
        """A pymilvus call whose failures become one clear error naming the store."""
        try:
            return getattr(self.client, method)(*args, **kwargs)
        except RagError:
            raise
        except Exception as exc:
            if type(exc).__name__ == "MilvusException" and getattr(exc, "code", None) not in (1, 2, 503):
                raise RagError(f"Milvus“{self.uri}”拒绝了请求（{exc}）：" + _REBUILD.format(home=self.home)) from exc
            raise RagError(_unreachable(self.uri, exc)) from exc

    def exists(self) -> bool:
        return self.read_manifest() is not None

    def lock(self, timeout: float = 600):
        from filelock import FileLock

        self.home.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.home / ".lock"), timeout=timeout)

    def empty(self, dim: int) -> "MilvusSnapshot":
        return MilvusSnapshot(self, {"dim": dim, "gen": 0, "floor": 0, "retired": [], "n_chunks": 0}, {})

    # ---- reading ------------------------------------------------------------------------

    def read_manifest(self) -> dict | None:
        if not self._call("has_collection", self.meta):
            return None
        self._call("load_collection", self.meta)
        rows = self._call("query", self.meta, ids=["manifest"], output_fields=["value"])
        return json.loads(rows[0]["value"]) if rows else None

    def current_version(self) -> str | None:
        manifest = self.read_manifest()
        return str(manifest["gen"]) if manifest else None

    def load(self, embedder_name: str | None = None) -> "MilvusSnapshot":
        manifest = self.read_manifest()
        if manifest is None:
            raise RagError(f"Milvus“{self.uri}”中还没有知识库“{self.collection}”：请先运行 `rag index --store {self.uri}`，"
                           f"或用 `rag migrate --to {self.uri}` 复制现有索引。")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise RagError(f"Milvus 知识库“{self.collection}”格式版本不符：" + _REBUILD.format(home=self.home))
        if embedder_name and manifest.get("embedder") != embedder_name:
            raise RagError(f"Milvus 知识库“{self.collection}”由嵌入模型 {manifest.get('embedder')} 构建，而当前使用 "
                           f"{embedder_name}：请改用原模型（--embedder），或" + _REBUILD.format(home=self.home))
        self._call("load_collection", self.collection)
        rows = self._document_rows(manifest)
        records = [DocumentRecord(**json.loads(r["value"])) for r in rows]
        documents = {d.doc_id: d for d in sorted(records, key=lambda d: (d.added_at, d.doc_id))}
        return MilvusSnapshot(self, manifest, documents, {r["doc_id"]: r["gen"] for r in rows})

    def _document_rows(self, manifest: dict) -> list[dict]:
        """The document records a manifest has committed (any number: query limits stop at 16384)."""
        iterator = self._call("query_iterator", self.meta, batch_size=1000, filter=f'kind == "doc" and {_visible(manifest)}',
                              output_fields=["doc_id", "gen", "value"])
        rows = []
        while page := iterator.next():
            rows += page
        iterator.close()
        return rows

    def read_documents(self) -> list:
        """The recorded documents, for `rag index --rebuild`."""
        from .documents import Document

        snapshot = self.load()
        return [Document.from_text(snapshot.document_text(d.doc_id), title=d.title, source=d.source, year=d.year,
                                   doc_id=d.doc_id) for d in snapshot.documents.values()]

    # ---- writing ------------------------------------------------------------------------

    def write_changes(self, current, manifest: dict, documents: list[tuple[DocumentRecord, str]],
                      chunks: list[Chunk], tokens: list[list[str]], vectors: np.ndarray,
                      drop: set[str] = frozenset()) -> None:
        """Insert the new documents' rows under the next write number, then commit by replacing
        the manifest row. ``current=None`` replaces the whole knowledge base (rebuild, migrate).
        Call with ``lock()`` held."""
        previous = self.read_manifest()
        if previous is None:
            try:
                self._create(manifest["dim"], manifest.get("index_type", "flat"))
            except Exception:
                self._drop_quietly()  # all or nothing: a failed creation leaves no half-built collection
                raise
            previous = {"gen": 0, "floor": 0, "retired": [], "n_chunks": 0, "documents": {}}
        self._clean_up(previous)
        gen = previous["gen"] + 1
        visible_docs = {r["doc_id"]: r["gen"] for r in self._document_rows(previous)} if previous["gen"] else {}
        retired = [] if current is None else [[d, g] for d, g in visible_docs.items() if d in drop]
        base = 0 if current is None else current.size - sum(current.documents[d].n_chunks for d in drop
                                                             if d in current.documents)
        rows = [self._chunk_row(gen, c, t, v) for c, t, v in zip(chunks, tokens, vectors)]
        for i in range(0, len(rows), 1000):
            self._call("insert", self.collection, rows[i:i + 1000])
        meta_rows = []
        for record, text in documents:
            meta_rows.append(self._meta_row(f"doc:{gen}:{record.doc_id}", "doc", record.doc_id, gen, 0,
                                            json.dumps(record.__dict__, ensure_ascii=False)))
            for part in range(0, max(1, len(text)), TEXT_PART):
                meta_rows.append(self._meta_row(f"text:{gen}:{record.doc_id}:{part}", "text", record.doc_id, gen,
                                                part, text[part:part + TEXT_PART]))
        if meta_rows:
            self._call("insert", self.meta, meta_rows)
        self._call("flush", self.collection)
        self._call("flush", self.meta)
        manifest = {**manifest, "format_version": FORMAT_VERSION, "gen": gen,
                    "floor": gen if current is None else previous.get("floor", 0), "retired": retired,
                    "n_chunks": base + len(chunks), "written_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
        self._call("upsert", self.meta, [self._meta_row("manifest", "manifest", "", 0, 0,
                                                         json.dumps(manifest, ensure_ascii=False))])  # the commit
        self._call("flush", self.meta)

    def _clean_up(self, manifest: dict) -> None:
        """Delete rows no reader can see any more: of a write that died before its commit
        (gen above the manifest's), of documents retired by the previous write, and below the floor."""
        hidden = [f"gen > {manifest['gen']}", f"gen < {manifest.get('floor', 0)}"]
        hidden += [f"(doc_id == {_quote(d)} and gen == {g})" for d, g in manifest.get("retired", [])]
        expression = " or ".join(hidden)
        self._call("delete", self.collection, filter=expression)
        self._call("delete", self.meta, filter=f'kind != "manifest" and ({expression})')

    def _chunk_row(self, gen: int, c: Chunk, tokens: list[str], vector: np.ndarray) -> dict:
        return {"pk": f"{gen}:{c.chunk_id}", "gen": gen, "chunk_id": c.chunk_id, "doc_id": c.doc_id,
                "title": c.title, "section": c.section, "year": -1 if c.year is None else c.year,
                "period": -1 if c.period is None else c.period, "paragraph": c.paragraph,
                "start_pos": c.start, "end_pos": c.end, "text": c.text, "search_text": c.search_text,
                "lexical_text": hashed_tokens(tokens),
                "mentioned_years": "".join(f" {y} " for y in sorted(set(_MENTIONED_YEAR.findall(c.text)))),
                "vector": np.asarray(vector, dtype=np.float32).tolist()}

    @staticmethod
    def _meta_row(pk: str, kind: str, doc_id: str, gen: int, part: int, value: str) -> dict:
        return {"pk": pk, "kind": kind, "doc_id": doc_id, "gen": gen, "part": part, "value": value, "vector": [0.0, 0.0]}

    def _create(self, dim: int, index_type: str) -> None:
        from pymilvus import DataType, Function, FunctionType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("pk", DataType.VARCHAR, is_primary=True, max_length=512)
        schema.add_field("gen", DataType.INT64)
        for name in ("chunk_id", "doc_id"):
            schema.add_field(name, DataType.VARCHAR, max_length=512)
        schema.add_field("title", DataType.VARCHAR, max_length=4096)
        schema.add_field("section", DataType.VARCHAR, max_length=8192)
        for name in ("year", "period", "paragraph", "start_pos", "end_pos"):
            schema.add_field(name, DataType.INT64)
        schema.add_field("text", DataType.VARCHAR, max_length=65535)
        # Milvus tokenises this field itself (jieba, our stop words) for its BM25 function.
        schema.add_field("search_text", DataType.VARCHAR, max_length=65535, enable_analyzer=True,
                         analyzer_params={"tokenizer": "jieba",
                                          "filter": [{"type": "stop", "stop_words": sorted(STOPWORDS)}]})
        schema.add_field("lexical_text", DataType.VARCHAR, max_length=65535, enable_analyzer=True,
                         analyzer_params={"tokenizer": "standard"})
        # " 2018  2019 ": matched with LIKE, which Milvus Lite evaluates column-wise (pyarrow) where
        # ARRAY_CONTAINS and TEXT_MATCH go row by row in Python (10-100 times slower).
        schema.add_field("mentioned_years", DataType.VARCHAR, max_length=4096)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("sparse_jieba", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                     input_field_names=["lexical_text"], output_field_names=["sparse"]))
        schema.add_function(Function(name="bm25_jieba", function_type=FunctionType.BM25,
                                     input_field_names=["search_text"], output_field_names=["sparse_jieba"]))
        kind, params, _ = VECTOR_INDEXES.get(index_type, VECTOR_INDEXES["flat"])
        indexes = self.client.prepare_index_params()
        indexes.add_index("vector", index_type=kind, metric_type="IP", params=params)
        indexes.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        indexes.add_index("sparse_jieba", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        self._call("create_collection", self.collection, schema=schema, index_params=indexes,
                   consistency_level="Strong")

        meta = self.client.create_schema(auto_id=False)
        meta.add_field("pk", DataType.VARCHAR, is_primary=True, max_length=1024)
        meta.add_field("kind", DataType.VARCHAR, max_length=16)
        meta.add_field("doc_id", DataType.VARCHAR, max_length=512)
        meta.add_field("gen", DataType.INT64)
        meta.add_field("part", DataType.INT64)
        meta.add_field("value", DataType.VARCHAR, max_length=65535)
        meta.add_field("vector", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector field in every collection
        meta_indexes = self.client.prepare_index_params()
        meta_indexes.add_index("vector", index_type="FLAT", metric_type="L2")
        self._call("create_collection", self.meta, schema=meta, index_params=meta_indexes, consistency_level="Strong")

    def drop(self) -> None:
        for name in (self.collection, self.meta):
            self._call("drop_collection", name)

    def _drop_quietly(self) -> None:
        for name in (self.collection, self.meta):
            try:
                if self.client.has_collection(name):
                    self.client.drop_collection(name)
            except Exception:  # the creation's own error is the one to report
                pass


_REBUILD = "请运行 `rag index --rebuild --index {home}` 重建（会重新读取已记录的原文）。"


def _visible(manifest: dict) -> str:
    """The filter expression of the rows a manifest has committed."""
    expression = f"gen >= {manifest.get('floor', 0)} and gen <= {manifest['gen']}"
    for doc_id, gen in manifest.get("retired", []):
        expression += f" and not (doc_id == {_quote(doc_id)} and gen == {gen})"
    return expression


@dataclass
class MilvusSnapshot:
    """One committed version of a Milvus knowledge base: its manifest fixes what readers see."""
    store: MilvusStore
    manifest: dict
    documents: dict[str, DocumentRecord]
    gens: dict[str, int] = field(default_factory=dict)  # doc_id -> the write that added its rows
    _texts: dict[str, str] = field(default_factory=dict, repr=False)
    _idf: "StoreIdf | None" = field(default=None, repr=False)
    directory = None

    @property
    def version(self) -> str:
        return str(self.manifest["gen"])

    @property
    def size(self) -> int:
        return self.manifest["n_chunks"]

    @property
    def visible(self) -> str:
        return _visible(self.manifest)

    def document_text(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            gen = self.gens.get(doc_id)
            rows = self.store._call("query", self.store.meta, filter=f'kind == "text" and doc_id == {_quote(doc_id)} '
                                    f'and gen == {gen}', output_fields=["part", "value"], limit=16384) if gen else []
            self._texts[doc_id] = "".join(r["value"] for r in sorted(rows, key=lambda r: r["part"]))
        return self._texts[doc_id]

    def where(self, doc_ids: list[str] | None, years: list[int] | None) -> str:
        expression = self.visible
        if doc_ids:
            expression += f" and doc_id in {json.dumps(list(doc_ids), ensure_ascii=False)}"
        if years:
            expression += f" and year in {json.dumps([int(y) for y in years])}"
        return expression

    def count(self, expression: str) -> int:
        rows = self.store._call("query", self.store.collection, filter=expression, output_fields=["count(*)"])
        return int(rows[0]["count(*)"])

    def any(self, expression: str) -> bool:
        return bool(self.store._call("query", self.store.collection, filter=expression, output_fields=["pk"], limit=1))

    def idf(self) -> "StoreIdf":
        """One table per snapshot, so each word is counted by Milvus once (retriever and answerer)."""
        if self._idf is None:
            self._idf = StoreIdf(self)
        return self._idf

    def retriever(self, embedder, settings, tokenizer: str):
        """Hybrid search done by Milvus (dense and BM25 in the collection)."""
        return MilvusRetriever(self, embedder, settings, tokenizer)

    def figures(self):
        """The figure records of this snapshot (``rag.figures``), built once on first use."""
        from .figures import FigureTable

        if "figures" not in self.__dict__.setdefault("_cache", {}):
            chunks = [c for doc_id in self.documents for c in sorted(self.document_chunks(doc_id), key=lambda c: c.start)]
            self._cache["figures"] = FigureTable.from_chunks(chunks, self.document_text)
        return self._cache["figures"]

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        rows = self.store._call("query", self.store.collection, filter=f"doc_id == {_quote(doc_id)} and {self.visible}",
                                output_fields=CHUNK_FIELDS, limit=16384)
        return [_chunk(r) for r in rows]

    def chunk_vectors(self, doc_id: str) -> tuple[list[Chunk], np.ndarray]:
        """A document's chunks and their stored vectors (float32, one row per chunk, in the
        document's order): what re-indexing reuses (``rag.reuse``)."""
        rows = self.store._call("query", self.store.collection, filter=f"doc_id == {_quote(doc_id)} and {self.visible}",
                                output_fields=CHUNK_FIELDS + ["vector"], limit=16384)
        rows.sort(key=lambda r: (r["start_pos"], r["chunk_id"]))
        return [_chunk(r) for r in rows], np.array([r["vector"] for r in rows], dtype=np.float32).reshape(
            len(rows), self.manifest["dim"])

    def export(self, batch: int = 2000):
        """Like ``Snapshot.export``: documents, then chunks with tokens and vectors, in batches."""
        yield "documents", [(d, self.document_text(d.doc_id)) for d in self.documents.values()]
        client = self.store.client
        iterator = client.query_iterator(self.store.collection, batch_size=batch, filter=self.visible,
                                         output_fields=CHUNK_FIELDS + ["vector"])
        order = {d: n for n, d in enumerate(self.documents)}
        rows = []
        while page := iterator.next():
            rows += page
        iterator.close()
        rows.sort(key=lambda r: (order.get(r["doc_id"], len(order)), r["start_pos"], r["chunk_id"]))
        for i in range(0, len(rows), batch):
            part = rows[i:i + batch]
            chunks = [_chunk(r) for r in part]
            yield ("chunks", chunks, [tokenize(c.search_text, self.manifest.get("tokenizer", "jieba+bigram"))
                                      for c in chunks], np.array([r["vector"] for r in part], dtype=np.float32))


def _chunk(row: dict) -> Chunk:
    return Chunk(row["chunk_id"], row["doc_id"], row["title"], row["section"],
                 None if row["year"] < 0 else row["year"], None if row["period"] < 0 else row["period"],
                 row["paragraph"], row["start_pos"], row["end_pos"], row["text"])


class StoreIdf(Mapping):
    """BM25 idf of a token, from its document frequency counted by Milvus when the answerer first
    asks about it, instead of a table built by scanning every chunk's tokens."""

    RAREST = "\u0000rarest"  # not a token: the idf of a token in one chunk, the table's largest value

    def __init__(self, snapshot: MilvusSnapshot):
        self._snapshot = snapshot
        n = snapshot.size
        self._idf: dict[str, float | None] = {self.RAREST: math.log(1 + (n - 0.5) / 1.5)} if n else {}
        self._lock = threading.Lock()

    def __getitem__(self, token: str) -> float:
        with self._lock:
            if token not in self._idf:
                n = self._snapshot.size
                df = self._snapshot.count(f'lexical_text like "%{hashed_tokens([token])}%" and '
                                          f"{self._snapshot.visible}") if n and token else 0
                self._idf[token] = max(0.05, math.log(1 + (n - df + 0.5) / (df + 0.5))) if df else None
            value = self._idf[token]
        if value is None:
            raise KeyError(token)
        return value

    def __iter__(self):
        return iter(t for t, v in dict(self._idf).items() if v is not None)

    def __len__(self) -> int:
        return sum(v is not None for v in self._idf.values())


class MilvusRetriever(HybridRetriever):
    """Hybrid search on the server: Milvus ranks dense and BM25 candidates under filter
    expressions; this class only fuses the two short candidate lists (the shared fusion of
    ``HybridRetriever``) or lets Milvus's RRF ranker fuse them."""

    lexical_field = "sparse"  # BM25 over our tokens; "sparse_jieba": over Milvus's jieba analyser

    def search(self, query: str, k: int = 5, doc_ids: list[str] | None = None,
               years: list[int] | None = None, mode: str | None = None) -> list[Hit]:
        snapshot: MilvusSnapshot = self.snapshot
        if not snapshot.size or not query.strip():
            return []
        mode = self._mode(mode)
        where = snapshot.where(doc_ids, years)
        asked = years_in_question(query) if self.settings.year_aware else []
        if asked:
            # Search where the year is first (tiers 0 and 1 of rag.years); everything if nothing is there.
            about = f"{where} and {_about_years(asked)}"
            if snapshot.any(about):
                where = about
        n = max(self.settings.candidates, k)
        rows: dict[str, dict] = {}
        dense, lexical = {}, {}
        if mode == "hybrid" and self.settings.fusion == "rrf":
            fused = self._milvus_rrf(query, where, n, rows)  # Milvus's ranker: the same formula as ours
        else:
            lexical = self._lexical(query, where, n, rows) if mode != "dense" else {}
            dense = self._dense_milvus(query, where, n, rows) if mode != "bm25" else {}
            fused = self._fuse(dense, lexical)
        fused = self._with_tiers(fused, self._tiers(asked, query, rows) if asked else None)
        best = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        return [self._hit(rank, _chunk(rows[i]), fused[i], dense.get(i, 0.0), lexical.get(i, 0.0))
                for rank, i in enumerate(best, 1)]

    def _tiers(self, asked: list[int], query: str, rows: dict[str, dict]) -> dict[str, int]:
        keys = list(rows)
        tiers = YearTiers([_chunk(rows[key]) for key in keys]).tiers(asked, asks_for_target(query))
        return dict(zip(keys, tiers.tolist()))

    def _search(self, data, field: str, params: dict, where: str, n: int, rows: dict) -> dict[str, float]:
        store = self.snapshot.store
        results = store._call("search", store.collection, data=data, anns_field=field, limit=n, filter=where,
                              search_params=params, output_fields=CHUNK_FIELDS)
        found = {}
        for hit in results[0]:
            rows[hit["pk"]] = hit["entity"]
            found[hit["pk"]] = float(hit["distance"])
        return found

    def _dense_milvus(self, query: str, where: str, n: int, rows: dict) -> dict[str, float]:
        vector = self.embedder.embed_queries([query])[0].tolist()
        return self._search([vector], "vector", self._vector_params(), where, n, rows)

    def _vector_params(self) -> dict:
        return {"metric_type": "IP", "params": VECTOR_INDEXES.get(self.snapshot.manifest.get("index_type", "flat"),
                                                                  VECTOR_INDEXES["flat"])[2]}

    def _lexical_query(self, query: str) -> str:
        if self.lexical_field == "sparse_jieba":
            return query
        return hashed_tokens(self._lexical_tokens(query))

    def _vocabulary(self):
        return self.snapshot.idf()  # Milvus counts each word asked about

    def _lexical(self, query: str, where: str, n: int, rows: dict) -> dict[str, float]:
        text = self._lexical_query(query)
        if not text.strip():
            return {}
        # Milvus Lite reports BM25 scores negated (most negative first), a server positive: use the size.
        found = self._search([text], self.lexical_field, {"metric_type": "BM25"}, where, n, rows)
        return {key: abs(score) for key, score in found.items() if score}

    def _milvus_rrf(self, query: str, where: str, n: int, rows: dict) -> dict[str, float]:
        from pymilvus import AnnSearchRequest, RRFRanker

        store = self.snapshot.store
        vector = self.embedder.embed_queries([query])[0].tolist()
        requests = [AnnSearchRequest([vector], "vector", self._vector_params(), n, expr=where),
                    AnnSearchRequest([self._lexical_query(query) or query], self.lexical_field,
                                     {"metric_type": "BM25"}, n, expr=where)]
        results = store._call("hybrid_search", store.collection, requests, RRFRanker(self.settings.rrf_k), limit=n,
                              output_fields=CHUNK_FIELDS)
        fused = {}
        for hit in results[0]:
            rows[hit["pk"]] = hit["entity"]
            fused[hit["pk"]] = float(hit["distance"])
        return fused


def _about_years(years: list[int]) -> str:
    """Chunks of tier 0 or 1 for these years (``rag.years.YearTiers``) as a filter expression."""
    reports = sorted({y for y in years} | {y + 1 for y in years})
    return (f"(period in {json.dumps(years)} or year == -1 or year in {json.dumps(reports)}"
            + "".join(f' or mentioned_years like "% {y} %"' for y in years) + ")")
