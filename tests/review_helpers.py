"""An OUT folder for the review tests, written by the exporters from hand-built documents (no
OCR): page images kept where convert keeps them, a slip, annotations and a table with a 合计."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import threading
from dataclasses import replace
from pathlib import Path

from publish_helpers import make_document, page_image
from gongwen.parsers.model import Cell, Field, Page, Table
from gongwen.pipeline.export.items import write_aggregates, write_item

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
    return replace(field, confidence=confidence)


# MAIN's page: the circular's head as lines of print, each the box of its field
MAIN_LINES = (
    "中共浙江省委办公厅文件",
    "浙委办发〔2014〕8号",
    "关于做好扶贫结对帮扶工作的通知",
    "各市、县（市、区）党委和人民政府：",
    "近年来，省级结对帮扶团组认真做好结对帮扶工作。",
)
MAIN_LINE_FIELDS = ("issuer", "doc_number", "title", "addressees", None)


SCAN_SIZE = (2480, 3508)  # A4 at 300 dpi, as convert keeps a scanned page


def scan_sized(page: Page, work: Path) -> Page:
    """The page as a 300 dpi scan: twice the size, with paper grain (so its JPEG weighs what a
    real scan's does, about 1 MB), boxes scaled to match."""
    import numpy as np
    from PIL import Image

    img = Image.open(page.image_path).convert("L").resize(SCAN_SIZE)
    grain = np.random.default_rng(page.number).normal(0, 9, (SCAN_SIZE[1], SCAN_SIZE[0]))
    pixels = np.clip(np.asarray(img, dtype=np.float32) + grain, 0, 255).astype(np.uint8)
    path = work / f"scan-{page.number}.jpg"
    Image.fromarray(pixels).convert("RGB").save(path, quality=85, dpi=(300, 300))
    scale = SCAN_SIZE[0] / page.width
    lines = tuple(replace(l, bbox=tuple(v * scale for v in l.bbox)) for l in page.lines)
    return replace(page, width=SCAN_SIZE[0], height=SCAN_SIZE[1], dpi=300.0, lines=lines, image_path=str(path))


def write_out(tmp_path: Path, long_pages: int = 0) -> Path:
    """OUT with MAIN (a low-confidence doc number, a slip, an annex table whose 合计 fails its
    check), OTHER (all confident) and, when ``long_pages``, an item with that many pages."""
    from gongwen.parsers.tables import check_totals, type_numbers

    out, work = tmp_path / "out", tmp_path / "work"
    main = make_document(MAIN, work, list(MAIN_LINES), with_slip=True, doc_number="浙委办发〔2014〕8号")
    boxes = {name: main.pages[0].lines[k].bbox for k, name in enumerate(MAIN_LINE_FIELDS) if name}
    main = replace(main, circular=replace(main.circular, **{
        name: replace(getattr(main.circular, name), bbox=box) for name, box in boxes.items()
    }), body=main.body[len(MAIN_LINES) - 1:])
    table = type_numbers(annex_table())
    table = replace(table, checks=check_totals(table, 1))
    from gongwen.parsers.model import ItemError, Stage

    main = replace(
        main,
        circular=replace(main.circular, doc_number=low(main.circular.doc_number, 0.42),
                         signatories=low(main.circular.signatories, 0.62)),
        tables=(table,),
        errors=tuple(ItemError(stage=Stage.CHECK, message=m, page=1) for m in table.checks),
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
        docs.append(replace(first, pages=tuple(scan_sized(p, work) for p in pages)))
    rows = {}
    for doc in docs:
        keep_pages(doc, out)
        rows[doc.item_id] = write_item(doc, out)[1]
    write_aggregates(out, rows)
    return out


@contextlib.contextmanager
def served(store):
    """The review app of ``store`` served by waitress (as ``gongwen review`` does) on a free port
    of 127.0.0.1, in a thread; yields its base URL (no trailing slash)."""
    from waitress.server import create_server

    from gongwen.pipeline.review.app import create_app

    httpd = create_server(create_app(store), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=httpd.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.effective_port}"
    finally:
        httpd.close()


def database_url(request, db: str) -> str | None:
    """The review database of a test parametrised by ``db``: a new database on the session's
    PostgreSQL (skipped without one) for "postgresql", None (SQLite in OUT) otherwise."""
    return request.getfixturevalue("postgres_cluster").new_database() if db == "postgresql" else None
