"""The CLI maps outcomes to exit codes: 0 all ok, 1 some item failed, 2 usage error."""

from __future__ import annotations

import subprocess
import sys


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "gongwen", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def test_unknown_engine_lists_known_ones(tmp_path):
    r = run("convert", str(tmp_path), "--out", str(tmp_path / "out"), "--engine", "abbyy")
    assert r.returncode == 2
    assert "unknown OCR engine 'abbyy'" in r.stderr and "rapidocr" in r.stderr and "tesseract" in r.stderr


def test_missing_out_is_a_usage_error(tmp_path):
    r = run("convert", str(tmp_path))
    assert r.returncode == 2 and "--out" in r.stderr


def test_negative_jobs_is_a_usage_error(tmp_path):
    r = run("convert", str(tmp_path), "--out", str(tmp_path / "o"), "--jobs", "-1")
    assert r.returncode == 2 and "--jobs" in r.stderr


def test_exit_0_when_all_ok_then_1_when_an_item_fails(tmp_path, fake_ocr):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fake_ocr.page().save(inbox / "good.png", dpi=(150, 150))
    r = run("convert", str(inbox), "--out", str(tmp_path / "out"), "--jobs", "1", "--engine", "fake")
    assert r.returncode == 0, r.stderr
    assert "1 ok, 0 partial, 0 failed" in r.stderr
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    r = run("convert", str(inbox), "--out", str(tmp_path / "out2"), "--jobs", "2", "--engine", "fake")
    assert r.returncode == 1
    assert "broken" in r.stderr and "damaged" in r.stderr
    assert "1 ok, 0 partial, 1 failed" in r.stderr
    # not a terminal: a log line per item; the summary points at the list of failures
    assert "[2/2]" in r.stderr and "pages/s" in r.stderr
    assert f"{tmp_path / 'out2' / 'failures.csv'}" in r.stderr
    failures = (tmp_path / "out2" / "failures.csv").read_text(encoding="utf-8-sig")
    assert "broken" in failures and "good" not in failures


def test_debug_tables_writes_every_stage(tmp_path):
    import cv2
    import numpy as np

    img = np.full((1754, 1240, 3), 255, np.uint8)
    for y in (200, 300, 400, 500):
        cv2.line(img, (100, y), (1100, y), (0, 0, 0), 3)
    for x in (100, 500, 1100):
        cv2.line(img, (x, 200), (x, 500), (0, 0, 0), 3)
    page = tmp_path / "table.png"
    cv2.imwrite(str(page), img)
    r = run("debug-tables", str(page), "--out", str(tmp_path / "dbg"))
    assert r.returncode == 0, r.stderr
    assert "table 1: 3 rows × 2 columns, 6 cells (0 merged)" in r.stdout
    assert sorted(p.name for p in (tmp_path / "dbg").iterdir()) == [
        "table-p1-1-masks.png", "table-p1-2-strokes.png", "table-p1-3-intersections.png", "table-p1-4-cells.png"
    ]


def test_reparse_of_a_folder_without_a_run_is_a_usage_error(tmp_path):
    r = run("reparse", str(tmp_path))
    assert r.returncode == 2 and "no items/<id>/document.json" in r.stderr
