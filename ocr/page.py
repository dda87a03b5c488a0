"""The per-page OCR stage: an image page in, its upright image, lines, orientation, ruled
tables and layout regions out (:func:`read_image`).  Orient, deskew, separate the inks, read
the black layer (upright or turned), read the colour layers' regions on their own, resolve what
both layers read at one place, read a colour page's pencil where nothing else was read, find the table grids, the coloured frames of stamps
(``ocr.stamps``) and the layout model's regions (``ocr.regions``).  :func:`read_pages` does the same for an image that may hold two pages (a
photo of an open booklet, ``ocr.spread``): one reading, cut into a page per side.  Pure: it
knows no file and no output folder; the worker of ``pipeline.run`` calls it on each page that
needs OCR.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from ..parsers.geometry import clip, grow, overlap_ratio
from ..parsers.model import Cell, Line, Region, Table, top_to_bottom, weighted_confidence
from ..parsers.script import mend_slips
from ..parsers.text import is_cjk as is_cjk_char
from . import grid, opentables, orientation
from . import preprocess as pp
from .engines import OcrEngine
from .regions import find_regions
from .spread import find_spread, split_lines
from .stamps import missed_in_stamps, stamp_frames

# Below this character-weighted confidence an upright page is also read turned by 180°, and
# the better reading is kept.
UPSIDE_DOWN_CHECK_BELOW = 0.85
# a reading of fewer characters than this is checked in the other orientations too
UPRIGHT_MIN_CHARS = 12
# Lines read from a colour layer below this confidence are seal ornaments, not text.
MIN_COLOUR_LINE_CONFIDENCE = 0.6
# a line read in a colour page's pencil is writing only when it is this tall (a share of the
# page's height: 3 mm on A4) and holds a Chinese character or a digit (paper's grain read as ASE)
MIN_PENCIL_LINE_HEIGHT = 0.01
# a black line that overlaps a colour line this much and shares most of its characters is the
# same ink read twice
ECHO_OVERLAP = 0.5
# a handwritten 。 the detector left out: how far right of the line (in line heights) it is
# looked for, and its size (a share of the line's height)
FULL_STOP_REACH = 1.5
FULL_STOP_SIZE = (0.15, 0.5)
FULL_STOP_GAP = 0.08
# what a lone 。 region is read as; it is put back at the end of its line instead
FULL_STOP_READINGS = ("。", "o", "O", "○", "〇", "0", "°")
FULL_STOP_AS_BRACKET = "(（"
# a line this much inside another that contains its text is a repeat of it
REPEAT_OVERLAP = 0.8
ECHO_SHARED_CHARS = 0.6
# a black line running this many characters past a colour line is print beside the colour ink
# (a form's label read with the handwriting written after it): only its part over the colour
# line is weighed against it
PAST_COLOUR_CHARS = 2
GRID_SCALE = 0.5
# a line OCR read across two header names of a table ruled across only holds a blank column at
# least this share of its height wide where they meet (a full-width mark's own blank half is
# narrower); ink is darker than INK_LEVEL (0-255)
HEADER_BLANK = 0.8
INK_LEVEL = 160
# The orientation model's turn is taken at this confidence or more.  bench/orientation.py, 49
# pages in four turns each (samples, other layouts, real scans and photos, pages with hardly
# any text): 193/196 right against 185/196 by the ink's axis and the reading, deciding in
# 21 ms a page against 274 (a page read again in other turns); at ≥ 0.5 it decided 181 of the
# 196, none wrong (its wrong answers: 0.40 at most; 0.42 on 356 page-turns of another seed).
SURE_TURN = orientation.SURE


@dataclass(frozen=True)
class ReadImage:
    """What OCR made of an image page."""

    image: np.ndarray  # the page turned upright and deskewed (2-D when it has no colour)
    lines: tuple[Line, ...]  # in the pixels of ``image``
    rotation: int  # degrees clockwise applied to the scan
    skew: float  # degrees of deskew applied
    tables: tuple[Table, ...]  # ruled grids, cells without text yet
    regions: tuple[Region, ...] = ()  # stamps' frames and the layout model's regions, in the pixels of ``image``


def read_image(engine: OcrEngine, image: np.ndarray, regions: bool = True) -> ReadImage:
    """The whole stage for one image page (see the module's docstring); without the layout
    model's regions when ``regions`` is false (the caller runs it where it is wanted)."""
    upright, lines, rotation, skew = ocr_page(engine, image)
    return _read(engine, upright, tuple(lines), rotation, skew, regions)


def read_pages(engine: OcrEngine, image: np.ndarray, regions: bool = True) -> tuple[ReadImage, ...]:
    """The whole stage for an image that holds one page, or two side by side (a two-page
    spread, ``ocr.spread.find_spread``): the image is read once, then cut at the gutter into
    the left page and the right one, each with its own lines (in its own pixels), tables and
    regions, in reading order."""
    upright, lines, rotation, skew = ocr_page(engine, image)
    cut = find_spread(upright, lines)
    if cut is None:
        return (_read(engine, upright, tuple(lines), rotation, skew, regions),)
    left, right = split_lines(lines, cut)
    return (
        _read(engine, np.ascontiguousarray(upright[:, :cut]), left, rotation, skew, regions),
        _read(engine, np.ascontiguousarray(upright[:, cut:]), right, rotation, skew, regions),
    )


def _read(engine: OcrEngine, upright: np.ndarray, lines: tuple[Line, ...], rotation: int, skew: float,
          regions: bool) -> ReadImage:
    """The page's grids and regions; a receipt stamp's frame is read again on its own
    (``stamps.missed_in_stamps``)."""
    frames = stamp_frames(upright)
    missed, replaced = missed_in_stamps(engine, upright, frames, lines)
    lines = tuple(l for l in lines if not any(l is r for r in replaced)) + tuple(missed)
    return ReadImage(upright, lines, rotation, skew, detect_tables(upright, lines),
                     regions=frames + (find_regions(upright) if regions else ()))


def _reading(lines: list[Line]) -> tuple[float, int]:
    """(character-weighted confidence, characters) of a reading of a page."""
    return weighted_confidence(lines), sum(len(l.text) for l in lines)


def ocr_upright(engine: OcrEngine, image: np.ndarray) -> tuple[np.ndarray, list[Line], int]:
    """Read a page whose text should now be horizontal, upside down or not.

    The engine reads the page once and tells whether it lay upside down (RapidOCR's line
    classifier, asked about the page as a whole).  When the reading is still poor (low
    confidence, or hardly any text: a page upside down can yield one confident 。), the page is
    read turned by the other multiples of 90° (the axis test can be fooled by a page of tables
    or of very little text) and the best reading (confidence × characters) wins.  Returns the
    image the lines refer to, the lines, and the extra turn applied.
    """
    lines, upside_down = engine.recognize_upright(image)
    first_turn = 180 if upside_down else 0
    best = (pp.turn(image, first_turn), lines, first_turn)
    conf, chars = _reading(lines)
    if chars >= UPRIGHT_MIN_CHARS and conf >= UPSIDE_DOWN_CHECK_BELOW:
        return best
    score = conf * chars
    for extra in (180, 90, 270):
        if extra == first_turn:
            continue
        turned = pp.turn(image, extra)
        lines = engine.recognize(turned)
        c, n = _reading(lines)
        if c * n > score * 1.2:
            best, score = (turned, lines, extra), c * n
        if best[2] != first_turn and c >= UPSIDE_DOWN_CHECK_BELOW:
            break
    return best


def with_full_stop(image: np.ndarray, line: Line) -> Line:
    """The line with the handwritten 。 that recognition dropped, when one is there.

    A hand writes the full stop as a small ring a little apart from the last character; the
    recogniser often returns the line without it (the ring inside the box, or just outside).
    The rightmost mark of the line's band, if it stands apart from the ink before it, is round,
    hollow and at most ``FULL_STOP_SIZE`` of the line's height and of the characters before it,
    is that 。 (the 口 of 知 or 如 is larger and joined to its character; a 日 is as tall as the
    characters beside it, however loosely the line's box is drawn).
    """
    text = line.text.rstrip()
    if len(text) > 1 and text[-1] in FULL_STOP_AS_BRACKET and is_cjk_char(text[-2]):
        # handwriting never ends on an opening bracket: that is the ring of its 。
        return replace(line, text=text[:-1] + "。")
    if not text or not is_cjk_char(text[-1]):
        return line
    x0, top, x1, bottom = (int(round(v)) for v in line.bbox)
    h = bottom - top
    if h <= 0 or x1 - x0 < h:
        return line
    left = max(0, x1 - h)
    band = image[max(0, top) : min(image.shape[0], bottom + h // 3), left : min(image.shape[1], x1 + int(FULL_STOP_REACH * h))]
    if band.size == 0:
        return line
    # ink as dark as the line's own strokes (a colour layer's pale ink is far from black)
    strokes = float(np.percentile(image[max(0, top) : bottom, max(0, x0) : x1], 5))
    ink = (band < (strokes + 255) / 2).astype(np.uint8)
    n, labels, stats = pp.components(ink)
    # a mark cut by the band's right edge belongs to what lies further right (a date, a name)
    marks = [
        i for i in range(1, n)
        if stats[i, cv2.CC_STAT_AREA] >= 4 and stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH] < band.shape[1]
    ]
    if len(marks) < 2:
        return line
    i = max(marks, key=lambda k: stats[k, cv2.CC_STAT_LEFT] + stats[k, cv2.CC_STAT_WIDTH])
    bx, by, bw, bh, area = stats[i]
    lo, hi = FULL_STOP_SIZE
    if not (lo * h <= bw <= hi * h and lo * h <= bh <= hi * h and 0.6 <= bw / bh <= 1.6):
        return line
    if labels[by + bh // 2, bx + bw // 2] == i or area > 0.7 * bw * bh:  # a ring is hollow
        return line
    before = [k for k in marks if k != i and stats[k, cv2.CC_STAT_LEFT] < bx]
    if not before or bx - max(stats[k, cv2.CC_STAT_LEFT] + stats[k, cv2.CC_STAT_WIDTH] for k in before) < FULL_STOP_GAP * h:
        return line  # joined to the character before it: a part of that character
    if bh > hi * max(stats[k, cv2.CC_STAT_HEIGHT] for k in before):
        return line  # as tall as the characters before it (日, 口): a character, not a 。
    right = float(left + bx + bw)
    return replace(line, text=text + "。", bbox=(line.bbox[0], line.bbox[1], max(line.bbox[2], right), line.bbox[3]))


def _offset(lines: list[Line], dx: float, dy: float, layer: str) -> list[Line]:
    return [
        replace(l, bbox=(l.bbox[0] + dx, l.bbox[1] + dy, l.bbox[2] + dx, l.bbox[3] + dy), layer=layer)
        for l in lines
    ]


def read_colour_layer(engine: OcrEngine, layer: np.ndarray, name: str, page: np.ndarray | None = None) -> list[Line]:
    """OCR only the regions of a colour layer that hold ink (header, stamp, handwriting), each
    cut at the rulings of the ``page`` (all its inks) that cross it and are not in this layer:
    a form's cell walls, printed black or red."""
    h, w = layer.shape[:2]
    pad = 20
    boxes = [clip(grow(box, pad), w, h) for box in pp.ink_regions(layer)]
    if page is not None:
        boxes = [part for box in boxes for part in pp.split_at_rules(tuple(int(v) for v in box), page, layer)]
    parts = engine.recognize_parts([layer[y0:y1, x0:x1] for x0, y0, x1, y1 in boxes], layer.shape)
    out: list[Line] = []
    for (x0, y0, _, _), lines in zip(boxes, parts):
        confident = [l for l in lines if l.confidence >= MIN_COLOUR_LINE_CONFIDENCE]
        out.extend(_offset(confident, x0, y0, name))
    # the ring of a handwritten 。 can stand apart, in a region of its own
    lone_stops = [l for l in out if l.text in FULL_STOP_READINGS]
    return drop_repeats([with_full_stop(layer, l) for l in out if l not in lone_stops])


def drop_repeats(lines: list[Line]) -> list[Line]:
    """Lines read twice (overlapping regions, or a piece of a line detected on its own): a
    line lying inside another whose text contains its own goes (of two equal ones, the later);
    of two readings of one line that differ in a character, the less confident."""
    texts = ["".join(l.text.split()) for l in lines]

    def repeats(i: int, j: int) -> bool:
        if i == j or overlap_ratio(lines[i].bbox, lines[j].bbox) <= REPEAT_OVERLAP:
            return False
        a, b = texts[i], texts[j]
        if a in b:
            return len(a) < len(b) or j < i
        # the same line read twice with a character misread: the less confident reading goes
        return (
            len(a) == len(b)
            and sum(x != y for x, y in zip(a, b)) <= max(1, len(a) // 4)
            and (lines[i].confidence, -i) < (lines[j].confidence, -j)
        )

    return [l for i, l in enumerate(lines) if not any(repeats(i, j) for j in range(len(lines)))]


def ocr_page(engine: OcrEngine, image: np.ndarray) -> tuple[np.ndarray, list[Line], int, float]:
    """Orient, deskew and read an RGB page, in the page's script (:func:`in_page_script`).

    The page is turned as the orientation model says (``engine.page_turn``) when it is sure
    (``SURE_TURN``); otherwise (a page with hardly any text, an engine without the model) by
    the text axis of its ink (``preprocess.level``) and its reading (:func:`ocr_upright`).
    On a colour page, pencil (which the black layer's whitening takes for paper:
    ``preprocess.pencil_layer``) is read last, in regions of its own, and kept only where no
    other layer read a line: a pencil layer's reading of ink the black layer read too is the
    poorer one.  Returns (upright image, lines, rotation, skew): the image gray (2-D) when the
    page has no colour, so that every later step handles one channel instead of three."""
    if pp.is_gray(image):
        image = pp.to_gray(image)
    known = engine.page_turn(image)
    sure = known is not None and known[1] >= SURE_TURN
    if sure:
        rotation = known[0]
        skew = pp.skew_of_mask(pp.turn(pp.analysis_mask(image), rotation))
    else:
        rotation, skew = pp.level(image)
    image = pp.rotate(pp.turn(image, rotation), skew)
    inks = pp.separate_inks(image)
    if sure:  # turned as the orientation model says: read once
        black, lines, flip = inks.black, engine.recognize(inks.black), 0
    else:
        black, lines, flip = ocr_upright(engine, inks.black)
    if flip:
        image = pp.turn(image, flip)
        rotation = (rotation + flip) % 360
        inks = pp.InkLayers(
            black=black,
            red=None if inks.red is None else pp.turn(inks.red, flip),
            blue=None if inks.blue is None else pp.turn(inks.blue, flip),
            pencil=None if inks.pencil is None else pp.turn(inks.pencil, flip),
        )
    colour: list[Line] = []
    for name in ("red", "blue"):
        layer = getattr(inks, name)
        if layer is not None:
            colour.extend(read_colour_layer(engine, layer, name, image))
    kept = drop_echoes(lines, colour)
    if inks.pencil is not None:  # pencil only where no other layer read anything
        pencil = [p for p in read_colour_layer(engine, inks.pencil, "pencil", image) if _writing(p, image.shape[0])]
        kept += [p for p in pencil if not any(overlap_ratio(p.bbox, l.bbox) > ECHO_OVERLAP for l in kept)]
    return image, in_page_script(kept), rotation, skew


def _writing(line: Line, page_height: int) -> bool:
    """Is a line read in the pencil layer writing (see MIN_PENCIL_LINE_HEIGHT)?"""
    tall = line.bbox[3] - line.bbox[1] >= MIN_PENCIL_LINE_HEIGHT * page_height
    return tall and any(is_cjk_char(c) or c.isdigit() for c in line.text)


def in_page_script(lines: list[Line]) -> list[Line]:
    """The lines with the recogniser's slips into traditional or Japanese forms on a page
    printed in simplified characters written back (``parsers.script.mend_slips``)."""
    texts = mend_slips([l.text for l in lines])
    return [l if t == l.text else replace(l, text=t) for l, t in zip(lines, texts)]


def _quality(line: Line) -> float:
    return len("".join(line.text.split())) * line.confidence


def _over(line: Line, box) -> tuple[int, int] | None:
    """The characters of a horizontal line whose even share of its box has its centre inside
    ``box``'s columns, as a span; None for a vertical line or when there are none."""
    x0, y0, x1, y1 = line.bbox
    n = len(line.text)
    if not n or x1 - x0 < y1 - y0:
        return None
    step = (x1 - x0) / n
    inside = [i for i in range(n) if box[0] <= x0 + (i + 0.5) * step <= box[2]]
    return (inside[0], inside[-1] + 1) if inside else None


def _beside(line: Line, span: tuple[int, int], box) -> list[Line] | None:
    """The parts of ``line`` left and right of ``span`` when they hold the print beside a colour
    line of ``box`` (at least PAST_COLOUR_CHARS characters), else None; each part's box ends
    where the colour line's begins (a character's even share of the line is only a guess)."""
    left, right = line.part(0, span[0]), line.part(span[1], len(line.text))
    if left is not None and left.bbox[2] > box[0] > left.bbox[0]:
        left = replace(left, bbox=(left.bbox[0], left.bbox[1], box[0], left.bbox[3]))
    if right is not None and right.bbox[0] < box[2] < right.bbox[2]:
        right = replace(right, bbox=(box[2], right.bbox[1], right.bbox[2], right.bbox[3]))
    rest = [r for r in (left, right) if r is not None]
    if sum(len("".join(r.text.split())) for r in rest) < PAST_COLOUR_CHARS:
        return None
    return rest


def drop_echoes(black: list[Line], colour: list[Line]) -> list[Line]:
    """Resolve a black-layer line and a colour-layer line read at the same place.

    A colour line that holds only some of a better black line's characters is the poor
    reading (black print over a seal seen through the colour layer, strokes of pale ink lost
    from it): it goes.  Otherwise a black line whose characters mostly come from the colour
    line only echoes it (a faint trace of the colour ink read again) and goes.  A black line
    that runs on past the colour line (a form's printed label, with the handwriting after it
    read poorly in black) is weighed by its part over the colour line alone: if that part is a
    poorer reading of the colour line (fewer characters, most and all but one of them in it —
    a printed name whose box runs over the date written after it is none) and the
    black line does not hold the colour line's text whole, the black line keeps only its print
    beside; and a black line that echoes a colour line keeps the print beside it too.
    Returns the lines of both layers that are kept.
    """
    kept_colour = list(colour)
    kept: list[Line] = []
    for line in black:
        parts = [line]
        for c in list(kept_colour):
            if overlap_ratio(line.bbox, c.bbox) <= ECHO_OVERLAP:
                continue
            span = _over(line, c.bbox)
            beside = _beside(line, span, c.bbox) if span is not None else None
            if beside is not None and "".join(c.text.split()) not in "".join(line.text.split()):
                part = "".join(line.text[span[0] : span[1]].split())
                missing = set(part) - set(c.text)
                echoed = len(set(part) & set(c.text)) >= max(1, ECHO_SHARED_CHARS * len(set(part)))
                if echoed and len(missing) <= 1 and len(part) < len("".join(c.text.split())) and \
                        _quality(c) >= len(part) * line.confidence:
                    parts = beside
                    break
            chars = set(line.text)
            shared = len(chars & set(c.text))
            if shared >= ECHO_SHARED_CHARS * max(1, len(set(c.text))) and _quality(line) > _quality(c):
                kept_colour.remove(c)
            elif shared >= ECHO_SHARED_CHARS * max(1, len(chars)):
                parts = beside or []  # an echo; a label printed beside it is none
                break
        kept.extend(parts)
    return kept + kept_colour


def _blank_in(image: np.ndarray):
    """:data:`gongwen.ocr.opentables.BlankIn` on this page's pixels: of the runs of ink-free
    columns in a line's box at least ``HEADER_BLANK`` of its height wide that reach between the
    two x, the widest one's middle there.  The line's box alone is made gray, when asked."""
    def blank_in(line: Line, x0: float, x1: float) -> float | None:
        lx0, top, lx1, bottom = (int(round(v)) for v in line.bbox)
        lx0, top = max(lx0, 0), max(top, 0)
        if lx1 <= lx0 or bottom <= top:
            return None
        blank = ~(pp.to_gray(image[top:bottom, lx0:lx1]) < INK_LEVEL).any(axis=0)
        runs, start = [], None  # blank runs of the whole line, (start, end) in page x
        for k, empty in enumerate([*blank, False]):
            if empty and start is None:
                start = k
            elif not empty and start is not None:
                runs.append((lx0 + start, lx0 + k))
                start = None
        wide = [(a, b) for a, b in runs if b - a >= HEADER_BLANK * (bottom - top) and a < x1 and b > x0]
        if not wide:
            return None
        a, b = max(wide, key=lambda r: r[1] - r[0])
        return (max(a, x0) + min(b, x1)) / 2  # its middle within the gap
    return blank_in


def detect_tables(image: np.ndarray, lines: tuple[Line, ...] | list[Line] = ()) -> tuple[Table, ...]:
    """Ruled tables of the upright page as model tables with empty cells (text comes later),
    and tables ruled across only (三线表, :mod:`gongwen.ocr.opentables`), whose columns its
    ``lines`` tell.

    The grid is found on a copy at half resolution (rulings stay 2 px or more at 300 dpi) and
    mapped back to page pixels.
    """
    f = GRID_SCALE if max(image.shape[:2]) > 1500 else 1.0
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f != 1.0 else image
    grids, hs, vs, tol = grid.page_grid(small)
    out = []
    for t in grids:
        cells = tuple(
            Cell(
                row=c.row,
                col=c.col,
                text="",
                bbox=tuple(round(v / f, 1) for v in c.bbox),
                row_span=c.row_span,
                col_span=c.col_span,
            )
            for c in t.cells
        )
        out.append(Table(cells=cells, header_rows=0))
    if lines:
        rulings = [grid.Segment(s.x0 / f, s.y0 / f, s.x1 / f, s.y1 / f) for s in hs + vs]
        out.extend(opentables.open_tables(rulings, lines, tol / f, blank_in=_blank_in(image)))
    return top_to_bottom(out)
