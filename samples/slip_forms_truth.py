"""Truths of bundles whose slip and 收文 stamp come from the slip-form family (slip_forms.py,
stamp_forms.py, hands.py): ``make_slipform_truth(form, seed, index)``, fully determined by its
arguments.  The circular is a random one (make_random_truth), cut to about two pages; the slip,
its readers and annotations, the receipt and the hands are drawn here.

Dates follow the paper's course: issued, received 2–12 days later, proposed on the day of
receipt or the next, read by the readers one after another from then on, instructed by the first
leaders on the day they read it, the result written after the last reader; every date stays in
the year of receipt, so a date written without its year takes the year of its context.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from .corpus import _DEPTS, _PROVINCES
from .corpus_slips import (FORM_BOXES, FORM_COLUMNS, FORM_FIELDS, FORM_MAX_SLOTS, FORM_MIN_SLOTS, FORM_TITLES,
                           FREE_NOTES, INSTRUCTIONS_LONG, INSTRUCTIONS_SHORT, NOTES_REMARK, NOTES_RESULT,
                           PRINTED_NOTES, PROPOSALS_LONG, PROPOSALS_SHORT, SECOND_INSTRUCTIONS)
from .random_truth import _person, cn_date, iso, make_random_truth
from .schema import LABEL_KINDS, SIGN_PLACES, label_kind, validate_truth
from .slip_forms import SLIP_FORMS
from .stamp_forms import SLIP_STAMP_POSITIONS, SLIP_STAMP_TOP, STAMP_POSITIONS, STAMP_STYLES, stamp_size

SEED_SALT = 77                     # the circular comes from make_random_truth(seed * 100 + SEED_SALT, index)
DATE_STYLES = ("dot", "slash", "md", "yuan", "full_dot", "yy_dot", "ymd", "cn")
DATE_WEIGHTS = (6, 2, 3, 1, 3, 2, 2, 1)
TABLE_DATE_STYLES = ("dot", "slash", "md")
HAND_PENS = {"ballpoint": ("blueblack", "black", "paleblue"), "brush": ("black", "blueblack"),
             "hurried": ("blueblack", "black"), "pencil": ("redpencil", "graphite")}
HAND_WEIGHTS = {"ballpoint": 4, "brush": 3, "hurried": 2, "pencil": 1}
STAMP_HANDS = ("ballpoint", "brush")
TITLE_FONTS = ("xbs", "song", "heiti_bold", "kaiti")
LABEL_FONTS = ("song", "fangsong", "kaiti", "heiti", "heiti_bold")
RED_PRINT_FORMS = ("chuli", "spaced", "yueban", "lined")
HALF_PAGE_FORMS = ("lined",)
CN_YEAR_DIGITS = "〇一二三四五六七八九"


def raw_date(d: dt.date, style: str) -> str:
    """A date as written in a style: 1.26, 1/26, 1月26日, 元月26日, 2014.1.26, 14.1.26,
    2014年1月26日, 二〇一四年一月二十六日."""
    if style == "yuan" and d.month != 1:
        style = "md"
    return {"dot": f"{d.month}.{d.day}", "slash": f"{d.month}/{d.day}", "md": f"{d.month}月{d.day}日",
            "yuan": f"元月{d.day}日", "full_dot": f"{d.year}.{d.month}.{d.day}",
            "yy_dot": f"{d.year % 100:02d}.{d.month}.{d.day}", "ymd": f"{d.year}年{d.month}月{d.day}日",
            "cn": cn_date(d)}[style]


def has_year(raw: str) -> bool:
    return bool(re.search(r"\d{2,4}[.年/-]\d{1,2}[.月/-]\d{1,2}", raw) or re.match(f"^[{CN_YEAR_DIGITS}]{{2,4}}年", raw))


class _Ctx:
    """What one bundle's slip is written about: offices, people, days."""

    def __init__(self, rng: random.Random, truth: dict):
        c = truth["circular"]
        self.rng = rng
        self.issuer = c["issuer"].split("；")[0]
        self.doc_number, self.secrecy = c["doc_number"], c.get("secrecy", "")
        self.title = "".join(c["title_lines"]).replace(" ", "")
        m = re.search(r"关于(.+)的" + re.escape(c["doc_kind"]) + "$", self.title)
        self.subject = m.group(1) if m else self.title
        self.kind = c["doc_kind"]
        self.issue = dt.date.fromisoformat(c["issue_date"])
        self.office, self.place, self.lead_title = _receiver(rng)
        self.depts = [self.place[-1] + d[1] for d in rng.sample(_DEPTS, k=4)]
        self.year_end = dt.date(self.issue.year, 12, 31)
        self.received = self.cap(self.issue + dt.timedelta(days=rng.randint(2, 12)))
        self.clerk = _person(rng)

    def cap(self, d: dt.date) -> dt.date:
        return min(d, self.year_end)

    def fill(self, template: str, readers: list[str]) -> str:
        rng = self.rng
        lead = readers[0][0] + self.lead_title
        lead2 = readers[min(1, len(readers) - 1)][0] + "副" + self.lead_title
        values = {"lead": lead, "lead2": lead2, "dept": self.depts[0], "dept2": self.depts[1], "issuer": self.issuer,
                  "subject": self.subject, "kind": self.kind, "clerk": self.clerk,
                  "month": str(min(12, self.received.month + rng.randint(0, 1))), "day": str(rng.randint(1, 28)),
                  "room": str(rng.randint(101, 520))}
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)


def _receiver(rng: random.Random) -> tuple[str, str, str]:
    """The receiving office, its place and what its leaders are called."""
    prov = rng.choice(_PROVINCES)
    city = rng.choice(prov[5])
    district = rng.choice(city[3])[0]
    kind = rng.choice(["district", "district", "city", "bureau"])
    if kind == "district":
        place = f"{city[0]}市{district}区"
        return place + "人民政府办公室", place, "区长"
    if kind == "city":
        place = f"{city[0]}市"
        return place + "人民政府办公室", place, "市长"
    place = f"{city[0]}市{district}区"
    return place + rng.choice(_DEPTS)[1], place, "局长"


def _people(rng: random.Random, n: int, avoid: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        p = _person(rng)
        if p not in out and p not in avoid:
            out.append(p)
    return out


def _hand_of(rng: random.Random) -> tuple[str, str]:
    hand = rng.choices(list(HAND_WEIGHTS), list(HAND_WEIGHTS.values()))[0]
    return hand, rng.choice(HAND_PENS[hand])


def _date_style(rng: random.Random) -> str:
    return rng.choices(DATE_STYLES, DATE_WEIGHTS)[0]


def _annotation(ctx: _Ctx, label, kind: str, text: str, signer: str, d: dt.date, hands: dict,
                signer_raw: str = "") -> dict:
    rng = ctx.rng
    raw = raw_date(d, _date_style(rng))
    hand, pen = hands.setdefault(signer, _hand_of(rng))
    a = {"kind": kind, "label": label, "text": text, "signer": signer, "date_raw": raw, "date": iso(d),
         "date_year_inferred": not has_year(raw), "hand": hand, "pen": pen, "sign": rng.choice(SIGN_PLACES)}
    if signer_raw:
        a["signer_raw"] = signer_raw
    return a


def _readers(ctx: _Ctx, form: str, keys: list[str], start: dt.date) -> tuple[list[dict], int]:
    """Reader rows in reading order (some without dates yet) and the number of blank rows."""
    rng = ctx.rng
    most = FORM_MAX_SLOTS[form]
    n = rng.randint(3, min(14, most))
    names = _people(rng, n, {ctx.clerk})
    filled = rng.randint(max(1, n // 3), n)
    style = rng.choices(TABLE_DATE_STYLES, (7, 2, 2))[0]
    signs = form in ("yuewen", "spaced")
    rows, day, read = [], start, start
    for i, name in enumerate(names):
        row = {"reader": name, "circulated": "", "delivered": "", "returned": "",
               "circulated_iso": "", "delivered_iso": "", "returned_iso": ""}
        if signs and rng.random() < 0.3:
            row["reader_raw"] = name + "阅"
        if i < filled:                 # passed on in table order: each gets it after the last read it
            day = ctx.cap(max(day, read) + dt.timedelta(days=rng.choice([0, 0, 1])))
            read = ctx.cap(day + dt.timedelta(days=rng.choice([0, 0, 1])))
            back = ctx.cap(read + dt.timedelta(days=rng.choice([0, 1, 2])))
            for key, d, p in (("delivered", day, 1.0), ("circulated", read, 1.0), ("returned", back, 0.55)):
                if key in keys and (rng.random() < p or key != "returned"):
                    row[key], row[key + "_iso"] = raw_date(d, style), iso(d)
        rows.append(row)
    blank = min(most - n, max(FORM_MIN_SLOTS[form] - n, rng.choice([0, 0, 1, 2, 3])))
    return rows, blank


def _read_day(row: dict, fallback: dt.date) -> dt.date:
    for key in ("circulated_iso", "delivered_iso"):
        if row.get(key):
            return dt.date.fromisoformat(row[key])
    return fallback


def _box_annotations(ctx: _Ctx, boxes: list[dict], rows: list[dict], hands: dict, proposed: dt.date,
                     free_room: bool) -> list[dict]:
    """What is written in each printed box (some boxes stay empty), in printed order; free_room:
    a note without a label may be written too (under the form or over its title)."""
    rng = ctx.rng
    readers = [r["reader"] for r in rows]
    last_day = max([_read_day(r, proposed) for r in rows] + [proposed])
    out = []
    for b in boxes:
        label, kind = b["label"], b["kind"]
        plain = label.replace(" ", "").rstrip("：:")
        if kind == "proposal" and rng.random() < 0.88:
            pool = PROPOSALS_LONG if rng.random() < 0.45 else PROPOSALS_SHORT
            out.append(_annotation(ctx, label, kind, ctx.fill(rng.choice(pool), readers), ctx.clerk, proposed, hands))
        elif kind == "instruction" and rng.random() < 0.82:
            lead = readers[0]
            d = max(proposed, _read_day(rows[0], proposed))
            if rng.random() < 0.15:
                out.append(_annotation(ctx, label, kind, "阅", lead, d, hands, signer_raw=lead + "阅"))
            else:
                pool = INSTRUCTIONS_LONG if rng.random() < 0.4 else INSTRUCTIONS_SHORT
                out.append(_annotation(ctx, label, kind, ctx.fill(rng.choice(pool), readers), lead, d, hands))
            if len(rows) > 1 and rng.random() < 0.3:
                d2 = max(d, _read_day(rows[1], d))
                text = ctx.fill(rng.choice(SECOND_INSTRUCTIONS), readers)
                out.append(_annotation(ctx, label, kind, text, readers[1], d2, hands))
        elif kind == "note" and plain in ("备注", "注") and rng.random() < 0.22:
            out.append(_annotation(ctx, label, kind, ctx.fill(rng.choice(NOTES_REMARK), readers), ctx.clerk, proposed,
                                   hands))
        elif kind == "note" and plain not in ("备注", "注") and rng.random() < 0.45:
            d = ctx.cap(last_day + dt.timedelta(days=rng.randint(1, 5)))
            out.append(_annotation(ctx, label, kind, ctx.fill(rng.choice(NOTES_RESULT), readers), ctx.clerk, d, hands))
    if rng.random() < 0.1 and free_room:
        d = ctx.cap(last_day + dt.timedelta(days=rng.randint(0, 3)))
        who = rng.choice(readers)
        out.append(_annotation(ctx, None, "note", ctx.fill(rng.choice(FREE_NOTES), readers), who, d, hands))
    return out


def _number(rng: random.Random, year: int, style: str, fill: str) -> str:
    n = rng.randint(1, 420)
    dash = f"{rng.randint(1, 40)}-{rng.randint(1, 20)}"
    if style == "rows3":
        return f"第{rng.choice([str(n), str(n), dash])}号"
    if fill == "numbering":
        return rng.choice([str(n), f"{year}-{n}", dash, f"{n:04d}"])
    return rng.choice([str(n), dash, f"第{n}号", f"{year}-{n}", f"〔{year}〕{n}"])


def _stamp_date(rng: random.Random, d: dt.date, style: str, fill: str) -> str:
    if style == "rows3":
        return f"{d.year if rng.random() < 0.6 else d.year % 100:02d}年{d.month}月{d.day}日"
    if fill == "numbering":
        return rng.choice([f"{d.year}.{d.month:02d}.{d.day:02d}", f"{d.year}-{d.month:02d}-{d.day:02d}",
                           f"{d.year % 100:02d}.{d.month:02d}.{d.day:02d}"])
    return rng.choice([raw_date(d, "full_dot"), raw_date(d, "yy_dot"), raw_date(d, "ymd")])


def _receipt(ctx: _Ctx, form: str) -> dict:
    """The receipt: in the form's own fields (chuli always, lined mostly), else a stamp on the first
    circular page or on the slip."""
    rng = ctx.rng
    d = ctx.received
    if form == "chuli" or (form == "lined" and rng.random() < 0.6):
        raw = raw_date(d, rng.choice(["full_dot", "ymd", "ymd", "yy_dot", "md"]))
        n = rng.randint(1, 420)
        return {"office": ctx.office, "number": rng.choice([str(n), f"{rng.randint(1, 40)}-{rng.randint(1, 20)}",
                                                             f"〔{d.year}〕{n}", f"第{n}号"]),
                "date_raw": raw, "date": iso(d), "date_year_inferred": not has_year(raw), "place": "form"}
    style = rng.choice(STAMP_STYLES)
    fill = rng.choices(["hand", "numbering", "pencil"], [6, 3, 2])[0]
    place = "slip" if rng.random() < 0.25 else "circular"
    if place == "slip":                # a full-page form leaves room only above its title
        position = rng.choice(SLIP_STAMP_POSITIONS if form in HALF_PAGE_FORMS else ("top_left", "top_right"))
    else:
        position = rng.choice(STAMP_POSITIONS + ("top_right", "top_left"))
    rc = {"office": ctx.office, "number": _number(rng, d.year, style, fill), "date_raw": _stamp_date(rng, d, style, fill),
          "date": iso(d), "place": place, "position": position, "style": style, "fill": fill,
          "ink": rng.choices(["red", "blue"], [5, 1])[0], "pale": rng.random() < 0.2}
    if fill == "numbering":
        rc["fill_ink"] = rng.choice(["black", "black", rc["ink"]])
    else:
        rc["hand"] = "pencil" if fill == "pencil" else rng.choice(STAMP_HANDS)
        rc["pen"] = "graphite" if fill == "pencil" else rng.choice(["blueblack", "black"])
        rc["fill_ink"] = "black" if rc["pen"] in ("black", "graphite") else "blue"
    return rc


def _fields(ctx: _Ctx, form: str, receipt: dict) -> list[dict]:
    values = {"来文机关": ctx.issuer, "来文单位": ctx.issuer, "文号": ctx.doc_number, "密级": ctx.secrecy,
              "标题": ctx.title, "文件标题": ctx.title}
    if receipt["place"] == "form":
        values.update({"收文日期": receipt["date_raw"], "收文编号": receipt["number"]})
    out = []
    for label in FORM_FIELDS[form]:
        plain = label.replace(" ", "").rstrip("：:")
        out.append({"label": label, "value": values.get(plain, "")})
    return out


def _style(rng: random.Random, form: str) -> dict:
    """How the form is printed: ink, faces, sizes, ruling."""
    st = {"print_ink": "red" if form in RED_PRINT_FORMS and rng.random() < 0.3 else "black",
          "title_font": rng.choice(TITLE_FONTS), "title_size": rng.choice([76, 84, 92]),
          "title_tracking": rng.choice([0.0, 0.1, 0.3]), "label_font": rng.choice(LABEL_FONTS),
          "label_size": rng.choice([44, 48, 52]), "rule_px": rng.choice([3, 4, 5]), "title_rule": rng.random() < 0.2}
    if form == "chuli":
        st["label_spread"] = rng.random() < 0.6
    if form == "yuewen":
        st["write_after_label"] = rng.random() < 0.4
    if form == "yueban":
        st["split"] = round(rng.uniform(0.42, 0.55), 2)
        st["reader_label"] = rng.choice(["传阅情况", "阅文情况", "传阅"])
    return st


def make_slipform_truth(form: str, seed: int, index: int) -> dict:
    """A bundle truth whose slip is a ``form`` of SLIP_FORMS; id slipform-seed-NN."""
    if form not in SLIP_FORMS:
        raise ValueError(f"unknown slip form {form!r}; choose from {', '.join(SLIP_FORMS)}")
    rng = random.Random(f"slipform/{form}/{seed}/{index}")
    truth = make_random_truth(seed * 100 + SEED_SALT, index)
    _trim(truth, rng)
    ctx = _Ctx(rng, truth)
    receipt = _receipt(ctx, form)
    heads, keys = rng.choice(FORM_COLUMNS[form])
    proposed = ctx.cap(ctx.received + dt.timedelta(days=rng.choice([0, 0, 1])))
    rows, blank = _readers(ctx, form, keys, proposed)
    boxes = [{"label": lab, "kind": kind} for lab, kind in rng.choice(FORM_BOXES[form])]
    hands: dict = {}
    clerk_hand = hands.setdefault(ctx.clerk, (rng.choice(["ballpoint", "ballpoint", "brush"]), "blueblack"))
    slip = {"form": form, "title": rng.choice(FORM_TITLES[form]).replace("{org}", ctx.office),
            **_style(rng, form), "hand": clerk_hand[0], "pen": clerk_hand[1],
            "columns": list(heads), "column_keys": list(keys), "rows": rows, "blank_rows": blank,
            "readers_printed": form == "lined" or (form == "chuanyue" and rng.random() < 0.5),
            "boxes": boxes, "box_labels": [b["label"] for b in boxes], "fields": _fields(ctx, form, receipt),
            "printed_note": ctx.fill(rng.choice(PRINTED_NOTES), [ctx.clerk]), "annotations": []}
    top_stamp = receipt["place"] == "slip" and receipt["position"].startswith("top")
    slip["annotations"] = _box_annotations(ctx, boxes, rows, hands, proposed, free_room=not top_stamp)
    if top_stamp:
        slip["title_y"] = SLIP_STAMP_TOP + stamp_size(receipt["style"])[1] + rng.randint(70, 110)
    truth["slip"] = slip
    truth["circular"]["receipt"] = receipt
    if rng.random() < 0.5:
        truth["circular"]["seal_offset"] = [rng.randint(-70, 70), rng.randint(-22, 22)]
    truth["id"] = f"slipform-{seed}-{index:02d}"
    truth["notes"] = f"slip form {form} from seed {seed}, index {index}; all text composed"
    validate_truth(truth)
    return truth


def _trim(truth: dict, rng: random.Random) -> None:
    """About two pages of circular, no annex tables, no margin notes; the slip first or last."""
    c = truth["circular"]
    truth["annexes"] = []
    if len(c["body"]) > 10:
        c["body"] = c["body"][:8] + c["body"][-1:]
    c["margin_notes"] = []
    order = [k for k in truth["page_order"] if k not in ("annex", "slip")]
    truth["page_order"] = (["slip"] + order) if rng.random() < 0.85 else (order + ["slip"])
    truth["degradation"]["rotation"] = 0


__all__ = ["LABEL_KINDS", "SLIP_FORMS", "has_year", "label_kind", "make_slipform_truth", "raw_date"]
