"""Per-field exactness of the GB/T 9704 elements on a freshly generated sample set.

    python bench/fields.py [--seed 90210] [--count 20] [--engine rapidocr]

Each documents.csv value is compared with the truth after NFKC with whitespace removed; an
empty truth must give an empty value (a field that is not on the page must not be guessed).
Prints one row per field: items where it is exact, and the share; then the misses.
"""

from __future__ import annotations

import sys

import pandas as pd

from common import converted_set, pairs, samples_module, set_args
from gongwen.parsers.text import compact

FIELDS = (
    "copy_number", "secrecy", "urgency", "issuer", "doc_number", "signer", "title", "addressees",
    "attachments", "signatories", "issue_date", "disclosure", "cc", "printed_by", "print_date",
    "received_date", "receipt_number",
)


def main() -> int:
    args = set_args(__doc__.splitlines()[0])
    scans, out, summary, wall = converted_set(args)
    ms = samples_module()
    hits = {f: 0 for f in FIELDS}
    misses = []
    n = 0
    for truth, item_id, docs in pairs(scans, out):
        expected = ms.expected_record(truth)["document"]
        row = docs[docs.item_id == item_id].iloc[0] if item_id is not None else None
        n += 1
        for f in FIELDS:
            want = compact(str(expected.get(f, "") or ""))
            got = compact(str(row[f])) if row is not None else "<missing item>"
            if want == got:
                hits[f] += 1
            else:
                misses.append((item_id, f, want, got))
    table = pd.DataFrame(
        [{"field": f, "exact": hits[f], "items": n, "exact %": round(100.0 * hits[f] / max(n, 1), 1)} for f in FIELDS]
    ).set_index("field")
    print()
    print(f"seed {args.seed}, {n} items, {summary.pages} pages, engine {args.engine}, {wall:.0f} s")
    print(table.to_string())
    print(f"all fields: {100.0 * sum(hits.values()) / max(n * len(FIELDS), 1):.1f} % exact")
    for item_id, f, want, got in misses[: args.show_misses]:
        print(f"  miss {item_id} {f}: want {want!r} got {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
