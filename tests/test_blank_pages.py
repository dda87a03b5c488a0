"""Blank pages (the backs of sheets) are recorded as blank without running any OCR engine."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from gongwen.ocr.loading import PageRef
from gongwen.parsers.document import build_document
from gongwen.parsers.model import Line, Page, PageKind
from gongwen.pipeline.export.outdir import OutDir
from gongwen.pipeline.run import worker


@pytest.fixture()
def no_engine(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("a blank page must not reach an OCR engine")

    monkeypatch.setattr(worker, "engine_for", refuse)


def _blank_pdf(path, pages=3):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for _ in range(pages):
        c.showPage()
    c.save()
    return path


def test_blank_pages_are_not_ocrd(tmp_path, no_engine):
    pdf = _blank_pdf(tmp_path / "blank.pdf")
    png = tmp_path / "white.png"
    Image.fromarray(np.full((1754, 1240, 3), 250, np.uint8)).save(png)
    refs = [PageRef(str(pdf), "pdf", 1), PageRef(str(png), "png", 0)]
    for n, ref in enumerate(refs, start=1):
        [page] = worker.process_page(worker.PageContext("x", n, ref, "rapidocr", OutDir(tmp_path / "out")))
        assert page.error is None and page.kind == PageKind.BLANK and not page.lines
        assert page.width > 1000 and page.image_path  # kept for the searchable PDF


def _text_page(number):
    line = Line(text="关于做好扶贫结对帮扶工作的通知", bbox=(100, 100, 900, 140), confidence=0.98)
    return Page(number=number, width=1240, height=1754, dpi=150.0, engine="rapidocr", lines=(line,))


def test_blank_pages_leave_the_item_ok():
    blank = Page(number=2, width=1240, height=1754, dpi=150.0, engine="rapidocr", kind=PageKind.BLANK)
    doc = build_document("x", "x.pdf", [_text_page(1), blank, _text_page(3)])
    assert doc.status == "ok" and not doc.errors
    assert [p.kind for p in doc.pages][1] == PageKind.BLANK


def test_an_item_of_blank_pages_fails_with_its_reason():
    pages = [Page(number=n, width=1240, height=1754, dpi=150.0, engine="rapidocr", kind=PageKind.BLANK) for n in (1, 2)]
    doc = build_document("x", "x.pdf", pages)
    assert doc.status == "failed" and "no text found on any of its 2 page(s)" in doc.error_message
