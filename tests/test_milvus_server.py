"""Issue #21: a real Milvus standalone server (the PyPI package ``milvus``, 2.3.x, started here on
free local ports) is refused before anything is embedded or created, in one line that says what
to do; the advice works when followed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rag import Assistant
from rag.errors import RagError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def old_server(tmp_path_factory):
    milvus = pytest.importorskip("milvus", reason="the test extra installs the PyPI milvus server (scripts/setup.sh --test)")
    server = milvus.MilvusServer()
    server.set_base_dir(str(tmp_path_factory.mktemp("milvus-2.3")))
    server.start()  # its ports, the embedded etcd's included, are picked free on 127.0.0.1
    yield f"http://127.0.0.1:{server.listen_port}"
    server.stop()


def test_an_old_server_is_refused_before_any_work(old_server, tmp_path):
    from pymilvus import MilvusClient

    index = tmp_path / "kb"
    done = subprocess.run([sys.executable, "-m", "rag.cli", "index", "--index", str(index), "--store", old_server],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "2.3" in lines[0] and "2.5" in lines[0], done.stderr
    assert "Traceback" not in done.stderr and "向量化" not in done.stderr  # nothing was embedded
    assert MilvusClient(uri=old_server).list_collections() == []  # nothing was created


def test_the_advice_works_when_followed(old_server, tmp_path, embedder):
    with pytest.raises(RagError) as refusal:
        Assistant.load(tmp_path / "kb", store=old_server, embedder=embedder)
    assert "--store kb.db" in str(refusal.value) and "--store faiss" in str(refusal.value)
    for store in ("faiss", str(tmp_path / "kb.db")):  # what the message says to use instead
        assistant = Assistant.load(tmp_path / f"kb-{Path(store).name}", store=store, embedder=embedder)
        assert "8.4万平方米" in assistant.ask("2023年新增城市绿地多少？").text
