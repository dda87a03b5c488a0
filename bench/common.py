"""Shared steps of the benchmarks: generate a sample set from a seed, convert it, pair truths."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from gongwen.ocr.engines import DEFAULT_ENGINE
from gongwen.pipeline.run.convert import RunSummary, Settings, convert, reparse

ROOT = Path(__file__).resolve().parent.parent
# real documents with what a person reads off them (kept beside the repository, never in it)
REALWORLD = ROOT.parent / "shared" / "realworld"
# The tests use seeds 7 and below; benchmarks default to this one.
BENCH_SEED = 90210


def samples_module():
    """The sample generator's functions: gongwen.samples.make_samples (the package's API, main,
    and the helpers the benchmarks reach into)."""
    from gongwen.samples import make_samples

    return make_samples


def generate(scans: Path, seed: int, count: int) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "samples" / "make_samples.py"), "--out", str(scans),
         "--seed", str(seed), "--count", str(count)],
        check=True,
    )


def convert_set(scans: Path, out: Path, engine: str, jobs: int = 0) -> tuple[RunSummary, float]:
    """Convert ``scans`` into a fresh ``out`` (an earlier run's OUT would be resumed, its items
    skipped: neither read by the code of now nor timed)."""
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    summary = convert([scans], out, Settings(engine=engine, jobs=jobs))
    return summary, time.perf_counter() - t0


def pairs(scans: Path, out: Path):
    """(truth, item_id, text pages) for every generated item, matched through documents.csv."""
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    item_of = {Path(src).name: item for src, item in zip(docs.source, docs.item_id)}
    for truth_path in sorted(scans.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        scan_name = truth_path.name[: -len(".truth.json")]
        yield truth, item_of.get(scan_name), docs


def set_args(description: str, default_count: int = 20, extra=()) -> argparse.Namespace:
    """The command line shared by the benchmarks of one generated set (plus ``extra``
    (flags, options) pairs of a benchmark's own)."""
    ap = argparse.ArgumentParser(description=description)
    for flags, options in extra:
        ap.add_argument(*flags, **options)
    ap.add_argument("--seed", type=int, default=BENCH_SEED, help="sample seed (the tests never use it)")
    ap.add_argument("--count", type=int, default=default_count, help="bundles to generate")
    ap.add_argument("--engine", default=DEFAULT_ENGINE)
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "fields")
    ap.add_argument("--show-misses", type=int, default=15)
    ap.add_argument(
        "--reparse", action="store_true",
        help="parse the pages of an earlier conversion in --work again instead of running OCR",
    )
    return ap.parse_args()


def converted_set(args: argparse.Namespace, reuse: bool = False, make=None) -> tuple[Path, Path, RunSummary | None, float]:
    """Generate the set (``make(scans, seed, count)``, default :func:`generate`) and convert it
    (or, with ``reuse``, take an earlier conversion)."""
    scans = args.work / f"scans-seed{args.seed}"
    out = args.work / f"out-{args.engine}-seed{args.seed}"
    (make or generate)(scans, args.seed, args.count)
    if getattr(args, "reparse", False) and (out / "documents.csv").exists():
        t0 = time.perf_counter()
        summary = reparse(out)
        return scans, out, summary, time.perf_counter() - t0
    if reuse and (out / "documents.csv").exists():
        return scans, out, None, 0.0
    summary, wall = convert_set(scans, out, args.engine, args.jobs)
    return scans, out, summary, wall
