"""Candidate quotes of a passage: its clauses, pairs of adjacent clauses and whole sentences,
each with its offsets in the document, the words it holds and the sentence it belongs to."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from . import zh
from .answerability import term_present
from .chunking import split_sentences
from .lexical import tokenize
from .normalize import fold
from .retrieval import Hit


@dataclass
class Clause:
    """A candidate quote: a clause, two adjacent clauses, or a whole sentence of one passage."""
    hit: Hit
    start: int  # document offsets
    end: int
    text: str
    tokens: set[str]
    sentence: str = ""  # the whole sentence it belongs to (for checks, not for quoting)


def clause_bounds(sentence: str) -> list[tuple[int, int]]:
    bounds, pos = [], 0
    for match in zh.CLAUSE_BREAK.finditer(sentence):
        left, right = sentence[match.start() - 1:match.start()], sentence[match.end():match.end() + 1]
        if left.isdigit() and right.isdigit():
            continue  # a thousands separator, not a clause break
        bounds.append((pos, match.start()))
        pos = match.end()
    bounds.append((pos, len(sentence.rstrip(zh.SENTENCE_END))))
    return [(a, b) for a, b in bounds if b > a and sentence[a:b].strip()]


# A clause that starts with its verb ('增长5.2%', '比上年增长18.3%') says nothing without the
# clause before it, which names what grew.
NO_SUBJECT = re.compile(r"(比上年|同比|年均|分别|均)?(增长|增加|增速|下降|减少|降低|提高|提升|上涨|回落|达到|占|居|超过|突破)")


def fact_bounds(sentence: str) -> list[tuple[int, int]]:
    """Clause bounds, with a clause that has no subject of its own joined to the one before."""
    bounds: list[tuple[int, int]] = []
    for a, b in clause_bounds(sentence):
        if bounds and NO_SUBJECT.match(sentence, a):
            bounds[-1] = (bounds[-1][0], b)
        else:
            bounds.append((a, b))
    return bounds


def whole_fact(unit: Clause, units: list[Clause]) -> Clause:
    """The candidate that holds the whole fact a clause belongs to: a clause that starts with its
    verb ('增长19.3%') with the clause before it that names what grew ('新登记市场主体9905户'),
    and a figure with the growth that follows it ('国内生产总值47.2万亿元，比上年增长9.2%'); a
    lead-in before a colon ('今年发展主要预期目标是：') with what it introduces."""
    offset = unit.hit.start
    if unit.hit.text[unit.end - offset:unit.end - offset + 1] in ("：", ":"):
        longer = [u for u in units if u.hit is unit.hit and u.start == unit.start and u.end > unit.end]
        return max(longer, key=lambda u: u.end, default=unit)
    if NO_SUBJECT.match(zh.strip_footnotes(unit.text)):
        earlier = [u for u in units if u.hit is unit.hit and u.end == unit.end and u.start < unit.start]
        return max(earlier, key=lambda u: u.start, default=unit)
    later = [u for u in units if u.hit is unit.hit and u.start == unit.start and u.end > unit.end
             and NO_SUBJECT.match(zh.strip_footnotes(u.hit.text[unit.end - offset:u.end - offset]).lstrip("，,；;、 "))]
    return min(later, key=lambda u: u.end, default=unit)


def clauses_of(hit: Hit) -> list[Clause]:
    units = []
    for s_start, s_end in split_sentences(hit.text):
        sentence = hit.text[s_start:s_end]
        bounds = clause_bounds(sentence)
        spans = bounds + [(bounds[i][0], bounds[i + 1][1]) for i in range(len(bounds) - 1)]
        if len(bounds) > 2:
            spans.append((bounds[0][0], bounds[-1][1]))  # the whole sentence, for answers spread over it
        for a, b in spans:
            text = sentence[a:b]
            if not zh.strip_footnotes(text).strip():
                continue
            start = hit.start + s_start + a
            # matched in simplified characters, quoted as written ('城鎮新增就業' in the 1954 report)
            units.append(Clause(hit, start, start + len(text), text, set(tokenize(zh.to_simplified(text))), sentence))
    return units


def is_heading(unit: Clause) -> bool:
    """The clause is a heading or topic sentence of its passage ('营商环境持续优化。')."""
    sentence = zh.content_chars(unit.sentence)
    return any(sentence == zh.content_chars(title) for title in unit.hit.section.split(" > "))


def names_terms(terms: list[list[str]], unit: Clause, share: float = 0.5) -> bool:
    """The clause's sentence names an English question's terms, given as the Chinese words for
    each (``chinese_terms``; cross-lingual similarity alone separates right from wrong poorly): at
    least two terms and at least ``share`` of those the dictionary knows."""
    if len(terms) < 2:
        return False
    sentence = fold(unit.sentence)
    named = sum(any(term_present(w, sentence) for w in group) for group in terms)
    return named >= max(2, math.ceil(share * len(terms)))
