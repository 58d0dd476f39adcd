"""Evaluation and benchmarks. Scripts use only the public API of ``rag``; results go to eval/results/."""
