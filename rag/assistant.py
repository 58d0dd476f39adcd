"""The facade every interface uses: CLI, web app, evaluation scripts and Python callers.

Reads always go to an immutable in-memory snapshot; a write builds a new snapshot on disk and the
assistant switches to it in one assignment, so questions asked while a document is being indexed
keep being answered from the previous, complete index. Every question first reads the index's
``CURRENT`` pointer (a file of a few bytes), so a snapshot written by another process (`rag index`
beside a running web app) is picked up by the next question.
"""
from __future__ import annotations

import functools
import logging
import re
import sys
import threading
from pathlib import Path
from typing import Iterable, Iterator

from .answering import Answer, Answerer, ExtractiveAnswerer
from .config import Config, resolve_index_dir
from .conversation import user_turns
from .documents import bundled_document
from .embedding import DEFAULT_EMBEDDER, Embedder, make_embedder
from .figures import region_of
from .errors import RagError
from .indexing import FileResult, Indexer, Progress
from .numbers import quantities
from .questions import reports_named, search_text
from .years import plan_years
from .retrieval import Hit
from .sections import ReportSections
from .store import DocumentRecord, Snapshot
from .stores import make_retriever, open_store
from .years import full_years
from . import zh
from .zh import expand_acronyms, with_report_terms

MAX_QUESTION_CHARS = 2000
_log = logging.getLogger(__name__)


def validate_question(question: str) -> str:
    """Clean a question; raise RagError for input that cannot be a question."""
    if not isinstance(question, str):
        raise RagError("问题必须是文字：请输入要查询的问题。")
    cleaned = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t").strip()
    if not cleaned:
        raise RagError("问题为空：请输入要查询的问题，例如“2023年新增城市绿地多少？”。")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise RagError(f"问题过长（{len(cleaned)} 字）：请把问题缩短到 {MAX_QUESTION_CHARS} 字以内。")
    if not any(ch.isalnum() for ch in cleaned):
        raise RagError("问题里没有文字或数字：请输入要查询的问题。")
    return cleaned


class Assistant:
    def __init__(self, config: Config, embedder: Embedder, snapshot: Snapshot):
        self.config = config
        self.embedder = embedder
        self._indexer = Indexer(config, embedder)
        self._store = open_store(config)
        self._write_lock = threading.Lock()  # one writer per process; the file lock covers processes
        self._refresh_lock = threading.Lock()  # one thread loads a new snapshot, the others go on
        self._chat_lock = threading.Lock()  # two first LLM questions must not load a model twice
        self._chat = None
        self._unusable_version: str | None = None
        self._use(snapshot)

    # ---- opening ------------------------------------------------------------------------

    @classmethod
    def load(cls, index_dir: str | Path | None = None, *, config: Config | None = None,
             embedder: Embedder | None = None, build_if_missing: bool = True, quiet: bool = True,
             **overrides) -> "Assistant":
        """Open the index at ``index_dir`` (``$RAG_INDEX_DIR``, else ``index/``). A missing index
        is built from the bundled report, or with ``build_if_missing=False`` starts empty.
        ``overrides`` are ``Config`` fields."""
        config = (config or Config()).with_(index_dir=resolve_index_dir(index_dir or (config.index_dir if config else None)),
                                            **overrides)
        store = open_store(config)
        if embedder is None:
            recorded = _recorded_embedder(store)
            embedder = make_embedder(config.embedder or recorded or DEFAULT_EMBEDDER)
        if not store.exists():
            if not build_if_missing:
                return cls(config, embedder, store.empty(embedder.dim))  # written on the first add
            # Say where: started from another folder, the default index/ is a new one there.
            where = config.index_dir.resolve()
            _say(f"{where} 中还没有索引，正在为内置的黔江区报告建立索引（只需一次）；"
                 "已有索引请用 --index 或 $RAG_INDEX_DIR 指定", quiet)
            Indexer(config, embedder).add([bundled_document()], quiet=quiet)
            _say(f"已建立索引：{where}", quiet)
        return cls(config, embedder, store.load(embedder.name))

    def _use(self, snapshot: Snapshot) -> None:
        self._state = _Reader(snapshot, self)  # one assignment: readers see old or new, never a mix

    def _answerer(self, reader: "_Reader", mode: str | None = None) -> Answerer:
        """The configured answerer (``ANSWERERS``): 'extractive' (default) or 'llm'."""
        mode = mode or self.config.answerer
        if mode not in ANSWERERS:
            raise RagError(f"未知的回答方式“{mode}”：可选 extractive（摘录式，默认）或 llm（大模型）。")
        return ANSWERERS[mode](self, reader)

    def _llm(self, reader: "_Reader") -> Answerer:
        from .llm import LLMAnswerer, make_chat

        with self._chat_lock:
            if self._chat is None:
                self._chat = make_chat(self.config.llm)  # loaded once: a local model is expensive
        return LLMAnswerer(self._chat, reader.answerer, self.config.llm.on_unsupported)

    @property
    def llm_available(self) -> bool:
        return self.config.llm.configured

    def refresh(self, wait: bool = True) -> bool:
        """Pick up a snapshot written by another process; True when it changed. With
        ``wait=False`` a thread finding another one loading goes on with the current snapshot."""
        if self._loaded_version() == self._store.current_version():
            return False
        if not self._refresh_lock.acquire(blocking=wait):
            return False
        try:
            version = self._store.current_version()
            if version is None or version == self._loaded_version():
                return False
            self._use(self._store.load(self.embedder.name))
            return True
        finally:
            self._refresh_lock.release()

    def _loaded_version(self) -> str | None:
        return self._state.snapshot.version

    def _reader(self) -> "_Reader":
        """The reader for this request, switched first if another process wrote to the index.
        A new snapshot that cannot be opened (e.g. rebuilt with another embedder) is reported once
        and the questions stay on the previous one."""
        version = self._store.current_version()
        if version != self._loaded_version() and version != self._unusable_version:
            try:
                self.refresh(wait=False)
            except RagError as exc:
                self._unusable_version = version
                _log.warning("索引已更新但无法加载，继续使用当前版本：%s", exc)
        return self._state

    @property
    def snapshot(self) -> Snapshot:
        return self._reader().snapshot

    # ---- reading ------------------------------------------------------------------------

    def search(self, query: str, k: int = 5, *, doc_ids: list[str] | None = None,
               years: list[int] | None = None, mode: str | None = None) -> list[Hit]:
        query = validate_question(query)
        if k < 1:
            raise RagError(f"k 必须是正整数（收到 {k}）：例如 -k 5。")
        return self._reader().retriever.search(full_years(query), k, doc_ids=doc_ids, years=years, mode=mode)

    def ask(self, question: str, history: Iterable | None = None, *, k: int = 5,
            doc_ids: list[str] | None = None, years: list[int] | None = None, mode: str | None = None) -> Answer:
        """A short answer whose every fact carries [n]; ``mode`` is 'extractive' or 'llm'
        (default: the configured answerer)."""
        answer = None
        for piece in self.ask_stream(question, history, k=k, doc_ids=doc_ids, years=years, mode=mode):
            if isinstance(piece, Answer):
                answer = piece
        return answer

    def ask_stream(self, question: str, history: Iterable | None = None, *, k: int = 5,
                   doc_ids: list[str] | None = None, years: list[int] | None = None,
                   mode: str | None = None) -> Iterator[str | Answer]:
        """Text deltas of the answer, then the final ``Answer`` (whose text is authoritative:
        an LLM answer may be corrected by the citation check after streaming)."""
        question = validate_question(question)
        # '城鎮新增就業' is asked as '城镇新增就业', '那83年呢' as '那1983年呢'
        original, question = question, full_years(zh.to_simplified(question))
        history = [full_years(zh.to_simplified(turn)) for turn in user_turns(history)]
        reader = self._reader()
        answerer = self._answerer(reader, mode)
        retriever = reader.retriever

        if doc_ids is None:
            doc_ids = self._documents_of_places(question, reader)

        def search(text: str) -> list[Hit]:
            # Questions use everyday words ('GDP', '物价'); the reports their own ('国内生产总值', '居民消费价格').
            return retriever.search(with_report_terms(expand_acronyms(search_text(text))), k, doc_ids=doc_ids,
                                    years=years or self._reports_named(text, reader))

        readings = answerer.readings(question, history) if history else [question]
        if len(readings) > 1:
            # A follow-up the rules cannot be sure of: the first reading the reports answer. When the
            # likeliest reading asks a number ('…多少张…托位'), a later one is answered with a number only.
            number_asked = bool(re.search(r"多少|几", readings[0]))
            first = None
            for resolved in readings:
                answer = answerer.answer(resolved, search(resolved))
                first = first or answer
                if answer.answered and (resolved == readings[0] or not number_asked or _gives_number(answer)):
                    break
            else:
                answer, resolved = first, readings[0]
            answer.question, answer.resolved_question = original, resolved if answer.answered else readings[0]
            yield from answerer.stream_answer(answer)
            return
        resolved = readings[0]
        for piece in answerer.stream(resolved, search(resolved)):
            if isinstance(piece, Answer):
                piece.question, piece.resolved_question = original, resolved
            yield piece

    @staticmethod
    def _reports_named(question: str, reader: "_Reader") -> list[int] | None:
        """A question naming a report the knowledge base holds ('1959年报告里讲的八字宪法') is
        searched in that report: its review of the year before outranks nothing else's review of
        the year named. None when it names none, or none that is loaded (the answer then says so)."""
        held = {d.year for d in reader.snapshot.documents.values()}
        named = [y for y in reports_named(question) if y in held]
        if not named and (span := plan_years(question)) and span[-1] + 1 in held \
                and not zh.PLAN_WORDS.search(question):
            # a whole five-year plan looked back on ('“十三五”时期的主要成就', '“十三五”期间经济年均增长多少') is
            # reviewed by the report of the year after it: another report's five years ('过去五年…' of 2018)
            # are other years. (Its targets, '“十三五”规划的目标', are the plan's first report's.)
            named = [span[-1] + 1]
        return named or None

    @staticmethod
    def _documents_of_places(question: str, reader: "_Reader") -> list[str] | None:
        """With several regions' reports loaded, a question naming one of them is answered from
        that region's reports only (never another place's figure); None when it names none."""
        if not reader.several_regions:
            return None
        stems = [zh.place_stem(p) for p in zh.places_named(question)]
        chosen = [d.doc_id for d in reader.snapshot.documents.values() if any(s in d.title for s in stems)]
        return chosen or None

    def figures(self, query: str | None = None, *, doc_ids: list[str] | None = None,
                years: list[int] | None = None, limit: int = 50) -> list:
        """Figure records (``rag.figures.Figure``) of the knowledge base: all of them, or those
        whose measure is closest to ``query`` ('城市绿地'), optionally of some documents or of the
        years they are about; at most ``limit`` when a query is given."""
        table = self._reader().snapshot.figures()
        figures = table.matching(query, limit=len(table)) if query else table.figures
        figures = [f for f in figures if (not doc_ids or f.doc_id in doc_ids) and (not years or f.period in years)]
        return figures[:limit] if query else figures

    def documents(self) -> list[DocumentRecord]:
        return list(self._reader().snapshot.documents.values())

    # ---- writing ------------------------------------------------------------------------

    def add_documents(self, paths: Iterable[str | Path], *, sources: list[str] | None = None,
                      progress: Progress | None = None, quiet: bool = True, replace: bool = False) -> list[FileResult]:
        """Index files; a bad file is reported in its ``FileResult`` and the others still go in.
        Documents are told apart by content; ``replace`` replaces the document of the same file
        name (``Indexer.add``)."""
        with self._write_lock:
            results = self._indexer.add(paths, sources=sources, progress=progress, quiet=quiet, replace=replace)
            self.refresh()
        return results

    def remove_document(self, doc_id: str) -> DocumentRecord:
        with self._write_lock:
            removed = self._indexer.remove(doc_id)
            self.refresh()
        return removed

    def rebuild(self, quiet: bool = True, progress: Progress | None = None) -> list[FileResult]:
        with self._write_lock:
            results = self._indexer.rebuild(quiet=quiet, progress=progress)
            self.refresh()
        return results


# Answerers by configured name; each makes the answerer for one reader (snapshot).
ANSWERERS = {"extractive": lambda assistant, reader: reader.answerer, "llm": Assistant._llm}


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        print(f"rag: {message}", file=sys.stderr)


def _recorded_embedder(store) -> str | None:
    """The embedder an existing index was built with, so that it is opened with the same one."""
    manifest = store.read_manifest()
    return manifest.get("embedder") if manifest else None


class _Reader:
    """What questions are answered from: one snapshot, its retriever and (made on first use) its
    answerer. Replaced whole when the index changes, so a question never mixes two versions."""

    def __init__(self, snapshot: Snapshot, assistant: Assistant):
        self.snapshot = snapshot
        self._assistant = assistant
        self.retriever = make_retriever(snapshot, assistant.embedder, assistant.config.search,
                                        snapshot.manifest.get("tokenizer", assistant.config.tokenizer))

    @functools.cached_property
    def several_regions(self) -> bool:
        """The knowledge base holds reports of more than one region (answers then say whose figure)."""
        return len({region_of(d.title) for d in self.snapshot.documents.values()}) > 1

    @functools.cached_property
    def region_names(self) -> frozenset[str]:
        """The loaded reports' regions with their short names ('黔江区', '黔江'); not '全国'."""
        regions = {region_of(d.title) for d in self.snapshot.documents.values()} - {"", "全国"}
        return frozenset(regions | {zh.place_stem(r) for r in regions})

    @functools.cached_property
    def answerer(self) -> ExtractiveAnswerer:
        a = self._assistant
        return ExtractiveAnswerer(self.snapshot.idf(), a.embedder, a.config.answering,
                                  ReportSections(self.snapshot.document_chunks),
                                  name_regions=self.several_regions, figures=self.snapshot.figures,
                                  regions=self.region_names, documents=tuple(self.snapshot.documents.values()))


def _gives_number(answer: Answer) -> bool:
    """The answer states an amount ('3岁以下' bounds what is counted, it counts nothing)."""
    return any(q.unit not in ("岁", "年") for q in quantities(zh.strip_footnotes(answer.text)))
