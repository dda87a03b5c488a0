"""Exporters: functions of the model that write the files of the output contract.

One data dict (:func:`item_data`) feeds ``document.json``, ``document.html`` and the CSV rows
alike.  Every file is written atomically (a temp file in the same folder, then ``os.replace``),
so a crash never leaves a half-written file behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from ... import __version__
from ...errors import GongwenError
from ...parsers.layout import page_text
from ...parsers.model import (
    CIRCULAR_FIELDS, REVIEW_THRESHOLD, Document, Stage, Status, Field, ItemError, document_from_dict, to_dict,
    weighted_confidence,
)
from ...parsers.tables import flatten_header, grid
from .files import atomic_write_text, json_text, write_csv, write_table_csv
from .outdir import (
    ANNOTATIONS_CSV, CATALOGUE_CSV, CIRCULATION_CSV, DOCUMENT_JSON, DOCUMENTS_CSV, FAILURES_CSV, PAGES_CSV, TABLES_CSV, OutDir,
)

DOCUMENTS_COLUMNS = (
    ["item_id", "source", "pages"]
    + list(CIRCULAR_FIELDS)
    + ["confidence", "needs_review", "status", "error"]
)
CIRCULATION_COLUMNS = ["item_id", "seq", "reader", "circulated", "delivered", "returned"]
ANNOTATIONS_COLUMNS = ["item_id", "kind", "text", "signer", "date", "page", "confidence"]
TABLES_COLUMNS = ["item_id", "table", "row", "column", "header", "value"]
PAGES_COLUMNS = ["item_id", "page", "kind", "engine", "dpi", "skew_deg", "confidence", "seconds"]
# failures.csv: one row per error of every item that is not ok, what an operator works through
FAILURES_COLUMNS = ["item_id", "source", "status", "stage", "page", "error"]

AGGREGATES = {
    DOCUMENTS_CSV: DOCUMENTS_COLUMNS,
    CIRCULATION_CSV: CIRCULATION_COLUMNS,
    ANNOTATIONS_CSV: ANNOTATIONS_COLUMNS,
    TABLES_CSV: TABLES_COLUMNS,
    PAGES_CSV: PAGES_COLUMNS,
    FAILURES_CSV: FAILURES_COLUMNS,
}
PAGE_BREAK = "\f"

log = logging.getLogger(__name__)


# -- the data dict ----------------------------------------------------------------------------


def field_value(f: Field | None) -> str:
    if f is None or f.value is None:
        return ""
    if isinstance(f.value, (list, tuple)):
        return "；".join(str(v) for v in f.value)
    if hasattr(f.value, "isoformat"):
        return f.value.isoformat()
    return str(f.value)


def document_text(doc: Document) -> str:
    """Full text in reading order; pages end with a form feed, as pdftotext writes them."""
    return "".join(page_text(p.lines) + "\n" + PAGE_BREAK for p in doc.pages)


def all_fields(doc: Document) -> list[Field]:
    """Every extracted value of the item: circular fields, circulation rows, annotations."""
    fields = [getattr(doc.circular, n) for n in CIRCULAR_FIELDS]
    for e in doc.circulation:
        fields += [e.reader, e.circulated, e.delivered, e.returned]
    for a in doc.annotations:
        fields += [a.text, a.signer, a.date]
    return [f for f in fields if f is not None]


def document_confidence(doc: Document) -> float:
    """The item's confidence: its lowest field confidence, else its OCR confidence."""
    field_conf = [f.confidence for f in all_fields(doc)]
    ocr = weighted_confidence(l for p in doc.pages for l in p.lines)
    return min(field_conf + [ocr]) if field_conf else ocr


def needs_review(doc: Document) -> bool:
    """Not ok, below the review threshold, a check failed (a 合计 that is not the sum) or a value
    was seen but left empty for weak evidence (``Circular.doubts``) — unless an archivist
    approved the item in the review app: a person has looked at it."""
    if doc.review is not None and doc.review.approved:
        return False
    return (
        doc.status != Status.OK
        or document_confidence(doc) < REVIEW_THRESHOLD
        or any(e.stage == Stage.CHECK for e in doc.errors)
        or bool(doc.circular.doubts)
    )


def item_data(doc: Document) -> dict[str, Any]:
    """The one data dict of an item: document.json as written, and the source of HTML and CSV."""
    data = to_dict(doc)
    data["fields"] = {name: data["circular"][name] for name in CIRCULAR_FIELDS}
    # values seen but left empty, each with its reason (only when there are: an item without
    # doubts writes the document.json it always did)
    if data["circular"]["doubts"]:
        data["doubts"] = data["circular"]["doubts"]
    del data["circular"]
    for page, p in zip(data["pages"], doc.pages):
        page["confidence"] = round(p.confidence, 4)
        page.pop("image_path", None)
        # how long the page took is the run's, not the document's (OUT/.gongwen/state.sqlite
        # keeps it for pages.csv): document.json is the same however often it is made
        page.pop("seconds", None)
    data["confidence"] = round(document_confidence(doc), 4)
    data["needs_review"] = needs_review(doc)
    data["error"] = doc.error_message
    data["text"] = document_text(doc)
    return data


# -- rows -------------------------------------------------------------------------------------


def document_row(doc: Document) -> dict[str, Any]:
    row: dict[str, Any] = {"item_id": doc.item_id, "source": doc.source, "pages": len(doc.pages) or ""}
    for name in CIRCULAR_FIELDS:
        row[name] = field_value(getattr(doc.circular, name))
    row["confidence"] = f"{document_confidence(doc):.3f}" if doc.pages else ""
    row["needs_review"] = "true" if needs_review(doc) else "false"
    row["status"] = doc.status
    row["error"] = doc.error_message
    return row


def with_page_seconds(doc: Document, seconds: dict[int, float]) -> Document:
    """The document with the seconds each page took (kept apart from document.json)."""
    if not seconds:
        return doc
    return replace(doc, pages=tuple(replace(p, seconds=seconds.get(p.number, p.seconds)) for p in doc.pages))


def page_rows(doc: Document) -> list[dict[str, Any]]:
    return [
        {
            "item_id": doc.item_id,
            "page": p.number,
            "kind": p.kind,
            "engine": p.engine,
            "dpi": round(p.dpi) if p.dpi else "",
            "skew_deg": round(p.skew, 2),
            "confidence": f"{p.confidence:.3f}",
            "seconds": f"{p.seconds:.2f}",
        }
        for p in doc.pages
    ]


def circulation_rows(doc: Document) -> list[dict[str, Any]]:
    return [
        {
            "item_id": doc.item_id,
            "seq": e.seq,
            "reader": field_value(e.reader),
            "circulated": field_value(e.circulated),
            "delivered": field_value(e.delivered),
            "returned": field_value(e.returned),
        }
        for e in doc.circulation
    ]


def annotation_rows(doc: Document) -> list[dict[str, Any]]:
    return [
        {
            "item_id": doc.item_id,
            "kind": a.kind,
            "text": field_value(a.text),
            "signer": field_value(a.signer),
            "date": field_value(a.date),
            "page": a.text.page or "",
            "confidence": f"{a.text.confidence:.3f}",
        }
        for a in doc.annotations
    ]


def table_grid(table) -> tuple[list[str], list[list[str]]]:
    """(header, data rows) of a table, merged cells repeated into every row they span; the
    header is one name per column (a multi-row header flattened)."""
    rows = grid(table)
    header = list(table.header or flatten_header(table))
    return header, rows[table.header_rows :]


def table_rows(doc: Document) -> list[dict[str, Any]]:
    rows = []
    for t_index, table in enumerate(doc.tables, start=1):
        header, data = table_grid(table)
        for r_index, row in enumerate(data, start=1):
            for c_index, value in enumerate(row):
                rows.append(
                    {
                        "item_id": doc.item_id,
                        "table": t_index,
                        "row": r_index,
                        "column": c_index + 1,
                        "header": header[c_index] if c_index < len(header) else "",
                        "value": value,
                    }
                )
    return rows


def failure_rows(doc: Document) -> list[dict[str, Any]]:
    """The errors of an item that is partial or failed (an ok item's checks are review
    flags, not failures, and are not listed)."""
    if doc.status == Status.OK:
        return []
    base = {"item_id": doc.item_id, "source": doc.source, "status": doc.status}
    errors = doc.errors or (ItemError(stage="", message="no reason was recorded"),)
    return [{**base, "stage": e.stage, "page": e.page or "", "error": e.message} for e in errors]


def aggregate_rows(doc: Document) -> dict[str, list[dict[str, Any]]]:
    """This item's rows for each aggregate CSV, and its entry in the catalogue."""
    from .catalogue import catalogue_entry

    return {
        # a duplicate is no 件 of its own: the catalogue lists the first
        CATALOGUE_CSV: [] if doc.status == Status.DUPLICATE else [catalogue_entry(doc, needs_review(doc))],
        DOCUMENTS_CSV: [document_row(doc)],
        CIRCULATION_CSV: circulation_rows(doc),
        ANNOTATIONS_CSV: annotation_rows(doc),
        TABLES_CSV: table_rows(doc),
        PAGES_CSV: page_rows(doc),
        FAILURES_CSV: failure_rows(doc),
    }


def item_order_key(item_id: str) -> list[list]:
    """Where an item stands in the aggregate CSVs: by its id, folder by folder, numbers in
    their natural order (box2 before box10).  It depends on the id alone, so the CSVs come out
    the same whichever runs (interrupted, resumed, another folder into the same OUT, a review
    export) wrote them."""
    return [[int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", part)] for part in item_id.split("/")]


def write_aggregates(
    out: Path, rows_by_item: dict[str, dict[str, list[dict[str, Any]]]], archive_code=None
) -> None:
    """Write the aggregate CSVs (``failures.csv`` included) from the rows of every item, in
    :func:`item_order_key` order, and the catalogue (``catalogue.csv``/``.xlsx``, 档号 formed
    by ``archive_code``)."""
    from .catalogue import ArchiveCode, write_catalogue

    names = list(AGGREGATES) + [CATALOGUE_CSV]
    collected: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for item_id in sorted(rows_by_item, key=item_order_key):
        rows = rows_by_item[item_id]
        for name in names:
            collected[name].extend(rows.get(name, []))
    for name, columns in AGGREGATES.items():
        write_csv(OutDir(out).file(name), collected[name], columns)
    write_catalogue(out, collected[CATALOGUE_CSV], archive_code or ArchiveCode())


# -- per-item files ---------------------------------------------------------------------------

def item_dir(out: Path, item_id: str) -> Path:
    return OutDir(out).item_dir(item_id)


@dataclass(frozen=True)
class StoredItem:
    """One item's ``document.json`` as found in OUT: its data and typed document, or why it
    cannot be read.  Every reader of OUT (convert's aggregates, reparse, publish, review,
    export) goes through :func:`stored_items`, so one damaged file is one item's error, named,
    never a traceback that stops the others."""

    item_id: str  # the item's folder under OUT/items (the id it must carry)
    path: Path
    data: dict[str, Any] | None = None
    document: Document | None = None
    error: str | None = None  # in words an archivist understands

    @property
    def ok(self) -> bool:
        return self.error is None

    def failed_document(self) -> Document:
        """A failed :class:`Document` standing for an unreadable item in the aggregate CSVs."""
        return Document(
            item_id=self.item_id, source=str(self.path), status=Status.FAILED,
            errors=(ItemError(stage=Stage.READ, message=self.error or f"its {DOCUMENT_JSON} cannot be read"),),
        )


# what every document.json written by any version has besides its item_id: one without them
# is not a record of an item (without "pages" it would pass for an ok item of no pages)
# what every document.json convert writes holds, and its readers rely on (a record that parses
# may still be a fragment: ``{"item_id": …}``)
STORED_KEYS = {"source": str, "status": str, "pages": list, "fields": dict}


def read_stored(out: Path, path: Path) -> StoredItem:
    """Read one ``OUT/items/**/document.json``; a damaged, truncated or foreign file gives a
    :class:`StoredItem` with its ``error`` set instead of raising."""
    item_id = OutDir(out).item_id_of(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return StoredItem(item_id, path, error=f"its {DOCUMENT_JSON} cannot be read ({exc.strerror or exc})")
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError alike
        return StoredItem(item_id, path, error=f"its {DOCUMENT_JSON} is damaged (not valid JSON: {exc})")
    if not isinstance(data, dict):
        return StoredItem(item_id, path, error=f"its {DOCUMENT_JSON} is damaged (not a record)")
    if data.get("item_id") != item_id:
        return StoredItem(
            item_id, path, error=f"its {DOCUMENT_JSON} names item {data.get('item_id')!r}, not its folder {item_id!r}"
        )
    missing = [f"{key!r} {kind.__name__}" for key, kind in STORED_KEYS.items() if not isinstance(data.get(key), kind)]
    if missing:
        return StoredItem(item_id, path, error=f"its {DOCUMENT_JSON} is damaged (no {', '.join(missing)})")
    if data["status"] not in set(Status):
        return StoredItem(item_id, path, error=f"its {DOCUMENT_JSON} is damaged (status {data['status']!r})")
    try:
        doc = document_from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return StoredItem(
            item_id, path, data=None,
            error=f"its {DOCUMENT_JSON} is damaged ({type(exc).__name__}: {exc})",
        )
    return StoredItem(item_id, path, data=data, document=doc)


def stored_items(out: Path) -> Iterator[StoredItem]:
    """Every item of OUT in item-id order, readable or not (see :class:`StoredItem`).  The
    review's own copies under ``OUT/.gongwen`` are not items."""
    for path in OutDir(out).document_jsons():
        yield read_stored(out, path)


# -- the rows of every item of OUT --------------------------------------------------------------

# The aggregate rows of each item, kept with the stamp of the document.json they were made from,
# so that a run into an OUT of thousands of items need not read every document.json again
# (2,000 items of 8 pages: about 50 s to read, 0.2 s from here).  A stamp is the file's inode,
# size, mtime and ctime: every document.json is written to a new file renamed into place, so
# any rewrite (a review export, a reparse, an older gongwen) changes it and the item is read
# again.  The rows are kept only for the same gongwen code (a hash of its sources): another
# version may make other rows of the same file.
_CODE_DIRS = ("", "pipeline", "parsers", "ocr")


def file_stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


_code_stamp: str | None = None


def code_stamp() -> str:
    """A hash of this gongwen's sources (and version), which the aggregate rows depend on."""
    global _code_stamp
    if _code_stamp is None:
        h = hashlib.sha256(__version__.encode())
        root = Path(__file__).resolve().parents[2]
        for sub in _CODE_DIRS:
            for src in sorted((root / sub).glob("*.py" if not sub else "**/*.py")):
                h.update(src.relative_to(root).as_posix().encode() + b"\0" + src.read_bytes())
        _code_stamp = h.hexdigest()
    return _code_stamp


@dataclass
class OutRows:
    """The aggregate rows of every item of OUT (see :func:`out_rows`)."""

    rows: dict[str, dict[str, list[dict[str, Any]]]]  # item_id -> aggregate_rows
    unreadable: dict[str, str]  # item_id -> why its document.json cannot be read
    stamps: dict[str, tuple[list[int], dict]]  # item_id -> (stamp, the rows made from that file)


def _row_names() -> list[str]:
    return list(AGGREGATES) + [CATALOGUE_CSV]


def _pack(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list] | None:
    """An item's rows kept compactly: per file, its keys, then each row's values."""
    packed = {}
    for name, those in rows.items():
        if those:
            keys = list(those[0])
            if any(list(r) != keys for r in those):
                return None
            packed[name] = [keys, *([r[k] for k in keys] for r in those)]
    return packed


def _unpack(packed: Any) -> dict[str, list[dict[str, Any]]] | None:
    """The rows :func:`_pack` kept; None for anything else (a rows file edited by hand)."""
    try:
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in _row_names()}
        for name, (keys, *values) in packed.items():
            if name not in rows or any(len(v) != len(keys) for v in values):
                return None
            rows[name] = [dict(zip(keys, v)) for v in values]
    except (AttributeError, TypeError, ValueError):
        return None
    return rows if len(rows[DOCUMENTS_CSV]) == 1 else None


def _load_rows_cache(out: Path) -> dict[str, Any]:
    path = OutDir(out).rows_cache
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.info("%s is not used (%s); every %s is read", path, exc, DOCUMENT_JSON)
        return {}
    if not isinstance(data, dict) or data.get("code") != code_stamp() or not isinstance(data.get("items"), dict):
        return {}
    return data["items"]


def out_rows(out: Path, page_seconds: Callable[[str], dict[int, float]] | None = None) -> OutRows:
    """The aggregate rows of every item in OUT, from its ``document.json`` as it stands (or
    from the rows kept for that very file), its pages' seconds from ``page_seconds(item_id)``
    (the state database).  An item whose document.json cannot be read is a failed row naming
    the reason (stage ``read``), logged as a warning, and never written over."""
    cache = _load_rows_cache(out)
    result = OutRows({}, {}, {})
    outdir = OutDir(out)
    for path in outdir.document_jsons():
        item_id = outdir.item_id_of(path)
        stamp = file_stamp(path)
        kept = cache.get(item_id)
        if stamp is not None and isinstance(kept, list) and len(kept) == 2 and kept[0] == stamp:
            rows = _unpack(kept[1])
            if rows is not None:
                result.rows[item_id] = rows
                result.stamps[item_id] = (stamp, rows)
                continue
        stored = read_stored(out, path)
        if stored.ok:
            doc = stored.document
            try:
                rows = aggregate_rows(with_page_seconds(doc, page_seconds(item_id)) if page_seconds else doc)
            except (ArithmeticError, AttributeError, KeyError, TypeError, ValueError) as exc:  # values of the wrong kind
                stored = replace(stored, error=f"its {DOCUMENT_JSON} is damaged ({type(exc).__name__}: {exc})")
        if stored.ok:
            if stamp is not None:
                result.stamps[item_id] = (stamp, rows)
        else:
            log.warning("%s: %s; it is listed as failed", item_id, stored.error)
            rows = aggregate_rows(stored.failed_document())
            result.unreadable[item_id] = stored.error or ""
        result.rows[item_id] = rows
    return result


def save_rows_cache(out: Path, rows_by_item: dict[str, dict], stamps: dict[str, tuple[list[int], dict]]) -> None:
    """Keep the rows of the items of ``rows_by_item`` (readable ones: an unreadable item is read,
    and named, again next time) with the stamp of their document.json: the one known when the
    rows were made, else the file's stamp now (an item just written)."""
    items = {}
    for item_id, rows in rows_by_item.items():
        known = stamps.get(item_id)
        if known is not None and known[1] is rows:
            stamp = known[0]
        elif any(r.get("stage") == Stage.EXPORT for r in rows.get(FAILURES_CSV, ())):
            continue  # its files may not have been written: whatever document.json is there, read it
        else:
            stamp = file_stamp(OutDir(out).document_json(item_id))
        packed = _pack(rows)
        if stamp is not None and packed is not None:
            items[item_id] = [stamp, packed]
    try:
        text = json.dumps({"code": code_stamp(), "items": items}, ensure_ascii=False, separators=(",", ":"))
        atomic_write_text(OutDir(out).rows_cache, text)
    except (OSError, TypeError, ValueError) as exc:  # only a shortcut: the next run reads the items
        log.warning("%s could not be written (%s)", OutDir(out).rows_cache, exc)


def with_error(doc: Document, stage: Stage, message: str) -> Document:
    """The document with one more error; an ok item becomes partial."""
    return replace(
        doc,
        status=Status.PARTIAL if doc.status == Status.OK else doc.status,
        errors=doc.errors + (ItemError(stage=stage, message=message),),
    )


def write_item(
    doc: Document, out: Path, templates: Path | None = None, pdf: bool = True
) -> tuple[Document, dict[str, list[dict]]]:
    """Write every per-item file of the contract; return the final document and its rows.

    ``pdf=False`` keeps the searchable PDF already written (it depends on the pages alone).
    """
    from .html import render_document
    from .searchable_pdf import write_searchable_pdf

    outdir, item_id = OutDir(out), doc.item_id
    outdir.item_dir(item_id).mkdir(parents=True, exist_ok=True)
    if pdf and any(p.error is None for p in doc.pages):
        try:
            write_searchable_pdf(doc, outdir.searchable_pdf(item_id))
        except GongwenError as exc:
            doc = with_error(doc, Stage.EXPORT, f"the searchable PDF was not written: {exc}")
    data = item_data(doc)
    atomic_write_text(outdir.text_txt(item_id), data["text"])
    for t_index, table in enumerate(doc.tables, start=1):
        header, body = table_grid(table)
        write_table_csv(outdir.table_csv(item_id, t_index), header, body)
    for number, stale in outdir.table_csvs(item_id).items():  # an earlier run found more tables
        if not 1 <= number <= len(doc.tables):
            stale.unlink()
    atomic_write_text(outdir.document_html(item_id), render_document(data, templates))
    atomic_write_text(outdir.document_json(item_id), json_text(data))
    return doc, aggregate_rows(doc)
