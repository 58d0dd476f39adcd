"""Event handlers of the web chat, on the real assistant (no browser here: see test_browser.py)."""
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
    steps = list(app.respond("新增城市绿地多少？", [], 5))
    history, sources, box = steps[-1]
    assert box == "" and history[0] == {"role": "user", "content": "新增城市绿地多少？"}
    answer = history[-1]["content"]
    assert "8\\.4万平方米" in answer and 'href="#src-1"' in answer and "[1]</a>" in answer
    assert '<div class="source" id="src-1">' in sources and "<mark>新增城市绿地8.4万平方米" in sources
    assert len(steps) >= 2  # partial text first, then the final answer


def test_refusal_shows_related_passages_not_citations(app):
    history, sources, _ = list(app.respond("黔江区区长是谁？", [], 5))[-1]
    assert "没有找到" in history[-1]["content"]
    assert "可能相关" in sources and 'class="related"' in sources and 'class="source"' not in sources


def test_follow_up_uses_the_chat_history(app):
    history, _, _ = list(app.respond("2023年生产粮食多少？", [], 5))[-1]
    history, _, _ = list(app.respond("那蔬菜呢？", history, 5))[-1]
    assert "28\\.5万吨" in history[-1]["content"]


def test_bad_question_gets_a_message_in_the_chat(app):
    history, _, _ = list(app.respond("   ", [], 5))[-1]
    assert [m["role"] for m in history] == ["user", "assistant"] and "问题为空" in history[-1]["content"]


def test_document_text_is_escaped(app, tmp_path):
    report = tmp_path / "hostile.txt"
    report.write_text(HOSTILE, encoding="utf-8")
    assert app.upload([str(report)])[0][1] == "已添加"
    history, sources, _ = list(app.respond("新建口袋公园多少个？", [], 5, doc_filter=["hostile"]))[-1]
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
    stored = list(app.uploads.iterdir())
    assert len(stored) == 1 and stored[0].name != good.name and stored[0].parent == app.uploads
    assert any(row[1] == "2022年 报告" or "报告" in row[1] for row in app.documents_table())
    assert "2022" in app.year_choices()
    doc_id = by_name["2022年 报告.txt"][2]
    assert app.delete(doc_id).startswith("已删除") and doc_id not in app.document_choices()


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
