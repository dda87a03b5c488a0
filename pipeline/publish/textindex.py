"""The site's own full-text index: static files a browser searches without a server, of which a
query fetches only the few it needs, and which a publish updates for the items that changed.

Why not one index file, and why not Pagefind (see the README's figures): one file grows with the
archive (230 MB at 100,000 items); Pagefind makes every query load its list of all pages (about
9 bytes a page, 0.9 MB at 100,000), rebuilds its whole index for one changed page and needs about
0.5 GB of memory per 1,000 pages while it indexes.

**Keys.**  A text is normalised (NFKC, lower case, white space and invisible format characters
taken out: :func:`normalise`) and cut into *runs* of letters and digits (Chinese characters,
Latin letters, digits; punctuation and symbols end a run).  Its keys are every character of a
run and every two neighbouring characters of a run (:func:`text_keys`): so any phrase of two or
more characters is found by its character pairs, one character by itself, and nothing depends
on splitting Chinese into words (a fragment that cuts a word, 倍增计, is found).  The keys of an
item's title are also kept with ``\\x02`` before them, so that the items whose title holds a
query come first.  An item's filters are keys as well: ``\\x01y2014`` (year), ``\\x01i`` +
issuer, ``\\x01g`` + 文种.

**Files** (under ``SITE/search/``):

- ``index.json``: the number of shards and a stamp of the index's content (a browser asks for
  every other file with ``?v=<stamp>``, so a cached shard of an earlier publish is never used);
- ``k/<n>.gw``: shard *n*, gzip-compressed JSON ``{key: [first id, gap, gap, …]}`` of the keys
  whose FNV-1a hash (of the key's UTF-8 bytes) modulo the number of shards is *n*;
- ``t/<id // 1000>/<id>.gw``: item *id*'s record, gzip-compressed JSON: url, title, 文号,
  issuer, date, year, 文种 and its text (what its page shows), which the browser checks a
  candidate against and takes a result's excerpt from.

A query (``search.js``) takes at most :data:`MAX_QUERY_KEYS` pair keys of its words, fetches
their shards, intersects the ids, and checks the candidates' records, ten at a time, for every
word as typed.  The number of shards is chosen so that a shard holds at most about
:data:`POSTINGS_PER_SHARD` ids and, measured on a sample of them compressed, at most
:data:`SHARD_BYTES` bytes on average, whatever the size of the archive: a query's shards stay
under 12 × 16 KB.

**Updates.**  An item keeps its id while it is published.  When it changes, the keys it lost
(its old keys are read from its old record) lose the id and the keys it gained gain it, in the
shards of those keys only; its new record is written after the shards, so a publish that stops
half-way leaves the old record, and the next publish, doing the same again (adding and removing
are idempotent), puts the shards right.  A shard or record that cannot be read, or an index
grown to more than :data:`GROWTH` times the ids it was last built with: the index is built anew
(with more shards), without a manifest until it is whole.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

log = logging.getLogger(__name__)

INDEX_DIR = "search"
MANIFEST = f"{INDEX_DIR}/index.json"
FORMAT = 1
# ids a shard holds on average, at most, and its compressed size, at most (on average)
POSTINGS_PER_SHARD = 16_000
SHARD_BYTES = 16_000
SHARD_SAMPLE = 32  # shards packed to measure their size
MIN_SHARDS = 4
MAX_SHARDS = 1 << 16
# the index is built again (with more shards) when it holds this many times the ids it was built with
GROWTH = 4
# the most pair keys a query fetches shards for (spread over its words); the candidates are
# checked against the records all the same
MAX_QUERY_KEYS = 12
FILTER = "\x01"
TITLE = "\x02"
FILTER_KEYS = (("year", "y"), ("issuer", "i"), ("genre", "g"))

_RUN = re.compile(r"[^\W_]+")  # letters and digits (str.isalnum: Unicode L* and N*)
_DROP = re.compile(r"[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+")


def normalise(text: str) -> str:
    """NFKC (full-width digits and Latin to ASCII), lower case, no white space nor invisible
    format characters (so 低收入 农户 is 低收入农户)."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).lower())


def runs(text: str) -> list[str]:
    """The runs of letters and digits of a normalised text."""
    return _RUN.findall(text)


def text_keys(text: str) -> set[str]:
    """Every character of every run of ``text`` and every two neighbouring ones."""
    keys: set[str] = set()
    for run in runs(normalise(text)):
        keys.update(run)
        keys.update(map(str.__add__, run, run[1:]))
    return keys


def filter_keys(record: dict[str, Any]) -> set[str]:
    return {f"{FILTER}{short}{record[short]}" for _, short in FILTER_KEYS if record.get(short)}


def record_keys(record: dict[str, Any]) -> set[str]:
    """The keys of an item's record: of its text, of its title (marked) and its filters."""
    title = {TITLE + k for k in text_keys(record.get("t", ""))}
    return text_keys(record.get("x", "")) | title | filter_keys(record)


def record_text(record: dict[str, Any]) -> str:
    """What a query's words are looked for in: the item's title and text, normalised."""
    return normalise(record.get("t", "") + "\n" + record.get("x", ""))


def fnv1a(key: str) -> int:
    """32-bit FNV-1a of the key's UTF-8 bytes (``search.js`` computes the same)."""
    h = 0x811C9DC5
    for b in key.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


@lru_cache(maxsize=1 << 20)
def _hash(key: str) -> int:
    return fnv1a(key)


def shard_of(key: str, shards: int) -> int:
    return _hash(key) % shards


def shard_count(postings: int) -> int:
    """Shards for an index of ``postings`` ids: a power of two, about
    :data:`POSTINGS_PER_SHARD` ids a shard."""
    n = MIN_SHARDS
    while n * POSTINGS_PER_SHARD < postings and n < MAX_SHARDS:
        n *= 2
    return n


def shard_path(n: int) -> str:
    return f"{INDEX_DIR}/k/{n}.gw"


def record_path(item: int) -> str:
    return f"{INDEX_DIR}/t/{item // 1000}/{item}.gw"


def pack(value: Any) -> bytes:
    """gzip-compressed compact JSON, the same bytes for the same value (no time in the header)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def unpack(data: bytes) -> Any:
    return json.loads(gzip.decompress(data).decode("utf-8"))


def encode_ids(ids: Iterable[int]) -> list[int]:
    """Sorted ids as the first and the gaps (small numbers, which compress well)."""
    out, last = [], 0
    for i in sorted(ids):
        out.append(i - last)
        last = i
    return out


def decode_ids(gaps: list[int]) -> list[int]:
    out, last = [], 0
    for g in gaps:
        last += g
        out.append(last)
    return out


def make_record(entry: dict[str, Any], text: str) -> dict[str, Any]:
    """An item's record in the index, from its catalogue entry and the text its page shows."""
    return {
        "u": entry["url"], "t": entry["title"], "n": entry["doc_number"], "i": entry["issuer"],
        "d": entry["date"], "y": entry["year"], "g": entry["genre"], "x": text,
    }


@dataclass
class IndexChanges:
    """What a publish changes in the index: ids that each key gains and loses, by shard."""

    shards: int
    gains: dict[int, dict[str, set[int]]] = field(default_factory=dict)
    losses: dict[int, dict[str, set[int]]] = field(default_factory=dict)
    postings: int = 0  # ids added less ids removed

    def add(self, item: int, keys: Iterable[str]) -> None:
        for key in keys:
            self.gains.setdefault(shard_of(key, self.shards), {}).setdefault(key, set()).add(item)
            self.postings += 1

    def remove(self, item: int, keys: Iterable[str]) -> None:
        for key in keys:
            self.losses.setdefault(shard_of(key, self.shards), {}).setdefault(key, set()).add(item)
            self.postings -= 1

    def touched(self) -> list[int]:
        return sorted(set(self.gains) | set(self.losses))

    def apply(self, n: int, current: dict[str, list[int]] | None) -> dict[str, list[int]]:
        """Shard ``n`` with these changes applied to its ``current`` content (None: empty)."""
        ids = {key: set(decode_ids(gaps)) for key, gaps in (current or {}).items()}
        for key, gone in self.losses.get(n, {}).items():
            if key in ids:
                ids[key] -= gone
        for key, new in self.gains.get(n, {}).items():
            ids.setdefault(key, set()).update(new)
        return {key: encode_ids(v) for key, v in ids.items() if v}


def query_keys(query: str, limit: int = MAX_QUERY_KEYS) -> list[str]:
    """The keys a query fetches (as ``search.js`` picks them): for each run of each word its
    character pairs, or its character when the run is one character, each key once; when there
    are more than ``limit``, keys spread evenly over them all, the first and the last kept."""
    keys: list[str] = []
    for word in query.split():
        for run in runs(normalise(word)):
            keys.extend([run] if len(run) == 1 else [a + b for a, b in zip(run, run[1:])])
    keys = list(dict.fromkeys(keys))
    if len(keys) <= limit:
        return keys
    step = (len(keys) - 1) / (limit - 1)
    return [keys[round(k * step)] for k in range(limit)]


def search(site: Path, query: str, filters: dict[str, str] | None = None) -> list[str]:
    """The urls of the items of ``site`` whose title or text holds every word of ``query`` and
    that have the ``filters`` (year, issuer, genre): those whose title holds the words first,
    each group in id order.  What ``search.js`` finds, done in Python (for the tests and the
    benchmark's check)."""
    manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    shards = manifest["shards"]
    short = dict(FILTER_KEYS)
    words, given = query_keys(query), [f"{FILTER}{short[k]}{v}" for k, v in (filters or {}).items() if v]
    loaded: dict[int, dict[str, list[int]]] = {}

    def having(keys: list[str]) -> set[int]:
        found: set[int] | None = None
        for key in keys:
            n = shard_of(key, shards)
            if n not in loaded:
                loaded[n] = unpack((site / shard_path(n)).read_bytes())
            ids = set(decode_ids(loaded[n].get(key, [])))
            found = ids if found is None else found & ids
        return found or set()

    if not words and not given:
        return []
    in_title = having([TITLE + k for k in words] + given) if words else set()
    ordered = sorted(in_title) + sorted(having(words + given) - in_title)
    terms = [normalise(w) for w in query.split()]
    urls = []
    for item in ordered:
        record = unpack((site / record_path(item)).read_bytes())
        text = record_text(record)
        if all(t in text for t in terms):
            urls.append(record["u"])
    return urls


class SiteIndex:
    """The index of one publish into a site: built anew (no usable index of an earlier publish)
    or changed where items changed.  ``state`` is what :meth:`finish` returned last time."""

    def __init__(self, site: Path, state: dict[str, Any] | None) -> None:
        self.site = site
        state = state or {}
        shards = state.get("shards")
        self.full = not (isinstance(shards, int) and shards > 0 and (site / MANIFEST).is_file()
                         and all((site / shard_path(n)).is_file() for n in range(shards)))
        self.shards = 0 if self.full else shards
        self.next = 0 if self.full else int(state.get("next", 0))
        self.postings = 0 if self.full else int(state.get("postings", 0))
        self.built = 0 if self.full else int(state.get("built", 0))  # ids when it was last built
        self.rebuild = False  # an old record could not be read: build the index anew at the end
        self._all: dict[str, array] = {}  # key → ids, when built anew
        self._changes = IndexChanges(self.shards or 1)
        self._records: list[tuple[str, bytes]] = []  # changed records, written after the shards

    def put_record(self, item: int, data: bytes, write) -> str:
        """The file of item ``item``'s record (``data``, packed; its path returned): written
        now when the index is built anew, else after the shards (:meth:`finish`), because the
        next publish takes an item's old keys from its record: a publish stopped between the
        two must leave the old record, which tells what the shards still hold."""
        rel = record_path(item)
        if self.full:
            write(rel, data)
        else:
            self._records.append((rel, data))
        return rel

    def new_id(self) -> int:
        self.next += 1
        return self.next - 1

    def add(self, item: int, record: dict[str, Any], was_indexed: bool = False) -> None:
        """Index ``record`` under ``item``; ``was_indexed``: the item had that id last time, so
        only the keys it lost and gained change (a new title touches the shards of a few keys)."""
        keys = record_keys(record)
        if self.full:
            for key in keys:
                ids = self._all.get(key)
                if ids is None:
                    self._all[key] = ids = array("I")
                ids.append(item)
            self.postings += len(keys)
            return
        old = self._old_keys(item) if was_indexed else set()
        self._changes.remove(item, old - keys)
        self._changes.add(item, keys - old)

    def drop(self, item: int) -> None:
        """Take item ``item`` (as the last publish indexed it) out of the index."""
        if not self.full:
            self._changes.remove(item, self._old_keys(item))

    def _old_keys(self, item: int) -> set[str]:
        """The keys of item ``item``'s record as the last publish wrote it; none (and the index
        built anew at the end) when it cannot be read."""
        try:
            return record_keys(unpack((self.site / record_path(item)).read_bytes()))
        except (OSError, ValueError, EOFError) as exc:
            log.info("the search record of item %d cannot be read (%s): the index is built anew", item, exc)
            self.rebuild = True
            return set()

    def finish(self, items: dict[int, str], write, keep) -> dict[str, Any]:
        """Write the shards and the manifest for the published ``items`` (id → the hash of its
        record, whose file is written); ``write(rel, bytes)`` writes a file, ``keep(rel)`` keeps
        one as it is.  Returns the state for the next publish."""
        postings = self.postings + self._changes.postings
        grown = postings > GROWTH * max(self.built, POSTINGS_PER_SHARD)
        if not self.full and not self.rebuild and not grown and self._apply_changes(write, keep):
            self._write_records(write)
        else:  # built anew: grown past its shards, an old record or a shard unreadable, or no index
            if not self.full:
                self._write_records(write)  # what the index is built from, below
                self._read_back(items)
            # no manifest while the shards are rewritten: a publish stopped now leaves an index
            # the next one builds anew, never shards of two layouts under one manifest
            (self.site / MANIFEST).unlink(missing_ok=True)
            by_shard = self._sharded(shard_count(self.postings))
            for n, content in enumerate(by_shard):
                write(shard_path(n), pack(content))
            postings = self.built = self.postings
        stamp = hashlib.sha1(
            f"{FORMAT}\0{self.shards}\0".encode() + "\n".join(f"{k}:{h}" for k, h in sorted(items.items())).encode()
        ).hexdigest()[:16]
        write(MANIFEST, json.dumps({"format": FORMAT, "shards": self.shards, "stamp": stamp}).encode())
        return {"shards": self.shards, "postings": postings, "built": self.built, "next": self.next}

    def _sharded(self, shards: int) -> list[dict[str, list[int]]]:
        """The keys in ``shards`` shards or, when a sample of them packs larger than
        :data:`SHARD_BYTES` on average, in as many more as bring them under it (sets
        ``self.shards``)."""
        while True:
            by_shard: list[dict[str, list[int]]] = [{} for _ in range(shards)]
            for key, ids in self._all.items():
                by_shard[shard_of(key, shards)][key] = encode_ids(ids)
            step = max(1, shards // SHARD_SAMPLE)
            sample = [len(pack(by_shard[n])) for n in range(0, shards, step)]
            factor = 1
            while sum(sample) / len(sample) > SHARD_BYTES * factor and shards * factor < MAX_SHARDS:
                factor *= 2
            if factor == 1:
                self.shards, self._all = shards, {}
                return by_shard
            shards *= factor

    def _apply_changes(self, write, keep) -> bool:
        """Write the shards this publish's changes touch, keep the others; False (and the index
        to be built anew) when a shard cannot be read: what it held is not known."""
        touched = set(self._changes.touched())
        for n in range(self.shards):
            if n not in touched:
                keep(shard_path(n))
                continue
            try:
                current = unpack((self.site / shard_path(n)).read_bytes())
            except (OSError, ValueError, EOFError) as exc:
                log.warning("search shard %d cannot be read (%s): the index is built anew", n, exc)
                return False
            write(shard_path(n), pack(self._changes.apply(n, current)))
        return True

    def _write_records(self, write) -> None:
        for rel, data in self._records:
            write(rel, data)
        self._records = []

    def _read_back(self, items: dict[int, str]) -> None:
        """Build the index anew from the records of ``items`` in the site."""
        log.info("the search index of %s is built anew from its %d records", self.site, len(items))
        self.full, self.postings, self._all = True, 0, {}
        for item in sorted(items):
            try:
                record = unpack((self.site / record_path(item)).read_bytes())
            except (OSError, ValueError, EOFError) as exc:  # written by this publish: not expected
                log.warning("the search record of item %d cannot be read (%s): it is not found", item, exc)
                continue
            self.add(item, record)
