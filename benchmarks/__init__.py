"""Benchmarks: `python -m benchmarks` runs every row and writes benchmarks/results.json."""
