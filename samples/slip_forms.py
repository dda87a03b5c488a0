"""A second family of circulation slips (文件处理笺, 阅文单, 文件传阅单, 收文阅办单, 公文处理单,
文件批办单), drawn the way offices print and fill them, for measuring a slip reader on forms it
was not written for.  ``render_slip_form(slip, rng)`` draws ``slip["form"]`` (``SLIP_FORMS``):

- chuli: 文件处理笺 — a narrow left label column (来文机关, 文号, 密级, 标题, 收文日期/收文编号,
  then tall cells labelled vertically, one character a line: 拟/办/意/见, 领/导/批/示 …);
  readers run ACROSS in bands (a 传阅人 row of names over a 日期 row);
- yuewen: 阅文单 — stacked full-width boxes, each label at the top left inside its box
  (批示意见：…), writing sometimes beginning right after the label; then a reader table of two
  side-by-side column groups (姓名|阅文日期|退回日期 ‖ …), read down the left group first;
- chuanyue: 文件传阅单 — the reader table first (序号|传阅领导|送阅时间|退回时间), then the opinion
  boxes below, each a heading row spanning the box (领导批示) over a big empty cell;
- yueban: 收文阅办单 — field rows, a header row 拟办意见 | 领导批示 over two tall cells side by
  side, a reader table with a merged vertical label (传阅情况), a 办理结果 row;
- spaced: 公文处理单 — letter-spaced labels without colons (拟 办 意 见, 领 导 意 见 …) in a
  left column, readers signing in one cell (阅 签: 王林阅 2.3  张三 2.4 …);
- lined: 文件批办单 — a half-page form without cells: labels followed by ruled writing lines,
  readers printed with a blank line after each name for the date.

Everything written is drawn in the hands of ``hands.py``; the page truth follows schema.py
(slip_title, slip_header, slip_label with ``region``, slip_cell, handwriting with kind,
annotation and part, printed_note).
"""

from __future__ import annotations

import math
import random

from .hands import HANDS, PEN_INK, hand_width, hand_wrap, write
from .page import INK, LEFT, PAGE_H, PAGE_W, RIGHT, _draw_line, _Page, _text_w

FORM_X0, FORM_X1 = LEFT - 90, RIGHT + 90          # a full-width form's ruling
TITLE_Y = 230
HAND_MAX = {"ballpoint": 80, "brush": 92, "hurried": 84, "pencil": 74}
HAND_MIN = 36
LINE_GAP = 0.28                    # between handwritten lines, in sizes
PITCH = 1.5                        # planned height of a handwritten line, in sizes
SIGN_LINES = {"right": 1, "stacked": 2, "below": 2, "inline": 1, "under": 1}
BOX_WEIGHT = {"proposal": 1.0, "instruction": 1.45, "note": 0.62}
SMALL_NOTE_WEIGHT = 0.36           # 备注 / 注: a low box
LABEL_FS = 50
CELL_PAD = 14
FREE_NOTE_ROOM = 220               # blank under a form that takes a note written without a label


class _Form:
    """A slip page being drawn: print ink, label face, the slip's hand and pen, annotations."""

    def __init__(self, slip: dict, rng: random.Random):
        self.slip, self.rng = slip, rng
        self.page = _Page("slip")
        self.ink_name = "red" if slip.get("print_ink") == "red" else "black"
        self.ink = INK[self.ink_name]
        self.lf = slip.get("label_font", "song")
        self.lfs = int(slip.get("label_size", LABEL_FS))
        self.rule = int(slip.get("rule_px", 4))
        self.hand = slip.get("hand", "ballpoint")
        self.pen = slip.get("pen", "blueblack")
        self.anns = slip.get("annotations") or []

    # ---- print -------------------------------------------------------------------------------
    def rect(self, box, width: int | None = None) -> None:
        self.page.draw.rectangle(tuple(box), outline=self.ink, width=width or self.rule)

    def hline(self, x0, x1, y, width: int | None = None) -> None:
        w = width or self.rule
        self.page.draw.rectangle((x0, y - w / 2, x1, y + w / 2), fill=self.ink)

    def vline(self, x, y0, y1, width: int | None = None) -> None:
        w = width or self.rule
        self.page.draw.rectangle((x - w / 2, y0, x + w / 2, y1), fill=self.ink)

    def text(self, x, y, txt, fk=None, size=None, tracking=0.0) -> tuple:
        return _draw_line(self.page, x, y, txt, fk or self.lf, size or self.lfs, fill=self.ink, tracking=tracking)

    def printed(self, role: str, txt: str, bbox, **extra) -> None:
        self.page.add(role, txt, bbox, self.ink_name, **extra)

    def title(self, y: float = TITLE_Y) -> float:
        """The form's name, centred (its top at ``title_y`` when the slip says); returns the y
        under it."""
        s = self.slip
        y = s.get("title_y", y)
        fk, fs = s.get("title_font", "xbs"), int(s.get("title_size", 84))
        track = fs * float(s.get("title_tracking", 0.1))
        w = _text_w(s["title"], fk, fs, track)
        while w > FORM_X1 - FORM_X0 and fs > 40:
            track, fs = 0.0, fs - 4
            w = _text_w(s["title"], fk, fs)
        bb = self.text(PAGE_W / 2 - w / 2, y, s["title"], fk, fs, track)
        self.printed("slip_title", s["title"], bb)
        if s.get("title_rule"):
            self.hline(PAGE_W / 2 - w / 2 - 40, PAGE_W / 2 + w / 2 + 40, y + fs + 26, 3)
        return y + fs + 70

    def centred_label(self, label: str, box, role: str = "slip_label", **extra) -> tuple:
        fs = self.lfs
        while fs > 26 and _text_w(label, self.lf, fs) > box[2] - box[0] - 2 * CELL_PAD:
            fs -= 2
        w = _text_w(label, self.lf, fs)
        bb = self.text((box[0] + box[2]) / 2 - w / 2, (box[1] + box[3]) / 2 - fs / 2, label, size=fs)
        self.printed(role, label, bb, **extra)
        return bb

    def spaced_label(self, label: str, box, role: str = "slip_label", **extra) -> tuple:
        """A label printed letter-spaced (its truth spells the spaces: 拟 办 意 见)."""
        chars = label.replace(" ", "")
        fs = self.lfs
        room = box[2] - box[0] - 2 * CELL_PAD
        track = min(fs * 0.9, (room - _text_w(chars, self.lf, fs)) / max(len(chars) - 1, 1))
        while track < fs * 0.15 and fs > 26:
            fs -= 2
            track = min(fs * 0.9, (room - _text_w(chars, self.lf, fs)) / max(len(chars) - 1, 1))
        w = _text_w(chars, self.lf, fs, track)
        bb = self.text((box[0] + box[2]) / 2 - w / 2, (box[1] + box[3]) / 2 - fs / 2, chars, size=fs, tracking=track)
        self.printed(role, label, bb, **extra)
        return bb

    def vertical_label(self, label: str, box, spread: bool, role: str = "slip_label", **extra) -> tuple:
        """One character a line, centred in a tall narrow cell; spread: over the cell's height."""
        chars = label.replace(" ", "").rstrip("：:")
        fs = min(self.lfs + 4, int((box[2] - box[0]) * 0.7))
        n = len(chars)
        h = box[3] - box[1]
        pitch = min(h * 0.78 / max(n, 1), fs * (2.4 if spread else 1.3))
        pitch = max(pitch, fs * 1.02)
        top = (box[1] + box[3]) / 2 - pitch * n / 2 + (pitch - fs) / 2
        cx = (box[0] + box[2]) / 2
        for i, ch in enumerate(chars):
            cw = _text_w(ch, self.lf, fs)
            self.text(cx - cw / 2, top + i * pitch, ch, size=fs)
        bb = (cx - fs / 2, top, cx + fs / 2, top + (n - 1) * pitch + fs)
        self.printed(role, label, bb, vertical=True, **extra)
        return bb

    # ---- writing -----------------------------------------------------------------------------
    def items(self, label) -> list[tuple[int, dict]]:
        return [(i, a) for i, a in enumerate(self.anns) if a.get("label") == label]

    def cell_hand(self, text: str, box, size: int, **extra) -> tuple:
        inner = (box[0] + CELL_PAD, box[1] + CELL_PAD * 0.6, box[2] - CELL_PAD, box[3] - CELL_PAD * 0.6)
        size = int(min(size, (inner[3] - inner[1]) * 0.9))
        bb = write(self.page, (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2, text, size, self.hand, self.pen,
                   self.rng, anchor="cm", fit=inner)
        self.page.add("slip_cell", text, bb, PEN_INK[self.pen], handwritten=True, **extra)
        return bb

    def cell_print(self, text: str, box, size: int = 50, **extra) -> tuple:
        fs = size
        while fs > 24 and _text_w(text, "fangsong", fs) > box[2] - box[0] - 2 * CELL_PAD:
            fs -= 2
        w = _text_w(text, "fangsong", fs)
        bb = _draw_line(self.page, (box[0] + box[2]) / 2 - w / 2, (box[1] + box[3]) / 2 - fs / 2, text, "fangsong", fs,
                        fill=self.ink)
        self.printed("slip_cell", text, bb, **extra)
        return bb

    def field_value(self, label: str, box, size: int = 58) -> None:
        """A field's handwritten value: on one line when a smaller hand allows, else wrapped."""
        value = self.field(label)
        if not value:
            return
        inner = (box[0] + CELL_PAD, box[1] + 6, box[2] - CELL_PAD, box[3] - 6)
        width, height = inner[2] - inner[0] - 20, inner[3] - inner[1]
        lines = [value]
        for s in range(size, HAND_MIN - 1, -2):
            size, lines = s, hand_wrap(value, s, self.hand, width)
            if len(lines) * s * PITCH <= height or (len(lines) == 1 and s <= height * 0.8):
                break
        y = (inner[1] + inner[3]) / 2 - len(lines) * size * 1.35 / 2
        for ln in lines:
            bb = write(self.page, inner[0] + 10, y, ln, size, self.hand, self.pen, self.rng, fit=inner)
            self.page.add("slip_cell", ln, bb, PEN_INK[self.pen], handwritten=True, row=0, col="field", field=label)
            y = bb[3] + size * 0.3

    def field(self, label: str) -> str:
        return next((f.get("value", "") for f in self.slip.get("fields") or [] if f["label"] == label), "")

    def write_box(self, label, region, first: tuple | None = None, rules: list[float] | None = None) -> None:
        """Write every annotation under label into region (x0, y0, x1, y1); first: where the
        first line may start (x, y) when writing begins right after an inline label; rules: the
        y of ruled writing lines."""
        items = self.items(label)
        if items:
            _Writer(self, region, items, first, rules).run()

    def reader_cell(self, r: int, key: str, text: str, box) -> None:
        if not text:
            return
        if key == "reader" and self.slip.get("readers_printed"):
            self.cell_print(text, box, 50, row=r + 1, col=key)
        else:
            self.cell_hand(text, box, 60 if key == "reader" else 54, row=r + 1, col=key)

    def reader_text(self, row: dict, key: str) -> str:
        if key == "seq":
            return ""
        if key == "reader":
            return row.get("reader_raw") or row.get("reader", "")
        return row.get(key, "")

    def printed_note(self, y: float, x0: float = FORM_X0, x1: float = FORM_X1) -> float:
        note = self.slip.get("printed_note") or ""
        if not note:
            return y
        fs = 44
        while fs > 30 and _text_w(note, "fangsong", fs) > x1 - x0:
            fs -= 2
        bb = _draw_line(self.page, x0, y, note, "fangsong", fs, fill=self.ink)
        self.printed("printed_note", note, bb)
        return bb[3] + 30

    def free_notes(self, y: float) -> None:
        """Notes with no printed label, written in the blank under the form, or over the title
        when the form fills the page."""
        items = self.items(None)
        if not items:
            return
        if y + FREE_NOTE_ROOM < PAGE_H - 80:
            region = (FORM_X0 + 300, y + 30, FORM_X1 - 60, min(PAGE_H - 80, y + 700))
        else:
            region = (FORM_X0 + 200, 40, FORM_X1, self.slip.get("title_y", TITLE_Y) - 16)
        _Writer(self, region, items, None, None, cap=72).run()


class _Writer:
    """Lays the annotations of one box into its region: one size for the box (the largest that
    fits, or smaller), lines wrapped to the region, the signature and date placed as the
    annotation's ``sign`` says."""

    def __init__(self, form: _Form, region, items, first, rules, cap: int | None = None):
        self.f, self.rng = form, form.rng
        self.region = tuple(float(v) for v in region)
        self.items, self.first, self.rules = items, first, rules
        self.cap = cap
        self.floor = self.region[1]        # the bottom of the last finished line

    def _style(self, a: dict) -> str:
        return a.get("hand") or self.f.hand

    def _text(self, a: dict) -> str:
        """What is written as text: nothing when the whole annotation is the signature 王林阅."""
        if a.get("signer_raw", "").endswith("阅") and a["text"] == "阅":
            return ""
        return a["text"]

    def _need(self, size: int) -> float:
        total = 0.0
        for n in self._item_lines(size):
            total += n * size * PITCH + size * 0.4
        return total

    def _size(self) -> int:
        x0, y0, x1, y1 = self.region
        top = self.first[1] if self.first else y0
        biggest = min(HAND_MAX[self._style(a)] for _, a in self.items)
        if self.cap:
            biggest = min(biggest, self.cap)
        size = HAND_MIN
        for s in range(biggest, HAND_MIN - 1, -2):
            if top + self._need(s) <= y1:
                size = s
                break
        if self.rng.random() < 0.35:                # not every box is written full
            size = max(HAND_MIN, min(size, int(self.rng.uniform(0.72, 0.95) * size)))
        return size

    def run(self) -> None:
        size = self._ruled_size() if self.rules else self._size()
        self.tops = [ry - size * 1.12 for ry in self.rules] if self.rules else []
        y = self.first[1] if self.first else self.region[1]
        if self.tops and not self.first:
            y = self.tops[0]
        for k, (idx, a) in enumerate(self.items):
            first = self.first if k == 0 else None
            y = self._after(self._one(idx, a, size, y, first), size)

    def _ruled_size(self) -> int:
        """On ruled lines: as large as the line pitch allows, smaller when the text needs more
        lines than are ruled (one more may go under the last rule)."""
        pitch = (self.rules[1] - self.rules[0]) if len(self.rules) > 1 else 110
        biggest = int(min(pitch * 0.62, min(HAND_MAX[self._style(a)] for _, a in self.items)))
        for s in range(biggest, HAND_MIN - 1, -2):
            if self.line_count(s) <= len(self.rules) + 1:
                return s
        return HAND_MIN

    def line_count(self, size: int) -> int:
        """Lines the box's writing takes at a size (text lines and signature lines)."""
        return sum(self._item_lines(size))

    def _item_lines(self, size: int) -> list[int]:
        """Each item's lines at a size: its text wrapped in the box, then its signature's."""
        x0, _, x1, _ = self.region
        out = []
        for k, (_, a) in enumerate(self.items):
            txt = self._text(a)
            first_w = (x1 - self.first[0]) if (k == 0 and self.first) else None
            n = len(hand_wrap(txt, size, self._style(a), x1 - x0 - size * 1.2, first_w)) if txt else 0
            out.append(n + SIGN_LINES.get(a.get("sign", "right"), 1))
        return out

    def _after(self, bottom: float, size: int) -> float:
        """Where the next line starts: under the last one, or on the next ruled line (a line
        drawn there is kept from reaching up into the one above)."""
        self.floor = max(self.floor, bottom)
        for t in self.tops:
            if t >= bottom - size * 0.45:
                return t
        return bottom + size * LINE_GAP

    def _line(self, x: float, y: float, text: str, size: int, a: dict, idx: int, part: str, anchor: str = "lt") -> tuple:
        x0, _, x1, y1 = self.region
        style, pen = self._style(a), a.get("pen") or self.f.pen
        bb = write(self.f.page, x, y, text, size, style, pen, self.rng, anchor=anchor,
                   fit=(x0, max(self.region[1], y - size * 0.6, self.floor + 2 if self.rules else 0), x1, y1))
        self.f.page.add("handwriting", text, bb, PEN_INK[pen], kind=a["kind"], annotation=idx, part=part)
        return bb

    def _one(self, idx: int, a: dict, size: int, y: float, first) -> float:
        x0, _, x1, _ = self.region
        style = self._style(a)
        txt = self._text(a)
        indent = size * self.rng.choice([0.0, 0.0, 0.6, 1.2, 2.0])
        first_w = (x1 - first[0]) if first else x1 - x0 - indent - size * 1.2
        lines = hand_wrap(txt, size, style, x1 - x0 - size * 1.2, first_w) if txt else []
        last = None
        for j, ln in enumerate(lines):
            x = first[0] if (j == 0 and first) else x0 + (indent if j == 0 else self.rng.uniform(0, size * 0.3))
            last = self._line(x, y, ln, size, a, idx, "text")
            y = self._after(last[3], size)
        return self._sign(idx, a, size, y, last)

    def _sign(self, idx: int, a: dict, size: int, y: float, last) -> float:
        """Signer and date as the annotation's ``sign`` places them; returns the y under them."""
        x0, _, x1, _ = self.region
        name = a.get("signer_raw") or a["signer"]
        date = a["date_raw"]
        how = a.get("sign", "right")
        style = self._style(a)
        gap = size * 0.45
        margin = size * self.rng.uniform(0.3, 1.2)
        w_name, w_date = hand_width(name, size, style), hand_width(date, size, style)
        if how == "inline" and last is not None and last[2] + gap + w_name + gap + w_date < x1:
            b1 = self._line(last[2] + gap, last[1], name, size, a, idx, "signer")
            b2 = self._line(b1[2] + gap, last[1], date, size, a, idx, "date")
            return max(b1[3], b2[3], last[3])
        if how == "below" and last is not None and last[2] + gap * 2 + w_name < x1 - margin:
            b1 = self._line(x1 - margin, last[1], name, size, a, idx, "signer", anchor="rt")
            y2 = self._after(max(b1[3], last[3]), size) if self.tops else max(b1[3], last[3]) + size * 0.15
            b2 = self._line(x1 - margin * 0.5, y2, date, size, a, idx, "date", anchor="rt")
            return b2[3]
        if how == "stacked" or how == "below":
            cx = x1 - margin - max(w_name, w_date) / 2
            b1 = self._line(cx, y, name, size, a, idx, "signer", anchor="ct")
            dx = (b1[0] + b1[2]) / 2 + (0 if how == "stacked" else size * 0.8)
            b2 = self._line(dx, self._after(b1[3], size) if self.tops else b1[3] + size * 0.15, date, size, a, idx,
                            "date", anchor="ct")
            return b2[3]
        if how == "under" or how == "inline":
            xs = x0 + (x1 - x0) * self.rng.uniform(0.3, 0.5) if how == "under" else x0 + size * 0.5
            xs = min(xs, x1 - w_name - w_date - gap * 2)
            b1 = self._line(max(x0, xs), y, name, size, a, idx, "signer")
            return self._date_after(b1, idx, a, size, date, w_date, gap)
        # right: name then date on one line at the right
        xd = x1 - margin
        xn = xd - w_date - gap
        b1 = self._line(max(x0, xn - w_name), y, name, size, a, idx, "signer")
        return self._date_after(b1, idx, a, size, date, w_date, gap, right=xd)

    def _date_after(self, b1, idx: int, a: dict, size: int, date: str, w_date: float, gap: float,
                    right: float | None = None) -> float:
        """The date after the name on its line, or under it at the right when the line is full."""
        x1 = self.region[2]
        if b1[2] + gap + w_date <= x1:
            x = b1[2] + gap if right is None else max(b1[2] + gap, right - w_date)
            b2 = self._line(x, b1[1], date, size, a, idx, "date")
            return max(b1[3], b2[3])
        y2 = self._after(b1[3], size) if self.tops else b1[3] + size * 0.15
        b2 = self._line(x1 - size * 0.3, y2, date, size, a, idx, "date", anchor="rt")
        return b2[3]


def _weights(boxes: list[dict]) -> list[float]:
    out = []
    for b in boxes:
        plain = b["label"].replace(" ", "").rstrip("：:")
        out.append(SMALL_NOTE_WEIGHT if plain in ("备注", "注") else b.get("weight") or BOX_WEIGHT[b["kind"]])
    return out


def _split(y0: float, y1: float, weights: list[float]) -> list[tuple[float, float]]:
    total = sum(weights) or 1.0
    out, y = [], y0
    for w in weights:
        h = (y1 - y0) * w / total
        out.append((y, y + h))
        y += h
    return out


def _reader_slots(slip: dict) -> list[dict | None]:
    return list(slip.get("rows") or []) + [None] * int(slip.get("blank_rows", 0))


# ---- chuli: 文件处理笺 -------------------------------------------------------------------------
CHULI_LABEL_W = 230
CHULI_FIELD_ROWS = (("来文机关",), ("文号", "密级"), ("标题",), ("收文日期", "收文编号"))
CHULI_ROW_H = {"标题": 190}
CHULI_PER_BAND = 8


def _chuli(f: _Form) -> float:
    y = f.title()
    x0, x1 = FORM_X0, FORM_X1
    xl = x0 + CHULI_LABEL_W
    top = y
    for row in CHULI_FIELD_ROWS:
        h = CHULI_ROW_H.get(row[0], 125)
        cells = _field_row(f, row, x0, x1, y, h, CHULI_LABEL_W)
        for label, box in cells:
            f.field_value(label, box)
        y += h
    slots = _reader_slots(f.slip)
    bands = max(1, math.ceil(len(slots) / CHULI_PER_BAND))
    band_h = 2 * 108
    bottom = PAGE_H - 260 - bands * band_h
    boxes = f.slip["boxes"]
    spread = f.slip.get("label_spread", True)
    for b, (ya, yb) in zip(boxes, _split(y, bottom, _weights(boxes))):
        region = (xl, ya, x1, yb)
        f.rect((x0, ya, xl, yb))
        f.rect(region)
        plain = b["label"].replace(" ", "").rstrip("：:")
        if yb - ya > len(plain) * f.lfs * 1.1:
            f.vertical_label(b["label"], (x0, ya, xl, yb), spread, region=_ints(region), box_kind=b["kind"])
        else:
            f.centred_label(b["label"], (x0, ya, xl, yb), region=_ints(region), box_kind=b["kind"])
        f.write_box(b["label"], _inset(region, 30, 22))
    y = bottom
    heads = f.slip["columns"]
    keys = f.slip["column_keys"]
    cw = (x1 - xl) / CHULI_PER_BAND
    for band in range(bands):
        for k, (head, key) in enumerate(zip(heads, keys)):
            ya = y + k * 108
            f.rect((x0, ya, xl, ya + 108))
            f.centred_label(head, (x0, ya, xl, ya + 108), role="slip_header")
            for c in range(CHULI_PER_BAND):
                box = (xl + c * cw, ya, xl + (c + 1) * cw, ya + 108)
                f.rect(box)
                r = band * CHULI_PER_BAND + c
                if r < len(slots) and slots[r]:
                    f.reader_cell(r, key, f.reader_text(slots[r], key), box)
        y += band_h
    f.rect((x0, top, x1, y), f.rule + 2)
    return f.printed_note(y + 36)


def _field_row(f: _Form, labels, x0, x1, y, h, label_w) -> list[tuple[str, tuple]]:
    """A row of label | value cells; two pairs share the row; returns (label, value box)."""
    out = []
    if len(labels) == 1:
        spans = [(x0, x1)]
    else:
        mid = x0 + label_w + (x1 - x0 - 2 * label_w) * 0.55
        spans = [(x0, mid), (mid, x1)]
    for label, (a, b) in zip(labels, spans):
        lab_box = (a, y, a + label_w, y + h)
        val_box = (a + label_w, y, b, y + h)
        f.rect(lab_box)
        f.rect(val_box)
        if " " in label:
            f.spaced_label(label, lab_box, role="slip_header")
        else:
            f.centred_label(label, lab_box, role="slip_header")
        out.append((label, val_box))
    return out


def _inset(box, dx: float, dy: float) -> tuple:
    return (box[0] + dx, box[1] + dy, box[2] - dx, box[3] - dy)


def _ints(box) -> list[int]:
    return [int(round(v)) for v in box]


# ---- yuewen: 阅文单 ----------------------------------------------------------------------------
YUEWEN_FIELD_ROWS = (("来文单位", "文号"), ("文件标题",))
YUEWEN_ROW_H = 100


def _yuewen(f: _Form) -> float:
    y = f.title()
    x0, x1 = FORM_X0 + 30, FORM_X1 - 30
    top = y
    for row in YUEWEN_FIELD_ROWS:
        if not any(f.field(label) or label in [fl["label"] for fl in f.slip.get("fields") or []] for label in row):
            continue
        h = 150 if row[0] == "文件标题" else 120
        for label, box in _field_row(f, row, x0, x1, y, h, 250):
            f.field_value(label, box)
        y += h
    slots = _reader_slots(f.slip)
    nrows = math.ceil(len(slots) / 2)
    table_h = YUEWEN_ROW_H * (nrows + 1)
    bottom = PAGE_H - 330 - table_h
    boxes = f.slip["boxes"]
    for b, (ya, yb) in zip(boxes, _split(y, bottom, _weights(boxes))):
        box = (x0, ya, x1, yb)
        f.rect(box)
        bb = f.text(x0 + 26, ya + 22, b["label"])
        f.printed("slip_label", b["label"], bb, region=_ints(box), box_kind=b["kind"])
        if f.slip.get("write_after_label"):
            f.write_box(b["label"], (x0 + 40, ya + 16, x1 - 30, yb - 12), first=(bb[2] + 20, ya + 16))
        else:
            f.write_box(b["label"], (x0 + 40, bb[3] + 16, x1 - 30, yb - 12))
    y = bottom
    heads, keys = f.slip["columns"], f.slip["column_keys"]
    fracs = [0.36, 0.32, 0.32][: len(heads)]
    gw = (x1 - x0) / 2
    xs = []
    for g in range(2):
        gx = x0 + g * gw
        acc = [gx]
        for fr in fracs:
            acc.append(acc[-1] + fr * gw)
        xs.append(acc)
    for g in range(2):
        for c, head in enumerate(heads):
            box = (xs[g][c], y, xs[g][c + 1], y + YUEWEN_ROW_H)
            f.rect(box)
            f.centred_label(head, box, role="slip_header")
    for i in range(nrows):
        ya = y + YUEWEN_ROW_H * (i + 1)
        for g in range(2):
            r = g * nrows + i
            for c, key in enumerate(keys):
                box = (xs[g][c], ya, xs[g][c + 1], ya + YUEWEN_ROW_H)
                f.rect(box)
                if r < len(slots) and slots[r]:
                    f.reader_cell(r, key, f.reader_text(slots[r], key), box)
    f.vline(x0 + gw, y, y + table_h, f.rule + 4)
    f.rect((x0, top, x1, y + table_h), f.rule + 2)
    return f.printed_note(y + table_h + 36, x0, x1)


# ---- chuanyue: 文件传阅单, the table first ------------------------------------------------------
CHUANYUE_ROW_H = 96
CHUANYUE_HEAD_H = 92
CHUANYUE_FRACS = {"seq": 0.1, "reader": 0.3, "delivered": 0.3, "returned": 0.3, "circulated": 0.3}


def _chuanyue(f: _Form) -> float:
    y = f.title()
    x0, x1 = FORM_X0, FORM_X1
    y = _underlined_fields(f, y, x0, x1)
    heads, keys = f.slip["columns"], f.slip["column_keys"]
    fr = [CHUANYUE_FRACS[k] for k in keys]
    xs = [x0]
    for v in fr:
        xs.append(xs[-1] + v / sum(fr) * (x1 - x0))
    top = y
    for c, head in enumerate(heads):
        box = (xs[c], y, xs[c + 1], y + CHUANYUE_HEAD_H)
        f.rect(box)
        f.centred_label(head, box, role="slip_header")
    y += CHUANYUE_HEAD_H
    slots = _reader_slots(f.slip)
    for r, row in enumerate(slots):
        for c, key in enumerate(keys):
            box = (xs[c], y, xs[c + 1], y + CHUANYUE_ROW_H)
            f.rect(box)
            if key == "seq":
                f.cell_print(str(r + 1), box, 44, row=r + 1, col="seq")
            elif row:
                f.reader_cell(r, key, f.reader_text(row, key), box)
        y += CHUANYUE_ROW_H
    boxes = f.slip["boxes"]
    bottom = PAGE_H - 300
    for b, (ya, yb) in zip(boxes, _split(y, bottom, _weights(boxes))):
        small = b["label"].replace(" ", "").rstrip("：:") in ("备注", "注")
        if small:
            lab = (x0, ya, xs[1] + (xs[2] - xs[1]) * 0.4, yb)
            f.rect(lab)
            f.rect((lab[2], ya, x1, yb))
            f.centred_label(b["label"], lab, region=_ints((lab[2], ya, x1, yb)), box_kind=b["kind"])
            f.write_box(b["label"], (lab[2] + 24, ya + 14, x1 - 24, yb - 12))
            continue
        head = (x0, ya, x1, ya + CHUANYUE_HEAD_H)
        f.rect(head)
        f.rect((x0, head[3], x1, yb))
        lab = f.spaced_label if " " in b["label"] else f.centred_label
        lab(b["label"], head, region=_ints((x0, head[3], x1, yb)), box_kind=b["kind"])
        f.write_box(b["label"], (x0 + 40, head[3] + 24, x1 - 40, yb - 16))
    f.rect((x0, top, x1, bottom), f.rule + 3)
    return f.printed_note(bottom + 30)


def _underlined_fields(f: _Form, y: float, x0: float, x1: float) -> float:
    """Fields printed as label： with a handwritten value on an underline, two to a line (a title
    has a line of its own)."""
    fs = f.lfs - 4
    for row in _field_lines(f.slip.get("fields") or []):
        span = (x1 - x0) / len(row)
        for k, fld in enumerate(row):
            lx = x0 + k * span
            bb = f.text(lx, y, fld["label"], size=fs)
            f.printed("slip_header", fld["label"], bb)
            line_x0, line_x1 = bb[2] + 8, lx + span - 40
            f.hline(line_x0, line_x1, bb[3] + 10, 2)
            if fld.get("value"):
                box = (line_x0, y - 30, line_x1, bb[3] + 6)
                bw = write(f.page, line_x0 + 20, bb[3] + 2, fld["value"], 54, f.hand, f.pen, f.rng, anchor="lb", fit=box)
                f.page.add("slip_cell", fld["value"], bw, PEN_INK[f.pen], handwritten=True, row=0, col="field",
                           field=fld["label"])
        y += fs + 70
    return y + 20


def _field_lines(fields: list[dict]) -> list[list[dict]]:
    rows: list[list[dict]] = []
    for fld in fields:
        alone = "标题" in fld["label"]
        if alone or not rows or len(rows[-1]) == 2 or "标题" in rows[-1][0]["label"]:
            rows.append([fld])
        else:
            rows[-1].append(fld)
    return rows


# ---- yueban: 收文阅办单, labels in a header row -------------------------------------------------
YUEBAN_ROW_H = 92


def _yueban(f: _Form) -> float:
    y = f.title()
    x0, x1 = FORM_X0, FORM_X1
    top = y
    labels = [fl["label"] for fl in f.slip.get("fields") or []]
    for row in (tuple(labels[0:2]), tuple(labels[2:3])):
        if not row:
            continue
        h = 120 if len(row) == 2 else 150
        for label, box in _field_row(f, row, x0, x1, y, h, 240):
            f.field_value(label, box)
        y += h
    boxes = f.slip["boxes"]
    side = [b for b in boxes if b["kind"] in ("proposal", "instruction")][:2]
    rest = [b for b in boxes if b not in side]
    slots = _reader_slots(f.slip)
    table_h = YUEBAN_ROW_H * (len(slots) + 1)
    rest_h = 230 * len(rest)
    cells_bottom = PAGE_H - 300 - table_h - rest_h
    split = x0 + (x1 - x0) * f.slip.get("split", 0.5)
    spans = [(x0, split), (split, x1)][: len(side)]
    if len(side) == 1:
        spans = [(x0, x1)]
    for b, (a, c) in zip(side, spans):
        head = (a, y, c, y + YUEBAN_ROW_H)
        f.rect(head)
        cell = (a, head[3], c, cells_bottom)
        f.rect(cell)
        lab = f.spaced_label if " " in b["label"] else f.centred_label
        lab(b["label"], head, region=_ints(cell), box_kind=b["kind"])
        f.write_box(b["label"], _inset(cell, 30, 24))
    y = cells_bottom
    _yueban_readers(f, y, x0, x1, slots)
    y += table_h
    for b in rest:
        lab = (x0, y, x0 + 240, y + 230)
        cell = (lab[2], y, x1, y + 230)
        f.rect(lab)
        f.rect(cell)
        f.centred_label(b["label"], lab, region=_ints(cell), box_kind=b["kind"])
        f.write_box(b["label"], _inset(cell, 28, 18))
        y += 230
    f.rect((x0, top, x1, y), f.rule + 3)
    return f.printed_note(y + 30)


def _yueban_readers(f: _Form, y: float, x0: float, x1: float, slots) -> None:
    heads, keys = f.slip["columns"], f.slip["column_keys"]
    lab_w = 120
    merged = (x0, y, x0 + lab_w, y + YUEBAN_ROW_H * (len(slots) + 1))
    f.rect(merged)
    f.vertical_label(f.slip.get("reader_label", "传阅情况"), merged, True, role="slip_header")
    xs = [x0 + lab_w]
    fr = [0.34, 0.33, 0.33][: len(keys)]
    for v in fr:
        xs.append(xs[-1] + v / sum(fr) * (x1 - x0 - lab_w))
    for c, head in enumerate(heads):
        box = (xs[c], y, xs[c + 1], y + YUEBAN_ROW_H)
        f.rect(box)
        f.centred_label(head, box, role="slip_header")
    for r, row in enumerate(slots):
        ya = y + YUEBAN_ROW_H * (r + 1)
        for c, key in enumerate(keys):
            box = (xs[c], ya, xs[c + 1], ya + YUEBAN_ROW_H)
            f.rect(box)
            if row:
                f.reader_cell(r, key, f.reader_text(row, key), box)


# ---- spaced: 公文处理单, letter-spaced labels without colons -----------------------------------
SPACED_LABEL_W = 360
SPACED_SIGN_H = 260


def _spaced(f: _Form) -> float:
    y = f.title()
    x0, x1 = FORM_X0, FORM_X1
    top = y
    for fl in f.slip.get("fields") or []:
        h = 140
        for label, box in _field_row(f, (fl["label"],), x0, x1, y, h, SPACED_LABEL_W):
            f.field_value(label, box)
        y += h
    boxes = f.slip["boxes"]
    bottom = PAGE_H - 330 - SPACED_SIGN_H
    for b, (ya, yb) in zip(boxes, _split(y, bottom, _weights(boxes))):
        lab = (x0, ya, x0 + SPACED_LABEL_W, yb)
        cell = (lab[2], ya, x1, yb)
        f.rect(lab)
        f.rect(cell)
        f.spaced_label(b["label"], lab, region=_ints(cell), box_kind=b["kind"])
        f.write_box(b["label"], _inset(cell, 30, 20))
    y = bottom
    lab = (x0, y, x0 + SPACED_LABEL_W, y + SPACED_SIGN_H)
    cell = (lab[2], y, x1, y + SPACED_SIGN_H)
    f.rect(lab)
    f.rect(cell)
    f.spaced_label(f.slip["columns"][0], lab, role="slip_header")
    _signatures(f, _inset(cell, 24, 16))
    y += SPACED_SIGN_H
    f.rect((x0, top, x1, y), f.rule + 3)
    return f.printed_note(y + 30)


def _signatures(f: _Form, region) -> None:
    """Readers signing one after another in one cell: name (王林阅) and date, as space allows."""
    rows = f.slip.get("rows") or []
    x0, y0, x1, y1 = region
    size = 58
    x, y = x0 + f.rng.uniform(0, 40), y0
    for r, row in enumerate(rows):
        name, date = f.reader_text(row, "reader"), row.get("circulated", "")
        need = hand_width(name, size, f.hand) + hand_width(date, size, f.hand) + 60
        if x + need > x1 and x > x0 + 50:
            x, y = x0 + f.rng.uniform(0, 40), y + size * 1.55
        fit = (x0, y0, x1, y1)
        b1 = write(f.page, x, y, name, size, f.hand, f.pen, f.rng, fit=fit)
        f.page.add("slip_cell", name, b1, PEN_INK[f.pen], handwritten=True, row=r + 1, col="reader")
        x = b1[2] + 16
        if date:
            b2 = write(f.page, x, y, date, size, f.hand, f.pen, f.rng, fit=fit)
            f.page.add("slip_cell", date, b2, PEN_INK[f.pen], handwritten=True, row=r + 1, col="circulated")
            x = b2[2]
        x += size * f.rng.uniform(0.9, 1.8)


# ---- lined: 文件批办单, labels and ruled writing lines ------------------------------------------
LINED_X0, LINED_X1 = LEFT + 20, RIGHT - 20
LINED_PITCH = 118
LINED_RULES = {"proposal": 3, "instruction": 4, "note": 2}   # ruled lines printed, at least
LINED_MOST = 7                     # … and at most (a long text gets a form with more lines)
LINED_HAND = 64                    # the size a hand writes on such a line


def _lined(f: _Form) -> float:
    y = f.title(170)
    x0, x1 = LINED_X0, LINED_X1
    f.hline(x0 - 40, x1 + 40, y - 20, f.rule + 2)
    y += 30
    y = _underlined_fields(f, y, x0, x1)
    for b in f.slip["boxes"]:
        bb = f.text(x0, y, b["label"])
        items = f.items(b["label"])
        need = _Writer(f, (bb[2] + 14, y, x1, y + 1), items, None, [0.0]).line_count(LINED_HAND) if items else 0
        n = min(LINED_MOST, max(LINED_RULES[b["kind"]], need))
        rules = [bb[3] + 8 + k * LINED_PITCH for k in range(n)]
        for k, ry in enumerate(rules):
            f.hline(bb[2] + 10 if k == 0 else x0 + 40, x1, ry, 2)
        region = (x0, y - 10, x1, rules[-1] + LINED_PITCH * 1.05)     # a line may go under the last rule
        f.printed("slip_label", b["label"], bb, region=_ints(region), box_kind=b["kind"])
        f.write_box(b["label"], (bb[2] + 14, y - 8, x1, region[3]), rules=rules)
        y = region[3] + 10
    y = _lined_readers(f, y, x0, x1)
    f.hline(x0 - 40, x1 + 40, y + 20, f.rule + 2)
    return f.printed_note(y + 50, x0, x1)


def _lined_readers(f: _Form, y: float, x0: float, x1: float) -> float:
    """传阅：name ______ name ______ … (names printed, the date written on the blank)."""
    head = f.slip["columns"][0]
    bb = f.text(x0, y, head)
    f.printed("slip_header", head, bb)
    fs = f.lfs - 2
    x = bb[2] + 20
    blank = 230
    for r, row in enumerate(f.slip.get("rows") or []):
        name = row["reader"]
        w = _text_w(name, "fangsong", fs) + blank + 40
        if x + w > x1:
            x, y = bb[2] + 20, y + LINED_PITCH
        nb = _draw_line(f.page, x, y, name, "fangsong", fs, fill=f.ink)
        f.printed("slip_cell", name, nb, row=r + 1, col="reader")
        f.hline(nb[2] + 8, nb[2] + 8 + blank, nb[3] + 8, 2)
        date = row.get("circulated", "")
        if date:
            box = (nb[2] + 10, y - 40, nb[2] + 6 + blank, nb[3] + 4)
            db = write(f.page, nb[2] + 30, nb[3] + 2, date, 52, f.hand, f.pen, f.rng, anchor="lb", fit=box)
            f.page.add("slip_cell", date, db, PEN_INK[f.pen], handwritten=True, row=r + 1, col="circulated")
        x = nb[2] + blank + 60
    return y + LINED_PITCH


RENDERERS = {"chuli": _chuli, "yuewen": _yuewen, "chuanyue": _chuanyue, "yueban": _yueban, "spaced": _spaced,
             "lined": _lined}
SLIP_FORMS = tuple(RENDERERS)


def render_slip_form(slip: dict, rng: random.Random) -> _Page:
    """The slip page of a slip-form truth (``slip["form"]`` one of SLIP_FORMS)."""
    f = _Form(slip, rng)
    y = RENDERERS[slip["form"]](f)
    f.free_notes(y)
    return f.page


__all__ = ["HANDS", "SLIP_FORMS", "render_slip_form"]
