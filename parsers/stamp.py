"""The receiving office's 收文 stamp: a box at the top of the first page around the word 收文,
with the office's name, a receipt number and the date received.  Its lines are read for the
receipt (``circular``), and are no part of the 发文机关标志 (``classify``) or of a slip."""

from __future__ import annotations

from .model import Line, Page
from .rules import RECEIPT_WORD

STAMP_WIDTH_CHARS = 12  # a 收文 stamp is about this many characters wide
STAMP_REACH_ROWS = 2.5
TOP_STAMP_ZONE = 0.35


def stamp_lines(lines, page: Page) -> list[Line]:
    """The lines of the 收文 stamp (office, 收文, number, date): those in a box around the word
    收文 near the top of the page, in reading order; none when there is no stamp."""
    anchor = next(
        (l for l in lines if RECEIPT_WORD.search(l.text) and l.bbox[1] < TOP_STAMP_ZONE * page.height), None
    )
    if anchor is None:
        return []
    h = anchor.bbox[3] - anchor.bbox[1]
    x0, x1 = anchor.bbox[0] - 0.5 * h, anchor.bbox[0] + STAMP_WIDTH_CHARS * h
    y0, y1 = anchor.bbox[1] - STAMP_REACH_ROWS * h, anchor.bbox[3] + STAMP_REACH_ROWS * h
    inside = [l for l in lines if x0 <= l.bbox[0] <= x1 and l.bbox[1] >= y0 and l.bbox[3] <= y1]
    return sorted(inside, key=lambda l: (l.bbox[1], l.bbox[0]))
