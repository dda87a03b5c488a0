"""Saving an item: PDF, TIFF (LZW, JPEG, G4 bilevel), a folder of JPEG pages or one PNG, written
atomically, with <item path>.truth.json (truth + "pages" + "format") beside it; and reading back."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from .page import DPI

FORMATS = ("tiff-lzw", "tiff-jpeg", "tiff-g4", "pdf", "folder", "png")
_EXT = {"tiff-lzw": ".tif", "tiff-jpeg": ".tif", "tiff-g4": ".tif", "pdf": ".pdf", "folder": "", "png": ".png"}


def truth_path(item_path: str | os.PathLike) -> Path:
    """Where the truth of an item is written: the item path + ".truth.json"."""
    p = Path(item_path)
    return p.with_name(p.name + ".truth.json")


def item_path(out_dir: str | os.PathLike, name: str, fmt: str) -> Path:
    return Path(out_dir) / (name + _EXT[fmt])


def binarise(img: Image.Image) -> Image.Image:
    """Bilevel page for G4: luminance, light smoothing, Otsu threshold kept in a sane range."""
    gray = np.asarray(img.convert("L"))
    g = cv2.GaussianBlur(gray, (0, 0), 0.8)
    t, _ = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    t = float(np.clip(t, 110, 165))
    return Image.fromarray(((g > t) * 255).astype(np.uint8)).convert("1", dither=Image.Dither.NONE)


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp{os.getpid()}")


def save_item(pages: list[Image.Image], path: str | os.PathLike, fmt: str, *, quality: int = 85,
              truth: dict | None = None, page_truth: list[dict] | None = None) -> Path:
    """Write pages in fmt to path (atomically); with truth, also <path>.truth.json."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    dpi = (DPI, DPI)
    tmp = _tmp_name(path)
    try:
        if fmt == "folder":
            if tmp.exists():
                shutil.rmtree(tmp)
            tmp.mkdir()
            for i, im in enumerate(pages):
                im.convert("RGB").save(tmp / f"{i + 1}.jpg", "JPEG", quality=quality, dpi=dpi)
            if path.exists():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            os.replace(tmp, path)
        else:
            if fmt == "png":
                if len(pages) != 1:
                    raise ValueError(f"png holds one page, the item has {len(pages)}")
                pages[0].save(tmp, "PNG", dpi=dpi)
            elif fmt == "pdf":
                rgb = [im.convert("RGB") for im in pages]
                rgb[0].save(tmp, "PDF", save_all=True, append_images=rgb[1:], resolution=float(DPI), quality=quality)
            else:
                if fmt == "tiff-g4":
                    ims = [binarise(im) for im in pages]
                    opts = {"compression": "group4"}
                elif fmt == "tiff-jpeg":
                    ims = [im.convert("RGB") for im in pages]
                    opts = {"compression": "jpeg", "quality": quality}
                else:
                    ims = [im.convert("RGB") for im in pages]
                    opts = {"compression": "tiff_lzw"}
                ims[0].save(tmp, "TIFF", save_all=True, append_images=ims[1:], dpi=dpi, **opts)
            os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp) if tmp.is_dir() else tmp.unlink()
    if truth is not None:
        out = copy.deepcopy(truth)
        out["pages"] = page_truth or []
        out["format"] = fmt
        tp = truth_path(path)
        ttmp = _tmp_name(tp)
        with open(ttmp, "w", encoding="utf-8") as fh:
            json.dump(out, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        os.replace(ttmp, tp)
    return path


def load_pages(path: str | os.PathLike) -> list[Image.Image]:
    """Read back the pages of a saved item (TIFF frames, PDF pages at 300 dpi, folder, PNG)."""
    path = Path(path)
    if path.is_dir():
        files = sorted((f for f in path.iterdir() if f.suffix.lower() in (".jpg", ".jpeg", ".png")),
                       key=lambda f: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", f.name)])
        return [Image.open(f) for f in files]
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(str(path))
        return [pdf[i].render(scale=DPI / 72).to_pil() for i in range(len(pdf))]
    im = Image.open(path)
    frames = []
    for i in range(getattr(im, "n_frames", 1)):
        im.seek(i)
        frames.append(im.copy())
    return frames
