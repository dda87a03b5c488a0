"""What a request gives the review app, checked here once: numbers, short texts, choices, the
``next`` of a form, an item id in a URL, and the queue an item was opened from.

A bad value answers 400 with a message on the error page (as datasette answers a bad
``_size``): never a 500 from int() of "①" or a number too large for the database, never a
silent other meaning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from flask import abort
from werkzeug.routing import PathConverter

from .store import FILTERS, Neighbours, ReviewStore

MAX_INT = 2**31 - 1  # the largest id and version a database column (INTEGER) holds everywhere
MAX_START = 10**9
YEARS = (1000, 9999)
MAX_ISSUER_CHARS = 400
MAX_FIELD_CHARS = 200
_ASCII_INT = re.compile(r"[0-9]{1,19}")


def _shown(raw: str) -> str:
    """A bad value as the message quotes it: short, its control characters visible."""
    return repr(raw[:40] + ("…" if len(raw) > 40 else ""))


def int_value(raw: str | None, name: str, lo: int = 0, hi: int = MAX_INT, default: int | None = None,
              required: bool = False) -> int | None:
    """An integer of a request: ASCII digits only (not ① or ٣, which ``str.isdigit`` accepts),
    within [lo, hi]; empty or absent gives ``default`` (400 when ``required``); else 400."""
    if raw is None or raw == "":
        if required:
            abort(400, description=f"缺少参数 {name}（须为 {lo}–{hi} 的整数）。")
        return default
    if not _ASCII_INT.fullmatch(raw) or not lo <= int(raw) <= hi:
        abort(400, description=f"参数 {name} 须为 {lo}–{hi} 的整数（阿拉伯数字 0–9），{_shown(raw)} 不是。")
    return int(raw)


def text_value(raw: str | None, name: str, max_chars: int) -> str:
    """A short text of a request (a filter, a field path): at most ``max_chars`` characters, no
    control characters (a newline, a NUL); else 400."""
    raw = raw or ""
    if len(raw) > max_chars:
        abort(400, description=f"参数 {name} 过长（最多 {max_chars} 字）。")
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        abort(400, description=f"参数 {name} 含控制字符（如换行），{_shown(raw)} 不可用。")
    return raw


def choice_value(raw: str | None, name: str, choices: tuple[str, ...], default: str) -> str:
    """One of ``choices`` (empty or absent: ``default``); else 400."""
    if raw is None or raw == "":
        return default
    if raw not in choices:
        abort(400, description=f"参数 {name} 须为 {'、'.join(choices)} 之一，{_shown(raw)} 不是。")
    return raw


def safe_next(target: str | None) -> str:
    """Where to go back to after a form: only a path of this site, else ``/`` (OWASP's advice on
    unvalidated redirects).  A safe target starts with one ``/`` (not ``//`` or ``/\\``, which
    browsers take for another host), has no whitespace, control character or backslash, also
    after percent-decoding, and no scheme or host when parsed -- also with tabs and newlines
    removed, as browsers remove them (WHATWG URL)."""
    if not target:
        return "/"
    decoded = unquote(target)
    for form in (target, decoded):
        if not form.startswith("/") or form.startswith(("//", "/\\")) or "\\" in form:
            return "/"
        if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in form):
            return "/"
        stripped = re.sub(r"[\t\n\r]", "", form)
        parts = urlsplit(stripped)
        if parts.scheme or parts.netloc or stripped.startswith("//"):
            return "/"
    return target


class ItemIdConverter(PathConverter):
    """An item id in a URL (``<item:item_id>``): like ``<path:…>`` (slashes kept) but any
    character, a newline too (werkzeug's path matches ``.``, which stops at a newline)."""

    regex = "[^/](?s:.*?)"


@dataclass(frozen=True)
class Nav:
    """The queue an item was opened from (its filter), so n/p keep to it."""

    show: str = "needs_review"
    issuer: str = ""
    year: int | None = None

    @classmethod
    def from_args(cls, args: Any) -> Nav:
        """The queue of a request's query string; a bad value answers 400."""
        return cls(
            show=choice_value(args.get("show"), "show", FILTERS, "needs_review"),
            issuer=text_value(args.get("issuer"), "issuer", MAX_ISSUER_CHARS),
            year=int_value(args.get("year"), "year", *YEARS),
        )

    def query(self, **extra: Any) -> str:
        """The query string of this queue, with ``extra`` parameters (or overrides)."""
        params: dict[str, Any] = {"show": self.show, "issuer": self.issuer, "year": self.year}
        params.update(extra)
        return urlencode({k: v for k, v in params.items() if v})

    def neighbours(self, store: ReviewStore, item_id: str, key: tuple[bool, float] | None = None) -> Neighbours:
        """Where ``item_id`` stands in this queue, the items before and after it (``key``: its
        needs_review and min_confidence, when the caller has its row)."""
        return store.neighbours(item_id, self.show, self.issuer or None, self.year, key)
