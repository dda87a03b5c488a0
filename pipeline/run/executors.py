"""Where pages are read: a local process pool (the default) or a Dask distributed cluster.

Both are ``concurrent.futures`` executors running the same picklable
:func:`~gongwen.pipeline.worker.read_page` on one :class:`PageContext` at a time; each
worker process keeps one engine, its math libraries pinned to one thread.  With Dask the input
files and the output folder must be at the same paths on every worker (a shared mount).
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

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
    (``terminate``: a stopped run; every worker process is gone when it returns)."""

    executor: Executor
    slots: int
    close: Callable[[], None]
    terminate: Callable[[], None]


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

    return Running(executor, slots, close, terminate)
