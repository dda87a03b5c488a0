"""Batch conversion: discover items, read their pages in a process pool, write the contract.

Pages stream through the pool (a bounded number in flight, so memory does not grow with the
archive); an item is assembled and written as soon as its last page is back, in whatever order
items finish.  A bad file becomes a failed item with its error; the batch always goes on.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from collections import deque
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...errors import ClusterError, OutputError, UsageError
from ...ocr.engines import get_engine_class
from ...parsers.document import build_document
from ...parsers.model import Document, ItemError, Page, Stage, Status, page_from_dict
from ...parsers.text import normalize_line
from ..export.catalogue import ArchiveCode, load_settings, save_settings
from ..export.outdir import DOCUMENT_JSON, DOCUMENTS_CSV, ITEMS, PROBE_PREFIX, OutDir
from .discover import Item, discover
from .executors import Running, open_executor
from .settings import Settings
from ..export.items import (
    StoredItem, aggregate_rows, item_order_key, out_rows, read_stored, save_rows_cache,
    stored_items, with_page_seconds, write_aggregates, write_item,
)
from .state import RunState, item_hashes, settings_hash
from .worker import PageContext, born_digital_pages, process_page, read_page, warm_up

log = logging.getLogger(__name__)

# While a run goes on, the aggregate CSVs (and catalogue.xlsx) are rewritten at most this often
# (and at its end): rewriting them after every few items would cost a large archive more than
# its OCR; a killed run loses nothing, as a re-run rebuilds them from every item's JSON.
AGGREGATE_EVERY_S = 120.0
PAGES_IN_FLIGHT_PER_JOB = 3
# Asked to stop (SIGTERM, Ctrl-C), a run starts no new page and waits this long for the pages
# in hand, so that items they finish are kept; then its workers are ended.
STOP_GRACE_S = 5.0
# how often a run waiting for pages looks whether it was asked to stop
STOP_POLL_S = 0.25
# a Dask run first checks that its workers see OUT and the input files of this many items
SHARED_CHECK_FILES = 20


class StopRequest(threading.Event):
    """Set (by the CLI's signal handler) to stop a run: no new page is started, the pages in
    hand get :data:`STOP_GRACE_S` to finish, every finished item is kept and the workers are
    ended.  ``signum`` is the signal that asked, for the exit code; ``at_once`` a second one
    (no grace)."""

    def __init__(self) -> None:
        super().__init__()
        self.signum: int | None = None
        self.at_once = False

    def request(self, signum: int | None = None) -> None:
        if self.is_set():
            self.at_once = True
        self.signum = self.signum or signum
        self.set()


@dataclass(frozen=True)
class ItemOutcome:
    item_id: str
    status: Status
    error: str
    pages: int
    seconds: float
    resumed: bool = False  # finished by an earlier run and kept


@dataclass(frozen=True)
class Progress:
    """Where a run is, reported after every page read and every item finished."""

    items_done: int
    items_total: int
    pages_done: int  # pages read by this run (pages of kept items are not counted)
    pages_total: int  # pages this run has to read
    failed: int  # items finished partial or failed so far
    elapsed: float
    outcome: ItemOutcome | None = None  # the item just finished; None after a page

    @property
    def pages_per_second(self) -> float:
        return self.pages_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the rate so far (None before the first page)."""
        rate = self.pages_per_second
        return (self.pages_total - self.pages_done) / rate if rate > 0 else None


@dataclass
class RunSummary:
    outcomes: list[ItemOutcome] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False  # asked to stop before every item was done (the rest: next run)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes)

    @property
    def failures(self) -> list[ItemOutcome]:
        return [o for o in self.outcomes if o.status != Status.OK]


ProgressFn = Callable[[Progress], None]


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
            status=Status.PARTIAL,
            errors=(ItemError(stage=Stage.PARSE, message=f"the fields could not be extracted ({type(exc).__name__}: {exc}); the text was kept"),),
        )


def _write(doc: Document, out: Path, settings: Settings, pdf: bool = True) -> tuple[Document, dict]:
    """Write an item's files; if that fails (disk full, a template error) the item is failed
    with the reason and still gets its rows in the aggregate CSVs."""
    try:
        return write_item(doc, out, settings.templates, pdf=pdf)
    except Exception as exc:
        log.exception("writing the files of %s failed", doc.item_id)
        doc = replace(
            doc, status=Status.FAILED,
            errors=doc.errors + (ItemError(stage=Stage.EXPORT, message=f"its files could not be written ({type(exc).__name__}: {exc})"),),
        )
        return doc, aggregate_rows(doc)


def prepare_out(out: Path) -> None:
    """Make OUT, or say in one line why it cannot be written (before any work is done)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=PROBE_PREFIX, suffix=".tmp", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot write there ({exc.strerror or exc})") from exc


def convert(
    inputs: list[str | Path],
    out: str | Path,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
    stop: StopRequest | None = None,
) -> RunSummary:
    """Convert every item under ``inputs`` into ``out``; never raises for a bad input file.
    Set ``stop`` to end the run early, keeping what is finished (``RunSummary.stopped``)."""
    out = Path(out)
    prepare_out(out)
    get_engine_class(settings.engine).check_available()
    with Converter(out, settings) as converter:
        return converter.run(discover(list(inputs), exclude=out), progress, stop)


class Converter:
    """One output folder being filled: its state database, the rows of every item finished so
    far (for the aggregate CSVs) and the executor the pages are read on.

    :func:`convert` runs it once; ``gongwen watch`` runs it again for every batch of items that
    arrives, the aggregates always covering every item seen.
    """

    def __init__(self, out: Path, settings: Settings) -> None:
        self.out = out
        self.settings = settings
        self.archive_code = settings.archive_code or ArchiveCode()
        save_settings(out, self.archive_code)
        _sweep_temp_files(out)
        self.state = RunState(out)
        self.run_settings = settings_hash(settings.engine)
        # Every item already in OUT, so that the aggregates describe them all (a second folder
        # converted into the same OUT adds to the first), in the earlier documents.csv's order
        # (items it does not list after, by id); an item converted again replaces its rows.
        seeded = out_rows(out, self.state.page_seconds)
        self.rows_by_item: dict[str, dict] = {
            i: rows for i, rows in seeded.rows.items() if i not in seeded.unreadable
        }
        self._stamps = seeded.stamps
        # An item whose document.json cannot be read is a failed row (stage "read") until it is
        # converted again, which a run given its input does: it no longer counts as done.
        self._unreadable = {i: seeded.rows[i] for i in seeded.unreadable}
        self._unnamed = set(seeded.unreadable)  # to name in the next run's summary
        for item_id in seeded.unreadable:
            self.state.record(item_id, "", "", "", Status.FAILED)
        self._running: Running | None = None
        self._aggregated = time.monotonic()
        self._stopped = False  # a run was stopped: the workers are ended, not waited for

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, exc_type, *_) -> None:
        self.close(end_workers=exc_type is not None)

    def close(self, end_workers: bool = False) -> None:
        """Shut the executor down: waiting for its workers after a run that finished, ending
        them at once after a stop or an error (a second Ctrl-C, a crash)."""
        running, self._running = self._running, None
        try:
            if running is not None:
                if end_workers or self._stopped:
                    running.terminate()
                else:
                    running.close()
        finally:
            self.state.close()

    def _parallel(self) -> bool:
        return self.settings.workers > 1 or self.settings.executor == "dask"

    def executor(self) -> Running | None:
        """The executor pages are read on, started on first use (None: in this process)."""
        if self._running is None and self._parallel():
            self._running = open_executor(self.settings)
        return self._running

    def run(
        self, items: list[Item], progress: ProgressFn | None = None, stop: StopRequest | None = None
    ) -> RunSummary:
        """Convert ``items`` (keeping those an earlier run finished alike) and rewrite the
        aggregate CSVs over every item this converter has seen.  Once ``stop`` is set no new
        page is started; the summary then says ``stopped`` and holds the items finished."""
        start = time.perf_counter()
        stop = stop or StopRequest()
        out, settings = self.out, self.settings
        summary = RunSummary()
        self._start_workers(items)
        asked = len(items)
        hashes: dict[str, str] = {}
        digests: dict[str, str | None] = {}
        for it in items:  # minutes for a large archive: a stop is heard here too
            if stop.is_set():
                items = [i for i in items if i.item_id in hashes]
                break
            hashes[it.item_id], digests[it.item_id] = item_hashes(it.files or (it.source,))
        duplicate_of = self._duplicates(items, digests)
        counts = {"pages": 0, "failed": 0}
        todo = [
            it for it in items
            if it.item_id in duplicate_of or not self._resumed(it, hashes[it.item_id], summary)
        ]
        for it in items:
            if it.item_id not in duplicate_of and digests[it.item_id] is not None:
                self.state.record_digest(it.item_id, digests[it.item_id])
        pages_total = sum(len(it.pages) for it in todo if it.error is None)

        def report(outcome: ItemOutcome | None) -> None:
            if progress is not None:
                progress(Progress(
                    len(summary.outcomes), len(items), counts["pages"], pages_total,
                    counts["failed"], time.perf_counter() - start, outcome,
                ))

        for outcome in summary.outcomes:  # the kept ones
            counts["failed"] += outcome.status != Status.OK
            report(outcome)

        def page_done() -> None:
            counts["pages"] += 1
            report(None)

        def done(item: Item, pages: list[Page]) -> None:
            t0 = time.perf_counter()
            if item.item_id in duplicate_of:
                doc, rows = _write(duplicate_document(item, duplicate_of[item.item_id]), out, settings)
            else:
                doc, rows = _finish(item, pages, out, settings)
            self.state.record(
                item.item_id, item.source, hashes[item.item_id], self.run_settings, doc.status,
                {p.number: p.seconds for p in doc.pages},
            )
            self.rows_by_item[item.item_id] = rows
            secs = sum(p.seconds for p in pages) + time.perf_counter() - t0
            outcome = ItemOutcome(item.item_id, doc.status, doc.error_message, len(item.pages), secs)
            summary.outcomes.append(outcome)
            counts["failed"] += doc.status != Status.OK
            report(outcome)
            if time.monotonic() - self._aggregated >= AGGREGATE_EVERY_S:
                self.write_aggregates()

        readable = [it for it in todo if it.error is None and it.pages and it.item_id not in duplicate_of]
        for item in todo:
            if item.error is not None or not item.pages or item.item_id in duplicate_of:
                done(item, [])
        # pages a PDF's own text gives are read here; only the rest go to the workers
        to_read: list[tuple[Item, list[PageContext], list[Page]]] = []
        for item in readable:
            if stop.is_set():
                break
            contexts = self._contexts(item)
            text_pages = born_digital_pages(contexts)
            for _ in text_pages:
                page_done()
            rest = [c for c in contexts if c.number not in text_pages]
            if rest:
                to_read.append((item, rest, list(text_pages.values())))
            else:
                done(item, list(text_pages.values()))
        running = self.executor() if to_read and not stop.is_set() else None
        if running is None:
            for item, rest, pages in to_read:
                for ctx in rest:
                    if stop.is_set():
                        break
                    pages.extend(process_page(ctx))
                    page_done()
                else:
                    done(item, pages)
        else:
            limit = running.slots * PAGES_IN_FLIGHT_PER_JOB
            try:
                _run_pool(to_read, done, page_done, running.executor, limit, renew=self._renew, stop=stop, died=running.died)
            except ClusterError as exc:
                self._stopped = True  # the workers are ended (what is left of them), not waited for
                self.write_aggregates()
                kept = sum(not o.resumed for o in summary.outcomes)
                raise ClusterError(
                    f"{exc}; the {kept} item(s) this run finished are kept: run the same command again to "
                    "convert the rest"
                ) from exc
        if not stop.is_set():
            # every page is back: a worker that died while writing a page image (killed, out of
            # memory; its page was read again elsewhere) left its temp file beside the image
            _sweep_temp_files(out, OutDir(out).page_images_root)
        summary.stopped = stop.is_set() and len(summary.outcomes) < asked
        self._stopped |= stop.is_set()
        summary.outcomes.extend(self.unreadable_outcomes())  # items of OUT whose document.json is damaged
        self.write_aggregates()
        summary.seconds = time.perf_counter() - start
        return summary

    def write_aggregates(self) -> None:
        """The aggregate CSVs and catalogue over every item of OUT (those seen at the start,
        unreadable ones as failed rows, and those converted since)."""
        rows = {i: r for i, r in self._unreadable.items() if i not in self.rows_by_item}
        rows.update(self.rows_by_item)
        write_aggregates(self.out, rows, self.archive_code)
        save_rows_cache(self.out, self.rows_by_item, self._stamps)
        self._aggregated = time.monotonic()

    def unreadable_outcomes(self) -> list[ItemOutcome]:
        """Items of OUT whose document.json could not be read and that were not converted
        again: failed, each named once (``gongwen watch`` runs a converter many times)."""
        named = [
            ItemOutcome(i, Status.FAILED, self._unreadable[i][DOCUMENTS_CSV][0]["error"], 0, 0.0)
            for i in sorted(self._unnamed, key=item_order_key)
            if i not in self.rows_by_item
        ]
        self._unnamed.clear()
        return named

    def _start_workers(self, items: list[Item]) -> None:
        """Start the worker processes (and load their engines when some page is an image)
        while this process hashes and checks the items: on a large archive that takes minutes
        the workers would otherwise wait idle, and they start a few seconds faster anyway.
        Nothing is started for items that are all failed to open or empty."""
        if not self._parallel() or not any(it.error is None and it.pages for it in items):
            return
        running = self.executor()
        # a Dask worker must see the files at the paths this process sees (shared storage)
        firsts = [Path(it.pages[0].path).resolve() for it in items if it.error is None and it.pages]
        running.check_shared(self.out.resolve(), firsts[:SHARED_CHECK_FILES])
        # an image page needs the engine for sure; a PDF page may have a text layer
        load_engine = any(ref.fmt != "pdf" for it in items if it.error is None for ref in it.pages)
        for _ in range(running.slots):
            running.executor.submit(warm_up, self.settings.engine, load_engine)

    def _renew(self) -> Executor:
        """A fresh process pool in place of one a dying worker broke."""
        broken, self._running = self._running, None
        if broken is not None:
            try:
                broken.close()
            except Exception:  # a broken pool may fail to shut down cleanly; it is dropped anyway
                log.debug("closing the broken pool failed", exc_info=True)
        return self.executor().executor

    def _contexts(self, item: Item) -> list[PageContext]:
        # absolute paths: a Dask worker may run in another folder (or on another machine
        # that mounts the same paths)
        out = OutDir(self.out.resolve())
        threads = 1 if self._parallel() else (os.cpu_count() or 1)
        return [
            PageContext(item.item_id, n, replace(ref, path=str(Path(ref.path).resolve())), self.settings.engine, out, threads)
            for n, ref in enumerate(item.pages, start=1)
        ]

    def _duplicates(self, items: list[Item], digests: dict[str, str | None]) -> dict[str, str]:
        """Items whose files hold the same bytes as an item before them (in this run, or
        converted into OUT by an earlier one), each with that first item's id."""
        first: dict[str, str] = {}
        found: dict[str, str] = {}
        for it in items:
            digest = digests.get(it.item_id)
            if digest is None:
                continue
            if digest not in first:
                first[digest] = self.state.first_with_digest(digest) or it.item_id
            if first[digest] != it.item_id:
                found[it.item_id] = first[digest]
                log.warning("%s holds the same bytes as item %s; not converted twice", it.source, first[digest])
        return found

    def _resumed(self, item: Item, digest: str, summary: RunSummary) -> bool:
        """Keep an item an earlier run finished with the same input and settings: its rows are
        those of its document.json as it stands (reviewed values exported into it included: a
        re-run must not undo an archivist's corrections), read when this converter started."""
        if self.settings.force or not self.state.is_done(item.item_id, digest, self.run_settings):
            return False
        rows = self.rows_by_item.get(item.item_id)
        if rows is None:  # written since this converter started (by another process), or gone
            stored = read_stored(self.out, OutDir(self.out).document_json(item.item_id))
            if not stored.ok:
                log.warning("the earlier result of %s: %s; converting it again", item.item_id, stored.error)
                return False
            rows = aggregate_rows(with_page_seconds(stored.document, self.state.page_seconds(item.item_id)))
            self.rows_by_item[item.item_id] = rows
        row = rows[DOCUMENTS_CSV][0]
        summary.outcomes.append(ItemOutcome(item.item_id, Status(row["status"]), row["error"], len(item.pages), 0.0, resumed=True))
        return True


def duplicate_document(item: Item, first: str) -> Document:
    """The record of an item whose files are byte for byte those of item ``first``."""
    return Document(
        item_id=item.item_id, source=item.source, status=Status.DUPLICATE,
        errors=(ItemError(stage=Stage.DUPLICATE, message=f"a duplicate of item {first}: the same bytes, not converted twice"),),
    )


def _finish(item: Item, pages: list[Page], out: Path, settings: Settings) -> tuple[Document, dict]:
    pages = number_pages(item.item_id, pages, OutDir(out.resolve()))
    doc = assemble(item.item_id, item.source, pages, load_error=item.error)
    return _write(doc, out, settings)


def number_pages(item_id: str, pages: list[Page], out: OutDir) -> list[Page]:
    """An item's pages numbered 1, 2, … in the order of its files' pages.

    The pages come back from the workers numbered as their files' pages; an image that held two
    (a two-page spread) gives two pages of its number, left then right, kept in that order here,
    and every page after them moves on by one.  A moved page's kept image follows it to its new
    number (from the last page back, so no image is written over before it has moved; the
    other kind of image an earlier run may have left at that number goes)."""
    ordered = sorted(pages, key=lambda p: p.number)  # stable: a spread's pages stay left, right
    if all(p.number == n for n, p in enumerate(ordered, start=1)):
        return ordered
    numbered: list[Page] = []
    for n, page in reversed(list(enumerate(ordered, start=1))):
        image = page.image_path
        if image is not None:
            bilevel = OutDir.is_bilevel_image(image)
            target = out.page_image(item_id, n, bilevel)
            if Path(image) != target:
                try:
                    out.page_image(item_id, n, not bilevel).unlink(missing_ok=True)
                    os.replace(image, target)
                    image = str(target)
                except OSError as exc:  # the page keeps the image where it is, for this run's files
                    log.warning("the image of page %d of %s cannot be moved to its number: %s", n, item_id, exc)
        numbered.append(replace(page, number=n, image_path=image))
    return numbered[::-1]


def _failed_page(ctx: PageContext, reason: str) -> Page:
    return Page(number=ctx.number, width=0, height=0, dpi=0.0, engine=ctx.engine, error=reason)


def _run_pool(
    to_read, done, page_done, executor: Executor, limit: int,
    renew: Callable[[], Executor] | None = None, work: Callable[[PageContext], tuple[Page, ...]] = read_page,
    stop: StopRequest | None = None, died: Callable[[BaseException], bool] = lambda exc: False,
) -> None:
    """Read the pages left of each item (``(item, contexts, pages read already)``) on
    ``executor`` with at most ``limit`` pages in flight; an item is finished (``done``) as
    soon as its last page is back.  ``work`` gives the pages one context's image holds (two
    for a two-page spread).

    A worker process that dies (killed for memory, a crash inside a native library) breaks a
    process pool, failing every page in flight.  ``renew`` then gives a fresh pool, and those
    pages are read again one at a time: the one whose worker dies again alone is the cause,
    and only that page fails.

    A Dask cluster sends the pages of a worker it lost to another by itself; a page whose
    failure ``died`` says its worker died with it (Dask's ``KilledWorker``: it was in hand on
    every worker the cluster may lose to one page) fails as a page that kills its worker.  A
    page the executor cancelled (a Dask client that lost its scheduler: every page in hand is
    gone) fails no page: :class:`ClusterError` stops the run, the items finished are kept.

    Once ``stop`` is set no page is submitted; the pages in flight get :data:`STOP_GRACE_S`
    (none after a second request) and the rest are left, their items unfinished (the caller
    ends the workers).  Workers dying then are being stopped, not crashing: no page fails.
    """
    stop = stop or StopRequest()
    deadline: float | None = None
    pending_pages: dict[str, list[Page]] = {item.item_id: list(pages) for item, _, pages in to_read}
    remaining: dict[str, int] = {item.item_id: len(rest) for item, rest, _ in to_read}
    by_id = {item.item_id: item for item, _, _ in to_read}
    queue = (ctx for _, rest, _ in to_read for ctx in rest)
    suspects: deque[PageContext] = deque()  # in flight when a pool broke: re-read alone
    in_flight: dict[Future, PageContext] = {}
    alone: Future | None = None  # the suspect being re-read by itself
    exhausted = False

    def finish(ctx: PageContext, pages: tuple[Page, ...]) -> None:
        pending_pages[ctx.item_id].extend(pages)
        remaining[ctx.item_id] -= 1
        page_done()
        if remaining[ctx.item_id] == 0:
            done(by_id[ctx.item_id], pending_pages.pop(ctx.item_id))

    while not exhausted or in_flight or suspects:
        if stop.is_set():
            deadline = deadline or time.monotonic() + (0.0 if stop.at_once else STOP_GRACE_S)
            if not in_flight or stop.at_once or time.monotonic() >= deadline:
                log.info("stopped with %d page(s) in flight", len(in_flight))
                return
            finished, _ = wait(in_flight, timeout=STOP_POLL_S, return_when=FIRST_COMPLETED)
            for fut in finished:
                ctx = in_flight.pop(fut)
                if not fut.cancelled() and fut.exception() is None:
                    finish(ctx, fut.result())
            continue
        broken = False
        while not in_flight and suspects:
            ctx = suspects.popleft()
            try:
                alone = executor.submit(work, ctx)
            except BrokenExecutor:
                suspects.appendleft(ctx)
                broken = True
                break
            in_flight[alone] = ctx
        while not broken and not suspects and not exhausted and len(in_flight) < limit:
            ctx = next(queue, None)
            if ctx is None:
                exhausted = True
                break
            try:
                in_flight[executor.submit(work, ctx)] = ctx
            except BrokenExecutor:  # broke since the last wait: the pages in flight tell
                suspects.append(ctx)
                broken = True
        if in_flight:
            finished, _ = wait(in_flight, timeout=STOP_POLL_S, return_when=FIRST_COMPLETED)
            for fut in finished:
                ctx = in_flight.pop(fut)
                if fut.cancelled():  # never by this run while it waits for the page
                    raise ClusterError(
                        f"the executor dropped the pages in hand (page {ctx.number} of {ctx.item_id} "
                        "among them): the Dask scheduler was lost"
                    )
                exc = fut.exception()
                if exc is None:
                    finish(ctx, fut.result())
                elif isinstance(exc, BrokenExecutor) and renew is not None and fut is not alone:
                    log.warning("a worker died with page %d of %s in flight; it will be read again", ctx.number, ctx.item_id)
                    suspects.append(ctx)
                    broken = True
                else:  # the worker died on this page alone, or an executor that is not renewed
                    log.error("worker failed on page %d of %s: %s", ctx.number, ctx.item_id, exc)
                    pool_broke = isinstance(exc, BrokenExecutor)
                    broken |= pool_broke and renew is not None
                    reason = (
                        "the worker process reading this page died (out of memory, or a crash in an image or OCR library)"
                        if pool_broke or died(exc)
                        else f"the page could not be processed (worker failed: {type(exc).__name__}: {exc})"
                    )
                    finish(ctx, (_failed_page(ctx, reason),))
        if broken:
            if renew is None:
                for ctx in list(suspects):
                    finish(ctx, (_failed_page(ctx, "the page could not be processed (the worker pool broke)"),))
                suspects.clear()
                continue
            # every page still in flight on the broken pool fails the same way: read it again
            for fut, ctx in list(in_flight.items()):
                suspects.append(ctx)
            in_flight.clear()
            alone = None
            executor = renew()


def reparse(out: str | Path, settings: Settings = Settings(), progress: ProgressFn | None = None) -> RunSummary:
    """Parse every item of an earlier run again from the pages it read, without OCR.

    After an upgrade of gongwen's parsers this re-extracts fields, slips and tables of a whole
    archive in seconds; the per-item files (except the searchable PDF, which depends on the
    pages alone) and the aggregate CSVs are rewritten.  Items are kept in their earlier order.
    An item whose document.json cannot be read is named (a warning), left as it is, and a failed
    row (stage ``read``) of the aggregates; the others are parsed.
    """
    start = time.perf_counter()
    out = Path(out)
    stored = list(stored_items(out))
    if not stored:
        raise UsageError(f"{out}: no {ITEMS}/<id>/{DOCUMENT_JSON} from an earlier conversion")
    if settings.archive_code is None:
        archive_code = load_settings(out)
    else:
        archive_code = settings.archive_code
        save_settings(out, archive_code)
    summary = RunSummary()
    rows_by_item: dict[str, dict] = {}
    written: dict[str, dict] = {}  # the rows of the items written again, for the rows cache
    timings = RunState(out)
    try:
        for item in stored:
            t0 = time.perf_counter()
            doc, pages, error = _reparsed(out, item, timings)
            if doc is None:  # damaged: a failed row naming it; the file is left as it is
                log.warning("%s: %s; it is listed as failed", item.item_id, error)
                doc = replace(item, error=error).failed_document()
                rows = aggregate_rows(doc)
            elif pages is None:  # kept as it stands
                rows = aggregate_rows(doc)
            else:
                doc, rows = _write(doc, out, settings, pdf=False)
                written[item.item_id] = rows
            rows_by_item[item.item_id] = rows
            outcome = ItemOutcome(item.item_id, doc.status, doc.error_message, len(pages or ()), time.perf_counter() - t0)
            summary.outcomes.append(outcome)
            if progress is not None:
                n = len(summary.outcomes)
                progress(Progress(n, len(stored), n, len(stored), len(summary.failures),
                                  time.perf_counter() - start, outcome))
    finally:
        timings.close()
    write_aggregates(out, rows_by_item, archive_code)
    save_rows_cache(out, written, {})
    summary.seconds = time.perf_counter() - start
    return summary


def _reparsed(
    out: Path, item: StoredItem, timings: RunState
) -> tuple[Document | None, list[Page] | None, str | None]:
    """(document parsed again, the pages it was parsed from, None) for an item of OUT;
    (its document as it stands, None, None) for a duplicate, which has no pages of its own;
    (None, None, why) when its document.json is damaged."""
    if not item.ok:
        return None, None, item.error
    if item.document.status == Status.DUPLICATE:
        return item.document, None, None
    try:
        item_id, source, pages, load_error = load_earlier(out, item.path, item.data)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:  # values of the wrong kind
        return None, None, f"its {DOCUMENT_JSON} is damaged ({type(exc).__name__}: {exc})"
    doc = assemble(item_id, source, pages, load_error=load_error)
    # pages.csv keeps the seconds of the reading (in the state database), not of this parse
    return with_page_seconds(doc, timings.page_seconds(item_id)), pages, None

def _sweep_temp_files(out: Path, under: Path | None = None) -> None:
    """Temp files a killed run (or worker) left behind in OUT, or in its folder ``under``
    (outputs are written to ``.name.*.tmp`` and renamed; what was not renamed is no output)."""
    for tmp in OutDir(out).temp_files(under):
        try:
            tmp.unlink()
        except OSError:
            pass


def load_earlier(out: Path, path: Path, data: dict | None = None) -> tuple[str, str, list[Page], str | None]:
    """(item_id, source, pages, load error) of an item an earlier run wrote to ``path``
    (its document.json, or ``data`` already read from it), the pages' kept images found again."""
    if data is None:
        data = json.loads(path.read_text(encoding="utf-8"))
    item_id = data["item_id"]
    pages = []
    for p in data.get("pages", ()):
        image = OutDir(out).kept_page_image(item_id, int(p["number"]))
        page = page_from_dict(p, str(image) if image else None)
        # the text rules of this version apply to what was read then
        lines = tuple(replace(l, text=normalize_line(l.text)) for l in page.lines)
        pages.append(replace(page, lines=tuple(l for l in lines if l.text)))
    load_error = next(
        (e["message"] for e in data.get("errors", ()) if e.get("stage") == Stage.LOAD), None
    ) if not pages else None
    return item_id, data.get("source", ""), pages, load_error
