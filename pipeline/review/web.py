"""What every page of the review app shares: the app's state (kept on the app, so blueprints
reach it through ``current_app``), rendering a template, the reviewer a change needs, and the
hooks :func:`~.app.create_app` registers: the CSRF check, the security headers, the error pages.

Security: a CSRF token (kept in the signed session cookie) on every POST, jinja2 autoescaping
and a Content-Security-Policy without inline script.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Response, abort, current_app, get_flashed_messages, request, session, url_for
from jinja2 import Environment
from werkzeug.exceptions import HTTPException

from ...parsers.model import REVIEW_THRESHOLD
from ..export.outdir import DOCUMENT_JSON
from .store import REVIEWED, ReviewInputError, ReviewStore, UnreadableItem, check_reviewer

log = logging.getLogger(__name__)

EXTENSION = "gongwen.review"
CSRF_FIELD = "csrf_token"
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


def app_state() -> AppState:
    """The state of the app that handles this request."""
    return current_app.extensions[EXTENSION]


def render(name: str, status: int = 200, **context: Any) -> Response:
    """The template ``name`` as an HTML response, with what every page shows (the reviewer, the
    CSRF token, messages, links)."""
    context.update(
        reviewer=session.get("reviewer", ""), csrf=csrf_token(), threshold=REVIEW_THRESHOLD, reviewed=REVIEWED,
        request_path=_here() if request.method == "GET" else "/", item_url=item_url, page_url=page_url, url=url_for,
        messages=list(get_flashed_messages(with_categories=True)),
        css=url_for("pages.static_file", name="review.css"), js=url_for("pages.static_file", name="review.js"),
    )
    html = app_state().env.get_template(name).render(**context)
    return Response(html, status=status, mimetype="text/html")


def item_url(item_id: str) -> str:
    return url_for("items.item", item_id=item_id)


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


def reviewer_or_403() -> str:
    """The reviewer of this session, whom every change names; 403 when none is set."""
    try:
        return check_reviewer(session.get("reviewer"))
    except ReviewInputError as exc:
        abort(403, description=f"{exc}：请先在页面顶部填写姓名。")


# -- hooks (registered by create_app) ---------------------------------------------------------


def check_csrf() -> None:
    """Before a request: a POST must carry this session's CSRF token."""
    if request.method == "POST":
        sent = request.form.get(CSRF_FIELD, "")
        expected = session.get(CSRF_FIELD, "")
        if not sent or not expected or not hmac.compare_digest(sent, expected):
            abort(400, description="表单已过期或来源不明（CSRF 校验失败）：请重新打开页面后再提交。")


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
