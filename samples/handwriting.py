"""Handwriting: ukai glyphs jittered one by one on a drifting, slanted line, laid on a page late
(after print) in pen ink."""

from __future__ import annotations

import random

from PIL import Image, ImageChops, ImageDraw

from .fonts import font
from .page import PAGE_H, PAGE_W, PEN, _Page
from .text import wrap


def _hand_mask(text: str, size: int, rng: random.Random) -> Image.Image:
    """Handwriting: ukai glyphs, each with its own size, tilt and offset, on a drifting baseline;
    the line is then slanted and tilted as a whole."""
    pad = size
    glyphs = []
    x = pad
    drift = rng.uniform(-0.06, 0.06)             # baseline slope, px per px
    for ch in text:
        if ch == " ":
            x += size * 0.45
            continue
        s = max(10, int(round(size * rng.uniform(0.84, 1.12))))
        fnt = font("hand", s)
        g = Image.new("L", (2 * s, 2 * s), 0)
        ImageDraw.Draw(g).text((s // 2, int(s * 1.45)), ch, font=fnt, fill=255, anchor="ls")
        if ord(ch) > 127:
            g = g.rotate(rng.uniform(-7, 7), resample=Image.Resampling.BICUBIC, center=(s, s))
        dy = rng.gauss(0, size * 0.05) + drift * (x - pad)
        glyphs.append((x - s // 2, dy - s * 1.45, g))
        adv = fnt.getlength(ch)
        x += adv * rng.uniform(0.86, 1.02) + (size * 0.05 if ord(ch) > 127 else size * 0.02)
    w = int(x + pad)
    base = size * 1.45 + max(0.0, -drift * w)
    h = int(size * 2.4 + abs(drift) * w)
    m = Image.new("L", (w, h), 0)
    for gx, gy, g in glyphs:
        px, py = int(gx), int(base + gy)
        region = m.crop((px, py, px + g.size[0], py + g.size[1]))
        m.paste(ImageChops.lighter(region, g), (px, py))
    shear = rng.uniform(-0.18, 0.02)
    m = m.transform(m.size, Image.Transform.AFFINE, (1, shear, -shear * h / 2, 0, 1, 0),
                    resample=Image.Resampling.BILINEAR)
    m = m.rotate(rng.uniform(-2.0, 2.0), resample=Image.Resampling.BICUBIC, expand=True)
    bb = m.getbbox()
    return m.crop(bb) if bb else m


def anchored(x: float, y: float, w: float, h: float, anchor: str) -> tuple[float, float]:
    """The top left of a w × h box placed at (x, y) by its anchor: l/c/r across, t/m/b down."""
    if anchor[0] == "r":
        x -= w
    elif anchor[0] == "c":
        x -= w / 2
    if anchor[1] == "m":
        y -= h / 2
    elif anchor[1] == "b":
        y -= h
    return x, y


def _hand(page: _Page, x: float, y: float, text: str, size: int, ink: str, rng: random.Random,
          anchor: str = "lt") -> tuple:
    """Schedule handwriting at (x, y) (anchor lt/rt/ct/lm/cm); returns its ink bbox."""
    mask = _hand_mask(text, size, rng)
    w, h = mask.size
    x, y = anchored(x, y, w, h, anchor)
    x += rng.uniform(-size * 0.1, size * 0.1)
    y += rng.uniform(-size * 0.08, size * 0.08)
    x = min(max(20, x), PAGE_W - w - 20)
    y = min(max(20, y), PAGE_H - h - 20)
    color = PEN[ink]
    page.late.append((3, lambda: page.img.paste(color, (int(x), int(y), int(x) + w, int(y) + h), mask)))
    return (int(x), int(y), int(x) + w, int(y) + h)


def _hand_wrap(text: str, size: int, width: float) -> list[str]:
    return wrap(text, font("hand", size), width / 1.04)
