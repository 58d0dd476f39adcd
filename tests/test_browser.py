"""The web chat in a real browser: Debian's headless Chromium driven by Playwright, against the
app served on 127.0.0.1 with the real assistant. Screenshots go to test-artifacts/."""
import re
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
    assert page.locator("#chat a.cite .tip").first.text_content().endswith("新增城市绿地8.4万平方米、停车位6700余个")
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


# ---- issue 10: the chat as people use it, on a desktop and on a phone ----------------------------

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1400, "height": 1000}}


def open_page(browser, server, locale="zh-CN", **context):
    ctx = browser.new_context(locale=locale, **context)
    page = ctx.new_page()
    page.goto(server)
    page.locator("#question textarea").wait_for()
    return page


@pytest.fixture(params=["desktop", "phone"])
def device(request, browser, server):
    page = open_page(browser, server, **(PHONE if request.param == "phone" else DESKTOP),
                     permissions=["clipboard-read", "clipboard-write"])
    page.device = request.param
    yield page
    page.context.close()


def wait_text(page, selector: str, text: str, timeout: int = 30_000) -> None:
    page.wait_for_function("([s, t]) => (document.querySelector(s)?.innerText || '').includes(t)", arg=[selector, text],
                           timeout=timeout)


def upload(page, *paths) -> None:
    page.get_by_role("tab", name="知识库").click()
    page.locator("#index-button").wait_for()
    page.wait_for_timeout(300)  # the tab's components are live
    page.locator("#upload input[type=file]").set_input_files([str(p) for p in paths])
    wait_text(page, "#upload", paths[-1].stem[:8], 60_000)
    page.locator("#index-button").click()


def test_upload_shows_real_progress_in_chinese_and_locks_the_buttons(device, tmp_path):
    report = tmp_path / f"2022年进度测试报告{device.device}.txt"
    report.write_text("2022年政府工作报告\n" + "".join(
        f"第{i}项工作：新建{device.device}社区服务站{i}个，改造老旧管网{i * 3}公里，惠及居民{i * 100}户。\n"
        for i in range(1, 120)), encoding="utf-8")
    upload(device, report)
    device.wait_for_function("document.querySelector('#index-button').disabled")  # no second click meanwhile
    device.wait_for_function("/正在向量化|正在解析与切分/.test(document.body.innerText)", timeout=60_000)
    device.wait_for_function("/\\d+\\/\\d+ 块/.test(document.body.innerText)", timeout=60_000)
    device.screenshot(path=str(ARTIFACTS / f"upload-progress-{device.device}.png"))
    count, bar = (device.locator(f"#upload-results {s}").first.bounding_box()
                  for s in (".progress-text", ".progress-bar-wrap"))
    assert count["y"] >= bar["y"] + bar["height"] or count["y"] + count["height"] <= bar["y"]  # text clear of the bar
    body = device.locator("body").inner_text()
    assert "processing" not in body
    wait_text(device, "#upload-results", "已添加", 120_000)
    device.wait_for_function("!document.querySelector('#index-button').disabled")
    device.wait_for_timeout(1500)  # Gradio's status texts are announced after the event
    assert "common." not in device.content()  # no untranslated key, shown or announced
    assert device.locator("#upload").get_by_text(report.name).count() == 0  # the box is empty again


def test_lists_are_fresh_after_a_reload_and_deleting_asks_by_title(device, tmp_path):
    title = f"2021年刷新测试报告{device.device}"
    report = tmp_path / f"{title}.txt"
    report.write_text(f"{title}\n新建{device.device}图书馆3座。", encoding="utf-8")
    upload(device, report)
    wait_text(device, "#upload-results", "已添加", 60_000)

    device.reload()  # a new page load must show what is indexed now, not what was at start-up
    device.locator("#question textarea").wait_for()
    device.get_by_role("tab", name="知识库").click()
    wait_text(device, "#documents", title, 10_000)
    assert device.locator("#documents th").first.inner_text().strip() == "标题"  # what a phone shows first
    assert device.locator("#to-delete input").input_value() == ""  # nothing pre-selected
    device.locator("#to-delete input").click()
    options = device.get_by_role("option")
    options.first.wait_for()
    labels = options.all_inner_texts()
    assert title in labels and "重庆市黔江区2024年政府工作报告（节选）" in labels  # titles, not ids
    device.get_by_role("option", name=title).click()
    device.locator("#delete-button").click()
    assert f"确定删除《{title}》" in device.locator("#confirm-delete").inner_text()
    device.screenshot(path=str(ARTIFACTS / f"delete-confirm-{device.device}.png"), full_page=True)
    device.locator("#cancel-button").click()
    wait_text(device, "#kb-status", "已取消")
    assert title in device.locator("#documents").inner_text()

    device.locator("#delete-button").click()
    device.locator("#confirm-button").click()
    wait_text(device, "#kb-status", f"已删除：《{title}》", 60_000)
    device.wait_for_function(f"!document.querySelector('#documents').innerText.includes('{title}')")
    device.get_by_role("tab", name="问答").click()
    device.get_by_text("设置").click()
    device.locator("#doc-filter input").click()
    assert title not in device.get_by_role("option").all_inner_texts()


def test_citations_copy_and_sources_under_each_answer(device):
    assert "可以这样问" in device.locator("#chat").inner_text()  # a welcome, not an empty frame
    assert device.locator("#chat label, #chat [data-testid=block-label]").count() == 0  # no floating label
    device.locator("#send").click()  # an empty question: nothing happens
    device.wait_for_timeout(500)
    assert device.locator("#chat .message-row, #chat .message").count() == 0

    ask(device, "2023年生产粮食和蔬菜分别多少？")
    cite = device.locator("#chat a.cite").first
    cite.wait_for(timeout=60_000)
    device.wait_for_timeout(300)
    style = cite.evaluate("a => getComputedStyle(a.querySelector('.pill')).backgroundColor")
    body = cite.evaluate("a => getComputedStyle(a.parentElement).backgroundColor")
    assert style != body  # a citation does not look like body text
    cite.click() if device.device == "desktop" else cite.tap()
    active = device.locator(".source.active:visible")
    active.first.wait_for()
    assert "生产粮食23.4万吨" in active.first.inner_text()
    if device.device == "phone":
        assert not device.locator("#sources").is_visible()  # the sources fold out under the answer instead
        assert device.locator("#chat details.answer-sources").first.evaluate("d => d.open")
        assert active.first.is_visible()
    device.screenshot(path=str(ARTIFACTS / f"citation-followed-{device.device}.png"), full_page=True)

    copy = device.locator("#chat a.copy-answer").last
    height = copy.bounding_box()["height"]
    copy.click()
    copy.get_by_text("已复制").wait_for()
    assert copy.bounding_box()["height"] == height  # 已复制 does not wrap
    copied = device.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("生产粮食23.4万吨、蔬菜28.5万吨[1]") and "\n来源：\n[1] 重庆市黔江区" in copied
    assert "<" not in copied and "\\" not in copied
    copy.get_by_text("复制", exact=True).wait_for(timeout=5000)  # and it turns back, ready to copy again
    labels = device.evaluate("[...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))")
    assert not [label for label in labels if re.search(r"message:|chatbot conversation|^Copy ", label)], labels
    assert "提问：2023年生产粮食和蔬菜分别多少？" in labels
    english = device.evaluate("""[...document.querySelectorAll('[title], img[alt]')].map(e => e.getAttribute('title') || e.alt)
        .filter(t => /^(Copy table data|Fullscreen|Open cell menu)$|undefined/.test(t))""")
    assert english == []
    assert any(label.startswith("回答：生产粮食23.4万吨") for label in labels)  # an answer's label is its text


def test_footnote_markers_look_unlike_citations(page, tmp_path):
    report = tmp_path / "2023年脚注测试报告.txt"
    report.write_text("2023年脚注测试报告\n过去一年，建成“滨河口袋公园”[12]4个，新增湿地公园2个。", encoding="utf-8")
    upload(page, report)
    wait_text(page, "#upload-results", "已添加", 60_000)
    page.get_by_role("tab", name="问答").click()
    ask(page, "建成滨河口袋公园多少个？")
    page.locator("#sources mark").first.wait_for(timeout=60_000)
    page.wait_for_timeout(300)
    footnote = page.locator("#sources sup.fn").first
    assert footnote.inner_text() == "12"
    assert footnote.evaluate("s => getComputedStyle(s).color") != page.locator("#sources .src-body").first.evaluate(
        "b => getComputedStyle(b).color")
    assert page.locator("#chat a.cite").count() >= 1 and "[12]" not in page.locator("#chat a.cite").all_inner_texts()
    copied = page.locator("#chat .copy-text").last.text_content()  # what 复制 copies
    assert "“滨河口袋公园”¹²4个" in copied and "[12]" not in copied  # raised: it would read as a citation


def test_gradio_texts_are_chinese_even_in_an_english_browser(browser, server, tmp_path):
    page = open_page(browser, server, locale="en-US", **DESKTOP)
    try:
        page.wait_for_function("document.documentElement.lang.startsWith('zh')")
        page.get_by_role("tab", name="知识库").click()
        page.wait_for_timeout(500)
        text = page.locator("body").inner_text()
        for english in ("Drop File Here", "Click to Upload", "Use via API", "Copy message"):
            assert english not in text
        exe = tmp_path / "setup.exe"
        exe.write_bytes(b"MZ")
        upload(page, exe)
        wait_text(page, "#upload-results", "不支持的文件类型", 30_000)
        assert "Invalid file type" not in page.locator("body").inner_text()
        page.screenshot(path=str(ARTIFACTS / "english-browser-knowledge-base.png"), full_page=True)
    finally:
        page.context.close()


# ---- issue #20 and #18: no lost question, no escaped markup, trends with a chart -------------------

@pytest.fixture
def fresh_page(browser, tmp_path, bundled_index):
    """A page of its own `python app.py` process, as users run it: the queue is watched from a clean
    start (several Gradio apps in the test process share state that a queue test trips over)."""
    from tests.test_api import start_app, stop

    process, url = start_app(shutil.copytree(bundled_index, tmp_path / "index"))
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page.server_log = process.log_path  # shown on failure
    page.console = []
    page.on("console", lambda m: page.console.append(f"{m.type}: {m.text}"))
    page.goto(url + "/")
    page.locator("#question textarea").wait_for()
    yield page
    page.close()
    stop(process)


def test_a_question_sent_while_one_is_pending_is_queued_and_answered(fresh_page):
    page = fresh_page
    page.evaluate("""() => { window.__sawPending = false;
        new MutationObserver(() => { if (document.querySelector('#chat .pending-answer')) window.__sawPending = true; })
          .observe(document.body, {subtree: true, childList: true}); }""")
    ask(page, "新增城市绿地多少？")
    ask(page, "生产粮食多少万吨？")  # sent right after, before the first answer is in
    try:
        page.wait_for_function("document.querySelector('#chat').innerText.includes('23.4万吨') && "
                               "!document.querySelector('#chat .pending-answer')", timeout=120_000)
    except Exception as exc:  # what the page and the server saw, for a failure CI cannot show otherwise
        page.screenshot(path=str(ARTIFACTS / "chat-queued.png"), full_page=True)
        raise AssertionError(f"chat: {page.locator('#chat').inner_text()!r}\nconsole: {page.console[-20:]}\n"
                             f"server log: {page.server_log.read_text(errors='replace')[-3000:]}") from exc
    chat = page.locator("#chat").inner_text()
    assert "8.4万平方米" in chat and "生产粮食多少万吨？" in chat and "23.4万吨" in chat
    assert page.evaluate("window.__sawPending")  # each question showed at once, with 正在检索…
    page.screenshot(path=str(ARTIFACTS / "chat-queued.png"), full_page=True)


def test_apostrophes_reach_the_user_as_written(page):
    ask(page, "What's the forest coverage rate?")
    page.locator("#sources mark, #sources .related").first.wait_for(timeout=120_000)
    page.wait_for_timeout(300)
    chat = page.locator("#chat").inner_text()
    assert "What's" in chat and "&#x27;" not in chat and "&amp;" not in chat


@pytest.fixture(scope="module")
def years_server(tmp_path_factory, embedder):
    """The app over three yearly reports of one county, written here."""
    from rag import Assistant
    from rag.web import serve

    folder = tmp_path_factory.mktemp("years")
    paths = []
    for year, jobs, target in ((2022, "1.5", "1.2"), (2023, "1.6", "1.3"), (2024, "1.7", "1.4")):
        path = folder / f"白河县{year}年政府工作报告.txt"
        path.write_text(f"白河县{year}年政府工作报告\n一、{year - 1}年工作回顾\n全县城镇新增就业{jobs}万人。\n"
                        f"二、{year}年主要目标\n城镇新增就业{target}万人以上。", encoding="utf-8")
        paths.append(path)
    Assistant.load(folder / "index", embedder=embedder, build_if_missing=False).add_documents(paths)
    port = _free_port()
    demo = serve(index_dir=str(folder / "index"), port=port, prevent_thread_lock=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)])
def test_a_trend_question_gets_a_cited_table_and_a_chart(browser, years_server, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page.goto(years_server)
    page.locator("#question textarea").wait_for()
    ask(page, "2021到2023年每年城镇新增就业的实际和目标分别是多少？")
    page.locator("#chat table.answer-table").wait_for(timeout=120_000)
    table = page.locator("#chat table.answer-table").inner_text()
    assert "1.5万人" in table and "1.6万人" in table and "1.7万人" in table and "[1]" in table
    page.locator("#trend-chart").wait_for(state="visible", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / f"trend-{size[0]}.png"), full_page=True)
    page.get_by_role("tab", name="指标").click()
    page.locator("#measure input").fill("城镇新增就业")
    page.locator("#show-indicator").click()
    page.locator("#indicator-table").get_by_text("1.7万人").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / f"indicators-{size[0]}.png"), full_page=True)
    page.close()


# ---- issue #20: older answers' citations, tips, phone sizes and scrolling ------------------------

def answered(page, count: int, timeout: int = 120_000) -> None:
    page.wait_for_function(f"document.querySelectorAll('#chat .copy-answer').length >= {count}", timeout=timeout)
    page.wait_for_timeout(300)


def test_an_earlier_answers_citation_opens_its_own_sources(page):
    ask(page, "2023年生产粮食和蔬菜分别多少？")
    answered(page, 1)
    ask(page, "新增城市绿地多少？")
    answered(page, 2)
    assert "生产粮食" not in page.locator("#sources").inner_text()  # the panel holds the latest answer
    page.locator("#chat a.cite").first.click()  # [1] of the first answer
    page.locator("#sources .source.active").wait_for()
    assert "生产粮食23.4万吨" in page.locator("#sources .source.active").inner_text()
    assert page.locator("#sources mark.current").all_inner_texts() == ["生产粮食23.4万吨、蔬菜28.5万吨"]
    page.locator("#chat a.cite").last.click()  # and the latest answer's [1] brings its own back
    page.wait_for_function("document.querySelector('#sources .source.active')?.innerText.includes('8.4万平方米')")
    page.screenshot(path=str(ARTIFACTS / "older-citation.png"), full_page=True)


def test_the_followed_citation_lights_its_own_quote_in_a_shared_card(page):
    ask(page, "黔江区乡村振兴取得了哪些成效？")
    answered(page, 1)
    # a card that holds several citations of one passage
    n = page.evaluate("""() => { const card = [...document.querySelectorAll('#sources .source')]
        .find(c => [...c.classList].filter(x => x.startsWith('src-')).length >= 2);
        return card && [...card.classList].filter(x => x.startsWith('src-')).pop().slice(4); }""")
    assert n, "the list answer cites one passage several times"
    page.locator(f"#chat a.cite-{n}").first.click()
    quote = page.locator(f"#chat a.cite-{n} .tip").first.text_content().split("：", 1)[1]
    lit = page.locator("#sources .source.active mark.current").all_inner_texts()
    assert "".join(lit) == re.sub(r"\[(\d+)\]", r"\1", quote)  # [n]'s sentence, not every quote of the card
    assert page.locator("#sources .source.active mark:not(.current)").count() >= 1


def test_the_tip_of_the_last_answer_is_not_cut_off(page):
    for i, question in enumerate(["黔江区乡村振兴取得了哪些成效？", "2023年生产粮食和蔬菜分别多少？", "新增城市绿地多少？"]):
        ask(page, question)
        answered(page, i + 1)
    cite = page.locator("#chat a.cite").last
    # the chat scrolled so that the [n] sits on the chat box's bottom edge
    page.evaluate("""() => { const cite = [...document.querySelectorAll('#chat a.cite')].pop();
        const wrap = cite.closest('.bubble-wrap');
        wrap.scrollTop += cite.getBoundingClientRect().bottom - wrap.getBoundingClientRect().bottom + 6; }""")
    page.wait_for_timeout(200)
    cite.hover()
    tip = page.locator("body > .cite-tip")
    tip.wait_for(state="visible")
    assert tip.text_content() == cite.locator(".tip").text_content()  # the [n]'s own quote
    box = tip.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 1000  # inside the window
    # what is drawn at the tip's lower edge is the tip itself: nothing clips it
    # (the tip ignores the pointer; for the probe it takes it, so elementFromPoint sees paint order)
    inside = page.evaluate("([x, y]) => { document.querySelector('.cite-tip').style.pointerEvents = 'auto';"
                           " return !!document.elementFromPoint(x, y)?.closest('.cite-tip'); }",
                           [box["x"] + box["width"] / 2, box["y"] + box["height"] - 3])
    page.screenshot(path=str(ARTIFACTS / "tip-last-answer.png"))
    assert inside
    page.locator("#chat a.cite").first.click()  # a clicked [n] keeps focus: its tip must not stay over the next
    second = page.locator("#chat a.cite").nth(1)
    second.hover()
    page.wait_for_timeout(200)
    assert page.locator(".cite-tip:visible").count() == 1
    assert page.locator(".cite-tip").text_content() == second.locator(".tip").text_content()


@pytest.fixture
def phone(browser, server):
    page = open_page(browser, server, **PHONE, permissions=["clipboard-read", "clipboard-write"])
    yield page
    page.context.close()


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] < 844 and box["y"] + min(box["height"], 40) > 0


def test_phone_targets_scrolling_and_refusals(phone):
    ask(phone, "黔江区乡村振兴取得了哪些成效？")
    answered(phone, 1)
    sizes = phone.evaluate("""() => ['#chat a.cite', '#chat a.copy-answer', '#chat details.answer-sources summary']
        .map(s => document.querySelector(s).getBoundingClientRect().height)""")
    assert min(sizes) >= 44, sizes  # finger-sized (WCAG 2.5.5)
    label, copy = phone.evaluate("""() => { const m = [...document.querySelectorAll('#chat [aria-label]')]
        .find(e => e.querySelector('.copy-text') && !e.querySelector(':scope [aria-label] .copy-text'));  // the message
        return [m.getAttribute('aria-label'), [...m.querySelectorAll('.copy-line')].map(l => l.textContent).join('\\n')]; }""")
    lines = copy.split("\n\n来源")[0].split("\n")
    assert label.startswith("回答：") and len(lines) >= 3 and all(line in label for line in lines)  # every item
    phone.locator("#chat a.cite").first.tap()  # unfolds and scrolls to the source
    phone.locator("#chat .source.active").wait_for()
    ask(phone, "黔江区区长是谁？")
    answered(phone, 2)
    phone.wait_for_timeout(800)
    question = phone.locator("#chat").get_by_text("黔江区区长是谁？").last
    assert in_view(phone, question)  # the new question came into view
    related = phone.locator("#chat details.related-sources").last
    assert "可能相关" in related.inner_text()  # a refusal shows its closest passages on a phone too
    related.locator("summary").tap()
    phone.locator("#chat details.related-sources .related").first.wait_for(state="visible")
    phone.screenshot(path=str(ARTIFACTS / "phone-refusal-related.png"), full_page=True)


def test_phone_knowledge_base_shows_why_a_file_failed(phone, tmp_path):
    exe = tmp_path / "2023年某县政府工作报告（征求意见稿）修订版.exe"
    exe.write_bytes(b"MZ")
    upload(phone, exe)
    wait_text(phone, "#upload-results", "不支持的文件类型", 30_000)
    reason = phone.locator("#upload-results").get_by_text("不支持的文件类型").first
    box = reason.bounding_box()
    assert box["x"] < 390 - 40  # the reason starts on screen, not beyond the right edge
    phone.screenshot(path=str(ARTIFACTS / "phone-upload-reason.png"), full_page=True)


def test_a_question_typed_while_an_answer_comes_in_stays_in_the_box(page):
    # typed, not yet sent, the moment 正在检索… shows (a quick answer leaves no time to type from here)
    page.evaluate("""() => { const typed = new MutationObserver(() => {
        if (!document.querySelector('#chat .pending-answer')) return;
        typed.disconnect();
        const box = document.querySelector('#question textarea');
        box.value = '那村集体经济组织收入呢？';
        box.dispatchEvent(new Event('input', {bubbles: true}));
        window.__typed = true; });
      typed.observe(document.body, {subtree: true, childList: true}); }""")
    ask(page, "2023年完成户厕改造多少户？")
    answered(page, 1)
    assert page.evaluate("window.__typed")
    page.wait_for_timeout(1000)
    assert page.locator("#question textarea").input_value() == "那村集体经济组织收入呢？"


def test_the_indicators_view_offers_measures_of_a_single_report(page):
    page.get_by_role("tab", name="指标").click()
    page.locator("#measure input").click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=10_000)
    assert "城镇新增就业" in options.all_inner_texts()
