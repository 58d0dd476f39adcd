from hypothesis import example, given, settings, strategies as st

from rag.chunking import ChunkerSettings, chunk_document, split_sentences
from rag.documents import Document, bundled_document


def test_chunks_of_the_bundled_report_point_back_into_its_text():
    doc = bundled_document()
    chunks = chunk_document(doc)
    assert len(chunks) > 10
    for chunk in chunks:
        assert doc.text[chunk.start:chunk.end] == chunk.text
        assert chunk.doc_id == doc.doc_id and chunk.year == 2024 and chunk.period == 2023
        assert chunk.paragraph >= 1 and chunk.section
    covered = {i for c in chunks for i in range(c.start, c.end)}
    assert all(i in covered for i, ch in enumerate(doc.text) if ch != "\n")  # nothing is lost


def test_chunk_ids_are_content_hashes():
    """An id names a chunk's document, place and text: a copy of the document read again keeps its
    ids, text added after a chunk leaves that chunk's id alone, and other text gets other ids."""
    doc = bundled_document()
    again = Document.from_text(doc.text, title=doc.title, source=doc.source, year=doc.year, doc_id=doc.doc_id)
    ids = [c.chunk_id for c in chunk_document(doc)]
    assert [c.chunk_id for c in chunk_document(again)] == ids and len(set(ids)) == len(ids)
    longer = Document.from_text(doc.text + "\n（七）新增一段。", title=doc.title, source=doc.source, year=doc.year,
                                doc_id=doc.doc_id)
    assert ids[0] == chunk_document(longer)[0].chunk_id
    other = Document.from_text(doc.text.replace("8.4万平方米", "9.9万平方米"), title=doc.title, source=doc.source,
                               year=doc.year, doc_id=doc.doc_id)
    changed = {c.chunk_id for c in chunk_document(other)} - set(ids)
    assert changed and all("9.9万平方米" in c.text for c in chunk_document(other) if c.chunk_id in changed)


def test_sentences_never_end_inside_quotations_or_book_titles():
    text = "他说：“今年要做好三件事。第一是就业！”随后发布《关于加快发展的意见。试行》。新增绿地8.4万平方米。"
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == ["他说：“今年要做好三件事。第一是就业！”", "随后发布《关于加快发展的意见。试行》。", "新增绿地8.4万平方米。"]


def test_long_sentences_are_cut_at_clauses_never_inside_numbers():
    text = "，".join(f"项目{i}投资12,345.67万元" for i in range(60)) + "。"
    doc = Document.from_text(text, title="测试", source="t.txt")
    chunks = chunk_document(doc, ChunkerSettings(target_chars=100, max_chars=120, overlap_chars=0))
    assert len(chunks) > 5
    for chunk in chunks:
        assert len(chunk.text) <= 120
        assert "12,345.67" in chunk.text or "12,345.67万元" not in text[chunk.start - 5:chunk.end + 5]
        assert not chunk.text[-1].isdigit() or chunk.end == len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("政府工作报告新增绿地8.4万平方米，。！？；“”《》（）()\n 1234567890"), min_size=1))
@example("0" * 33)  # a number longer than a chunk once pushed a chunk past max_chars
def test_any_text_chunks_back_to_itself(text):
    try:
        doc = Document.from_text(text, title="t", source="t.txt")
    except Exception:
        return  # whitespace-only input is refused with a RagError
    for chunk in chunk_document(doc, ChunkerSettings(target_chars=20, max_chars=30, overlap_chars=5)):
        assert doc.text[chunk.start:chunk.end] == chunk.text
        assert 0 < len(chunk.text) <= 30 or "\n" in chunk.text
