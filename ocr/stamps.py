"""Rectangular stamps in coloured ink (the 收文 stamp's frame) on an upright page.

A receipt stamp is a red (sometimes blue) box a few centimetres across, often divided into cells,
with 收文, the office, a number and a date in it; it may sit in any corner of any page.  Its
frame is what tells it from the rest of the coloured ink: a seal is round, a red header is
letters, a red rule is one line.  The page is looked at on a grid of every ``PROBE_STEP``-th
pixel (a stamp's frame is several pixels wide); each connected shape of one colour whose box
has a stamp's size, whose four sides are inked along most of their length and whose outline is
a rectangle (a seal's is round) is a frame.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..parsers.model import STAMP_REGION, Region
from . import preprocess as pp

PROBE_STEP = 3
A4_WIDTH_MM = 210.0
# a stamp's frame, in millimetres of an A4 page
MIN_WIDTH_MM, MAX_WIDTH_MM = 22.0, 130.0
MIN_HEIGHT_MM, MAX_HEIGHT_MM = 10.0, 70.0
MAX_ASPECT = 6.0
# the share of each side's length that must be inked, and how deep into the box a side is
# looked for (deep enough for a stamp set a few degrees askew)
SIDE_COVERAGE = 0.8
SIDE_DEPTH = 0.25
# the shape's hull fills this much of the smallest (turned) rectangle around it: a seal, being
# round, fills π/4 of it
MIN_RECTANGULARITY = 0.9


def _side_coverage(box: np.ndarray) -> float:
    """The least inked share of the four sides of a shape's box (0/255 mask cropped to it)."""
    h, w = box.shape
    dy, dx = max(2, int(SIDE_DEPTH * h)), max(2, int(SIDE_DEPTH * w))
    sides = (
        box[:dy].max(axis=0), box[h - dy :].max(axis=0),  # top, bottom: along x
        box[:, :dx].max(axis=1), box[:, w - dx :].max(axis=1),  # left, right: along y
    )
    return float(min((s > 0).mean() for s in sides))


def _rectangularity(box: np.ndarray) -> float:
    """How much of the smallest turned rectangle around a shape its convex hull fills."""
    contours, _ = cv2.findContours(box, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    hull = cv2.convexHull(np.concatenate(contours))
    (_, _), (rw, rh), _ = cv2.minAreaRect(hull)
    return float(cv2.contourArea(hull) / (rw * rh)) if rw * rh else 0.0


def frames_in_mask(mask: np.ndarray, mm: float) -> list[tuple[tuple[int, int, int, int], float]]:
    """(box, side coverage) of every stamp-shaped frame in a mask (0/255), ``mm`` pixels a
    millimetre, boxes in the mask's pixels."""
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    out = []
    for x, y, w, h, _ in pp.blob_stats(closed):
        wm, hm = w / mm, h / mm
        if not (MIN_WIDTH_MM <= wm <= MAX_WIDTH_MM and MIN_HEIGHT_MM <= hm <= MAX_HEIGHT_MM):
            continue
        if max(wm / hm, hm / wm) > MAX_ASPECT:
            continue
        crop = closed[y : y + h, x : x + w]
        cover = _side_coverage(crop)
        if cover >= SIDE_COVERAGE and _rectangularity(crop) >= MIN_RECTANGULARITY:
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
