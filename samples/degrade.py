"""Degradation like a scan (pure functions on arrays): paper tint, uneven light, skew, blur,
noise, 90/180/270° rotation, a JPEG round trip; and boxes mapped through it."""

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
    q = params.get("jpeg_quality")
    if q:
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(out, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(q)])
        out = cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    return out, M


def _map_box(M: np.ndarray, b, w: int, h: int) -> list[int]:
    pts = np.array([[b[0], b[1], 1], [b[2], b[1], 1], [b[0], b[3], 1], [b[2], b[3], 1]], dtype=float).T
    q = M @ pts
    x0, x1 = q[0].min(), q[0].max()
    y0, y1 = q[1].min(), q[1].max()
    return [int(round(max(0, x0))), int(round(max(0, y0))), int(round(min(w, x1))), int(round(min(h, y1)))]
