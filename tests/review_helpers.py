"""An OUT folder for the review tests, written by the exporters from hand-built documents (no
OCR): page images kept where convert keeps them, a slip, annotations and a table with a 合计."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

from publish_helpers import make_document, page_image
from gongwen.parsers.model import Cell, Field, Page, Table
from gongwen.pipeline.export import write_aggregates, write_item

MAIN = "2014/fp-8"
OTHER = "2014/qt-3"
LONG = "2015/long-10"
TABLE_CELLS = (
    ("单位", "帮扶村数"),
    ("杭州市", "12"),
    ("宁波市", "8"),
    ("合计", "21"),  # misread: the rows add up to 20
)


def annex_table() -> Table:
    cells = tuple(
        Cell(row=r, col=c, text=text, bbox=(120.0 + 300 * c, 800.0 + 60 * r, 400.0 + 300 * c, 850.0 + 60 * r), page=1)
        for r, row in enumerate(TABLE_CELLS)
        for c, text in enumerate(row)
    )
    return Table(cells=cells, header_rows=1, pages=(1,))


def keep_pages(doc, out: Path) -> None:
    """Copy the page images where convert keeps them (OUT/.gongwen/pages/<id>/NNNN.jpg)."""
    folder = out / ".gongwen" / "pages" / doc.item_id
    folder.mkdir(parents=True, exist_ok=True)
    for p in doc.pages:
        suffix = Path(p.image_path).suffix
        shutil.copy(p.image_path, folder / f"{p.number:04d}{suffix if suffix == '.tif' else '.jpg'}")


def low(field: Field, confidence: float) -> Field:
    return replace(field, confidence=confidence, bbox=(150.0, 200.0, 1000.0, 250.0))


def write_out(tmp_path: Path, long_pages: int = 0) -> Path:
    """OUT with MAIN (a low-confidence doc number, a slip, an annex table whose 合计 fails its
    check), OTHER (all confident) and, when ``long_pages``, an item with that many pages."""
    from gongwen.parsers.tables import check_totals, type_numbers

    out, work = tmp_path / "out", tmp_path / "work"
    main = make_document(MAIN, work, ["近年来，省级结对帮扶团组认真做好结对帮扶工作。"], with_slip=True,
                         doc_number="浙委办发〔2014〕8号")
    table = type_numbers(annex_table())
    table = replace(table, checks=check_totals(table, 1))
    from gongwen.parsers.model import CHECK_STAGE, ItemError

    main = replace(
        main,
        circular=replace(main.circular, doc_number=low(main.circular.doc_number, 0.42)),
        tables=(table,),
        errors=tuple(ItemError(stage=CHECK_STAGE, message=m, page=1) for m in table.checks),
    )
    other = make_document(OTHER, work, ["现就做好春节期间安全生产工作通知如下。"],
                          title="关于做好春节期间安全生产工作的通知", doc_number="浙委办发〔2014〕3号")
    docs = [main, other]
    if long_pages:
        first = make_document(LONG, work, ["第一页正文。"], title="十页的件", issue_date=dt.date(2015, 3, 2))
        pages = [first.pages[0]]
        for n in range(2, long_pages + 1):
            path, lines = page_image([f"第{n}页正文，继续。"], work / f"long-p{n}.jpg")
            pages.append(Page(number=n, width=1240, height=1754, dpi=150.0, engine="test", lines=lines,
                              kind="annex", image_path=str(path)))
        docs.append(replace(first, pages=tuple(pages)))
    rows = []
    for doc in docs:
        keep_pages(doc, out)
        rows.append(write_item(doc, out)[1])
    write_aggregates(out, rows)
    return out
