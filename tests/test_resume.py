"""Resuming a conversion: finished items are kept, changed and failed ones redone, and a run
killed with SIGKILL at any moment is completed by the next one."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pandas as pd

from gongwen.pipeline.export.outdir import OutDir
from gongwen.pipeline.run.convert import Settings, convert

CSVS = ("documents.csv", "circulation.csv", "annotations.csv", "tables.csv", "pages.csv", "catalogue.csv")


def _inbox(folder, n, fake_ocr):
    folder.mkdir()
    for k in range(n):
        fake_ocr.page(lines=[f"第{k + 1}号文件：各级新闻媒体要开展多种形式的宣传活动。"]).save(folder / f"item{k + 1}.png", dpi=(150, 150))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    return folder


def _mtimes(out):
    return {p.parent.name: p.stat().st_mtime_ns for p in (out / "items").glob("*/document.json")}


def _read(out, name):
    return pd.read_csv(out / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_rerun_keeps_finished_items_and_redoes_changed_and_failed_ones(tmp_path, fake_ocr):
    inbox, out = _inbox(tmp_path / "in", 3, fake_ocr), tmp_path / "out"
    first = convert([inbox], out, Settings(engine="fake", jobs=1))
    assert not any(o.resumed for o in first.outcomes)
    before = _mtimes(out)
    docs_before = _read(out, "documents.csv")

    fake_ocr.page(lines=["改过的第二号文件。"]).save(inbox / "item2.png", dpi=(150, 150))
    again = convert([inbox], out, Settings(engine="fake", jobs=1))
    kept = {o.item_id for o in again.outcomes if o.resumed}
    assert kept == {"item1", "item3"}  # item2 changed; broken failed: both done again
    after = _mtimes(out)
    assert after["item1"] == before["item1"] and after["item3"] == before["item3"]
    assert after["item2"] != before["item2"]
    docs = _read(out, "documents.csv")
    assert list(docs.item_id) == list(docs_before.item_id)  # every item still listed, once
    assert "改过的第二号文件" in (out / "items" / "item2" / "text.txt").read_text(encoding="utf-8")

    forced = convert([inbox], out, Settings(engine="fake", jobs=1, force=True))
    assert not any(o.resumed for o in forced.outcomes)


def test_kill_9_mid_run_then_rerun_completes_every_item(tmp_path, fake_ocr):
    # the fake engine reads an item in some 70 ms: enough of them, watched closely, for the
    # kill to land part-way
    n = 10
    inbox, out = _inbox(tmp_path / "in", n, fake_ocr), tmp_path / "out"
    cmd = [sys.executable, "-m", "gongwen", "convert", str(inbox), "--out", str(out), "--jobs", "1", "--engine", "fake"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline and not (out.exists() and len(_mtimes(out)) >= 3):
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI and any worker it started
    proc.wait()
    written = _mtimes(out)
    assert 3 <= len(written) < n + 1, "the run was to be killed part-way"
    # finished: written and recorded (an item written but killed before its record is done
    # again, as pipeline/run/state.py says)
    with sqlite3.connect(OutDir(out).state_db) as db:
        recorded = {row[0] for row in db.execute("SELECT item_id FROM items WHERE status = 'ok'")}
    finished = {item: mtime for item, mtime in written.items() if item in recorded}
    # at most the item being written when the kill landed is not recorded (broken.pdf fails)
    assert len(finished) >= len(set(written) - {"broken"}) - 1

    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 1  # broken.pdf fails; every other item is ok
    after = _mtimes(out)
    assert set(after) == {f"item{k}" for k in range(1, n + 1)} | {"broken"}
    for item, mtime in finished.items():
        if item != "broken":  # a failed item is tried again; a finished one is not redone
            assert after[item] == mtime, f"{item} was converted again"
    for name in CSVS:
        table = _read(out, name)  # every CSV parses
        assert not table.duplicated().any(), name
    docs = _read(out, "documents.csv")
    assert sorted(docs.item_id) == sorted(after) and docs.item_id.is_unique
    assert set(docs[docs.item_id != "broken"].status) == {"ok"}
    assert not list(out.rglob("*.tmp"))  # the killed run's temp files were swept


def test_rerun_keeps_the_values_a_review_exported(tmp_path, fake_ocr):
    """An item kept by a re-run gives its rows from its document.json as written, so values an
    archivist corrected (gongwen export) are not replaced by the extraction again."""
    import json

    inbox, out = _inbox(tmp_path / "in", 1, fake_ocr), tmp_path / "out"
    convert([inbox], out, Settings(engine="fake", jobs=1))
    path = out / "items" / "item1" / "document.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["fields"]["title"] = {
        "value": "关于开展宣传活动的通知", "raw": "", "page": 1, "bbox": None,
        "confidence": 1.0, "method": "reviewed",
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    again = convert([inbox], out, Settings(engine="fake", jobs=1))
    assert {o.item_id for o in again.outcomes if o.resumed} == {"item1"}
    docs = _read(out, "documents.csv").set_index("item_id")
    assert docs.loc["item1", "title"] == "关于开展宣传活动的通知"
