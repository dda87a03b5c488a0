"""Visual rows of a page as the parsers see them: text, box, height, ink and confidence."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .geometry import union
from .layout import row_text, rows
from .model import BBox, Doubt, Field, Line, Page, weighted_confidence


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


def field_of_rows(value, rows_: list[Row], method: str, raw: str | None = None, factor: float = 1.0,
                  inferred: bool = False) -> Field:
    """A value read from ``rows_``: their page and box, their lowest confidence (scaled by
    ``factor`` when a check failed), the rows' text as ``raw`` unless given."""
    return Field(
        value=value,
        raw=raw if raw is not None else " ".join(r.text for r in rows_),
        page=rows_[0].page if rows_ else None,
        bbox=union(r.bbox for r in rows_) if rows_ else None,
        confidence=round(min(r.confidence for r in rows_) * factor, 4) if rows_ else 0.0,
        method=method,
        inferred=inferred,
    )


def doubt_of_rows(name: str, reason: str, rows_: list[Row], text: str | None = None) -> Doubt:
    """A value seen on ``rows_`` but not trusted (see ``Doubt``); ``text`` defaults to theirs."""
    return Doubt(
        field=name, reason=reason, text=text if text is not None else "".join(r.compact for r in rows_),
        page=rows_[0].page if rows_ else None, bbox=union(r.bbox for r in rows_) if rows_ else None,
    )
