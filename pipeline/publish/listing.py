"""The site's listing pages, as data: every published item's catalogue entry, and the pages that
list them (all items, one year, one issuer, the issuers), split into pages of
:data:`PAGE_ROWS` rows so that no page grows with the archive.

Paths (relative to SITE; the first page of a listing has the plain name):

- ``index.html``, ``page/2.html`` …: every item, newest first;
- ``year/2014.html``, ``year/2014/2.html`` …: the items of one year;
- ``issuer/<slug>.html``, ``issuer/<slug>/2.html`` …: the items of one issuer;
- ``issuers.html``, ``issuers/2.html`` …: every issuer with its number of items.

Pure functions of the entries: :mod:`.site` renders each :class:`Listing` with
``site-index.html`` (or ``site-issuers.html``) and writes only the pages whose text changed.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ...parsers.rules import DOC_NUMBER_YEAR
from ...parsers.title import title_genre

# rows on one listing page: 100 rows are about 40 KB of HTML
PAGE_ROWS = 100
# issuers on one page of the issuers' list
ISSUER_ROWS = 500
# the issuers linked from every listing page (and offered in the search's issuer filter), by
# number of items; the rest are on issuers.html
TOP_ISSUERS = 30
# years shown on every listing page (all of them, newest first, up to this many)
MAX_YEARS = 200


def slug(text: str) -> str:
    """A file name for any id or name: ASCII letters, digits, ``.-_`` kept, the rest replaced,
    and a short hash of the original when anything was replaced (so ``a/b`` and ``a_b`` differ)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "x"
    if safe != text:
        safe = f"{safe[:60]}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"
    return safe


@dataclass(frozen=True)
class Listing:
    """One page of a listing: its path, heading, rows and where its neighbours are."""

    path: str  # relative to SITE
    heading: str
    rows: list[dict[str, Any]]
    number: int  # 1-based page number
    pages: list[str]  # the paths of every page of this listing, in order
    total: int  # items in the whole listing
    search: dict[str, str] = field(default_factory=dict)  # filters the page's search starts with

    @property
    def root(self) -> str:
        """The relative way from this page up to SITE."""
        return "../" * self.path.count("/")


def entry(data: dict[str, Any], item_slug: str, has_pdf: bool) -> dict[str, Any]:
    """An item's catalogue entry: what the listings, the search filters and its page show."""
    date = field_text(data, "issue_date")
    year = date[:4] if date else ""
    if not year:
        m = DOC_NUMBER_YEAR.search(field_text(data, "doc_number"))
        year = m.group(1) if m else ""
    issuer = field_text(data, "issuer") or field_text(data, "signatories").split("；")[0]
    title = field_text(data, "title")
    return {
        "id": data["item_id"],
        "url": f"items/{item_slug}.html",
        "pdf": f"items/{item_slug}.pdf" if has_pdf else "",
        "title": title or data["item_id"],
        "doc_number": field_text(data, "doc_number"),
        "issuer": issuer,
        "issuer_url": f"issuer/{slug(issuer)}.html" if issuer else "",
        "date": date,
        "year": year,
        "genre": (title_genre(title) or "") if title else "",
    }


def field_text(data: dict, name: str) -> str:
    """A field's value as text (a list joined with ；), '' when it has none."""
    f = (data.get("fields") or {}).get(name)
    if not isinstance(f, dict) or f.get("value") is None:
        return ""
    v = f["value"]
    return "；".join(map(str, v)) if isinstance(v, list) else str(v)


def newest_first(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By date, or by the year of the 文号 when there is no date (2015 before 2014-01-24); the
    undated last."""
    return sorted(entries, key=lambda e: (e["date"] or e["year"] or "0000", e["id"]), reverse=True)


def page_paths(first: str, count: int) -> list[str]:
    """``first`` and the paths of the pages after it, in a folder named after it (so no name
    of an issuer can meet them): ``year/2014.html`` → ``year/2014/2.html``; the index's are
    ``page/2.html`` …"""
    stem = "page" if first == "index.html" else first[: -len(".html")]
    return [first] + [f"{stem}/{k}.html" for k in range(2, count + 1)]


def paged(first: str, heading: str, rows: list[dict[str, Any]], size: int,
          search: dict[str, str] | None = None) -> list[Listing]:
    """``rows`` as the pages of one listing whose first page is ``first`` (at least one page,
    empty when there are no rows)."""
    chunks = [rows[k: k + size] for k in range(0, len(rows), size)] or [[]]
    paths = page_paths(first, len(chunks))
    return [
        Listing(path=p, heading=heading, rows=chunk, number=k + 1, pages=paths, total=len(rows),
                search=dict(search or {}))
        for k, (p, chunk) in enumerate(zip(paths, chunks))
    ]


def _most_first(values) -> list[tuple[str, int]]:
    """Each value with how often it comes, the most frequent first, then by value."""
    return sorted(Counter(v for v in values if v).items(), key=lambda kv: (-kv[1], kv[0]))


def issuers(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every issuer with its page and number of items, most items first, then by name."""
    return [{"name": name, "url": f"issuer/{slug(name)}.html", "count": n}
            for name, n in _most_first(e["issuer"] for e in entries)]


def years(entries: list[dict[str, Any]]) -> list[str]:
    return sorted({e["year"] for e in entries if e["year"]}, reverse=True)[:MAX_YEARS]


def genres(entries: list[dict[str, Any]]) -> list[str]:
    return [g for g, _ in _most_first(e.get("genre") for e in entries)]


def listings(entries: list[dict[str, Any]]) -> list[Listing]:
    """Every listing page of the site, for ``entries`` newest first."""
    pages = paged("index.html", "公开文件", entries, PAGE_ROWS)
    by_year: dict[str, list[dict[str, Any]]] = {}
    by_issuer: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        if e["year"]:
            by_year.setdefault(e["year"], []).append(e)
        if e["issuer"]:
            by_issuer.setdefault(e["issuer"], []).append(e)
    for y in sorted(by_year, reverse=True):
        pages += paged(f"year/{y}.html", f"{y}年", by_year[y], PAGE_ROWS, {"year": y})
    for name in sorted(by_issuer):
        pages += paged(f"issuer/{slug(name)}.html", name, by_issuer[name], PAGE_ROWS, {"issuer": name})
    return pages


def issuer_pages(every_issuer: list[dict[str, Any]]) -> list[Listing]:
    """The pages of the list of every issuer (``issuers.html`` …), given :func:`issuers`."""
    return paged("issuers.html", "发文机关", every_issuer, ISSUER_ROWS)
