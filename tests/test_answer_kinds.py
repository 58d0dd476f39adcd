"""Every kind of question, answered from a county report written for this test (so no rule can be
tuned to the bundled report's sentences), with the real embedder and a real index on disk.

The report reviews 2024 and plans 2025, like every work report: results and plans of the same
measure sit side by side, which is where wrong-year and plan-for-result answers come from."""
import re

import pytest

from rag import Assistant
from rag.numbers import quantities

REPORT = """青山县2025年政府工作报告
一、2024年工作回顾
全县地区生产总值达到320亿元，增长6.5%；一般公共预算收入18.2亿元，增长4%；城乡居民人均可支配收入分别增长5.1%、7.2%。
（一）交通建设加快推进。交通建设成效明显。新建农村公路120公里，改造危旧桥梁15座，开通城乡公交线路8条。青山高铁站建成投用，全县通车里程达到3600公里。
（二）民生保障持续加强。教育事业稳步发展。新建幼儿园6所、新增学位2700个，改扩建中小学校12所。为方便群众看病，新建乡镇卫生院4个，县人民医院新增床位300张。城镇新增就业8600人，发放创业担保贷款2.3亿元。
（三）生态环境持续改善。通过实施河道清淤和截污纳管工程，全县地表水水质达标率提高到98%。完成植树造林4.5万亩，森林覆盖率达到61%。为推动绿色发展，建成光伏电站3座，新增装机容量12万千瓦。
二、2025年工作安排
今年主要预期目标是：地区生产总值增长6%左右，城镇新增就业9000人以上，新建农村公路150公里，森林覆盖率达到62%。
"""


@pytest.fixture(scope="module")
def county(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("county")
    path = folder / "青山县2025年政府工作报告.txt"
    path.write_text(REPORT, encoding="utf-8")
    assistant = Assistant.load(folder / "index", embedder=embedder, build_if_missing=False)
    assistant.add_documents([path])
    return assistant


def exact_quotes(assistant, answer):
    for c in answer.citations:
        assert assistant.snapshot.document_text(c.doc_id)[c.start:c.end] == c.quote
        assert f"[{c.n}]" in answer.text


def numbers_cited(answer):
    """Every number of the answer is in the quote it cites, unless the piece says it is computed."""
    by_n = {c.n: c for c in answer.citations}
    last = 0
    for match in re.finditer(r"\[(\d+)\]", answer.text):
        piece = answer.text[last:match.start()].split("\n")[-1]
        piece = re.sub(r"^\d+\. ", "", piece)
        last = match.end()
        if "按报告数字计算" in piece:
            continue
        for q in quantities(piece):
            assert q.text in by_n[int(match.group(1))].quote, (q.text, piece)


def test_a_list_question_gets_every_measure_of_its_section(county):
    answer = county.ask("青山县交通建设做了哪些工作？")
    assert answer.kind == "list" and answer.answered
    for fact in ("120公里", "15座", "8条", "高铁站建成投用"):
        assert fact in answer.text, answer.text
    assert len(answer.citations) >= 2 and "交通建设成效明显" not in answer.text.split("：", 1)[1]  # heading is no fact
    exact_quotes(county, answer)
    numbers_cited(answer)


def test_a_summary_question_gets_the_facts_not_the_topic_sentence(county):
    answer = county.ask("2024年教育事业发展得怎么样？")
    assert answer.kind == "summary" and answer.answered
    assert "6所" in answer.text and "2700个" in answer.text and "12所" in answer.text, answer.text
    assert "稳步发展" not in answer.text.split("：", 1)[1]
    exact_quotes(county, answer)


def test_a_question_about_the_whole_year_gets_the_headline_figures(county):
    answer = county.ask("2024年全县经济发展情况怎么样？")
    assert answer.kind == "summary" and answer.answered
    # the growth is quoted with what grew: '地区生产总值达到320亿元，增长6.5%', never '增长6.5%' alone
    assert "地区生产总值达到320亿元，增长6.5%" in answer.text, answer.text
    lines = answer.text.split("\n")
    assert "320亿元" in lines[1] and "18.2亿元" in lines[2] and "5.1%、7.2%" in lines[3], answer.text  # in report order
    exact_quotes(county, answer)
    numbers_cited(answer)


def test_a_list_of_things_that_progressed_is_a_list_of_those_things(county):
    answer = county.ask("2024年有哪些教育设施取得了进展？")  # '进展' alone would ask for a summary
    assert answer.kind == "list" and answer.answered
    assert "幼儿园6所" in answer.text and "中小学校12所" in answer.text, answer.text
    exact_quotes(county, answer)


def test_how_and_why_quote_the_means_and_the_purpose(county):
    how = county.ask("地表水水质达标率是怎么提高的？")
    assert how.kind == "how" and "河道清淤" in how.text and "98%" in how.text, how.text
    why = county.ask("为什么要新建乡镇卫生院？")
    assert why.kind == "why" and "方便群众看病" in why.text, why.text
    exact_quotes(county, how)
    exact_quotes(county, why)


def test_sums_differences_and_ratios_show_the_working(county):
    answer = county.ask("新建幼儿园和改扩建中小学校一共多少所？")
    assert answer.kind == "compute" and "18所" in answer.text and "按报告数字计算" in answer.text, answer.text
    assert answer.computed["value"] == "18所" and len(answer.computed["from"]) == 2
    numbers_cited(answer)
    ratio = county.ask("新增学位是新建幼儿园数量的几倍？")
    assert "450倍" in ratio.text, ratio.text
    more = county.ask("改造危旧桥梁和开通城乡公交线路哪个多？")
    assert "改造危旧桥梁" in more.text.split("，")[-1] and more.computed["operation"] == "compare", more.text


def test_numbers_of_different_units_are_not_added(county):
    answer = county.ask("新建农村公路和改造危旧桥梁加起来是多少？")
    assert "公里" in answer.text and "座" in answer.text and "不能直接相加" in answer.text, answer.text
    assert answer.computed is None


def test_a_threshold_in_the_question_is_compared(county):
    answer = county.ask("森林覆盖率有没有超过60%？")
    assert "61%" in answer.text and "高于60%" in answer.text, answer.text


def test_results_and_plans_are_never_mixed_up(county):
    result = county.ask("2024年新建农村公路多少公里？")
    assert result.answered and "120公里" in result.text and "150" not in result.text
    plan = county.ask("2025年计划新建农村公路多少公里？")
    assert plan.answered and "150公里" in plan.text and "120" not in plan.text, plan.text
    # 2025's outcome is not in any report: say so, and give the plan labelled as a plan.
    outcome = county.ask("2025年实际新建了多少公里农村公路？")
    assert not outcome.answered and "没有2025年的实际结果" in outcome.text and "预期目标或计划" in outcome.text
    other_year = county.ask("2022年新建农村公路多少公里？")
    assert not other_year.answered and "120" not in other_year.text


def test_another_place_is_not_answered_with_this_place_figures(county):
    answer = county.ask("2024年绿水县新建农村公路多少公里？")
    assert not answer.answered and "绿水县" in answer.text and "120" not in answer.text


def test_a_measure_the_report_does_not_give_is_said_to_be_missing(county):
    answer = county.ask("新建农村公路投资了多少钱？")
    assert not answer.answered and "投资" in answer.text, answer.text
    premise = county.ask("青山县为什么关闭了光伏电站？")  # it built them
    assert not premise.answered, premise.text


def test_yes_no_questions(county):
    answer = county.ask("青山高铁站建成投用了吗？")
    assert answer.kind == "yesno" and answer.answered and "高铁站建成投用" in answer.text


def test_a_multi_part_question_names_the_part_it_cannot_answer(county):
    answer = county.ask("新增床位和新增医生分别是多少？")
    assert "300张" in answer.text and "医生" in answer.text.split("。", 1)[1], answer.text


def test_follow_ups_carry_the_year_and_the_subject(county):
    answer = county.ask("那幼儿园呢？", history=["2024年新建农村公路多少公里？"])
    assert "6所" in answer.text, answer.text
    answer = county.ask("当年新增就业多少人？", history=["2024年森林覆盖率是多少？"])
    assert "8600人" in answer.text and "9000" not in answer.text, answer.text


def test_english_refusals_are_in_english(county):
    answer = county.ask("What was the rainfall in Qingshan county?")
    assert not answer.answered and answer.text.startswith("The reports do not answer")


def test_english_questions_are_matched_through_the_chinese_words_for_their_terms(county):
    """'forest coverage' -> 森林, 覆盖率 (CC-CEDICT read backwards): the clause that names them is
    quoted, for the year asked (61% in the review of 2024, not the 62% planned for 2025)."""
    answer = county.ask("What was the forest coverage rate in 2024?")
    assert answer.answered and "61%" in answer.text and "62%" not in answer.text, answer.text
    assert answer.text.startswith("According to the report")
    exact_quotes(county, answer)
    quoted = county.ask("How many new kilometres of 农村公路 were built in 2024?")  # a Chinese term quoted
    assert quoted.answered and "120公里" in quoted.text and "150公里" not in quoted.text, quoted.text


def test_a_figure_and_its_growth_are_quoted_as_one_fact(county):
    growth = county.ask("2024年一般公共预算收入增长了多少？")  # what grew, not '增长4%' alone
    assert growth.answered and "一般公共预算收入18.2亿元，增长4%" in growth.text, growth.text
    amount = county.ask("2024年地区生产总值是多少？")  # the amount with its growth
    assert amount.answered and "地区生产总值达到320亿元，增长6.5%" in amount.text, amount.text
    exact_quotes(county, growth)
    exact_quotes(county, amount)


def test_the_value_before_a_change_is_computed_from_the_cited_figures(county):
    answer = county.ask("地区生产总值320亿元、增长6.5%，那上一年大约是多少？")  # 320 / 1.065
    assert answer.kind == "compute" and answer.answered, answer.text
    assert "地区生产总值达到320亿元，增长6.5%" in answer.text and "约为300亿元（按报告数字计算）" in answer.text, answer.text
    assert answer.computed["operation"] == "earlier"
    exact_quotes(county, answer)
    numbers_cited(answer)


def test_a_result_is_compared_with_the_same_year_target_of_the_previous_report(county, tmp_path):
    """The 2025 report reviews 2024 (城镇新增就业8600人); the 2024 report set 2024's target. The
    question needs both reports: each figure is cited from its own, and the difference computed."""
    plan = tmp_path / "青山县2024年政府工作报告.txt"
    plan.write_text("青山县2024年政府工作报告\n一、2023年工作回顾\n城镇新增就业7900人。\n二、2024年工作安排\n"
                    "今年主要预期目标是：地区生产总值增长6%左右，城镇新增就业8000人以上。\n", encoding="utf-8")
    both = Assistant.load(tmp_path / "index", embedder=county.embedder, build_if_missing=False)
    review = tmp_path / "青山县2025年政府工作报告.txt"
    review.write_text(REPORT, encoding="utf-8")
    both.add_documents([plan, review])
    answer = both.ask("2024年城镇新增就业比当年预期目标多了多少？")
    assert answer.kind == "compute" and answer.answered, answer.text
    assert "8600人" in answer.text and "8000人以上" in answer.text and "600人" in answer.text, answer.text
    assert {c.title for c in answer.citations} == {"青山县2024年政府工作报告", "青山县2025年政府工作报告"}
    exact_quotes(both, answer)

