"""Character error rate of each OCR engine on real handwritten Chinese lines, in one run.

    python bench/handwriting.py [--engines rapidocr-v4,rapidocr-v6] [--manifest M.jsonl ...]

Each line image of a manifest (``../shared/realworld/handwriting/manifest.jsonl`` by default:
one JSON object per line with ``image``, a path relative to the manifest, and ``text``) is read
as the pipeline reads a page: the engine's ``recognize`` (detection, then recognition) on the
line image set on white paper with a margin of ``MARGIN`` of its height all round.  The reading
is compared with the text after NFKC, with punctuation and whitespace left out of both
(``parsers.metrics.letters_only``).

Prints, per engine and manifest: the mean CER over the lines, the lines read exactly, and the
seconds per line; ``--show`` prints every line's reading.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from common import REALWORLD
from gongwen.ocr.engines import make_engine
from gongwen.parsers.metrics import cer, letters_only

SHARED_MANIFEST = REALWORLD / "handwriting" / "manifest.jsonl"
# the white paper around a line, as a share of the line's height (a line on a page has the
# paper of the lines around it)
MARGIN = 0.5


def on_paper(image: np.ndarray, margin: float = MARGIN) -> np.ndarray:
    """The line image (RGB) with a white margin of ``margin`` × its height on every side."""
    pad = max(4, round(margin * image.shape[0]))
    return cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(255, 255, 255))


def load_lines(manifest: Path) -> list[tuple[str, np.ndarray, str]]:
    """(name, RGB image, text) of every line of a manifest."""
    out = []
    for row in manifest.read_text(encoding="utf-8").splitlines():
        if not row.strip():
            continue
        entry = json.loads(row)
        bgr = cv2.imread(str(manifest.parent / entry["image"]), cv2.IMREAD_COLOR)
        if bgr is None:
            raise SystemExit(f"{manifest.parent / entry['image']}: cannot be read")
        out.append((entry["image"], np.ascontiguousarray(bgr[:, :, ::-1]), entry["text"]))
    return out


def read_line(engine, image: np.ndarray) -> str:
    """The engine's reading of one line image, its lines joined in reading order."""
    return "".join(line.text for line in engine.recognize(on_paper(image)))


def score(engine, lines) -> tuple[float, float, float, list[tuple[str, str, str, float]]]:
    """(mean CER, share of lines exact, seconds per line, each line's (name, truth, reading, CER))."""
    rows = []
    t0 = time.perf_counter()
    for name, image, text in lines:
        reading = read_line(engine, image)
        rows.append((name, text, reading, cer(letters_only(text), letters_only(reading))))
    seconds = (time.perf_counter() - t0) / max(1, len(lines))
    cers = [r[3] for r in rows]
    return statistics.fmean(cers), sum(c == 0 for c in cers) / len(cers), seconds, rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default="rapidocr-v4,rapidocr-v6")
    ap.add_argument("--manifest", type=Path, action="append", help=f"default: {SHARED_MANIFEST}")
    ap.add_argument("--show", action="store_true", help="print every line's reading")
    args = ap.parse_args()

    manifests = args.manifest or [SHARED_MANIFEST]
    sets = {m: load_lines(m) for m in manifests}
    print(f"{'engine':<14} {'lines':>5} {'mean CER':>9} {'exact':>6} {'s/line':>7}  manifest")
    for name in args.engines.split(","):
        engine = make_engine(name, 1)
        engine.recognize(on_paper(next(iter(sets.values()))[0][1]))  # loaded before timing
        for manifest, lines in sets.items():
            mean, exact, seconds, rows = score(engine, lines)
            print(f"{name:<14} {len(lines):>5} {mean:>9.3f} {exact:>6.0%} {seconds:>7.2f}  {manifest}", flush=True)
            if args.show:
                for image, text, reading, c in rows:
                    print(f"    {c:.3f}  {text}  →  {reading}   ({image})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
