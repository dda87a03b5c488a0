"""A photo of an open booklet (two printed pages side by side) is read as two pages, each in its
own reading order; a landscape page of one document whose text stands in two columns (a table,
a newspaper's columns) stays one page.  The detector is tried on synthetic line boxes and ink
(no OCR engine); the pipeline on a drawn spread read by the fake engine.  The real spread photo
is checked in test_realworld.py."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from gongwen.ocr import spread
from gongwen.ocr.engines.fake import FakeEngine
from gongwen.ocr.page import read_pages
from gongwen.parsers.model import Line, Page
from gongwen.pipeline.export.outdir import PAGES_CSV, OutDir
from gongwen.pipeline.run.convert import Settings, convert, number_pages, reparse

from helpers import BODY_FONT, PARAGRAPH

# a spread as a phone photographs it: 2 × (1240 × 1754) side by side, 40 px characters
PAGE_W, PAGE_H, CHAR = 1240, 1754, 40
LEFT_TEXT = tuple(f"左页第{i}行：关于做好扶贫结对帮扶工作的通知" for i in range(1, 13))
RIGHT_TEXT = tuple(f"右页第{i}行：有效推动了欠发达地区的发展" for i in range(1, 13))


def _column(x0: float, x1: float, top: float = 200, rows: int = 12, pitch: float = 1.8 * CHAR, text: str = "字" * 20) -> list[Line]:
    return [Line(text, (x0, top + i * pitch, x1, top + i * pitch + CHAR), 0.99) for i in range(rows)]


def _spread_lines() -> list[Line]:
    """Two pages' text blocks: 120-920 on the left page, the same on the right (gap 440 px, 11
    line heights)."""
    return _column(120, 920) + _column(PAGE_W + 120, PAGE_W + 920)


def _paper(lines: list[Line], width: int = 2 * PAGE_W, height: int = PAGE_H) -> np.ndarray:
    """A white page with each line's box drawn as a row of ink strokes."""
    image = np.full((height, width), 245, np.uint8)
    for l in lines:
        x0, top, x1, bottom = (int(v) for v in l.bbox)
        for x in range(x0, x1, CHAR):  # one "character": a few strokes
            image[top + 5 : bottom - 5, x + 8 : x + 12] = 30
            image[top + 15 : top + 19, x + 4 : x + CHAR - 6] = 30
    return image


# -- the line evidence ---------------------------------------------------------------------------


def test_two_text_blocks_with_a_wide_gap_in_the_middle_are_a_spread():
    lines = _spread_lines()
    gutter = spread.gutter_of_lines(lines, 2 * PAGE_W, PAGE_H)
    assert gutter is not None and (gutter.x0, gutter.x1) == (920, PAGE_W + 120)
    assert spread.find_spread(_paper(lines), lines) == (920 + PAGE_W + 120) // 2


def test_a_portrait_page_is_one_page():
    lines = _column(100, 500) + _column(800, 1200)
    assert spread.gutter_of_lines(lines, PAGE_W, PAGE_H) is None


def test_newspaper_columns_a_character_or_two_apart_are_one_page():
    gap = 2 * CHAR
    lines = _column(120, PAGE_W - gap / 2) + _column(PAGE_W + gap / 2, 2 * PAGE_W - 120)
    assert spread.gutter_of_lines(lines, 2 * PAGE_W, PAGE_H) is None


def test_a_heading_across_both_columns_makes_one_page():
    lines = _spread_lines() + [Line("标题" * 10, (500, 100, 2000, 140), 0.99)]
    assert spread.gutter_of_lines(lines, 2 * PAGE_W, PAGE_H) is None


def test_the_columns_of_a_table_are_one_page():
    """Six columns of short cells as wide apart as a spread's gutter: other gaps as wide."""
    xs = np.linspace(150, 2 * PAGE_W - 150, 7)
    lines = [l for x in xs[:-1] for l in _column(x + 20, x + 140, text="数据")]
    assert spread.gutter_of_lines(lines, 2 * PAGE_W, PAGE_H) is None


def test_a_gap_off_the_middle_is_no_gutter():
    lines = _column(120, 600) + _column(1100, 2 * PAGE_W - 120)  # the gap's middle at 34 % of the width
    assert spread.gutter_of_lines(lines, 2 * PAGE_W, PAGE_H) is None


@pytest.mark.parametrize("right", [
    _column(PAGE_W + 120, PAGE_W + 920, rows=3),  # a few lines: a note beside a page
    _column(PAGE_W + 120, PAGE_W + 920, rows=6, pitch=CHAR * 1.2),  # a small block at the top
    _column(PAGE_W + 120, PAGE_W + 400, text="字" * 7),  # a narrow column
])
def test_a_side_that_does_not_look_like_a_page_makes_one_page(right):
    lines = _column(120, 920) + right
    assert spread.gutter_of_lines(lines, 2 * PAGE_W, PAGE_H) is None


# -- the ink evidence ------------------------------------------------------------------------------


def test_rules_across_the_gutter_make_one_page():
    """A ruled table (or a frame) whose cells' text leaves a gutter-like gap: the rules cross it."""
    lines = _spread_lines()
    image = _paper(lines)
    for l in lines[:12]:
        y = int(l.bbox[1]) - 12
        image[y : y + 3, 100 : 2 * PAGE_W - 100] = 20
    assert spread.gutter_of_lines(lines, 2 * PAGE_W, PAGE_H) is not None
    ink = spread.gutter_ink(image, spread.gutter_of_lines(lines, 2 * PAGE_W, PAGE_H))
    assert ink.spanned and ink.crossings >= 12
    assert spread.find_spread(image, lines) is None


def test_a_frame_just_above_and_below_the_text_makes_one_page():
    lines = _spread_lines()
    image = _paper(lines)
    cv2.rectangle(image, (60, 200 - 60), (2 * PAGE_W - 60, int(lines[11].bbox[3]) + 60), 20, 4)
    assert spread.find_spread(image, lines) is None


def test_a_drawing_across_the_gutter_makes_one_page():
    """Ink OCR read nothing of (a hatched figure) lying all across the gap: every column of it
    is crossed again and again, though no one stroke spans it."""
    lines = _spread_lines()
    image = _paper(lines)
    figure = np.full((600, PAGE_W), 245, np.uint8)
    for x in range(-120, PAGE_W, 20):
        cv2.line(figure, (x, 600), (x + 120, 0), 30, 3)
    image[400:1000, PAGE_W // 2 : PAGE_W // 2 + PAGE_W] = np.minimum(image[400:1000, PAGE_W // 2 : PAGE_W // 2 + PAGE_W], figure)
    ink = spread.gutter_ink(image, spread.gutter_of_lines(lines, 2 * PAGE_W, PAGE_H))
    assert ink.crossings > spread.MAX_GUTTER_CROSSINGS and not ink.spanned
    assert spread.find_spread(image, lines) is None


def test_the_fold_its_shadow_and_the_lighting_of_a_photo_are_not_ink():
    lines = _spread_lines()
    image = _paper(lines).astype(np.float32)
    image *= np.linspace(0.65, 1.0, image.shape[1])[None, :]  # light from the right
    fold = (920 + PAGE_W + 120) // 2
    xs = np.arange(image.shape[1])
    image *= (1 - 0.35 * np.exp(-(((xs - fold) / 60.0) ** 2)))[None, :]  # the shadow in the fold
    image = image.astype(np.uint8)
    image[:, fold + 30 : fold + 33] = 25  # the edge of the right page over the left
    ink = spread.gutter_ink(image, spread.gutter_of_lines(lines, 2 * PAGE_W, PAGE_H))
    assert ink == spread.GutterInk(crossings=0, spanned=False)
    assert spread.find_spread(image, lines) == fold


# -- cutting ---------------------------------------------------------------------------------------


def test_the_lines_are_dealt_by_their_middles_into_each_pages_pixels():
    a = Line("左", (100, 10, 300, 50), 0.9)
    b = Line("右", (700, 10, 900, 50), 0.8, layer="red")
    left, right = spread.split_lines([b, a], 500)
    assert left == (a,)
    assert right == (Line("右", (200, 10, 400, 50), 0.8, layer="red"),)


def _draw_spread(fake_ocr) -> Image.Image:
    """A spread drawn in print and its lines known to the fake engine."""
    img = Image.new("RGB", (2 * PAGE_W, PAGE_H), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(BODY_FONT, CHAR)
    lines = []
    for x, text in ((120, LEFT_TEXT), (PAGE_W + 120, RIGHT_TEXT)):
        for i, t in enumerate(text):
            xy = (x, 200 + int(i * 1.8 * CHAR))
            d.text(xy, t, font=font, fill=(15, 15, 15))
            lines.append(Line(t, tuple(float(v) for v in d.textbbox(xy, t, font=font)), 0.99))
    # read in rows across the spread, as an engine reads a page: the two texts interleaved
    fake_ocr.register(img, sorted(lines, key=lambda l: (l.bbox[1], l.bbox[0])))
    return img


def test_read_pages_cuts_one_reading_of_a_spread_into_two_pages(fake_ocr):
    image = np.asarray(_draw_spread(fake_ocr))
    left, right = read_pages(FakeEngine(), image)
    assert [l.text for l in left.lines] == list(LEFT_TEXT)
    assert [l.text for l in right.lines] == list(RIGHT_TEXT)
    assert left.image.shape[1] + right.image.shape[1] == image.shape[1]
    assert all(l.bbox[2] <= left.image.shape[1] for l in left.lines)
    assert all(0 <= l.bbox[0] and l.bbox[2] <= right.image.shape[1] for l in right.lines)


def test_a_page_after_a_spread_moves_on_and_its_image_follows(tmp_path):
    """number_pages: a spread's two pages carry their image's number until the item's pages are
    numbered; each kept image then moves to its page's number."""
    out = OutDir(tmp_path)
    item = "x"
    files = {
        "left": out.page_image(item, 1), "right": out.page_image(item, 1, part=2),
        "next": out.page_image(item, 2, bilevel=True),
    }
    for name, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    out.page_image(item, 3).write_text("stale, of an earlier run")

    def page(n, name):
        return Page(number=n, width=1, height=1, dpi=300.0, engine="fake", image_path=str(files[name]))

    pages = number_pages(item, [page(2, "next"), page(1, "left"), page(1, "right")], out)
    assert [p.number for p in pages] == [1, 2, 3]
    assert [open(p.image_path).read() for p in pages] == ["left", "right", "next"]
    assert [p.image_path for p in pages] == [str(out.page_image(item, 1)), str(out.page_image(item, 2)), str(out.page_image(item, 3, bilevel=True))]
    assert out.kept_page_image(item, 3) == out.page_image(item, 3, bilevel=True)  # the stale JPEG went
    assert sorted(p.name for p in out.page_images(item).iterdir()) == ["0001.jpg", "0002.jpg", "0003.tif"]


def test_a_spread_in_an_item_is_two_pages_through_convert_resume_and_reparse(fake_ocr, tmp_path):
    folder = tmp_path / "in" / "booklet"
    folder.mkdir(parents=True)
    _draw_spread(fake_ocr).save(folder / "1.png")
    fake_ocr.page().save(folder / "2.png")
    out = tmp_path / "out"

    def pages_csv():
        text = OutDir(out).file(PAGES_CSV).read_text(encoding="utf-8-sig").splitlines()
        return [row.split(",")[:3] for row in text[1:]]

    summary = convert([folder], out, Settings(engine="fake", jobs=1))
    assert summary.failures == []
    assert [r[:2] for r in pages_csv()] == [["booklet", "1"], ["booklet", "2"], ["booklet", "3"]]
    doc = json.loads(OutDir(out).document_json("booklet").read_text(encoding="utf-8"))
    assert [p["lines"][0]["text"] for p in doc["pages"]] == [LEFT_TEXT[0], RIGHT_TEXT[0], PARAGRAPH[0]]
    assert [p["width"] for p in doc["pages"]][2] == 1240
    text = OutDir(out).text_txt("booklet").read_text(encoding="utf-8")
    assert text.index(LEFT_TEXT[-1]) < text.index(RIGHT_TEXT[0])  # the left page whole, then the right
    images = sorted(p.name for p in OutDir(out).page_images("booklet").iterdir())
    assert images == ["0001.jpg", "0002.jpg", "0003.jpg"]
    assert Image.open(OutDir(out).page_image("booklet", 2)).size == (doc["pages"][1]["width"], PAGE_H)

    again = convert([folder], out, Settings(engine="fake", jobs=1))  # kept: nothing read again
    assert [o.resumed for o in again.outcomes] == [True]
    before = pages_csv()
    reparse(out)
    assert pages_csv() == before
    assert [p["number"] for p in json.loads(OutDir(out).document_json("booklet").read_text(encoding="utf-8"))["pages"]] == [1, 2, 3]
