"""The 正文 as paragraphs: lines re-joined across line and page breaks, headings recognised.

A row starts a paragraph when it is indented (GB/T 9704: two characters) or opens with a
heading number (一、 （一） 1. （1））; a row ends one when it stops short of the right margin.
A paragraph cut at the foot of a page therefore runs on into the next page.  Page numbers
(— 1 —), running headers and footers (:func:`running_furniture`: 国务院公报 2023年第12号 at the
top of every page, 第 3 页 共 5 页 at its foot) and colour-only rows (stamps, seals,
handwriting) are not part of the body.
"""

from __future__ import annotations

import re
import statistics

from .model import PRINT_LAYERS, BBox, Circular, Field, Page, PageKind, Paragraph, Table
from .geometry import centre, contains, union
from .rows import Row, page_rows
from .rules import PAGE_NUMBER
from .text import latin_wrap

# (level, pattern) of GB/T 9704 heading numbers, outermost first
HEADING_NUMBERS = (
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]")),
    (3, re.compile(r"^\d{1,2}[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[)）]")),
)
INDENT_CHARS = 1.2  # an indent of two characters, with room for scan wobble
SHORT_LINE_CHARS = 1.5  # a row ending this far before the right margin ends its paragraph
HEADING_MAX_CHARS = 40


def spaced(text: str) -> str:
    """A row's text with white space as Chinese is set: none, except one space between two
    Latin words or numbers (Ann Arbor, GB/T 9704, 表1 2023年) — a PDF's own spaces, or a gap
    OCR left between two words."""
    return re.sub(r"\s+(?![!-~])|(?<![!-~])\s+", "", re.sub(r"\s+", " ", text.strip()))


def join_rows(a: str, b: str) -> str:
    """Two rows of a paragraph joined: a space only where Latin text wraps
    (:func:`gongwen.parsers.text.latin_wrap`, as a table cell's rows are joined)."""
    return a + " " + b if latin_wrap(a, b) else a + b


def heading_level(text: str) -> int | None:
    for level, pattern in HEADING_NUMBERS:
        if pattern.match(text):
            return level
    return None


def _after(f: Field | None, r: Row) -> bool:
    return f is not None and f.page is not None and f.bbox is not None and (
        r.page > f.page or (r.page == f.page and r.bbox[1] >= f.bbox[3] - 1)
    )


def _before(f: Field | None, r: Row) -> bool:
    return f is not None and f.page is not None and f.bbox is not None and (
        r.page < f.page or (r.page == f.page and r.bbox[3] <= f.bbox[1] + 1)
    )


# A row at the top or the foot of a page (within this share of the page's height: GB/T 9704's
# margins are 37 and 35 mm of 297) whose text, digits aside, recurs there on another page of the
# item is a running header or footer.
FURNITURE_ZONE = 0.1
FURNITURE_MIN_PAGES = 2


def furniture_key(text: str) -> str:
    """A running header's or footer's text with its numbers aside (the page, the issue)."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _in_zone(page: Page, r: Row) -> bool:
    return r.bbox[3] <= FURNITURE_ZONE * page.height or r.bbox[1] >= (1 - FURNITURE_ZONE) * page.height


def print_rows(pages: list[Page] | tuple[Page, ...]) -> dict[int, list[Row]]:
    """The rows of print of each page read without error, by page number."""
    return {p.number: page_rows(p, layers=set(PRINT_LAYERS)) for p in pages if p.error is None}


def running_furniture(pages: list[Page] | tuple[Page, ...], rows: dict[int, list[Row]] | None = None) -> frozenset[str]:
    """The keys (:func:`furniture_key`) of rows standing at the top or the foot of
    ``FURNITURE_MIN_PAGES`` pages of the item or more: running headers and footers
    (``rows``: :func:`print_rows` of the pages, when already at hand)."""
    rows = print_rows(pages) if rows is None else rows
    where: dict[str, set[int]] = {}
    for page in pages:
        if page.error is not None or not page.height:
            continue
        for r in rows[page.number]:
            key = furniture_key(r.text)
            if _in_zone(page, r) and len(key.replace("#", "")) >= 2:
                where.setdefault(key, set()).add(page.number)
    return frozenset(k for k, numbers in where.items() if len(numbers) >= FURNITURE_MIN_PAGES)


def table_areas(tables: tuple[Table, ...] | list[Table], page: int) -> list[BBox]:
    """The box of each table's part on a page (a table continued over pages has one a page)."""
    out = []
    for t in tables:
        boxes = [c.bbox for c in t.cells if c.bbox is not None and c.page == page]
        if boxes:
            out.append(union(boxes))
    return out


def body_rows(
    pages: list[Page] | tuple[Page, ...], kinds: list[PageKind], circular: Circular, tables: tuple[Table, ...] = ()
) -> list[Row]:
    """The rows of the 正文: after the 主送机关 (or title), before 附件说明 / 署名 / 成文日期;
    not the rows of the item's ``tables`` (each is a table of its own in the outputs)."""
    start = circular.addressees or circular.title or circular.doc_number
    ends = [f for f in (circular.attachments, circular.signatories, circular.issue_date) if f is not None]
    rows = print_rows(pages)
    furniture = running_furniture(pages, rows)
    out = []
    for page, kind in zip(pages, kinds):
        if kind != PageKind.CIRCULAR or page.error is not None:
            continue
        areas = table_areas(tables, page.number)
        for r in rows[page.number]:
            if PAGE_NUMBER.match(r.compact):
                continue
            if furniture and _in_zone(page, r) and furniture_key(r.text) in furniture:
                continue
            if any(contains(a, centre(r.bbox)) for a in areas):
                continue
            if start is not None and not _after(start, r):
                continue
            if any(not _before(e, r) for e in ends):
                continue
            out.append(r)
    return out


def paragraphs(rows: list[Row]) -> list[Paragraph]:
    """Group body rows into paragraphs and headings."""
    if not rows:
        return []
    char = statistics.median(r.height for r in rows)
    margins: dict[int, tuple[float, float]] = {}
    for page in {r.page for r in rows}:
        xs = sorted(r.bbox[0] for r in rows if r.page == page)
        ends = sorted(r.bbox[2] for r in rows if r.page == page)
        margins[page] = (xs[len(xs) // 10], ends[-1 - len(ends) // 10])
    out: list[Paragraph] = []
    current: list[Row] = []

    def flush() -> None:
        if not current:
            return
        text = ""
        for r in current:
            text = join_rows(text, spaced(r.text))
        level = heading_level(text)
        is_heading = level is not None and len(text) <= HEADING_MAX_CHARS and text[-1] not in "。；：，"
        out.append(
            Paragraph(
                kind="heading" if is_heading else "paragraph",
                level=level,
                text=text,
                page=current[0].page,
                bbox=union(r.bbox for r in current if r.page == current[0].page),
                confidence=round(min(r.confidence for r in current), 4),
                pages=tuple(sorted({r.page for r in current})),
            )
        )
        current.clear()

    for r in rows:
        left, right = margins[r.page]
        starts = r.bbox[0] > left + INDENT_CHARS * char or heading_level(r.compact) is not None
        if starts:
            flush()
        current.append(r)
        if r.bbox[2] < right - SHORT_LINE_CHARS * char:
            flush()
    flush()
    return out


def extract_body(pages, kinds: list[PageKind], circular: Circular, tables: tuple[Table, ...] = ()) -> tuple[Paragraph, ...]:
    return tuple(paragraphs(body_rows(pages, kinds, circular, tables)))
