"""Load scan pages: image-only and born-digital PDF, multi-page TIFF, PNG/JPEG, page folders.

A page is addressed by a small picklable :class:`PageRef`, so a worker process (or a Dask
worker) opens the file itself and the parent never holds page images.  The file format is
sniffed from the first bytes, not trusted from the extension.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import (
    DamagedFileError,
    EmptyFileError,
    EncryptedPdfError,
    InputError,
    PageTooLargeError,
    PageTooSmallError,
    UnknownFormatError,
)
from ..parsers.model import Line, Table
from . import pdftext

log = logging.getLogger(__name__)

PDF_RENDER_DPI = 300
DEFAULT_DPI = 300.0
# A declared resolution outside this range is a placeholder (72 dpi from a camera, 1 dpi from a
# broken writer), not a scan resolution.
PLAUSIBLE_DPI = (100.0, 1200.0)
MAX_PAGE_PIXELS = 150_000_000  # an A0 sheet at 300 dpi is 139 Mpx
MIN_PAGE_SIDE = 64

FORMAT_NAMES = "PDF, TIFF, PNG, JPEG, BMP, WebP"
# PIL modes that hold no colour: such a page is handled as one gray channel from the start
GRAY_MODES = ("1", "L", "LA", "I", "I;16", "I;16B", "I;16L")

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),
    (b"MM\x00+", "tiff"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"BM", "bmp"),
    (b"GIF8", "gif"),
)


@dataclass(frozen=True)
class PageRef:
    """Where one page lives: a file, its format and the page (frame) index in it."""

    path: str
    fmt: str
    index: int = 0


@dataclass(frozen=True)
class LoadedPage:
    """A page as read from its file: an RGB image, or a born-digital text layer."""

    dpi: float
    width: int
    height: int
    image: np.ndarray | None = None  # H×W×3 uint8, RGB
    lines: tuple[Line, ...] | None = None  # born-digital text, bbox in PDF points
    tables: tuple[Table, ...] = ()  # born-digital ruled tables (empty cells), bbox in PDF points
    bilevel: bool = False  # the scan is black and white (1 bit per pixel, e.g. a G4 TIFF)
    gray: bool = False  # the file holds no colour (a gray or bilevel image): its channels are equal


def sniff_format(path: str | Path) -> str:
    """The format of a file from its first bytes; raises a clear InputError otherwise."""
    p = Path(path)
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(f"cannot open the file: {exc.strerror or exc}") from exc
    if size == 0:
        raise EmptyFileError("the file is empty (0 bytes): nothing was scanned into it")
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            return fmt
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if b"%PDF-" in head:  # some writers put junk before the header
        return "pdf"
    claimed = p.suffix.lower().lstrip(".") or "no extension"
    if _looks_like_text(head):
        raise UnknownFormatError(
            f"the file holds plain text, not a scan (named .{claimed}); gongwen reads "
            f"{FORMAT_NAMES}"
        )
    raise UnknownFormatError(
        f"unknown file format (named .{claimed}); gongwen reads {FORMAT_NAMES}"
    )


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("gb18030")
        except UnicodeDecodeError:
            return False
    return b"\x00" not in head


def count_pages(path: str | Path, fmt: str) -> int:
    """Number of pages in a file (opens it, decodes nothing)."""
    if fmt == "pdf":
        pdf = _open_pdf(path)
        try:
            n = len(pdf)
        finally:
            pdf.close()
        if n == 0:
            raise DamagedFileError("the PDF has no pages (its page tree is empty or damaged)")
        return n
    with _open_image(path) as img:
        return int(getattr(img, "n_frames", 1) or 1)


def load_page(ref: PageRef, render_dpi: int = PDF_RENDER_DPI) -> LoadedPage:
    """Read one page: an RGB image at its dpi, or the text layer of a born-digital PDF page."""
    if ref.fmt == "pdf":
        return _load_pdf_page(ref, render_dpi)
    return _load_image_page(ref)


# -- images -----------------------------------------------------------------------------------


def _open_image(path: str | Path) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise PageTooLargeError(_too_large_message(exc)) from exc
    except UnidentifiedImageError as exc:
        raise DamagedFileError("the image cannot be read: its header is damaged or not an image") from exc
    except OSError as exc:
        raise DamagedFileError(f"the image cannot be read: {exc}") from exc
    return img


def _too_large_message(exc: Exception) -> str:
    m = re.search(r"(\d+) pixels", str(exc))
    px = f" ({int(m.group(1)) / 1e6:.0f} Mpx)" if m else ""
    return (
        f"the page image is too large{px}; gongwen reads pages up to "
        f"{MAX_PAGE_PIXELS // 1_000_000} Mpx: rescan or downsample to 300-600 dpi"
    )


def check_page_size(width: int, height: int) -> None:
    """Refuse pages that cannot be a scanned sheet before any pixel is decoded."""
    if width * height > MAX_PAGE_PIXELS:
        raise PageTooLargeError(
            f"the page image is {width}×{height} px ({width * height / 1e6:.0f} Mpx); gongwen "
            f"reads pages up to {MAX_PAGE_PIXELS // 1_000_000} Mpx: rescan or downsample to "
            "300-600 dpi"
        )
    if min(width, height) < MIN_PAGE_SIDE:
        raise PageTooSmallError(
            f"the page image is only {width}×{height} px: too small to hold readable text"
        )


def image_dpi(info: dict) -> float:
    """The resolution an image file declares, or 300 when it declares none that is plausible."""
    dpi = info.get("dpi")
    if isinstance(dpi, (tuple, list)) and dpi:
        try:
            value = float(dpi[0])
        except (TypeError, ValueError):
            value = 0.0
        if PLAUSIBLE_DPI[0] <= value <= PLAUSIBLE_DPI[1]:
            return value
    return DEFAULT_DPI


def to_rgb_array(img: Image.Image) -> np.ndarray:
    """Any PIL mode (1, L, I;16, P, CMYK, RGBA …) as an H×W×3 uint8 RGB array on white."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float64)
        top = arr.max() or 1.0
        img = Image.fromarray((arr * (255.0 / top)).astype(np.uint8), "L")
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    return np.asarray(img.convert("RGB"))


def _load_image_page(ref: PageRef) -> LoadedPage:
    img = _open_image(ref.path)
    try:
        try:
            img.seek(ref.index)
        except EOFError as exc:
            raise DamagedFileError(f"the file has no page {ref.index + 1}") from exc
        check_page_size(*img.size)
        dpi = image_dpi(img.info)
        bilevel = img.mode == "1"
        gray = img.mode in GRAY_MODES
        try:
            img.load()
            upright = ImageOps.exif_transpose(img) if ref.fmt in ("jpeg", "png", "webp", "tiff") else img
            arr = to_rgb_array(upright)
        except Image.DecompressionBombError as exc:
            raise PageTooLargeError(_too_large_message(exc)) from exc
        except (OSError, ValueError, SyntaxError) as exc:
            raise DamagedFileError(
                f"page {ref.index + 1} cannot be decoded (truncated or damaged file): {exc}"
            ) from exc
    finally:
        img.close()
    h, w = arr.shape[:2]
    return LoadedPage(dpi=dpi, width=w, height=h, image=arr, bilevel=bilevel, gray=gray)


# -- PDF --------------------------------------------------------------------------------------


def _open_pdf(path: str | Path):
    """The PDF opened with pdfium, or a clear :class:`InputError` for this file.

    pdfium keeps its last error in a global that only a failed load sets: pypdfium2 reads it
    when a document opens with no pages, and then reports the error of an earlier file (a
    page-less PDF after a password-protected one came out as "password-protected").  So the
    document is loaded here and the error read only when this load failed."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    encoded = (str(Path(path).resolve()) + "\x00").encode("utf-8", errors="surrogateescape")
    handle = pdfium_c.FPDF_LoadDocument(encoded, None)
    if not handle:
        code = pdfium_c.FPDF_GetLastError()  # set by this failed load
        log.debug("pdfium cannot open %s: error %s", path, code)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedPdfError(
                "the PDF is password-protected: remove the password (or give an unlocked copy)"
            )
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedPdfError(
                "the PDF is encrypted with a security scheme that cannot be opened: give an unlocked copy"
            )
        if code == pdfium_c.FPDF_ERR_FILE:
            raise InputError("the PDF cannot be opened (file not found or not readable)")
        raise DamagedFileError("the PDF is damaged or truncated and cannot be opened")
    return pdfium.PdfDocument(handle)


def text_layer_pages(path: str, indices: list[int]) -> dict[int, LoadedPage]:
    """The born-digital pages among ``indices`` of one PDF (opened once), by index; scanned
    pages, and every page of a PDF that cannot be opened, are left out (reading them as
    images reports their errors)."""
    try:
        pdf = _open_pdf(path)
    except InputError:
        return {}
    found = {}
    try:
        for index in indices:
            try:
                page = pdf[index]
                lines, (w, h), tables = pdftext.text_layer(page)
                page.close()
            except Exception as exc:  # left to the page's own reading
                log.debug("text layer of %s p%d unreadable: %s", path, index + 1, exc)
                continue
            if lines is not None:
                found[index] = LoadedPage(dpi=72.0, width=round(w), height=round(h), lines=lines, tables=tables)
    finally:
        pdf.close()
    return found


def _load_pdf_page(ref: PageRef, render_dpi: int) -> LoadedPage:
    """A born-digital page as its words and ruled tables (no image, no OCR); any other page
    rendered at ``render_dpi``."""
    pdf = _open_pdf(ref.path)
    try:
        page = pdf[ref.index]
        try:
            lines, size, tables = pdftext.text_layer(page)
        except Exception as exc:  # a text layer pdfium cannot follow: read the page as a scan
            log.debug("text layer of %s p%d unreadable: %s", ref.path, ref.index + 1, exc)
            lines, tables = None, ()
        if lines is not None:
            w, h = size
            return LoadedPage(dpi=72.0, width=round(w), height=round(h), lines=lines, tables=tables)
        w_pt, h_pt = page.get_size()
        scale = render_dpi / 72.0
        w_px, h_px = int(w_pt * scale), int(h_pt * scale)
        if w_px * h_px > MAX_PAGE_PIXELS:  # a poster-sized page: render at a lower resolution
            scale *= (MAX_PAGE_PIXELS / (w_px * h_px)) ** 0.5
        check_page_size(int(w_pt * scale), int(h_pt * scale))
        # pdfium renders RGB itself (rev_byteorder): turning its BGR around here cost a
        # strided copy of the whole page, 60 ms at 300 dpi
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True)
        arr = np.array(bitmap.to_numpy()[:, :, :3], copy=True)
        if bitmap.mode in ("BGR", "BGRA", "BGRX"):
            arr = arr[:, :, ::-1].copy()
        page.close()
    except InputError:
        raise
    except Exception as exc:  # pdfium raises plain exceptions on damaged page streams
        raise DamagedFileError(f"page {ref.index + 1} of the PDF cannot be rendered: {exc}") from exc
    finally:
        pdf.close()
    h, w = arr.shape[:2]
    return LoadedPage(dpi=72.0 * scale, width=w, height=h, image=arr)
