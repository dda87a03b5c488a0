"""The readers of a circulation slip (``circulation.csv``): who read the item and when.

Offices record it as a ruled table whose header row names the columns in any order and wording
(传阅人/阅文人/姓名, 传阅日期/阅文时间, 送达日期, 收回日期/退回日期 …), one reader a row; some
list the readers in two groups of columns side by side, or across a row with their dates in
the row under it; others have the readers sign one after another in a block of their own
(阅签, 送阅: :func:`sign_list`).  OCR lines are put into the cell under their centre.  Dates are
handwriting (``handdate``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from .handdate import hand_date_field, lines_field, mend_digits
from .layout import rows
from .geometry import span_overlap
from .model import Cell, CirculationEntry, Field, Line, Page, Table
from .opinions import clip_line, label_at, without_echoes
from .rules import starts_with_surname

# header wording → contract column
SLIP_COLUMNS = {
    "reader": ("传阅人", "阅文人", "阅件人", "阅文领导", "姓名", "传阅领导", "阅件领导", "传阅对象", "阅签"),
    "circulated": ("传阅日期", "阅文日期", "阅件日期", "传阅时间", "阅文时间", "阅件时间"),
    "delivered": ("送达日期", "送达时间", "收到日期", "收到时间", "收件日期", "送文日期", "送阅日期", "送阅时间"),
    "returned": ("收回日期", "退回日期", "阅退日期", "收回时间", "退回时间", "退文日期", "退文时间", "阅退时间", "归还日期"),
}
# a heading with no other word: a bare 日期 beside the readers is the day each read the item
BARE_DATE_HEADINGS = ("日期", "时间", "阅期")
MAX_HEADING_CHARS = 6
# a person's name as signed or written in a reader cell
SIGNER_NAME = re.compile(r"([\u4e00-\u9fff]{2,4})\s*$")
# what a name is not: the words and numerals of a date (二〇一四年一月, 廿四日, 元月, 月底, 当日) — but
# 月, 日 and 年 after other characters are a name's own (孙鑫月, 曾月立, 张日新)
NOT_A_NAME = re.compile(r"[〇○零]|[一二三四五六七八九十廿卅元正初]\s*[年月日号]|^[年月日号]|^[今明当次即本上下][日月年]$"
                        r"|^[一二三四五六七八九十廿卅]+$"
                        # nor the words a form prints (a heading read into a reader's cell)
                        r"|时间|日期|姓名|意见|批示|领导|单位|标题|文号|备注|情况|结果|签名|阅退|送阅|送达|收回|退回|传阅|序号")
# a name whose first character is no surname is trusted this much (and has no value)
NO_SURNAME_FACTOR = 0.5
# written after a name to say it was read (王林阅): not part of the name; a handwritten 阅 is
# often read as 说 (门 taken for 讠) or 兑 (门 too faint), neither of which ends a name (悦 does)
READ_MARKS = ("阅", "说", "兑")
# a stroke of a handwritten name read as a hyphen
STRAY_HYPHEN = re.compile(r"(?<=[\u4e00-\u9fff])[-－](?=[\u4e00-\u9fff])")


def as_name(text: str) -> str | None:
    """``text`` as a signer's name (2-4 Chinese characters, not a date's numerals, a 阅 written
    after it dropped), or None."""
    t = STRAY_HYPHEN.sub("", "".join(text.split())).rstrip(":：,，;；")
    if len(t) >= 3 and t.endswith(READ_MARKS):
        t = t[:-1]
    if not SIGNER_NAME.fullmatch(t) or NOT_A_NAME.search(t):
        return None
    return t


def name_field(name: str, lines: list[Line], page: int, method: str, factor: float = 1.0) -> Field:
    """A reader's or signer's name read off handwriting.  One whose first character is no
    surname is misread (下芳 for 丁芳, 美业宏 for 姜磊宏) or no name (局长): it keeps its raw text
    but gets no value, and its confidence sends the item to review — a wrong name an archivist
    trusts is worse than none (a reader's row stays)."""
    if not starts_with_surname(name):
        return lines_field(None, lines, page, method, raw=name, factor=NO_SURNAME_FACTOR)
    return lines_field(name, lines, page, method, factor=factor)


def slip_table(page: Page) -> Table | None:
    """The slip's table: the one with a row of reader column headings."""
    for table in page.tables:
        if column_map(page, table)[0] >= 0:
            return table
    return None


def _cell_lines(page: Page, box) -> list[Line]:
    """The lines (their parts) in a cell, in reading order, echoes dropped."""
    parts = [p for l in page.lines if (p := clip_line(l, box)) is not None]
    return sorted(without_echoes(parts), key=lambda l: (l.bbox[1], l.bbox[0]))


def column_map(page: Page, table: Table) -> tuple[int, dict[int, str]]:
    """(header row, column index → contract column), from the headings' wording.

    The header is the first row that names a reader column (rows above it may record the
    document: 来文单位, 文号).  Each heading word found in a line is placed by its position in
    the line (OCR often reads a row of headings as one line) and goes to the cell under it.
    """
    for row in sorted({c.row for c in table.cells}):
        header = [c for c in table.cells if c.row == row]
        band = (min(c.bbox[1] for c in header), min(c.bbox[3] for c in header))
        out: dict[int, str] = {}
        for line in page.lines:
            cy = (line.bbox[1] + line.bbox[3]) / 2
            if not band[0] <= cy <= band[1] or not line.text:
                continue
            step = (line.bbox[2] - line.bbox[0]) / len(line.text)
            for name, words in SLIP_COLUMNS.items():
                for w in words:
                    for m in re.finditer(re.escape(w), line.text):
                        x = line.bbox[0] + (m.start() + len(w) / 2) * step
                        cell = next((c for c in header if c.bbox[0] <= x <= c.bbox[2]), None)
                        if cell is not None and cell.col not in out:
                            out[cell.col] = name
        for cell in header:  # a bare 日期 beside the readers: the day each read it
            if cell.col not in out and _text(page, cell) in BARE_DATE_HEADINGS:
                out[cell.col] = "circulated"
        if "reader" in out.values():
            return row, _one_each(out)
    return -1, {}


def _text(page: Page, cell: Cell) -> str:
    return "".join("".join(l.text for l in _cell_lines(page, cell.bbox)).split())


def _heading_key(text: str) -> str | None:
    """The contract column a short heading names (传阅人 → reader, 日期 → circulated), or None."""
    if not text or len(text) > MAX_HEADING_CHARS:
        return None
    for name, words in SLIP_COLUMNS.items():
        if any(w in text for w in words):
            return name
    return "circulated" if text in BARE_DATE_HEADINGS else None


def transposed(page: Page, table: Table, year: int | None, not_before: dt.date | None) -> list[CirculationEntry]:
    """Readers listed across a row (传阅人 | 王林 | 李明 …) with their dates in the rows under it
    (日期 | 1.26 | 1.27 …), the pair of rows repeated as the form needs: one entry per name, in
    reading order.  None unless a row headed by a reader heading holds two names or more."""
    by_row: dict[int, list[Cell]] = {}
    for c in table.cells:
        if c.row_span == 1 and c.bbox is not None:
            by_row.setdefault(c.row, []).append(c)
    entries: list[CirculationEntry] = []
    names: list[tuple[Cell, list[Line], str]] = []
    dates: dict[int, dict[str, Field | None]] = {}
    for r in sorted(by_row):
        head, *rest = sorted(by_row[r], key=lambda c: c.bbox[0])
        key = _heading_key(_text(page, head))
        if key == "reader":
            entries += _across(names, dates, page.number, len(entries))
            cells = [(c, _cell_lines(page, c.bbox)) for c in rest]
            found = [(c, ls, n) for c, ls in cells if (n := as_name("".join(l.text for l in ls)))]
            names, dates = (found, {}) if len(found) >= 2 else ([], {})
        elif key is not None and names:
            for i, (cell, _, _) in enumerate(names):
                under = next((c for c in rest if span_overlap((c.bbox[0], c.bbox[2]), (cell.bbox[0], cell.bbox[2]))
                              > 0.5 * (cell.bbox[2] - cell.bbox[0])), None)
                cl = _cell_lines(page, under.bbox) if under is not None else []
                text = "".join("".join(l.text for l in cl).split())
                dates.setdefault(i, {})[key] = hand_date_field(text, year, not_before, cl, page.number, bare=True) if text else None
    return entries + _across(names, dates, page.number, len(entries))


def _across(names, dates, page: int, before: int) -> list[CirculationEntry]:
    return [CirculationEntry(seq=before + i + 1, reader=name_field(name, lines, page, "slip-table"),
                             circulated=dates.get(i, {}).get("circulated"), delivered=dates.get(i, {}).get("delivered"),
                             returned=dates.get(i, {}).get("returned"))
            for i, (_, lines, name) in enumerate(names)]


def _one_each(found: dict[int, str]) -> dict[int, str]:
    """The columns left to right, each contract column once in a group of columns: a form that
    lists its readers in two side-by-side groups (姓名 日期 ‖ 姓名 日期) starts a group at each
    reader column."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for col in sorted(found):
        name = found[col]
        if name == "reader":
            seen = set()
        if name not in seen:
            seen.add(name)
            out[col] = name
    return out


def circulation(page: Page, table: Table, year: int | None, not_before: dt.date | None) -> list[CirculationEntry]:
    """One entry per reader row; a form with two groups of reader columns side by side is read
    group after group (the left one down, then the right one)."""
    if across := transposed(page, table, year, not_before):
        return across
    header_row, cols = column_map(page, table)
    by_pos = {(c.row, c.col): c for c in table.cells if c.row_span == 1}
    rows = sorted({c.row for c in table.cells if c.row > header_row})
    entries: list[CirculationEntry] = []
    for group in _groups(cols):
        entries += _group_entries(page, group, rows, by_pos, year, not_before, len(entries))
    return entries


def _groups(cols: dict[int, str]) -> list[dict[int, str]]:
    """The column map cut into groups, each starting at a reader column."""
    groups: list[dict[int, str]] = []
    for col, name in sorted(cols.items()):
        if name == "reader":
            groups.append({})
        if groups:
            groups[-1][col] = name
    return groups


def _group_entries(page: Page, cols: dict[int, str], rows: list[int], by_pos: dict, year: int | None,
                   not_before: dt.date | None, before: int) -> list[CirculationEntry]:
    reader_col = next(c for c, n in cols.items() if n == "reader")
    entries: list[CirculationEntry] = []
    for r in rows:
        cell = by_pos.get((r, reader_col))
        if cell is None:
            continue
        lines = _cell_lines(page, cell.bbox)
        written = "".join("".join(l.text for l in lines).split())
        if not written or label_at(written) is not None:
            continue  # an empty row of the form, or a row for the 拟办意见 / 批示 block
        name = as_name(written) or written  # 吴宏斌阅: the name, without the 阅 written after it
        values: dict[str, Field | None] = {}
        for col, key in cols.items():
            if key == "reader":
                continue
            c = by_pos.get((r, col))
            if c is None:
                continue
            cl = _cell_lines(page, c.bbox)
            text = "".join("".join(l.text for l in cl).split())
            values[key] = hand_date_field(text, year, not_before, cl, page.number, bare=True) if text else None
        entries.append(
            CirculationEntry(
                seq=before + len(entries) + 1,
                reader=name_field(name, lines, page.number, "slip-table"),
                circulated=values.get("circulated"),
                delivered=values.get("delivered"),
                returned=values.get("returned"),
            )
        )
    return entries




# a date as a reader writes it after the name (1.26, 1/26, 3月6日, 2014.1.24)
SIGNED_DATE = re.compile(r"(?:\d{2,4}[.．/])?\d{1,2}[.．/月]\d{1,2}日?|\d{1,2}月\d{1,2}日")


# a name with the date run onto it, its dots lost (陈琳215): digits right after a name are read
# as a date there only; signatures run on one after another (冯然浩530范波531, 石昕磊118许波强)
NAME_BEFORE_DIGITS = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,5})$")
DIGIT_RUN = re.compile(r"(\d{1,8})")
BARE_SIGNED_DATE = re.compile(r"\d{2,8}")


def _sign_words(word: str) -> list[tuple[str, str]]:
    name = as_name(word)
    if name:
        return [("name", name)]
    if BARE_SIGNED_DATE.fullmatch(word):
        return [("digits", word)]
    parts = [p for p in DIGIT_RUN.split(word) if p]
    if len(parts) == 1:
        return [("other", word)]
    out: list[tuple[str, str]] = []
    for i, part in enumerate(parts):
        if part.isdigit():
            out.append(("digits" if BARE_SIGNED_DATE.fullmatch(part) else "other", part))
        elif i + 1 == len(parts):  # the last signature, undated
            out.append(("name", name) if (name := as_name(part)) else ("other", part))
        elif (m := NAME_BEFORE_DIGITS.search(part)) and (name := as_name(m.group("name"))):
            out += ([("other", part[: m.start()])] if m.start() else []) + [("name", name)]
        else:
            out.append(("other", part))
    return out


def _sign_tokens(line: Line) -> list[tuple[str, str]]:
    """A signing line as (kind, text) tokens in order: name, date, digits (a date without its
    dots, right after a name) or other (words no name)."""
    text = mend_digits(line.text)
    out: list[tuple[str, str]] = []
    at = 0
    for m in list(SIGNED_DATE.finditer(text)) + [None]:
        for word in re.split(r"[\s，、,]+", text[at : m.start() if m else len(text)]):
            if word:
                out.extend(_sign_words(word))
        if m:
            out.append(("date", m.group(0)))
            at = m.end()
    return out


def sign_list(lines: list[Line], page: int, year: int | None, not_before: dt.date | None) -> list[CirculationEntry]:
    """The readers of a block where they sign one after another, each name followed by the date
    read or not (阅签：任娟伟 5.3 何途 黄峰飞阅), the names and dates read as lines of their own
    or together (陈琳215: digits right after a name are its date, dots lost), in reading order.  A date goes to the name right before it; a run of
    characters that is no single name is left out, not guessed."""
    entries: list[CirculationEntry] = []
    dated = True  # no name waits for its date
    for line in (l for row in rows(without_echoes(lines)) for l in row):
        for kind, tok in _sign_tokens(line):
            if kind == "name":
                entries.append(CirculationEntry(seq=len(entries) + 1, reader=name_field(tok, [line], page, "slip-signed")))
                dated = False
            elif kind in ("date", "digits") and not dated:
                date = hand_date_field(tok, year, not_before, [line], page, bare=kind == "digits")
                entries[-1] = replace(entries[-1], circulated=date)
                dated = True
            else:
                dated = True
    return entries
