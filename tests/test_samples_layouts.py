"""The other layouts of the sample generator (samples/layouts.py, layout_truth.py, the mimeograph
and photo of degrade.py): each kind's truth is what its page draws.  No OCR; each test renders at
most one short document."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import unicodedata

import numpy as np
import pytest

from gongwen.samples import (LAYOUT_KINDS, body_text, degrade_page, expected_record, make_layout_truth,
                             render_clean)
from gongwen.samples.degrade import _map_box, _Warp
from gongwen.samples.layout_truth import SECRECY_FORMS
from gongwen.samples.schema import OTHER_LAYOUTS

NOT_CIRCULAR = ("speech", "leaflet", "phone_record")
CIRCULAR_ONLY = ("doc_number", "addressees", "signatories", "issue_date", "issuer", "signer", "cc", "printed_by",
                 "print_date", "copy_number", "secrecy", "urgency", "disclosure", "attachments")


pytestmark = pytest.mark.usefixtures("sample_fonts")  # skipped, naming the package, without the fonts


def compact(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def short(truth: dict) -> dict:
    """The truth cut to its circular's first page or so (no slip, no annex), to render fast."""
    t = copy.deepcopy(truth)
    if t.get("layout", "gb9704") in ("gb9704", "letter", "quotation"):
        t["slip"] = None
        t["annexes"] = []
        t["circular"]["attachments"] = []
        t["circular"]["body"] = t["circular"]["body"][:3]
        t["page_order"] = ["circular"]
    return t


def blocks(pages, *roles) -> list[dict]:
    return [b for p in pages for b in p.blocks if not roles or b["role"] in roles]


def text_of(pages, *roles) -> str:
    return compact("".join(b["text"] for b in blocks(pages, *roles)))


@pytest.fixture(scope="module")
def rendered():
    """kind → (truth, clean pages), rendered once each."""
    cache = {}

    def get(kind):
        if kind not in cache:
            truth = short(make_layout_truth(kind, 1, 1))
            cache[kind] = (truth, render_clean(truth))
        return cache[kind]
    return get


def test_layout_truths_are_deterministic_and_named():
    for kind in LAYOUT_KINDS:
        a, b = make_layout_truth(kind, 3, 2), make_layout_truth(kind, 3, 2)
        assert a == b
        assert a["id"] == f"{kind}-3-02" and a["kind"] == kind
        assert make_layout_truth(kind, 3, 3) != a
    with pytest.raises(ValueError, match="unknown layout kind"):
        make_layout_truth("memo", 1, 1)


@pytest.mark.parametrize("kind", LAYOUT_KINDS)
def test_each_kind_draws_its_truth(rendered, kind):
    truth, pages = rendered(kind)
    exp = expected_record(truth)["document"]
    kinds = [p.kind for p in pages]
    if kind in NOT_CIRCULAR:
        assert set(kinds) == {"other"}
        for field in CIRCULAR_ONLY:          # no circular element: every such field stays empty
            assert exp[field] == "", field
    else:
        assert kinds[0] == "circular"
    if exp["doc_number"]:                    # as printed; the record's brackets are 〔〕
        printed = truth["circular"].get("doc_number_printed") or exp["doc_number"]
        assert compact(printed) in text_of(pages, "doc_number")
        assert re.sub(r"[（(](\d{2,4})[)）]", r"〔\1〕", printed) == exp["doc_number"]
    assert text_of(pages, "title") == compact(exp["title"])
    for organ in filter(None, exp["issuer"].split("；")):
        assert compact(organ) in text_of(pages, "issuer_mark")
    for s in truth["circular"]["signatories"]:
        assert compact(s) in text_of(pages, "signatory", "byline")
    if exp["issue_date"]:
        assert compact(truth["circular"]["issue_date_raw"]) in text_of(pages, "date", "byline")
    if exp["addressees"]:
        assert compact(exp["addressees"]) in text_of(pages, "addressees")
    assert text_of(pages, "body", "heading") == compact(body_text(truth))


def test_letter_puts_its_number_under_the_title(rendered):
    truth, pages = rendered("letter")
    c = truth["circular"]
    first = pages[0].blocks
    mark = next(b for b in first if b["role"] == "issuer_mark")
    title = [b for b in first if b["role"] == "title"]
    num = next(b for b in first if b["role"] == "doc_number")
    assert mark["text"] == c["issuer"] == c["letterhead"]["name"] and "文件" not in mark["text"]
    assert mark["bbox"][3] < title[0]["bbox"][1] and title[-1]["bbox"][3] <= num["bbox"][1]
    assert c["title_lines"][-1].endswith("函")
    assert c["addressees"].endswith("：")


def test_under_title_names_the_organ_and_date_in_brackets(rendered):
    truth, pages = rendered("under_title")
    exp = expected_record(truth)["document"]
    assert not blocks(pages, "issuer_mark", "signatory", "seal")
    byline = blocks(pages, "byline")[0]["text"]
    assert byline.startswith("（") and byline.endswith("）")
    assert exp["issuer"] == ""
    assert exp["signatories"] in byline and truth["circular"]["issue_date_raw"] in byline
    assert blocks(pages, "title")[-1]["bbox"][3] <= blocks(pages, "byline")[0]["bbox"][1]


def test_quotation_box_is_neither_issuer_nor_title(rendered):
    truth, pages = rendered("quotation")
    exp = expected_record(truth)["document"]
    quote = blocks(pages, "quotation")
    mark = blocks(pages, "issuer_mark")[0]
    assert quote[0]["text"] in ("毛主席语录", "最高指示", "毛主席教导我们")
    assert max(b["bbox"][3] for b in quote) < mark["bbox"][1]
    assert mark["ink"] == "red" and mark["text"].endswith("文件")
    quoted = compact("".join(b["text"] for b in quote[1:]))
    assert quoted and quoted not in compact(exp["title"]) and compact(exp["title"]) not in quoted
    assert exp["issuer"] == mark["text"][: -len("文件")]


@pytest.mark.parametrize("kind", NOT_CIRCULAR)
def test_what_is_no_circular_is_other(rendered, kind):
    truth, pages = rendered(kind)
    assert truth["layout"] in OTHER_LAYOUTS and truth["page_order"] == ["other"]
    if kind == "phone_record":
        form = truth["circular"]["form"]
        assert expected_record(truth)["document"]["title"] == ""
        assert compact(form["title"]) in text_of(pages, "form_title")
        drawn = text_of(pages, "form_value", "form_label")
        for label, value in form["fields"]:
            assert compact(label) in drawn and compact(value) in drawn
    else:
        assert expected_record(truth)["document"]["title"]


def test_taiwan_letter_reads_by_its_labels(rendered):
    truth, pages = rendered("taiwan")
    c = truth["circular"]
    exp = expected_record(truth)["document"]
    lines = [b["text"] for b in blocks(pages)]
    assert exp["title"] == "" and not blocks(pages, "title")
    assert any(t.startswith("主旨：") for t in lines) and "說明：" in lines
    assert re.fullmatch(r"\S+字第\d{10}號", exp["doc_number"])
    assert text_of(pages, "doc_number") == compact("發文字號：" + exp["doc_number"])
    assert text_of(pages, "addressees") == compact("受文者：" + exp["addressees"])
    assert text_of(pages, "cc") == compact("副本：" + exp["cc"])
    ry, m, d = map(int, re.fullmatch(r"中華民國(\d+)年(\d+)月(\d+)日", c["issue_date_raw"]).groups())
    assert exp["issue_date"] == dt.date(ry + 1911, m, d).isoformat()
    assert compact(c["issuer_mark"]) == compact(exp["issuer"] + "函")
    assert pages[-1].blocks[-1]["text"].startswith("第") and "頁" in pages[-1].blocks[-1]["text"]


def test_secrecy_written_otherwise_keeps_the_schema_form():
    seen = set()
    for secrecy, term, printed, style in SECRECY_FORMS:
        c = {"secrecy": secrecy, "secrecy_term": term}
        want = expected_record({"circular": c})["document"]["secrecy"]
        assert want == secrecy + (f"★{term}" if term else "")
        assert compact(printed).replace("文件", "").replace("密级:", "").startswith(compact(secrecy))
        seen.add(style)
    assert seen == {"plain", "boxed"}
    for index in range(1, 40):                 # the kind draws its form at the top left
        truth = make_layout_truth("secrecy", 1, index)
        if truth["circular"]["secrecy_style"] == "boxed":
            break
    pages = render_clean(short(truth))
    block = blocks(pages, "secrecy")[0]
    assert block["text"] == truth["circular"]["secrecy_printed"] and block["bbox"][0] < 500
    x0, y0, x1, y1 = block["bbox"]
    frame = np.asarray(pages[0].img.convert("L"))[int(y0) - 12: int(y1) + 14, int(x1) + 6: int(x1) + 18]
    assert (frame < 100).mean() > 0.3            # the box's right edge beside the mark


def test_red_print_prints_everything_red(rendered):
    truth, pages = rendered("red_print")
    a = np.asarray(pages[0].img, dtype=int)
    printed = np.zeros(a.shape[:2], bool)      # where the print is, away from stamp and handwriting
    for b in pages[0].blocks:
        if b["role"] in ("title", "body", "heading", "addressees", "doc_number", "issuer_mark", "page_number"):
            x0, y0, x1, y1 = b["bbox"]
            printed[y0:y1, x0:x1] = True
    inked = (a.min(axis=2) < 150) & printed
    red = (a[..., 0] - a[..., 1] > 80) & inked
    assert inked.sum() > 10_000 and red.sum() / inked.sum() > 0.99
    assert all(b["ink"] in ("red", "blue") for b in pages[0].blocks if not b.get("handwritten"))
    plain = copy.deepcopy(truth)
    del plain["print"]
    b = np.asarray(render_clean(plain)[0].img, dtype=int)
    assert ((b.max(axis=2) < 80).sum()) > 10_000             # the same page in black ink


def _test_page() -> tuple[np.ndarray, list]:
    arr = np.full((877, 620, 3), 255, np.uint8)
    boxes = [(100, 120, 300, 160), (350, 600, 520, 640), (60, 780, 560, 800)]
    for x0, y0, x1, y1 in boxes:
        arr[y0:y1, x0:x1] = 20
    return arr, boxes


@pytest.mark.parametrize("kind", ["mimeograph", "photo"])
def test_mimeograph_and_photo_bend_the_page_and_its_boxes(kind):
    arr, boxes = _test_page()
    opts = {"mimeograph": {"strength": 0.7, "slant_deg": 0.8, "wave_px": 3},
            "photo": {"scale": 0.82, "curve_px": 8, "tilt": 0.03, "light": 0.25}}[kind]
    params = {kind: opts, "paper": (230, 226, 214), "noise": 2, "blur": 0.5}
    out, M = degrade_page(arr, params, seed=11)
    assert out.shape == arr.shape and isinstance(M, _Warp)
    gray = out.mean(axis=2)
    for b in boxes:
        x0, y0, x1, y1 = _map_box(M, b, out.shape[1], out.shape[0])
        inside = gray[y0:y1, x0:x1]
        assert inside.size and (inside < 110).mean() > 0.5, b  # the ink is where the box says
    same, _ = degrade_page(arr, params, seed=11)
    assert np.array_equal(out, same)
    if kind == "photo":                  # a dark table around the sheet, the sheet lit
        corners = [gray[:15, :15], gray[:15, -15:], gray[-15:, :15], gray[-15:, -15:]]
        assert all(c.mean() < 90 for c in corners) and gray[430:450, 300:320].mean() > 150
    else:                                # specks and blots: ink where the clean page had none
        assert (gray[300:560, 20:600] < 140).sum() > 5


def test_default_degradation_keeps_the_matrix():
    arr, _ = _test_page()
    out, M = degrade_page(arr, {"skew_deg": 1.0, "noise": 2}, seed=3)
    assert isinstance(M, np.ndarray) and M.shape == (3, 3)


def test_cli_writes_layout_kinds(tmp_path, capsys):
    from gongwen.samples import make_samples

    assert make_samples.main(["--out", str(tmp_path), "--seed", "5", "--layouts", "taiwan,speech"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["speech-5-02.tif", "speech-5-02.tif.truth.json", "taiwan-5-01.pdf", "taiwan-5-01.pdf.truth.json"]
    saved = json.loads((tmp_path / "taiwan-5-01.pdf.truth.json").read_text(encoding="utf-8"))
    assert saved["kind"] == "taiwan" and saved["pages"][0]["kind"] == "circular"
    for argv in (["--layouts", "taiwan"], ["--seed", "5", "--layouts", "memo"]):
        with pytest.raises(SystemExit):
            make_samples.main(["--out", str(tmp_path), *argv])
    assert "needs --seed" in capsys.readouterr().err
