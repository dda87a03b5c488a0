"""Assemble an item's pages into a :class:`Document` with its status and errors.

Page classification and field extraction plug in here as pure functions of the pages; until a
parser exists for an element its field stays empty (``None``), never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .body import extract_body
from .circular import extract_circular
from .slip import extract_slip
from .classify import classify_pages
from .model import Circular, Document, ItemError, Page, PageKind, Stage, Status
from .rules import DOC_NUMBER_YEAR
from .tables import extract_tables

NO_TEXT = "no text found"


def build_document(
    item_id: str,
    source: str,
    pages: list[Page] | tuple[Page, ...],
    load_error: str | None = None,
) -> Document:
    """The record of one item: pages in order, kinds, status (ok / partial / failed), errors."""
    if load_error is not None:
        return Document(
            item_id=item_id,
            source=source,
            status=Status.FAILED,
            errors=(ItemError(stage=Stage.LOAD, message=load_error),),
        )
    pages = tuple(sorted(pages, key=lambda p: p.number))
    kinds = classify_pages(pages)
    pages = tuple(replace(p, kind=k) for p, k in zip(pages, kinds))
    readable_pages = any(p.error is None for p in pages)
    circular = extract_circular(pages, kinds) if readable_pages else Circular()
    tables = extract_tables(pages, kinds) if readable_pages else ()
    body = extract_body(pages, kinds, circular, tables) if readable_pages else ()
    year = context_year(circular)
    entries, notes, office = (
        extract_slip(pages, kinds, year, window_start(circular))
        if readable_pages
        else ((), (), None)
    )
    errors = tuple(
        ItemError(stage=Stage.OCR, message=p.error, page=p.number) for p in pages if p.error is not None
    )
    # a blank page (no ink at all) is recorded and is no error, but holds nothing to read
    readable = [p for p in pages if p.error is None and p.kind != PageKind.BLANK]
    if not pages:
        status, errors = Status.FAILED, (ItemError(stage=Stage.LOAD, message="the item has no pages"),)
    elif not readable:
        status = Status.FAILED
        if all(p.kind == PageKind.BLANK or NO_TEXT in p.error for p in pages):
            errors = (
                ItemError(
                    stage=Stage.OCR,
                    message=f"{NO_TEXT} on any of its {len(pages)} page(s): blank or unreadable scan",
                ),
            )
    elif errors:
        status = Status.PARTIAL
    else:
        status = Status.OK
    # failed checks do not change the status (the item was read) but are reported with it
    errors += tuple(
        ItemError(stage=Stage.CHECK, message=m, page=t.pages[-1] if t.pages else None)
        for t in tables
        for m in t.checks
    )
    return Document(
        item_id=item_id,
        source=source,
        pages=pages,
        circular=circular,
        body=body,
        circulation=entries,
        annotations=notes,
        tables=tables,
        receiving_office=office,
        status=status,
        errors=errors,
    )


def context_year(circular: Circular) -> int | None:
    """The year a date written without one belongs to: the 收文 date's, else the 成文日期's,
    else the 印发日期's, else the year in the 发文字号."""
    for f in (circular.received_date, circular.issue_date, circular.print_date):
        if f is not None and isinstance(f.value, dt.date):
            return f.value.year
    if circular.doc_number is not None and (m := DOC_NUMBER_YEAR.search(str(circular.doc_number.value))):
        return int(m.group(1))
    return None


def window_start(circular: Circular) -> dt.date | None:
    """The date a slip's handwritten dates are read against: the 收文 date, else the 成文日期
    (an item is read after it was issued)."""
    for f in (circular.received_date, circular.issue_date):
        if f is not None and isinstance(f.value, dt.date):
            return f.value
    return None
