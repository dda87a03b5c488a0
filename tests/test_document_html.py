"""document.html (convert's per-item copy): the circular first, what the receiving office
added (slip, annotations, 收文 stamp) in a separate internal section after it."""

from __future__ import annotations

from dataclasses import replace

from publish_helpers import make_document
from gongwen.parsers.model import Field
from gongwen.pipeline.export.items import item_data
from gongwen.pipeline.export.html import render_document


def test_internal_section_after_the_circular(tmp_path):
    doc = make_document("a", tmp_path, ["现就有关事项通知如下："], with_slip=True)
    doc = replace(
        doc,
        receiving_office=Field(value="青田县人民政府办公室文件传阅单", page=1, confidence=0.9),
        circular=replace(doc.circular, receipt_number=Field(value="第12号", page=1, confidence=0.9)),
    )
    html = render_document(item_data(doc))
    article_end = html.index("</article>")
    internal = html.index('<section class="internal"')
    assert article_end < internal
    circular = html[:article_end]
    for part in ("王建国", "请办公室阅处，内部批示", "青田县人民政府办公室文件传阅单", "第12号"):
        assert part not in circular
        assert part in html[internal:]
    assert '<time datetime="2014-02-01">' in html[internal:]
    assert "<caption>传阅</caption>" in html[internal:]


def test_no_internal_section_without_slip(tmp_path):
    html = render_document(item_data(make_document("b", tmp_path, ["正文。"])))
    assert 'class="internal"' not in html
    assert '<time datetime="2014-01-24">' in html
