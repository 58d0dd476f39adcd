from hypothesis import given, strategies as st

from rag.normalize import clean_text, fold, strip_footnotes


def test_fold_maps_full_width_to_half_width_keeping_length():
    text = "（三）新增绿地８．４万平方米，增长１９．３％。"
    folded = fold(text)
    assert folded == "(三)新增绿地8.4万平方米,增长19.3%。"
    assert len(folded) == len(text)


@given(st.text())
def test_fold_never_changes_length(text):
    assert len(fold(text)) == len(text)


def test_clean_text_drops_invisible_characters_and_blank_lines():
    raw = "\ufeff政府工作报告\r\n\r\n  国务院总理李\u3000强 \n\u200b各位代表："
    assert clean_text(raw) == "政府工作报告\n国务院总理李 强\n各位代表："


def test_footnote_markers_are_removed_for_matching_only():
    assert strip_footnotes("“亩均论英雄”评价体系[9],单位产出") == "“亩均论英雄”评价体系,单位产出"
