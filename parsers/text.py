"""Text normalisation in one place.

- Full-width digits and Latin letters become ASCII (NFKC for those only).
- Chinese punctuation stays full-width; the ASCII punctuation OCR engines emit next to Chinese
  characters (``,`` ``:`` ``;`` ``(`` ``)`` ``!`` ``?``) becomes the full-width form a printed
  circular uses.
- Spaces between two CJK characters (or a CJK character and CJK punctuation) are removed:
  Chinese has no word spaces, and tesseract and PDF text layers insert them.
"""

from __future__ import annotations

import re
import unicodedata

# CJK ideographs (with extensions and compatibility forms) and 〇.
CJK_CHARS = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
# Full-width / CJK punctuation that never takes a space next to it.
CJK_PUNCT = r"\u3000-\u3006\u3008-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2026\u00b7\u201c\u201d\u2018\u2019"
CJK_OR_PUNCT = f"[{CJK_CHARS}{CJK_PUNCT}]"

_SPACE_BETWEEN_CJK = re.compile(f"(?<={CJK_OR_PUNCT})[ \\t\\u3000]+(?={CJK_OR_PUNCT})")
# Chinese typesetting puts no space between a character and a number (2014 年, 第 8 号).
_SPACE_CJK_DIGIT = re.compile(
    f"(?<={CJK_OR_PUNCT})[ \\t\\u3000]+(?=\\d)|(?<=\\d)[ \\t\\u3000]+(?={CJK_OR_PUNCT})"
)
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0e\uff05]")
ASCII_TO_FULLWIDTH_PUNCT = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
_ASCII_PUNCT_NEAR_CJK = re.compile(
    f"(?<=[{CJK_CHARS}])\\s*([,:;!?)])|([(])\\s*(?=[{CJK_CHARS}])"
)
_MULTI_SPACE = re.compile(r"[ \t\u3000]{2,}")
# brackets opened right after a Chinese character hold a note to it, set full-width, whatever
# they hold: 增长（%）, 面积（m2）; OCR reads small brackets round Latin text as ASCII
_ASCII_BRACKETS_AFTER_CJK = re.compile(f"(?<=[{CJK_CHARS}])\\(([^()（）]*)\\)")
# A dot between two Chinese characters is no mark of Chinese text: OCR's reading of a worn ，
# (its tail lost), the mark that most often stands there
_COMMA_READ_AS_DOT = re.compile(f"(?<=[{CJK_CHARS}])[.．](?=[{CJK_CHARS}])")
# Characters OCR engines return for a printed mark they resemble, where the printed mark is the
# only reading that occurs in modern official text (丶 is a dictionary radical, not a word; 眞
# the old form of 真).
OCR_CONFUSIONS = {"丶": "、", "眞": "真"}
_CONFUSION = re.compile("|".join(map(re.escape, OCR_CONFUSIONS)))
# A small round 。 on a worn or bilevel scan comes back as · ° or ・; after a Chinese character
# (or closing quote/bracket) and before another or the line's end it is the full stop.  A
# handwritten 。 comes back as a Latin o (or c, or ○ after a character that is no numeral) at the
# end of a line.
# 一 between two digits is a dash misread (2016—2018年), never the numeral
_DASH_READ_AS_ONE = re.compile(r"(?<=\d)一(?=\d)")
# a span of years is written with the dash (2006—2008年, GB/T 15834); OCR returns a hyphen
_YEAR_SPAN_HYPHEN = re.compile(r"(?<![\d])((?:19|20)\d{2})\s*[-－–~～]\s*((?:19|20)\d{2}\s*年)")
_FULL_STOP_READ_AS_DOT = re.compile(
    f"(?<=[{CJK_CHARS}”’）》」])(?:[°•](?=[{CJK_CHARS}“‘（《「]|$)|[oOcC]$|(?<![〇零一二三四五六七八九十])○$)"
)
# · and ・ are also the interpunct of names and compounds (马克思·恩格斯, 中国·杭州, “朗臻·幸福
# 家园”): one is read as a worn 。 only where a sentence can end, after a clause of at least
# this many characters and outside quotation and title marks
_DOT_AFTER_CLAUSE = re.compile(f"(?<=[{CJK_CHARS}”’）》」])[·・](?=[{CJK_CHARS}“‘（《「]|$)")
INTERPUNCT_MAX_NAME = 3
_CLAUSE_BREAK = re.compile(f"[^{CJK_CHARS}]")


def is_cjk(ch: str) -> bool:
    return bool(re.match(f"[{CJK_CHARS}]", ch))


def remove_cjk_spaces(text: str) -> str:
    """Drop spaces between CJK characters, CJK punctuation and digits."""
    return _SPACE_CJK_DIGIT.sub("", _SPACE_BETWEEN_CJK.sub("", text))


def _dot_or_stop(text: str, at: int) -> str:
    """The 。 a worn full stop was read as, or the interpunct the text really has."""
    before = text[:at]
    if before.count("“") > before.count("”") or before.count("《") > before.count("》"):
        return text[at]  # inside a quoted name or a title
    clause = _CLAUSE_BREAK.split(before)[-1]
    return "。" if len(clause) > INTERPUNCT_MAX_NAME or not clause else text[at]


def latin_wrap(a: str, b: str) -> bool:
    """Does Latin text wrap between ``a`` and ``b`` at one of its spaces (KI (1/km), Read &
    Write, Ann | Arbor)?  Not inside a number (12 | 345), not after a hyphen or a slash."""
    if not a or not b:
        return False
    latin = a[-1].isascii() and not a[-1].isspace() and b[0].isascii() and not b[0].isspace()
    return latin and not (a[-1].isdigit() and b[0].isdigit()) and a[-1] not in "-/" and (a[-1].isalnum() or b[0].isalnum())


def normalize_line(text: str) -> str:
    """Normalise one OCR'd or text-layer line (see module docstring)."""
    text = _FULLWIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = text.replace("\u00a0", " ").strip()
    text = _CONFUSION.sub(lambda m: OCR_CONFUSIONS[m.group()], text)
    text = _FULL_STOP_READ_AS_DOT.sub("。", text)
    text = _DOT_AFTER_CLAUSE.sub(lambda m: _dot_or_stop(text, m.start()), text)
    text = _COMMA_READ_AS_DOT.sub("，", text)
    text = _DASH_READ_AS_ONE.sub("—", text)
    text = _YEAR_SPAN_HYPHEN.sub(r"\1—\2", text)
    text = _ASCII_PUNCT_NEAR_CJK.sub(
        lambda m: ASCII_TO_FULLWIDTH_PUNCT[m.group(1) or m.group(2)], text
    )
    text = _ASCII_BRACKETS_AFTER_CJK.sub(r"（\1）", text)
    # a "(" whose partner became "）" (or the reverse) is made full-width too
    if "（" in text or "）" in text:
        text = re.sub(r"\(([^()（）]*)）", r"（\1）", text)
        text = re.sub(r"（([^()（）]*)\)", r"（\1）", text)
    text = remove_cjk_spaces(text)
    return _MULTI_SPACE.sub(" ", text)


def compact(text: str) -> str:
    """NFKC with all whitespace removed: the form in which two readings are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
