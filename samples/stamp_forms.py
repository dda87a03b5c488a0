"""收文 stamps of the slip-form family, as offices ink them: other shapes and divisions than
``furniture._receipt_stamp``, put anywhere on the first circular page or on the slip, filled by
hand, by a pale pencil or by a numbering stamp.

Styles (``STAMP_STYLES``):

- rows3: three rows — office / 收文 第＿＿号 / ＿＿年＿＿月＿＿日; 第 号 年 月 日 printed, the
  numerals filled in;
- grid: office across the top, then two rows of a two-column grid: 收文号 | number, 收文日期 | date;
- oval: an oval ring around office / 收文 and the number / the date;
- bar: one long row — office | 收文 | number | date.

Positions (``STAMP_POSITIONS``) on the first circular page: top_left, top_right, top_center,
bottom_left, bottom_right, over_text (on the right end of the 发文字号 or title line, over the
print); on the slip page top_left, top_right, bottom_left, bottom_right.
"""

from __future__ import annotations

import random
import re

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .fonts import font
from .furniture import _rot_pt
from .hands import PEN_INK, write
from .page import LEFT, PAGE_H, PAGE_W, RIGHT, STAMP, _multiply, _Page

STAMP_STYLES = ("rows3", "grid", "oval", "bar")
STAMP_POSITIONS = ("top_left", "top_right", "top_center", "bottom_left", "bottom_right", "over_text")
SLIP_STAMP_POSITIONS = ("top_left", "top_right", "bottom_left", "bottom_right")
RECEIPT_PLACES = ("circular", "slip", "form")
SLIP_STAMP_TOP = 110               # the top of a stamp at the top of a slip is above this (the title goes under it)
STAMP_FILLS = ("hand", "pencil", "numbering")
NUMBERING_INK = {"red": (200, 48, 60), "blue": (52, 60, 150), "black": (40, 36, 52)}
STAMP_PAD = 40                     # blank around the impression, so a rotation does not clip it
STAMP_LINE = 5                     # ruling of the impression, px
PALE_ALPHA, FULL_ALPHA = 0.5, 0.93
NUMBER_FRAME = {"rows3": re.compile(r"^第(.+)号$")}
DATE_FRAME = re.compile(r"^(\d{2,4})年(\d{1,2})月(\d{1,2})日$")
HAND_SIZE = 56                     # numerals written into a stamp
STAMP_SIZES = {"rows3": (560, 270), "grid": (620, 250), "oval": (620, 330), "bar": (1120, 110)}   # px, unrotated


class _Draft:
    """A stamp being drawn: its L mask (before rotation), the printed parts and the fields to fill."""

    def __init__(self, w: int, h: int):
        self.w, self.h = w, h
        self.mask = Image.new("L", (w + 2 * STAMP_PAD, h + 2 * STAMP_PAD), 0)
        self.draw = ImageDraw.Draw(self.mask)
        self.parts: list[tuple[str, str, tuple]] = []         # (part, text, local box)
        self.fields: list[tuple[str, list[tuple[str, tuple]]]] = []  # (part, [(piece, slot box)])
        self.frames: dict[str, list[tuple]] = {}   # part → boxes of its printed frame (第 号, 年 月 日)

    def box(self, x0, y0, x1, y1, width=STAMP_LINE):
        p = STAMP_PAD
        self.draw.rectangle((x0 + p, y0 + p, x1 + p, y1 + p), outline=255, width=width)

    def line(self, x0, y0, x1, y1, width=STAMP_LINE - 1):
        p = STAMP_PAD
        self.draw.line((x0 + p, y0 + p, x1 + p, y1 + p), fill=255, width=width)

    def text(self, cx, cy, txt, size, part=None, max_w=None):
        """Print txt centred at (cx, cy), shrunk to max_w; returns its local box."""
        fs = size
        while max_w and fs > 18 and font("stamp", fs).getlength(txt) > max_w:
            fs -= 2
        p = STAMP_PAD
        self.draw.text((cx + p, cy + p), txt, font=font("stamp", fs), fill=255, anchor="mm")
        w = font("stamp", fs).getlength(txt)
        box = (cx - w / 2, cy - fs / 2, cx + w / 2, cy + fs / 2)
        if part:
            self.parts.append((part, txt, box))
        return box


def _office_size(office: str, width: float) -> int:
    return int(max(24, min(44, width * 0.92 / max(len(office), 1))))


def _draft_rows3(rc: dict) -> _Draft:
    w, h = STAMP_SIZES["rows3"]
    d = _Draft(w, h)
    d.box(0, 0, w, h)
    d.line(0, h / 3, w, h / 3)
    d.line(0, 2 * h / 3, w, 2 * h / 3)
    d.text(w / 2, h / 6, rc["office"], _office_size(rc["office"], w), "office", max_w=w - 30)
    d.text(85, h / 2, "收文", 46, "label")
    first = d.text(210, h / 2, "第", 40)
    last = d.text(w - 50, h / 2, "号", 40)
    number = NUMBER_FRAME["rows3"].match(rc["number"]).group(1)
    d.fields.append(("number", [(number, (first[2] + 8, h / 3 + 8, last[0] - 8, 2 * h / 3 - 8))]))
    d.frames["number"] = [first, last]
    y, m, dd = DATE_FRAME.match(rc["date_raw"]).groups()
    marks = [d.text(x, 5 * h / 6, ch, 40) for x, ch in ((w * 0.42, "年"), (w * 0.66, "月"), (w * 0.9, "日"))]
    slots = [(20, marks[0][0] - 6), (marks[0][2] + 6, marks[1][0] - 6), (marks[1][2] + 6, marks[2][0] - 6)]
    d.fields.append(("date", [(piece, (a, 2 * h / 3 + 8, b, h - 8)) for piece, (a, b) in zip((y, m, dd), slots)]))
    d.frames["date"] = marks
    return d


def _draft_grid(rc: dict, labels=("收文号", "收文日期")) -> _Draft:
    w, h = STAMP_SIZES["grid"]
    top = h * 0.36
    split = w * 0.34
    d = _Draft(w, h)
    d.box(0, 0, w, h)
    d.line(0, top, w, top)
    d.line(0, (top + h) / 2, w, (top + h) / 2)
    d.line(split, top, split, h)
    d.text(w / 2, top / 2, rc["office"], _office_size(rc["office"], w), "office", max_w=w - 30)
    mid = (top + h) / 2
    d.text(split / 2, (top + mid) / 2, labels[0], 38, "label", max_w=split - 20)
    d.text(split / 2, (mid + h) / 2, labels[1], 38, max_w=split - 20)
    d.fields.append(("number", [(rc["number"], (split + 10, top + 6, w - 10, mid - 6))]))
    d.fields.append(("date", [(rc["date_raw"], (split + 10, mid + 6, w - 10, h - 6))]))
    return d


def _draft_oval(rc: dict) -> _Draft:
    w, h = STAMP_SIZES["oval"]
    d = _Draft(w, h)
    p = STAMP_PAD
    d.draw.ellipse((p, p, w + p, h + p), outline=255, width=STAMP_LINE + 1)
    d.draw.ellipse((p + 14, p + 14, w + p - 14, h + p - 14), outline=255, width=2)
    d.text(w / 2, h * 0.24, rc["office"], _office_size(rc["office"], w * 0.72), "office", max_w=w * 0.7)
    lab = d.text(w * 0.3, h * 0.5, "收文", 50, "label")
    d.line(w * 0.12, h * 0.36, w * 0.88, h * 0.36, 2)
    d.fields.append(("number", [(rc["number"], (lab[2] + 16, h * 0.39, w * 0.86, h * 0.61))]))
    d.fields.append(("date", [(rc["date_raw"], (w * 0.17, h * 0.63, w * 0.83, h * 0.86))]))
    return d


def _draft_bar(rc: dict) -> _Draft:
    w, h = STAMP_SIZES["bar"]
    xs = [0, 440, 560, 790, w]
    d = _Draft(w, h)
    d.box(0, 0, w, h)
    for x in xs[1:-1]:
        d.line(x, 0, x, h)
    d.text(xs[1] / 2, h / 2, rc["office"], _office_size(rc["office"], xs[1]), "office", max_w=xs[1] - 20)
    d.text((xs[1] + xs[2]) / 2, h / 2, "收文", 42, "label")
    d.fields.append(("number", [(rc["number"], (xs[2] + 8, 8, xs[3] - 8, h - 8))]))
    d.fields.append(("date", [(rc["date_raw"], (xs[3] + 8, 8, xs[4] - 8, h - 8))]))
    return d


DRAFTS = {"rows3": _draft_rows3, "grid": _draft_grid, "oval": _draft_oval, "bar": _draft_bar}


def stamp_size(style: str) -> tuple[int, int]:
    """The impression's size (without the blank around it)."""
    return STAMP_SIZES[style]


def _inked(mask: Image.Image, pale: bool, rng: random.Random) -> Image.Image:
    """Uneven stamp ink: low-frequency density, starved patches when pale."""
    a = np.asarray(mask, dtype=np.float32)
    gen = np.random.default_rng(rng.randrange(1 << 30))
    lo = 0.45 if pale else 0.75
    low = cv2.resize(gen.uniform(lo, 1.0, (5, 9)).astype(np.float32), mask.size, interpolation=cv2.INTER_CUBIC)
    holes = (gen.random(a.shape) > (0.1 if pale else 0.03)).astype(np.float32)
    a = cv2.GaussianBlur(a * low.clip(0.3, 1.0) * holes, (0, 0), 0.9)
    return Image.fromarray(a.clip(0, 255).astype(np.uint8))


def _numbering(page: _Page, text: str, cx: float, cy: float, size: int, color, rng: random.Random) -> tuple:
    """Digits from a numbering stamp (号码机): one bold face, fixed pitch, centred at (cx, cy)."""
    pitch = size * 0.66
    fnt = font("heiti_bold", size)
    w = int(pitch * len(text) + size)
    m = Image.new("L", (w, int(size * 1.6)), 0)
    dr = ImageDraw.Draw(m)
    for i, ch in enumerate(text):
        dr.text((size / 2 + i * pitch + pitch / 2, size * 0.8 + rng.uniform(-1.5, 1.5)), ch, font=fnt, fill=255,
                anchor="mm")
    m = _inked(m, False, rng).rotate(rng.uniform(-3, 3), resample=Image.Resampling.BICUBIC)
    bb = m.getbbox() or (0, 0, 1, 1)
    m = m.crop(bb)
    xy = (int(cx - m.size[0] / 2), int(cy - m.size[1] / 2))
    page.late.append((3, lambda: _multiply(page, m, xy, color, 0.9)))
    return (xy[0], xy[1], xy[0] + m.size[0], xy[1] + m.size[1])


def _hull(boxes) -> tuple:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _fill(page: _Page, rc: dict, piece: str, slot: tuple, rng: random.Random) -> tuple:
    """Write or stamp one piece of a field into its (page) slot; returns the ink box."""
    cx, cy = (slot[0] + slot[2]) / 2, (slot[1] + slot[3]) / 2
    fill = rc.get("fill", "hand")
    if fill == "numbering":
        size = int(min(44, (slot[3] - slot[1]) * 0.8, (slot[2] - slot[0]) / (0.66 * len(piece) + 0.6)))
        return _numbering(page, piece, cx, cy, max(20, size), NUMBERING_INK[rc.get("fill_ink", "black")], rng)
    style = "pencil" if fill == "pencil" else rc.get("hand", "ballpoint")
    size = int(min(HAND_SIZE, (slot[3] - slot[1]) * 0.95))
    return write(page, cx, cy, piece, size, style, rc.get("pen", "blueblack"), rng, anchor="cm", fit=slot)


def _page_box(box, ang, cx, cy, ox, oy) -> tuple:
    pts = [_rot_pt(px + STAMP_PAD, py + STAMP_PAD, ang, cx, cy) for px, py in
           ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3]))]
    return (min(p[0] for p in pts) + ox, min(p[1] for p in pts) + oy, max(p[0] for p in pts) + ox,
            max(p[1] for p in pts) + oy)


def _slot_on_page(box, ang, cx, cy, ox, oy) -> tuple:
    """A field slot on the page: the rotated slot's centre with the slot's own size (a hand writes
    level, whatever the stamp's tilt)."""
    mx, my = _rot_pt((box[0] + box[2]) / 2 + STAMP_PAD, (box[1] + box[3]) / 2 + STAMP_PAD, ang, cx, cy)
    hw, hh = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
    return (mx + ox - hw, my + oy - hh, mx + ox + hw, my + oy + hh)


def draw_receipt_stamp(page: _Page, rc: dict, x: float, y: float, rng: random.Random) -> tuple:
    """Ink the stamp of rc (style, ink, pale, fill) with its impression's top-left at (x, y) and
    fill its number and date; returns the impression's page box."""
    d = DRAFTS[rc.get("style", "rows3")](rc)
    ang = rng.uniform(-5, 5) if rng.random() < 0.85 else rng.uniform(-11, 11)
    mask = d.mask.rotate(ang, resample=Image.Resampling.BICUBIC)
    mask = _inked(mask, rc.get("pale", False), rng)
    cx, cy = mask.size[0] / 2, mask.size[1] / 2
    ox, oy = x - STAMP_PAD, y - STAMP_PAD
    ink = rc.get("ink", "red")
    alpha = PALE_ALPHA if rc.get("pale") else FULL_ALPHA
    page.late.append((2, lambda: _multiply(page, mask, (ox, oy), STAMP[ink], alpha)))
    n = 0
    for part, txt, box in d.parts:
        page.add("stamp", txt, _page_box(box, ang, cx, cy, ox, oy), ink, order=-100 + n, part=part, handwritten=False)
        n += 1
    fill = rc.get("fill", "hand")
    fill_ink = rc.get("fill_ink", "black") if fill == "numbering" else PEN_INK[rc.get("pen", "blueblack")]
    for part, pieces in d.fields:
        inks = []
        slots = []
        for piece, slot in pieces:
            page_slot = _slot_on_page(slot, ang, cx, cy, ox, oy)
            inks.append(_fill(page, rc, piece, page_slot, rng))
            slots.append(_page_box(slot, ang, cx, cy, ox, oy))
        slots += [_page_box(b, ang, cx, cy, ox, oy) for b in d.frames.get(part, [])]
        text = rc["number"] if part == "number" else rc["date_raw"]
        page.add("stamp", text, _hull(inks + slots), fill_ink, order=-100 + n, part=part,
                 handwritten=fill != "numbering", fill=fill, written=" ".join(p for p, _ in pieces))
        n += 1
    w, h = d.w, d.h
    return (x, y, x + w, y + h)


def _over_text_xy(page: _Page, w: int, h: int, rng: random.Random) -> tuple[float, float]:
    """Over the right end of the 发文字号 (or the first title) line, a little lower or higher."""
    target = next((b for role in ("doc_number", "title", "addressees") for b in page.blocks if b["role"] == role), None)
    if target is None:
        return (RIGHT - w, 300)
    bb = target["bbox"]
    x1 = min(PAGE_W - 60, max(bb[2] + w * rng.uniform(0.25, 0.5), RIGHT + rng.uniform(-40, 80)))
    return (x1 - w, (bb[1] + bb[3]) / 2 - h * rng.uniform(0.3, 0.7))


def stamp_xy(page: _Page, position: str, style: str, rng: random.Random, *, slip: bool = False) -> tuple:
    """Where the stamp's top-left goes for a position (on a circular's first page or a slip)."""
    w, h = stamp_size(style)
    if position == "over_text":
        return _over_text_xy(page, w, h, rng)
    bottom_y = PAGE_H - h - rng.uniform(70, 170)
    if slip:
        used = max((b["bbox"][3] for b in page.blocks if b["role"] != "stamp"), default=PAGE_H / 2)
        if used + 60 + h < PAGE_H - 80:
            bottom_y = used + rng.uniform(60, min(260, PAGE_H - 80 - h - used))
    top_y = rng.uniform(SLIP_STAMP_TOP - 70, SLIP_STAMP_TOP) if slip else rng.uniform(70, 250)
    left_x = LEFT + rng.uniform(-220, 60)
    right_x = RIGHT + rng.uniform(-60, 160) - w
    xy = {"top_left": (left_x, top_y), "top_right": (right_x, top_y),
          "top_center": (PAGE_W / 2 - w / 2 + rng.uniform(-160, 160), top_y * 0.8),
          "bottom_left": (left_x, bottom_y), "bottom_right": (right_x, bottom_y)}[position]
    return (min(max(20, xy[0]), PAGE_W - w - 20), min(max(20, xy[1]), PAGE_H - h - 20))


def stamp_receipt(page: _Page, rc: dict, rng: random.Random, *, slip: bool = False) -> tuple:
    """Ink rc's stamp on a page at rc["position"]; returns its box."""
    x, y = stamp_xy(page, rc.get("position", "top_right"), rc.get("style", "rows3"), rng, slip=slip)
    return draw_receipt_stamp(page, rc, x, y, rng)
