"""The circulation slip (传阅单 / 文件处理笺 / 阅文单): reader rows and handwritten annotations.

The slip's ruled table comes from the page's grid (``Page.tables``); OCR lines are put into the
cell under their centre.  The header row is mapped to the contract's columns by vocabulary, in
any order and wording (传阅人/阅文人, 收回日期/退回日期 …).  Each later row with a reader is one
circulation entry.  The labelled blocks (拟办意见, 领导批示, 办理结果 …) are found wherever the
form prints their labels, each cut at the next label (``opinions``); other handwriting on the
slip page (blue ink, outside the table and not the printed 注：) is a note.  Each annotation's
last line carries its signer and date.  Dates are read as handwriting (``handdate``): OCR's
slips on digits put right, the year of the item's context (the 收文 date, else the circular's
date) for a date written without one (marked inferred), and a date far from the item's own
dates left without a value, for a reviewer.  A reader and a signer whose names differ by a
character lost or gained are one name read twice (:func:`agree_names`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from .circulation import SIGNER_NAME, STRAY_HYPHEN, as_name, circulation, name_field, sign_list, slip_table
from .dates import parse_date
from .handdate import CN_DATE_OPEN, hand_date_field, lines_field, read_hand_date
from .model import HAND_LAYERS, PRINT_LAYERS, Annotation, CirculationEntry, Field, Line, Page, PageKind
from .opinions import COLON, READERS, UNKNOWN, labelled_blocks, without_echoes
from .geometry import centre, contains, same_row, span_overlap, union
from .stamp import stamp_lines
from .rules import SENTENCE_END, SLIP_TITLE, starts_with_surname

# the slip's printed instructions (注：请速传阅…, 请妥善保管，不得横传、复印。阅后退回…室。)
PRINTED_NOTE = re.compile(r"^\s*(?:注\s*[：:]|请\s*妥\s*善\s*保\s*管|阅\s*后\s*(?:请\s*)?退\s*回|请\s*按\s*顺\s*序\s*传\s*阅|请\s*速\s*传\s*阅)")
MIN_NOTE_CHARS = 2
# on a page without ink colours, a signed remark above this line (mm from the top) is a note
MARGIN_NOTE_ZONE_MM = 33
# words a handwritten remark closes with, for telling it from the name signed right after it
REMARK_ENDINGS = ("阅示", "阅处", "阅知", "阅办", "办理", "落实", "同意", "存档", "归档", "执行", "研究", "处理", "阅")
# how far right of a handwritten remark (in line heights) its signature line may start
SIGNATURE_REACH_CHARS = 12
# digits alone, or right after a name, at the end of a remark: a date whose dots OCR lost (36)
SIGNED_DIGITS = re.compile(r"(?:^|[\u4e00-\u9fff])(?P<digits>\d{2,8})$")
# or digits and dots, one of its dots lost (黄梅03.53 for 03.5.3)
SIGNED_DOTTED = re.compile(r"(?:^|[\u4e00-\u9fff])\d[\d.．]{1,8}\d$")
# a date scrawled after a name (set apart from the remark, or alone) that OCR made no date of (8H2 for
# 8.21, 9月 for 9月10日, 2023年3): still where the signature's date stands, so the name is the
# signer; the scrawl is the date's raw text, with no value
SCRAWL = r"\d[0-9A-Za-z.．/\-<>年月日]{0,9}"
SIGNED_SCRAWL = re.compile(rf"(?<=[\u4e00-\u9fff])(?P<digits>{SCRAWL})$")  # run on after the name
SCRAWL_ALONE = re.compile(SCRAWL)  # a line of its own right of the name
# a block of nothing but these is a piece of a date read apart from it (日), no remark
DATE_LEFTOVER = "年月日号.。,，、 "
# what may follow a signature's date on its line (a 阅, a speck); a date followed by more
# writing is the remark's own (请于10月16日前反馈)
AFTER_DATE = "阅。.，,、 "
# a date where one must stand that reads as none in the item's window keeps its digits, this
# much trusted
UNREAD_DATE_CONFIDENCE = 0.5
READ_MARK = "阅"
# a signature inside a line, more writing after it: a sentence end, a name, a date
INNER_SIGNATURE = re.compile(r"(?<=[。！？；])(?P<name>[\u4e00-\u9fff]{2,3}阅?)(?P<date>[0-9ZzlIOo.．/年月日\-]{2,12}?)(?=(?![年月日])[\u4e00-\u9fff])")
# the same at a block's start, where the remark is the 阅 after the name (马宁海阅 2003.5.3)
LEADING_SIGNATURE = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,3}阅)(?P<date>[0-9ZzlIOoi.．/年月日\-]{2,12}?)(?=(?![年月日])[\u4e00-\u9fff])")
# the garbled first part of a signature's date, left before the part read as a date
DATE_SCRAWL_AHEAD = re.compile(r"(?:(?<=[\u4e00-\u9fff])|^)\d[0-9A-Za-z.．/\-]*$")
# an inner signature whose date OCR garbled still cuts the line when its name starts with a
# surname and its date has this many digits at least (金荣崇0245, 熊梅德1262)
SCRAWLED_DATE_DIGITS = 3
# a name cut from the end of a remark's last line by its length alone (no sentence end or
# closing word before it) is trusted this much less: a reviewer looks at it
GUESSED_NAME_FACTOR = 0.8
NAME_LENGTHS = (3, 2, 4)  # the lengths of Chinese names, the commonest first
# one person's name written twice on a slip (a leader reads, then signs the instruction) and read
# once with a character lost or gained (张超 | 张超刚, 丁娜 | 丁飞娜): the reading of the commoner
# length stands for both, trusted this much less where it was not read so
AGREED_NAME_FACTOR = 0.9
AGREED_NAME_METHOD = "slip-name-agreed"
# a piece of a handwritten date (5 | 20 of 5.20, 熊娜霞2011 | 29 of 熊娜霞 2011.2.9: its strokes
# split between the blue and the black layer), joined to the piece right of it when closer than
# this share of their height
DATE_PIECE = re.compile(r"[\d.．/年月日]+")
DATE_PIECE_TAIL = re.compile(r"[\d.．/年月日]+$")
DATE_PIECE_GAP = 0.8
# a name and the digits of its date, dots lost or garbled (李建雪 1188): a signature
NAME_AND_DIGITS = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,4})\d[\d.．/]{1,7}")


def _signer_in(before: str, strict: bool = False) -> tuple[str, str] | None:
    """(text, name) when ``before`` (what precedes a date on one line) ends with a name: after
    the last sentence end, or after the word a remark closes with (阅示, 办理 …) when the name
    follows it directly; else (unless ``strict``) its last 2-4 Chinese characters, starting with
    a surname where they can."""
    before = STRAY_HYPHEN.sub("", before)  # a stroke of a handwritten name read as a hyphen
    before = before.rstrip(":：,，;；")  # a speck after the name
    if before.endswith(READ_MARK) and (name := _surnamed(before[: -len(READ_MARK)])) == before[: -len(READ_MARK)]:
        return "", name  # 马宁海阅: a name and its 阅, the remark
    cut = max(before.rfind(c) for c in SENTENCE_END)
    if cut >= 0 and (name := as_name(before[cut + 1 :])):
        return before[: cut + 1], name
    for word in REMARK_ENDINGS:
        at = before.rfind(word)
        if at >= 0 and (name := as_name(before[at + len(word) :])):
            return before[: at + len(word)], name
    if strict:
        return None
    m = SIGNER_NAME.search(before)
    if not m:
        return None
    run = m.group(1)
    # a name cut by length: the run's end that starts with a surname, three characters as most
    # names have, else two, else four (欧阳 …)
    for n in NAME_LENGTHS:
        if len(run) >= n and (name := _surnamed(run[-n:])):
            return before[: len(before) - n], name
    return (before[: m.start()], name) if (name := as_name(run)) else None


def _signer_field(name: str, lines: list[Line], page: int, factor: float = 1.0) -> Field:
    return name_field(name, lines, page, "annotation-signer", factor)


def _surnamed(text: str) -> str | None:
    """``text`` as a name (:func:`as_name`) that starts with a surname, or None."""
    name = as_name(text)
    return name if name is not None and starts_with_surname(name) else None


def _set_apart(before: str) -> bool:
    """Is the name at the end of ``before`` set apart from the remark (by its last sentence
    end, or right after the word a remark closes with)?  Else it was cut from a run of
    characters by length alone, and its first character may belong to the remark."""
    return _signer_in(before, strict=True) is not None


def _date_stands(t: str) -> bool:
    """Does ``t`` end where a signature's date stands: digits, with or without dots, alone or
    right after a name (there a date must stand, and digits that lost their dots are read), or a
    month and day in Chinese numerals whose 日 was not read (崔平二〇〇一年十月二十五)?"""
    return any(p.search(t) is not None for p in (SIGNED_DIGITS, SIGNED_DOTTED, CN_DATE_OPEN))


def _dated_line(row: list[Line], year: int | None, not_before: dt.date | None):
    """(index, text, span of the date) of the rightmost line of a row that holds a date — or
    digits where a signature's date stands (杜志红200464) even when they read as no date in the
    item's window, or a scrawl of digits after a name set apart or alone (…阅。姜磊宏8H2) — or None."""
    for i in range(len(row) - 1, -1, -1):
        t = "".join(row[i].text.split())
        digits = SIGNED_DIGITS.search(t)
        h = read_hand_date(t, year, not_before, bare=_date_stands(t))
        if h is not None and not t[h.date.span[1]:].strip(AFTER_DATE):  # 请于10月16日前反馈: the remark's own
            return i, t, h.date.span
        scrawl = SIGNED_SCRAWL.search(t)  # before bare digits: 范桂松9月10, not 10
        if scrawl is not None and (_set_apart(ahead := t[: scrawl.start("digits")]) or _surnamed(ahead)):
            return i, t, scrawl.span("digits")
        if i and SCRAWL_ALONE.fullmatch(t) and _surnamed("".join(row[i - 1].text.split())):  # 姜磊宏 | 8H2
            return i, t, (0, len(t))
        if digits is not None:
            return i, t, (digits.end() - len(digits.group("digits")), digits.end())
    return None


def _date_pieces_joined(row: list[Line], year: int | None, not_before: dt.date | None) -> list[Line]:
    """``row`` (left to right) with pieces of one date read apart made one line: side by side,
    the left one no date as written, together a date in the item's window (5 | 20: 5.20;
    熊娜霞2011 | 29: 熊娜霞 2011.2.9)."""
    out: list[Line] = []
    for line in row:
        prev = out[-1] if out else None
        if prev is not None and (inserted := _piece_inserted(prev, line, year, not_before)) is not None:
            out[-1] = inserted
        elif prev is not None and (tail := DATE_PIECE_TAIL.search(a := "".join(prev.text.split()))) \
                and DATE_PIECE.fullmatch(b := "".join(line.text.split())) \
                and line.bbox[0] - prev.bbox[2] < DATE_PIECE_GAP * min(prev.bbox[3] - prev.bbox[1], line.bbox[3] - line.bbox[1]) \
                and read_hand_date(tail.group(0), year, not_before) is None and _hand_date(tail.group(0) + b, year, not_before):
            out[-1] = Line(a + b, union([prev.bbox, line.bbox]), min(prev.confidence, line.confidence), prev.layer)
        else:
            out.append(line)
    return out


def _piece_inserted(outer: Line, piece: Line, year: int | None, not_before: dt.date | None) -> Line | None:
    """``outer``, a date read without one of its parts (2014年17日), with ``piece``, read inside
    its box (1月), put where it makes the one date in the item's window (2014年1月17日)."""
    a, b = "".join(outer.text.split()), "".join(piece.text.split())
    if not (DATE_PIECE.fullmatch(a) and DATE_PIECE.fullmatch(b) and outer.bbox[0] <= piece.bbox[0] and piece.bbox[2] <= outer.bbox[2]) \
            or read_hand_date(a, year, not_before) is not None:
        return None
    made = {t for i in range(1, len(a)) if a[i - 1] in "年月" and _hand_date(t := a[:i] + b + a[i:], year, not_before)}
    return Line(made.pop(), outer.bbox, min(outer.confidence, piece.confidence), outer.layer) if len(made) == 1 else None


def _hand_date(text: str, year: int | None, not_before: dt.date | None) -> bool:
    """Does ``text``, standing where a date must, read as a date in the item's window?"""
    h = read_hand_date(text, year, not_before, bare=True)
    return h is not None and h.date.value is not None


def split_annotation(lines: list[Line], kind: str, page: int, year: int | None, not_before: dt.date | None) -> Annotation | None:
    """Text, signer and date of a handwritten block; the signer and date close it.

    The date is the rightmost date on the block's last row; the name is written before it on
    the same line, or is a line of its own just left of it, or stands on the row above (alone,
    or after the remark's last sentence).  A date-like string is never a name.
    """
    lines = without_echoes(lines)
    if not lines:
        return None
    groups = [sorted(r, key=lambda l: l.bbox[0]) for r in _group_rows(lines)]
    signer = date = None
    text_lines = [l for g in groups[:-1] for l in g]
    last = _date_pieces_joined(groups[-1], year, not_before)
    found = _dated_line(last, year, not_before)
    if found is not None:
        i, t, (a, b) = found
        line = last[i]
        before = t[:a]
        date = hand_date_field(t[a:b], year, not_before, [line], page, bare=_date_stands(t)) \
            or lines_field(None, [line], page, "slip-date", raw=t[a:b], factor=UNREAD_DATE_CONFIDENCE)
        rest_lines = last[:i]
        while rest_lines and "".join(rest_lines[-1].text.split()) in t[a:b]:  # a piece of the date read twice
            rest_lines.pop()
        before = DATE_SCRAWL_AHEAD.sub("", before)  # the date's first part, garbled (马宁海阅200i | 5.3)
        split = _signer_in(before) if before else None
        if split is not None:
            rest, name = split
            sure = not rest or _set_apart(before)
            signer = _signer_field(name, [line], page, factor=1.0 if sure else GUESSED_NAME_FACTOR)
            if rest:
                rest_lines = rest_lines + [Line(rest, line.bbox, line.confidence, line.layer)]
        elif before:
            rest_lines = rest_lines + [Line(before, line.bbox, line.confidence, line.layer)]
        elif rest_lines and as_name(rest_lines[-1].text):
            name_line = rest_lines.pop()
            signer = _signer_field(as_name(name_line.text), [name_line], page)
        elif rest_lines and (split := _signer_in("".join(rest_lines[-1].text.split()), strict=True)) is not None:
            name_line = rest_lines.pop()  # 同意。石昕磊 | 2014.1.18: the name closes the line left of the date
            rest, name = split
            signer = _signer_field(name, [name_line], page)
            rest_lines.append(Line(rest, name_line.bbox, name_line.confidence, name_line.layer))
        elif not rest_lines and len(groups) > 1:
            signer, text_lines = _name_above(groups, page)
        text_lines += rest_lines
    elif len(groups) > 1 and as_name("".join(l.text for l in last)):
        signer = _signer_field(as_name("".join(l.text for l in last)), last, page)
    else:
        text_lines += last
    text = "".join("".join(l.text.split()) for l in text_lines)
    if not text and signer is not None and signer.value and signer.value + READ_MARK in "".join(signer.raw.split()):
        text, text_lines = READ_MARK, [l for l in lines if signer.raw in l.text]  # 杨鑫阅 6.2: the remark is 阅
    if not text.strip(DATE_LEFTOVER):
        if signer is None or date is None or date.value is None:
            return None  # nothing but a piece of the date above (its 日 read apart)
        text, text_lines = "", []  # a signature alone signs: the remark unread
    return Annotation(kind=kind, text=lines_field(text, text_lines, page, "handwriting"), signer=signer, date=date)


def block_annotations(lines: list[Line], kind: str, page: int, year: int | None, not_before: dt.date | None) -> list[Annotation]:
    """The annotations of one labelled block: usually one, but a box where a second person
    wrote under the first one's signature holds two (请潘霞同志阅处。范洋鹏 4.24 / 同意，请抓落实。
    高兰东 4.25).  The block is cut after each line that closes with a name set apart from the
    remark and a date (or a date under a name alone on its row) — a line OCR ran on past such a
    signature into the next remark first cut there (…阅示。罗梅建2004.6.14同意罗区长意见。)."""
    # a date's pieces read apart are joined before a piece inside another is taken for its echo
    lines = [l for row in _group_rows(lines) for l in _date_pieces_joined(sorted(row, key=lambda l: l.bbox[0]), year, not_before)]
    pieces = [_cut_after_signatures(l, year, not_before) for l in without_echoes(lines)]
    lines = [p for ps in pieces for p in ps]
    signed = {id(p) for ps in pieces for p in ps[:-1]}  # each cut closes with a signature
    rows = [sorted(row, key=lambda l: l.bbox[0]) for row in _group_rows(lines)]
    # before a line: the line left of it on its row; before a row's first line, a name alone
    # on the row above (范洋鹏 / 4.24: the date written under the name)
    order = [(l, row[j - 1] if j else _name_row(rows[i - 1] if i else None))
             for i, row in enumerate(rows) for j, l in enumerate(row)]
    parts: list[list[Line]] = [[]]
    for k, (line, before) in enumerate(order):
        parts[-1].append(line)
        if k < len(order) - 1 and (id(line) in signed or _closes_with_signature(line, before, year, not_before)):
            parts.append([])
    return [a for part in parts if (a := split_annotation(part, kind, page, year, not_before))]


def _name_row(row: list[Line] | None) -> Line | None:
    """The row's last line when it is a name alone (its first character a surname): the row's
    one line, or one set apart at its end after the remark's last sentence (同意。 | 李秀)."""
    if not row or (len(row) > 1 and not "".join(row[-2].text.split()).endswith(tuple(SENTENCE_END))):
        return None
    return row[-1] if _surnamed(row[-1].text) else None


def _cut_after_signatures(line: Line, year: int | None, not_before: dt.date | None) -> list[Line]:
    """A line cut after each signature inside it (a name after a sentence end, or a name and
    阅 opening the line; a date, then more writing).  The date is one read in the item's
    window, or a scrawl of digits after a name that starts with a surname."""
    for m in [*LEADING_SIGNATURE.finditer(line.text), *INNER_SIGNATURE.finditer(line.text)]:
        name, date = as_name(m.group("name").removesuffix(READ_MARK)), m.group("date")
        h = read_hand_date(date, year, not_before, bare=True)
        dated = h is not None and h.date.value is not None and h.date.span[1] == len(date)
        scrawled = sum(c.isdigit() for c in date) >= SCRAWLED_DATE_DIGITS and name is not None and starts_with_surname(name)
        if name and (dated or scrawled):
            head, rest = line.part(0, m.end()), line.part(m.end(), len(line.text))
            return [head] + (_cut_after_signatures(rest, year, not_before) if rest is not None else [])
    return [line]


def _closes_with_signature(line: Line, before: Line | None, year: int | None, not_before: dt.date | None) -> bool:
    """Does the line end with a date, after a name set apart from the remark (on the line, or
    the line before it on its row), or after a name alone (a signature on a line of its own,
    its first character a surname)?"""
    t = "".join(line.text.split())
    h = read_hand_date(t, year, not_before, bare=_date_stands(t))
    if h is None or h.date.span[1] != len(t):
        return False
    ahead = DATE_SCRAWL_AHEAD.sub("", t[: h.date.span[0]])  # the date's garbled first part (200i | 5.3)
    alone = _surnamed(ahead) is not None
    return (_signer_in(ahead, strict=True) is not None or alone
            or (not ahead and before is not None and as_name(before.text) is not None))


def _name_above(groups: list[list[Line]], page: int) -> tuple[Field | None, list[Line]]:
    """(signer, text lines) when the date stands alone on the last row: the name is the row
    above it, or closes that row's last line after the remark's last sentence."""
    name_row = groups[-2]
    text_lines = [l for g in groups[:-2] for l in g]
    end = name_row[-1]
    # the whole row, or a name set apart at its end (务 | 林荣平); one starting with a surname first
    readings = [(as_name("".join(l.text for l in name_row)), name_row, []),
                (as_name(end.text) if len(name_row) > 1 else None, [end], name_row[:-1])]
    if read := [r for r in readings if r[0]]:
        name, lines, kept = max(read, key=lambda r: starts_with_surname(r[0]))
        return _signer_field(name, lines, page), text_lines + kept
    split = _signer_in("".join(end.text.split()), strict=True)
    if split is None:
        return None, text_lines + name_row
    rest, name = split
    kept = name_row[:-1] + ([Line(rest, end.bbox, end.confidence, end.layer)] if rest else [])
    return _signer_field(name, [end], page), text_lines + kept


def _group_rows(lines: list[Line]) -> list[list[Line]]:
    from .layout import rows

    return rows(lines)


def annotations(page: Page, year: int | None, not_before: dt.date | None) -> tuple[list[Annotation], list[list[Line]]]:
    """The labelled blocks of the slip page (``opinions.labelled_blocks``: 拟办意见, 领导批示 …
    wherever the form prints them), and loose handwriting (notes); and apart, the blocks where
    readers sign (阅签, 送阅: ``circulation.sign_list``)."""
    cells = [c for t in page.tables for c in t.cells]
    blocks, rest = labelled_blocks(list(page.lines), cells, page.width)
    blocks, rest = _ended_at_printed_notes(blocks, rest)
    signed = [block for label, block in blocks if label.kind == READERS]
    out = [a for label, block in blocks if label.kind not in (READERS, UNKNOWN)
           for a in block_annotations(block, label.kind, page.number, year, not_before)]
    # other handwriting on the slip: blue lines outside the tables, not the printed note.  On a
    # gray or bilevel scan ink has no colour: a block of lines there counts when it is signed
    # (ends with a name and date), as a remark is and printed text is not; so does a block
    # written in black on a colour page (a black pen's remark in the margin).
    gray = not any(l.layer in ("red", "blue") for l in page.lines)
    stamp = {id(l) for l in stamp_lines(page.lines, page)}  # a 收文 stamp set on the slip: its entries
    loose = [
        l for l in rest
        if id(l) not in stamp
        and not any(contains(c.bbox, centre(l.bbox)) for c in cells)
        and not PRINTED_NOTE.match(l.text)
        and not SLIP_TITLE.search(l.text)
        and not _fills_in(l, rest)
    ]
    hand = [l for l in loose if l.layer in HAND_LAYERS or gray]
    black = [] if gray else [l for l in loose if l.layer in PRINT_LAYERS]
    return (out + loose_notes(hand, page.number, year, not_before, signed_only=gray)
            + loose_notes(black, page.number, year, not_before, signed_only=True)), signed


def _ended_at_printed_notes(blocks, rest: list[Line]):
    """(blocks, rest) with each block ended at a printed note in it (注：请按顺序传阅…): what
    stands below the note is no part of the block (a remark written under the form)."""
    out = []
    for label, block in blocks:
        notes = [l for l in block if PRINTED_NOTE.match(l.text)]
        if notes:
            end = min(l.bbox[1] for l in notes)
            rest = rest + [l for l in block if l.bbox[1] >= end]
            block = [l for l in block if l.bbox[1] < end]
        out.append((label, block))
    return out, rest


def _fills_in(line: Line, lines: list[Line]) -> bool:
    """Is ``line`` the value written after a printed field label on its row (来文单位：福建省人民政府,
    收文编号：第110号), no remark?"""
    return any(
        l.layer not in HAND_LAYERS and "".join(l.text.split())[-1:] in COLON and l.bbox[2] <= line.bbox[0] + (l.bbox[3] - l.bbox[1])
        and same_row(l.bbox, line.bbox)
        for l in lines if l is not line
    )


def margin_notes(pages, kinds: list[PageKind], year: int | None, not_before: dt.date | None) -> list[Annotation]:
    """Handwriting (blue ink) in the margins of the other pages, the 收文 stamp's entries aside."""
    out = []
    for page, kind in zip(pages, kinds):
        if kind == PageKind.SLIP or page.error is not None:
            continue
        stamp = {id(l) for l in stamp_lines(page.lines, page)}  # its entries are handwritten too
        gray = not any(l.layer in ("red", "blue") for l in page.lines)
        if gray:
            # no ink colours to tell handwriting by: signed blocks in the top margin, above
            # where GB/T 9704 starts the print (37 mm)
            margin = MARGIN_NOTE_ZONE_MM / 25.4 * (page.dpi or 300)
            hand = [l for l in page.lines if l.bbox[3] <= margin and id(l) not in stamp]
        else:
            hand = [l for l in page.lines if l.layer in HAND_LAYERS and id(l) not in stamp]
        out.extend(loose_notes(hand, page.number, year, not_before, signed_only=gray))
    return out


def loose_notes(
    lines: list[Line], page: int, year: int | None, not_before: dt.date | None, signed_only: bool
) -> list[Annotation]:
    """Notes from handwriting outside any labelled block, one per block of lines; with
    ``signed_only`` (no ink colour to tell handwriting from print) only signed blocks count."""
    out = []
    for block in _signatures_joined(_blocks(lines)):
        a = split_annotation(block, "note", page, year, not_before)
        if a is None or len(a.text.value) < MIN_NOTE_CHARS:
            continue
        if signed_only and (a.signer is None or a.date is None):
            continue
        out.append(a)
    return out


def _signatures_joined(blocks: list[list[Line]]) -> list[list[Line]]:
    """A block that is a signature alone (a name over a date, no remark) signs the one remark
    it stands level with, however far to its left (a remark in the top margin signed at the
    sheet's right edge)."""
    def text(block):
        return " ".join(l.text for l in sorted(block, key=lambda l: (l.bbox[1], l.bbox[0])))

    out = [list(b) for b in blocks]
    for sig in [b for b in out if is_signature(text(b))]:
        s = union(l.bbox for l in sig)
        left = [b for b in out if b is not sig and not is_signature(text(b))
                and (bb := union(l.bbox for l in b))[2] <= s[0] and span_overlap((bb[1], bb[3]), (s[1], s[3])) > 0]
        if len(left) == 1:
            left[0].extend(sig)
            out = [b for b in out if b is not sig]
    return out


def is_signature(text: str) -> bool:
    """A line that holds only a date, or a name and a date (林世南 2.17), or a name and the
    digits of one (李建雪 1188)."""
    t = "".join(text.split())
    if (m := NAME_AND_DIGITS.fullmatch(t)) and as_name(m.group("name")):
        return True
    d = parse_date(t, 2000)
    if d is None or d.raw.replace(" ", "") not in t:
        return False
    before = t[: t.find(d.raw.replace(" ", ""))]
    return not before or bool(SIGNER_NAME.fullmatch(before))


def _phrases(lines: list[Line]) -> list[list[Line]]:
    """Lines side by side on one row with a gap of less than a character and a half (a name and
    its date read as two lines) are one phrase."""
    phrases: list[list[Line]] = []
    for l in sorted(lines, key=lambda l: (l.bbox[0], l.bbox[1])):
        h = l.bbox[3] - l.bbox[1]
        for p in phrases:
            last = p[-1]
            if same_row(l.bbox, last.bbox) and 0 <= l.bbox[0] - last.bbox[2] < 1.5 * h:
                p.append(l)
                break
        else:
            phrases.append([l])
    return _stacked_signatures(phrases)


def _stacked_signatures(phrases: list[list[Line]]) -> list[list[Line]]:
    """A name alone with a date written right under it (刘英 / 二〇一七年十月二十九日) is one
    phrase, a signature."""
    out = [list(p) for p in phrases]
    for name in [p for p in out if as_name("".join(l.text for l in p))]:
        n = union(l.bbox for l in name)
        h = n[3] - n[1]
        under = [p for p in out if p is not name and is_signature(" ".join(l.text for l in p))
                 and 0 <= (b := union(l.bbox for l in p))[1] - n[3] + 0.5 * h < 1.5 * h and span_overlap((b[0], b[2]), (n[0], n[2])) > 0]
        if len(under) == 1:
            name.extend(under[0])
            out = [p for p in out if p is not under[0]]
    return out


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Lines close together (less than two line heights apart) form one handwritten block; a
    signature (a name and date, even read as two lines) closes its block: what is written
    below it is another remark."""
    blocks: list[list[Line]] = []
    closed_at: list[float | None] = []  # bottom of the block's signature
    units = [(p, union(l.bbox for l in p)) for p in _phrases(lines)]
    for phrase, box in sorted(units, key=lambda u: (u[1][1], u[1][0])):
        h = box[3] - box[1]
        signature = is_signature(" ".join(l.text for l in phrase))
        # a signature is often written well to the right, under the remark's end
        reach = SIGNATURE_REACH_CHARS if signature else 3
        for k, b in enumerate(blocks):
            bb = union(x.bbox for x in b)
            if closed_at[k] is not None and box[1] >= closed_at[k] - 0.5 * h:
                continue
            if box[1] - bb[3] < 2 * h and box[0] < bb[2] + reach * h and box[2] > bb[0] - 3 * h:
                b.extend(phrase)
                if signature:
                    closed_at[k] = box[3]
                break
        else:
            blocks.append(list(phrase))
            closed_at.append(box[3] if signature else None)
    return blocks


def receiving_office(page: Page) -> Field | None:
    for l in sorted(page.lines, key=lambda l: l.bbox[1])[:6]:
        text = "".join(l.text.split())
        if SLIP_TITLE.search(text):
            return lines_field(text, [l], page.number, "slip-title")
    return None


def _one_more(short: str, long: str) -> bool:
    """Is ``long`` ``short`` with one character more after the surname (张超 | 张超刚)?"""
    return (len(long) == len(short) + 1 and short[:1] == long[:1]
            and any(long[:i] + long[i + 1 :] == short for i in range(1, len(long))))


def _agreed(value: str, names: set[str]) -> str | None:
    """The one name among ``names`` that is ``value`` read with a character lost or gained and
    is of a commoner length (:data:`NAME_LENGTHS`); None when there is none, or more than one."""
    rank = {n: i for i, n in enumerate(NAME_LENGTHS)}
    found = {n for n in names if n != value and (_one_more(value, n) or _one_more(n, value))
             and rank.get(len(n), len(NAME_LENGTHS)) < rank.get(len(value), len(NAME_LENGTHS))}
    return found.pop() if len(found) == 1 else None


def agree_names(entries: list[CirculationEntry], notes: list[Annotation]
                ) -> tuple[list[CirculationEntry], list[Annotation]]:
    """A reader and a signer whose names are one name read twice, once with a character lost or
    gained, given the reading of the commoner length (see :data:`AGREED_NAME_FACTOR`); the raw
    text stays as read.  Names of another surname, or of the same length, are left alone (余平
    and 贺平, 陈琳 and 陈林 may be two people), and so are two readers, or two signers: the rows
    of a slip are different people (田健 and 田君健)."""
    def names(fields) -> set[str]:
        return {f.value for f in fields if f is not None and isinstance(f.value, str)}

    readers, signers = names(e.reader for e in entries), names(n.signer for n in notes)

    def mend(f: Field | None, others: set[str]) -> Field | None:
        if f is None or not isinstance(f.value, str) or (other := _agreed(f.value, others)) is None:
            return f
        return replace(f, value=other, confidence=round(f.confidence * AGREED_NAME_FACTOR, 4),
                       method=AGREED_NAME_METHOD, inferred=True)

    return ([replace(e, reader=mend(e.reader, signers)) for e in entries],
            [replace(n, signer=mend(n.signer, readers)) for n in notes])


def extract_slip(
    pages, kinds: list[PageKind], year: int | None, not_before: dt.date | None
) -> tuple[tuple[CirculationEntry, ...], tuple[Annotation, ...], Field | None]:
    entries: list[CirculationEntry] = []
    notes: list[Annotation] = []
    office = None
    for page, kind in zip(pages, kinds):
        if kind != PageKind.SLIP or page.error is not None:
            continue
        table = slip_table(page)
        found = circulation(page, table, year, not_before) if table is not None else []
        page_notes, signed = annotations(page, year, not_before)
        if not found:  # no reader table: the readers sign in a block of their own
            found = [e for block in signed for e in sign_list(block, page.number, year, not_before)]
        entries.extend(found)
        notes.extend(page_notes)
        office = office or receiving_office(page)
    notes.extend(margin_notes(pages, kinds, year, not_before))
    entries, notes = agree_names(entries, notes)
    for i, e in enumerate(entries, start=1):
        if e.seq != i:
            entries[i - 1] = CirculationEntry(i, e.reader, e.circulated, e.delivered, e.returned)
    return tuple(entries), tuple(notes), office
