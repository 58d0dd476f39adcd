"""The answer contract and how quotes are cited.

``Answer`` and ``Citation`` are what every interface shows (Python, CLI ``--json``, web, API);
``Composer`` numbers the quotes of one answer, each the exact text of a document between
``start`` and ``end``, and keeps a quote cited once however often it is used.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from . import zh
from .evidence import Clause
from .questions import QuestionInfo
from .retrieval import Hit
from .sections import ReportSections

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
    kind: str = "fact"  # what the question asked for: fact, list, summary, how, why, multi, compute, yesno
    computed: dict | None = None  # {"value": "51.9万吨", "operation": "sum", "from": [1, 2]} for a computed number
    series: list[dict] = field(default_factory=list)  # trend answers: rag.trends.Series.to_dict() per region
    figures: list[dict] = field(default_factory=list)  # the figure records the cited quotes hold (rag.figures)

    def to_dict(self) -> dict:
        return {"question": self.question, "answer": self.text, "answered": self.answered, "kind": self.kind,
                "computed": self.computed, "series": self.series, "figures": self.figures,
                "citations": [c.to_dict() for c in self.citations],
                "related": [h.to_dict() for h in self.related],
                "resolved_question": self.resolved_question or self.question,
                "mode": self.mode, "notes": self.notes}


def plan_label(info: QuestionInfo) -> str:
    """Never pass a plan off as a result: said before an answer taken from a plan."""
    years = "、".join(f"{y}年" for y in info.years)
    return f"报告中没有{years}的实际结果，以下是{years}政府工作报告提出的目标或安排："


def refusal_text(question: str) -> str:
    topic = re.sub(r"[？?。！!\s]+$", "", question)
    topic = re.sub(r"(是|有|为)?(多少|几|谁|什么|哪些)$", "", topic).strip() or topic
    return f"报告中没有找到关于“{topic}”的信息。"


class Composer:
    """Builds one answer: numbered citations, the text, and what was computed."""

    def __init__(self, question: str, info: QuestionInfo, sections: ReportSections | None):
        self.question = question
        self.info = info
        self.sections = sections
        self.citations: list[Citation] = []
        self.computed: dict | None = None

    def cite(self, hit: Hit, start: int, end: int, quote: str) -> int:
        for c in self.citations:
            if c.doc_id == hit.doc_id and c.start == start and c.end == end:
                return c.n
        text, chunk_id, section = hit.text, hit.chunk_id, hit.section
        if not (hit.start <= start and end <= hit.end) and self.sections is not None:
            chunk = self.sections.chunk_for(hit.doc_id, start, end)
            if chunk is not None:
                text, chunk_id, section = chunk.text, chunk.chunk_id, chunk.section
        if self.sections is not None:  # the section of the quoted clause, not of its chunk (issue #17)
            section = self.sections.section_path(hit.doc_id, start) or section
        n = len(self.citations) + 1
        self.citations.append(Citation(n, text, quote, hit.doc_id, hit.title, section, chunk_id, start, end, hit.year))
        return n

    def quote(self, unit: Clause) -> str:
        return f"{zh.clean_quote(unit.text)}[{self.cite(unit.hit, unit.start, unit.end, unit.text)}]"

    def answer(self, text: str, answered: bool = True, related: list[Hit] | None = None) -> Answer:
        return Answer(self.question, text, self.citations, answered, related or [], kind=self.info.kind,
                      computed=self.computed)
