"""Tables ruled by horizontal rules alone (三线表), on a born-digital page or a scan alike.

A chain of small pure functions of the page's rulings (:class:`gongwen.ocr.grid.Segment`) and
its lines (words of a text layer, OCR lines of a scan), in one unit (PDF points or pixels):

- :func:`rule_stacks`: horizontal rules that cross no vertical one, grouped by their ends;
- :func:`column_gaps`: where the body's text leaves a gap down the whole table;
- :func:`open_table`: one stack's table, or None when the evidence is weak;
- :func:`open_tables`: every such table of the page.
"""

from __future__ import annotations

from typing import Callable

from ..parsers.geometry import x_gaps
from ..parsers.model import PRINT_LAYERS, Cell, Line, Table, top_to_bottom
from . import grid

# A table ruled only across (a rule above its header, one under it, one at its foot: the
# 三线表 of reports and statistical bulletins) has no column rules; its columns are where its
# text leaves a gap down the whole body.  It is taken for a table only when the evidence holds:
# at least 3 rules of the same width, the header at most OPEN_HEADER_MAX_ROWS text rows naming
# two columns or more, no header name across a column's gap, text in every column, and
# OPEN_MIN_ROWS body rows or more with text in two columns.  A heading over sub-headings heads
# the columns a short rule under it spans; without that rule (a header name across a column
# gap) the table is not read: no table rather than a wrong one.
OPEN_HEADER_MAX_ROWS = 3
OPEN_MIN_ROWS = 2
# a column gap is at least this many text heights wide (words of one cell stand closer)
OPEN_MIN_GAP = 1.0
# the 版记's rules (抄送 …, … 印发) frame no table
IMPRINT_WORDS = ("抄送", "印发", "主题词", "分送")


def rule_stacks(hs: list[grid.Segment], vs: list[grid.Segment], tol: float) -> list[list[grid.Segment]]:
    """Horizontal rules that cross no vertical one, grouped by their left and right ends (within
    2 × ``tol``), each group top to bottom; groups of three or more."""
    free = [h for h in hs if not any(grid.crosses(h, v, tol) for v in vs)]
    stacks: list[list[grid.Segment]] = []
    for h in sorted(free, key=lambda s: s.pos):
        for stack in stacks:
            if abs(stack[0].x0 - h.x0) <= 2 * tol and abs(stack[0].x1 - h.x1) <= 2 * tol:
                if abs(stack[-1].pos - h.pos) > tol:  # a double rule is one rule
                    stack.append(h)
                break
        else:
            stacks.append([h])
    return [s for s in stacks if len(s) >= 3]


def _within(lines: list[Line], x0: float, top: float, x1: float, bottom: float) -> list[Line]:
    return [l for l in lines if x0 <= (l.bbox[0] + l.bbox[2]) / 2 <= x1 and top <= (l.bbox[1] + l.bbox[3]) / 2 <= bottom]


def column_gaps(lines: list[Line], min_gap: float) -> list[tuple[float, float]]:
    """Every gap at least ``min_gap`` wide that no line's extent covers, left to right (only
    between the lines: none before the first or after the last)."""
    return [(a, b) for a, b in x_gaps(l.bbox for l in lines) if b - a >= min_gap]


# where a line's own ink leaves a blank column between ``x0`` and ``x1`` (a scan's OCR line that
# runs two header names together), or None: given by the caller that has the page's pixels
BlankIn = Callable[[Line, float, float], "float | None"]


def _free_middle(gap: tuple[float, float], lines: list[Line], blank_in: BlankIn | None = None) -> float | None:
    """The middle of the widest part of ``gap`` that no line's extent covers (a header name is
    often wider than its column's values); where lines cover it all, the blank a line's ink
    leaves in it (``blank_in``: two names OCR read as one line), else None."""
    parts = [gap]
    for l in lines:
        parts = [piece for a, b in parts for piece in ((a, min(b, l.bbox[0])), (max(a, l.bbox[2]), b)) if piece[1] > piece[0]]
    if parts:
        a, b = max(parts, key=lambda p: p[1] - p[0])
        return round((a + b) / 2, 2)
    if blank_in is None:
        return None
    across = [l for l in lines if l.bbox[0] < gap[1] and l.bbox[2] > gap[0]]
    blanks = [b for b in (blank_in(l, *gap) for l in across) if b is not None]
    if not blanks or len(blanks) < len(across):
        return None  # some line's ink runs across the gap
    return round(sum(blanks) / len(blanks), 2)


def _text_rows(lines: list[Line]) -> list[list[Line]]:
    """Lines in rows, top to bottom: a line whose middle lies within the row above's height
    joins it."""
    out: list[list[Line]] = []
    bottom = None
    for l in sorted(lines, key=lambda l: (l.bbox[1] + l.bbox[3]) / 2):
        if bottom is None or (l.bbox[1] + l.bbox[3]) / 2 > bottom:
            out.append([])
            bottom = l.bbox[3]
        out[-1].append(l)
    return out


def open_table(stack: list[grid.Segment], lines: list[Line], short: tuple[grid.Segment, ...],
               tol: float, blank_in: BlankIn | None = None) -> Table | None:
    """The table ruled by ``stack`` (its first rule above the header, its second under it), its
    columns at the gaps of the body's text; None when the evidence for a table is weak (see
    ``OPEN_HEADER_MAX_ROWS``).

    ``short`` are rules shorter than the table's: one inside the header, under a heading and
    over its sub-headings (as a grouped 三线表 draws them), makes the heading one cell over the
    columns the rule spans and the header two rows."""
    ys = [s.pos for s in stack]
    x0, x1 = min(s.x0 for s in stack), max(s.x1 for s in stack)
    head, body = _within(lines, x0, ys[0], x1, ys[1]), _within(lines, x0, ys[1], x1, ys[-1])
    if not head or not body or len(_text_rows(head)) > OPEN_HEADER_MAX_ROWS:
        return None
    if any(word in l.text for l in head + body for word in IMPRINT_WORDS):
        return None
    groups = [g for g in short if ys[0] + tol < g.pos < ys[1] - tol and x0 - tol <= g.x0 and g.x1 <= x1 + tol]
    if len({round(g.pos) for g in groups}) > 1:
        return None  # headings over headings: not read by guess
    # a heading over its sub-headings: above a short rule, its middle over it
    headings = [l for l in head if any(l.bbox[3] <= g.pos + tol and g.x0 <= (l.bbox[0] + l.bbox[2]) / 2 <= g.x1 for g in groups)]
    names = [l for l in head if not any(l is h for h in headings)]
    heights = sorted(l.bbox[3] - l.bbox[1] for l in body)
    # a column's cut lies in the gap its body leaves, clear of the header's names
    cuts = [_free_middle(gap, names, blank_in) for gap in column_gaps(body, OPEN_MIN_GAP * heights[len(heights) // 2])]
    if not cuts or None in cuts:
        return None  # one column, or a header name across two without a rule to group them
    xs = [x0, *cuts, x1]

    def column(x: float) -> int:
        return sum(1 for c in cuts if c < x)

    def mid(l: Line) -> float:
        return (l.bbox[0] + l.bbox[2]) / 2

    if len({column(mid(l)) for l in body}) < len(xs) - 1 or len({column(mid(l)) for l in head}) < 2:
        return None
    if sum(1 for r in _text_rows(body) if len({column(mid(l)) for l in r}) >= 2) < OPEN_MIN_ROWS:
        return None
    # each group: the columns whose body text stands under its rule, two or more side by side,
    # its headings within them
    centres: dict[int, list[float]] = {}
    for l in body:
        centres.setdefault(column(mid(l)), []).append(mid(l))
    middle = {c: sorted(v)[len(v) // 2] for c, v in centres.items()}
    spans = []
    for g in groups:
        under = sorted(c for c, x in middle.items() if g.x0 - tol <= x <= g.x1 + tol)
        first, last = (under[0], under[-1]) if under else (0, 0)
        if last <= first or under != list(range(first, last + 1)) or any(
            g.x0 <= mid(h) <= g.x1 and (h.bbox[0] < xs[first] - tol or h.bbox[2] > xs[last + 1] + tol) for h in headings
        ) or any(first <= b and a <= last for a, b in spans):
            return None  # a heading wider than its columns, or two groups over one column
        spans.append((first, last))

    def box(c0: int, r0: float, c1: int, r1: float) -> tuple[float, float, float, float]:
        return (round(xs[c0], 2), round(r0, 2), round(xs[c1], 2), round(r1, 2))

    cells: list[Cell] = []
    if spans:
        mid_y = groups[0].pos
        grouped = {c for first, last in spans for c in range(first, last + 1)}
        for first, last in spans:
            cells.append(Cell(row=0, col=first, text="", bbox=box(first, ys[0], last + 1, mid_y), col_span=last - first + 1))
            cells.extend(Cell(row=1, col=c, text="", bbox=box(c, mid_y, c + 1, ys[1])) for c in range(first, last + 1))
        cells.extend(Cell(row=0, col=c, text="", bbox=box(c, ys[0], c + 1, ys[1]), row_span=2)
                     for c in range(len(xs) - 1) if c not in grouped)
        ys = [ys[0], mid_y, *ys[1:]]
        first_body = 2
    else:
        first_body = 0
    cells.extend(
        Cell(row=r, col=c, text="", bbox=box(c, ys[r], c + 1, ys[r + 1]))
        for r in range(first_body, len(ys) - 1)
        for c in range(len(xs) - 1)
    )
    return Table(cells=tuple(sorted(cells, key=lambda c: (c.row, c.col))), header_rows=0)


def open_tables(segments: list[grid.Segment], lines: list[Line] | tuple[Line, ...], tol: float,
                blank_in: BlankIn | None = None) -> tuple[Table, ...]:
    """Tables ruled by horizontal rules alone (:func:`open_table`), top to bottom.  In a stack of
    rules of one width the table runs from a rule to the farthest one below that still frames a
    table (the rules of a 版头 and a 版记 of the same width frame none)."""
    hs = [s for s in segments if s.horizontal]
    vs = [s for s in segments if not s.horizontal]
    lines = [l for l in lines if l.layer in PRINT_LAYERS]
    found: list[Table] = []
    short = tuple(h for h in hs if not any(grid.crosses(h, v, tol) for v in vs))
    for stack in rule_stacks(hs, vs, tol):
        i = 0
        while i + 2 < len(stack):
            for j in range(len(stack) - 1, i + 1, -1):
                table = open_table(stack[i: j + 1], lines, short, tol, blank_in)
                if table is not None:
                    found.append(table)
                    i = j
                    break
            else:
                i += 1
    return top_to_bottom(found)
