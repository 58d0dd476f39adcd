"""Load test of the web app's API, on loopback only, bounded in time.

    python -m eval.load                       # 20 clients for 60 s, a report added after 5 s
    python -m eval.load --clients 5 --seconds 10

Each client asks questions of the project's set through `/ask` (gradio_client) in a loop. While
they run, a report is indexed into the same assistant, as an upload would. Records errors, torn
reads (an answer whose [n] markers or quotes do not match its citations), p50/p95/p99 latency
and throughput to eval/results/load.md.
"""
from __future__ import annotations

import argparse
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
    return numbers == cited and all(c["quote"] in c["text"] for c in result["citations"])


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
    args = parser.parse_args(argv)
    from gradio_client import Client

    questions = [q.question for q in datasets.qianjiang().questions if not q.history]
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant.load(Path(tmp) / "index")
        port = _free_port()
        demo = serve(port=port, prevent_thread_lock=True, assistant=assistant)
        url = f"http://127.0.0.1:{port}/"
        latencies: list[float] = []
        errors: list[str] = []
        torn = 0
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds

        def client(seed: int) -> None:
            nonlocal torn
            rng = random.Random(seed)
            c = Client(url, verbose=False)
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    result = c.predict(rng.choice(questions), api_name="/ask")
                except Exception as exc:  # record, never stop the run
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}"[:200])
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
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
    command = "python -m eval.load " + " ".join(argv if argv is not None else sys.argv[1:])
    text = f"# Load test\n\n{stamp(command)}\n\n{markdown_table([row], list(row))}\n"
    if errors:
        text += "\nFirst errors:\n\n" + "\n".join(f"- {e}" for e in errors[:5]) + "\n"
    print(text)
    write_result("load.md", text)
    return 1 if errors or torn else 0


if __name__ == "__main__":
    sys.exit(main())
