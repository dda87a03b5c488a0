"""Which script a text is written in, traditional or simplified characters, and writing a
reading back in its page's script.

PP-OCR's Chinese recogniser reads a traditional character now and then as its simplified form
(號 → 号, 學 → 学, 處 → 处): a value read off a page printed in traditional characters comes out
in mixed script.  OpenCC's tables (the ``opencc`` wheel, pinned) tell the two scripts apart and
write the simplified characters back in Taiwan's standard forms (``s2tw``: 秘書, not 祕書).
The other way round, PP-OCRv6 writes a character of a page printed in simplified characters
now and then in its traditional form (請丁區長閱示, 電話記錄), or in its Japanese form (its
character list holds Japanese kanji: 反弾 for 反弹): :func:`mend_slips` writes such slips back in
simplified characters.
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
# A page is printed in simplified characters when at most this share of its characters that
# differ between the scripts are traditional forms: PP-OCRv6 small slipped into traditional
# forms on 1-7 % of them on pages printed in simplified characters (bench/layouts.py, seeds 2718
# and 27182: 1 of 35 to 4 of 54), pages in traditional characters keep 58-81 %, and a 1960s
# print that really mixes the scripts (們, 飯, 話 among simplified characters) 43 %
SLIP_SHARE = 0.2


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


@lru_cache(maxsize=None)
def _from_japanese(char: str) -> str:
    """The simplified character of which ``char`` is the Japanese form (弾 → 弹, 広 → 广), or
    ``char`` itself.  Only a character outside GB 2312 can be such a form: one inside it is a
    Chinese character in its own right (芸, which OpenCC's jp2t would take for 藝)."""
    if _in_gb2312(char):
        return char
    simplified = to_simplified(_converter("jp2t").convert(char))
    return simplified if len(simplified) == 1 and _in_gb2312(simplified) else char


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _forms(text: str) -> tuple[int, int]:
    """(traditional forms, simplified forms) among the characters of ``text`` that are written
    differently in the two scripts (OpenCC converts by phrase: 显著 stays, 著 alone is no
    traditional form)."""
    simplified = to_simplified(text)
    traditional = to_traditional(text)
    trad = sum(1 for c, s in zip(text, simplified) if c != s) if len(simplified) == len(text) else 0
    simp = sum(1 for c, t in zip(text, traditional) if c != t) if len(traditional) == len(text) else 0
    return trad, simp


def is_traditional(text: str) -> bool:
    """Most of the characters of ``text`` that are written differently in the two scripts are
    in their traditional form."""
    trad, simp = _forms(text)
    return trad + simp >= MIN_DISTINCT_CHARS and trad >= TRADITIONAL_SHARE * (trad + simp)


def mend_slips(texts: list[str]) -> list[str]:
    """The lines of one page, with the traditional and Japanese forms written in simplified
    characters when the page is printed in simplified characters (at least
    ``MIN_DISTINCT_CHARS`` simplified forms, traditional ones at most ``SLIP_SHARE`` of all):
    those are the recogniser's slips.  A page that mixes the scripts more than that, or is in
    traditional characters, is left as read."""
    forms = [_forms(t) for t in texts]
    trad = sum(f[0] for f in forms)
    simp = sum(f[1] for f in forms)
    if simp < MIN_DISTINCT_CHARS or trad > SLIP_SHARE * (trad + simp):
        return list(texts)
    mended = [to_simplified(t) if f[0] else t for t, f in zip(texts, forms)]
    return [t if t.isascii() else "".join(map(_from_japanese, t)) for t in mended]
