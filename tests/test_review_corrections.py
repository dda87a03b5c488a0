"""Corrections applied to the model (pure), and document.json read back into the model."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from publish_helpers import make_document
from review_helpers import annex_table
from gongwen.parsers.model import REVIEWED_METHOD, Stage, document_from_dict, to_dict
from gongwen.parsers.tables import check_totals, type_numbers
from gongwen.pipeline.review.corrections import (
    CorrectionError,
    all_editables,
    apply_corrections,
    check_value,
    parse_path,
    value_text,
)
from gongwen.pipeline.export.items import document_row, item_data, needs_review


@pytest.fixture
def doc(tmp_path):
    from dataclasses import replace

    from gongwen.parsers.model import ItemError

    d = make_document("2014/fp-8", tmp_path, ["正文。"], with_slip=True)
    table = type_numbers(annex_table())
    table = replace(table, checks=check_totals(table, 1))
    return replace(d, tables=(table,), errors=tuple(ItemError(Stage.CHECK, m, 1) for m in table.checks))


def test_document_json_reads_back_into_the_same_model(doc):
    data = json.loads(json.dumps(item_data(doc), ensure_ascii=False))
    back = document_from_dict(data)
    strip = lambda d: {**to_dict(d), "pages": [{**p, "image_path": None} for p in to_dict(d)["pages"]]}
    assert strip(back) == strip(doc)
    assert back.circular.issue_date.value == dt.date(2014, 1, 24)
    assert back.circulation[0].circulated.value == dt.date(2014, 2, 1)


@pytest.mark.parametrize("path", [
    "circular.doc_number", "circulation[0].reader", "circulation[0].returned", "annotations[0].text",
    "annotations[0].kind", "tables[0].cells[3,1]",
])
def test_paths_parse_and_print_back(path):
    assert str(parse_path(path)) == path


@pytest.mark.parametrize("path", ["circular.nope", "circular.__class__", "tables[0].cells[1]", "annotations[0].page", "../x"])
def test_unknown_paths_are_refused(path):
    with pytest.raises(CorrectionError):
        parse_path(path)


def test_a_corrected_field_is_marked_reviewed_with_its_box_kept(doc):
    fixed = apply_corrections(doc, [("circular.title", "关于做好扶贫工作的通知")])
    title = fixed.circular.title
    assert title.value == "关于做好扶贫工作的通知"
    assert (title.method, title.confidence) == (REVIEWED_METHOD, 1.0)
    assert title.page == doc.circular.title.page and title.raw == doc.circular.title.raw
    assert fixed.review.corrected == ("circular.title",) and not fixed.review.approved


def test_dates_become_dates_and_must_be_real(doc):
    fixed = apply_corrections(doc, [("circulation[0].returned", "2014-02-03"), ("annotations[0].date", "2014-02-02")])
    assert fixed.circulation[0].returned.value == dt.date(2014, 2, 3)
    assert fixed.circulation[0].returned.method == REVIEWED_METHOD
    assert fixed.annotations[0].date.value == dt.date(2014, 2, 2)
    for bad in ("2014-02-30", "2014/02/03", "2月3日", "20140203"):
        with pytest.raises(CorrectionError):
            check_value("circular.issue_date", bad)
    assert check_value("circular.issue_date", "").text == ""  # a date may be cleared


def test_a_doc_number_of_another_shape_warns_but_is_kept():
    assert check_value("circular.doc_number", "浙委办发〔2014〕8号").warnings == ()
    checked = check_value("circular.doc_number", "浙委办发(2014)8号")
    assert checked.text == "浙委办发(2014)8号" and checked.warnings


def test_the_last_value_counts_and_a_value_set_back_keeps_the_extracted_field(doc):
    fixed = apply_corrections(doc, [("circular.title", "甲"), ("circular.title", doc.circular.title.value)])
    assert fixed.circular.title == doc.circular.title and fixed.review is None


def test_a_corrected_cell_makes_its_table_check_again(doc):
    assert needs_review(doc) and any(e.stage == Stage.CHECK for e in doc.errors)
    fixed = apply_corrections(doc, [("tables[0].cells[3,1]", "20")])
    assert value_text(fixed, "tables[0].cells[3,1]") == "20"
    assert fixed.tables[0].checks == () and not any(e.stage == Stage.CHECK for e in fixed.errors)
    cell = next(c for c in fixed.tables[0].cells if (c.row, c.col) == (3, 1))
    assert cell.value == 20
    header = apply_corrections(doc, [("tables[0].cells[0,1]", "帮扶村数（个）")])
    assert header.tables[0].header[1] == "帮扶村数（个）"


def test_approval_means_no_review_is_needed(doc):
    approved = apply_corrections(doc, [], approved=True, reviewed_by="王芳", reviewed_at="2024-05-01T10:00:00Z")
    assert needs_review(doc) and not needs_review(approved)
    assert document_row(approved)["needs_review"] == "false"
    assert approved.review.reviewed_by == "王芳"


def test_every_value_is_listed_for_the_screen(doc):
    paths = [e.path for e in all_editables(doc)]
    assert "circular.receipt_number" in paths and "circulation[0].delivered" in paths
    assert "annotations[0].kind" in paths and "tables[0].cells[3,1]" in paths
    assert len(paths) == len(set(paths))


def test_the_page_text_follows_a_corrected_value_found_in_its_box():
    from gongwen.parsers.model import Circular, Document, Field, Line, Page
    from gongwen.pipeline.review.corrections import retext_lines
    from gongwen.pipeline.export.items import document_text

    lines = (
        Line("签发人：张三", (100.0, 100.0, 400.0, 140.0), 0.9),
        Line("关于做好扶贫结对", (100.0, 200.0, 500.0, 240.0), 0.9),
        Line("帮扶工作的通知", (100.0, 250.0, 450.0, 290.0), 0.9),
        Line("正文张三", (100.0, 400.0, 400.0, 440.0), 0.9),
    )
    page = Page(number=1, width=1000, height=1400, dpi=150.0, engine="test", lines=lines)
    doc = Document(item_id="x", source="x", pages=(page,), circular=Circular(
        signer=Field("张三", raw="签发人：张三", page=1, bbox=(100.0, 100.0, 400.0, 140.0), confidence=0.9),
        title=Field("关于做好扶贫结对帮扶工作的通知", raw="关于做好扶贫结对 帮扶工作的通知", page=1,
                    bbox=(100.0, 200.0, 500.0, 290.0), confidence=0.9),
    ))
    fixed = apply_corrections(doc, [("circular.signer", "张山"), ("circular.title", "关于做好扶贫结对帮扶工作的补充通知")])
    texts = [l.text for l in fixed.pages[0].lines]
    assert texts[0] == "签发人：张山" and texts[3] == "正文张三"  # outside the box: untouched
    assert "".join(texts[1:3]) == "关于做好扶贫结对帮扶工作的补充通知" and all(texts[1:3])
    assert [l.bbox for l in fixed.pages[0].lines] == [l.bbox for l in lines]
    assert "补充通知" in document_text(fixed)
    # nothing of the old value in the box: the page text stays as OCR read it
    assert retext_lines(doc, 1, (100.0, 400.0, 400.0, 440.0), ["李四"], "王五") == doc
