"""Circulation slips and annotations on a freshly generated sample set.

    python bench/slip.py [--seed 90210] [--count 20] [--engine rapidocr]

- circulation F1: a row counts when reader and all three dates equal the truth's;
- annotations: the share of true annotations for which one of the item's annotations has the
  same kind, signer and date; and the text CER of the best-matching annotation of that kind
  (NFKC, whitespace removed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from common import converted_set, pairs, samples_module, set_args
from gongwen.parsers.metrics import edit_distance
from gongwen.parsers.text import compact

DATES = ("circulated", "delivered", "returned")


def read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def main() -> int:
    args = set_args(__doc__.splitlines()[0], extra=[
        (("--show-text-errors",), {"action": "store_true", "help": "list annotations whose text differs"}),
    ])
    scans, out, _, _ = converted_set(args, reuse=True)
    ms = samples_module()
    circ, notes = read(out, "circulation.csv"), read(out, "annotations.csv")
    tp = n_pred = n_true = 0
    ann_ok = ann_n = 0
    err = chars = 0
    misses = []
    for truth, item_id, _ in pairs(scans, out):
        want = ms.expected_record(truth)
        got = circ[circ.item_id == item_id]
        pred = [tuple(compact(r[k]) for k in ("reader",) + DATES) for _, r in got.iterrows()]
        true = [tuple(compact(str(r.get(k, "") or "")) for k in ("reader",) + DATES) for r in want["circulation"]]
        n_pred += len(pred)
        n_true += len(true)
        left = list(true)
        for p in pred:
            if p in left:
                left.remove(p)
                tp += 1
            else:
                misses.append((item_id, "row", p))
        for t in left:
            misses.append((item_id, "row missed", t))
        mine = notes[notes.item_id == item_id]
        for a in want["annotations"]:
            ann_n += 1
            key = (a["kind"], compact(a.get("signer", "")), compact(a.get("date", "")))
            same = [r for _, r in mine.iterrows() if r.kind == a["kind"]]
            t = compact(a["text"])
            best = min(same, key=lambda r: edit_distance(t, compact(r.text)), default=None)
            e = min(edit_distance(t, compact(best.text)) if best is not None else len(t), len(t))
            err += e
            chars += len(t)
            read_as = (compact(best.text), best.signer, best.date) if best is not None else "nothing"
            if any((r.kind, compact(r.signer), compact(r.date)) == key for _, r in mine.iterrows()):
                ann_ok += 1
            else:
                misses.append((item_id, "annotation", key, "read", read_as))
            if e and args.show_text_errors:
                misses.append((item_id, "text", t, "read", read_as))
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_true if n_true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print()
    print(f"seed {args.seed}, engine {args.engine}")
    print(f"circulation rows: {n_true} true, {n_pred} read, {tp} exact -> precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}")
    print(f"annotations: kind+signer+date exact {ann_ok}/{ann_n} = {100.0 * ann_ok / max(ann_n, 1):.1f} %")
    print(f"annotation text CER: {100.0 * err / max(chars, 1):.2f} % over {chars} characters")
    for m in misses[: args.show_misses]:
        print("  miss", *m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
