"""Stopping a run: SIGTERM and Ctrl-C end convert and watch within seconds with every finished
item kept and no worker left behind; a run killed at any moment (SIGTERM or SIGKILL) is
completed by the next one, byte for byte as an uninterrupted run; an OUT that cannot be
written is one line and exit code 2.

The runs use the fake engine (``--engine fake``) with each engine call taking PAGE_SECONDS, as
a real engine's page does: what is tested is how a run stops and resumes, not what it reads,
and the pages are still loaded, preprocessed, parsed and written as in any run."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from gongwen.ocr.engines.fake import SECONDS_ENV

STOP_WITHIN_S = 10
PAGE_SECONDS = 0.5  # each fake engine call: a page in hand when the signal comes
EXIT_SIGINT, EXIT_SIGTERM = 130, 143
# compared byte for byte between an interrupted-and-resumed run and an uninterrupted one
SAME_BYTES = ("documents.csv", "circulation.csv", "annotations.csv", "tables.csv", "catalogue.csv")


@pytest.fixture
def fake(fake_ocr, monkeypatch):
    """The fake engine's known pages, each engine call taking PAGE_SECONDS (the runs started
    by the tests inherit both settings from the environment)."""
    monkeypatch.setenv(SECONDS_ENV, str(PAGE_SECONDS))
    return fake_ocr


def gongwen(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gongwen", *args, "--engine", "fake"], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, start_new_session=True, **kw,
    )


def gongwen_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongwen", *args, "--engine", "fake"],
                          capture_output=True, text=True, timeout=600)


def finished_items(out: Path) -> dict[str, int]:
    return {str(p.parent.relative_to(out / "items")): p.stat().st_mtime_ns for p in out.glob("items/**/document.json")}


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def all_gone(processes: list[psutil.Process], timeout: float = 5.0) -> list[psutil.Process]:
    """The processes still alive (not zombies) after ``timeout``."""
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def inbox(fake, folder: Path, n: int) -> Path:
    folder.mkdir(parents=True)
    for k in range(n):
        lines = [f"第{k + 1}号文件：各级新闻媒体要开展多种形式的宣传活动。", "请结合实际认真贯彻执行。"]
        fake.page(lines=lines).save(folder / f"item{k + 1:02d}.png", dpi=(150, 150))
    return folder


# -- an OUT that cannot be written ------------------------------------------------------------


@pytest.mark.parametrize("command", ["convert", "watch"])
@pytest.mark.parametrize("where", ["under-a-file", "is-a-file"])
def test_unwritable_out_is_one_line_and_exit_2(tmp_path, command, where):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "out" if where == "under-a-file" else blocker
    (tmp_path / "in").mkdir()
    r = subprocess.run(
        [sys.executable, "-m", "gongwen", command, str(tmp_path / "in"), "--out", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gongwen: error: --out") and "cannot write" in lines[0]


# -- SIGTERM and Ctrl-C -----------------------------------------------------------------------


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, EXIT_SIGTERM), (signal.SIGINT, EXIT_SIGINT)])
def test_signal_stops_convert_keeping_finished_items(tmp_path, fake, signum, code):
    src, out = inbox(fake, tmp_path / "in", 10), tmp_path / "out"
    proc = gongwen("convert", str(src), "--out", str(out), "--jobs", "2")
    wait_for(lambda: len(finished_items(out)) >= 1, 300, "a first finished item")
    workers = descendants(proc.pid)
    assert workers, "the run reads its pages in worker processes"
    t0 = time.monotonic()
    proc.send_signal(signum)
    proc.wait(timeout=STOP_WITHIN_S + 20)
    assert time.monotonic() - t0 < STOP_WITHIN_S, "stopping took too long"
    assert proc.returncode == code, proc.stderr.read()
    assert not all_gone(workers), "worker processes outlived the run"
    kept = finished_items(out)
    assert 1 <= len(kept) < 10, "stopped part-way"
    docs = (out / "documents.csv").read_text(encoding="utf-8-sig")
    assert all(item in docs for item in kept)  # the finished items are in the aggregates

    again = gongwen_run("convert", str(src), "--out", str(out), "--jobs", "2")
    assert again.returncode == 0, again.stderr
    after = finished_items(out)
    assert len(after) == 10 and all(after[i] == kept[i] for i in kept), "a finished item was redone"
    rows = (out / "documents.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 11 and len(set(rows)) == 11  # every item once


def test_sigterm_stops_watch_after_the_pages_in_hand(tmp_path, fake):
    src, out = inbox(fake, tmp_path / "in", 12), tmp_path / "out"
    proc = gongwen("watch", str(src), "--out", str(out), "--jobs", "2", "--settle", "0", "--poll", "0.2")
    wait_for(lambda: len(finished_items(out)) >= 1, 300, "a first finished item")
    workers = descendants(proc.pid)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=STOP_WITHIN_S + 20)
    assert time.monotonic() - t0 < STOP_WITHIN_S
    assert proc.returncode == EXIT_SIGTERM, proc.stderr.read()
    assert not all_gone(workers)
    assert len(finished_items(out)) < 12, "the watcher went on with the whole batch"


def test_sigterm_ends_a_local_dask_cluster(tmp_path, fake):
    pytest.importorskip("distributed")
    src, out = inbox(fake, tmp_path / "in", 8), tmp_path / "out"
    proc = gongwen("convert", str(src), "--out", str(out), "--jobs", "2", "--executor", "dask")
    wait_for(lambda: len(finished_items(out)) >= 1, 300, "a first finished item")
    workers = descendants(proc.pid)
    assert workers
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=STOP_WITHIN_S + 20)
    assert time.monotonic() - t0 < STOP_WITHIN_S
    assert proc.returncode == EXIT_SIGTERM, proc.stderr.read()
    assert not all_gone(workers), "Dask's worker processes outlived the run"


# -- fault injection --------------------------------------------------------------------------


def _mixed_inbox(fake, folder: Path) -> Path:
    """Image items of one and two pages, a born-digital PDF, a broken file."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    inbox(fake, folder, 4)
    pages = folder / "two-pages"
    pages.mkdir()
    fake.page(lines=["关于做好档案数字化工作的通知", "各有关单位："]).save(pages / "1.png", dpi=(150, 150))
    fake.page(lines=["特此通知。", "二〇一四年一月二十四日"]).save(pages / "2.png", dpi=(150, 150))
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(folder / "born-digital.pdf"))
    c.setFont("STSong-Light", 14)
    for y, text in enumerate(["浙委办发〔2014〕8号", "关于进一步加强档案工作的通知", "各市、县（市、区）党委和人民政府："]):
        c.drawString(80, 760 - 30 * y, text)
    c.showPage()
    c.save()
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    return folder


def _outputs(out: Path) -> dict[str, bytes]:
    files = {str(p.relative_to(out)): p.read_bytes() for p in out.glob("items/**/document.json")}
    for name in SAME_BYTES:
        files[name] = (out / name).read_bytes()
    # pages.csv: the same rows but for the seconds each page took
    files["pages.csv"] = b"\n".join(l.rsplit(b",", 1)[0] for l in (out / "pages.csv").read_bytes().splitlines())
    return files


def test_killed_at_random_moments_then_resumed_matches_an_uninterrupted_run(tmp_path, fake):
    src = _mixed_inbox(fake, tmp_path / "in")
    cmd = ["convert", str(src), "--jobs", "2"]
    t0 = time.monotonic()
    reference = gongwen_run(*cmd, "--out", str(tmp_path / "ref"))
    wall = time.monotonic() - t0
    assert reference.returncode == 1, reference.stderr  # broken.pdf fails, the rest is ok
    expected = _outputs(tmp_path / "ref")
    rng = random.Random(17)
    for round_ in range(10):
        out = tmp_path / f"out{round_}"
        signum = (signal.SIGTERM, signal.SIGKILL)[round_ % 2]
        proc = gongwen(*cmd, "--out", str(out))
        time.sleep(rng.uniform(0.3, wall))
        workers = descendants(proc.pid)
        proc.send_signal(signum)
        proc.wait(timeout=60)
        assert not all_gone(workers), f"round {round_}: workers outlived a {signum.name}"
        resumed = gongwen_run(*cmd, "--out", str(out))
        assert resumed.returncode == 1, resumed.stderr
        got = _outputs(out)
        assert sorted(got) == sorted(expected), f"round {round_} ({signum.name}): other files"
        for name, data in expected.items():
            assert got[name] == data, f"round {round_} ({signum.name}): {name} differs"
        assert not list(out.rglob("*.tmp"))
