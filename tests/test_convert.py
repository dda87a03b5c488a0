"""End to end: every input kind and every bad input through `convert`, checked in the outputs."""

from __future__ import annotations

import io
import shutil

import pandas as pd
import pytest
from PIL import Image

from gongwen.parsers.text import compact
from gongwen.pipeline.run.convert import Settings, convert

from helpers import PARAGRAPH, draw_text_page, realworld

pytestmark = pytest.mark.ocr

EXPECTED = compact("".join(PARAGRAPH))


def cer(truth: str, reading: str) -> float:
    from gongwen.parsers.metrics import cer as _cer

    return _cer(compact(truth), compact(reading))


def read_csv(path):
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    src = tmp_path_factory.mktemp("inbox")
    page = draw_text_page()
    page.save(src / "plain.png", dpi=(150, 150))
    # JPEG stored on its side with an EXIF orientation tag
    exif = Image.Exif()
    exif[0x0112] = 8  # viewer turns it 90° counter-clockwise to show it upright
    page.rotate(-90, expand=True).save(src / "exif.jpg", exif=exif, dpi=(150, 150), quality=90)
    page.rotate(90, expand=True).save(src / "sideways.png", dpi=(150, 150))
    page.rotate(180).save(src / "upside-down.png", dpi=(150, 150))
    second = draw_text_page(lines=["第二页：各级新闻媒体要开展多种形式的宣传活动。"])
    page.save(src / "lzw.tif", save_all=True, append_images=[second], compression="tiff_lzw", dpi=(150, 150))
    page.convert("1").save(src / "g4.tif", save_all=True, append_images=[second.convert("1")], compression="group4", dpi=(150, 150))
    page.save(src / "jpeg.tif", compression="jpeg", dpi=(150, 150))
    page.save(src / "scan.pdf", resolution=150)
    folder = src / "folder-item"
    folder.mkdir()
    for n in (1, 2, 10):
        draw_text_page(lines=[f"第{n}页正文内容"]).save(folder / f"{n}.png", dpi=(150, 150))
    shutil.copy(realworld("land-standard-tables.pdf"), src / "born-digital.pdf")
    # bad inputs
    (src / "empty.pdf").write_bytes(b"")
    good_pdf = (src / "scan.pdf").read_bytes()
    (src / "truncated.pdf").write_bytes(good_pdf[: len(good_pdf) // 3])
    (src / "notes.tif").write_text("这不是扫描件。\n", encoding="utf-8")
    Image.new("RGB", (1, 1), "white").save(src / "dot.png")
    from test_loading import _png_header_only

    (src / "huge.png").write_bytes(_png_header_only(40000, 40000))
    buf = io.BytesIO()
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(buf, encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(100, 100, "locked")
    c.showPage()
    c.save()
    (src / "locked.pdf").write_bytes(buf.getvalue())
    Image.new("RGB", (800, 1100), "white").save(src / "blank.png")
    (src / "readme.txt").write_text("sidecar, not an item")

    out = tmp_path_factory.mktemp("out")
    summary = convert([src], out, Settings(jobs=1))
    docs = read_csv(out / "documents.csv").set_index("item_id")
    return src, out, summary, docs


GOOD = ["plain", "exif", "sideways", "upside-down", "lzw", "g4", "jpeg", "scan"]


@pytest.mark.parametrize("item", GOOD)
def test_each_scan_kind_is_read(converted, item):
    _, out, _, docs = converted
    assert docs.loc[item, "status"] == "ok", docs.loc[item, "error"]
    text = (out / "items" / item / "text.txt").read_text(encoding="utf-8")
    assert cer(EXPECTED, text.split("\f")[0]) <= 0.02


def test_multipage_tiff_keeps_both_pages(converted):
    _, out, _, docs = converted
    for item in ("lzw", "g4"):
        assert docs.loc[item, "pages"] == "2"
        text = (out / "items" / item / "text.txt").read_text(encoding="utf-8")
        assert text.count("\f") == 2 and "宣传活动" in text.split("\f")[1]


def test_page_folder_is_one_item_in_natural_order(converted):
    _, out, _, docs = converted
    assert docs.loc["folder-item", "pages"] == "3"
    text = (out / "items" / "folder-item" / "text.txt").read_text(encoding="utf-8")
    assert [p.strip() for p in text.split("\f")[:3]] == ["第1页正文内容", "第2页正文内容", "第10页正文内容"]


def test_born_digital_pdf_is_read_without_ocr(converted):
    _, out, _, docs = converted
    assert docs.loc["born-digital", "status"] == "ok"
    pages = read_csv(out / "pages.csv")
    assert set(pages[pages.item_id == "born-digital"].engine) == {"pdf-text"}
    text = (out / "items" / "born-digital" / "text.txt").read_text(encoding="utf-8")
    assert "表7.6停车区用地指标调整系数" in text


@pytest.mark.parametrize(
    "item, words",
    [
        ("empty", "empty"),
        ("truncated", "damaged or truncated"),
        ("locked", "password-protected"),
        ("notes", "plain text"),
        ("dot", "too small"),
        ("huge", "too large"),
        ("blank", "no text found"),
    ],
)
def test_bad_input_gives_failed_row_in_plain_words(converted, item, words):
    _, out, _, docs = converted
    assert docs.loc[item, "status"] == "failed"
    assert words in docs.loc[item, "error"]
    data = (out / "items" / item / "document.json").read_text(encoding="utf-8")
    assert words in data


def test_batch_goes_on_and_writes_every_contract_file(converted):
    src, out, summary, docs = converted
    assert "readme" not in docs.index  # sidecar files are not items
    assert len(summary.outcomes) == len(docs) == 17
    for name in ("documents.csv", "circulation.csv", "annotations.csv", "tables.csv", "pages.csv", "failures.csv"):
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf")  # utf-8-sig for Excel
    for item in GOOD + ["folder-item", "born-digital"]:
        folder = out / "items" / item
        for name in ("document.json", "document.html", "text.txt", "searchable.pdf"):
            assert (folder / name).stat().st_size > 0, (item, name)
    assert not list(out.rglob("*.tmp"))  # atomic writes leave no temp files


def test_failures_csv_lists_every_item_that_is_not_ok_with_its_reason(converted):
    _, out, _, docs = converted
    failures = read_csv(out / "failures.csv")
    not_ok = set(docs.index[docs.status != "ok"])
    assert not_ok == {"empty", "truncated", "locked", "notes", "dot", "huge", "blank"}
    assert set(failures.item_id) == not_ok
    locked = failures[failures.item_id == "locked"].iloc[0]
    assert locked.status == "failed" and locked.stage == "load" and "password-protected" in locked.error
    assert locked.source.endswith("locked.pdf")
    blank = failures[failures.item_id == "blank"].iloc[0]
    assert "no text found" in blank.error


def test_document_json_has_provenance_for_every_line(converted):
    import json

    _, out, _, _ = converted
    data = json.loads((out / "items" / "plain" / "document.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["status"] == "ok"
    lines = data["pages"][0]["lines"]
    assert lines and all(len(l["bbox"]) == 4 and 0 < l["confidence"] <= 1 for l in lines)
    # fields this version does not extract are empty, never guessed
    assert all(v is None for v in data["fields"].values())


@pytest.mark.ocr
def test_real_scan_with_old_text_layer_is_ocrd(realworld_out):
    out, _ = realworld_out
    text = (out / "items" / "tianjian-letter-scan" / "text.txt").read_text(encoding="utf-8")
    assert "天健函〔2016〕306号" in text
    assert "上海证券交易所" in text
    pages = read_csv(out / "pages.csv")
    assert list(pages[pages.item_id == "tianjian-letter-scan"].engine) == ["rapidocr-v6"] * 6


def test_tesseract_engine_reads_chinese(tmp_path):
    from helpers import have_tesseract, missing_tool

    if not have_tesseract():
        missing_tool("tesseract is not installed (make setup installs it)")
    src = tmp_path / "p.png"
    draw_text_page().save(src, dpi=(150, 150))
    summary = convert([src], tmp_path / "out", Settings(engine="tesseract", jobs=1))
    assert summary.count("ok") == 1
    text = (tmp_path / "out" / "items" / "p" / "text.txt").read_text(encoding="utf-8")
    assert cer(EXPECTED, text) <= 0.10
    assert not any(a != " " and b == " " and c != " " and "\u4e00" <= a <= "\u9fff" and "\u4e00" <= c <= "\u9fff" for a, b, c in zip(text, text[1:], text[2:]))


def test_reparse_gives_the_same_outputs_without_ocr(converted, tmp_path):
    """Parsing an earlier run's pages again (no OCR) reproduces every CSV and document.json."""
    from gongwen.pipeline.run.convert import reparse

    _, out, summary, _ = converted
    again = tmp_path / "again"
    shutil.copytree(out, again)
    (again / "pages.csv").unlink()  # rebuilt from the items, not copied through
    result = reparse(again)
    assert len(result.outcomes) == len(summary.outcomes)
    for name in ("documents.csv", "circulation.csv", "annotations.csv", "tables.csv"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    assert read_csv(again / "pages.csv").equals(read_csv(out / "pages.csv"))
    for item in GOOD + ["folder-item", "born-digital", "blank", "empty"]:
        path = f"items/{item}/document.json"
        assert (again / path).read_text(encoding="utf-8") == (out / path).read_text(encoding="utf-8"), item
