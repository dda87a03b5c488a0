"""The page: GB/T 9704-2012 geometry at 300 dpi, inks, and the canvas every page is drawn on
(``_Page``: image, blocks of page truth, late overlays) with its drawing primitives."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from .fonts import font
from .text import _width

# Page geometry (GB/T 9704-2012) at 300 dpi
DPI = 300
MM = DPI / 25.4
PAGE_W, PAGE_H = 2480, 3508
LEFT = round(28 * MM)                  # 331
TOP = round(37 * MM)                   # 437
BODY_W = round(156 * MM)               # 1843
BODY_H = round(225 * MM)               # 2657
RIGHT = LEFT + BODY_W
BOTTOM = TOP + BODY_H
FS = 65                                # 3号 (16 pt) body size; 28 characters fill the line
CP = BODY_W / 28                       # character pitch
LP = BODY_H / 22                       # line pitch: 22 lines per page
TITLE_FS = 92                          # 2号 (22 pt)
SMALL_FS = 58                          # 4号 (14 pt)

INK = {
    "black": (24, 24, 26),
    "red": (212, 34, 38),
    "blue": (30, 56, 158),
}
PEN = {"black": (38, 38, 48), "blue": (28, 52, 150), "red": (196, 40, 46)}
STAMP = {"red": (214, 52, 58), "blue": (48, 78, 176)}
SEAL_RED = (226, 46, 50)


class _Page:
    def __init__(self, kind: str, font_map: dict | None = None):
        self.kind = kind
        self.font_map = dict(font_map or {})   # role key → key drawn instead (a stencil's hand)
        self.img = Image.new("RGB", (PAGE_W, PAGE_H), (255, 255, 255))
        self.draw = ImageDraw.Draw(self.img)
        self.blocks: list[dict] = []
        self.late: list = []          # overlays applied after print: seals, stamps, handwriting
        self._seq = 0

    def add(self, role: str, text: str, bbox, ink: str = "black", order: float | None = None, **extra) -> dict:
        self._seq += 1
        extra.setdefault("handwritten", role == "handwriting")
        block = {"role": role, "text": text, "bbox": [int(round(v)) for v in bbox], "ink": ink, **extra,
                 "_order": self._seq if order is None else order}
        self.blocks.append(block)
        return block


def _draw_line(page: _Page, x: float, y_top: float, text: str, fkey: str, size: int, *,
               fill=INK["black"], width: float | None = None, justify: bool = False,
               tracking: float = 0.0, hscale: float = 1.0) -> tuple[float, float, float, float]:
    """Draw one line with its em box top at y_top; squeeze to width if wider, stretch if justify.

    Returns the em-box bbox."""
    if page.font_map:
        fkey = page.font_map.get(fkey, fkey)
    fnt = font(fkey, size)
    base = y_top + 0.88 * size
    chars = list(text)
    widths = [fnt.getlength(c) for c in chars]
    natural = sum(widths) + tracking * max(0, len(chars) - 1)
    if width is not None and len(chars) > 1 and (natural > width + 0.5 or justify):
        gap = (width - sum(widths)) / (len(chars) - 1)
    else:
        gap = tracking
    if gap == 0 and hscale == 1.0:
        page.draw.text((x, base), text, font=fnt, fill=fill, anchor="ls")
        return (x, y_top, x + natural, y_top + size)
    cx = x
    for c, w in zip(chars, widths):
        page.draw.text((cx, base), c, font=fnt, fill=fill, anchor="ls")
        cx += w + gap
    return (x, y_top, cx - gap, y_top + size)


def _text_w(text: str, fkey: str, size: int, tracking: float = 0.0) -> float:
    return _width(text, font(fkey, size), tracking) - (tracking if text else 0)


def _mask_text(text: str, fkey: str, size: int) -> Image.Image:
    """An L mask of text, cropped to the ink."""
    fnt = font(fkey, size)
    w = int(fnt.getlength(text)) + size
    m = Image.new("L", (w, int(size * 1.5)), 0)
    ImageDraw.Draw(m).text((size // 2, int(size * 1.1)), text, font=fnt, fill=255, anchor="ls")
    return m.crop(m.getbbox())


def _multiply(page: _Page, mask: Image.Image, xy: tuple[int, int], color, alpha: float = 1.0) -> tuple:
    """Blend colour into the page through mask with multiply (ink over ink stays dark)."""
    x, y = int(round(xy[0])), int(round(xy[1]))
    w, h = mask.size
    x0, y0, x1, y1 = max(0, x), max(0, y), min(PAGE_W, x + w), min(PAGE_H, y + h)
    if x1 <= x0 or y1 <= y0:
        return (x0, y0, x0, y0)
    m = np.asarray(mask.crop((x0 - x, y0 - y, x1 - x, y1 - y)), dtype=np.float32) * (alpha / 255.0)
    region = np.asarray(page.img.crop((x0, y0, x1, y1)), dtype=np.float32)
    col = np.asarray(color, dtype=np.float32) / 255.0
    out = region * (1.0 - m[..., None] * (1.0 - col))
    page.img.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)), (x0, y0))
    bb = mask.getbbox()
    if not bb:
        return (x0, y0, x0, y0)
    return (x + bb[0], y + bb[1], x + bb[2], y + bb[3])


def _reink(page: _Page, color) -> None:
    """Print the whole page in one ink: the black and red print of a clean page (before seals,
    stamps and handwriting are laid on) redrawn in ``color``; black printed blocks become red."""
    a = np.asarray(page.img, dtype=np.float32)
    d_r, d_g = 255.0 - a[..., 0], 255.0 - a[..., 1]
    red, black = np.asarray(INK["red"], np.float32), np.asarray(INK["black"], np.float32)
    # the page is white - a_r·(white - red) - a_b·(white - black): solve on the R and G channels
    k_r = ((d_g - d_r) / ((255 - red[1]) - (255 - red[0]))).clip(0, 1)
    k_b = ((d_r - k_r * (255 - red[0])) / (255 - black[0])).clip(0, 1)
    cover = np.clip(k_r + k_b, 0, 1)[..., None]
    col = np.asarray(color, np.float32)
    out = 255.0 - cover * (255.0 - col)
    page.img = Image.fromarray(out.round().clip(0, 255).astype(np.uint8))
    page.draw = ImageDraw.Draw(page.img)
    for b in page.blocks:
        if b.get("ink") == "black" and not b.get("handwritten"):
            b["ink"] = "red"
