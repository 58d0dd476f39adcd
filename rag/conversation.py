"""Follow-up questions resolved against the previous turns, by rules (no model needed).

* '那蔬菜呢？' after '2023年生产粮食多少？' -> '2023年生产蔬菜多少？' (the new subject replaces
  the last noun of the previous question).
* '比上年增长多少？' / '增长了多少？' after '新登记市场主体多少户？' -> '新登记市场主体增长了多少？'
  (a question with no subject of its own borrows the previous one's).
"""
from __future__ import annotations

import re
from typing import Iterable

from . import zh
from .years import FIVE_YEAR_PLAN

_FOLLOW_UP_SHELL = re.compile(r"^(那么?|那|还有|另外|再问一下|再问|那个)?(.*?)(呢|怎么样|如何|又如何|情况呢)?[？?。!！\s]*$")
# Spoken words that frame a follow-up's subject ('教育那块呢', '就业这方面呢'): the subject is the word before them.
_FRAME_TAIL = re.compile(r"(?:那|这)一?块儿?$|(?:这|那)?方面$|(?:这|那)边$")
_QUESTION_TAIL = re.compile(r"(是|有|为|达到|共)?(多少|几|哪些|哪个|什么|谁)[^，,]*[？?]?$")
_YEAR = re.compile(r"(?:19|20)\d{2}年")
# A measure named ('财政收入增长了多少', '粮食产量呢'): a noun of the kind figures are of.
_MEASURE_NAMED = re.compile(r"收入|支出|产量|产值|总值|总额|增加值|赤字|债券?|投资|就业|人口|价格|物价|失业率|进出口|出口|进口|外资|税")
_SAME_YEAR = re.compile(r"^(那么?)?(当年|那一年|这一年|同年|那年|该年)的?")
# What a previous question asked about: it without its question words ('2023年国内生产总值增长了多少？' -> '2023年国内生产总值').
_SUBJECT_TAIL = re.compile(r"(是|有|为|达到|共|(增长|提高|下降|增加|减少|上涨)了?)?(多少|几|哪些|哪个|什么|谁)[^，,]*[？?]?$")
# nouns, time words, abbreviations, set phrases ('粮食产量' is one 'l'); not verbal nouns
_NOUN_FLAGS = ("n", "t", "j", "b", "eng", "l")
_GENERIC_SUBJECTS = {"黔江", "黔江区", "全区", "我区", "报告", "政府", "上年", "去年", "今年", "全年", "同期", "同比"}


def user_turns(history: Iterable) -> list[str]:
    """Previous user questions from a history given as strings, (user, bot) pairs or
    {'role', 'content'} messages (Gradio's format)."""
    questions: list[str] = []
    for turn in history or ():
        if isinstance(turn, str):
            questions.append(turn)
        elif isinstance(turn, dict) and turn.get("role") == "user":
            content = turn.get("content")
            if isinstance(content, list):  # Gradio 6 messages carry a list of content parts
                content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
            if isinstance(content, str):
                questions.append(content)
        elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            questions.append(turn[0])
    return [q for q in questions if q.strip()]


def _nouns(text: str) -> list[tuple[str, int]]:
    """Noun phrases (maximal runs of noun-like words) with their offsets: '老年食堂', '科技型企业'."""
    import jieba.posseg as pseg

    from .lexical import load_jieba

    load_jieba()  # quiet jieba's start-up logging
    phrases: list[tuple[str, int]] = []
    run, run_start, pos = "", 0, 0
    for pair in pseg.cut(text):
        if pair.flag.startswith(_NOUN_FLAGS):
            run, run_start = (run + pair.word, run_start) if run else (pair.word, pos)
        else:
            if run:
                phrases.append((run, run_start))
            run = ""
        pos += len(pair.word)
    if run:
        phrases.append((run, run_start))
    return [(w, p) for w, p in phrases if w not in _GENERIC_SUBJECTS and len(w) > 1]


def is_follow_up(question: str) -> bool:
    q = question.strip()
    if len(q) > 24:
        return False
    if re.match(r"^(那|那么|还有|另外)", q) or re.search(r"呢[？?]?$", q) or re.match(r"^[^，,？?]{1,12}呢[，,？?]", q):
        return True  # ('赤字率呢，定的多少？')
    return not _nouns(q)  # '增长了多少？' names nothing of its own


def resolve_follow_up(question: str, history: Iterable) -> str:
    """The question made self-contained using the previous user turns (by rules)."""
    previous = user_turns(history)
    if not previous or not is_follow_up(question):
        return question
    last = resolve_follow_up(previous[-1], [previous[-2]]) if len(previous) > 1 else previous[-1]
    asked_after = re.match(r"^(.+?)呢[，,？?]\s*(.+)$", question.strip())
    if asked_after and not _nouns(_QUESTION_TAIL.sub("", asked_after.group(2))):
        # '出口呢，全年多少？', '赤字率呢，定的多少？': the new subject, asked in its own words, of the
        # year (and report) the previous question names
        when = _WHEN.match(last)
        if when:
            return when.group(0) + asked_after.group(1).strip() + asked_after.group(2)
        question = asked_after.group(1) + "呢"
    shell = _FOLLOW_UP_SHELL.match(question.strip())
    core = shell.group(2).strip(" ，,")
    core = _FRAME_TAIL.sub("", core) or core  # ('教育那块呢': 教育)
    if shell.group(3) in ("怎么样", "如何", "又如何") and _nouns(core) and not _QUESTION_TAIL.search(core):
        # '那水质怎么样' after '城区空气质量优良天数有多少天': how another thing went, of the same place and years,
        # not the previous measure's count of it
        when = _WHEN.match(last)
        places = "".join(p for p in zh.places_named(last) if p not in core)
        return (when.group(0) if when else "") + places + core + "怎么样？"
    new_nouns = _nouns(core)
    old_nouns = _nouns(last)
    if not new_nouns and _names_one_thing(core):
        new_nouns = [(core, 0)]  # '出口呢': a verbal noun asked in its own right
    if new_nouns and not old_nouns:
        old_nouns = _verbal_nouns(last)  # '2023年进口多少？' then '那出口呢？'
    if new_nouns and old_nouns and not _QUESTION_TAIL.search(core):
        # '那蔬菜呢' -> swap the subject of the previous question.
        word, pos = old_nouns[-1]
        return last[:pos] + core + last[pos + len(word):]
    own = _own_measure(question, core, last) if _QUESTION_TAIL.search(core) else None
    if own:
        return own
    if not new_nouns:
        subject = _QUESTION_TAIL.sub("", last).rstrip("，,？? ")
        return subject + core + ("" if core.endswith(("？", "?")) else "？")
    return f"{_QUESTION_TAIL.sub('', last).rstrip('，,？? ')}，{question}"


# The years (and report) a question starts with: '2010年报告里说2009年', '“十一五”期间'.
_WHEN = re.compile(r"^(?:[^，,？?]{0,6}?(?:(?:19|20)\d{2}\s*年|" + FIVE_YEAR_PLAN.pattern + r")的?(?:政府工作)?(?:报告)?"
                   r"(?:里|中|上)?(?:说|讲|提到)?的?)+")


def _own_measure(question: str, core: str, last: str) -> str | None:
    """'那一年财政收入增长了多少？' after '2017年GDP增长了多少？': a measure of its own, asked of the
    previous question's years; None when the question names no measure or years of its own."""
    when = _WHEN.match(last)
    if not when or not _MEASURE_NAMED.search(core) or _YEAR.search(core) or FIVE_YEAR_PLAN.search(core):
        return None
    own = _FOLLOW_UP_SHELL.match(_SAME_YEAR.sub("", question.strip())).group(2).strip(" ，,")
    return when.group(0) + own + ("" if own.endswith(("？", "?")) else "？")


def _names_one_thing(core: str) -> bool:
    """'出口', '进口', '投资': one word that jieba tags a (verbal) verb, asked about as a thing."""
    import rjieba

    tags = rjieba.tag(core)
    return len(tags) == 1 and len(core) >= 2 and tags[0][1] in ("v", "vn") and core not in _GENERIC_SUBJECTS


def _verbal_nouns(text: str) -> list[tuple[str, int]]:
    """The verbal nouns of a question and where they start ('进口' of '2023年进口多少？')."""
    import rjieba

    found, pos = [], 0
    for word, flag in rjieba.tag(text):
        if flag == "vn" and len(word) >= 2:
            found.append((word, pos))
        pos += len(word)
    return found


_PLURAL = re.compile(r"它们|他们|两者|二者|这两[个项类者]?|那两[个项类者]?|两项|这些|前面(这|那)?两[个项]?")


def _plural_reference(question: str, previous: list[str]) -> str | None:
    """A follow-up that names the subjects of the last turns together ('它们', '两者'): the pronoun
    replaced by those subjects ('科技型企业和高新技术企业加起来一共多少家？')."""
    match = _PLURAL.search(question)
    if not match or len(previous) < 2:
        return None
    subjects = []
    for turn in previous[-2:]:
        nouns = _nouns(_FOLLOW_UP_SHELL.match(turn.strip()).group(2))
        if nouns:
            subjects.append(nouns[-1][0])
    if len(subjects) < 2 or subjects[0] == subjects[1]:
        return None
    year = next((m.group(0) for q in reversed(previous) for m in [_YEAR.search(q)] if m), "")
    asked = question[:match.start()] + "和".join(subjects) + question[match.end():]
    return (year + asked) if year and not _YEAR.search(asked) else asked


def _switch_year(question: str, previous: list[str]) -> str | None:
    """The previous question with its year replaced, when the follow-up names a year and nothing else."""
    new = _YEAR.search(question)
    if not new or not is_follow_up(question):
        return None
    last = resolve_follow_up(previous[-1], previous[:-1][-1:]) if len(previous) > 1 else previous[-1]
    old = _YEAR.search(last)
    rest = _FOLLOW_UP_SHELL.match(question.replace(new.group(0), "").strip()).group(2).strip(" ，,的")
    # (a noun the last question has is no new subject: '那2022年的目标是多少' after '…GDP增速目标是多少')
    if not old or any(noun not in last for noun, _ in _nouns(rest)):
        return None
    return last[:old.start()] + new.group(0) + last[old.end():]


# A year named from the previous one: '那第二年呢？' after a question about 2018 asks about 2019.
_NEXT_YEAR = re.compile(r"(?:往后推|往后|再往后)一年|再?晚一年|第二年|次年|下一年|后一年|翌年|转年")
_YEAR_BEFORE = zh.YEAR_BEFORE
# The result asked after a target: '实际完成了多少？' after '2017年政府工作报告定的GDP增速目标是多少？'.
_ASKS_RESULT = re.compile(r"实际|完成|最后|最终|结果|达标|做到")
_TARGET_WORDS = re.compile(r"(?:政府工作)?报告(?:里|中)?(?:定|提出|确定|制定|设定|安排)?的?|(?:预期|计划|控制)?目标|预期|计划")


def _named_year(question: str, previous: list[str]) -> str:
    """The question with a year named from the previous question's ('第二年' -> '2019年')."""
    year = next((int(m.group(0)[:4]) for q in reversed(previous) for m in [_YEAR.search(q)] if m), None)
    for pattern, step in ((_NEXT_YEAR, 1), (_YEAR_BEFORE, -1)):
        match = pattern.search(question)
        rest = question[:match.start()] + question[match.end():] if match else ""
        if match and year and not _YEAR.search(question) and not re.search(r"比|较|同", rest):
            return question[:match.start()] + f"{year + step}年" + question[match.end():]
    return question


def follow_up_candidates(question: str, history: Iterable) -> list[str]:
    """Readings of a question asked after others, most likely first: resolved by the rules above,
    the question alone without its follow-up shell ('转移农民工就业呢？' -> '转移农民工就业？'),
    and the previous question's subject joined to it ('在重点区县里排第几？' after
    '脱贫人口人均纯收入是多少？' -> '脱贫人口人均纯收入在重点区县里排第几？'). The answerer takes
    the first reading the reports answer."""
    previous = user_turns(history)
    question = _named_year(question, previous)
    rules = resolve_follow_up(question, previous) if is_follow_up(question) else question
    if not previous:
        return [rules]
    both = _plural_reference(question, previous)
    if both:
        # '它们加起来一共多少家？' after '…科技型企业？' and '高新技术企业呢？': both subjects, nothing else
        return [both]
    switched = _switch_year(question, previous)
    if switched:
        # '那2022年呢？' after '2023年城镇新增就业多少？' is '2022年城镇新增就业多少？', checked like a
        # new question: never answered with the previous year's figure.
        return [switched]
    last = resolve_follow_up(previous[-1], previous[:-1][-1:]) if len(previous) > 1 else previous[-1]
    subject = _SUBJECT_TAIL.sub("", last).rstrip("，,？? 的")
    core = _FOLLOW_UP_SHELL.match(_SAME_YEAR.sub("", question.strip())).group(2).strip(" ，,")
    # (a five-year plan names its years too: '那这五年财政收入…' after '“十一五”期间GDP…')
    year = next((m.group(0) for q in reversed(previous) for m in [_YEAR.search(q) or FIVE_YEAR_PLAN.search(q)] if m), "")
    # a follow-up naming a thing of its own replaces the previous one ('那粮食产量呢'): the previous
    # subject joined to it would be answered as the previous subject's
    joined = [] if (_nouns(core) or _MEASURE_NAMED.search(core)) and rules != question else [subject + core + "？"]
    readings = [rules, *joined, question]
    if year and not _YEAR.search(question) and not FIVE_YEAR_PLAN.search(question):
        # '当年物价涨了多少？' after a question about 2023: the year carries over, and a reading
        # without it would be answered from any year. A measure of its own ('那一年财政收入增长了多少')
        # is asked before the previous subject joined to it.
        own = [year + core + "？"]
        readings = [rules, *joined, *own] if rules != question else \
            [*own, *joined] if _MEASURE_NAMED.search(core) else [*joined, *own]
        # (a plan's name joined as the year may read as no plan: '十一五' + '同一时期…'; then every reading stays)
        readings = [r for r in readings if _YEAR.search(r) or FIVE_YEAR_PLAN.search(r)] or readings
    if _ASKS_RESULT.search(core) and _TARGET_WORDS.search(subject) and not _TARGET_WORDS.search(core):
        # the same measure and year, now the result: the target's words left out, and no reading
        # that keeps them (it would be answered with the target)
        readings = [_TARGET_WORDS.sub("", subject).rstrip("的") + core + "？"] + \
            [r for r in readings if not _TARGET_WORDS.search(r)]
    return [r for r in dict.fromkeys(readings) if r.strip("？? ")]
