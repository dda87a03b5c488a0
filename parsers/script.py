"""Which script a text is written in, traditional or simplified characters, and writing a
reading back in its page's script.

PP-OCR's Chinese recogniser reads a traditional character now and then as its simplified form
(號 → 号, 學 → 学, 處 → 处): a value read off a page printed in traditional characters comes out
in mixed script.  OpenCC's tables (the ``opencc`` wheel, pinned) tell the two scripts apart and
write the simplified characters back in Taiwan's standard forms (``s2tw``: 秘書, not 祕書).
"""

from __future__ import annotations

from functools import lru_cache

import opencc

# a text is in traditional characters when this share of the characters that differ between
# the scripts are traditional forms: the recogniser leans to simplified forms, so a page printed
# in traditional characters keeps 58–81 % of them (bench/layouts.py, seeds 1976 and 2718), while
# pages printed in simplified characters gave not one traditional form (40 pages)
TRADITIONAL_SHARE = 0.4
# and it has at least this many such characters (a short text is no evidence either way)
MIN_DISTINCT_CHARS = 8


@lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    """``text`` in Taiwan's traditional forms (characters already traditional stay)."""
    return _converter("s2tw").convert(text)


def variants(char: str) -> set[str]:
    """The character and its form in the other script."""
    return {char, to_simplified(char), to_traditional(char)}


def is_traditional(text: str) -> bool:
    """Most of the characters of ``text`` that are written differently in the two scripts are
    in their traditional form."""
    simplified = to_simplified(text)
    traditional = to_traditional(text)
    trad = sum(1 for c, s in zip(text, simplified) if c != s) if len(simplified) == len(text) else 0
    simp = sum(1 for c, t in zip(text, traditional) if c != t) if len(traditional) == len(text) else 0
    return trad + simp >= MIN_DISTINCT_CHARS and trad >= TRADITIONAL_SHARE * (trad + simp)
