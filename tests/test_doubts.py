"""A value seen but not trusted is left empty with its reason (``Circular.doubts``): the item
is flagged for review, document.json keeps the reason, and the review app shows it beside the
empty field."""

from __future__ import annotations

import json
from dataclasses import replace

from review_helpers import keep_pages
from publish_helpers import make_document
from gongwen.parsers.model import Doubt
from gongwen.pipeline.export.items import needs_review, read_stored, write_aggregates, write_item
from gongwen.pipeline.export.outdir import OutDir
from gongwen.pipeline.review.app import create_app
from gongwen.pipeline.review.store import ReviewStore

DOUBT = Doubt(field="signatories", reason="「中国·杭州」 is not shaped like an organ's name",
              text="中国·杭州；中国注册会计师：7", page=1, bbox=(688.0, 2820.0, 1903.0, 2969.0))


def _out(tmp_path, doubts):
    doc = make_document("2016/tj-306", tmp_path / "work", ["专此说明，请予察核。"],
                        title="关于有关财务事项的说明", doc_number="天健函〔2016〕306号")
    doc = replace(doc, circular=replace(doc.circular, signatories=None, doubts=doubts))
    out = tmp_path / "out"
    keep_pages(doc, out)
    write_aggregates(out, {doc.item_id: write_item(doc, out)[1]})
    return doc, out


def test_a_doubt_flags_the_item_and_round_trips_through_document_json(tmp_path):
    doc, out = _out(tmp_path, (DOUBT,))
    path = OutDir(out).document_json(doc.item_id)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["doubts"] == [{"field": "signatories", "reason": DOUBT.reason, "text": DOUBT.text, "page": 1,
                               "bbox": [688.0, 2820.0, 1903.0, 2969.0]}]
    assert data["fields"]["signatories"] is None and data["needs_review"] is True
    stored = read_stored(out, path)
    assert stored.error is None and stored.document.circular.doubts == (DOUBT,)
    assert needs_review(stored.document)


def test_without_doubts_document_json_has_no_doubts_key(tmp_path):
    doc, out = _out(tmp_path, ())
    data = json.loads(OutDir(out).document_json(doc.item_id).read_text(encoding="utf-8"))
    assert "doubts" not in data


def test_the_review_app_shows_why_a_field_was_left_empty(tmp_path):
    doc, out = _out(tmp_path, (DOUBT,))
    store = ReviewStore(out)
    store.sync()
    try:
        page = create_app(store).test_client().get(f"/item/{doc.item_id}").get_data(as_text=True)
    finally:
        store.close()
    assert "留空待核：「中国·杭州」 is not shaped like an organ&#39;s name；读到「中国·杭州；中国注册会计师：7」" in page
    assert '<a href="#page-1">第1页</a>' in page
