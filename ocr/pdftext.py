"""Born-digital PDF pages: words and ruled tables read from the PDF's own text and drawing.

pdfium (pypdfium2) reads a page of text in about 3 ms where pdfminer, under pdfplumber, takes
about 200 ms, which made a born-digital archive crawl.  The steps are small pure functions over
plain values, as pdfplumber's are, and follow pdfplumber's rules, so the result is the same:

- :func:`page_chars`: every character with its loose box (the font's ascent to descent, as
  pdfplumber's char boxes), in top-left page coordinates (points), and whether it is filled
  red (a word mostly red becomes a ``red`` line, like red ink on a scan);
- :func:`words`: characters grouped into rows (baselines within ``LINE_TOL_PT``: pdfplumber
  groups by tops, which puts digits set in a smaller Latin font beside Chinese ones on a row of
  their own, so 第15號 read 第號15), then split into words at white space and at gaps wider
  than ``WORD_GAP_PT`` (pdfplumber's ``extract_words`` with its default tolerances);
- :func:`page_rulings`: every straight horizontal or vertical piece of every visible path
  (lines, rectangle edges, a whole grid drawn as one path);
- :func:`tables_from_rulings`: rulings that cross are one table, cut into cells (merged cells
  where a border is missing) by :func:`gongwen.ocr.grid.grid_cells`, as on a scan;
- :func:`gongwen.ocr.opentables.open_tables`: a table ruled by horizontal rules alone (三线表),
  its columns where its text leaves a gap down the body, taken only when the evidence holds
  (as on a scan).

The tests compare words and tables with pdfplumber's on the same pages.
"""

from __future__ import annotations

import ctypes
import logging
import re
from dataclasses import dataclass

from ..parsers.model import Cell, Line, Table, top_to_bottom
from ..parsers.text import normalize_line
from . import grid
from .opentables import open_tables

log = logging.getLogger(__name__)

# pdfplumber's default tolerances (points)
WORD_GAP_PT = 3.0
LINE_TOL_PT = 3.0
# rulings: straight within this (points), at least this long, this close is one grid line
RULING_STRAIGHT_PT = 0.5
RULING_MIN_LENGTH_PT = 3.0
TABLE_SNAP_PT = 3.0
# a page whose images cover this share of it is a scan, whatever text layer it carries
SCAN_IMAGE_COVERAGE = 0.6
# fewer characters than this: no usable text layer (a scan, or a blank page)
MIN_TEXT_LAYER_CHARS = 20


_MADE_UP = frozenset((0x20, 0x0D, 0x0A))


@dataclass(frozen=True)
class PdfChar:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    red: bool = False  # filled in red (a 发文机关标志 set as text, a red title)
    # the baseline (from the page's top), where the character's font sets it; None: its bottom
    base: float | None = None

    @property
    def baseline(self) -> float:
        return self.bottom if self.base is None else self.base


# a character is red when its fill's red channel exceeds both others by this much (0-255)
RED_FILL_MARGIN = 80


def is_red(r: int, g: int, b: int) -> bool:
    return r - max(g, b) >= RED_FILL_MARGIN


@dataclass(frozen=True)
class PageFrame:
    """Where the page sits in PDF user space: its crop box (left, bottom, right, top), and the
    page's /Rotate (0, 90, 180 or 270 degrees clockwise): a viewer shows the page turned so,
    and so does the page's image, so coordinates are taken on the page as shown."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int = 0

    @property
    def size(self) -> tuple[float, float]:
        w, h = self.right - self.left, self.top - self.bottom
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """PDF user space (origin bottom left) to page coordinates (origin top left), on the
        page as shown (turned by its /Rotate)."""
        u, v = x - self.left, self.top - y
        if self.rotation == 90:
            return self.top - self.bottom - v, u
        if self.rotation == 180:
            return self.right - self.left - u, self.top - self.bottom - v
        if self.rotation == 270:
            return v, self.right - self.left - u
        return u, v

    def box(self, left: float, top: float, right: float, bottom: float) -> tuple[float, float, float, float]:
        """A box in PDF user space to (x0, top, x1, bottom) on the page as shown."""
        (ax, ay), (bx, by) = self.point(left, top), self.point(right, bottom)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def page_frame(page, textpage=None) -> PageFrame:
    """The page's frame, turned so that its text reads upright: by the direction most of its
    characters are set in (a table set sideways on a portrait page, whatever the page's /Rotate
    says), else by its /Rotate."""
    turn = text_turn(textpage) if textpage is not None else None
    if turn is None:
        turn = page.get_rotation() % 360
    return PageFrame(*page.get_cropbox(), rotation=turn if turn in (90, 180, 270) else 0)


# the characters of a page set in one direction, this share of them at least, turn the page
TEXT_TURN_SHARE = 0.6
TEXT_TURN_SAMPLE = 400


def text_turn(textpage) -> int | None:
    """The clockwise turn (0, 90, 180, 270) that sets most of the page's characters upright,
    from the angle pdfium gives each (counter-clockwise, in PDF user space); None when no
    direction holds TEXT_TURN_SHARE of them."""
    import math

    import pypdfium2.raw as pdfium_c

    raw = textpage.raw
    counts = [0, 0, 0, 0]
    n = pdfium_c.FPDFText_CountChars(raw)
    for i in range(0, n, max(1, n // TEXT_TURN_SAMPLE)):  # a few hundred tell the direction
        angle = pdfium_c.FPDFText_GetCharAngle(raw, i)
        if angle >= 0:
            counts[round(math.degrees(angle) / 90) % 4] += 1
    total = sum(counts)
    if not total:
        return None
    k = max(range(4), key=counts.__getitem__)
    return (360 - 90 * k) % 360 if counts[k] >= TEXT_TURN_SHARE * total else None


def page_chars(textpage, frame: PageFrame) -> list[PdfChar]:
    """The page's characters in content order (characters pdfium made up are left out)."""
    import pypdfium2.raw as pdfium_c

    out: list[PdfChar] = []
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    unicode_of, generated, loose_box, fill_of, origin_of = (
        pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated, pdfium_c.FPDFText_GetLooseCharBox,
        pdfium_c.FPDFText_GetFillColor, pdfium_c.FPDFText_GetCharOrigin,
    )
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    origin_refs = (ctypes.byref(ox), ctypes.byref(oy))
    rgba = [ctypes.c_uint() for _ in range(4)]
    rgba_refs = [ctypes.byref(v) for v in rgba]
    left, top, turned = frame.left, frame.top, frame.rotation != 0
    i = 0
    while i < n:
        code = unicode_of(raw, i)
        index = i
        i += 1
        if 0xD800 <= code < 0xDC00 and i < n:  # a character beyond the BMP, as two halves
            low = unicode_of(raw, i)
            if 0xDC00 <= low < 0xE000:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                i += 1
        if code == 0 or (code in _MADE_UP and generated(raw, index) == 1):
            continue  # pdfium makes up only white space (between words, at line ends)
        if not loose_box(raw, index, rect_ref):
            continue
        red = bool(fill_of(raw, index, *rgba_refs)) and is_red(rgba[0].value, rgba[1].value, rgba[2].value)
        has_origin = origin_of(raw, index, *origin_refs)
        # rect: left, top, right, bottom in PDF user space (origin bottom left)
        if turned:
            base = frame.point(ox.value, oy.value)[1] if has_origin else None
            out.append(PdfChar(chr(code), *frame.box(rect.left, rect.top, rect.right, rect.bottom), red, base))
        else:
            base = top - oy.value if has_origin else None
            out.append(PdfChar(chr(code), rect.left - left, top - rect.top, rect.right - left, top - rect.bottom, red, base))
    return out


def _rows(chars: list[PdfChar], tol: float) -> list[list[PdfChar]]:
    """Characters on one baseline (within ``tol``), rows top to bottom."""
    rows: list[list[PdfChar]] = []
    last = None
    for base, c in sorted(((c.baseline, c) for c in chars), key=lambda pair: pair[0]):
        if last is None or base - last > tol:
            rows.append([])
        rows[-1].append(c)
        last = base
    return rows


def words(chars: list[PdfChar], gap: float = WORD_GAP_PT, tol: float = LINE_TOL_PT) -> list[PdfChar]:
    """Words: characters of one row (one baseline), left to right, split at white space and
    wide gaps."""
    out: list[PdfChar] = []
    for row in _rows(chars, tol):
        current: list[PdfChar] = []
        for c in sorted(row, key=lambda c: c.x0):
            if c.text.isspace():
                if current:
                    out.append(_word(current))
                current = []
                continue
            if current and c.x0 - current[-1].x1 > gap:
                out.append(_word(current))
                current = []
            current.append(c)
        if current:
            out.append(_word(current))
    return out


def _word(chars: list[PdfChar]) -> PdfChar:
    return PdfChar(
        "".join(c.text for c in chars),
        min(c.x0 for c in chars),
        min(c.top for c in chars),
        max(c.x1 for c in chars),
        max(c.bottom for c in chars),
        red=2 * sum(c.red for c in chars) > len(chars),  # most of its characters
        base=max(c.baseline for c in chars),
    )


def _path_points(obj) -> list[list[tuple[float, float]]]:
    """The subpaths of a path object as lists of points in PDF user space (a closed subpath
    ends at its start again); curves are left out (a table is drawn with straight lines)."""
    import pypdfium2.raw as pdfium_c

    a, b, c, d, e, f = obj.get_matrix().get()
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    for k in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, k)
        if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            subpaths[-1].append(point)
        else:  # a curve: the straight run ends here
            subpaths.append([point])
        if pdfium_c.FPDFPathSegment_GetClose(seg) and len(subpaths[-1]) > 1:
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


# a colour whose channels are all at least this (0-255) draws nothing on white paper
WHITE_CHANNEL = 240


def _rgba(obj, getter) -> tuple[int, int, int, int] | None:
    """The object's fill (or stroke) colour, or None when pdfium gives none."""
    rgba = [ctypes.c_uint() for _ in range(4)]
    if not getter(obj.raw, *rgba):
        return None
    return tuple(v.value for v in rgba)


def _paints(obj, getter) -> bool:
    """Does the object's fill (or stroke) colour show on white paper?"""
    rgba = _rgba(obj, getter)
    return rgba is None or (rgba[3] > 0 and min(rgba[:3]) < WHITE_CHANNEL)


def _visible(obj) -> bool:
    """Is the path drawn in ink: stroked, or filled, in a colour that shows on white paper (a
    cell's white background box is no ruling)?"""
    import pypdfium2.raw as pdfium_c

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill, stroke):
        return True
    return (bool(fill.value) and _paints(obj, pdfium_c.FPDFPageObj_GetFillColor)) or \
        (bool(stroke.value) and _paints(obj, pdfium_c.FPDFPageObj_GetStrokeColor))


def _thin(box) -> list[grid.Segment] | None:
    """A thin box (how many writers draw a table's rules, one box a rule): the line through its
    middle; [] for a speck (a corner piece where two rules meet); None for any other box."""
    x0, y0, x1, y1 = box
    if y1 - y0 <= RULING_STRAIGHT_PT * 4 and x1 - x0 >= RULING_MIN_LENGTH_PT:
        return [grid.Segment(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)]
    if x1 - x0 <= RULING_STRAIGHT_PT * 4 and y1 - y0 >= RULING_MIN_LENGTH_PT:
        return [grid.Segment((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)]
    if x1 - x0 <= RULING_STRAIGHT_PT * 4 and y1 - y0 <= RULING_STRAIGHT_PT * 4:
        return []
    return None


def _thin_subpath(points: list[tuple[float, float]], frame: PageFrame) -> list[grid.Segment] | None:
    """A subpath drawn as a thin box: the line through its middle (:func:`_thin`)."""
    if len(points) < 4:
        return None
    xs, ys = zip(*(frame.point(*pt) for pt in points))
    return _thin((min(xs), min(ys), max(xs), max(ys)))


def rulings_of(subpaths: list[list[tuple[float, float]]], frame: PageFrame) -> list[grid.Segment]:
    """The straight horizontal and vertical pieces of the subpaths, in page coordinates: a thin
    box is one rule (its middle), another shape gives its straight edges."""
    out = []
    for points in subpaths:
        thin = _thin_subpath(points, frame)
        if thin is not None:
            out.extend(thin)
            continue
        for p, q in zip(points, points[1:]):
            (x0, y0), (x1, y1) = frame.point(*p), frame.point(*q)
            if abs(y1 - y0) <= RULING_STRAIGHT_PT and abs(x1 - x0) >= RULING_MIN_LENGTH_PT:
                y = (y0 + y1) / 2
                out.append(grid.Segment(min(x0, x1), y, max(x0, x1), y))
            elif abs(x1 - x0) <= RULING_STRAIGHT_PT and abs(y1 - y0) >= RULING_MIN_LENGTH_PT:
                x = (x0 + x1) / 2
                out.append(grid.Segment(x, min(y0, y1), x, max(y0, y1)))
    return out


def _thin_box(obj, frame: PageFrame) -> list[grid.Segment]:
    """A path without points of its own drawn as a thin box: its middle (:func:`_thin`)."""
    return _thin(frame.box(*_ltrb(obj.get_bounds()))) or []


def _ltrb(bounds) -> tuple[float, float, float, float]:
    """pdfium's (left, bottom, right, top) as (left, top, right, bottom)."""
    left, bottom, right, top = bounds
    return left, top, right, bottom


# a white box covers the rulings drawn before it this far inside its edges (its own border,
# and a ruling along it, stay)
COVER_INSET_PT = 1.0


def _white_box(obj) -> bool:
    """A path filled white (opaque): it hides what was drawn before it under it."""
    import pypdfium2.raw as pdfium_c

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill, stroke) or not fill.value:
        return False
    rgba = _rgba(obj, pdfium_c.FPDFPageObj_GetFillColor)
    return rgba is not None and rgba[3] == 255 and min(rgba[:3]) >= WHITE_CHANNEL


def uncovered(segments: list[grid.Segment], box) -> list[grid.Segment]:
    """The parts of ``segments`` not hidden under an opaque box drawn after them."""
    x0, y0, x1, y1 = box[0] + COVER_INSET_PT, box[1] + COVER_INSET_PT, box[2] - COVER_INSET_PT, box[3] - COVER_INSET_PT
    if x1 <= x0 or y1 <= y0:
        return segments
    out = []
    for s in segments:
        across = (y0 < s.pos < y1) if s.horizontal else (x0 < s.pos < x1)
        lo, hi = (x0, x1) if s.horizontal else (y0, y1)
        if not across or s.end <= lo or s.start >= hi:
            out.append(s)
            continue
        for a, b in ((s.start, lo), (hi, s.end)):  # what sticks out on either side
            if b - a >= RULING_MIN_LENGTH_PT:
                out.append(grid.Segment(a, s.y0, b, s.y1) if s.horizontal else grid.Segment(s.x0, a, s.x1, b))
    return out


def page_rulings(page, frame: PageFrame) -> list[grid.Segment]:
    """The page's rulings, in drawing order: a white box drawn over earlier rulings hides the
    parts under it (a cell's background painted over the grid line of the row above)."""
    import pypdfium2.raw as pdfium_c

    out: list[grid.Segment] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        if not _visible(obj):
            if out and _white_box(obj):
                out = uncovered(out, frame.box(*_ltrb(obj.get_bounds())))
            continue
        subpaths = _path_points(obj)
        out.extend(rulings_of(subpaths, frame) if subpaths else _thin_box(obj, frame))
    return out


def tables_from_rulings(segments: list[grid.Segment], tol: float = TABLE_SNAP_PT) -> tuple[Table, ...]:
    """Rulings that cross one another are one table; each table cut into cells, top to bottom.
    A grid of fewer than two rows or two columns (a frame round a paragraph) is none."""
    hs = [s for s in segments if s.horizontal]
    vs = [s for s in segments if not s.horizontal]
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if grid.crosses(h, v, tol):
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    tables = []
    for th, tv in groups.values():
        if not th or not tv:
            continue
        ys, xs, cells = grid.grid_cells(th, tv, tol)
        settings = grid.DEFAULT_SETTINGS
        if not cells or len(ys) - 1 < settings.min_rows or len(xs) - 1 < settings.min_cols:
            continue  # a box round a paragraph, a column of boxes: no table (as on a scan)
        tables.append(Table(
            cells=tuple(
                Cell(row=c.row, col=c.col, text="", bbox=tuple(round(v, 2) for v in c.bbox),
                     row_span=c.row_span, col_span=c.col_span)
                for c in cells
            ),
            header_rows=0,
        ))
    return top_to_bottom(tables)


def image_coverage(page, frame: PageFrame) -> float:
    """Share of the page covered by images (a scan, even one with an OCR text layer)."""
    import pypdfium2.raw as pdfium_c

    width, height = frame.size
    area = (width * height) or 1.0
    covered = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        x0, x1 = max(left - frame.left, 0.0), min(right - frame.left, width)
        y0, y1 = max(frame.top - top, 0.0), min(frame.top - bottom, height)
        if x1 > x0 and y1 > y0:
            covered += (x1 - x0) * (y1 - y0)
    return covered / area


# the binding line printed down a page's margin (装订线, 密封线), one character a word, spaced out
MARGIN_MARKS = frozenset("装订线裝訂線密封")
# how far in from the page's left or right edge (a share of its width) a margin mark stands
MARGIN_SHARE = 0.12


def drop_margin_marks(lines: list[Line], width: float) -> list[Line]:
    """The lines without the binding line's marks: single characters of MARGIN_MARKS in the
    page's outer margin, two or more of them stacked in one column (a 装 in the body is text)."""
    def in_margin(l: Line) -> bool:
        cx = (l.bbox[0] + l.bbox[2]) / 2
        return len(l.text) == 1 and l.text in MARGIN_MARKS and (cx < MARGIN_SHARE * width or cx > (1 - MARGIN_SHARE) * width)

    marks = [l for l in lines if in_margin(l)]
    stacked = [m for m in marks
               if any(o is not m and abs((o.bbox[0] + o.bbox[2]) - (m.bbox[0] + m.bbox[2])) / 2 < (m.bbox[2] - m.bbox[0]) for o in marks)]
    return [l for l in lines if not any(l is m for m in stacked)]


# A text layer whose fonts lack their Unicode map reads as codes, not text: private-use
# characters, U+FFFD, control codes, or a Chinese font's GBK bytes taken for Latin-1 (ÊÇ for
# 是).  When this share of a page's characters are such, the page is read as a scan (OCR).
GARBLED_SHARE = 0.3


# private use, U+FFFD, control codes (C0 and C1, not white space), Latin-1 letters (× and ÷ are signs)
_GARBLED = re.compile("[\ue000-\uf8ff\ufffd\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\xc0-\xd6\xd8-\xf6\xf8-\xff]")
_WHITE = re.compile(r"\s")


def garbled(text: str) -> bool:
    """Whether a page's text layer is codes rather than text (``GARBLED_SHARE`` of its
    characters other than white space private-use, U+FFFD, control codes or Latin-1 letters;
    a French or German text has far fewer accented letters)."""
    bad = len(_GARBLED.findall(text))
    if not bad:
        return False
    chars = len(text) - len(_WHITE.findall(text))
    return bool(chars) and bad >= GARBLED_SHARE * chars


def text_layer(page) -> tuple[tuple[Line, ...] | None, tuple[float, float], tuple[Table, ...]]:
    """Words (as model lines, boxes in points) and ruled tables of a born-digital page, or
    None when the page is a scan (with or without an OCR text layer), has no text, or its text
    layer is garbled (:func:`garbled`: the page is read as a scan, by OCR)."""
    textpage = page.get_textpage()
    try:
        frame = page_frame(page, textpage)
        chars = page_chars(textpage, frame)
    finally:
        textpage.close()
    if sum(1 for c in chars if not c.text.isspace()) < MIN_TEXT_LAYER_CHARS:
        return None, frame.size, ()
    if image_coverage(page, frame) >= SCAN_IMAGE_COVERAGE:
        return None, frame.size, ()
    if garbled("".join(c.text for c in chars)):
        log.info("the text layer is garbled (fonts without their Unicode map): the page is read by OCR")
        return None, frame.size, ()
    # red words keep their ink, as on a scan: the 发文机关标志 and a red title are told by it
    lines = [
        Line(text=text, bbox=(round(w.x0, 2), round(w.top, 2), round(w.x1, 2), round(w.bottom, 2)), confidence=1.0,
             layer="red" if w.red else "text")
        for w in words(chars)
        if (text := normalize_line(w.text))
    ]
    lines = drop_margin_marks(lines, frame.size[0])
    rulings = page_rulings(page, frame)
    tables = tables_from_rulings(rulings) + open_tables(rulings, lines, TABLE_SNAP_PT)
    return tuple(lines), frame.size, top_to_bottom(tables)
