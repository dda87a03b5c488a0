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
from .model import Circular, Document, Doubt, ItemError, Page, PageKind, Stage, Status
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
    entries, notes, office = (), (), None
    if readable_pages:
        (entries, notes, office), circular = slip_read_against_receipt(pages, kinds, circular)
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


# a 收文 date the slip's own dates contradict: so many of them read before it, more than on or
# after it, when the slip is read against the 成文日期 instead (no one reads an item before it
# came in: the stamp's date was misread, 23.10.19 for 23.10.10)
MIN_DATES_BEFORE_RECEIPT = 2
RECEIPT_CONTRADICTED = "the slip's own dates fall before this 收文 date: misread"


def slip_read_against_receipt(pages, kinds, circular: Circular):
    """(the slip's entries, notes and office; the circular) with the slip's dates read against
    the 收文 date — unless the slip contradicts it (see MIN_DATES_BEFORE_RECEIPT): then the
    date is left empty as a doubt and the slip is read against the 成文日期."""
    slip = extract_slip(pages, kinds, context_year(circular), window_start(circular))
    received, issued = (f.value if f is not None and isinstance(f.value, dt.date) else None
                        for f in (circular.received_date, circular.issue_date))
    if received is None or issued is None or issued > received:
        return slip, circular
    doubted = replace(circular, received_date=None)
    other = extract_slip(pages, kinds, context_year(doubted), issued)
    read = [d for d in _slip_dates(other) if d >= issued]
    before = [d for d in read if d < received]
    if len(before) < MIN_DATES_BEFORE_RECEIPT or len(before) <= len(read) - len(before):
        return slip, circular
    f = circular.received_date
    doubt = Doubt(field="received_date", reason=RECEIPT_CONTRADICTED, text=f.raw or str(f.value), page=f.page, bbox=f.bbox)
    return other, replace(doubted, doubts=circular.doubts + (doubt,))


def _slip_dates(slip) -> list[dt.date]:
    entries, notes, _ = slip
    fields = [f for e in entries for f in (e.circulated, e.delivered, e.returned)] + [a.date for a in notes]
    return [f.value for f in fields if f is not None and isinstance(f.value, dt.date)]


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
