"""What the layout regions cost (``ocr.regions.find_regions``, issue 19) against the OCR stage.

    .venv/bin/python bench/regions.py [--pages 5] [--real]

Renders the example bundle (``samples/truth/example-bundle.json``, degraded as a scan: 300 dpi
A4) and reads its first ``--pages`` pages as a worker does, on one core (one thread for the
engine, OpenCV and the layout model): each page through the whole OCR stage
(``ocr.page.read_image``, which finds the regions too), then ``find_regions`` alone on the
upright image the stage returned.  ``--real`` adds page 1 of
``../shared/realworld/tianjian-letter-scan.pdf`` rendered at 300 dpi.  Prints the seconds of
each page and the medians: regions, the stage, and regions as a share of the stage.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

from common import REALWORLD, ROOT
from gongwen.ocr.engines import DEFAULT_ENGINE
from gongwen.ocr.page import read_image
from gongwen.ocr.regions import find_regions
from gongwen.pipeline.run.worker import engine_for, init_worker

REAL = REALWORLD / "tianjian-letter-scan.pdf"


def sample_pages(count: int) -> list[tuple[str, np.ndarray]]:
    from gongwen.samples import make_samples as ms

    truth = ms.load_truth(ROOT / "samples" / "truth" / "example-bundle.json")
    images, _ = ms.render_bundle(truth)
    return [(f"example-bundle p{i + 1}", np.asarray(img.convert("RGB"))) for i, img in enumerate(images[:count])]


def real_page() -> tuple[str, np.ndarray]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(REAL))
    try:
        return "tianjian-letter p1", np.asarray(pdf[0].render(scale=300 / 72).to_pil().convert("RGB"))
    finally:
        pdf.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=5, help="pages of the example bundle (at most 8)")
    ap.add_argument("--real", action="store_true", help=f"add page 1 of {REAL.name}")
    args = ap.parse_args()
    init_worker(DEFAULT_ENGINE, 1, follow_parent=False)  # one thread, the engine loaded
    engine = engine_for(DEFAULT_ENGINE, 1)
    pages = sample_pages(args.pages) + ([real_page()] if args.real else [])
    find_regions(pages[0][1])  # the model loaded before timing, as on a worker's first page
    rows = []
    print("| page | size | regions | OCR stage (with regions) | share |\n|---|---|---|---|---|")
    for name, image in pages:
        t0 = time.perf_counter()
        read = read_image(engine, image)
        stage = time.perf_counter() - t0
        t0 = time.perf_counter()
        found = find_regions(read.image)
        regions = time.perf_counter() - t0
        rows.append((regions, stage))
        h, w = image.shape[:2]
        print(f"| {name} | {w}×{h} | {regions:.3f} s ({len(found)}) | {stage:.2f} s | {regions / stage:.1%} |")
    regions = statistics.median(r for r, _ in rows)
    stage = statistics.median(s for _, s in rows)
    print(f"\nmedian of {len(rows)} pages on one core: regions {regions:.3f} s/page, "
          f"OCR stage {stage:.2f} s/page, ratio {regions / stage:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
