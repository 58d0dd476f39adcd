"""The `rag` command as users and scripts run it: JSON contracts, exit statuses, index resolution."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def rag(*args, index=None, env_index=None, check=True):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("RAG_INDEX_DIR", None)
    if env_index:
        env["RAG_INDEX_DIR"] = str(env_index)
    cmd = [sys.executable, "-m", "rag.cli"] + (["--index", str(index)] if index else []) + list(args)
    result = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(result.stderr)
    return result


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, bundled_index):
    """A copy of the session's bundled index (these tests add and remove documents)."""
    return Path(shutil.copytree(bundled_index, tmp_path_factory.mktemp("cli") / "index"))


def test_search_json_contract(index_dir):
    result = rag("search", "新增城市绿地", "-k", "3", "--json", index=index_dir)
    data = json.loads(result.stdout)
    assert data["query"] == "新增城市绿地" and len(data["hits"]) == 3
    hit = data["hits"][0]
    assert {"rank", "score", "text", "doc_id", "title", "section", "chunk_id", "start", "end"} <= set(hit)
    assert "8.4万平方米" in hit["text"]
    assert "新增城市绿地" in result.stdout  # Chinese written as is, not \uXXXX


def test_ask_json_contract(index_dir):
    data = json.loads(rag("ask", "2023年新增城市绿地多少？", "--json", index=index_dir).stdout)
    assert data["answered"] is True and "8.4万平方米" in data["answer"] and "[1]" in data["answer"]
    citation = data["citations"][0]
    assert {"n", "text", "quote", "doc_id", "title", "section", "chunk_id", "start", "end"} <= set(citation)
    assert citation["n"] == 1 and "新增城市绿地8.4万平方米" in citation["quote"]


def test_docs_and_remove(index_dir, tmp_path):
    report = tmp_path / "extra.txt"
    report.write_text("2023年政府工作报告\n新增公园12个。", encoding="utf-8")
    added = json.loads(rag("index", str(report), "--json", "-q", index=index_dir).stdout)["results"][0]
    assert added["status"] == "added"
    docs = json.loads(rag("docs", "--json", index=index_dir).stdout)["documents"]
    assert {d["doc_id"] for d in docs} == {"qianjiang-2024-government-work-report-excerpt", added["doc_id"]}
    rag("remove", added["doc_id"], index=index_dir)
    assert len(json.loads(rag("docs", "--json", index=index_dir).stdout)["documents"]) == 1


def test_index_dir_from_environment(index_dir):
    data = json.loads(rag("search", "粮食", "-k", "1", "--json", env_index=index_dir).stdout)
    assert "粮食" in data["hits"][0]["text"]


def test_exit_status_2_with_a_one_line_reason(index_dir, tmp_path):
    for args in (["search", "   "], ["remove", "no-such-doc"], ["search", "x", "-k", "0"], ["frobnicate"]):
        result = rag(*args, index=index_dir, check=False)
        assert result.returncode == 2, args
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    result = rag("index", str(bad), "-q", index=index_dir, check=False)
    assert result.returncode == 2 and "bad.pdf" in result.stderr


def test_index_option_after_the_command_as_in_the_design(index_dir):
    data = json.loads(rag("search", "粮食", "-k", "1", "--json", "--index", str(index_dir)).stdout)
    assert "粮食" in data["hits"][0]["text"]


def test_a_new_index_says_where_it_is_and_q_silences_it(tmp_path):
    # an explicit --index that is not there is a typo: an error, not a new index of the bundled report
    typo = rag("ask", "2023年新增城市绿地多少？", index=tmp_path / "idx", check=False)
    assert typo.returncode == 2 and "不存在" in typo.stderr and "rag index --index" in typo.stderr
    assert not (tmp_path / "idx").exists()
    built = rag("index", index=tmp_path / "idx")  # the command that creates one: the bundled report
    assert str((tmp_path / "idx").resolve()) in built.stderr
    result = rag("ask", "2023年新增城市绿地多少？", index=tmp_path / "idx")
    assert "8.4万平方米" in result.stdout
    quiet = rag("search", "绿地", "-q", "-k", "1", index=tmp_path / "idx")
    assert quiet.stderr == "" and "8.4万平方米" in quiet.stdout  # an existing index: nothing to say
    assert rag("ask", "新增城市绿地多少？", "-q", index=tmp_path / "idx").stderr == ""
    report = tmp_path / "a.txt"
    report.write_text("新建游泳馆17座。", encoding="utf-8")
    assert f"新建索引：{(tmp_path / 'new').resolve()}" in rag("index", str(report), index=tmp_path / "new").stderr


def test_docs_has_column_headers(index_dir):
    header, first = rag("docs", index=index_dir).stdout.splitlines()[:2]
    assert header.split("\t") == ["文档编号", "年份", "块数", "添加时间", "标题"]
    assert first.split("\t")[0] == "qianjiang-2024-government-work-report-excerpt" and first.split("\t")[2].isdigit()


def test_the_readme_examples_work_on_the_bundled_report(index_dir):
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    commands = [shlex.split(line.split("#")[0])[1:] for line in readme.splitlines()
                if re.match(r"\.venv/bin/rag (ask|search) ", line)]
    assert len(commands) >= 2
    for command in commands:
        data = json.loads(rag(*command, "--json", index=index_dir).stdout)
        assert data.get("answered", True) and (data.get("hits") or data.get("citations")), command
    for question in re.findall(r"a\.ask\(\"([^\"]+)\"\)", readme):
        data = json.loads(rag("ask", question, "--json", index=index_dir).stdout)
        assert data["answered"], question
