"""Issue #19: hostile files are parsed in a limited worker process and reported by name; the
server's own memory does not grow with them."""
from __future__ import annotations

import resource
import struct
import zipfile

import pytest

from rag.documents import load_document
from rag.errors import RagError
from rag.parsing import IsolatedParser
from tests.files import write_docx


def lying_zip_bomb(path, real_mb: int = 1024):
    """A .docx whose word/document.xml expands to ``real_mb`` MB while both its headers say 1 KB
    (so a check of the declared sizes passes; zipfile then inflates up to 2 GB in one read)."""
    write_docx(path, ["2023年炸弹县政府工作报告", "新建公园1个。"])
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist() if n != "word/document.xml"}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open("word/document.xml", "w") as out:
            block = b"0" * (1024 * 1024)
            for _ in range(real_mb):
                out.write(block)
    data = bytearray(path.read_bytes())
    central = data.rfind(b"word/document.xml") - 46  # its central directory entry
    local = struct.unpack_from("<I", data, central + 42)[0]
    struct.pack_into("<I", data, central + 24, 1024)
    struct.pack_into("<I", data, local + 22, 1024)
    path.write_bytes(bytes(data))
    return path


def test_a_zip_bomb_with_lying_headers_is_stopped_in_the_worker(tmp_path):
    bomb = lying_zip_bomb(tmp_path / "炸弹.docx")
    with zipfile.ZipFile(bomb) as z:
        assert z.getinfo("word/document.xml").file_size == 1024  # the headers lie
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(RagError) as error:
        IsolatedParser(seconds=120, memory_mb=512).load(bomb)
    assert "炸弹.docx" in str(error.value) and "内存" in str(error.value)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100  # the parse ran elsewhere


def test_a_parse_past_its_time_is_stopped_and_named(tmp_path):
    path = tmp_path / "慢.txt"
    path.write_text("2023年报告\n新建公园1个。", encoding="utf-8")
    with pytest.raises(RagError) as error:
        IsolatedParser(seconds=0.001).load(path)
    assert "慢.txt" in str(error.value) and "秒" in str(error.value)
    assert IsolatedParser().load(path).text.endswith("新建公园1个。")  # a fresh worker for the next file


def test_deep_html_is_refused_before_parsing(tmp_path):
    path = tmp_path / "深.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "</body></html>")
    with pytest.raises(RagError) as error:
        load_document(path)
    assert "深.html" in str(error.value) and "嵌套" in str(error.value)
