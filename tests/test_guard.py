"""Issue #19: one key guards every door. A real ``python app.py`` with ``RAG_API_KEY`` set and no
web password, probed with the requests a tester sent: Gradio's own upload, queue and call routes,
cross-site writes, a rebound Host name and oversized bodies."""
from __future__ import annotations

import httpx
import pytest

from rag.guard import Login, _hostname, allowed_hosts
from tests.test_api import KEY, copy_index, start_app, stop


@pytest.fixture(scope="module")
def keyed(bundled, tmp_path_factory):
    process, url = start_app(copy_index(bundled, tmp_path_factory), RAG_API_KEY=KEY)
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
