"""The 正文 as paragraphs: lines re-joined across line and page breaks, headings recognised.

A row starts a paragraph when it is indented (GB/T 9704: two characters) or opens with a
heading number (一、 （一） 1. （1））; a row ends one when it stops short of the right margin.
A paragraph cut at the foot of a page therefore runs on into the next page.  Page numbers
(— 1 —) and colour-only rows (stamps, seals, handwriting) are not part of the body.
"""

from __future__ import annotations

import re
import statistics

from .model import Circular, Field, Page, PageKind, Paragraph
from .geometry import union
from .rows import Row, page_rows
from .rules import PAGE_NUMBER

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


def body_rows(pages: list[Page] | tuple[Page, ...], kinds: list[PageKind], circular: Circular) -> list[Row]:
    """The rows of the 正文: after the 主送机关 (or title), before 附件说明 / 署名 / 成文日期."""
    start = circular.addressees or circular.title or circular.doc_number
    ends = [f for f in (circular.attachments, circular.signatories, circular.issue_date) if f is not None]
    out = []
    for page, kind in zip(pages, kinds):
        if kind != PageKind.CIRCULAR or page.error is not None:
            continue
        for r in page_rows(page, layers={"black", "text"}):
            if PAGE_NUMBER.match(r.compact):
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
        text = "".join(r.compact for r in current)
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


def extract_body(pages, kinds: list[PageKind], circular: Circular) -> tuple[Paragraph, ...]:
    return tuple(paragraphs(body_rows(pages, kinds, circular)))
