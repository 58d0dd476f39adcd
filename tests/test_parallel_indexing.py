"""Indexing with one-thread worker processes (rag.embed_pool) and on a local Ray cluster
(rag.ray_ingest): the same vectors and the same answers as indexing in this process."""
from __future__ import annotations

import numpy as np
import pytest

import rag.indexing
from rag import Assistant
from rag.errors import RagError
from rag.embed_pool import WorkerPool
from tests.test_store_contract import QUESTIONS, write_reports

PASSAGES = ["城镇新增就业1244万人。", "粮食产量6.95亿吨，创历史新高。", "新增城市绿地8.4万平方米。",
            "居民消费价格上涨0.2%。", "国内生产总值增长5.2%。"] * 7


def _vectors(assistant):
    return {c.chunk_id: v for d in assistant.documents() for c, v in zip(*assistant.snapshot.chunk_vectors(d.doc_id))}


def _same_knowledge_base(got, expected):
    assert sorted(d.doc_id for d in got.documents()) == sorted(d.doc_id for d in expected.documents())
    mine, theirs = _vectors(got), _vectors(expected)
    assert mine.keys() == theirs.keys() and all(np.allclose(mine[k], theirs[k], atol=1e-5) for k in mine)
    for question in QUESTIONS:
        assert [h.chunk_id for h in got.search(question, k=5)] == [h.chunk_id for h in expected.search(question, k=5)]
        assert got.ask(question).text == expected.ask(question).text


@pytest.fixture(scope="module")
def local(tmp_path_factory, embedder):
    """The reports indexed in this process (the reference)."""
    where = tmp_path_factory.mktemp("local")
    assistant = Assistant.load(where / "kb", embedder=embedder, build_if_missing=False, embed_workers=0)
    assistant.add_documents(write_reports(where / "docs"))
    return assistant


def test_worker_processes_embed_like_this_process(embedder):
    with WorkerPool(embedder.name, 2) as pool:
        parts = list(pool.embed_batches([PASSAGES[i:i + 4] for i in range(0, len(PASSAGES), 4)]))
    assert [len(p) for p in parts] == [4] * 8 + [3]
    assert np.allclose(np.vstack(parts), embedder.embed_passages(PASSAGES), atol=1e-5)
    with pytest.raises(RagError, match="至少为 1"):
        WorkerPool(embedder.name, 0)


def test_indexing_with_workers_answers_like_indexing_here(local, tmp_path, embedder, monkeypatch):
    monkeypatch.setattr(rag.indexing, "WORKER_MIN_CHUNKS", 1)  # these reports are small: use the workers anyway
    assistant = Assistant.load(tmp_path / "kb", embedder=embedder, build_if_missing=False, embed_workers=2)
    assert [r.status for r in assistant.add_documents(write_reports(tmp_path / "docs"))] == ["added"] * 3
    _same_knowledge_base(assistant, local)


@pytest.fixture(scope="module")
def ray_cluster():
    ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'rag[ray]' (scripts/setup.sh --test)")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.mark.parametrize("store", ["faiss", "milvus-lite"])
def test_indexing_on_ray_answers_like_indexing_here(ray_cluster, local, tmp_path, embedder, store):
    uri = "faiss" if store == "faiss" else str(tmp_path / "kb.db")
    paths = write_reports(tmp_path / "docs")
    broken = tmp_path / "docs" / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot a pdf")
    assistant = Assistant.load(tmp_path / "kb", embedder=embedder, build_if_missing=False, store=uri, ray="local",
                               embed_workers=2)
    results = assistant.add_documents(paths + [broken])
    assert [r.status for r in results] == ["added"] * 3 + ["error"] and "broken.pdf" in results[3].error
    _same_knowledge_base(assistant, local)
    if store != "faiss":
        import rag.milvus_store

        rag.milvus_store._clients.pop(assistant._indexer.store.uri).close()
