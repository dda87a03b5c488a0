"""Compare two output folders file by file, for a change that must not change any output byte
(a restructure, a speed-up):

    .venv/bin/python bench/compare_out.py OUT_BEFORE OUT_AFTER

Every file of both trees is compared byte for byte except what differs from run to run by
nature: the run's own bookkeeping (``.gongwen/state.sqlite``, the aggregate rows kept between
runs), logs, the seconds column of ``pages.csv``, the zip times inside ``catalogue.xlsx``, and in
PDFs the time of writing, the file ID and the names reportlab gives images from a hash of their
file's path (so two OUTs in different folders compare equal; streams are compared inflated);
the review database (``review.sqlite``) by its rows, table by table, without the
``source_stamp`` column (the time document.json was last written, by which it knows to sync).
Prints the files that differ and exits 1 if any does.
"""

from __future__ import annotations

import re
import sys
import zipfile
import zlib
from pathlib import Path

# columns of the review database that record when, not what
REVIEW_STAMPS = {"source_stamp"}
BOOKKEEPING = {"state.sqlite", "state.sqlite-wal", "state.sqlite-shm", "aggregate-rows.json"}


def _inflate(m: re.Match) -> bytes:
    try:
        return b"stream" + zlib.decompressobj().decompress(m.group(1)) + b"endstream"
    except zlib.error:
        return m.group(0)


def pdf_content(data: bytes) -> bytes:
    data = re.sub(rb"stream\r?\n(.*?)endstream", _inflate, data, flags=re.S)
    for pattern in (rb"/Length \d+", rb"/(CreationDate|ModDate) ?\(D:[^)]*\)", rb"/ID\s*\[<[0-9a-fA-F]+>\s*<[0-9a-fA-F]+>\]",
                    rb"\d{10} \d{5} n", rb"startxref\s*\d+"):
        data = re.sub(pattern, b"", data)
    return re.sub(rb"FormXob\.[0-9a-zA-Z]+", b"FormXob", data)


def sqlite_content(path: Path) -> bytes:
    import sqlite3

    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        parts = []
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")') if r[1] not in REVIEW_STAMPS]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = sorted(map(repr, db.execute(f'SELECT {select} FROM "{table}"')))
            parts.append(repr((table, columns, rows)))
        return "\n".join(parts).encode()
    finally:
        db.close()


def content(path: Path) -> bytes:
    if path.suffix == ".sqlite":
        return sqlite_content(path)
    if path.name == "pages.csv":  # its last column is the seconds a page took
        return b"\n".join(line.rsplit(b",", 1)[0] for line in path.read_bytes().splitlines())
    if path.suffix == ".pdf":
        return pdf_content(path.read_bytes())
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return b"".join(name.encode() + z.read(name) for name in z.namelist())
    return path.read_bytes()


def files(root: Path) -> set[Path]:
    return {
        p.relative_to(root) for p in root.rglob("*")
        if p.is_file() and p.name not in BOOKKEEPING and p.suffix != ".log"
    }


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    before, after = Path(sys.argv[1]), Path(sys.argv[2])
    a, b = files(before), files(after)
    for rel in sorted(a - b):
        print(f"only in {before}: {rel}")
    for rel in sorted(b - a):
        print(f"only in {after}: {rel}")
    differ = [rel for rel in sorted(a & b) if content(before / rel) != content(after / rel)]
    for rel in differ:
        print(f"differs: {rel}")
    print(f"{len(a & b) - len(differ)} of {len(a & b)} files the same, {len(differ)} differ, "
          f"{len(a ^ b)} in one tree only")
    return 1 if differ or a ^ b else 0


if __name__ == "__main__":
    sys.exit(main())
