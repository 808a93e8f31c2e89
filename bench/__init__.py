"""Benchmarks (``python bench/run.py``); never part of the test suite."""
