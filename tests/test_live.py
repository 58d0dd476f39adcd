"""The index under a running app: readers that outlive writes, snapshots written by other
processes picked up per question, several questions at once while a document is added."""
import json
import os
import subprocess
import sys
import threading

import numpy as np

from rag import Assistant
from rag.embedding import _PriorityLock
from rag.retrieval import HybridRetriever
from rag.store import IndexStore
from rag.vector_cache import VectorCache

FACTS = {"a.txt": ("2021年政府工作报告\n全年新建游泳馆17座。", "新建游泳馆多少座？", "17座"),
         "b.txt": ("2020年政府工作报告\n全年新建图书馆29座。", "新建图书馆多少座？", "29座")}


def _rag_index(index_dir, path):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-m", "rag.cli", "index", str(path), "--index", str(index_dir), "-q", "--json"],
                            capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_an_open_reader_survives_two_writes_by_another_process_and_sees_them(bundled_copy, embedder, tmp_path):
    assistant = Assistant.load(bundled_copy, embedder=embedder)  # as the web app holds it
    held = assistant.snapshot  # a question in flight keeps using this one
    first_folder = held.directory
    for name, (text, _, _) in FACTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        _rag_index(bundled_copy, tmp_path / name)
    assert not first_folder.exists()  # writers keep only the two newest snapshots
    # The held snapshot still answers from memory although its folder is gone ...
    hits = HybridRetriever(held, embedder).search("新增城市绿地", k=1)
    assert "8.4万平方米" in hits[0].text and held.document_text(hits[0].doc_id)[hits[0].start:hits[0].end] == hits[0].text
    assert held.bm25.idf()["绿地"] > 0
    # ... and the assistant switches to the newest snapshot at its next question, without a restart.
    for _, question, fact in FACTS.values():
        answer = assistant.ask(question)
        assert answer.answered and fact in answer.text, answer.text
    assert {d.source for d in assistant.documents()} >= set(FACTS)
    assert assistant.snapshot.directory.name == IndexStore(bundled_copy).current_version()


def test_a_removal_by_another_process_is_seen_by_the_next_question(bundled_copy, embedder, tmp_path):
    assistant = Assistant.load(bundled_copy, embedder=embedder)
    (tmp_path / "a.txt").write_text(FACTS["a.txt"][0], encoding="utf-8")
    doc_id = _rag_index(bundled_copy, tmp_path / "a.txt")["results"][0]["doc_id"]
    assert assistant.ask("新建游泳馆多少座？").answered
    Assistant.load(bundled_copy, embedder=embedder).remove_document(doc_id)  # another writer
    assert not assistant.ask("新建游泳馆多少座？").answered
    assert doc_id not in {d.doc_id for d in assistant.documents()}


def test_eight_threads_ask_while_a_document_is_added(bundled_copy, embedder, tmp_path):
    assistant = Assistant.load(bundled_copy, embedder=embedder)
    report = tmp_path / "c.txt"
    report.write_text("2019年政府工作报告\n" + "".join(f"第{i}批新建体育公园{i + 3}个。" for i in range(40)) + "全年新建滑雪场5个。",
                      encoding="utf-8")
    questions = [("2023年新增城市绿地多少？", "8.4万平方米"), ("2023年生产粮食多少？", "23.4万吨"),
                 ("城镇新增就业多少人？", "1.7万人")]
    errors, answers = [], []
    stop = threading.Event()

    def ask_in_a_loop(n):
        while not stop.is_set():
            question, fact = questions[n % len(questions)]
            try:
                answer = assistant.ask(question)
                answers.append(fact in answer.text and all(c.quote in c.text for c in answer.citations))
            except Exception as exc:  # noqa: BLE001 - any failure of a reader is the bug
                errors.append(repr(exc))
            n += 1

    threads = [threading.Thread(target=ask_in_a_loop, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    try:
        results = assistant.add_documents([report])
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)
    assert results[0].status == "added" and errors == [] and answers and all(answers)
    assert "5个" in assistant.ask("新建滑雪场多少个？").text


def test_the_clause_vector_cache_is_exact_under_concurrent_use_and_eviction(embedder):
    texts = [f"新增公园{i}个" for i in range(24)]
    expected = dict(zip(texts, embedder.embed_passages(texts)))
    cache = VectorCache(embedder.embed_passages, max_items=4)  # evicts all the time
    errors = []

    def use(offset):
        for round_ in range(6):
            batch = [texts[(offset + round_ + j) % len(texts)] for j in range(5)]
            try:
                got = cache.get(batch)
                errors.extend(t for t, v in zip(batch, got) if not np.allclose(v, expected[t], atol=1e-5))
            except Exception as exc:  # noqa: BLE001
                errors.append(repr(exc))

    threads = [threading.Thread(target=use, args=(n * 3,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(cache) <= 4


def test_questions_go_before_waiting_indexing_batches():
    lock = _PriorityLock()
    order, held = [], threading.Event()
    waiting = []

    def take(name, urgent):
        waiting.append(name)
        with lock.hold(urgent):
            order.append(name)

    with lock.hold(urgent=False):
        batch = threading.Thread(target=take, args=("indexing batch", False))
        batch.start()
        while "indexing batch" not in waiting:
            held.wait(0.01)
        question = threading.Thread(target=take, args=("question", True))
        question.start()
        while "question" not in waiting:
            held.wait(0.01)
        held.wait(0.1)  # both are now waiting for the lock
    batch.join()
    question.join()
    assert order == ["question", "indexing batch"]


def test_a_new_snapshot_that_cannot_be_opened_leaves_questions_on_the_previous_one(bundled_copy, embedder, caplog):
    import shutil

    assistant = Assistant.load(bundled_copy, embedder=embedder)
    store = IndexStore(bundled_copy)
    current = store.current_version()
    other = bundled_copy / "v999999"
    shutil.copytree(bundled_copy / current, other)  # as another process rebuilding with another embedder
    manifest = json.loads((other / "manifest.json").read_text(encoding="utf-8"))
    (other / "manifest.json").write_text(json.dumps({**manifest, "embedder": "sentence-transformers:x"}), encoding="utf-8")
    (bundled_copy / "CURRENT").write_text("v999999", encoding="utf-8")
    with caplog.at_level("WARNING"):
        for _ in range(3):
            assert "8.4万平方米" in assistant.ask("2023年新增城市绿地多少？").text
    assert caplog.text.count("无法加载") == 1 and "嵌入模型" in caplog.text
    assert assistant.snapshot.directory.name == current


def test_clause_vectors_outlive_a_write(bundled_copy, embedder, tmp_path):
    from rag.vector_cache import passage_cache

    assistant = Assistant.load(bundled_copy, embedder=embedder)
    question = "2023年生产粮食和蔬菜分别多少？"
    first = assistant.ask(question)
    cached = len(passage_cache(embedder))
    (tmp_path / "a.txt").write_text(FACTS["a.txt"][0], encoding="utf-8")
    assistant.add_documents([tmp_path / "a.txt"])  # a new snapshot, a new answerer
    # the same quote; with a second region loaded it also says whose figures they are
    assert assistant.ask(question).text.startswith(first.text)
    assert len(passage_cache(embedder)) == cached  # its clauses were not embedded again
