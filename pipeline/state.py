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

from .. import __version__

STATE_FILE = Path(".gongwen") / "state.sqlite"
DONE_STATUSES = ("ok", "partial")
_CHUNK = 1 << 20

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    item_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    settings_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    finished_at REAL NOT NULL
)
"""


def content_hash(files: list[str] | tuple[str, ...]) -> str:
    """SHA-256 over an item's input files (names and bytes, in order)."""
    h = hashlib.sha256()
    for name in files:
        h.update(Path(name).name.encode("utf-8") + b"\0")
        try:
            with open(name, "rb") as f:
                while chunk := f.read(_CHUNK):
                    h.update(chunk)
        except OSError as exc:  # unreadable now: never equal to a finished item's hash
            h.update(f"unreadable: {exc}".encode())
    return h.hexdigest()


def settings_hash(engine: str) -> str:
    """What the result of an item depends on besides its input: the engine and this version."""
    return hashlib.sha256(json.dumps({"engine": engine, "gongwen": __version__}).encode()).hexdigest()


class RunState:
    """The state database of one output folder."""

    def __init__(self, out: Path) -> None:
        path = out / STATE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._db.commit()

    def is_done(self, item_id: str, content: str, settings: str) -> bool:
        row = self._db.execute(
            "SELECT content_hash, settings_hash, status FROM items WHERE item_id = ?", (item_id,)
        ).fetchone()
        return row is not None and row[0] == content and row[1] == settings and row[2] in DONE_STATUSES

    def record(self, item_id: str, source: str, content: str, settings: str, status: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?, ?)",
            (item_id, source, content, settings, status, time.time()),
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()
