"""Reading order of OCR lines on a page.

Boxes whose vertical extents overlap by more than half of the smaller one form a row; rows run
top to bottom, boxes within a row left to right.  Two long lines one above the other are never
one row, however much their boxes overlap: on a photo of a curved page each line's box is
tall with the bend, and a line's box reaches into the next one's.  A wide gap inside a row (a table's columns, a
name and a date) keeps a space; pieces of one printed line are joined without one.
"""

from __future__ import annotations

from .geometry import span_overlap
from .model import Line

ROW_OVERLAP = 0.5
# a line at least this many of its heights long is a line of text, not a scrap; two such lines
# whose horizontal extents overlap by more than half of the shorter are stacked, not side by side
LONG_LINE = 6.0
STACKED_OVERLAP = 0.5
# a gap wider than this many line heights between two boxes of a row keeps a space
SPACE_GAP = 0.8
# between two Latin words (a PDF's words are boxes of their own, a word space is about a quarter
# of the font size), a gap wider than this keeps its space: Ann Arbor, not AnnArbor
LATIN_SPACE_GAP = 0.1


def rows(lines: list[Line] | tuple[Line, ...]) -> list[list[Line]]:
    """Group lines into visual rows in reading order."""
    out: list[tuple[list[float], list[Line]]] = []  # ([top, bottom], members)
    for line in sorted(lines, key=lambda l: ((l.bbox[1] + l.bbox[3]) / 2, l.bbox[0])):
        span = (line.bbox[1], line.bbox[3])
        h = max(span[1] - span[0], 1.0)
        for band, members in reversed(out[-3:]):
            bh = max(band[1] - band[0], 1.0)
            if span_overlap(band, span) > ROW_OVERLAP * min(h, bh) and not any(_stacked(line, m) for m in members):
                members.append(line)
                band[0], band[1] = min(band[0], span[0]), max(band[1], span[1])
                break
        else:
            out.append(([span[0], span[1]], [line]))
    result = [sorted(m, key=lambda l: l.bbox[0]) for _, m in out]
    result.sort(key=lambda r: min(l.bbox[1] for l in r))
    return result


def _long(line: Line) -> bool:
    x0, y0, x1, y1 = line.bbox
    return x1 - x0 >= LONG_LINE * max(y1 - y0, 1.0)


def _stacked(a: Line, b: Line) -> bool:
    """Two long lines one above the other (their horizontal extents mostly shared)."""
    if not (_long(a) and _long(b)):
        return False
    shorter = min(a.bbox[2] - a.bbox[0], b.bbox[2] - b.bbox[0])
    return span_overlap((a.bbox[0], a.bbox[2]), (b.bbox[0], b.bbox[2])) > STACKED_OVERLAP * shorter


def _latin_end(text: str) -> bool:
    return bool(text) and text[-1].isascii() and not text[-1].isspace() and text[-1] not in "([{"


def _latin_start(text: str) -> bool:
    return bool(text) and text[0].isascii() and (text[0].isalnum() or text[0] in "(\"'$&")


def row_text(row: list[Line]) -> str:
    parts: list[str] = []
    prev: Line | None = None
    for line in row:
        if prev is not None:
            h = max(min(prev.bbox[3] - prev.bbox[1], line.bbox[3] - line.bbox[1]), 1.0)
            gap = line.bbox[0] - prev.bbox[2]
            latin = _latin_end(prev.text) and _latin_start(line.text)
            parts.append(" " if gap > SPACE_GAP * h or (latin and gap > LATIN_SPACE_GAP * h) else "")
        parts.append(line.text)
        prev = line
    return "".join(parts)


def page_text(lines: list[Line] | tuple[Line, ...]) -> str:
    """The page's text in reading order, one visual row per line."""
    return "\n".join(row_text(r) for r in rows(lines))
