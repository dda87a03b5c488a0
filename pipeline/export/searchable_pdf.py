"""searchable.pdf: each page image with an invisible text layer laid on its OCR lines.

Each OCR line is one text run in render mode 3 (invisible), scaled horizontally to the line's
box, so text selection follows the scan and no space is put between Chinese characters (the
glyph advances of one run touch, which is what text extractors read as "no space").
Born-digital pages are copied from the source PDF as they are.
"""

from __future__ import annotations

import io
import zlib
import logging
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from ...errors import GongwenError
from ...parsers.layout import SPACE_GAP, rows
from ...parsers.model import Document, Page
from .files import atomic_write_bytes
from .outdir import OutDir

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
# The text layer's usual font: Adobe's standard Chinese font, named and never embedded (the
# text is invisible, so no glyph is ever drawn; viewers and pdftotext map its characters through
# the predefined UniGB-UCS2-H CMap).  Embedding a TrueType subset instead costs ~250 bytes per
# distinct character, more than a whole G4 page's image.  A run with a character outside
# Adobe-GB1 (outside GBK, e.g. a rare name character) uses the embedded TrueType font.
CID_FONT_NAME = "STSong-Light"
CID_FONT_COVERAGE = "gbk"


@lru_cache(maxsize=1)
def _register_cid_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT_NAME))
    return CID_FONT_NAME


def _font_for(text: str) -> str:
    try:
        text.encode(CID_FONT_COVERAGE)
    except UnicodeEncodeError:
        return _register_font()
    return _register_cid_font()


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


@contextmanager
def _binary_streams():
    """reportlab writes streams in ASCII85 unless told not to: 25 % more bytes for every image."""
    from reportlab import rl_config

    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _g4_strip(path: str) -> tuple[int, int, bytes, bool] | None:
    """(width, height, G4 data, black is 1) of a one-strip CCITT G4 TIFF, else None."""
    from PIL import Image

    with Image.open(path) as im:
        tags = im.tag_v2
        if im.format != "TIFF" or im.mode != "1" or tags.get(259) != 4 or len(tags.get(273, ())) != 1:
            return None
        offset, count = tags[273][0], tags[279][0]
        # libtiff codes 0 bits as white runs: a MinIsBlack (262 = 1) strip decodes as BlackIs1
        width, height, black_is_1 = im.size[0], im.size[1], tags.get(262, 0) == 1
    with open(path, "rb") as fh:
        fh.seek(offset)
        return width, height, fh.read(count), black_is_1


def _draw_g4(c, path: str, w_pt: float, h_pt: float) -> bool:
    """Draw a bilevel page image as a CCITT G4 image XObject, its data copied from the TIFF
    unchanged (reportlab would expand it to 24-bit RGB); False if the file is no G4 TIFF."""
    from reportlab.pdfbase import pdfdoc

    strip = _g4_strip(path)
    if strip is None:
        return False
    width, height, data, black_is_1 = strip

    class _G4Image(pdfdoc.PDFImageXObject):
        def format(self, document):
            S = pdfdoc.PDFStream(content=data)
            S.filters = []
            d = S.dictionary
            d["Type"], d["Subtype"] = pdfdoc.PDFName("XObject"), pdfdoc.PDFName("Image")
            d["Width"], d["Height"], d["BitsPerComponent"] = width, height, 1
            d["ColorSpace"] = pdfdoc.PDFName("DeviceGray")
            d["Filter"] = pdfdoc.PDFName("CCITTFaxDecode")
            d["DecodeParms"] = pdfdoc.PDFDictionary(
                {"K": -1, "Columns": width, "Rows": height, "BlackIs1": "true" if black_is_1 else "false"}
            )
            d["Length"] = len(data)
            return S.format(document)

    name = f"g4{zlib.crc32(path.encode()):08x}"
    reg = c._doc.getXObjectName(name)
    if c._doc.idToObject.get(reg) is None:
        obj = _G4Image(name)
        obj.width, obj.height = width, height
        c._setXObjects(obj)
        c._doc.Reference(obj, reg)
        c._doc.addForm(name, obj)
    c.saveState()
    c.scale(w_pt, h_pt)
    c._code.append(f"/{reg} Do")
    c.restoreState()
    c._formsinuse.append(name)
    return True


def _ocr_pages_pdf(pages: list[Page]) -> bytes:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    with _binary_streams():
        c = canvas.Canvas(buf, pageCompression=1)
        c.setCreator("gongwen")
        for page in pages:
            _draw_page(c, page, stringWidth)
        c.save()
    return buf.getvalue()


def _text_runs(row) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The runs of a visual row: pieces of one printed line (a gap narrower than
    ``SPACE_GAP`` line heights, where ``text.txt`` puts no space) are one run over their joined
    box, so no extractor sees a gap, and no space, between their characters."""
    runs: list[tuple[str, list[float]]] = []
    prev = None
    for line in row:
        if prev is not None:
            h = max(min(prev.bbox[3] - prev.bbox[1], line.bbox[3] - line.bbox[1]), 1.0)
            if line.bbox[0] - prev.bbox[2] <= SPACE_GAP * h:
                text, box = runs[-1]
                runs[-1] = (text + line.text, [box[0], min(box[1], line.bbox[1]), line.bbox[2], max(box[3], line.bbox[3])])
                prev = line
                continue
        runs.append((line.text, list(line.bbox)))
        prev = line
    return [(t, tuple(b)) for t, b in runs]


def _draw_page(c, page: Page, stringWidth) -> None:
    s = 72.0 / (page.dpi or 300.0)
    w_pt, h_pt = page.width * s, page.height * s
    c.setPageSize((w_pt, h_pt))
    if not (OutDir.is_bilevel_image(page.image_path) and _draw_g4(c, page.image_path, w_pt, h_pt)):
        # a JPEG given by its file name is embedded as it is (DCT), never decoded
        c.drawImage(page.image_path, 0, 0, width=w_pt, height=h_pt)
    for row in rows(page.lines):
        for text, (x0, top, x1, bottom) in _text_runs(row):
            size = max((bottom - top) * s * 0.85, 1.0)
            font = _font_for(text)
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
