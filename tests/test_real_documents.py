"""Issue #17: documents as users have them. Each kind of input is made here, in more than one
layout, and read through the real loader, chunker, index and answerer; the repro files of
../shared/data/repro/ are checked too."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rag import Assistant
from rag.chunking import chunk_document, search_texts
from rag.documents import Document, load_document, without_page_furniture
from rag.errors import RagError

REPRO = Path(__file__).resolve().parents[2] / "shared" / "data" / "repro"
SHARED = REPRO.parent
CHROMIUM = Path("/usr/bin/chromium")


def ask_over(tmp_path, embedder, files: list[Path]) -> Assistant:
    assistant = Assistant.load(tmp_path / "index", embedder=embedder, build_if_missing=False)
    results = assistant.add_documents(files)
    assert all(r.status == "added" for r in results), [r.error for r in results]
    return assistant


# ---- tables -------------------------------------------------------------------------------------

def write_docx_with_tables(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("白河县2024年政府工作报告")
    document.add_paragraph("一、2023年重点项目完成情况")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("项目", "完成投资（亿元）", "进度"), ("白河大桥", "4.6", "完工"),
                                         ("县城供水厂", "1.2", "在建")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph("二、2024年重点项目安排")
    plan = document.add_table(rows=2, cols=2)
    plan.rows[0].cells[0].text, plan.rows[0].cells[1].text = "项目", "计划投资（亿元）"
    plan.rows[1].cells[0].text, plan.rows[1].cells[1].text = "白河大桥二期", "6.5"
    document.save(str(path))
    return path


def test_word_tables_stay_in_their_sections_and_cells_are_answered(tmp_path, embedder):
    path = write_docx_with_tables(tmp_path / "白河县.docx")
    text = load_document(path).text
    assert text.index("二、2024年") > text.index("| 白河大桥 | 4.6 | 完工 |")  # in document order
    assistant = ask_over(tmp_path, embedder, [path])
    done = assistant.ask("白河大桥完成投资多少亿元？")
    assert "4.6亿元" in done.text and "2023年" in done.citations[0].section
    planned = assistant.ask("2024年白河大桥二期计划投资多少？")
    assert "6.5亿元" in planned.text and "2024年" in planned.citations[0].section


@pytest.mark.parametrize("name", ["md-table.md", "html-table.html", "docx-tables-order.docx"])
def test_repro_tables(tmp_path, embedder, name):
    assistant = ask_over(tmp_path, embedder, [REPRO / name])
    question, right = {"md-table.md": ("柳湾村村集体经济收入多少万元？", "50.1万元"),
                       "html-table.html": ("三季度规上工业增加值增长多少？", "7.9%"),
                       "docx-tables-order.docx": ("S205省道青石段改造完成投资多少？", "3.2亿元")}[name]
    answer = assistant.ask(question)
    assert answer.answered and right in answer.text, answer.text
    assert "5.16.47.9" not in answer.text
    if name == "docx-tables-order.docx":
        plan = assistant.ask("2024年青石工业园扩区计划投资多少？")
        assert "5亿元" in plan.text and "3.2" not in plan.text


def test_every_chunk_of_table_rows_is_searched_with_its_header():
    rows = "\n".join(f"| {name}村 | {1000 + i} | {20 + i}.5 |" for i, name in enumerate("东西南北上下前后左右" * 4))
    doc = Document.from_text(f"青石县2024年政府工作报告\n一、2023年工作回顾\n| 村名 | 人口（人） | 收入（万元） |\n{rows}",
                             title="青石县2024年政府工作报告")
    chunks = chunk_document(doc)
    row_chunks = [c for c in chunks if "村 |" in c.text]
    assert len(row_chunks) > 1
    for chunk, searched in zip(chunks, search_texts(chunks, {doc.doc_id: doc.text})):
        assert not chunk.section.endswith("|")  # a row is never a heading
        if chunk in row_chunks:
            assert "| 村名 | 人口（人） | 收入（万元） |" in searched
            assert all(line.startswith("|") for line in chunk.text.split("\n") if "村 |" in line)


def test_html_cells_are_separated_and_a_spanning_title_row_is_a_caption(tmp_path):
    path = tmp_path / "t.html"
    path.write_text("<html><body><h2>一、2023年工作回顾</h2><table><tr><th colspan='3'>主要指标（%）</th></tr>"
                    "<tr><th>指标</th><th>上半年</th><th>全年</th></tr><tr><td>工业</td><td>5.1</td><td>6.4</td></tr>"
                    "</table></body></html>", encoding="utf-8")
    text = load_document(path).text
    assert "表：主要指标（%）" in text and "| 工业 | 5.1 | 6.4 |" in text and "5.16.4" not in text


# ---- PDF page furniture ---------------------------------------------------------------------------

def test_repro_pdf_header_and_page_numbers_are_dropped():
    doc = load_document(REPRO / "pdf-header-footer.pdf")
    assert "实现乡镇以上区域和重点行政村5G网络全覆盖" in doc.text
    assert "— 1 —" not in doc.text and doc.text.count("青石县人民政府工作报告") == 0
    assert doc.title == "青石县2024年政府工作报告（节选）"


@pytest.mark.parametrize("number", ["— {n} —", "第{n}页", "{n}/3", "-{n}-", "{n}"])
def test_page_numbers_in_their_usual_forms(number):
    pages = [[(0.03, "白河县人民政府文件"), (0.2, f"正文第{n}段，继续"), (0.96, number.format(n=n))] for n in (1, 2, 3)]
    kept = [t for page in without_page_furniture(pages) for _top, t in page]
    assert kept == ["正文第1段，继续", "正文第2段，继续", "正文第3段，继续"]


def test_a_multi_page_pdf_with_running_header_and_footer(tmp_path):
    """Printed by Chromium with CSS page margin boxes: a header and '— n —' on every page."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium fonts-noto-cjk (scripts/setup.sh --test does)")
    body = "".join(f"<p>第{i}项：新建乡村道路{i}公里，完成投资{i}千万元，惠及群众{i}万人，持续改善农村出行条件和生产生活条件。</p>"
                   for i in range(1, 40))
    html = tmp_path / "r.html"
    html.write_text("<html><head><meta charset='utf-8'><style>@page{size:A5;margin:25mm 15mm;"
                    "@top-center{content:'白河县人民政府工作报告'}@bottom-center{content:'— ' counter(page) ' —'}}"
                    "</style></head><body><p>白河县2024年政府工作报告</p><p>一、2023年工作回顾</p>"
                    f"{body}</body></html>", encoding="utf-8")
    pdf = tmp_path / "r.pdf"
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    str(html)], check=True, capture_output=True, timeout=120)
    doc = load_document(pdf)
    assert "白河县人民政府工作报告" not in doc.text and not re.search(r"— \d+ —", doc.text)
    assert "第39项：新建乡村道路39公里" in doc.text
    assert all(line.endswith("。") or "报告" in line or "回顾" in line for line in doc.text.split("\n"))


# ---- text ---------------------------------------------------------------------------------------

def test_hard_wrapped_text_is_joined(tmp_path, embedder):
    paragraphs = ["2024年白河县政府工作报告", "一、2023年工作回顾",
                  "全县围绕乡村振兴，培育家庭农场260家，新建农民专业合作社45个，带动农户增收。",
                  "（二）城市建设", "新建城市道路12公里，改造老旧小区6个，新增停车位1200个。"]
    for width in (20, 17):
        wrapped = "\n".join("\n".join(p[i:i + width] for i in range(0, len(p), width)) for p in paragraphs)
        path = tmp_path / f"w{width}.txt"
        path.write_text(wrapped, encoding="utf-8")
        doc = load_document(path)
        assert "培育家庭农场260家，新建农民专业合作社45个" in doc.text
        assert "（二）城市建设\n新建城市道路12公里" in doc.text
    answer = ask_over(tmp_path, embedder, [tmp_path / "w20.txt"]).ask("培育家庭农场多少家？")
    assert "260家" in answer.text


def test_years_in_chinese_numerals(tmp_path, embedder):
    doc = load_document(REPRO / "zh-numeral-years.txt")
    assert doc.year == 2024
    assert {c.period for c in chunk_document(doc)} == {2023, 2024}
    assistant = ask_over(tmp_path, embedder, [REPRO / "zh-numeral-years.txt"])
    assert not assistant.ask("2022年地区生产总值是多少？").answered
    assert "198.6亿元" in assistant.ask("二〇二三年地区生产总值是多少？").text


def test_declared_charsets_are_verified(tmp_path):
    gbk_only = "<html><head><meta charset='gb2312'><title>2024年埇桥区政府工作报告</title></head><body>" \
               "<p>埇桥区新增绿地1公顷，镕铸精品。</p></body></html>"
    declared_gb2312 = tmp_path / "a.html"
    declared_gb2312.write_bytes(gbk_only.encode("gbk"))
    assert "埇桥区新增绿地1公顷" in load_document(declared_gb2312).text
    lying = tmp_path / "b.html"
    lying.write_bytes(gbk_only.replace("gb2312", "utf-8").encode("gbk"))
    doc = load_document(lying)
    assert "埇桥区" in doc.text and doc.title == "2024年埇桥区政府工作报告"
    broken = tmp_path / "c.txt"
    broken.write_bytes(b"\xef\xbb\xbf" + "报告".encode() + b"\xff\xfe\xfa")
    with pytest.raises(RagError, match="c.txt"):
        load_document(broken)


def test_the_section_of_a_citation_is_that_of_its_clause(tmp_path, embedder):
    assistant = ask_over(tmp_path, embedder, [REPRO / "sections.txt"])
    answer = assistant.ask("城乡居民养老保险参保率是多少？")
    assert "96%" in answer.text and answer.citations[0].section.endswith("（三）社会保障")


def test_traditional_characters(tmp_path, embedder):
    path = tmp_path / "港.txt"
    path.write_text("2024年白河縣政府工作報告\n一、2023年工作回顧\n全縣城鎮新增就業1.2萬人，新建學校3所。", encoding="utf-8")
    assistant = ask_over(tmp_path, embedder, [path])
    for question in ("白河县城镇新增就业多少人？", "白河縣城鎮新增就業多少人？"):
        answer = assistant.ask(question)
        assert answer.answered and "城鎮新增就業1.2萬人" in answer.text  # quoted as written


def test_a_scanned_pdf_is_read_by_ocr(tmp_path, embedder):
    if not shutil.which("tesseract"):
        pytest.fail("tesseract is missing: apt-get install tesseract-ocr tesseract-ocr-chi-sim (scripts/setup.sh --test does)")
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 40)
    page = Image.new("RGB", (1240, 700), "white")
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(["白河县2024年政府工作报告", "一、2023年工作回顾", "全县新建乡村公路215公里。",
                              "新增高标准农田3.6万亩。"]):
        draw.text((80, 80 + 120 * i), line, fill="black", font=font)
    scan = tmp_path / "扫描.pdf"
    page.save(scan, "PDF", resolution=150)
    doc = load_document(scan)
    assert "215公里" in doc.text and "OCR" in doc.title
    answer = ask_over(tmp_path, embedder, [scan]).ask("新建乡村公路多少公里？")
    assert "215公里" in answer.text and "OCR" in answer.citations[0].title


# ---- the shared corpora ---------------------------------------------------------------------------

def test_no_chunk_of_the_shared_corpora_holds_page_furniture():
    page_number = re.compile(r"(^|\n)\s*(— ?\d+ ?—|-\d+-|第\s*\d+\s*页|\d+\s*/\s*\d+)\s*(\n|$)")
    documents = [load_document(p) for p in sorted(REPRO.iterdir()) if p.suffix != ".md" or p.name != "README.md"]
    documents.append(load_document(SHARED / "qianjiang-2024-government-work-report-excerpt.txt"))
    with open(SHARED / "gov_reports" / "government_work_reports_clean.jsonl", encoding="utf-8") as fh:
        documents += [Document.from_text(r["text"], title=r["title"], source=f"gov-{r['year']}.txt", year=r["year"])
                      for r in map(json.loads, fh) if r["kind"] == "report"]
    for doc in documents:
        for chunk in chunk_document(doc):
            assert not page_number.search(chunk.text), (doc.source, chunk.text[:80])
            assert "青石县人民政府工作报告" not in chunk.text, (doc.source, chunk.text[:80])
