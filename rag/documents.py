"""Load report files (txt, md, docx, pdf, html) into ``Document`` objects with normalised text.

Each format is read by a well-kept library: charset-normalizer (encodings), pdfplumber (PDF text layer),
python-docx (Word), markdown-it-py + BeautifulSoup/lxml (Markdown and HTML). Every failure a user
can cause becomes a ``RagError`` that names the file and says what to do.
"""
from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import RagError
from .normalize import clean_text, unify_cjk_lookalikes
from .structure import detect_report_year

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm")
DEFAULT_MAX_FILE_MB = 200
# A .docx is a zip: refuse archives that would expand far beyond any real report (zip bombs).
_MAX_DOCX_UNZIPPED = 500 * 1024 * 1024
_MAX_DOCX_RATIO = 200


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    text: str  # normalised text: every offset in the system points into this
    source: str  # where it came from (file name or path), shown to users
    year: int | None  # the report's own year (a report of year Y reviews Y-1)
    checksum: str  # sha256 of text: an unchanged document is not re-indexed

    @staticmethod
    def from_text(text: str, *, title: str, source: str = "", year: int | None = None,
                  doc_id: str | None = None) -> "Document":
        cleaned = clean_text(text)
        if not cleaned:
            raise RagError(f"“{source or title}”没有可索引的文字（文件为空或只有空白）：请检查文件内容。")
        if year is None:
            year = detect_report_year(title, source, cleaned)
        return Document(
            doc_id=doc_id or make_doc_id(Path(source).stem if source else title),
            title=title,
            text=cleaned,
            source=source,
            year=year,
            checksum=hashlib.sha256(cleaned.encode("utf-8")).hexdigest(),
        )


def make_doc_id(name: str) -> str:
    """A readable, filesystem- and URL-safe id from a file name (Chinese kept)."""
    slug = re.sub(r"[^\w\u4e00-\u9fff-]+", "-", name).strip("-_")
    return slug[:60] or "doc"


def load_document(path: str | Path, *, title: str | None = None, year: int | None = None,
                  source: str | None = None, max_file_mb: float = DEFAULT_MAX_FILE_MB) -> Document:
    """Read one file. ``source`` overrides the name shown to users (e.g. an upload's original name)."""
    path = Path(path)
    shown = source or path.name
    if not path.is_file():
        raise RagError(f"找不到文件“{shown}”：请检查路径是否正确。")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise RagError(f"不支持的文件类型“{shown}”：支持 {', '.join(SUPPORTED_SUFFIXES)}。")
    size = path.stat().st_size
    if size > max_file_mb * 1024 * 1024:
        raise RagError(f"文件“{shown}”有 {size / 1024 / 1024:.0f} MB，超过上限 {max_file_mb:g} MB："
                       "请拆分文件，或调大 max_file_mb 设置。")
    if size == 0:
        raise RagError(f"文件“{shown}”是空文件（0 字节）：请检查是否上传了正确的文件。")
    reader = _READERS[suffix]
    found_title, text = reader(path, shown)
    stem = Path(shown).stem
    return Document.from_text(text, title=title or found_title or _title_from_text(text) or stem,
                              source=shown, year=year)


def _title_from_text(text: str) -> str | None:
    """A first line such as '2024年政府工作报告' is the title; a first paragraph is not."""
    for line in text.split("\n")[:3]:
        line = line.strip().strip("#").strip()
        if line and len(line) <= 40 and ("报告" in line or "報告" in line) and not line.endswith(("。", "：", ":")):
            return line
    return None


# ---- plain text -------------------------------------------------------------------------

def decode_text(data: bytes, name: str) -> str:
    """Decode bytes of unknown encoding: UTF-8 (with or without BOM), UTF-16/32, GB18030/GBK, Big5."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise RagError(f"“{name}”标记为 UTF-8 但含有无法解码的字节：请检查文件是否损坏，或另存为 UTF-8 后重试。") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    candidates = [enc for enc in ("gb18030", "big5") if _decodes(data, enc)]
    if len(candidates) == 1 or (candidates and _mostly_common_simplified(data.decode(candidates[0]))):
        # Only one Chinese encoding fits, or the GB reading is ordinary Simplified Chinese (Big5
        # bytes read as GBK give many rare characters): no guessing needed.
        return data.decode(candidates[0])
    best = from_bytes(data, cp_isolation=candidates or ["gb18030", "big5", "utf_16_le", "utf_16_be"]).best()
    if best is None or _looks_binary(str(best)):
        raise RagError(f"无法识别“{name}”的文字编码，它可能是二进制文件：请另存为 UTF-8 文本后重试。")
    encoding = best.encoding
    # GB2312 and GBK are subsets of GB18030: decode with the superset so no character is lost.
    if encoding in ("gb2312", "gbk", "gb18030"):
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise RagError(f"“{name}”的 GBK/GB18030 编码有损坏的字节：请检查文件，或另存为 UTF-8 后重试。") from None
    return str(best)


def _mostly_common_simplified(text: str) -> bool:
    """At least 95% of the non-ASCII characters are in GB2312, the common Simplified set."""
    # Ideographs decide: symbols ('—', 'Ⅱ') map differently in Python's gb2312 table and say nothing
    # of which Chinese encoding the bytes are in.
    wide = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"] or [ch for ch in text if ord(ch) > 127]
    return bool(wide) and sum(_encodable(ch, "gb2312") for ch in wide) >= 0.95 * len(wide)


def _encodable(ch: str, encoding: str) -> bool:
    return ch.encode(encoding, errors="replace").decode(encoding) == ch


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _looks_binary(text: str) -> bool:
    if not text:
        return True
    odd = sum(1 for ch in text[:4000] if ch == "\x00" or (ord(ch) < 32 and ch not in "\n\r\t\f"))
    return odd / min(len(text), 4000) > 0.01


def _read_text(path: Path, name: str) -> tuple[str | None, str]:
    text = decode_text(path.read_bytes(), name)
    if _looks_binary(text):
        raise RagError(f"“{name}”看起来是二进制文件而不是文本：请上传 txt、md、docx、pdf 或 html 报告。")
    return None, _join_pdf_lines(text) if _hard_wrapped(text) else text


def _hard_wrapped(text: str) -> bool:
    """Text wrapped at a fixed width (as copied out of a PDF): most lines are of about one length
    and end inside a sentence. Paragraph-per-line text (the bundled report) is left as it is."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 5:
        return False
    open_ended = sum(not line.endswith(_SENTENCE_END) for line in lines)
    lengths = sorted(len(line) for line in lines)
    return open_ended >= 0.5 * len(lines) and lengths[len(lengths) // 2] <= 60


# ---- Markdown and HTML --------------------------------------------------------------------

# Real pages nest a few dozen elements deep; a parse of 100,000 nested <div> takes BeautifulSoup
# minutes (time grows with the square of the depth, issue #19): such pages are refused up front.
MAX_HTML_DEPTH = 512
_TAG = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr".split())


def html_depth(html: bytes) -> int:
    """The deepest nesting of elements, counted from the tags alone (O(n), no tree built)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if self_closing or name.lower() in _VOID:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def table_lines(rows: list[list[str]]) -> list[str]:
    """A table as text lines, one row a line, cells between '|' ('| 柳湾村 | 1669 | 50.1 |'); a
    first row of one cell spanning the table (a title row) is its caption ('表：…'). Chunking keeps
    the header with every chunk of rows and the figure records read each cell (rag.figures)."""
    rows = [[" ".join(c.split()).replace("|", "｜") for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    caption = None
    if len(rows) > 1 and len(set(rows[0]) - {""}) == 1 and max(len(set(r)) for r in rows[1:]) > 1:
        caption, rows = next(c for c in rows[0] if c), rows[1:]
    width = max((len(r) for r in rows), default=0)
    lines = [f"表：{caption}"] if caption else []
    return lines + ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]


def _html_to_text(html: str | bytes, name: str = "") -> tuple[str | None, str]:
    from bs4 import BeautifulSoup

    depth = html_depth(html if isinstance(html, bytes) else html.encode("utf-8", "replace"))
    if depth > MAX_HTML_DEPTH:
        raise RagError(f"“{name}”的 HTML 元素嵌套 {depth} 层，超过 {MAX_HTML_DEPTH} 层上限，疑似恶意构造，已拒绝："
                       "请另存为 txt 或 docx 后重试。")
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "template"]):
        tag.decompose()
    title = None
    if soup.title and soup.title.get_text(strip=True):
        title = soup.title.get_text(strip=True)
    elif soup.find("h1"):
        title = soup.find("h1").get_text(strip=True)
    if soup.title:
        soup.title.decompose()
    # Tables first, innermost first: cells are separated and rows are rows ('5.1 | 6.4 | 7.9').
    for table in reversed(soup.find_all("table")):
        rows = []
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue
            cells = []
            for cell in tr.find_all(["td", "th"], recursive=False):
                text = cell.get_text(" ", strip=True)
                span = int(cell.get("colspan", 1)) if str(cell.get("colspan", "1")).isdigit() else 1
                cells.extend([text] * min(span, 50))
            rows.append(cells)
        table.replace_with("\n" + "\n".join(table_lines(rows)) + "\n")
    # Block elements end lines; inline ones (<b>, <span>) must not split a sentence.
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.append("\n")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    return title, soup.get_text("")


_HTML_BLOCKS = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote",
                "pre", "ul", "ol", "dd", "dt", "caption"]
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)


def _read_html(path: Path, name: str) -> tuple[str | None, str]:
    """The declared charset is verified, never trusted: gb2312 and GBK are read as their superset
    GB18030 (as browsers do), a declaration the bytes do not decode in falls back to detection,
    and text that decodes to replacement characters is refused by name (issue #17)."""
    data = path.read_bytes()
    declared = _DECLARED_CHARSET.search(data[:4096])
    text = None
    if declared:
        encoding = declared.group(1).decode("ascii", "replace").lower()
        encoding = "gb18030" if encoding in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936") else encoding
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            text = None  # a wrong or unknown declaration: detect instead
    if text is None:
        text = decode_text(data, name)
    if "\ufffd" in text:
        raise RagError(f"“{name}”的文字无法按声明的编码或检测到的编码正确解码（出现乱码）："
                       "请用浏览器或编辑器另存为 UTF-8 后重试。")
    return _html_to_text(text, name)


def _read_markdown(path: Path, name: str) -> tuple[str | None, str]:
    from markdown_it import MarkdownIt

    text = decode_text(path.read_bytes(), name)  # Markdown joins its own soft line breaks
    if _looks_binary(text):
        raise RagError(f"“{name}”看起来是二进制文件而不是文本：请上传 txt、md、docx、pdf 或 html 报告。")
    # html=False: raw HTML in a Markdown file is shown as text, never interpreted.
    return _html_to_text(MarkdownIt("commonmark", {"html": False}).enable("table").render(text), name)


# ---- Word -------------------------------------------------------------------------------

def _read_docx(path: Path, name: str) -> tuple[str | None, str]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise RagError(f"“{name}”不是有效的 Word 文件（{exc}）：请用 Word 重新另存为 .docx 后重试。") from exc
    unzipped = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unzipped > _MAX_DOCX_UNZIPPED or unzipped / packed > _MAX_DOCX_RATIO:
        raise RagError(f"“{name}”解压后异常巨大（{unzipped / 1024 / 1024:.0f} MB），疑似压缩炸弹，已拒绝：请检查文件来源。")
    import docx

    try:
        document = docx.Document(str(path))
    except MemoryError:
        raise  # the worker's memory limit (rag.parsing) says so by name
    except Exception as exc:  # python-docx raises many types for broken packages
        raise RagError(f"“{name}”无法作为 Word 文件打开（{type(exc).__name__}）：请用 Word 重新另存为 .docx 后重试。") from exc
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    # Paragraphs and tables in document order: a table belongs to the section it stands in.
    lines = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            rows = []
            for row in Table(child, document).rows:
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell is listed once per grid column it spans
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(cell.text)
                rows.append(cells)
            lines.extend(table_lines(rows))
    return _meaningful_title(document.core_properties.title), "\n".join(lines)


# ---- PDF --------------------------------------------------------------------------------

_SENTENCE_END = tuple("。！？：；!?:;”）)")
_HEADING_START = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[章节部分])")


def _read_pdf(path: Path, name: str) -> tuple[str | None, str]:
    """The text layer, read by pdfplumber (pdfminer.six), which orders characters by their position
    on the page: office suites write quotation marks out of order in the content stream, and a
    reader that follows the stream (pypdf) gives 「总体稳“”定」 for 「总体稳定」 (eval/RESULTS.md)."""
    import logging

    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings of ordinary files
    encrypted = f"PDF“{name}”已加密：请先去除密码保护后再上传。"
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [[(line["top"] / page.height, line["text"]) for line in page.extract_text_lines()]
                     for page in pdf.pages]
            title = pdf.metadata.get("Title")
    except Exception as exc:  # pdfminer surfaces many kinds of error on hostile files; never crash indexing
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc  # pdfplumber wraps them
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "crypt" in str(cause).lower():
            raise RagError(encrypted) from exc
        raise RagError(f"PDF“{name}”已损坏或无法读取（{type(cause).__name__}）：请重新导出或下载该文件。") from exc
    scanned = not any(text.strip() for page in pages for _top, text in page)
    if scanned:
        pages = [[(0.5, line) for line in page.split("\n")] for page in ocr_pdf(path, name)]
    pages = [[text for _top, text in page] for page in without_page_furniture(pages)]
    if isinstance(title, bytes):
        title = title.decode("utf-16" if title.startswith((b"\xfe\xff", b"\xff\xfe")) else "latin-1", "replace")
    text = _PDF_CJK_SPACE.sub("", unify_cjk_lookalikes("\n".join(line for page in pages for line in page)))
    title = _meaningful_title(title if isinstance(title, str) else None)
    text = _join_pdf_lines(text)
    if scanned:  # said in the title, so every citation of it shows it was read by OCR
        title = (title or _title_from_text(text) or Path(name).stem) + OCR_MARK
    return title, text


OCR_MARK = "（扫描件，OCR识别）"
# Page numbers in their usual forms: '— 1 —', '-1-', '第1页', '第 1 页 共 12 页', '1/12', '1'.
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$|"
                          r"^\d{1,4}\s*/\s*\d{1,4}$|^Page\s+\d+(\s+of\s+\d+)?$", re.I)
_EDGE = 0.12  # top and bottom share of the page where running headers and footers stand


def without_page_furniture(pages: list[list[tuple[float, str]]]) -> list[list[tuple[float, str]]]:
    """Drop running headers and footers and page numbers: lines near the top or bottom of a page
    (``_EDGE``) that are a page number, or whose text (digits aside) recurs at the edge of at
    least half of the pages (two at least), so a sentence broken by a page end joins up again."""
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", "".join(text.split()))

    edge_counts: dict[str, int] = {}
    for page in pages:
        for k in {key(t) for top, t in page if top < _EDGE or top > 1 - _EDGE}:
            edge_counts[k] = edge_counts.get(k, 0) + 1
    repeated = {k for k, n in edge_counts.items() if n >= max(2, len(pages) / 2)} if len(pages) > 1 else set()
    kept = []
    for page in pages:
        kept.append([(top, t) for top, t in page if not ((top < _EDGE or top > 1 - _EDGE)
                     and (_PAGE_NUMBER.match(t.strip()) or key(t) in repeated))])
    return kept


def ocr_pdf(path: Path, name: str) -> list[str]:
    """Text of a scanned PDF's pages by Tesseract (Debian: tesseract-ocr, tesseract-ocr-chi-sim),
    each page rendered at 300 dpi by pypdfium2 (PDFium, shipped with pdfplumber)."""
    import shutil
    import subprocess
    import tempfile

    if not shutil.which("tesseract"):
        raise RagError(f"PDF“{name}”没有文字层（扫描件），需要 OCR：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim"
                       "（Debian/Ubuntu：sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim）后重试。")
    languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    if "chi_sim" not in languages:
        raise RagError(f"PDF“{name}”是扫描件，但没有安装中文识别数据：请安装 tesseract-ocr-chi-sim 后重试。")
    import pypdfium2

    pages = []
    with tempfile.TemporaryDirectory() as tmp:
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            for i in range(len(pdf)):
                image = Path(tmp) / f"{i}.png"
                pdf[i].render(scale=300 / 72).to_pil().save(image)
                done = subprocess.run(["tesseract", str(image), "stdout", "-l", "chi_sim+eng", "--psm", "6"],
                                      capture_output=True, text=True, timeout=300)
                pages.append(done.stdout)
        finally:
            pdf.close()
    if not "".join(pages).strip():
        raise RagError(f"PDF“{name}”是扫描件，OCR 没有识别出文字：请检查扫描质量。")
    return pages


# Text extraction guesses spaces from glyph gaps: between Chinese and anything else they are
# artefacts of font changes ('2024 年'), not the author's.
_CJK = "\u4e00-\u9fff，。、；：！？“”（）《》"
_PDF_CJK_SPACE = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[\\w{_CJK}])|(?<=\\w)[ \t]+(?=[{_CJK}])")


def _meaningful_title(title: str | None) -> str | None:
    """Document metadata titles are often a file name ('报告.html', 'Microsoft Word - x.docx')."""
    if not title or not re.search(r"[\u4e00-\u9fff]", title) or re.search(r"\.\w{2,5}$", title.strip()):
        return None
    return title.strip()


def _join_pdf_lines(text: str) -> str:
    """PDF text (and text copied out of it) breaks lines at the page width: re-join lines that do
    not end a sentence. A line is a heading only by its form ('一、', '（三）'), never by being short."""
    out: list[str] = []
    for line in (line.strip() for line in text.split("\n")):
        if not line:
            continue
        if out and not out[-1].endswith(_SENTENCE_END) and not _HEADING_START.match(line) \
                and not _HEADING_START.match(out[-1]) and not line.startswith(("|", "表：")) \
                and not out[-1].startswith(("|", "表：")):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


_READERS = {
    ".txt": _read_text,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
    ".html": _read_html,
    ".htm": _read_html,
}


# ---- the bundled default corpus -------------------------------------------------------------

BUNDLED_REPORT = Path(__file__).parent / "data" / "qianjiang-2024-government-work-report-excerpt.txt"
BUNDLED_TITLE = "重庆市黔江区2024年政府工作报告（节选）"


def bundled_document() -> Document:
    """The 2024 work report of Qianjiang District, Chongqing (sections 三–六, reviewing 2023)."""
    return load_document(BUNDLED_REPORT, title=BUNDLED_TITLE, year=2024)
