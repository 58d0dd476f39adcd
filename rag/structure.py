"""Structure of Chinese official reports: headings, topic lead sentences, the report's year and
which year each part of it is about.

A work report of year Y reviews year Y-1 first ("一、2023年工作回顾") and then sets year Y's
targets and tasks ("二、2024年经济社会发展总体要求…", "三、2024年政府工作任务"). Every offset
of the document therefore gets a *period*: the year its text is about.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .normalize import fold

_CN_NUM = "一二三四五六七八九十"
# (level, pattern) on folded text; lower level = larger section.
_HEADING_PATTERNS = [
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (1, re.compile(rf"^第[{_CN_NUM}]+[部分章]")),
    (2, re.compile(rf"^\([{_CN_NUM}]+\)")),
    (2, re.compile(rf"^第[{_CN_NUM}]+[、,]")),
    (3, re.compile(r"^\d{1,2}[.、](?!\d)")),
    (3, re.compile(rf"^[{_CN_NUM}]是")),
]
TOPIC_LEVEL = 4
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
_REVIEW_WORDS = ("回顾", "过去", "上年", "去年", "五年来", "十年来")
_PLAN_WORDS = ("今年", "总体要求", "任务", "部署", "建议", "目标", "政策取向", "安排")

_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年.{0,30}?工作[报報]告")
_YEAR_OF_DELIVERY = re.compile(r"((?:19|20)\d{2})年\d{1,2}月\d{1,2}日")
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def detect_report_year(title: str, file_name: str, text: str) -> int | None:
    """The report's own year, from its title, its delivery date line or its file name."""
    for source, pattern in ((title, _YEAR_IN_TITLE), (fold(text[:600]), _YEAR_IN_TITLE),
                            (fold(text[:600]), _YEAR_OF_DELIVERY), (file_name, _YEAR_IN_NAME)):
        match = pattern.search(fold(source or ""))
        if match:
            return int(match.group(1))
    return None


@dataclass(frozen=True)
class Heading:
    start: int
    level: int
    title: str


@dataclass
class Outline:
    """Headings and periods of one document; look-ups by character offset."""
    headings: list[Heading]
    period_starts: list[int]
    periods: list[int | None]

    def section_at(self, offset: int) -> str:
        """Section path active at ``offset``, e.g. '一、2023年工作回顾 > (三)扎实推进… > 重点改革蹄疾步稳'."""
        path: list[Heading] = []
        for heading in self.headings:
            if heading.start > offset:
                break
            while path and path[-1].level >= heading.level:
                path.pop()
            path.append(heading)
        return " > ".join(h.title for h in path)

    def period_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.period_starts, offset) - 1
        return self.periods[i] if i >= 0 else None


def _heading_level(sentence: str) -> int | None:
    for level, pattern in _HEADING_PATTERNS:
        if pattern.match(sentence):
            return level
    return None


def _is_topic_sentence(sentence: str, rest_of_paragraph: str) -> bool:
    """Topic lead sentences such as '重点改革蹄疾步稳。': short, no clause break, no number,
    and followed by the text they introduce."""
    body = sentence.rstrip("。")
    return (sentence.endswith("。") and 4 <= len(body) <= 12 and len(rest_of_paragraph) > 20
            and not re.search(r"[,，、:：;；\d“”\"]", body))


def outline(text: str, report_year: int | None) -> Outline:
    headings: list[Heading] = []
    period_starts, periods = [0], [report_year - 1 if report_year else None]
    seen_review = False
    offset = 0
    for paragraph in text.split("\n"):
        folded = fold(paragraph)
        sentences = [s for s in _SENTENCE.findall(folded) if s]
        position = offset
        for i, sentence in enumerate(sentences):
            rest = folded[position - offset + len(sentence):]
            level = _heading_level(sentence) if i == 0 else None
            if level is None and i == 0 and len(paragraph) <= 30 and not sentence.endswith(("。", "!", "?", "！", "？", ":", "：")) \
                    and not paragraph.startswith(("|", "表：")):  # a table row or caption is never a heading
                level = 2  # a short stand-alone line such as '关于教育改革问题' or '结束语'
            if level is None and _is_topic_sentence(sentence, rest):
                level = TOPIC_LEVEL
            if level is not None:
                title = paragraph[position - offset:position - offset + len(sentence)].rstrip("。")
                headings.append(Heading(position, level, title[:60]))
                if level == 1 and report_year:
                    period, seen_review = _period_of_part(sentence, report_year, seen_review, periods[-1])
                    period_starts.append(position)
                    periods.append(period)
            elif i == 0:
                break  # body paragraphs only carry topic sentences at their start
            position += len(sentence)
        offset += len(paragraph) + 1
    return Outline(headings, period_starts, periods)


def _period_of_part(heading: str, year: int, seen_review: bool, current: int | None) -> tuple[int | None, bool]:
    """Which year a top-level part is about: the review (Y-1) or the plan (Y)."""
    if str(year - 1) in heading or any(w in heading for w in _REVIEW_WORDS):
        return year - 1, True
    if str(year) in heading or any(w in heading for w in _PLAN_WORDS) or seen_review:
        return year, seen_review
    return current, seen_review
