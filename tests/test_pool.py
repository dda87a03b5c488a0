"""The process pool survives a worker that dies: only the page that killed it fails."""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from gongwen.pipeline.run.convert import _run_pool
from gongwen.pipeline.run.discover import Item
from gongwen.pipeline.export.outdir import OutDir
from gongwen.pipeline.run.worker import PageContext
from gongwen.ocr.loading import PageRef

from helpers import read_or_die


def _pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn"))


def _items(tmp_path, poisoned: set[tuple[int, int]]):
    to_read = []
    for i in range(3):
        item = Item(item_id=f"item{i}", source=str(tmp_path / f"item{i}"), pages=())
        contexts = [
            PageContext(
                item.item_id, n,
                PageRef(path=str(tmp_path / ("poison" if (i, n) in poisoned else f"p{i}-{n}.png")), fmt="png"),
                "rapidocr", OutDir(tmp_path),
            )
            for n in range(1, 5)
        ]
        to_read.append((item, contexts, []))
    return to_read


@pytest.mark.parametrize("limit", [1, 6])
def test_a_dying_worker_fails_its_page_only_and_the_run_goes_on(tmp_path, limit):
    pools = [_pool()]

    def renew():
        pools[-1].shutdown(wait=True)
        pools.append(_pool())
        return pools[-1]

    finished: dict[str, list] = {}
    pages_done = []
    try:
        _run_pool(
            _items(tmp_path, {(1, 2)}), lambda item, pages: finished.setdefault(item.item_id, pages),
            lambda: pages_done.append(1), pools[0], limit, renew=renew, work=read_or_die,
        )
    finally:
        pools[-1].shutdown(wait=True)
    assert sorted(finished) == ["item0", "item1", "item2"]
    assert len(pages_done) == 12
    for item_id, pages in finished.items():
        assert sorted(p.number for p in pages) == [1, 2, 3, 4]  # each page once
        failed = {p.number: p.error for p in pages if p.error}
        if item_id == "item1":
            assert list(failed) == [2]
            assert "worker process reading this page died" in failed[2]
        else:
            assert failed == {}, failed
    # the poisoned page broke the first pool and, read again alone, a second one: no more
    assert len(pools) == 3


def test_without_a_fresh_pool_the_pages_in_flight_fail_and_the_run_still_ends(tmp_path):
    pool = _pool()
    finished: dict[str, list] = {}
    try:
        _run_pool(
            _items(tmp_path, {(0, 1)}), lambda item, pages: finished.setdefault(item.item_id, pages),
            lambda: None, pool, 2, renew=None, work=read_or_die,
        )
    finally:
        pool.shutdown(wait=True)
    assert sorted(finished) == ["item0", "item1", "item2"]
    assert all(sorted(p.number for p in pages) == [1, 2, 3, 4] for pages in finished.values())
    assert any(p.error for p in finished["item0"] if p.number == 1)


def test_converter_renews_its_pool(tmp_path):
    from gongwen.pipeline.run.convert import Converter, Settings

    with Converter(tmp_path / "out", Settings(jobs=2)) as converter:
        first = converter.executor().executor
        fresh = converter._renew()
        assert fresh is not first
        assert converter.executor().executor is fresh
        with pytest.raises(RuntimeError):  # the old pool was shut down
            first.submit(print, "x")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_a_worker_gives_memory_back_only_above_its_threshold():
    from gongwen.pipeline.run.worker import release_memory

    assert release_memory(above_mb=1e9) is False  # holds far less: nothing done
    assert release_memory(above_mb=0) is True


def test_the_pool_does_not_replace_workers_after_a_number_of_pages(tmp_path):
    """Python 3.11's ProcessPoolExecutor with max_tasks_per_child can fail to start the
    replacement of a worker that reached its limit and then wait forever with pages pending
    (CPython gh-115634): a 201-page run hung after 40 of its 42 items.  The pool must not
    use it."""
    from gongwen.pipeline.run.convert import Settings
    from gongwen.pipeline.run.executors import open_executor

    running = open_executor(Settings(jobs=2))
    try:
        assert running.executor._max_tasks_per_child is None
    finally:
        running.close()


class _Recording:
    """An executor that records what is submitted and runs nothing."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def submit(self, fn, *args):
        self.calls.append((fn.__name__, args))


@pytest.mark.parametrize(
    "pages, error, warmed",
    [
        ((PageRef("a.tif", "tiff"), PageRef("a.tif", "tiff", 1)), None, [("warm_up", ("rapidocr-v6", True))] * 2),
        ((PageRef("a.pdf", "pdf"),), None, [("warm_up", ("rapidocr-v6", False))] * 2),  # may be born-digital
        ((), "the file is damaged", []),  # nothing to read: no worker is started
    ],
)
def test_workers_start_before_the_items_are_hashed(tmp_path, monkeypatch, pages, error, warmed):
    from gongwen.pipeline.run import convert as conv
    from gongwen.pipeline.run.executors import Running

    recording = _Recording()
    monkeypatch.setattr(conv, "open_executor", lambda settings: Running(recording, settings.workers, lambda: None, lambda: None))
    with conv.Converter(tmp_path, conv.Settings(jobs=2)) as converter:
        converter._start_workers([Item("a", "a", pages=pages, error=error)])
        assert recording.calls == warmed


def test_warm_up_loads_the_engine_only_when_told(monkeypatch):
    from gongwen.pipeline.run import worker

    loaded = []
    monkeypatch.setattr(worker, "engine_for", lambda name, threads: loaded.append((name, threads)))
    worker.warm_up("rapidocr", False)
    assert loaded == []
    worker.warm_up("rapidocr", True)
    assert loaded == [("rapidocr", 1)]

    def broken(name, threads):
        raise RuntimeError("no model")

    monkeypatch.setattr(worker, "engine_for", broken)
    worker.warm_up("rapidocr", True)  # the first page will report it; the warm-up does not raise


class _Immediate:
    """An executor that reads each page at once, or fails it as a Dask cluster does: a page
    whose file is named ``killer`` with ``KilledWorker`` (every worker it was in hand on died),
    ``dropped`` cancelled (the client lost its scheduler and, with it, every page in hand)."""

    def submit(self, fn, ctx):
        from concurrent.futures import Future

        import distributed

        fut = Future()
        name = Path(ctx.ref.path).name
        if name == "dropped":
            fut.cancel()
            fut.set_running_or_notify_cancel()  # as distributed's ClientExecutor does
        elif name == "killer":
            # (made as the scheduler makes it; its arguments differ between Dask's versions)
            killed = distributed.KilledWorker.__new__(distributed.KilledWorker)
            killed.args = (f"read_page-{ctx.item_id}", SimpleNamespace(address="tcp://10.0.0.7:40123"), 3)
            fut.set_exception(killed)
        else:
            fut.set_result(fn(ctx))
        return fut


def _named(tmp_path, names: dict[tuple[int, int], str]):
    return [
        (item, [replace(c, ref=replace(c.ref, path=str(tmp_path / names[(i, c.number)]))) if (i, c.number) in names else c
                for c in contexts], pages)
        for i, (item, contexts, pages) in enumerate(_items(tmp_path, set()))
    ]


def test_a_page_dask_gave_up_on_fails_alone_as_a_page_that_kills_its_worker(tmp_path):
    pytest.importorskip("distributed")
    from gongwen.pipeline.run.executors import killed_worker

    finished: dict[str, list] = {}
    _run_pool(
        _named(tmp_path, {(1, 3): "killer"}), lambda item, pages: finished.setdefault(item.item_id, pages),
        lambda: None, _Immediate(), 4, work=read_or_die, died=killed_worker,
    )
    failed = {(i, p.number): p.error for i, pages in finished.items() for p in pages if p.error}
    assert list(failed) == [("item1", 3)]
    assert "worker process reading this page died" in failed[("item1", 3)]
    assert all(len(pages) == 4 for pages in finished.values())


def test_pages_the_executor_dropped_stop_the_run_and_fail_no_page(tmp_path):
    """A Dask client that lost its scheduler cancels every page in hand: the run stops with
    ClusterError (the items finished are kept; the next run reads the rest), no page failed."""
    pytest.importorskip("distributed")
    from gongwen.errors import ClusterError

    finished: dict[str, list] = {}
    with pytest.raises(ClusterError, match="page 2 of item1 among them"):
        _run_pool(
            _named(tmp_path, {(1, 2): "dropped"}), lambda item, pages: finished.setdefault(item.item_id, pages),
            lambda: None, _Immediate(), 1, work=read_or_die,
        )
    assert list(finished) == ["item0"]
    assert not any(p.error for p in finished["item0"])


def test_a_run_sweeps_the_temp_file_of_a_worker_that_died_writing_a_page_image(tmp_path, fake_ocr, monkeypatch):
    """Killed between writing a page image's temp file and renaming it, a worker leaves the
    temp file in OUT; its page is read again elsewhere, and the run sweeps the file at its end."""
    from gongwen.pipeline.run import convert as conv

    inbox = tmp_path / "in"
    inbox.mkdir()
    fake_ocr.page().save(inbox / "a.png")
    out = tmp_path / "out"
    read = conv.process_page

    def dies_once_writing(ctx):
        image = ctx.out.page_image(ctx.item_id, ctx.number)
        image.parent.mkdir(parents=True, exist_ok=True)
        (image.parent / f".{image.name}.4242.tmp").write_bytes(b"half a JPEG")  # the dead worker's
        return read(ctx)

    monkeypatch.setattr(conv, "process_page", dies_once_writing)
    summary = conv.convert([inbox / "a.png"], out, conv.Settings(engine="fake", jobs=1))
    assert [o.status for o in summary.outcomes] == ["ok"]
    assert OutDir(out).page_image("a", 1).is_file()
    assert not list(out.rglob("*.tmp"))
