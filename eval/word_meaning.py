"""Can the bundled embedder tell a word said otherwise from a different thing? (issue #16, stop 33)

    python -m eval.word_meaning

Cosine (query-side embeddings of both words) of word pairs the answerer must match — the report's
word for the question's (受益/惠及, 看病/就医) — and of pairs it must keep apart (二级/一级, 出口/进口).
If the two ranges overlap, no threshold on word meaning separates them and the missing-word check
stays lexical. Result of 2026-12-04 in eval/RESULTS.md (stop 33).
"""
from __future__ import annotations

from rag.embedding import DEFAULT_EMBEDDER, make_embedder

SAME = [("受益", "惠及"), ("教书", "教育"), ("看病", "卫生"), ("看病", "就医"), ("人家", "户"), ("头名", "第一"),
        ("工厂", "工业"), ("招来", "引进"), ("新评", "新增"), ("外地人", "区外"), ("兜底", "救助"), ("生源", "学生"),
        ("总产量", "生产"), ("洪水", "洪涝"), ("研发", "研究与实验发展"), ("饭碗", "就业"), ("城里", "城区"),
        ("钱", "资金"), ("通车", "建成投用")]
APART = [("受益", "建成"), ("充电", "停车位"), ("资产总额", "盘活"), ("最高", "第三"), ("二级", "一级"), ("金牌", "银牌"),
         ("居民", "项目"), ("竣工", "加快建设"), ("房产税", "房地产"), ("高速公路", "高速铁路"), ("外资", "投资"),
         ("失业率", "就业"), ("出口", "进口"), ("研发", "教育"), ("医生", "教师"), ("粮食", "蔬菜"),
         ("民营企业", "国有企业"), ("贷款", "存款")]


def cosines(embedder, pairs: list[tuple[str, str]]) -> list[float]:
    left = embedder.embed_queries([a for a, _ in pairs])
    right = embedder.embed_queries([b for _, b in pairs])
    return [float(a @ b) for a, b in zip(left, right)]


def main() -> int:
    embedder = make_embedder(DEFAULT_EMBEDDER)
    for name, pairs in (("said otherwise", SAME), ("must stay apart", APART)):
        values = cosines(embedder, pairs)
        print(f"{name}: {min(values):.3f}–{max(values):.3f}  " + " ".join(f"{a}/{b} {v:.3f}" for (a, b), v in zip(pairs, values)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
