"""Issue #19: one key guards every door. A real ``python app.py`` with ``RAG_API_KEY`` set and no
web password, probed with the requests a tester sent: Gradio's own upload, queue and call routes,
cross-site writes, a rebound Host name and oversized bodies."""
from __future__ import annotations

import httpx
import pytest

from rag.guard import Login, _hostname, allowed_hosts
from tests.test_api import KEY, copy_index, start_app, stop


@pytest.fixture(scope="module")
def keyed_index(bundled, tmp_path_factory):
    return copy_index(bundled, tmp_path_factory)


@pytest.fixture(scope="module")
def keyed(keyed_index):
    process, url = start_app(keyed_index, RAG_API_KEY=KEY)
    yield url
    stop(process)


def test_gradio_routes_need_the_key(keyed):
    upload = httpx.post(keyed + "/gradio_api/upload", files={"files": ("x.txt", "新增城市绿地999万平方米。".encode())})
    assert upload.status_code == 401
    assert httpx.post(keyed + "/gradio_api/call/ask", json={"data": ["新增城市绿地多少？"]}).status_code == 401
    assert httpx.post(keyed + "/gradio_api/call/search", json={"data": ["绿地", 5]}).status_code == 401
    join = httpx.post(keyed + "/gradio_api/queue/join", json={"data": [], "fn_index": 0, "session_hash": "x"})
    assert join.status_code == 401
    assert httpx.get(keyed + "/config").status_code == 401


def test_the_key_opens_a_session(keyed):
    with httpx.Client(base_url=keyed, timeout=60) as session:
        assert session.post("/login", data={"username": "admin", "password": "wrong"}).status_code == 400
        assert session.post("/login", data={"username": "admin", "password": KEY}).status_code == 200
        assert session.get("/config").status_code == 200
        upload = session.post("/gradio_api/upload", files={"files": ("x.txt", "城市绿地".encode())})
        assert upload.status_code == 200


def test_cross_site_writes_and_rebound_hosts_are_refused(keyed):
    headers = {"Authorization": f"Bearer {KEY}"}
    evil = httpx.post(keyed + "/api/ask", json={"question": "新增城市绿地多少？"},
                      headers={**headers, "Origin": "http://evil.example"})
    assert evil.status_code == 403 and "其他网站" in evil.json()["error"]["message"]
    same = httpx.post(keyed + "/api/ask", json={"question": "新增城市绿地多少？"},
                      headers={**headers, "Origin": keyed})
    assert same.status_code == 200
    rebound = httpx.get(keyed + "/api/documents", headers={**headers, "Host": "attacker.example:7860"})
    assert rebound.status_code == 421
    assert httpx.delete(keyed + "/api/documents/x", headers={**headers, "Host": "attacker.example"}).status_code == 421


def test_every_route_limits_the_body(keyed):
    big = b'{"data": ["' + b"a" * (2 * 1024 * 1024) + b'"]}'
    response = httpx.post(keyed + "/gradio_api/call/ask", content=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(40):
            yield b"a" * 65536

    response = httpx.post(keyed + "/gradio_api/call/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_wrong_passwords_lock_the_login_for_a_while():
    login = Login("admin", "secret", None, max_failures=3, window=60)
    assert login("admin", "secret")
    for _ in range(3):
        assert not login("admin", "guess")
    assert not login("admin", "secret")  # locked: even the right password waits


def test_host_names():
    assert _hostname("127.0.0.1:7860") == "127.0.0.1" and _hostname("[::1]:7860") == "::1"
    assert allowed_hosts("0.0.0.0") is None and "localhost" in allowed_hosts("127.0.0.1")


# ---- hostile files, odd requests ----------------------------------------------------------------

AUTH = {"Authorization": f"Bearer {KEY}"}


def test_deeply_nested_html_is_refused_by_name_and_the_api_keeps_answering(keyed):
    deep = "<html><body>" + "<div>" * 100_000 + "新增绿地1公顷" + "</div>" * 100_000 + "</body></html>"
    response = httpx.post(keyed + "/api/documents", headers=AUTH, timeout=120,
                          files=[("files", ("深.html", deep.encode()))])
    [row] = response.json()["results"]
    assert row["result"] == "失败" and "深.html" in row["message"] and "嵌套" in row["message"]
    assert httpx.get(keyed + "/api/documents", headers=AUTH, timeout=10).status_code == 200


def test_odd_file_names_and_fields_get_400(keyed):
    for name in ("a." + "x" * 300, "a\x00.txt"):
        # the multipart body written by hand: clients escape a NUL in a file name, attackers do not
        body = (b'--B\r\nContent-Disposition: form-data; name="files"; filename="' + name.encode() +
                b'"\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--\r\n')
        response = httpx.post(keyed + "/api/documents", content=body,
                              headers={**AUTH, "Content-Type": "multipart/form-data; boundary=B"})
        assert response.status_code == 400, (name, response.text)
    chat = httpx.post(keyed + "/v1/chat/completions", headers=AUTH,
                      json={"model": "extractive", "messages": [{"role": "user", "content": [{"type": "text", "text": 5}]}]})
    assert chat.status_code == 400
    assert httpx.get(keyed + "/api/search", headers=AUTH, params={"q": "绿地", "year": -1}).status_code == 400


def test_concurrent_deletes_of_one_document_answer_404_naming_it(keyed, tmp_path):
    import concurrent.futures

    response = httpx.post(keyed + "/api/documents", headers=AUTH, timeout=120,
                          files=[("files", ("删除测试.txt", "2023年删除测试报告\n新建公园3个。".encode()))])
    doc_id = response.json()["results"][0]["doc_id"]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda _: httpx.delete(f"{keyed}/api/documents/{doc_id}", headers=AUTH, timeout=60), range(4)))
    assert sorted(r.status_code for r in codes) == [200, 404, 404, 404]
    missing = next(r for r in codes if r.status_code == 404).json()["error"]["message"]
    assert doc_id in missing and "现有" not in missing


def test_uploads_leave_no_copy_behind(keyed, keyed_index):
    import glob

    response = httpx.post(keyed + "/api/documents", headers=AUTH, timeout=120,
                          files=[("files", ("留存测试.txt", "2023年留存测试报告\n新建公园4个。".encode()))])
    doc_id = response.json()["results"][0]["doc_id"]
    assert httpx.delete(f"{keyed}/api/documents/{doc_id}", headers=AUTH, timeout=60).status_code == 200
    assert glob.glob(str(keyed_index / "uploads" / "*")) == []


def test_uploads_waiting_to_be_indexed_do_not_stall_questions(keyed):
    """One long upload and 45 small ones queued (more than the 40 threads that serve the API) behind it: questions and listings are answered
    while they wait (they used to hold every thread that serves the API)."""
    import concurrent.futures

    long_text = "2023年长文县政府工作报告\n" + "".join(f"第{i}项工程新建道路{i}公里，完成投资{i}亿元。" for i in range(1, 1200))

    def post(name: str, text: str):
        return httpx.post(keyed + "/api/documents", headers=AUTH, timeout=600, files=[("files", (name, text.encode()))])

    with concurrent.futures.ThreadPoolExecutor(46) as pool:
        big = pool.submit(post, "长文.txt", long_text)
        small = [pool.submit(post, f"小{i}.txt", f"2023年小{i}县政府工作报告\n新建公园{i}个。") for i in range(45)]
        answered_while_waiting = 0
        while not big.done():
            listing = httpx.get(keyed + "/api/documents", headers=AUTH, timeout=60)
            answer = httpx.post(keyed + "/api/ask", headers=AUTH, timeout=60, json={"question": "新增城市绿地多少？"})
            assert listing.status_code == 200 and "8.4万平方米" in answer.json()["answer"]
            answered_while_waiting += not big.done()
        assert big.result().status_code == 200 and all(f.result().status_code == 200 for f in small)
    assert answered_while_waiting >= 1
