"""Rectangular stamps in coloured ink (the 收文 stamp's frame) on an upright page.

A receipt stamp is a red (sometimes blue) box a few centimetres across, often divided into cells,
with 收文, the office, a number and a date in it; it may sit in any corner of any page.  Its
frame is what tells it from the rest of the coloured ink: a seal is round, a red header is
letters, a red rule is one line.  The page is looked at on a grid of every ``PROBE_STEP``-th
pixel (a stamp's frame is several pixels wide); each connected shape of one colour whose box
has a stamp's size, whose four sides are straight lines inked along most of their length and
whose outline is a rectangle is a frame; so is an oval ring (a seal's ring is a circle).
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from ..parsers.geometry import centre, clip, contains, grow, overlap_ratio
from ..parsers.model import STAMP_REGION, Line, Region
from . import preprocess as pp
from .engines import OcrEngine

PROBE_STEP = 3
A4_WIDTH_MM = 210.0
# a stamp's frame, in millimetres of an A4 page
MIN_WIDTH_MM, MAX_WIDTH_MM = 22.0, 130.0
MIN_HEIGHT_MM, MAX_HEIGHT_MM = 10.0, 70.0
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
# a stamp with its 收 and this many lines with numerals read is not read again
RECEIPT_CHAR = "收"
READ_ENOUGH = 2
REREAD_MIN_CONFIDENCE = 0.6
# a line of the frame's own reading that covers this much of a line already read is that line
SAME_LINE_OVERLAP = 0.3
# the shape of a whole date in a stamp: year, month and day (11年11月3日, 2018.3.17, 22-10-17)
WHOLE_DATE = re.compile(r"\d{2,4}\s*[年.．\-/]\s*\d{1,2}\s*[月.．\-/]\s*\d{1,2}")
RING_SAMPLES = 90
RING_COVERAGE = 0.8


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


def frames_in_mask(mask: np.ndarray, mm: float) -> list[tuple[tuple[int, int, int, int], float]]:
    """(box, side coverage) of every stamp-shaped frame in a mask (0/255), ``mm`` pixels a
    millimetre, boxes in the mask's pixels."""
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))  # bridges a faded stretch
    out = []
    for x, y, w, h, _ in pp.blob_stats(closed):
        wm, hm = w / mm, h / mm
        if not (MIN_WIDTH_MM <= wm <= MAX_WIDTH_MM and MIN_HEIGHT_MM <= hm <= MAX_HEIGHT_MM):
            continue
        if max(wm / hm, hm / wm) > MAX_ASPECT:
            continue
        crop = closed[y : y + h, x : x + w]
        cover = _side_coverage(crop)
        if cover < SIDE_COVERAGE or _rectangularity(crop) < MIN_RECTANGULARITY:
            cover = _ring_coverage(crop)
            if cover < RING_COVERAGE:
                continue
        out.append(((int(x), int(y), int(x + w), int(y + h)), cover))
    return out


def stamp_frames(image: np.ndarray) -> tuple[Region, ...]:
    """The coloured rectangular frames of an upright RGB page (none on a gray one), as regions
    of kind ``stamp`` in the page's pixels, confidence the least inked share of a side."""
    if image.ndim != 3 or pp.is_gray(image):
        return ()
    probe = pp._grid(image, PROBE_STEP)
    masks = pp._hue_masks(cv2.cvtColor(probe, cv2.COLOR_RGB2HSV), (pp.COLOUR_PALE_SATURATION,))
    mm = probe.shape[1] / A4_WIDTH_MM if probe.shape[1] < probe.shape[0] else probe.shape[0] / A4_WIDTH_MM
    regions = []
    for (mask,) in masks:
        for (x0, y0, x1, y1), cover in frames_in_mask(mask, mm):
            s = PROBE_STEP
            regions.append(Region(kind=STAMP_REGION, bbox=(x0 * s, y0 * s, x1 * s, y1 * s), confidence=round(cover, 3)))
    return tuple(regions)


def missed_in_stamps(engine: OcrEngine, image: np.ndarray, frames: tuple[Region, ...], lines) -> tuple[list[Line], list[Line]]:
    """(lines in stamps that the page's reading missed, lines of the page's reading they
    replace).  A number pencilled small and pale is lost when the detector sees the whole page
    at a third of its size, and found when the stamp is read on its own at full size; so is the
    收文 of a pale stamp; and a date written into a printed ＿年＿月＿日, which the page read in
    pieces (the digits from the black layer, 年 月 日 from the red: 19 | 年 | 419 | 月 | 日), is
    read whole there and replaces the pieces.  A frame is read again unless its 收文, two lines
    with numerals (number, date) and a date were read in it already; of its reading, only lines
    where nothing was read yet are kept, and dates where no piece read was one."""
    h, w = image.shape[:2]
    out: list[Line] = []
    replaced: list[Line] = []
    for frame in frames:
        inside = [l for l in lines if contains(frame.bbox, centre(l.bbox))]
        if (sum(any(c.isdigit() for c in l.text) for l in inside) >= READ_ENOUGH and any(RECEIPT_CHAR in l.text for l in inside)
                and any(_is_date(l.text) for l in inside)):
            continue  # its 收文, number and date read already: nothing to gain
        x0, y0, x1, y1 = (int(v) for v in clip(grow(frame.bbox, REREAD_PAD), w, h))
        for l in engine.recognize(np.ascontiguousarray(image[y0:y1, x0:x1])):
            box = (l.bbox[0] + x0, l.bbox[1] + y0, l.bbox[2] + x0, l.bbox[3] + y0)
            if l.confidence < REREAD_MIN_CONFIDENCE:
                continue
            under = [o for o in lines if overlap_ratio(box, o.bbox) > SAME_LINE_OVERLAP]
            if under and not (_is_date(l.text) and not any(_is_date(o.text) for o in under)):
                continue
            out.append(Line(l.text, box, l.confidence, "black"))
            replaced += under
    return out, replaced


def _is_date(text: str) -> bool:
    """Does ``text`` hold a whole date (year, month and day: 11年11月3日, 2018.3.17, 22.10.17)?"""
    return WHOLE_DATE.search(text) is not None
