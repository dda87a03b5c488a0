"""Handwriting styles of the slip-form family (slip_forms.py, stamp_forms.py), drawn from the CJK
fonts the machine has, each glyph changed on its own so no two characters are alike:

- ballpoint: Noto Sans glyphs thinned to their skeleton and redrawn with a thin pen, strong
  per-glyph jitter and wobble, characters squeezed together;
- brush: AR PL UKai glyphs thickened like a felt pen or a soft brush, upright and large;
- hurried: UKai skeletons with a strong slant, characters shrinking along the line and a wavy,
  rising baseline;
- pencil: WenQuanYi Zen Hei skeletons in a grainy, broken stroke (a coloured pencil).

Pens (``PENS``): blueblack, black, redpencil, paleblue, graphite (a pale lead pencil);
``PEN_INK`` is the page-truth ink class (black, red or blue) of each.  The older
``handwriting._hand`` (ukai, jitter only) is untouched.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .fonts import font
from .handwriting import anchored
from .page import PAGE_H, PAGE_W, _multiply, _Page
from .text import wrap

PENS = {"blueblack": (34, 42, 96), "black": (32, 32, 38), "redpencil": (186, 70, 64), "paleblue": (86, 118, 196),
        "graphite": (104, 104, 112)}
PEN_INK = {"blueblack": "blue", "black": "black", "redpencil": "red", "paleblue": "blue", "graphite": "black"}
PEN_ALPHA = {"blueblack": 0.96, "black": 0.96, "redpencil": 0.85, "paleblue": 0.9, "graphite": 0.8}


@dataclass(frozen=True)
class HandStyle:
    font: str                      # role key of the glyph source (fonts.py)
    advance: float                 # advance as a fraction of the glyph's own (below 1: squeezed)
    size_jitter: tuple[float, float]
    tilt_deg: float                # σ of each glyph's rotation
    shear: tuple[float, float]     # slant of the line (negative leans right)
    wave: float                    # baseline wave, fraction of the size
    shrink: float                  # size lost from the first to the last glyph of a line
    rise: tuple[float, float]      # baseline slope, px per px (negative rises)
    skeleton: bool                 # thin the glyph to its skeleton and redraw with a pen
    pen: float                     # pen width, fraction of the size (skeleton only)
    thicken: float                 # dilation, fraction of the size (brush)
    warp: float                    # elastic wobble, fraction of the size
    grain: float                   # share of a pencil stroke lost to the paper's grain
    jitter_y: float                # σ of each glyph's vertical offset, fraction of the size


HANDS = {
    "ballpoint": HandStyle("heiti", 0.84, (0.8, 1.1), 5.0, (-0.24, -0.06), 0.03, 0.06, (-0.03, 0.03),
                           True, 0.034, 0.0, 0.04, 0.0, 0.07),
    "brush": HandStyle("hand", 0.97, (0.86, 1.16), 4.0, (-0.1, 0.04), 0.025, 0.0, (-0.02, 0.02),
                       False, 0.0, 0.035, 0.045, 0.0, 0.05),
    "hurried": HandStyle("hand", 0.8, (0.88, 1.1), 8.0, (-0.55, -0.32), 0.11, 0.26, (-0.07, -0.01),
                         True, 0.045, 0.0, 0.07, 0.0, 0.05),
    "pencil": HandStyle("stamp", 0.9, (0.86, 1.08), 4.0, (-0.16, 0.0), 0.03, 0.05, (-0.03, 0.03),
                        True, 0.036, 0.0, 0.045, 0.42, 0.05),
}
GLYPH_BOX = 2.0                    # a glyph's canvas, in sizes
BASELINE = 1.45                    # the baseline in that canvas, in sizes


def _skeleton(a: np.ndarray) -> np.ndarray:
    """The one-pixel skeleton of a glyph (Zhang–Suen thinning), 255 on 0."""
    img = (a > 110).astype(np.uint8)
    changed = True
    while changed:
        changed = False
        for step in (0, 1):
            p = np.pad(img, 1)
            n = [p[:-2, 1:-1], p[:-2, 2:], p[1:-1, 2:], p[2:, 2:], p[2:, 1:-1], p[2:, :-2], p[1:-1, :-2], p[:-2, :-2]]
            count = sum(x.astype(np.int16) for x in n)
            turns = sum(((n[i] == 0) & (n[(i + 1) % 8] == 1)).astype(np.int16) for i in range(8))
            p2, p4, p6, p8 = n[0], n[2], n[4], n[6]
            if step == 0:
                side = ((p2 * p4 * p6) == 0) & ((p4 * p6 * p8) == 0)
            else:
                side = ((p2 * p4 * p8) == 0) & ((p2 * p6 * p8) == 0)
            gone = (img == 1) & (count >= 2) & (count <= 6) & (turns == 1) & side
            if gone.any():
                img[gone] = 0
                changed = True
    return img * 255


def _pen(a: np.ndarray, width: float) -> np.ndarray:
    k = max(2, int(round(width)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    out = cv2.dilate(cv2.GaussianBlur(a, (0, 0), 0.8), kernel)
    return cv2.GaussianBlur((out > 60).astype(np.float32) * 255, (0, 0), 0.7)


def _warp(a: np.ndarray, amp: float, gen: np.random.Generator) -> np.ndarray:
    """Bend a glyph by a smooth random displacement (a hand never draws a stroke straight)."""
    h, w = a.shape
    dx = cv2.resize(gen.normal(0, amp, (4, 4)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    dy = cv2.resize(gen.normal(0, amp, (4, 4)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(a.astype(np.float32), gx + dx, gy + dy, cv2.INTER_LINEAR, borderValue=0)


def _grain(a: np.ndarray, share: float, gen: np.random.Generator) -> np.ndarray:
    paper = cv2.GaussianBlur(gen.random(a.shape).astype(np.float32), (0, 0), 0.9)
    keep = np.clip((paper - paper.mean() * share * 1.6) * 3.0, 0.25, 1.0)
    return a * keep * 0.8


def _glyph(ch: str, s: int, st: HandStyle, rng: random.Random) -> Image.Image:
    """One character as written: an L image of 2s × 2s, baseline at 1.45 s."""
    g = Image.new("L", (int(GLYPH_BOX * s), int(GLYPH_BOX * s)), 0)
    ImageDraw.Draw(g).text((s // 2, int(s * BASELINE)), ch, font=font(st.font, s), fill=255, anchor="ls")
    a = np.asarray(g, dtype=np.float32)
    gen = np.random.default_rng(rng.randrange(1 << 30))
    if st.skeleton:
        a = _pen(_skeleton(a.astype(np.uint8)), max(2.0, st.pen * s * rng.uniform(0.85, 1.2)))
    if st.thicken:
        k = max(2, int(round(st.thicken * s * rng.uniform(0.8, 1.2))))
        a = cv2.GaussianBlur(cv2.dilate(a, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))), (0, 0), 1.0)
    if st.warp:
        a = _warp(a, st.warp * s, gen)
    if st.grain:
        a = _grain(a, st.grain, gen)
    g = Image.fromarray(a.clip(0, 255).astype(np.uint8))
    if ord(ch) > 127:
        g = g.rotate(rng.gauss(0, st.tilt_deg), resample=Image.Resampling.BICUBIC, center=(s, s))
    return g


def hand_mask(text: str, size: int, style: str, rng: random.Random) -> Image.Image:
    """A line of handwriting in a style: an L mask cropped to the ink."""
    st = HANDS[style]
    pad = size
    glyphs = []
    x = float(pad)
    rise = rng.uniform(*st.rise)
    phase, period = rng.uniform(0, 2 * math.pi), size * rng.uniform(3.0, 5.0)
    n = max(1, len(text) - 1)
    for i, ch in enumerate(text):
        if ch == " ":
            x += size * 0.4
            continue
        s = max(10, int(round(size * (1 - st.shrink * i / n) * rng.uniform(*st.size_jitter))))
        g = _glyph(ch, s, st, rng)
        dy = rng.gauss(0, size * st.jitter_y) + rise * (x - pad) + st.wave * size * math.sin(phase + x / period)
        glyphs.append((x - s // 2, dy - s * BASELINE, g))
        gap = size * 0.04 if ord(ch) > 127 else 0.0
        x += font(st.font, s).getlength(ch) * st.advance * rng.uniform(0.92, 1.04) + gap
    w = int(x + pad)
    lift = max(abs(rise) * w, 0) + st.wave * size * 2
    base = size * BASELINE + (lift if rise < 0 else 0) + st.wave * size
    m = np.zeros((int(size * 2.6 + lift * 2), w), dtype=np.float32)
    for gx, gy, g in glyphs:
        px, py = int(gx), int(base + gy)
        ga = np.asarray(g, dtype=np.float32)
        y0, x0 = max(0, py), max(0, px)
        y1, x1 = min(m.shape[0], py + ga.shape[0]), min(m.shape[1], px + ga.shape[1])
        if y1 > y0 and x1 > x0:
            m[y0:y1, x0:x1] = np.maximum(m[y0:y1, x0:x1], ga[y0 - py:y1 - py, x0 - px:x1 - px])
    img = Image.fromarray(m.clip(0, 255).astype(np.uint8))
    h = img.size[1]
    shear = rng.uniform(*st.shear)
    img = img.transform(img.size, Image.Transform.AFFINE, (1, shear, -shear * h / 2, 0, 1, 0),
                        resample=Image.Resampling.BILINEAR)
    img = img.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, expand=True)
    bb = img.getbbox()
    return img.crop(bb) if bb else img


def hand_width(text: str, size: int, style: str) -> float:
    """About how wide a line of text comes out in a style (for line breaking)."""
    st = HANDS[style]
    fnt = font(st.font, size)
    return fnt.getlength(text) * st.advance * (1 - st.shrink / 2) + size * 0.04 * len(text) + size * 0.3


def hand_wrap(text: str, size: int, style: str, width: float, first_width: float | None = None) -> list[str]:
    """Break text into handwritten lines of about width (the first first_width)."""
    st = HANDS[style]
    ratio = st.advance * (1 - st.shrink / 2) + 0.04
    fnt = font(st.font, size)
    first = None if first_width is None else max(size * 1.0, first_width / ratio - size * 0.4)
    return wrap(text, fnt, max(size * 1.0, width / ratio - size * 0.4), first)


def write(page: _Page, x: float, y: float, text: str, size: int, style: str, pen: str, rng: random.Random,
          anchor: str = "lt", fit: tuple[float, float, float, float] | None = None) -> tuple[int, int, int, int]:
    """Schedule a handwritten line at (x, y) (anchor lt/rt/ct/lm/cm/lb/rb); returns its ink bbox.

    fit: a box the line must stay inside; the line is shrunk and moved into it when it would not."""
    mask = hand_mask(text, size, style, rng)
    w, h = mask.size
    if fit:
        scale = min(1.0, (fit[2] - fit[0]) / max(w, 1), (fit[3] - fit[1]) / max(h, 1))
        if scale < 1.0:
            w, h = max(1, int(w * scale)), max(1, int(h * scale))
            mask = mask.resize((w, h), Image.Resampling.LANCZOS)
    x, y = anchored(x, y, w, h, anchor)
    x += rng.uniform(-size * 0.06, size * 0.06)
    y += rng.uniform(-size * 0.05, size * 0.05)
    if fit:
        x = min(max(fit[0], x), fit[2] - w)
        y = min(max(fit[1], y), fit[3] - h)
    x = min(max(10, x), PAGE_W - w - 10)
    y = min(max(10, y), PAGE_H - h - 10)
    color, alpha = PENS[pen], PEN_ALPHA[pen]
    xy = (int(x), int(y))
    page.late.append((3, lambda: _multiply(page, mask, xy, color, alpha)))
    return (xy[0], xy[1], xy[0] + w, xy[1] + h)
