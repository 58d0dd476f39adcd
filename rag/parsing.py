"""Untrusted files are parsed in a worker process with a time and a memory limit (issue #19).

A hostile file (100,000 nested ``<div>``, a zip bomb whose headers lie about sizes, a PDF that
makes pdfminer loop) must neither stall the server nor take its memory: the parse runs in a
spawned worker process limited to ``memory_mb`` of address space (``RLIMIT_AS``) and
``seconds`` of wall time; past either limit the worker is killed, the file is reported by name
with the limit it hit, and the next file gets a fresh worker. The server's own memory does not
grow with the file (OWASP: resource consumption; CWE-400).
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from .documents import Document, load_document
from .errors import RagError

# Limits: a 200 MB report parses in well under a minute and 1 GB here (eval/RESULTS.md, "Hostile files").
PARSE_SECONDS = 120.0
PARSE_MEMORY_MB = 1024


class IsolatedParser:
    """``load(path)`` as ``rag.documents.load_document``, run in a limited worker process
    (``python -m rag.parsing``: a fresh interpreter that imports only the readers)."""

    def __init__(self, seconds: float = PARSE_SECONDS, memory_mb: int = PARSE_MEMORY_MB):
        self.seconds = seconds
        self.memory_mb = memory_mb

    def load(self, path: str | Path, *, source: str | None = None, max_file_mb: float = 200) -> Document:
        shown = source or Path(path).name
        request = json.dumps({"path": str(path), "source": source, "max_file_mb": max_file_mb,
                              "memory_mb": self.memory_mb})
        try:
            # No preexec_fn: the worker limits its own memory. Python code between fork and exec
            # (preexec_fn) sometimes crashed the child in a process with gRPC threads (Milvus).
            done = subprocess.run([sys.executable, "-m", "rag.parsing"], input=request.encode(), capture_output=True,
                                  timeout=self.seconds, env={**os.environ, "PYTHONHASHSEED": "0"})
        except subprocess.TimeoutExpired:
            raise RagError(f"“{shown}”解析超过 {self.seconds:g} 秒，已停止：文件可能结构异常（如嵌套过深）；"
                           "请检查文件，或另存为 txt/docx 后重试。") from None
        try:
            reply = json.loads(done.stdout.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            reply = {"error": None}
        if "document" in reply:
            return Document(**reply["document"])
        if reply.get("error"):
            raise RagError(reply["error"])
        raise RagError(f"“{shown}”解析时所需内存超过 {self.memory_mb} MB 上限或解析程序异常退出，已停止："
                       "文件可能结构异常（如压缩炸弹）；请检查文件来源，或拆分后重试。")


def _worker() -> None:
    """Read one request on stdin, write the document (or the error a user can act on) on stdout."""
    request = json.loads(sys.stdin.read())
    limit = request["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # before the file is read
    shown = request["source"] or Path(request["path"]).name
    try:
        doc = load_document(request["path"], source=request["source"], max_file_mb=request["max_file_mb"])
        reply = {"document": doc.__dict__}
    except RagError as exc:
        reply = {"error": str(exc)}
    except MemoryError:
        reply = {"error": f"“{shown}”解析时所需内存超过上限，已停止：文件可能结构异常（如压缩炸弹）；请检查文件来源。"}
    except RecursionError:
        reply = {"error": f"“{shown}”结构嵌套过深，无法解析：请另存为 txt 或 docx 后重试。"}
    except Exception as exc:  # a hostile file must not stop the others
        reply = {"error": f"“{shown}”读取失败（{type(exc).__name__}: {exc}）：请检查文件是否完整。"}
    sys.stdout.write(json.dumps(reply, ensure_ascii=False))


if __name__ == "__main__":
    _worker()
