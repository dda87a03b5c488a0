"""What the command line shows while a run goes on: a progress bar on a terminal, plain log
lines otherwise (a log file, a pipe, a batch system), and the summary at the end.

Only the CLI uses this; the library reports :class:`~gongwen.pipeline.convert.Progress`
snapshots through a callback and never writes to the terminal itself.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import TextIO

from ..parsers.model import Status
from .run.convert import ItemOutcome, Progress, RunSummary
from .export.outdir import DOCUMENTS_CSV, FAILURES_CSV, ITEMS, OutDir

# a terminal's bar is redrawn at most this often (an item finishing always redraws it)
REDRAW_EVERY_S = 0.2
BAR_WIDTH = (10, 30)
# failed items named in the summary; the rest are in failures.csv
SUMMARY_FAILURES_SHOWN = 10


def duration(seconds: float | None) -> str:
    """1:05, 1:02:03 or ? (unknown)."""
    if seconds is None:
        return "?"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def status_text(p: Progress) -> str:
    """12/40 items · 96/310 pages · 1.8 pages/s · ETA 1:52 · 1 failed"""
    parts = [f"{p.items_done}/{p.items_total} items"]
    if p.pages_total:
        parts.append(f"{p.pages_done}/{p.pages_total} pages")
        parts.append(f"{p.pages_per_second:.1f} pages/s")
        if p.pages_done < p.pages_total:
            parts.append(f"ETA {duration(p.eta)}")
    if p.failed:
        parts.append(f"{p.failed} not ok")
    return " · ".join(parts)


def outcome_text(o: ItemOutcome) -> str:
    status = o.status if o.status == Status.OK else f"{o.status.upper()}: {o.error}"
    how = "done by an earlier run" if o.resumed else f"{o.seconds:.1f} s"
    return f"{o.item_id} ({o.pages} p, {how}) {status}"


def bar(fraction: float, width: int) -> str:
    filled = int(round(max(0.0, min(1.0, fraction)) * width))
    return "█" * filled + "░" * (width - filled)


class ProgressDisplay:
    """The callback for ``convert``/``reparse``: a bar on a terminal, log lines elsewhere."""

    def __init__(self, stream: TextIO = sys.stderr, terminal: bool | None = None) -> None:
        self.stream = stream
        self.terminal = stream.isatty() if terminal is None else terminal
        self._last_draw = 0.0
        self._drawn = False

    def __call__(self, p: Progress) -> None:
        if self.terminal:
            self._on_terminal(p)
        elif p.outcome is not None:
            self.stream.write(f"[{p.items_done}/{p.items_total}] {outcome_text(p.outcome)} · {status_text(p)}\n")
            self.stream.flush()

    def _on_terminal(self, p: Progress) -> None:
        if p.outcome is not None and p.outcome.status != Status.OK:
            self._clear()
            self.stream.write(f"{p.outcome.item_id}: {p.outcome.status.upper()}: {p.outcome.error}\n")
        now = time.monotonic()
        if p.outcome is None and now - self._last_draw < REDRAW_EVERY_S:
            return
        self._last_draw = now
        done, total = (p.pages_done, p.pages_total) if p.pages_total else (p.items_done, p.items_total)
        text = status_text(p)
        columns = shutil.get_terminal_size((100, 20)).columns
        width = max(BAR_WIDTH[0], min(BAR_WIDTH[1], columns - len(text) - 9))
        line = f"{100 * done / max(total, 1):3.0f}% {bar(done / max(total, 1), width)} {text}"
        self.stream.write("\r\x1b[2K" + line[: columns - 1])
        self.stream.flush()
        self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self._drawn = False

    def finish(self) -> None:
        """Take the bar off before the summary is printed."""
        if self.terminal:
            self._clear()
            self.stream.flush()


def summary_text(summary: RunSummary, out: Path) -> str:
    ok, partial, failed = summary.count(Status.OK), summary.count(Status.PARTIAL), summary.count(Status.FAILED)
    duplicates = summary.count(Status.DUPLICATE)
    kept = sum(1 for o in summary.outcomes if o.resumed)
    read = sum(o.pages for o in summary.outcomes if not o.resumed)
    rate = f", {read / summary.seconds:.2f} pages/s" if read and summary.seconds > 0 else ""
    lines = [
        f"{len(summary.outcomes)} items, {summary.pages} pages in {duration(summary.seconds)}{rate}: "
        f"{ok} ok, {partial} partial, {failed} failed"
        + (f", {duplicates} duplicate{'s' if duplicates > 1 else ''} (not converted twice)" if duplicates else "")
        + (f" ({kept} kept from an earlier run; --force redoes them)" if kept else "")
        + "."
    ]
    problems = summary.failures
    for o in problems[:SUMMARY_FAILURES_SHOWN]:
        lines.append(f"  {o.status.upper()} {o.item_id}: {o.error}")
    if len(problems) > SUMMARY_FAILURES_SHOWN:
        lines.append(f"  … and {len(problems) - SUMMARY_FAILURES_SHOWN} more")
    if problems:
        lines.append(f"Every failure and its reason: {OutDir(out).file(FAILURES_CSV)}")
    if summary.stopped:
        lines.append("Stopped before every item was done: the same command goes on with the rest.")
    lines.append(f"Results in {out}/ ({DOCUMENTS_CSV}, {ITEMS}/<id>/).")
    return "\n".join(lines)
