"""Annex and body tables: ruled grids filled with their text, merged over pages, checked.

A chain of small pure functions of the pages, so ``gongwen reparse`` runs it again without OCR:

    page grids ─► fill_table ─► header_row_count ─► join_continued ─► type_numbers ─► check_totals

- :func:`fill_table`: each OCR line (a piece of it, when one line was read across a ruling) goes
  to the cell holding its centre; in a cell, lines top to bottom.  Text wrapped inside a cell is
  joined without a space (省统计局); lines that are separate entries (瓯海区 / 南湖区 / 秀洲区, each
  short enough that the next would have fitted after it) keep a line break.  A data row ruled as
  one that holds several rows of text, each starting afresh in most of two columns or more, is
  cut into them (:func:`split_unruled_rows`: a table ruled only under its header).
- :func:`header_row_count`: the header is the first row and every row a header cell reaches down
  into (a 序号 cell over two rows), or that sits under a heading spanning several columns.
- :func:`flatten_header`: one name per column, the parts of a multi-row header joined with
  :data:`HEADER_JOIN` (补助资金（万元）/小计).
- :func:`join_continued`: a table with nothing under it on its page and a table with nothing
  above it at the top of the next page, with the same columns (or the same repeated header), are
  one table; the repeated header goes, and a row cut by the page break (its first cell empty)
  is joined to the row before.
- :func:`type_numbers`: a column whose data cells are all numbers is numeric; its cells get
  their ``value``.
- :func:`check_totals`: a 合计/总计/小计 row is compared with the sum of the rows above it.

Bounding boxes are page pixels (PDF points for born-digital pages), as everywhere in the model.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from .geometry import centre, contains, span_overlap, union
from .layout import row_text, rows
from .metrics import edit_distance
from .model import PRINT_LAYERS, BBox, Cell, Line, Page, PageKind, Table
from .rules import PAGE_NUMBER
from .text import compact, latin_wrap, normalize_line

log = logging.getLogger(__name__)

# Page kinds whose ruled tables are annex or body tables (the slip's table is the slip's).
TABLE_PAGE_KINDS = (PageKind.ANNEX, PageKind.CIRCULAR, PageKind.IMPRINT, PageKind.OTHER)
# Ink layers that hold a table's print (not the handwriting, not seals and stamps).
TABLE_LAYERS = PRINT_LAYERS
# The parts of a multi-row header are joined with this (补助资金（万元）/小计).
HEADER_JOIN = "/"
# Separate entries of one cell are kept apart by this in the cell's text (CSV value; <br> in HTML).
ENTRY_BREAK = "\n"
# A row whose label is one of these holds the sum of the rows above it.
TOTAL_LABEL = re.compile(r"^(?:合计|总计|小计|总合计|累计|共计)[：:]?$")
SUBTOTAL_LABEL = re.compile(r"^小计[：:]?$")
# What OCR reads for a ruling it took for part of a line.
RULING_CHARS = "|｜丨"
# Punctuation that may end a row beyond the column's width (it may not start the next row).
CONTINUING_PUNCT = ("，", "、", "；", "：", ",", ";", ":")
HANGING_PUNCT = "，。、；：！？,.;:!?"
# Printed above the rest of a table on its next page.
CONTINUED_LABEL = re.compile(r"^[（(]?续(?:表|上表)?[）)]?[0-9一二三四五六七八九十.．-]*[：:]?$")
NUMBER = re.compile(r"^[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# What a numeric column may hold instead of a number (nothing to report).
NUMERIC_BLANKS = frozenset({"", "—", "——", "-", "－", "/", "／", "…", "无"})


@dataclass(frozen=True)
class TableSettings:
    """How cells are filled and tables joined.  Lengths are in character widths or fractions."""

    min_text_rows: int = 2  # a grid with text in fewer rows is no table (a box, a ruled mark)
    cell_padding: float = 0.35  # space between a cell's ruling and its text, in characters
    capacity_slack: float = 0.25  # a row this many characters short of the column's longest is full
    cut_margin: float = 0.6  # a ruling more than this many characters inside a line cuts it in two
    layout_tolerance: float = 0.02  # column rulings of two parts of a table differ by this much of the page width
    header_similarity: float = 0.8  # share of a repeated header's characters that must match

    def __post_init__(self) -> None:
        if self.min_text_rows < 1:
            raise ValueError("TableSettings.min_text_rows must be at least 1")
        for name in ("cell_padding", "capacity_slack", "cut_margin"):
            if not 0 <= getattr(self, name) <= 5:
                raise ValueError(f"TableSettings.{name} must be between 0 and 5 characters, not {getattr(self, name)}")
        if not 0 < self.layout_tolerance < 0.2:
            raise ValueError(f"TableSettings.layout_tolerance must be between 0 and 0.2, not {self.layout_tolerance}")
        if not 0 < self.header_similarity <= 1:
            raise ValueError(f"TableSettings.header_similarity must be in (0, 1], not {self.header_similarity}")


DEFAULT_SETTINGS = TableSettings()


# -- cell text --------------------------------------------------------------------------------


def char_units(ch: str) -> float:
    """Width of a character in character widths (Latin letters, digits and spaces are narrow)."""
    return 0.55 if ord(ch) < 0x2000 else 1.0


def text_units(text: str) -> float:
    return sum(char_units(ch) for ch in text) or 1.0


def char_width(line: Line) -> float:
    """The width of one full-width character of this line, from its box and its text."""
    return (line.bbox[2] - line.bbox[0]) / text_units(line.text)


def _split_at(text: str, x0: float, cut: float, x1: float) -> int:
    """Where a line's text crosses a ruling at ``cut``: the split that gives both sides the same
    character width (the blank space around the ruling is shared by both)."""
    best, best_k = float("inf"), 1
    for k in range(1, len(text)):
        left, right = text_units(text[:k]), text_units(text[k:])
        dl, dr = (cut - x0) / left, (x1 - cut) / right
        if dl <= 0 or dr <= 0:
            continue
        score = abs(math.log(dl / dr))
        if score < best:
            best, best_k = score, k
    return best_k


def cut_line(line: Line, cuts: list[float], settings: TableSettings = DEFAULT_SETTINGS) -> list[Line]:
    """The pieces of a line read across rulings at x = ``cuts``; a ruling read as a character
    (| 丨) at a cut is dropped."""
    x0, top, x1, bottom = line.bbox
    unit = char_width(line)
    inner = sorted(c for c in cuts if x0 + settings.cut_margin * unit < c < x1 - settings.cut_margin * unit)
    if not inner or len(line.text) < 2:
        return [line]
    pieces: list[Line] = []
    text, start = line.text, x0
    for cut in inner:
        if len(text) < 2:
            break
        k = _split_at(text, start, cut, x1)
        pieces.append(replace(line, text=text[:k], bbox=(start, top, cut, bottom)))
        text, start = text[k:], cut
    pieces.append(replace(line, text=text, bbox=(start, top, x1, bottom)))
    out = []
    for i, piece in enumerate(pieces):
        t = piece.text
        if i > 0:
            t = t.lstrip(RULING_CHARS)
        if i < len(pieces) - 1:
            t = t.rstrip(RULING_CHARS)
        if t.strip():
            out.append(replace(piece, text=t.strip()))
    return out


def table_bbox(table: Table) -> BBox:
    return union(c.bbox for c in table.cells if c.bbox is not None)


def assign_lines(
    lines: list[Line] | tuple[Line, ...], table: Table, settings: TableSettings = DEFAULT_SETTINGS
) -> dict[int, list[Line]]:
    """The lines (or pieces of lines) in each cell, by the cell's index in ``table.cells``."""
    out: dict[int, list[Line]] = {}
    tb = table_bbox(table)
    for line in lines:
        if line.layer not in TABLE_LAYERS or not contains(tb, centre(line.bbox)):
            continue
        y = centre(line.bbox)[1]
        band = [c for c in table.cells if c.bbox is not None and c.bbox[1] <= y <= c.bbox[3]]
        cuts = sorted({c.bbox[0] for c in band} | {c.bbox[2] for c in band})
        for piece in cut_line(line, cuts, settings):
            point = centre(piece.bbox)
            for i, c in enumerate(table.cells):
                if c.bbox is not None and contains(c.bbox, point):
                    out.setdefault(i, []).append(piece)
                    break
    return out


def join_wrapped(a: str, b: str) -> str:
    """Two pieces of text wrapped apart, joined: no space, except where Latin text wraps (at
    its spaces: KI (1/km), Read & Write) — not inside a number (12 | 345) or after a hyphen."""
    if not a or not b:
        return a + b
    if latin_wrap(a, b):
        return a + " " + b
    # the marks at the seam follow the text rules too (a worn ， at the line's end read as .)
    return normalize_line(a + b)


def _first_token(text: str) -> str:
    m = re.match(r"[A-Za-z0-9.,%]+", text)
    return m.group() if m else text[:1]


def drop_read_twice(row: list[Line]) -> list[Line]:
    """Boxes of one visual row that overlap by a character or more read that character twice
    (the detector cut the printed line inside a character): the later box loses it."""
    out: list[Line] = []
    for line in row:
        if out and len(line.text) > 1:
            prev = out[-1]
            overlap = prev.bbox[2] - line.bbox[0]
            n = math.floor(overlap / min(char_width(prev), char_width(line)) + 0.5)
            if 1 <= n < len(line.text) and not unicodedata.category(line.text[0]).startswith("P"):
                line = replace(line, text=line.text[n:], bbox=(prev.bbox[2], *line.bbox[1:]))
        out.append(line)
    return out


def cell_rows(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """The visual rows of a cell's lines, top to bottom, with their text."""
    return [(row_text(r), r) for r in (drop_read_twice(r) for r in rows(lines))]


def full_width_units(text: str) -> float | None:
    """Characters of a row of full-width characters only (the width of Latin letters and digits
    varies too much to count them); None for any other row."""
    if not text or any(char_units(ch) < 1 for ch in text):
        return None
    return text_units(text)


def capacity_units(text: str) -> float | None:
    """What a row tells of its column's width: its characters, less punctuation at its end,
    which may hang beyond the column (a row never starts with ，。、)."""
    return full_width_units(text.rstrip(HANGING_PUNCT))


def fits_after(
    prev_text: str, prev: list[Line], nxt: str, width: float, capacity: float | None,
    settings: TableSettings = DEFAULT_SETTINGS,
) -> bool:
    """Would the first word of ``nxt`` have fitted at the end of the row above?

    Two measures, either enough: room in the cell (its width less the row's print, less
    padding), and the column's capacity (the most full-width characters any row of the column
    holds, its header included: a row that many characters long is full, whatever its box says).
    """
    x0, x1 = min(l.bbox[0] for l in prev), max(l.bbox[2] for l in prev)
    unit = max(char_width(l) for l in prev)
    # brackets and punctuation print narrower than the space they take
    used = max(x1 - x0, text_units(prev_text) * unit)
    token = text_units(_first_token(nxt))
    if width - used - 2 * settings.cell_padding * unit >= token * unit:
        return True
    units = full_width_units(prev_text)
    return capacity is not None and units is not None and units + token <= capacity + settings.capacity_slack


def cell_text(
    lines: list[Line], bbox: BBox, header: bool = False, capacity: float | None = None,
    settings: TableSettings = DEFAULT_SETTINGS,
) -> str:
    """The text of one cell from its lines.

    Visual rows run top to bottom.  A row continues the one above (wrapped text, joined without
    a space) unless its first word would have fitted after the row above (:func:`fits_after`):
    then it is a separate entry and keeps a line break.  A header cell is one name: its rows are
    always joined.
    """
    visual = cell_rows(lines)
    if not visual:
        return ""
    text, (prev_text, prev) = visual[0][0], visual[0]
    width = bbox[2] - bbox[0]
    for t, r in visual[1:]:
        if not t:
            continue
        # a row that stops on a comma (or 、；：) goes on below: it is never a whole entry
        if not header and not prev_text.rstrip().endswith(CONTINUING_PUNCT) and fits_after(prev_text, prev, t, width, capacity, settings):
            text = text + ENTRY_BREAK + t
        else:
            text = join_wrapped(text, t)
        prev, prev_text = r, t
    return text.strip()


def header_row_count(cells: tuple[Cell, ...] | list[Cell]) -> int:
    """Rows of the header: the first row, the rows its cells reach down into, and the row under
    a heading that spans several columns (its sub-headings)."""
    if not cells:
        return 0
    n_rows = max(c.row + c.row_span for c in cells)
    h = 1
    while h < n_rows:
        reach = max((c.row + c.row_span for c in cells if c.row < h), default=h)
        grouped = any(c.col_span > 1 and c.row + c.row_span == h for c in cells if c.row < h)
        if reach > h:
            h = reach
        elif grouped:
            h += 1
        else:
            break
    return min(h, n_rows)


def _bands(rows_by_col: dict[int, list[tuple[str, list[Line]]]]) -> list[tuple[float, float, dict[int, int]]]:
    """The text rows across a grid row: the visual rows of all its cells merged where they
    overlap, top to bottom, each as (top, bottom, {column: index of its visual row in that cell})."""
    spans = sorted(
        (min(l.bbox[1] for l in r), max(l.bbox[3] for l in r), col, k)
        for col, visual in rows_by_col.items()
        for k, (_, r) in enumerate(visual)
    )
    bands: list[tuple[float, float, dict[int, int]]] = []
    for top, bottom, col, k in spans:
        if bands and span_overlap((bands[-1][0], bands[-1][1]), (top, bottom)) > 0 and col not in bands[-1][2]:
            t, b, members = bands[-1]
            bands[-1] = (t, max(b, bottom), {**members, col: k})
        else:
            bands.append((top, bottom, {col: k}))
    return bands


def unruled_rows(
    cells: list[tuple[int, Cell]], assigned: dict[int, list[Line]], settings: TableSettings = DEFAULT_SETTINGS
) -> list[float]:
    """Where a grid row drawn without its row rules (a report's table ruled only under its
    header) is cut into the rows its text stands in: above each text row with text in two
    columns or more, most of which start afresh there rather than wrap on from the text above
    (their words would have fitted after it, :func:`fits_after`; a long name filling its cell
    is outvoted by the numbers beside it).  Empty when the row is one row."""
    rows_by_col = {c.col: cell_rows(assigned.get(i, [])) for i, c in cells}
    rows_by_col = {col: visual for col, visual in rows_by_col.items() if visual}
    bands = _bands(rows_by_col)
    if len(bands) < 2 or len(bands[0][2]) < 2:
        return []  # one text row, or a row whose first text row is one cell's (text centred beside it)
    box = {c.col: c.bbox for _, c in cells}
    cuts: list[float] = []
    last = dict(bands[0][2])  # each column's latest visual row above the band
    prev_bottom = bands[0][1]
    for top, bottom, members in bands[1:]:
        # a column votes for a new row when its text here starts afresh: nothing above it in the
        # grid row, or its words would have fitted after the text above (no wrap)
        votes = sum(
            col not in last
            or (
                not rows_by_col[col][last[col]][0].rstrip().endswith(CONTINUING_PUNCT)
                and fits_after(*rows_by_col[col][last[col]], rows_by_col[col][k][0], box[col][2] - box[col][0], None, settings)
            )
            for col, k in members.items()
        )
        starts_row = len(members) >= 2 and 2 * votes > len(members)
        if starts_row:
            cuts.append(round((prev_bottom + top) / 2, 2))
        last.update(members)
        prev_bottom = bottom
    return cuts


# a table whose data rows are ruled apart has more grid rows than this below its header (a
# table ruled only under its header has one, or two with a rule above its 合计)
UNRULED_MAX_ROWS = 2


def split_unruled_rows(
    table: Table, assigned: dict[int, list[Line]], header_rows: int, settings: TableSettings = DEFAULT_SETTINGS
) -> tuple[Table, dict[int, list[Line]]]:
    """The table with every data row that holds several rows of text without rules between
    them (:func:`unruled_rows`) cut into those rows, and the lines of each new cell: only in a
    table of at most ``UNRULED_MAX_ROWS`` data rows (in a table ruled row by row, a tall row is
    one row, its text centred or wrapped).  A row that a merged cell crosses is left whole."""
    n = max((c.row + c.row_span for c in table.cells), default=0)
    if n - header_rows > UNRULED_MAX_ROWS:
        return table, assigned  # the rows are ruled: a tall row is one row
    cuts_of: dict[int, list[float]] = {}
    for r in range(header_rows, n):
        in_row = [(i, c) for i, c in enumerate(table.cells) if c.row <= r < c.row + c.row_span]
        if in_row and all(c.row_span == 1 and c.bbox is not None for _, c in in_row):
            cuts = unruled_rows(in_row, assigned, settings)
            if cuts:
                cuts_of[r] = cuts
    if not cuts_of:
        return table, assigned

    def shift(row: int) -> int:
        return row + sum(len(v) for k, v in cuts_of.items() if k < row)

    cells: list[Cell] = []
    lines: dict[int, list[Line]] = {}
    for i, c in enumerate(table.cells):
        cuts = cuts_of.get(c.row)
        if not cuts:
            lines[len(cells)] = assigned.get(i, [])
            cells.append(replace(c, row=shift(c.row)))
            continue
        x0, top, x1, bottom = c.bbox
        edges = [top, *cuts, bottom]
        for k in range(len(edges) - 1):
            part = (x0, edges[k], x1, edges[k + 1])
            below = edges[k + 1] if k + 2 < len(edges) else float("inf")  # the last part takes the rest
            lines[len(cells)] = [l for l in assigned.get(i, []) if (k == 0 or edges[k] <= centre(l.bbox)[1]) and centre(l.bbox)[1] < below]
            cells.append(replace(c, row=shift(c.row) + k, bbox=part))
    order = sorted(range(len(cells)), key=lambda k: (cells[k].row, cells[k].col))
    return replace(table, cells=tuple(cells[k] for k in order)), {new: lines[k] for new, k in enumerate(order)}


def fill_table(page: Page, table: Table, settings: TableSettings = DEFAULT_SETTINGS) -> Table:
    """The page's grid with the text of its cells, the page number and the header rows; a data
    row ruled as one but holding several rows of text is cut into them (:func:`split_unruled_rows`)."""
    assigned = assign_lines(page.lines, table, settings)
    h = header_row_count(table.cells)
    table, assigned = split_unruled_rows(table, assigned, h, settings)
    # the most full-width characters a row of each column holds (header rows too: same width)
    capacity: dict[tuple[int, int], float] = {}
    for i, c in enumerate(table.cells):
        for t, _ in cell_rows(assigned.get(i, [])):
            units = capacity_units(t)
            if units is not None:
                key = (c.col, c.col_span)
                capacity[key] = max(capacity.get(key, 0.0), units)
    cells = tuple(
        replace(
            c,
            text=cell_text(
                assigned.get(i, []), c.bbox, header=c.row < h, capacity=capacity.get((c.col, c.col_span)),
                settings=settings,
            )
            if c.bbox
            else c.text,
            page=page.number,
        )
        for i, c in enumerate(table.cells)
    )
    return replace(table, cells=cells, header_rows=h, pages=(page.number,))


def text_rows(table: Table) -> int:
    return len({r for c in table.cells if c.text for r in range(c.row, c.row + c.row_span)})


# -- grid views -------------------------------------------------------------------------------


def n_columns(table: Table) -> int:
    return max((c.col + c.col_span for c in table.cells), default=0)


def n_rows(table: Table) -> int:
    return max((c.row + c.row_span for c in table.cells), default=0)


def grid(table: Table) -> list[list[str]]:
    """Every row × column position with the text of the cell over it (merged cells repeated)."""
    out = [["" for _ in range(n_columns(table))] for _ in range(n_rows(table))]
    for c in table.cells:
        for r in range(c.row, c.row + c.row_span):
            for k in range(c.col, c.col + c.col_span):
                out[r][k] = c.text
    return out


def flatten_header(table: Table) -> tuple[str, ...]:
    """One name per column: the distinct header parts above it, top to bottom."""
    head = grid(table)[: table.header_rows]
    names = []
    for k in range(n_columns(table)):
        parts: list[str] = []
        for row in head:
            part = "".join(row[k].split())
            if part and part not in parts:
                parts.append(part)
        names.append(HEADER_JOIN.join(parts))
    return tuple(names)


def column_edges(table: Table) -> list[float]:
    return sorted({c.bbox[0] for c in table.cells if c.bbox} | {c.bbox[2] for c in table.cells if c.bbox})


# -- continuation over pages ------------------------------------------------------------------


def _free_lines(page: Page, tables: list[Table]) -> list[Line]:
    """Lines of the page outside its tables, page numbers and 续表 labels."""
    boxes = [table_bbox(t) for t in tables]
    return [
        l
        for l in page.lines
        if not any(contains(b, centre(l.bbox)) for b in boxes)
        and not PAGE_NUMBER.match(compact(l.text))
        and not CONTINUED_LABEL.match(compact(l.text))
    ]


def ends_page(page: Page, table: Table, tables: list[Table]) -> bool:
    """Nothing but a page number follows the table on its page."""
    bottom = table_bbox(table)[3]
    return not any(l.bbox[1] >= bottom - 1 for l in _free_lines(page, tables))


def starts_page(page: Page, table: Table, tables: list[Table]) -> bool:
    """Nothing but a page number or a 续表 label comes before the table on its page."""
    top = table_bbox(table)[1]
    return not any(l.bbox[3] <= top + 1 for l in _free_lines(page, tables))


def same_layout(a: Table, b: Table, width: float, settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """The same columns: as many, with their rulings at the same places."""
    if n_columns(a) != n_columns(b):
        return False
    ea, eb = column_edges(a), column_edges(b)
    tol = settings.layout_tolerance * width
    return len(ea) == len(eb) and all(abs(x - y) <= tol for x, y in zip(ea, eb))


def _similar(a: str, b: str, share: float) -> bool:
    if not a and not b:
        return True
    return edit_distance(a, b) <= (1 - share) * max(len(a), len(b))


def repeats_header(first: Table, part: Table, settings: TableSettings = DEFAULT_SETTINGS) -> bool:
    """The part's first rows read like the first part's header (OCR may differ a little)."""
    if not first.header_rows or n_columns(first) != n_columns(part) or not part.header_rows:
        return False
    a = "".join(flatten_header(first))
    b = "".join(flatten_header(replace(part, header_rows=first.header_rows)))
    return _similar(a, b, settings.header_similarity)


def _shift(cells, dr: int) -> tuple[Cell, ...]:
    return tuple(replace(c, row=c.row + dr) for c in cells)


def join_parts(first: Table, part: Table, settings: TableSettings = DEFAULT_SETTINGS) -> Table:
    """The table continued by ``part`` (the next page's piece): its repeated header dropped, a
    row cut by the page break (first cell empty) joined to the row before."""
    cells = list(part.cells)
    if repeats_header(first, part, settings):
        h = first.header_rows
        cells = [replace(c, row=c.row - h) for c in cells if c.row >= h]
    base = n_rows(first)
    kept = list(first.cells)
    if cells:
        top = [c for c in cells if c.row == 0]
        first_col = next((c for c in top if c.col == 0), None)
        last_row = base - 1
        prev_row = {c.col: i for i, c in enumerate(kept) if c.row + c.row_span - 1 == last_row}
        data_rows = n_rows(first) - first.header_rows
        if (
            first_col is not None
            and not first_col.text
            and data_rows > 0
            and any(c.text for c in top)
            and all(c.row_span == 1 for c in top)
            and all(c.col in prev_row for c in top)
            and not _is_total_label(kept[prev_row.get(0, -1)].text if 0 in prev_row else "")
        ):
            for c in top:
                i = prev_row[c.col]
                if c.text:
                    kept[i] = replace(kept[i], text=join_wrapped(kept[i].text, c.text))
            cells = [replace(c, row=c.row - 1) for c in cells if c.row > 0]
    merged = tuple(kept) + _shift(cells, base)
    pages = first.pages + tuple(p for p in part.pages if p not in first.pages)
    return replace(first, cells=merged, pages=pages)


def join_continued(
    placed: list[tuple[Page, Table, list[Table]]], settings: TableSettings = DEFAULT_SETTINGS
) -> list[Table]:
    """Tables in document order, each continued table joined into one.

    ``placed``: (page, filled table, all tables of that page) in document order.
    """
    out: list[Table] = []
    last: tuple[Page, Table, list[Table]] | None = None
    for page, table, siblings in placed:
        if last is not None and out:
            lpage, ltable, lsiblings = last
            if (
                page.number == lpage.number + 1
                and ltable is lsiblings[-1]
                and table is siblings[0]
                and ends_page(lpage, ltable, lsiblings)
                and starts_page(page, table, siblings)
                and (same_layout(ltable, table, page.width, settings) or repeats_header(out[-1], table, settings))
            ):
                out[-1] = join_parts(out[-1], table, settings)
                last = (page, table, siblings)
                continue
        out.append(table)
        last = (page, table, siblings)
    return out


# -- numbers and totals -----------------------------------------------------------------------


def _is_total_label(text: str) -> bool:
    return bool(TOTAL_LABEL.match(compact(text)))


def parse_number(text: str) -> Decimal | None:
    t = compact(text).replace("−", "-")
    if not NUMBER.match(t):
        return None
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:
        return None


def total_rows(table: Table) -> dict[int, str]:
    """Data rows that hold a total, with their label (合计, 小计 …): a label cell before any number."""
    out = {}
    g = grid(table)
    for r in range(table.header_rows, len(g)):
        for value in g[r]:
            if parse_number(value) is not None:
                break
            if _is_total_label(value):
                out[r] = compact(value).rstrip("：:")
                break
    return out


def numeric_columns(table: Table) -> tuple[int, ...]:
    """Columns whose data cells (total labels aside) are all numbers, at least one of them."""
    g = grid(table)
    totals = total_rows(table)
    cols = []
    for k in range(n_columns(table)):
        values = [g[r][k] for r in range(table.header_rows, len(g))]
        values = [v for r, v in zip(range(table.header_rows, len(g)), values) if not (r in totals and _is_total_label(v))]
        filled = [compact(v) for v in values if compact(v) not in NUMERIC_BLANKS]
        if filled and all(parse_number(v) is not None for v in filled):
            cols.append(k)
    return tuple(cols)


def _plain_number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() and "." not in str(d) else float(d)


def type_numbers(table: Table) -> Table:
    """The table with its numeric columns named and the numbers of their data cells as values."""
    cols = numeric_columns(table)
    cells = tuple(
        replace(c, value=_plain_number(n))
        if c.col in cols and c.col_span == 1 and c.row >= table.header_rows and (n := parse_number(c.text)) is not None
        else c
        for c in table.cells
    )
    return replace(table, cells=cells, numeric_columns=cols)


def _decimals(text: str) -> int:
    t = compact(text)
    return len(t.split(".", 1)[1]) if "." in t else 0


def _fmt(d: Decimal) -> str:
    s = format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))
    return s


def check_totals(table: Table, index: int) -> tuple[str, ...]:
    """Messages for each total that differs from the sum of the rows it adds up.

    小计 adds the rows since the total row before it; 合计/总计 add every row above that is not
    itself a total.  Integers must match exactly; decimals within the rounding of the rows
    (half a unit of the last decimal place per row).
    """
    g = grid(table)
    totals = total_rows(table)
    header = table.header or flatten_header(table)
    messages = []
    for r, label in sorted(totals.items()):
        if SUBTOTAL_LABEL.match(label):
            since = max((t for t in totals if t < r), default=table.header_rows - 1)
            rows_ = [x for x in range(since + 1, r)]
        else:
            since = max((t for t, lab in totals.items() if t < r and not SUBTOTAL_LABEL.match(lab)), default=table.header_rows - 1)
            rows_ = [x for x in range(since + 1, r) if x not in totals]
        for k in table.numeric_columns:
            total = parse_number(g[r][k])
            if total is None or not rows_:
                continue
            values = [g[x][k] for x in rows_]
            nums = [n for n in (parse_number(v) for v in values) if n is not None]
            s = sum(nums, Decimal(0))
            places = max([_decimals(v) for v in values] + [_decimals(g[r][k])])
            tolerance = Decimal(0) if places == 0 else Decimal(len(nums)) * Decimal(5) * Decimal(10) ** -(places + 1)
            if abs(total - s) > tolerance:
                column = header[k] if k < len(header) and header[k] else f"column {k + 1}"
                messages.append(
                    f"table {index} ({column}): {label} {_fmt(total)} ≠ sum of rows {_fmt(s)}: rows or pages may be missing"
                )
    return tuple(messages)


# -- the whole chain --------------------------------------------------------------------------


def page_tables(page: Page, settings: TableSettings = DEFAULT_SETTINGS) -> list[Table]:
    """The page's grids filled with text, those without text in enough rows dropped."""
    filled = [fill_table(page, t, settings) for t in page.tables if any(c.bbox for c in t.cells)]
    return [t for t in filled if text_rows(t) >= settings.min_text_rows]


def extract_tables(
    pages: list[Page] | tuple[Page, ...], kinds: list[PageKind] | tuple[PageKind, ...], settings: TableSettings = DEFAULT_SETTINGS
) -> tuple[Table, ...]:
    """Annex and body tables of an item in document order (not the circulation slip's table),
    continued tables joined, headers flattened, numbers typed, totals checked."""
    placed = []
    for page, kind in zip(pages, kinds):
        if kind not in TABLE_PAGE_KINDS or page.error is not None or not page.tables:
            continue
        tables = page_tables(page, settings)
        placed.extend((page, t, tables) for t in tables)
    out = []
    for index, table in enumerate(join_continued(placed, settings), start=1):
        table = replace(table, header=flatten_header(table))
        table = type_numbers(table)
        table = replace(table, checks=check_totals(table, index))
        for message in table.checks:
            log.info("%s", message)
        out.append(table)
    return tuple(out)
