"""The labelled blocks of a slip (拟办意见, 领导批示, 办理结果 …), wherever the form prints them.

A label is printed on the form.  OCR gives it as a line of its own (拟办意见：, 拟 办 意 见), at
the start of a line with the writing after it (领导批示：已阅), run onto the end of the block
above it (…请朱副区长阅示。彭宏磊10.25领导批示：已阅), or — printed vertically in a narrow cell —
one character a line.  Every line is first cut at the labels inside it, so that no block runs on
through the next label.

Each label then takes its block:
- on a ruled form, the cell it stands in when it shares that cell with writing (a label at the
  top left of its box), else the cell right of it or below it (a label in a cell of its own, at
  the left of its box or heading it), whichever is no other label's;
- on a form without a grid found, the lines right of it on its rows and below it, up to the
  next label below it or right of it, and no further than a gap of a few lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import parse_date
from .geometry import centre, contains, overlap_ratio, span_overlap, union
from .model import HAND_LAYERS, Cell, Line

# printed label words → annotation kind (the contract: proposal 拟办意见, instruction 领导批示,
# note any other handwritten remark); a longer word before a shorter one it contains
LABEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("proposal", ("拟办意见", "办公室意见", "处理意见", "承办意见", "拟办")),
    ("instruction", ("领导批示", "批示意见", "领导意见", "领导阅示", "批示")),
    ("note", ("阅办意见", "办理结果", "办理情况", "处理结果", "落实情况", "备注")),
    # not an annotation: the block where readers sign with the date they read (阅签：王林 1.26)
    ("readers", ("领导阅签", "阅文签名", "阅签", "送阅", "传阅", "圈阅")),
)
READERS = "readers"
UNKNOWN = "unknown"  # a label read in part, of a kind it does not tell
_SPACED = r"\s*"


def _label_pattern(word: str) -> str:
    return _SPACED.join(re.escape(c) for c in word)


LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(_label_pattern(w) + r"\s*[：:]?")) for kind, words in LABEL_WORDS for w in words
)
COLON = "：:"
# a label standing alone: the label and at most a colon
LONE_LABEL = re.compile("|".join(f"(?:{_label_pattern(w)})" for _, ws in LABEL_WORDS for w in ws))
# a printed label read without its end (处理意 for 处理意见) is one from this many characters
SHORT_LABEL_CHARS = 3
# the characters a vertical label may be read in, one or two at a time
VERTICAL_PIECE_CHARS = 2
# how far apart (in character heights) the characters of a vertical label may stand
VERTICAL_GAP = 3.0
# how far (in page pixels, at least) a neighbouring cell's edge may stand from a cell's own
CELL_EDGE_TOLERANCE = 10
# what a line cut at cells is cut into: a date, a run of digits, or one character
CELL_UNIT = re.compile(r"(?:\d{2,4}[.．/])?\d{1,2}[.．/月]\d{1,2}日?|\d+|.", re.S)
# a line lying this much inside another one's box is the same writing read twice
ECHO_OVERLAP = 0.6
# a block without a frame ends at a gap of this many line heights
OPEN_BLOCK_GAP = 2.5


@dataclass(frozen=True)
class Label:
    kind: str
    text: str
    bbox: tuple[float, float, float, float]


def clip_line(line: Line, box) -> Line | None:
    """The part of a line inside a box (a cell): the line when it lies within the box's columns,
    else its characters whose share of the line's box has its centre inside (OCR often reads a
    row of cells as one line: 传阅日期送达日期收回日期), a date or a number going whole to the cell
    its middle is in; None when its middle is above or below."""
    cy = (line.bbox[1] + line.bbox[3]) / 2
    if not box[1] <= cy <= box[3]:
        return None
    x0, x1 = line.bbox[0], line.bbox[2]
    if x0 >= box[0] - 2 and x1 <= box[2] + 2:
        return line
    n = len(line.text)
    if not n:
        return None
    step = (x1 - x0) / n
    # whole units go to one cell: a date (9/22, 11月2日) or a run of digits is never cut
    keep = [m.span() for m in CELL_UNIT.finditer(line.text) if box[0] <= x0 + (m.start() + m.end()) / 2 * step <= box[2]]
    return line.part(keep[0][0], keep[-1][1]) if keep else None


def cut_at_cells(lines: list[Line], cells: list[Cell]) -> list[Line]:
    """The lines, each one that runs across several cells of a row cut into its part in each."""
    out: list[Line] = []
    for line in lines:
        cy = (line.bbox[1] + line.bbox[3]) / 2
        row = sorted((c for c in cells if c.bbox is not None and c.bbox[1] <= cy <= c.bbox[3]
                      and span_overlap((c.bbox[0], c.bbox[2]), (line.bbox[0], line.bbox[2])) > 0),
                     key=lambda c: c.bbox[0])
        cols = {(c.bbox[0], c.bbox[2]) for c in row}
        if len(cols) < 2:
            out.append(line)
            continue
        parts = [clip_line(line, c.bbox) for c in row]
        kept = [p for p in parts if p is not None]
        out += kept or [line]
    return out


def label_at(text: str, start: int = 0) -> tuple[str, re.Match] | None:
    """(kind, match) when a label word starts at ``start`` of ``text``."""
    for kind, pattern in LABELS:
        m = pattern.match(text, start)
        if m:
            return kind, m
    return None


def _may_cut_at(text: str, start: int, kind: str, m: re.Match, hand: bool = False) -> bool:
    """A label word inside a line is the next block's label, not words of the writing
    (同意拟办意见，请…), when a colon follows it or it ends the line, or a date (the signature
    of the block above) stands right before it.  A readers' label (传阅, 送阅), being words of
    headings and printed notes too (传阅人, 请按顺序传阅), is one only with a colon or alone; so
    is a label word in handwriting (落实情况及时报办公室汇总: a remark's words)."""
    after = text[m.end() :].strip()
    colon = m.group(0).rstrip()[-1:] in COLON
    if kind == READERS or hand:
        return colon or not after
    if start == 0 or colon or not after:
        return True
    d = parse_date(text[max(0, start - 12) : start], 2000)
    return d is not None and text[max(0, start - 12) : start].rstrip().endswith(d.raw.rstrip())


def cut_at_labels(line: Line) -> tuple[list[Label], list[Line]]:
    """The labels printed in a line and the rest of it, cut into pieces at them."""
    text = line.text
    labels: list[Label] = []
    pieces: list[Line] = []
    at = 0
    i = 0
    while i < len(text):
        found = label_at(text, i)
        if found is None or not _may_cut_at(text, i, *found, hand=line.layer in HAND_LAYERS):
            i += 1
            continue
        kind, m = found
        if (p := line.part(at, i)) is not None:
            pieces.append(p)
        lab = line.part(i, m.end())
        labels.append(Label(kind, "".join(m.group(0).split()), lab.bbox))
        at = i = m.end()
    if not labels:
        return [], [line]
    if (p := line.part(at, len(text))) is not None:
        pieces.append(p)
    return labels, pieces


def _cut_short_label(line: Line) -> str | None:
    """The kind of a printed line that is the start of a label word alone, its end faded or cut
    off (处理意 for 处理意见：): of three characters or more and the start of one kind's words
    only; UNKNOWN when it is the start of several kinds' (领导: 领导批示 or 领导阅签), a label that
    ends the block above it but whose own block is read as nothing."""
    t = "".join(line.text.split()).rstrip(COLON)
    if line.layer in HAND_LAYERS or len(t) < 2:
        return None
    kinds = {kind for kind, words in LABEL_WORDS for w in words if w.startswith(t) and w != t}
    if len(kinds) == 1:
        return kinds.pop() if len(t) >= SHORT_LABEL_CHARS else None  # 阅文 of a title's 阅文单: no label
    return UNKNOWN if kinds else None


def _is_label_start(text: str) -> bool:
    return any(w.startswith(text) for _, words in LABEL_WORDS for w in words)


def vertical_labels(lines: list[Line]) -> tuple[list[Label], list[Line]]:
    """Labels printed one character a line down a narrow cell (拟/办/意/见), and the lines left.
    A stack grows downwards in one column while it spells the start of a label word."""
    short = sorted((l for l in lines if 0 < len("".join(l.text.split())) <= VERTICAL_PIECE_CHARS),
                   key=lambda l: (l.bbox[1], l.bbox[0]))
    used: set[int] = set()
    labels: list[Label] = []
    for first in short:
        text = "".join(first.text.split()).rstrip(COLON)
        if id(first) in used or not _is_label_start(text):
            continue
        stack = [first]
        for nxt in short:
            last = stack[-1]
            if id(nxt) in used or nxt.bbox[1] <= last.bbox[1]:
                continue
            h = last.bbox[3] - last.bbox[1]
            same_column = abs(centre(nxt.bbox)[0] - centre(last.bbox)[0]) < 0.6 * h
            grown = text + "".join(nxt.text.split()).rstrip(COLON)
            if same_column and nxt.bbox[1] - last.bbox[3] < VERTICAL_GAP * h and _is_label_start(grown):
                stack.append(nxt)
                text = grown
        if len(stack) < 2 or not LONE_LABEL.fullmatch(text):
            continue
        labels.append(Label(label_at(text)[0], text, union(l.bbox for l in stack)))
        used.update(id(l) for l in stack)
    return labels, [l for l in lines if id(l) not in used]


def find_labels(lines: list[Line]) -> tuple[list[Label], list[Line]]:
    """Every label of the page, and its lines cut at the labels with the labels taken out."""
    labels: list[Label] = []
    rest: list[Line] = []
    for line in lines:
        found, pieces = cut_at_labels(line)
        labels += found
        rest += pieces
    upright, rest = vertical_labels(rest)
    short = [(l, kind) for l in rest if (kind := _cut_short_label(l)) is not None]
    cut = [Label(kind, "".join(l.text.split()).rstrip(COLON), l.bbox) for l, kind in short]
    rest = [l for l in rest if not any(l is s for s, _ in short)]
    return labels + upright + cut, rest


def _cell_of(box, cells: list[Cell]) -> Cell | None:
    c = centre(box)
    inside = [cell for cell in cells if cell.bbox is not None and contains(cell.bbox, c)]
    return min(inside, key=lambda cell: (cell.bbox[2] - cell.bbox[0]) * (cell.bbox[3] - cell.bbox[1]), default=None)


def _next_cells(cell: Cell, cells: list[Cell]) -> list[Cell]:
    """The cells a label cell may head: the one right of it on the same rows, then the one
    below it."""
    x0, top, x1, bottom = cell.bbox
    others = [c for c in cells if c is not cell and c.bbox is not None]
    tol = max(CELL_EDGE_TOLERANCE, 0.3 * (x1 - x0))
    right = [c for c in others if abs(c.bbox[0] - x1) <= tol and span_overlap((c.bbox[1], c.bbox[3]), (top, bottom)) > 0.5 * (bottom - top)]
    tol = max(CELL_EDGE_TOLERANCE, 0.3 * (bottom - top))
    below = [c for c in others if abs(c.bbox[1] - bottom) <= tol and span_overlap((c.bbox[0], c.bbox[2]), (x0, x1)) > 0.5 * (x1 - x0)]
    return sorted(right, key=lambda c: c.bbox[0])[:1] + sorted(below, key=lambda c: c.bbox[1])[:1]


def _framed(label: Label, labels: list[Label], lines: list[Line], cells: list[Cell]):
    """The box of a label's block on a ruled form, or None when no cell holds the label."""
    own = _cell_of(label.bbox, cells)
    if own is None:
        return None
    others = [l for l in lines if contains(own.bbox, centre(l.bbox))]
    if others:
        return own.bbox
    for target in _next_cells(own, cells):  # the first that is no other label's cell
        if not any(contains(target.bbox, centre(o.bbox)) for o in labels if o is not label):
            return target.bbox
    return ()  # the label's cell is empty and the cells beside it are other labels': no block


def _open(label: Label, labels: list[Label], lines: list[Line], page_width: float) -> list[Line]:
    """A label's block where no frame holds it (see the module's docstring)."""
    x0, top, x1, bottom = label.bbox
    h = max(bottom - top, 1.0)
    right_end = min((o.bbox[0] for o in labels if o is not label and o.bbox[0] > x1
                     and span_overlap((o.bbox[1], o.bbox[3]), (top, bottom)) > 0), default=page_width)
    below_end = min((o.bbox[1] for o in labels if o is not label and o.bbox[1] > bottom - 0.5 * h
                     and o.bbox[0] < right_end and o.bbox[2] > x0 - 2 * h), default=float("inf"))
    cands = sorted((l for l in lines if centre(l.bbox)[1] >= top - 0.5 * h and centre(l.bbox)[1] < below_end
                    and centre(l.bbox)[0] < right_end and l.bbox[2] > x0 - h),
                   key=lambda l: l.bbox[1])
    block: list[Line] = []
    reach = bottom
    for l in cands:
        if l.bbox[1] - reach > OPEN_BLOCK_GAP * max(l.bbox[3] - l.bbox[1], h):
            break
        block.append(l)
        reach = max(reach, l.bbox[3])
    return block


def labelled_blocks(lines: list[Line], cells: list[Cell], page_width: float) -> tuple[list[tuple[Label, list[Line]]], list[Line]]:
    """(label, its block's lines in reading order) for every label on a slip page, and the lines
    in no block.  A line belongs to one block at most: the first label (top to bottom, left to
    right) whose block holds it."""
    labels, rest = find_labels(cut_at_cells(lines, cells))
    labels.sort(key=lambda lb: (lb.bbox[1], lb.bbox[0]))
    taken: set[int] = set()
    out: list[tuple[Label, list[Line]]] = []
    for label in labels:
        free = [l for l in rest if id(l) not in taken]
        frame = _framed(label, labels, free, cells) if cells else None
        if frame is None:
            block = _open(label, labels, free, page_width)
        else:
            block = [l for l in free if frame and contains(frame, centre(l.bbox))]
        taken.update(id(l) for l in block)
        out.append((label, sorted(block, key=lambda l: (l.bbox[1], l.bbox[0]))))
    return out, [l for l in rest if id(l) not in taken]


def _better(a: Line, b: Line) -> bool:
    """Is ``a`` the better reading of the place both lines were read at: the longer, or, as
    long within a character, the more confident."""
    if abs(len(a.text) - len(b.text)) > 1:
        return len(a.text) > len(b.text)
    return (a.confidence, len(a.text)) > (b.confidence, len(b.text))


def without_echoes(lines: list[Line]) -> list[Line]:
    """The lines without those read again at one place: of two lines one lying mostly inside the
    other's box (handwriting read in the blue layer and in the black one, or a stroke of a name
    read apart), the better reading is kept."""
    return [l for l in lines if not any(
        o is not l and overlap_ratio(l.bbox, o.bbox) > ECHO_OVERLAP and _better(o, l) for o in lines)]
