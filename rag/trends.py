"""Indicators across years (issue #18): one measure's result and target for every year of a span,
each read from the figure records (``rag.figures``) of its own year's report.

The result of year Y is reviewed in the report of Y+1 and the target of Y is set in the report of
Y; the records already say which (``Figure.period``, ``Figure.kind``), so a point is never taken
from another year or the other side, and a year with no figure stays empty ('报告未给出'). Wording
that differs across years is matched by the measure's characters (character bigrams, Dice), and a
change of definition ('城镇登记失业率' -> '城镇调查失业率') is noted, never merged silently.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

from . import zh
from .figures import Figure, FigureTable
from .normalize import fold
from .numbers import MAGNITUDES, RATE_UNITS, quantities
from .questions import noun_runs

# Words around a measure that do not change what it counts ('全年城镇新增就业', '今年赤字率拟按').
_PREFIX = re.compile(r"^(?:全年|今年|去年|当年|年末|年底|全国|我国|全县|全区|全市|实现|完成|但|而|并|年|末|拟安排|拟|安排)+")
_SUFFIX = re.compile(r"(?:拟按|预期目标|预期|目标|一直|持续|继续|保持|控制|分别|均|全年|低于|不超过|以内|在|将|规模|"
                     r"(?:(?:19|20)\d{2})?年[底末])+$")  # ('外汇储备2000年底': the stock at the year's end)
# A figure of several years is not one year's ('五年累计', '年均', '十四五').
_MULTI_YEAR = re.compile(r"五年|十年|累计|年均|平均每年|每年|以来|期间|规划期|十[一二三四五六七八九]五|[从由][^，,。；;]{0,30}[到至]")
_SHARE = re.compile(r"占|比重|比例|之比")
RATE_WORDS = re.compile(r"增长|增速|增幅|涨幅|上涨|下降|降幅|率")
# Weights in the units the reports mix over the decades, as tonnes (1 斤 = 0.5 公斤, GB 3100-93 annex)
_WEIGHT = {"公斤": ("吨", 0.001), "斤": ("吨", 0.0005)}
# What may follow a measure's name and leave it the same measure ('城镇新增就业人数').
_SAME_THING = re.compile(r"(?:的|人数|总数|总量|总额|数量|规模|水平|速度|幅度|率|比上年|同比|增长|增速|增幅|涨幅|上涨|"
                         r"下降|降幅|降低|增加|减少|提高|回落|情况|控制|实际|预期|计划|首次|跃上|再创|突破|稳定在|保持在|也|了|"
                         r"(?:(?:19|20)\d{2})?(?:年底|年末))*")  # a stock at the year's end ('外汇储备2000年底')
# What a measure is when it is of another ('国内生产总值' + '能耗'): the words a question's measure
# carries after it are often verbs ('安排', '定为'), so only these make it another measure.
_OTHER_HEAD = re.compile(r"能耗|水耗|电耗|用水量|排放|比重|比例|占比|密度")
_FALLING = re.compile(r"(?:下降|减少|降低|回落|降幅)$")
GROWTH_WORDS = re.compile(r"(?:比上年)?(?:增长|增速|增幅|涨幅|上涨|下降|降幅)")
MIN_MATCH = 0.6  # Dice similarity of measure bigrams, below which a record is another measure
REFERENCE_YEARS = 5  # years either side of a span read for the typical size of a figure
# An amount this many times the typical one (or a fraction as small) is of another scope: the
# national five-year totals beside annual figures are 4-5 times them (eval/RESULTS.md, trends).
OUTLIER_RATIO = 3
NEIGHBOUR_YEARS = 2  # years either side whose figures give a year's typical size


@dataclass
class Point:
    year: int
    kind: str  # 'result' or 'target'
    value: float  # in the series unit's magnitude as written (1244 for '1244万人')
    text: str  # the figure as written ('1244万人', '5%左右')
    figure: Figure

    def to_dict(self, citation: int | None = None) -> dict:
        return {"year": self.year, "kind": self.kind, "value": self.value, "text": self.text,
                "measure": self.figure.measure, "doc_id": self.figure.doc_id, "title": self.figure.title,
                "quote": self.figure.clause, "start": self.figure.start, "end": self.figure.end,
                "citation": citation}


@dataclass
class Series:
    measure: str
    unit: str
    years: list[int]
    points: list[Point] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def point(self, year: int, kind: str) -> Point | None:
        return next((p for p in self.points if p.year == year and p.kind == kind), None)

    def to_dict(self, citations: dict[int, int] | None = None) -> dict:
        citations = citations or {}
        return {"measure": self.measure, "unit": self.unit, "years": self.years, "notes": self.notes,
                "points": [p.to_dict(citations.get(id(p))) for p in self.points]}


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


# Wording that names the whole of a measure without changing it: '粮食总产量' is 粮食产量,
# '居民消费价格总水平' is 居民消费价格 (not 总值: 国内生产总值 is a name of its own).
_WHOLE = re.compile(r"总(?=产量|量|额)|(?<=价格)总水平")


# Words inside a measure that say it is a plan, or name it twice, not what it counts: the record's
# kind says the plan ('广义货币M2预期增长目标拟定为' is 广义货币增长; '进出口贸易总额' is 进出口总额).
_INSIDE = re.compile(r"预期|目标|计划(?!生育|单列)|拟定?为?|预计|定为|(?<=[\u4e00-\u9fff])[a-z]\d?(?![\d.a-z])|(?<=进出口)贸易")


def normalise_measure(measure: str) -> str:
    """'全年城镇新增就业' -> '城镇新增就业', '今年赤字率拟按' -> '赤字率', '全年粮食总产量' -> '粮食产量',
    '广义货币M2预期增长目标为' -> '广义货币增长'."""
    folded = fold(measure)
    return _WHOLE.sub("", _INSIDE.sub("", _SUFFIX.sub("", _PREFIX.sub("", folded)))).rstrip("为") or folded


def similarity(query: str, measure: str) -> float:
    """Dice similarity of character bigrams; a measure that contains the query whole scores 1."""
    q, m = normalise_measure(query), normalise_measure(measure)
    if bool(_SHARE.search(q)) != bool(_SHARE.search(m)):
        return 0.0  # '占国内生产总值比重' is a share of GDP, not GDP
    if q and m == q:
        return 1.0
    if q and q in m and len(m) - len(q) <= 3:
        return 0.94  # '中央财政赤字' holds 财政赤字 but is a part of it: the measure itself, where given, first
    at = m.find(q) if len(q) >= 3 else -1
    if at >= 0 and GROWTH_WORDS.fullmatch(m[at + len(q):] or "增长"):
        return 0.9  # '失业率' in '城镇登记失业率'; not '国内生产总值' in '单位国内生产总值能耗'
    if at >= 0 and not _SAME_THING.fullmatch(m[at + len(q):]):
        return 0.0  # the query names what another measure is of ('单位国内生产总值能耗下降')
    core = GROWTH_WORDS.sub("", m)
    inside = q.find(core) if len(core) >= 3 else -1
    if inside >= 0 and (_OTHER_HEAD.match(q[inside + len(core):]) or q[:inside].endswith(("单位", "人均", "每"))):
        return 0.0  # and the other way: '单位国内生产总值能耗' asked, '国内生产总值增长' is GDP's
    if _narrower_word(q, m):
        return 0.0  # the query's word is a narrower thing than the record's: 工农业 is no 农业, 重工业 no 工业
    a, b = _bigrams(q), _bigrams(m)
    return 2 * len(a & b) / (len(a) + len(b))


def _narrower_word(query: str, measure: str) -> bool:
    """A word of the query ends with a word of the record's that the query does not have by itself,
    as jieba cuts them ('工农业总产值' against '农业总产值增长'; '重工业产值' against '全国工业总产值')."""
    asked, said = _words(query), _words(measure)
    return any(a != w and a.endswith(w) and w not in asked for a in asked for w in said)


@functools.lru_cache(maxsize=65536)
def _words(text: str) -> frozenset[str]:
    """jieba's words of two characters or more (cached: a series matches every record's measure)."""
    import rjieba

    return frozenset(w for w in rjieba.cut(text) if len(w) >= 2)


def _as_rate(query: str) -> bool:
    """The query asks how fast something grew ('GDP增速'), not how much there was."""
    return bool(RATE_WORDS.search(query))


def _reading(figure: Figure, rate: bool) -> tuple[float, str, str] | None:
    """(value, text, unit) of a record read as the query asks: its change ('增长5.2%') for a rate
    query, else its amount; None when the record holds no such reading."""
    if rate:
        # a fall keeps its word and its sign: '比上年下降0.7%' is -0.7, never a rise of 0.7%
        if figure.quantity.unit in RATE_UNITS:
            falling = _FALLING.search(figure.measure)
            value = float(_scaled(figure.quantity))
            return ((-value, falling.group(0) + figure.value, figure.quantity.unit) if falling
                    else (value, figure.value, figure.quantity.unit))
        change = quantities(figure.change) if figure.change else []
        if change and change[0].unit in RATE_UNITS:
            sign = -1 if _FALLING.search(figure.change[:change[0].start]) else 1
            return sign * float(change[0].value), figure.change, change[0].unit
        return None
    if figure.quantity.unit in RATE_UNITS or not figure.quantity.unit:
        return None
    q = figure.quantity
    # base units: '5.31亿吨' and '49746万吨' are one series, and so are '4564亿公斤' and '9680亿斤'
    base, factor = _WEIGHT.get(q.kind, (q.kind, 1.0))
    return float(q.value) * factor, figure.value, base


def _scaled(q) -> float:
    return q.value / MAGNITUDES.get(q.magnitude, 1)


def build_series(table: FigureTable, measure: str, years: list[int], *, kinds: tuple[str, ...] = ("result", "target"),
                 region: str | None = None) -> Series:
    """The series of ``measure`` over ``years``: for each year and kind the best matching record of
    that year and kind (same region when given), or none. Among close matches the record nearest
    the series' median wins, so a five-year total beside a year's figure is not taken for it."""
    measure = re.sub(r"(.{2,}?)\1", r"\1", zh.expand_acronyms(measure))  # ('广义货币M2': 广义货币 once)
    rate = _as_rate(measure)
    # the reports' own words for an everyday name ('经济增长' is 国内生产总值增长)
    # (another word only: '失业率' → '调查失业率' narrows the measure, 登记失业率 is another one)
    queries = [measure] + [measure.replace(word, alias) for word, aliases in zh.REPORT_TERMS.items()
                           if len(word) >= 2 and word in measure for alias in aliases if word not in alias]
    # and the runs of nouns in it, when the asker framed the measure ('加入世贸组织后十年外贸进出口总额')
    queries += [run for run in noun_runs(measure) if len(run) >= 4 and run != measure]
    wanted = set(years)
    # The years around the span too: they set the typical size of the figure (the median), against
    # which a five-year total or another scope's figure beside a year's own stands out.
    window = set(range(min(years) - REFERENCE_YEARS, max(years) + REFERENCE_YEARS + 1))
    candidates: dict[tuple[int, str], list[tuple[float, tuple[float, str, str], Figure]]] = {}
    for f in table.figures:
        if f.period not in window or f.kind not in kinds or (region and f.place != region):
            continue
        over_years = _MULTI_YEAR.search(f.clause)
        # (the end of a change over years is that year's figure: '外汇储备由194亿美元增加到1399亿美元'
        # gives 1997's, the year its record is of)
        span_end = over_years and re.match(r"[从由]", over_years.group(0)) and not rate \
            and f.clause.find(f.value) >= over_years.end() - 1
        if _MULTI_YEAR.search(f.measure) or over_years and not span_end and \
                (rate or over_years.start() < f.clause.find(f.value)):
            # a five-year average or total; an amount before '年均增长…' is still the year's own
            # ('国内生产总值达到39.8万亿元，年均增长11.2%': 2010's GDP, its growth over five years)
            continue
        named = re.search(r"((?:19|20)\d{2})年", f.measure)
        if named and int(named.group(1)) != f.period:
            continue  # '2015年国内生产总值将达到…' in the 2011 report is about 2015
        # (the measure without its growth word, '国内生产总值' of 国内生产总值增长; or with it, when the growth
        # is the measure's name: '经济增长' is '经济增长速度', not 经济)
        score = max(max(similarity(GROWTH_WORDS.sub("", q) or q, f.measure), similarity(q, f.measure)) for q in queries)
        reading = _reading(f, rate)
        if score >= MIN_MATCH and reading is not None:
            candidates.setdefault((f.period, f.kind), []).append((score, reading, f))
    units: dict[str, int] = {}
    for (year, _k), found in candidates.items():
        if year in wanted:
            for _s, (_v, _t, unit), _f in found:
                units[unit] = units.get(unit, 0) + 1
    unit = max(units, key=units.get) if units else ""
    # amounts are shown in the magnitude the reports use most ('万吨'), percentages as they are
    magnitudes: dict[str, int] = {}
    for (year, _k), found in candidates.items():
        for _s, (_v, _t, u), f in found:
            if year in wanted and f.quantity.kind == unit and not rate:  # in the unit itself ('万吨', not '亿公斤')
                magnitudes[f.quantity.magnitude] = magnitudes.get(f.quantity.magnitude, 0) + 1
    magnitude = max(magnitudes, key=magnitudes.get) if magnitudes else ""
    scale = float(MAGNITUDES.get(magnitude, 1))
    # each year's best-matching value, and the typical size of a year's figure around it: the
    # median of the other years within NEIGHBOUR_YEARS, or of the nearest ones (a figure that grows
    # eightfold over a decade, as foreign reserves did in 1994-2003, is no outlier of its neighbours)
    best = {key: max((c for c in found if c[1][2] == unit), key=lambda t: t[0], default=(0, (0.0,)))[1][0]
            for key, found in candidates.items()}

    def typical(year: int, kind: str) -> float:
        others = {y: v for (y, k), v in best.items() if k == kind and y != year}
        if not others:
            return 0.0
        reach = max(NEIGHBOUR_YEARS, min(abs(y - year) for y in others))  # the nearest years when none is near
        values = sorted(v for y, v in others.items() if abs(y - year) <= reach)
        return values[len(values) // 2]
    series = Series(measure, magnitude + unit, sorted(wanted))
    for (year, kind), found in sorted(candidates.items()):
        found = [c for c in found if c[1][2] == unit]
        if year not in wanted or not found:
            continue
        top = max(score for score, _r, _f in found)
        close = [c for c in found if c[0] >= top - 0.05]
        median = typical(year, kind)

        def distance(item) -> tuple[float, int]:
            value = item[1][0]
            spread = abs(math.log(value / median)) if value > 0 and median > 0 else abs(value - median)
            return spread, item[2].start

        _score, (value, text, _u), figure = min(close, key=distance)
        if not rate and median > 0 and value > 0 and abs(math.log(value / median)) > math.log(OUTLIER_RATIO):
            series.notes.append(f"关于{year}年的数字（{text}）与其他年份相差{OUTLIER_RATIO}倍以上，可能是多年合计或口径不同，未列入。")
            continue
        series.points.append(Point(year, kind, value / scale, text, figure))
    if _definitions_differ(measure, [p.figure.measure for p in series.points]):
        names = sorted({normalise_measure(p.figure.measure) for p in series.points})
        series.notes.append("各年报告的指标口径不同（" + "、".join(names) + "），按各年原文列出，未合并换算。")
    return series


def _definitions_differ(query: str, measures: list[str]) -> bool:
    """Two years qualify the measure with different words before it ('城镇登记失业率' and
    '城镇调查失业率' for '失业率'): a change of definition, said rather than merged. Words after
    it ('人数', '不低于') and time words ('末', '全年') are wording, not definition."""
    core = GROWTH_WORDS.sub("", normalise_measure(zh.expand_acronyms(query))) or normalise_measure(query)
    tail = core[-2:]
    noise = set(core) | set("全国年末平均今去当但")
    qualifiers = set()
    for m in measures:
        m = normalise_measure(m)
        at = m.find(tail)
        qualifiers.add("".join(ch for ch in (m[:at] if at >= 0 else "") if ch not in noise))
    return len({q for q in qualifiers if len(q) >= 2}) > 1 or (
        any(len(q) >= 2 for q in qualifiers) and any(len(q) < 2 for q in qualifiers))


def series_table(series: Series, cite) -> str:
    """A Markdown table, one row per year: result and target side by side, each cell the quoted
    figure with its citation ``cite(point) -> n``; '报告未给出' where a report gives none."""
    kinds = [k for k in ("result", "target") if any(p.kind == k for p in series.points)] or ["result"]
    names = {"result": "实际", "target": "目标"}
    lines = ["| 年份 | " + " | ".join(names[k] for k in kinds) + " |", "|---|" + "---|" * len(kinds)]
    for year in series.years:
        cells = []
        for kind in kinds:
            point = series.point(year, kind)
            cells.append(f"{point.text}[{cite(point)}]" if point else "报告未给出")
        lines.append(f"| {year} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot_series(series: Series, path=None):
    """A line chart of the series (matplotlib, CJK font): results solid, targets dashed. Saved to
    ``path`` when given; returns the figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    cjk = [f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name or "Noto Sans SC" in f.name]
    if cjk:
        plt.rcParams["font.family"] = [cjk[0], "sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False
    figure, axes = plt.subplots(figsize=(7, 3.6), dpi=110)
    for kind, style, label in (("result", "-o", "实际"), ("target", "--s", "目标")):
        by_year = {p.year: p.value for p in series.points if p.kind == kind}
        if by_year:  # a year without a figure breaks the line: nothing is drawn across it
            axes.plot(series.years, [by_year.get(y, float("nan")) for y in series.years], style, label=label)
    axes.set_title(f"{series.measure}（{series.unit}）" if series.unit else series.measure)
    axes.set_xticks(series.years)
    axes.tick_params(axis="x", rotation=45 if len(series.years) > 8 else 0)
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    if path is not None:
        figure.savefig(path)
    return figure


def series_from_dict(data: dict) -> Series:
    """A ``Series`` back from ``Series.to_dict`` (what an answer carries), for plotting."""
    from .figures import Figure

    series = Series(data["measure"], data["unit"], data["years"], notes=list(data.get("notes", [])))
    for p in data["points"]:
        figure = Figure(p["measure"], p["text"], None, "", p["year"], p["kind"], "", p["doc_id"], p["title"], "", "",
                        p["start"], p["end"], p["quote"])
        series.points.append(Point(p["year"], p["kind"], p["value"], p["text"], figure))
    return series


def measures_by_years(table: FigureTable, limit: int = 300) -> list[str]:
    """The measures of a knowledge base's records, grouped by their normalised name: those of most
    years first, then those of one year (one report loaded still offers its measures: an empty
    list left a new user guessing, issue #20), most figures first among equals."""
    years: dict[str, set[int]] = {}
    counts: dict[str, int] = {}
    for f in table.figures:
        if f.period and not _MULTI_YEAR.search(f.measure) and 2 <= len(f.measure) <= 16 \
                and not re.match(r"比|其中|拟|同比|较|\d", f.measure) \
                and f.measure.count("“") == f.measure.count("”"):  # a change, a part, a threshold, a cut name
            name = normalise_measure(f.measure)
            years.setdefault(name, set()).add(f.period)
            counts[name] = counts.get(name, 0) + 1
    ranked = sorted(years, key=lambda m: (-len(years[m]), -counts[m], m))
    return ranked[:limit]
