"""Box arithmetic, written once: boxes are ``(x0, top, x1, bottom)`` (:data:`.model.BBox`, in page
pixels), spans ``(start, end)`` on one axis, points ``(x, y)``.

Pure and dependency-free (plain tuples in, plain tuples and numbers out; ints stay ints), so
``ocr/`` uses it as well as the parsers and the pipeline.  Where two rules mean different things
by "overlap" they say so by the helper they call: :func:`overlaps` (edges interleave, optionally
within a margin), :func:`overlap_area` (the area both cover), :func:`overlap_ratio` (that area as
a part of the smaller box).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import BBox

Box = Sequence[float]  # (x0, top, x1, bottom)
Span = Sequence[float]  # (start, end)
Point = Sequence[float]  # (x, y)


def union(boxes: Iterable[Box]) -> BBox:
    """The box around all of ``boxes`` (at least one)."""
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def grow(box: Box, pad: float) -> BBox:
    """The box with ``pad`` added on every side."""
    return (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)


def clip(box: Box, width: float, height: float) -> BBox:
    """The part of the box on a page (an image) of ``width`` × ``height``."""
    return (max(0, box[0]), max(0, box[1]), min(width, box[2]), min(height, box[3]))


def area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def contains(box: Box, point: Point) -> bool:
    """Is ``point`` in ``box`` (its edges included)?"""
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def span_overlap(a: Span, b: Span) -> float:
    """How far two spans overlap (negative: the gap between them)."""
    return min(a[1], b[1]) - max(a[0], b[0])


def same_row(a: Box, b: Box, share: float = 0.5) -> bool:
    """Do two boxes stand on one row: their heights overlap by more than ``share`` of the lower?"""
    return span_overlap((a[1], a[3]), (b[1], b[3])) > share * min(a[3] - a[1], b[3] - b[1])


def overlaps(a: Box, b: Box, pad: float = 0.0) -> bool:
    """Do the boxes overlap, or come closer than ``pad`` to each other on both axes?  Boxes that
    only touch do not overlap (with no ``pad``)."""
    return not (a[2] + pad <= b[0] or b[2] + pad <= a[0] or a[3] + pad <= b[1] or b[3] + pad <= a[1])


def overlap_area(a: Box, b: Box) -> float:
    """The area both boxes cover (0 when they only touch or lie apart)."""
    w = span_overlap((a[0], a[2]), (b[0], b[2]))
    h = span_overlap((a[1], a[3]), (b[1], b[3]))
    return w * h if w > 0 and h > 0 else 0.0


def overlap_ratio(a: Box, b: Box) -> float:
    """The area both boxes cover as a part of the smaller box's area: 1 when one lies within the
    other (a box of no area counts as one of area 1)."""
    shared = overlap_area(a, b)
    if not shared:
        return 0.0
    return shared / (min(area(a), area(b)) or 1.0)


def x_gaps(boxes: Iterable[Box]) -> list[tuple[float, float]]:
    """The stretches of x, left to right, between the boxes' x-extents that no box covers (none
    before the first or after the last)."""
    gaps: list[tuple[float, float]] = []
    reach = None
    for x0, x1 in sorted((b[0], b[2]) for b in boxes):
        if reach is not None and x0 > reach:
            gaps.append((reach, x0))
        reach = x1 if reach is None else max(reach, x1)
    return gaps
