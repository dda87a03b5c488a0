"""Where pages are read: a local process pool (the default) or a Dask distributed cluster.

Both are ``concurrent.futures`` executors running the same picklable
:func:`~gongwen.pipeline.worker.read_page` on one :class:`PageContext` at a time; each
worker process keeps one engine, its math libraries pinned to one thread.

With Dask the input files and the output folder must be at the same paths on every worker (a
shared mount): a worker reads its page from the input file and writes the upright page image
into ``OUT/.gongwen/pages``, where this process reads it for the searchable PDF.  A run checks
that every worker sees them (:func:`check_shared`) before the first page.  A worker lost in the
middle of a run (its host gone, killed) costs nothing: Dask gives the pages it held to
another worker; only a page that was in hand on ``distributed.scheduler.allowed-failures`` + 1
workers that all died fails (:func:`killed_worker`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ...errors import UsageError
from .settings import Settings
from .worker import init_worker


log = logging.getLogger(__name__)

CLUSTER_EXTRA = "pip install 'gongwen[cluster]'"
# Worker processes are not replaced after a number of pages (``max_tasks_per_child``):
# Python 3.11's pool can then fail to start the replacement and wait forever with pages
# pending (CPython gh-115634: a 201-page run here hung after 40 of its 42 items).  A worker
# gives its freed memory back after a page instead (worker.release_memory).

# how long to wait for a Dask scheduler to answer, and for the first worker to join it
DASK_CONNECT_TIMEOUT_S = 30


# ending the workers of a stopped run: how long a worker gets to go after SIGTERM before it
# is killed, and how long a Dask cluster gets to close
TERMINATE_WAIT_S = 3.0
DASK_CLOSE_TIMEOUT_S = 5


@dataclass(frozen=True)
class Running:
    """A started executor, how many pages it reads at once, how to shut it down when its
    work is done (``close``: waits for the pages in flight) and how to end it at once
    (``terminate``: a stopped run; every worker process is gone when it returns).

    ``check_shared(out, inputs)`` raises :class:`UsageError` when a worker cannot see OUT or
    the input files at their paths here (a local pool sees what this process sees); ``died``
    tells a page's failure that means its worker died with the page in hand (a process pool's
    deaths break the pool instead: ``BrokenExecutor``)."""

    executor: Executor
    slots: int
    close: Callable[[], None]
    terminate: Callable[[], None]
    check_shared: Callable[[Path, Sequence[Path]], None] = lambda out, inputs: None
    died: Callable[[BaseException], bool] = lambda exc: False


def open_executor(settings: Settings) -> Running:
    """Start the executor ``settings`` name."""
    if settings.executor == "dask":
        return _dask_executor(settings)
    pool = ProcessPoolExecutor(
        max_workers=settings.workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=init_worker,
        # the engine is loaded by the first page that needs it (a born-digital page does not)
        initargs=(settings.engine, 1, False),
    )
    return Running(pool, settings.workers, pool.shutdown, lambda: terminate_pool(pool))


def terminate_pool(pool: ProcessPoolExecutor) -> None:
    """End a process pool's workers now, pages in flight or not: no new page is taken, each
    worker gets SIGTERM and, if it has not gone within :data:`TERMINATE_WAIT_S`, SIGKILL."""
    # the pool keeps its processes in a private mapping; there is no public way to end them
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(TERMINATE_WAIT_S)
        if p.is_alive():
            log.warning("worker %s did not end on SIGTERM; killing it", p.pid)
            p.kill()
            p.join(TERMINATE_WAIT_S)


def unseen_paths(out: str, inputs: Sequence[str]) -> list[str]:
    """Run on each Dask worker: the paths of ``out`` (a folder it must be able to write) and of
    the ``inputs`` (files it must be able to read) that it does not see."""
    unseen = [] if os.path.isdir(out) and os.access(out, os.W_OK | os.X_OK) else [out]
    return unseen + [p for p in inputs if not (os.path.isfile(p) and os.access(p, os.R_OK))]


def check_shared(client, out: Path, inputs: Sequence[Path]) -> None:
    """Every worker of the cluster sees OUT and ``inputs`` at the same paths as this process, or
    a :class:`UsageError` naming a worker and what it does not see (before any page is sent:
    otherwise every page would fail with a file not found)."""
    try:
        found = client.run(unseen_paths, str(out), [str(p) for p in inputs])
    except Exception as exc:
        raise UsageError(f"the Dask workers cannot be asked whether they see OUT: {exc}") from exc
    blind = {worker: unseen for worker, unseen in sorted(found.items()) if unseen}
    if blind:
        worker, unseen = next(iter(blind.items()))
        more = f" (and {len(blind) - 1} more worker(s))" if len(blind) > 1 else ""
        raise UsageError(
            f"the Dask worker {worker}{more} does not see {', '.join(unseen)}: the input files and "
            "OUT must be at the same paths on every worker, OUT writable (shared storage; see "
            "README, Running on a cluster)"
        )


def killed_worker(exc: BaseException) -> bool:
    """Whether a Dask page failed because each worker it was in hand on died with it: Dask sends
    a lost worker's pages to another worker by itself, and gives up on a page (``KilledWorker``)
    only once ``distributed.scheduler.allowed-failures`` + 1 workers died with it in hand, the
    page their likely cause (as a process pool's page that kills its worker when read alone)."""
    from distributed import KilledWorker

    return isinstance(exc, KilledWorker)


def _threads(client) -> dict[str, int]:
    """Each worker's threads (``scheduler_info`` lists only the first 5 workers in some of
    Dask's versions; ``nthreads`` lists them all)."""
    return dict(client.nthreads())


def _dask_executor(settings: Settings) -> Running:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise UsageError(f"--executor dask needs Dask's distributed package: {CLUSTER_EXTRA}") from exc
    cluster = None
    if settings.scheduler is None:
        # no scheduler given: a cluster of this machine's cores, one single-threaded
        # worker process each (the engine is not thread-safe and is pinned to one thread)
        cluster = LocalCluster(
            n_workers=settings.workers, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.WARNING,
        )
        address = cluster.scheduler_address
    else:
        address = settings.scheduler
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise UsageError(f"no Dask scheduler answers at {address}: {exc}") from exc
    try:
        client.wait_for_workers(1, timeout=DASK_CONNECT_TIMEOUT_S)
        # pin each worker's math libraries and load its engine once, before the first page
        # (another's cluster's processes keep their own signal handling: follow_parent False)
        client.run(init_worker, settings.engine, 1, True, False)
    except Exception as exc:
        client.close()
        if cluster is not None:
            cluster.close()
        raise UsageError(f"the Dask cluster at {address} cannot run gongwen's workers: {exc}") from exc
    threads = _threads(client)
    slots = max(1, sum(threads.values()))
    log.info("Dask cluster at %s: %d worker threads", address, slots)
    for worker, n in sorted(threads.items()):
        if n > 1:  # its threads would share the worker's one engine
            log.warning("the Dask worker %s runs %d threads; start gongwen's workers with --nthreads 1 "
                        "(and as many --nworkers as cores)", worker, n)
    # pure=False: two pages are never the same task, even with equal arguments
    executor = client.get_executor(pure=False)

    def close() -> None:
        executor.shutdown(wait=True)
        client.close()
        if cluster is not None:
            cluster.close()

    def terminate() -> None:
        # the pages in flight are cancelled (shutdown without waiting cancels them); a cluster
        # this run started is closed with its worker processes, one given by --scheduler is
        # left running (it is not ours to end)
        executor.shutdown(wait=False)
        client.close(timeout=DASK_CLOSE_TIMEOUT_S)
        if cluster is not None:
            cluster.close(timeout=DASK_CLOSE_TIMEOUT_S)

    return Running(
        executor, slots, close, terminate,
        check_shared=lambda out, inputs: check_shared(client, out, inputs), died=killed_worker,
    )
