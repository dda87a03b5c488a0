"""Circulation slips, annotations and the 收文 stamp, on a freshly generated sample set.

    python bench/slip.py [--family random|forms] [--seed S] [--count N] [--engine rapidocr-v6]
                         [--reparse] [--show-misses 15] [--show-text-errors]

``--family random`` (default seed 90210) is the generator's own slips (``make_samples.py
--seed``); ``--family forms`` (default seed 4711, held back: never tune on it) is the second,
independently written family of slip forms, hands and stamps (``make_samples.py --slips all``).
The tuning seed of that family is 2020.

One line per measure of issue 20, on the items that have what it measures:

- circulation rows F1: a row counts when its reader and all three dates equal the truth's
  (readers alone: the reader only);
- annotation signer / date right: for each true annotation, the item's annotation of the same
  kind whose text is nearest; its signer (its date) equal to the truth's.  Text CER: the edit
  distance of that text (NFKC, whitespace removed) over the true characters.  Annotations read
  that match no true one are counted apart;
- 收文 received date / receipt number, issue date (成文日期): documents.csv against the truth,
  wrong non-empty values counted apart.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from common import BENCH_SEED, ROOT, converted_set, pairs, samples_module, set_args
from gongwen.parsers.metrics import edit_distance
from gongwen.parsers.text import compact

DATES = ("circulated", "delivered", "returned")
FAMILY_SEEDS = {"random": BENCH_SEED, "forms": 4711}
FORMS_TUNING_SEED = 2020
FIELDS_WORK = ROOT / "bench" / "out" / "fields"  # the random family's set is bench/fields.py's
FORMS_WORK = ROOT / "bench" / "out" / "slipforms"


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0  # a value that is not the truth's (not counting empty ones)
    total: int = 0

    def add(self, want: str, got: str) -> bool:
        self.total += 1
        if got == want:
            self.right += 1
            return True
        if got:
            self.wrong += 1
        return False

    def line(self, name: str) -> str:
        share = self.right / self.total if self.total else 0.0
        return f"{name:34s} {share:6.3f}   {self.right}/{self.total} right, {self.wrong} wrong"


@dataclass
class F1:
    tp: int = 0
    predicted: int = 0
    true: int = 0

    def add(self, pred: list[tuple], true: list[tuple]) -> list[tuple]:
        """Count one item's rows; returns the true rows not matched."""
        self.predicted += len(pred)
        self.true += len(true)
        left = list(true)
        for p in pred:
            if p in left:
                left.remove(p)
                self.tp += 1
        return left

    def line(self, name: str) -> str:
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.true if self.true else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return f"{name:34s} {f1:6.3f}   precision {p:.3f}, recall {r:.3f} ({self.tp} of {self.true} true, {self.predicted} read)"


@dataclass
class Scores:
    rows: F1 = field(default_factory=F1)
    readers: F1 = field(default_factory=F1)
    signer: Tally = field(default_factory=Tally)
    date: Tally = field(default_factory=Tally)
    text_errors: int = 0
    text_chars: int = 0
    unmatched_read: int = 0
    received: Tally = field(default_factory=Tally)
    number: Tally = field(default_factory=Tally)
    issue_date: Tally = field(default_factory=Tally)
    misses: list = field(default_factory=list)


def read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def generate_forms(scans: Path, seed: int, count: int) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "samples" / "make_samples.py"), "--out", str(scans), "--seed", str(seed),
         "--count", str(count), "--slips", "all"],
        check=True,
    )


def score_annotations(s: Scores, item_id: str, want: list[dict], mine: pd.DataFrame, show_text: bool) -> None:
    used: set[int] = set()
    for a in want:
        t = compact(a["text"])
        same = [(i, r) for i, r in mine.iterrows() if r.kind == a["kind"] and i not in used]
        best = min(same, key=lambda ir: edit_distance(t, compact(ir[1].text)), default=None)
        if best is not None:
            used.add(best[0])
        got = best[1] if best is not None else None
        e = min(edit_distance(t, compact(got.text)), len(t)) if got is not None else len(t)
        s.text_errors += e
        s.text_chars += len(t)
        signer_ok = s.signer.add(compact(a.get("signer", "")), compact(got.signer) if got is not None else "")
        date_ok = s.date.add(a.get("date", ""), got.date if got is not None else "")
        if not (signer_ok and date_ok):
            read_as = (compact(got.text), got.signer, got.date) if got is not None else "nothing"
            s.misses.append((item_id, "annotation", a["kind"], a.get("signer", ""), a.get("date", ""), "read", read_as))
        if e and show_text:
            s.misses.append((item_id, "text", t, "read", compact(got.text) if got is not None else ""))
    s.unmatched_read += len(mine) - len(used)


def score(scans: Path, out: Path, show_text: bool) -> Scores:
    ms = samples_module()
    circ, notes = read(out, "circulation.csv"), read(out, "annotations.csv")
    s = Scores()
    for truth, item_id, docs in pairs(scans, out):
        want = ms.expected_record(truth)
        got = circ[circ.item_id == item_id]
        pred = [tuple(compact(r[k]) for k in ("reader",) + DATES) for _, r in got.iterrows()]
        true = [tuple(compact(str(r.get(k, "") or "")) for k in ("reader",) + DATES) for r in want["circulation"]]
        for t in s.rows.add(pred, true):
            s.misses.append((item_id, "row missed", t))
        s.readers.add([p[:1] for p in pred], [t[:1] for t in true])
        score_annotations(s, item_id, want["annotations"], notes[notes.item_id == item_id], show_text)
        doc = docs[docs.item_id == item_id]
        record = doc.iloc[0].to_dict() if len(doc) else {}
        for name, tally in (("received_date", s.received), ("receipt_number", s.number), ("issue_date", s.issue_date)):
            w = compact(str(want["document"].get(name) or ""))
            if w and not tally.add(w, compact(record.get(name, ""))):
                s.misses.append((item_id, name, w, "read", record.get(name, "")))
    return s


def main() -> int:
    args = set_args(__doc__.splitlines()[0], default_count=20, extra=[
        (("--family",), {"choices": sorted(FAMILY_SEEDS), "default": "random", "help": "which slips to generate"}),
        (("--show-text-errors",), {"action": "store_true", "help": "list annotations whose text differs"}),
    ])
    if args.family == "forms":  # its own seed and folder, unless given
        args.seed = FAMILY_SEEDS["forms"] if args.seed == BENCH_SEED else args.seed
        args.work = FORMS_WORK if args.work == FIELDS_WORK else args.work
    scans, out, _, _ = converted_set(args, reuse=True, make=generate_forms if args.family == "forms" else None)
    s = score(scans, out, args.show_text_errors)
    cer = 100.0 * s.text_errors / max(s.text_chars, 1)
    print()
    print(f"family {args.family}, seed {args.seed}{' (held back)' if args.seed == FAMILY_SEEDS['forms'] and args.family == 'forms' else ''}, engine {args.engine}")
    print(s.rows.line("circulation rows F1"))
    print(s.readers.line("  readers alone F1"))
    print(s.signer.line("annotation signer right"))
    print(s.date.line("annotation date right"))
    print(f"{'annotation text CER':34s} {cer / 100:6.3f}   {s.text_errors} edits over {s.text_chars} characters; "
          f"{s.unmatched_read} annotations read that match none")
    print(s.received.line("收文 received date"))
    print(s.number.line("收文 receipt number"))
    print(s.issue_date.line("issue date (成文日期)"))
    for m in s.misses[: args.show_misses]:
        print("  miss", *m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
