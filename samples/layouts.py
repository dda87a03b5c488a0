"""The other layouts of a document (``layout`` in the truth), beside the GB/T 9704 circular of
circular.py: a 函 on letterhead (title, then its 发文字号), a circular whose issuer and date stand
in brackets under the title, a circular under a 语录 box (1966–76), a speech, a leaflet, a
telephone record, and a Taiwanese 函 of labelled elements in traditional characters.

Each renderer returns the document's pages (kind "circular", or "other" for what is not a
circular), laid out as items and paginated like the circular."""

from __future__ import annotations

import random

from .circular import (_addressed_body_items, _furnish, _header_item, _Item, _lay_out, _main_items,
                       _para_items, _print_font_map, _signature_item, _spacer, _title_items)
from .fonts import font
from .page import BODY_W, CP, FS, INK, LEFT, LP, MM, RIGHT, SMALL_FS, TOP, _draw_line, _text_w
from .schema import LAYOUTS
from .text import wrap



def _centred_item(text: str, fk: str, size: int, role: str, h: float, ink: str = "black", tracking: float = 0.0,
                  **extra) -> _Item:
    def draw(page, y):
        w = min(_text_w(text, fk, size, tracking), BODY_W)
        bb = _draw_line(page, LEFT + (BODY_W - w) / 2, y + (h - size) / 2, text, fk, size, fill=INK[ink],
                        tracking=tracking, width=BODY_W if w >= BODY_W else None)
        page.add(role, text, bb, ink, **extra)
    return _Item(h, draw, keep_next=True)


def _right_item(text: str, fk: str, size: int, role: str, h: float, x1: float = RIGHT) -> _Item:
    def draw(page, y):
        w = _text_w(text, fk, size)
        bb = _draw_line(page, x1 - w, y + (h - size) / 2, text, fk, size)
        page.add(role, text, bb)
    return _Item(h, draw)


def _hanging_items(text: str, fk: str, size: int, x0: float, x_wrap: float, role: str, lp: float,
                   **extra) -> list[_Item]:
    """A labelled paragraph: the first line from x0 (label and text), the next ones from x_wrap."""
    fnt = font(fk, size)
    lines = wrap(text, fnt, RIGHT - x_wrap, RIGHT - x0)
    items = []
    for i, ln in enumerate(lines):
        x = x0 if i == 0 else x_wrap

        def draw(page, y, ln=ln, x=x):
            w = _text_w(ln, fk, size)
            bb = _draw_line(page, x, y + (lp - size) / 2, ln, fk, size, width=(RIGHT - x) if w > RIGHT - x else None)
            page.add(role, ln, bb, **extra)
        items.append(_Item(lp, draw, keep_next=(i < len(lines) - 1 and len(lines) == 2)))
    return items


# ---------------------------------------------------------------------------------------------
# 函 on letterhead


def _letterhead_item(c: dict) -> _Item:
    """The organ's name large (red or black), lines under it (address, telephone …), a rule."""
    lh = c["letterhead"]
    name, ink = lh["name"], lh.get("ink", "red")
    fk, size = lh.get("font", "xbs"), int(lh.get("size", 104))
    track = size * 0.12
    lines = lh.get("lines") or []
    sub_fs = 42
    h_name = size * 1.35
    rule = lh.get("rule", "double")
    h = h_name + len(lines) * sub_fs * 1.5 + (40 if rule != "none" else 0) + 10

    def draw(page, y):
        w = _text_w(name, fk, size, track)
        width = BODY_W if w > BODY_W else None
        x = LEFT + (BODY_W - min(w, BODY_W)) / 2
        bb = _draw_line(page, x, y + (h_name - size) / 2, name, fk, size, fill=INK[ink], tracking=track, width=width)
        page.add("issuer_mark", name, bb, ink)
        yy = y + h_name
        for ln in lines:
            wl = _text_w(ln, "song", sub_fs)
            bb = _draw_line(page, LEFT + (BODY_W - min(wl, BODY_W)) / 2, yy + sub_fs * 0.25, ln, "song", sub_fs,
                            fill=INK[ink], width=BODY_W if wl > BODY_W else None)
            page.add("letterhead", ln, bb, ink)
            yy += sub_fs * 1.5
        if rule != "none":
            yy += 14
            page.draw.rectangle((LEFT - 20, yy, RIGHT + 20, yy + 7), fill=INK[ink])
            if rule == "double":
                page.draw.rectangle((LEFT - 20, yy + 14, RIGHT + 20, yy + 16), fill=INK[ink])
    return _Item(h, draw)


def _render_letter(truth: dict, rng: random.Random) -> list:
    c = truth["circular"]
    items = [_letterhead_item(c), _spacer(LP * 0.7)]
    items += _title_items(c["title_lines"])
    if c.get("doc_number"):
        if c.get("doc_number_align", "right") == "right":
            items.append(_right_item(c.get("doc_number_printed") or c["doc_number"], "fangsong", FS, "doc_number", LP))
        else:
            items.append(_centred_item(c.get("doc_number_printed") or c["doc_number"], "fangsong", FS, "doc_number", LP))
    items.append(_spacer(LP * 0.5))
    items += _addressed_body_items(c)
    items.append(_signature_item(c, rng))
    pages = _lay_out(items, "circular", TOP - 9 * MM, _print_font_map(truth))
    _furnish(pages[0], c, rng, stamp_y=(30, 60))        # above the letterhead
    return pages


# ---------------------------------------------------------------------------------------------
# issuer and date in brackets under the title


def _render_under_title(truth: dict, rng: random.Random) -> list:
    c = truth["circular"]
    items: list[_Item] = []
    if c.get("doc_number"):
        items.append(_right_item(c.get("doc_number_printed") or c["doc_number"], "fangsong", FS, "doc_number", LP))
        items.append(_spacer(LP * 0.6))
    items += _title_items(c["title_lines"], c.get("title_font", "xbs"))
    items.append(_centred_item(c["byline"], "kaiti", FS, "byline", LP * 1.2))
    items.append(_spacer(LP * 0.6))
    items += _addressed_body_items(c)
    pages = _lay_out(items, "circular", TOP - 4 * MM, _print_font_map(truth))
    _furnish(pages[0], c, rng)
    return pages


# ---------------------------------------------------------------------------------------------
# 语录 box above the 版头


def _quotation_item(q: dict) -> _Item:
    ink = q.get("ink", "red")
    pad = 44
    head_fs, fs = 70, FS
    fnt = font("heiti_bold", fs)
    lines = []
    for para in q["lines"]:
        lines += wrap(para, fnt, BODY_W - 2 * pad - 2 * CP, BODY_W - 2 * pad - 2 * CP)
    src = q.get("source") or ""
    lp = fs * 1.55
    box_h = pad + head_fs * 1.6 + len(lines) * lp + (lp if src else 0) + pad * 0.6
    h = box_h + 12 * MM

    def draw(page, y):
        col = INK[ink]
        page.draw.rectangle((LEFT, y, RIGHT, y + box_h), outline=col, width=8)
        page.draw.rectangle((LEFT + 16, y + 16, RIGHT - 16, y + box_h - 16), outline=col, width=3)
        head = q["heading"]
        w = _text_w(head, "heiti_bold", head_fs, 18)
        bb = _draw_line(page, LEFT + (BODY_W - w) / 2, y + pad, head, "heiti_bold", head_fs, fill=col, tracking=18)
        page.add("quotation", head, bb, ink, part="heading")
        yy = y + pad + head_fs * 1.6
        for ln in lines:
            bb = _draw_line(page, LEFT + pad + CP, yy + (lp - fs) / 2, ln, "heiti_bold", fs, fill=INK["black"])
            page.add("quotation", ln, bb, part="text")
            yy += lp
        if src:
            w = _text_w(src, "kaiti", SMALL_FS)
            bb = _draw_line(page, RIGHT - pad - w, yy + (lp - SMALL_FS) / 2, src, "kaiti", SMALL_FS)
            page.add("quotation", src, bb, part="source")
    return _Item(h, draw)


def _render_quotation(truth: dict, rng: random.Random) -> list:
    c = truth["circular"]
    first_top = TOP - 17 * MM
    box = _quotation_item(c["quotation"])
    items = [box, _header_item(c, rng, top=first_top + box.h, mark_gap=0.0), _spacer(LP * 1.0)]
    items += _main_items(c, rng)
    pages = _lay_out(items, "circular", first_top, _print_font_map(truth))
    _furnish(pages[0], c, rng)
    return pages


# ---------------------------------------------------------------------------------------------
# not circulars: a speech, a leaflet, a telephone record


def _plain_body_items(c: dict, fk: str = "fangsong") -> list[_Item]:
    """Body paragraphs with their own indent (``indent``, default 2) or centred (``align``)."""
    items: list[_Item] = []
    for b in c["body"]:
        if b.get("align") == "center":
            items.append(_centred_item(b["text"], "heiti_bold", FS, "body", LP))
        elif b["type"] == "heading":
            items += _para_items(b["text"], "heiti", "heading", level=b.get("level", 1))
        else:
            items += _para_items(b["text"], fk, "body", indent_chars=b.get("indent", 2))
    return items


def _render_speech(truth: dict, rng: random.Random) -> list:
    c = truth["circular"]
    items: list[_Item] = _title_items(c["title_lines"])
    if c.get("subtitle"):
        items.append(_centred_item(c["subtitle"], "kaiti", FS, "subtitle", LP))
    if c.get("speaker"):
        items.append(_centred_item(c["speaker"], "kaiti", FS, "speaker", LP * 1.2))
    items.append(_spacer(LP * 0.6))
    items += _plain_body_items(c)
    return _lay_out(items, "other", TOP, _print_font_map(truth))


def _render_leaflet(truth: dict, rng: random.Random) -> list:
    c = truth["circular"]
    items: list[_Item] = []
    for ln in c["title_lines"]:
        items.append(_centred_item(ln, "heiti_bold", 118, "title", 170, ink=c.get("title_ink", "black"), tracking=10))
    items.append(_spacer(LP * 0.6))
    items += _plain_body_items(c)
    return _lay_out(items, "other", TOP - 8 * MM, _print_font_map(truth))


def _render_phone_record(truth: dict, rng: random.Random) -> list:
    """A telephone record: the form's office and name, the caller's unit, caller, receiver and
    time (ruled cells, or labelled lines), then the message."""
    c = truth["circular"]
    form = c["form"]
    items: list[_Item] = []
    if form.get("office"):
        items.append(_centred_item(form["office"], "song", SMALL_FS, "form_office", LP * 0.8))
    items.append(_centred_item(form["title"], "xbs", 100, "form_title", 150, tracking=30))
    items.append(_spacer(LP * 0.4))
    fields = form["fields"]
    if form.get("style", "ruled") == "ruled":
        row_h = 1.25 * LP
        pairs = [fields[i:i + 2] for i in range(0, len(fields), 2)]
        fr = [0.17, 0.33, 0.15, 0.35]
        xs = [LEFT - 30]
        for f in fr:
            xs.append(xs[-1] + f * (BODY_W + 60))
        for k, pair in enumerate(pairs):
            def draw(page, y, pair=pair, k=k):
                page.draw.rectangle((xs[0], y, xs[-1], y + row_h), outline=INK["black"], width=4)
                for x in xs[1:-1]:
                    page.draw.line((x, y, x, y + row_h), fill=INK["black"], width=3)
                for j, (label, value) in enumerate(pair):
                    lx0, lx1, vx0, vx1 = xs[2 * j], xs[2 * j + 1], xs[2 * j + 1], xs[2 * j + 2]
                    wl = _text_w(label, "heiti", SMALL_FS)
                    bb = _draw_line(page, (lx0 + lx1 - wl) / 2, y + (row_h - SMALL_FS) / 2, label, "heiti", SMALL_FS,
                                    width=(lx1 - lx0 - 16) if wl > lx1 - lx0 - 16 else None)
                    page.add("form_label", label, bb)
                    wv = _text_w(value, "fangsong", SMALL_FS)
                    room = vx1 - vx0 - 30
                    bb = _draw_line(page, vx0 + 15, y + (row_h - SMALL_FS) / 2, value, "fangsong", SMALL_FS,
                                    width=room if wv > room else None)
                    page.add("form_value", value, bb, label=label)
            items.append(_Item(row_h, draw))
        label = form.get("content_label", "内容")

        def draw_label(page, y, label=label):
            bb = _draw_line(page, LEFT, y + (LP - FS) / 2, label + "：", "heiti", FS)
            page.add("form_label", label + "：", bb)
        items.append(_Item(LP, draw_label))
    else:
        line = []
        for label, value in fields:
            line.append(f"{label}：{value}")
        for k in range(0, len(line), 2):
            text = "　　".join(line[k:k + 2])
            items += _para_items(text, "fangsong", "form_value", indent_chars=0)
        items += _para_items(form.get("content_label", "内容") + "：", "fangsong", "form_label", indent_chars=0)
    items += _plain_body_items(c)
    if form.get("footer"):
        items.append(_spacer(LP * 0.5))
        items.append(_right_item(form["footer"], "fangsong", FS, "form_value", LP))
    return _lay_out(items, "other", TOP - 10 * MM, _print_font_map(truth))


# ---------------------------------------------------------------------------------------------
# Taiwanese 函 (公文程式條例): labelled elements in traditional characters


def _render_taiwan(truth: dict, rng: random.Random) -> list:
    c = truth["circular"]
    tw = c["taiwan"]
    fk = "kai_tw"
    hs = 54                                   # 受文者 … 附件 and the contact block
    hlp = hs * 1.55
    items: list[_Item] = []
    for label, value in (("檔　　號：", tw.get("file_no", "")), ("保存年限：", tw.get("keep_years", ""))):
        def draw(page, y, text=label + value):
            bb = _draw_line(page, RIGHT - 13 * hs, y + (hlp - hs) / 2, text, fk, hs)
            page.add("file_label", text, bb)
        items.append(_Item(hlp, draw))
    items.append(_centred_item(c["issuer_mark"], fk, 104, "issuer_mark", 175, tracking=8))
    x_contact = LEFT + BODY_W * 0.52
    for ln in tw.get("contact") or []:
        def draw(page, y, ln=ln):
            w = _text_w(ln, fk, 46)
            bb = _draw_line(page, x_contact, y + 8, ln, fk, 46, width=(RIGHT - x_contact) if w > RIGHT - x_contact else None)
            page.add("contact", ln, bb)
        items.append(_Item(46 * 1.45, draw))
    items.append(_spacer(hlp * 0.5))
    labelled = [("受文者：", c["addressees"], "addressees"), ("發文日期：", c["issue_date_raw"], "date"),
                ("發文字號：", c.get("doc_number_printed") or c["doc_number"], "doc_number"), ("速別：", tw.get("speed", ""), "urgency"),
                ("密等及解密條件或保密期限：", tw.get("secrecy_text", ""), "secrecy"),
                ("附件：", tw.get("attachment_text", ""), "attachments")]
    for label, value, role in labelled:
        x_wrap = LEFT + _text_w(label, fk, hs)
        items += _hanging_items(label + value, fk, hs, LEFT, x_wrap, role, hlp)
    items.append(_spacer(LP * 0.6))
    lp = FS * 1.75
    for b in c["body"]:
        text = b["text"]
        if text.startswith(("主旨：", "說明：")) and len(text) > 3:
            items += _hanging_items(text, fk, FS, LEFT, LEFT + 3 * CP, "body", lp)
        elif text in ("說明：", "说明："):
            items += _hanging_items(text, fk, FS, LEFT, LEFT + 3 * CP, "body", lp)
        else:                                  # 一、… under 說明: hanging after the number
            x0 = LEFT + CP
            mark = text.index("、") + 1 if "、" in text[:4] else 0
            items += _hanging_items(text, fk, FS, x0, x0 + _text_w(text[:mark], fk, FS), "body", lp)
    items.append(_spacer(LP * 0.5))
    for label, value, role in (("正本：", tw.get("original", ""), "original"), ("副本：", c.get("cc", ""), "cc")):
        if value or label == "正本：":
            items += _hanging_items(label + value, fk, hs, LEFT, LEFT + _text_w(label, fk, hs), role, hlp)
    items.append(_spacer(LP * 0.8))
    for s in c.get("signatories") or []:
        def draw(page, y, s=s):
            bb = _draw_line(page, LEFT + BODY_W * 0.42, y + 10, s, fk, 96, tracking=20)
            page.add("signatory", s, bb)
        items.append(_Item(130, draw, keep_prev=2))
    pages = _lay_out(items, "circular", TOP - 20 * MM, _print_font_map(truth))
    _furnish(pages[0], c, rng)
    return pages


_RENDERERS = {
    "letter": _render_letter, "under_title": _render_under_title, "quotation": _render_quotation,
    "speech": _render_speech, "leaflet": _render_leaflet, "phone_record": _render_phone_record,
    "taiwan": _render_taiwan,
}


def render_layout(truth: dict, rng: random.Random) -> list:
    """The pages of a document in a layout other than gb9704."""
    layout = truth.get("layout")
    if layout not in _RENDERERS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    return _RENDERERS[layout](truth, rng)
