"""Annex tables on a freshly generated sample set.

    python bench/tables.py [--seed 90210] [--count 20] [--engine rapidocr] [--reparse]

Each true annex table is paired with the item's table of the same number (items/<id>/
table-<n>.csv, the contract's file) and compared with ``expected_record`` of the truth:

- header exact: every column name equal (NFKC, whitespace removed);
- cell exact: the share of true data cells (the 合计 row included) whose value is equal at the
  same row and column, whitespace aside (separate entries of a cell are joined);
- rows exact: tables with exactly as many data rows as the truth;
- entries exact: among the cells whose value is exact, those whose line breaks are right too
  (separate entries on separate lines, wrapped text joined into one);
- continued merged: tables the truth prints over several pages that come out as one table
  over the same pages (document.json ``tables[].pages``);
- extra tables: tables found that the truth does not have (the slip's grid must not be one).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from common import converted_set, pairs, samples_module, set_args
from gongwen.parsers.text import compact


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return (rows[0], rows[1:]) if rows else ([], [])


def true_pages(truth: dict) -> dict[int, set[int]]:
    """Pages each annex table (numbered from 1) is printed on."""
    out: dict[int, set[int]] = {}
    for page in truth.get("pages", []):
        for b in page.get("blocks", []):
            if b.get("role") == "table_cell":
                out.setdefault(b["table"], set()).add(page["index"])
    return out


def main() -> int:
    args = set_args(__doc__.splitlines()[0])
    scans, out, summary, wall = converted_set(args, reuse=True)
    ms = samples_module()
    n_tables = header_ok = rows_ok = cells_ok = n_cells = 0
    continued = merged = extra = 0
    entries_ok = 0
    misses = []
    for truth, item_id, docs in pairs(scans, out):
        want = ms.expected_record(truth)["tables"]
        folder = out / "items" / Path(*(item_id or "?").split("/"))
        got = []
        n = 1
        while (folder / f"table-{n}.csv").exists():
            got.append(read_table(folder / f"table-{n}.csv"))
            n += 1
        doc = json.loads((folder / "document.json").read_text(encoding="utf-8")) if (folder / "document.json").exists() else {}
        got_pages = [set(t.get("pages", ())) for t in doc.get("tables", [])]
        extra += max(0, len(got) - len(want))
        pages_of = true_pages(truth)
        for t, w in enumerate(want):
            n_tables += 1
            header, rows = got[t] if t < len(got) else ([], [])
            if [compact(h) for h in header] == [compact(h) for h in w["header"]]:
                header_ok += 1
            else:
                misses.append((item_id, t + 1, "header", w["header"], header))
            if len(rows) == len(w["rows"]):
                rows_ok += 1
            else:
                misses.append((item_id, t + 1, "rows", len(w["rows"]), len(rows)))
            annex = truth["annexes"][t]
            true_rows = annex["rows"] + ([annex["total_row"]] if annex.get("total_row") else [])
            for r, wrow in enumerate(w["rows"]):
                for c, value in enumerate(wrow):
                    n_cells += 1
                    mine = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
                    if mine is not None and compact(mine) == compact(value):
                        cells_ok += 1
                        entries = [compact(e) for e in ms._cell_entries(true_rows[r][c])]
                        if [compact(e) for e in mine.split("\n")] == entries:
                            entries_ok += 1
                        else:
                            misses.append((item_id, t + 1, f"entries {r + 1},{c + 1}", entries, mine.split("\n")))
                    else:
                        misses.append((item_id, t + 1, f"cell {r + 1},{c + 1}", value, mine))
            if len(pages_of.get(t + 1, ())) > 1:
                continued += 1
                if t < len(got_pages) and got_pages[t] == pages_of[t + 1]:
                    merged += 1
                else:
                    misses.append((item_id, t + 1, "continued", sorted(pages_of[t + 1]),
                                   sorted(got_pages[t]) if t < len(got_pages) else None))

    def pct(a: int, b: int) -> str:
        return f"{100.0 * a / max(b, 1):.1f} %"

    print()
    pages = f", {summary.pages} pages" if summary is not None else ""
    print(f"seed {args.seed}, engine {args.engine}{pages}, {wall:.1f} s, {n_tables} true tables")
    print("| measure | result |")
    print("|---|---|")
    print(f"| header exact | {header_ok}/{n_tables} = {pct(header_ok, n_tables)} |")
    print(f"| cell exact (whitespace aside) | {cells_ok}/{n_cells} = {pct(cells_ok, n_cells)} |")
    print(f"| entries exact (of exact cells) | {entries_ok}/{cells_ok} = {pct(entries_ok, cells_ok)} |")
    print(f"| rows per table exact | {rows_ok}/{n_tables} = {pct(rows_ok, n_tables)} |")
    print(f"| continued tables merged | {merged}/{continued} |")
    print(f"| extra tables | {extra} |")
    for m in misses[: args.show_misses]:
        print("  miss", *m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
