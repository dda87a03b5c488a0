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
from publish_helpers import index_records, index_text, make_document, page_image
from gongwen.parsers.model import Annotation, Field, Line, Page
from gongwen.pipeline.cli import main
from gongwen.pipeline.export.items import write_item
from gongwen.parsers.disclosure import is_public
from gongwen.pipeline.publish import listing
from gongwen.pipeline.publish.site import publish, slug
from gongwen.pipeline.publish.textindex import decode_ids, search, unpack

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
    """Every file of the site as text: pages, scripts, the PDFs' text layers and the search
    index (uncompressed)."""
    parts = [index_text(site)]
    for path in sorted(site.rglob("*")):
        if path.suffix == ".gw":
            continue
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


def test_search_index_holds_the_public_items(site):
    """The index's record of each published item: its text, the title, 文号, issuer and date
    shown with a result, the filters; nothing of a withheld item (the browser tests search it)."""
    records = {r["u"]: r for r in index_records(site)}
    assert sorted(records) == sorted(f"items/{slug(i)}.html" for i in ("2014/zb-8", "2015/zd-2"))
    public = records[f"items/{slug('2014/zb-8')}.html"]
    assert PUBLIC_PHRASE in public["x"]
    assert (public["t"], public["n"], public["i"], public["d"]) == (
        "关于做好扶贫结对帮扶工作的通知", "浙委办发〔2014〕8号", "中共浙江省委办公厅", "2014-01-24")
    assert (public["y"], public["g"]) == ("2014", "通知")
    undated = records[f"items/{slug('2015/zd-2')}.html"]
    assert undated["y"] == "2015"  # from its 文号, having no 成文日期
    assert undated["t"] == SCRIPT_TITLE  # as text: the page escapes it
    # what search.js finds, done in Python: a phrase, a 文号, the filters
    assert search(site, PUBLIC_PHRASE[3:9]) == [f"items/{slug('2014/zb-8')}.html"]
    assert search(site, "浙委办发〔2014〕8号") == [f"items/{slug('2014/zb-8')}.html"]
    assert search(site, "通知", {"year": "2015"}) == [f"items/{slug('2015/zd-2')}.html"]
    assert search(site, "", {"issuer": "中共浙江省委办公厅"}) == [f"items/{slug('2014/zb-8')}.html"]
    assert search(site, WITHHELD_PHRASE) == []
    # the titles for file:// hold every public item, newest first
    titles = (site / "titles" / "0.js").read_text(encoding="utf-8")
    assert titles.index("浙政办发〔2015〕2号") < titles.index("浙委办发〔2014〕8号")


def test_ids_with_slashes_give_safe_paths(site):
    items = site / "items"
    names = sorted(p.name for p in items.iterdir())
    assert all("/" not in n and not n.startswith(".") for n in names)
    assert {p.parent for p in site.rglob("*.html")} <= {site, items, site / "year", site / "issuer"}
    assert slug("2014/zb-8") != slug("2014_zb-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    for item_id in ("2014/zb-8", "2015/zd-2"):
        url = f"items/{slug(item_id)}.html"
        assert (site / url).is_file()
        assert f'href="{url}"' in index
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
    assert "</script>" not in (site / "titles" / "0.js").read_text(encoding="utf-8")


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
    assert search(site, "按时报送材料") == [f"items/{slug('2015/zd-2')}.html"]
    publish(copy, site)
    assert not page.exists()
    assert "各地要按时报送材料" not in site_text(site)
    assert search(site, "按时报送材料") == []
    # its id left every shard: the keys of its text hold no id but the other item's
    other = _sid(site, f"items/{slug('2014/zb-8')}.html")
    assert {i for shard in _shards(site).values() for gaps in shard.values() for i in decode_ids(gaps)} == {other}


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
    [record] = index_records(tmp_path / "site")
    assert record["u"] == f"items/{slug(data['item_id'])}.html"
    assert phrase in record["x"].replace(" ", "")
    assert search(tmp_path / "site", phrase) == [record["u"]]
    pdf = pdfium.PdfDocument(str(tmp_path / "site" / "items" / f"{slug(data['item_id'])}.pdf"))
    kinds = [p["kind"] for p in data["pages"]]
    assert len(pdf) == len(kinds) - kinds.count("slip")
    pdf.close()


# -- publishing again: only what changed ------------------------------------------------------


def _files(site: Path) -> dict[str, tuple[int, int]]:
    """Every file of the site → (inode, mtime): a file written again gets a new inode."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in site.rglob("*") if p.is_file()}


def _retitle(out: Path, item_id: str, title: str) -> None:
    """Change an item's title the way every writer of OUT does: a new file renamed into place."""
    from gongwen.pipeline.export.files import atomic_write_text

    path = out / "items" / item_id / "document.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["fields"]["title"]["value"] = title
    atomic_write_text(path, json.dumps(data, ensure_ascii=False))


@pytest.fixture
def own_out(out, tmp_path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    return copy


def test_publishing_again_without_changes_writes_nothing(own_out, tmp_path):
    site = tmp_path / "site"
    first = publish(own_out, site)
    assert sorted(first.made) == ["2014/zb-8", "2015/zd-2"] and first.written > 0
    before = _files(site)
    again = publish(own_out, site)
    assert again.made == [] and again.written == 0 and again.removed == 0
    assert sorted(again.published) == sorted(first.published) and again.withheld == first.withheld
    assert _files(site) == before  # not one file touched, the search index neither


def _rendering_listings(monkeypatch) -> list[str]:
    """The paths of the listing pages rendered from now on."""
    import jinja2

    rendered: list[str] = []
    render = jinja2.Template.render

    def spy(self, *args, **context):
        if self.name == "site-index.html":
            rendered.append(context["page"].path)
        return render(self, *args, **context)

    monkeypatch.setattr(jinja2.Template, "render", spy)
    return rendered


def test_one_changed_item_touches_only_what_shows_it(own_out, tmp_path, monkeypatch):
    site = tmp_path / "site"
    publish(own_out, site)
    before = _files(site)
    _retitle(own_out, "2015/zd-2", "关于按时报送材料的通知")
    rendered = _rendering_listings(monkeypatch)
    summary = publish(own_out, site)
    assert summary.made == ["2015/zd-2"]
    # only the listing pages that show it are rendered at all
    assert sorted(rendered) == sorted(["index.html", "year/2015.html", f"issuer/{slug('浙江省人民政府办公厅')}.html"])
    after = _files(site)
    changed = {f for f in after if before.get(f) != after[f]}
    page = f"items/{slug('2015/zd-2')}.html"
    issuer = f"issuer/{slug('浙江省人民政府办公厅')}.html"
    assert {page, "index.html", "year/2015.html", issuer, "titles/0.js"} <= changed
    # the other item's page and PDF, the year and issuer pages it is on: untouched
    other = {f"items/{slug('2014/zb-8')}.html", f"items/{slug('2014/zb-8')}.pdf", "year/2014.html",
             f"issuer/{slug('中共浙江省委办公厅')}.html", "site.css", "search.js"}
    assert not other & changed
    # the PDF of the changed item is the same file (its searchable.pdf did not change) …
    assert f"items/{slug('2015/zd-2')}.pdf" not in changed
    # … and the search index changed where the item's keys are: its record, some shards
    record = f"search/t/0/{_sid(site, page)}.gw"
    assert record in changed and any(f.startswith("search/k/") for f in changed)
    assert not {f for f in changed if f.startswith("search/t/")} - {record}
    assert search(site, "按时报送材料") == [page]
    assert search(site, "alert") == []  # the old title's word is gone from the index
    # the same index as a publish from scratch makes
    fresh = tmp_path / "fresh"
    publish(own_out, fresh)
    assert _shards(site) == _shards(fresh)


def _sid(site: Path, url: str) -> int:
    return next(int(p.stem) for p in (site / "search" / "t").rglob("*.gw") if unpack(p.read_bytes())["u"] == url)


def _shards(site: Path) -> dict[str, dict]:
    return {p.name: unpack(p.read_bytes()) for p in (site / "search" / "k").glob("*.gw")}


def test_a_change_of_templates_or_a_lost_state_makes_everything_again(own_out, tmp_path):
    site = tmp_path / "site"
    publish(own_out, site)
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "site.css").write_text("body { color: #123456; }", encoding="utf-8")
    assert sorted(publish(own_out, site, templates=custom).made) == ["2014/zb-8", "2015/zd-2"]
    for state in (own_out / ".gongwen" / "publish-state").glob("*.json"):
        state.write_text("{not json", encoding="utf-8")
    (site / "items" / "stray.html").write_text("left by an older publish", encoding="utf-8")
    summary = publish(own_out, site, templates=custom)
    assert sorted(summary.made) == ["2014/zb-8", "2015/zd-2"]
    assert not (site / "items" / "stray.html").exists()  # a full publish clears what is not its own


def test_listings_are_paged(own_out, tmp_path, monkeypatch):
    site = tmp_path / "site"
    monkeypatch.setattr(listing, "PAGE_ROWS", 1)
    publish(own_out, site)
    first = (site / "index.html").read_text(encoding="utf-8")
    second = (site / "page" / "2.html").read_text(encoding="utf-8")
    assert "浙政办发〔2015〕2号" in first and "浙委办发〔2014〕8号" not in first  # newest first
    assert "浙委办发〔2014〕8号" in second
    assert 'rel="next" href="page/2.html"' in first and 'rel="prev" href="../index.html"' in second
    assert f'href="../items/{slug("2014/zb-8")}.html"' in second
    monkeypatch.setattr(listing, "PAGE_ROWS", 100)
    summary = publish(own_out, site)
    assert summary.made == [] and summary.removed == 1
    assert not (site / "page").exists() or not list((site / "page").iterdir())


def test_serve_previews_the_site(site):
    """``publish --serve``'s server: the site's pages and its search index over http."""
    import threading
    import urllib.request

    from gongwen.pipeline.publish.serve import site_server

    server = site_server(site, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with urllib.request.urlopen(base + "index.html") as r:
            assert "公开文件" in r.read().decode("utf-8") and r.headers["Content-Type"].startswith("text/html")
        with urllib.request.urlopen(base + "search.js") as r:
            assert r.headers["Content-Type"] == "text/javascript"
        with urllib.request.urlopen(base + "search/index.json") as r:
            assert json.loads(r.read())["shards"] >= 1
    finally:
        server.shutdown()
        server.server_close()


def test_cli_publish_serve(out, tmp_path, capsys, monkeypatch):
    import gongwen.pipeline.publish.serve as serve

    served = []

    class Server:
        server_address = ("127.0.0.1", 8123)

        def serve_forever(self):
            served.append(True)
            raise KeyboardInterrupt  # Ctrl+C: the preview ends, the publish succeeded

        def server_close(self):
            pass

    monkeypatch.setattr(serve, "site_server", lambda site, host, port: Server())
    assert main(["publish", str(out), "--site", str(tmp_path / "s"), "--serve", "--port", "8123"]) == 0
    assert served and "Site on http://127.0.0.1:8123/" in capsys.readouterr().err
    assert main(["publish", str(out), "--site", str(tmp_path / "s"), "--serve", "--port", "70000"]) == 2


@pytest.mark.parametrize("lost", ["manifest", "shard", "shard file", "record"])
def test_a_damaged_search_index_is_mended(own_out, tmp_path, lost):
    """A lost manifest or an unreadable shard: the next publish builds the index anew; a lost
    record: its item is made again.  Either way the search finds what it found before."""
    site = tmp_path / "site"
    publish(own_out, site)
    url = f"items/{slug('2014/zb-8')}.html"
    assert search(site, PUBLIC_PHRASE) == [url]
    if lost == "manifest":
        (site / "search" / "index.json").unlink()
    elif lost == "shard file":
        (site / "search" / "k" / "0.gw").unlink()
    elif lost == "shard":
        for shard in (site / "search" / "k").glob("*.gw"):
            shard.write_bytes(b"not gzip")
        _retitle(own_out, "2015/zd-2", "关于按时报送材料的通知")  # a change reads the shards
    else:
        (site / "search" / "t" / "0" / f"{_sid(site, url)}.gw").unlink()
    publish(own_out, site)
    publish(own_out, site)  # a shard found unreadable: built anew by the publish after
    assert search(site, PUBLIC_PHRASE) == [url]
    fresh = tmp_path / "fresh"
    publish(own_out, fresh)
    assert _shards(site) == _shards(fresh)


def test_the_archives_own_notes_stay_out_of_the_site(own_out, tmp_path):
    """A table's 合计 check is for the archivist (document.html in OUT), not for the public."""
    from gongwen.pipeline.export.files import atomic_write_text

    path = own_out / "items" / "2014" / "zb-8" / "document.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    note = "table 1 (帮扶村数): 合计 20 ≠ sum of rows 12: rows or pages may be missing"
    rows = [["县", "帮扶村数"], ["青田", "12"], ["合计", "20"]]
    data["tables"] = [{
        "cells": [{"row": r, "col": c, "text": t, "bbox": [0, 0, 1, 1], "page": 1, "confidence": 0.99}
                  for r, row in enumerate(rows) for c, t in enumerate(row)],
        "header_rows": 1, "pages": [1], "checks": [note],
    }]
    atomic_write_text(path, json.dumps(data, ensure_ascii=False))
    site = tmp_path / "site"
    publish(own_out, site)
    page = (site / "items" / f"{slug('2014/zb-8')}.html").read_text(encoding="utf-8")
    assert "青田" in page and "≠" not in page
    assert "青田" in index_text(site) and "≠" not in index_text(site)


@pytest.mark.parametrize("when", ["changing shards", "building anew"])
def test_a_publish_stopped_half_way_is_put_right_by_the_next(own_out, tmp_path, monkeypatch, when):
    """A publish killed while it writes the index's shards (some written, the state not saved),
    changing them for one item or building them anew (a shard it had to change was damaged):
    the next publish makes the index a publish from scratch would."""
    from gongwen.pipeline.publish import site as site_module

    site = tmp_path / "site"
    publish(own_out, site)
    if when == "building anew":  # a shard the change touches cannot be read: built anew
        for shard in (site / "search" / "k").glob("*.gw"):
            shard.write_bytes(b"damaged")
    _retitle(own_out, "2015/zd-2", "关于按时报送材料的通知")
    real_write, shards_written = site_module._Site.write, []

    def dying_write(self, rel, content, only_if_changed=False):
        if rel.startswith("search/k/"):
            if shards_written:
                raise KeyboardInterrupt("killed")  # after one shard
            shards_written.append(rel)
        return real_write(self, rel, content, only_if_changed)

    monkeypatch.setattr(site_module._Site, "write", dying_write)
    with pytest.raises(KeyboardInterrupt):
        publish(own_out, site)
    monkeypatch.undo()
    assert shards_written  # the index was half written
    made = sorted(publish(own_out, site).made)
    # the state was not saved: the item is made again; stopped while building anew (no manifest
    # then), the whole index is built anew, and so every item's record made again
    assert made == (["2015/zd-2"] if when == "changing shards" else ["2014/zb-8", "2015/zd-2"])
    fresh = tmp_path / "fresh"
    publish(own_out, fresh)
    assert _shards(site) == _shards(fresh)
    assert search(site, "按时报送材料") == [f"items/{slug('2015/zd-2')}.html"]
