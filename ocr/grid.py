"""Ruled-table grids as a chain of small pure functions, each drawable for debugging.

    line_masks → strokes → intersections → grid_cells → tables

- :func:`line_masks`: horizontal and vertical rulings (morphological opening of the ink with
  long thin kernels; text, being short, falls away).
- :func:`strokes`: the rulings as segments, pieces of one broken ruling joined.
- :func:`intersections`: where horizontal and vertical segments cross.
- :func:`grid_cells`: the cells of one table: elementary cells between neighbouring rulings,
  merged wherever the ruling between two of them is missing (row and column spans).
- :func:`find_tables`: every table on a page (groups of touching rulings).

:func:`draw_debug` draws each intermediate over the page (``gongwen debug-tables``).
Coordinates are page pixels, boxes ``(x0, top, x1, bottom)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .preprocess import blob_stats, to_gray


@dataclass(frozen=True)
class GridSettings:
    """How rulings are told from text.  Lengths are fractions of the page's width / height."""

    min_ruling: float = 0.035  # a ruling is at least this long (text strokes are shorter)
    join_gap: float = 0.006  # pieces of one ruling closer than this are one segment
    snap: float = 0.006  # rulings this close are the same grid line
    min_rows: int = 2
    min_cols: int = 2
    binarize_block: int = 31  # adaptive threshold window (px)

    def __post_init__(self) -> None:
        for name in ("min_ruling", "join_gap", "snap"):
            value = getattr(self, name)
            if not 0 < value < 0.5:
                raise ValueError(f"GridSettings.{name} must be a fraction between 0 and 0.5, not {value}")
        if self.min_rows < 1 or self.min_cols < 1:
            raise ValueError("GridSettings.min_rows and min_cols must be at least 1")
        if self.binarize_block < 3 or self.binarize_block % 2 == 0:
            raise ValueError("GridSettings.binarize_block must be an odd number ≥ 3")


DEFAULT_SETTINGS = GridSettings()


@dataclass(frozen=True)
class Segment:
    """A ruling: horizontal (``y0 == y1`` up to its thickness) or vertical."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.y1 - self.y0)

    @property
    def pos(self) -> float:
        return (self.y0 + self.y1) / 2 if self.horizontal else (self.x0 + self.x1) / 2

    @property
    def start(self) -> float:
        return self.x0 if self.horizontal else self.y0

    @property
    def end(self) -> float:
        return self.x1 if self.horizontal else self.y1


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    bbox: tuple[float, float, float, float]
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True)
class TableGrid:
    bbox: tuple[float, float, float, float]
    rows: tuple[float, ...]  # y of each horizontal grid line, top to bottom
    cols: tuple[float, ...]  # x of each vertical grid line, left to right
    cells: tuple[GridCell, ...]

    @property
    def n_rows(self) -> int:
        return len(self.rows) - 1

    @property
    def n_cols(self) -> int:
        return len(self.cols) - 1


def line_masks(image: np.ndarray, settings: GridSettings = DEFAULT_SETTINGS) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) masks of ruled lines."""
    gray = to_gray(image)
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, settings.binarize_block, 15
    )
    h, w = gray.shape
    hk = max(10, int(settings.min_ruling * w))
    vk = max(10, int(settings.min_ruling * h))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, hk), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((vk, 1), np.uint8))
    # close pinholes so a scanned ruling is one component
    horizontal = cv2.dilate(horizontal, np.ones((3, 1), np.uint8))
    vertical = cv2.dilate(vertical, np.ones((1, 3), np.uint8))
    return horizontal, vertical


def _segments(mask: np.ndarray, horizontal: bool) -> list[Segment]:
    out = []
    for x, y, w, h, _area in blob_stats(mask):
        if horizontal:
            out.append(Segment(float(x), float(y + h / 2), float(x + w), float(y + h / 2)))
        else:
            out.append(Segment(float(x + w / 2), float(y), float(x + w / 2), float(y + h)))
    return out


def _join(segments: list[Segment], gap: float, snap: float) -> list[Segment]:
    """Join collinear pieces (same line within ``snap``, apart by less than ``gap``)."""
    segs = sorted(segments, key=lambda s: (round(s.pos / max(snap, 1)), s.start))
    out: list[Segment] = []
    for s in sorted(segs, key=lambda s: (s.pos, s.start)):
        for i, o in enumerate(out):
            if abs(o.pos - s.pos) <= snap and s.start <= o.end + gap and s.end >= o.start - gap:
                if s.horizontal:
                    out[i] = Segment(min(o.x0, s.x0), (o.y0 + s.y0) / 2, max(o.x1, s.x1), (o.y0 + s.y0) / 2)
                else:
                    out[i] = Segment((o.x0 + s.x0) / 2, min(o.y0, s.y0), (o.x0 + s.x0) / 2, max(o.y1, s.y1))
                break
        else:
            out.append(s)
    return out


def strokes(
    horizontal: np.ndarray, vertical: np.ndarray, settings: GridSettings = DEFAULT_SETTINGS
) -> tuple[list[Segment], list[Segment]]:
    """The rulings of the two masks as joined segments."""
    h, w = horizontal.shape
    hs = _join(_segments(horizontal, True), settings.join_gap * w, settings.snap * h)
    vs = _join(_segments(vertical, False), settings.join_gap * h, settings.snap * w)
    return hs, vs


def crosses(h: Segment, v: Segment, tol: float) -> bool:
    """Do a horizontal and a vertical ruling cross (or meet, within ``tol``)?"""
    return h.x0 - tol <= v.pos <= h.x1 + tol and v.y0 - tol <= h.pos <= v.y1 + tol


def intersections(hs: list[Segment], vs: list[Segment], tol: float) -> list[tuple[float, float]]:
    return [(v.pos, h.pos) for h in hs for v in vs if crosses(h, v, tol)]


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _covers(segs: list[Segment], pos: float, a: float, b: float, tol: float) -> bool:
    """Some segment at ``pos`` runs over most of ``[a, b]`` (a border between two cells)."""
    need = (b - a) * 0.6
    return any(abs(s.pos - pos) <= tol and min(s.end, b) - max(s.start, a) >= need for s in segs)


# a table's outermost grid line runs along at least this share of the table's side; a shorter
# one is a stray rule beside the table (a footnote's box, a mark) that touched its border
OUTER_LINE_COVER = 0.5


def _covered(segs: list[Segment], pos: float, a: float, b: float, tol: float) -> float:
    """The length of ``[a, b]`` that segments at ``pos`` run along."""
    spans = sorted((max(s.start, a), min(s.end, b)) for s in segs if abs(s.pos - pos) <= tol and s.end > a and s.start < b)
    total, reach = 0.0, a
    for lo, hi in spans:
        if hi > reach:
            total += hi - max(lo, reach)
            reach = hi
    return total


def trim_outer(ys: list[float], xs: list[float], hs: list[Segment], vs: list[Segment], tol: float) -> tuple[list[float], list[float]]:
    """The grid lines without outermost ones that run along less than OUTER_LINE_COVER of the
    table's side."""
    changed = True
    while changed and len(ys) >= 2 and len(xs) >= 2:
        changed = False
        for lines, segs, other in ((xs, vs, ys), (ys, hs, xs)):
            side = other[-1] - other[0]
            for k in (0, -1):
                if len(lines) > 2 and _covered(segs, lines[k], other[0], other[-1], tol) < OUTER_LINE_COVER * side:
                    lines.pop(k)
                    changed = True
    return ys, xs


# an open side's rulings run on past the outermost grid line by at least this share of the
# table's median row (or column) and by 2 snap tolerances: a pen's overshoot is no open side
OPEN_SIDE_REACH = 0.5
# and at least this many rulings run on past it (a table's: its two borders and a rule between;
# two strokes of a large printed character that happen to end together are no open side)
OPEN_SIDE_RULES = 3


def _open_end(lines: list[float], cross: list[float], segs: list[Segment], before: bool, tol: float) -> float | None:
    """Where the rulings across an open side of the table end, or None when the side is closed.

    ``lines`` are the grid lines along that side (the side is ``lines[0]`` when ``before``, else
    ``lines[-1]``), ``cross`` the grid lines across it, ``segs`` the rulings across it.  The side
    is open when every ruling that reaches the outermost line runs on past it to one place, the
    two outermost rulings across among them (a table drawn without its top rule, its header
    between the columns' rules; a table without its left and right borders)."""
    if len(lines) < 2 or len(cross) < 2:
        return None
    edge = lines[0] if before else lines[-1]
    reaching = [s for s in segs if (s.start <= edge + tol if before else s.end >= edge - tol)]
    if len(reaching) < OPEN_SIDE_RULES:
        return None
    ends = [s.start if before else s.end for s in reaching]
    far = min(ends) if before else max(ends)
    if any(abs(e - far) > tol for e in ends):
        return None  # some stop at the line: a closed side, rulings overshooting it unevenly
    positions = [s.pos for s in reaching]
    if not (any(abs(p - cross[0]) <= tol for p in positions) and any(abs(p - cross[-1]) <= tol for p in positions)):
        return None
    steps = sorted(b - a for a, b in zip(lines, lines[1:]))
    reach = abs(edge - far)
    if reach < max(2 * tol, OPEN_SIDE_REACH * steps[len(steps) // 2]):
        return None
    return far


def close_open_sides(ys: list[float], xs: list[float], hs: list[Segment], vs: list[Segment], tol: float) -> tuple[list[float], list[float]]:
    """The grid lines with a table's open sides closed where its rulings end (:func:`_open_end`):
    the row or column outside the last rule is the table's too, not text beside it."""
    top, bottom = _open_end(ys, xs, vs, True, tol), _open_end(ys, xs, vs, False, tol)
    left, right = _open_end(xs, ys, hs, True, tol), _open_end(xs, ys, hs, False, tol)
    return (
        ([top] if top is not None else []) + ys + ([bottom] if bottom is not None else []),
        ([left] if left is not None else []) + xs + ([right] if right is not None else []),
    )


def grid_cells(hs: list[Segment], vs: list[Segment], tol: float) -> tuple[list[float], list[float], list[GridCell]]:
    """Grid lines and cells (with spans) of one table's segments."""
    ys = _cluster([s.pos for s in hs], tol)
    xs = _cluster([s.pos for s in vs], tol)
    ys, xs = trim_outer(ys, xs, hs, vs, tol)
    ys, xs = close_open_sides(ys, xs, hs, vs, tol)
    if len(ys) < 2 or len(xs) < 2:
        return ys, xs, []
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covers(vs, xs[c + 1], ys[r], ys[r + 1], tol):
                union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not _covers(hs, ys[r + 1], xs[c], xs[c + 1], tol):
                union(r * nc + c, (r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        cells.append(
            GridCell(row=r0, col=c0, row_span=r1 - r0 + 1, col_span=c1 - c0 + 1, bbox=(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
        )
    cells.sort(key=lambda c: (c.row, c.col))
    return ys, xs, cells


def cells_from_boxes(boxes, tol: float) -> tuple[list[float], list[float], list[GridCell]]:
    """Grid lines and cells (with spans) of a table given as the boxes of its cells, as
    pdfplumber finds them on a born-digital page: a box covering several rows or columns of the
    grid (its edges at the grid lines) is a merged cell."""
    boxes = list(boxes)
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes], tol)
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes], tol)

    def index(lines: list[float], v: float) -> int:
        return min(range(len(lines)), key=lambda i: abs(lines[i] - v))

    cells = []
    for x0, top, x1, bottom in boxes:
        r0, r1 = index(ys, top), index(ys, bottom)
        c0, c1 = index(xs, x0), index(xs, x1)
        if r1 > r0 and c1 > c0:
            cells.append(
                GridCell(row=r0, col=c0, row_span=r1 - r0, col_span=c1 - c0, bbox=(float(x0), float(top), float(x1), float(bottom)))
            )
    cells.sort(key=lambda c: (c.row, c.col))
    return ys, xs, cells


def find_tables(image: np.ndarray, settings: GridSettings = DEFAULT_SETTINGS) -> list[TableGrid]:
    """Every ruled table on the page, top to bottom."""
    return page_grid(image, settings)[0]


def page_grid(image: np.ndarray, settings: GridSettings = DEFAULT_SETTINGS) -> tuple[list[TableGrid], list[Segment], list[Segment], float]:
    """Every ruled table on the page, top to bottom, and the page's horizontal and vertical
    rulings with the tolerance they snap by (for tables ruled across only,
    :mod:`gongwen.ocr.opentables`)."""
    hmask, vmask = line_masks(image, settings)
    hs, vs = strokes(hmask, vmask, settings)
    h, w = hmask.shape
    tol = settings.snap * max(h, w)
    return _grids(hmask, vmask, hs, vs, tol, settings), hs, vs, tol


def _grids(hmask: np.ndarray, vmask: np.ndarray, hs: list[Segment], vs: list[Segment], tol: float,
           settings: GridSettings) -> list[TableGrid]:
    if len(hs) < settings.min_rows or len(vs) < settings.min_cols:
        return []  # too few rulings on the whole page for a single table (open sides included)
    both = cv2.bitwise_or(hmask, vmask)
    tables = []
    for x, y, bw, bh, _area in blob_stats(cv2.dilate(both, np.ones((5, 5), np.uint8))):
        box = (x - tol, y - tol, x + bw + tol, y + bh + tol)

        def inside(s: Segment) -> bool:
            return box[0] <= s.x0 and s.x1 <= box[2] and box[1] <= s.y0 and s.y1 <= box[3]

        th, tv = [s for s in hs if inside(s)], [s for s in vs if inside(s)]
        ys, xs, cells = grid_cells(th, tv, tol)
        if len(ys) - 1 >= settings.min_rows and len(xs) - 1 >= settings.min_cols and cells:
            tables.append(
                TableGrid(bbox=(xs[0], ys[0], xs[-1], ys[-1]), rows=tuple(ys), cols=tuple(xs), cells=tuple(cells))
            )
    tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    return tables


def draw_debug(image: np.ndarray, settings: GridSettings = DEFAULT_SETTINGS) -> dict[str, np.ndarray]:
    """Each stage drawn over the page (RGB images): masks, strokes, intersections, cells."""
    base = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    hmask, vmask = line_masks(image, settings)
    hs, vs = strokes(hmask, vmask, settings)
    tol = settings.snap * max(hmask.shape)
    masks = np.full_like(base, 255)
    masks[hmask > 0] = (220, 0, 0)
    masks[vmask > 0] = (0, 0, 220)
    seg = (base * 0.4 + 153).astype(np.uint8)
    for s in hs:
        cv2.line(seg, (int(s.x0), int(s.y0)), (int(s.x1), int(s.y1)), (220, 0, 0), 4)
    for s in vs:
        cv2.line(seg, (int(s.x0), int(s.y0)), (int(s.x1), int(s.y1)), (0, 0, 220), 4)
    cross = seg.copy()
    for x, y in intersections(hs, vs, tol):
        cv2.circle(cross, (int(x), int(y)), 10, (0, 170, 0), -1)
    cells_img = (base * 0.4 + 153).astype(np.uint8)
    for t_index, table in enumerate(find_tables(image, settings), start=1):
        for c in table.cells:
            x0, y0, x1, y1 = map(int, c.bbox)
            colour = (200, 120, 0) if (c.row_span > 1 or c.col_span > 1) else (0, 140, 0)
            cv2.rectangle(cells_img, (x0 + 4, y0 + 4), (x1 - 4, y1 - 4), colour, 3)
            label = f"{t_index}:{c.row},{c.col}" + (f" {c.row_span}x{c.col_span}" if c.row_span > 1 or c.col_span > 1 else "")
            cv2.putText(cells_img, label, (x0 + 10, y0 + 40), cv2.FONT_HERSHEY_SIMPLEX, 1.0, colour, 2)
    return {"1-masks": masks, "2-strokes": seg, "3-intersections": cross, "4-cells": cells_img}
