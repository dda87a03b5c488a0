"""searchable.pdf: each page image with an invisible text layer laid on its OCR lines.

Each OCR line is one text run in render mode 3 (invisible), scaled horizontally to the line's
box, so text selection follows the scan and no space is put between Chinese characters (the
glyph advances of one run touch, which is what text extractors read as "no space").
Born-digital pages are copied from the source PDF as they are.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path

from ..errors import GongwenError
from ..ocr.layout import rows
from ..parsers.model import Document, Page
from .export import atomic_write_bytes

log = logging.getLogger(__name__)

# TrueType CJK fonts (reportlab embeds TrueType outlines only, not CFF), in order of preference;
# the glyph shapes never show, only their character mapping matters.
CJK_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)
FONT_NAME = "GongwenCJK"


@lru_cache(maxsize=1)
def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path, index in CJK_FONT_CANDIDATES:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
            return FONT_NAME
    raise GongwenError(
        "the searchable PDF needs a Chinese TrueType font: apt-get install fonts-wqy-zenhei"
    )


def _ocr_pages_pdf(pages: list[Page]) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = _register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=1)
    c.setCreator("gongwen")
    for page in pages:
        s = 72.0 / (page.dpi or 300.0)
        w_pt, h_pt = page.width * s, page.height * s
        c.setPageSize((w_pt, h_pt))
        c.drawImage(ImageReader(page.image_path), 0, 0, width=w_pt, height=h_pt)
        for row in rows(page.lines):
            for line in row:
                text = line.text
                x0, top, x1, bottom = line.bbox
                size = max((bottom - top) * s * 0.85, 1.0)
                natural = stringWidth(text, font, size)
                if natural <= 0:
                    continue
                t = c.beginText()
                t.setTextRenderMode(3)
                t.setFont(font, size)
                t.setHorizScale(100.0 * (x1 - x0) * s / natural)
                t.setTextOrigin(x0 * s, h_pt - bottom * s + 0.15 * size)
                t.textOut(text)
                c.drawText(t)
        c.showPage()
    c.save()
    return buf.getvalue()


def searchable_pdf_bytes(doc: Document) -> bytes:
    """The searchable PDF of an item, in page order; pages that failed are left out."""
    import pypdfium2 as pdfium

    good = [p for p in doc.pages if p.error is None]
    ocr_pages = [p for p in good if p.image_path]
    if len(ocr_pages) == len(good):
        return _ocr_pages_pdf(ocr_pages)
    # mixed or born-digital: assemble with pdfium, copying born-digital pages from the source
    out = pdfium.PdfDocument.new()
    ocr_doc = pdfium.PdfDocument(_ocr_pages_pdf(ocr_pages)) if ocr_pages else None
    src = pdfium.PdfDocument(doc.source)
    try:
        k = 0
        for p in good:
            if p.image_path:
                out.import_pages(ocr_doc, [k])
                k += 1
            else:
                out.import_pages(src, [p.number - 1])
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        src.close()
        if ocr_doc is not None:
            ocr_doc.close()
        out.close()


def write_searchable_pdf(doc: Document, path: Path) -> None:
    atomic_write_bytes(path, searchable_pdf_bytes(doc))
