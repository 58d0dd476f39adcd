"""Text normalisation.

Two levels, so that what users see and what the matcher compares never drift apart:

* ``clean_text`` produces the document's *normalised text*: the text shown to users and the
  text that every ``start``/``end`` offset points into.
* ``fold`` maps that text character by character (same length, so offsets stay valid) to a
  matching form: full-width digits, letters and punctuation become half-width, letters lower case.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

# Zero-width characters and BOMs that real reports carry and nobody wants to see or match on.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009]+")
# Footnote markers of the original reports, e.g. "亩均论英雄"评价体系[9]
FOOTNOTE = re.compile(r"\[\d{1,3}\]|［\d{1,3}］|\[[０-９]{1,3}\]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# PDF text layers often map glyphs to Kangxi radicals or compatibility ideographs ('⼯作' for '工作');
# they look the same but match nothing. NFKC maps each to its ordinary character.
_CJK_LOOKALIKES = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff]")


# CJK Radicals Supplement characters have no NFKC mapping; these are the ones PDF fonts of
# Simplified Chinese documents use in place of ordinary characters (停⻋位, 粮⻝).
# Found by printing every character of the 52 national reports with Noto Sans CJK SC (Chromium)
# and reading the PDF back: also ⻑ for 長, ⻐ for 钅, and ⼾ and 㬵, whose glyphs are those of 户 and 胶
# (NFKC would make ⼾ the traditional 戶).
_RADICAL_SUPPLEMENT = dict(zip(map(ord, "⻋⻝⻓⻔⻘⻙⻚⻛⻜⻢⻣⻤⻥⻦⻨⻩⻬⻮⻰⻅⻉⻆⻄⺠⻊⻑⻐⼾㬵"),
                               "车食长门青韦页风飞马骨鬼鱼鸟麦黄齐齿龙见贝角西民足長钅户胶"))


def unify_cjk_lookalikes(text: str) -> str:
    return _CJK_LOOKALIKES.sub(lambda m: _nfkc_char(m.group()), text.translate(_RADICAL_SUPPLEMENT))


def clean_text(raw: str) -> str:
    """Normalised display text: one paragraph per line, no empty lines, single spaces."""
    text = unify_cjk_lookalikes(raw.translate(_INVISIBLE)).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    folded = folded.lower() if len(folded) == 1 else ch
    return _traditional_to_simplified().get(folded, folded)


def _traditional_to_simplified() -> dict[str, str]:
    """Character-level traditional -> simplified (OpenCC's TSCharacters table, first reading),
    for matching only: a report or question in traditional characters matches simplified words
    ('城鎮新增就業1.2萬人' reads 城镇新增就业1.2万人), one character for one, so offsets carry over."""
    global _TS
    if _TS is None:
        import opencc

        table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
        _TS = {}
        for line in table.read_text(encoding="utf-8").splitlines():
            source, _, targets = line.partition("\t")
            target = targets.split(" ")[0] if targets else ""
            if len(source) == 1 and len(target) == 1 and source != target:
                _TS[source] = target
    return _TS


_TS: dict[str, str] | None = None


def _nfkc_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


# Cache the per-character mapping: folding is on the hot path of tokenising and sentence scoring.
_FOLD_TABLE: dict[int, str] = {}


def fold(text: str) -> str:
    """Matching form of ``text``, exactly as long as ``text`` (offsets carry over). Years written
    in Chinese numerals become digits ('二〇二三年' -> '2023年', four characters each), so every
    reader of years (documents, sections, questions, checks) reads both forms."""
    table = _FOLD_TABLE
    for ch in set(text):
        if ord(ch) not in table:
            table[ord(ch)] = _fold_char(ch)
    folded = text.translate(table)
    return _ZH_YEAR.sub(_year_digits, folded) if "年" in folded else folded


# '二〇二三年', '二零二三年', '一九九八年': four digit characters before 年 (GB/T 15835 writes 〇).
_ZH_DIGITS = {"〇": "0", "零": "0", "○": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}
_ZH_YEAR = re.compile("(?<![〇零○一二三四五六七八九十])([一二])([〇零○一二三四五六七八九]{3})(?=年)")


def _year_digits(match: re.Match) -> str:
    digits = "".join(_ZH_DIGITS[ch] for ch in match.group(0))
    return digits if digits[:2] in ("19", "20") else match.group(0)


def strip_footnotes(text: str) -> str:
    """Remove footnote markers so that they do not disturb embedding or lexical matching."""
    return FOOTNOTE.sub("", text)
