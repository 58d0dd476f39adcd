"""Helpers shared by the eval scripts: cached indexes, result files, the machine's description."""
from __future__ import annotations

import hashlib
import json
import os
import platform
import time
from pathlib import Path

from rag import Assistant
from rag.chunking import ChunkerSettings
from rag.config import Config

from .datasets import Dataset

RESULTS = Path(os.environ.get("RAG_EVAL_RESULTS", Path(__file__).parent / "results"))
CACHE = Path(os.environ.get("RAG_EVAL_CACHE", Path(__file__).parent / ".cache"))


def index_for(dataset: Dataset, chunker: ChunkerSettings = ChunkerSettings(), index_type: str = "flat",
              quiet: bool = False, cache: Path | None = None, store: str | None = None) -> Assistant:
    """An index of the dataset's documents, built once per (dataset, chunker, index type) and cached.
    With ``store`` (a Milvus URI, or ``milvus-lite`` for a file beside the cache) the cached FAISS
    index is copied into Milvus once, vectors as they are, and the Milvus copy is returned."""
    key = hashlib.sha1(json.dumps([dataset.name, [d.checksum for d in dataset.documents], chunker.to_dict(),
                                   index_type]).encode()).hexdigest()[:10]
    directory = (cache or CACHE) / f"{dataset.name}-{key}"
    config = Config(index_dir=directory, chunker=chunker, index_type=index_type)
    assistant = Assistant.load(directory, config=config, build_if_missing=False)
    if len(assistant.documents()) != len(dataset.documents):
        assistant.add_documents(dataset.documents, quiet=quiet)
    if store and store != "faiss":
        return _milvus_copy(assistant, directory.with_name(directory.name + "-milvus"), store)
    return assistant


def _milvus_copy(assistant: Assistant, home: Path, store: str) -> Assistant:
    from rag.stores import copy_knowledge_base, open_store

    config = assistant.config.with_(index_dir=home, store=str(home / "kb.db") if store == "milvus-lite" else store)
    target = open_store(config)
    if not target.exists() or target.read_manifest()["n_chunks"] != assistant.snapshot.size:
        copy_knowledge_base(assistant._indexer.store, target)
    return Assistant.load(home, config=config, embedder=assistant.embedder)


def machine() -> str:
    return f"{platform.node() or 'host'}: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"


def stamp(command: str) -> str:
    return f"_{time.strftime('%Y-%m-%d %H:%M')} · {machine()} · `{command}`_"


def result_path(name: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    return RESULTS / name


def write_result(name: str, markdown: str) -> Path:
    path = result_path(name)
    path.write_text(markdown, encoding="utf-8")
    return path


def markdown_table(rows: list[dict], columns: list[str]) -> str:
    def cell(value):
        return f"{value:.3f}" if isinstance(value, float) else str(value)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r.get(c, "")) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def line_plot(series: dict[str, tuple[list, list]], xlabel: str, ylabel: str, path: Path, log: bool = False) -> None:
    """One PNG with a line per series (matplotlib, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for label, (xs, ys) in series.items():
        ax.plot(xs, ys, marker="o", label=label)
    if log:
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
