"""Adding, re-indexing and removing documents through the public API."""
import pytest

from rag import Assistant
from rag.errors import RagError
from tests.conftest import report_text


def test_add_then_remove_a_document(fresh, tmp_path):
    path = tmp_path / "2022年政府工作报告.txt"
    path.write_text(report_text(2022, "生产粮食6.83亿吨，创历史新高。", "粮食产量保持在1.3万亿斤以上。"), encoding="utf-8")
    [result] = fresh.add_documents([path])
    assert result.status == "added" and result.chunks >= 1
    assert [d.doc_id for d in fresh.documents()] == [result.doc_id]
    assert any("6.83亿吨" in h.text for h in fresh.search("粮食产量", k=2))
    fresh.remove_document(result.doc_id)
    assert fresh.documents() == [] and fresh.search("粮食产量") == []
    with pytest.raises(RagError, match="没有文档"):
        fresh.remove_document(result.doc_id)


def test_a_bad_file_is_reported_and_the_others_are_still_indexed(fresh, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("2023年政府工作报告\n新增城市绿地8.4万平方米。", encoding="utf-8")
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\nthis is not a pdf at all")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("2021年政府工作报告\n治理河道36.9公里。".encode("gbk"))
    results = fresh.add_documents([corrupt, good, gbk, tmp_path / "missing.txt"])
    assert [r.status for r in results] == ["error", "added", "added", "error"]
    assert "corrupt.pdf" in results[0].error and "missing.txt" in results[3].error
    assert {d.source for d in fresh.documents()} == {"good.txt", "gbk.txt"}
    assert "36.9公里" in fresh.search("治理河道", k=1)[0].text


def test_reindexing_unchanged_is_a_no_op_and_changed_replaces(fresh, tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("新增城市绿地8.4万平方米。", encoding="utf-8")
    fresh.add_documents([path])
    version = fresh.snapshot.directory
    assert fresh.add_documents([path])[0].status == "unchanged"
    assert fresh.snapshot.directory == version  # nothing was written
    copy = tmp_path / "copy.txt"
    copy.write_text("新增城市绿地8.4万平方米。", encoding="utf-8")
    assert fresh.add_documents([copy])[0].status == "duplicate"  # same text, no duplicate chunks
    path.write_text("新增城市绿地9.9万平方米。", encoding="utf-8")
    [result] = fresh.add_documents([path], replace=True)  # replacing by file name is asked for
    assert result.status == "updated" and len(fresh.documents()) == 1
    assert [h.text for h in fresh.search("城市绿地", k=5)] == ["新增城市绿地9.9万平方米。"]


def test_same_file_name_other_content_keeps_both(fresh, tmp_path):
    """A different report under a name already used is added beside it, never replacing it."""
    first, second = tmp_path / "a" / "政府工作报告.txt", tmp_path / "b" / "政府工作报告.txt"
    for path, text in ((first, "新增城市绿地8.4万平方米。"), (second, "新增城市绿地999万平方米。")):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    fresh.add_documents([first], sources=["政府工作报告.txt"])
    [result] = fresh.add_documents([second], sources=["政府工作报告.txt"])
    assert result.status == "added"
    docs = fresh.documents()
    assert len(docs) == 2 and len({d.title for d in docs}) == 2
    texts = {h.text for h in fresh.search("城市绿地", k=5)}
    assert {"新增城市绿地8.4万平方米。", "新增城市绿地999万平方米。"} <= texts
    [again] = fresh.add_documents([first], sources=["政府工作报告.txt"])
    assert again.status in ("unchanged", "duplicate") and "内容相同" in again.error


def test_documents_from_another_writer_are_seen_at_the_next_request(fresh, tmp_path, embedder):
    other = Assistant.load(fresh.config.index_dir, embedder=embedder, build_if_missing=False)
    path = tmp_path / "r.txt"
    path.write_text("新增城市绿地8.4万平方米。", encoding="utf-8")
    other.add_documents([path])
    assert len(fresh.documents()) == 1 and not fresh.refresh()  # already switched


def test_second_writer_waits_then_is_refused_clearly(fresh, tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("新增城市绿地8.4万平方米。", encoding="utf-8")
    impatient = Assistant.load(fresh.config.index_dir, embedder=fresh.embedder, build_if_missing=False, lock_timeout=0.2)
    with impatient._indexer.store.lock():  # another writer holds the lock
        with pytest.raises(RagError, match="另一个进程正在写入索引"):
            impatient.add_documents([path])
    assert impatient.add_documents([path])[0].status == "added"


@pytest.mark.parametrize("index_type, faiss_class", [("hnsw", "IndexHNSWFlat"), ("ivf", "IndexFlatIP")])
def test_approximate_index_types_are_kept_across_writes(tmp_path, embedder, index_type, faiss_class):
    """HNSW and IVF are selectable; IVF needs enough vectors to train, so a small index stays exact."""
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("2023年政府工作报告\n新增城市绿地8.4万平方米。", encoding="utf-8")
    second.write_text("2022年政府工作报告\n生产粮食23.4万吨。", encoding="utf-8")
    Assistant.load(tmp_path / "index", embedder=embedder, build_if_missing=False, index_type=index_type).add_documents([first])
    assistant = Assistant.load(tmp_path / "index", embedder=embedder)  # no index_type: the index's own
    assistant.add_documents([second])
    assert assistant.snapshot.manifest["index_type"] == index_type
    assert type(assistant.snapshot.vector_index).__name__ == faiss_class
    assert "23.4万吨" in assistant.search("粮食产量", k=1, years=[2022])[0].text
