"""Render realistic scanned bundles (件) of Chinese government circulars from truth JSON.

A bundle is what an archive scans as one item: an optional circulation slip (传阅单) with
handwritten 拟办意见/领导批示, the circular itself (GB/T 9704-2012 layout: red 发文机关标志,
发文字号, red rule, title, 主送机关, body, 附件说明, signatories, 成文日期 under a red seal, 附注),
a 收文 stamp, annex tables and the 版记 (抄送 / 印发).  Every page comes with its page truth
(text, role, ink and bbox of every printed or handwritten line), so tests and benchmarks can
score OCR and parsing without a person.

The command line is ``samples/make_samples.py`` (``python samples/make_samples.py --out DIR``).

Modules, each importing only those above it:

    fonts         font files by role key, FontMissingError, check_fonts
    text          line breaking with Chinese rules, balanced title lines
    page          GB/T 9704 geometry at 300 dpi, inks, the page canvas and drawing primitives
    handwriting   handwritten lines (jittered ukai glyphs in pen ink)
    hands         handwriting styles of the slip-form family (ballpoint, brush, hurried, pencil)
    furniture     seal, 收文 stamp, page numbers
    stamp_forms   收文 stamps of the slip-form family (rows3, grid, oval, bar), placed anywhere
    slip_forms    the slip-form family: 文件处理笺, 阅文单, 文件传阅单, 收文阅办单, 公文处理单, 文件批办单
    schema        the truth schema (documented there), load_truth, validate_truth
    circular      the circular's pages (版头, title, body, signature and seal, 版记)
    tables        annex table pages
    slip          the circulation slip page
    layouts       the other layouts: 函 on letterhead, issuer under the title, 语录 box, speech,
                  leaflet, telephone record, Taiwanese 函
    degrade       scan-like degradation of a page array (also a mimeograph's print and a phone
                  photo), boxes mapped through it
    bundle        render_clean (all pages in order), render_bundle (degraded, with page truth)
    corpus        word lists for random truths
    random_truth  make_random_truth(seed, index)
    corpus_layouts, layout_truth
                  word lists; make_layout_truth(kind, seed, index) for the other layouts
    corpus_slips, slip_forms_truth
                  word lists; make_slipform_truth(form, seed, index) for the slip-form family
    write         save_item in pdf, tiff-lzw, tiff-jpeg, tiff-g4, folder, png; load_pages
    expected      expected_record: what a perfect conversion writes for a truth
    make_samples  the command line (the only module that prints)

Randomness: random.Random(seed * 1000 + index) for truths (random.Random("kind/seed/index") for
the other layouts, random.Random("slipform/form/seed/index") for the slip-form family; some start
from a random truth); rendering jitter and degradation are
seeded from the truth (degradation.seed or crc32 of id), so the same truth gives the same pixels.
"""

from __future__ import annotations

from .bundle import render_bundle, render_clean
from .degrade import degrade_page
from .expected import body_text, expected_record
from .fonts import FontMissingError, check_fonts, font
from .layout_truth import LAYOUT_KINDS, make_layout_truth
from .random_truth import make_random_truth
from .schema import load_truth, validate_truth
from .slip_forms import SLIP_FORMS
from .slip_forms_truth import make_slipform_truth
from .write import binarise, item_path, load_pages, save_item, truth_path

__all__ = [
    "FontMissingError", "LAYOUT_KINDS", "SLIP_FORMS", "binarise", "body_text", "check_fonts", "degrade_page", "expected_record", "font",
    "item_path", "load_pages", "load_truth", "make_layout_truth", "make_random_truth", "make_slipform_truth", "render_bundle", "render_clean", "save_item",
    "truth_path", "validate_truth",
]
