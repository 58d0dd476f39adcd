"""Years named in questions, and how well a chunk's period matches them.

A report of year Y reviews Y-1 and plans Y. "2023年城镇新增就业多少" asks for what happened in
2023, found in the 2024 report's review; "2024年的预期目标" asks for the 2024 report's plan.
"""
from __future__ import annotations

import re

from .chunking import Chunk
from .normalize import fold

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_SHORT_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.%])")
_TARGET_WORDS = ("目标", "预期", "计划", "打算", "安排", "部署", "任务", "要求", "将要", "拟")

# Tiers: 0 = about the year asked (the review of it, or its plan for target questions);
# 1 = the same year from the other side, or a report of that year or the next; 2 = unrelated.
TIER_WEIGHTS = (1.0, 0.55, 0.15)


def years_in_question(question: str) -> list[int]:
    text = fold(question)
    years = [int(y) for y in _YEAR.findall(text)] or [int(y) for y in _SHORT_YEAR.findall(text)]
    return sorted(set(years))


def asks_for_target(question: str) -> bool:
    return any(word in question for word in _TARGET_WORDS)


def year_tier(chunk: Chunk, years: list[int], wants_target: bool) -> int:
    best = 2
    for year in years:
        if chunk.period == year:
            is_review = chunk.year is None or chunk.year == year + 1
            tier = 0 if is_review != wants_target else 1
        elif chunk.year in (year, year + 1) or chunk.year is None or str(year) in chunk.text:
            tier = 1
        else:
            tier = 2
        best = min(best, tier)
    return best
