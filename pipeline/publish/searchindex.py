"""The site's search: a Pagefind index of the item pages, and a list of titles for a site opened
from the disk.

**Pagefind** (``pagefind[extended]``, the binary from its pinned wheel; the extended build
splits Chinese text into words) indexes ``items/*.html``: the text inside each page's
``data-pagefind-body``, its ``data-pagefind-meta`` (title, 文号, issuer, date) and
``data-pagefind-filter`` (year, issuer, 文种) attributes.  It writes the index as many small
chunks under ``SITE/pagefind/``; a search in the browser fetches only the chunks of its words and
the fragments of the results it shows, so what a query loads does not grow with the archive the
way one index file would.  The index is written into a temporary folder and then put in the
place of the old one.

**Titles** (``titles/0.js`` …): each item's title, 文号, issuer, date, year and 文种 in script
files of :data:`TITLES_PER_CHUNK` items, which ``search.js`` loads only when the site is opened
from ``file://`` (where a browser lets no page fetch Pagefind's files): a search of titles and
文号, without the full text.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PAGEFIND_DIR = "pagefind"
PAGEFIND_GLOB = "items/*.html"
PAGEFIND_EXTRA = "pip install 'pagefind[extended]'"
# an hour is far more than 100,000 pages need; a hung indexer must not hang the publish
PAGEFIND_TIMEOUT_S = 3600
# what Pagefind 1.5.2 (extended, Chinese) holds in memory while it indexes, a page: 0.56 GB at
# 1,000 pages, 4.8 GB at 10,000 (bench/publish_scale.py); a site it cannot index in the memory
# this machine has free is not tried (the kernel would kill it, or worse, something else)
PAGEFIND_BYTES_PER_PAGE = 500_000
PAGEFIND_BASE_BYTES = 100_000_000
TITLES_DIR = "titles"
TITLES_PER_CHUNK = 1000  # about 130 KB of script a chunk
TITLE_KEYS = ("url", "title", "doc_number", "issuer", "date", "year", "genre")


class SearchIndexError(RuntimeError):
    """The search index could not be built (no Pagefind binary, or it failed)."""


def pagefind_executable() -> Path | None:
    """The Pagefind binary of the ``pagefind[extended]`` wheel, or None when it is missing."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-not-found]
    except ImportError:
        return None
    path = Path(get_executable())
    return path if path.is_file() else None


def pagefind_version() -> str:
    """The version of the Pagefind wheel (part of what an index depends on), or ''."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin_extended")
    except PackageNotFoundError:
        return ""


def available_memory() -> int | None:
    """Bytes of memory free for a new process (Linux's MemAvailable), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def build_pagefind(site: Path, pages: int) -> None:
    """Index the ``pages`` item pages of ``site`` into ``site/pagefind``, replacing the index there.

    Raises :class:`SearchIndexError` when Pagefind is missing, would need more memory than is
    free, or fails; the old index then stays."""
    exe = pagefind_executable()
    if exe is None:
        raise SearchIndexError(f"the Pagefind binary is not installed ({PAGEFIND_EXTRA})")
    need, free = PAGEFIND_BASE_BYTES + pages * PAGEFIND_BYTES_PER_PAGE, available_memory()
    if free is not None and need > free:
        raise SearchIndexError(
            f"Pagefind would need about {need / 1e9:.1f} GB of memory to index {pages:,} pages and "
            f"{free / 1e9:.1f} GB are free; publish on a machine with more memory"
        )
    target = site / PAGEFIND_DIR
    new = site / f".{PAGEFIND_DIR}-{os.getpid()}.tmp"
    old = site / f".{PAGEFIND_DIR}-old-{os.getpid()}.tmp"
    for leftover in (new, old):
        shutil.rmtree(leftover, ignore_errors=True)
    cmd = [str(exe), "--site", str(site), "--glob", PAGEFIND_GLOB, "--output-path", str(new), "--quiet"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=PAGEFIND_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(new, ignore_errors=True)
        raise SearchIndexError(f"Pagefind could not run: {exc}") from exc
    if done.returncode != 0 or not (new / "pagefind.js").is_file():
        shutil.rmtree(new, ignore_errors=True)
        said = (done.stderr or done.stdout or "").strip().splitlines()[-5:]
        raise SearchIndexError(f"Pagefind failed (exit code {done.returncode}): {' / '.join(said)}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    log.info("search index of %s written", site)


def title_chunks(entries: list[dict[str, Any]]) -> dict[str, str]:
    """``titles/<k>.js`` → its script: the entries' titles in chunks, for ``file://``."""
    chunks = {}
    for k in range(0, len(entries), TITLES_PER_CHUNK):
        rows = [[e[key] for key in TITLE_KEYS] for e in entries[k: k + TITLES_PER_CHUNK]]
        payload = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        chunks[f"{TITLES_DIR}/{k // TITLES_PER_CHUNK}.js"] = (
            f"window.GONGWEN_TITLES = (window.GONGWEN_TITLES || []).concat({payload});\n"
        )
    return chunks
