"""Batch conversion: discover items, read their pages in a process pool, write the contract.

Pages stream through the pool (a bounded number in flight, so memory does not grow with the
archive); an item is assembled and written as soon as its last page is back, in whatever order
items finish.  A bad file becomes a failed item with its error; the batch always goes on.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import UsageError
from ..ocr.engines import DEFAULT_ENGINE, get_engine_class
from ..parsers.document import build_document
from ..parsers.model import Document, ItemError, Page, page_from_dict
from ..parsers.text import normalize_line
from .catalogue import ArchiveCode, load_settings, save_settings
from .discover import Item, discover
from .export import aggregate_rows, item_dir, write_aggregates, write_item
from .state import RunState, content_hash, settings_hash
from .worker import BILEVEL_SUFFIX, PageContext, init_worker, process_page

log = logging.getLogger(__name__)

# Aggregate CSVs are rewritten after this many finished items (and at the end of the run).
AGGREGATE_EVERY = 25
PAGES_IN_FLIGHT_PER_JOB = 3


@dataclass(frozen=True)
class Settings:
    engine: str = DEFAULT_ENGINE
    jobs: int = 0  # 0: one worker per core
    templates: Path | None = None
    # how 档号 are formed in catalogue.csv; None in reparse: as the earlier run of OUT did
    archive_code: ArchiveCode | None = None
    force: bool = False  # redo items an earlier run of OUT finished with the same input and settings

    def __post_init__(self) -> None:
        if self.jobs < 0:
            raise UsageError("--jobs must be 0 (all cores) or a positive number")
        get_engine_class(self.engine)  # raises UnknownEngineError listing the known names

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


@dataclass(frozen=True)
class ItemOutcome:
    item_id: str
    status: str
    error: str
    pages: int
    seconds: float
    resumed: bool = False  # finished by an earlier run and kept


@dataclass
class RunSummary:
    outcomes: list[ItemOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes)


ProgressFn = Callable[[ItemOutcome, int, int], None]


def assemble(item_id: str, source: str, pages: list[Page], load_error: str | None = None) -> Document:
    """``build_document``, with a failure of the parsers kept to this item: its pages and text
    are written and it is marked partial with the error, and the batch goes on."""
    try:
        return build_document(item_id, source, pages, load_error=load_error)
    except Exception as exc:  # a parser bug must not stop an archive's conversion
        log.exception("extracting the fields of %s failed", item_id)
        return Document(
            item_id=item_id,
            source=source,
            pages=tuple(sorted(pages, key=lambda p: p.number)),
            status="partial",
            errors=(ItemError(stage="parse", message=f"the fields could not be extracted ({type(exc).__name__}: {exc}); the text was kept"),),
        )


def _finish(item: Item, pages: list[Page], out: Path, settings: Settings) -> tuple[Document, dict]:
    doc = assemble(item.item_id, item.source, pages, load_error=item.error)
    return _write(doc, out, settings)


def _write(doc: Document, out: Path, settings: Settings, pdf: bool = True) -> tuple[Document, dict]:
    """Write an item's files; if that fails (disk full, a template error) the item is failed
    with the reason and still gets its rows in the aggregate CSVs."""
    try:
        return write_item(doc, out, settings.templates, pdf=pdf)
    except Exception as exc:
        log.exception("writing the files of %s failed", doc.item_id)
        doc = replace(
            doc, status="failed",
            errors=doc.errors + (ItemError(stage="export", message=f"its files could not be written ({type(exc).__name__}: {exc})"),),
        )
        return doc, aggregate_rows(doc)


def convert(
    inputs: list[str | Path],
    out: str | Path,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
) -> RunSummary:
    """Convert every item under ``inputs`` into ``out``; never raises for a bad input file."""
    start = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    get_engine_class(settings.engine).check_available()
    archive_code = settings.archive_code or ArchiveCode()
    save_settings(out, archive_code)
    items = discover(list(inputs), exclude=out)
    order = {it.item_id: i for i, it in enumerate(items)}
    rows_by_item: dict[str, dict] = {}
    summary = RunSummary()
    workers = settings.workers
    _sweep_temp_files(out)
    state = RunState(out)
    run_settings = settings_hash(settings.engine)
    hashes = {it.item_id: content_hash(it.files or (it.source,)) for it in items}

    def done(item: Item, pages: list[Page]) -> None:
        t0 = time.perf_counter()
        doc, rows = _finish(item, pages, out, settings)
        state.record(item.item_id, item.source, hashes[item.item_id], run_settings, doc.status)
        rows_by_item[item.item_id] = rows
        secs = sum(p.seconds for p in pages) + time.perf_counter() - t0
        outcome = ItemOutcome(item.item_id, doc.status, doc.error_message, len(item.pages), secs)
        summary.outcomes.append(outcome)
        if progress is not None:
            progress(outcome, len(summary.outcomes), len(items))
        if len(summary.outcomes) % AGGREGATE_EVERY == 0:
            _write_aggregates(out, rows_by_item, order, archive_code)

    def contexts(item: Item) -> list[PageContext]:
        image_dir = str(out / ".gongwen" / "pages" / item.item_id)
        threads = 1 if workers > 1 else (os.cpu_count() or 1)
        return [
            PageContext(item.item_id, n, ref, settings.engine, image_dir, threads)
            for n, ref in enumerate(item.pages, start=1)
        ]

    def resumed(item: Item) -> bool:
        """Keep an item an earlier run finished with the same input and settings."""
        path = item_dir(out, item.item_id) / "document.json"
        if settings.force or not state.is_done(item.item_id, hashes[item.item_id], run_settings) or not path.exists():
            return False
        try:
            item_id, source, pages, load_error = load_earlier(out, path)
        except (OSError, ValueError, KeyError) as exc:  # a damaged file: do the item again
            log.warning("the earlier result of %s cannot be read (%s); converting it again", item.item_id, exc)
            return False
        doc = assemble(item_id, source, pages, load_error=load_error)
        rows_by_item[item.item_id] = aggregate_rows(doc)
        outcome = ItemOutcome(item.item_id, doc.status, doc.error_message, len(pages), 0.0, resumed=True)
        summary.outcomes.append(outcome)
        if progress is not None:
            progress(outcome, len(summary.outcomes), len(items))
        return True

    try:
        todo = [it for it in items if not resumed(it)]
        readable = [it for it in todo if it.error is None and it.pages]
        for item in todo:
            if item.error is not None or not item.pages:
                done(item, [])
        if workers == 1:
            for item in readable:
                done(item, [process_page(ctx) for ctx in contexts(item)])
        else:
            _run_pool(readable, contexts, done, workers, settings.engine)
        _write_aggregates(out, rows_by_item, order, archive_code)
    finally:
        state.close()
    summary.seconds = time.perf_counter() - start
    return summary


def _run_pool(items, contexts, done, workers: int, engine: str) -> None:
    pending_pages: dict[str, list[Page]] = {}
    remaining: dict[str, int] = {}
    by_id = {it.item_id: it for it in items}
    queue = [ctx for it in items for ctx in contexts(it)]
    for it in items:
        pending_pages[it.item_id] = []
        remaining[it.item_id] = len(it.pages)
    limit = workers * PAGES_IN_FLIGHT_PER_JOB
    ctx_mp = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx_mp, initializer=init_worker, initargs=(engine, 1)
    ) as pool:
        in_flight: dict[Future, PageContext] = {}
        pos = 0
        while pos < len(queue) or in_flight:
            while pos < len(queue) and len(in_flight) < limit:
                ctx = queue[pos]
                in_flight[pool.submit(process_page, ctx)] = ctx
                pos += 1
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for fut in finished:
                ctx = in_flight.pop(fut)
                try:
                    page = fut.result()
                except Exception as exc:  # a worker died (out of memory, crash in a library)
                    log.error("worker failed on page %d of %s: %s", ctx.number, ctx.item_id, exc)
                    page = Page(
                        number=ctx.number, width=0, height=0, dpi=0.0, engine=ctx.engine,
                        error=f"the page could not be processed (worker failed: {type(exc).__name__})",
                    )
                pending_pages[ctx.item_id].append(page)
                remaining[ctx.item_id] -= 1
                if remaining[ctx.item_id] == 0:
                    done(by_id[ctx.item_id], pending_pages.pop(ctx.item_id))


def _write_aggregates(
    out: Path, rows_by_item: dict[str, dict], order: dict[str, int], archive_code: ArchiveCode
) -> None:
    ids = sorted(rows_by_item, key=lambda i: order.get(i, 0))
    write_aggregates(out, (rows_by_item[i] for i in ids), archive_code)


def reparse(out: str | Path, settings: Settings = Settings(), progress: ProgressFn | None = None) -> RunSummary:
    """Parse every item of an earlier run again from the pages it read, without OCR.

    After an upgrade of gongwen's parsers this re-extracts fields, slips and tables of a whole
    archive in seconds; the per-item files (except the searchable PDF, which depends on the
    pages alone) and the aggregate CSVs are rewritten.  Items are kept in their earlier order.
    """
    start = time.perf_counter()
    out = Path(out)
    paths = sorted((out / "items").rglob("document.json"))
    if not paths:
        raise UsageError(f"{out}: no items/<id>/document.json from an earlier conversion")
    previous = _previous_order(out)
    if settings.archive_code is None:
        archive_code = load_settings(out)
    else:
        archive_code = settings.archive_code
        save_settings(out, archive_code)
    summary = RunSummary()
    rows_by_item: dict[str, dict] = {}
    for path in paths:
        t0 = time.perf_counter()
        item_id, source, pages, load_error = load_earlier(out, path)
        doc = assemble(item_id, source, pages, load_error=load_error)
        doc, rows = _write(doc, out, settings, pdf=False)
        rows_by_item[item_id] = rows
        outcome = ItemOutcome(item_id, doc.status, doc.error_message, len(pages), time.perf_counter() - t0)
        summary.outcomes.append(outcome)
        if progress is not None:
            progress(outcome, len(summary.outcomes), len(paths))
    order = {i: previous.get(i, len(previous) + n) for n, i in enumerate(sorted(rows_by_item))}
    _write_aggregates(out, rows_by_item, order, archive_code)
    summary.seconds = time.perf_counter() - start
    return summary


def _sweep_temp_files(out: Path) -> None:
    """Temp files a killed run left behind (outputs are written to ``.name.*.tmp`` and renamed;
    what was not renamed is no output)."""
    for tmp in out.rglob(".*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass


def load_earlier(out: Path, path: Path) -> tuple[str, str, list[Page], str | None]:
    """(item_id, source, pages, load error) of an item an earlier run wrote to ``path``
    (its document.json), the pages' kept images found again."""
    data = json.loads(path.read_text(encoding="utf-8"))
    item_id = data["item_id"]
    image_dir = out / ".gongwen" / "pages" / item_id
    pages = []
    for p in data.get("pages", ()):
        image = next(
            (i for ext in (".jpg", BILEVEL_SUFFIX) if (i := image_dir / f"{int(p['number']):04d}{ext}").exists()),
            None,
        )
        page = page_from_dict(p, str(image) if image else None)
        # the text rules of this version apply to what was read then
        lines = tuple(replace(l, text=normalize_line(l.text)) for l in page.lines)
        pages.append(replace(page, lines=tuple(l for l in lines if l.text)))
    load_error = next(
        (e["message"] for e in data.get("errors", ()) if e.get("stage") == "load"), None
    ) if not pages else None
    return item_id, data["source"], pages, load_error


def _previous_order(out: Path) -> dict[str, int]:
    """Item order of the earlier run's documents.csv (empty if there is none)."""
    import csv

    path = out / "documents.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {row["item_id"]: n for n, row in enumerate(csv.DictReader(f))}
