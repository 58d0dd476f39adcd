"""The part of a report a passage belongs to, so that a list or summary question is answered
from the whole section ('乡村振兴取得实效。…' up to the next topic), not from one chunk.

Built from the indexed chunks alone (their offsets rebuild each document's text), so it works
with any store that gives back chunks.
"""
from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from .chunking import Chunk
from .structure import Heading, outline

MAX_SECTION_CHARS = 1500  # a longer section (a whole chapter) is narrowed to the paragraph


@dataclass(frozen=True)
class Section:
    doc_id: str
    start: int
    end: int
    heading: Heading | None  # None: a paragraph with no heading of its own
    text: str  # the document text [start:end]


class _Document:
    def __init__(self, chunks: list[Chunk]):
        self.chunks = sorted(chunks, key=lambda c: c.start)
        size = max(c.end for c in self.chunks)
        buffer = ["\n"] * size  # gaps between chunks are paragraph breaks
        for c in self.chunks:
            buffer[c.start:c.end] = c.text
        self.text = "".join(buffer)
        self.headings = outline(self.text, self.chunks[0].year).headings
        self._heading_starts = [h.start for h in self.headings]
        self._chunk_starts = [c.start for c in self.chunks]

    def sections_at(self, offset: int) -> list[Section]:
        """The sections that hold ``offset``, outermost first, each up to the next heading of
        its level or above; a very long one (a whole chapter) is narrowed to the paragraph."""
        i = bisect.bisect_right(self._heading_starts, offset) - 1
        path: list[int] = []
        for k in range(i + 1):
            while path and self.headings[path[-1]].level >= self.headings[k].level:
                path.pop()
            path.append(k)
        sections = []
        for k in path:
            heading = self.headings[k]
            end = next((h.start for h in self.headings[k + 1:] if h.level <= heading.level), len(self.text))
            sections.append(self._section(heading, heading.start, end, offset))
        return sections or [self._section(None, 0, len(self.text), offset)]

    def _section(self, heading: Heading | None, start: int, end: int, offset: int) -> Section:
        if end - start > MAX_SECTION_CHARS:
            start = max(start, self.text.rfind("\n", 0, offset) + 1)
            newline = self.text.find("\n", offset)
            end = min(end, newline if newline >= 0 else len(self.text), start + MAX_SECTION_CHARS)
            heading = heading if heading and heading.start >= start else None
        return Section(self.chunks[0].doc_id, start, end, heading, self.text[start:end])

    def section_path(self, offset: int) -> str:
        """The headings that hold ``offset``, outermost first ('一、… > （三）社会保障')."""
        path: list[Heading] = []
        for heading in self.headings[:bisect.bisect_right(self._heading_starts, offset)]:
            while path and path[-1].level >= heading.level:
                path.pop()
            path.append(heading)
        return " > ".join(h.title for h in path)

    def paragraphs(self) -> list[Section]:
        """Every paragraph of the document, as a section without a heading."""
        out, start = [], 0
        for line in self.text.split("\n"):
            if line.strip():
                out.append(Section(self.chunks[0].doc_id, start, start + len(line), None, line))
            start += len(line) + 1
        return out

    def chunk_for(self, start: int, end: int) -> Chunk:
        """The chunk that holds [start, end), else the one where it starts."""
        i = bisect.bisect_right(self._chunk_starts, start) - 1
        candidates = self.chunks[max(0, i - 2):i + 1]
        for c in reversed(candidates):
            if c.start <= start and end <= c.end:
                return c
        return self.chunks[max(0, i)]


class ReportSections:
    """Section look-ups over a knowledge base's chunks; a document is assembled on first use from
    ``chunks_of(doc_id)`` (the store's ``document_chunks``), so nothing is read up front."""

    def __init__(self, chunks_of: Callable[[str], list[Chunk]]):
        self._chunks_of = chunks_of
        self._documents: dict[str, _Document | None] = {}
        self._lock = threading.Lock()

    @classmethod
    def of_chunks(cls, chunks: list[Chunk]) -> "ReportSections":
        by_doc: dict[str, list[Chunk]] = defaultdict(list)
        for c in chunks:
            by_doc[c.doc_id].append(c)
        return cls(lambda doc_id: by_doc.get(doc_id, []))

    def _document(self, doc_id: str) -> _Document | None:
        with self._lock:
            if doc_id not in self._documents:
                chunks = sorted(self._chunks_of(doc_id), key=lambda c: c.start)
                self._documents[doc_id] = _Document(chunks) if chunks else None
            return self._documents[doc_id]

    def sections_at(self, doc_id: str, offset: int) -> list[Section]:
        document = self._document(doc_id)
        return document.sections_at(offset) if document else []

    def section_path(self, doc_id: str, offset: int) -> str | None:
        """The section of a quote: of the sentence at ``offset``, not of the chunk it is in."""
        document = self._document(doc_id)
        return document.section_path(offset) if document else None

    def chunk_for(self, doc_id: str, start: int, end: int) -> Chunk | None:
        document = self._document(doc_id)
        return document.chunk_for(start, end) if document else None

    def headings(self, doc_id: str) -> list[Heading]:
        """The headings of a document in reading order ([] when it is not indexed)."""
        document = self._document(doc_id)
        return document.headings if document else []

    def paragraphs(self, doc_id: str) -> list[Section]:
        document = self._document(doc_id)
        return document.paragraphs() if document else []

    def text(self, doc_id: str) -> str:
        """The whole text of a document as its chunks rebuild it ('' when it is not indexed)."""
        document = self._document(doc_id)
        return document.text if document else ""
