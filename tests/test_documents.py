from pathlib import Path

import pytest

from rag.documents import bundled_document, decode_text, load_document
from rag.errors import RagError
from tests.files import write_blank_pdf, write_docx, write_pdf

REPORT = "2023年政府工作报告\n一、2022年工作回顾\n新增城市绿地8.4万平方米，增长19.3%。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "big5"])
def test_text_files_in_chinese_encodings_are_decoded_not_garbled(tmp_path, encoding):
    text = REPORT if encoding != "big5" else "2023年政府工作報告\n新增城市綠地8.4萬平方米，增長19.3%。"
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = load_document(path)
    assert doc.text == text
    assert doc.year == 2023 and doc.title == text.split("\n")[0]


def test_gb18030_characters_outside_gbk_survive():
    text = "报告提到䶮字与𠀀字，新增绿地8.4万平方米。" * 3
    assert decode_text(text.encode("gb18030"), "x.txt") == text


def test_markdown_and_html_become_plain_text(tmp_path):
    md = tmp_path / "r.md"
    md.write_text("# 2024年政府工作报告\n\n## 一、2023年工作回顾\n\n新增**城市绿地**8.4万平方米。<script>alert(1)</script>\n", encoding="utf-8")
    doc = load_document(md)
    assert doc.title == "2024年政府工作报告"
    assert "新增城市绿地8.4万平方米。" in doc.text and "**" not in doc.text and "<script>" in doc.text  # shown as text
    html = tmp_path / "r.html"
    html.write_bytes("<html><head><meta charset='gbk'><title>2022年政府工作报告</title><script>x()</script></head>"
                     "<body><nav>导航</nav><p>新增城市绿地<b>8.4</b>万平方米。</p></body></html>".encode("gbk"))
    doc = load_document(html)
    assert doc.title == "2022年政府工作报告" and doc.year == 2022
    assert "8.4" in doc.text and "x()" not in doc.text and "导航" not in doc.text


def test_docx_paragraphs_and_title(tmp_path):
    path = write_docx(tmp_path / "报告 2021.docx", ["一、2020年工作回顾", "新增城市绿地8.4万平方米。"], title="2021年政府工作报告")
    doc = load_document(path)
    assert doc.title == "2021年政府工作报告" and doc.year == 2021
    assert doc.text == "一、2020年工作回顾\n新增城市绿地8.4万平方米。"


def test_pdf_text_layer(tmp_path):
    doc = load_document(write_pdf(tmp_path / "report-2019.pdf", ["Green space grew by 84000 square metres.", "Jobs: 17000."]))
    assert "84000 square metres" in doc.text and doc.year == 2019


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b""), "空文件"),
    (lambda p: p.write_text("   \n\t\n", encoding="utf-8"), "没有可索引的文字"),
    (lambda p: p.write_bytes(bytes(range(256)) * 40), "二进制"),
])
def test_bad_text_files_are_named_with_the_fix(tmp_path, make, message):
    path = tmp_path / "坏 文件.txt"
    make(path)
    with pytest.raises(RagError, match=message) as err:
        load_document(path)
    assert "坏 文件.txt" in str(err.value)


def test_bad_pdfs_and_docx_get_clear_errors(tmp_path):
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    with pytest.raises(RagError, match="corrupt.pdf.*(损坏|无法读取|没有文字层)"):
        load_document(corrupt)
    with pytest.raises(RagError, match="(没有文字层|扫描件).*OCR"):
        load_document(write_blank_pdf(tmp_path / "scan.pdf"))
    with pytest.raises(RagError, match="已加密"):
        load_document(write_pdf(tmp_path / "secret.pdf", ["secret"], password="pw"))
    bad_docx = tmp_path / "bad.docx"
    bad_docx.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RagError, match="bad.docx.*Word"):
        load_document(bad_docx)


def test_size_limit_and_unsupported_types(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("报告" * 400_000, encoding="utf-8")
    with pytest.raises(RagError, match="超过上限 1 MB"):
        load_document(big, max_file_mb=1)
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(RagError, match="不支持的文件类型"):
        load_document(exe)


def test_bundled_report():
    doc = bundled_document()
    assert doc.year == 2024 and "黔江" in doc.title and len(doc.text) > 2700


def test_a_chinese_pdf_printed_by_chromium(tmp_path):
    """A real Chinese text layer (Noto CJK fonts). Such PDFs map some glyphs to Kangxi radicals
    ('⼯作') and radical-supplement forms ('停⻋位'); the loader turns them back into ordinary
    characters, and keeps headings on lines of their own."""
    import subprocess

    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium fonts-noto-cjk (scripts/setup.sh --test does)")
    html = tmp_path / "report.html"
    html.write_text('<html><head><meta charset="utf-8"><style>body{width:300px}</style></head><body>'
                    "<p>2024年政府工作报告</p><p>一、2023年工作回顾</p><p>新增城市绿地8.4万平方米、停车位6700余个，"
                    "生产粮食23.4万吨、蔬菜28.5万吨，牢牢守住了耕地保护红线和粮食安全底线。</p></body></html>", encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    str(html)], check=True, capture_output=True, timeout=120)
    doc = load_document(pdf)
    assert doc.text == ("2024年政府工作报告\n一、2023年工作回顾\n新增城市绿地8.4万平方米、停车位6700余个，"
                        "生产粮食23.4万吨、蔬菜28.5万吨，牢牢守住了耕地保护红线和粮食安全底线。")
    assert doc.title == "2024年政府工作报告" and doc.year == 2024  # not the metadata title 'report.html'


def test_lookalike_characters_become_ordinary_ones():
    from rag.normalize import clean_text

    assert clean_text("政府⼯作报告：停⻋位、粮⻝") == "政府工作报告：停车位、粮食"


def _report_paragraphs():
    return [line for line in bundled_document().text.splitlines() if line.strip()]


def test_a_pdf_printed_by_libreoffice_keeps_quotes_in_place(tmp_path):
    """Office suites write quotation marks out of order; the text must still read 「总体稳定」."""
    import shutil

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui; scripts/setup.sh --test does)")
    from eval.pdf_fidelity import differing_share, libreoffice_pdf

    doc = load_document(libreoffice_pdf(_report_paragraphs(), tmp_path))
    assert "总体稳定" in doc.text and "建成“口袋公园”[12]4个" in doc.text
    assert differing_share(bundled_document().text, doc.text) <= 0.01


def test_the_whole_report_printed_by_chromium_with_a_simplified_chinese_font(tmp_path):
    """Noto Sans CJK SC maps 户 to the Kangxi radical ⼾, whose NFKC form is the traditional 戶."""
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium fonts-noto-cjk (scripts/setup.sh --test does)")
    from eval.pdf_fidelity import chromium_pdf, differing_share

    doc = load_document(chromium_pdf(_report_paragraphs(), tmp_path / "report.pdf"))
    assert "新登记市场主体9905户" in doc.text and "戶" not in doc.text
    assert differing_share(bundled_document().text, doc.text) <= 0.01
