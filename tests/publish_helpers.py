"""Documents built by hand (no OCR) for the catalogue, searchable-PDF and publishing tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from helpers import BODY_FONT, draw_text_page
from gongwen.parsers.model import (
    Annotation,
    Circular,
    CirculationEntry,
    Document,
    Field,
    Line,
    Page,
    Paragraph,
)

FONT_PX = 40
LINE_STEP = int(FONT_PX * 1.8)
TOP, LEFT = 200, 120


def page_image(lines: list[str], path: Path, dpi: int = 150, mode: str = "RGB") -> tuple[Path, tuple[Line, ...]]:
    """Draw ``lines`` on an A4 page (150 dpi), save it, and return it with the lines' boxes."""
    img = draw_text_page(lines=lines, font_px=FONT_PX)
    font = ImageFont.truetype(BODY_FONT, FONT_PX)
    d = ImageDraw.Draw(img)
    boxes = []
    for k, text in enumerate(lines):
        x0, top, x1, bottom = d.textbbox((LEFT, TOP + k * LINE_STEP), text, font=font)
        boxes.append(Line(text=text, bbox=(float(x0), float(top), float(x1), float(bottom)), confidence=0.99))
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode == "1":
        img.convert("L").point(lambda v: 255 if v > 128 else 0).convert("1").save(path, compression="group4", dpi=(dpi, dpi))
    else:
        img.convert(mode).save(path, quality=85, dpi=(dpi, dpi))
    return path, tuple(boxes)


def make_document(
    item_id: str,
    folder: Path,
    body: list[str],
    *,
    title: str = "关于做好扶贫结对帮扶工作的通知",
    issuer: str = "中共浙江省委办公厅",
    doc_number: str = "浙委办发〔2014〕8号",
    issue_date: dt.date | None = dt.date(2014, 1, 24),
    disclosure: str | None = "此件公开发布",
    secrecy: str | None = None,
    with_slip: bool = False,
) -> Document:
    """A one-page circular: the page image with ``body`` drawn on it, fields set by hand."""
    image, lines = page_image(body, folder / f"{item_id.replace('/', '_')}-p1.jpg")
    page = Page(
        number=1, width=1240, height=1754, dpi=150.0, engine="test", lines=lines,
        kind="circular", image_path=str(image),
    )

    def f(value):
        return None if value is None else Field(value=value, raw=str(value), page=1, confidence=0.99)

    circular = Circular(
        issuer=f(issuer), doc_number=f(doc_number), title=f(title), issue_date=f(issue_date),
        disclosure=f(disclosure), secrecy=f(secrecy), addressees=f("各市、县（市、区）党委和人民政府"),
        signatories=f(issuer),
    )
    circulation, annotations = (), ()
    if with_slip:
        circulation = (CirculationEntry(seq=1, reader=f("王建国"), circulated=f(dt.date(2014, 2, 1))),)
        annotations = (Annotation(kind="instruction", text=f("请办公室阅处，内部批示"), signer=f("李明")),)
    return Document(
        item_id=item_id,
        source=str(image),
        pages=(page,),
        circular=circular,
        body=tuple(Paragraph(kind="paragraph", text=t, page=1) for t in body),
        circulation=circulation,
        annotations=annotations,
    )


def image_bytes(doc: Document) -> int:
    return sum(Path(p.image_path).stat().st_size for p in doc.pages if p.image_path)


__all__ = ["make_document", "page_image", "image_bytes", "Image"]


def index_records(site: Path) -> list[dict]:
    """Each item's record in the site's search index (``search/t/``): url, title, 文号, issuer,
    date, year, 文种 and text."""
    from gongwen.pipeline.publish.textindex import unpack

    return [unpack(p.read_bytes()) for p in sorted((site / "search" / "t").rglob("*.gw"))]


def index_text(site: Path) -> str:
    """Everything the site's search index holds, uncompressed: its shards' keys and its records."""
    from gongwen.pipeline.publish.textindex import unpack

    return "\n".join(json.dumps(unpack(p.read_bytes()), ensure_ascii=False)
                     for p in sorted((site / "search").rglob("*.gw")))
