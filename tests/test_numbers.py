"""Quantities with units, and arithmetic on them (rag.numbers), against values worked out by hand."""
from decimal import Decimal

import pytest

from rag.numbers import Incompatible, compare, difference, earlier, format_value, in_asked_magnitude, quantities, ratio, total


def one(text):
    found = quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, value, unit, approximate", [
    ("新增城市绿地8.4万平方米", Decimal("84000"), "平方米", False),
    ("盘活国有资产40.7亿元", Decimal("4070000000"), "元", False),
    ("国内生产总值134.9万亿元", Decimal("134900000000000"), "元", False),
    ("停车位6700余个", Decimal("6700"), "个", True),
    ("引进医学博士、硕士30余名", Decimal("30"), "名", True),
    ("增长19.3%", Decimal("19.3"), "%", False),
    ("全年进出口总额２３６７亿美元", Decimal("236700000000"), "美元", False),  # full-width digits
    ("粮食产量33,212万吨", Decimal("332120000"), "吨", False),
])
def test_quantities_are_read_with_their_units(text, value, unit, approximate):
    q = one(text)
    assert (q.value, q.unit, q.approximate) == (value, unit, approximate)
    assert q.text in text


def test_years_are_not_amounts():
    assert [q.text for q in quantities("2023年新增就业1.7万人，较2022年增长")] == ["1.7万人"]


def test_sums_convert_magnitudes_and_keep_the_inputs_unit():
    assert total(quantities("生产粮食23.4万吨、蔬菜28.5万吨")) == "51.9万吨"
    assert total(quantities("资金5亿元，帮扶资金9200万元")) == "5.92亿元"


def test_numbers_of_different_units_or_rates_are_not_added():
    with pytest.raises(Incompatible):
        total(quantities("新建公路120公里，改造桥梁15座"))
    with pytest.raises(Incompatible):
        total(quantities("增长5.2%，上涨0.2%"))


def test_differences_ratios_and_comparisons():
    a, b = quantities("科技型企业184家、高新技术企业27家")
    assert difference(a, b) == "157家"
    assert ratio(a, b) == "约6.8倍"  # 6.8148…: rounded, and said to be
    assert compare(a, b) == 1 and compare(b, a) == -1
    beds, places = quantities("托位1810个，养老床位394张")
    assert ratio(beds, places) == "约4.6倍"  # counts of things may be divided…
    with pytest.raises(Incompatible):
        difference(beds, places)  # …but not subtracted as if they were the same thing
    x, y = quantities("中职98%、高职90%")
    assert difference(x, y) == "8个百分点"


def test_formatting():
    assert format_value(Decimal("519000"), "吨", "万") == "51.9万吨"
    assert format_value(Decimal("3"), "倍", places=1) == "3倍"


def test_the_value_before_a_change():
    households, growth = quantities("新登记市场主体9905户,增长19.3%")
    assert earlier(households, growth) == "约8303户"  # 9905 / 1.193, as precise as '9905户'
    size, increase = quantities("规模近9.8万亿元，增加约1.5万亿元")
    assert earlier(size, increase) == "8.3万亿元"
    assert earlier(*quantities("减少到120个，减少30个"), falling=True) == "150个"
    with pytest.raises(Incompatible):
        earlier(*quantities("9243亿元，增加5038人"))


def test_numbers_written_as_older_reports_write_them():
    """Reports before about 2000 write numbers in Chinese numerals, full-width or spaced digits."""
    assert [(q.text, q.value, q.unit) for q in quantities("比上年增长百分之十一点八，粮食总产量４４４５亿公斤")] == [
        ("百分之十一点八", Decimal("11.8"), "%"), ("４４４５亿公斤", Decimal("444500000000"), "公斤")]
    assert [(q.value, q.unit) for q in quantities("城镇个体劳动者从十五万人增加到一百四十七万人")] == [
        (Decimal(150000), "人"), (Decimal(1470000), "人")]
    assert [(q.text, q.value) for q in quantities("国务院组成部门从4 0 个减少到2 9 个")] == [
        ("4 0 个", Decimal(40)), ("2 9 个", Decimal(29))]
    # numerals that are no amounts: an ordinal, a list marker, a plan's name, a one-character count
    assert quantities("一是建成三个公园，第十二个五年计划，十四五规划") == []
    assert [q.value for q in quantities("2019 2020年")] == []  # years stay apart, and a bare year is no amount


def test_a_span_s_figure_is_no_one_year_s():
    """'五年总体赤字率控制在3%以内，政府负债率控制在50%左右': both five-year figures (the span holds
    to the sentence's end unless a year is named after it); a span asked takes them (issue #16)."""
    from rag.numbers import one_years_figure, quantities

    text = "合理把握赤字规模，五年总体赤字率控制在3%以内，政府负债率控制在50%左右"
    assert not any(one_years_figure("2022年赤字率最后控制在了多少", text, q) for q in quantities(text))
    assert all(one_years_figure("五年总体赤字率是多少", text, q) for q in quantities(text))
    later = "过去五年，国内生产总值增长到121万亿元，去年增长3%"
    assert [one_years_figure("2022年经济增长多少", later, q) for q in quantities(later)] == [False, True]


def test_a_computed_value_is_restated_in_the_magnitude_asked():
    """'多了多少亿元' wants 3800亿元, not 0.38万亿元; without a magnitude asked the value stays."""
    assert in_asked_magnitude("0.38万亿元", "赤字比上年多了多少亿元？") == "3800亿元"
    assert in_asked_magnitude("5000亿元", "专项债多安排了多少万亿元") == "0.5万亿元"
    assert in_asked_magnitude("约1.7万公里", "增加了多少万公里") == "约1.7万公里"
    assert in_asked_magnitude("约2.65万人", "加起来大概有多少人") == "约2.65万人"  # no magnitude asked
    assert in_asked_magnitude("1.2万亩", "一共多少") == "1.2万亩"


def test_an_approximate_part_inside_a_chinese_numeral_and_another_measure_of_a_stem():
    """'四亿零七百多万吨' is about 4.07亿吨 (a 1985 report); '总产值' tells no 总产量 (value is no quantity)."""
    from rag import answerability as checks

    grain = quantities("粮食产量达到四亿零七百多万吨，比上年增长５．１％")[0]
    assert grain.value == 407_000_000 and grain.unit == "吨" and grain.approximate
    assert not checks.term_present("总产量", "工业总产值一九七七年比一九七六年增长百分之十四点三")
    assert checks.term_present("产量", "粮食产量达到3亿吨")
