"""The circulation slip (传阅单/文件处理笺/阅文单): ruled reader table, opinion boxes (拟办意见,
领导批示) beside or under it, printed note, and everything written on it by hand."""

from __future__ import annotations

import math
import random

from .fonts import font
from .handwriting import _hand, _hand_wrap
from .page import BOTTOM, INK, LEFT, PAGE_W, RIGHT, _Page, _draw_line, _text_w
from .text import wrap


def _render_slip(slip: dict, rng: random.Random) -> _Page:
    page = _Page("slip")
    title = slip["title"]
    tfs = 84
    w = _text_w(title, "xbs", tfs, 6)
    bb = _draw_line(page, PAGE_W / 2 - w / 2, 300, title, "xbs", tfs, tracking=6)
    page.add("slip_title", title, bb)
    x0, x1 = LEFT - 50, RIGHT + 50
    W = x1 - x0
    keys = slip["column_keys"]
    ncols = len(keys)
    layout = slip.get("layout", "right")
    labels = slip.get("box_labels") or ["拟办意见：", "领导批示："]
    if layout == "right":
        fr = [0.16, 0.12, 0.12, 0.12][:ncols] if ncols == 4 else [0.2, 0.15, 0.15][:ncols]
        fracs = fr + [1 - sum(fr)]
    else:
        fracs = [0.28] + [0.72 / (ncols - 1)] * (ncols - 1)
    xs = [x0]
    for f in fracs:
        xs.append(xs[-1] + f * W)
    readers = slip["rows"]
    nrows = len(readers) + int(slip.get("blank_rows", 0))
    top = 300 + tfs + 110
    lw = 4
    hfs = 50
    black = INK["black"]
    # header fields rows
    y = top
    field_h = 130
    for fi, fld in enumerate(slip.get("fields") or []):
        box_l = (x0, y, xs[1], y + field_h)
        box_v = (xs[1], y, x1, y + field_h)
        page.draw.rectangle(box_l, outline=black, width=lw)
        page.draw.rectangle(box_v, outline=black, width=lw)
        wl = _text_w(fld["label"], "heiti", hfs)
        bb = _draw_line(page, (box_l[0] + box_l[2]) / 2 - wl / 2, y + (field_h - hfs) / 2, fld["label"], "heiti", hfs)
        page.add("slip_header", fld["label"], bb)
        bb = _hand(page, box_v[0] + 40, y + field_h / 2, fld["value"], 60, "black", rng, anchor="lm")
        page.add("slip_cell", fld["value"], bb, "black", field=fld["label"], row=0, col="field", handwritten=True)
        y += field_h
    header_h = 130
    box_rows = 2 if layout == "rows" else 0
    note_space = 420
    avail = BOTTOM + 150 - y - header_h - note_space
    row_h = max(100, min(200 if box_rows else 230, avail / (nrows + box_rows * 2.8)))
    if layout == "right":
        row_h = max(row_h, min(330, 1300 / max(nrows, 1)))
    header_top = y
    # header row
    for c, name in enumerate(slip["columns"]):
        box = (xs[c], y, xs[c + 1], y + header_h)
        page.draw.rectangle(box, outline=black, width=lw)
        wl = _text_w(name, "heiti", hfs)
        bb = _draw_line(page, (box[0] + box[2]) / 2 - wl / 2, y + (header_h - hfs) / 2, name, "heiti", hfs)
        page.add("slip_header", name, bb)
    y += header_h
    ink = rng.choice(["blue", "black"])
    row_top = y
    for r in range(nrows):
        for c in range(ncols):
            page.draw.rectangle((xs[c], y, xs[c + 1], y + row_h), outline=black, width=lw)
        if r < len(readers):
            row = readers[r]
            for c, key in enumerate(keys):
                val = row.get(key, "")
                if not val:
                    continue
                cx = (xs[c] + xs[c + 1]) / 2
                if key == "reader" and slip.get("readers_printed"):
                    wl = _text_w(val, "fangsong", 54)
                    bb = _draw_line(page, cx - wl / 2, y + (row_h - 54) / 2, val, "fangsong", 54)
                    page.add("slip_cell", val, bb, "black", row=r + 1, col=key)
                else:
                    size = 62 if key == "reader" else 58
                    bb = _hand(page, cx, y + row_h / 2, val, size, ink, rng, anchor="cm")
                    page.add("slip_cell", val, bb, ink, row=r + 1, col=key, handwritten=True)
        y += row_h
    table_bottom = y
    anns = slip.get("annotations") or []
    by_kind = {"proposal": [a for a in anns if a["kind"] == "proposal"],
               "instruction": [a for a in anns if a["kind"] == "instruction"]}
    boxes = []
    if layout == "right":
        split = row_top + row_h * math.ceil(nrows * 0.55)
        boxes = [(labels[0], (xs[-2], header_top, x1, split), "proposal"),
                 (labels[1], (xs[-2], split, x1, table_bottom), "instruction")]
    else:
        bh = max(row_h * 2.8, 330)
        for k, kind in enumerate(("proposal", "instruction")):
            box_l = (x0, y, xs[1], y + bh)
            page.draw.rectangle(box_l, outline=black, width=lw)
            boxes.append((labels[k], (xs[1], y, x1, y + bh), kind))
            y += bh
        table_bottom = y
    ann_index = {id(a): i for i, a in enumerate(anns)}
    for label, box, kind in boxes:
        page.draw.rectangle(box, outline=black, width=lw)
        if layout == "right":
            bb = _draw_line(page, box[0] + 25, box[1] + 25, label, "heiti", hfs)
            inner_top = box[1] + 25 + hfs + 25
        else:
            lab = label.rstrip("：:")
            lines = wrap(lab, font("heiti", hfs), xs[1] - x0 - 40)
            ty = (box[1] + box[3]) / 2 - len(lines) * hfs * 1.3 / 2
            for k, ln in enumerate(lines):
                wl = _text_w(ln, "heiti", hfs)
                _draw_line(page, (x0 + xs[1]) / 2 - wl / 2, ty + k * hfs * 1.3, ln, "heiti", hfs)
            bb = (x0 + 20, ty, xs[1] - 20, ty + len(lines) * hfs * 1.3)
            inner_top = box[1] + 30
        page.add("slip_label", label, bb)
        yy = inner_top
        hs = 72
        while hs > 44:                      # shrink the writing until it fits the box
            need = sum(len(_hand_wrap(a["text"], hs, box[2] - box[0] - 260)) * (hs * 1.5 + 10) + hs * 1.6 + 40
                       for a in by_kind[kind])
            if inner_top + need <= box[3] - 10:
                break
            hs -= 4
        for a in by_kind[kind]:
            a_ink = rng.choice(["blue", "black"]) if rng.random() < 0.3 else ink
            idx = ann_index[id(a)]
            for j, ln in enumerate(_hand_wrap(a["text"], hs, box[2] - box[0] - 260)):
                hb = _hand(page, box[0] + 60 + (rng.uniform(40, 110) if j == 0 else 0), yy, ln, hs, a_ink, rng)
                page.add("handwriting", ln, hb, a_ink, kind=kind, annotation=idx, part="text")
                yy = hb[3] + 10
            yy += 10
            hb1 = _hand(page, box[2] - 60 - _text_w(a["date_raw"], "hand", hs) - 50, yy, a["signer"], hs, a_ink, rng, anchor="rt")
            hb2 = _hand(page, box[2] - 50, yy, a["date_raw"], hs, a_ink, rng, anchor="rt")
            page.add("handwriting", a["signer"], hb1, a_ink, kind=kind, annotation=idx, part="signer")
            page.add("handwriting", a["date_raw"], hb2, a_ink, kind=kind, annotation=idx, part="date")
            yy = max(hb1[3], hb2[3]) + 30
    y = table_bottom + 45
    if slip.get("printed_note"):
        nfs = 50
        for ln in wrap(slip["printed_note"], font("fangsong", nfs), W):
            bb = _draw_line(page, x0, y, ln, "fangsong", nfs)
            page.add("printed_note", ln, bb)
            y += nfs * 1.5
    notes = [a for a in anns if a["kind"] == "note"]
    y += 40
    for a in notes:
        idx = ann_index[id(a)]
        hs = 72
        for j, ln in enumerate(_hand_wrap(a["text"], hs, W * 0.6)):
            hb = _hand(page, x0 + W * 0.18 + (rng.uniform(0, 80) if j == 0 else 0), y, ln, hs, "blue", rng)
            page.add("handwriting", ln, hb, "blue", kind="note", annotation=idx, part="text")
            y = hb[3] + 10
        hb1 = _hand(page, x0 + W * 0.45, y + 5, a["signer"], hs, "blue", rng)
        hb2 = _hand(page, hb1[2] + 30, y + 5, a["date_raw"], hs, "blue", rng)
        page.add("handwriting", a["signer"], hb1, "blue", kind="note", annotation=idx, part="signer")
        page.add("handwriting", a["date_raw"], hb2, "blue", kind="note", annotation=idx, part="date")
        y = max(hb1[3], hb2[3]) + 40
    return page
