"""List and summary answers: the facts of the section a question names ('乡村振兴取得实效。…'
up to the next topic), or, when no heading carries its topic, the sentences about it in the top
passages' sections, or for a question about a whole year the report's paragraph of headline
figures; the most informative clauses (numbers, results, named things), each with its subject, in
document order."""
from __future__ import annotations

import re
from dataclasses import replace

from . import answerability as checks
from . import zh
from .chunking import split_sentences
from .citing import Answer, Composer
from .evidence import fact_bounds
from .normalize import fold
from .numbers import one_years_figure, quantities
from .questions import QuestionInfo
from .retrieval import Hit
from .sections import Section
from .years import FIVE_YEAR_PLAN

_RESULT_VERBS = re.compile(r"建成|完成|获评|获批|入选|荣获|获得?|实现|突破|投用|通车|开通|并网|落地|通过|达到|超过|居|位列|"
                           r"增长|提高|提升|下降|新增|新建|新培育|引进|举办|推出|发放|减免|盘活|整合|改造|治理|修复|"
                           r"生产|封顶|签订|结对|挂牌|成立|上线|评为|列入|开工|竣工|贯通|首次|率先|首个|第一|领先")

_NAMED = re.compile(r"[“《\"].+?[”》\"]")
_NAMED_IN = re.compile(r"[“《\"](.+?)[”》\"]")


class ListAnswers:
    """Composes list and summary answers (a part of ``ExtractiveAnswerer``)."""

    def compose_list(self, composer: Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        """The facts of the section the question names ('乡村振兴成效如何' -> '乡村振兴取得实效。…'),
        or, when no heading matches, the clauses about it in the top passages' sections."""
        if self.sections is None or not hits:
            return self.compose_fact(composer, info, hits)
        if any(q.unit not in ("", "年", "岁") for q in quantities(info.text)):
            # '听说治理河道63.9公里，主要治的是哪几条河': the number the question states is checked
            # first, against the clause closest to the question
            ranked = self.ranked_units(info.text, self._candidates(hits))
            # (one year's figures only: '五年年均增长5.2%' corrects no '2022年实现了5.5%的增长')
            if ranked and ranked[0][2] >= self.settings.min_evidence and \
                    all(one_years_figure(info.text, ranked[0][0].text, q) for q in quantities(ranked[0][0].text)):
                correction = checks.premise_correction(info.text, ranked[0][0].text)
                if correction:
                    return composer.answer(f"{composer.quote(ranked[0][0])}。{correction}")
        section = self._section_for(info, hits)
        if section is None and info.kind == "summary" and not _asks_overall(info):
            section = self._section_by_meaning(info, hits)
        if section is not None and len(section.text.strip()) <= len(section.heading.title) + 2:
            section = None  # a part's heading alone ('一、过去一年和五年工作回顾'): what it says is in its subsections
        sections = [section] if section else self._nearby_sections(hits)
        overall = _asks_overall(info)
        headline = []
        if section is None and (info.kind == "summary" or overall):
            headline = self._headline_paragraphs(info, hits) if overall else []
            sections = headline or self._factual_sections(info, self._nearby_sections(hits, following=True))
        gap = checks.place_gap(info, hits, " ".join(s.text for s in sections))
        if gap:
            return composer.answer(gap.message, answered=False)
        unnamed = self._unnamed_thing(info, hits) if section is None and info.kind == "list" and not overall else ""
        if unnamed:
            # '2019年对足球改革有啥安排' over a report that never says 足球: its general sentences
            # would answer some other question
            return composer.answer(f"报告中没有关于“{checks.topic_words(info)}”的内容（没有提到“{unnamed}”）。",
                                   answered=False)
        # (of a span looked back on, '过去五年干成了哪些大事', the paragraphs of headline figures are the answer
        # whole: the question's words, all of them saying 'how it went', pick none of their clauses)
        if headline and _over_a_span(info):
            items = self._informative_clauses(replace(info, topic=""), sections, strict=False)
        else:
            items = self._informative_clauses(info, sections, strict=section is None)
        # (a five-year plan's name in quotes, '“六五”', names years, not a thing)
        named = [fold(n) for n in _NAMED_IN.findall(info.text) if not FIVE_YEAR_PLAN.fullmatch(f"“{n}”")]
        about = [item for item in items if any(n in fold(item[3]) for n in named)]
        if about:  # '《近期规划》后来咋样了': what is said of the thing it names, not its whole section
            items = about
        elif named and not (section and any(n in fold(section.heading.title) for n in named)):
            # the thing named is in no item (nor the section's heading): the clauses that name it, or none
            clauses = [u for u in self._candidates(hits) if any(n in fold(u.text) for n in named)]
            if clauses:
                items, section = [(u.hit.doc_id, u.start, u.end, u.text) for u in _widest(clauses)[:5]], None
            elif section is None:
                return composer.answer(f"报告中没有关于“{'、'.join(named)}”的内容。", answered=False)
        if not items:
            return self.compose_fact(composer, info, hits)
        # a fact said twice (the targets' paragraph, then their explanation: '城镇调查失业率5.5%左右') is listed once
        said = [zh.clean_quote(item[3]) for item in items]
        items = [item for i, item in enumerate(items)
                 if not any(j != i and said[i] in said[j] and (said[i] != said[j] or j < i) for j in range(len(items)))]
        by_doc = {h.doc_id: h for h in reversed(hits)}
        lines = [f"{i}. {zh.clean_quote(text)}[{composer.cite(by_doc[doc_id], start, end, text)}]"
                 for i, (doc_id, start, end, text) in enumerate(items, 1)]
        title = re.split(r"[,，。]", section.heading.title)[0] if section else ""
        lead = f"报告在“{title}”部分提到：" if title else "报告提到："
        return composer.answer(lead + "\n" + "\n".join(lines))

    def _unnamed_thing(self, info: QuestionInfo, hits: list[Hit]) -> str:
        """What a list question is about, when the reports found name none of its things: the
        nouns and quoted names of its subject, not a place, the report's region or the country ('足球' of
        '2019年对中国足球改革有啥安排' over the 2019 report, which never says 足球). A noun counts as
        named in its words, the reports' own (``zh.REPORT_TERMS``) or its parts ('体育比赛': 体育,
        比赛). '' when some noun is named."""
        import rjieba

        titles = fold(" ".join(h.title for h in hits[:3]))
        # (a name the question quotes is one of its things: '“一老一小”')
        texts = [self._report_text(doc_id) for doc_id in dict.fromkeys(h.doc_id for h in hits[:3])]
        # (nouns that stand together are one thing, a kind of what the last names: '数字人民币' is
        # not 人民币 alone; when the reports never name the last, the words are the asker's: 城市面貌)
        compounds = [c for c in _noun_phrases(info.topic, info.places + [titles])
                     if any(list(rjieba.cut(c))[-1] in t for t in texts)]
        # (a fixed phrase or an abbreviation names a thing too: '计划生育', '个税')
        things = compounds + [t for t in checks.subject_terms(info.topic)
                              if (checks.is_noun(t) or rjieba.tag(t)[-1][1] in ("l", "j")) and not any(t in c for c in compounds)] \
            + _NAMED_IN.findall(info.text)
        nouns = [t for t in things if not checks.in_title(t, titles) and not any(t in p or p in t for p in info.places)
                 and t not in zh.COUNTRY]

        def named(noun: str, text: str) -> bool:
            parts = [w for w in rjieba.cut_for_search(noun) if len(w) >= 2 and w != noun]
            return checks.term_present(noun, text) or zh.named_by_report_term(noun, info.text, text) \
                or bool(parts) and _near_each_other(parts, text)

        if not nouns or any(named(n, t) for n in nouns for t in texts):
            return ""
        return "、".join(nouns)

    def compose_table(self, composer: Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        """'把…的数字列成表': the figure records of the facts a list answer would give, one row
        each (measure, value, change), every row cited; the list itself when they hold no figure."""
        from .figures import measures_of

        listed = self.compose_list(Composer(info.text, info, self.sections), info, hits)
        if not listed.answered:
            return listed
        rows = []
        for citation in listed.citations:
            clause = zh.strip_footnotes(citation.quote)
            for measure, quantity in measures_of(clause):
                n = composer.cite(_hit_of(citation, hits), citation.start, citation.end, citation.quote)
                rows.append(f"| {measure} | {quantity.text} | [{n}] |")
        if not rows:
            return listed
        lead = listed.text.split("\n", 1)[0]
        table = "\n".join(["| 指标 | 数值 | 出处 |", "| --- | --- | --- |", *rows])
        return composer.answer(f"{lead}\n\n{table}")

    def _section_for(self, info: QuestionInfo, hits: list[Hit], min_share: float | None = None) -> Section | None:
        """The section whose heading carries the question's topic: of the sections the top
        passages touch, the one whose heading holds the largest share of the key words."""
        terms = [t for t in checks.key_terms(info.topic) if not any(t in p for p in info.places)]
        total_weight = sum(self._weight(t) for t in terms)
        best, best_key = None, (0.0,)
        for hit in hits[:3]:
            for section in self._sections_in(hit):
                title = fold(section.heading.title)
                share = sum(self._weight(t) for t in terms if checks.term_present(t, title, synonyms=False)) / (total_weight or 1)
                # On equal matches the more specific heading wins, then the better passage.
                key = (round(share, 6), section.heading.level, -hit.rank)
                if share >= (min_share or self.settings.min_heading_match) and key > best_key:
                    best, best_key = section, key
        return best

    def _section_by_meaning(self, info: QuestionInfo, hits: list[Hit]) -> Section | None:
        """The section a summary is about when no heading holds its words ('环境治理' for 环境保护成效明显,
        '看病就医条件' for 医疗服务能力持续增强): of the headings of the best passage's report, the one closest
        in meaning to the topic (e5 cosine), when it is closer than every other heading by
        ``heading_meaning_margin`` and a top passage lies in its section. (The margin, 0.01: on the bundled
        report's 13 headings, stop 36's probe of 14 everyday topics found the right heading first with
        margins 0.014–0.04, and margins under 0.003 where the first was wrong or the report silent.)"""
        doc_id = hits[0].doc_id
        headings = [h for h in self.sections.headings(doc_id) if 2 <= len(zh.content_chars(h.title)) <= 40]
        topic = checks.topic_words(info)
        if len(headings) < 2 or not topic:
            return None
        titles = [zh.strip_footnotes(h.title) for h in headings]
        cosines = (self.embedder.embed_queries([topic]) @ self._vectors.get(titles).T)[0]
        order = sorted(range(len(headings)), key=lambda i: -cosines[i])
        best, second = order[0], order[1]
        if cosines[best] - cosines[second] < self.settings.heading_meaning_margin:
            return None
        touched = [section for hit in hits[:5] if hit.doc_id == doc_id for section in self._sections_in(hit)
                   if section.heading == headings[best]]
        return touched[0] if touched else None

    def _is_heading(self, section: Section, offset: int, sentence: str) -> bool:
        """The sentence is the heading of a section nested in ``section`` ('乡村振兴取得实效。')."""
        chars = zh.content_chars(sentence)
        return any(inner.heading and zh.content_chars(inner.heading.title) == chars
                   for inner in self.sections.sections_at(section.doc_id, section.start + offset + 1))

    def _relevance(self, groups: list[list[str]], text: str) -> float:
        """The share of a group of terms the text holds, each weighted by its rarity (idf), for the
        group it covers best: '乡村治理和人居环境整治' is answered by sentences about either."""
        if not groups:
            return 1.0
        return max(sum(self._weight(t) * checks.term_overlap(t, text) for t in terms)
                   / sum(self._weight(t) for t in terms) for terms in groups)

    def _headline_paragraphs(self, info: QuestionInfo, hits: list[Hit]) -> list[Section]:
        """'2023年经济社会发展情况如何', '十二五时期的主要成就': a report answers with its paragraph of
        headline figures (生产总值 first, then jobs, prices, income…) and the one after it: of the
        top passages' reports, the paragraph about the year asked (else about the best passage's
        year) that names the 生产总值 and holds the most figures."""
        best, best_count, following = None, 0.0, []
        reports = {}  # each report once, about the year of its best passage
        for hit in hits[:3]:
            reports.setdefault(hit.doc_id, set(info.years) or {hit.period})
        # a span looked back on ('“十三五”时期的主要成就', '2023年报告回顾的过去五年') is reviewed by the report
        # that follows it: only that report's paragraphs (another one's five years are other years)
        if _over_a_span(info):
            reviewing = max(info.years) + 1 if len(info.years) > 1 else (info.report_years or [None])[0]
            years_of = {d.doc_id: d.year for d in self.documents}
            own = [h.doc_id for h in hits if years_of.get(h.doc_id) == reviewing]  # (cited from a passage found)
            if own:
                reports = {doc_id: reports.get(doc_id, set(info.years) or {reviewing - 1}) for doc_id in dict.fromkeys(own)}
        for doc_id, years in reports.items():
            paragraphs = self.sections.paragraphs(doc_id)
            for i, paragraph in enumerate(paragraphs):
                chunk = self.sections.chunk_for(doc_id, paragraph.start, paragraph.end)
                weight = _span_weight(info, paragraph.text)
                # (a span's review may stand among the next plan's paragraphs: '过去五年，我国经济社会发展取得新的
                # 历史性成就' opens the 2021 report's part on the 十四五 plan)
                of_span = weight > 1 and chunk is not None and chunk.period == max(years) + 1
                if chunk is None or chunk.period not in years and not of_span or not _OUTPUT.search(paragraph.text):
                    continue
                count = len(quantities(paragraph.text)) * weight
                if count > best_count:
                    best, best_count, following = paragraph, count, paragraphs[i + 1:i + 2]
        return [best] + following if best_count >= 3 else []

    def _factual_sections(self, info: QuestionInfo, sections: list[Section]) -> list[Section]:
        """A summary of a broad topic ('2021年经济发展情况如何') is told by the paragraph of figures
        ('国内生产总值达到114万亿元…'): the nearby sections with the most numbers, weighted by how
        much of the topic they name."""
        terms = [t for t in checks.key_terms(info.topic) if not any(t in p for p in info.places)]

        def weight(section: Section) -> float:
            text = fold(section.text)
            named = sum(checks.term_overlap(t, text) for t in terms) / len(terms) if terms else 1.0
            return len(quantities(section.text)) * (0.5 + named) * _span_weight(info, section.text)

        ranked = sorted(sections, key=weight, reverse=True)
        return ranked[:self.settings.summary_sections]

    def _nearby_sections(self, hits: list[Hit], following: bool = False) -> list[Section]:
        """The innermost sections of the top passages, each once, in document order; with
        ``following`` also the section after each (a report's general statement is followed by
        the paragraph of figures that bears it out)."""
        found: dict[tuple[str, int], Section] = {}
        for hit in hits[:5]:
            sections = self.sections.sections_at(hit.doc_id, hit.start + 1)
            if sections:
                found.setdefault((hit.doc_id, sections[-1].start), sections[-1])
                after = self.sections.sections_at(hit.doc_id, sections[-1].end + 1) if following else []
                if after and after[-1].start >= sections[-1].end:
                    found.setdefault((hit.doc_id, after[-1].start), after[-1])
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
            beyond = [t for t in checks.key_terms(info.topic) if not checks.in_title(t, title)
                      and not any(t in p for p in info.places)]
            # A summary takes the facts of a paragraph about the topic ('2021年经济发展情况' ->
            # '国内生产总值达到114万亿元…'), a list the sentences that name what it asks for.
            groups = _term_groups(info.text, beyond)
            whole = self._relevance(groups, fold(section.text))
            for s_start, s_end in split_sentences(section.text):
                sentence = section.text[s_start:s_end]
                if section.heading and s_start == 0 or self._is_heading(section, s_start, sentence):
                    # the heading or topic sentence restates the question: never an answer, but what
                    # its colon introduces is ('今年发展主要预期目标是：国内生产总值增长5%左右；…')
                    lead = re.search(r"[：:]", sentence)
                    if not lead or lead.end() == len(sentence):
                        continue
                    s_start, sentence = s_start + lead.end(), sentence[lead.end():]
                relevance = self._relevance(groups, fold(sentence))
                if info.kind == "summary":
                    # a summary takes the paragraph's facts, those naming what the question adds to the
                    # heading first ('巩固脱贫成果' under '乡村振兴': the sentence on 脱贫人口 before the rest)
                    relevance = max(relevance, whole / 2)
                if strict and relevance == 0:
                    continue
                for a, b in fact_bounds(sentence):
                    text = sentence[a:b]
                    chars = zh.content_chars(text)
                    if len(chars) < 4 or set(chars) <= q_chars:
                        continue  # adds nothing the question did not say
                    if len(chars) < s.min_fact_chars and not quantities(text) and not _NAMED.search(text):
                        continue  # '实践证明', '做好政府工作': a phrase, not a fact
                    weight = 0.3 + s.number_weight * bool(quantities(text)) + 0.6 * bool(_RESULT_VERBS.search(text)) \
                        + 0.4 * bool(_NAMED.search(text)) - len(text) / s.long_clause_chars
                    start = section.start + s_start + a
                    scored.append((weight * (0.25 + relevance), section.doc_id, start, start + len(text), text,
                                   relevance if beyond else 0.0))
        best = max((t[5] for t in scored), default=0.0)
        if best > 0:
            # The question names more than the heading: keep what it names, about as much as the
            # best sentence does ('“一老一小”方面…服务设施': not every sentence saying '服务').
            scored = [t for t in scored if t[5] >= best / 2]
        chosen, used, seen = [], 0, set()
        for score, doc_id, start, end, text, _about in sorted(scored, key=lambda t: (-t[0], t[2])):
            length = len(zh.clean_quote(text))
            if (doc_id, start) in seen or len(chosen) >= s.list_items or (chosen and used + length > s.list_budget):
                continue  # a clause of nested sections is seen once per section
            seen.add((doc_id, start))
            chosen.append((doc_id, start, end, text))
            used += length
        return _merge_adjacent(sorted(chosen), sections)


# The economy's size, not energy used per unit of it ('单位国内生产总值能耗').
_OUTPUT = re.compile(r"(?<!单位)(?<!单位国内)(?<!单位地区)生产总值(?!能耗)")
# Topic words of a question about how things went overall ('2023年经济社会发展情况如何').
# (and a government's term or a plan period looked back on as a whole: '过去五年干成了哪些大事', '“十三五”五年成绩')
_OVERALL = re.compile(r"(?:经济|社会|发展|运行|国民|总体|整体|表现|全年|时期|五年|十[一二三四五]五?|[六七八九]五|中国|我国|全国|全省|全市|"
                      r"全州|全县|全区|成就|成绩|成效|成果|大事|干成|做成|过去|回顾|回头|那届|本届|这届|上任|几年|简单|民生|人民|生活|大概)+")


# A paragraph of a report's review of several years ('过去五年…', '中央财政五年投入…', '年均增长'):
# the review of Y+1's report tells both Y and the years before it.
_SPAN_REVIEW = re.compile(r"过去[五十]年|[五十]年来|[五十]年(?:间|累计|共|投入|新增|减少)|年均")


# A paragraph opening that plans the years ahead ('今后五年', '未来五年', '“十四五”时期…要'): no review.
_AHEAD = re.compile(r"今后|未来|接下来|下一个?五年|展望")


def _span_weight(info: QuestionInfo, text: str) -> float:
    """How much a paragraph counts for a question: one about a single year weighs a paragraph
    about several years at a third (2018's report on 2017, not on 2013–2017), one about a span the
    paragraph opening with it at three times."""
    if _over_a_span(info):
        # a span looked back on ('“十一五”时期的主要成就'): the paragraph that opens with it ('胜利完成“十一五”规划的
        # 主要目标和任务，国民经济迈上新的台阶。…年均增长11.2%') weighs three times one that only has more figures
        plan = re.search(r"[一二三四五六七八九十]{1,2}五", info.text)
        opening = re.split(r"[。！？]", text, maxsplit=1)[0]
        if _AHEAD.search(opening):
            return 1.0  # the next five years planned ('今后五年，要…'), not the five looked back on
        return 3.0 if re.search((re.escape(plan.group(0)) + "|" if plan else "") + r"五年|年均", opening) else 1.0
    if len(info.years) != 1 or re.search(rf"{info.years[0]}\s*年|过去一年|去年", text):
        return 1.0  # it names the year asked ('刚刚过去的2017年，…')
    return 1 / 3 if _SPAN_REVIEW.search(text) else 1.0


def _hit_of(citation, hits: list[Hit]) -> Hit:
    """The passage a citation came from (for citing it again in another answer)."""
    return next((h for h in hits if h.doc_id == citation.doc_id and h.start <= citation.start and citation.end <= h.end),
                next(h for h in hits if h.doc_id == citation.doc_id))


_LOOKED_BACK = re.compile(r"五年|几年|过去|[一二三四五六七八九十]五[”\"」]?(?:时期|期间|那|这)?|届")


def _over_a_span(info: QuestionInfo) -> bool:
    """The question looks back on several years ('2013到2017年', '过去五年', '“十一五”时期')."""
    return len(info.years) > 1 or bool(_LOOKED_BACK.search(info.text))


def _asks_overall(info: QuestionInfo) -> bool:
    terms = [t for t in checks.key_terms(info.topic) if not any(t in p for p in info.places)]
    return bool(terms) and all(_OVERALL.fullmatch(t) for t in terms)


def _term_groups(question: str, terms: list[str]) -> list[list[str]]:
    """``terms`` grouped by the conjoined parts of the question they come from ('乡村治理' and
    '人居环境整治' in '乡村治理和人居环境整治有哪些做法'); one group when nothing is conjoined."""
    import rjieba

    parts, current = [], []
    for word in rjieba.cut(fold(question)):
        if zh.CONJUNCTION.fullmatch(word):
            parts.append("".join(current))
            current = []
        else:
            current.append(word)
    parts.append("".join(current))
    groups = [[t for t in checks.key_terms(part) if t in terms] for part in parts]
    groups = [g for g in groups if g]
    covered = {t for g in groups for t in g}
    # terms the parts' own cuts do not give back belong to every group
    rest = [t for t in terms if t not in covered]
    return [g + rest for g in groups] if groups else ([terms] if terms else [])


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


def _widest(clauses: list) -> list:
    """The clauses no other of the list contains, in document order (a clause and its wider
    reading are one fact)."""
    keep = [c for c in clauses if not any(o is not c and o.hit.doc_id == c.hit.doc_id and o.start <= c.start
                                          and c.end <= o.end for o in clauses)]
    unique = {(c.hit.doc_id, c.start, c.end): c for c in keep}
    return sorted(unique.values(), key=lambda c: (c.hit.doc_id, c.start))


def _noun_phrases(topic: str, places: list[str]) -> list[str]:
    """Runs of two or more nouns (or numerals written in words) as jieba tags them: '数字人民币'
    (数字 m, 人民币 n), '中国足球'; not the places, the words of a plan ('部署') or distinguishing
    words ('大型')."""
    import rjieba

    phrases, run = [], []
    for word, flag in rjieba.tag(topic) + [("", "x")]:
        other = any(word in p for p in places) or word in zh.COUNTRY or zh.PLAN_WORDS.fullmatch(word) \
            or word in zh.QUESTION_FILLER_WORDS
        # (not a distinguishing word: '大型工程' is any large project)
        if not other and (flag.startswith("n") or flag == "m" and len(word) >= 2 and not re.search(r"\d", word)):
            run.append(word)
            continue
        if len(run) >= 2:
            phrases.append("".join(run))
        run = []
    return phrases


def _near_each_other(parts: list[str], text: str, span: int = 300) -> bool:
    """Every part is said within ``span`` characters (about a paragraph) of one place where a part
    stands in its own words: '体育…赛事' of 体育比赛 are, '数字…人民币' of 数字人民币 thousands of
    characters apart are not."""
    parts = [p for p in parts if not any(p != q and p in q for q in parts)]  # 人民 is said in 人民币

    def said(word: str, window: str) -> bool:  # in its words or the reports' (比赛: 赛事), never in part
        return word in window or any(alias in window for alias in zh.REPORT_TERMS.get(word, ()))

    anchor = next((p for p in parts if p in text), "")
    if not anchor:
        return all(checks.term_present(w, text, synonyms=False) for w in parts)
    return any(all(said(w, text[max(0, m.start() - span):m.end() + span]) for w in parts)
               for m in re.finditer(re.escape(anchor), text))
