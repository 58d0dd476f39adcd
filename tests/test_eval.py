"""Evaluation: metric functions against hand-computed values, and every script end to end on a
tiny slice (results and caches go to a temporary folder, not eval/results)."""
import importlib
import math

import numpy as np
import pytest

from eval.metrics import hit_at_k, mrr_at_k, ndcg_at_k, percentile, recall_at_k, summarize
from rag.retrieval import _top


def test_metrics_by_hand():
    ranked = [False, True, False, True]
    assert hit_at_k(ranked, 1) == 0 and hit_at_k(ranked, 2) == 1
    assert recall_at_k(ranked, 2, n_relevant=2) == 0.5 and recall_at_k(ranked, 4, n_relevant=2) == 1.0
    assert mrr_at_k(ranked, 10) == 0.5 and mrr_at_k(ranked, 1) == 0
    # DCG = 1/log2(3) + 1/log2(5); ideal with 2 relevant = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k(ranked, 10, n_relevant=2) == pytest.approx(expected)
    assert ndcg_at_k([True], 10) == 1.0


def test_metrics_of_empty_results():
    assert hit_at_k([], 5) == 0 and mrr_at_k([], 10) == 0 and ndcg_at_k([], 10) == 0
    assert recall_at_k([], 5, n_relevant=0) == 0
    assert summarize([])["R@1"] == 0 and summarize([])["n"] == 0
    assert summarize([[True], []])["R@1"] == 0.5
    assert percentile([], 50) == 0 and percentile([5, 1, 3], 50) == 3 and percentile([1, 2, 3, 4], 95) == 4


def test_ties_are_ranked_by_position_deterministically():
    scores = np.array([0.5, 0.9, 0.5, 0.9, 0.1], dtype=np.float32)
    assert _top(scores, None, 4) == [1, 3, 0, 2]
    assert _top(scores, np.array([True, False, True, False, True]), 2) == [0, 2]
    assert _top(scores, np.zeros(5, dtype=bool), 3) == []


@pytest.fixture(scope="module")
def eval_cache(tmp_path_factory):
    """The scripts' index cache, shared by this module's tests: each builds the same bundled index."""
    return tmp_path_factory.mktemp("eval-cache")


@pytest.fixture
def sandbox(tmp_path, monkeypatch, eval_cache):
    monkeypatch.setenv("RAG_EVAL_RESULTS", str(tmp_path / "results"))
    monkeypatch.setenv("RAG_EVAL_CACHE", str(eval_cache))
    import eval.common

    importlib.reload(eval.common)
    modules = {name: importlib.reload(importlib.import_module(f"eval.{name}")) for name in ("retrieval", "answers", "bench", "load")}
    yield tmp_path / "results", modules
    monkeypatch.undo()
    importlib.reload(eval.common)
    for name in modules:
        importlib.reload(importlib.import_module(f"eval.{name}"))


def test_retrieval_script_end_to_end(sandbox):
    results, modules = sandbox
    assert modules["retrieval"].main(["--limit", "6", "--configs", "bm25", "dense", "hybrid", "--quiet"]) == 0
    table = (results / "retrieval-qianjiang.md").read_text(encoding="utf-8")
    assert "| hybrid |" in table and "R@1" in table
    assert (results / "retrieval-qianjiang.png").stat().st_size > 1000


def test_answers_script_end_to_end(sandbox):
    results, modules = sandbox
    assert modules["answers"].main(["--limit", "6", "--quiet"]) == 0
    table = (results / "answers-qianjiang.md").read_text(encoding="utf-8")
    assert "answerable: correct" in table and "| kind | n | correct |" in table


def test_cmrc_readers_when_the_data_is_there():
    from eval import datasets

    if not (datasets.data_dir() / "cmrc2018").is_dir():
        pytest.skip("../shared/data/cmrc2018 is not beside the project")
    cmrc = datasets.load("cmrc")
    assert len(cmrc.documents) == 848 and len(cmrc.questions) == 3219 and cmrc.gold_is_document
    gov = datasets.load("gov")
    assert len(gov.documents) == 52 and all(any(e in next(d.text for d in gov.documents if d.doc_id == q.gold_doc)
                                                for e in q.evidence) for q in gov.questions)


def test_bench_script_end_to_end(sandbox):
    results, modules = sandbox
    assert modules["bench"].main(["--scales", "bundled", "synthetic", "--synthetic-sizes", "2000", "--queries", "8"]) == 0
    text = (results / "bench-bundled-synthetic.md").read_text(encoding="utf-8")
    assert "search p50 ms" in text and "recall@10 vs exact" in text and "| 2000 | hnsw |" in text


def test_load_script_end_to_end(sandbox):
    results, modules = sandbox
    # Another process adds a report and removes it while two clients ask; no timing target here.
    assert modules["load"].main(["--clients", "2", "--seconds", "4", "--writes", "1", "--visible-within", "300"]) == 0
    text = (results / "load.md").read_text(encoding="utf-8")
    row = text.split("\n| 2 |")[1].split("|")
    assert row[2].strip() == "0" and row[3].strip() == "0"  # errors, torn reads (row[0] is the duration)
    assert row[8].strip() == "1+1"  # the write was answered, the removal seen
