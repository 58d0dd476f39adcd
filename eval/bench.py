"""Speed, memory and size, at three scales.

    python -m eval.bench                                  # bundled report + synthetic FAISS up to 100k
    python -m eval.bench --scales bundled gov synthetic --max-synthetic 1000000

* bundled / gov: indexing throughput (chunks/s, embedder share), warm search and ask latency
  p50/p95, cold start of `rag search` (median of 3 processes), peak memory, index size on disk.
  The gov scale indexes the 52 national reports once (~15 min here) and caches the index.
* real: exact, HNSW and IVF built on the national reports' own vectors, searched with real
  questions: recall@10 against exact search.
* synthetic: random unit vectors (d=384) for the FAISS index types exact/HNSW/IVF: build time,
  single-query latency p50 and recall@10 against exact search. Random vectors have no cluster
  structure, the worst case for approximate indexes.
Writes eval/results/bench-<scales>.md and bench-latency.png.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from rag.store import build_vector_index

from . import datasets
from .common import index_for, line_plot, markdown_table, result_path, stamp, write_result
from .metrics import percentile

QUERIES = [q.question for q in datasets.qianjiang().questions if not q.history]


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def bench_collection(name: str, dataset, queries: list[str], cache: Path | None) -> dict:
    started = time.perf_counter()
    assistant = index_for(dataset, quiet=True, cache=cache)
    build_s = time.perf_counter() - started
    chunks = assistant.snapshot.chunks
    sample = [c.search_text for c in chunks[:200]]
    embed_s = _timed(lambda: assistant.embedder.embed_passages(sample), 1)[0] / 1000
    embed_rate = len(sample) / embed_s
    assistant.search(queries[0])  # warm up (jieba, caches)
    search_ms = [t for q in queries for t in _timed(lambda q=q: assistant.search(q, k=5), 1)]
    ask_ms = [t for q in queries for t in _timed(lambda q=q: assistant.ask(q), 1)]
    query_embed_ms = _timed(lambda: assistant.embedder.embed_queries([queries[0]]), 20)
    cold = []
    env = {**os.environ, "RAG_INDEX_DIR": str(assistant.config.index_dir)}
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rag.cli", "search", queries[0], "-k", "3"], env=env,
                       capture_output=True, check=True)
        cold.append(time.perf_counter() - started)
    child_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"scale": name, "documents": len(assistant.documents()), "chunks": len(chunks),
            "index build s (cached: 0)": round(build_s, 1),
            "embed chunks/s": round(embed_rate, 1),
            "search p50 ms": percentile(search_ms, 50), "search p95 ms": percentile(search_ms, 95),
            "query embed p50 ms": percentile(query_embed_ms, 50),
            "ask p50 ms": percentile(ask_ms, 50), "ask p95 ms": percentile(ask_ms, 95),
            "cold `rag search` s (median)": round(statistics.median(cold), 2),
            "peak RSS MB (this process)": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "peak RSS MB (cold CLI)": round(child_peak_mb),
            "index MB on disk": round(_dir_size(assistant.snapshot.directory) / 1e6, 2)}


def bench_indexing_throughput() -> dict:
    """Index the bundled report from scratch, timing the embedder's share."""
    from rag import Assistant
    from rag.chunking import chunk_document
    from rag.documents import bundled_document

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        assistant = Assistant.load(Path(tmp) / "index", quiet=True)
        total = time.perf_counter() - started
        chunks = chunk_document(bundled_document())
        embed = _timed(lambda: assistant.embedder.embed_passages([c.search_text for c in chunks]), 1)[0] / 1000
    mean_chars = statistics.mean(len(c.text) for c in chunks)
    return {"chunks": len(chunks), "mean chunk chars": round(mean_chars), "total s": round(total, 2),
            "chunks/s": round(len(chunks) / total, 1), "embedder share": round(embed / total, 2)}


def bench_synthetic(sizes: list[int], dim: int = 384, queries: int = 50, budget_s: float = 900) -> list[dict]:
    rng = np.random.default_rng(0)
    rows = []
    for n in sizes:
        vectors = rng.standard_normal((n, dim), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        q = rng.standard_normal((queries, dim), dtype=np.float32)
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        exact = None
        for kind in ("flat", "hnsw", "ivf"):
            started = time.perf_counter()
            index = build_vector_index(vectors, kind)
            build = time.perf_counter() - started
            latencies = []
            found = []
            for i in range(queries):
                t = time.perf_counter()
                _, ids = index.search(q[i:i + 1], 10)
                latencies.append((time.perf_counter() - t) * 1000)
                found.append(ids[0])
            if kind == "flat":
                exact = found
            recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact)]))
            rows.append({"vectors": n, "index": kind, "build s": round(build, 2), "p50 ms": percentile(latencies, 50),
                         "p95 ms": percentile(latencies, 95), "recall@10 vs exact": recall})
            print(rows[-1], file=sys.stderr)
            if build > budget_s:
                print(f"{kind} at {n} took {build:.0f}s, over the budget: stopping here", file=sys.stderr)
                return rows
    return rows


def bench_real_vectors(assistant, queries: list[str]) -> list[dict]:
    """Approximate indexes on the collection's own embeddings and real questions: recall@10
    against exact search, which is what a user of HNSW or IVF gets."""
    vectors = assistant.snapshot.vectors()
    q = assistant.embedder.embed_queries(queries)
    rows, exact = [], None
    for kind in ("flat", "hnsw", "ivf"):
        started = time.perf_counter()
        index = build_vector_index(vectors, kind)
        build = time.perf_counter() - started
        latencies, found = [], []
        for i in range(len(q)):
            t = time.perf_counter()
            _, ids = index.search(q[i:i + 1], 10)
            latencies.append((time.perf_counter() - t) * 1000)
            found.append(ids[0])
        exact = exact or found
        rows.append({"vectors": len(vectors), "index": kind, "build s": round(build, 2),
                     "p50 ms": percentile(latencies, 50), "p95 ms": percentile(latencies, 95),
                     "recall@10 vs exact": float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact)]))})
    return rows


def plot(rows: list[dict], path: Path) -> None:
    series = {kind: ([r["vectors"] for r in rows if r["index"] == kind], [r["p50 ms"] for r in rows if r["index"] == kind])
              for kind in ("flat", "hnsw", "ivf")}
    line_plot({k: v for k, v in series.items() if v[0]}, "vectors in the index", "search p50 ms (1 query, k=10)",
              path, log=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", default=["bundled", "synthetic"], choices=["bundled", "gov", "real", "synthetic"])
    parser.add_argument("--max-synthetic", type=int, default=100_000)
    parser.add_argument("--synthetic-sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000, 1_000_000])
    parser.add_argument("--data")
    parser.add_argument("--cache", type=Path, help="where eval indexes are cached (default eval/.cache)")
    parser.add_argument("--queries", type=int, help="time only the first N questions of each set (a quick run)")
    args = parser.parse_args(argv)
    command = "python -m eval.bench " + " ".join(argv if argv is not None else sys.argv[1:])
    lines = ["# Benchmarks", "", stamp(command), ""]
    if "bundled" in args.scales:
        throughput = bench_indexing_throughput()
        lines += ["## Indexing the bundled report from scratch", "", markdown_table([throughput], list(throughput)), ""]
    collections = []
    if "bundled" in args.scales:
        collections.append(bench_collection("bundled report", datasets.qianjiang(), QUERIES[:args.queries], args.cache))
    if "gov" in args.scales:
        gov = datasets.load("gov", args.data)
        collections.append(bench_collection("52 national reports", gov, [q.question for q in gov.questions][:args.queries],
                                            args.cache))
    if collections:
        columns = list(collections[0])
        lines += ["## Collections", "", markdown_table(collections, columns), ""]
    if "real" in args.scales:
        gov = datasets.load("gov", args.data)
        assistant = index_for(gov, quiet=True, cache=args.cache)
        questions = [q.question for q in gov.questions] + QUERIES
        rows = bench_real_vectors(assistant, questions)
        lines += ["## FAISS index types on the national reports' own vectors (real questions)", "",
                  markdown_table(rows, ["vectors", "index", "build s", "p50 ms", "p95 ms", "recall@10 vs exact"]), ""]
    if "synthetic" in args.scales:
        sizes = [s for s in args.synthetic_sizes if s <= args.max_synthetic]
        rows = bench_synthetic(sizes)
        plot(rows, result_path("bench-latency.png"))
        lines += ["## FAISS index types on random unit vectors (d=384)", "",
                  markdown_table(rows, ["vectors", "index", "build s", "p50 ms", "p95 ms", "recall@10 vs exact"]), "",
                  "![latency](bench-latency.png)", ""]
    text = "\n".join(lines)
    print(text)
    write_result(f"bench-{'-'.join(args.scales)}.md", text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
