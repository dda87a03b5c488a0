"""The hot folder: items are taken once their files stop growing, converted once, again when
they change, and the aggregates cover every item seen."""

from __future__ import annotations

import io
import os
import threading
import time

import pandas as pd
import pytest

from gongwen.pipeline.run.convert import Settings
from gongwen.pipeline.run.discover import discover
from gongwen.pipeline.run.watch import Settling, watch

from helpers import draw_text_page


def _png_bytes(lines=None, fake_ocr=None) -> bytes:
    """A page as PNG; its text known to the fake engine when ``fake_ocr`` is given."""
    draw = fake_ocr.page if fake_ocr is not None else draw_text_page
    buf = io.BytesIO()
    (draw(lines=lines) if lines else draw()).save(buf, format="PNG", dpi=(150, 150))
    return buf.getvalue()


def _touch_now(path):
    now = time.time()
    os.utime(path, (now, now))


def test_an_item_is_ready_only_once_its_files_stop_changing(tmp_path):
    data = _png_bytes()
    f = tmp_path / "scan.png"
    f.write_bytes(data[:1000])  # a copy under way
    _touch_now(f)
    settling = Settling(settle=5.0)
    assert settling.ready(discover([tmp_path]), now=100.0) == []
    assert settling.ready(discover([tmp_path]), now=104.0) == []
    f.write_bytes(data)  # it grew: the clock starts again
    _touch_now(f)
    assert settling.ready(discover([tmp_path]), now=106.0) == []
    assert settling.ready(discover([tmp_path]), now=110.0) == []
    [item] = settling.ready(discover([tmp_path]), now=111.0)
    assert item.item_id == "scan" and item.error is None


def test_a_page_folder_waits_for_its_last_page(tmp_path):
    folder = tmp_path / "2014-8"
    folder.mkdir()
    (folder / "1.png").write_bytes(_png_bytes())
    settling = Settling(settle=2.0)
    settling.ready(discover([tmp_path]), now=0.0)
    (folder / "2.png").write_bytes(_png_bytes())  # a new page: the item's files changed
    assert settling.ready(discover([tmp_path]), now=1.5) == []
    [item] = settling.ready(discover([tmp_path]), now=3.6)
    assert item.item_id == "2014-8" and len(item.pages) == 2


def test_files_already_settled_when_the_watcher_starts_are_taken_at_once(tmp_path):
    f = tmp_path / "old.png"
    f.write_bytes(_png_bytes())
    an_hour_ago = time.time() - 3600
    os.utime(f, (an_hour_ago, an_hour_ago))
    [item] = Settling(settle=5.0).ready(discover([tmp_path]), now=0.0)
    assert item.item_id == "old"


def test_watch_needs_a_folder(tmp_path):
    from gongwen.errors import UsageError

    with pytest.raises(UsageError, match="not a folder"):
        watch(tmp_path / "missing", tmp_path / "out", stop=threading.Event())


def test_watch_converts_arrivals_once_and_again_when_changed(tmp_path, fake_ocr):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    batches = []
    stop = threading.Event()
    arrived = threading.Condition()

    def on_batch(summary):
        with arrived:
            batches.append([(o.item_id, o.status) for o in summary.outcomes])
            arrived.notify_all()

    def wait_for(n):
        with arrived:
            assert arrived.wait_for(lambda: len(batches) >= n, timeout=120), batches

    thread = threading.Thread(
        target=watch, args=(inbox, out, Settings(engine="fake", jobs=1)),
        kwargs=dict(on_batch=on_batch, stop=stop, poll=0.1, settle=1.0), daemon=True,
    )
    thread.start()
    try:
        first = _png_bytes(fake_ocr=fake_ocr)
        with open(inbox / "a.png", "wb") as f:  # a slow copy: half, a pause, the rest
            f.write(first[: len(first) // 2])
            f.flush()
            time.sleep(0.6)
            f.write(first[len(first) // 2 :])
        wait_for(1)
        assert batches[0] == [("a", "ok")]  # never taken half-written
        (inbox / "b.png").write_bytes(_png_bytes(["第二件：现将有关事项通知如下。"], fake_ocr))
        wait_for(2)
        assert batches[1] == [("b", "ok")]  # a is not converted again
        (inbox / "a.png").write_bytes(_png_bytes(["更正后的扫描件：请各地认真贯彻执行。"], fake_ocr))
        wait_for(3)
        assert batches[2] == [("a", "ok")]
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype=str)
    assert sorted(docs.item_id) == ["a", "b"]  # the aggregates cover every item seen
    assert "认真贯彻执行" in (out / "items" / "a" / "text.txt").read_text(encoding="utf-8")
    assert len(batches) == 3


def test_gongwen_watch_command_converts_and_stops_on_sigterm(tmp_path, fake_ocr):
    import signal
    import subprocess
    import sys

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongwen.pipeline.cli", "watch", str(inbox), "--out", str(out),
         "--jobs", "1", "--poll", "0.2", "--settle", "0.5", "--engine", "fake"],
        stderr=subprocess.PIPE, text=True,
    )
    try:
        (inbox / "scan.png").write_bytes(_png_bytes(fake_ocr=fake_ocr))
        deadline = time.monotonic() + 120
        while not (out / "documents.csv").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert (out / "documents.csv").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err  # stopped by SIGTERM, as a shell reports it (128 + 15)
    assert "watching" in err and "[1/1] scan" in err and "1 item(s) converted" in err
    assert "stopped after 1 item(s)" in err
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype=str)
    assert list(docs.item_id) == ["scan"] and list(docs.status) == ["ok"]
