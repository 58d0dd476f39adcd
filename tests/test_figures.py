"""Issue #16 on reports written here: figure records, computations over them, yes/no verdicts
that read the quoted clause, and whose figure it is when two counties are loaded (real embedder,
real FAISS index on disk)."""
from __future__ import annotations

import pytest

from rag import Assistant

BAIYUN = ("白云县2024年政府工作报告\n一、2023年工作回顾\n"
          "全县城镇新增就业5.2万人，新建高标准农田3万亩、改造提升0.6万亩。"
          "生产粮食12.5万吨、蔬菜8.1万吨。建成托育机构10家、托位600个。"
          "公办园在园幼儿占比达到60.5%。全民健身中心主体完工，人民医院新院区建成投用。"
          "青少年足球队获全省联赛银牌。坚持绿水青山就是金山银山，森林覆盖率达到58%。\n")
LIUHE = ("柳河县2024年政府工作报告\n一、2023年工作回顾\n"
         "全县城镇新增就业8.4万人，新建高标准农田2万亩。生产粮食30.2万吨。\n")


@pytest.fixture(scope="module")
def counties(tmp_path_factory, embedder) -> Assistant:
    folder = tmp_path_factory.mktemp("counties")
    paths = []
    for name, text in (("白云县2024.txt", BAIYUN), ("柳河县2024.txt", LIUHE)):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    assistant = Assistant.load(folder / "index", embedder=embedder, build_if_missing=False)
    assistant.add_documents(paths)
    return assistant


def test_every_figure_is_a_record(counties):
    records = counties.figures("新建高标准农田")
    baiyun = next(f for f in records if f.place == "白云县" and f.value == "3万亩")
    assert baiyun.measure == "新建高标准农田" and baiyun.period == 2023 and baiyun.kind == "result"
    text = counties.snapshot.document_text(baiyun.doc_id)
    assert text[baiyun.start:baiyun.end] == baiyun.clause and "3万亩" in baiyun.clause
    assert {f.place for f in counties.figures()} == {"白云县", "柳河县"}


def test_sums_use_each_figure_once(counties):
    grain = counties.ask("白云县粮食加蔬菜去年总共产了多少万吨？")
    assert "20.6万吨" in grain.text and grain.computed["operation"] == "sum"
    fields = counties.ask("白云县新建和改造提升的高标准农田一共多少万亩？")
    assert "合计3.6万亩" in fields.text  # not 3万亩 counted twice (6万亩)


def test_per_unit_and_complement(counties):
    per = counties.ask("白云县新建的托育机构平均每家有多少个托位？")
    assert "60" in per.text and per.computed is not None
    rest = counties.ask("白云县公办园在园幼儿占比60.5%，非公办的占多少？")
    assert "39.5%" in rest.text and rest.computed["operation"] == "complement"


def test_yes_no_reads_the_clause(counties):
    built = counties.ask("白云县人民医院新院区建成投用了吗？")
    assert built.text.startswith("是")
    not_built = counties.ask("白云县全民健身中心建成投用了吗？")
    assert not_built.text.startswith(("没有", "不是", "否")), not_built.text
    medal = counties.ask("白云县青少年足球队拿了金牌吗？")
    assert medal.text.startswith("不是") and "银牌" in medal.text
    number = counties.ask("白云县森林覆盖率达到60%了吗？")
    assert number.text.startswith("不是") and "58%" in number.text


def test_whose_figure_with_two_counties(counties):
    baiyun = counties.ask("白云县城镇新增就业多少？")
    assert "5.2万人" in baiyun.text and "白云县" in baiyun.text and "8.4万人" not in baiyun.text
    liuhe = counties.ask("柳河县城镇新增就业多少？")
    assert "8.4万人" in liuhe.text and "柳河县" in liuhe.text
    # '青山' is in '绿水青山' of 白云县's report: still not 青山县's figure.
    qingshan = counties.ask("青山县城镇新增就业多少？")
    assert not qingshan.answered and "5.2万人" not in qingshan.text and "8.4万人" not in qingshan.text


def test_false_premise_is_corrected(counties):
    answer = counties.ask("白云县城镇新增就业5万人是哪一年？")
    assert "5.2万人" in answer.text and "不是问题中的5万人" in answer.text


def test_follow_up_that_switches_year_is_a_new_question(counties):
    answer = counties.ask("那2022年呢？", history=["白云县2023年城镇新增就业多少？"])
    assert answer.resolved_question == "白云县2022年城镇新增就业多少？"
    assert not answer.answered and "报告中没有2022年" in answer.text  # the 2023 figure only as what it is


OLD_STYLE = ("1995年国务院政府工作报告\n一、1994年工作回顾\n"
             "国内生产总值达到４３８００亿元，比上年增长百分之十一点八。"
             "城镇个体劳动者从十五万人增加到一百四十七万人。国务院组成部门从4 0 个减少到2 9 个。\n")


def test_figures_of_a_report_written_in_older_numerals(tmp_path, embedder):
    path = tmp_path / "1995年政府工作报告.txt"
    path.write_text(OLD_STYLE, encoding="utf-8")
    assistant = Assistant.load(tmp_path / "index", embedder=embedder, build_if_missing=False)
    assistant.add_documents([path])
    figures = {f.measure: f for f in assistant.figures()}
    assert figures["国内生产总值"].value == "４３８００亿元" and figures["国内生产总值"].change == "比上年增长百分之十一点八"
    assert figures["城镇个体劳动者"].value == "一百四十七万人"  # the value after 到, not the one it came from
    assert figures["国务院组成部门"].quantity.value == 29
    assert all(f.value != "十五万人" for f in figures.values())
    answer = assistant.ask("1994年城镇个体劳动者有多少？")
    assert answer.answered and "一百四十七万人" in answer.text


def test_a_bare_count_of_people_and_a_thing_named_after_its_number():
    """'农村贫困人口减少1240万' counts people (the 人 is dropped after 人口); '继续发行1500亿元长期建设国债' is a
    figure of 发行长期建设国债, the thing after the number; a bare 万 of no people is no figure."""
    from rag.figures import amounts_of, measures_of

    assert [(q.text, q.unit) for q in amounts_of("农村贫困人口减少1240万")] == [("1240万", "人")]
    assert [(q.text, q.unit) for q in amounts_of("今年要完成1000万以上农村贫困人口脱贫任务")] == [("1000万", "人")]
    assert amounts_of("增加1000万") == []
    assert [(m, q.text) for m, q in measures_of("继续发行1500亿元长期建设国债")] == [("继续发行长期建设国债", "1500亿元")]
    assert [(m, q.text) for m, q in measures_of("一是发行1000亿元长期国债")] == [("发行长期国债", "1000亿元")]
    assert [(m, q.text) for m, q in measures_of("新建高标准农田5万亩")] == [("新建高标准农田", "5万亩")]
