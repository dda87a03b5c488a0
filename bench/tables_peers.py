"""Born-digital ruled tables: gongwen beside camelot (lattice) and pdfplumber, in one run.

    python bench/tables_peers.py [--truth-dir ../shared/realworld/ruled-tables] [--truth-dir DIR …]
                                 [--out bench/out/tables_peers] [--show-misses 20]

Every ``*.json`` in the truth folders names a PDF (``pdf``), a page (``page``, from 1) and the
cells a person reads off one table on it (``rows``: a list of rows of cell strings; a cell
spanning rows holds its text in each row it covers, as camelot's copy_text="v" gives), or
``"rows": null`` for a page that holds no table (a tool's tables there are counted apart).
``samples/make_samples.py --report-tables --out DIR`` draws pages of the kinds issue 21 saw real
Chinese reports draw, with such files: ``--truth-dir DIR`` scores them.

gongwen converts the PDFs as a user would (``gongwen convert``: born-digital pages read from
the PDF's text and drawing, no OCR) and its tables are taken from ``document.json``, a merged
data cell's text repeated into each row it spans, as in the CSVs (a header cell's in its first
row: the header is one name a column).  camelot (``read_pdf(flavor="lattice")``) and
pdfplumber (``page.extract_tables()``) run with their defaults on the same page.  For each
expected table the tool's table on that page that scores best is taken, and scored as the share
of expected cells (empty ones too) equal at the same row and column:

- *whitespace exact*: runs of white space (a line break too) taken as one space, the ends
  stripped: "Ann Arbor" is not "AnnArbor";
- *whitespace ignored*: all white space removed.

With ``--scan-dpi N`` each truth page is also rendered at N dpi (pypdfium2, gray) and converted
as a scan (OCR, the rulings found in the pixels): one more row, gongwen's on the pages scanned.

camelot and pdfplumber are bench extras (``pip install -e '.[peers]'``), not runtime
dependencies; a tool that is not installed is reported as such.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from common import REALWORLD, ROOT
from gongwen.pipeline.run.convert import Settings, convert

Grid = list[list[str]]


def exact(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def bare(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def score(want: Grid, got: Grid, norm) -> int:
    """Expected cells equal at the same row and column."""
    return sum(
        1
        for r, row in enumerate(want)
        for c, cell in enumerate(row)
        if r < len(got) and c < len(got[r]) and norm(got[r][c]) == norm(cell)
    )


@dataclass
class Tally:
    exact: int = 0
    bare: int = 0
    cells: int = 0
    extra: int = 0  # tables found on pages that hold none
    misses: list = field(default_factory=list)

    def add(self, name: str, want: Grid | None, candidates: list[Grid]) -> None:
        if want is None:
            self.extra += len(candidates)
            self.misses.append((name, f"no table on the page, {len(candidates)} found"))
            return
        n = sum(len(r) for r in want)
        self.cells += n
        best = max(candidates, key=lambda g: (score(want, g, bare), score(want, g, exact)), default=[])
        e, b = score(want, best, exact), score(want, best, bare)
        self.exact += e
        self.bare += b
        shape = f"{len(best)}×{max((len(r) for r in best), default=0)}"
        self.misses.append((name, f"{e}/{n} exact, {b}/{n} whitespace ignored, table {shape} of {len(candidates)} found"))

    def line(self, tool: str) -> str:
        n = self.cells or 1
        return f"| {tool} | {self.exact / n:.2f} | {self.bare / n:.2f} | {self.exact}/{self.cells} | {self.extra} |"


def gongwen_tables(pdfs: list[Path], out: Path) -> dict[tuple[str, int], list[Grid]]:
    """Each (PDF name, page) → its tables as gongwen's OUT gives them."""
    convert(pdfs, out, Settings())
    found: dict[tuple[str, int], list[Grid]] = {}
    for doc_path in (out / "items").glob("**/document.json"):
        doc = json.loads(doc_path.read_text(encoding="utf-8"))
        name = Path(doc["source"]).name
        for t in doc.get("tables", []):
            by_page: dict[int, dict[tuple[int, int], str]] = {}
            for c in t["cells"]:
                # a merged data cell's text in each row it spans (as the CSVs give it); a
                # header's, in its first row only (the header is one name a column)
                last = c["row"] + c.get("row_span", 1) if c["row"] >= t.get("header_rows", 0) else c["row"] + 1
                for r in range(c["row"], last):
                    by_page.setdefault(c["page"], {})[(r, c["col"])] = c["text"]
            for page, cells in by_page.items():
                rows = sorted({r for r, _ in cells})
                cols = 1 + max(c for _, c in cells)
                grid = [[cells.get((r, c), "") for c in range(cols)] for r in rows]
                found.setdefault((name, page), []).append(grid)
    return found


def scanned(truths: list[tuple[Path, dict]], folder: Path, dpi: int) -> dict[Path, Path]:
    """Each truth's page rendered at ``dpi`` as a gray PNG: truth file → image."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for path, t in truths:
        pdf = pdfium.PdfDocument(str(path.parent / t["pdf"]))
        try:
            image = pdf[int(t["page"]) - 1].render(scale=dpi / 72).to_pil().convert("L")
        finally:
            pdf.close()
        target = folder / f"{path.stem}.png"
        image.save(target, dpi=(dpi, dpi))
        out[path] = target
    return out


def camelot_tables(pdf: Path, page: int) -> list[Grid] | None:
    try:
        import camelot
    except ImportError:
        return None
    tables = camelot.read_pdf(str(pdf), pages=str(page), flavor="lattice")
    return [t.df.astype(str).values.tolist() for t in tables]


def pdfplumber_tables(pdf: Path, page: int) -> list[Grid] | None:
    try:
        import pdfplumber
    except ImportError:
        return None
    with pdfplumber.open(str(pdf)) as doc:
        return [[[c or "" for c in row] for row in t] for t in doc.pages[page - 1].extract_tables()]


def main() -> int:
    import logging

    for noisy in ("pdfminer", "playa", "camelot"):  # the peers' parsers warn about fonts
        logging.getLogger(noisy).setLevel(logging.ERROR)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--truth-dir", action="append", type=Path, help="folders of *.json with their PDFs")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "tables_peers")
    ap.add_argument("--show-misses", type=int, default=20)
    ap.add_argument("--scan-dpi", type=int, help="also convert every truth page rendered at this dpi, with OCR")
    args = ap.parse_args()
    dirs = args.truth_dir or [REALWORLD / "ruled-tables"]
    truths = [(p, json.loads(p.read_text(encoding="utf-8"))) for d in dirs for p in sorted(d.glob("*.json"))]
    pdfs = sorted({p.parent / t["pdf"] for p, t in truths})
    import shutil

    shutil.rmtree(args.out, ignore_errors=True)
    ours = gongwen_tables(pdfs, args.out)
    tallies = {"camelot 2.0 lattice (defaults)": Tally(), "pdfplumber extract_tables (defaults)": Tally(), "gongwen": Tally()}
    if args.scan_dpi:
        images = scanned(truths, args.out / "scans", args.scan_dpi)
        scans = gongwen_tables(sorted(images.values()), args.out / "out-scans")
        tally = tallies[f"gongwen, pages rendered at {args.scan_dpi} dpi (OCR)"] = Tally()
        for path, t in truths:
            tally.add(path.name, t["rows"], scans.get((images[path].name, 1), []))
    missing = set()
    for path, t in truths:
        pdf, page, want = path.parent / t["pdf"], int(t["page"]), t["rows"]
        for tool, found in (("camelot 2.0 lattice (defaults)", camelot_tables(pdf, page)),
                            ("pdfplumber extract_tables (defaults)", pdfplumber_tables(pdf, page)),
                            ("gongwen", ours.get((pdf.name, page), []))):
            if found is None:
                missing.add(tool)
                continue
            tallies[tool].add(path.name, want, found)
    n_tables = sum(1 for _, t in truths if t["rows"] is not None)
    print(f"\n{n_tables} tables and {len(truths) - n_tables} pages without one, in {len(pdfs)} PDFs; "
          "share of expected cells equal at the same row and column\n")
    print("| | cells, whitespace exact | cells, whitespace ignored | exact cells | tables where none is |")
    print("|---|---|---|---|---|")
    for tool, tally in tallies.items():
        print(tally.line(tool) if tool not in missing else f"| {tool} | not installed | | | |")
    for tool, tally in tallies.items():
        for name, what in tally.misses[: args.show_misses]:
            print(f"  {tool}: {name}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
