"""Dates written by hand (a slip's reading dates, the date under an opinion, a stamp's date),
read against the item's own dates.

OCR slips on handwritten dates in typical ways: a 2 read as Z, a 1 as l or |, a 0 as O, the dot
as 。 or ，, the year run into the month (20184.17 for 2018.4.17).  A date is read as written
when it can be, else with such slips put right (its confidence lowered).  Either way it must
fall in the item's window: not much before the date the item was received (or issued), and not
long after it.  A date outside it is kept as raw text without a value — a wrong date an
archivist trusts is worse than an empty one — and its reason is given.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Literal

from .dates import ParsedDate, parse_date, roll_forward
from .geometry import union
from .model import Field, Line

# letters and marks OCR returns for handwritten digits; put right only next to a digit
HAND_DIGITS = {"Z": "2", "z": "2", "l": "1", "I": "1", "|": "1", "丨": "1", "O": "0", "o": "0", "C": "0",
               "S": "5", "s": "5", "B": "8", "g": "9", "q": "9"}
# marks read for the dot (or slash) between month and day (1。26, 1，26, 1、26, 5(12)
HAND_DOTS = "。，,、·•`'‘’；;(（"
_DIGITISH = re.escape("".join(HAND_DIGITS) + HAND_DOTS) + r"\d./．\-"
_RUN = re.compile(rf"[{_DIGITISH}]{{3,}}")
# a speck between a date's 年 or 月 and the digits after it (2008年-8月:30日)
STRAY_DATE_MARK = re.compile(r"(?<=[年月])[-－:：.,，、](?=\s*\d)")
# 日 read as a letter right after a day's digits (4月20E, 9月21E)
DAY_AS_LETTER = re.compile(r"(?<=月\d)E|(?<=月\d\d)E")
# a year written whole but read with a digit lost (208年8月27日 for 2008): read with the item's
# year when its digits are that year's, in order, with one left out
LOST_YEAR_DIGIT = re.compile(r"(?<!\d)(?P<y>\d{3})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?")
# a four-digit year run into the month: 20184.17, 2018 4.17 read without its dot
GLUED_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>\d{1,2})[.．](?P<d>\d{1,2})(?!\d)")
# where a date must stand, a month and day whose 日 was not read (9月10 at a line's end), after
# its year too (00年2月26)
MONTH_DAY_OPEN = re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})$")
DATE_OPEN = re.compile(r"(?<!\d)(?P<y>\d{4}|\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})$")
# the same in Chinese numerals (崔平二〇〇一年十月二十五, 十月二十五)
CN_DATE_OPEN = re.compile(r"(?:[〇○零一二三四五六七八九]{4}\s*年\s*)?[一二三四五六七八九十]{1,2}\s*月\s*[一二三四五六七八九十廿卅]{1,3}$")
# the dot between month and day lost after a whole year: 2006.62 for 2006.6.2, 2020.1111
YEAR_THEN_DIGITS = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})[.．](?P<md>\d{2,4})(?![\d.])")
# a two-digit year: 19.4.19
SHORT_YEAR = re.compile(r"(?<![\d.])(?P<y>\d{2})[.．/](?P<m>\d{1,2})[.．/](?P<d>\d{1,2})(?![\d.])")
# the same with its second dot read as a gap (11. 9 25 for 11.9.25): read first, with the item's
# year (or the next) only, lest 11. 9 be taken for November 9
SHORT_YEAR_GAP = re.compile(r"(?<![\d.])(?P<y>\d{2})[.．]\s*(?P<m>\d{1,2})\s+(?P<d>\d{1,2})(?![\d.])")
# digits whose dots OCR lost: 39 for 3.9, 1226 for 12.26, 2018317 for 2018.3.17; read only where
# a date must stand (a date column, the end of a signature), and only when one reading fits;
# digits at a 年, 月 or 日 are part of a date written with them (the 21 of 8月21日), never one;
# a name may end in 月 (刘梅月201989)
BARE_DIGITS = re.compile(r"(?<![\d.])(?<!\d[年月])(?P<y>(?:19|20)\d{2})?(?P<md>\d{2,4})(?![\d.年月日])")
# a two-digit year whose dot to the month, or the month's to the day, OCR lost: 07.81 for
# 07.8.1, 177.29 for 17.7.29 (read only with the item's year, or the next, and where the digits
# are no month and day as they stand)
SHORT_YEAR_DOT_LOST = re.compile(r"(?<![\d.])(?P<a>\d{2,4})[.．](?P<b>\d{1,3})(?![\d.])")
# a whole date run on after other digits (8-42020年8月21日: a stamp's number 8-4 and its date
# read as one word): read only when the year is the item's, or the next
YEAR_AFTER_DIGITS = re.compile(r"(?<=\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?")
# the same, after a two-digit year: 04614 for 04.6.14 (read only with the item's year, or the next)
SHORT_YEAR_DIGITS = re.compile(r"(?<![\d.])(?P<yy>\d{2})(?P<md>\d{2,4})(?![\d.])")
# the window a slip's date falls in, around the date the item was received (or issued)
EARLY_DAYS = 0  # no one reads an item before it came in (or was issued)
LATE_DAYS = 366  # a year: a date read with the wrong year falls outside
# of two readings of dotless digits (118: 1.18 or 11.8), the one within NEAR_DAYS of the item's
# date is taken when the other is over FAR_DAYS from it: a slip goes round in days, not months;
# two digits alone (39: 3.9), so little to go on, are read only as a date within NEAR_DAYS, and
# other digits whose dots were lost within GUESS_DAYS (1517 is not 15.1.7, a year on)
NEAR_DAYS = 31
FAR_DAYS = 90
GUESS_DAYS = 180
REPAIRED_FACTOR = 0.8
# a year-less date (1.26) is trusted this much less; one before the 收文 date is probably misread
INFERRED_YEAR_FACTOR = 0.9
BEFORE_RECEIPT_FACTOR = 0.6
OUTSIDE_WINDOW = "outside the item's dates"


@dataclass(frozen=True)
class HandDate:
    """A date read off handwriting: ``date.span`` is in the text as given."""

    date: ParsedDate
    factor: float = 1.0  # how far to trust it, against a date read as written and in its window
    repaired: bool = False  # read with OCR's slips on digits put right
    reason: str = ""  # why it has no value, when it has none


def mend_digits(text: str) -> str:
    """``text`` with letters and marks read for digits and dots put right where they stand in
    a run of digits (Z021.2.27 → 2021.2.27, 1。26 → 1.26), a speck read between a date's
    年 or 月 and its digits blanked (2008年-8月:30日), a 日 read as E after the day (4月20E);
    as long as ``text``, so spans hold."""
    text = STRAY_DATE_MARK.sub(lambda m: " " * len(m.group(0)), text)
    text = DAY_AS_LETTER.sub("日", text)
    return _mend_runs(text)


def _mend_runs(text: str) -> str:
    def fix(m: re.Match) -> str:
        run = m.group(0)
        if sum(c.isdigit() for c in run) < 2:
            return run
        out = []
        for i, c in enumerate(run):
            if c in HAND_DOTS:
                near = (run[i - 1 : i] + run[i + 1 : i + 2])
                c = "." if len(near) == 2 and all(x.isdigit() or x in HAND_DIGITS for x in near) else c
            out.append(HAND_DIGITS.get(c, c))
        return "".join(out)

    return _RUN.sub(fix, text)


def _ymd(m: re.Match | None) -> ParsedDate | None:
    """The date of a match with a year, a month and a day (groups y, m, d), if it is one."""
    if not m:
        return None
    try:
        value = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return ParsedDate(raw=m.group(0), value=value, span=m.span())


def _glued(text: str) -> ParsedDate | None:
    return _ymd(GLUED_YEAR.search(text))


def _year_then_digits(text: str) -> ParsedDate | None:
    """2006.62, 2020.1111: the month and day after a whole year, their dot lost; the one valid
    split."""
    m = YEAR_THEN_DIGITS.search(text)
    if not m:
        return None
    y, md = int(m.group("y")), m.group("md")
    found = set()
    for i in range(max(1, len(md) - 2), min(2, len(md) - 1) + 1):  # month and day of 1-2 digits each
        try:
            found.add(dt.date(y, int(md[:i]), int(md[i:])))
        except ValueError:
            continue
    return ParsedDate(raw=m.group(0), value=found.pop(), span=m.span()) if len(found) == 1 else None


def _year_after_digits(text: str, year: int | None) -> ParsedDate | None:
    """2020年8月21日 at the end of 8-42020年8月21日, when 2020 is the item's year or the next."""
    m = YEAR_AFTER_DIGITS.search(text)
    if not m or year is None or int(m.group("y")) not in (year, year + 1):
        return None
    return _ymd(m)


def _short_year_dot_lost(text: str, year: int | None, not_before: dt.date | None) -> ParsedDate | None:
    """07.81, 177.29: a two-digit year (the item's, or the next) with one of its date's two dots
    lost, as the one date it can be in the window; none where the digits are a month and a day
    as they stand (10.11) or without the item's dates."""
    m = SHORT_YEAR_DOT_LOST.search(text)
    if not m or year is None or not_before is None:
        return None
    a, b = m.group("a"), m.group("b")
    try:
        dt.date(year, int(a), int(b))
        return None  # a month and a day as written
    except ValueError:
        pass
    found = set()
    for y in (year, year + 1):
        if a[:2] != f"{y % 100:02d}":
            continue
        rest = a[2:]
        splits = [(rest, b)] if rest else [(b[:i], b[i:]) for i in (1, 2) if 0 < i < len(b)]
        for mo, da in splits:
            if not (1 <= len(mo) <= 2 and 1 <= len(da) <= 2):
                continue
            try:
                value = dt.date(y, int(mo), int(da))
            except ValueError:
                continue
            if in_window(value, not_before) and value >= not_before:
                found.add(value)
    return ParsedDate(raw=m.group(0), value=found.pop(), span=m.span()) if len(found) == 1 else None


def _month_day_open(text: str, year: int | None) -> ParsedDate | None:
    """9月10 at the end of ``text``: a month and day whose 日 was read apart, in ``year``; 00年2月26
    in its own year (a two-digit one the item's century's, as :func:`_short_year` reads it);
    二〇〇一年十月二十五 and 十月二十五 as they would read with their 日."""
    if (m := CN_DATE_OPEN.search(text)) is not None:
        d = parse_date(m.group(0) + "日", year)
        return replace(d, raw=m.group(0), span=m.span()) if d is not None and d.value is not None else None
    if (m := DATE_OPEN.search(text)) is not None:
        y = int(m.group("y"))
        if len(m.group("y")) == 2:
            y = _whole_year(y, year)
        inferred = False
    elif (m := MONTH_DAY_OPEN.search(text)) is not None and year is not None:
        y, inferred = year, True
    else:
        return None
    try:
        value = dt.date(y, int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return ParsedDate(raw=m.group(0), value=value, span=m.span(), inferred=inferred)


def _lost_year_digit(text: str, year: int | None) -> ParsedDate | None:
    m = LOST_YEAR_DIGIT.search(text)
    if not m or year is None:
        return None
    for y in (year, year + 1):
        whole = str(y)
        if any(whole[:i] + whole[i + 1 :] == m.group("y") for i in range(len(whole))):
            try:
                value = dt.date(y, int(m.group("m")), int(m.group("d")))
            except ValueError:
                return None
            return ParsedDate(raw=m.group(0), value=value, span=m.span())
    return None


def _whole_year(yy: int, year: int | None) -> int:
    """A two-digit year in the item's century: this century's up to the item's year (or this
    year's) and the next, the last century's after it."""
    return (2000 if yy <= (year or dt.date.today().year) % 100 + 1 else 1900) + yy


def _short_year_gap(text: str, year: int | None) -> ParsedDate | None:
    m = SHORT_YEAR_GAP.search(text)
    if m is None or year is None or int(m.group("y")) not in (year % 100, (year + 1) % 100):
        return None
    return _short_year_date(m, year)


def _short_year(text: str, year: int | None) -> ParsedDate | None:
    return _short_year_date(SHORT_YEAR.search(text), year)


def _short_year_date(m: re.Match | None, year: int | None) -> ParsedDate | None:
    """The date of a match with a two-digit year (groups y, m, d) in the item's century."""
    if not m:
        return None
    try:
        value = dt.date(_whole_year(int(m.group("y")), year), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return ParsedDate(raw=m.group(0), value=value, span=m.span())


def _bare(text: str, year: int | None, not_before: dt.date | None) -> ParsedDate | None:
    """Digits read without their dots as the one date they can be in the window (none without
    one), and not before the item's date itself: each split into month and day (a 1 between
    them may be a slash OCR read as 1: 9124 for 9/24)."""
    if not_before is None:
        return None  # without the item's dates to hold them against, dotless digits are no date
    m = BARE_DIGITS.search(text)
    short = SHORT_YEAR_DIGITS.search(text)
    whole_year = m is not None and m.group("y") is not None and year is not None and int(m.group("y")) in (year, year + 1)
    if not whole_year and year is not None and short and len(short.group(0)) >= 5 \
            and int(short.group("yy")) in (year % 100, (year + 1) % 100):
        m, y, md, written = short, year + (int(short.group("yy")) != year % 100), short.group("md"), True  # 04614: 04.6.14
    elif not m or (m.group("y") is None and year is None):
        return None
    else:
        y = int(m.group("y")) if m.group("y") else year
        md, written = m.group("md"), m.group("y") is not None
        four = _short_year_four(m, year, not_before)
        if four is not None:
            return four or None  # the one reading, or none of two
    direct = [(md[:i], md[i:]) for i in (1, 2) if 0 < i < len(md)]
    slashed = [(md[:i], md[i + 1 :]) for i in (1, 2) if md[i : i + 1] == "1" and i + 1 < len(md)]
    for splits in (direct, slashed):  # a slash read as 1 only when no plain reading fits
        found = set()
        for mo, da in splits:
            if len(da) > 2:
                continue
            try:
                value = dt.date(y, int(mo), int(da))
            except ValueError:
                continue
            if not written:
                value = roll_forward(value, not_before)
            if _guessed(value, not_before, NEAR_DAYS if not written and len(md) <= 2 else GUESS_DAYS):
                found.add(value)  # a guess: never before the item's own date; two digits alone, near it
        if found:
            if len(found) > 1 and (found := _near(found, not_before)) is None:
                return None
            return ParsedDate(raw=m.group(0), value=found.pop(), inferred=not written, span=m.span())
    return None


def _near(found: set[dt.date], start: dt.date) -> set[dt.date] | None:
    """Of several readings, the one near the item's date when all others are far from it (see
    NEAR_DAYS), or None."""
    days = {d: (d - start).days for d in found}
    near = {d for d, n in days.items() if n <= NEAR_DAYS}
    return near if len(near) == 1 and all(n > FAR_DAYS for d, n in days.items() if d not in near) else None


def _short_year_four(m: re.Match, year: int | None, not_before: dt.date) -> ParsedDate | Literal[False] | None:
    """Four digits that are a two-digit year (the item's, or the next) and a one-digit month and
    day, their dots lost (0245: 02.4.5; 1262: 12.6.2), when that is the one date they can be in
    the window; False when they are that and a month and a day too (1226 in 2012: 12.26 or
    12.2.6), so no date; None when they are no such year's (read them as a month and day)."""
    digits = m.group(0)
    if year is None or len(digits) != 4 or not digits.isdigit():
        return None
    found = set()
    for y in (year, year + 1):
        if digits[:2] == f"{y % 100:02d}":
            try:
                found.add(dt.date(y, int(digits[2]), int(digits[3])))
            except ValueError:
                pass
    for i in (1, 2):  # as a month and a day in the item's year (or the next)
        try:
            found.add(roll_forward(dt.date(year, int(digits[:i]), int(digits[i:])), not_before))
        except ValueError:
            pass
    found = {d for d in found if _guessed(d, not_before, GUESS_DAYS)}
    as_year = {d for d in found if d.strftime("%y") == digits[:2] and d.month == int(digits[2]) and d.day == int(digits[3])}
    if not as_year:
        return None  # the one reading, if any, is the month and day's: the plain reading gives it
    if len(found) > 1:
        return False
    return ParsedDate(raw=digits, value=as_year.pop(), span=m.span())


def _guessed(value: dt.date, start: dt.date, days: int) -> bool:
    """May digits whose dots were lost be read as ``value``: not before the item's date, and
    at most ``days`` after it?"""
    return start <= value <= start + dt.timedelta(days=days)


def in_window(value: dt.date, start: dt.date | None) -> bool:
    if start is None:
        return True
    return start - dt.timedelta(days=EARLY_DAYS) <= value <= start + dt.timedelta(days=LATE_DAYS)


def _placed(d: ParsedDate, not_before: dt.date | None) -> ParsedDate:
    """A year-less date moved into the next year when that is the nearer reading."""
    if d.value is not None and d.inferred and not_before is not None:
        return replace(d, value=roll_forward(d.value, not_before))
    return d


def read_hand_date(text: str, year: int | None, not_before: dt.date | None, bare: bool = False) -> HandDate | None:
    """The first date in handwritten ``text`` (see the module's docstring); None when there is
    none.  ``year`` is the item's year (for 1.26), ``not_before`` the date it was received;
    with ``bare``, where a date must stand, digits that lost their dots are read too (39: 3.9)."""
    readings = [(_short_year_gap(text, year), True), (parse_date(text, year), False)]
    mended = mend_digits(text)
    if mended != text:
        readings.append((parse_date(mended, year), True))
    readings += [(_glued(mended), True), (_year_then_digits(mended), True), (_short_year(mended, year), True),
                 (_lost_year_digit(mended, year), True), (_year_after_digits(mended, year), True)]
    if bare:
        readings += [(_month_day_open(mended, year), True), (_short_year_dot_lost(mended, year, not_before), True),
                     (_bare(mended, year, not_before), True)]
    found = [(_placed(d, not_before), rep) for d, rep in readings if d is not None]
    if not found:
        return None
    for d, repaired in found:
        if d.value is not None and in_window(d.value, not_before):
            return HandDate(d, REPAIRED_FACTOR if repaired else 1.0, repaired)
    d, repaired = found[0]
    reason = "not a day of the calendar" if d.value is None else OUTSIDE_WINDOW
    return HandDate(replace(d, value=None, valid=False), 0.5, repaired, reason)


def lines_field(value, lines: list[Line], page: int, method: str, raw: str | None = None, inferred: bool = False,
                factor: float = 1.0) -> Field:
    """A value read off handwritten ``lines``: their box, their lowest confidence × ``factor``."""
    return Field(
        value=value,
        raw=raw if raw is not None else " ".join(l.text for l in lines),
        page=page,
        bbox=union(l.bbox for l in lines) if lines else None,
        confidence=round(min((l.confidence for l in lines), default=0.0) * factor, 4),
        method=method,
        inferred=inferred,
    )


def hand_date_field(text: str, year: int | None, not_before: dt.date | None, lines: list[Line], page: int,
                    bare: bool = False) -> Field | None:
    """A handwritten date as a field (:func:`read_hand_date`: repaired and checked against the
    item's dates; outside them it keeps its raw text and has no value)."""
    h = read_hand_date(text, year, not_before, bare)
    if h is None:
        return None
    d = h.date
    if d.value is None:
        return lines_field(None, lines, page, "slip-date", raw=d.raw, factor=h.factor)
    factor = h.factor * (INFERRED_YEAR_FACTOR if d.inferred else 1.0)
    if not_before is not None and d.value < not_before:
        factor *= BEFORE_RECEIPT_FACTOR
    return lines_field(d.value, lines, page, "slip-date", raw=d.raw, inferred=d.inferred, factor=factor)
