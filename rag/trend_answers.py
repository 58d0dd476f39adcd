"""Trend answers and comparisons across years, composed from the figure records (issue #18).

``compose_trend`` answers '2019到2023年每年城镇新增就业分别是多少' with a table, one row per year,
result and target side by side, each cell quoted from and cited to its own report;
``compare_years`` answers '2017年城镇新增就业比2016年多了多少' from the two years' records.
With several regions loaded a series never mixes them: one table per region, or the region named.
"""
from __future__ import annotations

import re

from . import zh
from .citing import Answer, Composer
from .computing import COMPUTED_MARK
from .figures import Figure, FigureTable
from .questions import QuestionInfo
from .retrieval import Hit
from .trends import Point, Series, build_series, series_table
from .years import year_span

_HIGHEST = re.compile(r"最(高|多|大|快)")
_LOWEST = re.compile(r"最(低|少|小|慢)")


def figure_hit(figure: Figure) -> Hit:
    """A record as a passage to cite: its clause, in the report it came from."""
    year = figure.period + 1 if figure.kind == "result" and figure.period else figure.period
    return Hit(0, 0.0, figure.clause, figure.doc_id, figure.title, figure.section, figure.chunk_id,
               figure.start, figure.end, year, period=figure.period)


def _kinds(info: QuestionInfo) -> tuple[str, ...]:
    if info.wants_plan and not info.wants_result:
        return ("target",)
    if info.wants_result and not info.wants_plan:
        return ("result",)
    return ("result", "target")


def _regions(info: QuestionInfo, table: FigureTable, several: bool) -> list[str | None]:
    """Each region's series apart; only the region a question names when it names one."""
    if not several:
        return [None]
    regions = sorted(table.regions())
    named = [r for r in regions if any(zh.place_stem(p) in r for p in info.places)]
    return named or regions


def compose_trend(composer: Composer, info: QuestionInfo, table: FigureTable, several_regions: bool) -> Answer:
    latest = max((f.period for f in table.figures if f.period), default=None)
    years = year_span(info.text, latest) or sorted(set(info.years))
    measure = info.topic
    if len(years) < 2 or not measure:
        return composer.answer(f"报告中没有找到关于“{measure or info.text}”的多年数据。", answered=False)
    parts, series_data, cited = [], [], {}

    def cite(point: Point) -> int:
        n = composer.cite(figure_hit(point.figure), point.figure.start, point.figure.end, point.figure.clause)
        cited[id(point)] = n
        return n

    for region in _regions(info, table, several_regions):
        series = build_series(table, measure, years, kinds=_kinds(info), region=region)
        if not series.points:
            continue
        who = f"{region}，" if region else ""
        lines = [f"{who}{measure}（{years[0]}—{years[-1]}年，单位：{series.unit}）：" if series.unit
                 else f"{who}{measure}（{years[0]}—{years[-1]}年）：", "", series_table(series, cite)]
        extreme = _extreme(info, series)
        if extreme:
            lines += ["", extreme]
        missing = [y for y in years if not any(p.year == y for p in series.points)]
        if missing:
            lines += ["", "“报告未给出”：所载报告中没有这些年份的相应数字（结果见次年报告，目标见当年报告），未用其他年份填补。"]
        lines += [""] + series.notes if series.notes else []
        parts.append("\n".join(lines).rstrip())
        series_data.append(series.to_dict(cited))
    if not parts:
        return composer.answer(f"报告中没有找到“{measure}”在{years[0]}—{years[-1]}年的数字。", answered=False)
    answer = composer.answer("\n\n".join(parts))
    answer.series = series_data
    return answer


def _extreme(info: QuestionInfo, series: Series) -> str:
    """'哪一年最高': the year of the highest (lowest) result, or target when only targets are asked."""
    high, low = _HIGHEST.search(info.text), _LOWEST.search(info.text)
    if not (high or low):
        return ""
    kind = "result" if any(p.kind == "result" for p in series.points) else "target"
    points = [p for p in series.points if p.kind == kind]
    best = (max if high else min)(points, key=lambda p: p.value)
    label = {"result": "实际", "target": "目标"}[kind]
    word = "最高" if high else "最低"
    return f"其中{label}{word}的是{best.year}年（{best.text}），在报告给出数字的{len(points)}个年份中比较。"


def compare_years(composer: Composer, info: QuestionInfo, table: FigureTable, region: str | None) -> Answer | None:
    """'2017年城镇新增就业比2016年多了多少': the same measure in two years, each from its own
    report, and the difference (or which is larger), marked as computed. None when the records do
    not hold both years, so the caller can answer otherwise."""
    from .numbers import Incompatible, compare, difference

    if len(info.years) != 2 or not info.parts:
        return None
    measure = re.sub(r"(?:19|20)\d{2}年?|比|了|多|少|高|低", "", info.parts[0]) or info.topic
    kinds = _kinds(info)
    kind = kinds[0] if len(kinds) == 1 else "result"
    series = build_series(table, measure, info.years, kinds=(kind,), region=region)
    first, second = (series.point(y, kind) for y in sorted(info.years))
    if first is None or second is None:
        return None
    later, earlier = (second, first)
    pieces = []
    for point in (later, earlier):
        n = composer.cite(figure_hit(point.figure), point.figure.start, point.figure.end, point.figure.clause)
        pieces.append(f"{point.year}年{zh.clean_quote(point.figure.clause)}[{n}]")
    a, b = later.figure.quantity, earlier.figure.quantity
    rate = later.text != later.figure.value  # the change was read ('增长5.2%')
    try:
        if rate:
            from .numbers import quantities

            a, b = quantities(later.text)[0], quantities(earlier.text)[0]
        value = difference(a, b)
        direction = compare(a, b)
    except (Incompatible, IndexError):
        return None
    verb = "多" if direction > 0 else "少" if direction < 0 else "持平"
    composer.computed = {"value": value, "operation": "difference", "from": [c.n for c in composer.citations]}
    result = f"{later.year}年比{earlier.year}年{verb}{value}" if direction else "两年持平"
    return composer.answer("；".join(pieces) + f"。{result}{COMPUTED_MARK}。")
