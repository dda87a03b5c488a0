"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from helpers import PARAGRAPH, ROOT, as_array, draw_text_page, missing_tool, text_page_lines

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def text_page() -> Image.Image:
    return draw_text_page()


class FakeOcr:
    """The known text of the fake OCR engine for one test (see ``gongwen.ocr.engines.fake``)."""

    def __init__(self, path: Path):
        self.path = path
        path.write_text("{}", encoding="utf-8")

    def page(self, lines=PARAGRAPH, size=(1240, 1754), font_px=40) -> Image.Image:
        """A page drawn as ``draw_text_page`` draws it, its lines known to the fake engine (save
        it losslessly: PNG, or LZW or G4 TIFF)."""
        img = draw_text_page(lines=lines, size=size, font_px=font_px)
        self.register(img, text_page_lines(lines=lines, size=size, font_px=font_px))
        return img

    def register(self, img: Image.Image, lines) -> None:
        from gongwen.ocr.engines.fake import register

        register(as_array(img), lines, self.path)


@pytest.fixture
def fake_ocr(tmp_path_factory, monkeypatch) -> FakeOcr:
    """Pages for the fake engine (``Settings(engine="fake")``, ``--engine fake``): tests that need
    page text but not OCR quality.  ``fake_ocr.page(lines=...)`` draws a page and registers its
    lines in a file that GONGWEN_FAKE_OCR names (worker processes and subprocesses started by
    the test inherit it)."""
    from gongwen.ocr.engines.fake import ENV

    path = tmp_path_factory.mktemp("fake-ocr") / "known.json"
    monkeypatch.setenv(ENV, str(path))
    return FakeOcr(path)


@pytest.fixture
def store(out):
    """The review store of a module's ``out`` fixture (an OUT of converted items), synced."""
    from gongwen.pipeline.review.store import ReviewStore

    s = ReviewStore(out)
    s.sync()
    yield s
    s.close()


@pytest.fixture(scope="session")
def samples_module():
    """The sample generator as the one-file samples/make_samples.py offered it: the module
    gongwen.samples.make_samples (the package's API, main, and the helpers tests reach into)."""
    from gongwen.samples import make_samples

    return make_samples


@pytest.fixture(scope="session")
def example_out(tmp_path_factory, samples_module):
    """OUT of converting the example bundle's rendered scan (LZW TIFF), once per test session."""
    from gongwen.pipeline.run.convert import Settings, convert

    ms = samples_module
    truth = ms.load_truth(ROOT / "samples" / "truth" / "example-bundle.json")
    images, _ = ms.render_bundle(truth)
    scans = tmp_path_factory.mktemp("scans")
    ms.save_item(images, scans / "example-bundle.tif", "tiff-lzw")
    out = tmp_path_factory.mktemp("out")
    convert([scans / "example-bundle.tif"], out, Settings(jobs=2))
    return out


@pytest.fixture(scope="session")
def realworld_out(tmp_path_factory):
    """OUT of converting every real document of ../shared/realworld that has a truth file
    (``x.truth.json`` beside ``x.pdf`` or ``x.jpg``), once per test session, each item named
    by its document's stem: ``(out, {item_id: truth})``."""
    import json

    from helpers import REALWORLD
    from gongwen.pipeline.run.convert import Settings, convert

    if not REALWORLD.is_dir():
        pytest.skip(f"{REALWORLD} is not here: the real documents live in ../shared/realworld")
    truths, documents = {}, []
    for truth in sorted(REALWORLD.rglob("*.truth.json")):
        stem = truth.name[: -len(".truth.json")]
        [doc] = [p for p in truth.parent.glob(f"{stem}.*") if not p.name.endswith(".json")]
        truths[stem] = json.loads(truth.read_text(encoding="utf-8"))
        documents.append(doc)
    out = tmp_path_factory.mktemp("realworld-out")
    convert(documents, out, Settings(jobs=2))
    return out, truths


@pytest.fixture
def browser():
    """Debian's chromium, headless, driven by Playwright (which downloads no browser)."""
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def sample_fonts():
    """The Debian fonts the sample generator draws with; a test that renders samples is skipped,
    naming the package, when one is missing."""
    from gongwen.samples.fonts import FontMissingError, check_fonts

    try:
        check_fonts()
    except FontMissingError as exc:
        pytest.skip(str(exc))
