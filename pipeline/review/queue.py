"""The queue (``/``): the items to review, those needing a look first, filtered and shown in
pages; and, without reviewer accounts, the reviewer's name (``/reviewer``), which every change
records (with accounts it is the logged-in user's, and ``/reviewer`` answers 403)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, session

from .requests import MAX_START, Nav, int_value, safe_next
from .store import FILTERS, ReviewInputError, check_reviewer
from .web import accounts_on, app_state, render

bp = Blueprint("queue", __name__)


@bp.get("/")
def queue() -> Response:
    state = app_state()
    store, page_rows = state.store, state.page_rows
    nav = Nav.from_args(request.args)
    start = int_value(request.args.get("start"), "start", 0, MAX_START, default=0)
    total = store.queue_count(nav.show, nav.issuer or None, nav.year)
    rows = store.queue(nav.show, nav.issuer or None, nav.year, limit=page_rows, offset=start)
    issuers, years = store.facets()
    return render(
        "review-queue.html", rows=rows, nav=nav, counts=store.counts(), issuers=issuers, years=years,
        filters=FILTERS, start=start, total=total, page_rows=page_rows,
        unreadable=store.unreadable,
    )


@bp.post("/reviewer")
def set_reviewer() -> Response:
    if accounts_on():
        abort(403, description="本审核系统使用账户：每一处修改都记在登录的用户名下，不能另填姓名。")
    try:
        session["reviewer"] = check_reviewer(request.form.get("reviewer"))
    except ReviewInputError as exc:
        flash(str(exc), "error")
    return redirect(safe_next(request.form.get("next")), code=303)
