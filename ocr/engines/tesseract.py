"""Tesseract (chi_sim + eng through pytesseract): the second engine."""

from __future__ import annotations

import os
import shutil
from collections import defaultdict

import numpy as np

from ...errors import EngineUnavailableError
from ...parsers.model import Line
from ...parsers.text import normalize_line
from .base import OcrEngine

LANGUAGES = "chi_sim+eng"
# psm 3: automatic page segmentation, the right mode for whole pages
CONFIG = "--psm 3 --oem 1 -c preserve_interword_spaces=0"


class TesseractEngine(OcrEngine):
    name = "tesseract"

    def __init__(self, threads: int = 1):
        super().__init__(threads)
        self.check_available()
        # tesseract parallelises with OpenMP; one thread per worker process
        os.environ.setdefault("OMP_THREAD_LIMIT", str(self.threads))

    @classmethod
    def check_available(cls) -> None:
        try:
            import pytesseract
        except ImportError as exc:
            raise EngineUnavailableError("the tesseract engine needs pytesseract (pip install pytesseract)") from exc
        if not shutil.which("tesseract"):
            raise EngineUnavailableError(
                "the tesseract engine needs the tesseract program: "
                "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
            )
        langs = set(pytesseract.get_languages(config=""))
        missing = [l for l in LANGUAGES.split("+") if l not in langs]
        if missing:
            raise EngineUnavailableError(
                f"tesseract lacks the language data {', '.join(missing)}: "
                "apt-get install tesseract-ocr-chi-sim"
            )

    def recognize(self, image: np.ndarray) -> list[Line]:
        import pytesseract

        data = pytesseract.image_to_data(
            image, lang=LANGUAGES, config=CONFIG, output_type=pytesseract.Output.DICT
        )
        groups: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for i, word in enumerate(data["text"]):
            if word and word.strip() and float(data["conf"][i]) >= 0:
                key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
                groups[key].append(i)
        lines = []
        for idx in groups.values():
            text = normalize_line(" ".join(data["text"][i] for i in idx))
            if not text:
                continue
            x0 = min(data["left"][i] for i in idx)
            top = min(data["top"][i] for i in idx)
            x1 = max(data["left"][i] + data["width"][i] for i in idx)
            bottom = max(data["top"][i] + data["height"][i] for i in idx)
            n = sum(len(data["text"][i]) for i in idx)
            conf = sum(float(data["conf"][i]) * len(data["text"][i]) for i in idx) / max(n, 1)
            lines.append(Line(text=text, bbox=(x0, top, x1, bottom), confidence=round(conf / 100.0, 4)))
        lines.sort(key=lambda l: (l.bbox[1], l.bbox[0]))
        return lines
