"""PDF text fidelity: the bundled report saved as .docx and printed to PDF by LibreOffice, and as
HTML printed to PDF by Chromium, read back by pypdf and by pdfplumber.

    python -m eval.pdf_fidelity            # needs `soffice` (libreoffice-writer-nogui) and chromium

For each PDF and reader: the share of characters that differ from the report's own text (edit
operations of difflib over the normalised text, without line breaks), whether quotation marks
stay in place (「总体稳定」, 「建成“口袋公园”[12]4个」), and the own question set's evidence found
verbatim in the top 3 when that file is the index. Writes eval/results/pdf-fidelity.md.
"""
from __future__ import annotations

import argparse
import contextlib
import difflib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rag import Assistant
from rag.documents import BUNDLED_REPORT, bundled_document, load_document

from . import datasets
from .common import markdown_table, stamp, write_result

CHROMIUM = "/usr/bin/chromium"
CHECKS = ("总体稳定", "建成“口袋公园”[12]4个")


def report_paragraphs() -> list[str]:
    return [line for line in BUNDLED_REPORT.read_text(encoding="utf-8").splitlines() if line.strip()]


def chromium_pdf(paragraphs: list[str], path: Path) -> Path:
    """HTML of the paragraphs printed by headless Chromium (Playwright)."""
    import html

    from playwright.sync_api import sync_playwright

    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content(f"<html><head><meta charset='utf-8'></head><body style='font-family:Noto Serif CJK SC'>{body}</body></html>")
        page.pdf(path=str(path), format="A4")
        browser.close()
    return path


def libreoffice_pdf(paragraphs: list[str], directory: Path) -> Path:
    import docx

    source = directory / "report.docx"
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.save(str(source))
    subprocess.run([shutil.which("soffice"), "--headless", "--convert-to", "pdf", "--outdir", str(directory), str(source)],
                   check=True, capture_output=True, timeout=300)
    return directory / "report.pdf"


def differing_share(original: str, extracted: str) -> float:
    a, b = original.replace("\n", ""), extracted.replace("\n", "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return changed / max(1, len(a))


def _read_pdf_with_pypdf(path: Path, name: str):
    """The loader as it was before pdfplumber: pypdf's text, the same clean-up afterwards."""
    from pypdf import PdfReader

    from rag.documents import _PDF_CJK_SPACE, _join_pdf_lines, unify_cjk_lookalikes

    pages = [page.extract_text() or "" for page in PdfReader(str(path)).pages]
    return None, _join_pdf_lines(_PDF_CJK_SPACE.sub("", unify_cjk_lookalikes("\n".join(pages))))


@contextlib.contextmanager
def pdf_reader(name: str):
    """Load PDFs with pdfplumber (the product's reader) or, for comparison, pypdf."""
    import rag.documents as documents

    product = documents._READERS[".pdf"]
    documents._READERS[".pdf"] = product if name == "pdfplumber" else _read_pdf_with_pypdf
    try:
        yield
    finally:
        documents._READERS[".pdf"] = product


def evidence_in_top3(path: Path, index_dir: Path) -> float:
    """Share of the own set's answerable questions whose evidence is verbatim in the top 3."""
    assistant = Assistant.load(index_dir, build_if_missing=False)
    assistant.add_documents([path])
    questions = [q for q in datasets.qianjiang().questions if q.evidence and not q.history]
    found = sum(any(e in h.text for e in q.evidence for h in assistant.search(q.question, k=3)) for q in questions)
    return found / len(questions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    original = bundled_document().text
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pdfs = {"Chromium (HTML)": chromium_pdf(report_paragraphs(), tmp / "chromium.pdf")}
        if shutil.which("soffice"):
            pdfs["LibreOffice (docx)"] = libreoffice_pdf(report_paragraphs(), tmp)
        else:
            print("soffice is missing (apt-get install libreoffice-writer-nogui): LibreOffice row skipped", file=sys.stderr)
        txt = shutil.copy(BUNDLED_REPORT, tmp / "report.txt")
        rows.append({"file": "original .txt", "reader": "-", "chars differing": "0.00%", "quotes in place": "yes",
                     "evidence in top 3": round(evidence_in_top3(Path(txt), tmp / "index-txt"), 3)})
        for name, pdf in pdfs.items():
            for reader in ("pypdf", "pdfplumber"):
                with pdf_reader(reader):
                    text = load_document(pdf).text
                    evidence = evidence_in_top3(pdf, tmp / f"index-{pdf.stem}-{reader}")
                rows.append({"file": name, "reader": reader,
                             "chars differing": f"{100 * differing_share(original, text):.2f}%",
                             "quotes in place": "yes" if all(c in text for c in CHECKS) else "no",
                             "evidence in top 3": round(evidence, 3)})
    command = "python -m eval.pdf_fidelity " + " ".join(argv if argv is not None else sys.argv[1:])
    text = f"# PDF text fidelity\n\n{stamp(command)}\n\n{markdown_table(rows, list(rows[0]))}\n"
    print(text)
    write_result("pdf-fidelity.md", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
