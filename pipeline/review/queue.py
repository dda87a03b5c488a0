"""The queue (``/``): the items to review, those needing a look first, filtered and shown in
pages; and the reviewer's name (``/reviewer``), which every change records."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, request, session

from .requests import MAX_START, Nav, int_value, safe_next
from .store import FILTERS, ReviewInputError, check_reviewer
from .web import app_state, render

bp = Blueprint("queue", __name__)


@bp.get("/")
def queue() -> Response:
    state = app_state()
    store, page_rows = state.store, state.page_rows
    nav = Nav.from_args(request.args)
    start = int_value(request.args.get("start"), "start", 0, MAX_START, default=0)
    total = len(nav.order(store))
    rows = store.queue(nav.show, nav.issuer or None, nav.year, limit=page_rows, offset=start)
    issuers, years = store.facets()
    return render(
        "review-queue.html", rows=rows, nav=nav, counts=store.counts(), issuers=issuers, years=years,
        filters=FILTERS, start=start, total=total, page_rows=page_rows,
        unreadable=store.unreadable,
    )


@bp.post("/reviewer")
def set_reviewer() -> Response:
    try:
        session["reviewer"] = check_reviewer(request.form.get("reviewer"))
    except ReviewInputError as exc:
        flash(str(exc), "error")
    return redirect(safe_next(request.form.get("next")), code=303)
