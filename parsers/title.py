"""The 标题 (title) of a document: where GB/T 9704 puts it, where letters and reports put it,
where the layout model sees one, and on the first page of a document that is no circular.

A title is larger than the body and centred, one to four rows; it is a heading, never a sentence,
and ends with a kind of document (通知, 报告, 意见, 讲话, 告…书 …).  Rows that look like a title
but fail that are not trusted (``title_doubt`` says why) and are left for a reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import ParsedDate, parse_date
from .geometry import contains
from .model import HAND_LAYERS, Doubt, Field, Page, Region
from .rows import Row, body_height, doubt_of_rows, field_of_rows, page_rows
from .script import to_simplified
from .rules import (
    ADDRESSEE_END,
    CITATION,
    MAX_TITLE_CHARS,
    ORGAN_NAME,
    QUOTATION_HEADING,
    TITLE_END,
    TITLE_NEVER,
    UNDER_TITLE,
)

TITLE_MIN_RATIO = 1.12  # 2号 title over 3号 body is 22/16
# a line after the title's first that is centred within this many characters (and clear of both
# margins by as much) continues the title even when OCR's box came out low (a line of digits)
TITLE_CENTRE_CHARS = 1.5
MAX_TITLE_ROWS = 4
# a row this share of the title rows' height, right above them, is the title's first row
TITLE_ROW_SIZE_SHARE = 0.9
# a layout-model title region this confident is evidence of where the title stands
TITLE_REGION_MIN_CONFIDENCE = 0.5
# a letterhead stands this many title rows' heights above the title, or this much larger or smaller
LETTERHEAD_GAP = 1.0
LETTERHEAD_SIZE_RATIO = 1.15
MARK_NAME = re.compile(r"^.{2,30}文件$")  # 某某人民政府文件
# a booklet's section headings, printed large and centred like a title
SECTION_HEADINGS = frozenset({"说明", "說明", "目录", "目錄", "前言", "序言", "序", "后记", "後記", "附录", "附錄", "编者按",
                              "編者按", "出版说明", "出版說明", "编辑说明", "内容提要", "凡例"})
# a title's row holds at most this many characters (2号 type on GB/T 9704's 156 mm line: 20)
MAX_TITLE_ROW_CHARS = 24
# a note in brackets on its own row under a speech's title is no part of it
SUBTITLE_NOTE = re.compile(r"^[（(](?:记录稿|记录整理稿|根据录音整理|根据记录整理|录音整理稿?|摘要|节录|摘录|未经本人审阅|初稿)[)）]$")
# the title of a document that is no circular starts within this many rows of the page's top
TOP_TITLE_ROWS = 3


@dataclass(frozen=True)
class Measure:
    """The body's print size and text block, against which a title is larger and centred (and
    the page's middle, when known: the lines of a short leaflet may not reach the right margin)."""

    h: float
    left: float
    right: float
    page_mid: float | None = None

    @classmethod
    def of(cls, rows: list[Row], page_width: float | None = None) -> "Measure":
        black = [r for r in rows if "red" not in r.layers] or rows
        return cls(body_height(black), min(r.bbox[0] for r in black), max(r.bbox[2] for r in black),
                   page_width / 2 if page_width else None)

    def mid_aligned(self, r: Row) -> bool:
        """Centred on the text block (or the page) within TITLE_CENTRE_CHARS characters."""
        mids = [(self.left + self.right) / 2] + ([self.page_mid] if self.page_mid is not None else [])
        return any(abs(r.x_center - mid) < TITLE_CENTRE_CHARS * self.h for mid in mids)

    def centred(self, r: Row) -> bool:
        """A title line: centred, and clear of both margins."""
        return (
            self.mid_aligned(r)
            and r.bbox[0] > self.left + TITLE_CENTRE_CHARS * self.h
            and r.bbox[2] < self.right - TITLE_CENTRE_CHARS * self.h
        )


def under_title_parts(text: str) -> tuple[list[str], ParsedDate, str] | None:
    """「（中共中央 一九六六年五月十六日）」, printed under the title of older documents: the
    organs' names (each shaped like one), the date and the organs' text as printed."""
    m = UNDER_TITLE.match(text)
    if not m:
        return None
    names = [n for n in re.split(r"[、，,]", m.group("org")) if n]
    d = parse_date(m.group("date"))
    if not names or not all(ORGAN_NAME.match(n) for n in names) or d is None or d.value is None:
        return None
    return names, d, m.group("org")


def titled_by_organ(rows: list[Row]) -> bool:
    """Rows that end with a kind of document, right above an organ and date in brackets: the
    head of an older circular that prints no number (中共某县委关于…的通知 /
    （中共某县委员会 一九七一年五月十一日）)."""
    return any(
        under_title_parts(r.compact) is not None
        and TITLE_END.search("".join(x.compact for x in rows[max(0, k - MAX_TITLE_ROWS):k]))
        for k, r in enumerate(rows[:TOP_TITLE_ROWS + MAX_TITLE_ROWS]) if k
    )


def title_of(rows: list[Row], method: str) -> tuple[Field | None, Doubt | None]:
    """The title read from ``rows``, or why they are not trusted as one."""
    if not rows:
        return None, None
    if (reason := title_doubt("".join(r.compact for r in rows))) is not None:
        return None, doubt_of_rows("title", reason, rows)
    return field_of_rows("".join(r.compact for r in rows), rows, method), None


def title_at_top(page: Page) -> list[Row]:
    """The title of a document that is no circular (a speech, a leaflet, a booklet, a report):
    the first run of rows larger than the body and centred, starting among the page's first
    TOP_TITLE_ROWS rows, in print of any colour (a leaflet's title is often red)."""
    rows = [r for r in page_rows(page) if not r.layers <= HAND_LAYERS]
    if not rows:
        return []
    m = Measure.of(rows, page.width)
    block: list[Row] = []
    for k, r in enumerate(rows):
        # a long title may reach both margins: larger than the body and centred on it will do
        if len(block) < MAX_TITLE_ROWS and r.height >= TITLE_MIN_RATIO * m.h and m.mid_aligned(r) \
                and len(r.compact) <= MAX_TITLE_ROW_CHARS \
                and not ADDRESSEE_END.search(r.compact) and not SUBTITLE_NOTE.match(r.compact):
            block.append(r)
        elif block or k >= TOP_TITLE_ROWS - 1:
            break
    # the speaker or the date may follow in print almost as large: the title ends with the last
    # row that ends a kind of document
    ends = [k for k in range(1, len(block) + 1) if title_doubt("".join(r.compact for r in block[:k])) is None]
    return block[: ends[-1]] if ends else block


def _is_title_row(r: Row, m: "Measure", first: bool) -> bool:
    """A row of the 标题: larger than the body (or, after the first, centred); never the 主送机关
    (a row ending with a colon) nor the organ and date in brackets under it."""
    if ADDRESSEE_END.search(r.compact) or UNDER_TITLE.match(r.compact):
        return False
    return r.height >= TITLE_MIN_RATIO * m.h or (not first and m.centred(r))


def skippable(r: Row) -> bool:
    """Red print (the rule, a seal) and handwriting between the 发文字号 and the title."""
    return "red" in r.layers or r.layers <= HAND_LAYERS


def title_after(rows: list[Row], start: int, m: "Measure") -> tuple[list[Row], int]:
    """The 标题 where GB/T 9704 puts it: the larger rows after the 发文字号, before the 主送机关
    (the first row ending with a colon ends the search); with the index after it."""
    title_rows: list[Row] = []
    i = start
    while i < len(rows) and len(title_rows) < MAX_TITLE_ROWS:
        r = rows[i]
        if skippable(r):
            i += 1
            continue
        if _is_title_row(r, m, first=not title_rows):
            title_rows.append(r)
            i += 1
        elif title_rows or i > start + 3 or ADDRESSEE_END.search(r.compact):
            break
        else:
            i += 1
    if title_rows:
        # a first row set a little smaller than the rest (a joint title's organs' names), right
        # above them, belongs to the title
        k = rows.index(title_rows[0]) - 1
        while k >= start and len(title_rows) < MAX_TITLE_ROWS and not skippable(rows[k]) \
                and not ADDRESSEE_END.search(rows[k].compact) \
                and rows[k].height >= TITLE_ROW_SIZE_SHARE * min(t.height for t in title_rows) \
                and title_rows[0].bbox[1] - rows[k].bbox[3] <= title_rows[0].height:
            title_rows.insert(0, rows[k])
            k -= 1
        return title_rows, i
    # no line came out larger than the body (a scan whose OCR boxes run tight): the centred
    # lines between the 发文字号 and the 主送机关 (the first line ending with a colon)
    k = start
    while k < len(rows) and skippable(rows[k]):
        k += 1
    block = []
    while k < len(rows) and len(block) < MAX_TITLE_ROWS and m.centred(rows[k]) and not ADDRESSEE_END.search(rows[k].compact):
        block.append(rows[k])
        k += 1
    if block and k < len(rows) and ADDRESSEE_END.search(rows[k].compact) and not m.centred(rows[k]):
        return block, k
    return [], start


def title_above(rows: list[Row], doc_idx: int, m: "Measure") -> list[Row]:
    """The 标题 of a letter or report, printed above its 发文字号: the centred rows, larger than
    the body, right above the number's row on its page."""
    block: list[Row] = []
    k = doc_idx - 1
    while k >= 0 and len(block) < MAX_TITLE_ROWS and rows[k].page == rows[doc_idx].page:
        r = rows[k]
        if skippable(r):
            if block:
                break
            k -= 1
            continue
        # a joint title's first row (the organs' names) may be wide enough to reach the margins
        if not (m.mid_aligned(r) and r.height >= TITLE_MIN_RATIO * m.h) or ADDRESSEE_END.search(r.compact):
            break
        if block and _letterhead(r, block[0]):
            break
        block.insert(0, r)
        k -= 1
    return block


def title_in_region(rows: list[Row], start: int, regions: tuple[Region, ...], i: int) -> tuple[list[Row], int]:
    """The consecutive printed rows after ``start`` (the 发文字号's row) on its page whose
    centres lie in one ``title`` region of the layout model, up to MAX_TITLE_ROWS; with the
    index after them (``i`` unchanged when there are none)."""
    boxes = [r.bbox for r in regions if r.kind == "title" and r.confidence >= TITLE_REGION_MIN_CONFIDENCE]
    page = rows[start].page if start < len(rows) else None
    for box in boxes:
        block: list[Row] = []
        k = start
        while k < len(rows) and rows[k].page == page and len(block) <= MAX_TITLE_ROWS:
            r = rows[k]
            inside = contains(box, ((r.bbox[0] + r.bbox[2]) / 2, (r.bbox[1] + r.bbox[3]) / 2))
            if inside and not skippable(r) and not ADDRESSEE_END.search(r.compact):
                block.append(r)
            elif block:
                break
            k += 1
        if block and len(block) <= MAX_TITLE_ROWS:
            return block, k
    return [], i


def _letterhead(r: Row, below: Row) -> bool:
    """``r``, above the title row ``below``, is the letterhead: an organ's name alone (or
    …文件), set apart from the title by size or by space (a title's first row may be an organ's
    name too: 中共某省委办公厅 / 关于…的通知)."""
    if not (ORGAN_NAME.match(r.compact) or MARK_NAME.match(r.compact)):
        return False
    gap = below.bbox[1] - r.bbox[3]
    sized = max(r.height, below.height) / max(min(r.height, below.height), 1.0)
    return gap > LETTERHEAD_GAP * below.height or sized > LETTERHEAD_SIZE_RATIO


def title_doubt(text: str) -> str | None:
    """Why the rows read as the 标题 are not trusted as one (None: they are)."""
    if QUOTATION_HEADING.match(text):
        return "the lines are the quotation box above the title (毛主席语录, 最高指示), not a title"
    if CITATION.match(text):
        return "the lines are a document's name in 《》 quoted in the text, not a title"
    if TITLE_NEVER.search(text):
        return "the lines hold the end of a sentence: body text, not a title"
    if len(text) > MAX_TITLE_CHARS:
        return f"the lines run to {len(text)} characters, longer than a title"
    if text in SECTION_HEADINGS:
        return "the line is the heading of a section of a booklet (说明, 目录 …), not a title"
    if title_genre(text) is None:
        return "the lines do not end with a kind of document (通知, 报告, 意见, 函 …) as a title does"
    return None


def title_genre(title: str) -> str | None:
    """The kind of document (文种) a 标题 ends with, in simplified characters (通知, 通报, 函 …),
    or None; OCR may mix scripts (电話), so the simplified reading is tried too."""
    m = TITLE_END.search(title) or TITLE_END.search(to_simplified(title))
    return to_simplified(m.group("genre")) if m else None