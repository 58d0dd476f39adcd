"""Scores as pure functions: fusion, year tiers, the idf table, filters; and Hit.score's one scale."""
import math

import numpy as np
import pytest

from rag.lexical import idf_table
from rag.chunking import Chunk
from rag.lexical import BM25Index
from rag.retrieval import fuse
from rag.years import TIER_WEIGHTS, YearTiers, asks_for_target, years_in_question


def test_weighted_fusion_normalises_each_ranking_to_0_1():
    dense = {0: 0.9, 1: 0.8, 2: 0.7}
    lexical = {1: 12.0, 3: 4.0}
    fused = fuse([dense, lexical], (0.5, 0.5))
    assert fused == pytest.approx({0: 0.5, 1: 0.25 + 0.5, 2: 0.0, 3: 0.0})


def test_a_single_ranking_has_the_same_scale_as_two():
    dense = {4: 0.91, 7: 0.85, 9: 0.60}
    for fusion in ("weighted", "rrf"):
        alone = fuse([dense, {}], (0.5, 0.5), fusion)
        both = fuse([dense, {4: 3.0, 7: 1.0}], (0.5, 0.5), fusion)
        assert max(alone.values()) == pytest.approx(1.0) and alone[4] == pytest.approx(1.0)
        assert both[4] == pytest.approx(1.0)  # first in both rankings
        assert all(0.0 <= s <= 1.0 for s in list(alone.values()) + list(both.values()))


def test_rrf_is_reciprocal_ranks_scaled_to_1():
    fused = fuse([{0: 0.9, 1: 0.5}, {1: 5.0, 0: 1.0}], (0.5, 0.5), "rrf", rrf_k=60)
    both_first_and_second = (1 / 61 + 1 / 62) / (2 / 61)
    assert fused == pytest.approx({0: both_first_and_second, 1: both_first_and_second})


def test_equal_scores_and_empty_rankings():
    assert fuse([{3: 0.5}, {}], (0.5, 0.5)) == {3: 1.0}  # one candidate is the best one
    assert fuse([{1: 2.0, 2: 2.0}, {}], (0.5, 0.5)) == {1: 1.0, 2: 1.0}
    assert fuse([{}, {}], (0.5, 0.5)) == {}
    assert fuse([{}, {5: 1.0, 6: 0.0}], (1.0, 0.0)) == {5: 1.0, 6: 0.0}  # a weight of 0 alone still ranks
    # a ranking of one candidate (or all tied) orders nothing: the other one decides, on the same scale
    assert fuse([{1: 0.9, 2: 0.5}, {2: 3.0}], (0.5, 0.5)) == {1: 1.0, 2: 0.0}


def _chunk(i, year=None, period=None, text="", doc_id="d"):
    return Chunk(f"c{i}", doc_id, "t", "s", year, period, 0, 0, len(text), text)


def test_year_tiers_review_plan_and_unrelated():
    chunks = [_chunk(0, 2024, 2023), _chunk(1, 2024, 2024), _chunk(2, 2023, 2022),
              _chunk(3, 2020, 2019, "比2023年翻一番"), _chunk(4, 2020, 2019), _chunk(5)]
    tiers = YearTiers(chunks)
    # 2023 happened: the 2024 report's review is tier 0; its plan and the 2023 report are tier 1.
    assert tiers.tiers([2023], wants_target=False).tolist() == [0, 1, 1, 1, 2, 1]
    # 2024 target: the 2024 report's plan is tier 0.
    assert tiers.tiers([2024], wants_target=True).tolist() == [1, 0, 2, 2, 2, 1]
    assert tiers.tiers([2022, 2023], wants_target=False).tolist() == [0, 1, 0, 1, 2, 1]  # best of both years
    assert TIER_WEIGHTS[0] == 1.0 > TIER_WEIGHTS[1] > TIER_WEIGHTS[2] > 0
    assert years_in_question("２０２３年新增就业多少") == [2023] and asks_for_target("2024年的预期目标")


def test_idf_from_the_bm25_index_equals_the_table_over_tokens():
    tokens = [["城市", "绿地", "8.4"], ["城市", "粮食"], ["城市", "城市", "就业"], []]
    table = BM25Index(tokens).idf()
    assert table == pytest.approx(idf_table(tokens))
    assert table["城市"] == pytest.approx(math.log(1 + 1.5 / 3.5)) and table["城市"] < table["粮食"]
    assert table["绿地"] == pytest.approx(math.log(1 + (4 - 1 + 0.5) / 1.5))
    assert BM25Index([]).idf() == {}


def test_filters_are_one_mask_over_all_chunks(bundled):
    from rag.retrieval import HybridRetriever

    retriever = HybridRetriever(bundled.snapshot, bundled.embedder)
    chunks = bundled.snapshot.chunks
    doc_id = chunks[0].doc_id
    expected = np.array([c.doc_id == doc_id and c.year == 2024 for c in chunks])
    assert (retriever._filter_mask([doc_id], [2024]) == expected).all() and expected.any()
    assert not retriever._filter_mask(["no-such-doc"], None).any()
    assert retriever._filter_mask(None, None) is None


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_hit_score_has_one_scale_in_every_mode(bundled, mode):
    hits = bundled.search("新增城市绿地8.4万平方米", k=5, mode=mode)
    assert "8.4万平方米" in hits[0].text
    assert hits[0].score == pytest.approx(1.0, abs=0.05)  # the clear best passage is near 1 in every mode
    assert all(0.0 <= h.score <= 1.0 for h in hits) and [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
