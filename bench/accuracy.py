"""Accuracy and speed of each OCR engine on a freshly generated sample set.

    python bench/accuracy.py [--seed 90210] [--count 6] [--engines rapidocr-v6,rapidocr-v4,tesseract]

Generates ``--count`` bundles with ``samples/make_samples.py`` from a seed the tests never use,
converts them with each engine (all cores, the same pages for every engine) and prints:

- body CER: the circular's body lines (正文 and its headings, from the page truth) against
  ``text.txt`` of the same page, after NFKC with whitespace removed; each page's body is matched
  to the best-matching stretch of that page's text, so other text on the page does not count
  against it, but every body character missed, added or misread does;
- printed CER: the same over every printed (non-handwritten) block of the page;
- handwriting CER over the handwritten blocks (slip entries, annotations);
- seconds per page: wall time of the run over its pages, and the mean time a worker spent on
  one page (pages.csv).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from common import BENCH_SEED, ROOT, convert_set, generate, pairs
from gongwen.parsers.metrics import infix_distance
from gongwen.parsers.text import compact

BODY_ROLES = {"body", "heading"}
NOT_TEXT_ROLES = {"seal"}  # a seal's ring text is ornament, not text to read


def page_blocks(page: dict, roles: set[str] | None = None, handwritten: bool | None = None) -> list[dict]:
    blocks = [b for b in page.get("blocks", []) if b.get("text") and b.get("role") not in NOT_TEXT_ROLES]
    if roles is not None:
        blocks = [b for b in blocks if b.get("role") in roles]
    if handwritten is not None:
        blocks = [b for b in blocks if bool(b.get("handwritten")) == handwritten]
    return blocks


def score_set(scans: Path, out: Path) -> dict[str, tuple[int, int]]:
    """(errors, characters) per measure over every page of every item."""
    totals = {"body": [0, 0], "printed": [0, 0], "handwriting": [0, 0]}
    for truth, item_id, _ in pairs(scans, out):
        text_path = out / "items" / (item_id or "?") / "text.txt"
        page_texts = text_path.read_text(encoding="utf-8").split("\f") if text_path.exists() else []
        for n, page in enumerate(truth["pages"]):
            reading = compact(page_texts[n]) if n < len(page_texts) else ""
            groups = {
                "body": page_blocks(page, BODY_ROLES),
                "printed": page_blocks(page, handwritten=False),
                "handwriting": page_blocks(page, handwritten=True),
            }
            for measure, blocks in groups.items():
                if not blocks:
                    continue
                if measure == "body":
                    # the body is one run of lines in reading order
                    needles = ["".join(compact(b["text"]) for b in sorted(blocks, key=lambda b: b.get("line", 0)))]
                else:
                    needles = [compact(b["text"]) for b in blocks]
                for needle in needles:
                    totals[measure][0] += infix_distance(needle, reading)
                    totals[measure][1] += len(needle)
    return {k: (v[0], v[1]) for k, v in totals.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=BENCH_SEED, help="sample seed (the tests never use it)")
    ap.add_argument("--count", type=int, default=6, help="bundles to generate")
    ap.add_argument("--engines", default="rapidocr-v6,rapidocr-v4,tesseract")
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "accuracy")
    args = ap.parse_args()

    scans = args.work / f"scans-seed{args.seed}"
    generate(scans, args.seed, args.count)
    rows = []
    for engine in args.engines.split(","):
        out = args.work / f"out-{engine}-seed{args.seed}"
        summary, wall = convert_set(scans, out, engine, args.jobs)
        pages = pd.read_csv(out / "pages.csv", encoding="utf-8-sig")
        scores = score_set(scans, out)
        row = {"engine": engine, "items": len(summary.outcomes), "pages": summary.pages,
               "failed": summary.count("failed")}
        for measure, (err, n) in scores.items():
            row[f"{measure} CER %"] = round(100.0 * err / n, 3) if n else float("nan")
            row[f"{measure} chars"] = n
        row["s/page (wall)"] = round(wall / max(summary.pages, 1), 2)
        row["s/page (worker)"] = round(float(pages.seconds.mean()), 2)
        rows.append(row)
    table = pd.DataFrame(rows).set_index("engine").T
    print()
    print(f"seed {args.seed}, {args.count} bundles, jobs {args.jobs or 'all cores'}")
    print(table.to_markdown() if _has_tabulate() else table.to_string())
    return 0


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
