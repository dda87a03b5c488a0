"""Tables ruled across only (三线表) on a scan: the rules found in the pixels, the columns told
by the OCR lines' gaps, two header names OCR read as one line cut where their ink leaves a
blank.  The pages are gongwen.samples.report_tables's, rendered at 300 dpi; the OCR lines are
their text layer's words in pixels (no engine runs)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from gongwen.ocr import opentables
from gongwen.ocr.page import _blank_in, detect_tables
from gongwen.ocr.pdftext import text_layer
from gongwen.parsers.geometry import union
from gongwen.parsers.model import Line, Page
from gongwen.parsers.tables import page_tables

from helpers import BODY_FONT, missing_tool, read_as_a_person_does

DPI = 300


def _scanned(name: str, folder: Path) -> tuple[np.ndarray, list[Line], list[list[str]] | None]:
    """The case's page as a 300-dpi gray scan, its words as OCR lines in pixels, its truth."""
    from gongwen.samples.report_tables import write_case

    if not Path(BODY_FONT).exists():
        missing_tool("Chinese fonts missing: make setup installs fonts-arphic-uming")
    pdf_path, rows = write_case(name, folder)
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        image = np.asarray(pdf[0].render(scale=DPI / 72).to_pil().convert("L"))
        words, _, _ = text_layer(pdf[0])
    finally:
        pdf.close()
    k = DPI / 72
    lines = [replace(w, bbox=tuple(round(v * k, 1) for v in w.bbox), layer="black") for w in words]
    return image, lines, rows


def _run_together(lines: list[Line], first: str, second: str) -> list[Line]:
    """The lines with two neighbours read as one line, as OCR reads names set close."""
    a = next(l for l in lines if l.text == first)
    b = next(l for l in lines if l.text == second)
    merged = replace(a, text=a.text + b.text, bbox=union([a.bbox, b.bbox]))
    return [merged if l is a else l for l in lines if l is not b]


def _read(image: np.ndarray, lines: list[Line]) -> list:
    h, w = image.shape
    page = Page(number=1, width=w, height=h, dpi=float(DPI), engine="test", lines=tuple(lines),
                tables=detect_tables(image, lines))
    return page_tables(page)


@pytest.mark.parametrize("name", ["three_line", "three_line_grouped"])
def test_a_scanned_three_line_table_is_read_as_a_person_reads_it(tmp_path, name):
    image, lines, rows = _scanned(name, tmp_path)
    if name == "three_line":  # names set 4 pt apart: OCR reads them as one line
        lines = _run_together(lines, "生产总值（亿元）", "增长（%）")
    assert [read_as_a_person_does(t) for t in _read(image, lines)] == [rows]


def test_without_the_blank_between_two_names_no_table_is_made_of_them(tmp_path):
    """Where the run-together header line leaves no blank column in the body's gap (ink drawn
    across it), the names are not cut by guess: no table."""
    image, lines, _ = _scanned("three_line", tmp_path)
    lines = _run_together(lines, "生产总值（亿元）", "增长（%）")
    header = next(l for l in lines if l.text.startswith("生产总值"))
    inked = image.copy()
    x0, top, x1, bottom = (int(v) for v in header.bbox)
    inked[(top + bottom) // 2, x0:x1] = 0  # a stroke along the whole line
    assert _read(inked, lines) == []


@pytest.mark.parametrize("name", ["framed_paragraphs", "imprint_rules"])
def test_a_scanned_page_without_a_table_gives_none(tmp_path, name):
    image, lines, _ = _scanned(name, tmp_path)
    assert _read(image, lines) == []


def test_blank_in_finds_the_widest_blank_of_a_line_reaching_into_the_gap():
    gray = np.full((100, 400), 255, np.uint8)
    gray[20:60, 10:100] = 0   # a name
    gray[20:60, 150:300] = 0  # the next one, 50 px on (the line is 40 px high)
    gray[20:60, 320:330] = 0  # a mark 20 px on
    line = Line(text="名称一名称二", bbox=(10, 20, 330, 60), confidence=0.9)
    blank_in = _blank_in(gray)
    assert blank_in(line, 120, 200) == 135  # the blank 100–150 within the gap 120–200
    assert blank_in(line, 300, 340) is None  # 20 px is no blank between names (< 0.8 × 40)
    assert blank_in(line, 160, 290) is None  # ink all across


def test_column_gaps_are_the_blanks_down_the_whole_body():
    def word(x0, x1, y=0):
        return Line(text="字", bbox=(x0, y, x1, y + 10), confidence=1.0)

    body = [word(0, 30), word(60, 80), word(0, 40, 20), word(70, 95, 20)]
    assert opentables.column_gaps(body, 10) == [(40, 60)]
    assert opentables.column_gaps(body, 25) == []
