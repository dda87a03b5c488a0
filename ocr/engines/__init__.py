"""OCR engines by name.  ``get_engine_class("rapidocr-v6")``; an unknown name lists the known
ones.  ``rapidocr`` names the default engine (PP-OCRv6 small since gongwen 0.2; PP-OCRv4 before).

``fake`` (tests only: known text, no model, see :mod:`.fake`) is usable by name but not listed."""

from __future__ import annotations

from ...errors import UnknownEngineError
from .base import OcrEngine
from .fake import FakeEngine
from .rapid import RapidOcrEngine, RapidOcrV6Engine
from .tesseract import TesseractEngine

DEFAULT_ENGINE = "rapidocr-v6"
# other names of an engine: what a run records is the engine's own name
ALIASES = {"rapidocr": DEFAULT_ENGINE}
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


def engine_name(name: str) -> str:
    """The engine's own name for ``name`` (which may be an alias)."""
    return ALIASES.get(name, name)


def get_engine_class(name: str) -> type[OcrEngine]:
    try:
        return ENGINES[engine_name(name)]
    except KeyError:
        raise UnknownEngineError(name, known_engines()) from None


def make_engine(name: str, threads: int = 1) -> OcrEngine:
    return get_engine_class(name)(threads=threads)


__all__ = ["ALIASES", "DEFAULT_ENGINE", "ENGINES", "OcrEngine", "PDF_TEXT", "engine_name", "get_engine_class", "known_engines", "make_engine"]

