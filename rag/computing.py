"""Computed answers: each number the question needs, cited, then their sum, difference, ratio or
comparison, marked as computed ('合计51.9万吨（按报告数字计算）'). Numbers of different units are
never combined."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable

from . import answerability as checks
from . import zh
from .citing import Answer, Composer
from .evidence import Clause, clause_bounds
from .normalize import fold
from decimal import Decimal

from .numbers import (NOT_AMOUNTS, RATE_UNITS, Incompatible, Quantity, asks_change, compare, convert, difference, share,
                      dimension_of_unit, earlier, format_value, hours_of_use, in_asked_magnitude, is_change,
                      one_years_figure, quantities, ratio, total)
from .questions import QuestionInfo, expected_unit
from .retrieval import Hit

_OPERATION_NAMES = {"sum": "相加", "difference": "相减", "ratio": "相除", "share": "相除", "compare": "比较"}

ASKS_CHANGE = re.compile(r"(新增|增加|增长|提高|提升|扩大|减少|下降|降低|多|少)了?(多少|几)")

_FROM_TO = re.compile(r"[从由](?P<a>[^，,；;。]*?)(?:增加|提高|增长|扩大|上升|下降|减少|降低|缩小)?[到至](?P<b>[^，,；;。]*)")

COMPUTED_MARK = "（按报告数字计算）"


_HOW_FAR = re.compile(r"(实际|最终|最后)?(超出|超过|高出|多出|高了|低了|多了|少了|快了|慢了|相差|差了|超额完成|完成)?了?"
                      r"(多少|几)[^，,。？?]*[？?]?$")
# Words that compare a reported figure with the number a question states ('有没有达到65%').
_COMPARES = re.compile(r"超过|超出|高出|低出|达到|突破|高于|低于|多于|少于|不到|以上|以下|以内|是否|有没有|是不是|吗|比|相差|差距|差多少")


# A target that is a ceiling ('涨幅控制在3%左右', '4%以内'), and measures that are better lower.
_CEILING = re.compile(r"以内|以下|不超过|控制在|低于|不高于")
# A clause that states a target, wherever it stands ('要把全年零售物价上涨幅度控制在百分之十以内').
_TARGET_SAID = re.compile(r"要把|力争|控制在|预期|目标|计划|左右")
_RATE_WORD = re.compile(r"增速|增幅|涨幅|降幅|[率比]$|(?:增长|涨|上涨)(?:了|的)?$")  # ('GDP实际涨的': a rate)
_FALLING = re.compile(r"下降|降低|减少|降幅")
_LOWER_IS_BETTER = re.compile(r"价格|物价|CPI|涨幅|失业率|赤字|能耗|排放|负债")


# A target the question states itself, asked whether it was reached: '1994年定的把零售物价涨幅控制在
# 10%以内，最后做到了没有', '2021年说要新开工改造5.3万个城镇老旧小区，年底完成了没'.
_STATED_PLAN = re.compile(r"定的|说要|要把|打算|预定|提出要|计划|规划|要求")
_REACHED = re.compile(r"(?:做到|完成|实现|达到|压到|降到|控制住|兑现|办到)[^，,。？?]{0,14}?了?(?=没|吗|与否|[？?]|$)|"
                      r"(?:有没有|是否|是不是|能否)(?:做到|完成|实现|达到|压到|降到)")
# the words that bind the stated number to the measure ('控制在…以内'): not the measure's
_STATED_BOUND = re.compile(r"控制在|压到|降到|达到|提高到|增加到|以内|以下|以上|左右")


# An average asked per day, per firm, per person ('平均每天新开多少家公司'), which a report may state.
_PER = re.compile(r"平均每([\u4e00-\u9fff])")
_TARGET_FRAME = re.compile(r"年初|当年|原来|原先|原定|预定|定的|设定的?|提出的|左右|以上|以内|的|预期|目标|计划|定")


# A multiple of what came before ('变成了原来的几倍'): the later level over the earlier one.
_OF_THE_OLD = re.compile(r"(?:原来|原先|原标准|以前|之前)的?(?:几|多少)倍")
# A question asked as yes/no ('有没有控制在3%以内', '是否超过了1万亿元'); the bound it holds a figure to is
# zh.bound_asked's.
_YES_NO_FORM = re.compile(r"有没有|是否|是不是|能否|有无|[吗么嘛][？?]?$|没有?[？?]?$")


def asks_target_met(info: QuestionInfo) -> bool:
    """A yes/no question whether a named year's target was met ('2015年外贸目标完成了吗'), or the
    target it states ('1994年定的…控制在10%以内，最后做到了没有')."""
    return info.kind == "yesno" and bool(info.years) and bool(zh.MET_TARGET.search(info.text) or _states_target(info.text))


def _states_target(text: str) -> bool:
    return bool(_STATED_PLAN.search(text) and _REACHED.search(text)) and \
        any(q.unit not in NOT_AMOUNTS for q in quantities(text))


def measure_asked(text: str) -> str:
    """What a met-target question measures: its words without the year, the target's words and
    number, and the question's ('1994年定的把零售物价涨幅控制在10%以内，最后做到了没有' -> '零售物价涨幅')."""
    measure = zh.MET_TARGET.sub("", text)
    for q in quantities(measure):  # a number is never the measure ('才900多万人，是不是没达标')
        measure = measure.replace(q.text, "")
    measure = re.sub(r"(?:才|只有|仅有?|就)(?=[，,]|$)", "", measure)
    if _states_target(text):
        measure = _STATED_BOUND.sub("", _REACHED.sub("", _STATED_PLAN.sub("", measure)))
        measure = re.sub(r"最后|最终|实际|年底|年初|当年|说|要|把", "", measure)
    measure = re.sub(r"(?:19|20)\d{2}\s*年|有没有|是否|是不是|能否|吗|没有|了没|没|了|呢|[？?，,。]", "", measure)
    return measure.strip() or text


def _names_measure(measure: str, text: str) -> bool:
    """Every thing the measure names is in the text, in its words or the reports' (a verdict is never
    drawn from a figure of something else: '…占国内生产总值的比重' is no growth of it)."""
    nouns = [t for t in checks.subject_terms(measure) if not checks.is_direction(t)]
    return all(checks.term_present(t, text) or zh.named_by_report_term(t, measure, text) for t in nouns)


# A question asking whether a result went past its target ('超过…目标了吗', '高于预期') or fell short of
# it ('低于目标了吗'); not '超额完成' (met), nor a negated '没超过' (the verdict of the plain form answers it).
_ASKS_BEYOND = re.compile(r"(?<![没未不])(?:(超过|超出|高于|多于|突破)|(低于|少于))[^，,。？?]{0,12}?(?:目标|预期|计划|原来定|原定|年初定)")


def is_met(side: int, measure: str, ceiling_said: bool, falling_said: bool) -> bool:
    """Whether a result ``side`` (compare(result, target): -1, 0, 1) meets its target. A ceiling
    (以内, 控制在) or a measure that is better lower (prices, unemployment, energy use) is met from
    below, unless it is a reduction ('能耗降低4%左右'), which is met from above."""
    falling = falling_said or bool(_FALLING.search(measure))
    ceiling = ceiling_said or bool(_LOWER_IS_BETTER.search(measure)) and not falling
    return side <= 0 if ceiling else side >= 0


class ComputedAnswers:
    """Composes compute answers (a part of ``ExtractiveAnswerer``)."""

    def compose_compute(self, composer: Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        """Each number cited, then the sum, difference, ratio or comparison, marked computed."""
        units = self._candidates(hits)
        if info.operation == "earlier":
            return self._before_change(composer, info, units)
        if info.operation == "vs_target":
            return self._against_target(composer, info, hits)
        if info.operation == "complement":
            return self._complement(composer, info, units)
        if info.operation == "hours":
            return self._hours_of_use(composer, info, units)
        if info.operation == "convert":
            return self._converted(composer, info, units)
        per = _PER.search(info.text) if info.operation == "ratio" else None
        if per and any(re.search(rf"(?:平均)?每{per.group(1)}", fold(u.text)) and quantities(u.text) for u in units):
            return self.compose_fact(composer, info, hits)  # '平均每天新增1.2万户': the report states the average
        @functools.cache
        def closest() -> list[Clause]:
            """The three clauses closest to the question, above the evidence floor (ranked once, when first needed)."""
            return [u for u, _score, similarity in self.ranked_units(info.text, units)[:3]
                    if similarity >= self.settings.min_evidence]

        if len(info.years) == 2 and info.operation == "difference":
            stated = self._stated_change(info, closest)
            if stated is not None:  # '…比2002年增加5400多万人': the report states the change asked
                return composer.answer(f"{composer.quote(stated)}。")
        if len(info.years) == 2 and info.operation in ("difference", "compare", "sum") and self.figures is not None:
            from .trend_answers import compare_years

            # '2017年城镇新增就业比2016年多了多少': one measure, two years, each from its own report
            across = compare_years(composer, info, self.figures(), None)
            if across is not None:
                return across
        if info.operation == "share":
            if any("占" in u.text and any(q.unit == "%" for q in quantities(u.text)) for u in closest()):
                return self.compose_fact(composer, info, hits)  # '占全球比重超过60%': the reports state the share
        given = [q for q in quantities(info.text) if q.unit not in NOT_AMOUNTS or q.text.endswith("%")]
        # Operands, not the number a question compares against ('有没有超过65%'); a year is an operand.
        # (also a number said with the words of a target: '年初7.5%左右的预期' is the number compared against)
        names = [p for p in info.parts if not re.fullmatch(r"了?[\d.,%％]+", _TARGET_FRAME.sub("", p))
                 or re.fullmatch(r"(19|20)\d{2}", p)]
        if len(names) == 1 and len(info.years) == 2 and info.operation in ("difference", "ratio") \
                and not re.search(r"(19|20)\d{2}", names[0]):
            # one measure over a span ('从2004年到2012年…养老金涨了多少钱'): the measure at each end
            names = [f"{year}年{re.sub(r'^[从由]', '', names[0])}"
                     for year in sorted(info.years, reverse=info.operation == "ratio")]  # (a multiple: later over earlier)
        found = self._multiple_of_old(info, closest) or self._respectively(info, names, units) \
            or self._two_ends(names, closest) or []
        lacking = []
        if not found:
            used: set[tuple[str, int]] = set()
            for operand in names:
                located = self._quantity_for(operand, info, units, frozenset(used))
                if located is None:
                    lacking.append(operand)
                else:
                    found.append((operand, *located))
                    used.add((located[1].hit.doc_id, located[1].start + located[0].start))
        if given and len(found) == 1 and not lacking:
            if not _COMPARES.search(zh.plain_asking(info.text)):
                # '改造38个老旧小区一共花了多少钱': the number stated names what is asked about; the
                # answer is another figure, not that number compared with itself
                return self.compose_fact(composer, info, hits)
            return self._against_threshold(composer, info, hits, found[0], given[0])
        if len(names) < 2 and not given:
            return self.compose_fact(composer, info, hits)  # '一共投资多少亿元': one number asked for
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
        shown: list[str] = []
        texts: set[str] = set()
        for (name, q, n), (_x, _y, u) in zip(cited, found):
            text = _clause_with(u.text, q, name, self.settings.short_clause_chars)
            if text not in texts:  # two numbers of one short clause are shown once
                texts.add(text)
                shown.append(f"{text}[{n}]")
        inputs = "，".join(shown)
        approx = "约" if any(q.approximate for _n, q, _c in cited) else ""
        try:
            operation = "average" if info.operation == "ratio" and "平均" in info.text else info.operation
            text, value = self._calculate(operation, cited, approx)
            restated = in_asked_magnitude(value, info.text)  # '多少亿元' asked: 3800亿元, not 0.38万亿元
            text, value = text.replace(value, restated).replace("约约", "约"), restated
        except Incompatible as exc:
            return composer.answer(f"{inputs}。两者单位不同（{exc}），不能直接{_OPERATION_NAMES.get(info.operation, '计算')}。")
        composer.computed = {"value": value, "operation": info.operation,
                             "from": list(dict.fromkeys(n for _a, _q, n in cited))}
        return composer.answer(f"{inputs}，{text}{COMPUTED_MARK}。")

    def _before_change(self, composer: Composer, info: QuestionInfo, units: list[Clause]) -> Answer:
        """'…9905户、增长19.3%，那上一年大约登记了多少户': the clause that gives the question's own
        figures (its premise), then the value before the change computed from them."""
        stated = [fold(q.text) for q in quantities(info.text) if q.unit not in NOT_AMOUNTS]
        holding = [u for u in units if all(q in fold(u.text) for q in stated)]
        for unit, _score, similarity in self.ranked_units(info.text, holding)[:3]:
            found = amount_and_change(unit.text)
            if found is None or similarity < self.settings.min_evidence:
                continue
            amount, change, falling = found
            try:
                value = earlier(amount, change, falling)
            except Incompatible:
                continue
            quote = composer.quote(unit)
            composer.computed = {"value": value, "operation": "earlier", "from": [composer.citations[-1].n]}
            asked = zh.EARLIER.search(info.text)
            when = asked.group(3) or asked.group(6)
            return composer.answer(f"{quote}，按此推算，{when}约为{value.removeprefix('约')}{COMPUTED_MARK}。")
        return self._partial(composer, info, units)

    def _complement(self, composer: Composer, info: QuestionInfo, units: list[Clause]) -> Answer:
        """'公办园占比55.2%，非公办的占多少': the rest of a share, 100% less the share the reports give."""
        share = self._quantity_for(info.parts[0] if info.parts else info.topic, info, units)
        if share is None or share[0].unit != "%":
            return self._partial(composer, info, units)
        q, unit = share
        rest = format_value(Decimal(100) - q.value, "%")
        composer.computed = {"value": rest, "operation": "complement", "from": [composer.cite(unit.hit, unit.start, unit.end, unit.text)]}
        return composer.answer(f"{composer.quote(unit)}，其余部分约占{rest.removeprefix('约')}{COMPUTED_MARK}。"
                               if q.approximate else f"{composer.quote(unit)}，其余部分占{rest}{COMPUTED_MARK}。")

    def _converted(self, composer: Composer, info: QuestionInfo, units: list[Clause]) -> Answer:
        """'27.5万亩营造林合多少公顷': the figure the reports give for the measure, in any unit of the
        asked unit's dimension, cited, then converted (``numbers.convert``)."""
        dimension = dimension_of_unit(info.unit)
        found = self._quantity_for(info.parts[0], info, units, wanted="")
        if found is None or dimension_of_unit(found[0].unit) != dimension:
            return self._partial(composer, info, units)
        q, unit = found
        magnitude = re.search(r"(万|亿)" + re.escape(info.unit), info.text)
        value = convert(q, info.unit, magnitude.group(1) if magnitude else "")
        composer.computed = {"value": value, "operation": "convert",
                             "from": [composer.cite(unit.hit, unit.start, unit.end, unit.text)]}
        return composer.answer(f"{composer.quote(unit)}，{q.text}合{value}{COMPUTED_MARK}。")

    def _hours_of_use(self, composer: Composer, info: QuestionInfo, units: list[Clause]) -> Answer:
        """'装机和年发电量算一下，平均利用小时数多少': the capacity and the energy it produced, each the
        first of its unit in the clauses closest to the question, cited, then kWh ÷ kW."""
        found: dict[str, tuple[Quantity, Clause]] = {}
        for unit, _score, similarity in self.ranked_units(info.text, units)[:self.settings.fact_candidates]:
            if similarity < self.settings.min_evidence:
                break
            for q in quantities(zh.strip_footnotes(unit.text)):
                key = dimension_of_unit(q.unit)
                if key in ("energy", "power") and key not in found:
                    found[key] = (q, unit)
        if len(found) < 2:
            return self._partial(composer, info, units)
        (energy, energy_unit), (power, power_unit) = found["energy"], found["power"]
        gap = checks.place_gap(info, [energy_unit.hit, power_unit.hit], energy_unit.sentence + power_unit.sentence)
        if gap:
            return composer.answer(gap.message, answered=False)
        value = hours_of_use(energy, power)
        same = (energy_unit.hit.chunk_id, energy_unit.start, energy_unit.end) == \
            (power_unit.hit.chunk_id, power_unit.start, power_unit.end)
        quotes = [composer.quote(u) for u in ([power_unit] if same else [power_unit, energy_unit])]
        composer.computed = {"value": value, "operation": "hours", "from": [c.n for c in composer.citations]}
        return composer.answer(f"{'，'.join(quotes)}，{energy.text}÷{power.text}，平均利用{value}{COMPUTED_MARK}。")

    def _against_target(self, composer: Composer, info: QuestionInfo, hits: list[Hit]) -> Answer:
        """'2024年城镇新增就业比当年预期目标多了多少': the result from the year's review, the target
        from the same year's plan, each cited, and the difference, marked computed."""
        # the measure, without the target named and the words asking how far apart ('…超出了多少？')
        measure = _HOW_FAR.sub("", zh.VS_TARGET.sub("", info.text)).strip("，, ") or info.text
        result, target = self._result_and_target(measure, info, hits)
        if result is None or target is None:
            missing = "实际结果" if result is None else "目标"
            return composer.answer(f"报告中没有找到{measure}的{missing}，无法比较。", answered=False)
        (got, got_unit), (aim, aim_unit) = result, target
        try:
            gap = difference(got, aim)
        except Incompatible as exc:
            return composer.answer(f"实际与目标单位不同（{exc}），不能直接比较。", answered=False)
        side = "高于" if compare(got, aim) > 0 else "低于" if compare(got, aim) < 0 else "等于"
        composer.computed = {"value": gap, "operation": "difference"}
        text = f"实际：{composer.quote(got_unit)}；目标：{composer.quote(aim_unit)}；实际{side}目标"
        text += f"{gap}{COMPUTED_MARK}。" if side != "等于" else f"{COMPUTED_MARK}。"
        composer.computed["from"] = [c.n for c in composer.citations]
        return composer.answer(text)

    def _result_and_target(self, measure: str, info: QuestionInfo, hits: list[Hit]):
        """The measure's result (from a review) and target (from a plan), each as (quantity, clause)
        or None: from the figure records of the question's one year, else among the hits."""
        # The two sit in two reports (the year's review is in the next one): the figure records of
        # each report first, which know a year's result from its target; then the passages found.
        recorded = self._year_records(measure, info, info.years[0]) if len(info.years) == 1 else [None, None]
        of_year = [h for h in hits if not info.years or h.period in info.years]
        results = self._candidates([h for h in of_year if not checks.is_plan(h)])
        targets = self._candidates([h for h in of_year if checks.is_plan(h)])
        # a growth is a rate ('国内生产总值增长' is 5.2%, not 126万亿元), of the records too
        wanted = "%" if asks_change(measure) or _RATE_WORD.search(measure) else None
        recorded = [r if r is None or wanted is None or r[0].unit in RATE_UNITS else None for r in recorded]

        def found(units: list[Clause], target: bool) -> tuple[Quantity, Clause] | None:
            pick = self._quantity_for(measure, info, units, wanted=wanted)
            if pick is None:
                return None
            # the figure's sentence names the measure, and a result is no target said in a review
            # ('要把…控制在10%以内')
            named = _names_measure(measure, fold(pick[1].sentence or pick[1].text))
            return pick if named and (target or not _TARGET_SAID.search(fold(pick[1].text))) else None

        return recorded[0] or found(results, False), recorded[1] or found(targets, True)

    def _year_records(self, measure: str, info: QuestionInfo, year: int) -> list[tuple[Quantity, Clause] | None]:
        """The year's result and target of the measure from the figure records (``rag.trends``:
        each from its own year's report, the region the question names), as (quantity, clause)."""
        if self.figures is None:
            return [None, None]
        from .trend_answers import figure_hit
        from .trends import build_series

        table = self.figures()
        region = next((r for r in sorted(table.regions()) if any(zh.place_stem(p) in r for p in info.places)), None)
        series = build_series(table, re.sub(r"(?:19|20)\d{2}\s*年|实际|最终|最后|年初|当年|定的|设定的?|[？?，,。]", "", measure),
                              [year], region=region)
        found = []
        for kind in ("result", "target"):
            point = series.point(year, kind)
            if point is None:
                found.append(None)
                continue
            figure = point.figure
            read = quantities(point.text) if point.text != figure.value else [figure.quantity]
            clause = Clause(figure_hit(figure), figure.start, figure.end, figure.clause, set(), figure.clause)
            # the quantity as it stands in the clause (its offsets are the clause's, as the hits' are)
            placed = [q for q in quantities(figure.clause) if read and q.text == read[0].text]
            found.append(((placed or read)[0], clause) if read else None)
        return found

    def target_met(self, composer: Composer, info: QuestionInfo, hits: list[Hit]) -> Answer | None:
        """'1999年经济增速有没有达到年初的预期': 是 or 没有 by the year's result against the same year's
        target, both cited. A target stated as a ceiling (以内, 控制在, 不超过) or of a measure that
        is better lower (prices, unemployment, deficit, energy use) is met from below; others from
        above. None when the reports lack either figure (then the question is read as a fact)."""
        measure = measure_asked(info.text)
        result, target = self._result_and_target(measure, info, hits)
        stated = [q for q in quantities(info.text) if q.unit not in NOT_AMOUNTS]
        # (the result figure's own clause names the measure: '原煤产量由…增加到八亿五千万吨' is no 钢产量)
        if result is not None and not _names_measure(measure, _own_clause(result[1].text, result[0])):
            return None
        if result is not None and target is None and stated:
            return self._against_stated(composer, info, measure, result, stated[0])
        if result is None or target is None:
            return None
        (got, got_unit), (aim, aim_unit) = result, target
        # each figure's sentence names the measure ('国有企业实现利润…增长77.7%' is no 经济增速)
        nouns = [t for t in checks.subject_terms(measure) if not checks.is_direction(t)]
        if not nouns or not all(_names_measure(measure, fold(u.sentence or u.text)) for u in (got_unit, aim_unit)):
            return None
        try:
            side = compare(got, aim)
        except Incompatible:
            return None
        aim_text = fold(aim_unit.text)[aim.start:aim.end + 4]
        before = fold(aim_unit.text)[max(0, aim.start - 8):aim.start]
        met = is_met(side, measure, bool(_CEILING.search(aim_text) or _CEILING.search(before[-6:])),
                      bool(_FALLING.search(before)))
        beyond = _ASKS_BEYOND.search(info.text)
        if beyond:
            # '物价涨幅超过3%左右的目标了吗' asks which side of the target the result is, not whether it
            # was met: a CPI of 0.2% meets a ceiling of 3% and does not exceed it
            met = side > 0 if beyond.group(1) else side < 0
            word = "超过" if beyond.group(1) else "低于"
            verdict = f"是的，{word}了目标" if met else f"没有，没有{word}目标"
        else:
            verdict = ("是的，达到了目标" if met else "没有，未达到目标") if not zh.MISSED_TARGET.search(info.text) \
                else ("不是，达到了目标" if met else "是的，未达到目标")  # '是不是没完成': yes is 'missed'
        text = f"{verdict}：实际{composer.quote(got_unit)}；目标{composer.quote(aim_unit)}{COMPUTED_MARK}。"
        # a result the question states wrongly is corrected ('才900多万人，是不是没达标')
        wrong = [q for q in stated if q.kind == got.kind and q.value not in (got.value, aim.value)]
        if wrong:
            # the number the question gives as the target is corrected as the target ('达到10%的预定目标了吗')
            as_target = zh.MET_TARGET.search(info.text)
            said = "目标" if as_target and wrong[0].text in as_target.group(0) else "实际数字"
            text += f"注意：报告中的{said}是{(aim if said == '目标' else got).text}，不是问题中的{wrong[0].text}。"
        composer.computed = {"value": "是" if met else "否", "operation": "compare",
                             "from": [c.n for c in composer.citations]}
        return composer.answer(text)

    def _against_stated(self, composer: Composer, info: QuestionInfo, measure: str,
                        result: tuple[Quantity, Clause], stated: Quantity) -> Answer | None:
        """'1998年GDP增速达到8%的预定目标了吗' when no plan of the year is found: the year's result
        against the target the question states (the question's number, not a cited one)."""
        got, unit = result
        try:
            side = compare(got, stated)
        except Incompatible:
            return None
        met = is_met(side, measure, bool(_CEILING.search(info.text)), False)
        verdict = ("是的，达到了" if met else "没有，未达到") if not zh.MISSED_TARGET.search(info.text) \
            else ("不是，达到了" if met else "是的，未达到")
        composer.computed = {"value": "是" if met else "否", "operation": "compare", "from": []}
        text = f"{verdict}问题所说的{stated.text}：实际{composer.quote(unit)}{COMPUTED_MARK}。报告中没有找到当年的目标原文。"
        composer.computed["from"] = [c.n for c in composer.citations]
        return composer.answer(text)

    def _respectively(self, info: QuestionInfo, names: list[str], units: list[Clause]) -> list[tuple[str, Quantity, Clause]] | None:
        """'中高职毕业生初次就业率分别达到98%、90%': one clause gives every operand's number, in order."""
        ranked = self.ranked_units(info.text, [u for u in units if "分别" in u.text])
        for unit, _score, similarity in ranked[:2]:
            after = [q for q in quantities(unit.text) if q.start > unit.text.index("分别") and q.unit not in NOT_AMOUNTS]
            chars = set(fold(unit.text))
            if similarity >= self.settings.min_evidence and len(after) == len(names) >= 2 and \
                    all(set(zh.content_chars(n)) <= chars for n in names):
                return [(name, q, unit) for name, q in zip(names, after)]
        return None

    @staticmethod
    def _multiple_of_old(info: QuestionInfo, closest: Callable[[], list[Clause]]) -> list[tuple[str, Quantity, Clause]] | None:
        """'…变成了原来的几倍' over '起征点从月销售额10万元提高到15万元': the new level and the old, in that
        order, from the closest clause (of ``closest()``) that goes from one to the other; None for other questions."""
        if info.operation != "ratio" or not _OF_THE_OLD.search(info.text):
            return None
        for unit in closest():
            ends = from_to(unit.text)
            if ends is not None:
                earlier, later = ends
                return [("现在", later, unit), ("原来", earlier, unit)]
        return None

    @staticmethod
    def _stated_change(info: QuestionInfo, closest: Callable[[], list[Clause]]) -> Clause | None:
        """The clause, of those ``closest()`` gives, that states the change against the earlier year
        asked ('参保人数突破2亿人，比2002年增加5400多万人' for '…比2002年多了多少'), or None."""
        base = min(info.years)
        change = re.compile(rf"比\s*{base}\s*年[^，,。；;]{{0,6}}?(?:增加|增长|提高|扩大|减少|下降|降低|多|少)了?(?:约|近)?\d")
        return next((unit for unit in closest() if change.search(fold(unit.text))), None)

    @staticmethod
    def _two_ends(names: list[str], closest: Callable[[], list[Clause]]) -> list[tuple[str, Quantity, Clause]] | None:
        """'2002年全国财政收入是1997年的几倍' over '从1997年的8651亿元增加到2002年的18914亿元':
        the operands are the two ends of one change, told apart by the years they name (of the clauses
        ``closest()`` gives)."""
        years = [re.search(r"(19|20)\d{2}", n) for n in names]
        if len(names) != 2 or not all(years):
            return None
        for unit in closest():
            ends = from_to(unit.text)
            if ends is None:
                continue
            earlier, later = ends
            said = {int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", fold(unit.text))}
            if said - {int(y.group(0)) for y in years}:
                continue  # the change of other years ('由一九五七年的五百三十五万吨增长到…' for 1952)
            first_is_later = years[0].group(0) in unit.text[unit.text.find(later.text) - 12:unit.text.find(later.text)] \
                or int(years[0].group(0)) > int(years[1].group(0))
            ordered = (later, earlier) if first_is_later else (earlier, later)
            return [(name, q, unit) for name, q in zip(names, ordered)]
        return None

    def _against_threshold(self, composer: Composer, info: QuestionInfo, hits: list[Hit],
                           found: tuple[str, Quantity, Clause], threshold: Quantity) -> Answer:
        """'森林覆盖率有没有达到65%': the reported number against the one in the question."""
        name, quantity, unit = found
        gap = checks.place_gap(info, hits, unit.sentence)
        if gap:
            return composer.answer(gap.message, answered=False)
        # ('比6%高多少' of '国内生产总值达到114万亿元，增长8.1%': the clause's figure of the threshold's kind)
        for candidate in [quantity] + [q for q in quantities(unit.text) if q.start != quantity.start]:
            try:
                order = compare(candidate, threshold)
            except Incompatible:
                continue
            quantity = candidate
            break
        else:
            return composer.answer(f"{composer.quote(unit)}。报告的数字与问题中的{threshold.text}单位不同，无法比较。")
        at_least = re.match(r"以上|余|多", unit.text[quantity.end:quantity.end + 2])
        if order == 0 and (quantity.approximate or at_least):
            # '65%以上' against 65%: it reaches the number, and may exceed it
            verdict = f"达到{threshold.text}"
        else:
            verdict = {1: f"高于{threshold.text}", 0: f"等于{threshold.text}", -1: f"低于{threshold.text}"}[order]
        if order != 0 and re.search(r"多少|几", zh.plain_asking(info.text)):
            try:  # '比6%高多少': by how much, too ('高于6%，相差2.1个百分点')
                verdict += f"，相差{difference(quantity, threshold)}"
            except Incompatible:
                pass
        composer.computed = {"value": verdict, "operation": "compare", "from": [len(composer.citations) + 1]}
        lead = ""
        if (info.kind == "yesno" or _YES_NO_FORM.search(info.text)) and not checks.is_plan(unit.hit):
            # (never of a plan's own number: '增长6.5%左右' is the target, not what came of it)
            # whether the bound asked holds: '控制在3%以内' (at most), '超过'/'高于' (above), else at least
            bound = zh.bound_asked(info.text)
            if bound == "at_most":
                holds = order <= 0
            elif bound == "above":
                holds = order > 0
            else:
                holds = order >= 0 or verdict.startswith("达到")
            lead = "是的，" if holds else "不是，"
        return composer.answer(f"{lead}{composer.quote(unit)}，{verdict}{COMPUTED_MARK}。")

    @staticmethod
    def _calculate(operation: str, cited: list[tuple[str, Quantity, int]], approx: str) -> tuple[str, str]:
        names = [re.sub(r"^(?:大约|约)?(?:为|是)", "", name) for name, _q, _n in cited]  # ('约为农民人均纯收入')
        values = [q for _n, q, _c in cited]
        if operation == "difference":
            value = difference(values[0], values[1])
            more = names[0] if values[0].value >= values[1].value else names[1]
            return f"{more}多{approx}{value}", value
        if operation == "share":  # '财政赤字里，中央那一块占百分之几': part ÷ whole
            value = share(values[0], values[1])
            return f"{names[0]}占{names[1]}的{approx}{value}", value
        if operation == "ratio":
            value = ratio(values[0], values[1])
            return f"{names[0]}是{names[1]}的{approx}{value}", value
        if operation == "average":  # '平均每家托育机构有多少个托位': 1810个 ÷ 24家
            value = format_value(values[0].value / values[1].value, values[0].unit, places=1) \
                if values[1].value else ratio(values[0], values[1])
            return f"平均每{values[1].unit}{names[1]}{approx or value[:1] if value.startswith('约') else approx}" \
                   f"{value.removeprefix('约')}{names[0]}", value
        if operation == "compare":
            order = compare(values[0], values[1])
            if order == 0:
                return "两者相同", values[0].text
            winner = names[0] if order > 0 else names[1]
            return f"{winner}更多（更高）", winner
        value = total(values)
        return f"合计{approx}{value}", value

    def _quantity_for(self, operand: str, info: QuestionInfo, units: list[Clause],
                      used: frozenset[tuple[str, int]] = frozenset(), wanted: str | None = None) -> tuple[Quantity, Clause] | None:
        """The number the reports give for ``operand`` and the clause it is in: the first amount
        after the operand's most telling word that no other operand took (``used``: document and
        offset of the numbers already taken; no figure counts twice in one computation)."""
        query = operand + ("多少" if not self._wants_number(operand) else "")
        wanted = expected_unit(operand) if wanted is None else wanted
        key = [t for t in checks.key_terms(operand) if not any(t in p or p in t for p in info.places)] or [operand]
        for unit, _score, similarity in self.ranked_units(query, units)[:4]:
            if similarity < self.settings.min_evidence:
                break
            found = [q for q in quantities(unit.text) if q.unit not in NOT_AMOUNTS
                     and (unit.hit.doc_id, unit.start + q.start) not in used
                     and self.is_of_unit(q, wanted)  # '国内生产总值增速' is a rate, not 114万亿元
                     and one_years_figure(info.text, unit.text, q)  # nor a five years' 年均增长5.2%
                     and not _of_another_year(unit.text, q, info.years)]  # nor '由2002年7703元' for 2007
            plain = fold(unit.text)
            present = [t for t in key if checks.term_present(t, plain)]
            if not found or sum(map(self._weight, present)) < 0.5 * sum(map(self._weight, key)):
                continue
            anchor = max(present, key=self._weight)
            at = _locate(anchor, plain)
            # a level, not the change beside it, unless a change is asked ('收入增加910元，达到2027元'
            # is 2027元 for '城镇居民收入是农村的几倍')
            levels = [q for q in found if asks_change(operand) or q.unit in RATE_UNITS
                      or not is_change(unit.text, q, increments=False)]
            if not levels:
                continue
            # '由2476元增加到4140元' (of 2002 → 2007, its years said at the span's first mention:
            # '…由2002年7703元增加到2007年13786元；农村居民人均纯收入由2476元增加到4140元'): the end asked
            to = re.search(r"[由从][^，,。；;]*?[到至]", plain)
            upto = unit.hit.text[:max(0, unit.end - unit.hit.start)] or unit.text
            end = _span_end_asked(upto, info.years) if to else None
            if end is not None:
                side = [q for q in levels if (q.start >= to.end()) == bool(end)]
                if side:
                    return (side[0] if end else side[-1]), unit
            if at >= 0:
                # the operand's own number: in the clause that names it ('改造提升1.4万亩' for 改好的, a
                # change only in name), or in the clause that goes on to its level ('收入增加910元，达到2027元');
                # never the next thing's ('…完成耕地恢复补足8900亩'). Its words are tried from the most telling
                # ('新建和改造提升的高标准农田': 改造提升, not 高标准农田, which names the other one's clause too).
                own = next((q for word in sorted(present, key=self._weight, reverse=True)
                            for q in [_own_number(plain, _locate(word, plain), levels, found)] if q), None)
                if own is None:
                    continue
                return own, unit
            after = [q for q in levels if q.start >= max(at, 0)]
            return (after[0] if after else levels[-1]), unit
        return None


def _own_clause(text: str, q: Quantity) -> str:
    """The clause of ``text`` that holds the quantity (folded), with the one before when it goes on
    from it ('国内生产总值达到56.9万亿元，比上年增长7.7%')."""
    from .evidence import NO_SUBJECT

    plain = fold(text)
    bounds = clause_bounds(plain)
    i = next((k for k, (a, b) in enumerate(bounds) if a <= q.start < b), None)
    if i is None:
        return plain
    start = bounds[i - 1][0] if i and NO_SUBJECT.match(plain[bounds[i][0]:bounds[i][1]]) else bounds[i][0]
    return plain[start:bounds[i][1]]


def _of_another_year(text: str, q: Quantity, years: list[int]) -> bool:
    """The quantity is written right after a year that is none of the asked ones ('由2002年7703元
    增加到2007年13786元': 7703元 is 2002's)."""
    before = _YEAR_JUST_BEFORE.search(fold(text)[max(0, q.start - 8):q.start])
    return bool(years and before and int(before.group(1)) not in years)


def _span_end_asked(text: str, years: list[int]) -> int | None:
    """Which end of the last 由…到… span of years the text names the one year asked is: 0 the start,
    1 the end, None when it names neither ('城镇居民人均可支配收入由2002年7703元增加到2007年13786元').
    ``text``: the passage up to the clause in question."""
    spans = list(re.finditer(r"[由从]\s*((?:19|20)\d{2})\s*年[^。]*?[到至]\s*((?:19|20)\d{2})\s*年", fold(text)))
    span = spans[-1] if spans else None
    if not span or len(years) != 1:
        return None
    return {int(span.group(1)): 0, int(span.group(2)): 1}.get(years[0])


_YEAR_JUST_BEFORE = re.compile(r"((?:19|20)\d{2})\s*年(?:底|末|的|为|是)?$")


_CHANGE_BEFORE = re.compile(r"(增长|增加|提高|提升|下降|减少|降低)了?(约|近)?$")


def amount_and_change(text: str) -> tuple[Quantity, Quantity, bool] | None:
    """The amount and the change that follows it ('9243亿元，比上年预算增加5038亿元',
    '9905户,增长19.3%'), and whether the change is a fall."""
    found = [q for q in quantities(text) if q.unit not in NOT_AMOUNTS or q.unit == ""]
    for i, change in enumerate(found):
        verb = _CHANGE_BEFORE.search(fold(text[max(0, change.start - 5):change.start]))
        if verb is None:
            continue
        before = [q for q in found[:i] if q.unit not in ("%", "‰", "") and (change.unit in ("%", "‰") or q.kind == change.kind)]
        if before:
            return before[-1], change, verb.group(1) in ("下降", "减少", "降低")
    return None


def _clause_with(text: str, quantity: Quantity, name: str, short: int) -> str:
    """The clause of ``text`` that holds the quantity when it is short, else the smallest piece
    between enumeration marks ('蔬菜28.5万吨'), else the operand and the number."""
    for a, b in clause_bounds(text):
        if a <= quantity.start < b and b - a <= short:
            return zh.clean_quote(text[a:b])
    pos = 0
    for piece in re.split(r"([,，;；、])", text):
        if pos <= quantity.start < pos + len(piece):
            words = re.sub(r"[\d.,%％]|" + re.escape(quantity.text), "", piece)
            return zh.clean_quote(piece) if len(words) >= 2 else f"{name}{quantity.text}"
        pos += len(piece)
    return f"{name}{quantity.text}"

def _locate(term: str, text: str) -> int:
    """Where a word (or its longest leading part of two or more characters, or the reports' word for
    it: '改好' is said 改造) occurs; -1 if nowhere."""
    for length in range(len(term), 1, -1):
        at = text.find(term[:length])
        if at >= 0:
            return at
    for alias in zh.REPORT_TERMS.get(term, ()):
        at = text.find(alias)
        if at >= 0:
            return at
    return -1


# A clause that goes on with the level of the one before ('收入增加910元，达到2027元').
_LEVEL_GOES_ON = re.compile(r"[，,]?\s*(?:达到|达|为|是|增加到|提高到|增长到|上升到|下降到|降至|降到|增至|升至)")
# (an enumeration comma between two numbers lists the values of one clause: '分别达到98%、90%')
_OPERAND_CLAUSE = re.compile(r"[，,；;。：:]|、(?![\d０-９零〇一二三四五六七八九十])")


def _own_number(plain: str, at: int, levels: list[Quantity], found: list[Quantity]) -> Quantity | None:
    """The number of the clause at offset ``at``: its first level from ``at``, else the level of a clause
    going on from it, else any of its own numbers from ``at``; None when none holds one."""
    own = _anchor_clause(plain, at)
    if own is None:
        return None
    a, b = own
    mine = [q for q in levels if a <= q.start < b]
    if mine:
        return next((q for q in mine if q.start >= at), mine[-1])
    continuing = _LEVEL_GOES_ON.match(plain, b) if b < len(plain) else None
    going_on = next((q for q in levels if continuing and b <= q.start < b + len(continuing.group(0)) + 12), None)
    return going_on or next((q for q in found if at <= q.start < b), None)


def _anchor_clause(text: str, at: int) -> tuple[int, int] | None:
    """The bounds of the clause (between commas, enumeration commas or stops) of ``text`` that holds
    offset ``at``; None when ``at`` is -1 (the word is nowhere in it)."""
    if at < 0:
        return None
    start = max((m.end() for m in _OPERAND_CLAUSE.finditer(text, 0, at)), default=0)
    stop = _OPERAND_CLAUSE.search(text, at)
    return start, stop.start() if stop else len(text)

def from_to(text: str) -> tuple[Quantity, Quantity] | None:
    """'从2.5万公里增加到4.2万公里' -> (2.5万公里, 4.2万公里), when the clause says only that."""
    match = _FROM_TO.search(text)
    if not match:
        return None
    before = [q for q in quantities(match.group("a")) if q.unit not in NOT_AMOUNTS]
    after = [q for q in quantities(match.group("b")) if q.unit not in NOT_AMOUNTS]
    if len(before) != 1 or len(after) != 1 or len([q for q in quantities(text) if q.unit not in NOT_AMOUNTS]) != 2:
        return None
    return before[0], after[0]
