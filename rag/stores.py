"""Which store holds a knowledge base, and the retriever that searches it.

A knowledge base is a folder (``--index``, default ``index/``). Its chunks live in the embedded
FAISS store inside that folder (the default) or in Milvus: ``--store kb.db`` (Milvus Lite, a local
file, no server) or ``--store http://host:19530`` (a Milvus server). The choice is remembered in
the folder's ``STORE`` file, so later commands find the knowledge base with ``--index`` alone.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Protocol

from .errors import RagError
from .lexical import TOKENIZER_VERSION
from .store import IndexStore

EMBEDDED = "faiss"
_RECORD = "STORE"


def recorded_store(index_dir: str | Path) -> str | None:
    try:
        return json.loads((Path(index_dir) / _RECORD).read_text(encoding="utf-8"))["store"]
    except (OSError, ValueError, KeyError):
        return None


def record_store(index_dir: str | Path, uri: str) -> None:
    path = Path(index_dir) / _RECORD
    if recorded_store(index_dir) == uri:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"store": uri}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def store_uri(config) -> str:
    """``--store`` / ``$RAG_STORE`` / ``Config.store``, else what the knowledge base recorded, else faiss."""
    return config.store or recorded_store(config.index_dir) or EMBEDDED


def open_store(config, uri: str | None = None):
    """The store of ``config``'s knowledge base (or the one at ``uri``)."""
    uri = uri or store_uri(config)
    if uri == EMBEDDED:
        return IndexStore(config.index_dir)
    if not (uri.endswith(".db") or uri.startswith(("http://", "https://", "tcp://", "grpc://"))):
        raise RagError(f"无法识别的存储“{uri}”：可选 faiss（内置，默认）、Milvus Lite 文件（如 kb.db）"
                       "或 Milvus 服务器地址（如 http://localhost:19530）。")
    from .milvus_store import MilvusStore

    return MilvusStore(uri, config.index_dir, token=os.environ.get("RAG_MILVUS_TOKEN"))


class SnapshotContract(Protocol):
    """What every store's snapshot gives the layers above it (FAISS ``rag.store.Snapshot``,
    Milvus ``rag.milvus_store.MilvusSnapshot``); nothing above the store knows which it has."""

    manifest: dict
    documents: dict

    @property
    def version(self) -> str | None: ...

    @property
    def size(self) -> int: ...

    def document_text(self, doc_id: str) -> str: ...

    def document_chunks(self, doc_id: str) -> list: ...

    def chunk_vectors(self, doc_id: str) -> tuple: ...  # (chunks, float32 vectors) for reuse

    def idf(self): ...

    def figures(self): ...

    def retriever(self, embedder, settings, tokenizer: str): ...


class StoreContract(Protocol):
    """What every store does: open, write (add, remove, rebuild, migrate go through write_changes),
    lock, and export for a copy to another store."""

    uri: str

    def exists(self) -> bool: ...

    def load(self, embedder_name: str | None = None) -> SnapshotContract: ...

    def empty(self, dim: int) -> SnapshotContract: ...

    def write_changes(self, current, manifest: dict, documents, chunks, tokens, vectors, drop=frozenset()) -> None: ...

    def read_manifest(self) -> dict | None: ...

    def lock(self, timeout: float = 600): ...


def make_retriever(snapshot: SnapshotContract, embedder, settings, tokenizer: str):
    """The retriever of a snapshot: each store's snapshot makes its own."""
    return snapshot.retriever(embedder, settings, tokenizer)


def migrate(config, to: str) -> tuple[str, int, int]:
    """Copy the knowledge base into the store at ``to`` and make it the knowledge base's store.
    Returns (source uri, documents, chunks)."""
    source, target = open_store(config), open_store(config, to)
    if source.uri == target.uri:
        raise RagError(f"知识库已在“{target.uri}”中，无需迁移。")
    with source.lock(config.lock_timeout):  # both stores share the folder's writer lock
        documents, chunks = copy_knowledge_base(source, target, config.index_type)
        record_store(config.index_dir, EMBEDDED if to == EMBEDDED else target.uri)
    return source.uri, documents, chunks


def copy_knowledge_base(source, target, index_type: str | None = None) -> tuple[int, int]:
    """Write everything ``source`` holds into ``target`` as it is: vectors, chunks, tokens and
    document texts (no file is read, nothing is embedded again). Returns (documents, chunks)."""
    import numpy as np

    snapshot = source.load()
    documents, chunks, tokens, vectors = [], [], [], []
    for part in snapshot.export():
        if part[0] == "documents":
            documents = part[1]
        else:
            chunks += part[1]
            tokens += part[2]
            vectors.append(part[3])
    manifest = {key: snapshot.manifest[key] for key in ("embedder", "dim", "index_type", "chunker", "tokenizer",
                                                         "embedded_text", "versions")
                if key in snapshot.manifest}
    manifest["tokenizer_version"] = TOKENIZER_VERSION  # export gives tokens of today's tokenizer
    if index_type:
        manifest["index_type"] = index_type
    target.write_changes(None, manifest, documents, chunks, tokens,
                         np.vstack(vectors) if vectors else np.zeros((0, manifest["dim"]), np.float32))
    return len(documents), len(chunks)
