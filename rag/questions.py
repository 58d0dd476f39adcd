"""What a question asks for: its kind, its parts, its topic, the years and places it names,
whether it wants a plan or a result, and the unit its answer should carry.

Rules, not a model: each rule is a pattern in ``rag.zh`` that was checked on the project's
question sets (eval/data); where no rule fires, the question is a fact question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import zh
from .numbers import UNITS, quantities
from .years import FIVE_YEAR_PLAN, years_in_question

KINDS = ("fact", "list", "summary", "how", "why", "multi", "compute", "yesno", "table", "trend")

# An explicit unit asked for: '多少亩', '几个', '多少万吨'.
# ('多少千瓦' asks 千瓦, not 千 瓦: a unit that starts with a magnitude's character is read whole first)
_ASKED_UNIT = re.compile(r"(?:多少|几)(?!个?(?:百分)?点)(?:(?!千瓦|千米|百分点)(?:万亿|亿|万|千|百))?(" + "|".join(map(re.escape, UNITS)) + ")"
                         + zh.NOT_A_UNIT)
# Words that imply the unit of the answer.
_UNIT_WORDS = [(re.compile(r"比例|比重|占比|百分之|增速|增幅|涨幅|降幅|跌幅|[^人]率|税总水平|几成|占[^，,。？?]{1,12}?(?:多少|几)"), "%"),  # '赤字率' is a share, '赤字' money
               # ('关税总水平' is an average tariff rate, as the customs statistics define it)
               (re.compile(r"多少钱|金额|资金|投资|投入(?!使用|运营|运行)|花了|花费|费用|收入|利润|产值|总值|GDP|赤字|债券?|贷款|税"), "元"),
               # '人口多少' counts people; '脱贫人口人均纯收入多少' is money: 人口 must be what is asked
               (re.compile(r"多少人|人数|几人|多少名|人口(?:数|总数|总量|规模)?(?:有|是|为|达到)?(?:多少|几)"), "人")]
# ('how much more than the year before' is the change the reports give in place: 增产74亿斤, a fact)
_ENGLISH_PREVIOUS_YEAR = r"(?!\s+(?:the|a)\s+(?:year|previous year|prior year)\b|\s+(?:the\s+)?(?:previous|prior|last) year\b)"
_ENGLISH_KINDS = [("compute", re.compile(r"\b(total|sum|combined|altogether|difference|more than" + _ENGLISH_PREVIOUS_YEAR
                                         + r"|times)\b", re.I)),
                  ("why", re.compile(r"\bwhy\b|\bpurpose\b", re.I)),
                  ("how", re.compile(r"\bhow (did|do|does|was|were|is|are|can)\b", re.I)),
                  ("list", re.compile(r"\bwhat (measures|steps|projects|actions|things)\b|\bwhich\b|\blist\b", re.I)),
                  ("summary", re.compile(r"\bprogress\b|\boverview\b|\bsummar|\bachievements?\b|\bhow (well|good)\b", re.I))]
_COMPUTE_OPS = [("earlier", zh.EARLIER),
                ("complement", zh.COMPLEMENT),
                ("vs_target", zh.VS_TARGET),
                ("ratio", re.compile(r"几倍|多少倍|倍数|平均(?:每(?!年)|一(?=[个家所人户座张天位名]))|\btimes\b", re.I)),
                ("difference", re.compile(zh.GAP_WORDS + r"|[多少高低](?:了|出了?)?(?:多少|几个?百分点|几个点)|" + zh.GAP_WITHOUT_BI
                                          + r"|\bdifference\b|\bmore than\b", re.I)),
                ("compare", re.compile(r"哪个|哪一|谁更|更[多少高低快慢大小]|是否(超过|达到|高于|低于|多于|少于)|有没有(超过|达到)|"
                                       r"\b(higher|larger|more|faster)\b", re.I)),
                ("sum", re.compile(r".", re.S))]
# ('占比比…': the 比 of 占比 is no split; nor 比赛, 比例, 比重; 'A高出B多少' splits at 高出)
_OPERAND_SPLIT = re.compile(r"和|与|及|、|以及|跟|还是|(?<!占)比(?![赛例重率较])|加上|(?<![增追参施更])加(?![快强大工入])|"
                            r"(?<=[\u4e00-\u9fff])[高低]出(?=[\u4e00-\u9fff\s]|$)|\band\b|\bvs\.?\b", re.I)
# Words after an operand that say what is reckoned of it, not which thing ('…的合计数量', '…之间'):
# (a measure's own word stays: '经济总量' is the measure, '…企业的合计数量' the reckoning)
_OPERAND_FRAME = re.compile(r"(?:的|合计)+总?(?:数量|数目|总数|总量|金额)$|^(?:数量|数目|总数)$|(?:之间|之和|两者|二者)$")
_COMPUTE_WORDS = re.compile(r"大约|大概|约|一共|总共|合计|加起来|加在一起|加一块儿?|加到一起|合起来|算在一起|总和|之和|相差|差了?多少|差了|差距|[多少高低快慢](?:了|出了?)?多少|几倍|多少倍|倍数|"
                            r"哪个(更|比较)?[多少高低快慢大小]?|哪一?(项|个|类)更?[多少高低快慢大小]?|谁更[多少高低快慢大小]|"
                            r"更[多少高低快慢大小]|是否|有没有|超过|达到|高于|低于|多于|少于|分别|是|的|多少|几|[？?。]")


@dataclass
class QuestionInfo:
    text: str
    kind: str
    english: bool
    topic: str  # the question without question words: what it is about
    parts: list[str] = field(default_factory=list)  # sub-questions (multi) or operands (compute)
    years: list[int] = field(default_factory=list)  # the years the question is about
    report_years: list[int] = field(default_factory=list)  # '2025年政府工作报告…': the report itself
    wants_plan: bool = False
    wants_result: bool = False  # explicitly the outcome: '实际', '完成了', '实现了没有'

    places: list[str] = field(default_factory=list)
    unit: str = ""  # the unit the answer should carry, when the question implies one
    operation: str = ""  # compute: sum, difference, ratio, compare, earlier (the value before a change), vs_target
    dated: bool = False  # answered only by clauses that name the year asked themselves (answerability.self_dated)


# A sum asked in English joins two things ('grain and vegetables combined'); 'in total, and what is…'
# asks one thing's total and then another question.
_ENGLISH_SUM = re.compile(r"\b(total|sum|combined|altogether)\b", re.I)
_ENGLISH_BOTH = re.compile(r"\band\b(?!\s+(?:what|how|which|when|where|why|is|are|was|were|does|did|do)\b)", re.I)


def question_kind(question: str, english: bool) -> str:
    patterns = _ENGLISH_KINDS if english else zh.KIND_PATTERNS
    if english and _ENGLISH_SUM.search(question) and not _ENGLISH_BOTH.search(question) \
            and not re.search(r"\b(difference|more than|times)\b", question, re.I):
        patterns = patterns[1:]  # one thing's total: a fact
    for kind, pattern in patterns:
        if kind == "trend" and pattern.search(question):
            # a span of years asks for a series when it asks year by year ('每年', '变化') or names
            # nothing else to do; '2018到2022年有哪些成就' is a list over the span
            other = next((k for k, p in patterns if k != "trend" and p.search(question)), "fact")
            # one figure asked over the span ('2013到2017年间裁减了多少') is a fact of the span
            single = other == "fact" and re.search(r"(了|共|累计|总共|一共|合计)(多少|几)|年均|平均(?:每|一)年|每年平均", question)
            # '每年增长多少' asks each year's growth: 每年 outweighs the one change over the span
            # '2013到2017年报告说…' asks the span's review, unless it asks each year ('分别')
            one_answer = zh.SPAN_CHANGE.search(question) or "报告" in question and not zh.PER_YEAR.search(question)
            if (zh.EVERY_YEAR.search(question) or not one_answer) and (zh.PER_YEAR.search(question) or
                                                                     other in ("fact", "yesno", "multi") and not single):
                return "trend"
            continue
        if kind == "compute" and not english and _one_things_total(question, pattern):
            continue
        if pattern.search(question):
            return kind
    if not english and len(split_parts(question)) > 1:
        return "multi"
    return "fact"


# Words that ask a sum, and what joins the things summed ('粮食和蔬菜一共', '加上…', '两项', '分别').
_SUM_WORDS = re.compile(r"一共|总共|合计|总计")
_JOINED = re.compile(zh.CONJUNCTION.pattern + r"|加上|加|两项|几项|各|分别|[两三四五六七八九]个")
# A change against the year before ('比上一年多出多少'): the reports state it ('比上年增加422亿元').
_AGAINST_YEAR_BEFORE = re.compile(r"(?:比|较|跟|和|与|同)(?:上一?年|前一年|去年|头一年)")
_YES_NO = dict(zh.KIND_PATTERNS)["yesno"]
_SENTENCE_END = re.compile(r"[？?。；;]")


def _one_things_total(question: str, pattern: re.Pattern) -> bool:
    """A compute pattern that only finds one thing's total ('GDP一共多少？比前一年涨了百分之几？': 一共 in a
    sentence that joins nothing) or a change against the year before, which the reports state with the
    figure: the question asks facts, not a reckoning."""
    found = list(pattern.finditer(question))
    if not found or any(_YES_NO.search(s) for s in _SENTENCE_END.split(question)):
        return False  # (a yes/no part is no fact: '…去年完工了吗？一共花了多少钱？')
    for m in found:
        sentence = _SENTENCE_END.split(question[:m.start()])[-1] + _SENTENCE_END.split(question[m.start():])[0]
        if _SUM_WORDS.fullmatch(m.group(0)) and not _JOINED.search(sentence.replace(m.group(0), "")):
            continue
        if _AGAINST_YEAR_BEFORE.search(sentence) and not re.search(r"(?:19|20)\d{2}", sentence.split("比")[-1]):
            continue
        return False
    return True


def split_parts(question: str) -> list[str]:
    """Multi-part questions become one sub-question per part, in the question's order:
    '2023年生产粮食和蔬菜分别多少？' -> ['2023年生产粮食分别多少', '蔬菜分别多少']."""
    body = re.sub(r"[？?。]+$", "", question.strip())
    # several questions in a row ('1987年的国民生产总值是多少？那五年平均每年增长多少'): one part each,
    # a sentence that asks nothing ('也就是2000年') set before the part it leads to
    # ('…托位？具体数是多少': a sentence that only asks again is no part of its own)
    sentences = [s for s in re.split(r"[？?。]", body) if s.strip() and not _ASKS_AGAIN.fullmatch(s.strip())]
    if sum(bool(zh.QUESTION_WORD.search(s)) for s in sentences) > 1:
        parts, context = [], ""
        for sentence in sentences:
            if zh.QUESTION_WORD.search(sentence):
                parts.append(context + sentence)
                context = ""
            else:
                context += sentence + "，"
        return _of_the_part_before(parts[:4])
    segments = [s for s in re.split(r"[，,；;]", body) if s.strip()]
    # ('“十三五”那几年，…有多少': 那几年 names a span and asks nothing)
    if len(segments) > 1 and all(zh.QUESTION_WORD.search(_SPAN_NAMED.sub("", s)) for s in segments):
        return _of_the_part_before(segments[:4])
    if not zh.MULTI_MARKER.search(body) and len(re.findall(r"多少|几", body)) < 2:
        return [body]
    parts = zh.CONJUNCTION.split(body)
    if len(parts) < 2:
        return [body]
    if all(zh.QUESTION_WORD.search(p) for p in parts):
        return _of_the_part_before(parts[:4])
    last = parts[-1]
    shared = re.search(r"(分别|各|都|是|的|为|有|达到|稳定在|占).*$|(多少|几).*$", last)
    suffix = shared.group(0) if shared else ""
    nouns = parts[:-1] + [last[:len(last) - len(suffix)]]
    # (a possessor said once is of every part: '金洞风电场的并网时间及装机容量' asks 金洞风电场's capacity)
    owner = re.match(r"^([^，,的]{2,12}?)的(?=[\u4e00-\u9fff])", nouns[0])
    nouns = nouns[:1] + [owner.group(0) + p if owner and p and "的" not in p else p for p in nouns[1:]]
    return [p + suffix for p in nouns if p][:4]


# A span named with a question word that asks nothing: '那几年', '这几年', '近几年'.
_SPAN_NAMED = re.compile(r"(?:那|这|前|近|头|后|最近|过去)(?:几|多少)年")
# A question that only asks again for what the one before asked: '具体数是多少', '到底多少'.
_ASKS_AGAIN = re.compile(r"(?:那|那么)?(?:具体|到底|确切|准确|大概|大约)?(?:的)?(?:数字?|数据|数值)?(?:是|有|为)?(?:多少|几)(?:个|呢|啊)?")


def _of_the_part_before(parts: list[str]) -> list[str]:
    """A part that only asks, or asks only a dimension ('…排第一的是哪个县，多少钱', '招商引资签了多少个
    项目、金额多少'), is of the part before it: that part's subject is put before it."""
    from .numbers import dimension_of

    out: list[str] = []
    for part in parts:
        words = re.findall(r"[\u4e00-\u9fff]{2,}", zh.QUESTION_PHRASES.sub(" ", part))
        if out and (len(zh.content_chars(zh.QUESTION_PHRASES.sub("", part))) < 2 or words and all(map(dimension_of, words))):
            part = zh.QUESTION_PHRASES.sub("", out[-1]) + part
        elif out and not noun_runs(part):
            # a part that names no thing ('…国民生产总值是多少？那五年平均每年增长多少') is of the
            # last thing the part before names
            part = (noun_runs(out[-1]) or [""])[-1] + part
        out.append(part)
    return out


def noun_runs(text: str) -> list[str]:
    """Maximal runs of nouns and place words, as jieba tags them: '国内生产总值总量'."""
    import rjieba

    runs, run = [], ""
    for word, flag in rjieba.tag(text) + [("", "x")]:
        if flag[0] in "ns" or flag in ("vn", "eng", "j", "l"):
            run += word
        elif run:
            runs.append(run)
            run = ""
    return runs


_RATIO = re.compile(r"(.+?)是(.+?)的?(?:几倍|多少倍)")
_AVERAGE = re.compile(r"(.*?)平均(?:每|一)(?:个|家|所|人|户|座|张)?(.*?)(?:能|可)?(?:有|是|为|提供)?(?:多少|几)(?:个|家|所|张|人|名)?(.+?)[？?。]?$")
_TRAILING_UNIT = re.compile(r"(?:万亿|亿|万|千|百)?(?:" + "|".join(map(re.escape, UNITS)) + r"|个点)$")  # ('几个点': 百分点)


def operands(question: str) -> list[str]:
    """The things a compute question combines: '老年食堂和托育机构加起来多少个' -> ['老年食堂', '托育机构']."""
    ratio = _RATIO.search(question)
    average = _AVERAGE.search(question)
    if average:  # '(托育机构)平均每家(托育机构)有多少个托位' divides the 托位 by the 托育机构
        divisor = _content(average.group(2)) or _content(average.group(1))
        return [average.group(3), divisor]
    body = " ".join(ratio.groups()) if ratio else question
    body = re.sub(r"[的是](?!几倍|多少倍|否)", "", body)  # '盘活的国有资产': one operand, not two
    body = _COMPUTE_WORDS.sub(" ", body)
    pieces = [_TRAILING_UNIT.sub("", p.strip(" ，,：:")) for p in _OPERAND_SPLIT.split(body)]
    pieces = [_OPERAND_FRAME.sub("", re.sub(r"去年|今年|当年|全年|上年", "", q))
              for p in pieces for q in p.split()]  # removed words separated the operands
    return [p for p in pieces if len(zh.content_chars(p)) >= 2 and not _is_frame(p)][:4]


def _is_frame(piece: str) -> bool:
    """A piece that names nothing: a verb, particle or time word of the question ('产了', '放了',
    '去年'), not an operand."""
    import rjieba

    from .numbers import DIMENSION_WORDS

    dimensions = "|".join(sorted((w for ws in DIMENSION_WORDS.values() for w in ws), key=len, reverse=True))
    rest = re.sub(rf"(多大|多少|多高|多长|几)?({dimensions})$", "", piece)  # '装了多大容量': the kind of amount
    rest = re.sub(r"了", "", re.sub(r"去年|今年|当年|全年|上年|那年", "", rest))
    if len(zh.content_chars(rest)) <= 1:
        return True
    flags = [flag for _w, flag in rjieba.tag(rest)]
    if all(f[:1] in ("u", "d", "p", "t", "r", "y", "c") for f in flags):
        return True
    # One short verb ('产了', '放了') says how the amount came about; '改造提升' names a measure.
    return len(zh.content_chars(rest)) <= 2 and all(f[:1] in ("v", "u", "d", "p", "t", "r", "y", "c") and f != "vn"
                                                     for f in flags)


def _content(text: str) -> str:
    """The nouns of a phrase ('新建的托育机构' -> '托育机构'), else the phrase."""
    import rjieba

    words = [w for w, flag in rjieba.tag(text) if flag[:1] in ("n", "j") or flag == "vn"]
    return "".join(words[-2:]) if words else text.strip("的 ")


# Words that say which year is meant, not what is asked: '非典那年（2003年）', '十一五开局那年（2006年）',
# '国际金融危机冲击最重的2009年', '1998年那轮国务院机构改革'. The year itself is read from the question;
# the event names no measure.
_YEAR_DESCRIBED = re.compile(r"[^，,。？?\s]{2,16}?(?:那年|那一年)\s*[（(]\s*(?:19|20)\d{2}\s*年?\s*[)）]|"
                             r"[^，,。？?\s]{2,16}?最[^，,。？?\s的]{1,4}的(?=(?:19|20)\d{2}\s*年)|"
                             # '1998年那轮国务院机构改革，组成部门…', '1998年国务院机构改革以后，…'
                             r"(?<=年)那[轮次场]?[^，,。？?\s]{2,14}?(?:改革|调整|会议|危机)(?:中|里|以后|之后|后)?(?=[，,])|"
                             r"(?<=年)[^，,。？?\s]{2,14}?(?:改革|调整)(?:以后|之后|后)(?=[，,])|"
                             # '金融危机那会儿，2009年…', '应对金融危机那4万亿投资里…': when, not what
                             r"[^，,。？?\s]{2,12}?那(?:会儿?|阵子?|时候?)(?=[，,]|\s*(?:19|20)\d{2})|[^，,。？?\s\d]{2,12}?那(?=\d)")


def topic_of(question: str) -> str:
    """The question without its question words, years and punctuation: what it is about."""
    import rjieba

    text = _YEAR_DESCRIBED.sub(" ", question)
    # (with the word joining two years: '2013年到2014年，…' names no '到')
    text = re.sub(r"(?<!\d)(19|20)\d{2}\s*年(的|度)?(?:\s*(?:到|至|—|–|~|～|和|与|、)(?=\s*(?:19|20)\d{2}))?|"
                  r"今年|去年|上年|全年|当年|那一年|这一年|同年", " ", text)
    # the year of a plan named by its end or start ('“十二五”结束时', '九五收官那年': rag.years.plan_years)
    text = re.sub(r"(?<=五)([”\"」]?)(?:时期|期间)?(?:结束时?|收官(?:那年|之年)?|开局(?:那年|之年)?|末期?|的?最后一年|的?第一年)",
                  r"\1 ", text)
    # A question word inside a verb and its object joins them ('发多少电' is about 发电); where a year,
    # a filler word or punctuation was taken out the topic keeps a space, so its neighbours are never
    # read as one word ('比1978年多收了' is 比 | 多收, not a verb '比多收'; '50万的村' is no 万村).
    # (but a yes/no form stands before the predicate, never inside it: '同组里是不是排第一' is 同组里 | 排第一)
    text = zh.QUESTION_PHRASES.sub("", re.sub(zh.YES_NO_WORDS, " ", text))
    words = [" " if w in zh.QUESTION_FILLER_WORDS else w for w in rjieba.cut(text)]
    return re.sub(r"[？?。！!，,、：:\s]+", " ", "".join(words)).strip()


# '增长了多少', and with words between ('增长实际完成了多少'): a change is asked
_CHANGE = re.compile(r"(增长|增幅|增速|下降|提高|提升|降低|减少|增加|上涨|涨|跌|降|回落|减排|少排)[^，,。？?比]{0,6}?(多少|几)")


def expected_unit(question: str) -> str:
    """The unit the answer's number must carry ('' for any)."""
    # ('那几年' names a span and asks no unit; a count of years, '连着几年', is held to none: quantities
    # read '连续7年' as a bare number)
    match = _ASKED_UNIT.search(_SPAN_NAMED.sub("", question))
    if match:
        return "" if match.group(1) == "年" else match.group(1)
    if _CHANGE.search(question):
        return ""  # a change is given as a percentage or as an amount
    if re.search(r"\d(?:\.\d+)?\s*[%％]|百分之", question):
        return "%"  # the question states a rate ('GDP达到8%的预定目标了吗'): GDP's rate, not its amount
    # a measure per unit of output ('单位国内生产总值能耗') is no money asked
    question = zh.PER_OUTPUT.sub("", question)
    for pattern, unit in _UNIT_WORDS:
        if pattern.search(question):
            return unit
    return ""


_REPORT_YEAR = re.compile(r"((?:19|20)\d{2})\s*年的?(?:那份|这份|那一份)?(?:政府)?(?:工作)?报告")


def reports_named(question: str) -> list[int]:
    """The years of the reports a question names ('1959年报告里讲的…', '2024年的政府工作报告里'), in
    order; [] when it names none (a year alone, '1959年粮食产量', names what a year is about)."""
    return [int(y) for y in _REPORT_YEAR.findall(question)]


# The year before the report's, as a question names it relative to the report it names
# ('2015年政府工作报告说上一年粮食产量…', '2023年的报告里，去年实际赤字率'): that year's result.
# A report's estimate of a year already past is its review of that year, not a plan.
_ESTIMATE = re.compile(r"预计|估计|预估")
_YEAR_BEFORE = re.compile(r"去年|过去一年|上年|上个年度|" + zh.YEAR_BEFORE.pattern)


def search_text(question: str) -> str:
    """The question as passages are searched for it: a report it names is no word of the passages
    ('2023年的政府工作报告里，去年实际赤字率' is searched as '2022年实际赤字率'; every passage is a
    report's, and its title would outrank the figure)."""
    years = [int(y) for y in _REPORT_YEAR.findall(question)]
    if not years:
        return question
    rest = _REPORT_YEAR.sub("", question)
    if not years_in_question(rest) and _YEAR_BEFORE.search(rest):
        return _YEAR_BEFORE.sub(f"{years[0] - 1}年", rest, count=1)
    named = years_in_question(rest)
    # (a year after the report's is a target it sets: '78年那份报告…要求1985年粮食达到多少' is searched
    # in the 1978 report too)
    return rest if named and not all(y > years[0] for y in named) else f"{years[0]}年" + rest


_BASE_YEAR = re.compile(r"(?:比|较)\s*((?:19|20)\d{2})\s*年")


def analyse(question: str) -> QuestionInfo:
    question = zh.comparison_form(zh.context_first(zh.whether_form(zh.expand_acronyms(question))))
    english = not zh.is_chinese(question)
    plain = question if english else zh.plain_asking(question)  # kind and topic read from the written form
    kind = question_kind(plain, english)
    report_years = reports_named(question)
    years = [y for y in years_in_question(_REPORT_YEAR.sub("", question))]
    before = bool(report_years and not years and _YEAR_BEFORE.search(question))
    if before:
        years = [y - 1 for y in report_years]
    base = [int(y) for y in _BASE_YEAR.findall(question)]
    if kind not in ("compute", "trend", "table") and base and any(y not in base for y in years):
        # a year compared against ('2004年计划发多少国债？是比2003年多发了还是少发了'): the figure asked is the
        # other year's, and the base's own plan would answer it falsely
        years = [y for y in years if y not in base]
    # (a five-year plan's name, '一五计划完成后', names years, not a plan asked)
    planned = re.sub(f"(?:{FIVE_YEAR_PLAN.pattern})(?:计划|规划)?", "", zh.MET_TARGET.sub("", question))
    if report_years and years and max(years) < min(report_years):
        planned = _ESTIMATE.sub("", planned)  # '1958年那份报告里，预计1957年…': the review's estimate of its year
    info = QuestionInfo(question, kind, english, topic_of(zh.EACH.sub("", _REPORT_YEAR.sub("", zh.REPORT_SAYS.sub("", plain)))), years=years,
                        # ('完成计划没有' asks how the plan fared: a result)
                        report_years=report_years, wants_plan=bool(zh.PLAN_WORDS.search(planned)),
                        wants_result=before or bool(zh.RESULT_WORDS.search(question)),
                        places=[] if english else zh.places_named(question), unit="" if english else expected_unit(question))
    if kind == "trend":  # the measure, without the span and the words that ask for a series
        # (of the sentence that names it, when there are several: not a preamble, '九十年代中期经济增速起伏
        # 很大。', nor '请按2020到2025年逐年列出。', '其中哪一年增速最高？')
        sentences = _sentences(plain)
        if len(sentences) > 1:  # the one that asks, and of those the one that names the most
            topic = max(((bool(_ASKING.search(sentence)), _trend_measure(topic_of(
                zh.EACH.sub("", _REPORT_YEAR.sub("", zh.REPORT_SAYS.sub("", sentence)))))) for sentence in sentences),
                key=lambda pair: (pair[0], len(pair[1])))[1]
        else:
            topic = _trend_measure(info.topic)
        # '经济增长预期目标和实际增速' leaves 经济增长增速: one growth word
        info.topic = re.sub(r"(增长|增速|增幅)(?:增长|增速|增幅)+$", r"\1", topic) or info.topic
        if _RATE_ASKED.search(plain) and not re.search(r"增长|增速|增幅|涨幅|上涨|下降|降幅|率", info.topic):
            # the rate asked in the words stripped ('每年实际涨了多少'): the measure's growth, not its level
            info.topic += "下降" if re.search(r"降", _RATE_ASKED.search(plain).group(0)) else "增长"
        if _GREW_TO.search(question):  # '一年年增长到了多少' asks the level reached, not the growth
            info.topic = _CHANGE_WORD.sub("", info.topic) or info.topic
    if kind == "table":  # the topic without the request's own words ('把…的数字列成表')
        info.topic = topic_of(zh.TABLE_WORDS.sub("", _REPORT_YEAR.sub("", question))) or info.topic
    if kind == "multi":
        info.parts = split_parts(plain)
    elif kind == "compute":
        info.operation = next(op for op, pattern in _COMPUTE_OPS if pattern.search(question))
        info.parts = operands(plain)
        asked_sum = next(op for op, pattern in _COMPUTE_OPS if pattern.search(plain)) == "sum"  # not '是否达到65%'
        if info.operation == "sum" and asked_sum and not _OPERAND_SPLIT.search(_COMPUTE_WORDS.sub(" ", plain)):
            # '2001年全国高校一共招了多少新生': one thing named, its total is a fact of the reports
            info.kind, info.operation, info.parts = "fact", "", []
    if info.kind in ("fact", "compute") and (conversion := _CONVERT_TO.search(question)):
        # '27.5万亩营造林合多少公顷': the figure in another unit of its dimension
        info.kind, info.operation = "compute", "convert"
        info.unit = conversion.group(2)
        info.parts = [_CONVERT_TO.sub("", info.topic) or info.topic]
    if info.kind in ("fact", "compute") and _HOURS_ASKED.search(question) and _CAPACITY.search(question) \
            and _GENERATION.search(question):
        # '装机和年发电量算一下，平均利用小时数多少': the energy produced per unit of capacity (kWh ÷ kW)
        info.kind, info.operation, info.parts = "compute", "hours", []
    if info.kind in ("fact", "compute") and (share := share_of_whole(plain)):
        # '2019年的财政赤字里，中央那一块占百分之几': the part over the whole, both from the reports
        info.kind, info.operation, info.parts = "compute", "share", list(share)
    if info.kind == "fact" and len(years) == 2 and zh.YEAR_SPAN.search(question) and _CHANGED_BY.search(question) \
            and not zh.SPAN_TOTAL_WORDS.search(question):
        # '2013年到2014年，GDP总量增加了多少': the difference of the two years' figures (each from its
        # own report), or the change the reports state over the span
        info.kind, info.operation = "compute", "difference"
        info.parts = [_CHANGE_WORD.sub("", info.topic.replace(" ", ""))]
    return info


# A share asked of a whole both named: 'A里，B占百分之几', 'B占A的比重是多少'. Not '占比多少' alone (the
# reports' own share: a fact), nor a number the question gives as the whole ('55.2%').
_SHARE_ASKED = r"(?:的)?(?:大概|大约|约)?占(?:了)?(?:的)?(?:百分之几|百分之多少|多少|几成|多大比例|多大比重|比|(?:的)?(?:比例|比重|百分比)(?:是多少|为多少|有多大)?)"
_WHOLE_FIRST = re.compile(r"^(?:(?:19|20)\d{2}年)?(.{2,20}?)(?:里面|里头|里|当中|之中|中)[，,]?(.{2,14}?)(?:那一?块|那部分|部分)?" + _SHARE_ASKED)
_PART_FIRST = re.compile(r"^(?:(?:19|20)\d{2}年)?(.{2,20}?)占(.{2,20}?)的" + r"(?:比例|比重|百分比|份额)")


_ASKING = re.compile(r"多少|几|各是|分别|是什么|怎么|如何|哪些|哪一?年")
_RATE_ASKED = re.compile(r"(?:涨|增长|提高|降|下降)了?(?:多少|几|百分之)|增幅|涨幅|增速|降幅|幅度")


def _sentences(question: str) -> list[str]:
    """The sentences of a question, without those that only narrow the answer ('其中哪一年最高')."""
    return [s for s in re.split(r"[。？?！!；;]", question) if s.strip() and not re.match(r"\s*其中", s)] or [question]


def _trend_measure(topic: str) -> str:
    """A trend question's topic without the span and the words that ask for a series."""
    for _ in range(3):  # what one removal leaves may be asking words too ('年每年实际涨' -> '年涨' -> '')
        topic = re.sub(r"[（(]\s*[)）]|\s", "", zh.TREND_WORDS.sub("", topic))
    return topic


def share_of_whole(question: str) -> tuple[str, str] | None:
    """(part, whole) when the question asks which share of a whole a part is, else None."""
    text = re.sub(r"[？?。！!]+$", "", question.strip())

    def bare(name: str) -> str:  # ('安排的财政赤字' is the 财政赤字)
        return re.sub(r"^[\u4e00-\u9fff]{1,3}的(?=[\u4e00-\u9fff]{2})", "", name)

    if (match := _PART_FIRST.search(text)) and not quantities(match.group(2)):
        return bare(match.group(1)), bare(match.group(2))
    if (match := _WHOLE_FIRST.search(text)) and not quantities(match.group(1)):
        return bare(match.group(2)), bare(match.group(1))
    return None


_CONVERT_TO = re.compile(r"(?:合|折合|折算|换算|相当于|等于)(?:成|为)?(?:多少|几)?(万|亿)?(平方公里|公顷|亩|平方米|公里|千米|公斤|吨|斤|千瓦时|度)")
_HOURS_ASKED = re.compile(r"(?:多少|几)个?小时|小时数|利用小时")
_CAPACITY = re.compile(r"装机|容量|千瓦(?!时)")
_GENERATION = re.compile(r"发电|发了?[^，,。？?]{0,6}电|度电|千瓦时")
_GREW_TO = re.compile(r"(?:增长|增加|提高|上升|扩大|发展)到了?(?:多少|几)")
_CHANGED_BY = re.compile(rf"(?:{zh.CHANGE_VERBS}|涨|降|多|少)了?(?:多少|几)")
_CHANGE_WORD = re.compile(r"(?:增长|增幅|增速|下降|提高|提升|降低|减少|增加|上涨|涨|跌|降|回落|多|少)了?$")
