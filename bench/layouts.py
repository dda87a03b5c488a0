"""Held-out layouts: documents the GB/T 9704 generator does not draw, scored field by field.

    python bench/layouts.py [--seed 1976] [--count 22] [--kinds all|letter,taiwan,…]
                            [--engine rapidocr] [--jobs 0] [--work bench/out/layouts] [--reparse]

Generates ``--count`` documents of the kinds in turn (``make_samples.py --layouts``: a 函 on
letterhead, issuer and date under the title, a 语录 box above the red mark, a speech, a leaflet, a
telephone record, a Taiwanese 函, secrecy marks written otherwise, a circular printed in red,
mimeographed, or photographed with a phone), converts them, and scores documents.csv against
``expected_record(truth)`` like bench/realworld.py does real documents: every circular field is
*exact* (an element the page does not have must stay empty), *missed* (left empty) or *wrong* (a
value that is not the truth's, or an empty field filled), wrong values counted apart; page kinds
(pages.csv) page by page; and one phrase per document (the start of its first paragraph) in
text.txt.  Then one row per kind.

Never tune the rules on this seed: it is for measuring.  The tests use seeds 1–7 (and 4242 for
random truths); the default seed here, 1976, is used by no test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from common import ROOT, samples_module
from gongwen.ocr.engines import DEFAULT_ENGINE
from gongwen.parsers.metrics import EXACT, MISSED, WRONG, field_verdict, phrase_found
from gongwen.parsers.model import CIRCULAR_FIELDS
from gongwen.pipeline.export.outdir import DOCUMENTS_CSV, PAGES_CSV, OutDir
from gongwen.pipeline.run.convert import Settings, convert, reparse
from realworld import report

LAYOUT_SEED = 1976
PHRASE_CHARS = 12


def generate(scans: Path, seed: int, count: int, kinds: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "samples" / "make_samples.py"), "--out", str(scans), "--seed", str(seed),
         "--count", str(count), "--layouts", kinds],
        check=True,
    )


def _phrase(truth: dict) -> list[str]:
    for b in truth["circular"].get("body") or []:
        if len(b["text"]) >= PHRASE_CHARS:
            return [b["text"][:PHRASE_CHARS]]
    return []


def score(scans: Path, out: Path) -> list[dict]:
    """One result per generated document, in the form bench/realworld.py reports (plus its kind)."""
    ms = samples_module()
    outdir = OutDir(out)
    docs = pd.read_csv(outdir.file(DOCUMENTS_CSV), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    pages = pd.read_csv(outdir.file(PAGES_CSV), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    item_of = {Path(src).name: item for src, item in zip(docs.source, docs.item_id)}
    results = []
    for truth_path in sorted(scans.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        item = item_of.get(truth_path.name[: -len(".truth.json")])
        row = docs[docs.item_id == item] if item else docs.iloc[0:0]
        record = row.iloc[0].to_dict() if len(row) else {}
        expected = ms.expected_record(truth)["document"]
        fields = {}
        for name in CIRCULAR_FIELDS:
            want = str(expected.get(name) or "")
            got = record.get(name, "")
            fields[name] = (want or None, got, field_verdict(want or None, got))
        want_kinds = [p["kind"] for p in truth.get("pages", [])]
        kinds = list(pages[pages.item_id == item].sort_values("page", key=lambda s: s.astype(int)).kind) if item else []
        hits = [w == g for w, g in zip(want_kinds, kinds)] if len(kinds) == len(want_kinds) else [False] * len(want_kinds)
        text_path = outdir.text_txt(item) if item else None
        text = text_path.read_text(encoding="utf-8") if text_path and text_path.exists() else ""
        results.append({
            "item": item or truth["id"], "kind": truth.get("kind", "?"), "status": record.get("status", "missing"),
            "fields": fields, "page_kinds": (want_kinds, kinds, hits),
            "phrases": [(p, phrase_found(p, text)) for p in _phrase(truth)],
        })
    return results


def by_kind(results: list[dict]) -> str:
    rows = []
    for kind in dict.fromkeys(r["kind"] for r in results):
        rs = [r for r in results if r["kind"] == kind]
        c = Counter(v for r in rs for _, _, v in r["fields"].values())
        hits = [h for r in rs for h in r["page_kinds"][2]]
        rows.append({"kind": kind, "items": len(rs), "fields": sum(c.values()), EXACT: c[EXACT], MISSED: c[MISSED],
                     WRONG: c[WRONG], "exact %": round(100.0 * c[EXACT] / max(sum(c.values()), 1), 1),
                     "pages right": f"{sum(hits)}/{len(hits)}"})
    return pd.DataFrame(rows).to_string(index=False)


def split(results: list[dict]) -> str:
    """Fields the page has (a value to read) apart from those it has not (to be left empty)."""
    has = Counter(v for r in results for want, _, v in r["fields"].values() if want)
    empty = Counter(v for r in results for want, _, v in r["fields"].values() if not want)
    pct = lambda a, b: f"{100.0 * a / b:.1f} %" if b else "–"
    return (f"fields on the page:     {has[EXACT]}/{sum(has.values())} exact ({pct(has[EXACT], sum(has.values()))}), "
            f"{has[MISSED]} missed, {has[WRONG]} wrong\n"
            f"fields not on the page: {empty[EXACT]}/{sum(empty.values())} left empty, {empty[WRONG]} filled")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=LAYOUT_SEED, help="sample seed (no test uses the default)")
    ap.add_argument("--count", type=int, help="documents to generate (default: two of each kind)")
    ap.add_argument("--kinds", default="all", help="all, or a comma list of the kinds")
    ap.add_argument("--engine", default=DEFAULT_ENGINE)
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "layouts")
    ap.add_argument("--reparse", action="store_true", help="parse the pages of an earlier conversion again (no OCR)")
    args = ap.parse_args()
    from gongwen.samples.make_samples import layout_kinds

    try:
        kinds = layout_kinds(args.kinds)
    except ValueError as exc:
        ap.error(str(exc))
    count = args.count or 2 * len(kinds)
    tag = f"seed{args.seed}-n{count}-" + ("all" if args.kinds.strip() == "all" else "-".join(kinds))
    scans = args.work / f"scans-{tag}"
    out = args.work / f"out-{args.engine}-{tag}"
    generate(scans, args.seed, count, ",".join(kinds))
    if args.reparse and OutDir(out).file(DOCUMENTS_CSV).exists():
        reparse(out)
    else:
        convert([scans], out, Settings(engine=args.engine, jobs=args.jobs))
    results = score(scans, out)
    print()
    print(f"held-out layouts: seed {args.seed}, {count} documents, kinds {', '.join(kinds)}, engine {args.engine}")
    print(report(results))
    print()
    print(split(results))
    print()
    print("by kind:")
    print(by_kind(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
