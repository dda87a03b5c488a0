"""Real documents scored against what a person reads off them.

    python bench/realworld.py [--truth-dir ../shared/realworld] [--truth-dir DIR …]
                              [--out bench/out/realworld] [--engine rapidocr] [--reparse]

Every ``*.truth.json`` under the truth folders names its document (the file beside it with the
same stem: ``x.truth.json`` describes ``x.pdf`` or ``x.jpg``).  The documents are converted into
OUT (an earlier conversion there is kept: a second run reads no page again; ``--reparse``
parses the kept pages again, for a change of the rules), then each is scored:

- **fields**: each field the truth lists, in documents.csv: *exact* (a ``null`` field must stay
  empty), *missed* (left empty: an archivist sees a gap) or *wrong* (a value that is not the
  truth's, or a null field filled: an archivist may trust it).  Wrong values are counted apart,
  as a share of the fields scored and of the values filled;
- **page kinds** (pages.csv), page by page; a document read as another number of pages has all
  its pages wrong;
- **phrases**: exact strings the text (text.txt) must hold, line breaks aside.

Prints one row per field, then the totals and every miss and wrong value.  Exit status 0.
Use ``--truth-dir`` for a set kept aside (never tune the rules on it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from common import REALWORLD, ROOT
from gongwen.ocr.engines import DEFAULT_ENGINE
from gongwen.parsers.metrics import EXACT, MISSED, WRONG, field_verdict, phrase_found
from gongwen.pipeline.export.outdir import DOCUMENTS_CSV, PAGES_CSV, OutDir
from gongwen.pipeline.run.convert import Settings, convert, reparse

TRUTH_SUFFIX = ".truth.json"


def truth_files(folders: list[Path]) -> list[tuple[Path, Path]]:
    """(truth file, its document) for every truth under the folders."""
    pairs = []
    for folder in folders:
        for truth in sorted(folder.rglob(f"*{TRUTH_SUFFIX}")):
            stem = truth.name[: -len(TRUTH_SUFFIX)]
            docs = [p for p in truth.parent.glob(f"{stem}.*") if p != truth and not p.name.endswith(".json")]
            if len(docs) != 1:
                raise SystemExit(f"{truth}: expected one document named {stem}.* beside it, found {len(docs)}")
            pairs.append((truth, docs[0]))
    stems = Counter(doc.stem for _, doc in pairs)
    if clash := [s for s, n in stems.items() if n > 1]:
        raise SystemExit(f"two documents named {clash[0]}: item ids must differ")
    return pairs


def score(out: Path, pairs: list[tuple[Path, Path]]) -> dict:
    """Per-document verdicts: fields, page kinds and phrases."""
    outdir = OutDir(out)
    docs = pd.read_csv(outdir.file(DOCUMENTS_CSV), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    pages = pd.read_csv(outdir.file(PAGES_CSV), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    results = []
    for truth_path, doc in pairs:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        item = doc.stem
        row = docs[docs.item_id == item]
        record = row.iloc[0].to_dict() if len(row) else {}
        kinds = list(pages[pages.item_id == item].sort_values("page", key=lambda s: s.astype(int)).kind)
        text_path = outdir.text_txt(item)
        text = text_path.read_text(encoding="utf-8") if text_path.exists() else ""
        fields = {
            name: (want, record.get(name, ""), field_verdict(want, record.get(name, "")))
            for name, want in truth.get("fields", {}).items()
        }
        want_kinds = truth.get("page_kinds")
        if want_kinds is None:
            page_hits = None
        elif len(want_kinds) == len(kinds):
            page_hits = [w == g for w, g in zip(want_kinds, kinds)]
        else:
            page_hits = [False] * len(want_kinds)
        results.append({
            "item": item, "status": record.get("status", "missing"), "fields": fields,
            "page_kinds": (want_kinds, kinds, page_hits),
            "phrases": [(p, phrase_found(p, text)) for p in truth.get("phrases", [])],
        })
    return results


def report(results: list[dict]) -> str:
    by_field: dict[str, Counter] = {}
    for r in results:
        for name, (_, _, verdict) in r["fields"].items():
            by_field.setdefault(name, Counter())[verdict] += 1
    table = pd.DataFrame([
        {"field": name, "scored": sum(c.values()), EXACT: c[EXACT], MISSED: c[MISSED], WRONG: c[WRONG]}
        for name, c in sorted(by_field.items())
    ])
    total = sum((c for c in by_field.values()), Counter())
    scored = sum(total.values())
    filled = total[EXACT] + total[WRONG]  # a value was written (or rightly none, for a null)
    page_hits = [h for r in results if r["page_kinds"][2] is not None for h in r["page_kinds"][2]]
    phrases = [found for r in results for _, found in r["phrases"]]
    pct = lambda a, b: f"{100.0 * a / b:.1f} %" if b else "–"
    lines = [
        f"{len(results)} documents",
        table.to_string(index=False) if len(table) else "(no fields scored)",
        "",
        f"fields exact:      {total[EXACT]}/{scored} ({pct(total[EXACT], scored)})",
        f"wrong values:      {total[WRONG]} ({pct(total[WRONG], scored)} of fields scored, "
        f"{pct(total[WRONG], filled)} of values given)",
        f"missed (empty):    {total[MISSED]}",
        f"page kinds right:  {sum(page_hits)}/{len(page_hits)} ({pct(sum(page_hits), len(page_hits))})",
        f"phrases found:     {sum(phrases)}/{len(phrases)} ({pct(sum(phrases), len(phrases))})",
    ]
    problems = []
    for r in results:
        if r["status"] != "ok":
            problems.append(f"  {r['item']}: status {r['status']}")
        for name, (want, got, verdict) in r["fields"].items():
            if verdict != EXACT:
                problems.append(f"  {r['item']}: {name} {verdict.upper()}: want {want!r}, got {got!r}")
        want_kinds, kinds, hits = r["page_kinds"]
        if hits is not None and not all(hits):
            problems.append(f"  {r['item']}: page kinds want {want_kinds}, got {kinds}")
        for phrase, found in r["phrases"]:
            if not found:
                problems.append(f"  {r['item']}: phrase not found: {phrase}")
    if problems:
        lines += ["", "misses and wrong values:", *problems]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--truth-dir", type=Path, action="append", help=f"default {REALWORLD}")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "realworld")
    ap.add_argument("--engine", default=DEFAULT_ENGINE)
    ap.add_argument("--jobs", type=int, default=0)
    ap.add_argument("--reparse", action="store_true", help="parse the kept pages again (no OCR)")
    args = ap.parse_args()
    pairs = truth_files(args.truth_dir or [REALWORLD])
    if args.reparse and OutDir(args.out).file(DOCUMENTS_CSV).exists():
        reparse(args.out)
    else:
        convert([doc for _, doc in pairs], args.out, Settings(engine=args.engine, jobs=args.jobs))
    print(report(score(args.out, pairs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
