"""Bad input, hostile files, crashes and concurrent writers: nothing is lost, errors say what to do."""
import errno
import random
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import rag.store
from rag import Assistant
from rag.assistant import validate_question
from rag.documents import bundled_document, load_document
from rag.errors import RagError
from rag.normalize import clean_text
from rag.store import IndexStore


@pytest.mark.parametrize("question, message", [
    ("", "问题为空"), ("  \n\t ", "问题为空"), ("？？！！。。", "没有文字或数字"), ("新" * 100_000, "问题过长"),
])
def test_unusable_questions_are_refused_clearly(bundled, question, message):
    with pytest.raises(RagError, match=message):
        bundled.ask(question)


def test_odd_but_real_questions_are_answered(bundled):
    assert "8.4万平方米" in bundled.ask("🙂新增\x00城市绿地\x07多少？").text  # emoji and control characters
    assert "8.4万平方米" in bundled.ask("2023年新增城市green space多少？").text  # mixed languages
    assert "23.4万吨" in bundled.ask("How much grain was produced?").text  # English, Chinese report
    assert validate_question(" 城镇新增就业\x1b多少 ") == "城镇新增就业多少"


def test_a_docx_zip_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(RagError, match="压缩炸弹"):
        load_document(bomb)


def test_odd_file_names_are_safe_ids(fresh, tmp_path):
    path = tmp_path / "报告 2023 final.txt"
    path.write_text("2023年政府工作报告\n新增公园12个。", encoding="utf-8")
    [result] = fresh.add_documents([path], sources=["../../etc/报告 2023 final.txt"])
    assert result.status == "added" and "/" not in result.doc_id and ".." not in result.doc_id
    assert result.doc_id == "报告-2023-final"


def test_disk_full_while_writing_leaves_the_index_as_it_was(fresh, tmp_path, monkeypatch, embedder):
    first = tmp_path / "a.txt"
    first.write_text("新增城市绿地8.4万平方米。", encoding="utf-8")
    fresh.add_documents([first])

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    second = tmp_path / "b.txt"
    second.write_text("生产粮食23.4万吨。", encoding="utf-8")
    monkeypatch.setattr(rag.store.np, "save", full)
    with pytest.raises(RagError, match="磁盘空间不足.*原样"):
        fresh.add_documents([second])
    monkeypatch.undo()
    assert [d.source for d in Assistant.load(fresh.config.index_dir, embedder=embedder).documents()] == ["a.txt"]


INDEX_ONE = """
import sys
from rag import Assistant
Assistant.load(sys.argv[1], build_if_missing=False).add_documents([sys.argv[2]])
"""


def _start_indexer(index_dir, path):
    return subprocess.Popen([sys.executable, "-c", INDEX_ONE, str(index_dir), str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _consistent_documents(index_dir, embedder) -> set[str]:
    """Load the index and check it is whole: every chunk belongs to a listed document and every
    document has exactly its chunks."""
    assistant = Assistant.load(index_dir, embedder=embedder, build_if_missing=False)
    snapshot = assistant.snapshot
    counts = {}
    for chunk in snapshot.chunks:
        counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
    assert counts == {d.doc_id: d.n_chunks for d in snapshot.documents.values()}
    assert snapshot.vector_index.ntotal == len(snapshot.chunks)
    return {d.source for d in snapshot.documents.values()}


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_a_broken_or_mixed_index(tmp_path, embedder):
    index_dir = tmp_path / "index"
    rng = random.Random(7)
    expected: set[str] = set()
    for i in range(8):
        report = tmp_path / f"report-{i}.txt"
        report.write_text(f"{2010 + i}年政府工作报告\n" + "".join(f"第{i}号报告新增公园{j}个。" for j in range(60)), encoding="utf-8")
        process = _start_indexer(index_dir, report)
        time.sleep(rng.uniform(0.5, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if IndexStore(index_dir).exists():
            found = _consistent_documents(index_dir, embedder)
            assert found in (expected, expected | {report.name})  # the old set or the new one, never a mix
            expected = found
        # re-running finishes the interrupted work
        assert _start_indexer(index_dir, report).wait(timeout=300) == 0
        expected.add(report.name)
        assert _consistent_documents(index_dir, embedder) == expected


@pytest.mark.slow
def test_two_processes_indexing_into_one_directory_both_land(tmp_path, embedder):
    index_dir = tmp_path / "index"
    paths = []
    for name, fact in (("a.txt", "新增公园12个。"), ("b.txt", "新增绿道30公里。")):
        paths.append(tmp_path / name)
        paths[-1].write_text("2023年政府工作报告\n" + fact * 30, encoding="utf-8")
    processes = [_start_indexer(index_dir, p) for p in paths]
    assert [p.wait(timeout=300) for p in processes] == [0, 0]
    assert _consistent_documents(index_dir, embedder) == {"a.txt", "b.txt"}


# Realistic Chinese: the characters and punctuation of the bundled report.
REPORT_CHARACTERS = sorted(set(bundled_document().text) - {"\n"})
CHINESE_TEXT = st.text(alphabet=st.sampled_from(REPORT_CHARACTERS + ["\n", " "]), min_size=4, max_size=400
                       ).filter(lambda t: sum("\u4e00" <= ch <= "\u9fa5" for ch in t) >= 4)  # a few words of Chinese


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=400), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_any_unicode_text_file_loads_to_its_cleaned_text_or_a_clear_error(tmp_path, text, encoding):
    _load_round_trip(tmp_path, text, encoding)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=CHINESE_TEXT, encoding=st.sampled_from(["gb18030", "gbk"]))
def test_any_chinese_text_in_gbk_or_gb18030_is_detected_not_garbled(tmp_path, text, encoding):
    """Encodings without a signature are guessed; for Chinese text the guess must be right."""
    _load_round_trip(tmp_path, text, encoding)


def _load_round_trip(tmp_path, text, encoding):
    path = tmp_path / "any.txt"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        return  # lone surrogates cannot be stored in a file at all
    try:
        doc = load_document(path)
    except RagError as exc:
        assert "any.txt" in str(exc)
        assert not clean_text(text) or "编码" in str(exc) or "二进制" in str(exc)
        return
    assert doc.text == clean_text(text)
