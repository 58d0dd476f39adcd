"""Cold start of the command line: wall time of whole `rag ask` processes on the bundled index.

    python -m eval.cold_start                        # median of 5 runs of `rag ask`
    python -m eval.cold_start --runs 5 --code DIR    # the same with the package from another checkout

Each run is a new Python process (imports, tokenizer, embedder, index opened from disk), which is
what a script calling `rag ask` pays every time. The index is built once beforehand, not timed.
Writes eval/results/cold-start.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import markdown_table, stamp, write_result

QUESTION = "2023年新增城市绿地多少？"


def _run(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rag.cli", *args], env=env, capture_output=True, check=True,
                   cwd=Path(env["RAG_INDEX_DIR"]).parent)  # not the repository: `-m` would import its rag first
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", help="a checkout whose rag package is timed instead of this one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "RAG_INDEX_DIR": str(Path(tmp) / "index")}
        if args.code:
            env["PYTHONPATH"] = str(Path(args.code).resolve())
        _run(["index", "-q"], env)  # not timed: building the index
        rows = []
        for name, cli_args in (("rag ask", ["ask", QUESTION]), ("rag search", ["search", QUESTION, "-k", "3"])):
            times = [_run(cli_args, env) for _ in range(args.runs)]
            rows.append({"command": name, "runs": args.runs, "median s": round(statistics.median(times), 2),
                         "min s": round(min(times), 2), "max s": round(max(times), 2)})
    command = "python -m eval.cold_start " + " ".join(argv if argv is not None else sys.argv[1:])
    text = f"# Cold start\n\n{stamp(command)}\n\n{markdown_table(rows, list(rows[0]))}\n"
    print(text)
    write_result("cold-start.md" if not args.code else "cold-start-baseline.md", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
