"""The files the review pages show: page images, served only by (known item, page number) and
resolved inside ``OUT/.gongwen/pages`` (a bilevel G4 TIFF page as a PNG copy browsers can show),
and the app's own ``review.css`` and ``review.js`` (a templates folder's own first)."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Blueprint, Response, abort, send_file

from ..export.files import atomic_write_bytes
from ..export.outdir import OutDir
from .store import page_image
from .web import app_state

bp = Blueprint("pages", __name__)

STATIC_FILES = {"review.css": "text/css", "review.js": "text/javascript"}
IMAGE_MAX_AGE = 3600


@bp.get("/page/<int:number>/<item:item_id>")
def page(number: int, item_id: str) -> Response:
    store = app_state().store
    pages = store.page_count(item_id)
    if pages is None or not 1 <= number <= pages:
        abort(404, description="没有这一页。")
    path = page_image(store.out, item_id, number)
    if path is None:
        abort(404, description="这一页的图像未保留。")
    if path.suffix.lower() != ".jpg":
        path = _png_copy(store.out, item_id, number, path)
    return send_file(path, max_age=IMAGE_MAX_AGE, conditional=True)


@bp.get("/static/<name>")
def static_file(name: str) -> Response:
    if name not in STATIC_FILES:
        abort(404)
    for folder in app_state().folders:
        candidate = folder / name
        if candidate.is_file():
            return Response(candidate.read_bytes(), mimetype=STATIC_FILES[name], headers={"Cache-Control": "max-age=300"})
    abort(404)


def _png_copy(out: Path, item_id: str, number: int, source: Path) -> Path:
    """A browser-ready PNG of a bilevel (G4 TIFF) page, made once and kept beside the pages."""
    root = OutDir(out).review_png_root.resolve()
    target = OutDir(out).review_png(item_id, number).resolve()
    if not target.is_relative_to(root):
        abort(404)
    if not target.exists() or target.stat().st_mtime_ns < source.stat().st_mtime_ns:
        from PIL import Image  # only here: most pages are JPEGs, sent as they are

        with Image.open(source) as img:
            buf = io.BytesIO()
            img.save(buf, format="PNG", optimize=False)
        atomic_write_bytes(target, buf.getvalue())
    return target
