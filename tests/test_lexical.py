from rag.lexical import BM25Index, tokenize


def test_numbers_with_units_stay_whole():
    tokens = tokenize("新增城市绿地8.4万平方米，增长19.3%，盘活１，２００万元[9]")
    assert "8.4万平方米" in tokens and "8.4" in tokens
    assert "19.3%" in tokens
    assert "1200万元" in tokens  # full-width digits folded, thousands separator dropped
    assert "9" not in tokens  # the footnote marker [9] is not a number of the text


def test_words_and_bigrams_without_question_words():
    tokens = tokenize("新增城市绿地多少？")
    assert {"城市绿地", "绿地", "新增"} <= set(tokens)
    assert "多少" not in tokens and "地多" not in tokens


def test_bm25_prefers_the_chunk_with_the_rare_term():
    index = BM25Index([tokenize("新增城市绿地8.4万平方米"), tokenize("生产粮食23.4万吨"), tokenize("城市更新")])
    scores = index.scores(tokenize("城市绿地"))
    assert scores.argmax() == 0 and scores[1] == 0
    assert not index.scores(["不存在的词"]).any()


def test_a_saved_index_scores_exactly_as_bm25s_does(bundled):
    """Reading the saved postings with numpy gives bm25s's own scores (the reference)."""
    import bm25s
    import numpy as np

    directory = bundled.snapshot.directory / "bm25"
    ours, reference = BM25Index.load(directory), bm25s.BM25.load(str(directory), show_progress=False)
    for query in ["新增城市绿地多少？", "城市 城市 绿地", "2023年生产粮食和蔬菜分别多少", "口袋公园"]:
        known = [t for t in tokenize(query) if t in reference.vocab_dict]
        np.testing.assert_allclose(ours.scores(tokenize(query)), reference.get_scores(known), rtol=1e-5, atol=1e-6)


def test_rjieba_gives_python_jiebas_words_on_the_bundled_report():
    """The words of BM25 come from rjieba now; Python jieba is the reference."""
    import rjieba

    from rag.documents import bundled_document
    from rag.lexical import load_jieba, words_part
    from rag.normalize import fold, strip_footnotes

    jieba = load_jieba()
    lines = [words_part(fold(strip_footnotes(line))) for line in bundled_document().text.splitlines() if line.strip()]
    assert len(lines) > 3
    assert [rjieba.cut_for_search(line) for line in lines] == [list(jieba.cut_for_search(line)) for line in lines]


def test_a_cold_question_loads_neither_python_jieba_nor_bm25s(bundled_index):
    """What `rag ask` pays at every start: no jieba dictionary, no bm25s/scipy import."""
    import subprocess
    import sys

    code = ("import sys; from rag import Assistant; a = Assistant.load(sys.argv[1]); "
            "assert a.ask('2023年新增城市绿地多少？').answered; "
            "print(sorted(m for m in ('jieba', 'bm25s', 'scipy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(bundled_index)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
