"""Rectangular stamps in coloured ink (the 收文 stamp's frame) on an upright page.

A receipt stamp is a red (sometimes blue) box a few centimetres across, often divided into cells,
with 收文, the office, a number and a date in it; it may sit in any corner of any page.  Its
frame is what tells it from the rest of the coloured ink: a seal is round, a red header is
letters, a red rule is one line.  The page is looked at on a grid of every ``PROBE_STEP``-th
pixel (a stamp's frame is several pixels wide); each connected shape of one colour whose box
has a stamp's size, whose four sides are straight lines inked along most of their length and
whose outline is a rectangle is a frame; so is an oval ring (a seal's ring is a circle).

A stamp is often set on the red rule under the 发文字号, which then runs through its frame and out
of it: a shape that is no frame as a whole is looked at again between its outermost upright
strokes (a frame's sides; a rule has none).  A faded stamp (its ink a few levels off the paper's
colour, as pale as a yellowed sheet) shows little saturation: the page is also looked at with its
paper made white (each channel scaled by the paper's), where such ink keeps its hue.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from ..parsers.geometry import centre, clip, contains, grow, overlap_ratio, same_row, union
from ..parsers.model import RECEIPT_CHAR, STAMP_REGION, Line, Region
from . import preprocess as pp
from .engines import OcrEngine

PROBE_STEP = 3
# a stamp's frame, in millimetres of an A4 page
MIN_WIDTH_MM, MAX_WIDTH_MM = 22.0, 130.0
MIN_HEIGHT_MM, MAX_HEIGHT_MM = 8.0, 70.0  # a bar of one row (office | 收文 | number | date) is 8-10 mm
MAX_ASPECT = 10.0
# the share of each side's length that must be inked, and how deep into the box a side is
# looked for (deep enough for a stamp set a few degrees askew)
SIDE_COVERAGE = 0.7
SIDE_DEPTH = 0.25
# how far (in the probe's pixels, or this share of the box's depth) the outermost ink of a side
# may stray from its straight line
EDGE_TOLERANCE_PX = 2
EDGE_TOLERANCE = 0.03
# the shape's hull fills this much of the smallest (turned) rectangle around it: a seal, being
# round, fills π/4 of it
MIN_RECTANGULARITY = 0.9
# an oval stamp: an inked ring at least this much longer than high (a seal is a circle)
MIN_OVAL_ASPECT = 1.3
REREAD_PAD = 12
# a level line this long is taken out as a rule where a frame is looked for across one; the
# gap it leaves (probe pixels) is bridged again
RULE_MIN_MM = 40.0
RULE_GAP = 9
# a stamp with its 收 and this many lines with numerals read is not read again
READ_ENOUGH = 2
REREAD_MIN_CONFIDENCE = 0.6
# a line of the frame's own reading that covers this much of a line already read is that line
SAME_LINE_OVERLAP = 0.3
PENCIL = "pencil"  # the layer of pencil on a colour page
# a piece of a date as a stamp's reading may split it: digits, 年 月 日 and the marks between
DATE_PIECE = re.compile(r"[\d年月日.．/\-\s]+")
# two lines share a row when their heights overlap by this much of the lower one's
SAME_ROW = 0.5
# the shape of a whole date in a stamp: year, month and day (11年11月3日, 2018.3.17, 22-10-17)
WHOLE_DATE = re.compile(r"\d{2,4}\s*[年.．\-/]\s*\d{1,2}\s*[月.．\-/]\s*\d{1,2}")
RING_SAMPLES = 90
RING_COVERAGE = 0.8
# a frame's side is an upright stroke at least this share of the least frame's height
SIDE_STROKE = 0.6
# faded ink: with the paper made white, at least this saturated, lighter than print and not
# next to dark ink (a faded stamp's ink is pale all through; the pale rims of pen strokes and
# the colour fringes JPEG leaves round black print lie beside dark ink)
FADED_SATURATION = 15
FADED_MIN_VALUE = 150
FADED_CLEAR = 2  # probe pixels
# a frame is hollow: the ink (closed) inside it, its sides left out, covers at most this share
# (a stamp's words, 0.05-0.45; a dense red header's letters, a line of writing are fuller)
MAX_INNER_FILL = 0.5
INNER_MARGIN = 0.2  # of the frame's least side, left out round the inside


def _side_coverage(box: np.ndarray) -> float:
    """The least share of a side's length along which a shape's outermost ink lies on one
    straight line (fitted to it, a stamp set askew included), over its four sides (0/255 mask
    cropped to the shape's box).  A frame scores near 1; letters, whose outer strokes go in and
    out, do not."""
    scores = []
    for side in (box, box[::-1], box.T, box.T[::-1]):  # top, bottom, left, right: each as a top
        depth = max(2, int(SIDE_DEPTH * side.shape[0]))
        strip = side[:depth] > 0
        inked = strip.any(axis=0)
        if inked.mean() < SIDE_COVERAGE:
            return 0.0
        xs = np.nonzero(inked)[0]
        first = strip.argmax(axis=0)[inked]
        slope, at = np.polyfit(xs, first, 1)
        on_line = np.abs(first - (slope * xs + at)) <= max(EDGE_TOLERANCE_PX, EDGE_TOLERANCE * side.shape[0])
        scores.append(on_line.sum() / side.shape[1])
    return float(min(scores))


def _rectangularity(box: np.ndarray) -> float:
    """How much of the smallest turned rectangle around a shape its convex hull fills."""
    contours, _ = cv2.findContours(box, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    hull = cv2.convexHull(np.concatenate(contours))
    (_, _), (rw, rh), _ = cv2.minAreaRect(hull)
    return float(cv2.contourArea(hull) / (rw * rh)) if rw * rh else 0.0


def _ring_coverage(box: np.ndarray) -> float:
    """The inked share of the ellipse fitted to a shape's outline, 0 for a near circle."""
    contours, _ = cv2.findContours(box, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    points = np.concatenate(contours) if contours else np.empty((0, 1, 2), np.int32)
    if len(points) < 5:
        return 0.0
    (cx, cy), (a, b), angle = cv2.fitEllipse(points)
    if max(a, b) < MIN_OVAL_ASPECT * min(a, b):
        return 0.0
    grown = cv2.dilate(box, np.ones((5, 5), np.uint8))
    t = np.linspace(0, 2 * np.pi, RING_SAMPLES, endpoint=False)
    c, s_ = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    x = cx + a / 2 * np.cos(t) * c - b / 2 * np.sin(t) * s_
    y = cy + a / 2 * np.cos(t) * s_ + b / 2 * np.sin(t) * c
    h, w = box.shape
    xi, yi = np.clip(x.round().astype(int), 0, w - 1), np.clip(y.round().astype(int), 0, h - 1)
    return float((grown[yi, xi] > 0).mean())


def _frame_cover(crop: np.ndarray, mm: float) -> float | None:
    """How well a shape (0/255 mask cropped to its box) is a stamp's frame: its sides' coverage
    (:func:`_side_coverage`) for a rectangle, its ring's for an oval; None when it is neither
    or has no stamp's size."""
    h, w = crop.shape
    wm, hm = w / mm, h / mm
    if not (MIN_WIDTH_MM <= wm <= MAX_WIDTH_MM and MIN_HEIGHT_MM <= hm <= MAX_HEIGHT_MM):
        return None
    if max(wm / hm, hm / wm) > MAX_ASPECT:
        return None
    d = max(2, int(INNER_MARGIN * min(h, w)))
    if np.count_nonzero(crop[d : h - d, d : w - d]) > MAX_INNER_FILL * (h - 2 * d) * (w - 2 * d):
        return None  # no frame: a block of ink
    cover = _side_coverage(crop)
    if cover >= SIDE_COVERAGE and _rectangularity(crop) >= MIN_RECTANGULARITY:
        return cover
    cover = _ring_coverage(crop)
    return cover if cover >= RING_COVERAGE else None


def _between_sides(crop: np.ndarray, mm: float) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) in ``crop`` of the part between its leftmost and rightmost upright
    strokes of a frame's height, from the top of those strokes to their foot, when a straight
    line runs along most of that part's top and of its foot: a frame with the rule it was
    stamped on cut away.  None otherwise (letters of a red header have upright strokes, but no
    line runs along their tops and their feet)."""
    k = max(3, int(SIDE_STROKE * MIN_HEIGHT_MM * mm))
    upright = cv2.morphologyEx(crop, cv2.MORPH_OPEN, np.ones((k, 1), np.uint8))
    cols = np.nonzero(upright.any(axis=0))[0]
    if len(cols) < 2 or (cols[-1] - cols[0]) / mm < MIN_WIDTH_MM:
        return None
    x0, x1 = int(cols[0]), int(cols[-1]) + 1
    left, right = (np.nonzero(upright[:, c])[0] for c in (cols[0], cols[-1]))
    y0, y1 = int(min(left[0], right[0])), int(max(left[-1], right[-1])) + 1
    across = cv2.morphologyEx(crop[y0:y1, x0:x1], cv2.MORPH_OPEN,
                              np.ones((1, max(3, int(SIDE_COVERAGE * (x1 - x0)))), np.uint8))
    depth = max(2, int(SIDE_DEPTH * (y1 - y0)))
    if not (across[:depth].any() and across[-depth:].any()):
        return None
    return x0, y0, x1, y1


def frames_in_mask(mask: np.ndarray, mm: float) -> list[tuple[tuple[int, int, int, int], float]]:
    """(box, side coverage) of every stamp-shaped frame in a mask (0/255), ``mm`` pixels a
    millimetre, boxes in the mask's pixels; a shape that is none whole, between its outermost
    upright strokes (a stamp on a rule)."""
    out = _frames_of(_closed(mask), mm)
    # a frame stamped across a rule (an oval on the red rule, or a tilted bar, whose sides are
    # no upright strokes to cut it out between): looked for again with the long level lines
    # taken out, among the shapes such a line ran through (a frame's own sides go too, but a
    # whole frame was found already)
    rules = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, int(RULE_MIN_MM * mm)), np.uint8))
    if cv2.countNonZero(rules):
        ruled = cv2.dilate(rules, np.ones((3, 3), np.uint8))
        for box, cover in _frames_of(_closed(cv2.bitwise_and(mask, cv2.bitwise_not(ruled)), RULE_GAP), mm, ruled):
            if not any(overlap_ratio(box, b) > 0.5 for b, _ in out):
                out.append((box, cover))
    return out


def _closed(mask: np.ndarray, k: int = 5) -> np.ndarray:
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))  # bridges a faded stretch


def _frames_of(closed: np.ndarray, mm: float, crossed: np.ndarray | None = None) -> list[tuple[tuple[int, int, int, int], float]]:
    """(box, cover) of the stamp-shaped frames among a closed mask's shapes (with ``crossed``,
    only those a rule in it runs through)."""
    out = []
    for x, y, w, h, _ in pp.blob_stats(closed):
        if w / mm < MIN_WIDTH_MM or h / mm < MIN_HEIGHT_MM:
            continue
        if crossed is not None and not crossed[y : y + h, x : x + w].any():
            continue
        crop = closed[y : y + h, x : x + w]
        cover = _frame_cover(crop, mm)
        if cover is None and (inner := _between_sides(crop, mm)) is not None:
            ix0, iy0, ix1, iy1 = inner
            if (ix0, iy0, ix1, iy1) != (0, 0, w, h):
                cover = _frame_cover(crop[iy0:iy1, ix0:ix1], mm)
                x, y, w, h = x + ix0, y + iy0, ix1 - ix0, iy1 - iy0
        if cover is not None:
            out.append(((int(x), int(y), int(x + w), int(y + h)), cover))
    return out


def _paper_white(probe: np.ndarray) -> np.ndarray:
    """The RGB probe with each channel scaled so that the paper (the median pixel: most of a
    page is paper) is white."""
    return cv2.convertScaleAbs(probe.astype(np.float32) * (255.0 / pp.paper_colour(probe)))


def stamp_frames(image: np.ndarray) -> tuple[Region, ...]:
    """The coloured rectangular frames of an upright RGB page (none on a gray one), as regions
    of kind ``stamp`` in the page's pixels, confidence the least inked share of a side."""
    if image.ndim != 3 or pp.is_gray(image):
        return ()
    probe = pp._grid(image, PROBE_STEP)
    masks = [m for (m,) in pp._hue_masks(cv2.cvtColor(probe, cv2.COLOR_RGB2HSV), (pp.COLOUR_PALE_SATURATION,))]
    white = cv2.cvtColor(_paper_white(probe), cv2.COLOR_RGB2HSV)
    light = cv2.threshold(white[:, :, 2], FADED_MIN_VALUE - 1, 255, cv2.THRESH_BINARY)[1]
    k = 2 * FADED_CLEAR + 1
    cv2.bitwise_and(light, cv2.erode(light, np.ones((k, k), np.uint8)), dst=light)  # clear of dark ink
    masks += [cv2.bitwise_and(m, light) for (m,) in pp._hue_masks(white, (FADED_SATURATION,))]
    mm = min(probe.shape[:2]) / pp.A4_SHORT_SIDE_MM
    found: list[tuple[tuple[int, int, int, int], float]] = []
    for mask in masks:
        for box, cover in frames_in_mask(mask, mm):
            if not any(overlap_ratio(box, b) > 0.5 for b, _ in found):
                found.append((box, cover))  # a frame seen in both lights: once
    s = PROBE_STEP
    return tuple(Region(kind=STAMP_REGION, bbox=(x0 * s, y0 * s, x1 * s, y1 * s), confidence=round(cover, 3))
                 for (x0, y0, x1, y1), cover in found)


def missed_in_stamps(engine: OcrEngine, image: np.ndarray, frames: tuple[Region, ...], lines) -> tuple[list[Line], list[Line]]:
    """(lines in stamps that the page's reading missed, lines of the page's reading they
    replace).  A number pencilled small and pale is lost when the detector sees the whole page
    at a third of its size, and found when the stamp is read on its own at full size; so is the
    收文 of a pale stamp; and a date written into a printed ＿年＿月＿日, which the page read in
    pieces (the digits from the black layer, 年 月 日 from the red: 19 | 年 | 419 | 月 | 日), is
    read whole there and replaces the pieces.  A frame is read again unless its 收文, two lines
    with numerals (number, date) and a date were read in it already; of its reading, only lines
    where nothing was read yet (but pencil: the stamp read whole is the better reading of it)
    are kept; dates where no piece read was one (pieces of a row the
    frame's reading too read apart, 00 | 年2月26, count as one line); and a line with the 收文
    the page's reading missed that holds what was read under it (收文〔2023〕290 over 〔2023〕290)."""
    h, w = image.shape[:2]
    out: list[Line] = []
    replaced: list[Line] = []
    for frame in frames:
        inside = [l for l in lines if contains(frame.bbox, centre(l.bbox))]
        if (sum(any(c.isdigit() for c in l.text) for l in inside) >= READ_ENOUGH and any(RECEIPT_CHAR in l.text for l in inside)
                and any(_is_date(l.text) for l in inside)):
            continue  # its 收文, number and date read already: nothing to gain
        x0, y0, x1, y1 = (int(v) for v in clip(grow(frame.bbox, REREAD_PAD), w, h))
        read = [Line(l.text, (l.bbox[0] + x0, l.bbox[1] + y0, l.bbox[2] + x0, l.bbox[3] + y0), l.confidence, "black")
                for l in engine.recognize(np.ascontiguousarray(image[y0:y1, x0:x1]))
                if l.confidence >= REREAD_MIN_CONFIDENCE]
        for l in _dates_joined(read):
            over = [o for o in lines if overlap_ratio(l.bbox, o.bbox) > SAME_LINE_OVERLAP]
            under = [o for o in over if o.layer != PENCIL]
            if under and not (_is_date(l.text) and not any(_is_date(o.text) for o in under)) \
                    and not _adds_receipt_word(l, under):
                continue
            out.append(l)
            replaced += over
    return out, replaced


def _dates_joined(read: list[Line]) -> list[Line]:
    """The lines of a frame's reading, a run of pieces of a date side by side on a row that are a
    whole date only together (00 | 年2月26) made one; the office's name, the 收文 and what is
    no piece of a date stay as read."""
    out: list[Line] = []
    rest = sorted(read, key=lambda l: l.bbox[0])
    while rest:
        first = rest.pop(0)
        run = [first]
        if DATE_PIECE.fullmatch(first.text):
            for l in [l for l in rest if same_row(first.bbox, l.bbox, SAME_ROW)]:  # left to right
                if not DATE_PIECE.fullmatch(l.text):
                    break
                run.append(l)
        text = "".join(l.text for l in run)
        if len(run) > 1 and not any(_is_date(l.text) for l in run) and _is_date(text):
            out.append(Line(text, union(l.bbox for l in run), min(l.confidence for l in run), "black"))
            rest = [l for l in rest if not any(l is r for r in run)]
        else:
            out.append(first)
    return out



def _adds_receipt_word(line: Line, under: list[Line]) -> bool:
    """Does ``line`` hold the 收文 that the lines read under it lack, and what they hold besides?"""
    text = "".join(line.text.split())
    return (RECEIPT_CHAR in text and not any(RECEIPT_CHAR in o.text for o in under)
            and all("".join(o.text.split()) in text for o in under))


def _is_date(text: str) -> bool:
    """Does ``text`` hold a whole date (year, month and day: 11年11月3日, 2018.3.17, 22.10.17)?"""
    return WHOLE_DATE.search(text) is not None
