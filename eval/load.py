"""Load test of the web app's API, on loopback only, bounded in time.

    python -m eval.load                       # 20 clients for 60 s, a report added after 5 s
    python -m eval.load --clients 5 --seconds 10
    python -m eval.load --api                 # half the clients use the OpenAI and REST API instead

Each client asks questions of the project's set through `/ask` (gradio_client) in a loop. While
they run, a report is indexed into the same assistant, as an upload would. Records errors, torn
reads (an answer whose [n] markers or quotes do not match its citations), p50/p95/p99 latency
and throughput to eval/results/load.md. With ``--api``, odd-numbered clients ask through the
OpenAI-compatible API (``openai`` package, streamed and not) and ``POST /api/ask`` in turn, on the
same port as the web clients (eval/results/load-api.md).
"""
from __future__ import annotations

import argparse
import os
import random
import re
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

from rag import Assistant
from rag.web import serve

from . import datasets
from .common import markdown_table, stamp, write_result
from .metrics import percentile


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


def extra_report(data: str | None, directory: Path) -> Path:
    """A report to add during the run: the 2024 national report when the data is there."""
    path = directory / "2024年政府工作报告.txt"
    try:
        gov = datasets.load("gov", data)
        path.write_text(next(d.text for d in gov.documents if d.year == 2024), encoding="utf-8")
    except (OSError, StopIteration, SystemExit):
        path.write_text(datasets.qianjiang().documents[0].text.replace("2023", "2022"), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--add-after", type=float, default=5)
    parser.add_argument("--data")
    parser.add_argument("--api", action="store_true", help="odd-numbered clients use the OpenAI/REST API")
    args = parser.parse_args(argv)

    questions = [q.question for q in datasets.qianjiang().questions if not q.history]
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant.load(Path(tmp) / "index")
        port = _free_port()
        demo = serve(port=port, prevent_thread_lock=True, assistant=assistant)
        url = f"http://127.0.0.1:{port}/"
        latencies: list[float] = []
        by_interface: dict[str, list[float]] = {"web": [], "api": []}
        errors: list[str] = []
        torn = 0
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds

        def client(seed: int) -> None:
            nonlocal torn
            rng = random.Random(seed)
            interface, ask = api_asker(url, seed) if args.api and seed % 2 else web_asker(url)
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    result = ask(rng.choice(questions))
                except Exception as exc:  # record, never stop the run
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}"[:200])
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    by_interface[interface].append(elapsed)
                    torn += not consistent(result)

        def add_report() -> None:
            time.sleep(args.add_after)
            started = time.perf_counter()
            results = assistant.add_documents([extra_report(args.data, Path(tmp))])
            add_report.seconds = time.perf_counter() - started
            add_report.chunks = results[0].chunks

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        adder = threading.Thread(target=add_report)
        started = time.perf_counter()
        for t in threads + [adder]:
            t.start()
        for t in threads + [adder]:
            t.join()
        wall = time.perf_counter() - started
        demo.close()
    row = {"clients": args.clients, "seconds": round(wall, 1), "requests": len(latencies), "errors": len(errors),
           "torn reads": torn, "req/s": len(latencies) / wall, "p50 ms": percentile(latencies, 50),
           "p95 ms": percentile(latencies, 95), "p99 ms": percentile(latencies, 99),
           "report added": f"{getattr(add_report, 'chunks', '?')} chunks in {getattr(add_report, 'seconds', 0):.0f} s"}
    if args.api:
        for interface, times in by_interface.items():
            row[f"{interface} requests"] = len(times)
            row[f"{interface} p50 / p95 ms"] = f"{percentile(times, 50):.0f} / {percentile(times, 95):.0f}" if times else "-"
    command = "python -m eval.load " + " ".join(argv if argv is not None else sys.argv[1:])
    text = f"# Load test\n\n{stamp(command)}\n\n{markdown_table([row], list(row))}\n"
    if errors:
        text += "\nFirst errors:\n\n" + "\n".join(f"- {e}" for e in errors[:5]) + "\n"
    print(text)
    write_result("load-api.md" if args.api else "load.md", text)
    return 1 if errors or torn else 0


if __name__ == "__main__":
    sys.exit(main())
