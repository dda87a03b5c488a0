"""An item's page (``/item/<id>``): its values beside the scan, its history and its publication
decision; and the changes made on it, each a form POST answered by a redirect (303) back into
the queue it was opened from: saving values (and approving), undoing one correction, reopening
an approved item.  With reviewer accounts, what a reviewer without the admin role may not do
(reopen, change an approved item, undo another's correction: see :mod:`.accounts`) answers 403
and writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, request, url_for

from ...parsers.disclosure import document_disclosure
from ...parsers.model import Document
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
from .requests import MAX_FIELD_CHARS, Nav, choice_value, int_value, text_value
from .store import APPROVE, ReviewConflict, ReviewInputError, local_time, page_image
from .web import admin_or_403, app_state, is_admin, item_url, render, reviewer_or_403

bp = Blueprint("items", __name__)

ACTIONS = ("save", APPROVE)
# the save form names a value's input "v:<path>" and the value it was shown with "s:<path>"
SEEN_PREFIX, VALUE_PREFIX = "s:", "v:"


@bp.get("/item/<item:item_id>")
def item(item_id: str) -> Response:
    return item_page(item_id)


def item_page(item_id: str, status: int = 200, typed: dict[str, str] | None = None,
              conflicts: dict[str, Any] | None = None) -> Response:
    """The page of an item; after a refused save, with the values as typed and the conflicts."""
    store = app_state().store
    state = store.state(item_id)
    if state is None:
        abort(404, description="没有这一件。")
    nav = Nav.from_args(request.args)
    around = nav.neighbours(store, item_id, (bool(state.row["needs_review"]), state.row["min_confidence"]))
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
        selected=selected, sel=sel, position=around.position, total=around.total,
        prev_id=around.prev_id, next_id=around.next_id, reviewed_at=local_time(state.row["reviewed_at"]),
        errors=[e.message for e in doc.errors], publication=_publication(doc),
        doubts={d.field: d for d in doc.circular.doubts},
    )


@bp.post("/save/<item:item_id>")
def save(item_id: str) -> Response:
    """Save the values changed in the form; with ``action=approve``, approve the item too and
    go on to the next one of the queue."""
    store = app_state().store
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
    # the next item of the queue as it was before the approval (which takes the item out of it)
    following = nav.neighbours(store, item_id).next_id if approve else None
    try:
        result = store.save(item_id, reviewer, edits, seen_version=version, approve=approve, admin=is_admin())
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
        if following:
            return _to_item(following, nav)
        return redirect(url_for("queue.queue") + "?" + nav.query(), code=303)
    if not result.saved:
        flash("没有改动。", "ok")
    return _to_item(item_id, nav)


@bp.post("/undo/<item:item_id>")
def undo(item_id: str) -> Response:
    reviewer = reviewer_or_403()
    nav = Nav.from_args(request.args)
    correction = int_value(request.form.get("correction"), "correction", 1, required=True)
    try:
        path = app_state().store.undo(item_id, correction, reviewer, admin=is_admin())
    except ReviewConflict as exc:
        flash(str(exc), "error")
        return item_page(item_id, 409)
    except ReviewInputError as exc:
        abort(400, description=str(exc))
    flash(f"已撤销对 {path} 的修改。", "ok")
    return _to_item(item_id, nav, field=path)


@bp.post("/reopen/<item:item_id>")
def reopen(item_id: str) -> Response:
    reviewer = reviewer_or_403()
    admin_or_403("撤回批准")
    nav = Nav.from_args(request.args)
    try:
        app_state().store.reopen(item_id, reviewer)
    except ReviewInputError as exc:
        abort(400, description=str(exc))
    flash("已撤回批准，此件重新待审。", "ok")
    return _to_item(item_id, nav)


def _to_item(item_id: str, nav: Nav, **extra: Any) -> Response:
    """A redirect (303) to an item's page in the queue ``nav``."""
    return redirect(item_url(item_id) + "?" + nav.query(**extra), code=303)


def _publication(doc: Document) -> dict[str, Any]:
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
