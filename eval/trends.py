"""Trend questions over the 52 national reports (issue #18), judged cell by cell.

    python -m eval.trends                      # eval/data/blind/trends_gov.jsonl (written blind; a dev set since stop 23)
    python -m eval.trends --set eval/data/blind/trends_t2.jsonl   # written blind 2026-12-02, frozen

Each gold cell is (year, result|target) with the figure as the right report writes it, or null
when no report gives it. A cell of the answer (``Answer.series``) is
* right when its figure's numbers are the gold value's and it is cited to the gold report;
* missing when the gold has a figure and the answer says 报告未给出;
* false when it gives a figure where the gold has none, another figure, or cites another
  report (another year's or the other kind's figure): the worst failure.
A superlative question is right when it names the gold year. Latency is per question, 2 cores.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

from rag.normalize import fold
from rag.numbers import quantities

from . import datasets
from .common import index_for, markdown_table, stamp, write_result

SET = Path(__file__).parent / "data" / "blind" / "trends_gov.jsonl"
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def numbers(text: str) -> list[str]:
    """The numbers of a figure as digits ('百分之十二点八' and '8 ．8 ％' included)."""
    plain = fold(text or "").replace(" ", "")
    plain = re.sub(r"百分之([一二三四五六七八九十点〇零]+)", lambda m: _cn_number(m.group(1)) + "%", plain)
    digits = re.findall(r"\d+(?:\.\d+)?", plain.replace(",", ""))
    # a figure in Chinese numerals ('一万零五百亿斤') compares by its value
    return digits or [f"{q.value:g}" for q in quantities(plain)]


def _cn_number(text: str) -> str:
    """'十二点八' -> '12.8', '二十三' -> '23', '九点五' -> '9.5' (the 1990s reports write percentages so)."""
    whole, _, frac = text.partition("点")
    tens, _, ones = whole.partition("十")
    value = (_CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)) if "十" in whole else _CN_DIGITS.get(whole, 0)
    return str(value) + ("." + "".join(str(_CN_DIGITS.get(ch, "")) for ch in frac) if frac else "")


def judge(question: dict, answer) -> dict:
    points = {}
    for series in answer.series:
        for p in series["points"]:
            points.setdefault((p["year"], p["kind"]), p)
    right = missing = false = 0
    wrong = []
    for cell in question["cells"]:
        point = points.get((cell["year"], cell["kind"]))
        if cell["value"] is None:
            if point is None:
                right += 1
            else:
                false += 1
                wrong.append(f"{cell['year']}{cell['kind']}: gave {point['text']} (gold none)")
            continue
        if point is None:
            missing += 1
            continue
        gold_numbers, given = numbers(cell["value"]), numbers(point["text"])
        report = int(re.search(r"(19|20)\d{2}", point["title"]).group(0)) if re.search(r"(19|20)\d{2}", point["title"]) else None
        if gold_numbers and gold_numbers[:1] == given[:1] and report == cell["report_year"]:
            right += 1
        else:
            false += 1
            wrong.append(f"{cell['year']}{cell['kind']}: gave {point['text']} from {report} (gold {cell['value']} from {cell['report_year']})")
    superlative = question.get("superlative")
    extreme_right = None
    if superlative:
        extreme_right = bool(re.search(rf"最[高低多少大小快慢]的是{superlative['year']}年", answer.text))
    return {"id": question["id"], "question": question["question"], "cells": len(question["cells"]),
            "right": right, "missing": missing, "false": false, "superlative": extreme_right,
            "answered": answer.answered, "wrong": wrong}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data")
    parser.add_argument("--set", default=str(SET))
    args = parser.parse_args(argv)
    command = "python -m eval.trends " + " ".join(argv if argv is not None else sys.argv[1:])
    assistant = index_for(datasets.load("gov", args.data), quiet=True)
    questions = [json.loads(line) for line in Path(args.set).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows, latencies = [], []
    assistant.ask("2023年城镇新增就业多少？")  # warm: the figure records are built on first use
    for q in questions:
        started = time.perf_counter()
        answer = assistant.ask(q["question"])
        latencies.append(time.perf_counter() - started)
        rows.append(judge(q, answer))
    cells = sum(r["cells"] for r in rows)
    superlatives = [r for r in rows if r["superlative"] is not None]
    summary = [{"measure": "questions", "value": len(rows)},
               {"measure": "year cells", "value": cells},
               {"measure": "cells right (figure and report)", "value": sum(r["right"] for r in rows) / cells},
               {"measure": "cells missing (报告未给出 where a report gives it)", "value": sum(r["missing"] for r in rows) / cells},
               {"measure": "cells false (wrong figure, year, kind or report)", "value": sum(r["false"] for r in rows)},
               {"measure": "superlative year right", "value": f"{sum(bool(r['superlative']) for r in superlatives)}/{len(superlatives)}"},
               {"measure": "median s per question", "value": statistics.median(latencies)},
               {"measure": "max s per question", "value": max(latencies)}]
    per_question = [{"id": r["id"], "question": r["question"], "cells": r["cells"], "right": r["right"],
                     "missing": r["missing"], "false": r["false"], "wrong": "; ".join(r["wrong"])[:300]} for r in rows]
    text = "\n".join([f"# Trends: {Path(args.set).name}", "", stamp(command), "",
                      markdown_table(summary, ["measure", "value"]), "",
                      markdown_table(per_question, ["id", "question", "cells", "right", "missing", "false", "wrong"])])
    print("\n".join(text.splitlines()[:16]))
    write_result("trends-gov.md" if Path(args.set) == SET else f"trends-{Path(args.set).stem}.md", text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
