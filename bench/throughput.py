"""Throughput and memory of ``gongwen convert`` against the raw OCR engine, in one run.

    python bench/throughput.py [--pages 20,200] [--jobs 2] [--seed 4711] [--born-digital 60] [--no-photos]

For each page count N it generates sample bundles (``samples/make_samples.py``, a seed the
tests never use) until they hold at least N pages, then on exactly those pages runs

  (a) the raw engine alone: each page loaded and given to ``engine.recognize`` once, in
      ``--jobs`` processes, one engine per process pinned to one thread (what any OCR tool
      must do at the least), for each engine of ``--raw-engines`` (PP-OCRv4 and PP-OCRv6
      small by default); the faster one is the measure;
  (b) ``gongwen convert`` of the same items with ``--jobs`` workers, as a separate process
      (all of it: discovery, orientation, deskew, ink layers, tables, parsing, every output);

and prints the wall time of each, the ratio (b)/(a), pages/s, and the peak resident memory of
each run's whole process tree (the main process and its workers, sampled every 50 ms).  The
two runs alternate (a, b, a, b …, ``--repeat`` times) so that load from elsewhere falls on both;
the medians are reported.  Then a born-digital PDF of ``--born-digital`` pages (Chinese text
and a ruled table on every page, fonts embedded) is converted ``--repeat`` times and the median
pages/s printed.

The same is done for the real phone photos of ``../shared/realworld`` (16-MP JPEGs, one an
open booklet that gongwen reads as two pages).

Targets (issues 7 and 22): ratio ≤ 1.15 for scans and for photos, peak RSS at the largest N ≤
1.2 × at the smallest, born-digital ≥ 50 pages/s.  Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

from common import REALWORLD, ROOT, generate
from gongwen.ocr.engines import DEFAULT_ENGINE
from gongwen.pipeline.run.discover import discover

THROUGHPUT_SEED = 4711
RATIO_TARGET = 1.15
RSS_GROWTH_TARGET = 1.2
BORN_DIGITAL_TARGET = 50.0  # pages/s
SAMPLE_EVERY_S = 0.05
# bundles hold about 6 pages; generate this many per page wanted, then take the first N pages
BUNDLES_PER_PAGE = 0.25


class PeakRss:
    """Peak resident memory of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak = 0
        self.peak_root = 0  # the main process alone
        self.samples: list[int] = []  # the whole tree, every sample
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> tuple[int, int]:
        total = root = 0
        try:
            procs = [self.root] + self.root.children(recursive=True)
        except psutil.NoSuchProcess:
            return 0, 0
        for p in procs:
            try:
                rss = p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
            total += rss
            root = rss if p is self.root else root
        return total, root

    def _run(self) -> None:
        while not self._stop.is_set():
            total, root = self._sample()
            self.peak = max(self.peak, total)
            self.samples.append(total)
            self.peak_root = max(self.peak_root, root)
            self._stop.wait(SAMPLE_EVERY_S)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def quarters(self) -> list[float]:
        """Peak RSS (MB) in each quarter of the run: memory that grows with the pages read
        rises from quarter to quarter; a large page seen early or late only makes a spike."""
        n = len(self.samples)
        return [max(self.samples[k * n // 4 : (k + 1) * n // 4] or [0]) / 2**20 for k in range(4)]


# -- (a) the raw engine -----------------------------------------------------------------------

_ENGINE = None


def _raw_init(engine: str) -> None:
    global _ENGINE
    from gongwen.pipeline.run.worker import init_worker, engine_for

    init_worker(engine, 1)
    _ENGINE = engine_for(engine, 1)


def _raw_page(ref) -> int:
    from gongwen.ocr.loading import load_page

    page = load_page(ref)
    if page.image is None:
        return 0
    return len(_ENGINE.recognize(page.image))


def raw_engine(refs: list, engine: str, jobs: int) -> tuple[float, int]:
    """Wall seconds and peak RSS of the raw engine over ``refs`` in ``jobs`` processes
    (process start and engine load included, as they are in a convert run)."""
    t0 = time.perf_counter()
    with PeakRss(os.getpid()) as rss:
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
            initializer=_raw_init, initargs=(engine,),
        ) as pool:
            lines = sum(pool.map(_raw_page, refs, chunksize=1))
    if not lines:
        raise SystemExit("the raw engine read nothing: is the engine installed?")
    print(f"  (raw engine: peak RSS in each quarter of the run: {' / '.join(f'{q:.0f}' for q in rss.quarters())} MB)", flush=True)
    return time.perf_counter() - t0, rss.peak


# -- (b) gongwen convert ----------------------------------------------------------------------


def gongwen_convert(inputs: list[Path], out: Path, engine: str, jobs: int) -> tuple[float, int, float]:
    """Wall seconds and peak RSS of ``gongwen convert`` (a process of its own), and the
    pages/s its summary reports (the run itself, without the interpreter's start)."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "gongwen", "convert", *map(str, inputs), "--out", str(out),
           "--engine", engine, "--jobs", str(jobs)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with PeakRss(proc.pid) as rss:
        _, err = proc.communicate()
    wall = time.perf_counter() - t0
    print(f"  (gongwen's main process alone: peak RSS {rss.peak_root / 2**20:.0f} MB; peak of the whole run "
          f"in each quarter of it: {' / '.join(f'{q:.0f}' for q in rss.quarters())} MB)", flush=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"gongwen convert failed ({proc.returncode}):\n{err}")
    rate = re.search(r"([\d.]+) pages/s: ", err)
    return wall, rss.peak, float(rate.group(1)) if rate else 0.0


# -- the page sets ----------------------------------------------------------------------------


def page_set(work: Path, seed: int, pages: int) -> tuple[list[Path], list]:
    """Items holding at least ``pages`` pages (whole items, the first ones in order) and
    their page references."""
    scans = work / f"scans-seed{seed}-{pages}"
    count = max(1, int(pages * BUNDLES_PER_PAGE) + 1)
    while True:
        generate(scans, seed, count)
        items = [it for it in discover([scans]) if it.error is None]
        if sum(len(it.pages) for it in items) >= pages:
            break
        count *= 2
    chosen, refs = [], []
    for it in items:
        if len(refs) >= pages:
            break
        chosen.append(Path(it.source))
        refs.extend(it.pages)
    return chosen, refs


def born_digital_pdf(path: Path, pages: int) -> Path:
    """A text-layer PDF: on every page a heading, paragraphs of Chinese and a ruled table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    pdfmetrics.registerFont(TTFont("UMing", "/usr/share/fonts/truetype/arphic/uming.ttc", subfontIndex=0))
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    body = (
        "为进一步做好扶贫结对帮扶工作，现就有关事项通知如下。各地要把帮扶资金集中用于",
        "基础设施建设和产业发展，切实提高低收入农户的收入水平，确保帮扶工作取得实效。",
    )
    for n in range(1, pages + 1):
        c.setFont("UMing", 16)
        c.drawCentredString(width / 2, height - 72, f"关于做好结对帮扶工作的通知（第{n}页）")
        c.setFont("UMing", 12)
        y = height - 110
        for k in range(12):
            c.drawString(60, y, body[k % 2])
            y -= 20
        x0, cols, rows, cw, rh = 60, 4, 8, 118, 22
        top = y - 10
        for r in range(rows + 1):
            c.line(x0, top - r * rh, x0 + cols * cw, top - r * rh)
        for k in range(cols + 1):
            c.line(x0 + k * cw, top, x0 + k * cw, top - rows * rh)
        for r in range(rows):
            cells = ("县（市、区）", "帮扶村数", "资金（万元）", "备注") if r == 0 else (f"第{r}县", str(r * 3), str(r * 120), "")
            for k, text in enumerate(cells):
                c.drawString(x0 + k * cw + 6, top - r * rh - 15, text)
        c.showPage()
    c.save()
    return path


def photo_megapixels(paths: list[Path]) -> list[float]:
    import cv2

    return [cv2.imread(str(p), cv2.IMREAD_REDUCED_GRAYSCALE_8).size * 64 / 1e6 for p in paths]


def measure(inputs: list[Path], refs: list, out: Path, args, raw_names: list[str]) -> tuple[float, int]:
    """Run the raw engines and gongwen on the same pages, alternating, and print the row:
    returns (ratio gongwen / the faster raw engine, gongwen's peak RSS), medians of the runs."""
    raw_each = {name: [] for name in raw_names}
    ours, raw_rss, our_rss = [], [], []
    for _ in range(args.repeat):
        for name in raw_names:
            w, m = raw_engine(refs, name, args.jobs)
            raw_each[name].append(w)
            raw_rss.append(m)
        w, m, _ = gongwen_convert(inputs, out, args.engine, args.jobs)
        ours.append(w)
        our_rss.append(m)
    medians = {name: statistics.median(times) for name, times in raw_each.items()}
    print("       raw engines alone (median s): " + ", ".join(f"{k} {v:.1f}" for k, v in medians.items()), flush=True)
    fastest = min(medians, key=medians.get)
    raw = raw_each[fastest]
    a, b = statistics.median(raw), statistics.median(ours)
    rss = statistics.median(our_rss)
    print(f"{len(refs):>6} {a:>8.1f} {b:>10.1f} {b / a:>6.2f} {len(refs) / a:>8.2f} {len(refs) / b:>12.2f} "
          f"{statistics.median(raw_rss) / 2**20:>11.0f} {rss / 2**20:>15.0f}", flush=True)
    if args.repeat > 1:
        print(f"       each run, raw ({fastest}) / gongwen s (ratio): "
              + ", ".join(f"{x:.1f} / {y:.1f} ({y / x:.2f})" for x, y in zip(raw, ours)), flush=True)
    return b / a, rss


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default="20,200", help="page counts to measure, comma-separated")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--engine", default=DEFAULT_ENGINE, help="the engine gongwen converts with")
    ap.add_argument("--raw-engines", default="rapidocr-v4,rapidocr-v6",
                    help="the raw engines run alone; the ratio is taken against the faster")
    ap.add_argument("--seed", type=int, default=THROUGHPUT_SEED)
    ap.add_argument("--repeat", type=int, default=1, help="alternating (a, b) runs per page count")
    ap.add_argument("--photos", action=argparse.BooleanOptionalAction, default=True,
                    help="also the real phone photos of ../shared/realworld")
    ap.add_argument("--born-digital", default="60,200", help="pages of the born-digital PDFs, comma-separated (0: none)")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "throughput")
    args = ap.parse_args()

    counts = [int(n) for n in args.pages.split(",") if int(n) > 0]
    raw_names = [name for name in args.raw_engines.split(",") if name]
    print(f"gongwen with {args.engine}, raw: the faster of {', '.join(raw_names)}; {args.jobs} processes, "
          f"{os.cpu_count()} cores; medians of {args.repeat} run(s)")
    print(f"{'pages':>6} {'raw s':>8} {'gongwen s':>10} {'ratio':>6} {'raw p/s':>8} {'gongwen p/s':>12} "
          f"{'raw RSS MB':>11} {'gongwen RSS MB':>15}")
    results = {}
    for n in counts:
        inputs, refs = page_set(args.work, args.seed, n)
        results[n] = measure(inputs, refs, args.work / f"out-{n}", args, raw_names)
    if args.photos:
        photos = sorted(REALWORLD.glob("*.jpg")) + sorted((REALWORLD / "photos").glob("*.jpg"))
        refs = [ref for it in discover(photos) if it.error is None for ref in it.pages]
        print(f"real phone photos ({len(photos)} JPEGs of ../shared/realworld, "
              f"{statistics.median(photo_megapixels(photos)):.0f} MP median):", flush=True)
        results["photos"] = measure(photos, refs, args.work / "out-photos", args, raw_names)
    failed = False
    if results:
        worst = max(r for r, _ in results.values())  # scans and photos
        print(f"\nratio gongwen/raw engine: worst {worst:.2f} (target ≤ {RATIO_TARGET})")
        failed |= worst > RATIO_TARGET
    if counts and len(counts) > 1:
        small, large = results[min(counts)][1], results[max(counts)][1]  # scans
        growth = large / small
        print(f"peak RSS at {max(counts)} pages / at {min(counts)} pages: {growth:.2f} (target ≤ {RSS_GROWTH_TARGET})")
        failed |= growth > RSS_GROWTH_TARGET
    for pages in (int(n) for n in args.born_digital.split(",") if int(n) > 0):
        pdf = born_digital_pdf(args.work / f"born-digital-{pages}.pdf", pages)
        runs = [gongwen_convert([pdf], args.work / f"out-born-digital-{pages}", args.engine, args.jobs)
                for _ in range(args.repeat)]
        wall = statistics.median(r[0] for r in runs)
        rss = statistics.median(r[1] for r in runs)
        rate = statistics.median(r[2] for r in runs)
        print(f"born-digital PDF, {pages} pages (a ruled table on each): command {wall:.2f} s = "
              f"{pages / wall:.1f} pages/s with the interpreter's start; the run {rate:.1f} pages/s "
              f"(each run: {', '.join(f'{r[2]:.1f}' for r in runs)}); "
              f"peak RSS {rss / 2**20:.0f} MB (target ≥ {BORN_DIGITAL_TARGET:g} pages/s)", flush=True)
        failed |= rate < BORN_DIGITAL_TARGET
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
