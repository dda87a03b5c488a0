"""Writing files safely: atomically (a temp file beside the target, then a rename), JSON as
``document.json`` lays it out, and CSV that a spreadsheet program opens as data, never as a
formula.  The ground floor of ``pipeline.export``: every writer of OUT uses it, it uses none.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Iterable

# -- atomic writes ----------------------------------------------------------------------------


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


FILE_MODE = _file_mode()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)  # mkstemp makes 0600 files; outputs are for other people too
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


# containers this deep are laid out one member per line; deeper ones (a line with its bbox,
# a cell) are written on one line each
JSON_LAYOUT_DEPTH = 4
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def json_text(data: Any, depth: int = 0) -> str:
    """JSON as ``document.json`` is written: readable (every page, line and field on a line of
    its own) yet encoded by the C encoder, not the much slower pure-Python indenting one."""
    pad = " " * (depth + 1)
    if depth < JSON_LAYOUT_DEPTH and isinstance(data, dict) and data:
        body = (f"{pad}{_COMPACT.encode(k)}: {json_text(v, depth + 1)}" for k, v in data.items())
        return "{\n" + ",\n".join(body) + "\n" + " " * depth + "}" + ("\n" if depth == 0 else "")
    if depth < JSON_LAYOUT_DEPTH and isinstance(data, list) and data:
        body = (pad + json_text(v, depth + 1) for v in data)
        return "[\n" + ",\n".join(body) + "\n" + " " * depth + "]"
    return _COMPACT.encode(data)


# -- spreadsheet formula injection ------------------------------------------------------------

# A cell a spreadsheet program reads as a formula when it starts with one of these (OWASP's CSV
# injection list: = + - @, tab, carriage return, line feed), or with the full-width ＝＋－＠ or
# ー (katakana long-vowel mark), which Excel was reported to evaluate alike in a Japanese setting
# (OWASP www-community issue 1088; not checked on a Chinese one, neutralised all the same: they
# hardly ever begin a real value).  A title OCR'd or corrected as
# =HYPERLINK("http://…","x") must reach an archivist's Excel as text.
FORMULA_START = frozenset("=+-@\t\r\n＝＋－＠ー")
SPREADSHEET_QUOTE = "'"
# what is kept as it is although it starts with + or -: a plain number (-12.5, +3, -1,234.50,
# -7%, -1.5e3), which a spreadsheet reads as that number and never as a formula, and a lone dash
# (a table's "none"): neutralising them would corrupt numeric table columns.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?|[-－]")


def formula_like(value: Any) -> bool:
    """Would a spreadsheet program evaluate this CSV value (or this text typed into a cell)?"""
    if not isinstance(value, str):
        return False
    text = value.lstrip(SPREADSHEET_QUOTE)
    return bool(text) and text[0] in FORMULA_START and _PLAIN_NUMBER.fullmatch(text) is None


def spreadsheet_safe(value: Any) -> Any:
    """A value as the CSV files carry it: one a spreadsheet would take for a formula gets a
    leading apostrophe (OWASP's advice), so Excel, LibreOffice and Numbers show it as text;
    anything else (numbers, dates, Chinese text) is returned as it is.  A value that already
    starts with an apostrophe before such a character gets one more, so
    :func:`spreadsheet_value` gives every value back exactly.  ``document.json`` keeps the
    exact value; ``catalogue.xlsx`` writes it as a text cell (see ``xlsx.py``)."""
    return SPREADSHEET_QUOTE + value if formula_like(value) else value


def spreadsheet_value(text: str) -> str:
    """The value :func:`spreadsheet_safe` was given, from what a CSV file holds."""
    if text.startswith(SPREADSHEET_QUOTE) and formula_like(text[1:]):
        return text[1:]
    return text


def _safe_row(row: dict) -> dict:
    return {k: SPREADSHEET_QUOTE + v if formula_like(v) else v for k, v in row.items()}


def write_csv(path: Path, rows: Iterable[dict], columns: list[str]) -> None:
    """UTF-8 with BOM (Excel shows Chinese), one header row, empty string for missing values,
    every value :func:`spreadsheet_safe`; minimal quoting and CRLF, as pandas writes it (the
    csv module does it without loading pandas, which the review app must not)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, restval="", extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in _safe_row(row).items()} for row in rows)
    atomic_write_bytes(path, buf.getvalue().encode("utf-8-sig"))


def write_table_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """One table: its header row, then its data rows (column names may repeat), every value
    :func:`spreadsheet_safe`.  The csv module writes what pandas writes (minimal quoting,
    CRLF) at a tenth of the cost, which counts for an item with a table on each of its hundred
    pages."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(v) for v in header])
    writer.writerows([spreadsheet_safe(v) for v in row] for row in rows)
    atomic_write_bytes(path, buf.getvalue().encode("utf-8-sig"))
