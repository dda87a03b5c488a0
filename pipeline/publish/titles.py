"""The titles a site opened from the disk searches (``titles/0.js`` …): each item's title, 文号,
issuer, date, year and 文种 in script files of :data:`TITLES_PER_CHUNK` items, which
``search.js`` loads only when the site is opened from ``file://``, where a browser lets no page
fetch the full-text index's files (:mod:`.textindex`)."""

from __future__ import annotations

import json
from typing import Any

TITLES_DIR = "titles"
TITLES_PER_CHUNK = 1000  # about 130 KB of script a chunk
TITLE_KEYS = ("url", "title", "doc_number", "issuer", "date", "year", "genre")


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
