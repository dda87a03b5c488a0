"""The review web app (``gongwen review OUT``): archivists check and correct the extracted values
beside the scan; every change goes into the audit trail of :mod:`.review_store`.

Flask (WSGI) served by waitress.  Pages work without JavaScript (every change is a form POST);
``review.js`` adds keyboard navigation and the box of the focused value on the page image.
Security: a CSRF token (kept in the signed session cookie) on every POST, the reviewer's name
required before any change, jinja2 autoescaping, a Content-Security-Policy without inline
script, and page images served only by (known item, page number), resolved inside
``OUT/.gongwen/pages``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import logging
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

from flask import Flask, Response, abort, flash, redirect, request, send_file, session, url_for
from PIL import Image
from werkzeug.exceptions import HTTPException
from werkzeug.routing import PathConverter

from .corrections import (
    ANNOTATION_KIND_LABELS,
    ANNOTATION_KINDS,
    PUBLICATION_LABELS,
    PUBLICATION_PATH,
    all_editables,
    annotation_editables,
    circular_editables,
    circulation_editables,
    table_editables,
    value_text,
)
from ...parsers.model import REVIEW_THRESHOLD
from ..export.outdir import DOCUMENT_JSON, OutDir
from ..export.files import atomic_write_bytes
from ..export.html import environment
from ..publish.site import document_disclosure
from .store import (
    APPROVE,
    FILTERS,
    REVIEWED,
    ReviewConflict,
    ReviewInputError,
    ReviewStore,
    UnreadableItem,
    check_reviewer,
    local_time,
    page_image,
)

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
SERVER_THREADS = 4
QUEUE_PAGE_ROWS = 200
STATIC_FILES = {"review.css": "text/css", "review.js": "text/javascript"}
IMAGE_MAX_AGE = 3600
CSRF_FIELD = "csrf_token"
SEEN_PREFIX, VALUE_PREFIX = "s:", "v:"
CSP = (
    "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _secret_key(out: Path) -> bytes:
    """The key that signs session cookies, kept in OUT so sessions outlive a restart."""
    path = OutDir(out).review_secret
    if path.exists():
        return path.read_bytes()
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another server on the same OUT made it a moment ago
        return path.read_bytes()
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


# -- request values ---------------------------------------------------------------------------
#
# Every value a request gives is checked here, once, and a bad one answers 400 with a message
# on the error page (as datasette answers a bad ``_size``): never a 500 from int() of "①" or a
# number too large for the database, never a silent other meaning.

MAX_INT = 2**31 - 1  # the largest id and version a database column (INTEGER) holds everywhere
MAX_START = 10**9
YEARS = (1000, 9999)
MAX_ISSUER_CHARS = 400
MAX_FIELD_CHARS = 200
ACTIONS = ("save", APPROVE)
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
    """An item id in a URL: like ``<path:…>`` (slashes kept) but any character, a newline too
    (werkzeug's path matches ``.``, which stops at a newline)."""

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


def create_app(store: ReviewStore, templates: Path | None = None) -> Flask:
    app = Flask(__name__, static_folder=None)
    app.url_map.converters["item"] = ItemIdConverter
    app.config.update(
        SECRET_KEY=_secret_key(store.out),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        MAX_FORM_PARTS=20_000,
    )
    env = environment(str(templates) if templates else None)
    templates_dirs = ([templates] if templates else []) + [Path(__file__).resolve().parents[2] / "templates"]

    def render(name: str, status: int = 200, **context: Any) -> Response:
        context.update(
            reviewer=session.get("reviewer", ""), csrf=csrf_token(), threshold=REVIEW_THRESHOLD,
            request_path=_here() if request.method == "GET" else "/", item_url=item_url, page_url=page_url, url=url_for,
            messages=_messages(), css=url_for("static_file", name="review.css"),
            js=url_for("static_file", name="review.js"),
        )
        return Response(env.get_template(name).render(**context), status=status, mimetype="text/html")

    def csrf_token() -> str:
        if CSRF_FIELD not in session:
            session[CSRF_FIELD] = secrets.token_urlsafe(32)
        return session[CSRF_FIELD]

    @app.before_request
    def check_csrf() -> None:
        if request.method == "POST":
            sent = request.form.get(CSRF_FIELD, "")
            expected = session.get(CSRF_FIELD, "")
            if not sent or not expected or not hmac.compare_digest(sent, expected):
                abort(400, description="表单已过期或来源不明（CSRF 校验失败）：请重新打开页面后再提交。")

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        return render("review-error.html", status=exc.code or 500, code=exc.code, message=exc.description)

    @app.errorhandler(UnreadableItem)
    def unreadable_item(exc: UnreadableItem) -> Response:
        log.warning("%s", exc)
        return render("review-error.html", status=500, code=500, message=(
            f"此件的 {DOCUMENT_JSON} 无法读取，请重新转换此件后再审核（{exc}）。"
        ))

    def reviewer_or_403() -> str:
        try:
            return check_reviewer(session.get("reviewer"))
        except ReviewInputError as exc:
            abort(403, description=f"{exc}：请先在页面顶部填写姓名。")

    @app.get("/")
    def queue() -> Response:
        nav = Nav.from_args(request.args)
        start = int_value(request.args.get("start"), "start", 0, MAX_START, default=0)
        total = len(store.queue_ids(nav.show, nav.issuer or None, nav.year))
        rows = store.queue(nav.show, nav.issuer or None, nav.year, limit=QUEUE_PAGE_ROWS, offset=start)
        issuers, years = store.facets()
        return render(
            "review-queue.html", rows=rows, nav=nav, counts=store.counts(), issuers=issuers, years=years,
            filters=FILTERS, reviewed=REVIEWED, start=start, total=total, page_rows=QUEUE_PAGE_ROWS,
            unreadable=store.unreadable,
        )

    @app.post("/reviewer")
    def set_reviewer() -> Response:
        try:
            session["reviewer"] = check_reviewer(request.form.get("reviewer"))
        except ReviewInputError as exc:
            flash(str(exc), "error")
        return redirect(safe_next(request.form.get("next")), code=303)

    def item_page(item_id: str, status: int = 200, typed: dict[str, str] | None = None,
                  conflicts: dict[str, Any] | None = None) -> Response:
        state = store.state(item_id)
        if state is None:
            abort(404, description="没有这一件。")
        nav = Nav.from_args(request.args)
        order = store.queue_ids(nav.show, nav.issuer or None, nav.year)
        pos = order.index(item_id) if item_id in order else None
        prev_id = order[pos - 1] if pos is not None and pos > 0 else None
        next_id = _next_in(order, item_id)
        doc = state.current
        pages = [
            {"number": p.number, "width": p.width or 1, "height": p.height or 1, "kind": p.kind,
             "has_image": page_image(store.out, item_id, p.number) is not None}
            for p in doc.pages
        ]
        selected = text_value(request.args.get("field"), "field", MAX_FIELD_CHARS)
        sel = next((e for e in all_editables(doc) if e.path == selected), None) if selected else None
        return render(
            "review-item.html", status=status, item=state.row, doc=doc, nav=nav, pages=pages,
            circular=circular_editables(doc), circulation=circulation_editables(doc),
            annotations=annotation_editables(doc), tables=table_editables(doc),
            kinds=ANNOTATION_KINDS, kind_labels=ANNOTATION_KIND_LABELS,
            history=list(reversed(state.history)), typed=typed or {}, conflicts=conflicts or {},
            selected=selected, sel=sel, position=(pos + 1 if pos is not None else None), total=len(order),
            prev_id=prev_id, next_id=next_id, reviewed_at=local_time(state.row["reviewed_at"]),
            errors=[e.message for e in doc.errors], publication=_publication(doc),
        )

    @app.get("/item/<item:item_id>")
    def item(item_id: str) -> Response:
        return item_page(item_id)

    @app.post("/save/<item:item_id>")
    def save(item_id: str) -> Response:
        reviewer = reviewer_or_403()
        nav = Nav.from_args(request.args)
        edits = {
            key[len(VALUE_PREFIX):]: (request.form.get(SEEN_PREFIX + key[len(VALUE_PREFIX):], ""), value)
            for key, value in request.form.items()
            if key.startswith(VALUE_PREFIX)
        }
        typed = {path: typed for path, (_, typed) in edits.items()}
        approve = choice_value(request.form.get("action"), "action", ACTIONS, "save") == APPROVE
        version = int_value(request.form.get("version"), "version")
        order = store.queue_ids(nav.show, nav.issuer or None, nav.year)
        try:
            result = store.save(item_id, reviewer, edits, seen_version=version, approve=approve)
        except ReviewConflict as exc:
            flash(str(exc), "error")
            return item_page(item_id, 409, typed, {c.path: c for c in exc.conflicts})
        except ReviewInputError as exc:
            flash(str(exc), "error")
            return item_page(item_id, 400, typed)
        for warning in result.warnings:
            flash(warning, "warning")
        if result.saved:
            flash(f"已保存 {len(result.saved)} 处修改。", "ok")
        if approve:
            flash(f"已批准：{item_id}", "ok")
            following = _next_in(order, item_id)
            if following:
                return redirect(url_for("item", item_id=following) + "?" + nav.query(), code=303)
            return redirect(url_for("queue") + "?" + nav.query(), code=303)
        if not result.saved:
            flash("没有改动。", "ok")
        return redirect(url_for("item", item_id=item_id) + "?" + nav.query(), code=303)

    @app.post("/undo/<item:item_id>")
    def undo(item_id: str) -> Response:
        reviewer = reviewer_or_403()
        nav = Nav.from_args(request.args)
        correction = int_value(request.form.get("correction"), "correction", 1, required=True)
        try:
            path = store.undo(item_id, correction, reviewer)
        except ReviewConflict as exc:
            flash(str(exc), "error")
            return item_page(item_id, 409)
        except ReviewInputError as exc:
            abort(400, description=str(exc))
        flash(f"已撤销对 {path} 的修改。", "ok")
        return redirect(url_for("item", item_id=item_id) + "?" + nav.query(field=path), code=303)

    @app.post("/reopen/<item:item_id>")
    def reopen(item_id: str) -> Response:
        reviewer = reviewer_or_403()
        nav = Nav.from_args(request.args)
        try:
            store.reopen(item_id, reviewer)
        except ReviewInputError as exc:
            abort(400, description=str(exc))
        flash("已撤回批准，此件重新待审。", "ok")
        return redirect(url_for("item", item_id=item_id) + "?" + nav.query(), code=303)

    @app.get("/page/<int:number>/<item:item_id>")
    def page(number: int, item_id: str) -> Response:
        pages = store.page_count(item_id)
        if pages is None or not 1 <= number <= pages:
            abort(404, description="没有这一页。")
        path = page_image(store.out, item_id, number)
        if path is None:
            abort(404, description="这一页的图像未保留。")
        if path.suffix.lower() != ".jpg":
            path = _png_copy(store.out, item_id, number, path)
        return send_file(path, max_age=IMAGE_MAX_AGE, conditional=True)

    @app.get("/static/<name>")
    def static_file(name: str) -> Response:
        if name not in STATIC_FILES:
            abort(404)
        for folder in templates_dirs:
            candidate = folder / name
            if candidate.is_file():
                return Response(candidate.read_bytes(), mimetype=STATIC_FILES[name], headers={"Cache-Control": "max-age=300"})
        abort(404)

    return app


def _publication(doc) -> dict[str, Any]:
    """The publication control of an item: the reviewer's decision ("" for none), the choices,
    what publishing will do and why, and what the 附注 alone would decide."""
    review = doc.review
    at = review.publication_at if review is not None else None
    try:
        when = local_time(dt.datetime.fromisoformat(at.rstrip("Z"))) if at else ""
    except ValueError:
        when = at or ""
    return {
        "path": PUBLICATION_PATH,
        "value": value_text(doc, PUBLICATION_PATH),
        "choices": list(PUBLICATION_LABELS.items()),
        "labels": PUBLICATION_LABELS,
        "effective": document_disclosure(doc),
        "marking": document_disclosure(doc, reviewer=False),
        "by": review.publication_by if review is not None else None,
        "at": when,
    }


def item_url(item_id: str) -> str:
    return url_for("item", item_id=item_id)


def page_url(item_id: str, number: int) -> str:
    return url_for("page", item_id=item_id, number=number)


def _next_in(order: list[str], item_id: str) -> str | None:
    if item_id in order:
        pos = order.index(item_id)
        return order[pos + 1] if pos + 1 < len(order) else None
    return order[0] if order else None


def _here() -> str:
    """This request's path and query, quoted as a URL (``request.full_path`` has the path
    decoded: an item id's newline would be a raw newline), for the forms' ``next``."""
    query = request.query_string.decode("ascii", "replace")
    return quote(request.path, safe="/") + (f"?{query}" if query else "")


def _messages() -> list[tuple[str, str]]:
    from flask import get_flashed_messages

    return list(get_flashed_messages(with_categories=True))


def _png_copy(out: Path, item_id: str, number: int, source: Path) -> Path:
    """A browser-ready PNG of a bilevel (G4 TIFF) page, made once and kept beside the pages."""
    root = OutDir(out).review_png_root.resolve()
    target = OutDir(out).review_png(item_id, number).resolve()
    if not target.is_relative_to(root):
        abort(404)
    if not target.exists() or target.stat().st_mtime_ns < source.stat().st_mtime_ns:
        import io

        with Image.open(source) as img:
            buf = io.BytesIO()
            img.save(buf, format="PNG", optimize=False)
        atomic_write_bytes(target, buf.getvalue())
    return target


def serve(
    out: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, db: str | None = None,
    templates: Path | None = None,
) -> None:
    """Load OUT's items into the review database and serve the app until interrupted."""
    from waitress import serve as waitress_serve

    store = ReviewStore(out, db)
    try:
        count = store.sync()
        log.info("%d items loaded for review from %s", count, out)
        waitress_serve(create_app(store, templates), host=host, port=port, threads=SERVER_THREADS, ident="gongwen-review")
    finally:
        store.close()
