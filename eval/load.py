"""Soak test of the web app under a live index, on loopback only, bounded in time.

    python -m eval.load                                  # 10 clients for 120 s, 20 add/remove cycles
    python -m eval.load --clients 2 --seconds 10 --writes 2

The web app runs in its own process (`rag serve`), as in production. Clients ask questions of the
project's set through its `/ask` API (gradio_client) in a loop. Meanwhile another process writes
to the same index directory with the command line, as an administrator would: `rag index` adds a
small report with a fact found nowhere else, then `rag remove` takes it out again, ``--writes``
times. After each write, a probe asks about the new fact until the app answers it from the new
report: the time from the end of the write to that answer is "visible after". Records errors,
torn reads (an answer whose [n] markers or quotes do not match its citations), latency, and the
server's resident memory over the run, to eval/results/load.md.
    python -m eval.load --api                            # half the clients through the OpenAI and REST API

With ``--api``, odd-numbered clients ask through the OpenAI-compatible API (``openai`` package,
streamed and not) and ``POST /api/ask`` in turn, on the same port (eval/results/load-api.md).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import datasets
from .common import markdown_table, stamp, write_result
from .metrics import percentile

# Facilities that appear in no report of the project: each cycle's fact is unmistakably its own.
FACILITIES = ["航天科普馆", "冰雪运动场", "非遗工坊", "智慧药房", "数字书屋", "青少年天文台", "帆船码头", "茶艺学堂",
              "骑行驿站", "攀岩馆", "陶艺中心", "共享农庄", "氢能加注站", "无人机机场", "马拉松步道", "露营基地",
              "口袋剧场", "研学营地", "围棋会馆", "民族乐器坊"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def consistent(result: dict) -> bool:
    """No torn read: every [n] has its citation and every quote lies inside its passage."""
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", result["answer"])}
    cited = {c["n"] for c in result["citations"]}
    # The chat protocol's citations carry the quote but not the whole passage.
    return numbers == cited and all(c["quote"] in c.get("text", c["quote"]) and c["quote"] for c in result["citations"])


def web_asker(url: str):
    """Questions through the web app's Gradio API, as the web clients send them."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    return "web", lambda question: client.predict(question, api_name="/ask")


def api_asker(url: str, seed: int):
    """Questions through the API in turn: chat completion, streamed chat completion, /api/ask.
    Returns the answer text and citations, as the web API does."""
    import itertools

    import httpx
    import openai

    key = os.environ.get("RAG_API_KEY", "none")  # needed only when the server has one
    chat = openai.OpenAI(base_url=url + "v1", api_key=key, max_retries=0, timeout=300)
    rest = httpx.Client(base_url=url, timeout=300, headers={"Authorization": f"Bearer {key}"})
    turns = itertools.count(seed)

    def ask(question: str) -> dict:
        kind = next(turns) % 3
        if kind == 2:
            return rest.post("/api/ask", json={"question": question}).raise_for_status().json()
        messages = [{"role": "user", "content": question}]
        if kind == 0:
            response = chat.chat.completions.create(model="extractive", messages=messages, extra_body={"sources": False})
            return {"answer": response.choices[0].message.content, "citations": response.citations}
        chunks = list(chat.chat.completions.create(model="extractive", messages=messages, stream=True,
                                                   extra_body={"sources": False}))
        return {"answer": "".join(c.choices[0].delta.content or "" for c in chunks), "citations": chunks[-1].citations}

    return "api", ask


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _rag(*args: str, index_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag.cli", *args, "--index", str(index_dir)],
                          capture_output=True, text=True, encoding="utf-8", check=True, timeout=600)


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def _wait_for_server(url: str, process: subprocess.Popen, timeout: float = 300) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the web app exited with status {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the web app did not start in time")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=120, help="how long the clients ask")
    parser.add_argument("--writes", type=int, default=20, help="add/remove cycles by another process")
    parser.add_argument("--visible-within", type=float, default=2.0, help="target: seconds until a write is answered")
    parser.add_argument("--api", action="store_true", help="odd-numbered clients use the OpenAI/REST API")
    args = parser.parse_args(argv)
    from gradio_client import Client

    questions = [q.question for q in datasets.qianjiang().questions if not q.history]
    rng = random.Random(10)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        index_dir = tmp / "index"
        _rag("index", "-q", index_dir=index_dir)  # the bundled report, before the clock starts
        port = _free_port()
        env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
        log = open(tmp / "server.log", "w", encoding="utf-8")
        server = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--index", str(index_dir), "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp)
        url = f"http://127.0.0.1:{port}/"
        try:
            _wait_for_server(url, server)
            latencies: list[float] = []
            by_interface: dict[str, list[float]] = {"web": [], "api": []}
            errors: list[str] = []
            memory: list[tuple[float, float]] = []
            visible: list[float] = []
            gone: list[float] = []
            torn = 0
            lock = threading.Lock()
            started = time.monotonic()
            deadline = started + args.seconds
            done = threading.Event()  # the writer's last cycle is over
            finished = threading.Event()

            def client(seed: int) -> None:
                nonlocal torn
                local = random.Random(seed)
                interface, ask = api_asker(url, seed) if args.api and seed % 2 else web_asker(url)
                while time.monotonic() < deadline or not done.is_set():  # until the last write too
                    begun = time.perf_counter()
                    try:
                        result = ask(local.choice(questions))
                    except Exception as exc:  # record, never stop the run
                        with lock:
                            errors.append(f"ask: {type(exc).__name__}: {exc}"[:200])
                        continue
                    with lock:
                        elapsed = (time.perf_counter() - begun) * 1000
                        latencies.append(elapsed)
                        by_interface[interface].append(elapsed)
                        torn += not consistent(result)

            def wait_until(probe: Client, question: str, check, limit: float = 60) -> float:
                """Seconds until the app's answer to ``question`` passes ``check``."""
                begun = time.perf_counter()
                while time.perf_counter() - begun < limit:
                    try:
                        if check(probe.predict(question, api_name="/ask")):
                            return time.perf_counter() - begun
                    except Exception as exc:
                        with lock:
                            errors.append(f"probe: {type(exc).__name__}: {exc}"[:200])
                    time.sleep(0.05)
                return float("inf")

            def writer() -> None:
                probe = Client(url, verbose=False)
                slot = args.seconds / max(1, args.writes)  # cycle i adds at i * slot, removes half a slot later
                for i in range(args.writes):
                    _sleep_until(started + i * slot)
                    facility, count = FACILITIES[i % len(FACILITIES)], rng.randint(11, 97)
                    report = tmp / f"{2000 + i}年报告-{i}.txt"
                    report.write_text(f"{2000 + i}年政府工作报告\n全年建成{facility}{count}座，服务群众{count + 3}万人次。",
                                      encoding="utf-8")
                    try:
                        doc_id = json.loads(_rag("index", str(report), "-q", "--json", index_dir=index_dir).stdout
                                            )["results"][0]["doc_id"]
                    except (subprocess.CalledProcessError, KeyError, ValueError) as exc:
                        with lock:
                            errors.append(f"rag index: {exc}"[:200])
                        continue
                    question = f"{2000 + i}年全年建成{facility}多少座？"
                    visible.append(wait_until(probe, question, lambda r: f"{count}座" in r["answer"] and any(
                        c["doc_id"] == doc_id for c in r["citations"])))
                    _sleep_until(started + (i + 0.5) * slot)
                    try:
                        _rag("remove", doc_id, index_dir=index_dir)
                    except subprocess.CalledProcessError as exc:
                        with lock:
                            errors.append(f"rag remove: {exc.stderr}"[:200])
                        continue
                    gone.append(wait_until(probe, question, lambda r: not any(c["doc_id"] == doc_id for c in r["citations"])))
                done.set()

            def sample_memory() -> None:
                while not finished.wait(2.0):
                    memory.append((time.monotonic() - started, rss_mb(server.pid)))

            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            helpers = [threading.Thread(target=writer), threading.Thread(target=sample_memory)]
            memory.append((0.0, rss_mb(server.pid)))
            for t in threads + helpers:
                t.start()
            for t in threads + helpers[:1]:
                t.join()
            finished.set()
            helpers[1].join()
            wall = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
    # Memory after the first quarter (models, caches and the first writes warmed up) against the end.
    warm = next((mb for t, mb in memory if t >= wall / 4), memory[0][1])
    row = {"clients": args.clients, "seconds": round(wall, 1), "requests": len(latencies), "errors": len(errors),
           "torn reads": torn, "req/s": len(latencies) / wall, "p50 ms": percentile(latencies, 50),
           "p95 ms": percentile(latencies, 95), "p99 ms": percentile(latencies, 99),
           "writes (add+remove)": f"{len(visible)}+{len(gone)}",
           "new report answered after s (p50 / max)": f"{percentile(visible, 50):.2f} / {max(visible, default=0):.2f}",
           "removal seen after s (max)": f"{max(gone, default=0):.2f}",
           "server RSS MB (start / warm / end)": f"{memory[0][1]:.0f} / {warm:.0f} / {memory[-1][1]:.0f}"}
    if args.api:
        for interface, times in by_interface.items():
            row[f"{interface} requests"] = len(times)
            row[f"{interface} p50 / p95 ms"] = f"{percentile(times, 50):.0f} / {percentile(times, 95):.0f}" if times else "-"
    command = "python -m eval.load " + " ".join(argv if argv is not None else sys.argv[1:])
    text = f"# Soak test: the web app under a live index\n\n{stamp(command)}\n\n{markdown_table([row], list(row))}\n"
    text += "\nServer memory over the run (s, MB): " + ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb in memory[::5]) + "\n"
    if errors:
        text += "\nFirst errors:\n\n" + "\n".join(f"- {e}" for e in errors[:5]) + "\n"
    print(text)
    write_result("load-api.md" if args.api else "load.md", text)
    late = [v for v in visible if v > args.visible_within]
    return 1 if errors or torn or late or len(visible) < args.writes else 0


if __name__ == "__main__":
    sys.exit(main())
