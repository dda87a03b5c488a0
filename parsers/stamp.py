"""The receiving office's 收文 stamp: a box with 收文 in it, the office's name, a receipt number
and the date received, stamped in any corner of any page of the item.  Its lines are read for
the receipt (``circular``), and are no part of the 发文机关标志 (``classify``) or of a slip.

The stamp is found by its coloured frame (``ocr.stamps``, a region of kind ``stamp``) holding
the word 收文; an archive's other framed stamps (归档章: 全宗号, 年度, 件号) do not say 收文.  On a
scan without colour the frame is not seen: there the stamp is the box around a 收文 near the
top of the page, as stamps are usually set.
"""

from __future__ import annotations

from .geometry import centre, contains, grow
from .model import STAMP_REGION, Line, Page
from .rules import RECEIPT_WORD

STAMP_WIDTH_CHARS = 12  # a 收文 stamp is about this many characters wide
STAMP_REACH_ROWS = 2.5
TOP_STAMP_ZONE = 0.35
# a line saying 收文 in a stamp is short (收文, 收文第　号, 区府办收文); a longer one is a sentence
STAMP_WORD_MAX_CHARS = 12
# how far outside its frame (in page pixels) a stamp's handwriting may stray
FRAME_SLACK = 20


def _is_stamp_word(line: Line) -> bool:
    return bool(RECEIPT_WORD.search(line.text)) and len("".join(line.text.split())) <= STAMP_WORD_MAX_CHARS


def stamp_box(lines, page: Page) -> tuple[tuple[float, float, float, float], bool] | None:
    """(box, found by its frame) of the page's 收文 stamp (see the module's docstring), or None."""
    words = [l for l in lines if _is_stamp_word(l)]
    frames = sorted((r for r in page.regions if r.kind == STAMP_REGION), key=lambda r: -r.confidence)
    for frame in frames:
        box = grow(frame.bbox, FRAME_SLACK)
        if any(contains(box, centre(w.bbox)) for w in words):
            return box, True
    anchor = next((l for l in lines if RECEIPT_WORD.search(l.text) and l.bbox[1] < TOP_STAMP_ZONE * page.height), None)
    if anchor is None:
        return None
    h = anchor.bbox[3] - anchor.bbox[1]
    return (anchor.bbox[0] - 0.5 * h, anchor.bbox[1] - STAMP_REACH_ROWS * h,
            anchor.bbox[0] + STAMP_WIDTH_CHARS * h, anchor.bbox[3] + STAMP_REACH_ROWS * h), False


def stamp_lines(lines, page: Page) -> list[Line]:
    """The lines of the 收文 stamp (office, 收文, number, date) in reading order; none when the
    page has no stamp.  Within a frame, a line counts when its centre is inside; otherwise when
    it starts inside the box around the 收文 and ends within it."""
    found = stamp_box(lines, page)
    if found is None:
        return []
    box, framed = found
    if framed:
        inside = [l for l in lines if contains(box, centre(l.bbox))]
    else:
        x0, y0, x1, y1 = box
        inside = [l for l in lines if x0 <= l.bbox[0] <= x1 and l.bbox[1] >= y0 and l.bbox[3] <= y1]
    return sorted(inside, key=lambda l: (l.bbox[1], l.bbox[0]))
