"""What a question asks for (rag.questions): its kind, parts, years, plan or result, places, unit."""
import pytest

from rag.answerability import subject_terms
from rag.questions import analyse, operands, split_parts
from rag.years import full_years


@pytest.mark.parametrize("question, kind", [
    ("2023年新增城市绿地多少？", "fact"),
    ("2001年全国高校一共招了多少新生？", "fact"),  # one thing's total: no sum of two
    ("哪个村获评全国乡村治理示范村？", "fact"),
    ("乡村振兴做了哪些工作？", "list"),
    ("采取了什么措施稳就业？", "list"),
    ("科技创新方面成效如何？", "summary"),
    ("医疗服务有什么亮点？", "summary"),
    ("教育质量怎么样？", "summary"),
    ("2023年取得了哪些主要成就？", "summary"),
    ("1994年国民经济发展情况怎样？", "summary"),
    ("有哪些水利工程取得了进展？", "list"),  # the things named, not the section's highlights
    ("营商环境是怎么优化的？", "how"),
    ("通过什么方式盘活国有资产？", "how"),
    ("为什么要建设人才公寓？", "why"),
    ("建立评价体系的目的是什么？", "why"),
    ("生产粮食和蔬菜分别多少？", "multi"),
    ("粮食和蔬菜一共多少万吨？", "compute"),
    ("科技型企业比高新技术企业多多少家？", "compute"),
    ("托位数是床位数的几倍？", "compute"),
    ("中职和高职就业率哪个高？", "compute"),
    ("区图书馆是否获评国家一级图书馆？", "yesno"),
    ("应急医院完工了吗？", "yesno"),
    ("可再生能源发电装机是否超过了火电？", "yesno"),
    ("失业率是否超过了5.5%？", "compute"),
    ("新登记市场主体9905户、增长19.3%，那上一年大约登记了多少户？", "compute"),
    # spoken question words read as their written forms (issue #16)
    ("去年经济运行咋样啊？", "summary"),
    ("为啥要发行特别国债呀？", "why"),
    ("是咋减轻企业负担的？", "how"),
    ("那笔专项资金是拿来干啥的？", "why"),
    ("国内生产总值和居民收入各涨了多少？", "multi"),  # 各涨 asks each part
    ("How many parking spaces were added?", "fact"),
    ("Why was the talent apartment built?", "why"),
])
def test_kinds(question, kind):
    assert analyse(question).kind == kind


def test_parts_and_operands():
    assert split_parts("2023年生产粮食和蔬菜分别多少？") == ["2023年生产粮食分别多少", "蔬菜分别多少"]
    assert split_parts("修复矿山多少公顷，综合治理水土流失多少平方公里？") == ["修复矿山多少公顷", "综合治理水土流失多少平方公里"]
    assert operands("盘活的国有资产和盘活的存量资金加起来多少？") == ["盘活国有资产", "盘活存量资金"]
    assert operands("托位数是养老床位数的几倍？") == ["托位数", "养老床位数"]
    assert operands("平均每家托育机构有多少个托位？") == ["托位", "托育机构"]


def test_years_plans_results_and_report_years():
    q = analyse("2024年计划新增多少城市绿地？")
    assert q.years == [2024] and q.wants_plan and not q.wants_result
    assert not analyse("“双倍增”行动计划取得了什么成果？").wants_plan  # a name, not a plan asked for
    assert not analyse("“四改三”项目有没有按计划完成？").wants_plan
    q = analyse("2025年国内生产总值实际增长了多少？")
    assert q.years == [2025] and q.wants_result
    q = analyse("2025年政府工作报告提没提发放育儿补贴？")
    assert q.report_years == [2025] and q.years == [] and q.kind == "yesno"


@pytest.mark.parametrize("question, full", [
    ("那83年涨到多少了？", "那1983年涨到多少了？"),
    ("1982年到83年粮食产量", "1982年到1983年粮食产量"),
    ("九八年的粮食产量", "1998年的粮食产量"),
    ("比98年多多少", "比1998年多多少"),
    ("23年城镇新增就业", "2023年城镇新增就业"),
    # spans and counts of years stay as they are
    ("改革开放40年来", "改革开放40年来"), ("近10年", "近10年"), ("三五年内完成", "三五年内完成"),
    ("建国70年", "建国70年"), ("20年来", "20年来"), ("第5年", "第5年"), ("五六年前", "五六年前"),
])
def test_two_digit_years_are_written_out(question, full):
    assert full_years(question) == full


def test_places_units_and_acronyms():
    assert analyse("2023年酉阳县新增城市绿地多少？").places == ["酉阳县"]
    assert analyse("城区空气质量优良天数多少天？").places == []  # '城区' is no place name
    assert analyse("种了多少亩树林？").unit == "亩"
    assert analyse("新增城市绿地投资了多少钱？").unit == "元"
    assert analyse("企业研发投入增长多少？").unit == ""  # a change: a percentage or an amount
    assert "国内生产总值" in analyse("2015年服务业占GDP的比重是多少？").topic


def test_the_frame_of_a_how_question_is_not_its_topic():
    info = analyse("城镇新增就业1.7万人是通过哪些办法实现的？")
    assert info.kind == "how" and "通过" not in info.topic and "实现" not in info.topic, info.topic
    assert analyse("目标实现了吗？").topic == "目标实现"  # '实现' asked about is kept


def test_a_change_given_and_the_value_before_it_asked():
    assert analyse("汽车销量1364万辆、增长46.2%，2008年大约卖了多少辆？").operation == "earlier"
    assert analyse("2023年城镇新增就业多少人？").operation == ""


def test_the_chinese_words_for_an_english_question_s_terms():
    """CC-CEDICT read backwards, kept to the words the reports use; acronyms spelled out as the
    reports write them; Chinese words the question quotes kept as they are."""
    from rag.crosslingual import chinese_terms

    known = {"森林", "覆盖率", "企业", "小区"}
    terms = chinese_terms('What was the forest coverage rate of the district?', known)
    assert any("森林" in group for group in terms) and any("覆盖率" in group for group in terms), terms
    assert not any("小区" in group for group in terms)  # 'district' names the place, it is no term
    assert ["居民消费价格"] in chinese_terms("What was the CPI target for 2008?", known)
    assert ["四上"] in chinese_terms('How many "above-designated-size" (四上) enterprises?', known)
    assert chinese_terms("森林覆盖率是多少？", known) == []  # a Chinese question needs none


def test_what_the_report_says_is_the_asking_not_the_topic():
    assert "提出" not in analyse("2024年政府工作报告提出的主要预期目标有哪些？").topic
    assert analyse("发放育儿补贴，2025年政府工作报告是否提到了？").topic == "发放育儿补贴"


def test_a_report_named_is_searched_by_the_year_it_speaks_of():
    """'2023年的政府工作报告里，去年…' is 2022's result from the 2023 report; the report's name is
    no word of its passages (issue #16)."""
    from rag.questions import analyse, search_text

    info = analyse("2023年的政府工作报告里，去年实际赤字率是多少？")
    assert info.report_years == [2023] and info.years == [2022] and info.wants_result
    assert "2022年" in search_text(info.text) and "报告" not in search_text(info.text)
    assert search_text("2019年政府工作报告提出的GDP增长目标是多少") == "2019年提出的GDP增长目标是多少"


def test_words_taken_out_never_join_their_neighbours():
    """A year, a filler word or punctuation taken out leaves a break, so no word is made up across
    it ('比1984年少收' is no verb 比少收, '10亿的园区' no 亿园区); a question word inside a verb and its
    object joins them ('发多少电' is about 发电). An event that names the year ('抗洪那年（1998年）')
    is no word of the measure."""
    assert subject_terms(analyse("1985年棉花产量有多少？比1984年少收了多少？").topic) == ["棉花", "产量", "少收"]
    assert "亿园区" not in subject_terms(analyse("年产值超过10亿的园区有几个？").topic)
    assert "发电" in subject_terms(analyse("光伏电站一年发多少电？").topic)
    described = analyse("抗洪那年（1998年）粮食产量多少？")
    assert described.years == [1998] and described.topic == "粮食产量"
    assert "疫情" not in analyse("疫情影响最大的2020年，居民消费价格涨了多少？").topic


def test_words_that_only_say_a_target_name_no_measure():
    """'准备控制在多少' says the figure is a target (the time check's), not what is measured."""
    assert subject_terms(analyse("2025年物价涨幅准备控制在多少以内？").topic) == ["物价", "涨幅"]


def test_how_big_and_this_is_ask_no_topic():
    """'多大面积' asks an area (its dimension word stays), '这是' points back: neither names a measure."""
    assert "大面积" not in subject_terms(analyse("去年治理了多大面积的违法建筑？").topic)
    assert "这是" not in subject_terms(analyse("粮食产量突破了6亿吨，这是连续第几年增产？").topic)


def test_one_things_total_and_a_change_on_the_year_before_are_facts():
    """'一共' in a sentence that joins nothing asks one thing's total, and '比上一年多出多少' a change the reports
    state with the figure ('比上年增加422亿元'): several facts, no reckoning; two things joined stay a sum."""
    assert analyse("2024年咱国家GDP一共多少？比前一年涨了百分之几？").kind == "multi"
    assert analyse("2006年中央用在“三农”上的钱有多少？比上一年多出多少？").kind == "multi"
    both = analyse("去年生产粮食和蔬菜一共多少万吨？")
    assert both.kind == "compute" and both.operation == "sum"
    assert analyse("2009年农民人均纯收入比2008年多了多少元？").operation == "difference"


def test_a_follow_up_s_subject_framed_in_spoken_words():
    """'教育那块呢' after '2009年中央财政用于科技的支出是多少' asks the same of 教育 (那块, 这方面 frame the subject)."""
    from rag.conversation import resolve_follow_up

    history = [{"role": "user", "content": "2009年中央财政用于科技的支出是多少？"}]
    assert resolve_follow_up("教育那块呢？", history) == "2009年中央财政用于教育的支出是多少？"
