"""The published site in a real browser: Debian's chromium, headless, driven by Playwright.

Search a phrase of an item's body on the index page, see the item in the results, open it.
Skipped only when /usr/bin/chromium is missing (``make test`` installs it); under CI that fails.
"""

from __future__ import annotations

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
    assert page.locator("table.catalogue tbody tr").count() == 2  # the 不公开 item is not listed
    results = page.locator("#result-list li")
    page.fill("#q", PHRASE)
    results.first.wait_for(state="visible", timeout=5000)
    assert results.count() == 1  # the withheld item has the phrase too, and is not found
    assert results.first.locator("a").inner_text() == TITLE
    assert PHRASE in results.first.locator(".snippet mark").inner_text()
    page.fill("#q", "没有这样的词句")
    page.wait_for_function("document.getElementById('result-list').children.length === 0")
    assert page.locator("#result-count").inner_text() == "没有找到"
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
    """Opened straight from the disk (file://), where a page may not fetch a JSON file."""
    site = _site(tmp_path)
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    page.fill("#q", "帮扶资金集中")
    page.locator("#result-list li").first.wait_for(state="visible", timeout=5000)
    assert page.locator("#result-list li a").all_inner_texts() == [TITLE]
    page.goto((site / "year" / "2014.html").as_uri())
    page.fill("#q", "春节期间")
    page.locator("#result-list li").first.wait_for(state="visible", timeout=5000)
    page.locator("#result-list li a").first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "关于做好春节期间安全生产工作的通知"
