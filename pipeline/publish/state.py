"""What the last publish of an OUT into a SITE wrote, so that the next one redoes only what
changed (``OUT/.gongwen/publish-state/<site>.json``, one file per site folder).

For every item it keeps the stamps of the files the item was published from (its
``document.json`` and ``searchable.pdf``: inode, size and times — every writer of OUT renames a
new file into place, so any rewrite changes the stamp), and what came of them: the catalogue
entry and the files written, or the reason it was withheld.  It also keeps the paths of the
listing pages and scripts written (a listing page that is no longer made is removed) and what
the search index (:mod:`.textindex`) needs to be changed rather than built anew: its number of
shards, of ids and the next free id; each published item's record has its id there (``sid``) and
the hash of its search record (``search``).  All of it holds only for the same *build*:
the same gongwen code, templates and ``include_internal``; anything else and the site is made
again.

A publish that stops half-way leaves the state of the publish before; what it wrote since is
written again (every file is replaced atomically), never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..export.files import atomic_write_text
from ..export.items import code_stamp, file_stamp

log = logging.getLogger(__name__)

STATE_VERSION = 2


def build_stamp(templates: Path | None, include_internal: bool) -> str:
    """What every published file depends on besides its item: the code, the user's templates
    (names and contents) and the options."""
    h = hashlib.sha256(f"{STATE_VERSION}\0{code_stamp()}\0{include_internal}".encode())
    if templates is not None and templates.is_dir():
        for path in sorted(p for p in templates.rglob("*") if p.is_file()):
            h.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def item_stamp(document_json: Path, pdf: Path) -> list[Any]:
    """The stamps of an item's files; the PDF's without its ctime, which the hard link a
    publish makes to it changes (its inode changes with every rewrite all the same)."""
    pdf_stamp = file_stamp(pdf)
    return [file_stamp(document_json), pdf_stamp[:3] if pdf_stamp else None]


def text_hash(text: str | bytes) -> str:
    return hashlib.sha1(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


@dataclass
class PublishState:
    build: str
    # item_id → {"stamp", "entry" (published) or "reason" (withheld), "files", "page" (hash)}
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)  # the listing pages and scripts written
    search: dict[str, Any] = field(default_factory=dict)  # the search index's state (textindex.SiteIndex)
    listings: dict[str, str] = field(default_factory=dict)  # listing page → hash of what it shows

    @classmethod
    def load(cls, path: Path, build: str) -> "PublishState":
        """The state kept at ``path`` for ``build``; an empty one when there is none, it is
        unreadable or it was made by another build."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(build)
        except (OSError, ValueError) as exc:
            log.info("%s is not used (%s): everything is published again", path, exc)
            return cls(build)
        if not isinstance(data, dict) or data.get("build") != build:
            return cls(build)
        items, pages = data.get("items"), data.get("pages")
        if not isinstance(items, dict) or not isinstance(pages, list):
            return cls(build)
        search, shown = data.get("search"), data.get("listings")
        return cls(build, items, pages, search if isinstance(search, dict) else {},
                   shown if isinstance(shown, dict) else {})

    def save(self, path: Path) -> None:
        payload = {"build": self.build, "search": self.search, "listings": self.listings, "pages": self.pages,
                   "items": self.items}
        atomic_write_text(path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
