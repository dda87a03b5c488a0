"""The bundle: every page of a truth in page order, numbered, overlays applied, then degraded
like a scan, with its page truth."""

from __future__ import annotations

import random
import zlib

import numpy as np
from PIL import Image

from .circular import _draw_imprint, _imprint_height, _render_circular
from .degrade import _map_box, _page_rotation, degrade_page
from .furniture import _page_number
from .layouts import render_layout
from .page import BOTTOM, DPI, INK, LP, TOP, _Page, _reink
from .schema import OTHER_LAYOUTS, validate_truth
from .slip import _render_slip
from .slip_forms import render_slip_form
from .stamp_forms import stamp_receipt
from .tables import _render_annex


def _finish(page: _Page) -> None:
    for _prio, fn in sorted(page.late, key=lambda t: t[0]):
        fn()
    page.late = []
    page.blocks.sort(key=lambda b: b["_order"])
    for i, b in enumerate(page.blocks):
        del b["_order"]
        b["line"] = i


def _truth_seed(truth: dict) -> int:
    deg = truth.get("degradation") or {}
    if deg.get("seed") is not None:
        return int(deg["seed"])
    return zlib.crc32(str(truth.get("id", "")).encode("utf-8"))


def _stamp_receipt(c: dict, by_kind: dict, rng: random.Random) -> None:
    """A slip-form family's 收文 stamp (receipt with a place) on the first circular page or the slip;
    the older receipts are stamped by circular._furnish."""
    rc = c.get("receipt") or {}
    place = rc.get("place")
    if place == "circular" and by_kind.get("circular"):
        stamp_receipt(by_kind["circular"][0], rc, rng)
    elif place == "slip" and by_kind.get("slip"):
        stamp_receipt(by_kind["slip"][0], rc, rng, slip=True)


def render_clean(truth: dict) -> list[_Page]:
    """Render the bundle without degradation: _Page objects (img, kind, blocks) in page order."""
    validate_truth(truth)
    rng = random.Random(_truth_seed(truth))
    c = truth["circular"]
    order = truth["page_order"]
    imprint_separate = "imprint" in order
    by_kind: dict[str, list[_Page]] = {}
    layout = truth.get("layout") or "gb9704"
    circ = _render_circular(truth, rng) if layout == "gb9704" else render_layout(truth, rng)
    number = 0
    numbering = c.get("page_numbers") or "gb"
    for p in circ:
        number += 1
        if numbering == "gb":
            _page_number(p, number)
        else:
            _page_number(p, number, numbering, len(circ))
    by_kind["other" if layout in OTHER_LAYOUTS else "circular"] = circ
    annex_pages: list[_Page] = []
    for t, annex in enumerate(truth.get("annexes") or []):
        for p in _render_annex(annex, t + 1):
            number += 1
            _page_number(p, number)
            annex_pages.append(p)
    by_kind["annex"] = annex_pages
    # a Taiwanese 函 prints its 副本 (cc) among its elements, not in a 版记
    has_imprint = bool(c.get("printed_by") or c.get("cc")) and layout != "taiwan"
    by_kind["imprint"] = []
    if has_imprint:
        if imprint_separate:
            p = _Page("imprint")
            _draw_imprint(p, c, BOTTOM)
            by_kind["imprint"] = [p]
        else:
            last = (annex_pages or circ)[-1]
            used = getattr(last, "_bottom_used", None)
            if used is None:
                used = max((b["bbox"][3] for b in last.blocks if b["role"] != "page_number"), default=TOP)
            if used + 0.3 * LP + _imprint_height(c) <= BOTTOM:
                _draw_imprint(last, c, BOTTOM)
            else:
                p = _Page("imprint")
                _draw_imprint(p, c, BOTTOM)
                by_kind["imprint"] = [p]
    slip = truth.get("slip")
    by_kind["slip"] = [(render_slip_form if slip.get("form") else _render_slip)(slip, rng)] if slip else []
    _stamp_receipt(c, by_kind, rng)
    pages: list[_Page] = []
    for kind in order:
        pages += by_kind.get(kind, [])
    if not imprint_separate:
        pages += by_kind["imprint"]
    if (truth.get("print") or {}).get("ink") == "red":     # the whole document printed in red
        for p in pages:
            if p.kind != "slip":
                _reink(p, INK["red"])
    for p in pages:
        _finish(p)
    return pages


def render_bundle(truth: dict, degrade: bool = True) -> tuple[list[Image.Image], list[dict]]:
    """Render a truth dict: (page images as RGB PIL images, page truth list).

    With degrade=False the pages are the clean upright renders (bbox_scan equals bbox)."""
    pages = render_clean(truth)
    deg = dict(truth.get("degradation") or {})
    seed = _truth_seed(truth)
    images, page_truth = [], []
    for i, p in enumerate(pages):
        prng = random.Random(seed * 7919 + i)
        skew = float(deg.get("skew_deg", 0.0) or 0.0) + (prng.uniform(-0.25, 0.25) if deg.get("skew_deg") else 0.0)
        rot = _page_rotation(deg, i)
        if degrade:
            params = dict(deg, skew_deg=skew, rotation=rot)
            arr, M = degrade_page(np.asarray(p.img), params, seed * 1009 + i)
            img = Image.fromarray(arr)
        else:
            img, M, skew, rot = p.img, np.eye(3), 0.0, 0
        w, h = img.size
        blocks = []
        for b in p.blocks:
            b = dict(b)
            b["bbox_scan"] = _map_box(M, b["bbox"], w, h)
            blocks.append(b)
        images.append(img)
        page_truth.append({"index": i + 1, "kind": p.kind, "width": w, "height": h, "dpi": DPI,
                           "rotation": rot, "skew_deg": round(skew, 3), "blocks": blocks})
    return images, page_truth
