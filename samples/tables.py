"""Annex tables: label and title, merged header cells repeated on every page, rows broken over
pages (rows_per_page), the 合计 row."""

from __future__ import annotations

import re

from .fonts import font
from .page import BODY_H, BODY_W, BOTTOM, FS, INK, LEFT, LP, TITLE_FS, TOP, _Page, _draw_line, _text_w
from .schema import _cell_entries
from .text import _tokens, wrap


def _header_spans(header: list[list[str]]) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) rectangles: identical neighbouring cells merge."""
    R, C = len(header), len(header[0])
    done = [[False] * C for _ in range(R)]
    out = []
    for r in range(R):
        for c in range(C):
            if done[r][c]:
                continue
            v = header[r][c]
            w = 1
            while c + w < C and header[r][c + w] == v and not done[r][c + w]:
                w += 1
            h = 1
            while r + h < R and all(header[r + h][c + k] == v for k in range(w)):
                h += 1
            for rr in range(r, r + h):
                for cc in range(c, c + w):
                    done[rr][cc] = True
            out.append((r, c, h, w, v))
    return out


def _header_wrap(text: str, fnt, width: float) -> list[str]:
    """Header cells break before a bracketed qualifier first: 帮扶县 / （市、区）."""
    m = re.match(r"^(.+?)(（.*）)$", text)
    if m and fnt.getlength(text) > width:
        parts = []
        for seg in m.groups():
            parts += wrap(seg, fnt, width)
        return parts
    return wrap(text, fnt, width)


def _table_layout(annex: dict, fs: int, width: float):
    header, rows = annex["header"], annex["rows"]
    total = annex.get("total_row")
    all_rows = rows + ([total] if total else [])
    C = len(header[0])
    fnt = font("fangsong", fs)
    hfnt = font("heiti", fs)
    pad = fs * 0.35
    nat = [0.0] * C
    minw = [fs * 2.2 + 2 * pad] * C
    for row in all_rows:
        for c, cell in enumerate(row):
            for e in _cell_entries(cell):
                nat[c] = max(nat[c], fnt.getlength(e) + 2 * pad)
                if len(e) <= 7:             # short entries (names, numbers) never wrap
                    minw[c] = max(minw[c], fnt.getlength(e) + 2 * pad)
                for tok in _tokens(e):
                    if len(tok) > 1:
                        minw[c] = max(minw[c], fnt.getlength(tok) + 2 * pad)
    for r, c, h, w, v in _header_spans(header):
        if w == 1:
            segs = _header_wrap(v, hfnt, fs * 6)
            hw = max(hfnt.getlength(x) for x in segs) + 2 * pad
            nat[c] = max(nat[c], hw)
            minw[c] = max(minw[c], min(hw, fs * 4 + 2 * pad))
    if sum(nat) <= width:
        widths = [n + (width - sum(nat)) * n / sum(nat) for n in nat]
    else:
        base = [min(m, n) for m, n in zip(minw, nat)]
        want = [max(0.0, n - b) for n, b in zip(nat, base)]
        spare = width - sum(base)
        widths = [b + spare * wn / (sum(want) or 1) for b, wn in zip(base, want)]
    lh = fs * 1.28
    numeric = set(annex.get("numeric_columns") or [])
    align = []
    for c in range(C):
        short = all(len(e) <= 4 for row in all_rows for e in _cell_entries(row[c]))
        align.append("c" if (c in numeric or short) else "l")

    def cell_lines(cell, c, f=fnt) -> list[str]:
        out = []
        for e in _cell_entries(cell):
            out += wrap(e, f, widths[c] - 2 * pad) if e else [""]
        return out
    # header geometry
    spans = _header_spans(header)
    hrow_h = [lh + 2 * pad] * len(header)
    for r, c, h, w, v in spans:
        cw = sum(widths[c:c + w])
        n = len(_header_wrap(v, hfnt, cw - 2 * pad))
        need = n * lh + 2 * pad
        if h == 1:
            hrow_h[r] = max(hrow_h[r], need)
    row_lines = [[cell_lines(cell, c) for c, cell in enumerate(row)] for row in all_rows]
    row_h = [max(len(x) for x in rl) * lh + 2 * pad for rl in row_lines]
    return dict(widths=widths, pad=pad, lh=lh, spans=spans, hrow_h=hrow_h, row_lines=row_lines, row_h=row_h,
                align=align, hfnt=hfnt)


def _plan_table(annex: dict, lay: dict, first_avail: float, avail: float) -> list[list[int]]:
    """Row indices (into rows + total) per page."""
    limit = annex.get("rows_per_page") or 10 ** 6
    n_rows = len(annex["rows"])
    hh = sum(lay["hrow_h"])
    chunks: list[list[int]] = [[]]
    room = first_avail - hh
    for i, h in enumerate(lay["row_h"]):
        is_total = i >= n_rows
        data_on_page = sum(1 for j in chunks[-1] if j < n_rows)
        if chunks[-1] and (h > room or (not is_total and data_on_page >= limit)):
            chunks.append([])
            room = avail - hh
        chunks[-1].append(i)
        room -= h
    return chunks


def _render_annex(annex: dict, table_no: int) -> list[_Page]:
    label = annex.get("label", "附件") + (str(annex["number"]) if annex.get("number") else "")
    title = annex.get("title", "")
    tfnt = font("xbs", TITLE_FS)
    title_lines = wrap(title, tfnt, BODY_W) if title else []
    table_top = TOP + 2 * LP + len(title_lines) * LP * 1.05 + 0.5 * LP
    # The largest font (小四 down to 五号-) with which every page but the last holds rows_per_page
    # rows; when none does, the largest font and natural page breaks.
    limit = annex.get("rows_per_page")
    chosen = None
    n = len(annex["rows"])
    for fs in (50, 46, 42, 38):
        lay = _table_layout(annex, fs, BODY_W)
        chunks = _plan_table(annex, lay, BOTTOM - table_top, BODY_H)
        if chosen is None:
            chosen = (lay, chunks, fs)
        if not limit:
            break
        if all(sum(1 for j in ch if j < n) in (limit, 0) for ch in chunks[:-1]):
            chosen = (lay, chunks, fs)
            break
    lay, chunks, fs = chosen
    n_rows = len(annex["rows"])
    fnt = font("fangsong", fs)
    pages = []
    for p, chunk in enumerate(chunks):
        page = _Page("annex")
        y = TOP
        if p == 0:
            bb = _draw_line(page, LEFT, TOP + (LP - FS) / 2, label, "heiti", FS)
            page.add("annex_label", label, bb)
            y = TOP + 2 * LP
            for ln in title_lines:
                w = _text_w(ln, "xbs", TITLE_FS)
                bb = _draw_line(page, LEFT + (BODY_W - w) / 2, y + (LP * 1.05 - TITLE_FS) / 2, ln, "xbs", TITLE_FS)
                page.add("annex_title", ln, bb)
                y += LP * 1.05
            y = table_top
        xs = [LEFT]
        for w in lay["widths"]:
            xs.append(xs[-1] + w)
        lw = 3
        pad, lh = lay["pad"], lay["lh"]
        # header
        ys = [y]
        for h in lay["hrow_h"]:
            ys.append(ys[-1] + h)
        for r, c, h, w, v in lay["spans"]:
            box = (xs[c], ys[r], xs[c + w], ys[r + h])
            page.draw.rectangle(box, outline=INK["black"], width=lw)
            lines = _header_wrap(v, lay["hfnt"], box[2] - box[0] - 2 * pad)
            ty = (box[1] + box[3]) / 2 - len(lines) * lh / 2
            for k, ln in enumerate(lines):
                wl = _text_w(ln, "heiti", fs)
                _draw_line(page, (box[0] + box[2]) / 2 - wl / 2, ty + k * lh + (lh - fs) / 2, ln, "heiti", fs)
            page.add("table_cell", v, box, table=table_no, row=0, header_row=r + 1, col=c + 1,
                     rowspan=h, colspan=w, lines=lines)
        y = ys[-1]
        for i in chunk:
            h = lay["row_h"][i]
            is_total = i >= n_rows
            row = annex["total_row"] if is_total else annex["rows"][i]
            for c in range(len(lay["widths"])):
                box = (xs[c], y, xs[c + 1], y + h)
                page.draw.rectangle(box, outline=INK["black"], width=lw)
                lines = lay["row_lines"][i][c]
                if not any(lines):
                    continue
                ty = (box[1] + box[3]) / 2 - len(lines) * lh / 2
                cw = box[2] - box[0] - 2 * pad
                for k, ln in enumerate(lines):
                    wl = min(_text_w(ln, "fangsong", fs), cw)
                    x = box[0] + pad if lay["align"][c] == "l" else (box[0] + box[2]) / 2 - wl / 2
                    _draw_line(page, x, ty + k * lh + (lh - fs) / 2, ln, "fangsong", fs,
                               width=cw if fnt.getlength(ln) > cw else None)
                text = "\n".join(_cell_entries(row[c]))
                page.add("table_cell", text, box, table=table_no, row=i + 1, col=c + 1, total=is_total, lines=lines)
            y += h
        pages.append(page)
    return pages
