"""Years named in questions, and how well a chunk's period matches them.

A report of year Y reviews Y-1 and plans Y. "2023年城镇新增就业多少" asks for what happened in
2023, found in the 2024 report's review; "2024年的预期目标" asks for the 2024 report's plan.
"""
from __future__ import annotations

import datetime
import re

import numpy as np

from .chunking import Chunk
from .normalize import fold
from .zh import MET_TARGET, PLAN_WORDS, RESULT_WORDS, VS_TARGET

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_SPAN_START = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*(?:到|至|—|–|-|~|～)\s*(?:19|20)\d{2}\s*年)")
_SHORT_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.%])")

# Tiers: 0 = about the year asked (the review of it, or its plan for target questions);
# 1 = the same year from the other side, or a report of that year or the next; 2 = unrelated.
TIER_WEIGHTS = (1.0, 0.55, 0.15)


# '83年', '九八年', '那23年呢': a year said with two digits, as people say it. Only where a year can
# stand (after the start, punctuation, 那/在/到/从/比/和/、…) and not a span ('改革开放40年',
# '近10年', '三五年内', '20年来'); only the years reports can be of: 1950–1999 and 2000 to this year.
_TWO_DIGIT_YEAR = re.compile(r"(?:^|(?<=[那在到从至和与跟同比及、是于，,。；;？?！!：:（(\s]))"
                             r"(\d{2}|[五六七八九〇零一][〇零一二三四五六七八九]|二[〇零一二三四五六])年"
                             r"(?!来|间|内|代|左右|以来|之|里|的时间|时间|历程|前|后|\d)")
_ZH_DIGIT = dict(zip("〇零○一二三四五六七八九", "000123456789"))
_ZH_HISTORY_YEAR = re.compile(r"(?<![〇零○一二三四五六七八九十])(一[五六七八][〇零○一二三四五六七八九]{2})(?=年)")


def full_years(question: str) -> str:
    """The question with its two-digit years written out: '那83年呢？' -> '那1983年呢？',
    '九八年的粮食产量' -> '1998年的粮食产量'; a span ('改革开放40年来') is left as it is."""
    def full(match: re.Match) -> str:
        two = "".join(_ZH_DIGIT.get(ch, ch) for ch in match.group(1))
        if two <= f"{datetime.date.today().year % 100:02d}":
            return f"20{two}年"
        return f"19{two}年" if two >= "50" else match.group(0)

    return _TWO_DIGIT_YEAR.sub(full, question)


# A year named as what a figure is compared with or counted from ('比1954年增长9%', '从1978年的…'),
# not as the year the figure is of.
_BASE_YEAR = re.compile(r"(?:比|较|同|与|和|跟|从|自|由)\s*((?:1[5-9]|20)\d{2})\s*年")
# a figure that is not a year: a number not followed by 年
_FIGURE = re.compile(r"\d+(?:\.\d+)?(?!\d|\.\d|\s*年)|[零〇一二三四五六七八九十百千万亿]+(?:万|亿|千|百)[^年]")
# any year a clause may name, history included ('英国早在一八五四年')
_ANY_YEAR = re.compile(r"(?<!\d)((?:1[5-9]|20)\d{2})\s*年")


# a date line ('2025年3月5日') names the day a report was given, not the year a figure is of
# ('截至2023年6月底' does scope its figure: no day, kept)
_DATE_YEAR = re.compile(r"(?<!\d)((?:1[5-9]|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def own_years(text: str) -> set[int]:
    """The years a clause says its figure is of: those named before its first figure, not as a
    comparison base and not in a date ('一九六四年全国工业总产值，预计比一九六三年增长…' -> {1964})."""
    text = _ZH_HISTORY_YEAR.sub(lambda m: "".join(_ZH_DIGIT[ch] for ch in m.group(1)), fold(text))
    text = _DATE_YEAR.sub("", text)
    bases = {int(y) for y in _BASE_YEAR.findall(text)}
    figure = _FIGURE.search(text)
    return {int(y) for y in _ANY_YEAR.findall(text[:figure.start()] if figure else text)} - bases


def names_other_year(question: str, asked: list[int], text: str) -> bool:
    """The clause says, before its figure, which year the figure is of, and it is none of the years
    asked ('根据1980年计划，积累率可能进一步降到30%左右' for 1979), or it compares
    with another year than the question does ('比一九六四年增长…' for 比1962年). ``text`` is any
    clause (folded here: Chinese-numeral years are read as digits); False when either names no year."""
    # (years of history in Chinese numerals too: '英国早在一八五四年'; fold reads only 19xx and 20xx)
    text = _ZH_HISTORY_YEAR.sub(lambda m: "".join(_ZH_DIGIT[ch] for ch in m.group(1)), fold(text))
    bases = {int(y) for y in _BASE_YEAR.findall(text)}
    # the years said before the figure scope it; those after it compare ('3.5亿千瓦，是1950年到2002年…的总和')
    own = own_years(text)
    if asked and own and not own & set(asked):
        return True
    asked_bases = {int(y) for y in _BASE_YEAR.findall(fold(question))}
    if len(asked) >= 3 and bases and not any(b in asked or b == min(asked) - 1 for b in bases):
        return True  # a span asked ('十一五' 2006-2010) is not another span's ('比2002年增长65.5%，年均…')
    return bool(asked_bases and bases and not asked_bases & bases)


# The five-year plans by their names ('一五', '“十一五”', '第六个五年计划'): the first for 1953-1957,
# the second 1958-1962, the third from 1966 (after three years of readjustment), each next one for
# the next five years (十一五 onwards called 规划).
_PLAN_ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"]
FIVE_YEAR_PLAN = re.compile(r"第(十[一二三四五]|[一二三四五六七八九十])个五年(?:计划|规划)|"
                             r"[“\"「]?(十[一二三四五]|[一二三四五六七八九])五[”\"」]?(?=计划|规划|时期|期间|那五年|这五年|末|初|开局|以来|结束|收官)|"
                             r"[“\"「](十[一二三四五]|[一二三四五六七八九十])五[”\"」]")


def plan_years(question: str) -> list[int]:
    """The years of the five-year plan a question names ('十一五那五年' -> 2006…2010), [] when none."""
    match = FIVE_YEAR_PLAN.search(question)
    if not match:
        return []
    n = _PLAN_ORDINALS.index(next(g for g in match.groups() if g)) + 1
    start = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)  # 1963-1965 were years of readjustment
    after = question[match.end():match.end() + 4]
    if re.match(r"(?:时期|期间)?(?:末|结束|收官|的?最后一年)", after):
        return [start + 4]  # '“十二五”结束时' is 2015
    if re.match(r"(?:时期|期间)?(?:初|开局|的?第一年|头一年)", after):
        return [start]
    return list(range(start, start + 5))


# A year named only as what the asked figure is compared with ('拖拉机台数比一九五七年增长了多少',
# '与2012年相比'): the question asks of another year (the report's, or the one it names besides).
_COMPARED_YEAR = re.compile(r"(?:比|较)\s*((?:19|20)\d{2})\s*年|(?:与|同|和|跟)\s*((?:19|20)\d{2})\s*年(?:相比|比较|比)"
                            r"|(?:是|相当于|等于)\s*((?:19|20)\d{2})\s*年的?(?:几|多少)倍")


def years_in_question(question: str) -> list[int]:
    """The years a question names ('2023年', '二〇二三年', a five-year plan's years), sorted; [] when
    every year it names is a comparison base ('比1957年增长了多少' asks of the report's own year;
    with a year besides, '2017年比2016年多了多少', both are kept: a difference needs both)."""
    text = fold(question)
    years = [int(y) for y in _YEAR.findall(text)] or [int(y) for y in _SHORT_YEAR.findall(text)] or plan_years(text)
    # (a span's first year is written without 年: '2003到2011年')
    years += [int(y) for y in _SPAN_START.findall(text)]
    bases = {int(next(y for y in groups if y)) for groups in _COMPARED_YEAR.findall(text)}
    return [] if bases and set(years) <= bases else sorted(set(years))


def asks_for_target(question: str) -> bool:
    """A plan or target is asked for ('2024年的预期目标'), not whether it was met ('目标完成了吗')."""
    # a result compared with its target ('比当年预期目标多了多少') asks what happened first
    # The same word classes as the answerer's (rag.zh), so retrieval and answering agree.
    return bool(PLAN_WORDS.search(question)) and not RESULT_WORDS.search(question) and not VS_TARGET.search(question) \
        and not MET_TARGET.search(question)


class YearTiers:
    """Tier of every chunk of a collection for the years a question names, computed with numpy
    (a Python loop over 100k chunks per question would dominate search time)."""

    def __init__(self, chunks: list[Chunk]):
        self.period = np.array([c.period if c.period is not None else -1 for c in chunks], dtype=np.int32)
        self.year = np.array([c.year if c.year is not None else -1 for c in chunks], dtype=np.int32)
        self._texts = [c.text for c in chunks]
        self._mentions: dict[int, np.ndarray] = {}

    def mentions(self, year: int) -> np.ndarray:
        if year not in self._mentions:  # computed once per year asked about
            needle = str(year)
            self._mentions[year] = np.array([needle in t for t in self._texts], dtype=bool)
        return self._mentions[year]

    def tiers(self, years: list[int], wants_target: bool) -> np.ndarray:
        best = np.full(len(self.period), 2, dtype=np.int8)
        for year in years:
            about = self.period == year
            review = (self.year == -1) | (self.year == year + 1)
            related = (self.year == -1) | (self.year == year) | (self.year == year + 1) | self.mentions(year)
            tier = np.where(about, np.where(review != wants_target, 0, 1), np.where(related, 1, 2))
            best = np.minimum(best, tier.astype(np.int8))
        return best


_CN_COUNT = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def year_span(question: str, latest: int | None) -> list[int]:
    """The years a trend question covers: '2019到2023年' -> 2019…2023; '2016年以来' -> 2016…latest;
    '近五年' -> the five years up to ``latest`` (the newest year the knowledge base has figures
    for); '历年' / '每年' with no span -> the ten years up to ``latest``; [] when none applies."""
    from .zh import EVERY_YEAR, YEAR_SPAN

    text = fold(question)
    match = YEAR_SPAN.search(text)
    if match:
        start, end, since, count = match.groups()
        if start and end:
            a, b = sorted((int(start), int(end)))
            return list(range(a, b + 1)) if b - a <= 60 else []
        if since and latest:
            return list(range(int(since), latest + 1)) if latest >= int(since) else []
        if count and latest:
            n = int(count) if count.isdigit() else (10 + _CN_COUNT.get(count[1:], 0) if count.startswith("十") and len(count) > 1
                                                  else _CN_COUNT.get(count, 0))
            return list(range(latest - n + 1, latest + 1)) if 0 < n <= 60 else []
    if EVERY_YEAR.search(text) and latest:
        named = years_in_question(text)
        if len(named) == 1:
            # one year named: the years since it ('从2018年首次作为预期目标以来，历年…'), or no span at all
            # ('2001年年底…比前一年年底多了多少')
            since = re.search(r"以来|至今|起", text[text.find(str(named[0])):])
            return list(range(named[0], latest + 1)) if since and latest >= named[0] else []
        return named if len(named) >= 2 else list(range(latest - 9, latest + 1))
    return []
