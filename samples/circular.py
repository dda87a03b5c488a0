"""The circular in GB/T 9704-2012 layout: 版头 (份号, 密级, 紧急程度, red 发文机关标志, 发文字号 or
签发人, red rule), title, 主送机关, body, 附件说明, signatories and 成文日期 under the seal, 附注, the
版记, the 收文 stamp and margin notes; laid out as items and paginated."""

from __future__ import annotations

import random

from PIL import Image

from .fonts import font
from .furniture import _receipt_stamp, _seal, _star_points
from .handwriting import _hand, _hand_wrap
from .page import (BODY_W, BOTTOM, CP, FS, INK, LEFT, LP, MM, RIGHT, SMALL_FS, TITLE_FS, TOP, _Page,
                   _draw_line, _mask_text, _text_w)
from .text import _width, wrap


class _Item:
    __slots__ = ("h", "draw", "keep_next", "keep_prev")

    def __init__(self, h, draw, keep_next=False, keep_prev=0):
        self.h, self.draw, self.keep_next, self.keep_prev = h, draw, keep_next, keep_prev


def _paginate(items: list[_Item], first_top: float = TOP) -> list[list[tuple[_Item, float]]]:
    pages: list[list[_Item]] = [[]]
    y = first_top
    for it in items:
        if y + it.h > BOTTOM + 3 and pages[-1]:
            cur = pages[-1]
            carry: list[_Item] = []
            k = it.keep_prev
            while k > 0 and len(cur) > 1:
                carry.insert(0, cur.pop())
                k -= 1
            while len(cur) > 1 and cur[-1].keep_next:
                carry.insert(0, cur.pop())
            pages.append(carry)
            y = TOP + sum(c.h for c in carry)
        pages[-1].append(it)
        y += it.h
    out = []
    for n, pg in enumerate(pages):
        y = first_top if n == 0 else TOP
        placed = []
        for it in pg:
            placed.append((it, y))
            y += it.h
        out.append(placed)
    return out


def _para_items(text: str, fkey: str, role: str, indent_chars: float = 2.0, **extra) -> list[_Item]:
    fnt = font(fkey, FS)
    track = CP - FS
    lines = wrap(text, fnt, BODY_W, BODY_W - indent_chars * CP, tracking=track)
    items = []
    for i, ln in enumerate(lines):
        last = i == len(lines) - 1
        x = LEFT + (indent_chars * CP if i == 0 else 0)
        w = RIGHT - x

        def draw(page, y, ln=ln, x=x, w=w, last=last):
            nat = _text_w(ln, fkey, FS, track)
            bb = _draw_line(page, x, y + (LP - FS) / 2, ln, fkey, FS, tracking=track,
                            width=w if (not last or nat > w) else None, justify=not last)
            page.add(role, ln, bb, **extra)
        items.append(_Item(LP, draw, keep_next=(role == "heading")))
    return items


def _spacer(h: float) -> _Item:
    return _Item(h, lambda page, y: None)


def _secrecy_text(c: dict) -> str:
    """The 密级 as printed: ``secrecy_printed`` when the truth gives it (机　密, 绝密文件, 密级：秘密 …),
    else 密级★保密期限."""
    if c.get("secrecy_printed"):
        return c["secrecy_printed"]
    return c["secrecy"] + ("★" + c["secrecy_term"] if c.get("secrecy_term") else "")


def _header_item(c: dict, rng: random.Random, top: float = TOP, mark_gap: float | None = None) -> _Item:
    """版头 of the first page: 份号/密级/紧急程度, red 发文机关标志, 发文字号 (and 签发人), red rule.

    top: where the 版头 starts (the type area's top); mark_gap: from there to the mark (default
    35 mm, 80 mm for an upward document)."""
    upward = bool(c.get("signer"))
    mark_top = top + (mark_gap if mark_gap is not None else (80 if upward else 35) * MM)
    lines = c.get("issuer_mark_lines") or []
    if len(lines) > 1:
        names = [_mask_text(n, "xbs", 120) for n in lines]
        nw = max(m.size[0] for m in names)
        nh = 120
        gap = 36
        suffix = _mask_text("文件", "xbs", 170)
        total_h = len(names) * nh + (len(names) - 1) * gap
        sw = int(suffix.size[0] * 0.95)
        sh = min(int(total_h * 0.8), suffix.size[1])
        suffix = suffix.resize((sw, sh))
        total_w = nw + 60 + sw
        scale = min(1.0, BODY_W * 0.97 / total_w)
        mark = Image.new("L", (int(total_w * scale) + 2, total_h), 0)
        for i, m in enumerate(names):
            mark.paste(m.resize((int(nw * scale), nh)), (0, i * (nh + gap)))
        mark.paste(suffix.resize((int(sw * scale), sh)), (int((nw + 60) * scale), (total_h - sh) // 2))
    else:
        text = c["issuer_mark"]
        m = _mask_text(text, "xbs", 176)
        ratio = min(0.86, BODY_W * 0.97 / m.size[0])
        mark = m.resize((int(m.size[0] * ratio), m.size[1]), Image.Resampling.LANCZOS)
    mark_bottom = mark_top + mark.size[1]
    docnum_top = mark_bottom + 1.55 * LP
    rule_y = docnum_top + FS + 4 * MM
    height = rule_y + 10 - top

    def draw(page: _Page, y: float) -> None:
        info = []
        if c.get("copy_number"):
            info.append(("copy_number", c["copy_number"], "fangsong"))
        if c.get("secrecy"):
            info.append(("secrecy", _secrecy_text(c), "heiti"))
        if c.get("urgency"):
            info.append(("urgency", c["urgency"], "heiti"))
        for i, (role, txt, fk) in enumerate(info):
            x = LEFT + (14 if role == "secrecy" and c.get("secrecy_style") == "boxed" else 0)
            bb = _draw_line(page, x, top + i * LP + (LP - FS) / 2, txt, fk, FS)
            if role == "secrecy" and c.get("secrecy_style") == "boxed":
                page.draw.rectangle((bb[0] - 14, bb[1] - 12, bb[2] + 14, bb[3] + 14), outline=INK["black"], width=5)
            page.add(role, txt, bb)
        mx = LEFT + (BODY_W - mark.size[0]) / 2
        page.img.paste(INK["red"], (int(mx), int(mark_top), int(mx) + mark.size[0], int(mark_top) + mark.size[1]), mark)
        mark_text = "".join(lines) + "文件" if len(lines) > 1 else c["issuer_mark"]
        page.add("issuer_mark", mark_text, (mx, mark_top, mx + mark.size[0], mark_bottom), "red")
        num = c.get("doc_number_printed") or c["doc_number"]
        if upward:
            bb = _draw_line(page, LEFT + CP, docnum_top, num, "fangsong", FS)
            page.add("doc_number", num, bb)
            name = c["signer"]
            wn = _text_w(name, "kaiti", FS)
            label = "签发人："
            wl = _text_w(label, "fangsong", FS)
            x0 = RIGHT - CP - wn - wl
            b1 = _draw_line(page, x0, docnum_top, label, "fangsong", FS)
            b2 = _draw_line(page, x0 + wl, docnum_top, name, "kaiti", FS)
            page.add("signer", label + name, (b1[0], b1[1], b2[2], b2[3]))
        else:
            w = _text_w(num, "fangsong", FS)
            bb = _draw_line(page, LEFT + (BODY_W - w) / 2, docnum_top, num, "fangsong", FS)
            page.add("doc_number", num, bb)
        red = INK["red"]
        if c["issuer_mark"].startswith("中共") and not upward:
            mid = LEFT + BODY_W / 2
            page.draw.rectangle((LEFT, rule_y, mid - 60, rule_y + 6), fill=red)
            page.draw.rectangle((mid + 60, rule_y, RIGHT, rule_y + 6), fill=red)
            page.draw.polygon(_star_points(mid, rule_y + 3, 40), fill=red)
        else:
            page.draw.rectangle((LEFT, rule_y, RIGHT, rule_y + 6), fill=red)
    return _Item(height, draw)


def _title_items(lines: list[str], fk: str = "xbs") -> list[_Item]:
    items = []
    for ln in lines:
        def draw(page, y, ln=ln):
            w = min(_text_w(ln, fk, TITLE_FS), BODY_W)
            bb = _draw_line(page, LEFT + (BODY_W - w) / 2, y + (LP * 1.05 - TITLE_FS) / 2, ln, fk,
                            TITLE_FS, width=BODY_W if w >= BODY_W else None)
            page.add("title", ln, bb)
        items.append(_Item(LP * 1.05, draw, keep_next=True))
    return items


def _attachment_items(atts: list[str]) -> list[_Item]:
    items: list[_Item] = []
    fnt = font("fangsong", FS)
    track = CP - FS
    label = "附件："
    x_label = LEFT + 2 * CP
    x_item = x_label + 3 * CP
    numbered = len(atts) > 1
    for i, name in enumerate(atts):
        num = f"{i + 1}." if numbered else ""
        x_name = x_item + (_width(num, fnt, track) if num else 0)
        lines = wrap(name, fnt, RIGHT - x_name, tracking=track)
        for j, ln in enumerate(lines):
            if j == 0:
                prefix = (label if i == 0 else "") + num
                x0 = x_label if i == 0 else x_item
                text = prefix + ln
            else:
                x0, text = x_name, ln

            def draw(page, y, x0=x0, text=text):
                bb = _draw_line(page, x0, y + (LP - FS) / 2, text, "fangsong", FS, tracking=track,
                                width=(RIGHT - x0) if _text_w(text, "fangsong", FS, track) > RIGHT - x0 else None)
                page.add("attachments", text, bb)
            items.append(_Item(LP, draw))
    return items


def _signature_item(c: dict, rng: random.Random) -> _Item:
    sigs = c.get("signatories") or []
    date_raw = c["issue_date_raw"]
    fk = "fangsong"
    track = CP - FS
    wd = _text_w(date_raw, fk, FS, track)
    date_x1 = RIGHT - 4 * CP
    date_cx = date_x1 - wd / 2
    widths = [_text_w(s, fk, FS, track) for s in sigs]
    side_by_side = len(sigs) == 2 and (widths[0] + widths[1] + 3 * CP) < (date_cx - LEFT) * 2 - 2 * CP
    rows = 1 if (side_by_side or len(sigs) <= 1) else len(sigs)
    lead = 2 * LP
    h = lead + (rows + 1) * LP + (LP if c.get("disclosure") else 0)

    def draw(page: _Page, y: float) -> None:
        y_sig = y + lead
        centers = []
        if side_by_side:
            right_cx = date_cx
            left_cx = max(LEFT + widths[0] / 2 + CP, right_cx - max(42 * MM * 1.15, (widths[0] + widths[1]) / 2 + 2.5 * CP))
            pos = [(left_cx, y_sig), (right_cx, y_sig)]
        else:
            pos = [(date_cx, y_sig + i * LP) for i in range(len(sigs))]
        for s, w, (cx, yy) in zip(sigs, widths, pos):
            x0 = max(LEFT, min(cx - w / 2, RIGHT - w))
            bb = _draw_line(page, x0, yy + (LP - FS) / 2, s, fk, FS, tracking=track)
            page.add("signatory", s, bb)
            centers.append((x0 + w / 2, yy))
        y_date = y_sig + rows * LP
        bb = _draw_line(page, date_x1 - wd, y_date + (LP - FS) / 2, date_raw, fk, FS, tracking=track)
        page.add("date", date_raw, bb)
        if c.get("disclosure"):
            txt = f"（{c['disclosure']}）"
            bb = _draw_line(page, LEFT + 2 * CP, y_date + LP + (LP - FS) / 2, txt, fk, FS, tracking=track)
            page.add("disclosure", txt, bb)
        off = c.get("seal_offset")           # the seal centred on the date line (slip-form family)
        on_date = (date_cx + off[0], y_date + LP / 2 + off[1]) if off else None
        if c.get("seal", True):
            if side_by_side:
                for k, (s, (cx, yy)) in enumerate(zip(sigs, centers)):
                    x, y_ = cx + rng.uniform(-20, 20), yy + LP * 0.6 + rng.uniform(-15, 15)
                    _seal(page, s, *(on_date if on_date and k == len(sigs) - 1 else (x, y_)), rng)
            elif sigs:
                # GB/T 9704: signatory and date sit a little below the centre of the seal
                cy = (y_sig + y_date + LP) / 2 - 0.4 * LP + rng.uniform(-15, 15)
                names = sigs if len(sigs) == 1 else sigs
                for k, s in enumerate(names):
                    dx = (k - (len(names) - 1) / 2) * 42 * MM * 0.9 + rng.uniform(-20, 20)
                    _seal(page, s, (on_date[0] if on_date else date_cx) + dx, on_date[1] if on_date else cy, rng)
    return _Item(h, draw, keep_prev=2)


def _imprint_height(c: dict) -> float:
    n = len(_cc_lines(c)) if c.get("cc") else 0
    return (n + 1) * 0.9 * LP


def _cc_lines(c: dict) -> list[str]:
    fnt = font("fangsong", SMALL_FS)
    lw = _width("抄送：", fnt)
    text = "抄送：" + c["cc"] + "。"
    lines = wrap(text, fnt, BODY_W - 2 * SMALL_FS - lw, BODY_W - 2 * SMALL_FS)
    return lines


def _draw_imprint(page: _Page, c: dict, bottom: float) -> None:
    """版记 ending at bottom: thick rule, 抄送 lines, thin rule, 印发机关 and 印发日期, thick rule."""
    rowh = 0.9 * LP
    top = bottom - _imprint_height(c)
    black = INK["black"]
    page.draw.rectangle((LEFT, top - 2, RIGHT, top + 2), fill=black)
    y = top
    if c.get("cc"):
        lines = _cc_lines(c)
        lw = _text_w("抄送：", "fangsong", SMALL_FS)
        for i, ln in enumerate(lines):
            x = LEFT + SMALL_FS + (0 if i == 0 else lw)
            bb = _draw_line(page, x, y + (rowh - SMALL_FS) / 2, ln, "fangsong", SMALL_FS)
            page.add("cc", ln, bb)
            y += rowh
        page.draw.rectangle((LEFT, y - 1, RIGHT, y + 1), fill=black)
    by = c.get("printed_by", "")
    bb = _draw_line(page, LEFT + SMALL_FS, y + (rowh - SMALL_FS) / 2, by, "fangsong", SMALL_FS)
    page.add("imprint", by, bb, part="printed_by")
    pd = c.get("print_date_raw", "") + "印发"
    w = _text_w(pd, "fangsong", SMALL_FS)
    bb = _draw_line(page, RIGHT - SMALL_FS - w, y + (rowh - SMALL_FS) / 2, pd, "fangsong", SMALL_FS)
    page.add("imprint", pd, bb, part="print_date")
    page.draw.rectangle((LEFT, bottom - 2, RIGHT, bottom + 2), fill=black)


def _margin_notes(page: _Page, notes: list[dict], rng: random.Random, x0: float, x1: float, y0: float) -> None:
    y = y0
    for k, a in enumerate(notes):
        ink = a.get("ink", "blue")
        size = 68
        for j, ln in enumerate(_hand_wrap(a["text"], size, x1 - x0)):
            bb = _hand(page, x0 + (0 if j else rng.uniform(0, 60)), y, ln, size, ink, rng)
            page.add("handwriting", ln, bb, ink, order=-50 + k + j * 0.01, kind=a["kind"], annotation=k, part="text")
            y = bb[3] + 8
        bb2 = _hand(page, x1, y, a["date_raw"], size, ink, rng, anchor="rt")
        bb1 = _hand(page, bb2[0] - 30, y, a["signer"], size, ink, rng, anchor="rt")
        page.add("handwriting", a["signer"], bb1, ink, order=-49.5 + k, kind=a["kind"], annotation=k, part="signer")
        page.add("handwriting", a["date_raw"], bb2, ink, order=-49.4 + k, kind=a["kind"], annotation=k, part="date")
        y = max(bb1[3], bb2[3]) + 20


def _body_items(c: dict) -> list[_Item]:
    """The body's paragraphs and headings (一、 in 黑体, （一） in 楷体)."""
    items: list[_Item] = []
    for b in c["body"]:
        if b["type"] == "heading":
            fk = {1: "heiti", 2: "kaiti"}.get(b.get("level", 1), "fangsong")
            items += _para_items(b["text"], fk, "heading", level=b.get("level", 1))
        else:
            items += _para_items(b["text"], "fangsong", "body")
    return items


def _addressed_body_items(c: dict) -> list[_Item]:
    """主送机关 (flush left, when the document has one), body, 附件说明."""
    items = _para_items(c["addressees"], "fangsong", "addressees", indent_chars=0) if c.get("addressees") else []
    items += _body_items(c)
    if c.get("attachments"):
        items.append(_spacer(LP))
        items += _attachment_items(c["attachments"])
    return items


def _main_items(c: dict, rng: random.Random) -> list[_Item]:
    """Under the 版头: title, 主送机关, body, 附件说明, signatories and date under the seal."""
    items = _title_items(c["title_lines"])
    items.append(_spacer(LP * 0.9))
    items += _addressed_body_items(c)
    items.append(_signature_item(c, rng))
    return items


def _lay_out(items: list[_Item], kind: str = "circular", first_top: float = TOP,
             font_map: dict | None = None) -> list[_Page]:
    """Paginate the items and draw them on new pages of this kind."""
    pages = []
    for n, pl in enumerate(_paginate(items, first_top)):
        page = _Page(kind, font_map)
        for it, y in pl:
            it.draw(page, y)
        page._bottom_used = (pl[-1][1] + pl[-1][0].h) if pl else TOP
        pages.append(page)
    return pages


def _print_font_map(truth: dict) -> dict:
    """The print's font substitutions (``print.font``: the body's 仿宋 cut by hand on a stencil)."""
    fk = (truth.get("print") or {}).get("font")
    return {"fangsong": fk} if fk else {}


def _render_circular(truth: dict, rng: random.Random) -> list[_Page]:
    c = truth["circular"]
    items: list[_Item] = [_header_item(c, rng), _spacer(LP * 1.25)]
    items += _main_items(c, rng)
    pages = _lay_out(items, font_map=_print_font_map(truth))
    _furnish(pages[0], c, rng)
    return pages


def _furnish(first: _Page, c: dict, rng: random.Random, stamp_y: tuple[float, float] = (110, 300)) -> None:
    """The 收文 stamp (its top between stamp_y) and the handwritten margin notes on the first page."""
    rc = c.get("receipt")
    notes_x1 = LEFT + BODY_W * 0.55
    if rc and not rc.get("place"):          # a receipt with a place is the slip-form family's (bundle.py)
        stamp = _receipt_stamp(first, rc, RIGHT + rng.uniform(-60, 140), rng.uniform(*stamp_y), rng)
        notes_x1 = min(notes_x1, stamp[0] - 80)
    if c.get("margin_notes"):
        _margin_notes(first, [dict(a, ink=a.get("ink", "blue")) for a in c["margin_notes"]], rng,
                      LEFT - 150 + rng.uniform(0, 80), notes_x1, rng.uniform(90, 140))
