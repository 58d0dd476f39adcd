"""Event handlers of the web chat, on the real assistant (no browser here: see test_browser.py)."""
import copy

import pytest

from rag import Assistant
from rag.errors import RagError
from rag.web import ChatApp, serve, sources_html

HOSTILE = "2023年政府工作报告\n新建<script>window.__pwned=1</script>口袋公园12个，[点我](http://evil.example)绿道长30公里。"


@pytest.fixture
def app(bundled_copy, embedder):
    assistant = Assistant.load(bundled_copy, embedder=embedder)  # the bundled report
    return ChatApp(assistant)


def test_respond_streams_then_shows_linked_citations_and_sources(app):
    steps = [(copy.deepcopy(h), *rest) for h, *rest in app.respond("新增城市绿地多少？", [], 5)]
    history, sources, box, _chart = steps[-1]
    assert history[0] == {"role": "user", "content": "新增城市绿地多少？"}
    first = steps[0][0]  # the question shows at once, with a sign of work (issue #20)
    assert first[0]["content"] == "新增城市绿地多少？" and "正在检索" in first[-1]["content"]
    # the box is emptied once, when the question is taken; later updates leave what is typed meanwhile
    assert steps[0][2] == "" and all(step[2] == {"__type__": "update"} for step in steps[1:])
    answer = history[-1]["content"]
    assert "8\\.4万平方米" in answer and 'href="#src-1" class="cite cite-1"' in answer
    assert '<div class="source src-1" id="src-1">' in sources and "<mark class=\"q-1\">新增城市绿地8.4万平方米" in sources
    assert "“口袋公园”<sup class=\"fn\">12</sup>4个" in sources  # the report's footnote is not a citation
    assert len(steps) >= 2  # partial text first, then the final answer


def test_refusal_shows_related_passages_not_citations(app):
    history, sources, _, _ = list(app.respond("黔江区区长是谁？", [], 5))[-1]
    assert "没有找到" in history[-1]["content"]
    assert "可能相关" in sources and 'class="related"' in sources and 'class="source"' not in sources


def test_follow_up_uses_the_chat_history(app):
    history, _, _, _ = list(app.respond("2023年生产粮食多少？", [], 5))[-1]
    history, _, _, _ = list(app.respond("那蔬菜呢？", history, 5))[-1]
    assert "28\\.5万吨" in history[-1]["content"]


def test_an_empty_question_adds_nothing_to_the_chat(app):
    history, _, _, _ = list(app.respond("   ", [], 5))[-1]
    assert history == []


def test_document_text_is_escaped(app, tmp_path):
    report = tmp_path / "hostile.txt"
    report.write_text(HOSTILE, encoding="utf-8")
    assert app.upload([str(report)])[0][1] == "已添加"
    history, sources, _, _ = list(app.respond("新建口袋公园多少个？", [], 5, doc_filter=["hostile"]))[-1]
    for html in (history[-1]["content"], sources):
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert 'href="http' not in html


def test_upload_reports_each_file_and_stores_it_safely(app, tmp_path):
    good = tmp_path / "2022年 报告.txt"
    good.write_text("2022年政府工作报告\n新增公园12个。", encoding="utf-8")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    exe = tmp_path / "x.exe"
    exe.write_bytes(b"MZ")
    rows = app.upload([str(good), str(bad), str(exe)])
    by_name = {r[0]: r for r in rows}
    assert by_name["2022年 报告.txt"][1] == "已添加" and by_name["2022年 报告.txt"][3] >= 1
    assert by_name["bad.pdf"][1] == "失败" and "PDF" in by_name["bad.pdf"][4]
    assert by_name["x.exe"][1] == "失败"
    # the index keeps the text; no copy of any upload stays behind (issue #19)
    assert not app.uploads.exists() or list(app.uploads.iterdir()) == []
    assert ["2022年政府工作报告", 2022] in [row[:2] for row in app.documents_table()]  # title first
    assert "2022" in app.year_choices()
    doc_id = by_name["2022年 报告.txt"][2]
    assert ("2022年政府工作报告", doc_id) in app.document_choices()  # chosen by title
    assert app.delete(doc_id) == "已删除：《2022年政府工作报告》" and doc_id not in dict(app.document_choices()).values()


def test_api_handlers(app):
    data = app.api_ask("2023年新增城市绿地多少？")
    assert data["answered"] and "[1]" in data["answer"] and data["citations"][0]["n"] == 1
    assert "8.4万平方米" in app.api_search("新增城市绿地", 2)[0]["text"]


def test_exposing_the_app_requires_a_password(monkeypatch):
    monkeypatch.delenv("RAG_WEB_PASSWORD", raising=False)
    with pytest.raises(RagError, match="RAG_WEB_PASSWORD"):
        serve(host="0.0.0.0")
    with pytest.raises(RagError, match="RAG_WEB_PASSWORD"):
        serve(share=True)


def test_markdown_of_an_empty_answer_panel():
    assert "提问后" in sources_html(None)


def test_chat_escaping_round_trips_for_follow_ups():
    from rag.web import escape_text, unescape_text

    for text in ["新登记市场主体9905户，增长19.3%？", 'a<b>&"x"\n[1](x) *y* \\ z']:
        assert unescape_text(escape_text(text)) == text


def test_upload_reports_its_stages_in_chinese(app, tmp_path):
    report = tmp_path / "2021年报告.txt"
    report.write_text("2021年政府工作报告\n" + "".join(f"新建社区食堂{i}个，服务老人{i * 10}人。" for i in range(60)),
                      encoding="utf-8")
    heard = []
    app.upload([str(report)], lambda value, desc="", unit="": heard.append((value, desc)))
    assert heard[0] == (0, "正在解析与切分 1 个文件…")
    total = heard[-1][0][1]
    assert heard[1] == ((0, total), f"切分完成，共 {total} 块；正在向量化") and total > 1
    assert heard[-1] == ((total, total), "向量化完成，正在写入索引…")


def _citation(n, chunk, text, quote):
    from rag.answering import Citation

    start = text.find(quote)
    return Citation(n, text, quote, "d", "测试报告", "一、回顾 > 城市建设", chunk, start, start + len(quote), 2023)


def test_two_citations_of_one_passage_share_one_card_with_both_quotes_marked():
    from rag.answering import Answer

    text = "建成“口袋公园”[12]4个。新增城市绿地8.4万平方米。"
    answer = Answer("问", "1. 建成口袋公园4个[1]\n2. 新增城市绿地8.4万平方米[2]", kind="list",
                    citations=[_citation(1, "c1", text, "建成“口袋公园”[12]4个"), _citation(2, "c1", text, "新增城市绿地8.4万平方米")])
    panel = sources_html(answer, "k1")
    assert panel.count('class="source ') == 1 and '<div class="source src-1 src-2"' in panel
    assert "[1][2] 测试报告" in panel and panel.count('<mark class="q-1">') == 1 and panel.count('<mark class="q-2">') == 1
    assert '<sup class="fn">12</sup>' in panel and "[12]" not in panel  # the report's footnote, not a citation


def test_answer_markup_keeps_lines_and_copies_as_plain_text():
    from rag.answering import Answer
    from rag.web import answer_markdown, plain_text

    text = "建成“口袋公园”[12]4个。新增城市绿地8.4万平方米。"
    answer = Answer("问", "1. 建成“口袋公园”[12]4个[1]\n2. 新增城市绿地8.4万平方米[2]", kind="list",
                    citations=[_citation(1, "c1", text, "建成“口袋公园”[12]4个"), _citation(2, "c2", text, "新增城市绿地8.4万平方米")])
    chat = answer_markdown(answer, "k1")
    assert "4个" in chat and "<br>2\\. 新增" in chat  # one item a line
    assert chat.count('class="cite cite-') == 2 and '<sup class="fn">12</sup>' in chat
    assert '<span class="kind" title="回答类型：列举">列举</span>' in chat and "answer-key key-k1" in chat
    # the report's footnote [12] is raised (¹²) in copied text, where it would read as a citation
    assert plain_text(answer) == ("1. 建成“口袋公园”¹²4个[1]\n2. 新增城市绿地8.4万平方米[2]\n\n来源：\n"
                                  "[1] 测试报告（2023年报告） · 城市建设：建成“口袋公园”¹²4个\n"
                                  "[2] 测试报告（2023年报告） · 城市建设：新增城市绿地8.4万平方米")


def test_bare_addresses_in_documents_do_not_become_links():
    from rag.web import escape_text

    assert "http\\:" in escape_text("见 http://evil.example") and "a\\@b" in escape_text("a@b.cn")
