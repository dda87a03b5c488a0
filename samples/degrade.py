"""Degradation like a scan (pure functions on arrays): paper tint, uneven light, skew, blur,
noise, 90/180/270° rotation, a JPEG round trip; and boxes mapped through it.  On request also a
mimeograph's print (blotchy, starved and spread ink, specks, lines slanting a little, the page
slightly wavy) and a phone photo (the page in perspective on a dark table, curved, unevenly lit).

The geometry of a page is a 3×3 matrix, or a :class:`_Warp` when a mimeograph or photo bends it."""

from __future__ import annotations

import cv2
import numpy as np


def _page_rotation(deg: dict, i: int) -> int:
    rot = deg.get("rotation", 0) or 0
    if isinstance(rot, list):
        rot = rot[i] if i < len(rot) else 0
    rot = int(rot) % 360
    if rot not in (0, 90, 180, 270):
        raise ValueError(f"rotation must be a multiple of 90, got {rot}")
    return rot


def degrade_page(arr: np.ndarray, params: dict, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Scan-like degradation of an upright RGB uint8 page; returns (new array, 3×3 matrix).

    params: skew_deg, rotation, noise, blur, jpeg_quality, paper, illumination.  The matrix maps
    (x, y, 1) of the input page to the output image."""
    gen = np.random.default_rng(seed)
    steps: list = []                  # nonlinear steps of the geometry, before and after M
    if params.get("mimeograph"):
        arr, bend = _mimeograph(arr, _opts(params["mimeograph"]), np.random.default_rng([seed, 1]))
        steps.append(bend)
    h, w = arr.shape[:2]
    paper = np.asarray(params.get("paper") or (246, 244, 236), dtype=np.float32)
    # paper tint and uneven lighting in one multiply
    amp = float(params.get("illumination", 0.03) or 0.0)
    if amp > 0:
        low = gen.uniform(-1, 1, (4, 3)).astype(np.float32)
        field = cv2.resize(low, (w // 8, h // 8), interpolation=cv2.INTER_CUBIC)
        gx = np.linspace(-1, 1, w // 8, dtype=np.float32)[None, :] * gen.uniform(-1, 1)
        field = 1.0 - amp * (0.5 * field + 0.5 * gx + 0.5).clip(0, 2) / 1.5
        field = cv2.resize(field, (w, h), interpolation=cv2.INTER_LINEAR)
        out = arr.astype(np.float32)
        out *= field[..., None]
        out *= paper / 255.0
    else:
        out = arr.astype(np.float32) * (paper / 255.0)
    M = np.eye(3)
    skew = float(params.get("skew_deg", 0.0) or 0.0)
    if abs(skew) > 1e-3:
        R = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        border = tuple(float(v) * 0.98 for v in paper)
        out = cv2.warpAffine(out, R, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                             borderValue=border)
        M = np.vstack([R, [0, 0, 1]]) @ M
    blur = float(params.get("blur", 0.0) or 0.0)
    if blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    noise = float(params.get("noise", 0.0) or 0.0)
    if noise > 0:
        n = gen.standard_normal((h, w), dtype=np.float32)
        n *= noise
        out += n[..., None]
    out = np.clip(out, 0, 255, out=out).astype(np.uint8)
    rot = int(params.get("rotation", 0) or 0) % 360
    if rot:
        if rot not in (90, 180, 270):
            raise ValueError(f"rotation must be 0, 90, 180 or 270, got {rot}")
        k = rot // 90
        out = np.ascontiguousarray(np.rot90(out, k))   # counter-clockwise
        if k == 1:      # (x, y) -> (y, w-1-x)
            T = np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], dtype=float)
        elif k == 2:
            T = np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], dtype=float)
        else:
            T = np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], dtype=float)
        M = T @ M
    after: list = []
    if params.get("photo"):
        out, shot = _photo(out, _opts(params["photo"]), np.random.default_rng([seed, 2]))
        after.append(shot)
    q = params.get("jpeg_quality")
    if q:
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(out, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(q)])
        out = cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    if steps or after:
        return out, _Warp(steps + [M] + after)
    return out, M


def _opts(value) -> dict:
    return dict(value) if isinstance(value, dict) else {}


class _Warp:
    """A page's geometry as steps applied in turn to points: 3×3 matrices and functions of an
    (N, 2) array of points."""

    def __init__(self, steps: list):
        self.steps = steps

    def __call__(self, pts: np.ndarray) -> np.ndarray:
        pts = np.asarray(pts, dtype=float)
        for st in self.steps:
            if isinstance(st, np.ndarray):
                q = st @ np.vstack([pts.T, np.ones(len(pts))])
                pts = (q[:2] / q[2]).T
            else:
                pts = st(pts)
        return pts


def _field(gen: np.random.Generator, shape: tuple[int, int], cells: tuple[int, int], lo: float, hi: float) -> np.ndarray:
    """A smooth random field over an image (h, w): uniform values on a coarse grid, cubic between."""
    low = gen.uniform(lo, hi, cells).astype(np.float32)
    return cv2.resize(low, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC).clip(min(lo, hi), max(lo, hi))


def _mimeograph(arr: np.ndarray, p: dict, gen: np.random.Generator):
    """A stencil duplicator's print of a clean page: ink starved in patches and spread into
    blots in others, paper fibres through the strokes, specks of ink, each band of lines slanting
    a little.  Returns (page, forward map of points)."""
    h, w = arr.shape[:2]
    strength = float(p.get("strength", 0.6))
    a0 = arr.astype(np.float32)
    ink_in = 1.0 - (a0 @ np.array([0.299, 0.587, 0.114], np.float32)) / 255.0
    fade = _field(gen, (h, w), (9, 7), 1.0 - 0.55 * strength, 1.05)
    blot = (_field(gen, (h, w), (12, 9), 0.0, 1.0) - 0.55).clip(0, 1) * 2.2 * strength
    spread = cv2.GaussianBlur(cv2.dilate(ink_in, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))), (0, 0), 1.2)
    ink = np.maximum(ink_in * fade, spread * blot.clip(0, 0.95))
    fibre = cv2.resize(gen.random((h // 3, w // 3), dtype=np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    ink *= 1.0 - 0.45 * strength * (fibre > 0.72)
    specks = np.zeros((h, w), np.float32)
    for _ in range(int(300 * strength)):
        x, y = int(gen.integers(0, w)), int(gen.integers(0, h))
        cv2.circle(specks, (x, y), int(gen.integers(1, 4)), float(gen.uniform(0.35, 0.85)), -1)
    ink = np.maximum(ink, cv2.GaussianBlur(specks, (0, 0), 0.8)).clip(0, 1)
    col = np.asarray(p.get("ink") or (36, 34, 42), np.float32)
    ratio = (ink / np.maximum(ink_in, 1e-3)).clip(0, 1.8)[..., None]
    kept = 255.0 - (255.0 - a0) * ratio             # printed strokes keep their colour
    new = 255.0 - ink[..., None] * (255.0 - col)      # ink where there was none: blots, specks
    out = np.where((ink_in > 0.04)[..., None], kept, new)
    # each band of lines slants a little: y_out = y + s(y_out)·(x − w/2)
    slant = np.radians(float(p.get("slant_deg", 0.35)))
    knots = gen.uniform(-slant, slant, max(3, h // 350)).astype(np.float32)
    s_row = cv2.resize(knots[:, None], (1, h), interpolation=cv2.INTER_CUBIC)[:, 0]
    wave = float(p.get("wave_px", 4.0))
    phase = gen.uniform(0, 2 * np.pi)
    u = np.arange(w, dtype=np.float32)[None, :]
    v = np.arange(h, dtype=np.float32)[:, None]
    map_y = (v - s_row[:, None] * (u - w / 2)).astype(np.float32)
    map_x = np.broadcast_to(u + wave * np.sin(v / 410.0 + phase), (h, w)).astype(np.float32)
    out = cv2.remap(out.clip(0, 255).astype(np.uint8), map_x, map_y, cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))
    rows = np.arange(h, dtype=float)

    def forward(pts: np.ndarray) -> np.ndarray:
        x, y = pts[:, 0], pts[:, 1]
        xo, yo = x.copy(), y.copy()
        for _ in range(6):              # solve x = u + wave·sin(v), y = v − s(v)·(u − w/2)
            yo = y + np.interp(yo, rows, s_row) * (xo - w / 2)
            xo = x - wave * np.sin(yo / 410.0 + phase)
        return np.stack([xo, yo], axis=1)
    return out, forward


def _photo(arr: np.ndarray, p: dict, gen: np.random.Generator):
    """A phone photo of the page: the sheet smaller in the frame on a dark table, in perspective,
    bowed (lines curve, more at the top and bottom), lit unevenly with a warm cast.  Same image
    size.  Returns (image, forward map of points)."""
    h, w = arr.shape[:2]
    scale = float(p.get("scale", gen.uniform(0.80, 0.9)))
    bow = float(p.get("curve_px", gen.uniform(14, 34)))
    pw, ph = w * scale, h * scale
    cx, cy = w / 2 + gen.uniform(-0.025, 0.025) * w, h / 2 + gen.uniform(-0.02, 0.02) * h
    dst = np.array([[cx - pw / 2, cy - ph / 2], [cx + pw / 2, cy - ph / 2],
                    [cx + pw / 2, cy + ph / 2], [cx - pw / 2, cy + ph / 2]], dtype=np.float64)
    jit = float(p.get("tilt", 0.025)) * w
    dst += gen.uniform(-jit, jit, (4, 2))
    narrow = gen.uniform(0.0, 0.05) * pw           # the camera leans back: the top edge is shorter
    dst[0, 0] += narrow
    dst[1, 0] -= narrow
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64)
    H = cv2.getPerspectiveTransform(src.astype(np.float32), dst.astype(np.float32)).astype(np.float64)
    Hi = np.linalg.inv(H)
    u = np.arange(w, dtype=np.float32)[None, :]
    v = np.arange(h, dtype=np.float32)[:, None]
    den = Hi[2, 0] * u + Hi[2, 1] * v + Hi[2, 2]
    x1 = ((Hi[0, 0] * u + Hi[0, 1] * v + Hi[0, 2]) / den).astype(np.float32)
    y1 = ((Hi[1, 0] * u + Hi[1, 1] * v + Hi[1, 2]) / den).astype(np.float32)
    b = np.sin(np.pi * np.clip(x1 / w, 0, 1)) * bow
    y0 = ((y1 + b) / (1 + 2 * b / h)).astype(np.float32)     # inverse of y1 = y + b·(2y/h − 1)
    del den, b
    page = cv2.remap(arr, x1, y0, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    mask = cv2.remap(np.ones((h, w), np.float32), x1, y0, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                     borderValue=0)
    del x1, y1, y0
    table = np.asarray(p.get("background") or gen.choice([(58, 46, 38), (40, 40, 44), (74, 60, 48), (30, 32, 30)]),
                       np.float32)
    shade = _field(gen, (h, w), (5, 4), 0.6, 1.25)
    grain = cv2.GaussianBlur(gen.standard_normal((h // 4, w // 4)).astype(np.float32), (0, 0), 1.5)
    grain = cv2.resize(grain, (w, h), interpolation=cv2.INTER_LINEAR)
    bg = table[None, None, :] * (shade + 0.12 * grain)[..., None]
    # the sheet's shadow on the table
    shadow = 1.0 - 0.55 * cv2.GaussianBlur(mask, (0, 0), 25)
    bg *= shadow[..., None]
    out = page.astype(np.float32) * mask[..., None] + bg * (1.0 - mask[..., None])
    # light: vignetting, a slope across the frame, a soft shadow of the phone
    amp = float(p.get("light", gen.uniform(0.18, 0.32)))
    xx = (np.arange(w, dtype=np.float32)[None, :] / w - 0.5) * 2
    yy = (np.arange(h, dtype=np.float32)[:, None] / h - 0.5) * 2
    light = 1.0 - amp * 0.5 * (xx ** 2 + yy ** 2) + amp * 0.5 * (gen.uniform(-1, 1) * xx + gen.uniform(-1, 1) * yy)
    sx, sy = gen.uniform(-0.6, 0.6), gen.uniform(0.2, 0.9)
    light -= amp * 0.7 * np.exp(-((xx - sx) ** 2 / 0.35 + (yy - sy) ** 2 / 0.2))
    cast = np.asarray(p.get("cast") or (1.0, 0.965, 0.9), np.float32)
    out = out * light[..., None] * cast
    out = np.clip(out, 0, 255).astype(np.uint8)

    def forward(pts: np.ndarray) -> np.ndarray:
        x, y = pts[:, 0], pts[:, 1]
        y1 = y + np.sin(np.pi * np.clip(x / w, 0, 1)) * bow * (2 * y / h - 1)
        q = H @ np.vstack([x, y1, np.ones(len(x))])
        return (q[:2] / q[2]).T
    return out, forward


def _map_box(M, b, w: int, h: int) -> list[int]:
    if isinstance(M, _Warp):            # a bent page: the hull of points along the box's edges
        t = np.linspace(0.0, 1.0, 9)
        xs, ys = b[0] + (b[2] - b[0]) * t, b[1] + (b[3] - b[1]) * t
        edge = np.concatenate([np.stack([xs, np.full_like(xs, b[1])], 1), np.stack([xs, np.full_like(xs, b[3])], 1),
                               np.stack([np.full_like(ys, b[0]), ys], 1), np.stack([np.full_like(ys, b[2]), ys], 1)])
        q = M(edge)
        x0, x1 = q[:, 0].min(), q[:, 0].max()
        y0, y1 = q[:, 1].min(), q[:, 1].max()
        return [int(round(max(0, x0))), int(round(max(0, y0))), int(round(min(w, x1))), int(round(min(h, y1)))]
    pts = np.array([[b[0], b[1], 1], [b[2], b[1], 1], [b[0], b[3], 1], [b[2], b[3], 1]], dtype=float).T
    q = M @ pts
    x0, x1 = q[0].min(), q[0].max()
    y0, y1 = q[1].min(), q[1].max()
    return [int(round(max(0, x0))), int(round(max(0, y0))), int(round(min(w, x1))), int(round(min(h, y1)))]
