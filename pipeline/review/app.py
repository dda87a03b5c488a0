"""The review web app (``gongwen review OUT``): archivists check and correct the extracted values
beside the scan; every change goes into the audit trail of :mod:`.store`.

Flask (WSGI) served by waitress.  Pages work without JavaScript (every change is a form POST);
``review.js`` adds keyboard navigation and the box of the focused value on the page image.

:func:`create_app` configures the app and registers its parts:

- :mod:`.queue`: the queue (``/``) and the reviewer's name (``/reviewer``);
- :mod:`.items`: an item's page, saving and approving, undo, reopening;
- :mod:`.pages`: page images and the app's css and js;
- :mod:`.web`: what they share (the store, rendering) and the hooks: the CSRF check, the
  security headers, the error pages;
- :mod:`.requests`: every value a request gives, checked once (a bad one answers 400).

Security: a CSRF token on every POST, the reviewer's name required before any change, jinja2
autoescaping, a Content-Security-Policy without inline script, and page images served only by
(known item, page number), resolved inside ``OUT/.gongwen/pages``.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.exceptions import HTTPException

from ..export.html import DEFAULT_TEMPLATES, environment
from ..export.outdir import OutDir
from . import items, pages, queue
from .requests import ItemIdConverter, safe_next
from .store import ReviewStore, UnreadableItem
from .web import EXTENSION, AppState, check_csrf, http_error, security_headers, unreadable_item

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "create_app", "is_local", "safe_next", "serve"]

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
SERVER_THREADS = 4
QUEUE_PAGE_ROWS = 200


def create_app(store: ReviewStore, templates: Path | None = None) -> Flask:
    """The review app of ``store``; ``templates``: a folder whose templates, review.css and
    review.js are used before the app's own."""
    app = Flask(__name__, static_folder=None)
    app.config.update(
        SECRET_KEY=_secret_key(store.out),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        MAX_FORM_PARTS=20_000,
    )
    app.extensions[EXTENSION] = AppState(
        store=store,
        env=environment(str(templates) if templates else None),
        folders=(templates, DEFAULT_TEMPLATES) if templates else (DEFAULT_TEMPLATES,),
        page_rows=QUEUE_PAGE_ROWS,
    )
    app.url_map.converters["item"] = ItemIdConverter
    for blueprint in (queue.bp, items.bp, pages.bp):
        app.register_blueprint(blueprint)
    app.before_request(check_csrf)
    app.after_request(security_headers)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(UnreadableItem, unreadable_item)
    return app


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
