"""The OCR engine interface: an image in, text lines with boxes and confidences out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np

from ...parsers.model import Line


class OcrEngine(ABC):
    """One OCR engine.  Instances are made once per worker process and reused for every page.

    ``recognize`` takes an RGB (H×W×3) or gray (H×W) uint8 image and returns lines with
    axis-aligned boxes in that image's pixels, confidences 0-1, and no spaces between CJK
    characters.
    """

    name: ClassVar[str]

    def __init__(self, threads: int = 1):
        self.threads = max(1, int(threads))

    @abstractmethod
    def recognize(self, image: np.ndarray) -> list[Line]:
        raise NotImplementedError

    def recognize_upright(self, image: np.ndarray) -> tuple[list[Line], bool]:
        """Read a page that may be upside down: its lines, and whether it was.  When it was,
        the lines are those of the page turned by 180° (boxes in that turned page's pixels).
        An engine with a line-direction classifier tells from one reading; this default reads
        the page as it is and never says it was turned."""
        return self.recognize(image), False

    def page_turn(self, image: np.ndarray) -> tuple[int, float] | None:
        """(degrees clockwise that turn the page upright, confidence) as the page-orientation
        model sees it (:mod:`gongwen.ocr.orientation`), or None when this engine's pages are
        oriented by their reading alone."""
        from ..orientation import page_turn

        return page_turn(image)

    def recognize_parts(self, images: list[np.ndarray], page_shape: tuple[int, ...]) -> list[list[Line]]:
        """Read parts cut from a page of ``page_shape`` (regions of coloured ink): the lines of
        each.  An engine that scales pages before finding their text lines finds a part's
        lines at the page's scale (the same text size as on the page, not a crop blown up to
        full size), and may read the lines of all parts together.  This default reads each
        part as a page of its own."""
        return [self.recognize(image) for image in images]

    @classmethod
    def check_available(cls) -> None:
        """Raise EngineUnavailableError with a fix when the engine cannot run here."""
