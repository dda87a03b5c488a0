"""A throwaway PostgreSQL cluster for the review tests: Debian's server binaries (initdb,
pg_ctl), a data folder and socket in a temp folder, run as the ``postgres`` user when the
tests run as root.  Skipped when no PostgreSQL server binaries or no psycopg are found: SQLite
is the default and is tested fully without it."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

PG_USER = "gongwen"
START_SECONDS = 30


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    return Path(dirs[-1]) if dirs else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="gongwen-pg-"))
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.counter = itertools.count(1)

    def run(self, *args: str) -> None:
        subprocess.run(self.as_user + list(args), check=True, capture_output=True, timeout=START_SECONDS)

    def start(self) -> None:
        data = str(self.dir / "data")
        self.run(str(self.bin / "initdb"), "-D", data, "-U", PG_USER, "--auth=trust", "-E", "UTF8", "--no-locale")
        self.run(
            str(self.bin / "pg_ctl"), "-D", data, "-w", "-l", str(self.dir / "log"),
            "-o", f"-k {self.dir} -p {self.port} -c listen_addresses=''", "start",
        )

    def stop(self) -> None:
        try:
            self.run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{PG_USER}@/{database}?host={self.dir}&port={self.port}"

    def new_database(self) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        import psycopg

        name = f"review_{os.getpid()}_{next(self.counter)}"
        with psycopg.connect(host=str(self.dir), port=self.port, user=PG_USER, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_cluster():
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'gongwen[postgres]')")
    bin_dir = _bin_dir()
    if bin_dir is None or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    cluster = None
    try:
        cluster = Cluster(bin_dir)
        cluster.start()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, LookupError, OSError) as exc:
        if cluster is not None:
            shutil.rmtree(cluster.dir, ignore_errors=True)
        pytest.skip(f"a throwaway PostgreSQL cluster could not be started: {exc}")
    yield cluster
    cluster.stop()
