"""Indexing speed end to end: `rag index` of national reports, the code of issue #21's filing
against today's, in one run on one host.

    git worktree add /tmp/rag-1aaa4ce 1aaa4ce       # the code when issue #21 was filed
    python -m eval.bench_index_e2e --baseline /tmp/rag-1aaa4ce --years 2014 2016 2018 2022 --runs 3

Each way indexes the same reports (written as .txt files from the national reports) into a fresh
index directory with `python -m rag.cli index DOCS --index DIR --quiet`, in its own process with
that code on PYTHONPATH, so parsing, chunking, tokenising, embedding and writing are all timed,
as a user waits for them (process start and model loading included). Ways are interleaved in
each of ``--runs`` rounds; the median is reported. Ways:
* ``baseline``: the given checkout (in-process embedding, every core through OpenMP);
* ``today, in-process``: this checkout with ``--workers 0``;
* ``today, default``: this checkout as shipped (one single-thread embedding worker per core);
* ``today, --rebuild``: the same index rebuilt with ``--rebuild`` (chunks whose embedded text and
  model are unchanged keep their vectors: rag.reuse), after a first build outside the timing.
Writes eval/results/bench-index-e2e.md.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import datasets
from .common import markdown_table, stamp, write_result

HERE = Path(__file__).resolve().parent.parent


def write_reports(years: list[int], folder: Path, data: str | None) -> None:
    by_year = {d.year: d for d in datasets.load("gov", data).documents}
    for year in years:
        (folder / f"{year}年政府工作报告.txt").write_text(by_year[year].text, encoding="utf-8")


def index(code: Path, docs: Path, target: Path, extra: list[str]) -> float:
    """Seconds `rag index` takes with the code in ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rag.cli", "index", str(docs), "--index", str(target), "--quiet", *extra],
                   cwd=code, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def n_chunks(target: Path) -> int:
    version = (target / "CURRENT").read_text().strip()
    return json.loads((target / version / "manifest.json").read_text())["n_chunks"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True, help="a checkout of the code to compare with")
    parser.add_argument("--years", type=int, nargs="+", default=[2014, 2016, 2018, 2022])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data")
    args = parser.parse_args(argv)
    command = "python -m eval.bench_index_e2e " + " ".join(argv if argv is not None else sys.argv[1:])
    baseline = Path(args.baseline).resolve()
    work = Path(tempfile.mkdtemp(prefix="bench-e2e-"))
    docs = work / "docs"
    docs.mkdir()
    write_reports(args.years, docs, args.data)
    ways = {"baseline (issue #21's code), in-process": (baseline, []),
            "today, in-process (--workers 0)": (HERE, ["--workers", "0"]),
            "today, default (a worker per core)": (HERE, []),
            "today, --rebuild (stored vectors reused)": (HERE, ["--rebuild"])}
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    chunks: dict[str, int] = {}
    for _round in range(args.runs):
        for name, (code, extra) in ways.items():
            target = work / "index"
            shutil.rmtree(target, ignore_errors=True)
            if "--rebuild" in extra:
                index(code, docs, target, [])  # the first build, not timed
            seconds[name].append(index(code, docs, target, extra))
            chunks[name] = n_chunks(target)
    rows = [{"way": name, "chunks": chunks[name], "median s": statistics.median(s),
             "chunks/s": chunks[name] / statistics.median(s),
             "runs s": ", ".join(f"{x:.1f}" for x in s)} for name, s in seconds.items()]
    base = rows[0]["chunks/s"]
    for row in rows:
        row["× baseline"] = row["chunks/s"] / base
    text = "\n".join(["# Indexing end to end: `rag index` of national reports", "", stamp(command), "",
                      f"Reports: {', '.join(str(y) for y in args.years)} ({sum(len(p.read_text()) for p in docs.iterdir())} "
                      f"characters); {os.cpu_count()} cores; medians of {args.runs} interleaved rounds.", "",
                      markdown_table(rows, ["way", "chunks", "median s", "chunks/s", "× baseline", "runs s"])])
    print(text)
    write_result("bench-index-e2e.md", text + "\n")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
