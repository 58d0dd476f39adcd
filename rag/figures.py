"""Figures as data: every number of a report as a record (issue #16).

A record says what is counted (the measure phrase that names it, '新增城市绿地'), the value as
written and parsed ('8.4万平方米'), the change that goes with it ('增长19.3%'), the year it is
about, whether it is a result or a target, whose figure it is (the report's region unless the
clause names another place), the section, and the exact offsets of its clause in the document,
so that an answer quoting it is cited to that clause.

Records are derived from a snapshot's chunks (``FigureTable.from_chunks``), so they are
versioned with the snapshot by construction: a new snapshot has its own table, built on first use.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, replace

from . import zh
from .chunking import Chunk, split_sentences
from .evidence import clause_bounds
from .normalize import fold
from .numbers import NOT_AMOUNTS, Quantity, quantities

# Words between a measure and its number that are not part of the measure ('达到', '为').
_LINK = re.compile(r"(?:分别|均|累计|共|总计|合计|全部|已|达到|达|为|是|至|到|突破|超过|保持在|稳定在|提升至|提高到|平均|(?<![下上回提])降|(?<![上提回])升|"
                   r"增加到|下降到|降至|控制在|以上|以内|左右|约|近|超)+$")
# A change that follows a figure: '增长19.3%', '比上年增长5.2%', '下降0.3个百分点'.
_CHANGE = re.compile(r"^[，,、]?(?:比上年|同比|年均)?(增长|增加|提高|提升|上涨|下降|减少|降低|回落)"
                     r"(\d+(?:\.\d+)?(?:%|％|个百分点|倍)|百分之[零〇○一二两三四五六七八九十百点]+)")
# '从十五万人增加到一百四十七万人', '由1978年的36.5%调整到…': the figure is the one after 到; the one
# after 从/由 is of an earlier, often unnamed, year and is no figure of the report's period.
_FROM = re.compile(r"(?:从|由)[^从由]*$")
_TO = re.compile(r"(?:增加|提高|增长|上升|扩大|下降|减少|降低|缩小|调整|回落|降|升)?(?:到|至)")
_REGION = re.compile(r"(.{2,12}?(?:特别行政区|自治区|自治州|自治县|省|市|区|县|州|盟|旗|镇|乡))(?=(?:19|20)\d{2}年|政府|人民政府|二|〇)")


@dataclass(frozen=True)
class Figure:
    measure: str  # what is counted, as the report names it: '新增城市绿地'
    value: str  # as written: '8.4万平方米'
    quantity: Quantity
    change: str  # the change given with it ('增长19.3%'), or ''
    period: int | None  # the year the figure is about
    kind: str  # 'result' (a year's outcome) or 'target' (a plan or target of the report's year)
    place: str  # whose figure: the report's region, or the place the clause names
    doc_id: str
    title: str
    section: str
    chunk_id: str
    start: int  # offsets of the clause in the document's normalised text
    end: int
    clause: str  # the clause, as written (for a table cell: its row)
    column: str = ""  # a table cell's column header ('村集体经济收入（万元）'); '' for a figure of the text
    row: str = ""  # a table cell's row label ('柳湾村')

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("quantity")
        data.update(number=str(self.quantity.value), unit=self.quantity.unit)
        return data


def region_of(title: str) -> str:
    """The region a report is of, from its title: '重庆市黔江区2024年政府工作报告' -> '黔江区';
    a national report -> '全国'; '' when the title names none."""
    if zh.is_national(title) or re.match(r"^(?:(?:19|20)\d{2}年)?政府工作报告", title):
        return "全国"
    match = _REGION.search(title)
    if not match:
        return ""
    name = match.group(1)
    # '重庆市黔江区' -> '黔江区': the innermost division is the report's own.
    inner = re.findall(r".{2,}?(?:特别行政区|自治区|自治州|自治县|省|市|区|县|州|盟|旗|镇|乡)", name)
    return inner[-1] if inner else name


def _unspaced(measure: str) -> str:
    """'1 9 9 7 年粮食产量' -> '1997年粮食产量': digits typeset one by one (a 1998 report), so the year
    a measure names is read."""
    return re.sub(r"(?<=\d) (?=[\d年])", "", measure) if " " in measure else measure


def _place_first(measure: str) -> str:
    """'酉阳县新增城市绿地' -> '酉阳县': a clause that starts by naming a place is that place's figure."""
    return next((p for p in zh.places_named(measure[:10]) if measure.startswith(p)
                 and p.endswith(("省", "市", "县", "自治区", "自治州", "特别行政区"))), "")


def _measure_before(text: str, start: int, floor: int) -> str:
    """The phrase before a number that names it: back to the previous number or clause start."""
    return _LINK.sub("", zh.strip_footnotes(text[floor:start]).strip(" 、,，“”\"")).strip(" 、,，“”\"")


def _measures(clause: str, amounts: list[Quantity]) -> list[str]:
    """The measure of each amount. '基本养老保险参保率、基本医疗保险参保率分别稳定在97%、95%以上':
    the names listed before 分别 go with the numbers after it, in order."""
    respectively = clause.find("分别")
    if respectively > 0:
        names = [n.strip(" “”") for n in re.split(r"[、和及与]", zh.strip_footnotes(clause[:respectively])) if n.strip()]
        after = [q for q in amounts if q.start > respectively]
        if len(names) == len(after) >= 2:
            before = [_measure_before(clause, q.start, 0) for q in amounts if q.start < respectively]
            return before + names
    measures, floor, previous = [], 0, None
    for q in amounts:
        measure = _measure_before(clause, q.start, floor)
        if previous is not None and _TO.fullmatch(clause[floor:q.start].strip()) and _FROM.search(measures[-1]):
            measure = _FROM.sub("", measures[-1])  # '从十五万人增加到一百四十七万人': the measure's new value
            measures[-1] = ""  # the value it came from: no measure, no figure
        elif previous is not None and re.fullmatch(r"(以上|以下|以内|及以上)?的?", measure):
            measure = previous.text + measure  # '50万元以上的达到33个': those above 50万元
        elif _VERB_ONLY.fullmatch(measure) and q is amounts[-1]:
            # '继续发行1500亿元长期建设国债': a verb before the number, the thing after it
            thing = _THING_AFTER.match(zh.strip_footnotes(clause[q.end:]))
            measure = re.sub("^" + _VERB_LEAD, "", measure) + thing.group(1) if thing else measure
        measures.append(measure)
        floor, previous = q.end, q
    return measures


# A measure said by its verb alone, and the thing that follows the number ('拟发行１５００亿元长期建设国债').
# (an enumeration's or a year's lead before it, '一是', '今年', is no part of the measure)
_VERB_LEAD = r"(?:[一二三四五六七八九十]是|首先|其次)?(?:今年|明年|全年|去年)?"
_VERB_ONLY = re.compile(_VERB_LEAD + r"(?:也要|也|再|继续|拟|计划|要|将|共)*"
                        r"(?:发行|增发|安排|下达|投入|筹集|发放|减少|转移|新建|建成|改造|培训|完成)")
_THING_AFTER = re.compile(r"(?:以上|左右|多)?([\u4e00-\u9fff]{2,12})$")


def measures_of(text: str) -> list[tuple[str, Quantity]]:
    """(measure, amount) of each figure of a quote, clause by clause, with a change after its
    figure and a rank ('居14个重点区(县)第三') left out."""
    pairs = []
    for a, b in clause_bounds(text):
        pairs.extend(_clause_measures(text[a:b]))
    return pairs


def amounts_of(clause: str) -> list[Quantity]:
    """The clause's amounts: numbers with a unit, and a bare count in 万 or 亿 of the people the clause
    names beside it, which takes 人 ('农村贫困人口减少1240万', '完成1000万以上农村贫困人口脱贫任务': the
    reports drop the 人 a word for people already says)."""
    found = []
    for q in quantities(clause):
        if q.unit not in NOT_AMOUNTS:
            found.append(q)
        elif q.unit == "" and q.magnitude in ("万", "亿") and (_PEOPLE_BEFORE.search(clause[:q.start])
                                                              or _PEOPLE_AFTER.match(clause[q.end:])):
            found.append(replace(q, unit="人"))
    return found


_PEOPLE = r"(?:人口|人数|人员|职工|劳动力|农民工|贫困户)"
_PEOPLE_BEFORE = re.compile(_PEOPLE + r"[^，,。；;\d]{0,6}$")
_PEOPLE_AFTER = re.compile(r"(?:以上|左右|多)?[^，,。；;\d]{0,4}?" + _PEOPLE)


def _clause_measures(clause: str) -> list[tuple[str, Quantity]]:
    amounts = amounts_of(clause)
    pairs: list[tuple[str, Quantity]] = []
    for q, measure in zip(amounts, _measures(clause, amounts)):
        if re.fullmatch(r"位?居|排名?|排在|列", measure):
            continue
        if _CHANGE.match(measure + q.text) and pairs:
            continue  # '增长19.3%' belongs to the figure before; its row's quote holds it
        if re.search(r"[\u4e00-\u9fff]", measure):
            pairs.append((measure, q))
    return pairs


_UNIT_IN_HEADER = re.compile(r"[（(]([^（）()]{1,6})[)）]\s*$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def cell_figures(row_line: str, header: str, start: int, base: dict) -> list[Figure]:
    """The records of one table row: a cell is a figure of (row label × column header), its unit
    taken from the column header ('村集体经济收入（万元）') or the table's caption ('…增速（%）')."""
    lines = header.split("\n")
    caption = lines[0][len("表："):] if lines[0].startswith("表：") else ""
    head = _cells(lines[-1]) if lines[-1].startswith("|") else []
    if any(re.search(r"\d", c) for c in head[1:]):
        head = []  # the first row holds figures: the table has no header row
    cells = _cells(row_line)
    if not cells or (head and row_line.strip() == lines[-1].strip()):
        return []  # the header row itself
    label = cells[0]
    found = []
    for j, cell in enumerate(cells[1:], 1):
        column = head[j] if j < len(head) else ""
        unit_match = _UNIT_IN_HEADER.search(column) or _UNIT_IN_HEADER.search(caption)
        name = _UNIT_IN_HEADER.sub("", column).strip()
        if re.fullmatch(r"[\d.,\-+]+", cell) and unit_match:
            amounts = quantities(cell + unit_match.group(1))
            pairs = [(f"{label}{name}", amounts[0])] if amounts else []
        elif re.fullmatch(r"[\d.,\-+]+", cell):
            pairs = [(f"{label}{name}", q) for q in quantities(cell)]
        else:  # a cell of words: its own figures, named with the row's label ('完成投资3.2亿元')
            pairs = [(f"{label}{m}", q) for m, q in measures_of(cell)]
        for measure, q in pairs:
            found.append(Figure(fold(measure), q.text if q.unit or not unit_match else cell + unit_match.group(1), q, "",
                                **base, start=start, end=start + len(row_line), clause=row_line, column=column, row=label))
    return found


# A sentence of the plan part that looks back at the year before, and the paragraph's sentences
# after it until one looks ahead again: '过去一年，我们的各项工作取得了很大成绩。国内生产总值增长10.3%，
# 居民消费价格涨幅控制在 3.3%' (2011 report, under 三、2011年的工作) are results of the year before.
_LOOKING_BACK = re.compile(r"\s*(?:刚刚)?(?:过去的?一年|去年|上一年)(?!以来)")
_LOOKING_AHEAD = re.compile(r"\s*(?:今年|明年|今后|(?:19|20)\d{2}年(?!以来))")
# A sentence that sets a target: plan words, or a figure set 左右 / 以上 / 以内 by 把…, 要…, 力争….
_TARGET_MARK = re.compile(zh.PLAN_WORDS.pattern + r"|左右|力争|确保|^把|^要")
# A target recalled in a review, its number the target's: '没有实现年初确定的…能耗降低4%左右', '原定…'.
_RECALLED_TARGET = re.compile(r"(?:年初|原定|预定|原计划|确定的|提出的|预期的?|计划|预计|力争)[^，,。；;]{0,16}$")
# ... unless it is the share of the plan fulfilled, a result ('只完成年度计划的百分之九十八点七').
_SHARE_OF_PLAN = re.compile(r"完成[^，,。；;]{0,8}?(?:计划|预算|任务)的?$")
# A sentence of a review about the report's own year as planned: '今年国民生产总值计划增长百分之八'.
_THIS_YEAR_PLANNED = re.compile(r"\s*今年[^。；;]{0,20}?(?:计划|预计|预期|目标|力争|要)")
# A paragraph opened by a span ('五年来，生态环境状况逐步好转。…能耗、水耗均下降20%以上'): its figures
# are the span's, of no one year, until a sentence names a year.
SPAN_LEAD = re.compile(r"\s*(?:过去|这|近)?(?:[两三四五六七八九十]|\d{1,2})年(?:来|间|中|里)|\s*(?:过去|这|近)(?:[两三四五六七八九十]|\d{1,2})年")


# Words before a figure in its sentence that make it a span's: a sum (合计, 累计), a span of years
# ('五年间', '四年中', '前三年'), a five-year plan's period ('“十一五”期间').
_SPAN_FIGURE = re.compile(r"(?:合计|共计|累计|总计)[^，,。；]{0,4}$|前(?:[两二三四五六七八九十]|\d{1,2})年|"
                          r"(?:[两二三四五六七八九十]|\d{1,2})年(?:来|间|中|里|累计|合计|共计?)|五[”\"]?(?:期间|时期)")


# A level reached, as a span's review states it at the span's end: a stock's measure ('总里程', '外汇
# 储备', '余额') and the verb of reaching just before its number.
_LEVEL_REACHED = re.compile(r"(?:总里程|里程|储备|余额|保有量|总量|总规模|总人口)(?:达到?|突破|超过|增加到|增长到|提高到|扩大到)$")


def figures_of_chunk(chunk: Chunk, region: str, text: str = "") -> list[Figure]:
    """The records of one chunk's figures, in order; ``text`` (the document's) gives the header
    of a table whose rows the chunk holds."""
    from .chunking import table_header

    found: list[Figure] = []
    is_target = chunk.year is not None and chunk.period == chunk.year
    base = dict(period=chunk.period, kind="target" if is_target else "result", place=region, doc_id=chunk.doc_id,
                title=chunk.title, section=chunk.section, chunk_id=chunk.chunk_id)
    review = dict(base, period=chunk.period - 1, kind="result") if is_target else base
    offset = 0
    for line in chunk.text.split("\n"):
        line_start, offset = chunk.start + offset, offset + len(line) + 1
        looking_back = False  # the plan part's look at the year before ('过去一年，…国内生产总值增长10.3%')
        over_span = False
        if line.startswith("|"):
            header = table_header(text, line_start) if text else ""
            found.extend(cell_figures(line, header, line_start, base))
            continue
        if line.startswith("表："):
            continue
        for s_start, s_end in split_sentences(line):
            sentence = line[s_start:s_end]
            if _LOOKING_BACK.match(sentence):
                looking_back, over_span = True, False
            elif _LOOKING_AHEAD.match(sentence) or _TARGET_MARK.search(sentence):
                # a target ends the look back ('去年价格上涨的翘尾影响约有1个百分点。把居民消费价格涨幅
                # 控制在3.5%左右，是…作出的选择')
                looking_back = over_span = False
            if SPAN_LEAD.match(sentence):
                over_span = True
            base_here = dict(review if looking_back else base, period=None) if over_span else \
                review if looking_back else base
            for a, b in clause_bounds(sentence):
                clause = sentence[a:b]
                amounts = amounts_of(clause)
                for q, measure in zip(amounts, _measures(clause, amounts)):
                    if not re.search(r"[\u4e00-\u9fff]", measure) or re.fullmatch(r"位?居|排名?|排在|列", measure):
                        continue  # no measure, or a rank ('居14个重点区(县)第三')
                    start = line_start + s_start + a
                    if _CHANGE.match(measure + q.text) and found and found[-1].start >= line_start + s_start:
                        # '增长19.3%' after '新登记市场主体9905户' in one sentence: the change of the figure
                        # before, whose clause then runs to the change so that a quote of it holds both
                        prev, end = found[-1], start + len(clause)
                        found[-1] = Figure(**{**prev.__dict__, "change": measure + q.text, "end": end,
                                              "clause": line[prev.start - line_start:end - line_start]})
                        continue
                    place = _place_first(measure) or region
                    # a span's figure, of no one year: '从1932年到1936年五年间…粮食产量合计只一万三千亿斤',
                    # '四年中…工业产值增长百分之四十九', '“十一五”期间…下降19.1%', '由前三年分别上升4.9%'
                    # (a span scopes its own clause, and the clauses after one it opens: not '由前三年分别
                    # 上升4.9%…，转为下降1.2%')
                    spanned = _SPAN_FIGURE.search(clause[:q.start]) or any(
                        _SPAN_FIGURE.match(piece.strip()) for piece in re.split(r"[，,；;：:]", sentence[:a]))
                    here = dict(base_here, period=None) if spanned else base_here
                    if here["kind"] == "result" and _RECALLED_TARGET.search(clause[:q.start]) \
                            and not _SHARE_OF_PLAN.search(clause[:q.start]):
                        continue  # a review recalling its year's target ('没有实现年初确定的…降低4%左右'): no result
                    if here["kind"] == "result" and chunk.year and _THIS_YEAR_PLANNED.match(sentence):
                        # the report's own year planned inside its review ('今年国民生产总值计划增长百分之八')
                        here = dict(base, period=chunk.year, kind="target")
                    if over_span and not spanned and _LEVEL_REACHED.search(clause[:q.start]):
                        # a level reached at the span's end is of its last year ('过去五年…高速公路总里程
                        # 达9.56万公里' in the 2013 report is 2012's), a sum or an average never
                        here = review if looking_back else base
                    found.append(Figure(_unspaced(fold(measure)), q.text, q, "", **{**here, "place": place},
                                        start=start, end=start + len(clause), clause=clause))
    return found


class FigureTable:
    """All records of a snapshot, deduplicated across overlapping chunks."""

    def __init__(self, figures: list[Figure]):
        self.figures = figures
        self._by_chunk: dict[str, list[Figure]] = {}
        self._by_doc: dict[str, list[Figure]] = {}
        for f in figures:
            self._by_chunk.setdefault(f.chunk_id, []).append(f)
            self._by_doc.setdefault(f.doc_id, []).append(f)
        for found in self._by_doc.values():
            found.sort(key=lambda f: f.start)
        self._starts = {doc_id: [f.start for f in found] for doc_id, found in self._by_doc.items()}

    @classmethod
    def from_chunks(cls, chunks: list[Chunk], text_of=None) -> "FigureTable":
        """Records of ``chunks`` (in document order); ``text_of(doc_id)`` gives a document's text,
        where a table's header is read for the chunks of its rows."""
        seen: set[tuple[str, int, str]] = set()
        figures = []
        regions: dict[str, str] = {}
        texts: dict[str, str] = {}
        for chunk in chunks:
            region = regions.setdefault(chunk.doc_id, region_of(chunk.title))
            text = texts.setdefault(chunk.doc_id, text_of(chunk.doc_id) if text_of else "")
            for f in figures_of_chunk(chunk, region, text):
                key = (f.doc_id, f.start, f.value)
                if key not in seen:
                    seen.add(key)
                    figures.append(f)
        return cls(figures)

    def __len__(self) -> int:
        return len(self.figures)

    def of_chunk(self, chunk_id: str) -> list[Figure]:
        """Records first found in a chunk (a figure in the overlap of two chunks is listed once)."""
        return self._by_chunk.get(chunk_id, [])

    def in_range(self, doc_id: str, start: int, end: int) -> list[Figure]:
        """Records whose clause lies within [start, end) of a document."""
        found, starts = self._by_doc.get(doc_id, []), self._starts.get(doc_id, [])
        return [f for f in found[bisect.bisect_left(starts, start):bisect.bisect_right(starts, end)] if f.end <= end]

    def regions(self) -> set[str]:
        return {f.place for f in self.figures if f.place}

    def matching(self, text: str, limit: int = 50) -> list[Figure]:
        """Records whose measure shares most characters with ``text`` (for `rag figures QUERY`)."""
        wanted = {text[i:i + 2] for i in range(len(text) - 1)} or {text}
        scored = [(len(wanted & {f.measure[i:i + 2] for i in range(len(f.measure) - 1)}), f) for f in self.figures]
        return [f for s, f in sorted(scored, key=lambda t: -t[0]) if s > 0][:limit]
