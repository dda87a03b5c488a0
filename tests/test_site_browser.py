"""The published site in a real browser: Debian's chromium, headless, driven by Playwright.

Search a phrase of an item's body on the index page, see the item in the results, open it.
Skipped only when /usr/bin/chromium is missing (``make test`` installs it); under CI that fails.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import ROOT
from publish_helpers import make_document
from gongwen.pipeline.export.files import atomic_write_bytes
from gongwen.pipeline.export.items import write_item
from gongwen.pipeline.publish.site import publish

pytestmark = pytest.mark.browser

SCREENSHOT = ROOT / "docs" / "screenshot-item.png"
SCREENSHOT_MAX_BYTES = 300_000
TITLE = "关于做好2014年度扶贫结对帮扶工作的通知"
PHRASE = "低收入农户集中村"  # inside a body sentence, not at its start


def _site(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    work = tmp_path / "work"
    body = [
        "近年来，省级结对帮扶团组认真做好与欠发达县范围内低收入农户集中村的结对帮扶工作。",
        "一、明确帮扶重点",
        "各地要把帮扶资金集中用于基础设施和产业发展。",
        "春节前完成结对走访。",
    ]
    main = make_document("2014/fp-8", work, body, title=TITLE)
    main = replace(main, body=tuple(
        replace(p, kind="heading", level=1) if p.text.startswith("一、") else p for p in main.body
    ))
    docs = [
        main,
        make_document("2014/qt-3", work, ["现就做好春节期间安全生产工作通知如下。"],
                      title="关于做好春节期间安全生产工作的通知", doc_number="浙委办发〔2014〕3号"),
        make_document("2014/nb-1", work, ["低收入农户集中村的内部材料不公开。"],
                      title="关于内部事项的通知", disclosure="此件不公开"),
        make_document("2013/da-5", work, ["各单位要加快馆藏档案数字化。"], title="关于加强档案数字化工作的意见",
                      issuer="浙江省人民政府办公厅", doc_number="浙政办发〔2013〕5号", issue_date=dt.date(2013, 5, 2)),
    ]
    for doc in docs:
        write_item(doc, out)
    site = tmp_path / "site"
    publish(out, site)
    return site


@pytest.fixture
def server(tmp_path):
    """The site served over http on 127.0.0.1 from a thread."""
    site = _site(tmp_path)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # no request log in the test output
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_search_then_open_the_item(server, browser):
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "index.html")
    assert page.locator("table.catalogue tbody tr").count() == 3  # the 不公开 item is not listed
    results = page.locator("#result-list li")
    page.fill("#q", PHRASE)
    results.first.wait_for(state="visible", timeout=5000)
    assert results.count() == 1  # the withheld item has the phrase too, and is not found
    assert results.first.locator("a").inner_text() == TITLE
    # the excerpt marks the phrase found
    assert results.first.locator(".snippet mark").all_inner_texts() == [PHRASE]
    page.fill("#q", "低收入农户集中")  # a fragment that cuts a word (集中村) is found too
    page.wait_for_function("document.getElementById('result-count').textContent === '找到 1 件'")
    page.fill("#q", "没有这样的词句")  # every pair of it is in no text
    page.wait_for_function("document.getElementById('result-count').textContent === '没有找到'")
    assert page.locator("#result-list li").count() == 0
    page.fill("#q", PHRASE)
    results.first.locator("a").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == TITLE
    assert page.title() == TITLE
    assert page.locator("p.issuer").inner_text() == "中共浙江省委办公厅文件"
    pdf = page.locator("a.pdf").get_attribute("href")
    assert page.request.get(page.url.rsplit("/", 1)[0] + "/" + pdf.split("/")[-1]).ok
    assert errors == []
    SCREENSHOT.parent.mkdir(exist_ok=True)
    shot = page.screenshot(full_page=True, type="png")
    if len(shot) > SCREENSHOT_MAX_BYTES:  # keep the README's picture small
        from io import BytesIO

        from PIL import Image

        img = Image.open(BytesIO(shot)).convert("P", palette=Image.ADAPTIVE, colors=64)
        buf = BytesIO()
        img.save(buf, format="PNG", optimize=True)
        shot = buf.getvalue()
    assert len(shot) < SCREENSHOT_MAX_BYTES
    atomic_write_bytes(SCREENSHOT, shot)


def test_search_works_from_file_urls(tmp_path, browser):
    """Opened straight from the disk (file://), where a page may not fetch the search index:
    the titles, 文号 and issuers are searched instead, and the page says so."""
    site = _site(tmp_path)
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    assert "只检索标题" in page.locator("#search-mode").inner_text()
    page.fill("#q", "扶贫结对")
    page.locator("#result-list li").first.wait_for(state="visible", timeout=5000)
    assert page.locator("#result-list li a").all_inner_texts() == [TITLE]
    page.goto((site / "year" / "2014.html").as_uri())
    page.fill("#q", "浙委办发〔2014〕3号")
    page.locator("#result-list li").first.wait_for(state="visible", timeout=5000)
    page.locator("#result-list li a").first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "关于做好春节期间安全生产工作的通知"


def test_search_by_doc_number_and_filters(server, browser):
    """A 文号 finds its document only (not every 浙委办发); the filters narrow a search, and
    an issuer's page searches within that issuer from the start."""
    page = browser.new_page()
    page.goto(server + "index.html")
    results = page.locator("#result-list li a")
    page.fill("#q", "浙委办发〔2014〕3号")
    page.wait_for_function("document.getElementById('result-count').textContent.startsWith('找到')")
    assert results.all_inner_texts() == ["关于做好春节期间安全生产工作的通知"]
    page.fill("#q", "春节")  # in one's title and the other's body: the title first
    page.wait_for_function("document.querySelectorAll('#result-list li').length === 2")
    assert results.all_inner_texts() == ["关于做好春节期间安全生产工作的通知", TITLE]
    page.fill("#q", "通知")
    page.wait_for_function("document.querySelectorAll('#result-list li').length === 2")
    page.select_option("#f-year", "2013")
    page.wait_for_function("document.getElementById('result-count').textContent === '没有找到'")
    page.select_option("#f-year", "")
    page.fill("#q", "")  # no words: every item of the filter, newest first
    page.select_option("#f-issuer", "浙江省人民政府办公厅")
    page.wait_for_function("document.querySelectorAll('#result-list li').length === 1")
    assert results.all_inner_texts() == ["关于加强档案数字化工作的意见"]
    page.select_option("#f-issuer", "")
    page.select_option("#f-genre", "意见")
    page.wait_for_function("document.querySelectorAll('#result-list li').length === 1")
    assert results.all_inner_texts() == ["关于加强档案数字化工作的意见"]
    # the issuer's own page: its filter set, a search finds nothing of the other issuer
    page.goto(server + "index.html")
    page.locator("nav.filters a", has_text="浙江省人民政府办公厅").click()
    page.wait_for_load_state("load")
    assert page.locator("#f-issuer").input_value() == "浙江省人民政府办公厅"
    page.fill("#q", "通知")
    page.wait_for_function("document.getElementById('result-count').textContent === '没有找到'")


PARITY = ["浙委办发〔２０１４〕８号", "低收入 农户集中村", "Ann Arbor 2.16", "二〇〇六年三月五日", "14年2月1日",
          "扶贫\u200b结对", "关于做好二〇一四年度全省扶贫结对帮扶工作的补充通知", "ＡＢＣ，ｄｅｆ", "国办发〔2023〕12号 通知"]


def test_the_browser_keys_a_query_as_the_index_was_built(server, browser):
    """search.js and textindex.py: the same normalising, keys and shard hash for each query, or
    a query would look in the wrong shard for a key the index never made."""
    from gongwen.pipeline.publish import textindex as ti

    page = browser.new_page()
    page.goto(server + "index.html")
    got = page.evaluate("""(queries) => queries.map((q) => {
        const s = window.GONGWEN_SEARCH, words = q.split(/\\s+/).map(s.normalise).filter(Boolean);
        const keys = s.queryKeys(words, s.maxKeys);
        return [words.join(" "), keys, keys.map(s.fnv1a)];
    })""", PARITY)
    for query, (words, keys, hashes) in zip(PARITY, got):
        assert words == " ".join(ti.normalise(w) for w in query.split()), query
        assert keys == ti.query_keys(query), query
        assert hashes == [ti.fnv1a(k) for k in keys], query


def test_a_browser_without_decompression_searches_the_titles(server, browser):
    """An older browser (no DecompressionStream) cannot read the index: the titles are searched,
    over http too, and the page says so."""
    page = browser.new_page()
    page.add_init_script("delete window.DecompressionStream;")
    page.goto(server + "index.html")
    assert "只检索标题" in page.locator("#search-mode").inner_text()
    page.fill("#q", "扶贫结对")
    page.locator("#result-list li").first.wait_for(state="visible", timeout=5000)
    assert page.locator("#result-list li a").all_inner_texts() == [TITLE]
