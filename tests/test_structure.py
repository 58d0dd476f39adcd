from rag.normalize import clean_text
from rag.structure import detect_report_year, outline
from tests.conftest import report_text


def test_report_year_from_title_date_line_or_file_name():
    assert detect_report_year("2024年政府工作报告", "", "") == 2024
    assert detect_report_year("政府工作报告", "", "政府工作报告\n——2023年3月5日在第十四届全国人民代表大会") == 2023
    assert detect_report_year("", "qianjiang-2024-excerpt.txt", "正文") == 2024
    assert detect_report_year("", "", "１９８５年的政府工作报告") == 1985
    assert detect_report_year("报告", "notes.txt", "没有年份") is None


def test_headings_and_topic_sentences_form_section_paths():
    text = clean_text("（三）扎实推进改革创新赋能，动力深度蓄积。重点改革蹄疾步稳。数字重庆建设推动有力，"
                      "64个单位核心业务全面理清。营商环境持续优化。新登记市场主体9905户，增长19.3%。")
    structure = outline(text, 2024)
    assert [h.title for h in structure.headings] == ["（三）扎实推进改革创新赋能，动力深度蓄积", "重点改革蹄疾步稳", "营商环境持续优化"]
    assert structure.section_at(text.index("9905")) == "（三）扎实推进改革创新赋能，动力深度蓄积 > 营商环境持续优化"


def test_review_part_is_about_the_previous_year_and_plan_part_about_this_year():
    text = clean_text(report_text(2024, "城镇新增就业1244万人。", "城镇新增就业1200万人左右。"))
    structure = outline(text, 2024)
    assert structure.period_at(text.index("1244万人")) == 2023
    assert structure.period_at(text.index("1200万人")) == 2024
    assert structure.section_at(text.index("1244万人")).startswith("一、2023年工作回顾")
