"""Find the items (件) in the inputs: files, page folders, and trees of both.

Rules (output contract): each PDF / TIFF / PNG / JPEG file is one item; a folder whose entries
are only page images named like pages (``0001.jpg``, ``p1.png``, ``page-2.tif``, ``第3页.jpg``)
is one item with its pages in natural order.  ``item_id`` is the path relative to the INPUT
folder given (the file or folder name for a file or page-folder argument), without extension.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...errors import InputError
from ...ocr.loading import PageRef, count_pages, sniff_format

log = logging.getLogger(__name__)

PAGE_IMAGE_EXTENSIONS = frozenset({".tif", ".tiff", ".png", ".jpg", ".jpeg", ".bmp", ".webp"})
# Files that travel beside scans in archive folders and are not items: skipped quietly.
SIDECAR_EXTENSIONS = frozenset(
    {".json", ".txt", ".md", ".xml", ".csv", ".xlsx", ".xls", ".db", ".ini", ".log", ".sha256", ".md5", ".html"}
)
SIDECAR_NAMES = frozenset({"thumbs.db", "desktop.ini"})
# a page image's name: an optional page word, then the page number
PAGE_NAME = re.compile(r"^(?:p|pg|page|scan|img|image|第)?[ _\-.]?(\d+)(?:页)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Item:
    item_id: str
    source: str
    pages: tuple[PageRef, ...] = ()
    error: str | None = None
    files: tuple[str, ...] = field(default=())


def natural_key(name: str) -> list:
    """Sort key where 2 comes before 10."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def _visible(entries: list[Path]) -> list[Path]:
    return [
        e
        for e in entries
        if not e.name.startswith(".")
        and e.name.lower() not in SIDECAR_NAMES
        and not (e.is_file() and e.suffix.lower() in SIDECAR_EXTENSIONS)
    ]


def is_page_folder(folder: Path) -> bool:
    """A folder of page images only, each named like a page."""
    try:
        entries = _visible(list(folder.iterdir()))
    except OSError:
        return False
    return bool(entries) and all(
        e.is_file() and e.suffix.lower() in PAGE_IMAGE_EXTENSIONS and PAGE_NAME.match(e.stem)
        for e in entries
    )


def _item_id(path: Path, root: Path | None) -> str:
    rel = path.relative_to(root) if root is not None and path != root else Path(path.name)
    parts = list(rel.parts)
    if path.is_file():
        parts[-1] = Path(parts[-1]).stem
    return "/".join(parts)


def _file_item(path: Path, item_id: str) -> Item:
    try:
        fmt = sniff_format(path)
        n = count_pages(path, fmt)
    except InputError as exc:
        return Item(item_id=item_id, source=str(path), error=str(exc), files=(str(path),))
    pages = tuple(PageRef(path=str(path), fmt=fmt, index=i) for i in range(n))
    return Item(item_id=item_id, source=str(path), pages=pages, files=(str(path),))


def _folder_item(folder: Path, item_id: str) -> Item:
    files = sorted(_visible(list(folder.iterdir())), key=lambda p: natural_key(p.name))
    pages: list[PageRef] = []
    for f in files:
        try:
            fmt = sniff_format(f)
            if fmt == "pdf":
                raise InputError("a PDF among page images")
            n = count_pages(f, fmt)
        except InputError as exc:
            return Item(
                item_id=item_id,
                source=str(folder),
                error=f"page file {f.name}: {exc}",
                files=tuple(map(str, files)),
            )
        pages.extend(PageRef(path=str(f), fmt=fmt, index=i) for i in range(n))
    return Item(item_id=item_id, source=str(folder), pages=tuple(pages), files=tuple(map(str, files)))


def discover(inputs: list[str | Path], exclude: Path | None = None) -> list[Item]:
    """Every item under the inputs, in a stable order; unreadable files become failed items.

    ``exclude`` (the output folder) is never walked.
    """
    items: list[Item] = []
    seen: set[str] = set()
    exclude = exclude.resolve() if exclude is not None else None

    def add(item: Item) -> None:
        if item.item_id in seen:
            # a.pdf beside a.tif: keep both, the later one named with its extension
            base = item.item_id + Path(item.source).suffix
            new_id, n = base, 2
            while new_id in seen:
                new_id, n = f"{base}~{n}", n + 1
            log.warning("two inputs map to item id %r; %s becomes %r", item.item_id, item.source, new_id)
            item = replace(item, item_id=new_id)
        seen.add(item.item_id)
        items.append(item)

    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            add(Item(item_id=path.stem or str(path), source=str(path), error="the input does not exist"))
            continue
        if path.is_file():
            add(_file_item(path, _item_id(path, None)))
            continue
        if is_page_folder(path):
            add(_folder_item(path, path.resolve().name))
            continue
        for dirpath, dirnames, filenames in os.walk(path):
            d = Path(dirpath)
            if exclude is not None and d.resolve() == exclude:
                dirnames[:] = []
                continue
            keep = []
            for name in sorted(dirnames, key=natural_key):
                sub = d / name
                if name.startswith(".") or (exclude is not None and sub.resolve() == exclude):
                    continue
                if is_page_folder(sub):
                    add(_folder_item(sub, _item_id(sub, path)))
                else:
                    keep.append(name)
            dirnames[:] = keep
            for name in sorted(filenames, key=natural_key):
                f = d / name
                if f.name.startswith(".") or name.lower() in SIDECAR_NAMES:
                    continue
                if f.suffix.lower() in SIDECAR_EXTENSIONS:
                    log.debug("skipping %s (not a scan)", f)
                    continue
                add(_file_item(f, _item_id(f, path)))
    return items
