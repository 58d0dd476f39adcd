"""Does the evidence answer what was asked? Checks that a similarity threshold cannot make.

* place: a place the question names must be the report's own region or appear in the evidence;
* time: a question about year Y's results needs the review of Y (in the report of Y+1); one
  about Y's plan or targets needs the plan part of the report of Y;
* measure: the words that say what is measured (降水量, 投资, 出生人口) must appear in the evidence;
* scope: a question none of whose words the reports use is not about them.

Each check returns ``None`` when the evidence passes, else a ``Gap`` that says, in the user's
words, what the reports lack.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import thesaurus, zh
from .lexical import STOPWORDS
from .normalize import fold
from .numbers import DIMENSION_WORDS, DIMENSIONS, NOT_AMOUNTS, UNITS, dimension_of, has_dimension, quantities
from .questions import QuestionInfo
from .retrieval import Hit
from .years import own_years

# Words too general to decide whether a passage is about the question.
_GENERIC = frozenset("新增 全年 全区 全市 全国 我国 国家 政府 工作 报告 区里 县里 市里 "
                     "主要 情况 数量 数据 规模 总量 水平 年度 个数 人数 多少 目标 指标 计划 预期 预计 实际 去年 今年 上年 同比 比上年 "
                     # words that name the kind of answer wanted, not what it is about
                     "称号 荣誉 奖项 名称 名字 时间 时候 地点 地方 数字 内容 方式 办法 原因 目的 级别 类型 哪里 单位 等级 "
                     # (a milestone passed, '过了哪个整数大关': what kind of figure, told by 突破１亿吨)
                     "大关 关口 整数 "
                     "做法 成果 成就 经验 亮点 特色 作用 用处 影响 变化 措施 举措 方面 事情 事项 问题 东西 "
                     "政策 出台 推出 采取 开展 实施 进行 领域 重大 哪些 职业 位置 身份 国籍 职务 年份 日期 "
                     # words that ask for a state or a way, not a thing
                     "形势 态势 状况 现状 局面 途径 渠道 层面 路径 方法 推荐 "
                     # words that ask for a reckoning or a share of it ('请帮我算一下…相加', '所占的比例')
                     "计算 请算 请查 相加 相当于 总额 比例 比重 比率 百分比 部分 中所 所占 相差 差距 差额 "
                     # words that place the question in a report or its time ('六届人大那个报告', '截至',
                     # '回顾的五年'), or ask what something shows ('说明了什么')
                     "人大 全国人大 人代会 截至 回顾 说明 表明 证明 是从 "
                     # a span's frame ('之前五年平均一年涨多少'): the years are the year check's, never a word's
                     "之前 之后 以前 以后 此前 此后 "
                     # and a place's frame ('在渝东南地区范围内'): the place is the place check's
                     "范围 范围内 区域内 境内 "
                     # words that ask how far or by what way, and comparison words jieba joins ('比高职高')
                     "程度 地步 路子 法子 建设 比高 比低 "
                     # a plan named as the source of a target ('“十三五”规划的GDP目标')
                     "规划 "
                     # verbs that only say something could be done ('技术转化得以加快')
                     "得以 能够 "
                     # words that frame a comparison or ask how the report puts it ('与2021年相比', '报告如何评价',
                     # '所谓“新三样”', '逐项列出'): the comparison is the compute check's, the wording no thing
                     "相比 相较 对比 比较 列出 逐项 逐条 逐个 一一 所谓 说法 评价 分析 意思 所指 相应 差不多 基础 "
                     # directional complements of a verb ('建起来', '降下来'): which way an action went, no thing
                     "起来 下来 出来 过来 上来 下去 "
                     # what was done, asked as a whole ('干成了哪些大事')
                     "大事 事儿 实事 "
                     # how the report names a thing ('被称为来之不易')
                     "称为 被称为 号称".split())
_UNITS = frozenset(UNITS)
_TOO_GENERAL = _GENERIC | STOPWORDS  # synonyms that tell nothing ('工作' filed with 事务)
_UNIT_CHARS = frozenset(u for u in UNITS if len(u) == 1)


@dataclass
class Gap:
    reason: str  # place, year, plan, result, measure, scope
    message: str  # what to tell the user, in Chinese


def key_terms(topic: str, things_only: bool = False) -> list[str]:
    """The content words of a question's topic, as jieba cuts them (not search mode: whole words).
    ``things_only``: nouns and direction words, not the verb a how-question asks about ('筹集')."""
    return [word for word, _flag in tagged_key_terms(topic, things_only)]


def tagged_key_terms(topic: str, things_only: bool = False) -> list[tuple[str, str]]:
    """``key_terms`` with jieba's part-of-speech tag of each ('n', 'v', 'r'…)."""
    import rjieba

    terms = []
    previous = ""
    for word, flag in rjieba.tag(fold(topic)):
        # a number's unit cut with the word after it ('365天都达标' is cut 365/天都/达标): the unit goes with the number
        previous, word = word, word[1:] if previous[-1:].isdigit() and word[:1] in _UNIT_CHARS else word
        word = re.sub(r"(?<=.)了$", "", word)  # '改了' is '改'
        word = re.sub(r"^在(.{2,})[上中里内]$", r"\1", word)  # '在世界上' is '世界'
        if flag.startswith("v"):
            word = re.sub(r"^[又还再也](?=.)", "", word)  # '目标又定的多少': the verb is '定'
        if len(word) < 2 or not re.search(r"[\u4e00-\u9fffa-z]", word) or word in STOPWORDS or word in _GENERIC \
                or word in _UNITS:
            continue
        if things_only and (flag.startswith("v") and flag != "vn" or flag in ("i", "l")) and not is_direction(word):
            continue
        split = _TRAILING_DIRECTION.match(word)  # '价格下降' is the measure and which way it moved
        terms.extend(zip(split.groups(), ("n", "v")) if split else [(word, flag)])
    return terms


# Tags of words that say how a question is asked, not what it is about: pronouns (咱们, 咋样, 为啥),
# numerals (一年, 第一次), time and localizer words (现在, 期间), adverbs (已经), prepositions,
# conjunctions, particles, adjectives (平均), idioms. On the earlier blind sets most refusals that
# quoted the answer named such a word as missing (issue #16).
_ASKING_TAGS = re.compile(r"r|m|mq|t|tg|f|d|dg|p|c|u.*|y|e|o|zg|q|x|i|a|ad|ag|z")


def subject_terms(topic: str, things_only: bool = False) -> list[str]:
    """The key words whose absence from the evidence means it is about something else: every key
    word but those of the ``_ASKING_TAGS`` (a verb stays: '出生' makes 出生人口 another measure than
    人口) and the words that only say a figure is a plan or target (打算, 控制在: the time check's),
    and any word that says which way a number moved."""
    return [word for word, flag in tagged_key_terms(topic, things_only)
            if is_direction(word) or not (_ASKING_TAGS.fullmatch(flag) or zh.PLAN_WORDS.fullmatch(word)
                                          or zh.TARGET_VERBS.fullmatch(word))]


# What a measure word counts, without its suffix: '钢' of 钢产量, '粮食' of 粮食产量.
_MEASURED = re.compile(r"(?:总产量|总产值|产量|产值|总量|数量|人数|人次|户数|个数|总额|规模|量|数|额|值)$")
# A measure word's suffix: '粮食产量' is given as '生产粮食…万吨', '人数' as '…人'.
_MEASURE_SUFFIX = re.compile(r"(总量|数量|总额|规模|量|数|额|值)$")


# Words of one direction count for each other ('研发投入提高了多少' is answered by '增长20.9%'),
# but never for the opposite direction (a question about a fall the reports call a rise).
_DIRECTIONS = [re.compile(r"增长|增加|提高|提升|上升|上涨|扩大|调高|上调|增|升|涨|多"),
               re.compile(r"下降|减少|降低|下调|调低|调减|压减|放缓|回落|缩小|减|降|跌|少"),
               # whether something was achieved: '目标完成了吗' needs a passage that says so
               re.compile(r"完成|实现|达到|建成|完工|如期|顺利|超额|超计划|圆满|弄完|搞完|干完|做完|搞定|建完|修完")]


# A change said without its direction ('调到', '调整为', '改为'): either direction says it.
_NEUTRAL_CHANGE = re.compile(r"调整?(?:到|至|为)|变为|变成|改为")
_TRAILING_DIRECTION = re.compile(r"(.{2,}?)(增长|增加|提高|提升|上升|上涨|扩大|下降|减少|降低|下调|回落|缩小)$")


def is_verb(term: str) -> bool:
    """A verb as jieba tags it alone ('关闭'), not a verbal noun ('改革')."""
    import rjieba

    tags = rjieba.tag(term)
    return len(tags) == 1 and tags[0][1].startswith("v") and tags[0][1] != "vn"


def is_noun(term: str) -> bool:
    """jieba tags the term's last word a noun, a distinguishing word, a numeral or a measure word."""
    import rjieba

    tags = rjieba.tag(term)
    return bool(tags) and tags[-1][1].startswith(("n", "b", "m", "q"))


def is_achievement(term: str) -> bool:
    """'完成', '实现了': a word that says whether something was achieved (a yes/no question's)."""
    return bool(re.fullmatch(rf"(?:{_DIRECTIONS[2].pattern})(?:到|至|了)?", term))


def is_direction(term: str) -> bool:
    """'下降', '降到', '提高了': a word that says which way a number moved."""
    return any(re.fullmatch(rf"(?:{d.pattern})(?:到|至|了)?", term) for d in _DIRECTIONS)


def _said(term: str, text: str) -> bool:
    """The word, or the reports' own word for it ('荣誉' is what 获评 names), occurs in the text."""
    return term in text or any(alias in text for alias in zh.REPORT_TERMS.get(term, ()) or zh.same_predicate(term))


def term_present(term: str, text: str, synonyms: bool = True) -> bool:
    """A word is present when it occurs or a synonym does (``thesaurus``: 患者 for 病人); when most of its characters do (营造林 for 造林); when
    its two characters stand close together ('改厕' in '户厕改造'); or, for a measure word,
    when its stem does ('产量' in '生产粮食')."""
    # (a thing's synonyms, never an act's: 词林 files 建成 with 完工, which is a stage short of it)
    if _said(term, text) or synonyms and not is_verb(term) and not is_achievement(term) \
            and thesaurus.said_by_synonym(term, text, _TOO_GENERAL):
        return True
    dimension = dimension_of(term)
    if dimension and (dimension != "money" or term in _AMOUNT_WORDS) and has_dimension(text, dimension):
        return True  # '面积' is answered by '50平方公里'; money words stay words ('投资' is not any 元), but
        # '金额' names no thing, only that an amount of money is asked
    if is_direction(term):
        return any(d.search(term) and d.search(text) for d in _DIRECTIONS)
    if _NEUTRAL_CHANGE.fullmatch(term):  # '从多少调到了多少' is answered by '从2000元提高到3500元'
        return bool(_NEUTRAL_CHANGE.search(text) or any(d.search(text) for d in _DIRECTIONS[:2]))
    if _told_by_amount(term, text):
        return True
    chars = [ch for ch in term if "\u4e00" <= ch <= "\u9fff"]
    stem = _MEASURE_SUFFIX.sub("", term)
    if stem != term and len(stem) >= 1 and re.search(re.escape(stem) + r"(?!" + re.escape(term[len(stem):]) + r")(?:量|数|额|值)", text):
        return False  # the same stem measured otherwise: '总产值' tells no 总产量, '人数' no 人次
    thing = _MEASURED.sub("", term)
    if len(chars) >= 3 and _MEASURE_SUFFIX.search(term) and thing and \
            not re.search(".{0,2}".join(map(re.escape, thing)), text):
        return False  # what a measure word counts must be there: '原煤产量' tells no 钢产量
    if len(chars) == 4 and chars[0] + chars[2] in text:
        # a four-character term by its abbreviation, the first character of each word ('高等职业' is 高职,
        # '高速铁路' 高铁, '中等职业' 中职: how Chinese abbreviations are formed)
        return True
    if len(chars) >= 3:
        # and they stand together, in order ('在校生' in 在校学生; not 平均工资 in '平均为5.1%…工…资'),
        # unless it is a measure word ('粮食产量' is told as 生产粮食…万吨)
        present = [ch for ch in chars if ch in text]
        # (a leading character found elsewhere is no part of it: the 在 of '在1953年年底' is not
        # 在校学生's, whose '学校学生' stands together; a character inside it never drops: 高速铁路 is no 高速公路)
        needed = -(-len(chars) * 2 // 3)
        together = any(re.search(".{0,2}".join(map(re.escape, present[i:])), text)
                       for i in range(len(present) - needed + 1))
        # a one-character noun ending a compound is its head: 房地产税 is no 房地产 (a measure word is
        # read by its stem)
        head = chars[-1] in text or bool(_MEASURE_SUFFIX.search(term)) or not _headed(term)
        return len(present) * 3 >= len(chars) * 2 and head and bool(_MEASURE_SUFFIX.search(term) or together)
    stem = _MEASURE_SUFFIX.sub("", term)
    if stem != term and stem:
        return stem in text
    if len(chars) == 2:
        # within one clause: '补足8900亩,生产粮食' says no 亩产
        # (in their order, an abbreviation's characters may stand further apart: 研发 is 研究与实验发展, the
        # way Chinese abbreviations are formed, 研究开发 → 研发, 高等学校 → 高校)
        return any((abs(i - j) <= 3 or 0 < j - i <= 5) and not _CLAUSE_BREAK.search(text[min(i, j):max(i, j)])
                   for i in _positions(chars[0], text) for j in _positions(chars[1], text))
    return False


def in_title(term: str, title: str) -> bool:
    """A word the report's title names (its region, '黔江'): said in it, or a two-character word by its
    characters close together; never a longer word by some of its characters, which a title's common
    ones would give ('青年人' is not in '2023年中华人民共和国国务院政府工作报告')."""
    return _said(term, title) or len(term) <= 2 and term_present(term, title)


_CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?]")
_AMOUNT_WORDS = frozenset(("金额", "钱", "多少钱", "数额"))
# Measure words of a physical kind: their figure's unit tells them ('粮食产量' is told by '粮食增加了五十亿斤，
# 达到三千七百亿斤'). Not money, people or shares: '财政…亿元' may be 支出 as well as 收入.
_PHYSICAL = ("weight", "energy", "length", "area", "power", "volume")


def _told_by_amount(term: str, text: str) -> bool:
    """A measure word (thing + a physical dimension word, '粮食产量') is told by the thing followed in
    its sentence by an amount of that dimension ('粮食增加了五十亿斤，达到三千七百亿斤')."""
    suffix = next((w for d in _PHYSICAL for w in DIMENSION_WORDS[d] if len(w) >= 2 and term.endswith(w)), "")
    thing = term[:len(term) - len(suffix)]
    if not suffix or not thing:
        return False
    units = DIMENSIONS[dimension_of(suffix)]
    return any(any(q.unit in units for q in quantities(re.split(r"[。；;！!？?]", text[i:])[0]))
               for i in (m.start() for m in re.finditer(re.escape(thing), text)))


# jieba's tags of verbs (not verbal nouns) and of place words ('城里', '村里')
_ASKERS_TAGS = re.compile(r"v|vi|vd|s")


def unwritten(term: str, report_text: str, question: str = "") -> bool:
    """An everyday word that the evidence's report never writes ('打工', '村里', '出去'): its authors
    say it otherwise (外出务工, 村级, 外出), so a clause of that report lacking it says nothing
    against the clause; its meaning is the embedder's to match. Only a verb or a place word: never
    a noun or name ('国家文物局', '充电桩'), a measure word ('吞吐量'), a direction, or a word the lexicon
    gives the reports' own words for (``zh.REPORT_TERMS``). ``report_text`` is folded and simplified;
    ``question`` is the question the term is of.
    On the blind sets of stops 25-26 most refusals that quoted the answer lacked only such words."""
    import rjieba

    if term in report_text or term in zh.REPORT_TERMS or dimension_of(term) or _MEASURE_SUFFIX.search(term) \
            or is_direction(term) or is_achievement(term):
        return False
    # only verbs and place words ('打工', '城里'): a noun the report never writes may be what the
    # question counts ('充电桩', '可支配收入'), and then the report does not give it (blind set N)
    tags = rjieba.tag(term)
    if len(tags) != 1 or not _ASKERS_TAGS.fullmatch(tags[0][1]):
        return False
    # nor a verb that modifies a one-character noun of the question ('充电' of 充电桩: what it counts)
    words = rjieba.tag(fold(question))
    return not any(w == term and len(nxt) == 1 and flag[0] in "nq" for (w, _), (nxt, flag) in zip(words, words[1:]))


def rival_rate(topic: str, text: str) -> str:
    """Another rate of the same name in the text: a rate is defined by the word before it, and the
    question's ('调查失业率') is not the text's ('登记失业率'), which was measured otherwise (issue #18:
    a change of definition is noted, never merged). The rival ('登记失业率') or ''."""
    import rjieba

    words = [w for w, _ in rjieba.tag(fold(topic))]
    for modifier, head in zip(words, words[1:]):
        if len(modifier) < 2 or len(head) < 2 or not head.endswith("率") or term_present(modifier, text):
            continue
        rival = re.search(rf"([\u4e00-\u9fff]{{2}}){re.escape(head)}", text)
        if rival and rival.group(1) != modifier:
            return rival.group(0)
    return ""


def _headed(term: str) -> bool:
    """jieba cuts the term into words and the last is a one-character noun ('房地产' '税')."""
    import rjieba

    tags = rjieba.tag(term)
    return len(tags) >= 2 and len(tags[-1][0]) == 1 and tags[-1][1] in ("n", "ng")


def _positions(ch: str, text: str) -> list[int]:
    return [i for i, c in enumerate(text) if c == ch]


def term_overlap(term: str, text: str) -> float:
    """How much of a word the text holds: 1 when it occurs, else the share of its character
    bigrams that do ('水利工程' in '…水利部…工程完工' -> 2/3)."""
    if _said(term, text):
        return 1.0
    bigrams = [term[i:i + 2] for i in range(len(term) - 1)]
    return sum(b in text for b in bigrams) / len(bigrams) if len(bigrams) > 1 else 0.0


# A deflator said of another figure ('扣除物价因素增长百分之八', '剔除价格因素'): the price it names is
# not what the clause measures, so it tells no 物价.
_DEFLATED = re.compile(r"(?:扣除|剔除)[^，,。；;]{0,8}?因素")


# GDP as the base of another measure ('单位国内生产总值能耗', '占国内生产总值比重'): not GDP itself,
# unless the question asks such a measure.
_OF_OUTPUT = re.compile(zh.PER_OUTPUT.pattern + r"|占(?:国内|国民)?生产总值的?(?:比重|比例)?")
_ASKS_OF_OUTPUT = re.compile(r"单位|占|比重|比例|每万元")


def missing_terms(info: QuestionInfo, evidence: str) -> list[str]:
    """Key words of the question that the evidence lacks (places are checked separately)."""
    text = _DEFLATED.sub("", zh.to_simplified(fold(zh.strip_footnotes(evidence))))
    if not _ASKS_OF_OUTPUT.search(info.text):
        text = _OF_OUTPUT.sub("", text)
    stems = [zh.place_stem(p) for p in info.places]
    # ('经济' of 经济增长 is said as the reports say it: 国内生产总值比上年增长)
    return [t for t in key_terms(info.topic, things_only=info.kind == "how")
            if not term_present(t, text) and not any(t in p or p in t for p in info.places + stems)
            and not zh.named_by_report_term(t, info.text, text) and not _fragment(t)
            and not level_against_bound(t, info.text) and not _asked_category(t, info)]


def _asked_category(term: str, info: QuestionInfo) -> bool:
    """How and why questions name the kind of means they ask for ('靠什么平台', '通过哪些渠道', '用什么
    方式'): the answer is a thing of that kind, which the report names, not the kind's own word."""
    return info.kind in ("how", "why") and bool(
        re.search(r"(?:(?<![为凭干])什么|哪些|哪种|何种|哪类|哪个|(?<![为干])啥)" + re.escape(term), fold(info.text)))


def level_against_bound(term: str, question: str) -> bool:
    """The term is the verb of a level reached and the question holds it against a bound ('降到' of
    '降到4%以下了吗'): the figure says it ('年末城镇登记失业率4.02%'), with or without the verb."""
    return bool(_TO_LEVEL.fullmatch(term) and _BOUND.search(question))


_TO_LEVEL = re.compile(r"(?:降|降低|下降|减|减少|升|上升|提高|提升|涨|增|增加|控制)(?:到|至|在)")
_BOUND = re.compile(r"以下|以内|以上|低于|高于|不超过|不低于")


def _fragment(term: str) -> bool:
    """Two characters jieba cut from spoken words that its dictionary does not hold as a word, the
    second a light verb or particle that joins anything ('天有' of '好的天有多少天', '占来', '后起'): the
    asker's words split astray, no evidence either way. Not a word the dictionary lacks ('托位'), nor
    one whose first character is a noun ('有房' of '多少套房' has 房 second; '车卖')."""
    import rjieba

    return len(term) == 2 and term[1] in _LIGHT and not rjieba.has_word(term) \
        and not rjieba.tag(term[0])[0][1].startswith("n")


_LIGHT = frozenset("有来去起干到在是得过着了上下出进回开")


def out_of_scope(info: QuestionInfo, idf: dict[str, float]) -> Gap | None:
    """None of the question's words, or none of the things it names, occurs in the reports: it is not about them."""
    if info.english:
        return None
    import rjieba

    tagged = tagged_key_terms(info.topic)
    # a name the question quotes that the reports hold is in scope ('《黔摆狂欢》拿了个啥奖', a name
    # jieba may tag as a person's)
    if any(len(name) >= 2 and all(name[i:i + 2] in idf for i in range(len(name) - 1))
           for name in re.findall(r"[“《\"](.+?)[”》\"]", info.text)):
        return None
    # The reports' words for the question's ('荣誉' is what 获评 names, '经济增长' is 国内生产总值增长).
    aliases = [a for word, said in zh.REPORT_TERMS.items() if word in info.topic for a in said]
    aliases += [w for a in aliases for w in rjieba.cut_for_search(a) if len(w) >= 2]
    # Out of scope when none of its words is in the reports, or when it names things and none of
    # them is ('做出好吃的红烧肉有什么方法': 做出 is, 红烧肉 is not). Names are no things here: jieba
    # tags a stray pair of characters as one ('比比' in '占比比').
    nouns = [t for t, flag in tagged if flag.startswith("n") and not flag.startswith("nr") or flag in ("vn", "eng", "j", "l")]
    for terms in ([t for t, _ in tagged], nouns):
        # a compound the reports never write as one word ('粮食产量') is in scope when its parts are
        # ('粮食', '产量': the reports write '生产粮食23.4万吨')
        parts = [w for t in terms for w in rjieba.cut_for_search(t) if len(w) >= 2 and w != t] + aliases
        if terms and not any(t in idf or any(t in w for w in _vocabulary_sample(idf, t)) for t in terms + parts):
            return Gap("scope", f"报告中没有关于“{topic_words(info)}”的内容。")
    return None


def _vocabulary_sample(idf: dict[str, float], term: str) -> list[str]:
    # bigrams of the term are in the vocabulary when the term is (tokens include all bigrams)
    return [b for b in (term[i:i + 2] for i in range(len(term) - 1)) if b in idf]


def place_gap(info: QuestionInfo, hits: list[Hit], evidence: str) -> Gap | None:
    """A place the question names that is neither the report's region nor in the evidence."""
    from .figures import region_of

    titles = " ".join(h.title for h in hits[:3])
    regions = " ".join(region_of(h.title) for h in hits[:3])
    own = any(zh.place_stem(r) in info.text for r in regions.split())  # the question names the report's region
    district = any(r.endswith(("区", "县", "旗")) for r in regions.split())
    whole = _WHOLE.search(info.text)
    if district and not own and whole and not _RELATIVE.search(info.text) \
            and not (whole.group(0) == "全国" and ("全国" in fold(evidence) or info.kind == "yesno"
                                                  or not _COUNTRY_ASKED.search(info.text))):
        # ('…获评全国乡村治理示范村'; a yes/no asks a level, which its verdict reads: 不是，报告中是“重庆市”)
        # '重庆全市的森林覆盖率', '全市每千人口托位数平均是多少' to a district's report: the city it is in
        # as a whole, not the district's own figure (the report says 全区 of itself)
        return Gap("place", f"报告中没有{whole.group(0)}的数据（所检索的是{_regions(hits)}，"
                            f"只有{regions.split()[0]}的数字）。")
    text = fold(evidence)
    for place in info.places:
        stem = zh.place_stem(place)
        # The stem alone in the text is not enough: '青山' is in '绿水青山' (issue #16).
        if place in text or (stem in zh.PROVINCES or zh.COMPASS_AREA.search(place)) and stem in text:
            continue  # (a province, or a part of one, is said without its suffix: '渝东南' of 渝东南地区)
        if stem in titles and (stem in regions or own):
            continue  # the report's own region ('黔江'), or a place asked with it ('重庆市黔江区')
        if stem in titles:
            # '重庆市整体的森林覆盖率': the city the district is in, not the district's own figure
            return Gap("place", f"报告中没有{place}整体的数据（所检索的是{_regions(hits)}，只有{regions.split()[0]}的数字）。")
        return Gap("place", f"报告中没有关于{place}的数据（所检索的报告是{_regions(hits)}的）。")
    return None


# The whole of the city, province or country a district or county belongs to, as a question names it.
_WHOLE = re.compile(r"(?:[\u4e00-\u9fff]{2,3}?[市省])?(?:全市|全省|全境)|全国|[\u4e00-\u9fff]{2,3}?[市省]的?(?:整体|平均|总体)")
# The country as what is asked of ('全国去年一共新建了多少亩…'), not in a name ('全国街舞大赛金奖').
_COUNTRY_ASKED = re.compile(r"^(?:(?:19|20)\d{2}年|去年|今年|那年)?全国|[，,]全国")
# …unless the district is placed within it ('在全市排第几', '高于全市平均').
_RELATIVE = re.compile(r"排|第几|名次|位居|居|高于|低于|超过|比|相比|同组|同类")


def _regions(hits: list[Hit]) -> str:
    titles = list(dict.fromkeys(h.title for h in hits[:3]))
    return "、".join(f"《{t}》" for t in titles[:2]) or "已索引报告"


def is_plan(hit: Hit) -> bool:
    """The passage is in the plan part of its report (targets and tasks of the report's year)."""
    return hit.year is not None and hit.period == hit.year


def time_fit(info: QuestionInfo, hit: Hit, allow_plan: bool = False) -> bool:
    """The passage is about what the question asks: the year's results (or, with ``allow_plan``,
    its plan), or the plan when the question asks for one."""
    if info.report_years:  # the report named; of it, the year asked when one is ('…报告说上一年')
        # (a year after the report's is a target it sets: '78年那份报告…要求1985年粮食达到多少')
        ahead = bool(info.years) and all(y > max(info.report_years) for y in info.years)
        # (a year long before the report's is a look back over several years: '1964年报告怎么总结1961年以后的调整')
        back = bool(info.years) and max(info.years) < min(info.report_years) - 1
        return hit.year in info.report_years and (not info.years or hit.period in info.years or ahead or back)
    if hit.year is None or hit.period is None:
        return True  # a document with no report year: nothing to check against
    if not info.years:
        return is_plan(hit) if info.wants_plan else True
    wanted_plan = info.wants_plan and not info.wants_result
    return any(hit.period == y and (is_plan(hit) == wanted_plan or (allow_plan and is_plan(hit))) for y in info.years)


def fitting_hits(info: QuestionInfo, hits: list[Hit]) -> tuple[list[Hit], bool]:
    """The passages the question may be answered from, and whether they are a plan given for a
    question that did not say plan or result ('2025年赤字率是多少' when only the 2025 plan exists)."""
    fitting = [h for h in hits if time_fit(info, h)]
    if not info.years and not info.report_years and not info.wants_plan:
        # No year named: what happened (the reviews) before what is planned.
        return [h for h in fitting if not is_plan(h)] or fitting, False
    if fitting or info.wants_plan or info.wants_result or not info.years:
        return fitting, False
    plans = [h for h in hits if time_fit(info, h, allow_plan=True)]
    return plans, bool(plans)


def self_dated(info: QuestionInfo, hits: list[Hit]) -> list[Hit]:
    """When no passage's part is about the year asked: the passages of that year's report or the
    next one's with a sentence that names the year as its own ('一九六四年全国工业总产值，预计比一九六三年
    增长百分之十五以上', in the report given in December 1964, whose parts carry no year). Reports given
    late in their year, and those whose parts mix review and plan (most before 1990), review their own
    year; the part a passage sits in then says nothing of its year, the sentence does."""
    asked = set(info.years)
    reports = set(info.report_years) or asked | {y + 1 for y in asked}
    return [h for h in hits if h.year in reports
            and any(asked & own_years(s) for s in re.split(r"(?<=[。；;！？])", h.text))]


def year_hits(info: QuestionInfo, hits: list[Hit]) -> list[Hit]:
    """The passages about the year asked (else about the best passage's year), review and plan."""
    years = set(info.years) or {hits[0].period}
    return [h for h in hits if h.period in years]


def plan_hits(info: QuestionInfo, hits: list[Hit]) -> list[Hit]:
    """For a question naming years but neither plan nor result: the plan passages of those years
    (tried when the reviews do not answer it, and then labelled as a plan)."""
    if not info.years or info.wants_plan or info.wants_result or info.report_years:
        return []
    return [h for h in hits if is_plan(h) and h.period in info.years]


def time_gap(info: QuestionInfo, hits: list[Hit]) -> Gap | None:
    """Nothing retrieved is about the year and side (plan or result) the question asks."""
    years = "、".join(f"{y}年" for y in info.report_years or info.years)
    if info.report_years:
        return Gap("year", f"没有找到{years}的报告{_topic_suffix(info)}。")
    if info.wants_plan and not info.wants_result:
        return Gap("plan", f"报告中没有{years}的计划或目标{_topic_suffix(info)}。")
    return Gap("result", f"报告中没有{years or '这一时期'}的实际结果{_topic_suffix(info)}。")


def _topic_suffix(info: QuestionInfo) -> str:
    words = topic_words(info)
    return f"（关于“{words}”）" if words else ""


# Question words a message leaves out of the user's own words ('黔江区区长是谁' -> '黔江区区长').
_ASKING_END = re.compile(r"(?:(?:是|有|为)?(?:谁|多少|几[个项家]?|什么|哪些|哪个|哪里)|吗|呢|么|如何|怎么样|怎样|了)+$")
_ASKING_INSIDE = re.compile(r"(?:有|是)?(?:多少|哪些|几|什么时候|什么时间|何时)(?:个|项|家|种|条|座|所|名|位|张)?")


def topic_words(info: QuestionInfo) -> str:
    """The question's topic for messages: whole, with years and question words taken out. It is
    the user's own words: the analysed topic when it is a stretch of the question, else the
    question without its asking words (the analysed one read '区长谁', '口', issue #16)."""
    topic = re.sub(r"(?<!\d)(19|20)\d{2}\s*年|\s", "", info.topic)
    topic = zh.PLAN_WORDS.sub("", topic) if info.wants_plan else topic
    topic = re.sub(r"^(?:那么|那)", "", topic)  # a follow-up's '那托位呢'
    if topic and fold(topic) in fold(info.text):
        return topic
    said = re.sub(r"^(?:请问|那么|那)|(?<!\d)(19|20)\d{2}\s*年", "", re.sub(r"[？?。！!\s]+$", "", info.text))
    said = _ASKING_INSIDE.sub("", _ASKING_END.sub("", said)).strip(" ，,的")
    return said or topic or re.sub(r"[？?。！!]+$", "", info.text)


def direction_correction(question: str, quote: str, missing: list[str]) -> str:
    """'粮食减产了74亿斤' against '增产74亿斤': the question's number is the report's, but moved the other
    way, so a missing word is the premise's error, corrected ('注意：报告中是“增产74亿斤”，不是“减产”。');
    '' when no missing word is such a turned direction."""
    asked = [q for q in quantities(question) if q.unit not in NOT_AMOUNTS]
    text = zh.strip_footnotes(quote)
    for term in missing:
        for i, direction in enumerate(_DIRECTIONS[:2]):
            turned = re.match(rf"(?:{direction.pattern})", term)
            if not turned:
                continue
            rest, other = term[turned.end():], _DIRECTIONS[1 - i]
            for g in quantities(text):
                if not any(q.kind == g.kind and q.value == g.value for q in asked):
                    continue
                said = re.search(rf"(?:{other.pattern}){re.escape(rest)}了?(?:约|近)?$", text[:g.start])
                if said:
                    return f"注意：报告中是“{said.group(0)}{g.text}”，不是“{term}”。"
    return ""


def premise_correction(question: str, quote: str) -> str:
    """'新增城市绿地8万平方米是哪一年' quoted '8.4万平方米': the number the question states is
    corrected, never passed over."""
    asked = [q for q in quantities(question) if q.unit not in ("", "岁")]
    text = zh.strip_footnotes(quote)
    given = quantities(text)
    chars = set(zh.content_chars(question))

    def about(g) -> int:  # how much of the question the number's own clause says ('聘用退休“双高”人才90名')
        start = max((m.end() for m in re.finditer(r"[，,；;、]", text[:g.start])), default=0)
        return len(chars & set(zh.content_chars(text[start:g.start])))

    for q in asked:
        same = sorted((g for g in given if g.kind == q.kind), key=about, reverse=True)
        if same and all(g.value != q.value for g in same):
            return f"注意：报告中的数字是{same[0].text}，不是问题中的{q.text}。"
    return ""
