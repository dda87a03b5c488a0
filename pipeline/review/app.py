"""The review web app (``gongwen review OUT``): archivists check and correct the extracted values
beside the scan; every change goes into the audit trail of :mod:`.store`.

Flask (WSGI) served by waitress.  Pages work without JavaScript (every change is a form POST);
``review.js`` adds keyboard navigation and the box of the focused value on the page image.

:func:`create_app` configures the app and registers its parts:

- :mod:`.queue`: the queue (``/``) and the reviewer's name (``/reviewer``, without accounts);
- :mod:`.items`: an item's page, saving and approving, undo, reopening;
- :mod:`.pages`: page images and the app's css and js;
- :mod:`.login`: logging in and out, with reviewer accounts (:mod:`.accounts`);
- :mod:`.web`: what they share (the store, rendering, the user and their role) and the hooks:
  the login check, the CSRF check, the security headers, the error pages;
- :mod:`.requests`: every value a request gives, checked once (a bad one answers 400).

Security: a CSRF token on every POST; with reviewer accounts a login for every page (roles
decide what a user may change, see :mod:`.accounts`), without them the reviewer's name required
before any change and only this machine served (:func:`check_host`); session cookies signed,
HttpOnly and SameSite=Lax (Secure with ``secure_cookies``); jinja2 autoescaping, a
Content-Security-Policy without inline script, and page images served only by (known item,
page number), resolved inside ``OUT/.gongwen/pages``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from werkzeug.exceptions import HTTPException

from ...errors import UsageError
from ..export.html import DEFAULT_TEMPLATES, environment
from ..export.outdir import OutDir
from . import items, login, pages, queue
from .accounts import LoginLimiter, has_users
from .requests import ItemIdConverter, safe_next
from .store import ReviewForbidden, ReviewStore, UnreadableItem
from .web import (
    EXTENSION,
    AppState,
    check_csrf,
    check_login,
    forbidden,
    http_error,
    security_headers,
    unreadable_item,
)

__all__ = [
    "DEFAULT_HOST", "DEFAULT_PORT", "beyond_this_machine", "check_host", "create_app", "is_local", "safe_next", "serve",
]

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
SERVER_THREADS = 4
QUEUE_PAGE_ROWS = 200


def create_app(
    store: ReviewStore, templates: Path | None = None, *, accounts_required: bool = False,
    secure_cookies: bool = False, limiter: LoginLimiter | None = None,
) -> Flask:
    """The review app of ``store``; ``templates``: a folder whose templates, review.css and
    review.js are used before the app's own.  ``accounts_required``: a login is needed even
    while the database has no account (an app served beyond this machine then lets nobody in
    rather than everybody); ``secure_cookies``: the session cookie is sent over https only."""
    app = Flask(__name__, static_folder=None)
    app.config.update(
        SECRET_KEY=_secret_key(store.out),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=login.SESSION_HOURS),
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        MAX_FORM_PARTS=20_000,
    )
    app.extensions[EXTENSION] = AppState(
        store=store,
        env=environment(str(templates) if templates else None),
        folders=(templates, DEFAULT_TEMPLATES) if templates else (DEFAULT_TEMPLATES,),
        page_rows=QUEUE_PAGE_ROWS,
        limiter=limiter or LoginLimiter(),
        accounts_required=accounts_required,
    )
    app.url_map.converters["item"] = ItemIdConverter
    for blueprint in (queue.bp, items.bp, pages.bp, login.bp):
        app.register_blueprint(blueprint)
    app.before_request(check_login)
    app.before_request(check_csrf)
    app.after_request(security_headers)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(UnreadableItem, unreadable_item)
    app.register_error_handler(ReviewForbidden, forbidden)
    return app


def is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def beyond_this_machine(host: str, trusted_proxy: str | None = None) -> bool:
    """Whether the app is reached from other machines: bound to an address that is not a
    loopback one, or behind a reverse proxy."""
    return not is_local(host) or bool(trusted_proxy)


def check_host(store: ReviewStore, host: str, trusted_proxy: str | None = None) -> None:
    """Serving beyond this machine needs reviewer accounts: :class:`UsageError` when ``host``
    is not a loopback address (or a reverse proxy forwards to it) and the review database has
    no account."""
    if beyond_this_machine(host, trusted_proxy) and not has_users(store):
        where = f"--host {host}" if not is_local(host) else f"--trusted-proxy {trusted_proxy}"
        raise UsageError(
            f"{where}: serving beyond this machine needs reviewer accounts, and the review "
            f"database has none; add one first: gongwen review {store.out} --add-user NAME --role admin"
        )


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
    templates: Path | None = None, secure_cookies: bool = False, trusted_proxy: str | None = None,
    ready: Callable[[int], None] | None = None,
) -> None:
    """Load OUT's items into the review database and serve the app until interrupted; beyond
    this machine only with reviewer accounts (:func:`check_host`), which the app then always
    requires.  ``trusted_proxy``: the address of a reverse proxy in front, whose
    ``X-Forwarded-For`` and ``X-Forwarded-Proto`` waitress believes (the client's address for
    the login limit and the log).  ``ready`` is called with the number of items before serving
    starts."""
    from waitress import serve as waitress_serve

    store = ReviewStore(out, db)
    try:
        check_host(store, host, trusted_proxy)
        count = store.sync()
        log.info("%d items loaded for review from %s", count, out)
        if ready is not None:
            ready(count)
        app = create_app(
            store, templates, accounts_required=beyond_this_machine(host, trusted_proxy), secure_cookies=secure_cookies,
        )
        proxy = dict(
            trusted_proxy=trusted_proxy, trusted_proxy_count=1, trusted_proxy_headers="x-forwarded-for x-forwarded-proto",
            clear_untrusted_proxy_headers=True,
        ) if trusted_proxy else {}
        waitress_serve(app, host=host, port=port, threads=SERVER_THREADS, ident="gongwen-review", **proxy)
    finally:
        store.close()
