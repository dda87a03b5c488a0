"""Archivists' corrections applied to the model: a pure function Document × corrections → Document.

A correction names a value by its *field path* and gives the text the reviewer typed:

- ``circular.<name>`` — a field of ``documents.csv`` (``circular.doc_number``);
- ``circulation[i].<reader|circulated|delivered|returned>`` — a reader row of the slip;
- ``annotations[i].<kind|text|signer|date>`` — a handwritten annotation;
- ``tables[i].cells[r,c]`` — the table cell whose top-left grid position is row ``r``,
  column ``c`` (rows from 0, header rows first, as in ``document.json``);
- ``publication`` — a reviewer's decision on publishing the item: ``public`` (公开),
  ``withheld`` (不公开) or empty (按附注判断, as its 附注 says); it is kept in ``doc.review``
  with who made it and when, and ``gongwen publish`` follows it before the 附注.

Indices count from 0.  A corrected :class:`Field` gets ``method="reviewed"`` and confidence 1
(its page, box and raw OCR text are kept); a corrected cell gets its text, and its table is
typed and checked again (a fixed number can make a 合计 check pass).  The page text (text.txt,
the searchable PDF's text layer) gets the corrected text too where the value's own line is
found inside its box.  A value set back to what was extracted keeps the extracted field as it
was.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ...parsers.model import (
    CIRCULAR_DATE_FIELDS,
    CIRCULAR_FIELDS,
    CIRCULATION_DATE_FIELDS,
    REVIEWED_METHOD,
    Annotation,
    Cell,
    CirculationEntry,
    Document,
    Field,
    ItemError,
    Review,
    Stage,
    Table,
)
from ...parsers.tables import check_totals, flatten_header, type_numbers
from ...parsers.text import compact
from ...parsers.model import REVIEW_THRESHOLD
from ..export.items import field_value
from ...parsers.disclosure import PUBLICATION_DECISIONS, PUBLICATION_PUBLIC, PUBLICATION_WITHHELD

log = logging.getLogger(__name__)

REVIEWED_CONFIDENCE = 1.0
ANNOTATION_KINDS = ("proposal", "instruction", "note")
ANNOTATION_FIELDS = ("kind", "text", "signer", "date")
CIRCULATION_FIELDS = ("reader",) + CIRCULATION_DATE_FIELDS
MAX_VALUE_CHARS = 4000
# a line counts as part of a value when its box lies inside the value's box, give or take this
# many pixels
BOX_TOLERANCE = 4.0
# the review screen shows a value longer than this in a box of several lines (at most MAX_ROWS)
LONG_VALUE_CHARS = 22
MAX_ROWS = 6
# 发文字号 as the contract normalises it: 机关代字〔YYYY〕N号
DOC_NUMBER_SHAPE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{1,20}〔(?:19|20)\d{2}〕\d{1,5}号$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_CIRCULAR = re.compile(r"^circular\.(?P<name>[a-z_]+)$")
_CIRCULATION = re.compile(r"^circulation\[(?P<i>\d{1,5})\]\.(?P<name>[a-z_]+)$")
_ANNOTATION = re.compile(r"^annotations\[(?P<i>\d{1,5})\]\.(?P<name>[a-z_]+)$")
_CELL = re.compile(r"^tables\[(?P<i>\d{1,4})\]\.cells\[(?P<r>\d{1,5}),(?P<c>\d{1,4})\]$")
PUBLICATION_PATH = "publication"
# the choices of the review screen, the default (按附注判断: no decision) first
PUBLICATION_LABELS = {"": "按附注判断", PUBLICATION_PUBLIC: "公开", PUBLICATION_WITHHELD: "不公开"}

CIRCULAR_LABELS = {
    "copy_number": "份号", "secrecy": "密级", "urgency": "紧急程度", "issuer": "发文机关标志",
    "doc_number": "发文字号", "signer": "签发人", "title": "标题", "addressees": "主送机关",
    "signatories": "发文机关署名", "issue_date": "成文日期", "disclosure": "附注",
    "attachments": "附件说明", "cc": "抄送机关", "printed_by": "印发机关", "print_date": "印发日期",
    "received_date": "收文日期", "receipt_number": "收文编号",
}
CIRCULATION_LABELS = {"reader": "传阅人", "circulated": "传阅日期", "delivered": "送达日期", "returned": "收回日期"}
ANNOTATION_LABELS = {"kind": "类型", "text": "内容", "signer": "签名", "date": "日期"}
ANNOTATION_KIND_LABELS = {"proposal": "拟办意见", "instruction": "领导批示", "note": "其他批注"}


class CorrectionError(ValueError):
    """A correction that cannot be applied: an unknown path or an invalid value."""


@dataclass(frozen=True)
class FieldPath:
    section: str  # circular, circulation, annotations, tables
    name: str = ""  # the field's name; "cell" for a table cell
    index: int = 0
    row: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.section == PUBLICATION_PATH:
            return PUBLICATION_PATH
        if self.section == "circular":
            return f"circular.{self.name}"
        if self.section == "tables":
            return f"tables[{self.index}].cells[{self.row},{self.col}]"
        return f"{self.section}[{self.index}].{self.name}"

    @property
    def is_date(self) -> bool:
        return (
            (self.section == "circular" and self.name in CIRCULAR_DATE_FIELDS)
            or (self.section == "circulation" and self.name in CIRCULATION_DATE_FIELDS)
            or (self.section == "annotations" and self.name == "date")
        )

    @property
    def label(self) -> str:
        if self.section == PUBLICATION_PATH:
            return "公开决定"
        if self.section == "circular":
            return CIRCULAR_LABELS[self.name]
        if self.section == "circulation":
            return f"传阅第{self.index + 1}行 {CIRCULATION_LABELS[self.name]}"
        if self.section == "annotations":
            return f"批注{self.index + 1} {ANNOTATION_LABELS[self.name]}"
        return f"表{self.index + 1} 第{self.row + 1}行第{self.col + 1}列"


def parse_path(path: str) -> FieldPath:
    """The :class:`FieldPath` of ``path``; :class:`CorrectionError` for anything else."""
    if path == PUBLICATION_PATH:
        return FieldPath(PUBLICATION_PATH, PUBLICATION_PATH)
    if m := _CIRCULAR.match(path):
        if m["name"] in CIRCULAR_FIELDS:
            return FieldPath("circular", m["name"])
    elif m := _CIRCULATION.match(path):
        if m["name"] in CIRCULATION_FIELDS:
            return FieldPath("circulation", m["name"], int(m["i"]))
    elif m := _ANNOTATION.match(path):
        if m["name"] in ANNOTATION_FIELDS:
            return FieldPath("annotations", m["name"], int(m["i"]))
    elif m := _CELL.match(path):
        return FieldPath("tables", "cell", int(m["i"]), int(m["r"]), int(m["c"]))
    raise CorrectionError(f"unknown field path {path!r}")


# -- reading values ---------------------------------------------------------------------------


def _entry(doc: Document, fp: FieldPath) -> CirculationEntry | Annotation:
    items: Sequence[Any] = doc.circulation if fp.section == "circulation" else doc.annotations
    if fp.index >= len(items):
        raise CorrectionError(f"{fp}: the item has no such {fp.section} entry")
    return items[fp.index]


def _cell(doc: Document, fp: FieldPath) -> Cell:
    if fp.index >= len(doc.tables):
        raise CorrectionError(f"{fp}: the item has no such table")
    for cell in doc.tables[fp.index].cells:
        if cell.row == fp.row and cell.col == fp.col:
            return cell
    raise CorrectionError(f"{fp}: the table has no cell there")


def field_at(doc: Document, path: str | FieldPath) -> Field | None:
    """The :class:`Field` at ``path`` (None for a value not found, an annotation's kind or a
    table cell)."""
    fp = parse_path(path) if isinstance(path, str) else path
    if fp.section == PUBLICATION_PATH:
        return None
    if fp.section == "circular":
        return getattr(doc.circular, fp.name)
    if fp.section == "tables" or fp.name == "kind":
        _cell(doc, fp) if fp.section == "tables" else _entry(doc, fp)
        return None
    return getattr(_entry(doc, fp), fp.name)


def value_text(doc: Document, path: str | FieldPath) -> str:
    """The value at ``path`` as the CSVs write it ("" for a value not found)."""
    fp = parse_path(path) if isinstance(path, str) else path
    if fp.section == PUBLICATION_PATH:
        return (doc.review.publication if doc.review is not None else None) or ""
    if fp.section == "tables":
        return _cell(doc, fp).text
    if fp.section == "annotations" and fp.name == "kind":
        return _entry(doc, fp).kind  # type: ignore[union-attr]
    return field_value(field_at(doc, fp))


# -- validating what a reviewer typed ---------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    text: str  # the value as it will be stored (line breaks normalised, trimmed)
    warnings: tuple[str, ...] = ()


def normalise_input(text: str, multiline: bool) -> str:
    """Browsers send line breaks as CR LF; a field's value is one line (a cell's may have
    several entries, one per line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = "".join(part.strip() for part in text.split("\n"))
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def check_value(path: str | FieldPath, text: str) -> Checked:
    """The value a reviewer typed, normalised, with warnings; :class:`CorrectionError` when it
    cannot be saved (a date that is not a real ISO date, an unknown annotation kind)."""
    fp = parse_path(path) if isinstance(path, str) else path
    text = normalise_input(text, multiline=fp.section == "tables")
    if len(text) > MAX_VALUE_CHARS:
        raise CorrectionError(f"{fp.label}：值过长（最多 {MAX_VALUE_CHARS} 字）")
    if any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in text):
        raise CorrectionError(f"{fp.label}：含控制字符（如 NUL），无法保存")
    if fp.is_date and text:
        if not ISO_DATE.match(text):
            raise CorrectionError(f"{fp.label}：日期须写作 YYYY-MM-DD（如 2014-01-24），“{text}”不是")
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise CorrectionError(f"{fp.label}：{text} 不是真实存在的日期") from None
    if fp.section == PUBLICATION_PATH and text and text not in PUBLICATION_DECISIONS:
        raise CorrectionError(
            f"{fp.label}：须为 {PUBLICATION_PUBLIC}（公开）、{PUBLICATION_WITHHELD}（不公开）或空（按附注判断）"
        )
    if fp.section == "annotations" and fp.name == "kind" and text not in ANNOTATION_KINDS:
        raise CorrectionError(f"{fp.label}：须为 {', '.join(ANNOTATION_KINDS)} 之一")
    warnings = []
    if fp.section == "circular" and fp.name == "doc_number" and text and not DOC_NUMBER_SHAPE.match(text):
        warnings.append(f"{fp.label}“{text}”不合 机关代字〔YYYY〕N号 的格式；已保存，请再核对")
    return Checked(text, tuple(warnings))


# -- applying corrections ---------------------------------------------------------------------


def _typed(fp: FieldPath, text: str) -> Any:
    if not text:
        return None
    return dt.date.fromisoformat(text) if fp.is_date else text


def reviewed_field(old: Field | None, value: Any) -> Field:
    """The field with the reviewer's value: method ``reviewed``, confidence 1, the page, box
    and OCR text kept."""
    if old is None:
        return Field(value=value, confidence=REVIEWED_CONFIDENCE, method=REVIEWED_METHOD)
    return replace(old, value=value, confidence=REVIEWED_CONFIDENCE, method=REVIEWED_METHOD, inferred=False)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...], tolerance: float = BOX_TOLERANCE) -> bool:
    return (
        inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
        and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance
    )


def _spread(text: str, lengths: list[int]) -> list[str]:
    """``text`` cut into pieces in proportion to ``lengths`` (a value read over several lines)."""
    total, pieces, start, seen = sum(lengths) or 1, [], 0, 0
    for length in lengths:
        seen += length
        end = round(seen / total * len(text))
        pieces.append(text[start:end])
        start = end
    return pieces


def retext_lines(doc: Document, page_no: int | None, bbox, olds: Sequence[str], new: str) -> Document:
    """The page text (the lines of the searchable PDF's text layer and of text.txt) with a
    corrected value: in the lines inside the value's box, the one line holding the old value
    (or its raw OCR text) gets the new one; a value read over several lines is spread over
    them.  Where the old text cannot be found there, the lines stay as OCR read them."""
    page = next((p for p in doc.pages if p.number == page_no), None)
    if page is None or bbox is None:
        return doc
    inside = [i for i, line in enumerate(page.lines) if _inside(line.bbox, bbox)]
    lines = list(page.lines)
    for old in (o for o in olds if o):
        holders = [i for i in inside if old in lines[i].text]
        if len(holders) == 1:
            lines[holders[0]] = replace(lines[holders[0]], text=lines[holders[0]].text.replace(old, new, 1))
            break
        if len(inside) > 1 and compact("".join(lines[i].text for i in inside)) == compact(old):
            for i, piece in zip(inside, _spread(new, [len(lines[i].text) for i in inside])):
                lines[i] = replace(lines[i], text=piece)
            break
    else:
        return doc
    pages = tuple(replace(p, lines=tuple(lines)) if p.number == page_no else p for p in doc.pages)
    return replace(doc, pages=pages)


def _retext(doc: Document, fp: FieldPath, text: str) -> Document:
    """The page text with the value at ``fp`` set to ``text``; dates (printed 二〇一四年一月二十四日,
    stored ISO) and annotation kinds are not page text."""
    if fp.is_date or fp.name == "kind":
        return doc
    if fp.section == "tables":
        cell = _cell(doc, fp)
        return retext_lines(doc, cell.page, cell.bbox, [cell.text], text)
    field = field_at(doc, fp)
    if field is None:
        return doc
    return retext_lines(doc, field.page, field.bbox, [field_value(field), field.raw], text)


def _set(doc: Document, fp: FieldPath, text: str) -> Document:
    doc = _retext(doc, fp, text)
    if fp.section == "circular":
        field = reviewed_field(getattr(doc.circular, fp.name), _typed(fp, text))
        return replace(doc, circular=replace(doc.circular, **{fp.name: field}))
    if fp.section == "tables":
        table = doc.tables[fp.index]
        cells = tuple(
            replace(c, text=text, value=None) if (c.row, c.col) == (fp.row, fp.col) else c for c in table.cells
        )
        tables = list(doc.tables)
        tables[fp.index] = replace(table, cells=cells)
        return replace(doc, tables=tuple(tables))
    entry = _entry(doc, fp)
    if fp.name == "kind":
        new: Any = replace(entry, kind=text)
    else:
        new = replace(entry, **{fp.name: reviewed_field(getattr(entry, fp.name), _typed(fp, text))})
    entries = list(doc.circulation if fp.section == "circulation" else doc.annotations)
    entries[fp.index] = new
    return replace(doc, **{fp.section: tuple(entries)})


def _retyped(table: Table, index: int, header_changed: bool) -> Table:
    """A table after an edit: numbers typed again, header names (when a header cell changed)
    and the 合计 checks made again."""
    cells = tuple(replace(c, value=None) for c in table.cells)
    table = replace(table, cells=cells)
    if header_changed:
        table = replace(table, header=flatten_header(replace(table, header=())))
    table = type_numbers(table)
    return replace(table, checks=check_totals(table, index + 1))


def _with_table_checks(doc: Document) -> Document:
    """The item's check errors made again from its tables' checks (as ``build_document`` does)."""
    errors = tuple(e for e in doc.errors if e.stage != Stage.CHECK) + tuple(
        ItemError(stage=Stage.CHECK, message=m, page=t.pages[-1] if t.pages else None)
        for t in doc.tables
        for m in t.checks
    )
    return replace(doc, errors=errors)


def final_values(changes: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each path's last value over ``changes`` (edits and undos in the order they were made)."""
    last: dict[str, str] = {}
    for path, text in changes:
        last[path] = text
    return last


def apply_corrections(
    doc: Document,
    changes: Iterable[tuple[str, str]],
    approved: bool = False,
    reviewed_by: str | None = None,
    reviewed_at: str | None = None,
    publication_by: str | None = None,
    publication_at: str | None = None,
) -> Document:
    """``doc`` with each path set to its last value in ``changes`` ((path, text) in the order
    they were made), and the review recorded (``doc.review``) when anything was corrected, the
    item was approved or a publication decided (by ``publication_by``, at ``publication_at``).
    Values equal to the extracted ones leave their field untouched."""
    corrected: list[str] = []
    touched_tables: dict[int, bool] = {}
    finals = final_values(changes)
    publication = finals.pop(PUBLICATION_PATH, "")
    if publication not in PUBLICATION_DECISIONS:
        if publication:
            log.warning("%s: an unknown publication decision %r is ignored", doc.item_id, publication)
        publication = None
    for path, text in finals.items():
        try:
            fp = parse_path(path)
            text = check_value(fp, text).text
            if text == value_text(doc, fp):
                continue
        except CorrectionError as exc:  # the item was extracted again since, differently
            log.warning("%s: a correction of %s no longer applies (%s)", doc.item_id, path, exc)
            continue
        doc = _set(doc, fp, text)
        corrected.append(str(fp))
        if fp.section == "tables":
            header_rows = doc.tables[fp.index].header_rows
            touched_tables[fp.index] = touched_tables.get(fp.index, False) or fp.row < header_rows
    if touched_tables:
        tables = list(doc.tables)
        for index, header_changed in touched_tables.items():
            tables[index] = _retyped(tables[index], index, header_changed)
        doc = _with_table_checks(replace(doc, tables=tuple(tables)))
    if corrected or approved or publication:
        doc = replace(doc, review=Review(
            approved=approved,
            reviewed_by=reviewed_by if approved else None,
            reviewed_at=reviewed_at if approved else None,
            corrected=tuple(sorted(corrected)),
            publication=publication,
            publication_by=publication_by if publication else None,
            publication_at=publication_at if publication else None,
        ))
    else:
        doc = replace(doc, review=None)
    return doc


# -- what the review screen lists -------------------------------------------------------------


@dataclass(frozen=True)
class Editable:
    """One value on the review screen."""

    path: str
    label: str
    value: str
    page: int | None
    bbox: tuple[float, float, float, float] | None
    confidence: float | None  # None for a value without one (a cell, an annotation's kind)
    method: str
    is_date: bool = False
    multiline: bool = False

    @property
    def textarea(self) -> bool:
        """Shown in a box of several lines: a cell of several entries, a long title."""
        return self.multiline or len(self.value) > LONG_VALUE_CHARS

    @property
    def rows(self) -> int:
        return min(MAX_ROWS, max(self.value.count("\n") + 1, len(self.value) // LONG_VALUE_CHARS + 1))

    @property
    def low(self) -> bool:
        """Below the review threshold (as ``needs_review``), or not found."""
        return self.confidence is not None and self.confidence < REVIEW_THRESHOLD


def _editable(doc: Document, fp: FieldPath) -> Editable:
    field = field_at(doc, fp)
    value = value_text(doc, fp)
    if fp.section == "tables":
        cell = _cell(doc, fp)
        return Editable(str(fp), fp.label, value, cell.page, cell.bbox, None, "", multiline="\n" in value)
    if field is None:  # not found (most circulars have no 份号 or 密级): nothing to doubt
        return Editable(str(fp), fp.label, value, None, None, None, "", fp.is_date)
    return Editable(str(fp), fp.label, value, field.page, field.bbox, field.confidence, field.method, fp.is_date)


def circular_editables(doc: Document) -> list[Editable]:
    return [_editable(doc, FieldPath("circular", n)) for n in CIRCULAR_FIELDS]


def circulation_editables(doc: Document) -> list[list[Editable]]:
    return [
        [_editable(doc, FieldPath("circulation", n, i)) for n in CIRCULATION_FIELDS]
        for i in range(len(doc.circulation))
    ]


def annotation_editables(doc: Document) -> list[list[Editable]]:
    return [
        [_editable(doc, FieldPath("annotations", n, i)) for n in ANNOTATION_FIELDS]
        for i in range(len(doc.annotations))
    ]


def table_editables(doc: Document) -> list[list[list[Editable]]]:
    """Per table, its rows of cells (merged cells once, at their top-left position)."""
    out = []
    for t_index, table in enumerate(doc.tables):
        rows: dict[int, list[Editable]] = {}
        for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
            rows.setdefault(cell.row, []).append(_editable(doc, FieldPath("tables", "cell", t_index, cell.row, cell.col)))
        out.append([rows[r] for r in sorted(rows)])
    return out


def all_editables(doc: Document) -> list[Editable]:
    flat = circular_editables(doc)
    for group in circulation_editables(doc) + annotation_editables(doc):
        flat += group
    for table in table_editables(doc):
        for row in table:
            flat += row
    return flat
