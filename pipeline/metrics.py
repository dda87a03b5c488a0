"""Text accuracy measures used by the benchmarks and tests."""

from __future__ import annotations

import numpy as np


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions all cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    bv = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    prev = np.arange(len(b) + 1, dtype=np.int64)
    idx = np.arange(len(b) + 1, dtype=np.int64)
    for i, ch in enumerate(a, start=1):
        cost = (bv != ord(ch)).astype(np.int64)
        cur = np.empty_like(prev)
        cur[0] = i
        # deletion / substitution first, then insertions as a running minimum along the row
        cur[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        cur = np.minimum.accumulate(cur - idx) + idx
        prev = cur
    return int(prev[-1])


def cer(truth: str, reading: str) -> float:
    """Character error rate: edit distance over the length of the truth."""
    if not truth:
        return 0.0 if not reading else 1.0
    return edit_distance(truth, reading) / len(truth)


def infix_distance(needle: str, haystack: str) -> int:
    """Edit distance of ``needle`` to the best-matching substring of ``haystack``."""
    if not needle:
        return 0
    hv = np.frombuffer(haystack.encode("utf-32-le"), dtype=np.uint32)
    prev = np.zeros(len(haystack) + 1, dtype=np.int64)  # free start anywhere in the haystack
    idx = np.arange(len(haystack) + 1, dtype=np.int64)
    for i, ch in enumerate(needle, start=1):
        cost = (hv != ord(ch)).astype(np.int64)
        cur = np.empty_like(prev)
        cur[0] = i
        cur[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        cur = np.minimum.accumulate(cur - idx) + idx
        prev = cur
    return int(prev.min())  # free end anywhere
