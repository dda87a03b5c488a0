"""The review database: the items of an OUT folder and every correction archivists made.

SQLAlchemy Core over SQLite (``OUT/review.sqlite``, the default) or PostgreSQL (a
``postgresql+psycopg://`` URL); the schema is created on start (a table an older version did
not have is added then).  Three tables:

- ``items``: one row per item of ``OUT/items``, with what the queue sorts and filters by
  (needs_review, lowest confidence, issuer, year), its review status (who approved it, when)
  and a ``version`` that every change of the item increments (optimistic locking);
- ``corrections``: the audit trail, one row per change — an edit, an undo, an approval or a
  reopening — with the item, the field path, the old and the new value, the reviewer and the
  time.  Rows are only ever added: an undo is a new row restoring the previous value;
- ``users``: the reviewer accounts (name, password hash, role), kept by :mod:`.accounts`.  The
  trail names a reviewer by the account's name, so it outlives a removed account.

An item's current value of a field is its extracted value (``document.json`` as convert or
reparse wrote it) with the edits and undos applied in order.

At 100,000 items no page loads the whole queue: a page of it is read in the order of an index
(``ix_items_queue``), an item's place and neighbours are counts and keyset queries, the filter
choices come from covering indexes, and the counts and filter choices are kept a few seconds
(``TALLY_SECONDS``, renewed at once by a change made through this store); ``bench/review_load.py``
measures it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    case,
    create_engine,
    event,
    false,
    func,
    or_,
    select,
    text,
    update,
)

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ...errors import UsageError
from ...parsers.model import Document, document_from_dict
from ..export.catalogue import catalogue_entry
from .corrections import (
    PUBLICATION_PATH,
    CorrectionError,
    apply_corrections,
    check_value,
    normalise_input,
    parse_path,
    value_text,
)
from ..export.items import document_confidence, field_value, needs_review, read_stored, stored_items
from ..export.outdir import DOCUMENT_JSON, OutDir

log = logging.getLogger(__name__)


EDIT, UNDO, APPROVE, REOPEN = "edit", "undo", "approve", "reopen"
VALUE_ACTIONS = (EDIT, UNDO)
ITEM_PATH = "item"  # the path of an approval or reopening
REVIEWED, UNREVIEWED = "reviewed", "unreviewed"
FILTERS = ("needs_review", "reviewed", "all")
MAX_REVIEWER_CHARS = 80
CACHE_ITEMS = 64
CAS_ATTEMPTS = 5
SQLITE_BUSY_SECONDS = 30
SYNC_BATCH = 1000  # new items inserted at once by sync
# the queue's counts and filter choices are kept this long (another server on the same database
# may have changed them meanwhile); a change made through this store renews them at once
TALLY_SECONDS = 5.0
# the summary values the counts and filter choices depend on
TALLIED = ("issuer", "year", "needs_review", "status")

metadata = MetaData()
items = Table(
    "items",
    metadata,
    Column("item_id", String(1000), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("issuer", String(400), nullable=False, default="", index=True),
    Column("doc_number", String(200), nullable=False, default=""),
    Column("year", Integer, index=True),
    Column("pages", Integer, nullable=False, default=0),
    Column("needs_review", Boolean, nullable=False, default=True),
    Column("min_confidence", Float, nullable=False, default=0.0),
    Column("status", String(16), nullable=False, default=UNREVIEWED),
    Column("reviewed_by", String(MAX_REVIEWER_CHARS)),
    Column("reviewed_at", DateTime),
    Column("version", Integer, nullable=False, default=0),
    Column("present", Boolean, nullable=False, default=True),
    # the document.json the summary was made from (its mtime in ns): unchanged ones are not
    # read again when the app starts
    Column("source_stamp", BigInteger),
)
# the queue's order: what needs review first, then the lowest confidence; an index in that order
# lets the database give a page of the queue without sorting the whole table
QUEUE_ORDER = (items.c.needs_review.desc(), items.c.min_confidence, items.c.item_id)
queue_index = Index("ix_items_queue", *QUEUE_ORDER)
# the filter choices (distinct issuers and years of the items present) read from these alone,
# not from every row of the table: 14 ms instead of 280 ms at 100,000 items on SQLite
facet_indexes = (
    Index("ix_items_issuer_present", items.c.issuer, items.c.present),
    Index("ix_items_year_present", items.c.year, items.c.present),
)
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(1000), ForeignKey("items.item_id"), nullable=False, index=True),
    Column("path", String(200), nullable=False),
    Column("action", String(16), nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("reviewer", String(MAX_REVIEWER_CHARS), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("undoes", Integer, ForeignKey("corrections.id")),
)
users = Table(
    "users",
    metadata,
    Column("name", String(MAX_REVIEWER_CHARS), primary_key=True),
    Column("password_hash", String(400), nullable=False),  # werkzeug.security's, salted
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
)


def utcnow() -> dt.datetime:
    """Times are stored as naive UTC (SQLite keeps no time zone)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _iso(value: dt.datetime | None) -> str | None:
    """A stored (naive UTC) time as document.json writes it: ISO 8601 with ``Z``."""
    return value.isoformat() + "Z" if value else None


def local_time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def database_url(out: Path, url: str | None) -> str:
    return url or f"sqlite:///{OutDir(out).review_db.resolve()}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 (DB-API connection)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


# -- documents on disk ------------------------------------------------------------------------


def extracted_path(out: Path, item_id: str) -> Path:
    return OutDir(out).review_extracted(item_id)


def load_extracted(out: Path, item_id: str) -> dict[str, Any]:
    """The item's document.json as extraction wrote it.  convert and reparse write it without
    a ``review``; once ``gongwen export`` has rewritten it, the extracted one is the copy export
    kept in ``OUT/.gongwen/review/extracted``."""
    path = OutDir(out).document_json(item_id)
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("review") is not None:
        kept = extracted_path(out, item_id)
        if kept.exists():
            return json.loads(kept.read_text(encoding="utf-8"))
        log.warning("%s: the extracted copy of a reviewed %s is missing; using the reviewed one", item_id, DOCUMENT_JSON)
    return data


def page_image(out: Path, item_id: str, number: int) -> Path | None:
    """The kept image of a page (``OUT/.gongwen/pages/<id>/NNNN.jpg`` or ``.tif``), checked to
    lie inside that folder; None when there is none."""
    outdir = OutDir(out)
    root = outdir.page_images_root.resolve()
    folder = outdir.page_images(item_id).resolve()
    if not folder.is_relative_to(root) or folder == root:
        return None
    for bilevel in (False, True):
        path = outdir.page_image(item_id, number, bilevel).resolve()
        if path.is_relative_to(folder) and path.is_file():
            return path
    return None


def page_images(out: Path, data: dict[str, Any]) -> dict[int, str]:
    found = {}
    for p in data.get("pages", ()):
        path = page_image(out, data["item_id"], int(p["number"]))
        if path is not None:
            found[int(p["number"])] = str(path)
    return found


def discover_items(out: Path) -> list[str]:
    """The item ids of ``OUT/items`` whose document.json can be read (``export.stored_items``:
    one whose ``item_id`` is not its folder's path is not trusted); the others are logged."""
    ids = []
    for item in stored_items(out):
        if item.ok:
            ids.append(item.item_id)
        else:
            log.warning("%s is left out of the review: %s", item.item_id, item.error)
    return ids


def document_paths(out: Path) -> list[tuple[str, Path]]:
    """(item id, path) of every ``OUT/items/**/document.json``, the id its folder's path."""
    outdir = OutDir(out)
    return [(outdir.item_id_of(path), path) for path in outdir.document_jsons()]


# -- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A value that changed after the reviewer saw it."""

    path: str
    label: str
    seen: str
    current: str
    yours: str
    by: str
    at: str

    @property
    def message(self) -> str:
        who = f"已被 {self.by} 于 {self.at}" if self.by else f"已因重新识别（{DOCUMENT_JSON} 更新）而"
        return (
            f"未保存：{self.label}（{self.path}）在您打开此件后{who}改为“{self.current}”"
            f"（您看到的是“{self.seen}”，您输入的是“{self.yours}”）。请核对当前值后再保存。"
        )


class ReviewConflict(Exception):
    """A stale save: the item or a value changed since the reviewer loaded it (HTTP 409)."""

    def __init__(self, conflicts: list[Conflict], message: str | None = None) -> None:
        self.conflicts = conflicts
        super().__init__(message or " ".join(c.message for c in conflicts))


class ReviewInputError(Exception):
    """A correction that cannot be saved: an invalid value, an unknown path (HTTP 400)."""


class ReviewForbidden(Exception):
    """A change the reviewer's role does not allow (HTTP 403): nothing is written."""


class UnreadableItem(Exception):
    """An item whose document.json (or the extracted copy the review starts from) cannot be
    read: damaged, truncated, not a record of this item."""


@dataclass(frozen=True)
class SaveResult:
    saved: tuple[str, ...]
    warnings: tuple[str, ...]
    approved: bool = False


@dataclass(frozen=True)
class Neighbours:
    """Where an item stands in a queue: its position (from 1; None when it is not in it), the
    queue's size, the items before and after it."""

    position: int | None
    total: int
    prev_id: str | None
    next_id: str | None


@dataclass(frozen=True)
class ItemState:
    """An item as the review screen shows it."""

    item_id: str
    extracted: Document
    current: Document
    row: dict[str, Any]
    history: list[dict[str, Any]]


# -- the store --------------------------------------------------------------------------------


class ReviewStore:
    def __init__(self, out: Path, url: str | None = None) -> None:
        self.out = Path(out)
        if not OutDir(self.out).items.is_dir():
            raise UsageError(f"{out}: no items/ folder here; give the OUT of an earlier convert")
        self.url = database_url(self.out, url)
        try:
            self.engine = make_engine(self.url)
            metadata.create_all(self.engine)
            for index in (queue_index, *facet_indexes):  # a database made before the index
                index.create(self.engine, checkfirst=True)
        except (SQLAlchemyError, ImportError) as exc:
            raise UsageError(f"the review database {_safe_url(self.url)} cannot be opened: {exc}") from exc
        self._cache: OrderedDict[str, tuple[int, Document]] = OrderedDict()
        self._lock = threading.Lock()
        # items whose document.json could not be read at the last sync → why
        self.unreadable: dict[str, str] = {}
        # counts and filter choices: (generation, monotonic time, value), see _tally
        self._tallies: dict[tuple, tuple[int, float, Any]] = {}
        self._generation = 0

    def close(self) -> None:
        self.engine.dispose()

    # documents

    def extracted(self, item_id: str) -> Document:
        """The extracted document of an item (cached while its document.json is unchanged);
        :class:`UnreadableItem` when it cannot be read."""
        path = OutDir(self.out).document_json(item_id)
        try:
            stamp = path.stat().st_mtime_ns
            with self._lock:
                hit = self._cache.get(item_id)
                if hit is not None and hit[0] == stamp:
                    self._cache.move_to_end(item_id)
                    return hit[1]
            data = load_extracted(self.out, item_id)
            if not isinstance(data, dict) or data.get("item_id") != item_id:
                raise ValueError("not a record of this item")
            doc = document_from_dict(data, page_images(self.out, data))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UnreadableItem(f"{item_id}: its {DOCUMENT_JSON} cannot be read ({exc})") from exc
        with self._lock:
            self._cache[item_id] = (stamp, doc)
            while len(self._cache) > CACHE_ITEMS:
                self._cache.popitem(last=False)
        return doc

    def _rows(self, conn, item_id: str) -> list[dict[str, Any]]:
        rows = conn.execute(
            select(corrections).where(corrections.c.item_id == item_id).order_by(corrections.c.id)
        ).mappings().all()
        return [dict(r) for r in rows]

    @staticmethod
    def changes(rows: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
        return [(r["path"], r["new_value"] or "") for r in rows if r["action"] in VALUE_ACTIONS]

    def _current(
        self, item_id: str, rows: list[dict[str, Any]], item: dict[str, Any], extracted: Document | None = None,
    ) -> Document:
        """The item with its corrections applied; ``extracted``: its extracted document when the
        caller has read it already (else it is read, or taken from the cache)."""
        decided = self._last_change([r for r in rows if r["action"] in VALUE_ACTIONS], PUBLICATION_PATH)
        return apply_corrections(
            extracted or self.extracted(item_id), self.changes(rows), approved=item["status"] == REVIEWED,
            reviewed_by=item["reviewed_by"],
            reviewed_at=_iso(item["reviewed_at"]),
            publication_by=decided["reviewer"] if decided else None,
            publication_at=_iso(decided["created_at"]) if decided else None,
        )

    def state(self, item_id: str) -> ItemState | None:
        with self.engine.connect() as conn:
            item = conn.execute(select(items).where(items.c.item_id == item_id, items.c.present)).mappings().first()
            if item is None:
                return None
            rows = self._rows(conn, item_id)
        item = dict(item)
        undone = {r["undoes"] for r in rows if r["undoes"] is not None}
        history = [{**r, "undone": r["id"] in undone, "when": local_time(r["created_at"])} for r in rows]
        return ItemState(item_id, self.extracted(item_id), self._current(item_id, rows, item), item, history)

    def page_count(self, item_id: str) -> int | None:
        """How many pages a known item has; None for an item the review does not know."""
        with self.engine.connect() as conn:
            return conn.scalar(select(items.c.pages).where(items.c.item_id == item_id, items.c.present))

    # counts and filter choices, kept a moment

    def _tally(self, key: tuple, compute):
        """``compute()``, kept TALLY_SECONDS or until this store changes what it counts: the
        queue pages ask for the counts and filter choices, each a pass over the whole table,
        every time, and at 100,000 items those passes were most of a page's time."""
        now = time.monotonic()
        with self._lock:
            hit = self._tallies.get(key)
            if hit is not None and hit[0] == self._generation and now - hit[1] < TALLY_SECONDS:
                return hit[2]
            generation = self._generation
        value = compute()
        with self._lock:
            self._tallies[key] = (generation, now, value)
        return value

    def _recount(self, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
        """After a change is committed: the kept counts and filter choices are stale when it
        changed what they count (any change when ``before`` is not given)."""
        if before is None or after is None or any(k in after and after[k] != before.get(k) for k in TALLIED):
            with self._lock:
                self._generation += 1
                self._tallies.clear()

    # loading OUT

    @staticmethod
    def _summary(doc: Document) -> dict[str, Any]:
        entry = catalogue_entry(doc, False)
        return {
            "title": field_value(doc.circular.title),
            "issuer": field_value(doc.circular.issuer) or field_value(doc.circular.signatories),
            "doc_number": field_value(doc.circular.doc_number),
            "year": entry["_year"],
            "pages": len(doc.pages),
            "needs_review": needs_review(doc),
            "min_confidence": round(document_confidence(doc), 4),
        }

    def sync(self) -> int:
        """Load the items of OUT: new ones added, known ones' summaries refreshed (their review
        state kept), vanished ones hidden.  A document.json unchanged since it was summarised
        is not read again; one that cannot be read (``export.read_stored``) is left out and
        listed in :attr:`unreadable`.  Returns how many items there are."""
        ids: list[str] = []
        unreadable: dict[str, str] = {}
        new: list[dict[str, Any]] = []  # new items, inserted SYNC_BATCH at a time
        added = 0
        with self.engine.begin() as conn:
            known = {r.item_id: r for r in conn.execute(
                select(items.c.item_id, items.c.status, items.c.reviewed_by, items.c.reviewed_at, items.c.present, items.c.source_stamp)
            )}
            for item_id, path in document_paths(self.out):
                try:
                    stamp = path.stat().st_mtime_ns
                except OSError as exc:
                    unreadable[item_id] = f"its {DOCUMENT_JSON} cannot be read ({exc.strerror or exc})"
                    continue
                row = known.get(item_id)
                if row is not None and row.present and row.source_stamp == stamp:
                    ids.append(item_id)
                    continue  # summarised from this very file before
                stored = read_stored(self.out, path)
                if not stored.ok:
                    unreadable[item_id] = stored.error or f"its {DOCUMENT_JSON} cannot be read"
                    continue
                rows = self._rows(conn, item_id) if row is not None else []  # a new item has no corrections
                state = {"status": row.status, "reviewed_by": row.reviewed_by, "reviewed_at": row.reviewed_at} if row else {"status": UNREVIEWED, "reviewed_by": None, "reviewed_at": None}
                # a document.json without a review is the extracted document: not read twice
                extracted = stored.document if stored.data.get("review") is None else None
                try:
                    summary = self._summary(self._current(item_id, rows, state, extracted))
                except (UnreadableItem, OSError, ValueError, KeyError, TypeError) as exc:
                    unreadable[item_id] = str(exc)
                    continue
                if row is None:
                    added += 1
                    new.append(dict(item_id=item_id, present=True, status=UNREVIEWED, version=0, source_stamp=stamp, **summary))
                    if len(new) >= SYNC_BATCH:
                        conn.execute(items.insert(), new)
                        new.clear()
                else:
                    conn.execute(update(items).where(items.c.item_id == item_id).values(present=True, source_stamp=stamp, **summary))
                ids.append(item_id)
            if new:
                conn.execute(items.insert(), new)
            gone = set(known) - set(ids)
            if gone:
                conn.execute(update(items).where(items.c.item_id.in_(gone)).values(present=False))
        if added and self.engine.dialect.name == "postgresql":
            # the planner's statistics of the table as it is now: without them, until autovacuum
            # comes by, it takes a freshly loaded table for a few rows and sorts the whole
            # queue for every page rather than reading it in the order of ix_items_queue
            with self.engine.begin() as conn:
                conn.execute(text("ANALYZE items"))
        self._recount()
        for item_id, error in unreadable.items():
            log.warning("%s is left out of the review: %s", item_id, error)
        self.unreadable = unreadable
        return len(ids)

    # the queue

    @staticmethod
    def _where(what: str, issuer: str | None, year: int | None) -> list[Any]:
        """The conditions of a queue: its filter, its issuer and its year."""
        where = [items.c.present]
        if what == "needs_review":
            where += [items.c.status == UNREVIEWED, items.c.needs_review]
        elif what == "reviewed":
            where.append(items.c.status == REVIEWED)
        if issuer:
            where.append(items.c.issuer == issuer)
        if year is not None:
            where.append(items.c.year == year)
        return where

    def _filtered(self, what: str, issuer: str | None, year: int | None):
        return select(items).where(*self._where(what, issuer, year)).order_by(*QUEUE_ORDER)

    def queue(
        self, what: str = "needs_review", issuer: str | None = None, year: int | None = None,
        limit: int | None = None, offset: int = 0,
    ) -> list[dict[str, Any]]:
        query = self._filtered(what, issuer, year).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def queue_ids(self, what: str = "needs_review", issuer: str | None = None, year: int | None = None) -> list[str]:
        """The item ids of a queue, in its order."""
        query = self._filtered(what, issuer, year).with_only_columns(items.c.item_id)
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    def queue_count(self, what: str = "needs_review", issuer: str | None = None, year: int | None = None) -> int:
        """How many items a queue has (counted by the database, not by loading the queue)."""
        def count() -> int:
            with self.engine.connect() as conn:
                return conn.scalar(select(func.count()).select_from(items).where(*self._where(what, issuer, year))) or 0

        return self._tally(("queue", what, issuer, year), count)

    def neighbours(
        self, item_id: str, what: str = "needs_review", issuer: str | None = None, year: int | None = None,
        key: tuple[bool, float] | None = None,
    ) -> Neighbours:
        """Where an item stands in a queue and the items before and after it, by small queries
        on the queue's order (keyset), not by loading the queue: a queue of 100,000 items costs
        what one of 10 does.  ``key``: the item's (needs_review, min_confidence) when the caller
        has its row; then its place, its neighbours and whether it is in the queue at all are one
        statement (one round trip).  An item not in the queue has no position and no previous
        item; its next one is the queue's first."""
        where = self._where(what, issuer, year)
        nr, conf, iid = items.c.needs_review, items.c.min_confidence, items.c.item_id
        total = self.queue_count(what, issuer, year)
        with self.engine.connect() as conn:
            if key is None:
                row = conn.execute(select(nr, conf).where(*where, iid == item_id)).first()
                key = (bool(row.needs_review), row.min_confidence) if row is not None else None
                member = key is not None
            else:
                member = None  # asked below, with the rest
            if key is not None:
                needs, confidence = key
                # the queue's order: needing review first, then confidence, then id
                same = nr if needs else ~nr
                before = or_(false() if needs else nr, and_(same, conf < confidence),
                             and_(same, conf == confidence, iid < item_id))
                after = or_(~nr if needs else false(), and_(same, conf > confidence),
                            and_(same, conf == confidence, iid > item_id))
                found = conn.execute(select(
                    select(func.count()).select_from(items).where(*where, iid == item_id).scalar_subquery(),
                    select(func.count()).select_from(items).where(*where, before).scalar_subquery(),
                    select(iid).where(*where, before).order_by(nr, conf.desc(), iid.desc()).limit(1).scalar_subquery(),
                    select(iid).where(*where, after).order_by(*QUEUE_ORDER).limit(1).scalar_subquery(),
                )).one()
                if member or found[0]:
                    return Neighbours((found[1] or 0) + 1, total, found[2], found[3])
            first = conn.scalar(select(iid).where(*where).order_by(*QUEUE_ORDER).limit(1))
            return Neighbours(None, total, None, first)

    def counts(self) -> dict[str, int]:
        """How many items each filter shows (one pass over the table, kept a moment)."""
        return dict(self._tally(("counts",), self._counts))

    def _counts(self) -> dict[str, int]:
        reviewed = items.c.status == REVIEWED
        needs = and_(items.c.status == UNREVIEWED, items.c.needs_review)
        with self.engine.connect() as conn:
            row = conn.execute(select(
                func.count(),
                func.coalesce(func.sum(case((reviewed, 1), else_=0)), 0),
                func.coalesce(func.sum(case((needs, 1), else_=0)), 0),
            ).select_from(items).where(items.c.present)).one()
        return {"all": int(row[0]), "reviewed": int(row[1]), "needs_review": int(row[2])}

    def facets(self) -> tuple[list[str], list[int]]:
        """The issuers and years to filter by (kept a moment)."""
        issuers, years = self._tally(("facets",), self._facets)
        return list(issuers), list(years)

    def _facets(self) -> tuple[list[str], list[int]]:
        with self.engine.connect() as conn:
            issuers = [r[0] for r in conn.execute(select(items.c.issuer).where(items.c.present, items.c.issuer != "").distinct().order_by(items.c.issuer))]
            years = [r[0] for r in conn.execute(select(items.c.year).where(items.c.present, items.c.year.is_not(None)).distinct().order_by(items.c.year.desc()))]
        return issuers, years

    # changes

    def _bump(self, conn, item_id: str, version: int, **values: Any) -> bool:
        """Take the item's next version if it is still ``version`` (compare and swap)."""
        result = conn.execute(
            update(items).where(items.c.item_id == item_id, items.c.version == version).values(version=version + 1, **values)
        )
        return result.rowcount == 1

    def _read(self, item_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        with self.engine.connect() as conn:
            item = conn.execute(select(items).where(items.c.item_id == item_id, items.c.present)).mappings().first()
            if item is None:
                raise ReviewInputError(f"no item {item_id!r}")
            return dict(item), self._rows(conn, item_id)

    @staticmethod
    def _last_change(rows: list[dict[str, Any]], path: str | None = None) -> dict[str, Any] | None:
        return next((r for r in reversed(rows) if path is None or r["path"] == path), None)

    def save(
        self,
        item_id: str,
        reviewer: str,
        edits: dict[str, tuple[str, str]],
        seen_version: int | None = None,
        approve: bool = False,
        admin: bool = True,
    ) -> SaveResult:
        """Save the values a reviewer changed: ``edits`` maps a path to (the value the reviewer
        saw, the value they typed).  Unchanged values are skipped; a value that changed since
        the reviewer saw it refuses the whole save (:class:`ReviewConflict`, nothing written);
        an invalid value refuses it too (:class:`ReviewInputError`).  ``approve`` then marks the
        item reviewed, refused when the item changed since ``seen_version``.  Without
        ``admin`` (a reviewer account without the admin role) an approved item is refused
        (:class:`ReviewForbidden`): an admin reopens it first."""
        reviewer = check_reviewer(reviewer)
        for attempt in range(CAS_ATTEMPTS):
            item, rows = self._read(item_id)
            if not admin and item["status"] == REVIEWED:
                raise ReviewForbidden(
                    f"此件已由 {item['reviewed_by']} 批准：修改已批准的件需要管理员权限（请管理员先撤回批准）。"
                )
            current = self._current(item_id, rows, item)
            todo, warnings, conflicts = [], [], []
            for path, (seen, typed) in sorted(edits.items()):
                try:
                    fp = parse_path(path)
                    now = value_text(current, fp)
                except CorrectionError as exc:
                    raise ReviewInputError(str(exc)) from None
                multiline = fp.section == "tables"
                seen, typed = normalise_input(seen, multiline), normalise_input(typed, multiline)
                if typed == seen:
                    continue  # the reviewer did not change it
                try:
                    checked = check_value(fp, typed)
                except CorrectionError as exc:
                    raise ReviewInputError(str(exc)) from None
                if normalise_input(now, multiline) != seen:
                    last = self._last_change(rows, path) or {}
                    conflicts.append(Conflict(
                        path, fp.label, seen, now, checked.text, last.get("reviewer", ""),
                        local_time(last.get("created_at")),
                    ))
                    continue
                if checked.text != now:
                    todo.append((path, now, checked.text))
                    warnings += checked.warnings
            if conflicts:
                raise ReviewConflict(conflicts)
            if approve and seen_version is not None and item["version"] != seen_version:
                last = self._last_change(rows) or {}
                raise ReviewConflict([], (
                    f"未批准：此件在您打开后已被 {last.get('reviewer', '?')} 于 {local_time(last.get('created_at'))} 修改，"
                    "请核对后再批准。"
                ))
            if not todo and not approve:
                return SaveResult((), ())
            now_time = utcnow()
            new_rows = [
                {"item_id": item_id, "path": p, "action": EDIT, "old_value": old, "new_value": new, "reviewer": reviewer, "created_at": now_time}
                for p, old, new in todo
            ]
            status = dict(status=item["status"], reviewed_by=item["reviewed_by"], reviewed_at=item["reviewed_at"])
            if approve:
                new_rows.append({
                    "item_id": item_id, "path": ITEM_PATH, "action": APPROVE, "old_value": item["status"],
                    "new_value": REVIEWED, "reviewer": reviewer, "created_at": now_time,
                })
                status = dict(status=REVIEWED, reviewed_by=reviewer, reviewed_at=now_time)
            summary = self._summary(apply_corrections(
                self.extracted(item_id), self.changes(rows) + [(p, new) for p, _, new in todo],
                approved=status["status"] == REVIEWED,
            ))
            with self.engine.begin() as conn:
                if not self._bump(conn, item_id, item["version"], **status, **summary):
                    continue  # another save came first: look again
                conn.execute(corrections.insert(), new_rows)
            self._recount(item, {**status, **summary})
            return SaveResult(tuple(p for p, _, _ in todo), tuple(warnings), approved=approve)
        raise ReviewConflict([], "此件正被他人频繁修改，请刷新后再试。")

    def undo(self, item_id: str, correction_id: int, reviewer: str, admin: bool = True) -> str:
        """Restore the value a correction replaced, as a new correction; refused when the value
        changed since (:class:`ReviewConflict`).  Without ``admin`` only the reviewer's own
        correction of an item not approved is undone (else :class:`ReviewForbidden`).
        Returns the path."""
        reviewer = check_reviewer(reviewer)
        for attempt in range(CAS_ATTEMPTS):
            item, rows = self._read(item_id)
            target = next((r for r in rows if r["id"] == correction_id), None)
            if target is None or target["action"] not in VALUE_ACTIONS:
                raise ReviewInputError("没有这样的修改可撤销")
            if not admin and item["status"] == REVIEWED:
                raise ReviewForbidden(
                    f"此件已由 {item['reviewed_by']} 批准：撤销其中的修改需要管理员权限（请管理员先撤回批准）。"
                )
            if not admin and target["reviewer"] != reviewer:
                raise ReviewForbidden(f"这一修改是 {target['reviewer']} 做的：撤销他人的修改需要管理员权限。")
            undone_by = next((r for r in rows if r["undoes"] == correction_id), None)
            if undone_by is not None:
                raise ReviewConflict([], f"这一修改已被 {undone_by['reviewer']} 于 {local_time(undone_by['created_at'])} 撤销。")
            current = self._current(item_id, rows, item)
            fp = parse_path(target["path"])
            now = value_text(current, fp)
            if now != (target["new_value"] or ""):
                last = self._last_change(rows, target["path"]) or {}
                raise ReviewConflict([], (
                    f"未撤销：{fp.label}（{fp}）此后已被 {last.get('reviewer', '?')} 于 "
                    f"{local_time(last.get('created_at'))} 改为“{now}”。"
                ))
            restored = target["old_value"] or ""
            summary = self._summary(apply_corrections(
                self.extracted(item_id), self.changes(rows) + [(target["path"], restored)],
                approved=item["status"] == REVIEWED,
            ))
            with self.engine.begin() as conn:
                if not self._bump(conn, item_id, item["version"], **summary):
                    continue
                conn.execute(corrections.insert().values(
                    item_id=item_id, path=target["path"], action=UNDO, old_value=now, new_value=restored,
                    reviewer=reviewer, created_at=utcnow(), undoes=correction_id,
                ))
            self._recount(item, summary)
            return target["path"]
        raise ReviewConflict([], "此件正被他人频繁修改，请刷新后再试。")

    def reopen(self, item_id: str, reviewer: str) -> None:
        """Mark an approved item unreviewed again (a row in the audit trail too)."""
        reviewer = check_reviewer(reviewer)
        for attempt in range(CAS_ATTEMPTS):
            item, rows = self._read(item_id)
            if item["status"] != REVIEWED:
                return
            summary = self._summary(apply_corrections(self.extracted(item_id), self.changes(rows)))
            with self.engine.begin() as conn:
                if not self._bump(conn, item_id, item["version"], status=UNREVIEWED, reviewed_by=None, reviewed_at=None, **summary):
                    continue
                conn.execute(corrections.insert().values(
                    item_id=item_id, path=ITEM_PATH, action=REOPEN, old_value=REVIEWED, new_value=UNREVIEWED,
                    reviewer=reviewer, created_at=utcnow(),
                ))
            self._recount(item, {"status": UNREVIEWED, **summary})
            return
        raise ReviewConflict([], "此件正被他人频繁修改，请刷新后再试。")

    def reviewed_document(self, item_id: str) -> Document | None:
        """The item with its corrections applied and its review recorded; None when nobody
        corrected or approved it."""
        item, rows = self._read(item_id)
        if not rows:
            return None
        return self._current(item_id, rows, item)


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError):
        return "(unreadable URL)"


def check_reviewer(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ReviewInputError("请先填写审核人姓名")
    if len(name) > MAX_REVIEWER_CHARS:
        raise ReviewInputError(f"审核人姓名过长（最多 {MAX_REVIEWER_CHARS} 字）")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise ReviewInputError("审核人姓名含控制字符，请重新填写")
    return name
