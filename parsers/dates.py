"""Dates the way Chinese offices write them.

    2014年1月24日 · 二〇一四年一月二十四日 (〇/○/零, 十/廿/卅) · 14年2月1日 · 2014.2.12 ·
    2014-02-12 · 2014/2/12 · 2.16 · 2/16 · 2月16日 · 元月26日 · 中華民國109年3月5日 (民国 years: + 1911)

A date without its year takes the year of its context (the receipt date, the circular's date)
and is marked ``inferred``.  An impossible date (2月30日) keeps its raw text, has no value and is
marked ``valid=False`` so the caller can flag it and lower the confidence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# 〇 as OCR engines also return it: O o Q C c 0 Ｏ ( （ ) ） d D 口 (a pair of brackets is one 〇)
CN_ZERO_FORMS = "〇○零OoQCc0Ｏ(（)）dD口"
_ZERO_AS_BRACKETS = re.compile(r"[（(]\s*[)）]")
# 一 read as a dash where only a numeral can stand: 八月－日, 十-月
_ONE_AS_DASH = re.compile(r"(?<=[年月十])[－\-—–_~]{1,2}(?=[月日])")
# a lone bracket among a year's numerals (二〇）〇〇年: a speck of the seal, or a stroke's edge)
# where the year has four numerals without it
_STRAY_BRACKET_YEAR = re.compile(r"[〇○零一二三四五六七八九()（）]{5}(?=\s*年)")
# 元月 is January: 元月26日, 二〇一四年元月五日
_FIRST_MONTH = re.compile(r"元(?=\s*月)")
CN_DIGITS = {**{z: 0 for z in CN_ZERO_FORMS}, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_TENS = {"十": 10, "廿": 20, "卅": 30}
_CN = re.escape(CN_ZERO_FORMS) + "一二三四五六七八九"
_CN_NUM = "一二三四五六七八九十廿卅"

# Each pattern names its groups y (year), m (month), d (day); a pattern without y has no year.
# 中華民國109年 / 民国三十七年: the year of the Republic, 1912 its first
ROC_FIRST_YEAR = 1912
DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("roc", re.compile(rf"(?:中\s*[華华]\s*)?民\s*[國国]\s*(?P<y>\d{{1,3}}|[{_CN}十]{{1,4}})\s*年\s*(?P<m>\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*月\s*(?P<d>\d{{1,2}}|[{_CN_NUM}]{{1,4}})\s*日")),
    ("ymd_cn", re.compile(rf"(?<![{_CN}])(?P<y>(?=[{_CN}]*[一二三四五六七八九])[{_CN}]{{4}})\s*年\s*(?P<m>[{_CN_NUM}]{{1,3}})\s*月\s*(?P<d>[{_CN_NUM}]{{1,4}})\s*日")),
    ("ymd", re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")),
    ("yymd", re.compile(r"(?<!\d)(?P<y>\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")),
    ("ymd_sep", re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?P<s>[.\-/．])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<d>\d{1,2})(?![\d])")),
    ("md_cn", re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")),
    ("md_dot", re.compile(r"(?<![\d./])(?P<m>\d{1,2})\s*[.．/]\s*(?P<d>\d{1,2})(?![\d./])")),
    ("md_cnnum", re.compile(rf"(?<![{_CN}十廿卅年])(?P<m>[一二三四五六七八九十]{{1,2}})\s*月\s*(?P<d>[{_CN_NUM}]{{1,3}})\s*日")),
)


@dataclass(frozen=True)
class ParsedDate:
    raw: str  # the date as read (a 〇 read as brackets, or 一 as a dash, already put right)
    value: dt.date | None
    inferred: bool = False  # the year came from the context
    valid: bool = True  # False: the text names a day that does not exist (2月30日)
    span: tuple[int, int] = (0, 0)


def cn_number(text: str) -> int:
    """二十四 → 24, 廿四 → 24, 十 → 10, 三十一 → 31, 一二 → 12 (digit by digit)."""
    if not text:
        raise ValueError("empty")
    if all(c in CN_DIGITS for c in text) and not text.isdigit():
        return int("".join(str(CN_DIGITS[c]) for c in text))
    total, i = 0, 0
    if text[0] in CN_TENS:
        total, i = CN_TENS[text[0]], 1
    elif len(text) >= 2 and text[1] == "十":
        total, i = CN_DIGITS[text[0]] * 10, 2
    else:
        raise ValueError(text)
    if i < len(text):
        if text[i] not in CN_DIGITS or i + 1 != len(text):
            raise ValueError(text)
        total += CN_DIGITS[text[i]]
    return total


def _year(text: str, context_year: int | None) -> int:
    y = cn_number(text) if not text.isdigit() else int(text)
    if len(text) == 2:  # 14年 → 2014; a two-digit year later than the context's is last century
        pivot = (context_year or dt.date.today().year) % 100
        return 2000 + y if y <= pivot + 1 else 1900 + y
    return y


def _without_stray_bracket(m: re.Match) -> str:
    run = m.group(0)
    brackets = [i for i, c in enumerate(run) if c in "()（）"]
    return run[: brackets[0]] + run[brackets[0] + 1 :] if len(brackets) == 1 else run


def parse_date(text: str, context_year: int | None = None) -> ParsedDate | None:
    """The first date in ``text``; None when there is none (or it has no year and no context)."""
    if "年" in text or "月" in text:
        text = _STRAY_BRACKET_YEAR.sub(_without_stray_bracket, _ONE_AS_DASH.sub("一", _ZERO_AS_BRACKETS.sub("〇", text)))
        text = _FIRST_MONTH.sub(lambda m: "1" if re.match(r"\s*月\s*\d", text[m.end():]) else "一", text)
    for name, pattern in DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        raw = m.group(0)
        try:
            month = cn_number(m.group("m")) if not m.group("m").isdigit() else int(m.group("m"))
            day = cn_number(m.group("d")) if not m.group("d").isdigit() else int(m.group("d"))
        except ValueError:
            continue
        has_year = "y" in pattern.groupindex
        if name == "roc":
            try:
                y = m.group("y")
                year = (int(y) if y.isdigit() else cn_number(y)) + ROC_FIRST_YEAR - 1
            except ValueError:
                continue
        elif has_year:
            try:
                year = _year(m.group("y"), context_year)
            except ValueError:
                continue
        elif context_year is None:
            return None
        else:
            year = context_year
        if name == "md_dot" and not (1 <= month <= 12):
            continue  # 3.5 could be a number; only month.day reads as a date
        try:
            value = dt.date(year, month, day)
        except ValueError:
            return ParsedDate(raw=raw, value=None, inferred=not has_year, valid=False, span=m.span())
        return ParsedDate(raw=raw, value=value, inferred=not has_year, span=m.span())
    return None


def roll_forward(date: dt.date, not_before: dt.date) -> dt.date:
    """A year-less date read before ``not_before`` moves to the next year when that is the
    nearer reading (received 12.28, read 1.2 → next year's 1.2); one a little before it stays
    in its year (a misread, or a slip dated before the stamp: not a whole year later)."""
    if date >= not_before:
        return date
    try:
        later = date.replace(year=date.year + 1)
    except ValueError:  # 29 Feb
        return date
    return later if (later - not_before) < (not_before - date) else date
