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

    @classmethod
    def check_available(cls) -> None:
        """Raise EngineUnavailableError with a fix when the engine cannot run here."""

    def describe(self) -> str:
        return self.name
