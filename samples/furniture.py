"""Page furniture laid over the print: the round red seal, the 收文 stamp (office, number and date
filled by hand) and the page numbers "— 1 —"."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .fonts import font
from .handwriting import _hand_mask
from .page import BOTTOM, CP, LEFT, MM, PEN, RIGHT, SEAL_RED, SMALL_FS, STAMP, _Page, _draw_line, _multiply, _text_w


def _star_points(cx: float, cy: float, r: float, rot: float = -90.0) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.382
        a = math.radians(rot + i * 36)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def _seal_mask(name: str, diameter: int, rng: random.Random) -> Image.Image:
    """A round official seal: ring, five-pointed star, the organ's name along the upper arc."""
    size = diameter + 20
    c = size / 2
    R = diameter / 2
    m = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(m)
    ring = max(8, int(diameter * 0.03))
    d.ellipse((c - R, c - R, c + R, c + R), outline=255, width=ring)
    d.polygon(_star_points(c, c, R * 0.3), fill=255)
    n = len(name)
    fs = int(min(R * 0.34, (R * 0.72) * math.radians(250) / max(n, 1) * 1.05))
    fnt = font("song", fs)
    span = min(250.0, n * fs * 1.1 / (R * 0.72) * 180 / math.pi)
    r_text = R - ring - fs * 0.62
    for i, ch in enumerate(name):
        ang = -90 - span / 2 + span * (i + 0.5) / n        # degrees, screen coords, -90 is top
        glyph = Image.new("L", (fs * 2, fs * 2), 0)
        ImageDraw.Draw(glyph).text((fs, fs), ch, font=fnt, fill=255, anchor="mm")
        glyph = glyph.rotate(-(ang + 90), resample=Image.Resampling.BICUBIC)
        gx = c + r_text * math.cos(math.radians(ang)) - fs
        gy = c + r_text * math.sin(math.radians(ang)) - fs
        m.paste(255, (int(gx), int(gy)), glyph)
    # uneven ink: random low-frequency density and pinholes
    a = np.asarray(m, dtype=np.float32)
    gen = np.random.default_rng(rng.randrange(1 << 30))
    low = cv2.resize(gen.uniform(0.55, 1.0, (6, 6)).astype(np.float32), (size, size), interpolation=cv2.INTER_CUBIC)
    holes = (gen.random((size, size)) > 0.04).astype(np.float32)
    a = a * np.clip(low, 0.45, 1.0) * holes
    m = Image.fromarray(cv2.GaussianBlur(a, (0, 0), 1.2).clip(0, 255).astype(np.uint8))
    return m.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC)


def _seal(page: _Page, name: str, cx: float, cy: float, rng: random.Random) -> None:
    diameter = round(42 * MM)
    mask = _seal_mask(name, diameter, rng)
    x, y = cx - mask.size[0] / 2, cy - mask.size[1] / 2
    page.late.append((1, lambda: _multiply(page, mask, (x, y), SEAL_RED, 0.88)))
    page.add("seal", name, (cx - diameter / 2, cy - diameter / 2, cx + diameter / 2, cy + diameter / 2), "red")


def _rot_pt(x: float, y: float, ang: float, cx: float, cy: float) -> tuple[float, float]:
    a = math.radians(-ang)                   # PIL rotate(ang) is counter-clockwise on screen
    dx, dy = x - cx, y - cy
    return (cx + dx * math.cos(a) - dy * math.sin(a), cy + dx * math.sin(a) + dy * math.cos(a))


def _rot_box(b, ang, cx, cy, ox, oy):
    pts = [_rot_pt(px, py, ang, cx, cy) for px, py in ((b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3]))]
    xs, ys = [p[0] + ox for p in pts], [p[1] + oy for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def _receipt_stamp(page: _Page, receipt: dict, x1: float, y0: float, rng: random.Random) -> None:
    """A 收文 stamp: office name | number over 收文 | date; number and date filled by hand."""
    office = receipt["office"]
    fs = 40
    w_off = max(_text_w(office, "stamp", fs) + 40, 420)
    W = int(w_off + 300)
    H = 200
    pad = 30
    stamp = Image.new("L", (W + 2 * pad, H + 2 * pad), 0)
    pen = Image.new("L", stamp.size, 0)
    d = ImageDraw.Draw(stamp)
    lw = 5
    d.rectangle((pad, pad, pad + W, pad + H), outline=255, width=lw)
    d.line((pad, pad + H // 2, pad + W, pad + H // 2), fill=255, width=lw - 1)
    xs = pad + int(w_off)
    d.line((xs, pad, xs, pad + H // 2), fill=255, width=lw - 1)
    xl = pad + 140
    d.line((xl, pad + H // 2, xl, pad + H), fill=255, width=lw - 1)
    fo = font("stamp", fs)
    parts = []
    cy1, cy2 = pad + H // 4, pad + 3 * H // 4
    d.text(((pad + xs) / 2, cy1), office, font=fo, fill=255, anchor="mm")
    parts.append(("office", office, (pad, pad, xs, pad + H // 2), False))
    d.text(((pad + xl) / 2, cy2), "收文", font=font("stamp", 48), fill=255, anchor="mm")
    parts.append(("label", "收文", (pad, pad + H // 2, xl, pad + H), False))
    fill_ink = receipt.get("fill_ink", "black")
    for key, txt, box in (("number", receipt["number"], (xs, pad, pad + W, pad + H // 2)),
                          ("date", receipt["date_raw"], (xl, pad + H // 2, pad + W, pad + H))):
        hm = _hand_mask(txt, 52, rng)
        bw, bh = box[2] - box[0], box[3] - box[1]
        if hm.size[0] > bw - 10:
            hm = hm.resize((int(bw - 10), int(hm.size[1] * (bw - 10) / hm.size[0])))
        px, py = int(box[0] + (bw - hm.size[0]) / 2), int(box[1] + (bh - hm.size[1]) / 2)
        pen.paste(255, (px, py), hm)
        parts.append((key, txt, (px, py, px + hm.size[0], py + hm.size[1]), True))
    ang = rng.uniform(-4, 4)
    stamp = stamp.rotate(ang, resample=Image.Resampling.BICUBIC, expand=False)
    pen = pen.rotate(ang, resample=Image.Resampling.BICUBIC, expand=False)
    a = np.asarray(stamp, dtype=np.float32)
    gen = np.random.default_rng(rng.randrange(1 << 30))
    low = cv2.resize(gen.uniform(0.78, 1.0, (4, 8)).astype(np.float32), stamp.size, interpolation=cv2.INTER_CUBIC)
    stamp = Image.fromarray((a * low).clip(0, 255).astype(np.uint8))
    ox, oy = x1 - stamp.size[0], y0
    cx, cy = stamp.size[0] / 2, stamp.size[1] / 2
    ink = receipt.get("ink", "red")
    page.late.append((2, lambda: _multiply(page, stamp, (ox, oy), STAMP[ink], 0.95)))
    pen_color = STAMP[ink] if fill_ink == ink else PEN[fill_ink]
    page.late.append((3, lambda: _multiply(page, pen, (ox, oy), pen_color, 1.0)))
    for n, (part, txt, box, hand) in enumerate(parts):
        page.add("stamp", txt, _rot_box(box, ang, cx, cy, ox, oy), fill_ink if hand else ink,
                 order=-100 + n, part=part, handwritten=hand)
    return (ox, oy, ox + stamp.size[0], oy + stamp.size[1])


def _page_number(page: _Page, n: int, style: str = "gb", total: int = 1) -> None:
    """The page number: "— 1 —" outside (gb), "-1-" centred (dash), 第1頁，共2頁 centred (tw),
    none (none)."""
    if style == "none":
        return
    if style == "gb":
        txt = f"— {n} —"
        w = _text_w(txt, "song", SMALL_FS)
        x = RIGHT - CP - w if n % 2 else LEFT + CP
        fk = "song"
    else:
        txt, fk = (f"第{n}頁，共{total}頁", "kai_tw") if style == "tw" else (f"-{n}-", "song")
        w = _text_w(txt, fk, SMALL_FS)
        x = (LEFT + RIGHT - w) / 2
    y = BOTTOM + 7 * MM
    bb = _draw_line(page, x, y, txt, fk, SMALL_FS)
    page.add("page_number", txt, bb, order=1e9)
