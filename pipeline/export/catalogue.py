"""The archive catalogue (归档文件目录) in the columns of DA/T 22-2015: ``catalogue.csv`` and
``catalogue.xlsx``, one row per item.

The 档号 follows DA/T 22's structure ``全宗号-档案门类代码·年度-保管期限代码-机构（问题）代码-件号``
and is built from a pattern the archivist gives (``--archive-code``), e.g.
``"{fonds}-WS·{year}-{retention}-{seq:04d}"``, with the fonds and retention code given on their
own (``--fonds``, ``--retention``, ``--org``).  ``year`` is the item's 年度 (the year of its
成文日期, else of its 发文字号) and ``seq`` its 件号: 1, 2, … within its 年度, in order of date.
Without a pattern the 档号 column is empty: numbers are the archive's to assign, not ours.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import string
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from ...errors import UsageError
from ...parsers.docnumber import find_doc_number
from ...parsers.model import Document, Status
from .files import atomic_write_bytes, atomic_write_text, write_csv
from .outdir import CATALOGUE_CSV, CATALOGUE_XLSX, OutDir

log = logging.getLogger(__name__)

CATALOGUE_COLUMNS = ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]
# One column beyond DA/T 22: the item's id, which links a row to items/<item_id>/ and to
# documents.csv (a catalogue row must be traceable to its files).
LINK_COLUMN = "item_id"
CATALOGUE_SHEET = "归档文件目录"
# column widths of catalogue.xlsx (Excel character units), in CATALOGUE_COLUMNS order
CATALOGUE_WIDTHS = (6, 24, 22, 24, 48, 10, 8, 6, 24, 20)
# Where a run keeps the 档号 settings, so that ``reparse`` numbers the same way.

# Placeholders an --archive-code pattern may use.
ARCHIVE_CODE_FIELDS = ("fonds", "year", "retention", "org", "seq")
# 保管期限代码 of DA/T 22: 永久, 定期30年, 定期10年.
RETENTION_CODES = ("Y", "D30", "D10")
# The pattern used when only --fonds (and --retention, --org) are given: 全宗号-WS·年度-…-件号
# (WS: 文书, the 档案门类代码 of circulars).
DEFAULT_PATTERN_HEAD = "{fonds}-WS·{year}"
DEFAULT_PATTERN_TAIL = "-{seq:04d}"
SECRECY_MARK = "★"

NOTE_NEEDS_REVIEW = "需复核"
NOTE_PARTIAL = "部分识别"
NOTE_FAILED = "识别失败"
NOTE_DATE_INFERRED = "日期推定"
NOTE_NO_DATE = "成文日期不明"
NOTE_NO_YEAR = "年度不明，未编档号"


@dataclass(frozen=True)
class ArchiveCode:
    """How 档号 are formed: a pattern and the values of its fixed parts."""

    pattern: str = ""
    fonds: str = ""
    retention: str = ""
    org: str = ""

    def __post_init__(self) -> None:
        if not self.pattern:
            return
        try:
            names = [n for _, n, _, _ in string.Formatter().parse(self.pattern) if n is not None]
        except ValueError as exc:
            raise UsageError(f"--archive-code {self.pattern!r}: {exc}") from None
        for name in names:
            if name not in ARCHIVE_CODE_FIELDS:
                raise UsageError(
                    f"--archive-code {self.pattern!r}: unknown part {{{name}}}; "
                    f"known: {', '.join('{' + f + '}' for f in ARCHIVE_CODE_FIELDS)}"
                )
            if name in ("fonds", "retention", "org") and not getattr(self, name):
                raise UsageError(f"--archive-code uses {{{name}}}: give it with --{name}")
        if "seq" not in names:
            raise UsageError(f"--archive-code {self.pattern!r}: needs {{seq}} (the 件号) to be unique")
        try:
            self.format(2000, 1)
        except (ValueError, TypeError, IndexError, KeyError) as exc:
            raise UsageError(f"--archive-code {self.pattern!r}: {exc}") from None

    def format(self, year: int, seq: int) -> str:
        return self.pattern.format(
            fonds=self.fonds, year=year, retention=self.retention, org=self.org, seq=seq
        )


def archive_code_from_options(
    pattern: str | None, fonds: str | None, retention: str | None, org: str | None
) -> ArchiveCode | None:
    """The ArchiveCode the command-line options ask for; None when none was given.

    ``--fonds`` alone takes DA/T 22's order: ``{fonds}-WS·{year}[-{retention}][-{org}]-{seq:04d}``.
    """
    if not any((pattern, fonds, retention, org)):
        return None
    if not pattern:
        if not fonds:
            raise UsageError("--retention and --org need --fonds or --archive-code")
        pattern = DEFAULT_PATTERN_HEAD + "".join(
            f"-{{{name}}}" for name, value in (("retention", retention), ("org", org)) if value
        ) + DEFAULT_PATTERN_TAIL
    return ArchiveCode(pattern=pattern, fonds=fonds or "", retention=retention or "", org=org or "")


def save_settings(out: Path, code: ArchiveCode) -> None:

    atomic_write_text(OutDir(out).catalogue_settings, json.dumps(asdict(code), ensure_ascii=False, indent=1))


def load_settings(out: Path) -> ArchiveCode:
    """The 档号 settings of an earlier run of OUT (none: no 档号)."""
    path = OutDir(out).catalogue_settings
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ArchiveCode()
    except (OSError, ValueError) as exc:
        data = exc
    keys = ("pattern", "fonds", "retention", "org")
    if not isinstance(data, dict) or not all(isinstance(data.get(k, ""), str) for k in keys):
        # not guessed: the catalogue would be rewritten without its 档号, or with others
        raise UsageError(
            f"{path} is damaged ({data if isinstance(data, Exception) else 'not the 档号 settings'}): "
            "give the 档号 options again (--fonds, --archive-code …), or delete the file for no 档号"
        )
    return ArchiveCode(**{k: data.get(k, "") for k in keys})


def _value(field) -> Any:
    return None if field is None else field.value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "；".join(str(v) for v in value)
    return str(value)


def catalogue_entry(doc: Document, needs_review: bool) -> dict[str, Any]:
    """An item's catalogue row without 序号 and 档号 (which depend on the whole run), plus the
    keys ``_year`` and ``_date`` the numbering sorts by."""
    c = doc.circular
    issue_date = _value(c.issue_date)
    if not isinstance(issue_date, _dt.date):
        issue_date = None
    year = issue_date.year if issue_date else None
    doc_number = _text(_value(c.doc_number))
    if year is None and doc_number and (parsed := find_doc_number(doc_number)) is not None:
        year = parsed.year
    secrecy = _text(_value(c.secrecy))
    level, _, term = secrecy.partition(SECRECY_MARK)
    notes = []
    if doc.status == Status.FAILED:
        notes.append(f"{NOTE_FAILED}：{doc.error_message}" if doc.error_message else NOTE_FAILED)
    elif doc.status == Status.PARTIAL:
        notes.append(f"{NOTE_PARTIAL}：{doc.error_message}" if doc.error_message else NOTE_PARTIAL)
    elif needs_review:
        notes.append(NOTE_NEEDS_REVIEW)
    if term:
        notes.append(f"保密期限{term}")
    if issue_date is None and doc.status != Status.FAILED:
        notes.append(NOTE_NO_DATE)
    elif c.issue_date is not None and c.issue_date.inferred:
        notes.append(NOTE_DATE_INFERRED)
    return {
        "文号": doc_number,
        "责任者": _text(_value(c.issuer)) or _text(_value(c.signatories)),
        "题名": _text(_value(c.title)),
        "日期": issue_date.strftime("%Y%m%d") if issue_date else "",
        "密级": level.strip(),
        "页数": len(doc.pages) or "",
        "备注": "；".join(notes),
        LINK_COLUMN: doc.item_id,
        "_year": year,
        "_date": issue_date.isoformat() if issue_date else "",
    }


def catalogue_rows(entries: Iterable[dict[str, Any]], code: ArchiveCode = ArchiveCode()) -> list[dict[str, Any]]:
    """The catalogue in 件号 order: by 年度 and date (items without a year last, in run order);
    序号 counts the rows, 件号 restarts with each 年度."""
    entries = list(entries)
    order = sorted(
        range(len(entries)),
        key=lambda i: (entries[i]["_year"] is None, entries[i]["_year"] or 0, entries[i]["_date"], i),
    )
    rows, seq_in_year = [], {}
    for n, i in enumerate(order, start=1):
        e = entries[i]
        row = {k: v for k, v in e.items() if not k.startswith("_")}
        row["序号"] = n
        row["档号"] = ""
        if code.pattern:
            if e["_year"] is None:
                row["备注"] = "；".join(x for x in (row["备注"], NOTE_NO_YEAR) if x)
            else:
                seq_in_year[e["_year"]] = seq_in_year.get(e["_year"], 0) + 1
                row["档号"] = code.format(e["_year"], seq_in_year[e["_year"]])
        rows.append(row)
    return rows


def write_catalogue(out: Path, entries: Iterable[dict[str, Any]], code: ArchiveCode = ArchiveCode()) -> None:
    """``catalogue.csv`` (UTF-8 with BOM) and ``catalogue.xlsx``, both written atomically."""
    from .xlsx import xlsx_bytes

    columns = CATALOGUE_COLUMNS + [LINK_COLUMN]
    rows = catalogue_rows(entries, code)
    write_csv(OutDir(out).file(CATALOGUE_CSV), rows, columns)
    table = ([row.get(c, "") for c in columns] for row in rows)
    atomic_write_bytes(OutDir(out).file(CATALOGUE_XLSX), xlsx_bytes(CATALOGUE_SHEET, columns, table, CATALOGUE_WIDTHS))
