"""The typed, versioned document model of gongwen.

Every stage after OCR works on these frozen dataclasses; exporters are functions of them.
Bounding boxes are ``(x0, top, x1, bottom)`` in page pixels at the page's dpi, as pdfplumber
writes them.  ``to_dict`` gives the JSON form written to ``document.json``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Iterable

SCHEMA_VERSION = 1

BBox = tuple[float, float, float, float]

# A value (or an item's OCR) below this confidence needs review; the same cut-off decides
# whether a 附注 is read well enough to publish an item.
REVIEW_THRESHOLD = 0.85


class Status(StrEnum):
    """An item's result (``status`` in documents.csv).  A StrEnum: it is written, compared and
    read back as its plain value."""

    OK = "ok"
    PARTIAL = "partial"  # read, but some page or stage failed
    FAILED = "failed"  # nothing usable was read
    DUPLICATE = "duplicate"  # the same bytes as an item converted before it (not converted twice)


class PageKind(StrEnum):
    """What a page is (``kind`` in pages.csv)."""

    SLIP = "slip"  # the receiving office's circulation slip (传阅单, 文件处理笺)
    CIRCULAR = "circular"
    ANNEX = "annex"  # 附件
    IMPRINT = "imprint"  # the 版记 page alone (抄送, 印发)
    OTHER = "other"
    BLANK = "blank"  # no ink at all (the back of a sheet): recorded, never OCR'd


class Stage(StrEnum):
    """Where an item's error arose (``stage`` in failures.csv)."""

    LOAD = "load"
    OCR = "ocr"
    PARSE = "parse"
    EXPORT = "export"
    READ = "read"  # its document.json in OUT could not be read
    DUPLICATE = "duplicate"
    # a failed check of the content (a 合计 that differs from the sum of its rows): the item was
    # read, but a person should look at it (``needs_review``)
    CHECK = "check"


# The documents.csv fields of the output contract that come from the circular (GB/T 9704) and
# from the 收文 stamp, in contract order.
CIRCULAR_FIELDS = (
    "copy_number",
    "secrecy",
    "urgency",
    "issuer",
    "doc_number",
    "signer",
    "title",
    "addressees",
    "signatories",
    "issue_date",
    "disclosure",
    "attachments",
    "cc",
    "printed_by",
    "print_date",
    "received_date",
    "receipt_number",
)


# The ink layers of print: a scan's black layer and a PDF's text layer (not red print, seals,
# stamps or handwriting).
PRINT_LAYERS = frozenset({"black", "text"})
# The layers of handwriting: blue (and blue-black) ink, and the pencil of a colour page (on a
# gray page writing is in the black layer with the print).
HAND_LAYERS = frozenset({"blue", "pencil"})


@dataclass(frozen=True)
class Line:
    """One OCR'd (or born-digital) text line."""

    text: str
    bbox: BBox
    confidence: float
    layer: str = "black"  # which ink layer it was read from: black, red, blue, pencil, or text (pdf)

    def part(self, start: int, end: int) -> Line | None:
        """The characters ``start:end`` of the line, their box taken as an even share of the
        line's (OCR gives one box a line); None when they are only blanks."""
        text = self.text[start:end]
        if not text.strip():
            return None
        step = (self.bbox[2] - self.bbox[0]) / max(len(self.text), 1)
        x0 = self.bbox[0] + start * step
        return Line(text.strip(), (x0, self.bbox[1], x0 + len(text) * step, self.bbox[3]), self.confidence, self.layer)


def weighted_confidence(lines: Iterable[Line]) -> float:
    """The lines' mean confidence weighted by their characters (0 for lines without text)."""
    lines = tuple(lines)
    chars = sum(len(l.text) for l in lines)
    if not chars:
        return 0.0
    return sum(l.confidence * len(l.text) for l in lines) / chars


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    text: str
    bbox: BBox | None = None
    page: int | None = None
    row_span: int = 1
    col_span: int = 1
    value: int | float | None = None  # the number in a cell of a numeric column


@dataclass(frozen=True)
class Table:
    """A ruled table: its cells (rows from 0, the header rows first) on one or more pages.

    ``header`` is one name per column (a multi-row header flattened), ``numeric_columns`` the
    columns whose data cells are all numbers, ``checks`` what failed when the table was checked
    (a 合计 that differs from the sum of its rows).
    """

    cells: tuple[Cell, ...]
    header_rows: int = 1
    pages: tuple[int, ...] = ()
    header: tuple[str, ...] = ()
    numeric_columns: tuple[int, ...] = ()
    checks: tuple[str, ...] = ()


def top_to_bottom(tables: Iterable[Table]) -> tuple[Table, ...]:
    """Tables of one page in reading order: by their top, then their left (cells with boxes)."""
    return tuple(sorted(tables, key=lambda t: (min(c.bbox[1] for c in t.cells), min(c.bbox[0] for c in t.cells))))


# The kinds of layout region the CDLA layout model tells apart (``ocr.regions``), in the
# model's class order.
REGION_KINDS = (
    "text",
    "title",
    "figure",
    "figure_caption",
    "table",
    "table_caption",
    "header",
    "footer",
    "reference",
    "equation",
)
# a region found by its coloured rectangular frame (``ocr.stamps``): a 收文 stamp
STAMP_REGION = "stamp"
# the first character of a receipt stamp's word 收文, what a faded stamp's word may be read as
RECEIPT_CHAR = "收"


@dataclass(frozen=True)
class Region:
    """A layout region of a page: what the layout model takes a part of the page for."""

    kind: str  # one of REGION_KINDS, or STAMP_REGION
    bbox: BBox  # in the upright page's pixels, as a line's
    confidence: float


@dataclass(frozen=True)
class Page:
    """A page after OCR.  ``number`` counts from 1 within the item."""

    number: int
    width: int
    height: int
    dpi: float
    engine: str
    lines: tuple[Line, ...] = ()
    kind: PageKind = PageKind.OTHER
    rotation: int = 0  # degrees clockwise applied to the scan to make it upright
    skew: float = 0.0  # degrees of deskew applied
    seconds: float = 0.0
    tables: tuple[Table, ...] = ()
    regions: tuple[Region, ...] = ()  # layout regions of the upright page (image pages only)
    image_path: str | None = None  # the upright page image kept for the searchable PDF
    error: str | None = None

    @property
    def confidence(self) -> float:
        """Character-weighted mean line confidence (0 for a page without text)."""
        return weighted_confidence(self.lines)


@dataclass(frozen=True)
class Field:
    """An extracted value with its provenance."""

    value: Any
    raw: str = ""
    page: int | None = None
    bbox: BBox | None = None
    confidence: float = 0.0
    method: str = ""
    inferred: bool = False


@dataclass(frozen=True)
class Doubt:
    """A value seen on the page but not trusted: its field is left empty (a wrong value an
    archivist trusts is worse than a gap), the item is flagged for review, and the reviewer is
    shown what was read, where, and why it was left."""

    field: str  # a name of CIRCULAR_FIELDS
    reason: str  # in words an archivist understands
    text: str = ""  # what was read
    page: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True)
class Circular:
    """GB/T 9704-2012 elements and the receipt stamp; a missing element is ``None``, and a
    value seen but left empty for weak evidence is among ``doubts``."""

    copy_number: Field | None = None
    secrecy: Field | None = None
    urgency: Field | None = None
    issuer: Field | None = None
    doc_number: Field | None = None
    signer: Field | None = None
    title: Field | None = None
    addressees: Field | None = None
    signatories: Field | None = None
    issue_date: Field | None = None
    disclosure: Field | None = None
    attachments: Field | None = None
    cc: Field | None = None
    printed_by: Field | None = None
    print_date: Field | None = None
    received_date: Field | None = None
    receipt_number: Field | None = None
    doubts: tuple[Doubt, ...] = ()


@dataclass(frozen=True)
class CirculationEntry:
    seq: int
    reader: Field
    circulated: Field | None = None
    delivered: Field | None = None
    returned: Field | None = None


@dataclass(frozen=True)
class Annotation:
    kind: str  # proposal, instruction, note
    text: Field
    signer: Field | None = None
    date: Field | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph or heading of the 正文, re-joined across lines and pages."""

    kind: str  # heading, paragraph
    text: str
    level: int | None = None  # 1 一、 2 （一） 3 1. 4 （1）
    page: int | None = None  # where it starts
    bbox: BBox | None = None  # its part on that page
    confidence: float = 0.0
    pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class ItemError:
    stage: str  # a Stage (read back from JSON as its plain value)
    message: str
    page: int | None = None


# ``Field.method`` of a value an archivist set in the review app (``gongwen review``); its
# confidence is 1.
REVIEWED_METHOD = "reviewed"


@dataclass(frozen=True)
class Review:
    """What archivists did to an item in the review app, written by ``gongwen export``:
    whether the item was approved (by whom, when, ISO 8601) and which values they set, as field
    paths (``circular.doc_number``, ``circulation[2].date``, ``tables[0].cells[3,2]``)."""

    approved: bool = False
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    corrected: tuple[str, ...] = ()
    # a reviewer's decision on publishing the item ("public" or "withheld"; None: as its 附注
    # says), by whom and when
    publication: str | None = None
    publication_by: str | None = None
    publication_at: str | None = None


@dataclass(frozen=True)
class Document:
    """The whole record of one item (件)."""

    item_id: str
    source: str
    pages: tuple[Page, ...] = ()
    circular: Circular = field(default_factory=Circular)
    body: tuple[Paragraph, ...] = ()
    circulation: tuple[CirculationEntry, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    tables: tuple[Table, ...] = ()
    receiving_office: Field | None = None
    status: Status = Status.OK
    errors: tuple[ItemError, ...] = ()
    schema_version: int = SCHEMA_VERSION
    review: Review | None = None  # set by ``gongwen export`` after a review

    @property
    def error_message(self) -> str:
        return "; ".join(
            (f"page {e.page}: " if e.page else "") + e.message for e in self.errors
        )


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    # the common kinds first, by exact type: a document holds tens of thousands of values
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return round(value, 4)
    if kind is tuple or kind is list:
        return [_plain(v) for v in value]
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(kind):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    if names is not None:
        return {n: _plain(getattr(value, n)) for n in names}
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def to_dict(obj: Any) -> Any:
    """JSON-ready form of any model object (dates as ISO strings, floats rounded)."""
    return _plain(obj)


def _bbox(value: Any) -> BBox | None:
    return tuple(float(v) for v in value) if value is not None else None  # type: ignore[return-value]


def table_from_dict(data: dict[str, Any]) -> Table:
    """A :class:`Table` back from its JSON form (the inverse of ``to_dict``)."""
    return Table(
        cells=tuple(
            Cell(
                row=c["row"], col=c["col"], text=c.get("text", ""), bbox=_bbox(c.get("bbox")),
                page=c.get("page"), row_span=c.get("row_span", 1), col_span=c.get("col_span", 1),
                value=c.get("value"),
            )
            for c in data.get("cells", ())
        ),
        header_rows=data.get("header_rows", 1),
        pages=tuple(data.get("pages", ())),
        header=tuple(data.get("header", ())),
        numeric_columns=tuple(data.get("numeric_columns", ())),
        checks=tuple(data.get("checks", ())),
    )


def page_from_dict(data: dict[str, Any], image_path: str | None = None) -> Page:
    """A :class:`Page` back from its ``document.json`` form (the inverse of ``to_dict``).

    What a page holds is what OCR read, so an item can be parsed again (after a parser upgrade,
    or to apply another setting) without reading its scans a second time.
    """
    lines = tuple(
        Line(text=l["text"], bbox=_bbox(l["bbox"]), confidence=float(l["confidence"]), layer=l.get("layer", "black"))
        for l in data.get("lines", ())
    )
    tables = tuple(table_from_dict(t) for t in data.get("tables", ()))
    regions = tuple(
        Region(kind=r["kind"], bbox=_bbox(r["bbox"]), confidence=float(r["confidence"]))
        for r in data.get("regions", ())
    )
    return Page(
        number=int(data["number"]),
        width=int(data["width"]),
        height=int(data["height"]),
        dpi=float(data["dpi"]),
        engine=data.get("engine", ""),
        lines=lines,
        kind=PageKind(data.get("kind", PageKind.OTHER)),
        rotation=int(data.get("rotation", 0)),
        skew=float(data.get("skew", 0.0)),
        seconds=float(data.get("seconds", 0.0)),
        tables=tables,
        regions=regions,
        image_path=image_path,
        error=data.get("error"),
    )


# Values that are dates in the model (ISO strings in JSON): the circular's, a slip row's, an
# annotation's.
CIRCULAR_DATE_FIELDS = ("issue_date", "print_date", "received_date")
CIRCULATION_DATE_FIELDS = ("circulated", "delivered", "returned")


def _date_value(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def field_from_dict(data: dict[str, Any] | None, is_date: bool = False) -> Field | None:
    """A :class:`Field` back from its JSON form; ISO strings become dates when ``is_date``."""
    if data is None:
        return None
    value = data.get("value")
    return Field(
        value=_date_value(value) if is_date else value,
        raw=data.get("raw", ""),
        page=data.get("page"),
        bbox=_bbox(data.get("bbox")),
        confidence=float(data.get("confidence", 0.0)),
        method=data.get("method", ""),
        inferred=bool(data.get("inferred", False)),
    )


def document_from_dict(data: dict[str, Any], image_paths: dict[int, str] | None = None) -> Document:
    """A :class:`Document` back from ``document.json`` (the inverse of ``to_dict``, and of the
    exporters' form, which names the circular's fields ``fields``); ``image_paths`` gives the
    kept image of each page number."""
    images = image_paths or {}
    fields = data.get("circular") or data.get("fields") or {}
    circular = Circular(
        **{name: field_from_dict(fields.get(name), name in CIRCULAR_DATE_FIELDS) for name in CIRCULAR_FIELDS},
        doubts=tuple(
            Doubt(field=d["field"], reason=d["reason"], text=d.get("text", ""), page=d.get("page"), bbox=_bbox(d.get("bbox")))
            for d in data.get("doubts", ())
        ),
    )
    circulation = tuple(
        CirculationEntry(
            seq=int(e["seq"]),
            reader=field_from_dict(e["reader"]),  # type: ignore[arg-type]
            **{n: field_from_dict(e.get(n), True) for n in CIRCULATION_DATE_FIELDS},
        )
        for e in data.get("circulation", ())
    )
    annotations = tuple(
        Annotation(
            kind=a["kind"], text=field_from_dict(a["text"]),  # type: ignore[arg-type]
            signer=field_from_dict(a.get("signer")), date=field_from_dict(a.get("date"), True),
        )
        for a in data.get("annotations", ())
    )
    body = tuple(
        Paragraph(
            kind=b["kind"], text=b["text"], level=b.get("level"), page=b.get("page"),
            bbox=_bbox(b.get("bbox")), confidence=float(b.get("confidence", 0.0)),
            pages=tuple(b.get("pages", ())),
        )
        for b in data.get("body", ())
    )
    review = data.get("review")
    return Document(
        item_id=data["item_id"],
        source=data.get("source", ""),
        pages=tuple(page_from_dict(p, images.get(int(p["number"]))) for p in data.get("pages", ())),
        circular=circular,
        body=body,
        circulation=circulation,
        annotations=annotations,
        tables=tuple(table_from_dict(t) for t in data.get("tables", ())),
        receiving_office=field_from_dict(data.get("receiving_office")),
        status=Status(data.get("status", Status.OK)),
        errors=tuple(
            ItemError(stage=e["stage"], message=e["message"], page=e.get("page")) for e in data.get("errors", ())
        ),
        schema_version=int(data.get("schema_version", SCHEMA_VERSION)),
        review=None if review is None else Review(
            approved=bool(review.get("approved")), reviewed_by=review.get("reviewed_by"),
            reviewed_at=review.get("reviewed_at"), corrected=tuple(review.get("corrected", ())),
            publication=review.get("publication"), publication_by=review.get("publication_by"),
            publication_at=review.get("publication_at"),
        ),
    )
