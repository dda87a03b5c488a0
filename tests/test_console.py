"""What the command line shows during a run: the bar on a terminal, log lines elsewhere."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gongwen.pipeline.console import ProgressDisplay, duration, status_text, summary_text
from gongwen.pipeline.run.convert import ItemOutcome, Progress, RunSummary

OK = ItemOutcome("2014/fp-8", "ok", "", 7, 12.5)
BAD = ItemOutcome("2014/broken", "failed", "the PDF is damaged or truncated", 0, 0.1)


@pytest.mark.parametrize("seconds, text", [(None, "?"), (0.4, "0:00"), (65, "1:05"), (3723, "1:02:03")])
def test_duration(seconds, text):
    assert duration(seconds) == text


def test_status_gives_pages_per_second_eta_and_failures():
    p = Progress(items_done=12, items_total=40, pages_done=96, pages_total=310, failed=1, elapsed=48.0)
    assert p.pages_per_second == 2.0 and p.eta == 107.0
    assert status_text(p) == "12/40 items · 96/310 pages · 2.0 pages/s · ETA 1:47 · 1 not ok"
    assert Progress(0, 3, 0, 10, 0, 0.0).eta is None


def test_log_lines_when_not_a_terminal():
    stream = io.StringIO()
    show = ProgressDisplay(stream, terminal=False)
    show(Progress(0, 2, 3, 7, 0, 3.0))  # a page: nothing logged
    show(Progress(1, 2, 7, 7, 0, 7.0, OK))
    show(Progress(2, 2, 7, 7, 1, 7.5, BAD))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in stream.getvalue()
    assert lines[0].startswith("[1/2] 2014/fp-8 (7 p, 12.5 s) ok · 1/2 items · 7/7 pages")
    assert lines[1].startswith("[2/2] 2014/broken (0 p, 0.1 s) FAILED: the PDF is damaged")


def test_bar_on_a_terminal_redraws_one_line_and_keeps_failures_above_it():
    stream = io.StringIO()
    show = ProgressDisplay(stream, terminal=True)
    show(Progress(0, 2, 5, 10, 0, 5.0))
    show(Progress(1, 2, 10, 10, 1, 10.0, BAD))
    show.finish()
    text = stream.getvalue()
    assert text.count("\r\x1b[2K") >= 3  # every redraw and the final clear start at column 0
    assert " 50% " in text and "100% " in text and "█" in text and "░" in text
    assert "ETA 0:05" in text
    # the failure is printed on a line of its own, which the bar does not overwrite
    assert "2014/broken: FAILED: the PDF is damaged or truncated\n" in text
    assert text.endswith("\r\x1b[2K")


def test_summary_names_failures_and_where_they_are_listed():
    summary = RunSummary([OK, BAD, ItemOutcome("old", "ok", "", 3, 0.0, resumed=True)], seconds=20.0)
    text = summary_text(summary, Path("out"))
    assert "3 items, 10 pages in 0:20, 0.35 pages/s: 2 ok, 0 partial, 1 failed (1 kept from an earlier run" in text
    assert "  FAILED 2014/broken: the PDF is damaged or truncated" in text
    assert "out/failures.csv" in text
    assert "failures.csv" not in summary_text(RunSummary([OK], 1.0), Path("out"))


def test_summary_shows_the_first_failures_and_counts_the_rest():
    many = [ItemOutcome(f"bad-{n}", "failed", "unreadable", 0, 0.0) for n in range(13)]
    text = summary_text(RunSummary(many, 1.0), Path("out"))
    assert "bad-9" in text and "bad-10" not in text and "… and 3 more" in text


def test_a_stopped_run_says_the_same_command_goes_on():
    assert "Stopped before every item was done" in summary_text(RunSummary([OK], 1.0, stopped=True), Path("out"))
    assert "Stopped" not in summary_text(RunSummary([OK], 1.0), Path("out"))
