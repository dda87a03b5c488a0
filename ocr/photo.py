"""Phone photos of pages as pure functions on arrays (ndarray in, ndarray and numbers out).

- :func:`cap_resolution`: an image larger than the working size (the pixels of an A4 page at
  300 dpi) is scaled down to it; nothing smaller is touched.
- :func:`find_page_quad` / :func:`flatten_page`: the paper sheet's quadrilateral in a photo
  (lighter than the table around it), and the sheet warped to a rectangle; a scan, or any image
  where the quadrilateral is not clear, is left alone.

A photo is first capped, then flattened: the quadrilateral is found on a small copy, and the
capped image is warped.  Both return what they did (the scale, the quadrilateral) so that a
caller can map coordinates back or record it.
"""

from __future__ import annotations

import logging
import math

import cv2
import numpy as np

from . import preprocess as pp

log = logging.getLogger(__name__)

# -- the working resolution -------------------------------------------------------------------

# An image of more pixels than a Legal page at 300 dpi (2550×4200, 10.7 MP) is read at those
# of an A4 page at 300 dpi (2480×3508, 8.7 MP), the resolution every threshold of the pipeline
# is set for ("pixels at 300 dpi").  So a scan at 300 dpi is read as scanned whatever its paper
# (A4, Letter, Legal; a scanner's A4 is often a little larger than 2480×3508: the tianjian
# letter is 2550×3509, and resampled by 1.4 % its logo's pale ink came out as a blue line),
# while a phone's 16-24 MP frame of a whole A4 page, which holds it at 400-480 dpi, is read at
# about 300 dpi (read at 10.7 MP, gongwen took 1.15 × the raw engine's time on the real
# photos, at 8.7 MP 1.11: bench/throughput.py).  Measured on the real photos
# (bench/photos.py): the 16-MP booklet spread reads the same lines at 8.7 MP (one quotation
# mark more, the count of leader dots …… aside) and still at 4 MP; the sideways cover reads
# the same five lines, and its text axis is found, where at 16 MP it was taken for a turned
# page.  A synthetic A4 page drawn at 600 dpi (16 pt down to 7 pt) reads without an error both
# at 600 dpi and capped; the tianjian scan rendered at 600 dpi reads the same body text capped;
# only readings inside its logo and seals change (as they do with any resampling: there for
# better and for worse).
CAP_ABOVE_PIXELS = 2550 * 4200
MAX_WORKING_PIXELS = 2480 * 3508


def cap_resolution(
    image: np.ndarray, max_pixels: int = MAX_WORKING_PIXELS, above: int = CAP_ABOVE_PIXELS
) -> tuple[np.ndarray, float]:
    """(image, factor): an image of more than ``above`` pixels scaled down by area averaging
    (:func:`gongwen.ocr.preprocess.shrink`) to about ``max_pixels``, keeping its aspect, and the
    factor applied to its sides (< 1); any other image as it is, and 1.0.

    The cap applies to every image above the size, photo or scan, because what recognition
    needs is pixels per character, not where the image came from: scans up to Legal at 300
    dpi (and A4 at 350 dpi) are never touched; a larger scan (A4 at 600 dpi, 35 MP) is brought to
    the 300 dpi the pipeline is set for, at which it reads the same (see
    ``MAX_WORKING_PIXELS``).  A budget of pixels rather than a longest side: the work before
    recognition grows with the pixels, whatever the frame's aspect.  (An A3 sheet at 300 dpi
    comes down to 212 dpi, its 10.5 pt text still 31 px tall.)  A caller scales the page's dpi
    and anything in its pixels by ``factor``.
    """
    h, w = image.shape[:2]
    if h * w <= max(above, max_pixels):
        return image, 1.0
    out = pp.shrink(image, math.sqrt(max_pixels / (h * w)))
    factor = out.shape[1] / w
    log.debug("capped %dx%d to %dx%d (%.3f)", w, h, out.shape[1], out.shape[0], factor)
    return out, factor


# -- the page's quadrilateral -----------------------------------------------------------------

# The quadrilateral is looked for on a copy with this long side: the sheet's edges are long
# straight runs, well placed at this size (1 px ≈ 0.4 mm of an A4 page filling the frame), and
# every step takes a few milliseconds.
QUAD_SIDE = 800
# Print is closed away (a gray closing: the paper's light spreads over darker marks) with a
# square this share of the copy's long side: strokes and most lines of text vanish, the large
# characters of a heading leave holes inside the sheet, which do not change its outline.
TEXT_CLOSE = 0.02
# Specks of the background as light as the paper (a reflection, a thread) are cut off the
# sheet by an opening this many pixels wide (of the copy).
SPECK_OPEN = 5
# The paper's level and the background's (the mean of each side of Otsu's threshold) differ
# at least by this much (8-bit levels).  Measured: scans 0 to 11 (paper and shading only), the
# three real photos, which fill their frames, 30 to 73; photos of a sheet on a table (drawn by
# samples/degrade.py and tests/test_photo.py) 150 to 200.
MIN_PAGE_CONTRAST = 50
# The sheet covers at least this share of the frame: a smaller light patch is something else
# (a card, a window), and a photo of a page is framed around it; a page smaller in the frame
# would be read at too few pixels anyway (a tenth of a 12-MP frame holds an A4 page at 130 dpi).
MIN_PAGE_SHARE = 0.1
# The light region is nearly convex (its area over its hull's): a sheet's outline is; a light
# region that takes in another object, or a hand holding the page, is not.
MIN_SOLIDITY = 0.95
# The four sides account for the region: the region's hull covers at least this share of the
# quadrilateral (a bowed sheet, a slightly cut corner lose a little; a round or ragged region
# much more).
MIN_QUAD_FILL = 0.96
# The outline keeps close to the four sides: 95 % of its points (those not on the frame) lie
# within this share of the quadrilateral's short side from one.  A sheet lying on a table
# bows a little (the sample photos of samples/degrade.py: up to 2.7 %); a curled, folded or
# torn page does more.
MAX_SIDE_DEVIATION = 0.03
# Each corner lies at most this share of the frame's side beyond the frame: a sheet slightly
# cut by the frame is warped whole (its missing strip filled with white), one largely outside
# is not a clear quadrilateral.
MAX_CUT = 0.05
# Interior angles between these (degrees) and opposite sides at least this ratio of each other:
# a photo taken from any sensible stance; beyond, the quadrilateral is more likely wrong than
# the perspective so strong.
ANGLE_RANGE = (60.0, 120.0)
MIN_SIDE_RATIO = 0.6
# A corner is put where lines through the outline near it meet: the outline from this share
# of each side from the corner to that one (the corner itself is rounded by the closing and the
# blur; further along, a bowed side bends away), at least this many points of it (else the
# corner stays), and it moves at most this share of a side (more would be another shape).
CORNER_REACH = (0.03, 0.25)
CORNER_MIN_POINTS = 8
CORNER_MAX_MOVE = 0.1
# Every corner within this share of the frame's sides of the frame's own corner: the page fills
# the image (a scan, a photo cropped to the page): nothing to undo.
FILLS_FRAME = 0.04
# Across the outline of each side seen in the frame, the closed copy is lighter this share of
# the long side inside than as far outside by this much (median over EDGE_SAMPLES points of
# the side's outline, levels): a paper edge (on the sample photos: 110 to 180), not the soft
# border of a shadow on the page.  A side is seen when outline points off the frame cover
# EDGE_SEEN of its middle 80 %.
MIN_EDGE_STEP = 30
EDGE_REACH = 0.012
EDGE_SAMPLES = 24
EDGE_SEEN = 0.5
# at least this many sides are checked that way (a sheet cut by the frame on three sides
# shows too little of its edge to be sure of)
MIN_EDGES_SEEN = 2


def _order(quad: np.ndarray) -> np.ndarray:
    """The four corners clockwise on screen from the top-left (the one with the least x + y)."""
    c = quad.mean(axis=0)
    quad = quad[np.argsort(np.arctan2(quad[:, 1] - c[1], quad[:, 0] - c[0]))]
    return np.roll(quad, -int(np.argmin(quad.sum(axis=1))), axis=0)


def _angles(quad: np.ndarray) -> list[float]:
    """The interior angle at each corner, in degrees."""
    out = []
    for i in range(4):
        a, b = quad[i - 1] - quad[i], quad[(i + 1) % 4] - quad[i]
        cos = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))
        out.append(math.degrees(math.acos(max(-1.0, min(1.0, cos)))))
    return out


def _sides(quad: np.ndarray) -> np.ndarray:
    """Lengths of the sides top, right, bottom, left (of corners ordered by :func:`_order`)."""
    return np.linalg.norm(np.roll(quad, -1, axis=0) - quad, axis=1)


def _on_sides(quad: np.ndarray, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each outline point: the side it is nearest to (i: from corner i to corner i + 1),
    where along that side it lies (0 at its first corner, 1 at its second), and how far from
    it."""
    near = np.empty((4, len(pts)))
    along = np.empty((4, len(pts)))
    for i in range(4):
        a, v = quad[i], quad[(i + 1) % 4] - quad[i]
        t = (pts - a) @ v / (v @ v)
        near[i] = np.linalg.norm(pts - (a + np.clip(t, 0, 1)[:, None] * v), axis=1)
        along[i] = t
    side = np.argmin(near, axis=0)
    k = np.arange(len(pts))
    return side, along[side, k], near[side, k]


def _meet(l1: np.ndarray, l2: np.ndarray) -> np.ndarray | None:
    """Where two lines (vx, vy, x0, y0, as ``cv2.fitLine`` gives them) cross; None when they
    are within about 12° of parallel."""
    d1, p1, d2, p2 = l1[:2], l1[2:], l2[:2], l2[2:]
    den = d1[0] * d2[1] - d1[1] * d2[0]
    if abs(den) < 0.2:
        return None
    t = ((p2[0] - p1[0]) * d2[1] - (p2[1] - p1[1]) * d2[0]) / den
    return (p1 + t * d1).astype(np.float64)


def _fit(pts: np.ndarray) -> np.ndarray:
    return cv2.fitLine(pts.astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel()


def _refined(quad: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """The corners of a quadrilateral drawn around a region, each moved to where the region's
    outline meets itself: where two lines fitted to the outline near the corner
    (``CORNER_REACH`` of each side) cross.  A bowed sheet's sides bulge, and a quadrilateral
    around it has its corners pushed out by the bulge; near the corners the outline is nearly
    straight, and the lines through it meet at the sheet's corner.  Where the frame cuts the
    corner off, the lines are fitted to what is seen of the halves of its two sides, and meet
    beyond the frame.  A corner whose outline is not seen well enough keeps its place."""
    if len(pts) == 0:
        return quad
    side, along, _ = _on_sides(quad, pts)
    lo, hi = CORNER_REACH
    out = quad.copy()
    for j in range(4):
        before, after = (j - 1) % 4, j  # the side that ends at corner j, and the one that starts there
        p = pts[(side == before) & (along >= 1 - hi) & (along <= 1 - lo)]
        q = pts[(side == after) & (along >= lo) & (along <= hi)]
        if len(p) < CORNER_MIN_POINTS or len(q) < CORNER_MIN_POINTS:
            # a corner cut by the frame: the sides' halves nearest to it, as far as they are seen
            p = pts[(side == before) & (along >= 0.5) & (along <= 1 - lo)]
            q = pts[(side == after) & (along >= lo) & (along <= 0.5)]
        if len(p) < CORNER_MIN_POINTS or len(q) < CORNER_MIN_POINTS:
            continue
        corner = _meet(_fit(p), _fit(q))
        if corner is not None and np.linalg.norm(corner - quad[j]) <= CORNER_MAX_MOVE * min(_sides(quad)):
            out[j] = corner
    return out


def _edge_steps(closed: np.ndarray, quad: np.ndarray, pts: np.ndarray) -> list[float]:
    """For each side of the quadrilateral seen in the image (most of its length in outline
    points off the frame), the median over points of its outline of (level ``EDGE_REACH``
    inside) − (level as far outside)."""
    h, w = closed.shape
    reach = EDGE_REACH * max(h, w)
    centre = quad.mean(axis=0)
    side, along, _ = _on_sides(quad, pts)
    lengths = _sides(quad)
    steps = []
    for i in range(4):
        on = pts[(side == i) & (along >= 0.1) & (along <= 0.9)]  # (about a point per pixel)
        if len(on) < EDGE_SEEN * 0.8 * lengths[i]:
            continue  # the side runs along (or beyond) the frame
        on = on[np.linspace(0, len(on) - 1, EDGE_SAMPLES).astype(int)]
        a, b = quad[i], quad[(i + 1) % 4]
        d = (b - a) / np.linalg.norm(b - a)
        n = np.array([-d[1], d[0]])
        if n @ (centre - a) < 0:
            n = -n  # into the sheet
        inside = np.rint(on + reach * n).astype(int)
        outside = np.rint(on - reach * n).astype(int)
        ok = np.all((inside >= 0) & (inside < [w, h]) & (outside >= 0) & (outside < [w, h]), axis=1)
        if not ok.any():
            continue
        diff = closed[inside[ok, 1], inside[ok, 0]].astype(float) - closed[outside[ok, 1], outside[ok, 0]].astype(float)
        steps.append(float(np.median(diff)))
    return steps


def _quad_of(small: np.ndarray) -> tuple[np.ndarray | None, str]:
    """The quadrilateral of the sheet on the analysis copy (one channel), or None; and what
    was found, or the rule that said no."""
    h, w = small.shape
    k = max(3, int(TEXT_CLOSE * max(h, w)) | 1)
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    closed = cv2.GaussianBlur(closed, (5, 5), 0)
    _, light = cv2.threshold(closed, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    above, below = closed[light > 0], closed[light == 0]
    if below.size == 0 or above.size == 0 or float(above.mean()) - float(below.mean()) < MIN_PAGE_CONTRAST:
        return None, "no light region stands out"
    light = cv2.morphologyEx(light, cv2.MORPH_OPEN, np.ones((SPECK_OPEN, SPECK_OPEN), np.uint8))
    n, labels, stats = pp.components(light)
    if n < 2:
        return None, "no light region"
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if stats[best, cv2.CC_STAT_AREA] < MIN_PAGE_SHARE * h * w:
        return None, "the light region is too small"
    contours, _ = cv2.findContours((labels == best).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    contour = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(contour)
    hull_area = cv2.contourArea(hull)
    if cv2.contourArea(contour) < MIN_SOLIDITY * hull_area:
        return None, "the light region is not convex"
    around = cv2.approxPolyN(hull, 4, ensure_convex=True)
    if around is None or around.size != 8:
        return None, "no quadrilateral fits"
    around = _order(around.reshape(4, 2).astype(np.float64))
    if hull_area < MIN_QUAD_FILL * cv2.contourArea(around.astype(np.float32)):
        return None, "the region is no quadrilateral"
    pts = contour.reshape(-1, 2).astype(np.float64)
    pts = pts[(pts[:, 0] > 1) & (pts[:, 0] < w - 2) & (pts[:, 1] > 1) & (pts[:, 1] < h - 2)]  # off the frame
    quad = _refined(around, pts)
    size = np.array([w, h], np.float64)
    frame = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float64)
    if np.all(np.abs(quad - frame) <= FILLS_FRAME * size):
        return None, "the page fills the frame"
    if np.any(quad < -MAX_CUT * size) or np.any(quad > frame[2] + MAX_CUT * size):
        return None, "a corner lies far outside the frame"
    lo, hi = ANGLE_RANGE
    if not all(lo <= a <= hi for a in _angles(quad)):
        return None, "an angle is too sharp or too wide"
    top, right, bottom, left = _sides(quad)
    if min(top, bottom) < MIN_SIDE_RATIO * max(top, bottom) or min(left, right) < MIN_SIDE_RATIO * max(left, right):
        return None, "opposite sides differ too much"
    if len(pts) and float(np.percentile(_on_sides(quad, pts)[2], 95)) > MAX_SIDE_DEVIATION * min(top, right, bottom, left):
        return None, "a side is not straight"
    steps = _edge_steps(closed, quad, pts)
    if len(steps) < MIN_EDGES_SEEN:
        return None, "too little of the sheet's edge is seen"
    if min(steps) < MIN_EDGE_STEP:
        return None, "a side is no paper edge"
    return quad, "found"


def find_page_quad(image: np.ndarray) -> np.ndarray | None:
    """The corners of the paper sheet in a photo (float32, 4×2, x and y in the image's pixels,
    clockwise from the top-left), or None when there is nothing clear to undo.

    The sheet is the largest region lighter than the rest, found on a copy of ``QUAD_SIDE``
    pixels in its darkest channel (white paper is light in all three; a wooden or coloured
    table is not), its print closed away first (``TEXT_CLOSE``) and the split between paper
    and background left to Otsu.  The quadrilateral is first the four-sided polygon that takes
    in the region's hull with the least area added (``cv2.approxPolyN``), then each corner is
    put where the outline's two sides, fitted as lines near it, meet (a bowed sheet's bulge
    would push it out; a corner cut by the frame lies beyond it).

    Precision first: the quadrilateral is given only when everything about it is clear: a
    strong light/dark split (``MIN_PAGE_CONTRAST``), a region of a fair size
    (``MIN_PAGE_SHARE``), convex (``MIN_SOLIDITY``), filling its quadrilateral
    (``MIN_QUAD_FILL``) with nearly straight sides (``MAX_SIDE_DEVIATION``), corners within
    ``MAX_CUT`` of the frame, sensible angles and sides (``ANGLE_RANGE``, ``MIN_SIDE_RATIO``),
    and a step from paper to background along every side seen (``MIN_EDGE_STEP``).  A page
    that fills the frame (a scan: ``FILLS_FRAME``) gives None, as does a curved page whose
    outline is no quadrilateral; such images are read as they are.
    """
    gray = _darkest(image)
    f = min(1.0, QUAD_SIDE / max(gray.shape))
    small = pp.shrink(gray, f) if f < 1.0 else gray
    quad, why = _quad_of(small)
    if quad is None:
        log.debug("no page quadrilateral: %s", why)
        return None
    return (quad / f).astype(np.float32)


def _darkest(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    return cv2.min(cv2.min(image[..., 0], image[..., 1]), image[..., 2])


def flatten_page(image: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """(image, quad): the sheet of a photo warped to an upright rectangle, and the corners it
    was taken from (:func:`find_page_quad`); or the image as it is and None.

    The rectangle's sides are the means of the quadrilateral's opposite sides, so the page
    keeps its aspect and about its resolution; the warp is one perspective transform
    (``cv2.getPerspectiveTransform``), bilinear, of the image given (the capped photo), and
    whatever of the rectangle lay outside the frame (a cut corner) is white.  A two-page spread
    is one sheet here: both pages stay, to be cut apart later (``ocr.spread``).  The turn of
    the text is not decided here (``preprocess.level`` does it after).
    """
    quad = find_page_quad(image)
    if quad is None:
        return image, None
    top, right, bottom, left = _sides(quad.astype(np.float64))
    w = max(1, round((top + bottom) / 2))
    h = max(1, round((left + right) / 2))
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(quad, target)
    fill = 255 if image.ndim == 2 else (255, 255, 255)
    out = cv2.warpPerspective(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
    log.debug("flattened the page %s to %dx%d", quad.round().tolist(), w, h)
    return out, quad
