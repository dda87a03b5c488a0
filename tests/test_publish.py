"""gongwen publish: the static site, its disclosure policy and its search index (no OCR)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from PIL import Image, ImageDraw, ImageFont

from helpers import BODY_FONT
from publish_helpers import make_document, page_image
from gongwen.parsers.model import Annotation, Field, Line, Page
from gongwen.pipeline.cli import main
from gongwen.pipeline.export.items import write_item
from gongwen.parsers.disclosure import is_public
from gongwen.pipeline.publish.site import INDEX_JSON, publish, search, slug

PUBLIC_PHRASE = "结对帮扶资金要专款专用并接受审计"
WITHHELD_PHRASE = "此段内部部署不得外传甲乙丙"
REFUSED_PHRASE = "另一段不予公开的安排丁戊己"
UNMARKED_PHRASE = "没有附注的通知庚辛壬癸"
SLIP_READER = "欧阳建国"
SLIP_OFFICE = "青田县人民政府办公室文件传阅单"
NOTE_TEXT = "请财政局牵头落实批注"
RECEIPT_NUMBER = "第7319号"
SCRIPT_TITLE = '关于<script>alert("x")</script>的通知'


def _field(value, page=1, bbox=None):
    return Field(value=value, raw=str(value), page=page, bbox=bbox, confidence=0.99)


def _with_internal_parts(doc, folder: Path):
    """The document with what a receiving office adds: a slip page, a handwritten note (blue
    ink) in the circular's margin, the 收文 stamp (red, above the 发文机关标志)."""
    slip_image, slip_lines = page_image([SLIP_OFFICE, f"阅文人 {SLIP_READER}"], folder / "slip.jpg")
    slip = Page(number=2, width=1240, height=1754, dpi=150.0, engine="test", lines=slip_lines,
                kind="slip", image_path=str(slip_image))
    note_box = (700.0, 40.0, 1150.0, 90.0)
    stamp_office = Line("青田县人民政府办公室", (700.0, 100.0, 1100.0, 140.0), 0.99, layer="red")
    receipt = Line(RECEIPT_NUMBER, (900.0, 150.0, 1100.0, 190.0), 0.99, layer="blue")
    note = Line(NOTE_TEXT, note_box, 0.99, layer="blue")
    page1 = doc.pages[0]
    scan = Image.open(page1.image_path)
    draw = ImageDraw.Draw(scan)
    for line, ink in ((stamp_office, "red"), (receipt, "blue"), (note, "blue")):
        draw.text(line.bbox[:2], line.text, fill=ink, font=ImageFont.truetype(BODY_FONT, 36))
    scan.save(folder / "annotated.jpg", quality=90)
    page1 = replace(page1, image_path=str(folder / "annotated.jpg"))
    page1 = replace(page1, lines=(stamp_office, receipt, note) + page1.lines)
    circular = replace(
        doc.circular,
        issuer=_field(doc.circular.issuer.value, bbox=(120.0, 195.0, 900.0, 245.0)),
        receipt_number=_field(RECEIPT_NUMBER, bbox=receipt.bbox),
    )
    return replace(
        doc,
        pages=(page1, slip),
        circular=circular,
        receiving_office=_field(SLIP_OFFICE, page=2),
        annotations=(Annotation(kind="note", text=_field(NOTE_TEXT, bbox=note_box)),),
        circulation=doc.circulation,
    )


def _write(doc, out: Path) -> None:
    write_item(doc, out)
    for p in doc.pages:  # the page images convert keeps for reparse (and publish)
        target = out / ".gongwen" / "pages" / doc.item_id / f"{p.number:04d}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(p.image_path, target)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("docs")
    out = tmp_path_factory.mktemp("out")
    public = make_document("2014/zb-8", work, ["为做好扶贫工作，现通知如下：", PUBLIC_PHRASE],
                           disclosure="此件公开发布", with_slip=True)
    _write(_with_internal_parts(public, work), out)
    _write(make_document("2015/zd-2", work, ["一、工作要求", "各地要按时报送材料。"], title=SCRIPT_TITLE,
                         issuer="浙江省人民政府办公厅", doc_number="浙政办发〔2015〕2号",
                         issue_date=None, disclosure="此件主动公开"), out)
    _write(make_document("2014/bgk", work, [WITHHELD_PHRASE], title="关于内部事项的通知",
                         disclosure="此件不公开"), out)
    _write(make_document("2014/bygk", work, [REFUSED_PHRASE], title="关于另一事项的通知",
                         disclosure="不予公开"), out)
    _write(make_document("2014/none", work, [UNMARKED_PHRASE], title="关于未注明事项的通知",
                         disclosure=None), out)
    return out


def site_text(site: Path) -> str:
    """Every file of the site as text: pages, index, scripts, and the PDFs' text layers."""
    parts = []
    for path in sorted(site.rglob("*")):
        if path.suffix == ".pdf":
            pdf = pdfium.PdfDocument(str(path))
            parts += [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
            pdf.close()
        elif path.is_file():
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def site(out, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    summary = publish(out, site)
    assert sorted(summary.published) == ["2014/zb-8", "2015/zd-2"]
    assert sorted(summary.withheld) == ["2014/bgk", "2014/bygk", "2014/none"]
    return site


@pytest.mark.parametrize(
    "disclosure, public",
    [("此件公开发布", True), ("（此件主动公开）", True), ("主动公开", True), ("此件不公开", False),
     ("不予公开", False), ("此件不予公开", False), ("此件不予公开发布", False), ("不宜主动公开", False), ("暂不公开发布", False), ("此件内部发布", False),
     ("依申请公开", False), ("", False), (None, False)],
)
def test_disclosure_policy(disclosure, public):
    assert is_public(disclosure) is public


def test_withheld_items_leave_no_trace(site):
    text = site_text(site)
    assert PUBLIC_PHRASE in text  # the check can see a body phrase, in pages and the PDF
    for phrase in (WITHHELD_PHRASE, REFUSED_PHRASE, UNMARKED_PHRASE, "关于内部事项的通知"):
        assert phrase not in text
    pdfs = sorted(p.name for p in (site / "items").glob("*.pdf"))
    assert len(pdfs) == 2


def test_internal_parts_absent_by_default(site, out):
    text = site_text(site)
    for secret in (SLIP_READER, SLIP_OFFICE, NOTE_TEXT, RECEIPT_NUMBER, "王建国", "内部批示", "青田县人民政府办公室"):
        assert secret not in text, secret
    assert 'class="internal"' not in text
    pdf = pdfium.PdfDocument(str(site / "items" / f"{slug('2014/zb-8')}.pdf"))
    assert len(pdf) == 1  # the slip page left out
    page = pdf[0].get_textpage().get_text_range()
    assert PUBLIC_PHRASE in page.replace("\r", "").replace("\n", "")
    # the handwriting is painted over in the image, not only left out of the text
    image = pdf[0].render(scale=150 / 72).to_pil().convert("L")
    assert image.crop((700, 40, 1150, 190)).getextrema()[0] > 200
    # … while the same place of the item's own searchable.pdf has the ink
    own = pdfium.PdfDocument(str(out / "items" / "2014" / "zb-8" / "searchable.pdf"))
    assert own[0].render(scale=150 / 72).to_pil().convert("L").crop((700, 40, 1150, 190)).getextrema()[0] < 100
    own.close()
    pdf.close()


def test_internal_parts_published_on_request(out, tmp_path):
    summary = publish(out, tmp_path / "site", include_internal=True)
    assert len(summary.published) == 2
    html = (tmp_path / "site" / "items" / f"{slug('2014/zb-8')}.html").read_text(encoding="utf-8")
    assert 'class="internal"' in html
    for part in (SLIP_OFFICE, "王建国", NOTE_TEXT, RECEIPT_NUMBER):
        assert part in html
    pdf = pdfium.PdfDocument(str(tmp_path / "site" / "items" / f"{slug('2014/zb-8')}.pdf"))
    assert len(pdf) == 2
    pdf.close()
    assert WITHHELD_PHRASE not in site_text(tmp_path / "site")


def test_index_finds_chinese_substrings(site):
    index = json.loads((site / INDEX_JSON).read_text(encoding="utf-8"))
    assert [e["id"] for e in search(index, "专款专用并接受")] == ["2014/zb-8"]
    assert [e["id"] for e in search(index, "资金要专款")] == ["2014/zb-8"]  # mid-word
    assert [e["id"] for e in search(index, "各地要 报送")] == ["2015/zd-2"]  # all terms
    assert search(index, "按时报送材料。")[0]["id"] == "2015/zd-2"  # full-width punctuation
    assert search(index, "甲乙丙") == []
    assert search(index, "不存在的词语") == []
    js = (site / "search-index.js").read_text(encoding="utf-8")
    assert json.loads(js[js.index("{"): js.rindex("}") + 1].replace("<\\/", "</")) == index


def test_ids_with_slashes_give_safe_paths(site):
    items = site / "items"
    names = sorted(p.name for p in items.iterdir())
    assert all("/" not in n and not n.startswith(".") for n in names)
    assert {p.parent for p in site.rglob("*.html")} <= {site, items, site / "year", site / "issuer"}
    assert slug("2014/zb-8") != slug("2014_zb-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    for entry in json.loads((site / INDEX_JSON).read_text(encoding="utf-8"))["items"]:
        assert (site / entry["url"]).is_file()
        assert f'href="{entry["url"]}"' in index
    assert not list(site.rglob("*.tmp"))


def test_filters_without_javascript(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="year/2014.html"' in index
    year = (site / "year" / "2014.html").read_text(encoding="utf-8")
    assert "扶贫结对帮扶" in year and "alert" not in year
    issuer = (site / "issuer" / f"{slug('浙江省人民政府办公厅')}.html").read_text(encoding="utf-8")
    assert "浙政办发〔2015〕2号" in issuer and "浙委办发" not in issuer


def test_title_is_escaped(site):
    for path in [site / "index.html", site / "items" / f"{slug('2015/zd-2')}.html"]:
        html = path.read_text(encoding="utf-8")
        assert '<script>alert("x")' not in html
        assert "&lt;script&gt;alert(" in html
    assert "</script>" not in (site / "search-index.js").read_text(encoding="utf-8")


def test_item_page_is_the_clean_copy(site):
    html = (site / "items" / f"{slug('2014/zb-8')}.html").read_text(encoding="utf-8")
    assert '<p class="issuer">中共浙江省委办公厅文件</p>' in html
    assert "<h1>关于做好扶贫结对帮扶工作的通知</h1>" in html
    assert '<time datetime="2014-01-24">' in html
    assert "（此件公开发布）" in html
    assert f'href="../items/{slug("2014/zb-8")}.pdf"' in html


def test_republish_removes_an_item_withheld_since(out, tmp_path):
    site = tmp_path / "site"
    publish(out, site)
    page = site / "items" / f"{slug('2015/zd-2')}.html"
    assert page.exists()
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    path = copy / "items" / "2015" / "zd-2" / "document.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["fields"]["disclosure"]["value"] = "此件不公开"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    publish(copy, site)
    assert not page.exists()
    assert "各地要按时报送材料" not in site_text(site)


def test_cli_publish(out, tmp_path, capsys):
    assert main(["publish", str(out), "--site", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert "2 published" in err[0] and "3 withheld" in err[0]
    assert sorted(line.split()[1].rstrip(":") for line in err[1:]) == ["2014/bgk", "2014/bygk", "2014/none"]
    assert main(["publish", str(tmp_path / "nowhere"), "--site", str(tmp_path / "t")]) == 2


def test_templates_override(out, tmp_path):
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "site.css").write_text("body { color: #123456; }", encoding="utf-8")
    publish(out, tmp_path / "site", templates=custom)
    assert (tmp_path / "site" / "site.css").read_text(encoding="utf-8") == "body { color: #123456; }"


@pytest.mark.ocr
def test_publish_the_example_bundle(example_out, tmp_path):
    """The example bundle (此件公开发布, with a slip, annotations and the 收文 stamp), as OCR read
    it: published, its body findable, nothing of the receiving office in the site."""
    items = sorted((example_out / "items").rglob("document.json"))
    data = json.loads(items[0].read_text(encoding="utf-8"))
    assert data["circulation"] and data["annotations"] and data["receiving_office"]
    summary = publish(example_out, tmp_path / "site")
    assert summary.published == [data["item_id"]] and not summary.without_pdf
    text = site_text(tmp_path / "site").replace("\r", "").replace("\n", "")
    internal = [data["receiving_office"]["value"]]
    internal += [e["reader"]["value"] for e in data["circulation"]]
    internal += [a["text"]["value"] for a in data["annotations"] if len(a["text"]["value"]) >= 4]
    for part in internal:
        assert part not in text, part
    paragraph = max((p["text"] for p in data["body"]), key=len)
    phrase = paragraph[len(paragraph) // 2: len(paragraph) // 2 + 8]
    index = json.loads((tmp_path / "site" / INDEX_JSON).read_text(encoding="utf-8"))
    assert [e["id"] for e in search(index, phrase)] == [data["item_id"]]
    pdf = pdfium.PdfDocument(str(tmp_path / "site" / "items" / f"{slug(data['item_id'])}.pdf"))
    kinds = [p["kind"] for p in data["pages"]]
    assert len(pdf) == len(kinds) - kinds.count("slip")
    pdf.close()
