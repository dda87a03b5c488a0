"""gongwen on a real Dask cluster: a scheduler and two workers started as separate processes,
each in a working folder of its own as on separate hosts, the run's client in a third.

A conversion with ``--scheduler`` gives the same OUT as the local process pool, file for file
(what legitimately differs from run to run is named in :func:`comparable`); a worker killed in
the middle of a run (SIGKILL: a host that dies) loses nothing: Dask sends the pages it held to
the other worker, and no page is failed for it; a scheduler killed in the middle of a run
stops it (``ClusterError``) without failing a page, and the next run completes it.

The workers import the gongwen the tests import (an editable install, or the PYTHONPATH of
the test run: the environment is passed on) and read each page's known text from the fake
engine's registry, named in their environment (``GONGWEN_FAKE_OCR``).  The inputs and OUT are
on the one filesystem of this machine: shared storage, as README's "Running on a cluster" asks.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from gongwen.errors import ClusterError, UsageError
from gongwen.ocr.engines.fake import ENV, SECONDS_ENV
from gongwen.pipeline.run.executors import check_shared
from gongwen.pipeline.run.convert import Settings, convert
from gongwen.parsers.model import Status

from helpers import as_array, draw_text_page, text_page_lines

pytestmark = pytest.mark.cluster

distributed = pytest.importorskip("distributed")

START_TIMEOUT_S = 60  # for the scheduler to write its file and both workers to join
RUN_TIMEOUT_S = 120  # for a conversion through the CLI


# -- the cluster -------------------------------------------------------------------------------

class Cluster:
    """A Dask scheduler and its workers, each a process of its own in a folder of its own."""

    def __init__(self, root: Path, env: dict[str, str]):
        self.root = root
        self.env = env
        self.scheduler_file = root / "scheduler.json"
        self.procs: dict[str, subprocess.Popen] = {}

    def _start(self, name: str, *args: str) -> None:
        folder = self.root / name
        folder.mkdir()
        log = open(folder / "log.txt", "wb")
        try:
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", *args], cwd=folder, env=self.env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        finally:
            log.close()

    def start(self, workers: int = 2) -> None:
        # port 0: a free port, read back from the scheduler file; no dashboards (no port clash)
        self._start(
            "scheduler", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
            "--no-dashboard", "--scheduler-file", str(self.scheduler_file),
            "--idle-timeout", "600",  # ends itself should this test process be killed
        )
        for n in range(1, workers + 1):
            name = f"worker{n}"
            # no nanny: the process started here is the worker, so a SIGKILL ends it for good
            # (a host lost), rather than a nanny starting it again
            self._start(
                name, "distributed.cli.dask_worker", "--scheduler-file", str(self.scheduler_file),
                "--name", name, "--nworkers", "1", "--nthreads", "1", "--no-nanny",
                "--no-dashboard", "--host", "127.0.0.1", "--local-directory", str(self.root / name),
                "--memory-limit", "0", "--death-timeout", "60",
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.scheduler_file.exists():
            self._check_alive()
            if time.monotonic() > deadline:
                raise AssertionError(f"the scheduler wrote no {self.scheduler_file}\n{self.logs()}")
            time.sleep(0.1)
        self.client = distributed.Client(scheduler_file=str(self.scheduler_file), timeout=START_TIMEOUT_S)
        try:
            self.client.wait_for_workers(workers, timeout=START_TIMEOUT_S)
        except TimeoutError:
            raise AssertionError(f"the workers did not join\n{self.logs()}") from None

    @property
    def address(self) -> str:
        return json.loads(self.scheduler_file.read_text())["address"]

    def worker_addresses(self) -> dict[str, str]:
        """name → address of the workers the scheduler knows now."""
        return {w["name"]: a for a, w in self.client.scheduler_info()["workers"].items()}

    def _check_alive(self) -> None:
        for name, p in self.procs.items():
            if p.poll() is not None:
                raise AssertionError(f"{name} exited with {p.returncode}\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(
            f"--- {name}:\n" + (self.root / name / "log.txt").read_text(errors="replace")[-3000:]
            for name in self.procs
        )

    def kill(self, name: str) -> None:
        os.killpg(self.procs[name].pid, signal.SIGKILL)
        self.procs[name].wait(10)

    def stop(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close(timeout=5)
        for p in self.procs.values():
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for p in self.procs.values():
            p.wait(10)


@pytest.fixture
def cluster(tmp_path, registry):
    """Start a cluster: ``cluster(seconds=…)`` makes the fake engine of its workers take that
    long a page.  Every process is killed when the test ends, whatever happened."""
    started: list[Cluster] = []

    def start(seconds: float = 0.0) -> Cluster:
        env = dict(os.environ)
        env[ENV] = str(registry)
        env[SECONDS_ENV] = str(seconds)
        c = Cluster(tmp_path / f"cluster{len(started) + 1}", env)
        c.root.mkdir()
        started.append(c)
        c.start()
        # the workers run this checkout's gongwen, not another installed copy
        import gongwen

        theirs = set(c.client.run(lambda: __import__("gongwen").__file__).values())
        assert {os.path.realpath(f) for f in theirs} == {os.path.realpath(gongwen.__file__)}, theirs
        return c

    try:
        yield start
    finally:
        for c in started:
            c.stop()


# -- the inbox and the local run it is compared with ---------------------------------------------

@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Path:
    """The fake engine's registry of known pages (``tests/conftest.py``'s ``fake_ocr``, for the
    whole module: the local run and the clusters read the same pages)."""
    with pytest.MonkeyPatch.context() as mp:
        path = tmp_path_factory.mktemp("fake-ocr") / "known.json"
        path.write_text("{}", encoding="utf-8")
        mp.setenv(ENV, str(path))
        mp.delenv(SECONDS_ENV, raising=False)
        yield path


def _page(registry: Path, i: int, bilevel: bool = False):
    """Page ``i``: two lines of print, known to the fake engine (as the 1-bit page it reads for a
    bilevel scan)."""
    from gongwen.ocr.engines.fake import register

    lines = [f"第{i}页：各级新闻媒体要开展多种形式的宣传活动。", "有效推动了欠发达地区发展和低收入农户增收。"]
    img = draw_text_page(lines=lines)
    if bilevel:
        img = img.convert("1")
    register(as_array(img), text_page_lines(lines=lines), registry)
    return img


@pytest.fixture(scope="module")
def workplace(tmp_path_factory, registry):
    """The client's working folder: ``inbox/`` (12 pages to read in 6 items: a PNG, an LZW TIFF
    with a blank page, a G4 TIFF (its page images kept as G4), a page folder, a file of a
    blank page, a damaged PDF) and ``local/``, OUT of the local process pool.  Runs are given
    relative paths from here, as a user in a terminal would."""
    root = tmp_path_factory.mktemp("client")
    inbox = root / "inbox"
    inbox.mkdir()
    _page(registry, 1).save(inbox / "one.png")
    pages = [_page(registry, 2), _page(registry, 3), draw_text_page(lines=[])]
    pages[0].save(inbox / "three.tif", save_all=True, append_images=pages[1:], compression="tiff_lzw", dpi=(150, 150))
    g4 = [_page(registry, 4, bilevel=True), _page(registry, 5, bilevel=True)]
    g4[0].save(inbox / "g4.tif", save_all=True, append_images=g4[1:], compression="group4", dpi=(150, 150))
    folder = inbox / "folder"
    folder.mkdir()
    for n in range(1, 6):
        _page(registry, 5 + n).save(folder / f"{n:04d}.png")
    draw_text_page(lines=[]).save(inbox / "blank.png")
    (inbox / "damaged.pdf").write_bytes(b"%PDF-1.4 truncated")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        local = convert(["inbox"], "out", Settings(engine="fake", jobs=2))
    (root / "out").rename(root / "local")
    assert {o.item_id: o.status for o in local.outcomes} == EXPECTED
    return root


EXPECTED = {
    "one": Status.OK, "three": Status.OK, "g4": Status.OK, "folder": Status.OK,
    "blank": Status.FAILED, "damaged": Status.FAILED,
}


# -- comparing two OUTs ------------------------------------------------------------------------

def _csv_without(data: bytes, column: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    if rows and column in rows[0]:
        k = rows[0].index(column)
        rows = [r[:k] + r[k + 1:] for r in rows]
    return rows


def _pdf_without_dates(data: bytes) -> bytes:
    import re

    data = re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", rb"/\1 ()", data)
    return re.sub(rb"/ID\s*\[<[0-9a-f]+><[0-9a-f]+>\]", rb"/ID []", data)


def _zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _state(path: Path) -> dict[str, list]:
    db = sqlite3.connect(path)
    try:
        return {
            # finished_at, recorded_at: when; page_seconds' seconds: how long (both of one run alone)
            "items": db.execute(
                "SELECT item_id, source, content_hash, settings_hash, status FROM items ORDER BY item_id"
            ).fetchall(),
            "digests": db.execute("SELECT item_id, bytes_hash FROM digests ORDER BY item_id").fetchall(),
            "pages": db.execute("SELECT item_id, page FROM page_seconds ORDER BY item_id, page").fetchall(),
        }
    finally:
        db.close()


def _rows_cache(data: bytes) -> dict:
    cache = json.loads(data)
    items = {}
    for item_id, (_stamp, rows) in cache["items"].items():
        rows = dict(rows)
        pages = rows.get("pages.csv")
        if pages:
            k = pages[0].index("seconds")
            rows["pages.csv"] = [r[:k] + r[k + 1:] for r in pages]
        items[item_id] = rows
    return {**cache, "items": items}


def comparable(path: Path, data: bytes):
    """A file of OUT as it is compared: its bytes, but for what differs between two runs of the
    same inputs even on one machine (the rest is compared byte for byte):

    - ``pages.csv``'s ``seconds`` (and the same rows kept in ``.gongwen/aggregate-rows.json``,
      whose entries are also keyed by each document.json's inode and modification time);
    - a searchable PDF's creation and modification dates and its ``/ID`` (a digest reportlab
      takes over the time among others; a PDF names its images by their path: both OUTs were
      written at the same path, see ``no_out``);
    - catalogue.xlsx's zip entries' timestamps (its members are compared);
    - ``.gongwen/state.sqlite``'s times (``finished_at``, ``recorded_at``, pages' seconds): its
      items, statuses, content and settings hashes, digests and pages are compared.
    """
    if path.name == "pages.csv":
        return _csv_without(data, "seconds")
    if path.suffix == ".pdf":
        return _pdf_without_dates(data)
    if path.suffix == ".xlsx":
        return _zip_members(data)
    if path.name == "aggregate-rows.json":
        return _rows_cache(data)
    return data


def assert_same_out(a: Path, b: Path) -> None:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert [str(p) for p in files_a] == [str(p) for p in files_b]
    for rel in files_a:
        if rel.name == "state.sqlite":
            assert _state(a / rel) == _state(b / rel), rel
            continue
        assert comparable(rel, (a / rel).read_bytes()) == comparable(rel, (b / rel).read_bytes()), rel


# -- the tests ---------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def no_out(workplace):
    """Each test converts into the client's ``out/`` (the local run's OUT had that path too: a
    searchable PDF names its images by their path), gone before and after."""
    import shutil

    shutil.rmtree(workplace / "out", ignore_errors=True)
    yield
    shutil.rmtree(workplace / "out", ignore_errors=True)


def _gongwen(cwd: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongwen", *args], cwd=cwd, env=env,
        capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
    )


def test_a_cluster_of_separate_processes_gives_the_same_out_as_a_local_run(workplace, cluster):
    c = cluster()
    t0 = time.perf_counter()
    # the same command as a user's, from the client's own folder: relative inputs and OUT
    r = _gongwen(workplace, c.env, "convert", "inbox", "--out", "out", "--engine", "fake",
                 "--executor", "dask", "--scheduler", c.address)
    print(f"cluster run: {time.perf_counter() - t0:.1f} s")
    # exit 1: the blank page and the damaged file are items that did not convert fully
    assert r.returncode == 1, r.stderr + c.logs()
    assert_same_out(workplace / "local", workplace / "out")
    # the 12 pages were read on the two workers (tasks they ran: the pages, and a warm-up each
    # at most), not by the client
    ran = c.client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert len(ran) == 2 and all(ran.values()) and sum(ran.values()) >= 12, ran
    # a worker that does not see an input (no shared storage) is named before any page is sent
    with pytest.raises(UsageError, match=r"the Dask worker tcp://\S+ \(and 1 more worker\(s\)\) does not see \S*nowhere.tif"):
        check_shared(c.client, workplace / "out", [workplace / "inbox" / "one.png", workplace / "nowhere.tif"])


def test_a_worker_killed_in_the_middle_of_a_run_loses_nothing(workplace, cluster, monkeypatch):
    c = cluster(seconds=0.3)  # each page takes its time, so the kill comes with pages in hand
    killed: dict[str, object] = {}

    def progress(p):
        if killed or p.pages_done < 2:
            return
        # a worker with pages in hand now; SIGKILL: a host gone without a word
        names = {a: n for n, a in c.worker_addresses().items()}
        holding = [(names[a], len(keys)) for a, keys in sorted(c.client.processing().items()) if keys and a in names]
        if holding:
            name, pages = holding[0]
            killed.update(name=name, pages=pages, at=p.pages_done, of=p.pages_total)
            c.kill(name)

    monkeypatch.chdir(workplace)
    t0 = time.perf_counter()
    summary = convert(["inbox"], "out", Settings(engine="fake", executor="dask", scheduler=c.address), progress)
    print(f"cluster run with a kill: {time.perf_counter() - t0:.1f} s, killed {killed}")
    assert killed and killed["pages"] >= 1 and killed["at"] < killed["of"]
    assert {o.item_id: o.status for o in summary.outcomes} == EXPECTED
    assert list(c.worker_addresses()) == ["worker1" if killed["name"] == "worker2" else "worker2"]
    assert_same_out(workplace / "local", workplace / "out")


def test_a_lost_scheduler_stops_the_run_and_the_same_command_completes_it(workplace, cluster, monkeypatch):
    c = cluster(seconds=0.3)
    killed = []

    def progress(p):
        # once an item is finished whole, with pages left to read
        if not killed and p.outcome is not None and p.outcome.status == Status.OK:
            assert p.pages_done < p.pages_total
            killed.append(p.pages_done)
            c.kill("scheduler")  # every page in hand is gone with it

    monkeypatch.chdir(workplace)
    with pytest.raises(ClusterError, match="the Dask scheduler was lost.*run the same command again"):
        convert(["inbox"], "out", Settings(engine="fake", executor="dask", scheduler=c.address), progress)
    assert killed
    # no page was failed for it: the items finished before are whole, the rest left for the
    # next run, which (on this machine) goes on from there to the OUT of an unbroken run
    again = convert(["inbox"], "out", Settings(engine="fake", jobs=1))
    assert {o.item_id: o.status for o in again.outcomes} == EXPECTED
    assert any(o.resumed and o.status == Status.OK for o in again.outcomes)
    assert not all(o.resumed for o in again.outcomes)
    assert_same_out(workplace / "local", workplace / "out")
