"""The fake engine (``--engine fake``): deterministic lines from a page's known text, no model.

For the tests that need page text but not OCR quality (resume, watch, CLI exit codes, the Dask
executor): they run the whole pipeline in milliseconds a page instead of seconds.  OCRmyPDF
tests its pipeline the same way, with stand-in OCR engines among its test plugins.

Where it knows the text: a registry file, JSON, named by the environment variable
``GONGWEN_FAKE_OCR`` (worker processes, spawned or Dask's, inherit the environment; nothing
but the picklable settings crosses to them).  It maps the key of a page image
(:func:`page_key`: sha256 of its size and gray pixels) to that page's lines, in reading order,
with boxes in the pixels of that image::

    {"<sha256>": [{"text": "…", "bbox": [x0, top, x1, bottom], "confidence": 0.99}, …], …}

The engine gets only pixels, and not the scan's: the OCR stage (``ocr.page.ocr_page``) first
turns the page, deskews it by a fraction of a degree (even a page drawn level) and splits
its inks.  So :func:`register` files a page twice: as given (an engine called on it directly),
and as the stage hands it to the engine (:func:`engine_view`: the stage's own preprocessing
calls, the boxes carried through the same turn and deskew).  A test draws a page, registers
its lines and saves it losslessly (PNG, LZW or G4 TIFF); ``tests/conftest.py``'s ``fake_ocr``
fixture does all three.

``GONGWEN_FAKE_OCR_SECONDS`` (a number, default 0) makes each engine call take that long, as a
real engine's does: the tests of stopping a run (SIGTERM, Ctrl-C, a kill at a random moment)
need pages in hand when the signal comes, not a batch done in a blink.

An image it does not know reads as no lines (the pipeline then reports "no text found on
this page").  The lines are black print: colour regions (``recognize_parts``) read nothing,
and a page is never said to be upside down.  Not for users: the engine is usable by name but
not listed among the known engines.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np

from ...errors import EngineUnavailableError
from ...parsers.model import Line
from ...parsers.text import normalize_line
from .base import OcrEngine

ENV = "GONGWEN_FAKE_OCR"
SECONDS_ENV = "GONGWEN_FAKE_OCR_SECONDS"
CONFIDENCE = 0.99  # of a registered line that gives none


def page_key(image: np.ndarray) -> str:
    """The registry's key of a page image (RGB or gray, uint8): sha256 of its size and of its
    pixels in gray (the engine is handed the gray black-ink layer of a page)."""
    from .. import preprocess as pp

    gray = np.ascontiguousarray(pp.to_gray(np.asarray(image, dtype=np.uint8)))
    digest = hashlib.sha256(f"{gray.shape[0]}x{gray.shape[1]}:".encode())
    digest.update(gray.tobytes())
    return digest.hexdigest()


def _turned_box(box, degrees_cw: int, w: int, h: int) -> tuple[float, float, float, float]:
    """A box of a w×h image in the pixels of the image turned by ``degrees_cw`` (as
    ``preprocess.turn``)."""
    x0, y0, x1, y1 = box
    d = degrees_cw % 360
    if d == 90:
        return (h - y1, x0, h - y0, x1)
    if d == 180:
        return (w - x1, h - y1, w - x0, h - y0)
    if d == 270:
        return (y0, w - x1, y1, w - x0)
    return (x0, y0, x1, y1)


def _rotated_box(box, angle: float, w: int, h: int) -> tuple[float, float, float, float]:
    """The box around a box's corners rotated as ``preprocess.rotate`` rotates the page."""
    import cv2

    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    x0, y0, x1, y1 = box
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=np.float64) @ m.T
    xs = np.clip(corners[:, 0], 0, w)
    ys = np.clip(corners[:, 1], 0, h)
    return (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))


def engine_view(image: np.ndarray, lines: list[Line]) -> tuple[np.ndarray, list[Line]]:
    """The image the OCR stage hands the engine for a page (``ocr.page.ocr_page`` up to its first
    engine call: gray when it has no colour, turned so its lines run across, deskewed, its
    black ink layer) and the lines with their boxes carried to that image's pixels."""
    from dataclasses import replace

    from .. import preprocess as pp

    if pp.is_gray(image):
        image = pp.to_gray(image)
    h, w = image.shape[:2]
    rotation, skew = pp.level(image)
    turned = pp.turn(image, rotation)
    upright = pp.rotate(turned, skew)
    th, tw = turned.shape[:2]
    moved = []
    for line in lines:
        box = _turned_box(line.bbox, rotation, w, h)
        if upright is not turned:  # rotate leaves a page within its smallest angle as it is
            box = _rotated_box(box, skew, tw, th)
        moved.append(replace(line, bbox=tuple(round(v, 2) for v in box)))
    return pp.separate_inks(upright).black, moved


def registry_path() -> Path:
    path = os.environ.get(ENV)
    if not path:
        raise EngineUnavailableError(
            f"the fake engine (for tests) reads each page's known text from the file named by {ENV}, "
            "which is not set"
        )
    return Path(path)


def _seconds() -> float:
    value = os.environ.get(SECONDS_ENV, "").strip() or "0"
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < 3600:
        raise EngineUnavailableError(f"{SECONDS_ENV} must be a number of seconds from 0 to 3600, not {value!r}")
    return seconds


def _entry(line: Line) -> dict:
    return {"text": line.text, "bbox": [float(v) for v in line.bbox], "confidence": line.confidence}


def register(image: np.ndarray, lines: list[Line], path: str | Path | None = None) -> None:
    """File a page image's lines (boxes in its pixels) in the registry (``path``, by default the
    file ``GONGWEN_FAKE_OCR`` names), under the page as given and as the engine will see it
    (:func:`engine_view`).  The file is replaced whole, so a worker never reads half of it."""
    path = Path(path) if path is not None else registry_path()
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    image = np.asarray(image, dtype=np.uint8)
    view, moved = engine_view(image, list(lines))
    known[page_key(image)] = [_entry(l) for l in lines]
    known[page_key(view)] = [_entry(l) for l in moved]
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(known, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


class FakeEngine(OcrEngine):
    name = "fake"

    def __init__(self, threads: int = 1):
        super().__init__(threads)
        self.check_available()
        self._loaded: tuple[tuple, dict] = ((), {})
        self.seconds = _seconds()

    @classmethod
    def check_available(cls) -> None:
        path = registry_path()
        if not path.is_file():
            raise EngineUnavailableError(f"the fake engine's registry {path} ({ENV}) is not a file")

    def _known(self) -> dict:
        """The registry, read again whenever the file was replaced (a test registers pages
        while a watch or a pool keeps its workers)."""
        path = registry_path()
        st = path.stat()
        stamp = (str(path), st.st_ino, st.st_mtime_ns, st.st_size)
        if self._loaded[0] != stamp:
            self._loaded = (stamp, json.loads(path.read_text(encoding="utf-8")))
        return self._loaded[1]

    def page_turn(self, image: np.ndarray) -> None:
        return None  # no model: the page is oriented by its reading, as it knows its text

    def recognize(self, image: np.ndarray) -> list[Line]:
        if self.seconds:
            time.sleep(self.seconds)
        out = []
        for entry in self._known().get(page_key(image), ()):
            text = normalize_line(entry["text"])
            if text:
                bbox = tuple(float(v) for v in entry["bbox"])
                out.append(Line(text=text, bbox=bbox, confidence=float(entry.get("confidence", CONFIDENCE))))
        return out
