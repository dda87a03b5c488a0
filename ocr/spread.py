"""A photo of an open booklet: two printed pages side by side in one image, read as two pages.

:func:`find_spread` looks at a page that has been turned upright and read (its image and OCR
lines) and says where to cut it, or that it is one page; :func:`split_lines` deals the lines to
the two pages.  The evidence, cheapest first:

- the image is landscape, and each side of the cut is about a portrait page (a camera frames
  the spread with some background, so this is loose);
- the line boxes leave a gap near the middle that no line crosses (:data:`GUTTER_BAND`; a
  heading across both columns closes it), as wide as several lines are high (the two inner
  margins of a booklet; a newspaper's column gap is a character or two), and no other gap
  between them nearly as wide (a table's columns leave several alike);
- each side holds a text block of its own: several lines, a fair share of the characters, much
  of the page's height and of its side's width (a page with a narrow column beside a wide one,
  or a few lines set apart, is not two pages);
- in the pixels, some column of the gap is clear of ink from a little above the text to a
  little below it, and no ink runs across the gap: a table's rules, a frame or a figure would.
  Ink is what is darker than the paper around it (a black-hat), so the shadow of the fold and
  the lighting of a photo are not ink; the fold's sharp edge is one vertical line, which
  crosses no other column.

A spread one of whose pages holds only a few lines (the end of a chapter, a short table) stays
one page: that side does not look like a page of text.

Pure: arrays and lines in, numbers and lines out; it knows no file and no engine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from statistics import median

import cv2
import numpy as np

from ..parsers.geometry import union, x_gaps
from ..parsers.model import Line
from . import preprocess as pp

log = logging.getLogger(__name__)

# the upright image is at least this much wider than tall
SPREAD_MIN_ASPECT = 1.15
# each side of the cut, width over height: about a portrait page (a booklet's is 0.7, a photo
# adds background)
SIDE_ASPECT = (0.45, 1.05)
# where the middle of the gutter may lie, as shares of the width
GUTTER_BAND = (0.35, 0.65)
# the gap between the two text blocks, in median line heights (the real spread photo: 7.0; drawn
# spreads of the sample pages: 5.1 to 9.9; two newspaper columns three characters apart: 3.2)
MIN_GUTTER_LINE_HEIGHTS = 4.0
# no other gap between the lines is wider than this share of the gutter (a table's columns
# leave several gaps alike)
MAX_INNER_GAP = 0.5
# each side: at least this many lines and this share of the characters
MIN_SIDE_LINES = 5
MIN_SIDE_SHARE = 0.15
# each side's text block spans this share of the image's height and of its side's width
MIN_BLOCK_HEIGHT = 0.4
MIN_BLOCK_WIDTH = 0.5
# ink: darker than the paper around it (closing over this many line heights) by this much
INK_KERNEL_LINE_HEIGHTS = 0.5
INK_CONTRAST = 40
# the gutter is looked at from this many line heights above the text to as many below it (a
# table's top rule, a frame)
GUTTER_REACH_LINE_HEIGHTS = 2.0
# a clear column of the gutter is crossed by at most this many runs of ink (specks of dirt,
# a character's stroke OCR missed); a ruled table's rows cross it as many times as it has rules
MAX_GUTTER_CROSSINGS = 2


@dataclass(frozen=True)
class Gutter:
    """What the line boxes show: the gap between the left and the right text block."""

    x0: float  # the right edge of the left block
    x1: float  # the left edge of the right block
    top: float  # the text's top and bottom (both blocks)
    bottom: float
    line_height: float  # median line height

    @property
    def cut(self) -> int:
        """Where the image is cut: the middle of the gap."""
        return int(round((self.x0 + self.x1) / 2))


def _chars(lines: list[Line]) -> int:
    return sum(len("".join(l.text.split())) for l in lines)


def column_gaps(lines: tuple[Line, ...] | list[Line]) -> list[tuple[float, float]]:
    """The stretches of x, left to right, between the lines' x-extents that no line covers."""
    return x_gaps(l.bbox for l in lines)


def gutter_of_lines(lines: tuple[Line, ...] | list[Line], width: int, height: int) -> Gutter | None:
    """The gutter the line boxes show on an upright page of ``width`` × ``height``, or None
    (the line evidence of the module's docstring)."""
    if not lines or width < SPREAD_MIN_ASPECT * height:
        return None
    gaps = column_gaps(lines)
    lo, hi = GUTTER_BAND[0] * width, GUTTER_BAND[1] * width
    central = [g for g in gaps if lo <= (g[0] + g[1]) / 2 <= hi]
    line_height = median(l.bbox[3] - l.bbox[1] for l in lines)
    if not central or line_height <= 0:
        return None
    x0, x1 = max(central, key=lambda g: g[1] - g[0])
    gutter = Gutter(x0, x1, min(l.bbox[1] for l in lines), max(l.bbox[3] for l in lines), line_height)
    why = _not_two_pages(lines, gaps, gutter, width, height)
    if why is not None:
        log.debug("one page, not a spread: %s", why)
        return None
    return gutter


def _not_two_pages(lines, gaps, gutter: Gutter, width: int, height: int) -> str | None:
    """Why the lines on either side of the gap are not two pages, or None when they are."""
    wide = gutter.x1 - gutter.x0
    if wide < MIN_GUTTER_LINE_HEIGHTS * gutter.line_height:
        return f"a gap of {wide / gutter.line_height:.1f} line heights"
    if any(b - a > MAX_INNER_GAP * wide for a, b in gaps if (a, b) != (gutter.x0, gutter.x1)):
        return "another gap nearly as wide (the columns of a table)"
    sides = (
        ([l for l in lines if l.bbox[2] <= gutter.x0], gutter.cut),
        ([l for l in lines if l.bbox[0] >= gutter.x1], width - gutter.cut),
    )
    total = _chars(lines)
    for side, side_width in sides:
        if not SIDE_ASPECT[0] <= side_width / height <= SIDE_ASPECT[1]:
            return f"a side {side_width} px wide, not a portrait page's"
        if len(side) < MIN_SIDE_LINES or _chars(side) < MIN_SIDE_SHARE * total:
            return f"a side of {len(side)} lines, {_chars(side)} of {total} characters"
        x0, top, x1, bottom = union(l.bbox for l in side)
        if bottom - top < MIN_BLOCK_HEIGHT * height or x1 - x0 < MIN_BLOCK_WIDTH * side_width:
            return f"a side whose text is {x1 - x0:.0f}×{bottom - top:.0f} px"
    return None


@dataclass(frozen=True)
class GutterInk:
    """What the pixels show in the gap between the text blocks."""

    crossings: int  # runs of ink down its clearest column
    spanned: bool  # a rule (or anything else) runs across the whole gap


def gutter_ink(image: np.ndarray, gutter: Gutter) -> GutterInk:
    """The ink in the gutter from :data:`GUTTER_REACH_LINE_HEIGHTS` above the text to as far
    below it (a table's top and bottom rules, a frame), on a copy of the page whose long side
    is ``preprocess.ANALYSIS_SIDE`` (see the module's docstring)."""
    gray = pp.to_gray(image)
    f = min(1.0, pp.ANALYSIS_SIDE / max(gray.shape[:2]))
    small = pp.shrink(gray, f) if f < 1.0 else gray
    x0, x1 = int(np.ceil(gutter.x0 * f)) + 1, int(gutter.x1 * f) - 1
    reach = GUTTER_REACH_LINE_HEIGHTS * gutter.line_height
    top = max(0, int((gutter.top - reach) * f))
    bottom = min(small.shape[0], int(np.ceil((gutter.bottom + reach) * f)))
    if x1 - x0 < 2 or bottom <= top:
        return GutterInk(0, False)
    k = max(3, int(round(INK_KERNEL_LINE_HEIGHTS * gutter.line_height * f)) | 1)
    dark = cv2.morphologyEx(small, cv2.MORPH_BLACKHAT, np.ones((k, k), np.uint8))[top:bottom, x0:x1]
    ink = (dark >= INK_CONTRAST).astype(np.uint8)
    starts = (np.diff(ink.astype(np.int8), axis=0, prepend=0) == 1).sum(axis=0)
    # ink joined from one side of the gap to the other (a rule, a frame, a figure), however
    # little its rows step
    n, _, stats = pp.components(ink)
    spanned = any(stats[i, cv2.CC_STAT_LEFT] == 0 and stats[i, cv2.CC_STAT_WIDTH] == ink.shape[1] for i in range(1, n))
    return GutterInk(int(starts.min()), spanned)


def find_spread(image: np.ndarray, lines: tuple[Line, ...] | list[Line]) -> int | None:
    """The x at which an upright page that is a two-page spread is cut, or None for one page."""
    height, width = image.shape[:2]
    gutter = gutter_of_lines(lines, width, height)
    if gutter is None:
        return None
    ink = gutter_ink(image, gutter)
    log.debug(
        "gutter %.0f-%.0f of %d px (%.1f line heights): %d ink crossings, spanned %s",
        gutter.x0, gutter.x1, width, (gutter.x1 - gutter.x0) / gutter.line_height, ink.crossings, ink.spanned,
    )
    return gutter.cut if ink.crossings <= MAX_GUTTER_CROSSINGS and not ink.spanned else None


def split_lines(lines: tuple[Line, ...] | list[Line], cut: float) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """The lines of the left page and of the right one (moved into its pixels), dealt by their
    middles."""
    left = tuple(l for l in lines if (l.bbox[0] + l.bbox[2]) / 2 < cut)
    right = tuple(
        replace(l, bbox=(l.bbox[0] - cut, l.bbox[1], l.bbox[2] - cut, l.bbox[3]))
        for l in lines
        if (l.bbox[0] + l.bbox[2]) / 2 >= cut
    )
    return left, right
