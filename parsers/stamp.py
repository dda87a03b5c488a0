"""The receiving office's 收文 stamp: a box with 收文 in it, the office's name, a receipt number
and the date received, stamped in any corner of any page of the item.  Its lines are read for
the receipt (``circular``), and are no part of the 发文机关标志 (``classify``) or of a slip.

The stamp is found by its coloured frame (``ocr.stamps``, a region of kind ``stamp``) holding
the word 收文; an archive's other framed stamps (归档章: 全宗号, 年度, 件号) do not say 收文.  On a
scan without colour the frame is not seen: there the stamp is the box around a 收文 near the
top of the page, as stamps are usually set (a form's field label, 收文日期 or 收文编号, is no
stamp: ``form_receipt`` reads those fields; nor is a slip's title, 收文阅办单).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .dates import parse_date
from .geometry import centre, contains, grow, same_row, span_overlap, union
from .model import HAND_LAYERS, RECEIPT_CHAR, STAMP_REGION, Line, Page
from .rules import ORGAN_NAME_END, RECEIPT_DASHES, RECEIPT_FIELD, RECEIPT_NUMBER, RECEIPT_WORD, SLIP_TITLE

STAMP_WIDTH_CHARS = 12  # a 收文 stamp is about this many characters wide
STAMP_REACH_ROWS = 2.5
TOP_STAMP_ZONE = 0.35
# a line saying 收文 in a stamp is short (收文, 收文第　号, 区府办收文); a longer one is a sentence
STAMP_WORD_MAX_CHARS = 12
# an office's name and the word, one line (of a stamp's office row and 收文 read together)
OFFICE_THEN_WORD = re.compile(r"(?P<office>[\u4e00-\u9fff（）()]{4,24})收文")
# how far right of a form's 收文日期 label (in its heights) the value written for it may start,
# and how far inside the label's box
FIELD_REACH = 10
FIELD_OVERLAP = 1.5
# a value this short after a label on its line is the start of the value written on (the rest
# read as a line of its own)
FIELD_PIECE_CHARS = 2
# the gaps between a number written into a printed 第＿号 and the words round it
TEMPLATE_GAP = re.compile(r"(第)\s+|\s+(号)")
# a word of a stamp's row that is a receipt number, after the office's name run into it at most
NUMBER_WORD = re.compile(rf"[\u4e00-\u9fff]*?{RECEIPT_NUMBER.pattern}")
# the gap between a year in brackets and the number after it (〔2000〕 255)
BRACKETED_YEAR_GAP = re.compile(r"(?<=\d{4}[〕\]］）)])\s+(?=\d)")
# marks that may stand beside a number read off a stamp (a speck read as a comma)
NUMBER_PUNCTUATION = ":：,，.。;；、"
# a receipt number whose dash OCR read as a dot (18.6 for 18-6)
DOTTED_NUMBER = re.compile(r"(?P<a>\d{1,5})[.．](?P<b>\d{1,5})")
# a piece of a date written in a form's field: digits and dots
DATE_DIGITS = re.compile(r"[\d.．/\-]+")
# how far outside its frame (in page pixels) a stamp's handwriting may stray
FRAME_SLACK = 20
# a line in a frame is the stamp's when this share of its width lies within it
FRAMED_LINE_SHARE = 0.85


def _is_stamp_word(line: Line) -> bool:
    """A short line saying 收文 (收文, 收文第　号, 区府办收文), or the office's name read together
    with it (厦门市思明区人民政府办公室收文, a faded stamp's row read as one line)."""
    text = "".join(line.text.split())
    if not RECEIPT_WORD.search(text):
        return False
    office = OFFICE_THEN_WORD.fullmatch(text)
    return len(text) <= STAMP_WORD_MAX_CHARS or (office is not None and ORGAN_NAME_END.search(office.group("office")) is not None)


def stamp_box(lines, page: Page) -> tuple[tuple[float, float, float, float], bool] | None:
    """(box, found by its frame) of the page's 收文 stamp (see the module's docstring), or None."""
    # in a frame, its 收 alone is enough (the 文 of a faded stamp lost)
    words = [l for l in lines if _is_stamp_word(l) or "".join(l.text.split()) == RECEIPT_CHAR]
    frames = sorted((r for r in page.regions if r.kind == STAMP_REGION), key=lambda r: -r.confidence)
    for frame in frames:
        box = grow(frame.bbox, FRAME_SLACK)
        if any(contains(box, centre(w.bbox)) for w in words):
            return box, True
    anchor = next((l for l in lines if RECEIPT_WORD.search(l.text) and not RECEIPT_FIELD.search(l.text)
                   and not SLIP_TITLE.search(l.text) and l.bbox[1] < TOP_STAMP_ZONE * page.height), None)
    if anchor is None:
        return None
    h = anchor.bbox[3] - anchor.bbox[1]
    return (anchor.bbox[0] - 0.5 * h, anchor.bbox[1] - STAMP_REACH_ROWS * h,
            anchor.bbox[0] + STAMP_WIDTH_CHARS * h, anchor.bbox[3] + STAMP_REACH_ROWS * h), False


def _share_inside(b, box) -> float:
    """The share of box ``b``'s width that lies within ``box``'s."""
    return max(0.0, span_overlap((b[0], b[2]), (box[0], box[2]))) / max(b[2] - b[0], 1.0)


def stamp_lines(lines, page: Page) -> list[Line]:
    """The lines of the 收文 stamp (office, 收文, number, date) in reading order; none when the
    page has no stamp.  Within a frame, a line counts when its centre is inside and it lies
    within it (FRAMED_LINE_SHARE); otherwise when it starts inside the box around the 收文 and
    ends within it."""
    found = stamp_box(lines, page)
    if found is None:
        return []
    box, framed = found
    if framed:  # a line of the print the stamp was set on runs out of its frame (the 发文字号 under a bar)
        inside = [l for l in lines if contains(box, centre(l.bbox)) and _share_inside(l.bbox, box) >= FRAMED_LINE_SHARE]
    else:
        x0, y0, x1, y1 = box
        inside = [l for l in lines if x0 <= l.bbox[0] <= x1 and l.bbox[1] >= y0 and l.bbox[3] <= y1]
    return sorted(inside, key=lambda l: (l.bbox[1], l.bbox[0]))


def receipt_number(text: str) -> str | None:
    """The receipt number in ``text`` (a stamp's row, its lines joined by spaces, its date and
    the word 收文 taken out): the first word that is a number whole — 63, 6-3, 第63号, 2014-63,
    〔2014〕63 — a dash made one, brackets 〔〕."""
    found = receipt_number_and_rest(text)
    return None if found is None else found[0]


def receipt_number_and_rest(text: str, year: int | None = None,
                            skip: Callable[[str], bool] | None = None) -> tuple[str, str] | None:
    """(the receipt number in ``text``, as :func:`receipt_number` reads it; the row's other
    words, 收文 left out): in a stamp of one row, the date is among the rest.  With the item's
    ``year``, that year (or the next) and the digits after it are a date read apart (2006 62),
    no number; nor is a word ``skip`` says is none (a date whose dots were lost)."""
    text = TEMPLATE_GAP.sub(r"\1\2", RECEIPT_WORD.sub(" ", text))  # 第 330 号: filled into a template
    text = re.sub(rf"(?<=\d)\s*([{RECEIPT_DASHES}])\s*(?=\d)", r"\1", text)  # 6 — 3
    text = BRACKETED_YEAR_GAP.sub("", text)  # [2000] 255: the year in brackets, then its number
    words = text.split()

    dated = {j for k in range(len(words) - 1) if year is not None and words[k] in (str(year), str(year + 1))
             and words[k + 1][:1].isdigit() for j in (k, k + 1)}  # a date's year and its month and day
    k, m = next(((k, m) for k, token in enumerate(words)
                 if k not in dated and not (skip is not None and skip(token))
                 and (m := NUMBER_WORD.fullmatch(token.strip(NUMBER_PUNCTUATION)))),
                (None, None))
    if m is None:
        # no token is a number whole (8-42020年 is a number run into a date, not 8-4) — but one
        # whose dash was read as a dot (18.6, 22.7) where it can be no date
        k = next((k for k, token in enumerate(words) if k not in dated and _dash_read_as_dot(token, year)), None)
        if k is None:
            return None
        return re.sub(r"[.．]", "-", words[k]), " ".join(words[:k] + words[k + 1 :])
    n = re.sub(rf"[{RECEIPT_DASHES}]", "-", re.sub(r"\s+", "", m.group("n")))
    number = re.sub(r"^[\[［（(]", "〔", re.sub(r"(?<=\d)[\]］）)]", "〕", n))
    if number.startswith("第") and not number.endswith("号"):
        number += "号"  # the 号 of a 第＿号, lost at the frame's edge
    return number, " ".join(words[:k] + words[k + 1 :])


def _dash_read_as_dot(token: str, year: int | None) -> bool:
    """Is ``token`` a number like 18-6 whose dash OCR read as a dot: no month and day (its first
    part over 12, or its second over 31), and not the item's year, or the next, and a month?"""
    m = DOTTED_NUMBER.fullmatch(token)
    if m is None:
        return False
    a, b = int(m.group("a")), int(m.group("b"))
    if a <= 12 and b <= 31:
        return False  # 10.3: a month and a day as much as a number
    return year is None or not (a in (year % 100, (year + 1) % 100) and b <= 12)


def _right_of(box, lines) -> Line | None:
    """The line written right of a label on its row (the value of a form's field)."""
    h = box[3] - box[1]
    # OCR's box of a label often runs on over the blank after it, so the value may start a
    # little inside it, as long as it runs on past its end
    start = min(box[2] - FIELD_OVERLAP * h, (box[0] + box[2]) / 2)  # in the label box's right half at most
    beside = [l for l in lines if l.bbox[0] >= start and l.bbox[2] > box[2]
              and l.bbox[0] - box[2] < FIELD_REACH * h
              and same_row(l.bbox, box)]
    return min(beside, key=lambda l: l.bbox[0], default=None)


def form_receipt(lines) -> tuple[list[Line], list[Line]]:
    """(date values, number values) written in a processing form's own 收文日期 / 收文编号
    fields, where an office records the receipt instead of stamping it: the text after the
    label on its line, else the line right of it."""
    dates: list[Line] = []
    numbers: list[Line] = []
    for line in lines:
        found = list(RECEIPT_FIELD.finditer(line.text))
        for k, m in enumerate(found):
            end = found[k + 1].start() if k + 1 < len(found) else len(line.text)
            value = line.part(m.end(), end)
            if value is None:
                value = _right_of(line.part(m.start(), m.end()).bbox, lines)
            elif end == len(line.text) and len(value.text) <= FIELD_PIECE_CHARS \
                    and (more := _right_of(value.bbox, [l for l in lines if l is not line])) is not None:
                # the first stroke of the value read with the label (收文日期：2 | 004年10月8日)
                value = Line(value.text + more.text, union((value.bbox, more.bbox)), min(value.confidence, more.confidence), more.layer)
            if value is not None and m.group("date"):
                value = _date_run_on(value, [l for l in lines if l is not line])
            if value is not None and not RECEIPT_FIELD.search(value.text):
                (dates if m.group("date") else numbers).append(value)
    if not dates and not numbers:
        dates, numbers = _faded_field_row(lines)
    return dates, numbers


def _faded_field_row(lines) -> tuple[list[Line], list[Line]]:
    """(date values, number values) written on the row of a form's 收文 fields whose printed
    labels faded to a lone 收 (收文编号：第307号 收文日期：2024年11月10日, read as 收 | 第307号 |
    2024年11月10日): the handwriting right of it on its row, a number by its 第＿号 or dash, a date
    by its 年/月 or dots."""
    for mark in (l for l in lines if "".join(l.text.split()) == RECEIPT_CHAR and l.layer not in HAND_LAYERS):
        h = mark.bbox[3] - mark.bbox[1]
        row = [l for l in lines if l.layer in HAND_LAYERS and l.bbox[0] > mark.bbox[2]
               and span_overlap((l.bbox[1], l.bbox[3]), (mark.bbox[1] - h, mark.bbox[3] + h)) > 0.5 * (l.bbox[3] - l.bbox[1])]
        # a number by its 第＿号, brackets or dash (bare digits may be a date's), a date by its year
        numbers = [l for l in row if RECEIPT_NUMBER.fullmatch(t := "".join(l.text.split())) and not t.isdigit()]
        dates = [l for l in row if parse_date(l.text) is not None and l not in numbers]
        if numbers or dates:
            return dates, numbers
    return [], []


def _date_run_on(value: Line, lines) -> Line:
    """A date field's value with the pieces of the date read apart right after it (2006 |
    1113: its strokes split between two layers) joined on, as long as each is digits and dots."""
    while DATE_DIGITS.fullmatch("".join(value.text.split())) and (more := _right_of(value.bbox, lines)) is not None \
            and DATE_DIGITS.fullmatch("".join(more.text.split())) and more.bbox[0] - value.bbox[2] < value.bbox[3] - value.bbox[1]:
        value = Line(value.text + more.text, union((value.bbox, more.bbox)), min(value.confidence, more.confidence), value.layer)
        lines = [l for l in lines if l is not more]
    return value
