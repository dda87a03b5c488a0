"""samples/make_samples.py: the example truth, random truths, rendering, degradation, saving, CLI.

No OCR here; a whole run of this file takes a few seconds per rendered page (about 15 s).
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from PIL import Image

from helpers import ROOT

READERS = ["朱崇敏", "项伟胜", "伍挺", "黄专途", "郑晓东", "章月影", "杨德昕", "胡明亮", "林世南"]
A4 = {(2480, 3508), (3508, 2480)}


@pytest.fixture(scope="module")
def ms(samples_module):
    try:
        samples_module.check_fonts()
    except samples_module.FontMissingError as exc:
        pytest.skip(str(exc))
    return samples_module


@pytest.fixture(scope="module")
def example(ms):
    return ms.load_truth(ROOT / "samples" / "truth" / "example-bundle.json")


def _small_truth(ms) -> dict:
    """A random bundle cut down to a few pages: slip, circular, a 5-row annex, imprint."""
    truth = ms.make_random_truth(4242, 1)
    truth["circular"]["body"] = truth["circular"]["body"][:6]
    annex = {"label": "附件", "number": None, "title": "测试资金分配表",
             "header": [["序号", "地区", "补助资金（万元）", "补助资金（万元）"], ["序号", "地区", "中央", "省级"]],
             "rows": [[str(i + 1), f"{i + 1}号街道", str(10 * i + 5), ["12", "（追加）"] if i == 2 else str(i)]
                      for i in range(5)],
             "total_row": ["合计", "", "105", ""], "numeric_columns": [2], "total_matches_sum": True,
             "rows_per_page": None}
    truth["annexes"] = [annex]
    truth["circular"]["attachments"] = ["测试资金分配表"]
    truth["page_order"] = ["slip", "circular", "annex", "imprint"]
    truth["slip"] = truth["slip"] or ms.make_random_truth(1, 1)["slip"]
    truth["degradation"]["rotation"] = 0
    ms.validate_truth(truth)
    return truth


@pytest.fixture(scope="module")
def rendered(ms):
    truth = _small_truth(ms)
    images, pages = ms.render_bundle(truth)
    return truth, images, pages


# ---------------------------------------------------------------------------------------------
# the example truth


def test_example_truth_has_the_slip_facts(example):
    slip = example["slip"]
    assert slip["title"] == "温州市鹿城区人民政府文件传阅单"
    assert slip["columns"] == ["传阅人", "传阅日期", "送达日期", "收回日期"]
    assert [r["reader"] for r in slip["rows"]] == READERS
    first = slip["rows"][0]
    assert (first["circulated"], first["delivered"], first["returned"]) == ("2.16", "2.13", "")
    assert (first["circulated_iso"], first["delivered_iso"]) == ("2014-02-16", "2014-02-13")
    assert all(not (r["circulated"] or r["delivered"] or r["returned"]) for r in slip["rows"][1:])
    assert slip["printed_note"] == "注：请速传阅，如有批示，迅速办理，阅后退回117室。"
    ann = {a["kind"]: a for a in slip["annotations"]}
    assert (ann["proposal"]["label"], ann["proposal"]["text"], ann["proposal"]["signer"]) == (
        "拟办意见：", "请朱区长、杨副区长阅示。", "胡晓东")
    assert (ann["proposal"]["date_raw"], ann["proposal"]["date"]) == ("2014.2.12", "2014-02-12")
    assert (ann["instruction"]["label"], ann["instruction"]["text"], ann["instruction"]["signer"]) == (
        "领导批示：", "请胡晓东阅示。", "林世南")
    assert (ann["instruction"]["date_raw"], ann["instruction"]["date"]) == ("2.14", "2014-02-14")
    assert (ann["note"]["text"], ann["note"]["signer"], ann["note"]["date_raw"], ann["note"]["date"]) == (
        "我已转交，请胡晓东阅示。", "林世南", "2.17", "2014-02-17")


def test_example_truth_has_the_circular_facts(example):
    c = example["circular"]
    assert c["issuer_mark"] == "中共浙江省委办公厅文件"
    assert c["doc_number"] == "浙委办发〔2014〕8号"
    assert c["title_lines"] == ["中共浙江省委办公厅 浙江省人民政府办公厅", "关于做好新一轮扶贫结对帮扶工作的通知"]
    assert c["addressees"] == "各市、县（市、区）党委和人民政府，省直属各单位："
    assert c["attachments"] == ["省级结对帮扶团组安排方案"]
    assert c["signatories"] == ["中共浙江省委办公厅", "浙江省人民政府办公厅"]
    assert (c["issue_date_raw"], c["issue_date"]) == ("2014年1月24日", "2014-01-24")
    assert c["disclosure"] == "此件公开发布"
    assert (c["printed_by"], c["print_date_raw"], c["print_date"]) == ("中共浙江省委办公厅", "2014年1月27日", "2014-01-27")
    r = c["receipt"]
    assert (r["office"], r["number"], r["date_raw"], r["date"]) == ("中共浙江省委办公厅", "10-3", "14年2月1日", "2014-02-01")
    body = "".join(b["text"] for b in c["body"])
    for piece in ("近年来，按照省委、省政府的部署和要求", "（以下称29县）", "一、结对帮扶工作的范围和对象",
                  "“低收入农户收入倍增计划”", "“一村一计一单位”", "帮扶工作格局。",
                  "助。各级新闻媒体要开展多种形式的宣传活动，营造做好结对帮扶工作的良好氛围。"):
        assert piece in body
    assert not re.search(r"[,:;()]", body), "truth uses full-width punctuation"
    assert "composed" in example["notes"] or "Composed" in example["notes"]


def test_example_truth_has_the_annex_table(example):
    (annex,) = example["annexes"]
    assert annex["title"] == "省级结对帮扶团组安排方案"
    assert annex["header"][0][0] == "帮扶县（市、区）" and len(annex["header"][0]) == 5
    rows = annex["rows"]
    assert [r[0] for r in rows] == ["淳安县", "文成县", "泰顺县", "永嘉县", "苍南县", "平阳县", "婺城区",
                                    "磐安县", "武义县", "庆元县"]
    assert [int(r[1]) for r in rows] == [26, 55, 52, 111, 76, 61, 41, 83, 51, 90]
    assert rows[3][3] == ["瓯海区", "南湖区", "秀洲区"]
    assert rows[9][3] == ["嘉善县", "桐乡市"]
    assert rows[9][4].endswith("嘉善县、桐乡市")
    assert annex["total_row"][:2] == ["合计", "2000"]
    assert annex["total_matches_sum"] is False          # 10 of 29 rows shown: 646 ≠ 2000
    assert example["page_order"] == ["slip", "circular", "annex", "imprint"]


def test_expected_record_follows_the_contract(ms, example):
    rec = ms.expected_record(example)
    doc = rec["document"]
    assert doc["issuer"] == "中共浙江省委办公厅"
    assert doc["title"] == "中共浙江省委办公厅浙江省人民政府办公厅关于做好新一轮扶贫结对帮扶工作的通知"
    assert doc["addressees"] == "各市、县（市、区）党委和人民政府，省直属各单位"
    assert doc["signatories"] == "中共浙江省委办公厅；浙江省人民政府办公厅"
    assert (doc["received_date"], doc["receipt_number"]) == ("2014-02-01", "10-3")
    assert [r["reader"] for r in rec["circulation"]] == READERS
    assert rec["circulation"][0]["circulated"] == "2014-02-16"
    assert rec["tables"][0]["rows"][3][3] == "瓯海区南湖区秀洲区"
    assert len(rec["tables"][0]["rows"]) == 11


def test_example_renders_like_the_scanned_bundle(ms, example):
    images, pages = ms.render_bundle(example, degrade=False)
    kinds = [p["kind"] for p in pages]
    assert kinds[0] == "slip" and kinds[-1] == "imprint" and kinds.count("annex") == 2
    assert all(im.size == (2480, 3508) for im in images)
    slip = pages[0]["blocks"]
    assert [b["text"] for b in slip if b.get("col") == "reader"] == READERS
    assert all(b["handwritten"] for b in slip if b["role"] == "slip_cell")
    labels = [b["text"] for b in slip if b["role"] == "slip_label"]
    assert labels == ["拟办意见：", "领导批示："]
    assert any(b["role"] == "printed_note" and "117室" in b["text"] for b in slip)
    first = pages[1]["blocks"]
    assert first[0]["role"] == "stamp"                      # top of the page reads first
    stamp = {b["part"]: b for b in first if b["role"] == "stamp"}
    assert stamp["number"]["text"] == "10-3" and stamp["date"]["text"] == "14年2月1日"
    assert stamp["office"]["ink"] == "red" and stamp["date"]["handwritten"]
    assert [b["text"] for b in first if b["role"] == "issuer_mark"] == ["中共浙江省委办公厅文件"]
    annex = [p for p in pages if p["kind"] == "annex"]
    rows = [sorted({b["row"] for b in p["blocks"] if b["role"] == "table_cell" and b["row"] > 0}) for p in annex]
    assert rows == [list(range(1, 10)), [10, 11]]           # 9 rows, then row 10 and 合计
    for p in annex:                                         # the header is repeated
        assert [b["text"] for b in p["blocks"] if b["role"] == "table_cell" and b["row"] == 0][0] == "帮扶县（市、区）"
    imprint = {b["part"]: b["text"] for b in pages[-1]["blocks"] if b["role"] == "imprint"}
    assert imprint == {"printed_by": "中共浙江省委办公厅", "print_date": "2014年1月27日印发"}


# ---------------------------------------------------------------------------------------------
# random truths


def test_same_seed_gives_the_same_truth(ms):
    a = json.dumps(ms.make_random_truth(99, 3), ensure_ascii=False, sort_keys=True)
    b = json.dumps(ms.make_random_truth(99, 3), ensure_ascii=False, sort_keys=True)
    c = json.dumps(ms.make_random_truth(99, 4), ensure_ascii=False, sort_keys=True)
    assert a == b and a != c


def test_random_truths_stay_in_their_ranges(ms):
    from decimal import Decimal
    seen_slip = seen_annex = 0
    for i in range(1, 31):
        t = ms.make_random_truth(5, i)
        ms.validate_truth(t)
        c = t["circular"]
        year = int(c["issue_date"][:4])
        assert 2000 <= year <= 2024
        assert f"〔{year}〕" in c["doc_number"]
        assert 1 <= int(re.search(r"〕(\d+)号", c["doc_number"]).group(1)) <= 300
        assert len(c["attachments"]) <= 3 and len(t["annexes"]) <= 2
        assert 1 <= len(c["signatories"]) <= 2
        assert c["issue_date_raw"].endswith("日")
        assert c["disclosure"] in ("", "此件公开发布", "此件主动公开", "此件不公开")
        d = t["degradation"]
        assert abs(d["skew_deg"]) <= 3 and d["rotation"] == 0 and 60 <= d["jpeg_quality"] <= 90
        if t["slip"]:
            seen_slip += 1
            assert 3 <= len(t["slip"]["rows"]) <= 12
        for annex in t["annexes"]:
            seen_annex += 1
            assert 3 <= len(annex["header"][0]) <= 6 and 4 <= len(annex["rows"]) <= 40
            assert annex["title"] in c["attachments"]
            if annex["total_row"]:
                for col in annex["numeric_columns"]:
                    assert Decimal(annex["total_row"][col]) == sum(Decimal(r[col]) for r in annex["rows"])
    assert seen_slip >= 15 and seen_annex >= 3


def test_rotation_variety_only_on_request(ms):
    rots = {ms.make_random_truth(6, i, rotation_variety=True)["degradation"]["rotation"] for i in range(1, 40)}
    assert rots - {0} and rots <= {0, 90, 180, 270}


# ---------------------------------------------------------------------------------------------
# rendering


def test_render_gives_a4_pages_and_body_lines(ms, rendered):
    truth, images, pages = rendered
    assert len(images) == len(pages)
    kinds = [p["kind"] for p in pages]
    assert kinds[0] == "slip" and kinds[-1] == "imprint" and "annex" in kinds and "circular" in kinds
    for img, p in zip(images, pages):
        assert img.mode == "RGB" and img.size in A4 and (p["width"], p["height"]) == img.size
        assert [b["line"] for b in p["blocks"]] == list(range(len(p["blocks"])))
        for b in p["blocks"]:
            x0, y0, x1, y1 = b["bbox_scan"]
            assert 0 <= x0 <= x1 <= img.width and 0 <= y0 <= y1 <= img.height
            assert b["ink"] in ("black", "red", "blue")
    body = "".join(b["text"] for p in pages for b in p["blocks"] if b["role"] in ("body", "heading"))
    assert re.sub(r"\s", "", body) == re.sub(r"\s", "", ms.body_text(truth))
    for p in pages:
        for b in p["blocks"]:
            if b["role"] in ("body", "heading"):
                assert b["text"][0] not in "，。、；：？！）》”", f"line starts with punctuation: {b['text']}"


def test_render_places_every_truth_item(ms, rendered):
    truth, images, pages = rendered
    blocks = [b for p in pages for b in p["blocks"]]
    roles = {b["role"] for b in blocks}
    assert {"issuer_mark", "doc_number", "title", "addressees", "signatory", "date", "seal", "page_number",
            "slip_title", "slip_header", "table_cell", "imprint"} <= roles
    c = truth["circular"]
    assert "".join(b["text"] for b in blocks if b["role"] == "title") == "".join(c["title_lines"])
    assert [b["text"] for b in blocks if b["role"] == "signatory"] == c["signatories"]
    readers = [b["text"] for b in blocks if b["role"] == "slip_cell" and b.get("col") == "reader"]
    assert readers == [r["reader"] for r in truth["slip"]["rows"]]
    assert all(b["handwritten"] for b in blocks if b["role"] == "handwriting")
    assert not any(b["handwritten"] for b in blocks if b["role"] in ("body", "title", "table_cell"))
    for i, a in enumerate(truth["slip"]["annotations"]):
        parts = [b for b in blocks if b["role"] == "handwriting" and b.get("annotation") == i]
        assert "".join(b["text"] for b in parts if b["part"] == "text") == a["text"]
        assert [b["text"] for b in parts if b["part"] == "date"] == [a["date_raw"]]
    cells = [b for b in blocks if b["role"] == "table_cell" and b["row"] > 0]
    assert len(cells) == 6 * 4 - 2          # 5 rows + 合计, blank total cells are not blocks
    assert any(b["text"] == "12\n（追加）" for b in cells)
    if c.get("receipt"):
        stamp = {b["part"]: b["text"] for b in blocks if b["role"] == "stamp"}
        assert stamp["number"] == c["receipt"]["number"] and stamp["date"] == c["receipt"]["date_raw"]


def test_rendering_is_deterministic(ms):
    truth = ms.make_random_truth(77, 2, single_page=True)
    a, pa = ms.render_bundle(truth)
    b, pb = ms.render_bundle(truth)
    assert pa == pb and np.array_equal(np.asarray(a[0]), np.asarray(b[0]))
    assert len(a) == 1


def test_degrade_maps_boxes_through_skew_and_rotation(ms):
    page = np.full((600, 400, 3), 255, np.uint8)
    page[100:140, 50:250] = 0
    for rot in (0, 90, 180, 270):
        out, M = ms.degrade_page(page, {"skew_deg": 1.5, "rotation": rot, "noise": 3, "blur": 0.5,
                                        "jpeg_quality": 85}, seed=1)
        assert out.shape[:2] == ((600, 400) if rot in (0, 180) else (400, 600))
        x0, y0, x1, y1 = ms._map_box(M, (50, 100, 250, 140), out.shape[1], out.shape[0])
        inside = out[y0:y1, x0:x1].mean()
        assert inside < 110, (rot, inside)
        assert out.mean() > 200


def test_missing_font_names_the_debian_package(ms, monkeypatch):
    monkeypatch.setitem(ms._FONT_FILES, "hand", ("/nonexistent/ukai.ttc", "CN", "fonts-arphic-ukai"))
    ms.font.cache_clear()
    try:
        with pytest.raises(ms.FontMissingError, match="fonts-arphic-ukai"):
            ms.font("hand", 40)
    finally:
        ms.font.cache_clear()


# ---------------------------------------------------------------------------------------------
# saving


@pytest.mark.parametrize("fmt", ["tiff-lzw", "tiff-jpeg", "tiff-g4", "pdf", "folder", "png"])
def test_save_and_reload(ms, rendered, tmp_path, fmt):
    truth, images, pages = rendered
    images, pages = (images[:1], pages[:1]) if fmt == "png" else (images[1:3], pages[1:3])
    path = ms.save_item(images, ms.item_path(tmp_path, "item", fmt), fmt, quality=80, truth=truth, page_truth=pages)
    back = ms.load_pages(path)
    assert len(back) == len(images)
    w, h = back[0].size           # a PDF page of 595.2 pt renders 2481 px wide (float MediaBox)
    assert abs(w - images[0].width) <= 1 and abs(h - images[0].height) <= 1
    saved = json.loads(ms.truth_path(path).read_text(encoding="utf-8"))
    assert saved["format"] == fmt and len(saved["pages"]) == len(images) and saved["id"] == truth["id"]
    if fmt == "pdf":
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(str(path))
        w_pt, h_pt = pdf[0].get_size()
        assert abs(w_pt - 2480 * 72 / 300) < 1 and abs(h_pt - 3508 * 72 / 300) < 1
        assert pdf[0].get_textpage().get_text_range().strip() == ""
        assert path.read_bytes().count(b"/DCTDecode") == len(images)
    elif fmt == "folder":
        assert sorted(f.name for f in path.iterdir()) == ["1.jpg", "2.jpg"]
        assert Image.open(path / "1.jpg").info["dpi"] == pytest.approx((300, 300), abs=0.5)
    else:
        im = Image.open(path)
        assert im.info["dpi"] == pytest.approx((300, 300), abs=0.5)
        if fmt == "tiff-g4":
            assert im.mode == "1" and im.info["compression"] == "group4"
        elif fmt.startswith("tiff"):
            assert im.info["compression"] == {"tiff-lzw": "tiff_lzw", "tiff-jpeg": "jpeg"}[fmt]
    assert not list(tmp_path.glob(".*tmp*")), "temporary files left behind"


def test_folder_pages_are_numbered_naturally(ms, tmp_path):
    small = [Image.new("RGB", (60, 80), (i * 20, 255, 255)) for i in range(11)]
    path = ms.save_item(small, tmp_path / "bundle", "folder")
    names = sorted((f.name for f in path.iterdir()), key=lambda n: int(n.split(".")[0]))
    assert names == [f"{i}.jpg" for i in range(1, 12)]
    back = ms.load_pages(path)
    assert [im.getpixel((0, 0))[0] for im in back] == [i * 20 for i in range(11)]


def test_png_refuses_several_pages(ms, tmp_path):
    with pytest.raises(ValueError, match="one page"):
        ms.save_item([Image.new("RGB", (10, 10))] * 2, tmp_path / "x.png", "png")


def test_cli_writes_then_skips(ms, tmp_path, monkeypatch, capsys):
    real = ms.make_random_truth
    monkeypatch.setattr(ms, "make_random_truth", lambda seed, i, **kw: real(seed, i, single_page=True))
    assert ms.main(["--out", str(tmp_path), "--seed", "31", "--count", "1", "--upright"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("wrote ") and out.count("\n") == 1
    item = tmp_path / "random-31-01.pdf"
    assert item.exists() and ms.truth_path(item).exists()
    assert ms.main(["--out", str(tmp_path), "--seed", "31", "--count", "1"]) == 0
    assert "skipped" in capsys.readouterr().out
