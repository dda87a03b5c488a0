"""Page classification from layout cues, not from page order.

- ``slip``: a circulation slip's title (…传阅单, 文件处理笺) or its column headings (传阅人,
  传阅日期 …).
- ``circular``: the first page has the red 发文机关标志 (large red print at the top) or a 发文字号
  near the top, or is a labelled 函 (受文者, 發文字號, 主旨 …), or has a title with its organ and
  date in brackets under it (older documents); later pages of the circular carry on from it
  (body text, page numbers).
- ``annex``: 附件 / 附件1 alone at the top-left, and the pages that continue its table.
- ``imprint``: the 版记 page: 抄送 and the …印发 line at the bottom, with no body above.
- ``other``: anything else (a cover sheet, a page of another document).
"""

from __future__ import annotations

import re

from .docnumber import DocNumber, number_alone
from .circulation import SLIP_COLUMNS
from .labelled import is_labelled_form
from .model import HAND_LAYERS, Line, Page, PageKind
from .opinions import COLON, LABEL_WORDS, READERS
from .rows import Row, body_height, page_rows
from .stamp import stamp_lines
from .title import MAX_TITLE_ROWS, TITLE_MIN_RATIO, title_doubt, titled_by_organ
from .rules import (
    ADDRESSEE_END,
    ADDRESSEE_NEVER,
    ISSUER_ENDINGS,
    ANNEX_LABEL,
    CC_LABEL,
    IMPRINT,
    ISSUER_MARK_SUFFIX as MARK_SUFFIX,
    ORGAN_NAME,
    PAGE_NUMBER,
    QUOTATION_HEADING,
    SLIP_HEADER_WORDS,
    SLIP_TITLE,
)

# the words a slip prints as its columns' headings and its boxes' labels, as the slip's readers
# know them (``circulation``, ``opinions``): the longer ones, which a circular's tables do not
# use as headings (姓名, 备注, 时间 do)
SLIP_WORDS = frozenset(
    [w for words in SLIP_COLUMNS.values() for w in words if len(w) >= 4]
    + [w for kind, words in LABEL_WORDS if kind != READERS for w in words if len(w) >= 4]
)

# the red issuer mark is printed at least this many times taller than body text
ISSUER_MARK_MIN_RATIO = 1.5
# red print this much taller than the body (the stacked names of a joint mark are smaller;
# the 收文 stamp's red print is body-sized)
RED_MARK_MIN_RATIO = 1.3
# without colour, only print this much taller than the body and ending in 文件 is the mark
GRAY_MARK_MIN_RATIO = 1.8
# an organ's name stacked beside the 文件 of a joint 发文机关标志 is at least this much larger
# than the body
STACKED_NAME_MIN_RATIO = 1.15
TOP_ZONE = 0.45  # fraction of the page height where the header of a circular sits
# a title and its 主送机关 open the page within this many rows
ADDRESSED_TOP_ROWS = 8
# what each organ a 主送机关 names ends with (各县人民政府, 县直各单位, 省级各部门, 各公社党委)
ADDRESSEE_ENDINGS = tuple(ISSUER_ENDINGS) + ("单位", "部门", "党委", "机关", "企业", "学校")


def is_slip(rows: list[Row]) -> bool:
    """A circulation slip: its title (传阅单, 文件处理笺, 传阅文件登记单 …) at the top, or three of
    its words: column headings and box labels (传阅人, 退回日期, 拟办意见 …) anywhere, or the
    longer words of the slip's own vocabularies (传阅领导, 送阅时间, 领导意见 …) each printed as a
    heading or label of its own (in body text they are phrases: 提出处理意见)."""
    text = "".join(r.compact for r in rows)
    if any(SLIP_TITLE.search(r.compact) for r in rows[:6]):
        return True
    if sum(1 for w in SLIP_HEADER_WORDS if w in text) >= 3:
        return True
    labels = {"".join(l.text.split()).rstrip(COLON) for r in rows for l in r.lines}
    return len(labels & SLIP_WORDS) >= 3


def mark_lines(rows: list[Row], page: Page) -> list[Line]:
    """The 发文机关标志: print far larger than the body in the top part of the page.

    Red lines are preferred; on a bilevel or gray scan (no colour left) the large black lines
    above the 发文字号 serve.
    """
    # the heading of a 语录 box (毛主席语录, 最高指示), often red and large, is none of it, nor
    # the receiving office's name in its 收文 stamp
    stamp = stamp_lines([l for r in rows for l in r.lines], page)
    lines = [l for r in rows for l in r.lines if l.bbox[1] < TOP_ZONE * page.height and len(l.text) >= 2
             and not QUOTATION_HEADING.match("".join(l.text.split())) and l not in stamp]
    body = [r for r in rows if "red" not in r.layers]
    h = body_height(body or rows)
    red = [l for l in lines if l.layer == "red"]
    head = [l for l in red if l.bbox[3] - l.bbox[1] >= RED_MARK_MIN_RATIO * h]
    # large red print is the mark only when it names an organ or ends with 文件: the red title
    # of a speech or a leaflet printed all in red is not
    if head and any(_names_issuer(l.text) for l in head):
        return head + _stacked(red, head, h)
    big = [l for l in lines if l.bbox[3] - l.bbox[1] >= ISSUER_MARK_MIN_RATIO * h and l.layer not in HAND_LAYERS]
    head = [l for l in big if l.bbox[3] - l.bbox[1] >= GRAY_MARK_MIN_RATIO * h]
    if not any(MARK_SUFFIX.search(l.text) for l in head):
        return []
    printed = [l for l in lines if l.layer not in HAND_LAYERS]
    return sorted(head + _stacked(printed, head, h), key=lambda l: (l.bbox[1], l.bbox[0]))


def _names_issuer(text: str) -> bool:
    compact = "".join(text.split())
    return bool(MARK_SUFFIX.search(compact)) or bool(ORGAN_NAME.match(MARK_SUFFIX.sub("", compact)))


def _stacked(candidates: list[Line], head: list[Line], h: float) -> list[Line]:
    """A joint document stacks its organs' names left of one large 文件 spanning them all:
    those names are smaller than the 文件 and may fall short of the mark's size."""
    suffixes = [l for l in head if MARK_SUFFIX.search(l.text)]
    return [
        l for l in candidates
        if l not in head
        and l.bbox[3] - l.bbox[1] >= STACKED_NAME_MIN_RATIO * h
        and any(
            min(l.bbox[3], s.bbox[3]) - max(l.bbox[1], s.bbox[1]) > 0.25 * (l.bbox[3] - l.bbox[1])
            and l.bbox[2] <= s.bbox[0] + h
            for s in suffixes
        )
    ]


def head_number(r: Row) -> DocNumber | None:
    """The 发文字号 a row of the 版头 prints: the row, or one of its lines (a 收文 stamp may share
    the row), is the number; a number cited in a sentence is none."""
    return number_alone(r.compact) or next((n for l in r.lines if (n := number_alone(l.text))), None)


def titled_and_addressed(rows: list[Row]) -> bool:
    """GB/T 9704's 主体 opening the page, when its 版头 was lost (no red left on a gray scan,
    a number OCR garbled): among the first rows, a title (rows ending with a kind of document,
    larger than what follows) right above a 主送机关 naming organs (各市人民政府，省直各单位：)."""
    for k in range(1, min(len(rows), ADDRESSED_TOP_ROWS)):
        addressee = rows[k].compact
        if not ADDRESSEE_END.search(addressee) or ADDRESSEE_NEVER.search(addressee):
            continue
        parts = [p for p in re.split(r"[、，,；;]", ADDRESSEE_END.sub("", addressee)) if p]
        if not any(p.endswith(ADDRESSEE_ENDINGS) for p in parts):
            return False  # a salutation (同志们：), or a sentence
        above = rows[max(0, k - MAX_TITLE_ROWS):k]
        text = "".join(r.compact for r in above)
        return title_doubt(text) is None and max(r.height for r in above) >= TITLE_MIN_RATIO * rows[k].height
    return False


def has_circular_head(rows: list[Row], page: Page) -> bool:
    if mark_lines(rows, page) or is_labelled_form(rows) or titled_by_organ(rows) or titled_and_addressed(rows):
        return True
    top = [r for r in rows if r.bbox[3] < TOP_ZONE * page.height]
    return any(head_number(r) for r in top[:8])


def is_annex_start(rows: list[Row]) -> bool:
    return any(ANNEX_LABEL.match(r.compact) for r in rows[:3])


def is_imprint_only(rows: list[Row], page: Page) -> bool:
    content = [r for r in rows if not PAGE_NUMBER.match(r.compact)]
    if not content:
        return False
    has_imprint = any(IMPRINT.match(r.compact) or CC_LABEL.match(r.compact) for r in content)
    upper = [r for r in content if r.bbox[3] < 0.6 * page.height]
    return has_imprint and len(upper) <= 1


def classify_pages(pages: list[Page] | tuple[Page, ...]) -> list[PageKind]:
    """The kind of each page, in page order; a page without cues continues the one before it."""
    kinds: list[PageKind] = []
    prev = PageKind.OTHER
    for page in pages:
        if page.error is not None or not page.lines:
            kinds.append(PageKind.BLANK if page.kind == PageKind.BLANK and page.error is None else PageKind.OTHER)
            continue
        rows = page_rows(page)
        if is_slip(rows):
            kind = PageKind.SLIP
        elif is_imprint_only(rows, page):
            kind = PageKind.IMPRINT
        elif is_annex_start(rows):
            kind = PageKind.ANNEX
        elif has_circular_head(rows, page):
            kind = PageKind.CIRCULAR
        elif prev in (PageKind.CIRCULAR, PageKind.ANNEX):
            kind = prev
        else:
            kind = PageKind.OTHER
        kinds.append(kind)
        prev = kind
    return kinds
