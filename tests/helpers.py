"""Helpers for tests: synthetic page images drawn with real Chinese fonts, paths."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REALWORLD = SHARED / "realworld"


def missing_tool(reason: str) -> None:
    """Skip a test whose system tool is absent; under CI (GONGWEN_CI=1, set by .ci/run after
    `make test` installed every tool) fail instead, so a green CI means the test really ran."""
    if os.environ.get("GONGWEN_CI"):
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


def realworld(name: str) -> Path:
    """A real document from ../shared/realworld (beside the checkout, as in CI)."""
    path = REALWORLD / name
    if not path.exists():
        pytest.skip(f"{path} is not here: the real documents live in ../shared/realworld")
    return path
BODY_FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"

PARAGRAPH = (
    "近年来，按照省委、省政府的部署和要求，省级结对帮扶团组",
    "认真做好与欠发达县范围内低收入农户集中村的结对帮扶工作，",
    "有效推动了欠发达地区发展和低收入农户增收。为进一步深化",
    "扶贫开发工作，现就做好新一轮扶贫结对帮扶工作通知如下：",
)


def _text_page_layout(lines, font_px: int, red_header: str | None):
    """Where :func:`draw_text_page` puts each line: (xy, text, font, fill)."""
    if not Path(BODY_FONT).exists():
        missing_tool("Chinese fonts missing: make setup installs fonts-arphic-uming")
    font = ImageFont.truetype(BODY_FONT, font_px)
    y = 200
    if red_header:
        yield (150, y), red_header, ImageFont.truetype(BODY_FONT, font_px * 2), (210, 20, 20)
        y += font_px * 4
    for line in lines:
        yield (120, y), line, font, (15, 15, 15)
        y += int(font_px * 1.8)


def draw_text_page(
    lines=PARAGRAPH, size=(1240, 1754), font_px=40, red_header: str | None = None
) -> Image.Image:
    """A white page (A4 at 150 dpi by default) with lines of Chinese print."""
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    for xy, text, font, fill in _text_page_layout(lines, font_px, red_header):
        d.text(xy, text, font=font, fill=fill)
    return img


def text_page_lines(lines=PARAGRAPH, size=(1240, 1754), font_px=40, red_header: str | None = None):
    """The lines :func:`draw_text_page` draws with the same arguments, as a perfect OCR engine
    would read them (``parsers.model.Line``, boxes in the page's pixels): the fake engine's
    known text."""
    from gongwen.ocr.engines.fake import CONFIDENCE
    from gongwen.parsers.model import Line

    d = ImageDraw.Draw(Image.new("RGB", size, "white"))
    return [
        Line(text=text, bbox=tuple(float(v) for v in d.textbbox(xy, text, font=font)), confidence=CONFIDENCE)
        for xy, text, font, _ in _text_page_layout(lines, font_px, red_header)
    ]


def as_array(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("RGB"))


def have_tesseract() -> bool:
    return shutil.which("tesseract") is not None


def read_or_die(ctx):
    """A stand-in for ``process_page`` in a worker process: a page whose file is named
    ``poison`` kills its worker, as the kernel's out-of-memory killer would; any other page is
    read as one line of text (the one page its image holds)."""
    import signal

    from gongwen.parsers.model import Line, Page

    if Path(ctx.ref.path).name == "poison":
        os.kill(os.getpid(), signal.SIGKILL)
    line = Line(text=f"{ctx.item_id} page {ctx.number}", bbox=(0, 0, 10, 10), confidence=1.0)
    return (Page(number=ctx.number, width=10, height=10, dpi=300.0, engine=ctx.engine, lines=(line,)),)


def read_as_a_person_does(table) -> list[list[str]]:
    """A table's rows, a header cell's text in its first row and column only (as the truth
    files of report_tables and bench/tables_peers.py give a header)."""
    from gongwen.parsers.tables import n_columns, n_rows

    out = [["" for _ in range(n_columns(table))] for _ in range(n_rows(table))]
    for cell in table.cells:
        rows = range(cell.row, cell.row + (1 if cell.row < table.header_rows else cell.row_span))
        for r in rows:
            out[r][cell.col] = cell.text
    return out
