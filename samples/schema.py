"""The truth of a bundle: loading and structural checks, and the schema (below).

Truth JSON (schema_version 1)
=============================
Dates: a ``*_raw`` key holds the date as written on the page, the key without ``_raw`` its ISO
value (the truth).  A raw date written without a year (2.16) takes the year of the bundle; the
annotation then carries ``date_year_inferred: true``.  Text is stored with full-width Chinese
punctuation as printed.

top level
    schema_version 1; id (file stem); notes (free text: what is composed or unusual);
    page_order: list of "slip", "circular", "annex" (all annexes), "imprint" (版记 on its own page;
    when absent the 版记 is printed at the foot of the last circular/annex page if it fits),
    "other" (the pages of a document that is no circular: speech, leaflet, phone_record);
    slip; circular; annexes; degradation; optional layout, kind, print (below).
layout (optional, default "gb9704"; layouts.py, made by layout_truth.py)
    gb9704 (the circular below); letter (函 on letterhead: ``letterhead`` {name, ink, font, size,
    lines printed under the name, rule "double"|"single"|"none"}, title, then the doc_number under
    it, ``doc_number_align`` "right"|"center"); under_title (no mark: title, then ``byline`` —
    （organ date）— under it, no 署名; issuer "", signatories the organ, issue_date its date;
    optional doc_number at the top right); quotation (``quotation`` {heading 毛主席语录|最高指示…,
    lines, ink} in a ruled box above the red mark); speech (title_lines, optional ``subtitle`` and
    ``speaker`` lines, body); leaflet (title_lines, body; ``title_ink``); phone_record (``form``
    {office, title 电话记录…, fields [[label, value]] 来电单位/来电人/接话人/时间, style
    "ruled"|"lines", content_label, footer}; body = the message; title ""); taiwan (Taiwanese 函,
    traditional characters: issuer_mark 機關 函, issuer the organ, addressees the 受文者,
    issue_date_raw 中華民國Y年M月D日, doc_number as printed (臺教高(二)字第1090012345號), urgency
    速件/最速件 ("" for 普通件), cc the 副本, attachments the 附件 named, title_lines [] (主旨
    instead), signatories the head's line (部長　王某某), body 主旨：…, 說明：, 一、… as paragraphs;
    ``taiwan`` {file_no, keep_years, contact lines, speed, secrecy_text, attachment_text,
    original (正本)}).  Body paragraphs of speech/leaflet/phone_record may carry ``indent``
    (characters, default 2) or ``align`` "center".  For speech, leaflet and phone_record every
    circular field but the title is empty: an element a page does not have must stay empty.
    Every layout: ``page_numbers`` "gb" (— 1 —, default), "dash" (-1-), "tw" (第1頁，共2頁), "none".
kind (optional): the layout_truth kind the truth was made as (letter … red_print, mimeograph, photo).
print (optional): {ink "red" (every printed line red, the slip aside), font (the body's 仿宋
    drawn in this font instead, e.g. "kaiti": a stencil cut by hand)}.
slip (null when the bundle has none)
    title; columns (printed column heads, reader column first); column_keys (same length:
    "reader", "circulated", "delivered", "returned"); rows: [{reader, circulated, delivered,
    returned} raw strings, "" when blank, plus circulated_iso/delivered_iso/returned_iso];
    blank_rows (empty ruled rows after the readers); readers_printed (bool: names typed, not
    handwritten; default false); layout "right" (opinion boxes in a right-hand column spanning
    the reader rows, default) or "rows" (opinion boxes as rows under the readers);
    box_labels (printed labels of the opinion boxes, e.g. ["拟办意见：", "领导批示："]);
    fields: optional [{label, value}] rows above the column heads (来文单位, 文号 …; value
    handwritten); printed_note (printed under the table, "" for none);
    annotations: [{kind "proposal"|"instruction"|"note", label (the printed box label it is
    written under, null for a free note), text, signer, date_raw, date, date_year_inferred}].
    proposals go in the first box, instructions in the second, notes under the printed note.
slip forms (optional ``slip["form"]``: the slip-form family of slip_forms.py; absent = slip.py's
    form above).  Forms (SLIP_FORMS): chuli (文件处理笺: left label column, tall cells labelled
    vertically, readers across in bands of a 传阅人 row over a 日期 row), yuewen (阅文单: stacked
    boxes, label top-left inside; readers in two side-by-side column groups, read down the left
    group first), chuanyue (文件传阅单: reader table first, 序号 column printed, boxes below as a
    heading row over a big cell), yueban (收文阅办单: 拟办意见 | 领导批示 headings over two tall cells
    side by side, readers under a merged vertical label), spaced (公文处理单: letter-spaced labels
    without colons; readers sign one after another in one cell), lined (文件批办单: labels followed
    by ruled writing lines; readers printed, each date written on a blank line after the name).
    Keys besides those above: boxes [{label, kind}] (every printed opinion box in printed order,
    written on or left empty; box_labels repeats the labels); label as printed: with its colon
    when printed, a letter-spaced label with one space between characters (拟 办 意 见), a
    vertical label as its characters; kind follows LABEL_KINDS (label_kind(label)): proposal
    拟办意见 处理意见 承办意见 办公室意见 拟办, instruction 领导批示 批示意见 批示 领导意见, note
    everything else (办理结果, 办理情况, 阅办意见, 备注, 注).  column_keys may hold "seq" (the printed
    序号 column: 1, 2 … printed, no reader value); a column head "" is a column with no printed head
    (the date after a signature or a printed name).  rows may carry reader_raw (the name as
    signed, 王林阅: reader is 王林).  fields [{label, value}] as printed (value "" when left blank;
    收文日期/收文编号 hold the receipt when receipt.place is "form").  hand (the slip's table
    entries and fields: HANDS ballpoint|brush|hurried|pencil), pen (PENS blueblack|black|redpencil|
    paleblue|graphite); print_ink black|red (ruling and printed text), title_font, title_size,
    title_tracking (fraction of the size), title_rule, label_font, label_size, rule_px,
    label_spread (chuli: vertical labels spread over the cell), write_after_label (yuewen: writing
    begins on the label's line), split (yueban: share of the width of the left cell), reader_label
    (yueban: the merged vertical label).  Each annotation also has hand, pen and sign (SIGN_PLACES:
    right = 张三 1.26 on one line at the right; stacked = name, the date under it; below = name at
    the end of the last text line or on its own line, the date on the line below; inline = name
    and date right after the text on its line; under = name and date on a line of their own from
    about a third of the width) and optional signer_raw: the signature as written when it is not
    the bare name, i.e. 王林阅 — signer is 王林; the 阅 belongs to the signature, and when nothing
    else is written the text is "阅" (the leader's whole instruction is that he read it).
    date_raw may be 1.26, 1/26, 1月26日, 元月26日 (January), 2014.1.26, 14.1.26, 2014年1月26日 or
    二〇一四年一月二十六日; date_year_inferred is true exactly when no year is written.  A label
    null is a note written under the form with no printed label.
circular
    copy_number (份号), secrecy (密级, e.g. 秘密) and secrecy_term (保密期限, e.g. 1年; the record
    writes 秘密★1年), optional secrecy_printed (the mark as printed when written otherwise: 绝密文件,
    机　密, 密级：秘密, 机密★) and secrecy_style ("plain", or "boxed": in a ruled box), urgency
    (特急/加急), issuer_mark (the red mark as read, e.g. 中共浙江省委办公厅文件), issuer_mark_lines
    (optional: several issuer names stacked beside one 文件 for a joint mark), issuer (the mark
    without 文件; several joined with "；"), doc_number (the record's form: brackets normalised
    to 〔〕; optional doc_number_printed when the page prints it otherwise, e.g. 湘革（69）83号
    for 湘革〔69〕83号), signer (签发人 of an upward document, ""
    otherwise), doc_kind (通知/意见/决定/批复/请示/报告), title_lines, addressees (as printed,
    with the final colon), body: [{type "para"|"heading", text, level (heading only: 1 一、 2 （一）
    3 1. 4 （1）)}], attachments (附件说明 names without numbers; numbered on the page when more
    than one), signatories, issue_date_raw / issue_date, seal (bool, default true), disclosure
    (附注 without brackets, "" for none), cc (抄送机关 without "抄送：" and the final "。"),
    printed_by, print_date_raw (without 印发) / print_date, receipt (null or {office, number,
    date_raw, date, ink "red"|"blue" (stamp), fill_ink "black"|"blue"|"red" (the handwritten
    number and date)}), margin_notes: [annotation objects, kind "note", handwritten in the top
    margin of the first circular page]; optional seal_offset [dx, dy]: the seal (the last one
    when several) centred on the 成文日期 line, moved by dx, dy pixels, instead of above it.
    A receipt of the slip-form family has ``place``: "circular" (a stamp on the first circular
    page), "slip" (a stamp on the slip page) or "form" (no stamp: number and date are written in
    the slip's own fields 收文日期/收文编号; optional date_year_inferred).  A stamp has style
    (STAMP_STYLES: rows3 = office / 收文 第＿号 / ＿年＿月＿日 with 第 号 年 月 日 printed; grid =
    office over 收文号 | number and 收文日期 | date; oval; bar = one row office | 收文 | number |
    date), position (STAMP_POSITIONS top_left, top_right, top_center, bottom_left, bottom_right,
    over_text — on the right end of the 发文字号/title line, over the print; on a slip
    SLIP_STAMP_POSITIONS), fill (hand, pencil, numbering = digits of a numbering stamp), hand and
    pen (hand and pencil fills), pale (bool: starved, light ink).  number and date_raw are the
    fields as they read, printed frame included: a rows3 stamp whose 第 号 are printed and 63
    written reads 第63号, its date 2014年1月26日 (年 月 日 printed); number keeps the form written
    (63, 6-3, 第63号, 2014-63, 〔2014〕63, 0063).
annexes
    [{label "附件", number null|1|2 (printed as 附件1), title, header: list of header rows (full
    width; identical neighbouring cells merge, so [["地区","资金","资金"],["地区","中央","省级"]]
    gives a two-row header), rows: data rows (a cell is a string, or a list of strings printed as
    separate lines), total_row (合计 row or null), numeric_columns (0-based), total_matches_sum
    (false when the 合计 is not the sum of the rows shown, as in the example), rows_per_page
    (max data rows per page; a page breaks earlier when rows do not fit)}]
degradation
    skew_deg (small rotation, degrees counter-clockwise as displayed, i.e. PIL/OpenCV sign; each
    page adds a small seeded jitter, the page truth has the exact value), rotation (0/90/180/270
    counter-clockwise, an int for all pages or a list per page), noise (σ of gaussian noise in
    8-bit levels), blur (gaussian σ in px), jpeg_quality, scale_dpi (300), optional paper (RGB
    tint), illumination (0–0.1 uneven lighting amplitude), seed (default: crc32 of id); optional
    mimeograph ({strength 0–1, slant_deg, wave_px}: blotchy, starved and spread ink, specks, bands
    of lines slanting a little) and photo ({scale, curve_px, tilt, light}: the sheet in perspective
    on a dark table, bowed, unevenly lit; same image size).

Page truth ("pages" in <item>.truth.json, second value of render_bundle)
=========================================================================
[{index (1-based), kind, width, height (final image), dpi, rotation, skew_deg,
  blocks: [{role, text, bbox, bbox_scan, ink, line, ...}]}]
bbox is [x0, top, x1, bottom] in pixels of the clean upright 2480×3508 page before degradation;
bbox_scan is the same box mapped through skew and rotation into the final image (axis-aligned
hull).  line is the reading-order index on the page; handwritten is true for everything written
by hand (annotations, slip entries, the stamp's number and date), whatever the role.  Body text ("body", "heading") is one block
per rendered line, in order; joined they give the body text of the truth.  Roles: copy_number,
secrecy, urgency, issuer_mark, doc_number, signer, title, addressees, body, heading,
attachments, signatory, date, disclosure, seal, stamp (part office|label|number|date,
handwritten; in the slip-form family number and date read as the field reads, their bbox
covers the printed frame and the ink, ``fill`` says how it was filled and ``written`` what was
written or stamped), handwriting (kind, annotation, part text|signer|date; a signature written
王林阅 is one signer block), page_number, slip_title, slip_header (column heads, field labels,
a reader section's label), slip_label (an opinion box's label; in the slip-form family with
``region``, the box's ruled cell or writing band [x0, top, x1, bottom], ``box_kind``, and
``vertical`` for a label printed one character a line), slip_cell (row, col key; field for
header fields; the printed 序号 has col "seq"), printed_note,
annex_label, annex_title, table_cell (table, row — data rows from 1, 0 for header rows with
header_row —, col from 1, total, rowspan/colspan, lines), cc, imprint (part printed_by|
print_date); in the other layouts also letterhead (lines under a letter's name), byline (（organ
date） under a title), quotation (part heading|text|source), subtitle, speaker, form_office,
form_title, form_label, form_value (label), file_label (檔號, 保存年限), contact (地址, 聯絡人 …),
original (正本).  ink is black, red or blue.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

from .hands import HANDS, PENS
from .slip_forms import SLIP_FORMS
from .stamp_forms import RECEIPT_PLACES, SLIP_STAMP_POSITIONS, STAMP_FILLS, STAMP_POSITIONS, STAMP_STYLES

SCHEMA_VERSION = 1
# the layouts a document may have (``layout``; absent: gb9704), and those that are no circular
LAYOUTS = ("gb9704", "letter", "under_title", "quotation", "speech", "leaflet", "phone_record", "taiwan")
OTHER_LAYOUTS = ("speech", "leaflet", "phone_record")
# the annotation kind of a printed box label (spaces and a final colon aside); any other label: note
LABEL_KINDS = {"拟办意见": "proposal", "处理意见": "proposal", "承办意见": "proposal", "办公室意见": "proposal",
               "拟办": "proposal", "领导批示": "instruction", "批示意见": "instruction", "批示": "instruction",
               "领导意见": "instruction"}
SIGN_PLACES = ("right", "stacked", "below", "inline", "under")
COLUMN_KEYS = ("seq", "reader", "circulated", "delivered", "returned")
_YEAR_RE = re.compile(r"\d{2,4}[.年/-]\d{1,2}[.月/-]\d{1,2}|^[〇一二三四五六七八九]{2,4}年")
HERE = Path(__file__).resolve().parent
EXAMPLE_TRUTH = HERE / "truth" / "example-bundle.json"


def label_kind(label: str | None) -> str:
    """The annotation kind a printed box label stands for (LABEL_KINDS; note otherwise)."""
    plain = (label or "").replace(" ", "").replace("\u3000", "").rstrip("：:")
    return LABEL_KINDS.get(plain, "note")


def load_truth(path: str | os.PathLike) -> dict:
    with open(path, encoding="utf-8") as fh:
        truth = json.load(fh)
    validate_truth(truth)
    return truth


def validate_truth(truth: dict) -> None:
    """Raise ValueError listing what is wrong with a truth dict (light structural checks)."""
    problems = []
    if truth.get("schema_version") != SCHEMA_VERSION:
        problems.append(f"schema_version must be {SCHEMA_VERSION}")
    for key in ("id", "page_order", "circular", "annexes", "degradation"):
        if key not in truth:
            problems.append(f"missing key {key!r}")
    if truth.get("layout", "gb9704") not in LAYOUTS:
        problems.append(f"unknown layout {truth.get('layout')!r}")
    for kind in truth.get("page_order", []):
        if kind not in ("slip", "circular", "annex", "imprint", "other"):
            problems.append(f"unknown page kind {kind!r} in page_order")
    circ = truth.get("circular") or {}
    for key in ("issuer_mark", "doc_number", "title_lines", "body", "signatories", "issue_date"):
        if key not in circ:
            problems.append(f"circular: missing key {key!r}")
    for i, item in enumerate(circ.get("body", [])):
        if item.get("type") not in ("para", "heading") or not item.get("text"):
            problems.append(f"circular.body[{i}]: needs type para|heading and text")
    for key in ("issue_date", "print_date"):
        if circ.get(key):
            try:
                dt.date.fromisoformat(circ[key])
            except ValueError:
                problems.append(f"circular.{key} is not an ISO date: {circ[key]!r}")
    slip = truth.get("slip")
    if slip:
        if len(slip.get("columns", [])) != len(slip.get("column_keys", [])):
            problems.append("slip: columns and column_keys differ in length")
        for a in slip.get("annotations", []):
            if a.get("kind") not in ("proposal", "instruction", "note"):
                problems.append(f"slip annotation kind {a.get('kind')!r}")
        if slip.get("form") is not None:
            problems += _slip_form_problems(slip)
    problems += _receipt_problems(circ.get("receipt"), slip)
    off = circ.get("seal_offset")
    if off is not None and (len(off) != 2 or not all(isinstance(v, (int, float)) for v in off)):
        problems.append("circular.seal_offset must be [dx, dy]")
    for n, annex in enumerate(truth.get("annexes", [])):
        ncol = len(annex["header"][0]) if annex.get("header") else 0
        for r, row in enumerate(annex.get("rows", [])):
            if len(row) != ncol:
                problems.append(f"annexes[{n}].rows[{r}] has {len(row)} cells, header {ncol}")
    if problems:
        raise ValueError("bad truth " + str(truth.get("id", "?")) + ": " + "; ".join(problems))


def _iso_problem(where: str, value: str) -> list[str]:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return [f"{where} is not an ISO date: {value!r}"]
    return []


def _slip_form_problems(slip: dict) -> list[str]:
    """The checks of a slip of the slip-form family (schema docstring, "slip forms")."""
    problems = []
    if slip["form"] not in SLIP_FORMS:
        problems.append(f"slip.form {slip['form']!r} is none of {', '.join(SLIP_FORMS)}")
    labels = [b.get("label") for b in slip.get("boxes", [])]
    if len(set(labels)) != len(labels):
        problems.append("slip.boxes: labels repeat")
    for b in slip.get("boxes", []):
        if b.get("kind") != label_kind(b.get("label")):
            problems.append(f"slip box {b.get('label')!r}: kind {b.get('kind')!r}, its label says {label_kind(b.get('label'))}")
    for key in slip.get("column_keys", []):
        if key not in COLUMN_KEYS:
            problems.append(f"slip column key {key!r}")
    for key, vocab in (("hand", HANDS), ("pen", PENS)):
        if slip.get(key) is not None and slip[key] not in vocab:
            problems.append(f"slip.{key} {slip[key]!r}")
    for i, a in enumerate(slip.get("annotations", [])):
        where = f"slip.annotations[{i}]"
        if a.get("label") is not None and a["label"] not in labels:
            problems.append(f"{where}: label {a['label']!r} is no printed box")
        if a.get("label") is not None and a.get("kind") != label_kind(a["label"]):
            problems.append(f"{where}: kind {a.get('kind')!r} under label {a['label']!r}")
        for key, vocab in (("hand", HANDS), ("pen", PENS), ("sign", SIGN_PLACES)):
            if a.get(key) not in vocab:
                problems.append(f"{where}: {key} {a.get(key)!r}")
        if a.get("signer_raw") and not a["signer_raw"].startswith(a.get("signer", "")):
            problems.append(f"{where}: signer_raw {a['signer_raw']!r} is not the signer's name as written")
        problems += _iso_problem(f"{where}.date", a.get("date"))
        if bool(a.get("date_year_inferred")) == bool(_YEAR_RE.search(a.get("date_raw", ""))):
            problems.append(f"{where}: date_year_inferred does not match {a.get('date_raw')!r}")
    for r, row in enumerate(slip.get("rows", [])):
        if row.get("reader_raw") and not row["reader_raw"].startswith(row["reader"]):
            problems.append(f"slip.rows[{r}]: reader_raw {row['reader_raw']!r} is not {row['reader']!r} as signed")
        for key in ("circulated", "delivered", "returned"):
            if row.get(key) and _iso_problem("", row.get(key + "_iso")):
                problems.append(f"slip.rows[{r}].{key}_iso is not an ISO date")
    return problems


def _receipt_problems(rc: dict | None, slip: dict | None) -> list[str]:
    """The checks of a receipt of the slip-form family (one with ``place``)."""
    if not rc or "place" not in rc:
        return []
    problems = _iso_problem("circular.receipt.date", rc.get("date"))
    place = rc["place"]
    if place not in RECEIPT_PLACES:
        return problems + [f"circular.receipt.place {place!r}"]
    if place == "form":
        values = {f["label"].replace(" ", "").rstrip("：:"): f.get("value") for f in (slip or {}).get("fields", [])}
        if not (slip or {}).get("form") or values.get("收文日期") != rc.get("date_raw") \
                or values.get("收文编号") != rc.get("number"):
            problems.append("circular.receipt in the form: the slip's 收文日期/收文编号 must hold its date and number")
        return problems
    positions = SLIP_STAMP_POSITIONS if place == "slip" else STAMP_POSITIONS
    for key, vocab in (("style", STAMP_STYLES), ("position", positions), ("fill", STAMP_FILLS)):
        if rc.get(key) not in vocab:
            problems.append(f"circular.receipt.{key} {rc.get(key)!r}")
    if place == "slip" and not slip:
        problems.append("circular.receipt on the slip, but the bundle has no slip")
    if rc.get("style") == "rows3" and not (re.match(r"^第.+号$", rc.get("number", ""))
                                          and re.match(r"^\d{2,4}年\d{1,2}月\d{1,2}日$", rc.get("date_raw", ""))):
        problems.append("circular.receipt: a rows3 stamp reads 第…号 and …年…月…日")
    if rc.get("fill") != "numbering" and rc.get("pen") not in PENS:
        problems.append(f"circular.receipt.pen {rc.get('pen')!r}")
    return problems


def _cell_entries(cell) -> list[str]:
    if cell is None:
        return [""]
    if isinstance(cell, list):
        return [str(x) for x in cell]
    return [str(cell)]
