"""Quantities in report text ('8.4万平方米', '40.7亿元', '19.3%', '6700余个') and arithmetic on
them, for questions that add, subtract, divide or compare numbers the reports give.

Every result keeps the inputs it came from, so an answer can cite each input and mark the
result as computed. Numbers of different units (元 and 人, % and 个) are never combined; 万 and
亿 are converted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .normalize import fold

MAGNITUDES = {"万亿": Decimal(10) ** 12, "千亿": Decimal(10) ** 11, "百亿": Decimal(10) ** 10, "亿": Decimal(10) ** 8,
              "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6, "万": Decimal(10) ** 4, "千": Decimal(1000),
              "百": Decimal(100)}
# Units, longest first so that '平方公里' wins over '公里'.
UNITS = sorted(("微克/立方米 微克每立方米 平方公里 平方米 公里 千米 米 千瓦时 千瓦 瓦 公顷 亩 吨 公斤 斤 元 美元 人次 人 名 户 个 家 所 座 项 张 场次 场 "
                "条 天 小时 分钟 倍 次 批 类 栋 套 辆 台 度 个百分点 百分点 % ‰ 件 部 篇 只 头 处 间 床 支 岁 年").split(), key=len, reverse=True)
_QUANTITY = re.compile(
    r"(?<![\d.])(\d+(?:,\d{3}|\u2060\d)*(?:\.\d+)?)\s*(余|多)?(万亿|千亿|百亿|亿|千万|百万|万|千|百)?(余|多)?("
    + "|".join(map(re.escape, UNITS)) + r")?")
# Numbers in Chinese numerals, as reports before about 2000 write them ('百分之十一点八',
# '一百四十七万人', '四千五百六十四亿公斤'), read by cn2an. Only a percentage or a numeral of two or
# more characters followed by a unit counts: '一是', '十四五', '三个代表' are not amounts.
_ZH_NUMERAL = "零〇○一二两三四五六七八九十百千万亿"
_ZH_UNITS = [u for u in UNITS if u not in ("年", "岁", "次", "天", "度", "类", "批", "%", "‰")]
_ZH_QUANTITY = re.compile(
    rf"百分之([{_ZH_NUMERAL[:-2]}]+(?:点[零〇○一二三四五六七八九]+)?)"
    rf"|(?<![第{_ZH_NUMERAL}])([{_ZH_NUMERAL}\u2061]{{2,}}(?:点[零〇○一二三四五六七八九]+)?)(余|多)?("
    + "|".join(map(re.escape, _ZH_UNITS)) + ")")
def has_zh_figure(text: str) -> bool:
    """The text holds an amount or a percentage in Chinese numerals ('百分之二点九', '三亿零四百七十五万吨')."""
    return bool(_ZH_QUANTITY.search(text))


# Digits typeset one by one with spaces ('从4 0 个减少到2 9 个', a 1998 report): one number.
_SPACED = re.compile(r"(?<![\d.])\d(?: \d)+(?![\d.])")
# Units a rate is given in.
RATE_UNITS = ("%", "‰", "个百分点", "百分点")
# ('户' and '家' both count firms and households: '平均每天新增1.2万户' answers '多少家公司')
SAME_UNIT = {"千米": "公里", "名": "人", "场次": "场", "微克每立方米": "微克/立方米", "户": "家"}
# Measure words that count things: a ratio or comparison of two counts is meaningful ('1810个托位'
# against '394张床位'), a sum of different kinds of things is not.
COUNT_UNITS = frozenset("个 家 所 座 项 张 名 人 户 条 场 场次 次 人次 批 件 台 辆 套 栋 处 间 床 支 部 篇 只 头".split())
# Units that count people: the general measure word 个 never stands for them.
PERSON_UNITS = frozenset("名 人 人次 户".split())
# Not amounts: ages and bare numbers ('3岁以下', '第31届').
NOT_AMOUNTS = frozenset(("岁", ""))


@dataclass(frozen=True)
class Quantity:
    value: Decimal  # in base units (元, not 亿元)
    unit: str  # '' when the number has none
    approximate: bool  # '余' / '多': a lower bound
    text: str  # as written, e.g. '40.7亿元'
    start: int  # offsets in the text it was found in
    end: int
    magnitude: str = ""

    @property
    def kind(self) -> str:
        return SAME_UNIT.get(self.unit, self.unit)


def zh_value(numeral: str) -> Decimal | None:
    """'一百四十七万' -> 1470000, '十一点八' -> 11.8; None when cn2an cannot read it."""
    import cn2an  # late: its import reads its tables (~0.1 s)

    try:
        return Decimal(str(cn2an.cn2an(re.sub("[〇○]", "零", numeral), "smart")))
    except (ValueError, KeyError, IndexError):
        return None


# '四亿零七百多万吨': an approximate part inside a numeral, before its magnitude (4亿 and 700多万).
_INNER_APPROX = re.compile(r"(?<=[一二两三四五六七八九十百千])[多余](?=[万亿])")


def _zh_quantities(text: str, folded: str) -> list[Quantity]:
    found = []
    # (marked in place, same length, so that offsets hold)
    for m in _ZH_QUANTITY.finditer(_INNER_APPROX.sub("\u2061", folded)):
        percent, numeral, approx, unit = m.groups()
        value = zh_value((percent or numeral).replace("\u2061", ""))
        if value is not None:
            found.append(Quantity(value, "%" if percent else unit, bool(approx) or "\u2061" in m.group(0),
                                  text[m.start():m.end()], m.start(), m.end()))
    return found


def quantities(text: str) -> list[Quantity]:
    """Numbers with their units, in order: digits ('8.4万平方米', also typeset '4 0 个') and Chinese
    numerals ('百分之十一点八', '一百四十七万人'). Years ('2023年') and list numbers are left out."""
    folded = fold(text)
    # same length: the spaces of a spaced-out number become no-break markers the pattern skips
    folded = _SPACED.sub(lambda m: m.group(0).replace(" ", "\u2060"), folded) if " " in folded else folded
    found = []
    for m in _QUANTITY.finditer(folded):
        digits, approx1, magnitude, approx2, unit = m.groups()
        unit = unit or ""
        if unit in ("年", "") and not magnitude and re.fullmatch(r"(19|20)\d{2}", digits) and not approx1 and not approx2:
            continue  # a year, not an amount (also in a name: '2023武陵文旅大会')
        if unit == "年" and folded[m.end():m.end() + 1] not in ("", "，", ",", "。", "；"):
            unit = ""
        value = Decimal(re.sub("[,\u2060]", "", digits)) * MAGNITUDES.get(magnitude or "", Decimal(1))
        found.append(Quantity(value, unit, bool(approx1 or approx2), text[m.start():m.end()], m.start(), m.end(),
                              magnitude or ""))
    if re.search(f"[{_ZH_NUMERAL}]", folded):
        found = sorted(found + _zh_quantities(text, folded), key=lambda q: q.start)
    return found


def format_value(value: Decimal, unit: str, magnitude: str = "", places: int = 2) -> str:
    """'51.9万吨' from 519000 吨 with magnitude '万'; at most ``places`` decimals, no trailing
    zeros, and '约' when rounding changed the value."""
    scaled = value / MAGNITUDES.get(magnitude, Decimal(1))
    rounded = scaled.quantize(Decimal(1).scaleb(-places))
    text = f"{rounded:f}".rstrip("0").rstrip(".") if "." in f"{rounded:f}" else f"{rounded:f}"
    return f"{'约' if rounded != scaled else ''}{text}{magnitude}{unit}"


def in_asked_magnitude(value: str, question: str) -> str:
    """A computed value restated in the magnitude the question asks for: '0.38万亿元' for '多了多少
    亿元' is '3800亿元'; the value as it is when the question names no magnitude of its unit."""
    found = quantities(value)
    if len(found) != 1 or not found[0].unit:
        return value
    q = found[0]
    asked = re.search(r"(?:多少|几)(万亿|千亿|百亿|亿|万|千|百)" + re.escape(q.unit), question)
    if not asked or asked.group(1) == q.magnitude:
        return value
    restated = format_value(q.value, q.unit, asked.group(1), places=2)
    return ("约" if value.startswith("约") and not restated.startswith("约") else "") + restated


def common_magnitude(items: list[Quantity]) -> str:
    """The magnitude the inputs share, else the largest one used (so the result reads like them)."""
    used = {q.magnitude for q in items}
    if len(used) == 1:
        return used.pop()
    return max(used, key=lambda m: MAGNITUDES.get(m, Decimal(1)))


class Incompatible(ValueError):
    """Numbers that cannot be combined: different units."""


def _check(items: list[Quantity], counts_compatible: bool = False) -> None:
    kinds = {q.kind for q in items}
    if counts_compatible and kinds <= COUNT_UNITS:
        return
    if len(kinds) > 1:
        raise Incompatible("、".join(sorted(k or "无单位" for k in kinds)))


def total(items: list[Quantity]) -> str:
    _check(items)
    if items[0].unit in ("%", "‰", "百分点", "个百分点", "倍"):
        raise Incompatible(items[0].unit)  # shares and rates do not add up
    return format_value(sum(q.value for q in items), items[0].unit, common_magnitude(items))


def compare(a: Quantity, b: Quantity) -> int:
    """1, 0 or -1 as a is more than, equal to or less than b."""
    _check([a, b], counts_compatible=True)
    return (a.value > b.value) - (a.value < b.value)


def comparable(a: Quantity, b: Quantity) -> bool:
    """Whether ``compare(a, b)`` can be told (figures of one kind, or two counts)."""
    try:
        compare(a, b)
        return True
    except Incompatible:
        return False


def difference(a: Quantity, b: Quantity) -> str:
    _check([a, b])
    unit = "个百分点" if a.unit == "%" else a.unit
    return format_value(abs(a.value - b.value), unit, common_magnitude([a, b]) if a.unit != "%" else "")


def share(part: Quantity, whole: Quantity) -> str:
    """The part as a percentage of the whole ('1.83万亿元' of '2.76万亿元' -> '66.3%'), one decimal.
    Raises ``Incompatible`` for figures of different kinds, a zero whole, or a part larger than it."""
    _check([part, whole], counts_compatible=True)
    if whole.value == 0 or part.value > whole.value:
        raise Incompatible("部分大于整体" if whole.value else "0")
    return format_value(part.value / whole.value * 100, "%", places=1)


def ratio(a: Quantity, b: Quantity) -> str:
    _check([a, b], counts_compatible=True)
    if b.value == 0:
        raise Incompatible("0")
    return format_value(a.value / b.value, "倍", places=1)


# Units of one dimension in a common base (m², m, kg, kWh, kW): the statutory units of China (GB 3100)
# and the market units the reports also use (1 亩 = 10000/15 m², 1 斤 = 0.5 kg).
IN_BASE = {"平方公里": Decimal(10) ** 6, "公顷": Decimal(10) ** 4, "亩": Decimal(10000) / 15, "平方米": Decimal(1),
           "公里": Decimal(1000), "千米": Decimal(1000), "米": Decimal(1),
           "吨": Decimal(1000), "公斤": Decimal(1), "斤": Decimal("0.5"),
           "千瓦时": Decimal(1), "度": Decimal(1), "千瓦": Decimal(1), "瓦": Decimal("0.001")}


def hours_of_use(energy: Quantity, power: Quantity) -> str:
    """Utilisation hours, the energy a capacity produced divided by that capacity ('4.3亿度' of
    '24.5万千瓦' is about 1755小时): kWh ÷ kW = h, the standard 发电设备利用小时数 of power statistics.
    Raises ``Incompatible`` unless ``energy`` is an energy (千瓦时, 度) and ``power`` a power (千瓦, 瓦)."""
    if dimension_of_unit(energy.unit) != "energy" or dimension_of_unit(power.unit) != "power" or power.value == 0:
        raise Incompatible(f"{energy.unit}、{power.unit}")
    return format_value(energy.value * IN_BASE[energy.unit] / (power.value * IN_BASE[power.unit]), "小时", places=0)


def convert(q: Quantity, unit: str, magnitude: str = "") -> str:
    """``q`` in another unit of its dimension ('27.5万亩' in 公顷 is about 18333.33公顷; with
    ``magnitude`` '万', 约1.83万公顷). Raises ``Incompatible`` across dimensions."""
    if q.unit not in IN_BASE or unit not in IN_BASE or dimension_of_unit(q.unit) != dimension_of_unit(unit):
        raise Incompatible(f"{q.unit}、{unit}")
    return format_value(q.value * IN_BASE[q.unit] / IN_BASE[unit], unit, magnitude)


def dimension_of_unit(unit: str) -> str:
    """'公顷' -> 'area': the dimension a unit measures, or ''."""
    return next((d for d, units in DIMENSIONS.items() if unit in units), "")


def earlier(amount: Quantity, change: Quantity, falling: bool = False) -> str:
    """The value before a change: '9905户' after growing '19.3%' was about 8303户; '9.8万亿元' after
    an increase of '1.5万亿元' was 8.3万亿元; given as precisely as the amount is written."""
    if change.unit in ("%", "‰"):
        rate = change.value / (100 if change.unit == "%" else 1000)
        base = amount.value / (1 - rate if falling else 1 + rate)
    else:
        _check([amount, change])
        base = amount.value + change.value if falling else amount.value - change.value
    digits = re.match(r"[\d,]+(?:\.(\d+))?", fold(amount.text))
    places = len(digits.group(1) or "") if digits else 2
    return format_value(base, amount.unit, amount.magnitude or common_magnitude([amount, change]), places=places)


# Words that ask for a kind of amount, and the units that give it (issue #16: '治理了多长的河道' is
# answered by '36.9公里'; '投资了多少' is not answered by '8.4万平方米'). SI and Chinese customary
# units as the reports write them.
DIMENSIONS = {
    "length": ("公里", "千米", "米"), "area": ("平方公里", "平方米", "公顷", "亩"),
    "money": ("元", "美元"), "weight": ("吨", "公斤", "斤"), "power": ("千瓦", "瓦"), "energy": ("千瓦时", "度"),
    "people": ("人", "名", "人次"), "share": RATE_UNITS, "days": ("天",),
    "volume": ("立方米", "方"), "count": tuple(sorted(COUNT_UNITS)),
}
DIMENSION_WORDS = {
    "length": ("多长", "长度", "里程", "多远", "公里数"), "area": ("面积", "多大面积", "规模面积", "占地"),
    "money": ("钱", "金额", "资金", "投资", "投入", "花费", "费用", "多少钱", "经费", "收入", "贷款", "产值", "利润", "税收"),
    "weight": ("产量", "重量", "多重", "吨数"), "power": ("装机", "装机容量", "容量"), "energy": ("发电量", "电量", "用电量"),
    "people": ("人数", "多少人", "人口", "人员"), "share": ("比例", "比重", "占比", "百分比", "率", "增速", "增幅", "涨幅",
                                                    "增长速度", "增长率", "幅度"),
    "days": ("天数", "多少天"), "volume": ("库容", "蓄水量", "水量", "立方"),
}


def dimension_of(word: str) -> str:
    """The kind of amount a question word asks for ('多长' -> 'length'), or ''."""
    return next((d for d, words in DIMENSION_WORDS.items() if word in words), "")


def has_dimension(text: str, dimension: str) -> bool:
    """The text gives an amount of that kind ('36.9公里' is a length)."""
    units = DIMENSIONS.get(dimension, ())
    return any(q.unit in units for q in quantities(text))


# A figure that is an average over several years ('居民消费价格年均上涨2.1%', five years' review) or
# a change against the year before ('财政收入比上年增加1501亿元') is no answer to what one year's level
# was ('2022年物价涨了多少' wants that year's 2%; '1999年财政收入是多少' the amount itself, issue #16).
_SPAN_AVERAGE = re.compile(r"年均(?:增长|增加|提高|上涨|下降|减少|降低)?(?:约|近|超过)?$")
# '平均每年城镇新增就业1000多万人': a yearly average, its words before the number in one clause
_YEARLY_AVERAGE = re.compile(r"平均每年[^，,。；;]*$")
_AGAINST_LAST_YEAR = re.compile(r"(?:比上年|同比|比去年|较上年)(?:增长|增加|提高|上涨|下降|减少|降低|提升|多|少)了?(?:约|近|超过)?$")
_ASKS_AVERAGE = re.compile(r"年均|平均|每年")
# A figure of a span of years: '五年总体赤字率控制在3%以内', '五年累计减税5.4万亿元' (the five-year review
# of a report), never one year's figure unless a span is asked ('五年累计', '这几年总共').
# The span's word holds for the rest of its sentence ('五年总体赤字率控制在3%以内，政府负债率控制在50%左右')
# unless a year is named after it.
_SPAN_TOTAL = re.compile(r"(?:(?:[两二三四五六七八九十]|(?<!\d)\d{1,2})年(?:来|间|内|中|里)?(?:总体|累计|合计|共计?|总共|平均|年均)|"
                         r"(?:过去|近|这)(?:[两二三四五六七八九十]|(?<!\d)\d{1,2})年(?:来|间|里)?)(?!.*(?:去年|今年|当年|\d{4}年))[^。；;]*$")
_ASKS_SPAN = re.compile(r"累计|总共|合计|总体|期间|以来|(?:[两二三四五六七八九十几]|(?<!\d)\d{1,2})年(?:来|间|内|中|里)?")
_ASKS_CHANGE = re.compile(r"增长|增加|提高|提升|上升|上涨|涨|下降|减少|降低|回落|增速|增幅|降幅|变化|多了|(?<!多)少了|比上年|同比|增产|减产")
# A change as a report states it: a rate, or an amount after its verb ('增加1501亿元'), not a level
# after 达到/增加到 ('国内生产总值增加到121万亿元').
_CHANGE_VERB = re.compile(r"(?:增长|增加|提高|提升|上升|上涨|下降|减少|降低|回落|增产|减产|多|少)了?(?:约|近|超过)?$")


def one_years_figure(question: str, text: str, q: Quantity) -> bool:
    """The quantity ``q`` of ``text`` can be one year's figure as ``question`` asks it: not an
    average over years unless one is asked, not a change against the year before unless a change is."""
    before = text[max(0, q.start - 8):q.start]
    if (_SPAN_AVERAGE.search(before) or _YEARLY_AVERAGE.search(text[max(0, q.start - 20):q.start])) \
            and not _ASKS_AVERAGE.search(question):
        return False
    if _SPAN_TOTAL.search(text[max(0, q.start - 80):q.start]) and not _ASKS_SPAN.search(question):
        return False
    # a change since a base year further back than the year before the one asked ('2007年，…比2002年
    # 增长65.5%' is five years' growth, no 2007 growth), unless the question names that base
    base = _BASE_CHANGE.search(fold(text[max(0, q.start - 16):q.start]))
    asked = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", fold(question))]
    if base and asked and max(asked) - int(base.group(1)) > 1 and base.group(1) not in fold(question):
        return False
    return not (_AGAINST_LAST_YEAR.search(before) and not _ASKS_CHANGE.search(question))


_BASE_CHANGE = re.compile(r"(?:比|较)((?:19|20)\d{2})年[^，,。；;]{0,4}?(?:增长|增加|提高|下降|减少|降低|上升)了?$")


# A measure that is itself an increment: '新增城市绿地8.4万平方米', '新培育科技型企业184家'.
_INCREMENT = re.compile(r"新增|新建|新培育|新登记|新开工|净增|增产|减产")


def is_change(text: str, q: Quantity, increments: bool = True) -> bool:
    """The quantity ``q`` of ``text`` states a change: a rate, an amount after its verb, or (unless
    ``increments`` is False) an amount of a measure that is an increment ('新增城市绿地8.4万平方米')."""
    return q.unit in RATE_UNITS or bool(_CHANGE_VERB.search(text[max(0, q.start - 8):q.start])) \
        or increments and bool(_INCREMENT.search(text[max(0, q.start - 12):q.start]))


def asks_change(question: str) -> bool:
    """'增长多少', '增产多少亿斤', '涨了多少': the question asks how much something changed."""
    return bool(_ASKS_CHANGE.search(question))
