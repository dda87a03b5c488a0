"""OCR engines by name.  ``get_engine_class("rapidocr")``; an unknown name lists the known ones.

``fake`` (tests only: known text, no model, see :mod:`.fake`) is usable by name but not listed."""

from __future__ import annotations

from ...errors import UnknownEngineError
from .base import OcrEngine
from .fake import FakeEngine
from .rapid import RapidOcrEngine, RapidOcrV6Engine
from .tesseract import TesseractEngine

DEFAULT_ENGINE = "rapidocr"
# Born-digital PDF pages are read from their text layer; pages.csv names that "engine".
PDF_TEXT = "pdf-text"

ENGINES: dict[str, type[OcrEngine]] = {
    RapidOcrEngine.name: RapidOcrEngine,
    RapidOcrV6Engine.name: RapidOcrV6Engine,
    TesseractEngine.name: TesseractEngine,
    FakeEngine.name: FakeEngine,
}
# engines for tests, not for reading scans: not offered in --help or listed as known
UNLISTED = frozenset({FakeEngine.name})


def known_engines() -> list[str]:
    return sorted(name for name in ENGINES if name not in UNLISTED)


def get_engine_class(name: str) -> type[OcrEngine]:
    try:
        return ENGINES[name]
    except KeyError:
        raise UnknownEngineError(name, known_engines()) from None


def make_engine(name: str, threads: int = 1) -> OcrEngine:
    return get_engine_class(name)(threads=threads)


__all__ = ["DEFAULT_ENGINE", "ENGINES", "OcrEngine", "PDF_TEXT", "get_engine_class", "known_engines", "make_engine"]
