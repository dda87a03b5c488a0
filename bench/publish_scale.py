"""The published site at archive scale: full and incremental publish of N items, the site's size,
its largest file, and what a search for one title loads in a browser.

    python bench/publish_scale.py N [N …] [--source OUT] [--work bench/out/publish_scale]
                                  [--no-browser] [--keep]

The N items are clones of the public items of a converted OUT (``--source``; by default the
samples are converted once into ``WORK/source``).  Each clone is an item of its own: its
``document.json`` gets a title, 文号, issuer (one of N/40), 成文日期 (1980–2025) and a sentence of
40 words drawn by Zipf's law from a vocabulary of 60,000, so that the listings, the filters and the search index grow as an archive's
would; its searchable PDF and page images are hard links to the source's (the disk holds them
once; the site's PDFs are hard links too when SITE is on the same file system, which is what
publish does).  The clones carry no internal parts (no slip, annotations or 收文 stamp: the
source's receiving-office parts are left out of the clone, its PDF is the source's PDF as
published), so each PDF is published as it is; what making a PDF anew without the internal
parts costs a page is measured apart, on the source's own items, and printed below the table.

For each N it reports:

- full publish (a new SITE) and incremental publish after one item's title changed (the median
  of three, each another item), and after no change, in seconds, with the peak memory of the publish;
- what the incremental publish wrote (files) and the ratio incremental / full (goal ≤ 0.20 at
  1,000 items);
- the site's size (bytes of every file, PDFs apart), its largest file and largest page;
- in headless Chromium (Debian's, driven by Playwright), the bytes a search for one title loads
  after the index page (goal ≤ 512 KB at 100,000), and whether the item was found.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from gongwen.pipeline.export.files import atomic_write_text  # noqa: E402
from gongwen.pipeline.export.outdir import OutDir  # noqa: E402
from gongwen.pipeline.publish.site import publish  # noqa: E402
from clones import OFFICES, PLACES, TOPICS  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
COMMON_WORD = "通知"
LINKS_PER_COPY = 20_000  # clones (of every source) linked to one copy of a source's PDF
ISSUER_SHARE = 40  # one issuer for this many items
GENRES = ("通知", "意见", "通报", "决定", "批复", "报告", "办法", "函")
# a clone's own sentence: 40 words drawn by Zipf's law (exponent ZIPF_S) from VOCABULARY words
# of two to four common characters, so the index's vocabulary grows with the archive as a real
# one's does (new words ever rarer), not by 40 new words an item
VOCABULARY = 60_000
ZIPF_S = 1.05
HANZI = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
         "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还"
         "因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结")


class Words:
    """Words drawn by Zipf's law from a fixed synthetic vocabulary (see VOCABULARY)."""

    def __init__(self, rng: random.Random) -> None:
        import bisect
        import itertools

        made = random.Random(20261206)
        self.vocabulary = list(dict.fromkeys(
            "".join(made.choice(HANZI) for _ in range(made.choice((2, 2, 2, 3, 4)))) for _ in range(VOCABULARY)
        ))
        self.cumulative = list(itertools.accumulate(1 / (r + 1) ** ZIPF_S for r in range(len(self.vocabulary))))
        self.rng, self.bisect = rng, bisect.bisect

    def __call__(self, n: int) -> str:
        top = self.cumulative[-1]
        return "".join(self.vocabulary[self.bisect(self.cumulative, self.rng.random() * top)] for _ in range(n))


def _log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# -- the source and its clones -------------------------------------------------------------------


def source_out(work: Path, given: Path | None) -> Path:
    if given:
        return given
    out = work / "source"
    if not (out / "items").is_dir():
        from gongwen.pipeline.run.convert import Settings, convert

        scans = ROOT / "samples" / "scans"
        if not scans.is_dir():
            import subprocess

            subprocess.run(["make", "-C", str(ROOT), "samples"], check=True)
        _log(f"converting {scans} into {out} (once)")
        convert([scans], out, Settings())
    return out


def public_sources(out: Path) -> list[dict]:
    """The data of the public items of ``out`` (what publish would publish)."""
    from gongwen.parsers.disclosure import document_disclosure
    from gongwen.pipeline.export.items import item_data, stored_items

    found = []
    for item in stored_items(out):
        if item.ok and document_disclosure(item.document).public:
            found.append(item_data(item.document) | {"_source": item.item_id})
    if not found:
        raise SystemExit(f"{out} has no public item to clone")
    return found


def _without_internal(data: dict) -> dict:
    """A clone as a circular without what the receiving office added."""
    data = json.loads(json.dumps(data))
    data["pages"] = [p for p in data["pages"] if p.get("kind") != "slip"]
    for page in data["pages"]:
        page["lines"] = [l for l in page["lines"] if l.get("layer", "black") == "black"]
    for name in ("received_date", "receipt_number"):
        data["fields"][name] = None
    data["circulation"], data["annotations"], data["receiving_office"] = [], [], None
    return data


def public_pdfs(source: Path, work: Path) -> tuple[dict[str, Path], float]:
    """Each public item's PDF as published (its internal parts left out), made once, and the
    seconds a page that took."""
    from gongwen.pipeline.publish.site import public_pdf

    made, pages, t0 = {}, 0, time.perf_counter()
    for data in public_sources(source):
        target = work / "pdfs" / f"{len(made)}.pdf"
        pdf = public_pdf(source, data, False)
        if pdf is None:
            raise SystemExit(f"{data['_source']}: its page images are gone; convert the source again")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf if isinstance(pdf, bytes) else pdf.read_bytes())
        made[data["_source"]] = target
        pages += sum(1 for p in data["pages"] if p.get("kind") != "slip")
    return made, (time.perf_counter() - t0) / max(1, pages)


def make_clones(source: Path, out: Path, n: int, pdfs: dict[str, Path], seed: int = 1) -> list[str]:
    """An OUT of ``n`` clones of ``source``'s public items; returns their ids."""
    rng = random.Random(seed)
    sources = [_without_internal(d) for d in public_sources(source)]
    dst_dir = OutDir(out)
    issuers = [f"{rng.choice(PLACES)}市{rng.choice(OFFICES)}" for _ in range(max(1, n // ISSUER_SHARE))]
    draw = Words(rng)
    ids = []
    for k in range(n):
        base = sources[k % len(sources)]
        item_id = f"clone/{k // 1000:03d}/{k:06d}"
        data = json.loads(json.dumps(base))
        data.pop("_source")
        year = rng.randint(1980, 2025)
        issuer = rng.choice(issuers)
        genre = rng.choice(GENRES)
        title = f"{issuer}关于{rng.choice(PLACES)}{rng.choice(TOPICS)}第{k + 1}号事项的{genre}"
        number = f"{issuer[:2]}{rng.choice('政办财教民农档卫交')}发〔{year}〕{k % 300 + 1}号"
        words = draw(40)
        fields = data["fields"]
        for name, value in (("title", title), ("doc_number", number), ("issuer", issuer),
                            ("issue_date", f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")):
            if fields.get(name):
                fields[name]["value"] = value
            else:
                fields[name] = {"value": value, "raw": value, "page": None, "bbox": None, "confidence": 0.99}
        data["item_id"] = item_id
        data["body"] = data.get("body", []) + [{"kind": "paragraph", "text": f"本件编号{k + 1}：{words}。",
                                                "level": None, "page": None}]
        atomic_write_text(dst_dir.document_json(item_id), json.dumps(data, ensure_ascii=False))
        _link(_pdf_copy(pdfs[base["_source"]], k // LINKS_PER_COPY), dst_dir.searchable_pdf(item_id))
        ids.append(item_id)
        if (k + 1) % 10000 == 0:
            _log(f"  {k + 1} clones")
    return ids


def _pdf_copy(pdf: Path, number: int) -> Path:
    """Copy ``number`` of a source PDF (made once): a file takes at most 65,000 hard links on
    ext4, and each clone's PDF is linked twice (OUT, SITE); past that publish would copy it."""
    if number == 0:
        return pdf
    copy = pdf.with_name(f"{pdf.stem}.{number}{pdf.suffix}")
    if not copy.exists():
        shutil.copyfile(pdf, copy)
    return copy


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists():
        dst.unlink()
    os.link(src, dst)


# -- measuring ---------------------------------------------------------------------------------


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def timed_publish(out: Path, site: Path) -> tuple[float, object]:
    t0 = time.perf_counter()
    summary = publish(out, site)
    return time.perf_counter() - t0, summary


def retitle(out: Path, item_id: str) -> None:
    path = OutDir(out).document_json(item_id)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["fields"]["title"]["value"] = data["fields"]["title"]["value"].replace("事项", "事项（修订）")
    atomic_write_text(path, json.dumps(data, ensure_ascii=False))


def site_sizes(site: Path) -> dict:
    total = pdf = 0
    largest = largest_page = (0, "")
    files = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        files += 1
        if path.suffix == ".pdf":
            pdf += size
            continue
        total += size
        largest = max(largest, (size, path.relative_to(site).as_posix()))
        if path.suffix == ".html":
            largest_page = max(largest_page, (size, path.relative_to(site).as_posix()))
    return {"files": files, "bytes_without_pdfs": total, "pdf_bytes": pdf, "largest": largest,
            "largest_page": largest_page}


def index_sizes(site: Path) -> dict:
    """The search index: its shards, their sizes, its records' sizes."""
    from gongwen.pipeline.publish.textindex import INDEX_DIR

    shards = sorted(p.stat().st_size for p in (site / INDEX_DIR / "k").glob("*.gw"))
    records = sorted(p.stat().st_size for p in (site / INDEX_DIR / "t").rglob("*.gw"))
    return {"shards": len(shards), "shard_median": shards[len(shards) // 2], "shard_max": shards[-1],
            "index_bytes": sum(shards) + sum(records), "record_median": records[len(records) // 2]}


def search_bytes(site: Path, title: str, url: str) -> dict:
    """Open index.html in headless Chromium, search ``title``; the bytes loaded for the search
    (after the page) and whether ``url`` is the first result."""
    from playwright.sync_api import sync_playwright

    from gongwen.pipeline.publish.serve import site_server

    server = site_server(site, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            sizes: dict[str, int] = {}

            def seen(response):
                try:
                    sizes[response.url] = len(response.body())
                except Exception:  # a redirect or a failed request has no body
                    sizes.setdefault(response.url, 0)

            page.on("response", seen)
            page.goto(base + "index.html")
            page.wait_for_load_state("networkidle")
            at_page = sum(sizes.values())
            t0 = time.perf_counter()
            page.fill("#q", title)
            page.wait_for_function("document.getElementById('result-count').textContent !== ''", timeout=60000)
            page.wait_for_load_state("networkidle")
            seconds = time.perf_counter() - t0
            first = page.locator("#result-list li a").first.get_attribute("href") if page.locator("#result-list li a").count() else None
            count = page.locator("#result-count").inner_text()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    search = {u: b for u, b in sizes.items()}
    return {"page_bytes": at_page, "search_bytes": sum(search.values()) - at_page, "requests": len(sizes),
            "found": bool(first) and first.endswith(url), "count": count, "seconds": round(seconds, 2)}


def run(n: int, source: Path, work: Path, pdfs: dict[str, Path], browser: bool, keep: bool) -> dict:
    out, site = work / f"out-{n}", work / f"site-{n}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    t0 = time.perf_counter()
    ids = make_clones(source, out, n, pdfs)
    _log(f"{n} clones in {time.perf_counter() - t0:.0f} s")
    full, summary = timed_publish(out, site)
    _log(f"full publish {full:.1f} s")
    sizes = site_sizes(site)
    # one item changed, three times over (other items), the median taken
    runs = []
    for k in (2, 3, 5):
        retitle(out, ids[len(ids) * (k - 1) // k])
        runs.append(timed_publish(out, site))
    incremental, inc = sorted(runs, key=lambda r: r[0])[1]
    unchanged, same = timed_publish(out, site)
    result = {
        "items": n, "published": len(summary.published), "full_s": round(full, 2),
        "incremental_s": round(incremental, 2), "incremental_written": inc.written, "incremental_made": len(inc.made),
        "unchanged_s": round(unchanged, 2), "unchanged_written": same.written,
        "ratio": round(incremental / full, 3), **sizes,
        "peak_mb_publish": round(_peak_mb(resource.RUSAGE_SELF)), **index_sizes(site),
    }
    if browser and CHROMIUM.exists():
        data = json.loads(OutDir(out).document_json(ids[len(ids) // 3]).read_text(encoding="utf-8"))
        from gongwen.pipeline.publish.listing import slug

        result["search"] = search_bytes(site, data["fields"]["title"]["value"], f"items/{slug(data['item_id'])}.html")
        # the word most titles end with: the longest lists of ids, ten records read
        result["search_common"] = search_bytes(site, COMMON_WORD, "")
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
    return result


def report(rows: list[dict], pdf_page_s: float) -> None:
    print("| items | full publish | incremental (1 item changed) | ratio | no change | site (without PDFs) | "
          "per item | largest file | largest page | index shards (median, largest) | search for a title loads | found | "
          f"search for {COMMON_WORD} loads | peak memory |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        s = r.get("search", {})
        print(
            f"| {r['items']:,} | {r['full_s']:.1f} s | {r['incremental_s']:.2f} s ({r['incremental_written']} files) | "
            f"{r['ratio']:.2f} | {r['unchanged_s']:.2f} s | {r['bytes_without_pdfs'] / 1e6:.1f} MB | "
            f"{r['bytes_without_pdfs'] / r['items'] / 1e3:.1f} KB | {r['largest'][0] / 1e3:.0f} KB ({r['largest'][1]}) | "
            f"{r['largest_page'][0] / 1e3:.0f} KB | {r['shards']:,} ({r['shard_median'] / 1e3:.0f} KB, {r['shard_max'] / 1e3:.0f} KB) | "
            f"{s.get('search_bytes', 0) / 1e3:.0f} KB | {s.get('found', '')} | "
            f"{r.get('search_common', {}).get('search_bytes', 0) / 1e3:.0f} KB | {r['peak_mb_publish'] / 1e3:.1f} GB |"
        )
    print(f"\nA public PDF made anew without its internal parts: {pdf_page_s:.2f} s a page (not in the times above).")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sizes", type=int, nargs="+", metavar="N")
    ap.add_argument("--source", type=Path, help="a converted OUT with public items (default: the samples, converted once)")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "publish_scale")
    ap.add_argument("--no-browser", action="store_true", help="skip the search in Chromium")
    ap.add_argument("--keep", action="store_true", help="keep each OUT and SITE")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    source = source_out(args.work, args.source)
    pdfs, pdf_page_s = public_pdfs(source, args.work)
    rows = []
    for n in args.sizes:
        rows.append(run(n, source, args.work, pdfs, not args.no_browser, args.keep))
        _log(json.dumps(rows[-1], ensure_ascii=False))
        (args.work / f"result-{n}.json").write_text(json.dumps(rows[-1], ensure_ascii=False, indent=1), encoding="utf-8")
    report(rows, pdf_page_s)


if __name__ == "__main__":
    main()
