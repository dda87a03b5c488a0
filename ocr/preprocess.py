"""OpenCV preprocessing as pure functions on arrays (ndarray in, ndarray or number out).

- :func:`text_axis_turn`: is the text horizontal (0) or does the page need a quarter turn (90)?
  Whether an upright page is upside down is decided with the OCR engine's confidence
  (:func:`gongwen.pipeline.worker.ocr_upright`), since no pixel statistic tells 0° from 180°
  reliably for Chinese.
- :func:`skew_angle` / :func:`rotate`: deskew within ±5°.
- :func:`separate_inks`: black print, red (发文机关标志, rules, seals, 收文 stamp) and blue
  (handwriting) layers, each a white grayscale page with only that ink on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..parsers.geometry import overlaps, union

MAX_SKEW_DEG = 5.0
# Work on a copy scaled so its long side is about this many pixels: enough for line structure.
ANALYSIS_SIDE = 1200

# Growth (pixels on the analysis copy) tried when looking for the text axis, and how elongated
# the blobs must be to call the page turned.
AXIS_GROWTH_STEPS = (1, 2, 3, 4, 5, 6, 8)
AXIS_MIN_ELONGATION = 0.15
# Elongation that settles the axis: the lines are whole blobs, and growing further only merges
# them into paragraphs, so the search stops there (on every upright, turned and real page
# measured, the first elongation past this had the sign of the strongest one).
AXIS_CLEAR_ELONGATION = 0.5

# HSV thresholds (OpenCV hue 0-180).  Ink counts as coloured above this saturation.
COLOUR_MIN_SATURATION = 70
# Hysteresis: near strong coloured ink (within this reach, in pixels at 300 dpi), paler pixels
# of the same hue count too, down to the lower saturation: the thin strokes of a pale stamp's
# office name, an anti-aliased rim, the light end of a pen stroke.
COLOUR_PALE_SATURATION = 30
COLOUR_REACH = 60
COLOUR_MIN_VALUE = 60
# Blue-black ink (蓝黑墨水) and a ballpoint's dark paste dry nearly black: a stroke is tinted
# only weakly, in JPEG's patchy 8×8 chroma blocks, often below COLOUR_PALE_SATURATION, and
# the dark middle of a stroke shows no colour at all.  For such inks (DARK_INKS: blue; not
# red seal paste, whose tinted pixels over black print are the print's), ink darker than the
# paper by INK_BELOW_PAPER, of the colour's hue and with channels at least TINT_CHROMA apart
# (levels, not saturation, which a dark gray's small cast inflates), counts where it joins
# ink of strong colour within TINT_GAP pixels (the gap between the strokes of one written
# line); and a stroke's dark middle between tinted edges (a closing of CORE_FILL pixels) is
# the stroke's own ink, in the colour's layer and out of the black one.
DARK_INKS = (False, True)  # (red, blue)
TINT_CHROMA = 8
TINT_GAP = 15
INK_BELOW_PAPER = 40
CORE_FILL = 7
# ink straight along this many pixels, across or down, is a printed rule or frame, however
# tinted the handwriting on it makes it look: it is left out of those two steps
RULE_RUN = 121
# Coloured ink is looked for on a grid of every other pixel first (see colour_regions), and
# the regions found are widened by this much beyond COLOUR_REACH (dropout margin, rounding).
COLOUR_PROBE_STEP = 2
COLOUR_REGION_MARGIN = 16
COLOUR_REGION_CELL = 8  # regions are made of square cells of this many page pixels
RED_HUE = ((0, 12), (160, 180))
BLUE_HUE = ((90, 135),)
# Pixels this close to coloured ink take the colour's channel in the black layer (its pale,
# blurred rim included).
DROPOUT_MARGIN = 4
DARK_IN_OWN_CHANNEL = 100
# for an ink read from its own channel (0 red, 2 blue), the channel where it is darkest
CONTRAST_CHANNEL = {0: 1, 2: 0}
# In the black layer of a colour page, anything paler than the paper less this is paper.
PAPER_MARGIN = 40
# Pencil (graphite) on a colour page: gray strokes as pale as the ghosts of removed coloured
# ink, which the black layer's whitening takes for paper.  They are given a layer of their own,
# read like a colour layer: pixels at least PENCIL_BELOW_PAPER below the paper around them
# (its level taken over PENCIL_PAPER_SPAN px, for uneven lighting) and no darker than
# PENCIL_DARKEST below it (darker is print or pen), neutral (channels at most PENCIL_SPREAD
# apart with the paper made white) or reddish (a red pencil, as leaders write instructions
# with), clear of dark ink by PENCIL_CLEAR px (the pale edges of print) and of coloured ink's
# dropout zone (its ghosts).  A connected piece longer than PENCIL_MAX_STROKE_MM is no
# writing's: a faded stamp's frame (as pale and as red as a red pencil), a rule, a fold.  A
# page where such pixels cover more than PENCIL_MAX_SHARE is shaded or shows the other side
# through: no pencil is looked for there.
PENCIL_BELOW_PAPER = 15
PENCIL_DARKEST = 100
PENCIL_SPREAD = 12
PENCIL_CLEAR = 3
PENCIL_PAPER_SPAN = 96
PENCIL_MAX_SHARE = 0.01
PENCIL_MIN_PIXELS = 400  # less on a page is no writing
PENCIL_MIN_STROKE = 60  # px: a connected piece of pencil smaller than this is a speck
PENCIL_MAX_STROKE_MM = 30
PENCIL_ZONE = 2  # px round the pencil found in which the layer is drawn in full
A4_SHORT_SIDE_MM = 210.0  # a page's short side taken as A4's, to measure in mm
PENCIL_EDGE = 0.02  # of the page's width: pencil this near the sheet's edge is its shadow or the deskew's seam
PENCIL_GAIN = 4.0  # how much darker than the paper a pencil stroke is drawn in its layer
# A pixel whose channels differ by this much is coloured (a page with none is gray), and the
# step of the grid of pixels looked at first
GRAY_TOLERANCE = 30
GRAY_PROBE_STEP = 4
# A page is treated as colour when at least this fraction of its pixels is coloured ink.
MIN_COLOUR_FRACTION = 0.0002


@dataclass(frozen=True)
class InkLayers:
    black: np.ndarray  # uint8 gray, white background
    red: np.ndarray | None
    blue: np.ndarray | None
    pencil: np.ndarray | None = None  # on a colour page, pencil the black layer whitened away


def components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """(count, labels, stats) of the 8-connected components of a mask, as
    ``cv2.connectedComponentsWithStats`` gives them, by the block-based algorithm (Grana's
    BBDT): the same labels and stats, in half the time of OpenCV's default on text pages."""
    n, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_GRANA)
    return n, labels, stats


def blob_stats(mask: np.ndarray) -> np.ndarray:
    """The stats rows of :func:`components` of a mask, the background's row left out: found
    within the bounding box of the mask's ink and given in the mask's coordinates.  Labelling
    a whole page costs milliseconds even where it is empty (the ruling masks of a page without
    a table, the margins); the box is found in a fraction of that."""
    x, y, w, h = cv2.boundingRect(mask)
    if w == 0 or h == 0:
        return np.zeros((0, 5), np.int32)
    # the box starts on even coordinates: the algorithm labels 2×2 blocks, so the same blocks
    # are seen and the components come in the same order as on the whole mask
    x, y = x - x % 2, y - y % 2
    _, _, stats = components(mask[y:, x:][: h + 1, : w + 1])
    stats = stats[1:]
    stats[:, cv2.CC_STAT_LEFT] += x
    stats[:, cv2.CC_STAT_TOP] += y
    return stats


def to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def shrink(image: np.ndarray, f: float) -> np.ndarray:
    """The image scaled by ``f`` (< 1) with area averaging.

    OpenCV averages whole k×k blocks several times faster than it resamples by an arbitrary
    factor, so the image is first reduced by the largest whole factor within ``f``, and only
    the rest of the way by the exact one.
    """
    h, w = image.shape[:2]
    size = (max(1, int(w * f)), max(1, int(h * f)))
    k = int(1.0 / f + 1e-9)
    if k >= 2:
        image = cv2.resize(image, None, fx=1.0 / k, fy=1.0 / k, interpolation=cv2.INTER_AREA)
    if (image.shape[1], image.shape[0]) == size:
        return image
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def _small(gray: np.ndarray, side: int = ANALYSIS_SIDE) -> tuple[np.ndarray, float]:
    h, w = gray.shape[:2]
    f = min(1.0, side / max(h, w))
    if f < 1.0:
        gray = shrink(gray, f)
    return gray, f


# A blank page (the back of a sheet, a separator) is known from its ink alone, before any OCR:
# on every n-th pixel, n such that the long side keeps BLANK_SIDE pixels (150 dpi for A4; no
# averaging, which would fade a thin pencil stroke into the paper), away from the edges
# (scanner borders, punch holes, a shadow along the spine), a pixel is ink when its darkest
# channel (so red and blue ink count too) lies BLANK_INK_DROP levels below the paper; specks
# smaller than BLANK_SPECK_PX pixels are dust.  The page is blank when what is left adds up to
# less than BLANK_MAX_INK_PX pixels, a third of one 10.5 pt character at that size (a page with
# a single handwritten 阅 is not blank).  Show-through and JPEG noise stay well under the drop.
BLANK_SIDE = 1750
BLANK_EDGE = 0.08  # 17 mm of an A4 side: punch holes (12 mm in, 6 mm wide) lie within
BLANK_INK_DROP = 60
BLANK_SPECK_PX = 4
BLANK_MAX_INK_PX = 40
# Most pages are told apart at once on a coarser grid (every BLANK_PROBE_STEP-th pixel): this
# many ink pixels there are several characters' worth, and the page is not blank.
BLANK_PROBE_STEP = 4
BLANK_PROBE_INK = 200


def _ink_of(darkest: np.ndarray) -> np.ndarray:
    """The ink mask (0/1) of a one-channel page away from its edges: darker than its paper
    (the median level) by ``BLANK_INK_DROP``."""
    h, w = darkest.shape
    dy, dx = int(h * BLANK_EDGE), int(w * BLANK_EDGE)
    inner = darkest[dy : h - dy, dx : w - dx]
    if inner.size == 0:
        return np.ones((1, 1), np.uint8)  # nothing to judge by: not blank
    counts = np.bincount(inner.ravel(), minlength=256)
    paper = int(np.searchsorted(np.cumsum(counts), inner.size / 2))
    return np.ascontiguousarray(inner < paper - BLANK_INK_DROP, dtype=np.uint8)


def _darkest(image: np.ndarray) -> np.ndarray:
    """The darkest channel of each pixel (``min(axis=2)`` is many times slower)."""
    if image.ndim == 2:
        return image
    return np.minimum(np.minimum(image[..., 0], image[..., 1]), image[..., 2])


def is_blank(image: np.ndarray) -> bool:
    """Does the page carry no ink at all (see ``BLANK_*``)?  A page with text is told on the
    coarse grid in a few milliseconds; only a nearly empty one is looked at more closely."""
    if int(_ink_of(_darkest(image[::BLANK_PROBE_STEP, ::BLANK_PROBE_STEP])).sum()) > BLANK_PROBE_INK:
        return False
    step = max(1, round(max(image.shape[:2]) / BLANK_SIDE))
    mask = _ink_of(_darkest(image[::step, ::step]))
    if not mask.any():
        return True
    areas = blob_stats(mask)[:, cv2.CC_STAT_AREA]
    return int(areas[areas >= BLANK_SPECK_PX].sum()) < BLANK_MAX_INK_PX


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Binary mask (uint8 0/255) of dark ink: Otsu on a lightly blurred page."""
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    thr, mask = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if thr > 200:  # an almost blank page: Otsu splits paper noise; keep only real ink
        _, mask = cv2.threshold(blur, 160, 255, cv2.THRESH_BINARY_INV)
    return mask


def analysis_mask(image: np.ndarray) -> np.ndarray:
    """The ink mask of the page's analysis copy (long side ``ANALYSIS_SIDE``), which the text
    axis and the skew are both found on."""
    return ink_mask(_small(to_gray(image))[0])


def level(image: np.ndarray) -> tuple[int, float]:
    """(quarter turn, skew angle) that make a page's text lines horizontal and level: what
    :func:`text_axis_turn` and then :func:`skew_angle` of the turned page give, from one
    analysis copy."""
    mask = analysis_mask(image)
    rotation = axis_turn_of_mask(mask)
    return rotation, skew_of_mask(turn(mask, rotation))


def text_axis_turn(image: np.ndarray) -> int:
    """0 when text lines run horizontally, 90 when the page lies on its side
    (:func:`axis_turn_of_mask` of the page's analysis copy)."""
    return axis_turn_of_mask(analysis_mask(image))


def axis_turn_of_mask(mask: np.ndarray) -> int:
    """0 when the text lines of an ink mask run horizontally, 90 when it lies on its side.

    Ink is grown by a few sizes in turn: the gaps between characters of a line (a tenth of a
    character) close before the gaps between lines (half a character or more), so at the right
    size each line is one blob, much longer than tall along the writing direction.  The
    area-weighted elongation of the blobs at the size where it is strongest (or first clear)
    gives the axis; ruled lines are taken out first, and a page without a clear answer is left
    as it is.
    """
    long_side = max(mask.shape)
    rule = max(20, long_side // 25)
    rules = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, rule), np.uint8)) | cv2.morphologyEx(
        mask, cv2.MORPH_OPEN, np.ones((rule, 1), np.uint8)
    )
    mask = cv2.subtract(mask, rules)
    if cv2.countNonZero(mask) < 200:
        return 0
    best = 0.0
    for d in AXIS_GROWTH_STEPS:
        grown = cv2.dilate(mask, np.ones((2 * d + 1, 2 * d + 1), np.uint8))
        st = blob_stats(grown)
        w = st[:, cv2.CC_STAT_WIDTH].astype(float)
        h = st[:, cv2.CC_STAT_HEIGHT].astype(float)
        area = st[:, cv2.CC_STAT_AREA].astype(float)
        keep = (np.maximum(w, h) >= 4 * d + 6) & (np.maximum(w, h) < long_side / 2)
        if not keep.any():
            continue
        score = float(np.sum((w - h)[keep] / (w + h)[keep] * area[keep]) / area[keep].sum())
        if abs(score) > abs(best):
            best = score
        if abs(best) >= AXIS_CLEAR_ELONGATION:  # the lines are whole blobs already: no need to grow on
            break
    return 90 if best < -AXIS_MIN_ELONGATION else 0


def turn(image: np.ndarray, degrees_cw: int) -> np.ndarray:
    """Rotate by a multiple of 90° clockwise (lossless)."""
    d = degrees_cw % 360
    if d == 0:
        return image
    code = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}[d]
    return cv2.rotate(image, code)


def skew_angle(image: np.ndarray, max_deg: float = MAX_SKEW_DEG) -> float:
    """Angle (degrees, counter-clockwise positive as OpenCV) that levels the text lines
    (:func:`skew_of_mask` of the page's analysis copy)."""
    return skew_of_mask(analysis_mask(image), max_deg)


def skew_of_mask(mask: np.ndarray, max_deg: float = MAX_SKEW_DEG) -> float:
    """Angle that levels the text lines of an ink mask: projection-profile search.

    The rotation whose row sums of ink are the most peaked (text lines and gaps sharpest)
    wins; coarse 0.5° steps, then 0.05° around the best.  The ink pixels are projected as
    points (the rows they land in when the mask is rotated about its centre), not the mask
    rotated as an image: the same profile at a fraction of the cost.
    """
    ys, xs = np.nonzero(mask)
    if len(xs) < 200:
        return 0.0
    h, w = mask.shape
    xs = xs.astype(np.float32) - w / 2
    ys = ys.astype(np.float32) - h / 2

    def score(angle: float) -> float:
        a = np.deg2rad(angle)
        # the row each ink pixel lands in when the mask is turned by ``angle`` (OpenCV's
        # sense: counter-clockwise on screen, rows growing downwards)
        rows = np.rint(np.float32(-np.sin(a)) * xs + np.float32(np.cos(a)) * ys + h / 2).astype(np.int64)
        rows = rows[(rows >= 0) & (rows < h)]
        profile = np.bincount(rows, minlength=h).astype(np.float64)
        return float(np.sum(np.diff(profile) ** 2))

    best = max(np.arange(-max_deg, max_deg + 1e-9, 0.5), key=score)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)
    best = max(fine, key=score)
    return float(np.clip(round(best, 2), -max_deg, max_deg))


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by a small angle about the centre, same size, white fill."""
    if abs(angle) < 0.02:
        return image
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    fill = 255 if image.ndim == 2 else (255, 255, 255)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


def _hue_lut(ranges) -> np.ndarray:
    lut = np.zeros(256, np.uint8)
    for lo, hi in ranges:
        lut[lo : hi + 1] = 255
    return lut


_RED_LUT, _BLUE_LUT = _hue_lut(RED_HUE), _hue_lut(BLUE_HUE)


def _hue_masks(hsv: np.ndarray, saturations: tuple[int, ...]) -> list[tuple[np.ndarray, ...]]:
    """For red and for blue, the masks (0/255) of pixels of that hue, bright enough and at
    least as saturated as each of ``saturations``: per-channel lookups and thresholds, one
    pass over the page for all of them."""
    hue, sat, val = cv2.split(hsv)
    bright = cv2.threshold(val, COLOUR_MIN_VALUE - 1, 255, cv2.THRESH_BINARY)[1]
    saturated = [cv2.threshold(sat, s - 1, 255, cv2.THRESH_BINARY)[1] for s in saturations]
    out = []
    for lut in (_RED_LUT, _BLUE_LUT):
        of_hue = cv2.bitwise_and(cv2.LUT(hue, lut), bright)
        out.append(tuple(cv2.bitwise_and(of_hue, s) for s in saturated))
    return out


def colour_areas(strong: np.ndarray, reach: int = COLOUR_REACH) -> np.ndarray:
    """Mask (0/255) of the rectangles around groups of strong coloured ink (a stamp, a seal,
    a handwritten line), grown by ``reach`` pixels: where paler ink of that colour is believed."""
    f = 0.25
    small = cv2.resize(strong, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    k = 2 * max(1, int(reach * f)) + 1
    grown = cv2.dilate((small > 0).astype(np.uint8), np.ones((k, k), np.uint8))
    area = np.zeros(strong.shape, np.uint8)
    h, w = strong.shape
    for x, y, bw, bh, _ in blob_stats(grown):
        area[int(y / f) : min(h, int((y + bh) / f)), int(x / f) : min(w, int((x + bw) / f))] = 255
    return area


def _grid(image: np.ndarray, step: int) -> np.ndarray:
    """Every ``step``-th pixel of every ``step``-th row (nearest-neighbour scaling by 1/step
    samples exactly those, faster than a strided copy)."""
    return cv2.resize(image, None, fx=1.0 / step, fy=1.0 / step, interpolation=cv2.INTER_NEAREST)


def _has_colour(image: np.ndarray) -> bool:
    r, g, b = cv2.split(image)
    return int(cv2.absdiff(r, g).max()) >= GRAY_TOLERANCE or int(cv2.absdiff(b, g).max()) >= GRAY_TOLERANCE


def is_gray(image: np.ndarray) -> bool:
    """No pixel far from gray: a grayscale page, even if stored as RGB.

    A sparse grid of pixels is looked at first: on a colour page it almost always holds a
    coloured one already (strokes of ink are several pixels wide), and the page's colour is
    known at a fraction of the cost; only a page with none there is checked whole.
    """
    if image.ndim == 2:
        return True
    if _has_colour(_grid(image, GRAY_PROBE_STEP)):
        return False
    return not _has_colour(image)


Box = tuple[int, int, int, int]  # x0, top, x1, bottom (exclusive), page pixels


def _merged(boxes: list[Box]) -> list[Box]:
    """The boxes with every two that overlap replaced by the box around both, until none do."""
    boxes = list(boxes)
    merged = True
    while merged:
        merged = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                if overlaps(a, b):
                    boxes[i] = union((a, b))
                    del boxes[j]
                    merged = True
                    break
            if merged:
                break
    return boxes


def colour_regions(image: np.ndarray) -> list[Box]:
    """Non-overlapping boxes that hold every coloured stroke of an RGB page, with room around
    them for the pale ink believed near strong ink (``COLOUR_REACH``) and the black layer's
    dropout margin.

    Found on a grid of every ``COLOUR_PROBE_STEP``-th pixel: a stroke that survives
    :func:`colour_masks`'s opening fills a 3×3 block, which always holds a grid pixel.  Coloured
    ink covers a small part of most pages (header, seal, stamp, handwriting), and the full
    resolution work is done inside these boxes only.
    """
    probe = _grid(image, COLOUR_PROBE_STEP)
    masks = _hue_masks(cv2.cvtColor(probe, cv2.COLOR_RGB2HSV), (COLOUR_MIN_SATURATION, 1))
    found = cv2.bitwise_or(masks[0][0], masks[1][0])
    if not cv2.countNonZero(found):
        return []
    # where ink was found, in cells of COLOUR_REGION_CELL page pixels (a cell holding any is set)
    f = COLOUR_PROBE_STEP / COLOUR_REGION_CELL
    step = COLOUR_REGION_CELL

    def cells_of(mask: np.ndarray) -> np.ndarray:
        return cv2.threshold(cv2.resize(mask, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), 0, 255, cv2.THRESH_BINARY)[1]

    cells = cells_of(found)
    for (strict, of_hue), dark in zip(masks, DARK_INKS):
        if dark and cv2.countNonZero(strict):  # and the weakly tinted writing joined to it
            weak = cells_of(_weakly_tinted(probe, of_hue))
            gap = max(1, -(-TINT_GAP // step))
            cv2.bitwise_or(cells, _joined(weak, cells_of(strict), gap), dst=cells)
    r = -(-(COLOUR_REACH + COLOUR_REGION_MARGIN) // step)
    h, w = image.shape[:2]
    return _merged([
        (int(x) * step, int(y) * step, min(w, int(x + bw) * step), min(h, int(y + bh) * step))
        for x, y, bw, bh, _ in blob_stats(cv2.dilate(cells, np.ones((2 * r + 1, 2 * r + 1), np.uint8)))
    ])


def _colour_masks_of(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(red, blue) masks of the coloured ink of an RGB image (a page or a region of one)."""
    red, blue, _ = _colour_masks_and_rules(image)
    return red, blue


def _colour_masks_and_rules(image: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(red, blue) masks of the coloured ink of an RGB image, and the printed rules found while
    taking a dark ink whole (:func:`_add_dark_ink`; None where no dark ink was found)."""
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    # an opening drops the coloured fringes JPEG leaves around black print; real strokes of
    # ink (≥ 3 px at 300 dpi) survive it
    kernel = np.ones((3, 3), np.uint8)
    masks = []
    rules = None
    for (strict, pale, of_hue), dark in zip(
            _hue_masks(hsv, (COLOUR_MIN_SATURATION, COLOUR_PALE_SATURATION, 1)), DARK_INKS):
        strong = cv2.morphologyEx(strict, cv2.MORPH_OPEN, kernel)
        if cv2.countNonZero(strong):
            cv2.bitwise_or(strong, cv2.bitwise_and(pale, colour_areas(strong)), dst=strong)
            if dark:
                rules = _add_dark_ink(strong, of_hue, image)
        masks.append(strong)
    return masks[0], masks[1], rules


def _ink_and_rules(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks (0/255) of the ink of an RGB image darker than its paper by INK_BELOW_PAPER, the
    printed rules and frames (RULE_RUN) left out; and of those rules."""
    gray = to_gray(image)
    paper = float(np.median(gray[::4, ::4]))
    ink = cv2.threshold(gray, max(0.0, paper - INK_BELOW_PAPER), 255, cv2.THRESH_BINARY_INV)[1]
    rules = cv2.bitwise_or(cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, RULE_RUN), np.uint8)),
                           cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((RULE_RUN, 1), np.uint8)))
    return cv2.bitwise_and(ink, cv2.bitwise_not(rules)), rules


def _ink(image: np.ndarray) -> np.ndarray:
    return _ink_and_rules(image)[0]


def _weakly_tinted(image: np.ndarray, of_hue: np.ndarray, ink: np.ndarray | None = None) -> np.ndarray:
    """Mask (0/255) of the ink of the hue ``of_hue`` marks whose channels are at least
    TINT_CHROMA apart (see DARK_INKS)."""
    r, g, b = cv2.split(image)
    chroma = cv2.subtract(cv2.max(cv2.max(r, g), b), cv2.min(cv2.min(r, g), b))
    tinted = cv2.threshold(chroma, TINT_CHROMA - 1, 255, cv2.THRESH_BINARY)[1]
    return cv2.bitwise_and(cv2.bitwise_and(of_hue, tinted), _ink(image) if ink is None else ink)


def _add_dark_ink(mask: np.ndarray, of_hue: np.ndarray, image: np.ndarray) -> np.ndarray:
    """Add to ``mask`` (0/255, in place) the weakly tinted strokes that join it and the dark
    middles of its strokes (see DARK_INKS); printed rules stay out, and are returned."""
    ink, rules = _ink_and_rules(image)
    cv2.bitwise_or(mask, _joined(_weakly_tinted(image, of_hue, ink), mask, TINT_GAP), dst=mask)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((CORE_FILL, CORE_FILL), np.uint8))
    cv2.bitwise_or(mask, cv2.bitwise_and(closed, ink), dst=mask)
    return rules


def _joined(weak: np.ndarray, strong: np.ndarray, gap: int) -> np.ndarray:
    """The pixels of ``weak`` (0/255) in groups (their pixels within ``gap`` of one another)
    that hold a pixel of ``strong``: hysteresis along the ink, not across the page."""
    grown = cv2.dilate(cv2.bitwise_or(weak, strong), np.ones((gap, gap), np.uint8))
    _, labels = cv2.connectedComponents(grown, connectivity=8)
    seeded = np.unique(labels[strong > 0])
    keep = np.zeros(int(labels.max()) + 1, np.uint8)
    keep[seeded[seeded > 0]] = 255
    return cv2.bitwise_and(weak, keep[labels])


def colour_masks(image: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(red, blue) masks of coloured ink, or None for a grayscale page."""
    if is_gray(image):
        return None
    h, w = image.shape[:2]
    red, blue = np.zeros((h, w), np.uint8), np.zeros((h, w), np.uint8)
    for x0, y0, x1, y1 in colour_regions(image):
        r, b = _colour_masks_of(image[y0:y1, x0:x1])
        red[y0:y1, x0:x1] = r
        blue[y0:y1, x0:x1] = b
    return red, blue


def separate_inks(image: np.ndarray) -> InkLayers:
    """Split a page into black print, red and blue ink layers (white background each).

    In and around coloured ink the black layer takes the colour's own channel (red for red
    ink, blue for blue), the scanner's old "dropout colour" trick: there the coloured ink is
    as light as paper while black print over it (a date under a seal) stays dark and whole.
    A colour layer holds only its ink, drawn dark.  All of it is done within the
    :func:`colour_regions` of the page; elsewhere the black layer is the page in gray.  A colour
    page's black layer is whitened (:func:`whiten_paper`), which takes pencil for paper: its
    pencil is given a layer of its own (:func:`pencil_layer`).
    """
    gray = to_gray(image)
    if is_gray(image):
        return InkLayers(black=gray, red=None, blue=None)
    regions = colour_regions(image)
    masks = [_colour_masks_and_rules(image[y0:y1, x0:x1]) for x0, y0, x1, y1 in regions]
    black = gray.copy()
    dropped = np.zeros_like(gray)  # where coloured ink was taken out of the black layer
    near_kernel = np.ones((2 * DROPOUT_MARGIN + 1, 2 * DROPOUT_MARGIN + 1), np.uint8)
    grow_kernel = np.ones((3, 3), np.uint8)
    layers: list[np.ndarray | None] = []
    for k, channel in enumerate((0, 2)):
        if sum(cv2.countNonZero(m[k]) for m in masks) < MIN_COLOUR_FRACTION * gray.size:
            layers.append(None)
            continue
        layer = np.full_like(gray, 255)
        for (x0, y0, x1, y1), (*pair, rules) in zip(regions, masks):
            mask = pair[k]
            if not cv2.countNonZero(mask):
                continue
            part = image[y0:y1, x0:x1]
            own = np.ascontiguousarray(part[:, :, channel])
            near = cv2.dilate(mask, near_kernel)
            cv2.bitwise_or(dropped[y0:y1, x0:x1], near, dst=dropped[y0:y1, x0:x1])
            out = black[y0:y1, x0:x1].copy()
            cv2.copyTo(cv2.max(gray[y0:y1, x0:x1], own), near, out)
            # the ink itself goes entirely (a detector reads even a pale ghost of a word),
            # unless the pixel is dark in the ink's own channel too: black print over the colour
            pale_in_own = cv2.threshold(own, DARK_IN_OWN_CHANNEL, 255, cv2.THRESH_BINARY)[1]
            cv2.bitwise_or(out, cv2.bitwise_and(cv2.dilate(mask, grow_kernel), pale_in_own), dst=out)
            if DARK_INKS[k]:  # a dark ink's own strokes, their dark middles and rims too
                cv2.bitwise_or(out, cv2.dilate(mask, grow_kernel), dst=out)
            black[y0:y1, x0:x1] = out
            # the colour layer: around its ink, the channel where that ink is darkest (green
            # for red ink, red for blue ink), so strokes keep their natural edges; paper elsewhere
            ink = layer[y0:y1, x0:x1].copy()
            cv2.copyTo(np.ascontiguousarray(part[:, :, CONTRAST_CHANNEL[channel]]), near, ink)
            if DARK_INKS[k]:  # a printed rule written across is the black layer's, not the writing's
                ink[(rules > 0) & (mask == 0)] = 255  # found with the mask (a dark ink has one)
            layer[y0:y1, x0:x1] = ink
        layers.append(whiten_paper(layer))
    if all(layer is None for layer in layers):
        return InkLayers(black=black, red=None, blue=None)
    pencil = pencil_layer(image, gray, dropped)
    return InkLayers(black=whiten_paper(black), red=layers[0], blue=layers[1], pencil=pencil)


def paper_colour(pixels: np.ndarray) -> np.ndarray:
    """The paper's colour (per channel, at least 1) among RGB ``pixels``: their median, as most
    of a page is paper."""
    return np.maximum(np.median(pixels.reshape(-1, 3), axis=0), 1.0)


def pencil_layer(image: np.ndarray, gray: np.ndarray, dropped: np.ndarray) -> np.ndarray | None:
    """The pencil of a colour page drawn dark on white (see PENCIL_BELOW_PAPER), or None where
    there is none, or the page is too shaded to tell."""
    small, f = _small(gray, 1000)
    span = max(3, int(PENCIL_PAPER_SPAN * f) | 1)
    paper_small = cv2.medianBlur(cv2.dilate(small, np.ones((span, span), np.uint8)), 5)
    paper = cv2.resize(paper_small, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    below = cv2.subtract(paper, gray)
    pale = cv2.inRange(below, PENCIL_BELOW_PAPER, PENCIL_DARKEST)
    dark = cv2.threshold(below, PENCIL_DARKEST, 255, cv2.THRESH_BINARY)[1]
    k = 2 * PENCIL_CLEAR + 1
    cv2.bitwise_or(dark, dropped, dst=dark)
    clear = cv2.bitwise_not(cv2.dilate(dark, np.ones((k, k), np.uint8)))
    cv2.bitwise_and(pale, clear, dst=pale)
    # neutral against the paper: each channel scaled by the paper's (a yellowed sheet makes
    # graphite look yellow, and a faded stamp's ink nearly gray); or red (a red pencil's);
    # looked at only where pale
    tint = paper_colour(image[::8, ::8])
    ys, xs = np.nonzero(pale)
    seen = image[ys, xs].astype(np.float32) * (255.0 / tint)
    tinted = seen.max(axis=1) - seen.min(axis=1) > PENCIL_SPREAD
    # a red pencil's: red the strongest, clear of green (a yellowed patch has them alike)
    reddish = (seen[:, 0] >= seen[:, 2]) & (seen[:, 0] - seen[:, 1] > PENCIL_SPREAD / 2)
    pale[ys[tinted & ~reddish], xs[tinted & ~reddish]] = 0
    pale = cv2.morphologyEx(pale, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))  # paper's grain
    _, labels, stats = components(pale)
    h, w = pale.shape
    x, y, bw, bh = (stats[:, i] for i in range(4))
    e = int(PENCIL_EDGE * min(h, w))
    edge = (x <= e) | (y <= e) | (x + bw >= w - e) | (y + bh >= h - e)  # the sheet's edge, its shadow
    longest = PENCIL_MAX_STROKE_MM * min(h, w) / A4_SHORT_SIDE_MM
    drop = edge | (stats[:, cv2.CC_STAT_AREA] < PENCIL_MIN_STROKE) | (np.maximum(bw, bh) > longest)  # specks, frames
    drop[0] = False
    if drop.any():
        pale[np.isin(labels, np.nonzero(drop)[0])] = 0
    count = cv2.countNonZero(pale)
    if count < PENCIL_MIN_PIXELS or count > PENCIL_MAX_SHARE * pale.size:
        return None
    # drawn in full round the pixels found (a grainy stroke's paler pixels, cut off by the
    # thresholds, hold it together), print and coloured ink's dropout zone aside
    z = 2 * PENCIL_ZONE + 1
    zone = cv2.bitwise_and(cv2.dilate(pale, np.ones((z, z), np.uint8)), clear)
    layer = np.full_like(gray, 255)
    drawn = cv2.convertScaleAbs(below, alpha=-PENCIL_GAIN, beta=255)
    cv2.copyTo(drawn, zone, layer)
    return layer


def whiten_paper(gray: np.ndarray) -> np.ndarray:
    """Stretch a page so the paper (and anything as pale as a ghost of removed ink) is white.

    Everything lighter than ``PAPER_MARGIN`` below the paper's level becomes 255; darker
    values are stretched to keep print contrast.
    """
    paper = float(np.median(gray[::4, ::4]))
    top = max(64.0, paper - PAPER_MARGIN)
    lut = np.clip(np.arange(256, dtype=np.float32) * (255.0 / top), 0, 255).astype(np.uint8)
    return cv2.LUT(gray, lut)


# of a long low region's columns, this share is no deeper than a rule's thickness if it is one
RULE_DEPTH_PERCENTILE = 95


def ink_regions(layer: np.ndarray, min_area_frac: float = 0.00005) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, top, x1, bottom) around lines of ink in a colour layer, thin rules dropped.

    Ink is grown more along the line than across it, so a handwritten line with wide gaps
    between its characters (and its commas) stays one region.
    """
    mask = cv2.threshold(layer, 199, 255, cv2.THRESH_BINARY_INV)[1]  # ink: darker than 200
    small, f = _small(mask, 1000)
    k = max(3, int(15 * f * 2))
    grown = cv2.dilate(small, np.ones((k, 3 * k), np.uint8))
    boxes = []
    area_min = min_area_frac * small.size
    for x, y, w, h, area in blob_stats(grown):
        if area < area_min:
            continue
        if h < 3 * k and w > 20 * h and _only_rule(small[y : y + h, x : x + w], k):
            continue  # a ruled line (the red rule under the header)
        boxes.append((int(x / f), int(y / f), int((x + w) / f), int((y + h) / f)))
    return boxes


def _only_rule(ink: np.ndarray, k: int) -> bool:
    """Is the ink of a long, low region a rule alone: nowhere deeper than a rule is thick (a
    line of small print written along the rules it is filled in on — 传阅：谭芳浩＿＿ 吴峰＿＿ —
    has its letters' strokes)?  ``k``: the region's growth, twice a rule's thickness at most."""
    depth = np.count_nonzero(ink, axis=0)
    inked = depth[depth > 0]
    return inked.size == 0 or float(np.percentile(inked, RULE_DEPTH_PERCENTILE)) <= k / 2


# a column of a region's box counts as a ruling of the form when the page is this dark (its
# darkest channel) in this much of the box's height: a form's cell wall between two readers' handwritten names
RULE_DARK = 128
RULE_COVERAGE = 0.85
RULE_MAX_WIDTH = 12  # px: wider dark columns are writing, not a ruling
RULE_COLOUR_AT_MOST = 0.1  # of the column's height inked in the colour layer


def split_at_rules(box: tuple[int, int, int, int], page: np.ndarray, layer: np.ndarray) -> list[tuple[int, int, int, int]]:
    """A colour ink region cut at the vertical rulings of the page that cross it from top to
    bottom and are not in the colour layer (the region grows along the line and bridges a cell
    wall: 张英涛 | 余专国 would be read as one line); parts without colour ink are dropped.  The
    page may be gray or RGB: a pixel is inked when its darkest channel is dark, so a form
    printed in red has its walls too."""
    x0, y0, x1, y1 = box
    crop = page[y0:y1, x0:x1]
    if crop.size == 0 or y1 - y0 < 8:
        return [box]
    if crop.ndim == 3:
        crop = crop.min(axis=2)
    ink = layer[y0:y1, x0:x1] < 200
    # a printed ruling is inked on the page and absent from the colour layer; a stroke of dark
    # blue-black handwriting (the 1 of 10) is in both
    dark = ((crop < RULE_DARK).mean(axis=0) >= RULE_COVERAGE) & (ink.mean(axis=0) <= RULE_COLOUR_AT_MOST)
    walls, start = [], None
    for i, d in enumerate(list(dark) + [False]):
        if d and start is None:
            start = i
        elif not d and start is not None:
            if i - start <= RULE_MAX_WIDTH:
                walls.append((start, i))
            start = None
    if not walls:
        return [box]
    parts, at = [], 0
    for a, b in walls + [(x1 - x0, x1 - x0)]:
        if a - at > 2 and ink[:, at:a].any():
            parts.append((x0 + at, y0, x0 + a, y1))
        at = b
    return parts or [box]
