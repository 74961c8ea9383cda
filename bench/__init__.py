"""Benchmarks for werkpad: run with ``python -m bench`` from the repository root.

Benchmarks measure; they never assert. See docs/benchmarks.md for what each figure means.
"""
