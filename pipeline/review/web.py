"""What every page of the review app shares: the app's state (kept on the app, so blueprints
reach it through ``current_app``), rendering a template, the reviewer a change needs and the
role an action needs, and the hooks :func:`~.app.create_app` registers: the CSRF check, the
login check, the security headers, the error pages.

Security: a CSRF token (kept in the signed session cookie) on every POST, jinja2 autoescaping
and a Content-Security-Policy without inline script.  With reviewer accounts
(:mod:`.accounts`) every page but the login page and the app's css and js needs a login: the
session keeps the user's name and :func:`~.accounts.session_stamp`, and each request looks the
user up again, so a removed user or a changed password or role takes effect at once.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Response, abort, current_app, g, get_flashed_messages, redirect, request, session, url_for
from jinja2 import Environment
from werkzeug.exceptions import HTTPException

from ...parsers.model import REVIEW_THRESHOLD
from ..export.outdir import DOCUMENT_JSON
from .accounts import ROLE_LABELS, LoginLimiter, User, get_user, has_users, session_stamp
from .store import REVIEWED, ReviewForbidden, ReviewInputError, ReviewStore, UnreadableItem, check_reviewer

log = logging.getLogger(__name__)

EXTENSION = "gongwen.review"
CSRF_FIELD = "csrf_token"
USER_KEY, STAMP_KEY = "user", "auth"  # the session's logged-in user and its stamp
# what needs no login: the login page itself, logging out, the app's css and js
LOGIN_FREE = frozenset({"login.login", "login.logout", "pages.static_file"})
CSP = (
    "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True)
class AppState:
    """What the views of one app share, kept in ``app.extensions[EXTENSION]``."""

    store: ReviewStore
    env: Environment  # the templates, the user's folder first
    folders: tuple[Path, ...]  # where review.css and review.js are looked up, the user's first
    page_rows: int  # rows of the queue shown on one page
    limiter: LoginLimiter  # failed logins, per name and per client address
    accounts_required: bool = False  # served beyond this machine: a login even with no accounts


def app_state() -> AppState:
    """The state of the app that handles this request."""
    return current_app.extensions[EXTENSION]


def render(name: str, status: int = 200, **context: Any) -> Response:
    """The template ``name`` as an HTML response, with what every page shows (the reviewer, the
    CSRF token, messages, links)."""
    user = current_user()
    context.update(
        reviewer=user.name if user else session.get("reviewer", ""), user=user, accounts=accounts_on(),
        admin=is_admin(), role_labels=ROLE_LABELS, csrf=csrf_token(), threshold=REVIEW_THRESHOLD, reviewed=REVIEWED,
        request_path=_here() if request.method == "GET" else "/", item_url=item_url, page_url=page_url, url=url_for,
        messages=list(get_flashed_messages(with_categories=True)),
        css=url_for("pages.static_file", name="review.css"), js=url_for("pages.static_file", name="review.js"),
    )
    html = app_state().env.get_template(name).render(**context)
    return Response(html, status=status, mimetype="text/html")


def item_url(item_id: str) -> str:
    """``url_for("items.item", item_id=…)``, without building the route for each of a queue
    page's 200 rows (a fifth of the page's time): the route's prefix once a request, then the
    id quoted as werkzeug's converters quote it (tests/test_review_app.py checks that
    both agree)."""
    prefix = g.get("item_url_prefix")
    if prefix is None:
        prefix = g.item_url_prefix = url_for("items.item", item_id="x")[:-1]
    return prefix + quote(item_id, safe=_URL_PATH_SAFE)


# what werkzeug's BaseConverter.to_url leaves unquoted in a path (the URL standard's path segment)
_URL_PATH_SAFE = "!$&'()*+,/:;=@"


def page_url(item_id: str, number: int) -> str:
    return url_for("pages.page", item_id=item_id, number=number)


def _here() -> str:
    """This request's path and query, quoted as a URL (``request.full_path`` has the path
    decoded: an item id's newline would be a raw newline), for the forms' ``next``."""
    query = request.query_string.decode("ascii", "replace")
    return quote(request.path, safe="/") + (f"?{query}" if query else "")


def csrf_token() -> str:
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def current_user() -> User | None:
    """The logged-in user of this request; None without accounts (or before a login)."""
    return g.get("user")


def accounts_on() -> bool:
    """Whether this request is served with accounts (a login needed)."""
    return bool(g.get("accounts"))


def is_admin() -> bool:
    """Whether this request may do what the admin role may: without accounts anyone may."""
    user = current_user()
    return not accounts_on() if user is None else user.is_admin


def reviewer_or_403() -> str:
    """The reviewer whom every change of this request names: the logged-in user with accounts,
    else the name this session gave (403 when none is set)."""
    if accounts_on():
        user = current_user()
        if user is None:
            abort(401, description="请先登录。")
        return user.name
    try:
        return check_reviewer(session.get("reviewer"))
    except ReviewInputError as exc:
        abort(403, description=f"{exc}：请先在页面顶部填写姓名。")


def admin_or_403(action: str) -> None:
    """403 (and a line in the log) unless this request may do what the admin role may."""
    if not is_admin():
        user = current_user()
        name = user.name if user else "?"
        log.warning("review: %r refused to %s %s: not an admin", name, request.method, request.path)
        abort(403, description=f"{action}需要管理员权限：{name} 是审核员。")


# -- hooks (registered by create_app) ---------------------------------------------------------


def check_csrf() -> None:
    """Before a request: a POST must carry this session's CSRF token."""
    if request.method == "POST":
        sent = request.form.get(CSRF_FIELD, "")
        expected = session.get(CSRF_FIELD, "")
        if not sent or not expected or not hmac.compare_digest(sent, expected):
            abort(400, description="表单已过期或来源不明（CSRF 校验失败）：请重新打开页面后再提交。")


def check_login() -> Response | None:
    """Before a request: who is logged in (``g.user``), whether accounts are on (``g.accounts``:
    some account exists, or the app serves beyond this machine), and with accounts, a login
    for anything but :data:`LOGIN_FREE` (a page: a redirect to the login; a form: 401)."""
    state = app_state()
    g.user, g.accounts = None, False
    name = session.get(USER_KEY)
    if name is not None:
        user = get_user(state.store, name) if isinstance(name, str) else None
        stamp = session.get(STAMP_KEY)
        if user is not None and isinstance(stamp, str) and hmac.compare_digest(
            stamp, session_stamp(user, current_app.secret_key)
        ):
            g.user, g.accounts = user, True
            return None
        log.info("review: the session of %r ended (user removed or password changed)", name)
        session.pop(USER_KEY, None)
        session.pop(STAMP_KEY, None)
    g.accounts = state.accounts_required or has_users(state.store)
    if not g.accounts or request.endpoint in LOGIN_FREE:
        return None
    if request.method in ("GET", "HEAD"):
        return redirect(url_for("login.login", next=_here()), code=303)
    abort(401, description="请先登录（会话已过期或尚未登录），再重新提交。")


def security_headers(response: Response) -> Response:
    """After a request: the headers every response carries (HTML is never cached)."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
    return response


def http_error(exc: HTTPException) -> Response:
    return render("review-error.html", status=exc.code or 500, code=exc.code, message=exc.description)


def unreadable_item(exc: UnreadableItem) -> Response:
    log.warning("%s", exc)
    return render("review-error.html", status=500, code=500, message=(
        f"此件的 {DOCUMENT_JSON} 无法读取，请重新转换此件后再审核（{exc}）。"
    ))


def forbidden(exc: ReviewForbidden) -> Response:
    user = current_user()
    log.warning("review: %r refused to %s %s: %s", user.name if user else "?", request.method, request.path, exc)
    return render("review-error.html", status=403, code=403, message=str(exc))
