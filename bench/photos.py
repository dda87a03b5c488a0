"""Time per photo page against its megapixels, with the working-resolution cap and without.

    python bench/photos.py [--mp 4,8,16,24] [--repeat 1] [--profile] [PHOTO ...]

Each photo (default: the three real photos of ../shared/realworld) is loaded as the pipeline
loads it (EXIF orientation applied), then resized to each size of ``--mp`` megapixels (area
averaging down, cubic up: the same page at another resolution), and timed three ways:

  raw      the raw engine, ``make_engine(ENGINE, 1).recognize(image)`` on the image as given:
           what any OCR tool must do at the least;
  page     ``ocr.page.ocr_page(engine, image)`` on the image as given (no cap: as before);
  capped   ``ocr.photo.cap_resolution`` then ``flatten_page`` then ``ocr_page``, all of it timed.

The three alternate (raw, page, capped …, ``--repeat`` times) so that load from elsewhere falls
on all of them; medians are printed, with capped/raw.  Above the cap the capped time should not
grow with the megapixels.  ``--profile`` first shows where ``ocr_page``'s time goes at the
photo's own size, uncapped and capped (cProfile): in the ONNX models, and in the top functions
of the rest.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from pathlib import Path

import cv2
import numpy as np

from common import REALWORLD
from gongwen.ocr import photo
from gongwen.ocr.engines import make_engine
from gongwen.ocr.loading import PageRef, load_page, sniff_format
from gongwen.ocr.page import ocr_page

PHOTOS = [
    REALWORLD / "telephone-message-1967-photo.jpg",
    REALWORLD / "photos" / "booklet-cover-sideways-photo.jpg",
    REALWORLD / "photos" / "booklet-spread-photo.jpg",
]
ENGINE = "rapidocr"
# functions listed per profile, by their own time
PROFILE_TOP = 8


def resized(image: np.ndarray, megapixels: float) -> np.ndarray:
    """The image scaled to about ``megapixels`` (aspect kept)."""
    f = (megapixels * 1e6 / (image.shape[0] * image.shape[1])) ** 0.5
    if abs(f - 1) < 0.01:
        return image
    return cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC)


def capped_page(engine, image: np.ndarray):
    """What the pipeline does to a photo with the cap: cap, flatten, read."""
    small, _ = photo.cap_resolution(image)
    flat, _ = photo.flatten_page(small)
    return ocr_page(engine, flat)


def timed(fn, *args) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def _in_models(key: tuple) -> bool:
    """Is a cProfile entry onnxruntime's own (running a model), not RapidOCR's Python around it?"""
    file, _, name = key
    return "/onnxruntime/" in file or "onnxruntime_pybind11_state" in name


def profile(engine, image: np.ndarray, label: str) -> None:
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    ocr_page(engine, image)
    prof.disable()
    total = time.perf_counter() - t0
    stats = pstats.Stats(prof).stats  # {(file, line, name): (cc, nc, tottime, cumtime, callers)}
    models = sum(v[2] for k, v in stats.items() if _in_models(k))
    print(f"\n{label}: {image.shape[1]}x{image.shape[0]} ({image.shape[0] * image.shape[1] / 1e6:.1f} MP), "
          f"ocr_page {total:.2f} s: ONNX models {models:.2f} s, the rest {total - models:.2f} s")
    rest = sorted(((v[2], k) for k, v in stats.items() if not _in_models(k)), reverse=True)
    for own, (file, line, name) in rest[:PROFILE_TOP]:
        where = f"{Path(file).parent.name}/{Path(file).name}:{line}" if file != "~" else "builtin"
        print(f"    {own:6.3f} s  {name}  ({where})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("photos", nargs="*", type=Path, default=PHOTOS, help="photos (default: the real ones)")
    ap.add_argument("--mp", default="4,8,16,24", help="sizes to time, megapixels (default 4,8,16,24)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each, medians printed (default 1)")
    ap.add_argument("--profile", action="store_true", help="cProfile ocr_page at each photo's own size first")
    args = ap.parse_args(argv)
    sizes = [float(v) for v in args.mp.split(",") if v.strip()]
    engine = make_engine(ENGINE, 1)
    engine.recognize(np.full((64, 256, 3), 255, np.uint8))  # load the models before timing
    print(f"cap: {photo.MAX_WORKING_PIXELS / 1e6:.1f} MP; engine {ENGINE}, 1 thread; medians of {args.repeat}")
    rows = []
    for path in args.photos:
        loaded = load_page(PageRef(str(path), sniff_format(path)))
        image = loaded.image
        if args.profile:
            profile(engine, image, f"{path.name}, as taken")
            profile(engine, photo.flatten_page(photo.cap_resolution(image)[0])[0], f"{path.name}, capped")
        for mp in sizes:
            x = resized(image, mp)
            capped, factor = photo.cap_resolution(x)
            quad = photo.find_page_quad(capped)
            times: dict[str, list[float]] = {"raw": [], "page": [], "capped": []}
            lines = {}
            for _ in range(args.repeat):
                dt, out = timed(engine.recognize, x)
                times["raw"].append(dt)
                lines["raw"] = len(out)
                dt, out = timed(ocr_page, engine, x)
                times["page"].append(dt)
                lines["page"] = len(out[1])
                dt, out = timed(capped_page, engine, x)
                times["capped"].append(dt)
                lines["capped"] = len(out[1])
            med = {k: statistics.median(v) for k, v in times.items()}
            rows.append((path.name, x.shape[0] * x.shape[1] / 1e6, med, factor, quad is not None, lines))
    print()
    print(f"{'photo':38s} {'MP':>5s} {'raw s':>7s} {'page s':>7s} {'capped s':>9s} {'capped/raw':>10s} "
          f"{'cap':>5s} {'quad':>4s}  lines raw/page/capped")
    for name, mp, med, factor, quad, lines in rows:
        print(f"{name:38s} {mp:5.1f} {med['raw']:7.2f} {med['page']:7.2f} {med['capped']:9.2f} "
              f"{med['capped'] / med['raw']:10.2f} {factor:5.2f} {'yes' if quad else 'no':>4s}  "
              f"{lines['raw']}/{lines['page']}/{lines['capped']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
