"""``gongwen export OUT``: the archivists' corrections written into OUT, so that publishing and
every reader of the CSVs use reviewed data.

Each item with corrections or an approval in the review database is written again through the
exporters of convert (``write_item``: document.json, document.html, text.txt, table CSVs),
its corrected values marked ``method="reviewed"`` with confidence 1, its ``review`` recorded
(with a reviewer's publication decision, which ``gongwen publish`` follows) and
``needs_review`` false once approved, and its searchable PDF made again when a correction
changed its page text; then the aggregate CSVs and the catalogue are
rebuilt from every item.  The first time an item's document.json is rewritten, the extracted
one is kept in ``OUT/.gongwen/review/extracted`` (the review always starts from it), so
exporting again, or after an undo, gives the same files as exporting once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...parsers.model import document_from_dict
from ..export.catalogue import load_settings
from ..export.files import atomic_write_bytes
from ..export.items import aggregate_rows, document_text, stored_items, write_aggregates, write_item
from ..export.outdir import OutDir
from .store import ReviewInputError, ReviewStore, UnreadableItem, extracted_path, load_extracted, page_images

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportSummary:
    items: int
    rewritten: int  # items whose files were written again (reviewed, or a review taken back)
    approved: int
    corrected_values: int
    stale_pdfs: int = 0  # searchable PDFs not made again with corrected text: page images gone
    # items whose document.json cannot be read → why (a failed row in the CSVs, nothing written)
    unreadable: dict[str, str] = field(default_factory=dict)
    publication_decisions: int = 0  # items a reviewer decided to publish or withhold


def _keep_extracted(out: Path, item_id: str) -> None:
    """Keep convert's document.json before export first rewrites it."""
    source = OutDir(out).document_json(item_id)
    data = json.loads(source.read_text(encoding="utf-8"))
    if data.get("review") is None:
        atomic_write_bytes(extracted_path(out, item_id), source.read_bytes())


def _text_changed(out: Path, doc) -> bool:
    """Does the page text (text.txt, the searchable PDF's text layer) differ from what is in
    OUT, so that the searchable PDF has to be made again?"""
    path = OutDir(out).text_txt(doc.item_id)
    return not path.exists() or path.read_text(encoding="utf-8") != document_text(doc)


def export_reviewed(out: Path, db: str | None = None, templates: Path | None = None) -> ExportSummary:
    out = Path(out)
    store = ReviewStore(out, db)
    try:
        store.sync()
        rows_by_item: dict[str, dict] = {}
        rewritten = approved = corrected = stale_pdfs = decisions = 0
        unreadable: dict[str, str] = {}
        for stored in stored_items(out):
            item_id = stored.item_id
            try:
                if not stored.ok:
                    raise UnreadableItem(stored.error)
                reviewed = store.reviewed_document(item_id)
                if reviewed is None and stored.data.get("review") is None:
                    rows_by_item[item_id] = aggregate_rows(stored.document)
                    continue
                if reviewed is None:  # reviewed in another database, or no longer: the extracted one
                    data = load_extracted(out, item_id)
                    doc = document_from_dict(data, page_images(out, data))
                else:
                    doc = reviewed
            except (UnreadableItem, ReviewInputError, OSError, ValueError, KeyError, TypeError) as exc:
                reason = stored.error or f"it cannot be read for the review ({exc})"
                log.warning("%s is not exported: %s", item_id, reason)
                unreadable[item_id] = reason
                rows_by_item[item_id] = aggregate_rows(replace(stored, error=reason).failed_document())
                continue
            _keep_extracted(out, item_id)
            pdf = _text_changed(out, doc)
            if pdf and not all(p.image_path for p in doc.pages if p.error is None):
                log.warning("%s: its page images are gone; its searchable PDF keeps the text as OCR read it", item_id)
                pdf, stale_pdfs = False, stale_pdfs + 1
            doc, rows = write_item(doc, out, templates, pdf=pdf)
            rows_by_item[item_id] = rows
            rewritten += 1
            if doc.review is not None:
                approved += doc.review.approved
                corrected += len(doc.review.corrected)
                decisions += doc.review.publication is not None
        write_aggregates(out, rows_by_item, load_settings(out))
        return ExportSummary(len(rows_by_item), rewritten, approved, corrected, stale_pdfs, unreadable, decisions)
    finally:
        store.close()
