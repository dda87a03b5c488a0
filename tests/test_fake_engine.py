"""The fake OCR engine: a registered page's known lines, deterministically, in the pixels of the
image it is handed; nothing for a page it does not know."""

from __future__ import annotations

import numpy as np
import pytest

from gongwen.errors import EngineUnavailableError
from gongwen.ocr import preprocess as pp
from gongwen.ocr.engines import get_engine_class, known_engines, make_engine
from gongwen.ocr.engines.fake import ENV, FakeEngine
from gongwen.ocr.page import read_image

from helpers import PARAGRAPH, as_array, draw_text_page, text_page_lines

SHORT = ["第1号文件：各级新闻媒体要开展多种形式的宣传活动。"]


def _ink_in_boxes(image: np.ndarray, lines) -> float:
    """The share of the image's ink that lies in the lines' boxes (a pixel of slack)."""
    ys, xs = np.nonzero(pp.to_gray(image) < 128)
    inside = np.zeros(len(xs), bool)
    for line in lines:
        x0, y0, x1, y1 = line.bbox
        inside |= (xs >= x0 - 1) & (xs <= x1 + 1) & (ys >= y0 - 1) & (ys <= y1 + 1)
    return float(inside.mean())


def _each_box_holds_ink(image: np.ndarray, lines) -> bool:
    ink = pp.to_gray(image) < 128
    return all(ink[int(l.bbox[1]) : int(l.bbox[3]) + 1, int(l.bbox[0]) : int(l.bbox[2]) + 1].any() for l in lines)


def test_a_registered_page_reads_as_its_lines_every_time(fake_ocr):
    page = as_array(fake_ocr.page())
    engine = make_engine("fake")
    first = engine.recognize(page)
    assert [l.text for l in first] == [l.text for l in text_page_lines()]
    assert [l.bbox for l in first] == [l.bbox for l in text_page_lines()]  # in this image's pixels
    assert engine.recognize(page) == first == make_engine("fake").recognize(page.copy())
    assert engine.recognize_upright(page) == (first, False)
    assert _ink_in_boxes(page, first) == 1.0 and _each_box_holds_ink(page, first)


def test_a_page_it_does_not_know_reads_as_no_lines(fake_ocr):
    fake_ocr.page(lines=SHORT)
    engine = FakeEngine()
    other = as_array(draw_text_page(lines=["第2号文件：各级新闻媒体要开展多种形式的宣传活动。"]))
    assert engine.recognize(other) == []
    assert engine.recognize(pp.turn(as_array(draw_text_page(lines=SHORT)), 90)) == []
    assert engine.recognize_parts([other[:300], other[300:]], other.shape) == [[], []]


def test_through_the_ocr_stage_the_lines_are_in_the_upright_pages_pixels(fake_ocr):
    """The OCR stage deskews even a page drawn level (by a fraction of a degree): the lines come
    back in the pixels of the page it keeps, which is what the registry's second key is for."""
    for lines in (SHORT, list(PARAGRAPH)):
        page = as_array(fake_ocr.page(lines=lines))
        read = read_image(FakeEngine(), page)
        assert [l.text for l in read.lines] == lines
        assert _ink_in_boxes(read.image, read.lines) == 1.0 and _each_box_holds_ink(read.image, read.lines)
        assert read_image(FakeEngine(), page).lines == read.lines  # deterministic


def test_a_page_is_known_again_after_the_registry_changes(fake_ocr):
    engine = FakeEngine()
    first = as_array(fake_ocr.page(lines=SHORT))
    assert engine.recognize(first)
    later = as_array(fake_ocr.page(lines=["第二件：现将有关事项通知如下。"]))
    assert [l.text for l in engine.recognize(later)] == ["第二件：现将有关事项通知如下。"]


def test_the_fake_engine_is_known_by_name_but_not_listed(monkeypatch, tmp_path):
    assert get_engine_class("fake") is FakeEngine
    assert "fake" not in known_engines() and "rapidocr-v6" in known_engines()
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(EngineUnavailableError, match=ENV):
        FakeEngine.check_available()
    monkeypatch.setenv(ENV, str(tmp_path / "missing.json"))
    with pytest.raises(EngineUnavailableError, match="not a file"):
        FakeEngine()


def test_each_call_takes_the_seconds_asked_for(fake_ocr, monkeypatch):
    import time

    from gongwen.ocr.engines.fake import SECONDS_ENV

    page = as_array(fake_ocr.page(lines=SHORT))
    monkeypatch.setenv(SECONDS_ENV, "0.3")
    engine = FakeEngine()
    t0 = time.monotonic()
    assert [l.text for l in engine.recognize(page)] == SHORT
    assert time.monotonic() - t0 >= 0.3
    for bad in ("soon", "-1", "nan", "1e9"):
        monkeypatch.setenv(SECONDS_ENV, bad)
        with pytest.raises(EngineUnavailableError, match=SECONDS_ENV):
            FakeEngine()
