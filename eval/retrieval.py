"""Retrieval quality, several configurations side by side.

    python -m eval.retrieval                              # the project's own set, default configs
    python -m eval.retrieval --dataset gov cmrc --configs bm25-jieba dense hybrid hybrid-noyear
    python -m eval.retrieval --dataset cmrc --limit 300   # a quick subset
    python -m eval.retrieval --dataset gov --store milvus-lite   # the same index copied into Milvus Lite

Prints Recall@1/3/5/10 (hit rate at k), MRR@10 and nDCG@10 per configuration, writes
eval/results/retrieval-<dataset>.md, a PNG of recall@k curves, and the misses as JSONL.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time

from rag.chunking import ChunkerSettings
from rag.lexical import BM25Index, tokenize
from rag.retrieval import HybridRetriever, SearchSettings
from rag.stores import make_retriever

from . import datasets
from .common import index_for, line_plot, markdown_table, result_path, stamp, write_result
from .metrics import summarize

# name -> (search settings, tokenizer mode)
CONFIGS = {
    "bm25-jieba": (SearchSettings(mode="bm25"), "jieba"),
    "bm25-bigram": (SearchSettings(mode="bm25"), "bigram"),
    "bm25": (SearchSettings(mode="bm25"), "jieba+bigram"),
    "dense": (SearchSettings(mode="dense"), "jieba+bigram"),
    "hybrid-rrf": (SearchSettings(fusion="rrf"), "jieba+bigram"),
    "hybrid-w0.3": (SearchSettings(fusion="weighted", dense_weight=0.3), "jieba+bigram"),
    "hybrid-w0.7": (SearchSettings(fusion="weighted", dense_weight=0.7), "jieba+bigram"),
    "hybrid-jieba": (SearchSettings(), "jieba"),
    "hybrid": (SearchSettings(), "jieba+bigram"),  # the product's default
    "hybrid-noyear": (SearchSettings(year_aware=False), "jieba+bigram"),
    # Milvus store only: BM25 over Milvus's own jieba analyser instead of our tokens
    "bm25-milvus-jieba": (SearchSettings(mode="bm25"), "jieba+bigram"),
    "hybrid-milvus-jieba": (SearchSettings(), "jieba+bigram"),
}
DEFAULT_CONFIGS = ["bm25-jieba", "bm25", "dense", "hybrid-rrf", "hybrid", "hybrid-noyear"]


def retriever_for(assistant, name: str) -> HybridRetriever:
    """The assistant's index searched with another configuration (tokeniser variants re-tokenise
    the stored chunks in memory; the index on disk is not touched)."""
    settings, mode = CONFIGS[name]
    snapshot = assistant.snapshot
    if hasattr(snapshot, "chunks") and mode != snapshot.manifest.get("tokenizer"):  # Milvus tokenises itself
        tokens = [tokenize(c.search_text, mode) for c in snapshot.chunks]
        snapshot = dataclasses.replace(snapshot, _tokens=tokens, bm25=BM25Index(tokens))
    retriever = make_retriever(snapshot, assistant.embedder, settings, mode)
    if name.endswith("milvus-jieba"):
        if not hasattr(retriever, "lexical_field"):
            raise SystemExit(f"{name}: only with --store milvus-lite or a Milvus URI")
        retriever.lexical_field = "sparse_jieba"
    return retriever


def relevance(dataset: datasets.Dataset, question: datasets.Question, hits, assistant) -> list[bool]:
    """Relevance flags of the ranked list: documents for passage-level gold, else chunks that
    contain at least half of an evidence span of the gold document."""
    if dataset.gold_is_document:
        seen, flags = set(), []
        for h in hits:
            if h.doc_id not in seen:
                seen.add(h.doc_id)
                flags.append(h.doc_id == question.gold_doc)
        return flags
    spans = []
    for evidence in question.evidence:
        text = assistant.snapshot.document_text(question.gold_doc)
        start = text.find(evidence)
        if start >= 0:
            spans.append((start, start + len(evidence)))
    flags = [h.doc_id == question.gold_doc and any(min(h.end, e) - max(h.start, s) >= (e - s) / 2 for s, e in spans)
             for h in hits]
    # Overlapping chunks can hold the same evidence: it counts once, where it is first found.
    first = flags.index(True) if True in flags else len(flags)
    return [i == first for i in range(len(flags))]


def evaluate(dataset, assistant, config: str, k: int = 10) -> tuple[dict, list[dict], float]:
    retriever = retriever_for(assistant, config)
    depth = 40 if dataset.gold_is_document else k  # several chunks per passage: rank passages
    rankings, misses, started = [], [], time.perf_counter()
    questions = [q for q in dataset.questions if q.answerable]
    for q in questions:
        text = q.question if not q.history else assistant_resolve(q)
        hits = retriever.search(text, depth)
        flags = relevance(dataset, q, hits, assistant)[:k]
        rankings.append(flags)
        if not any(flags[:1]):
            misses.append({"config": config, "qid": q.qid, "question": q.question, "gold_doc": q.gold_doc,
                           "evidence": q.evidence, "top": [{"doc_id": h.doc_id, "text": h.text[:80]} for h in hits[:3]]})
    seconds = time.perf_counter() - started
    return summarize(rankings), misses, seconds / max(1, len(questions)) * 1000


def assistant_resolve(q) -> str:
    from rag.conversation import resolve_follow_up

    return resolve_follow_up(q.question, q.history)


def plot(rows: list[dict], path) -> None:
    ks = [1, 3, 5, 10]
    line_plot({row["config"]: (ks, [row[f"R@{k}"] for k in ks]) for row in rows}, "k",
              "recall@k (evidence in top k)", path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", nargs="+", default=["qianjiang"], choices=datasets.DATASETS)
    parser.add_argument("--configs", nargs="+", default=DEFAULT_CONFIGS, choices=list(CONFIGS))
    parser.add_argument("--data", help="folder with cmrc2018/ and gov_reports/ (default $RAG_EVAL_DATA or ../shared/data)")
    parser.add_argument("--limit", type=int, help="only the first N questions")
    parser.add_argument("--target-chars", type=int, default=ChunkerSettings().target_chars)
    parser.add_argument("--overlap-chars", type=int, default=ChunkerSettings().overlap_chars)
    parser.add_argument("--store", default="faiss",
                        help="faiss (default), milvus-lite (a Milvus Lite copy of the cached index) or a Milvus URI")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    chunker = ChunkerSettings(target_chars=args.target_chars, max_chars=2 * args.target_chars,
                              overlap_chars=args.overlap_chars)
    command = "python -m eval.retrieval " + " ".join(argv if argv is not None else sys.argv[1:])
    # Results of non-default chunk sizes go beside the default ones, not over them.
    suffix = "" if chunker == ChunkerSettings() else f"-c{chunker.target_chars}"
    suffix += "" if args.store == "faiss" else "-milvus"
    for name in args.dataset:
        dataset = datasets.load(name, args.data)
        if args.limit:
            dataset.questions = dataset.questions[:args.limit]
        assistant = index_for(dataset, chunker, quiet=args.quiet, store=args.store)
        rows, all_misses = [], []
        for config in args.configs:
            metrics, misses, ms = evaluate(dataset, assistant, config)
            rows.append({"config": config, **metrics, "ms/query": ms})
            all_misses += misses
        columns = ["config", "R@1", "R@3", "R@5", "R@10", "MRR@10", "nDCG@10", "n", "ms/query"]
        table = markdown_table(rows, columns)
        print(f"\n{name}: {len(dataset.documents)} documents, {assistant.snapshot.size} chunks "
              f"(target {chunker.target_chars} chars)\n{table}")
        write_result(f"retrieval-{name}{suffix}.md", f"# Retrieval: {name}\n\n{stamp(command)}\n\n"
                     f"{len(dataset.documents)} documents, {assistant.snapshot.size} chunks, chunker {chunker.to_dict()}\n\n{table}\n")
        plot(rows, result_path(f"retrieval-{name}{suffix}.png"))
        with open(result_path(f"retrieval-{name}{suffix}-misses.jsonl"), "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(m, ensure_ascii=False) + "\n" for m in all_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
