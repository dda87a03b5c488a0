"""Phone photos (``ocr.photo``): the working resolution, and the page's quadrilateral undone.

The geometry is checked on pages drawn here and photographed with a known perspective onto a
darker, textured table: the corners found against the corners put there, the flattened page
against the page itself.  The real photos of ../shared/realworld fill their frames (nothing to
undo) and must still read their phrases once capped.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from gongwen.ocr import photo
from gongwen.ocr import preprocess as pp
from gongwen.ocr.loading import PageRef, load_page

from helpers import PARAGRAPH, as_array, draw_text_page, realworld

LINES = [PARAGRAPH[i % 4] for i in range(16)]  # a page of text: enough lines to level by


def _page() -> np.ndarray:
    return as_array(draw_text_page(lines=LINES))  # A4 at 150 dpi: 1240×1754


def _table(size: tuple[int, int], seed: int = 0) -> np.ndarray:
    """A brown wooden table (w, h): slow shading, streaks along x, fine grain."""
    w, h = size
    rng = np.random.default_rng(seed)
    shade = cv2.resize(rng.uniform(0.7, 1.2, (6, 5)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    streaks = cv2.resize(rng.standard_normal((h // 6, 8)).astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    grain = cv2.GaussianBlur(rng.standard_normal((h, w)).astype(np.float32), (0, 0), 1.0)
    level = shade + 0.08 * streaks + 0.05 * grain
    return np.asarray((96, 70, 50), np.float32) * level[..., None]


def _photograph(page: np.ndarray, corners, size=(1500, 2000), seed: int = 0) -> np.ndarray:
    """The page put with its corners (top-left, top-right, bottom-right, bottom-left of the
    page) at ``corners`` of a frame of ``size`` on a table, lit unevenly, JPEG-ish noise."""
    h, w = page.shape[:2]
    src = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
    m = cv2.getPerspectiveTransform(src, np.float32(corners))
    sheet = cv2.warpPerspective(page.astype(np.float32), m, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), m, size)[..., None]
    out = sheet * mask + _table(size, seed) * (1 - mask)
    xx = np.linspace(-1, 1, size[0], dtype=np.float32)[None, :]
    yy = np.linspace(-1, 1, size[1], dtype=np.float32)[:, None]
    out *= (1.0 - 0.15 * (xx**2 + yy**2) + 0.08 * xx)[..., None]  # vignetting, light from one side
    out += np.random.default_rng(seed + 1).normal(0, 3, out.shape[:2]).astype(np.float32)[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


POSES = {
    "tilted": [[180, 160], [1330, 215], [1370, 1840], [115, 1790]],
    "leaning back": [[320, 230], [1180, 230], [1360, 1850], [140, 1850]],  # the top edge shorter
    "turned 8°": [[330, 150], [1390, 300], [1180, 1850], [100, 1700]],
    "small in the frame": [[450, 500], [1050, 520], [1060, 1350], [430, 1340]],
}


def _err(found: np.ndarray, truth, size) -> float:
    """The worst corner's distance from the truth, as a share of the frame's diagonal."""
    return float(np.abs(found - np.float32(truth)).max() / np.hypot(*size))


def _likeness(flat: np.ndarray, page: np.ndarray) -> float:
    """Correlation of the flattened page with the page drawn, scaled to its size: the text
    lands where it was."""
    def marks(gray: np.ndarray) -> np.ndarray:  # the print, the light taken out, a little blurred
        gray = gray.astype(np.float32)
        return cv2.GaussianBlur(cv2.GaussianBlur(gray, (0, 0), 15) - gray, (0, 0), 2)

    a = marks(pp.to_gray(flat))
    b = marks(cv2.resize(pp.to_gray(page), (a.shape[1], a.shape[0]), interpolation=cv2.INTER_AREA))
    return float(cv2.matchTemplate(a, b, cv2.TM_CCOEFF_NORMED)[0, 0])


# -- the working resolution ---------------------------------------------------------------------


def test_a_scan_at_300_dpi_up_to_legal_paper_and_anything_smaller_is_not_touched():
    # A4, the tianjian letter's slightly larger A4, Letter, Legal, A5, a gray page on its side
    for shape in [(3508, 2480, 3), (3509, 2550, 3), (3300, 2550, 3), (4200, 2550, 3), (1754, 1240, 3), (2480, 3508)]:
        image = np.zeros(shape, np.uint8)
        out, factor = photo.cap_resolution(image)
        assert out is image and factor == 1.0


@pytest.mark.parametrize("shape", [(4000, 6000, 3), (4608, 3456, 3), (7016, 4960)])
def test_a_larger_image_is_scaled_down_to_the_working_size_keeping_its_aspect(shape):
    image = np.full(shape, 200, np.uint8)
    out, factor = photo.cap_resolution(image)
    h, w = out.shape[:2]
    assert 0.99 * photo.MAX_WORKING_PIXELS <= h * w <= photo.MAX_WORKING_PIXELS
    assert w / h == pytest.approx(shape[1] / shape[0], rel=0.005)
    assert factor == pytest.approx(w / shape[1]) and factor < 1
    assert out.ndim == image.ndim and out.dtype == np.uint8


# -- the page's quadrilateral ---------------------------------------------------------------------


@pytest.mark.parametrize("pose", POSES)
def test_the_page_is_found_in_a_photo_and_flattened_level(pose):
    page, corners = _page(), POSES[pose]
    shot = _photograph(page, corners)
    quad = photo.find_page_quad(shot)
    assert quad is not None and quad.shape == (4, 2)
    assert _err(quad, corners, (1500, 2000)) < 0.01
    flat, used = photo.flatten_page(shot)
    assert np.array_equal(used, quad)
    assert abs(pp.skew_angle(flat)) <= 0.3
    assert _likeness(flat, page) > 0.7
    assert _likeness(shot[: flat.shape[0], : flat.shape[1]], page) < 0.5  # (the photo itself is not)


def test_a_page_taken_sideways_is_flattened_lying_as_it_lies():
    """The frame is landscape and the page on its side: the rectangle is landscape too, the
    quarter turn is left to ``preprocess.level``."""
    page = _page()
    corners = [[1850, 180], [1800, 1330], [160, 1370], [200, 130]]  # the page's top runs down the right side
    shot = _photograph(page, corners, size=(2000, 1500))
    flat, quad = photo.flatten_page(shot)
    assert quad is not None
    assert _err(quad, [corners[3], corners[0], corners[1], corners[2]], (2000, 1500)) < 0.01
    assert flat.shape[1] > flat.shape[0]
    assert pp.level(flat) == (90, pytest.approx(0, abs=0.3))
    assert _likeness(pp.turn(flat, 270), page) > 0.7  # a quarter turn back: the page as drawn


def test_a_page_cut_by_the_frame_at_a_corner_is_flattened_whole():
    page = _page()
    corners = [[160, 170], [1360, 140], [1530, 2040], [110, 1860]]  # the bottom-right corner outside
    shot = _photograph(page, corners)
    flat, quad = photo.flatten_page(shot)
    assert quad is not None
    assert _err(quad, corners, (1500, 2000)) < 0.01
    assert quad[2, 0] > 1500 and quad[2, 1] > 2000
    assert abs(pp.skew_angle(flat)) <= 0.3 and _likeness(flat, page) > 0.7


def test_a_spread_is_flattened_as_one_sheet_keeping_both_pages():
    page = _page()
    spread = np.hstack([page, page[:, ::-1]])  # two pages side by side (the right one mirrored)
    corners = [[170, 260], [2300, 200], [2330, 1720], [120, 1650]]
    shot = _photograph(spread, corners, size=(2480, 1900))
    flat, quad = photo.flatten_page(shot)
    assert quad is not None
    assert _err(quad, corners, (2480, 1900)) < 0.01
    top, right, bottom, left = photo._sides(np.float64(corners))
    assert flat.shape[1] / flat.shape[0] == pytest.approx((top + bottom) / (left + right), rel=0.02)
    assert _likeness(flat, spread) > 0.7


def test_a_gray_photo_gives_the_same_quadrilateral():
    shot = _photograph(_page(), POSES["tilted"])
    quad = photo.find_page_quad(shot)
    gray = photo.find_page_quad(pp.to_gray(shot))
    assert gray is not None and np.abs(gray - quad).max() < 3
    flat, _ = photo.flatten_page(pp.to_gray(shot))
    assert flat.ndim == 2


def _shaded(page: np.ndarray) -> np.ndarray:
    """The page lit from the right: its left third in a soft shadow."""
    light = np.clip(np.linspace(0.45, 1.4, page.shape[1], dtype=np.float32), 0, 1)
    return (page.astype(np.float32) * light[None, :, None]).astype(np.uint8)


def _bordered(page: np.ndarray) -> np.ndarray:
    """A scan with the scanner's black border around the page."""
    return cv2.copyMakeBorder(page[20:-20, 20:-20], 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=(10, 10, 10))


@pytest.mark.parametrize("make", [
    lambda page: page,  # a clean scan
    lambda page: (page.astype(np.float32) * (0.92, 0.9, 0.82)).astype(np.uint8),  # yellowed paper
    _shaded,  # a shadow over the page is no sheet edge
    _bordered,
], ids=["scan", "yellowed", "shadow", "scanner border"])
def test_a_page_that_fills_the_frame_is_left_alone(make):
    image = make(_page())
    assert photo.find_page_quad(image) is None
    out, quad = photo.flatten_page(image)
    assert out is image and quad is None


def test_a_light_region_that_is_no_quadrilateral_is_left_alone():
    table = np.clip(_table((1500, 2000)), 0, 255).astype(np.uint8)
    plate = table.copy()
    cv2.ellipse(plate, (750, 1000), (600, 800), 0, 0, 360, (235, 235, 230), -1)  # a round white plate
    assert photo.find_page_quad(plate) is None
    torn = table.copy()
    cv2.fillPoly(torn, [np.int32([[200, 200], [1300, 200], [1300, 1000], [750, 1100], [750, 1800], [200, 1800]])], (235, 235, 230))
    assert photo.find_page_quad(torn) is None  # an L: a torn sheet, or one half under something
    card = _photograph(_page(), [[600, 800], [900, 800], [900, 1220], [600, 1220]])
    assert photo.find_page_quad(card) is None  # a twentieth of the frame: not what was photographed


# -- the real photos ---------------------------------------------------------------------------------

PHOTOS = ["telephone-message-1967-photo.jpg", "photos/booklet-cover-sideways-photo.jpg", "photos/booklet-spread-photo.jpg"]


def _real(name: str) -> tuple[np.ndarray, list[str]]:
    path = realworld(name)
    truth = json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))
    return load_page(PageRef(str(path), "jpeg")).image, truth["phrases"]


@pytest.mark.parametrize("name", PHOTOS)
def test_the_real_photos_fill_their_frames_and_are_left_as_they_are(name):
    image, _ = _real(name)
    capped, _ = photo.cap_resolution(image)
    out, quad = photo.flatten_page(capped)
    assert quad is None and out is capped


@pytest.fixture(scope="module")
def engine():
    from gongwen.ocr.engines import make_engine

    return make_engine("rapidocr", 1)


@pytest.mark.ocr
@pytest.mark.parametrize("name", PHOTOS)
def test_the_real_photos_read_their_phrases_at_the_working_resolution(engine, name):
    from gongwen.ocr.page import read_pages
    from gongwen.parsers.metrics import phrase_found

    image, phrases = _real(name)
    capped, factor = photo.cap_resolution(image)
    assert (factor < 1) == (image.shape[0] * image.shape[1] > photo.MAX_WORKING_PIXELS)
    pages = read_pages(engine, photo.flatten_page(capped)[0], regions=False)
    assert len(pages) == (2 if "spread" in name else 1)
    text = "\n".join("\n".join(l.text for l in p.lines) for p in pages)
    assert [p for p in phrases if not phrase_found(p, text)] == []


@pytest.mark.ocr
def test_the_capped_cover_reads_the_same_lines_as_at_16_mp(engine):
    from gongwen.ocr.page import ocr_page

    image, _ = _real("photos/booklet-cover-sideways-photo.jpg")
    full = sorted(l.text for l in ocr_page(engine, image)[1])
    capped = sorted(l.text for l in ocr_page(engine, photo.cap_resolution(image)[0])[1])
    assert capped == full and len(full) >= 5


@pytest.mark.ocr
def test_a_flattened_photo_reads_its_lines(engine):
    """As well as the photo read as it was taken (the engine copes with this much perspective;
    a comma at a line's end may go)."""
    from difflib import SequenceMatcher

    from gongwen.parsers.text import compact

    shot = _photograph(as_array(draw_text_page()), POSES["leaning back"])
    flat, quad = photo.flatten_page(shot)
    assert quad is not None
    truth = compact("".join(PARAGRAPH))
    text = compact("".join(l.text for l in engine.recognize(flat)))
    assert SequenceMatcher(None, truth, text, autojunk=False).ratio() >= 0.98


@pytest.mark.ocr
def test_a_large_photo_is_read_at_the_working_size_by_the_worker(tmp_path, engine):
    """The worker caps a page before its OCR stage: the kept image and the line boxes are in the
    capped page's pixels, and its dpi is scaled with it."""
    from gongwen.pipeline.export.outdir import OutDir
    from gongwen.pipeline.run import worker

    big = cv2.resize(as_array(draw_text_page()), (3100, 4385), interpolation=cv2.INTER_CUBIC)  # 13.6 MP
    path = tmp_path / "photo.png"
    cv2.imwrite(str(path), big[:, :, ::-1])
    [page] = worker.process_page(worker.PageContext("p", 1, PageRef(str(path), "png"), "rapidocr", OutDir(tmp_path / "out")))
    assert page.error is None
    assert page.width * page.height <= photo.MAX_WORKING_PIXELS and page.width / page.height == pytest.approx(3100 / 4385, abs=0.002)
    assert page.dpi == pytest.approx(300.0 * page.width / 3100, rel=0.01)
    assert max(l.bbox[2] for l in page.lines) <= page.width
    assert PARAGRAPH[0] in [l.text for l in page.lines]
