"""The Milvus store on a real Milvus engine: Milvus Lite (a local file, in this process) by
default, a Milvus server when RAG_TEST_MILVUS_URI is set (e.g. http://127.0.0.1:19530)."""
import json
import os
import socket
import subprocess
import sys
import uuid

import pytest

import rag.milvus_store
from rag import Assistant
from rag.lexical import idf_table
from rag.config import Config
from rag.errors import RagError
from rag.milvus_store import MilvusStore
from rag.stores import open_store, recorded_store
from tests.conftest import report_text, write_reports

SERVER = os.environ.get("RAG_TEST_MILVUS_URI")
REPORTS = [(2022, "城镇新增就业1269万人。", "城镇新增就业1100万人以上。"),
           (2023, "城镇新增就业1206万人。", "城镇新增就业1200万人左右。"),
           (2024, "城镇新增就业1244万人。", "城镇新增就业1200万人以上。")]


@pytest.fixture
def kb(tmp_path):
    """A knowledge-base folder and a Milvus URI of its own; its collections are dropped afterwards."""
    home = tmp_path / f"kb_{uuid.uuid4().hex[:8]}"
    uri = SERVER or str(tmp_path / "milvus" / "kb.db")
    yield home, uri
    store = MilvusStore(uri, home)
    if SERVER:
        store.drop()
    client = rag.milvus_store._clients.pop(store.uri, None)
    if client is not None:
        client.close()


def _reports(directory, years=REPORTS):
    return write_reports(directory, years)


@pytest.fixture
def three_years(kb, tmp_path, embedder):
    home, uri = kb
    assistant = Assistant.load(home, embedder=embedder, store=uri, build_if_missing=False)
    assistant.add_documents(_reports(tmp_path / "docs"))
    return assistant


def test_index_and_search_the_bundled_report(kb, embedder, bundled):
    home, uri = kb
    milvus = Assistant.load(home, embedder=embedder, store=uri)  # built from the bundled report
    assert type(milvus.snapshot).__name__ == "MilvusSnapshot"
    assert milvus.snapshot.size == bundled.snapshot.size and len(milvus.documents()) == 1
    # Exact dense search is the same search on both stores: same chunks, same order.
    question = "城里添了多少绿地"
    assert [h.chunk_id for h in milvus.search(question, k=5, mode="dense")] == \
        [h.chunk_id for h in bundled.search(question, k=5, mode="dense")]
    # BM25 runs in Milvus on our own tokens: the same ranking as the FAISS store's bm25s.
    for question in ["新增城市绿地", "8.4万平方米", "2023年城镇新增就业多少", "盘活国有资产"]:
        assert [h.chunk_id for h in milvus.search(question, k=3, mode="bm25")] == \
            [h.chunk_id for h in bundled.search(question, k=3, mode="bm25")], question
    top = milvus.search("新增城市绿地", k=3)[0]
    assert "8.4万平方米" in top.text and top.year == 2024
    assert milvus.snapshot.document_text(top.doc_id)[top.start:top.end] == top.text
    answer = milvus.ask("2023年新增城市绿地多少？")
    assert answer.answered and "8.4万平方米" in answer.text
    # The answerer reads idf and sections from Milvus: the same answers as from the FAISS store.
    for question in ["2023年生产粮食和蔬菜分别多少？", "城镇新增就业多少人？", "今年的主要预期目标有哪些？", "GDP增长多少？"]:
        got, expected = milvus.ask(question), bundled.ask(question)
        assert (got.text, got.answered, got.citations) == (expected.text, expected.answered, expected.citations)


def test_the_knowledge_base_remembers_its_store(kb, embedder, tmp_path):
    home, uri = kb
    Assistant.load(home, embedder=embedder, store=uri, build_if_missing=False).add_documents(
        _reports(tmp_path / "docs")[:1])
    assert recorded_store(home) == MilvusStore(uri, home).uri
    reopened = Assistant.load(home, embedder=embedder)  # no --store: the recorded one
    assert type(reopened.snapshot).__name__ == "MilvusSnapshot" and len(reopened.documents()) == 1


def test_year_questions_and_filters_are_milvus_expressions(three_years):
    top = three_years.search("2023年城镇新增就业多少？", k=3)[0]
    assert "1244万人" in top.text and top.year == 2024  # the 2024 report reviews 2023
    top = three_years.search("2024年城镇新增就业的预期目标是多少？", k=3)[0]
    assert "1200万人以上" in top.text and top.year == 2024
    doc_2022 = next(d.doc_id for d in three_years.documents() if d.year == 2022)
    assert {h.doc_id for h in three_years.search("城镇新增就业", k=10, doc_ids=[doc_2022])} == {doc_2022}
    assert {h.year for h in three_years.search("城镇新增就业", k=10, years=[2023])} == {2023}
    assert three_years.search("城镇新增就业", k=10, years=[1999]) == []


def test_milvus_rrf_ranker_and_weighted_fusion(three_years):
    from rag.retrieval import SearchSettings
    from rag.stores import make_retriever

    snapshot = three_years.snapshot
    for fusion in ("rrf", "weighted"):
        retriever = make_retriever(snapshot, three_years.embedder, SearchSettings(fusion=fusion), "jieba+bigram")
        hits = retriever.search("2022年城镇新增就业多少", k=3)
        assert "1206万人" in hits[0].text, fusion
        assert [h.rank for h in hits] == [1, 2, 3] and hits[0].score >= hits[1].score >= hits[2].score


def test_add_update_and_remove(three_years, tmp_path):
    before = {d.doc_id for d in three_years.documents()}
    doc_2023 = next(d.doc_id for d in three_years.documents() if d.year == 2023)
    # Re-indexing a changed file replaces the document: the old text is no longer found.
    path = tmp_path / "docs" / "2023年政府工作报告.txt"
    path.write_text(report_text(2023, "城镇新增就业1207万人。", "城镇新增就业1200万人左右。"), encoding="utf-8")
    assert three_years.add_documents([path], replace=True)[0].status == "updated"
    texts = [h.text for h in three_years.search("城镇新增就业", k=10)]
    assert any("1207万人" in t for t in texts) and not any("1206万人" in t for t in texts)
    assert three_years.snapshot.size == sum(d.n_chunks for d in three_years.documents())
    three_years.remove_document(doc_2023)
    assert {d.doc_id for d in three_years.documents()} == before - {doc_2023}
    assert all(h.doc_id != doc_2023 for h in three_years.search("城镇新增就业", k=10))
    # Rows of replaced and removed documents are deleted by the next write.
    three_years.add_documents(_reports(tmp_path / "more", [(2025, "城镇新增就业1256万人。", "城镇新增就业1200万人左右。")]))
    snapshot = three_years.snapshot
    assert snapshot.count("gen >= 0") == snapshot.size


def test_an_interrupted_write_is_invisible_and_cleaned_up(three_years, tmp_path, monkeypatch):
    store = three_years._indexer.store
    real_call = MilvusStore._call

    def die_before_commit(self, method, *args, **kwargs):
        if method == "upsert":  # the manifest row: the commit point
            raise KeyboardInterrupt("killed")
        return real_call(self, method, *args, **kwargs)

    new = _reports(tmp_path / "new", [(2025, "城镇新增就业1256万人。", "城镇新增就业1200万人左右。")])
    with monkeypatch.context() as m:
        m.setattr(MilvusStore, "_call", die_before_commit)
        with pytest.raises(KeyboardInterrupt):
            three_years.add_documents(new)
    snapshot = store.load(three_years.embedder.name)
    assert snapshot.count("gen >= 0") > snapshot.size  # the dead write's rows are there ...
    reopened = Assistant.load(three_years.config.index_dir, embedder=three_years.embedder)
    assert len(reopened.documents()) == 3  # ... but no reader sees them
    assert not any("1256万人" in h.text for h in reopened.search("城镇新增就业", k=10))
    reopened.add_documents(new)  # the next write deletes them and writes the document whole
    snapshot = reopened.snapshot
    assert snapshot.count("gen >= 0") == snapshot.size == sum(d.n_chunks for d in reopened.documents())
    assert "1256万人" in reopened.search("2024年城镇新增就业多少", k=1)[0].text


def test_idf_comes_from_the_store(three_years, tmp_path, embedder):
    faiss = Assistant.load(tmp_path / "faiss", embedder=embedder, build_if_missing=False)
    faiss.add_documents(_reports(tmp_path / "docs"))
    table = idf_table(faiss.snapshot.tokens)
    store_idf = three_years.snapshot.idf()
    for token in ["城镇", "就业", "1244万人", "2023"]:
        assert store_idf[token] == pytest.approx(table[token]), token
    assert "GDP" not in store_idf and store_idf.get("不存在的词", 0.0) == 0.0


def test_rebuild_into_milvus_rereads_the_recorded_documents(tmp_path, kb, embedder):
    home, uri = kb
    faiss = Assistant.load(home, embedder=embedder, build_if_missing=False)
    faiss.add_documents(_reports(tmp_path / "docs")[:2])
    milvus = Assistant.load(home, embedder=embedder, store=uri, build_if_missing=False)
    results = milvus.rebuild()
    assert [r.status for r in results] == ["added", "added"] and recorded_store(home) == milvus._indexer.store.uri
    assert sorted(d.doc_id for d in milvus.documents()) == sorted(d.doc_id for d in faiss.documents())
    assert "1206万人" in milvus.search("2022年城镇新增就业多少", k=1)[0].text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rag(*args, env_store=None):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("RAG_STORE", None)
    if env_store:
        env["RAG_STORE"] = env_store
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=300)


def test_cli_index_search_and_migrate(kb, tmp_path):
    home, uri = kb
    docs = _reports(tmp_path / "docs")
    result = _rag("index", *map(str, docs), "--index", str(home), "--store", uri, "--quiet", "--json")
    assert result.returncode == 0, result.stderr
    assert [r["status"] for r in json.loads(result.stdout)["results"]] == ["added"] * 3
    result = _rag("search", "2023年城镇新增就业多少？", "--index", str(home), "--json")  # the recorded store
    assert result.returncode == 0, result.stderr
    assert "1244万人" in json.loads(result.stdout)["hits"][0]["text"]
    result = _rag("migrate", "--to", "faiss", "--index", str(home), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["chunks"] > 0 and recorded_store(home) == "faiss"
    result = _rag("search", "城镇新增就业", "--index", str(home), "--year", "2022", "--json", env_store="faiss")
    assert {h["year"] for h in json.loads(result.stdout)["hits"]} == {2022}


def test_an_unreachable_server_is_one_line_naming_the_uri(tmp_path):
    uri = f"http://127.0.0.1:{_free_port()}"
    result = _rag("search", "城镇新增就业", "--index", str(tmp_path / "kb"), "--store", uri)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and uri in result.stderr and "无法连接 Milvus" in result.stderr
    with pytest.raises(RagError, match="无法识别的存储"):
        open_store(Config(index_dir=tmp_path / "kb", store="mysql://x"))


@pytest.mark.skipif(bool(SERVER), reason="Milvus Lite only")
def test_a_lite_file_open_in_another_process_is_a_clear_error(three_years):
    uri = three_years._indexer.store.uri
    result = _rag("search", "城镇新增就业", "--index", str(three_years.config.index_dir), "--store", uri)
    assert result.returncode == 2 and "正被另一个进程使用" in result.stderr and uri in result.stderr
