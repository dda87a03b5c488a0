"""Every input kind loads, and every bad input fails with a plain-words error."""

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gongwen.errors import (
    DamagedFileError,
    EmptyFileError,
    EncryptedPdfError,
    PageTooLargeError,
    PageTooSmallError,
    UnknownFormatError,
)
from gongwen.ocr.loading import DEFAULT_DPI, PageRef, count_pages, load_page, sniff_format

from helpers import draw_text_page, realworld


def _png_header_only(width, height) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def image_pdf(pages, path: Path) -> Path:
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=150)
    return path


@pytest.mark.parametrize("compression", ["group4", "tiff_lzw", "jpeg"])
def test_multipage_tiff_any_compression(tmp_path, compression):
    pages = [draw_text_page(), draw_text_page(lines=["第二页"])]
    if compression == "group4":
        pages = [p.convert("1") for p in pages]
    path = tmp_path / f"scan-{compression}.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:], compression=compression, dpi=(200, 200))
    fmt = sniff_format(path)
    assert fmt == "tiff" and count_pages(path, fmt) == 2
    second = load_page(PageRef(str(path), fmt, 1))
    assert second.dpi == pytest.approx(200)
    assert second.image.shape == (1754, 1240, 3) and second.image.dtype == np.uint8


def test_jpeg_exif_orientation_is_applied(tmp_path):
    img = Image.new("RGB", (400, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: viewer turns it 90° clockwise
    path = tmp_path / "p.jpg"
    img.save(path, exif=exif, dpi=(300, 300))
    page = load_page(PageRef(str(path), "jpeg"))
    assert (page.width, page.height) == (200, 400)


def test_dpi_defaults_to_300_when_absent(tmp_path):
    path = tmp_path / "nodpi.png"
    draw_text_page().save(path)
    assert load_page(PageRef(str(path), "png")).dpi == DEFAULT_DPI


def test_image_pdf_renders_at_300_dpi(tmp_path):
    path = image_pdf([draw_text_page(), draw_text_page()], tmp_path / "scan.pdf")
    assert count_pages(path, "pdf") == 2
    page = load_page(PageRef(str(path), "pdf", 1))
    assert page.lines is None and page.dpi == pytest.approx(300)
    assert page.width == pytest.approx(1240 * 2, abs=2)


def test_born_digital_pdf_page_gives_text_not_image():
    path = realworld("land-standard-tables.pdf")
    page = load_page(PageRef(str(path), "pdf", 0))
    assert page.image is None and page.lines
    from gongwen.parsers.layout import page_text

    text = page_text(page.lines)
    assert "安徽省建设用地使用标准（2020年版）" in text  # no spaces put between characters
    assert "表7.5停车区用地指标基准值（公顷/处）" in text


def test_scan_with_old_ocr_layer_is_treated_as_scan():
    path = realworld("tianjian-letter-scan.pdf")
    page = load_page(PageRef(str(path), "pdf", 0))
    assert page.image is not None and page.lines is None


# -- bad inputs -------------------------------------------------------------------------------


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError, match="empty"):
        sniff_format(path)


def test_text_file_named_tif(tmp_path):
    path = tmp_path / "notes.tif"
    path.write_text("这不是扫描件，只是一段文字。\n", encoding="utf-8")
    with pytest.raises(UnknownFormatError, match="plain text"):
        sniff_format(path)


def test_truncated_pdf(tmp_path):
    good = image_pdf([draw_text_page()], tmp_path / "good.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(good[: len(good) // 3])
    with pytest.raises(DamagedFileError, match="damaged or truncated"):
        count_pages(path, sniff_format(path))


def _locked_pdf(path: Path) -> Path:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(100, 100, "locked")
    c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return path


def _pageless_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty: pdfium opens it and finds no page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(data)
    return path


def test_encrypted_pdf(tmp_path):
    path = _locked_pdf(tmp_path / "locked.pdf")
    with pytest.raises(EncryptedPdfError, match="password"):
        count_pages(path, sniff_format(path))


def test_each_pdf_error_is_its_own(tmp_path):
    """pdfium's last error is global: a page-less PDF read after a locked one must not be
    reported as password-protected (pypdfium2 reads that stale error)."""
    locked = _locked_pdf(tmp_path / "locked.pdf")
    pageless = _pageless_pdf(tmp_path / "pageless.pdf")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(image_pdf([draw_text_page()], tmp_path / "good.pdf").read_bytes()[:300])
    for path, error, words in [
        (pageless, DamagedFileError, "no pages"), (locked, EncryptedPdfError, "password"),
        (pageless, DamagedFileError, "no pages"), (locked, EncryptedPdfError, "password"),
        (truncated, DamagedFileError, "damaged or truncated"),
    ]:
        with pytest.raises(error, match=words):
            count_pages(path, sniff_format(path))


def test_one_pixel_image(tmp_path):
    path = tmp_path / "dot.png"
    Image.new("RGB", (1, 1), "white").save(path)
    with pytest.raises(PageTooSmallError, match="1×1"):
        load_page(PageRef(str(path), sniff_format(path)))


def test_huge_declared_image_is_refused_before_decoding(tmp_path):
    path = tmp_path / "huge.png"
    path.write_bytes(_png_header_only(40000, 40000))
    with pytest.raises(PageTooLargeError, match="too large"):
        count_pages(path, sniff_format(path))
        load_page(PageRef(str(path), "png"))


def test_huge_declared_tiff_is_refused(tmp_path):
    # a TIFF header declaring 40000×40000 with almost no data behind it
    img = Image.new("L", (64, 64), 255)
    buf = io.BytesIO()
    img.save(buf, format="TIFF")
    data = bytearray(buf.getvalue())
    tags = Image.open(io.BytesIO(bytes(data)))
    offset = struct.unpack("<I", data[4:8])[0]
    n = struct.unpack("<H", data[offset : offset + 2])[0]
    for i in range(n):
        entry = offset + 2 + 12 * i
        tag, typ = struct.unpack("<HH", data[entry : entry + 4])
        if tag in (256, 257):  # ImageWidth, ImageLength
            if typ == 3:
                data[entry + 8 : entry + 10] = struct.pack("<H", 40000)
            else:
                data[entry + 8 : entry + 12] = struct.pack("<I", 40000)
    tags.close()
    path = tmp_path / "huge.tif"
    path.write_bytes(bytes(data))
    with pytest.raises(PageTooLargeError):
        load_page(PageRef(str(path), sniff_format(path)))
