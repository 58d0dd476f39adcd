"""Issue #18 on reports written here: a series across yearly reports whose wording and magnitudes
differ, and older reports' numerals (real embedder, real FAISS index on disk)."""
from __future__ import annotations

import pytest

from rag import Assistant
from tests.conftest import assistant_for, text_files

REPORTS = {
    "1995年政府工作报告.txt": "1995年政府工作报告\n一、1994年工作回顾\n国内生产总值达到４３８００亿元，比上年增长百分之十一点八。\n"
                          "二、1995年主要任务\n国内生产总值增长百分之八到九。\n",
    "2010年政府工作报告.txt": "2010年政府工作报告\n一、2009年工作回顾\n全年粮食总产量达到53082万吨，实现连续6年增产。"
                          "去年居民消费价格总水平比上年下降0.7%。\n二、2010年主要目标\n居民消费价格涨幅3%左右。\n",
    "2011年政府工作报告.txt": "2011年政府工作报告\n一、2010年工作回顾\n粮食产量5.46亿吨，再创历史新高。"
                          "居民消费价格涨幅控制在3.3%。\n二、2011年主要目标\n居民消费价格总水平涨幅控制在4%左右。\n",
}


@pytest.fixture(scope="module")
def shelf(tmp_path_factory, embedder) -> Assistant:
    folder = tmp_path_factory.mktemp("shelf")
    return assistant_for(folder, embedder, text_files(folder, REPORTS))


def points(answer) -> dict[tuple[int, str], dict]:
    return {(p["year"], p["kind"]): p for s in answer.series for p in s["points"]}


def test_one_measure_in_several_wordings_and_magnitudes_is_one_series(shelf):
    answer = shelf.ask("2009到2010年粮食产量分别是多少？")
    assert answer.kind == "trend" and answer.series[0]["unit"] == "万吨"
    cells = points(answer)
    assert cells[(2009, "result")]["text"] == "53082万吨" and cells[(2009, "result")]["title"].startswith("2010年")
    assert cells[(2010, "result")]["text"] == "5.46亿吨" and cells[(2010, "result")]["value"] == 54600
    assert cells[(2010, "result")]["title"].startswith("2011年")  # each year cited to the report after it


def test_results_and_targets_stay_apart(shelf):
    cells = points(shelf.ask("2009到2011年每年居民消费价格涨幅的目标和实际是多少？"))
    assert cells[(2009, "result")]["text"] == "下降0.7%" and cells[(2009, "result")]["value"] == -0.7  # a fall, not a rise
    assert cells[(2010, "result")]["text"] == "3.3%" and cells[(2010, "target")]["text"] == "3%"
    assert cells[(2011, "target")]["text"] == "4%" and (2011, "result") not in cells  # no 2012 report: not filled


def test_an_older_report_in_chinese_numerals(shelf):
    cells = points(shelf.ask("1993到1994年每年国内生产总值增长多少？"))
    assert cells[(1994, "result")]["text"].endswith("百分之十一点八") and cells[(1994, "result")]["value"] == pytest.approx(11.8)
    assert (1993, "result") not in cells


LOOK_BACK = ("2011年政府工作报告\n一、2010年工作回顾\n粮食产量5.46亿吨。\n三、2011年的工作\n"
             "过去一年，我们的各项工作取得了很大成绩。居民消费价格涨幅控制在3.3%，城镇新增就业1168万人。\n"
             "今年居民消费价格总水平涨幅控制在4%左右，城镇新增就业900万人。\n")


def test_the_plan_part_s_look_back_is_the_year_before(tmp_path, embedder):
    """'过去一年，…涨幅控制在3.3%' under 三、2011年的工作 is 2010's result, not 2011's target."""
    assistant = assistant_for(tmp_path, embedder, text_files(tmp_path, {"2011年政府工作报告.txt": LOOK_BACK}))
    cells = points(assistant.ask("2010到2011年每年居民消费价格涨幅的目标和实际是多少？"))
    assert cells[(2011, "target")]["text"] == "4%" and cells[(2010, "result")]["text"] == "3.3%"


def test_everyday_names_and_plan_words_of_a_series(tmp_path, embedder):
    """'经济增长预期目标和实际增速' is the reports' 国内生产总值增长, and '预算安排', '（到2025年）',
    '政府工作报告中的' say nothing of the measure (issue #18)."""
    reports = {2021: ("国内生产总值增长2.3%。", "国内生产总值增长6%以上，赤字率拟按3.2%左右安排。"),
               2022: ("国内生产总值增长8.1%。", "国内生产总值增长5.5%左右，赤字率拟按2.8%左右安排。")}
    assistant = assistant_for(tmp_path, embedder, text_files(tmp_path, {
        f"{year}年政府工作报告.txt": f"{year}年政府工作报告\n一、{year - 1}年工作回顾\n{done}\n二、{year}年主要目标\n{plan}\n"
        for year, (done, plan) in reports.items()}))
    growth = points(assistant.ask("2021到2022年经济增长预期目标和实际增速分别是多少？"))
    assert growth[(2021, "result")]["value"] == 8.1 and growth[(2021, "target")]["value"] == 6
    assert growth[(2022, "target")]["value"] == 5.5 and (2022, "result") not in growth
    deficit = points(assistant.ask("2021年到2022年，政府工作报告中的财政赤字率预算安排分别是多少？"))
    assert deficit[(2021, "target")]["value"] == 3.2 and deficit[(2022, "target")]["value"] == 2.8


def test_the_measure_itself_before_a_part_of_it(tmp_path, embedder):
    """'财政赤字规模' is the 财政赤字 the plan 拟安排, not the 中央财政赤字 beside it (issue #18)."""
    plans = {2015: "今年拟安排财政赤字1.62万亿元，比去年增加2700亿元，其中中央财政赤字1.12万亿元。",
             2016: "今年拟安排财政赤字2.18万亿元，比去年增加5600亿元，其中中央财政赤字1.4万亿元。"}
    assistant = assistant_for(tmp_path, embedder, text_files(tmp_path, {
        f"{year}年政府工作报告.txt": f"{year}年政府工作报告\n一、{year - 1}年工作回顾\n国内生产总值增长7%。\n二、{year}年主要任务\n{plan}\n"
        for year, plan in plans.items()}))
    cells = points(assistant.ask("2015年至2016年每年财政赤字规模安排是多少？"))
    assert cells[(2015, "target")]["text"] == "1.62万亿元" and cells[(2016, "target")]["text"] == "2.18万亿元"


def test_a_target_ends_the_look_back_and_a_span_s_paragraph_is_no_year_s(tmp_path, embedder):
    """In the plan part, '去年价格上涨的翘尾影响约有1个百分点。把居民消费价格涨幅控制在3.5%左右' is
    2013's target, not 2012's result; in a review, a paragraph opened by '五年来' gives the five
    years' figures (能耗下降20%), none of them the year before's (issue #18)."""
    texts = {
        "2013年政府工作报告.txt": "2013年政府工作报告\n一、2012年工作回顾\n居民消费价格上涨2.6%。\n"
                              "二、2013年主要任务\n物价上涨压力较大，去年价格上涨的翘尾影响约有1个百分点。"
                              "把居民消费价格涨幅控制在3.5%左右，是充分考虑各方面因素后作出的选择。\n",
        "2018年政府工作报告.txt": "2018年政府工作报告\n一、过去五年工作回顾\n五年来，生态环境状况逐步好转。"
                              "单位国内生产总值能耗、水耗均下降20%以上。\n2017年单位国内生产总值能耗下降3.7%。\n"
                              "二、2018年经济社会发展总体要求和政策取向\n单位国内生产总值能耗下降3%以上。\n"}
    assistant = assistant_for(tmp_path, embedder, text_files(tmp_path, texts))
    cells = points(assistant.ask("2012到2013年每年居民消费价格涨幅的目标和实际是多少？"))
    assert cells[(2012, "result")]["text"] == "2.6%" and cells[(2013, "target")]["text"] == "3.5%"
    energy = points(assistant.ask("2016到2017年每年单位国内生产总值能耗下降多少？"))
    assert energy[(2017, "result")]["value"] == -3.7, energy
    assert not any("20%" in p["text"] for p in energy.values()), energy


SPANS = {
    "2007年政府工作报告.txt": "2007年政府工作报告\n一、2006年工作回顾\n单位国内生产总值能耗前三年分别上升4.9%、5.5%、0.2%，"
                          "去年单位国内生产总值能耗下降1.2%。\n二、2007年主要任务\n单位国内生产总值能耗降低4%左右。\n",
    "2008年政府工作报告.txt": "2008年政府工作报告\n一、2007年工作回顾\n单位国内生产总值能耗下降3.66%。\n",
    "2011年政府工作报告.txt": "2011年政府工作报告\n一、2010年工作回顾\n五年累计，单位国内生产总值能耗下降19.1%。\n"
                          "去年单位国内生产总值能耗下降4.01%。\n",
}


def test_a_span_s_figure_is_of_no_year_and_a_series_asked_the_spoken_way(tmp_path, embedder):
    """'五年累计…下降19.1%' and '前三年分别上升4.9%' are figures of spans, never one year's cell;
    '一年年…帮我列一下' and '列个表' over a span ask the series (issue #18)."""
    from rag.questions import analyse

    # (the fall asked in the words stripped, '一年年降了多少', is the measure's: its fall, not its level)
    assert analyse("2006到2010年单位GDP能耗一年年降了多少？帮我列一下。").topic == "单位国内生产总值能耗下降"
    assert analyse("2006—2010年单位GDP能耗每年降幅是多少？列个表对比一下。").kind == "trend"
    assistant = assistant_for(tmp_path, embedder, text_files(tmp_path / "reports", SPANS))
    cells = points(assistant.ask("2006到2010年单位国内生产总值能耗每年下降多少？"))
    assert "1.2%" in cells[(2006, "result")]["text"] and "3.66%" in cells[(2007, "result")]["text"], cells
    assert "4.01%" in cells[(2010, "result")]["text"], cells  # not the five years' 19.1%


def test_a_plan_s_wording_names_the_same_measure():
    """'广义货币M2预期增长目标拟定为' is 广义货币增长 (the record's kind says it is a plan), and
    '进出口贸易总额' is 进出口总额 (issue #18)."""
    from rag.trends import normalise_measure, similarity

    assert normalise_measure("广义货币M2预期增长目标拟定为") == "广义货币增长"
    assert similarity("广义货币增长", "今年广义货币M2增长目标为") == 1.0
    assert similarity("外贸进出口总额", "进出口贸易总额") >= 0.6
    assert normalise_measure("计划生育") == "计划生育" and normalise_measure("PM2.5平均浓度").startswith("pm2.5")


RESERVES = {
    "1995年政府工作报告.txt": "1995年政府工作报告\n一、1994年工作回顾\n国家外汇储备达到５１６亿美元，增长１．４倍。\n二、1995年主要任务\n稳定汇率。\n",
    "1998年政府工作报告.txt": "1998年政府工作报告\n一、1997年工作回顾\n国家外汇储备由1 9 4 亿美元增加到1 3 9 9 亿美元。\n"
                          "二、1998年主要任务\n稳定汇率。\n",
    "2001年政府工作报告.txt": "2001年政府工作报告\n一、2000年工作回顾\n国家外汇储备2000年底达1656亿美元。\n二、2001年主要任务\n稳定汇率。\n",
    "2004年政府工作报告.txt": "2004年政府工作报告\n一、2003年工作回顾\n年底国家外汇储备达4033亿美元。\n二、2004年主要任务\n稳定汇率。\n",
    "2013年政府工作报告.txt": "2013年政府工作报告\n一、过去五年工作回顾\n过去五年，高速公路总里程达9.56万公里，城镇新增就业5870万人。\n"
                          "二、2013年主要任务\n稳定增长。\n",
}


def test_a_stock_at_year_end_the_end_of_a_change_and_a_series_that_grows_eightfold(tmp_path, embedder):
    """'外汇储备2000年底' is the reserves measure; the end of '由194亿美元增加到1399亿美元' is that
    year's figure; a figure eight times another a decade away is no outlier of its neighbours; a level
    reached in a five-year review is its last year's (issue #18)."""
    assistant = assistant_for(tmp_path, embedder, text_files(tmp_path / "reports", RESERVES))
    cells = points(assistant.ask("1994年至2003年，我国外汇储备规模历年是多少？"))
    assert "５１６" in cells[(1994, "result")]["text"] and "4033" in cells[(2003, "result")]["text"], cells
    assert "1656" in cells[(2000, "result")]["text"], cells
    assert "1 3 9 9" in cells[(1997, "result")]["text"], cells
    # a level reached in a five-year review is of its last year; the five years' sum of no year
    periods = {f.measure: f.period for f in assistant.figures() if "2013" in f.title}
    assert periods.get("高速公路总里程") == 2012 and periods.get("城镇新增就业") is None, periods
