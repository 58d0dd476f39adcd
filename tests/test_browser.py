"""The web chat in a real browser: Debian's headless Chromium driven by Playwright, against the
app served on 127.0.0.1 with the real assistant. Screenshots go to test-artifacts/."""
import shutil
import socket
from pathlib import Path

import pytest

from tests.test_web import HOSTILE

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, bundled_index):
    from rag.web import serve

    port = _free_port()
    index_dir = shutil.copytree(bundled_index, tmp_path_factory.mktemp("web") / "index")  # the tests upload
    demo = serve(index_dir=str(index_dir), port=port, prevent_thread_lock=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium fonts-noto-cjk (scripts/setup.sh --test does)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    page.goto(server)
    page.locator("#question textarea").wait_for()
    yield page
    page.close()


def ask(page, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()


def test_ask_and_see_the_cited_sentence(page):
    ask(page, "新增城市绿地多少？")
    page.locator("#sources mark").wait_for(timeout=60_000)
    page.wait_for_timeout(300)
    chat = page.locator("#chat").inner_text()
    assert "8.4万平方米" in chat and "[1]" in chat
    assert page.locator("#chat a.cite").first.get_attribute("title").endswith("新增城市绿地8.4万平方米、停车位6700余个")
    assert "新增城市绿地8.4万平方米" in page.locator("#sources mark").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-answer.png"), full_page=True)


def test_refusal_shows_possibly_related_passages(page):
    ask(page, "黔江区区长是谁？")
    page.locator("#sources .related").first.wait_for(timeout=60_000)
    assert "没有找到" in page.locator("#chat").inner_text()
    assert "可能相关" in page.locator("#sources").inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-refusal.png"), full_page=True)


def test_upload_a_report_and_find_it_in_the_table_then_its_script_stays_text(page, tmp_path):
    report = tmp_path / "2023年测试报告.txt"
    report.write_text(HOSTILE, encoding="utf-8")
    page.get_by_role("tab", name="知识库").click()
    page.locator("#upload input[type=file]").set_input_files(str(report))
    page.wait_for_timeout(1000)
    page.locator("#index-button").click()
    page.locator("#documents").get_by_text("2023年测试报告").first.wait_for(timeout=60_000)
    assert "已添加" in page.locator("#upload-results").inner_text()
    page.screenshot(path=str(ARTIFACTS / "knowledge-base.png"), full_page=True)

    page.get_by_role("tab", name="问答").click()
    ask(page, "新建口袋公园多少个？")
    page.locator("#sources mark").wait_for(timeout=60_000)
    page.wait_for_timeout(300)
    assert "<script>" in page.locator("#sources").inner_text()  # shown as text
    assert page.evaluate("window.__pwned") is None and page.dialogs == []
    assert page.locator('a[href^="http://evil"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / "escaped-script.png"), full_page=True)


def test_ask_endpoint_through_gradio_client(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    assert {"/ask", "/search"} <= set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    result = client.predict("2023年新增城市绿地多少？", api_name="/ask")
    assert "8.4万平方米" in result["answer"] and "[1]" in result["answer"]
    assert "新增城市绿地8.4万平方米" in result["citations"][0]["quote"]
    hits = client.predict("粮食", 2, api_name="/search")
    assert len(hits) == 2 and hits[0]["rank"] == 1


def test_login_is_required_when_a_password_is_set(bundled_index, monkeypatch):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    from rag.web import serve

    monkeypatch.setenv("RAG_WEB_PASSWORD", "s3cret-密码")
    port = _free_port()
    demo = serve(index_dir=str(bundled_index), port=port, prevent_thread_lock=True)  # asks only
    url = f"http://127.0.0.1:{port}/"
    try:
        with pytest.raises(AuthenticationError, match="credentials were not provided"):
            Client(url, verbose=False).predict("新增城市绿地多少？", api_name="/ask")
        client = Client(url, auth=("admin", "s3cret-密码"), verbose=False)
        assert "8.4万平方米" in client.predict("新增城市绿地多少？", api_name="/ask")["answer"]
    finally:
        demo.close()
