"""Sentence-aware chunking with metadata.

Sentences end at 。！？； (and their ASCII forms) but never inside “quotations”, 《titles》 or
（brackets）, and a number such as 8.4 or 1,000 is never cut. Sentences are packed into chunks of
about ``target_chars`` with a little overlap, and every chunk remembers where it came from.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import asdict, dataclass

from .documents import Document
from .zh import is_traditional, section_leaf, to_simplified
from .normalize import strip_footnotes
from .structure import outline

_OPEN, _CLOSE = "“‘《（(【「『〈", "”’》）)】」』〉"
_PAIRS = dict(zip(_CLOSE, _OPEN))
_ENDS = "。！？；!?;"
_CLAUSE_ENDS = "，,、：:"


@dataclass(frozen=True)
class ChunkerSettings:
    target_chars: int = 200  # defaults chosen in eval/ (see eval/RESULTS.md)
    max_chars: int = 400
    overlap_chars: int = 60
    min_chars: int = 40  # shorter paragraphs (headings, salutations) join the next chunk

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)  # slots: a million chunks in memory cost half as much
class Chunk:
    chunk_id: str
    doc_id: str
    title: str
    section: str
    year: int | None  # the report's year
    period: int | None  # the year this text is about (Y-1 in the review part, Y after it)
    paragraph: int  # 1-based paragraph number of the chunk's start
    start: int
    end: int
    text: str

    @property
    def search_text(self) -> str:
        """What the embedder and BM25 see: the innermost section for context, no footnote marks."""
        leaf = section_leaf(self.section)
        body = strip_footnotes(self.text)
        return f"{leaf}：{body}" if leaf and leaf not in body else body


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, as absolute (start, end) offsets."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    stack: list[str] = []
    begin = start
    i = start
    while i < end:
        ch = text[i]
        if ch in _OPEN and not (ch == "(" and stack and stack[-1] == "("):
            stack.append(ch)
        elif ch in _PAIRS and stack and stack[-1] == _PAIRS[ch]:
            stack.pop()
            if not stack and i > begin and text[i - 1] in _ENDS and ch in "”’」』":
                # '…就业！”' ends its sentence with the closing quotation mark
                spans.append((begin, i + 1))
                begin = i + 1
        elif ch == "\n":
            stack.clear()  # a broken quotation never swallows the next paragraph
            if i > begin:
                spans.append((begin, i))
            begin = i + 1
        elif ch in _ENDS and not stack:
            j = i + 1
            while j < end and text[j] in _CLOSE + _ENDS:  # keep 。” and ？！ with their sentence
                j += 1
            spans.append((begin, j))
            begin, i = j, j
            continue
        i += 1
        if len(stack) > 8:
            stack.clear()  # unbalanced brackets in a broken document
    if begin < end:
        spans.append((begin, end))
    return [s for s in spans if text[s[0]:s[1]].strip()]


def _split_long(text: str, span: tuple[int, int], max_chars: int) -> list[tuple[int, int]]:
    """Split an over-long sentence at clause punctuation, else at max_chars, never inside a number."""
    start, end = span
    pieces: list[tuple[int, int]] = []
    while end - start > max_chars:
        window = text[start:start + max_chars]
        cut = max((window.rfind(p) for p in _CLAUSE_ENDS), default=-1)
        while cut > 0 and _inside_number(text, start + cut):
            cut = max((window.rfind(p, 0, cut) for p in _CLAUSE_ENDS), default=-1)
        if cut <= max_chars // 4:
            cut = max_chars - 1
            while cut > 1 and _inside_number(text, start + cut + 1):
                cut -= 1
            if cut <= 1:
                cut = max_chars - 1  # a "number" longer than a chunk: no cut can keep it whole
        pieces.append((start, start + cut + 1))
        start += cut + 1
    pieces.append((start, end))
    return pieces


def _inside_number(text: str, i: int) -> bool:
    """True when a cut before position i would split a number such as 1,000 or 8.4."""
    return 0 < i < len(text) and (text[i - 1].isdigit() or text[i - 1] in ".,") and (text[i].isdigit() or text[i] in ".,%")


def chunk_document(doc: Document, settings: ChunkerSettings = ChunkerSettings()) -> list[Chunk]:
    text = doc.text
    structure = outline(text, doc.year)
    units: list[tuple[int, int]] = []
    for span in split_sentences(text):
        units.extend(_split_long(text, span, settings.max_chars))

    paragraph_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    chunks: list[Chunk] = []
    current: list[tuple[int, int]] = []

    def flush() -> None:
        start, end = current[0][0], current[-1][1]
        paragraph = bisect.bisect_right(paragraph_starts, start)  # 1-based
        body = text[start:end]
        digest = hashlib.sha1(f"{doc.doc_id}|{start}|{body}".encode()).hexdigest()[:16]
        chunks.append(Chunk(digest, doc.doc_id, doc.title, structure.section_at(start), doc.year,
                            structure.period_at(start), paragraph, start, end, body))

    # A new paragraph, heading or topic sentence starts a new chunk, so chunks follow the report's
    # own structure; inside a topic, long runs are cut by size with a little overlap.
    boundaries = {h.start for h in structure.headings}
    for unit in units:
        if current:
            length = unit[1] - current[0][0]
            new_part = unit[0] in boundaries or ("\n" in text[current[-1][1]:unit[0] + 1]
                                                 and not (_is_row(text, unit[0]) and _is_row(text, current[-1][0])))
            size = current[-1][1] - current[0][0]
            if length > settings.target_chars or (new_part and size >= settings.min_chars):
                flush()
                current = [] if new_part else _overlap(current, settings.overlap_chars)
                if current and unit[1] - current[0][0] > settings.max_chars:
                    current = []  # the overlap must not push a chunk past max_chars
        current.append(unit)
    if current:
        flush()
    return chunks


def _is_row(text: str, offset: int) -> bool:
    """The line at ``offset`` is a table row or caption ('| 柳湾村 | 1669 | 50.1 |'): rows of one
    table stay together in chunks of the usual size (rag.documents.table_lines)."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.startswith(("|", "表："), line_start)


def table_header(text: str, offset: int) -> str:
    """The caption and header row of the table whose row starts at ``offset`` ('' outside tables):
    what every chunk of its rows is searched with, so a row chunk is found by its columns' names."""
    if not _is_row(text, offset):
        return ""
    start = text.rfind("\n", 0, offset) + 1
    while start > 0 and _is_row(text, start - 1):  # up to the table's first line
        start = text.rfind("\n", 0, start - 1) + 1
    lines = text[start:].split("\n")
    head = [lines[0]] if lines[0].startswith("表：") else []
    rows = lines[len(head):len(head) + 1]
    return "\n".join(head + rows)


def search_texts(chunks: list[Chunk], texts: dict[str, str]) -> list[str]:
    """What the embedder and BM25 see for each chunk: ``Chunk.search_text``, with the table header
    first for a chunk of table rows that does not hold it, in simplified characters."""
    traditional = {doc_id for doc_id, text in texts.items() if is_traditional(text)}
    out = []
    for c in chunks:
        header = table_header(texts.get(c.doc_id, ""), c.start)
        searched = f"{header}\n{c.search_text}" if header and header not in c.text else c.search_text
        # A report in traditional characters is searched in simplified ones, as questions are asked.
        out.append(to_simplified(searched) if c.doc_id in traditional else searched)
    return out


def _overlap(units: list[tuple[int, int]], budget: int) -> list[tuple[int, int]]:
    """The trailing sentences of the previous chunk that fit in ``budget`` characters."""
    kept: list[tuple[int, int]] = []
    for unit in reversed(units[1:]):  # never repeat the whole previous chunk
        if unit[1] - unit[0] + sum(e - s for s, e in kept) > budget:
            break
        kept.insert(0, unit)
    return kept

