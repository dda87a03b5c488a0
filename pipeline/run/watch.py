"""A hot folder: convert items as they arrive in INBOX (``gongwen watch INBOX --out OUT``).

A scanner or a copy job writes files into the inbox over seconds or minutes; an item is taken
only once every one of its files has kept the same size and modification time for ``settle``
seconds (a page folder still receiving pages, or a PDF still being copied, waits).  An item
whose files change after it was converted is converted again.  Items are discovered with the
same rules as ``gongwen convert`` and written by the same :class:`Converter`, so the aggregate
CSVs always cover every item seen, and a watcher restarted after a crash keeps what is done.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import UsageError
from ...ocr.engines import get_engine_class
from .convert import Converter, ProgressFn, RunSummary, Settings, StopRequest, prepare_out
from .discover import Item, discover

log = logging.getLogger(__name__)

# how often the inbox is looked at, and how long an item's files must stay unchanged
POLL_S = 2.0
SETTLE_S = 5.0

Snapshot = tuple[tuple[str, int, int], ...]  # (file, size, mtime_ns) of each file


def item_snapshot(item: Item) -> Snapshot | None:
    """Size and modification time of the item's files (None if one has gone)."""
    files = item.files or (item.source,)
    try:
        return tuple((f, (st := os.stat(f)).st_size, st.st_mtime_ns) for f in files)
    except OSError:
        return None


def tree_snapshot(inbox: Path, exclude: Path | None) -> frozenset[tuple[str, int, int]]:
    """Every file under the inbox with its size and modification time (a cheap test of
    whether anything arrived or changed since the last look)."""
    exclude = exclude.resolve() if exclude is not None else None
    entries = set()
    for dirpath, dirnames, filenames in os.walk(inbox):
        if exclude is not None:
            dirnames[:] = [d for d in dirnames if (Path(dirpath) / d).resolve() != exclude]
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            entries.add((path, st.st_size, st.st_mtime_ns))
    return frozenset(entries)


@dataclass
class Settling:
    """When each item's files last changed, to tell which items have stopped growing."""

    settle: float = SETTLE_S
    _seen: dict[str, tuple[Snapshot, float]] = field(default_factory=dict)

    def ready(self, items: list[Item], now: float) -> list[Item]:
        """The items whose files have not changed for ``settle`` seconds."""
        ready = []
        for item in items:
            snap = item_snapshot(item)
            if snap is None:
                self._seen.pop(item.item_id, None)
                continue
            earlier = self._seen.get(item.item_id)
            if earlier is None:
                # first look: files last written long ago (an inbox with items already in
                # it when the watcher starts) have settled already
                age = max(0.0, time.time() - max(m for _, _, m in snap) / 1e9) if snap else 0.0
                self._seen[item.item_id] = (snap, now - age)
            elif earlier[0] != snap:
                self._seen[item.item_id] = (snap, now)
            if now - self._seen[item.item_id][1] >= self.settle:
                ready.append(item)
        return ready

    def snapshot(self, item_id: str) -> Snapshot | None:
        seen = self._seen.get(item_id)
        return seen[0] if seen else None


def watch(
    inbox: str | Path,
    out: str | Path,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
    on_batch: Callable[[RunSummary], None] | None = None,
    stop: StopRequest | None = None,
    poll: float = POLL_S,
    settle: float = SETTLE_S,
) -> RunSummary:
    """Convert items arriving in ``inbox`` into ``out`` until ``stop`` is set.

    ``on_batch`` is called with the summary of each batch converted; the returned summary
    holds every item converted while watching.
    """
    inbox, out = Path(inbox), Path(out)
    if not inbox.is_dir():
        raise UsageError(f"{inbox}: not a folder to watch")
    prepare_out(out)
    get_engine_class(settings.engine).check_available()
    stop = stop or StopRequest()
    settling = Settling(settle)
    done: dict[str, Snapshot] = {}  # items converted while watching, as their files were then
    total = RunSummary()
    start = time.monotonic()
    last_tree: frozenset | None = None
    items: list[Item] = []
    with Converter(out, settings) as converter:
        while not stop.is_set():
            tree = tree_snapshot(inbox, out)
            waiting = any(done.get(it.item_id) != settling.snapshot(it.item_id) for it in items)
            if tree != last_tree or waiting:
                # discover again only when something changed or an item is settling
                items = discover([inbox], exclude=out)
                last_tree = tree
            ready = settling.ready(items, time.monotonic())
            batch = [it for it in ready if done.get(it.item_id) != settling.snapshot(it.item_id)]
            if batch:
                log.info("%d item(s) arrived in %s", len(batch), inbox)
                # stopped (a signal), the batch ends after the pages in hand
                summary = converter.run(batch, progress, stop)
                finished = {o.item_id for o in summary.outcomes}
                for it in batch:
                    if it.item_id in finished:  # a stopped batch: the rest wait for a restart
                        done[it.item_id] = settling.snapshot(it.item_id)
                total.outcomes.extend(summary.outcomes)
                if on_batch is not None:
                    on_batch(summary)
            stop.wait(poll)
    total.seconds = time.monotonic() - start
    return total
