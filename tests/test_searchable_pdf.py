"""searchable.pdf: pdftotext gives text.txt back (CER ≤ 0.5 %), no space between two Chinese
characters that text.txt does not have, every OCR line findable as it is, and a size within
1.5 × the input images (a bilevel scan stays bilevel: CCITT G4)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gongwen.parsers.metrics import cer
from gongwen.parsers.model import Document, Page
from gongwen.pipeline.export.items import document_text
from gongwen.pipeline.export.outdir import OutDir
from gongwen.pipeline.export.searchable_pdf import write_searchable_pdf
from gongwen.pipeline.run.worker import save_page_image
from helpers import PARAGRAPH, missing_tool
from publish_helpers import page_image

MAX_CER = 0.005
MAX_SIZE_RATIO = 1.5
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
FULL_PAGE = [PARAGRAPH[i % len(PARAGRAPH)] for i in range(20)]



@pytest.fixture(autouse=True)
def _pdftotext():
    if shutil.which("pdftotext") is None:
        missing_tool("pdftotext (poppler-utils) missing: make setup installs it")


def pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def spaces(text: str) -> tuple[dict[int, str], str]:
    """The whitespace before each non-space character (by its index), and the text without it."""
    gaps, chars, pending = {}, [], ""
    for ch in text:
        if ch.isspace():
            pending += ch
        else:
            if pending and chars:
                gaps[len(chars)] = pending
            pending = ""
            chars.append(ch)
    return gaps, "".join(chars)


def check_text_layer(pdf: Path, text: str, lines: list[str]) -> float:
    """Assert the three properties of the text layer; return the CER."""
    # the text layer is written in reading order: -raw (content order) reads it back
    raw = pdftotext(pdf, "-raw")
    pdf_gaps, pdf_chars = spaces(raw)
    txt_gaps, txt_chars = spaces(text)
    error = cer(txt_chars, pdf_chars)
    assert error <= MAX_CER, f"CER {error:.4f} > {MAX_CER}"
    if pdf_chars == txt_chars:
        inserted = [
            pdf_chars[max(0, k - 3) : k] + "␣" + pdf_chars[k : k + 3]
            for k, ws in pdf_gaps.items()
            if CJK.match(pdf_chars[k - 1]) and CJK.match(pdf_chars[k]) and k not in txt_gaps
        ]
        assert not inserted, f"spaces between Chinese characters: {inserted[:5]}"
    # the default (layout-guessing) mode of pdftotext, as a viewer's search sees it: every line
    # is there as it is, without a space inside
    default = pdftotext(pdf)
    missing = [l for l in lines if l not in default]
    assert not missing, f"lines not found as they are: {missing[:5]}"
    return error


def one_page_document(tmp_path: Path, mode: str, lines=FULL_PAGE) -> tuple[Document, Path]:
    source, boxes = page_image(lines, tmp_path / ("in.tif" if mode == "1" else "in.jpg"), mode=mode)
    image = np.asarray(Image.open(source).convert("RGB"))
    kept = save_page_image(image, OutDir(tmp_path).page_image("synthetic", 1, bilevel=mode == "1"), bilevel=mode == "1")
    h, w = image.shape[:2]
    page = Page(number=1, width=w, height=h, dpi=150.0, engine="test", lines=boxes, image_path=kept)
    return Document(item_id="synthetic", source=str(source), pages=(page,)), source


@pytest.mark.parametrize("mode", ["RGB", "L", "1"])
def test_synthetic_page_text_layer_and_size(tmp_path, mode):
    doc, source = one_page_document(tmp_path, mode)
    pdf = tmp_path / "searchable.pdf"
    write_searchable_pdf(doc, pdf)
    check_text_layer(pdf, document_text(doc), FULL_PAGE)
    ratio = pdf.stat().st_size / source.stat().st_size
    assert ratio <= MAX_SIZE_RATIO, f"{pdf.stat().st_size} bytes = {ratio:.2f} × the input image"


def test_bilevel_scan_stays_bilevel_and_renders_the_same(tmp_path):
    doc, source = one_page_document(tmp_path, "1")
    assert doc.pages[0].image_path.endswith(".tif")
    pdf = tmp_path / "searchable.pdf"
    write_searchable_pdf(doc, pdf)
    assert b"/CCITTFaxDecode" in pdf.read_bytes() and b"/DCTDecode" not in pdf.read_bytes()
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), str(tmp_path / "r")], check=True)
    rendered = np.asarray(Image.open(tmp_path / "r-1.png").convert("L")) < 128
    original = np.asarray(Image.open(source).convert("L")) < 128
    assert rendered.shape == original.shape

    def near(mask):  # within one pixel (the renderer may sample half a pixel off)
        return np.max([np.roll(np.roll(mask, dy, 0), dx, 1) for dy in (-1, 0, 1) for dx in (-1, 0, 1)], axis=0)

    assert original.sum() > 10_000
    assert (rendered & ~near(original)).sum() < 0.01 * original.sum(), "white stays white"
    assert (original & ~near(rendered)).sum() < 0.01 * original.sum(), "black stays black"


def test_pieces_of_one_line_and_rare_characters(tmp_path):
    """A line OCR read in two pieces is one word in the PDF; a character outside GBK (䶮, in a
    name) is kept too."""
    lines = ["四川省人民政府办公厅关于印发通知", "刘䶮同志任办公室主任"]
    doc, _ = one_page_document(tmp_path, "L", lines)
    first, second = doc.pages[0].lines
    x0, top, x1, bottom = first.bbox
    cut = x0 + (x1 - x0) * 5 / len(first.text)
    pieces = (
        first.__class__(text=first.text[:5], bbox=(x0, top, cut - 4, bottom), confidence=0.9),
        first.__class__(text=first.text[5:], bbox=(cut + 4, top, x1, bottom), confidence=0.9),
        second,
    )
    doc = Document(item_id="p", source=doc.source, pages=(Page(**{**doc.pages[0].__dict__, "lines": pieces}),))
    pdf = tmp_path / "searchable.pdf"
    write_searchable_pdf(doc, pdf)
    assert "四川省人民政府办公厅" in document_text(doc)
    check_text_layer(pdf, document_text(doc), lines)


@pytest.mark.ocr
def test_example_bundle_searchable_pdf(example_out):
    folder = example_out / "items" / "example-bundle"
    text = (folder / "text.txt").read_text(encoding="utf-8")
    import json

    data = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    lines = [l["text"] for p in data["pages"] for l in p["lines"]]
    check_text_layer(folder / "searchable.pdf", text, lines)
    source = Path(data["source"])
    assert (folder / "searchable.pdf").stat().st_size <= MAX_SIZE_RATIO * source.stat().st_size
