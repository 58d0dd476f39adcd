"""Question sets: the project's own (eval/data/) and public data found via --data or $RAG_EVAL_DATA."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from rag.documents import Document, bundled_document

HERE = Path(__file__).parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
DATASETS = ("qianjiang", "gov", "cmrc", "answers-qianjiang", "answers-gov")
# Frozen test sets written by people who never saw the code nor the other sets (eval/data/blind/,
# issue #16): measured once, never tuned on.
BLIND = {"blind-qianjiang-a": "qianjiang_a.jsonl", "blind-qianjiang-b": "qianjiang_b.jsonl",
         "blind-gov-c": "gov_c.jsonl", "para-qianjiang": "para_qianjiang.jsonl", "para-gov": "para_gov.jsonl",
         "blind-qianjiang-d": "qianjiang_d.jsonl", "blind-gov-e": "gov_e.jsonl",  # D, E: written 2026-12-02, after stop 22
         # F, G and the paraphrases of D and E: written 2026-12-02, after stop 23
         "blind-qianjiang-f": "qianjiang_f.jsonl", "blind-gov-g": "gov_g.jsonl",
         "para-qianjiang-d": "para_d.jsonl", "para-gov-e": "para_e.jsonl",
         # H, I and the paraphrases of F and G: written 2026-12-02, after stop 24
         "blind-qianjiang-h": "qianjiang_h.jsonl", "blind-gov-i": "gov_i.jsonl",
         "para-qianjiang-f": "para_f.jsonl", "para-gov-g": "para_g.jsonl",
         # J, K, the paraphrases of H and I: written 2026-12-02, after stop 25
         "blind-qianjiang-j": "qianjiang_j.jsonl", "blind-gov-k": "gov_k.jsonl",
         "para-qianjiang-h": "para_h.jsonl", "para-gov-i": "para_i.jsonl",
         # L, M: written 2026-12-02, later in stop 26 (after J and K were measured and read)
         "blind-gov-m": "gov_m.jsonl", "blind-qianjiang-l": "qianjiang_l.jsonl",
         # N, O: written 2026-12-02, after stop 26
         "blind-qianjiang-n": "qianjiang_n.jsonl", "blind-gov-o": "gov_o.jsonl",
         # the paraphrases of L and M: written 2026-12-02, after stop 27
         "para-qianjiang-l": "para_l.jsonl", "para-gov-m": "para_m.jsonl",
         # P, Q: written 2026-12-02, after stop 27
         "blind-qianjiang-p": "qianjiang_p.jsonl", "blind-gov-q": "gov_q.jsonl",
         # R, S, the paraphrases of P and Q, T6: written 2026-12-03, after stop 28
         "blind-qianjiang-r": "qianjiang_r.jsonl", "para-qianjiang-p": "para_p.jsonl", "para-gov-q": "para_q.jsonl",
         "blind-gov-s": "gov_s.jsonl",
         # U, V, the paraphrases of R and S, T7: written 2026-12-03, later in stop 29 (after R and S were measured)
         "blind-qianjiang-u": "qianjiang_u.jsonl", "para-qianjiang-r": "para_r.jsonl", "para-gov-s": "para_s.jsonl",
         "blind-gov-v": "gov_v.jsonl",
         # W, X, the paraphrases of U and V, T8: written 2026-12-03, after stop 29
         "blind-qianjiang-w": "qianjiang_w.jsonl", "para-qianjiang-u": "para_u.jsonl", "para-gov-v": "para_v.jsonl",
         "blind-gov-x": "gov_x.jsonl",
         # the paraphrases of W and X: written 2026-12-03, after stop 30
         "para-qianjiang-w": "para_w.jsonl", "para-gov-x": "para_x.jsonl",
         # Y, Z, T9: written 2026-12-03, after stop 30
         "blind-qianjiang-y": "qianjiang_y.jsonl", "blind-gov-z": "gov_z.jsonl",
         # AA, AB, the paraphrases of Y and Z, T10: written 2026-12-03, during stop 31 (its final test sets)
         "blind-qianjiang-aa": "qianjiang_aa.jsonl", "para-qianjiang-y": "para_y.jsonl", "para-gov-z": "para_z.jsonl",
         "blind-gov-ab": "gov_ab.jsonl",
         # AC, AD, the paraphrases of AA and AB, T11: written 2026-12-03, at the start of stop 32 (its final test sets)
         "blind-qianjiang-ac": "qianjiang_ac.jsonl", "para-qianjiang-aa": "para_aa.jsonl", "para-gov-ab": "para_ab.jsonl",
         "blind-gov-ad": "gov_ad.jsonl",
         # AE, AF, the paraphrases of AC and AD, T12: written 2026-12-04, at the start of stop 33 (its final test sets)
         "blind-qianjiang-ae": "qianjiang_ae.jsonl", "para-qianjiang-ac": "para_ac.jsonl", "para-gov-ad": "para_ad.jsonl",
         "blind-gov-af": "gov_af.jsonl",
         # AG, AH, the paraphrases of AE and AF, T13: written 2026-12-04, at the start of stop 34 (its final test sets)
         "blind-qianjiang-ag": "qianjiang_ag.jsonl", "para-qianjiang-ae": "para_ae.jsonl", "para-gov-af": "para_af.jsonl",
         "blind-gov-ah": "gov_ah.jsonl",
         # AI, AJ, the paraphrases of AG and AH, T14: written 2026-12-04 at the end of stop 34, after its final
         # measurement, and never run: the test sets of the next stop's changes
         "blind-qianjiang-ai": "qianjiang_ai.jsonl", "para-qianjiang-ag": "para_ag.jsonl", "para-gov-ah": "para_ah.jsonl",
         "blind-gov-aj": "gov_aj.jsonl",
         # AK, AL, the paraphrases of AI and AJ, T15: written 2026-12-06 at the start of stop 35 by helpers who saw
         # only the report texts (and AI, AJ for the paraphrases), frozen unrun: the test sets of the next stop
         "blind-qianjiang-ak": "qianjiang_ak.jsonl", "para-qianjiang-ai": "para_ai.jsonl", "para-gov-aj": "para_aj.jsonl",
         "blind-gov-al": "gov_al.jsonl",
         # AM, AN, the paraphrases of AK and AL, T16: written 2026-12-07 at the start of stop 36 by helpers who saw
         # only the report texts (and AK, AL for the paraphrases), frozen unrun: the test sets of the next stop
         "blind-qianjiang-am": "qianjiang_am.jsonl", "para-qianjiang-ak": "para_ak.jsonl", "para-gov-al": "para_al.jsonl",
         "blind-gov-an": "gov_an.jsonl"}


def data_dir(option: str | None = None) -> Path:
    """Where public data lives: --data, else $RAG_EVAL_DATA, else ../shared/data beside the project."""
    return Path(option or os.environ.get("RAG_EVAL_DATA") or DEFAULT_DATA)


@dataclass
class Question:
    qid: str
    question: str
    kind: str = "single"
    answers: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # exact substrings of the gold document
    gold_doc: str | None = None  # doc id of the gold document (None: the only or any document)
    history: list[str] = field(default_factory=list)
    # Answer sets (eval/data/answers_*.jsonl): gold facts, what was computed, why unanswerable.
    facts: list[dict] = field(default_factory=list)  # {"text": verbatim clause, "numbers": [...]}
    computed: dict | None = None
    unanswerable: str | None = None  # absent_measure, other_place, other_year, plan_vs_result, …
    split: str = "dev"
    corpus: str = ""
    yesno: str | None = None  # the right verdict of a yes/no question: 是, 否 or 未提及
    premise: str | None = None  # the wrong figure a false-premise question states

    @property
    def answerable(self) -> bool:
        return bool(self.answers or self.facts) and not self.unanswerable


@dataclass
class Dataset:
    name: str
    documents: list[Document]
    questions: list[Question]
    gold_is_document: bool = False  # CMRC: the gold is a whole passage, ranked by document


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def qianjiang(_data: Path | None = None, path: Path = HERE / "data" / "qianjiang_qa.jsonl") -> Dataset:
    doc = bundled_document()
    questions = [Question(q["id"], q["question"], q["type"], q["answers"], q["evidence"], doc.doc_id,
                          q.get("history", [])) for q in _jsonl(path)]
    return Dataset("qianjiang", [doc], questions)


def gov_reports(data: Path, path: Path = HERE / "data" / "gov_years.jsonl") -> Dataset:
    """The 52 national work reports (resolutions left out: they hold no facts to ask about)."""
    documents = []
    for record in _jsonl(data / "gov_reports" / "government_work_reports_clean.jsonl"):
        if record["kind"] != "report":
            continue
        documents.append(Document.from_text(record["text"], title=record["title"], source=f"gov-{record['year']}.txt",
                                            year=record["year"], doc_id=f"gov-{record['year']}"))
    questions = [Question(q["id"], q["question"], "year", q["answers"], q["evidence"], f"gov-{q['report_year']}")
                 for q in _jsonl(path)]
    return Dataset("gov", documents, questions)


def cmrc(data: Path) -> Dataset:
    """CMRC 2018 dev (CC BY-SA 4.0): 848 passages, 3,219 questions; the gold is the passage."""
    root = data / "cmrc2018"
    documents = [Document.from_text(p["text"], title=p["title"], source=p["id"], doc_id=p["id"])
                 for p in _jsonl(root / "cmrc_dev_corpus.jsonl")]
    questions = [Question(q["qid"], q["question"], "cmrc", q["answers"], [], q["context_id"])
                 for q in _jsonl(root / "cmrc_dev_questions.jsonl")]
    return Dataset("cmrc", documents, questions, gold_is_document=True)


def _answer_questions(path: Path, gold_doc) -> list[Question]:
    return [Question(q["id"], q["question"], q["kind"], [], [f["text"] for f in q["facts"]], gold_doc(q),
                     q.get("history") or [], q["facts"], q.get("computed"),
                     None if q["answerable"] else (q.get("unanswerable_type") or "unanswerable"), q["split"], q["corpus"],
                     q.get("yesno"), q.get("premise"))
            for q in _jsonl(path)]


def blind(name: str, data: Path) -> Dataset:
    """A frozen blind set (``BLIND``) over the corpus its questions name."""
    path = HERE / "data" / "blind" / BLIND[name]
    first = _jsonl(path)[0]
    if first["corpus"] == "gov":
        base = gov_reports(data)
        questions = _answer_questions(path, lambda q: f"gov-{q['report_year']}" if q.get("report_year") else None)
        return Dataset("gov", base.documents, questions)
    doc = bundled_document()
    return Dataset("qianjiang", [doc], _answer_questions(path, lambda q: doc.doc_id))


def answers_qianjiang(_data: Path | None = None) -> Dataset:
    """Every kind of question over the bundled report, with gold facts (eval/data/answers_qianjiang.jsonl)."""
    doc = bundled_document()
    questions = _answer_questions(HERE / "data" / "answers_qianjiang.jsonl", lambda q: doc.doc_id)
    return Dataset("qianjiang", [doc], questions)


def answers_gov(data: Path) -> Dataset:
    """Every kind of question over the national reports, with gold facts (eval/data/answers_gov.jsonl)."""
    base = gov_reports(data)
    questions = _answer_questions(HERE / "data" / "answers_gov.jsonl",
                                  lambda q: f"gov-{q['report_year']}" if q.get("report_year") else None)
    return Dataset("gov", base.documents, questions)


LOADERS = {"qianjiang": qianjiang, "gov": gov_reports, "cmrc": cmrc,
           "answers-qianjiang": answers_qianjiang, "answers-gov": answers_gov}


def load(name: str, data: str | None = None) -> Dataset:
    if name in BLIND:
        return blind(name, data_dir(data))
    if name not in LOADERS:
        raise SystemExit(f"unknown dataset {name!r}: choose from {', '.join(DATASETS)}")
    return LOADERS[name](data_dir(data))
