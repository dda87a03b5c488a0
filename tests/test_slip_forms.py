"""The slip-form family of the sample generator (samples/slip_forms.py, stamp_forms.py, hands.py,
slip_forms_truth.py): every form draws what its truth says, inside the cells it says, the 收文
stamp goes where the truth says, and the older generator's output stays as it was.  No OCR; most
tests render the slip page alone."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random

import cv2
import numpy as np
import pytest

from gongwen.samples import (SLIP_FORMS, expected_record, make_random_truth, make_slipform_truth,
                             render_bundle, render_clean, validate_truth)
from gongwen.samples.bundle import _finish
from gongwen.samples.hands import HANDS, hand_mask
from gongwen.samples.schema import LABEL_KINDS, label_kind
from gongwen.samples.slip_forms import render_slip_form
from gongwen.samples.slip_forms_truth import has_year, raw_date
from gongwen.samples.stamp_forms import STAMP_STYLES

# sha256 of the pixels of render_bundle(make_random_truth(7, 1)), computed before this family existed
RANDOM_7_1_PIXELS = "cb9a957c0b468ba4d633af20a41988936e077e6f561fb434afb7439754f4e20b"
INDICES = range(1, 25)
SLACK = 3                          # px a box may pass its region by (rounding)


pytestmark = pytest.mark.usefixtures("sample_fonts")  # skipped, naming the package, without the fonts


@pytest.fixture(scope="module")
def truths():
    """form → the truths of seed 1 over INDICES (made once)."""
    return {form: [make_slipform_truth(form, 1, i) for i in INDICES] for form in SLIP_FORMS}


@pytest.fixture(scope="module")
def slip_pages(truths):
    """form → [(truth, finished slip page)] for the first three truths of each form."""
    out = {}
    for form in SLIP_FORMS:
        out[form] = []
        for t in truths[form][:3]:
            page = render_slip_form(t["slip"], random.Random(5))
            _finish(page)
            out[form].append((t, page))
    return out


def blocks(page, role):
    return [b for b in page.blocks if b["role"] == role]


def inside(box, region) -> bool:
    return (box[0] >= region[0] - SLACK and box[1] >= region[1] - SLACK and box[2] <= region[2] + SLACK
            and box[3] <= region[3] + SLACK)


# ---------------------------------------------------------------------------------------------
# truths


def test_truths_validate_are_deterministic_and_named(truths):
    for form in SLIP_FORMS:
        a = truths[form][0]
        validate_truth(a)
        assert a == make_slipform_truth(form, 1, 1)
        assert a["id"] == "slipform-1-01" and a["slip"]["form"] == form
        assert truths[form][1] != a
    with pytest.raises(ValueError, match="unknown slip form"):
        make_slipform_truth("memo", 1, 1)


def test_labels_carry_their_kind(truths):
    for form in SLIP_FORMS:
        for t in truths[form]:
            for b in t["slip"]["boxes"]:
                assert b["kind"] == label_kind(b["label"])
            for a in t["slip"]["annotations"]:
                assert a["label"] is None or a["kind"] == label_kind(a["label"])
    assert label_kind("拟 办 意 见") == "proposal" and label_kind("批示意见：") == "instruction"
    assert label_kind("阅办意见") == "note" and label_kind("办理结果") == "note"
    assert set(LABEL_KINDS.values()) == {"proposal", "instruction"}


def test_validate_rejects_what_the_family_forbids(truths):
    t = json.loads(json.dumps(truths["yuewen"][0]))
    t["slip"]["boxes"][0]["kind"] = "note" if t["slip"]["boxes"][0]["kind"] != "note" else "proposal"
    with pytest.raises(ValueError, match="its label says"):
        validate_truth(t)
    t = json.loads(json.dumps(truths["chuli"][0]))
    t["circular"]["receipt"]["number"] += "0"
    with pytest.raises(ValueError, match="收文编号"):
        validate_truth(t)
    t = json.loads(json.dumps(next(x for x in truths["yueban"] if x["slip"]["annotations"])))
    t["slip"]["annotations"][0]["date_year_inferred"] = not t["slip"]["annotations"][0]["date_year_inferred"]
    with pytest.raises(ValueError, match="date_year_inferred"):
        validate_truth(t)


def test_dates_follow_the_paper_and_keep_the_context_year(truths):
    for form in SLIP_FORMS:
        for t in truths[form]:
            c = t["circular"]
            issue, received = dt.date.fromisoformat(c["issue_date"]), dt.date.fromisoformat(c["receipt"]["date"])
            assert issue < received and received.year == issue.year
            slip = t["slip"]
            for a in slip["annotations"]:
                d = dt.date.fromisoformat(a["date"])
                assert received <= d and d.year == received.year
                assert a["date_year_inferred"] == (not has_year(a["date_raw"]))
                assert 2 <= len(a["signer"]) <= 3
                if a.get("signer_raw"):
                    assert a["signer_raw"] == a["signer"] + "阅" and a["text"] == "阅"
            last = received
            for row in slip["rows"]:
                assert 2 <= len(row["reader"]) <= 3 and row.get("reader_raw", row["reader"]).startswith(row["reader"])
                for key in ("delivered", "circulated", "returned"):
                    if row[key]:
                        assert dt.date.fromisoformat(row[key + "_iso"]) >= received
                seen = row["circulated_iso"] or row["delivered_iso"]
                if seen:
                    assert dt.date.fromisoformat(seen) >= last
                    last = dt.date.fromisoformat(row["delivered_iso"] or seen)
            assert 3 <= len(slip["rows"]) <= 14


def test_date_forms():
    d = dt.date(2014, 1, 24)
    forms = [raw_date(d, s) for s in ("dot", "slash", "md", "yuan", "full_dot", "yy_dot", "ymd", "cn")]
    assert forms == ["1.24", "1/24", "1月24日", "元月24日", "2014.1.24", "14.1.24", "2014年1月24日",
                     "二〇一四年一月二十四日"]
    assert [has_year(f) for f in forms] == [False] * 4 + [True] * 4
    assert raw_date(dt.date(2014, 3, 2), "yuan") == "3月2日"


def test_texts_wrap_and_some_boxes_stay_empty(truths):
    anns = [a for form in SLIP_FORMS for t in truths[form] for a in t["slip"]["annotations"]]
    assert max(len(a["text"]) for a in anns) >= 50
    assert {a["sign"] for a in anns} == {"right", "stacked", "below", "inline", "under"}
    assert {a["hand"] for a in anns} == set(HANDS)
    assert len({a["pen"] for a in anns}) >= 4
    assert any(a.get("signer_raw") for a in anns)
    empty = sum(1 for form in SLIP_FORMS for t in truths[form]
                for b in t["slip"]["boxes"] if not any(a["label"] == b["label"] for a in t["slip"]["annotations"]))
    assert empty > 10


# ---------------------------------------------------------------------------------------------
# the slip page


@pytest.mark.parametrize("form", SLIP_FORMS)
def test_every_form_prints_its_labels_and_title(slip_pages, form):
    for t, page in slip_pages[form]:
        slip = t["slip"]
        assert page.kind == "slip"
        assert "".join(b["text"] for b in blocks(page, "slip_title")) == slip["title"]
        assert sorted(b["text"] for b in blocks(page, "slip_label")) == sorted(slip["box_labels"])
        heads = {b["text"] for b in blocks(page, "slip_header")}
        assert {h for h in slip["columns"] if h} <= heads
        if form != "lined" and form != "chuanyue":
            assert {f["label"] for f in slip["fields"]} <= heads
        for b in blocks(page, "slip_label"):
            assert len(b["region"]) == 4 and b["box_kind"] == label_kind(b["text"])
        assert np.asarray(page.img).min() < 100          # something is drawn


@pytest.mark.parametrize("form", SLIP_FORMS)
def test_annotation_parts_stay_in_their_box(slip_pages, form):
    for t, page in slip_pages[form]:
        anns = t["slip"]["annotations"]
        regions = {b["text"]: b["region"] for b in blocks(page, "slip_label")}
        hand = blocks(page, "handwriting")
        for i, a in enumerate(anns):
            parts = [b for b in hand if b["annotation"] == i]
            kinds = {b["part"] for b in parts}
            assert {"signer", "date"} <= kinds
            assert ("text" in kinds) == (a["text"] != "阅" or not a.get("signer_raw"))
            assert "".join(b["text"] for b in parts if b["part"] == "text") == a["text"] or "text" not in kinds
            assert [b["text"] for b in parts if b["part"] == "signer"] == [a.get("signer_raw") or a["signer"]]
            assert [b["text"] for b in parts if b["part"] == "date"] == [a["date_raw"]]
            for b in parts:
                assert b["kind"] == a["kind"]
                if a["label"] is not None:
                    assert inside(b["bbox"], regions[a["label"]]), (form, a["label"], b)


@pytest.mark.parametrize("form", SLIP_FORMS)
def test_reader_entries_are_the_rows(slip_pages, form):
    for t, page in slip_pages[form]:
        slip = t["slip"]
        cells = sorted((b for b in blocks(page, "slip_cell") if b.get("col") == "reader"), key=lambda b: b["row"])
        assert [b["text"] for b in cells] == [r.get("reader_raw") or r["reader"] for r in slip["rows"]]
        assert [b["row"] for b in cells] == list(range(1, len(slip["rows"]) + 1))
        for b in cells:
            assert b["handwritten"] != bool(slip.get("readers_printed"))
        for key in ("circulated", "delivered", "returned"):
            got = sorted((b["row"], b["text"]) for b in blocks(page, "slip_cell") if b.get("col") == key)
            want = [(r + 1, row[key]) for r, row in enumerate(slip["rows"]) if row[key] and key in slip["column_keys"]]
            assert got == want


def test_receipt_in_the_form_fields(slip_pages):
    t, page = slip_pages["chuli"][0]
    rc = t["circular"]["receipt"]
    assert rc["place"] == "form"
    values = {b["field"]: b["text"] for b in blocks(page, "slip_cell") if b.get("col") == "field"}
    assert values["收文日期"] == rc["date_raw"] and values["收文编号"] == rc["number"]


def test_labels_drawn_vertically_spaced_and_in_header_rows(slip_pages):
    chuli = [b for _, p in slip_pages["chuli"] for b in blocks(p, "slip_label")]
    assert any(b.get("vertical") for b in chuli)
    for b in chuli:
        if b.get("vertical") and len(b["text"]) > 1:
            assert b["bbox"][3] - b["bbox"][1] > 2 * (b["bbox"][2] - b["bbox"][0])
    spaced = [b["text"] for _, p in slip_pages["spaced"] for b in blocks(p, "slip_label")]
    assert all(" " in s for s in spaced if len(s.replace(" ", "")) > 1)
    _, page = slip_pages["yueban"][0]
    side = [b for b in blocks(page, "slip_label") if b["box_kind"] != "note"]
    assert len(side) == 2 and abs(side[0]["bbox"][1] - side[1]["bbox"][1]) < 20    # one header row
    assert side[0]["region"][2] <= side[1]["region"][0] + SLACK                      # side by side


# ---------------------------------------------------------------------------------------------
# stamps, seal, the whole bundle


def test_stamp_place_and_style_vary_over_a_seed(truths):
    receipts = [t["circular"]["receipt"] for form in SLIP_FORMS for t in truths[form]]
    places = {rc["place"] for rc in receipts}
    assert places == {"circular", "slip", "form"}
    on_circular = {rc["position"] for rc in receipts if rc["place"] == "circular"}
    assert len(on_circular) >= 5
    assert {rc["style"] for rc in receipts if rc["place"] != "form"} == set(STAMP_STYLES)
    assert {rc["fill"] for rc in receipts if rc["place"] != "form"} == {"hand", "pencil", "numbering"}
    assert any(rc.get("pale") for rc in receipts) and {rc.get("ink") for rc in receipts} >= {"red", "blue"}


def _first(truths, pred):
    return next(t for form in SLIP_FORMS for t in truths[form] if pred(t))


def _short(truth):
    t = json.loads(json.dumps(truth))
    t["circular"]["body"] = t["circular"]["body"][:2] + t["circular"]["body"][-1:]
    t["page_order"] = [k for k in t["page_order"] if k in ("slip", "circular")]
    return t


@pytest.mark.parametrize("place", ["circular", "slip"])
def test_stamp_is_inked_where_the_truth_says(truths, place):
    t = _short(_first(truths, lambda t: t["circular"]["receipt"]["place"] == place))
    rc = t["circular"]["receipt"]
    pages = render_clean(t)
    stamped = [p for p in pages if blocks(p, "stamp")]
    assert len(stamped) == 1 and stamped[0].kind == place
    parts = {b["part"]: b for b in blocks(stamped[0], "stamp")}
    assert parts["number"]["text"] == rc["number"] and parts["date"]["text"] == rc["date_raw"]
    assert parts["office"]["text"] == rc["office"] and parts["label"]["text"].startswith("收文")
    assert parts["number"]["handwritten"] == (rc["fill"] != "numbering")
    page = stamped[0]
    box = parts["office"]["bbox"]
    patch = np.asarray(page.img)[box[1]:box[3], box[0]:box[2]].astype(int)
    if rc["ink"] == "red":
        assert ((patch[..., 0] - patch[..., 2]) > 40).mean() > 0.01     # red ink there


def test_receipt_in_the_form_has_no_stamp(truths):
    t = _short(_first(truths, lambda t: t["circular"]["receipt"]["place"] == "form"))
    assert not any(blocks(p, "stamp") for p in render_clean(t))


def test_seal_sits_on_the_issue_date(truths):
    t = _short(_first(truths, lambda t: t["circular"].get("seal_offset")
                      and len(t["circular"]["signatories"]) == 1))
    last = [p for p in render_clean(t) if p.kind == "circular"][-1]
    date = blocks(last, "date")[0]["bbox"]
    seal = blocks(last, "seal")[0]["bbox"]
    cx, cy = (date[0] + date[2]) / 2, (date[1] + date[3]) / 2
    scx, scy = (seal[0] + seal[2]) / 2, (seal[1] + seal[3]) / 2
    dx, dy = t["circular"]["seal_offset"]
    assert abs(scx - cx - dx) < 30 and abs(scy - cy - dy) < 40


def test_expected_record_reads_the_family(truths):
    t = _first(truths, lambda t: t["slip"]["form"] == "yuewen" and any(a.get("signer_raw") for a in t["slip"]["annotations"])
               or t["slip"]["form"] == "spaced")
    rec = expected_record(t)
    rc = t["circular"]["receipt"]
    assert rec["document"]["received_date"] == rc["date"] and rec["document"]["receipt_number"] == rc["number"]
    assert rec["document"]["issue_date"] == t["circular"]["issue_date"]
    assert [r["reader"] for r in rec["circulation"]] == [r["reader"] for r in t["slip"]["rows"]]
    assert all("阅" != r["reader"][-1] or r["reader"] in {x["reader"] for x in t["slip"]["rows"]} for r in rec["circulation"])
    assert [(a["kind"], a["text"], a["signer"], a["date"]) for a in rec["annotations"]] == [
        (a["kind"], a["text"], a["signer"], a["date"]) for a in t["slip"]["annotations"]]


def test_hands_look_different():
    """A brush keeps its strokes under a 5-px erosion, a ballpoint's thin line does not; a pencil
    is pale; a hurried line is squeezed and shrinks."""
    rng = random.Random(3)
    text = "同意拟办意见，请抓紧落实"
    masks = {h: np.asarray(hand_mask(text, 72, h, rng)) for h in HANDS}

    def kept(m):
        ink = (m > 128).astype(np.uint8)
        return cv2.erode(ink, np.ones((5, 5), np.uint8)).sum() / max(ink.sum(), 1)
    assert kept(masks["brush"]) > 0.08 > 0.02 > kept(masks["ballpoint"])
    assert kept(masks["hurried"]) < kept(masks["brush"])
    assert (masks["pencil"] > 128).mean() < 0.5 * (masks["ballpoint"] > 128).mean()
    assert masks["hurried"].shape[1] < masks["brush"].shape[1]


def test_existing_random_bundle_is_unchanged():
    images, _ = render_bundle(make_random_truth(7, 1))
    h = hashlib.sha256()
    for im in images:
        h.update(im.tobytes())
    assert h.hexdigest() == RANDOM_7_1_PIXELS


def test_cli_writes_slip_forms(tmp_path, capsys):
    from gongwen.samples import make_samples

    assert make_samples.main(["--out", str(tmp_path), "--seed", "5", "--slips", "lined,chuli"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["slipform-5-01.pdf", "slipform-5-01.pdf.truth.json", "slipform-5-02.tif",
                     "slipform-5-02.tif.truth.json"]
    saved = json.loads((tmp_path / "slipform-5-02.tif.truth.json").read_text(encoding="utf-8"))
    assert saved["slip"]["form"] == "chuli" and "slip" in [p["kind"] for p in saved["pages"]]
    for argv in (["--slips", "chuli"], ["--seed", "5", "--slips", "memo"], ["--seed", "5", "--slips", "all",
                                                                           "--layouts", "letter"]):
        with pytest.raises(SystemExit):
            make_samples.main(["--out", str(tmp_path), *argv])
    err = capsys.readouterr().err
    assert "needs --seed" in err and "exclude each other" in err
