"""Visual rows of a page as the parsers see them: text, box, height, ink and confidence."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .geometry import union
from .layout import row_text, rows
from .model import BBox, Line, Page, weighted_confidence


@dataclass(frozen=True)
class Row:
    page: int
    text: str
    bbox: BBox
    confidence: float
    lines: tuple[Line, ...]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    @property
    def layers(self) -> set[str]:
        return {l.layer for l in self.lines}

    @property
    def x_center(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def compact(self) -> str:
        return "".join(self.text.split())


def make_row(page: int, lines: list[Line] | tuple[Line, ...]) -> Row:
    return Row(
        page=page,
        text=row_text(list(lines)),
        bbox=union(l.bbox for l in lines),
        confidence=weighted_confidence(lines),
        lines=tuple(lines),
    )


def page_rows(page: Page, layers: set[str] | None = None) -> list[Row]:
    """The page's rows in reading order (optionally only lines of some ink layers)."""
    lines = [l for l in page.lines if layers is None or l.layer in layers]
    return [make_row(page.number, r) for r in rows(lines)]


def body_height(rows_: list[Row]) -> float:
    """The usual row height on these rows: the body text size."""
    heights = [r.height for r in rows_ if len(r.compact) >= 8]
    if not heights:
        heights = [r.height for r in rows_] or [1.0]
    return statistics.median(heights)
