"""The review app in a real browser: Debian's chromium, headless, driven by Playwright (no
browser download).  An archivist opens the queue, corrects a field, approves; the test checks
the database rows and the CSV after ``gongwen export``; and the first page of a 10-page item is
on screen in under a second, for a generated item and for the converted example bundle.  Skipped only when /usr/bin/chromium is missing (``make test``
installs it); under CI that fails."""

from __future__ import annotations

import csv
import json
import shutil
import statistics
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select

from helpers import ROOT
from review_helpers import LONG, MAIN, served, write_out
from gongwen.pipeline.export.files import atomic_write_bytes
from gongwen.pipeline.review.export import export_reviewed
from gongwen.pipeline.review.store import ReviewStore, corrections, items

pytestmark = pytest.mark.browser

SCREENSHOT = ROOT / "docs" / "review-item.png"
SCREENSHOT_MAX_BYTES = 300_000
FIRST_PAGE_SECONDS = 1.0
TIMING_RUNS = 7
FIRST_PAGE_SHOWN = """() => {
  const img = document.querySelector('#page-1 img');
  return img !== null && img.complete && img.naturalWidth > 0;
}"""


@pytest.fixture
def out(tmp_path):
    return write_out(tmp_path, long_pages=10)


@pytest.fixture
def server(store):
    """The app served by waitress (as ``gongwen review`` does) on a free port of 127.0.0.1."""
    with served(store) as url:
        yield url


def _small_png(shot: bytes) -> bytes:
    if len(shot) <= SCREENSHOT_MAX_BYTES:
        return shot
    from PIL import Image

    img = Image.open(BytesIO(shot)).convert("P", palette=Image.ADAPTIVE, colors=64)
    buf = BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def test_correct_a_field_approve_and_export(server, browser, store, out):
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/")
    assert page.locator(".counts a[data-filter=needs_review] .count").inner_text() == "1"
    assert page.locator(".queue-table tbody tr").first.locator("a.open").inner_text() == MAIN
    page.fill("#reviewer-name", "王芳")
    with page.expect_navigation():
        page.locator("form.reviewer button").click()
    assert page.locator("#reviewer-name").input_value() == "王芳"

    page.keyboard.press("Enter")  # the queue's cursor is on its first item
    page.wait_for_url(f"**/item/{MAIN}?*")
    page.wait_for_function(FIRST_PAGE_SHOWN)
    field = page.locator('input[name="v:circular.doc_number"]')
    assert "low" in page.locator('.edit[data-path="circular.doc_number"]').get_attribute("class")
    active = "document.activeElement.name"
    page.keyboard.press("j")  # the first value, then the next, and back
    assert page.evaluate(active) == "v:circular.copy_number"
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    assert page.evaluate(active) == "v:circular.secrecy"
    page.keyboard.press("Escape")
    page.keyboard.press("k")
    assert page.evaluate(active) == "v:circular.copy_number"
    page.keyboard.press("Escape")
    field.click()
    rect = page.locator("#page-1 .overlay .hl")
    assert rect.get_attribute("visibility") == "visible"
    assert [rect.get_attribute(a) for a in ("x", "y", "width", "height")] == ["120", "273", "380", "39"]
    field.fill("浙委办发〔2014〕18号")
    with page.expect_navigation():
        field.press("Enter")
    assert "已保存 1 处修改" in page.locator(".message.ok").first.inner_text()
    assert page.locator('input[name="v:circular.doc_number"]').input_value() == "浙委办发〔2014〕18号"
    page.locator('input[name="v:circular.doc_number"]').focus()
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.keyboard.press("a")  # save and approve
    assert f"已批准：{MAIN}" in page.locator(".message.ok").first.inner_text()
    assert errors == []

    with store.engine.connect() as conn:
        trail = conn.execute(select(corrections).order_by(corrections.c.id)).mappings().all()
        item = conn.execute(select(items).where(items.c.item_id == MAIN)).mappings().one()
    assert [(r["item_id"], r["path"], r["action"], r["old_value"], r["new_value"], r["reviewer"]) for r in trail] == [
        (MAIN, "circular.doc_number", "edit", "浙委办发〔2014〕8号", "浙委办发〔2014〕18号", "王芳"),
        (MAIN, "item", "approve", "unreviewed", "reviewed", "王芳"),
    ]
    assert (item["status"], item["reviewed_by"], item["needs_review"]) == ("reviewed", "王芳", False)

    export_reviewed(out)
    with (out / "documents.csv").open(encoding="utf-8-sig", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["item_id"] == MAIN)
    assert (row["doc_number"], row["needs_review"]) == ("浙委办发〔2014〕18号", "false")


def first_page_seconds(browser, url: str) -> tuple[float, list[float], list[int]]:
    """From navigation start to the first page's image decoded and complete (performance.now()
    in the page, whose origin is the navigation's start): the median of several cold loads (a
    new browser context each time: no cache), every time, and how many page images had been
    fetched by then."""
    times, loaded = [], []
    for _ in range(TIMING_RUNS):
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(FIRST_PAGE_SHOWN, polling="raf")
        times.append(page.evaluate("performance.now()") / 1000)
        loaded.append(page.evaluate("performance.getEntriesByType('resource').filter(e => e.name.includes('/page/')).length"))
        context.close()
    return statistics.median(times), times, loaded


def test_first_page_of_a_ten_page_item_shows_within_a_second(server, browser, store):
    assert store.page_count(LONG) == 10
    median, times, loaded = first_page_seconds(browser, f"{server}/item/{LONG}?show=all")
    print(f"first page of a 10-page item (300 dpi JPEG pages of ~1.5 MB): median {median * 1000:.0f} ms "
          f"over {TIMING_RUNS} cold loads, all {[round(t * 1000) for t in times]} ms; page images fetched by then: {loaded}")
    assert median < FIRST_PAGE_SECONDS
    assert min(loaded) < 10  # the later pages load lazily, as they scroll into view


def ten_page_bundle(example_out: Path, tmp_path: Path) -> Path:
    """A copy of the converted example bundle (8 pages: slip, circular, annex tables, imprint)
    made into a 10-page item: its two annex table pages once more as pages 9 and 10."""
    out = tmp_path / "bundle"
    shutil.copytree(example_out, out, ignore=shutil.ignore_patterns("review*"))
    doc = out / "items" / "example-bundle" / "document.json"
    data = json.loads(doc.read_text(encoding="utf-8"))
    pages = out / ".gongwen" / "pages" / "example-bundle"
    extra = [p for p in data["pages"] if p["kind"] == "annex"][:2]
    assert len(data["pages"]) == 8 and len(extra) == 2
    for number, page in enumerate(extra, start=9):
        data["pages"].append({**page, "number": number})
        shutil.copy(pages / f"{page['number']:04d}.jpg", pages / f"{number:04d}.jpg")
    doc.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


@pytest.mark.ocr
def test_the_converted_example_bundle_in_the_review_app(example_out, tmp_path, browser):
    """The real thing: the example bundle as convert read it (OCR), made a 10-page item: the
    first page within a second, every page image there once scrolled to, the 发文字号's box on
    its page; the README's screenshot."""
    out = ten_page_bundle(example_out, tmp_path)
    store = ReviewStore(out)
    store.sync()
    with served(store) as base:
        url = f"{base}/item/example-bundle"
        try:
            assert store.page_count("example-bundle") == 10
            median, times, loaded = first_page_seconds(browser, url)
            print(f"first page of the converted example bundle made 10 pages: median {median * 1000:.0f} ms over "
                  f"{TIMING_RUNS} cold loads, all {[round(t * 1000) for t in times]} ms; page images fetched by then: {loaded}")
            assert median < FIRST_PAGE_SECONDS

            page = browser.new_page(viewport={"width": 1280, "height": 860})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url)
            page.fill("#reviewer-name", "王芳")
            with page.expect_navigation():
                page.locator("form.reviewer button").click()
            field = page.locator('input[name="v:circular.doc_number"]')
            assert field.input_value() == "浙委办发〔2014〕8号"
            field.focus()
            number = page.locator('.edit[data-path="circular.doc_number"]').get_attribute("data-page")
            rect = page.locator(f"#page-{number} .overlay .hl")
            assert rect.get_attribute("visibility") == "visible"
            page.wait_for_function(
                f"() => {{ const i = document.querySelector('#page-{number} img'); return i.complete && i.naturalWidth > 0; }}"
            )
            assert rect.bounding_box()["y"] < 860  # scrolled to, on screen
            page.wait_for_timeout(200)
            SCREENSHOT.parent.mkdir(exist_ok=True)
            shot = _small_png(page.screenshot(type="png"))
            assert len(shot) < SCREENSHOT_MAX_BYTES
            atomic_write_bytes(SCREENSHOT, shot)
            for number in range(1, 11):  # the later pages load as they come into view
                page.locator(f"#page-{number}").scroll_into_view_if_needed()
                page.wait_for_function(
                    f"() => {{ const i = document.querySelector('#page-{number} img'); return i.complete && i.naturalWidth > 0; }}"
                )
            assert errors == []
        finally:
            store.close()
