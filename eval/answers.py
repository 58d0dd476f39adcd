"""Answer quality of the default (extractive) answerer.

    python -m eval.answers                  # the project's question set over the bundled report
    python -m eval.answers --calibrate      # also sweep the refusal threshold and plot the trade-off
    python -m eval.answers --dataset cmrc --limit 300   # answer extraction on CMRC 2018 dev

Measures: answer accuracy (every gold fact in the answer), evidence cited (a cited passage holds
the gold evidence), citation precision (the quote itself contains a gold fact), refusal accuracy
on unanswerable questions, answer length and latency. Failures go to eval/results/answers-failures.jsonl.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from rag import Assistant

from . import datasets
from .common import index_for, line_plot, markdown_table, result_path, stamp, write_result
from .metrics import percentile


def judge(question: datasets.Question, answer, doc_text: str | None) -> dict:
    cited = answer.citations
    row = {"qid": question.qid, "kind": question.kind, "question": question.question, "answer": answer.text,
           "answered": answer.answered, "resolved": answer.resolved_question}
    if not question.answerable:
        row["correct"] = not answer.answered
        return row
    row["correct"] = answer.answered and all(a in answer.text for a in question.answers)
    evidence = question.evidence or question.answers
    row["evidence_cited"] = any(any(e in c.text for e in evidence) for c in cited)
    row["precise_citations"] = sum(any(a in c.quote for a in question.answers) for c in cited)
    row["citations"] = len(cited)
    row["length"] = len(answer.text)
    return row


def run(assistant: Assistant, questions: list[datasets.Question]) -> tuple[list[dict], list[float]]:
    rows, latencies = [], []
    for q in questions:
        started = time.perf_counter()
        answer = assistant.ask(q.question, history=q.history or None)
        latencies.append((time.perf_counter() - started) * 1000)
        rows.append(judge(q, answer, None))
    return rows, latencies


def summarize(rows: list[dict], latencies: list[float]) -> dict:
    answerable = [r for r in rows if "evidence_cited" in r]
    refusable = [r for r in rows if "evidence_cited" not in r]
    single = [r["length"] for r in answerable if r["kind"] in ("single", "paraphrase", "cmrc")]
    citations = sum(r["citations"] for r in answerable)
    return {
        "answer accuracy": sum(r["correct"] for r in answerable) / max(1, len(answerable)),
        "correct + evidence cited": sum(r["correct"] and r["evidence_cited"] for r in answerable) / max(1, len(answerable)),
        "citation precision": sum(r["precise_citations"] for r in answerable) / max(1, citations),
        "refusal accuracy": sum(r["correct"] for r in refusable) / max(1, len(refusable)) if refusable else float("nan"),
        "false refusals": sum(not r["answered"] for r in answerable) / max(1, len(answerable)),
        "median length (single fact)": statistics.median(single) if single else 0,
        "p50 ms": percentile(latencies, 50), "p95 ms": percentile(latencies, 95),
        "answerable": len(answerable), "unanswerable": len(refusable),
    }


def by_kind(rows: list[dict]) -> list[dict]:
    kinds = sorted({r["kind"] for r in rows})
    return [{"kind": k, "n": sum(r["kind"] == k for r in rows),
             "correct": sum(r["correct"] for r in rows if r["kind"] == k) / max(1, sum(r["kind"] == k for r in rows))}
            for k in kinds]


def calibrate(dataset, base: Assistant, thresholds: list[float]) -> list[dict]:
    table = []
    for t in thresholds:
        assistant = Assistant.load(base.config.index_dir, config=base.config.with_(min_evidence=t), embedder=base.embedder)
        rows, _ = run(assistant, dataset.questions)
        s = summarize(rows, [0.0])
        table.append({"threshold": t, "answer accuracy": s["answer accuracy"], "refusal accuracy": s["refusal accuracy"],
                      "false refusals": s["false refusals"]})
    return table


def plot_calibration(table: list[dict], path) -> None:
    xs = [r["threshold"] for r in table]
    line_plot({"answer accuracy (answerable)": (xs, [r["answer accuracy"] for r in table]),
               "refusal accuracy (unanswerable)": (xs, [r["refusal accuracy"] for r in table])},
              "min_evidence (clause-question cosine)", "share of questions", path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="qianjiang", choices=["qianjiang", "cmrc"])
    parser.add_argument("--data")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    command = "python -m eval.answers " + " ".join(argv if argv is not None else sys.argv[1:])
    dataset = datasets.load(args.dataset, args.data)
    if args.limit:
        dataset.questions = dataset.questions[:args.limit]
    assistant = index_for(dataset, quiet=args.quiet)
    rows, latencies = run(assistant, dataset.questions)
    summary = summarize(rows, latencies)
    lines = [f"# Answers: {args.dataset}", "", stamp(command), "",
             markdown_table([{"measure": k, "value": v} for k, v in summary.items()], ["measure", "value"]), "",
             markdown_table(by_kind(rows), ["kind", "n", "correct"])]
    print("\n".join(lines[4:]))
    if args.calibrate:
        table = calibrate(dataset, assistant, [0.86, 0.87, 0.88, 0.885, 0.89, 0.895, 0.90, 0.905, 0.91, 0.92])
        text = markdown_table(table, ["threshold", "answer accuracy", "refusal accuracy", "false refusals"])
        print("\nRefusal threshold trade-off:\n" + text)
        lines += ["", "## Refusal threshold trade-off", "", text, "", f"![calibration](answers-{args.dataset}-calibration.png)"]
        plot_calibration(table, result_path(f"answers-{args.dataset}-calibration.png"))
    write_result(f"answers-{args.dataset}.md", "\n".join(lines) + "\n")
    with open(result_path(f"answers-{args.dataset}-failures.jsonl"), "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if not r["correct"]
                      or not r.get("evidence_cited", True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
