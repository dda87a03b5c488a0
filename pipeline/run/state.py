"""What a conversion run has finished, kept in ``OUT/.gongwen/state.sqlite`` so a re-run
(after a crash, a ``kill -9`` or a stop) does only the work that is left.

An item counts as done when its document.json is written and its row here records the same
content hash (of its input files) and the same settings (engine, gongwen version); a failed
item is always tried again.  SQLite commits each row atomically, so the state never holds a
half-written record; an item finished but not yet recorded is simply done again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

from ... import __version__
from ...parsers.model import Status
from ..export.outdir import OutDir

DONE_STATUSES = (Status.OK, Status.PARTIAL)
_CHUNK = 1 << 20

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    item_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    settings_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    finished_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS digests (
    item_id TEXT PRIMARY KEY,
    bytes_hash TEXT NOT NULL,
    recorded_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS digests_by_hash ON digests (bytes_hash);
CREATE TABLE IF NOT EXISTS page_seconds (
    item_id TEXT NOT NULL,
    page INTEGER NOT NULL,
    seconds REAL NOT NULL,
    PRIMARY KEY (item_id, page)
)
"""


def item_hashes(files: list[str] | tuple[str, ...]) -> tuple[str, str | None]:
    """Two SHA-256 of an item's input files, read once: over names and bytes (whether the item
    changed since it was converted: a renamed page moves), and over the bytes alone (the same
    scan under another name is a duplicate); the second is None when a file cannot be read."""
    named, plain = hashlib.sha256(), hashlib.sha256()
    readable = True
    for name in files:
        named.update(Path(name).name.encode("utf-8") + b"\0")
        plain.update(b"\0file\0")
        try:
            with open(name, "rb") as f:
                while chunk := f.read(_CHUNK):
                    named.update(chunk)
                    plain.update(chunk)
        except OSError as exc:  # unreadable now: never equal to a finished item's hash
            named.update(f"unreadable: {exc}".encode())
            readable = False
    return named.hexdigest(), plain.hexdigest() if readable and files else None


def settings_hash(engine: str) -> str:
    """What the result of an item depends on besides its input: the engine and this version."""
    return hashlib.sha256(json.dumps({"engine": engine, "gongwen": __version__}).encode()).hexdigest()


class RunState:
    """The state database of one output folder."""

    def __init__(self, out: Path) -> None:
        path = OutDir(out).state_db
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._db.commit()

    def is_done(self, item_id: str, content: str, settings: str) -> bool:
        row = self._db.execute(
            "SELECT content_hash, settings_hash, status FROM items WHERE item_id = ?", (item_id,)
        ).fetchone()
        return row is not None and row[0] == content and row[1] == settings and row[2] in DONE_STATUSES

    def record(
        self, item_id: str, source: str, content: str, settings: str, status: Status,
        page_seconds: dict[int, float] | None = None,
    ) -> None:
        """The item is done; with the seconds each page took to read (run telemetry for
        pages.csv, kept here rather than in document.json, which describes the document
        alone and so comes out the same, byte for byte, however often it is made)."""
        with self._db:  # one transaction: the item and its timings together
            self._db.execute(
                "INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?, ?)",
                (item_id, source, content, settings, status, time.time()),
            )
            self._db.execute("DELETE FROM page_seconds WHERE item_id = ?", (item_id,))
            self._db.executemany(
                "INSERT INTO page_seconds VALUES (?, ?, ?)",
                [(item_id, n, s) for n, s in (page_seconds or {}).items()],
            )

    def record_digest(self, item_id: str, bytes_hash: str) -> None:
        """The bytes of an item converted into OUT (:func:`item_hashes`), so the same scan
        arriving later under another name is known as its duplicate."""
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO digests VALUES (?, ?, COALESCE((SELECT recorded_at FROM digests WHERE item_id = ? AND bytes_hash = ?), ?))",
                (item_id, bytes_hash, item_id, bytes_hash, time.time()),
            )

    def first_with_digest(self, bytes_hash: str) -> str | None:
        """The item of OUT first converted from these bytes, if any."""
        row = self._db.execute(
            "SELECT item_id FROM digests WHERE bytes_hash = ? ORDER BY recorded_at, item_id LIMIT 1", (bytes_hash,)
        ).fetchone()
        return row[0] if row else None

    def page_seconds(self, item_id: str) -> dict[int, float]:
        """The seconds each page of the item took when it was read (empty if unknown)."""
        rows = self._db.execute("SELECT page, seconds FROM page_seconds WHERE item_id = ?", (item_id,))
        return dict(rows.fetchall())

    def close(self) -> None:
        self._db.close()
