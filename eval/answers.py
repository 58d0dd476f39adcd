"""Answer quality of the default (extractive) answerer, per kind of question.

    python -m eval.answers                                   # every kind, bundled report (eval/data/answers_qianjiang.jsonl)
    python -m eval.answers --dataset answers-gov             # every kind, 52 national reports
    python -m eval.answers --split test                      # only the held-out half
    python -m eval.answers --calibrate                       # also sweep the evidence floor and plot the trade-off
    python -m eval.answers --dataset qianjiang               # the older single-fact set (eval/data/qianjiang_qa.jsonl)
    python -m eval.answers --dataset cmrc --limit 300        # answer extraction on CMRC 2018 dev

Scoring (automatic; a sample is checked by hand, see eval/RESULTS.md):
* a gold fact counts when all its numbers appear in the answer exactly and at least half of its
  wording (character bigrams, numbers and footnote marks left out) does;
* an answer is correct when it is given and holds every gold fact (list and summary: ≥ 80%), and for
  a computed answer also the computed number; an unanswerable question is correct when refused;
* citation precision: the share of cited pieces whose numbers all appear in the quote they cite
  (or are marked computed);
* evidence cited: a citation's passage holds a gold fact.
Failures go to eval/results/answers-<dataset>-failures.jsonl.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time

from rag import Assistant
from rag.answering import COMPUTED_MARK, AnswerSettings
from rag.normalize import FOOTNOTE, fold

from . import datasets
from .common import index_for, line_plot, markdown_table, result_path, stamp, write_result
from .metrics import percentile

LIST_KINDS = ("list", "summary")
_MARKER = re.compile(r"\[(\d+)\]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _plain(text: str) -> str:
    return fold(FOOTNOTE.sub("", _MARKER.sub("", text))).replace(",", "")


def _bigrams(text: str) -> set[str]:
    chars = "".join(ch for ch in text if ch.isalpha())
    return {chars[i:i + 2] for i in range(len(chars) - 1)} or {chars}


def fact_found(fact: dict, answer_text: str) -> bool:
    """All the fact's numbers appear exactly, and at least half of its wording."""
    plain = _plain(answer_text)
    if not all(fold(n).replace(",", "") in plain for n in fact.get("numbers", [])):
        return False
    wording = _bigrams(_plain(fact["text"]))
    return len(wording & _bigrams(plain)) >= 0.5 * len(wording)


def cited_pieces(answer) -> list[tuple[str, int]]:
    """(text before a marker, cited n) for every [n] of the answer."""
    pieces, last = [], 0
    for match in _MARKER.finditer(answer.text):
        pieces.append((answer.text[last:match.start()], int(match.group(1))))
        last = match.end()
    return pieces


def supported(piece: str, quote: str) -> bool:
    """Every number of an answer piece is in its quote (or the piece is a marked computation)."""
    if COMPUTED_MARK in piece:
        return True
    piece = re.sub(r"^(.*?：|\d+\. )", "", piece.split("\n")[-1])  # the quoted fact, not the lead-in or item number
    numbers = set(_NUMBER.findall(_plain(piece)))
    return numbers <= set(_NUMBER.findall(_plain(quote)))


_YES = re.compile(r"^(According to the report: )?(是的?|对|yes)[，,。 ]", re.I)
_NO = re.compile(r"^(According to the report: )?(否|不是|没有|不|未|no\b)", re.I)


def verdict(answer) -> str:
    """是, 否 or 未提及 as the answer's first words say (a refusal: 未提及)."""
    if not answer.answered:
        return "未提及"
    if _YES.search(answer.text):
        return "是"
    if _NO.search(answer.text):
        return "否"
    return "未提及" if re.match(r"报告(中)?(没有|未)(提到|说明|说)", answer.text) else ""


def outcome(question: datasets.Question, answer, row: dict) -> str:
    """correct, partial, refused (an answerable question refused) or false (an unanswerable one
    answered, a wrong 是/否, or an answer holding none of its gold facts and none of their figures)."""
    if not question.answerable:
        return "correct" if not answer.answered else "false"
    if question.yesno:
        said = verdict(answer)
        if said and said != question.yesno:
            return "false" if said != "未提及" else "refused"
        if question.yesno == "未提及":
            return "correct"
        if not answer.answered:
            return "refused"
        if not said:
            return "partial"  # the quote without a verdict
    elif not answer.answered:
        return "refused"
    if row["correct"]:
        return "correct"
    found = row.get("facts_found", "0/1").split("/")[0]
    # false is a wrong answer: none of the gold facts and none of their figures. An answer with a
    # gold figure but not the whole gold clause ('国内生产总值2000年达89404亿元' for a gold fact that
    # also gives 平均每年增长8.3％) is partial (judge changed 2026-12-02; it counted such answers false).
    return "partial" if int(found) > 0 or row.get("figures_found") else "false"


def judge(question: datasets.Question, answer) -> dict:
    row = {"qid": question.qid, "kind": question.kind, "split": question.split, "question": question.question,
           "answer": answer.text, "answered": answer.answered, "answer_kind": getattr(answer, "kind", ""),
           "resolved": answer.resolved_question}
    if not question.answerable:
        row["unanswerable"] = question.unanswerable or "unanswerable"
        row["correct"] = not answer.answered
        row["outcome"] = outcome(question, answer, row)
        return row
    by_n = {c.n: c for c in answer.citations}
    pieces = cited_pieces(answer)
    row["pieces"] = len(pieces)
    row["supported_pieces"] = sum(n in by_n and supported(p, by_n[n].quote) for p, n in pieces)
    row["length"] = len(_MARKER.sub("", answer.text))
    if question.facts:
        found = [fact_found(f, answer.text) for f in question.facts]
        need = 0.8 if question.kind in LIST_KINDS else 1.0
        row["facts_found"] = f"{sum(found)}/{len(found)}"
        plain = _plain(answer.text)
        row["figures_found"] = any(fold(n).replace(",", "") in plain for f in question.facts for n in f.get("numbers", []))
        correct = answer.answered and sum(found) >= need * len(found) - 1e-9
        number = (question.computed or {}).get("number")
        if number and fold(str(number)) not in _plain(answer.text):
            correct = False
        row["correct"] = correct
        evidence = [f["text"] for f in question.facts]
    else:  # the older set: answers are strings
        row["correct"] = answer.answered and all(a in answer.text for a in question.answers)
        evidence = question.evidence or question.answers
    row["evidence_cited"] = any(any(_plain(e) in _plain(c.text) for e in evidence) for c in answer.citations)
    if question.yesno and question.yesno != "未提及":
        row["correct"] = row["correct"] and verdict(answer) == question.yesno
    row["outcome"] = outcome(question, answer, row)
    # A refusal that quotes the answer: the failure users notice most.
    row["refused_quoting_answer"] = row["outcome"] == "refused" and any(
        fact_found(f, answer.text) or any(_plain(f["text"]) in _plain(h.text) for h in answer.related[:1])
        for f in question.facts)
    return row


def run(assistant: Assistant, questions: list[datasets.Question]) -> tuple[list[dict], list[float]]:
    rows, latencies = [], []
    for q in questions:
        started = time.perf_counter()
        answer = assistant.ask(q.question, history=q.history or None)
        latencies.append((time.perf_counter() - started) * 1000)
        rows.append(judge(q, answer))
    return rows, latencies


def _share(rows: list[dict], key: str = "correct") -> float:
    return sum(bool(r[key]) for r in rows) / len(rows) if rows else float("nan")


def summarize(rows: list[dict], latencies: list[float]) -> dict:
    answerable = [r for r in rows if "unanswerable" not in r]
    refusable = [r for r in rows if "unanswerable" in r]
    pieces = sum(r["pieces"] for r in answerable)
    fact_lengths = [r["length"] for r in answerable if r["kind"] not in LIST_KINDS and r["answered"]]
    list_lengths = [r["length"] for r in answerable if r["kind"] in LIST_KINDS and r["answered"]]
    wrong_place_or_year = [r for r in refusable if r["answered"] and r["unanswerable"] in ("other_place", "other_year", "plan_vs_result")]
    def outcome_share(name: str) -> float:
        return sum(r.get("outcome") == name for r in answerable) / max(1, len(answerable))

    return {
        "answerable: correct": _share(answerable),
        "answerable: partial": outcome_share("partial"),
        "answerable: wrongly refused": outcome_share("refused"),
        "answerable: false answers": sum(r.get("outcome") == "false" for r in answerable),
        "refusals quoting the answer": sum(bool(r.get("refused_quoting_answer")) for r in answerable),
        "unanswerable: answered (false)": sum(r.get("outcome") == "false" for r in refusable),
        "answerable: correct + evidence cited": sum(r["correct"] and r["evidence_cited"] for r in answerable) / max(1, len(answerable)),
        "unanswerable: refused": _share(refusable),
        "wrong place/year/plan answers": len(wrong_place_or_year),
        "citation precision": sum(r["supported_pieces"] for r in answerable) / max(1, pieces),
        "false refusals": sum(not r["answered"] for r in answerable) / max(1, len(answerable)),
        "median length (fact kinds)": statistics.median(fact_lengths) if fact_lengths else 0,
        "median length (list, summary)": statistics.median(list_lengths) if list_lengths else 0,
        "p50 ms": percentile(latencies, 50), "p95 ms": percentile(latencies, 95),
        "answerable": len(answerable), "unanswerable": len(refusable),
    }


def by_kind(rows: list[dict]) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["kind"] if "unanswerable" not in r else f"unanswerable: {r['unanswerable']}", []).append(r)
    return [{"kind": k, "n": len(g), "correct": _share(g),
             "partial": sum(r.get("outcome") == "partial" for r in g),
             "refused": sum(r.get("outcome") == "refused" for r in g),
             "false": sum(r.get("outcome") == "false" for r in g)} for k, g in sorted(groups.items())]


def calibrate(dataset, base: Assistant, floors: list[float]) -> list[dict]:
    table = []
    for floor in floors:
        settings = AnswerSettings(min_evidence=floor)
        assistant = Assistant.load(base.config.index_dir, config=base.config.with_(answering=settings), embedder=base.embedder)
        rows, _ = run(assistant, dataset.questions)
        s = summarize(rows, [0.0])
        table.append({"min_evidence": floor, "answerable correct": s["answerable: correct"],
                      "unanswerable refused": s["unanswerable: refused"], "false refusals": s["false refusals"]})
    return table


def plot_calibration(table: list[dict], path) -> None:
    xs = [r["min_evidence"] for r in table]
    line_plot({"answerable: correct": (xs, [r["answerable correct"] for r in table]),
               "unanswerable: refused": (xs, [r["unanswerable refused"] for r in table])},
              "min_evidence (clause-question cosine floor)", "share of questions", path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="answers-qianjiang",
                        choices=["answers-qianjiang", "answers-gov", "qianjiang", "cmrc", *datasets.BLIND])
    parser.add_argument("--data")
    parser.add_argument("--split", choices=["dev", "test"], help="only this half of an answer set")
    parser.add_argument("--kind", help="only questions of this kind")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--name", help="result file name (default: the dataset and split)")
    args = parser.parse_args(argv)
    command = "python -m eval.answers " + " ".join(argv if argv is not None else sys.argv[1:])
    dataset = datasets.load(args.dataset, args.data)
    if args.split:
        dataset.questions = [q for q in dataset.questions if q.split == args.split]
    if args.kind:
        dataset.questions = [q for q in dataset.questions if q.kind == args.kind]
    if args.limit:
        dataset.questions = dataset.questions[:args.limit]
    assistant = index_for(dataset, quiet=args.quiet)
    rows, latencies = run(assistant, dataset.questions)
    summary = summarize(rows, latencies)
    # answers-qianjiang.md, answers-gov.md, answers-cmrc.md; the older single-fact set: answers-single-facts.md
    base = {"qianjiang": "answers-single-facts", "cmrc": "answers-cmrc"}.get(args.dataset, args.dataset)
    name = args.name or base + (f"-{args.split}" if args.split else "")
    lines = [f"# Answers: {name}", "", stamp(command), "",
             markdown_table([{"measure": k, "value": v} for k, v in summary.items()], ["measure", "value"]), "",
             markdown_table(by_kind(rows), ["kind", "n", "correct", "partial", "refused", "false"])]
    print("\n".join(lines[4:]))
    if args.calibrate:
        table = calibrate(dataset, assistant, [0.80, 0.83, 0.85, 0.86, 0.87, 0.88, 0.89, 0.90])
        text = markdown_table(table, ["min_evidence", "answerable correct", "unanswerable refused", "false refusals"])
        print("\nEvidence floor trade-off:\n" + text)
        lines += ["", "## Evidence floor trade-off", "", text, "", f"![calibration]({name}-calibration.png)"]
        plot_calibration(table, result_path(f"{name}-calibration.png"))
    write_result(f"{name}.md", "\n".join(lines) + "\n")
    with open(result_path(f"{name}-failures.jsonl"), "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if not r["correct"]
                      or not r.get("evidence_cited", True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
