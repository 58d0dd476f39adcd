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
