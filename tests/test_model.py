"""The document model: JSON form and its inverse."""

from __future__ import annotations

from gongwen.parsers.model import Cell, Line, Page, Table, page_from_dict, to_dict


def test_page_round_trips_through_its_json_form():
    page = Page(
        number=2, width=2480, height=3508, dpi=300.0, engine="rapidocr", kind="slip", rotation=180,
        skew=-0.4, seconds=3.25,
        lines=(Line("请胡晓东阅示。", (100.0, 200.0, 900.0, 260.0), 0.8125, "blue"),),
        tables=(Table(cells=(Cell(0, 0, "", (10.0, 20.0, 30.0, 40.0), row_span=2),), header_rows=0),),
        error=None,
    )
    assert page_from_dict(to_dict(page)) == page


def test_failed_page_keeps_its_error():
    page = Page(number=1, width=0, height=0, dpi=0.0, engine="rapidocr", error="no text found on the page")
    assert page_from_dict(to_dict(page)).error == "no text found on the page"


def test_a_parser_failure_is_kept_to_its_item(monkeypatch):
    """A bug in field extraction marks the item partial with the error; it does not raise."""
    from gongwen.pipeline.run import convert

    def broken(*args, **kwargs):
        raise ValueError("min() arg is an empty sequence")

    monkeypatch.setattr(convert, "build_document", broken)
    page = Page(number=1, width=100, height=100, dpi=300.0, engine="rapidocr",
                lines=(Line("正文", (1.0, 1.0, 50.0, 20.0), 0.9),))
    doc = convert.assemble("box1/item", "box1/item.tif", [page])
    assert doc.status == "partial" and doc.pages == (page,)
    assert "could not be extracted" in doc.error_message and "ValueError" in doc.error_message


def test_an_item_whose_files_cannot_be_written_fails_alone(monkeypatch, tmp_path):
    from gongwen.pipeline.run import convert

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(convert, "write_item", full_disk)
    page = Page(number=1, width=100, height=100, dpi=300.0, engine="rapidocr",
                lines=(Line("正文", (1.0, 1.0, 50.0, 20.0), 0.9),))
    doc, rows = convert._write(convert.assemble("a", "a.tif", [page]), tmp_path, convert.Settings())
    assert doc.status == "failed" and "No space left" in doc.error_message
    assert rows["documents.csv"][0]["status"] == "failed"
