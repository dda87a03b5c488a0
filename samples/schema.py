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
    when absent the 版记 is printed at the foot of the last circular/annex page if it fits);
    slip; circular; annexes; degradation.
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
circular
    copy_number (份号), secrecy (密级, e.g. 秘密) and secrecy_term (保密期限, e.g. 1年), urgency
    (特急/加急), issuer_mark (the red mark as read, e.g. 中共浙江省委办公厅文件), issuer_mark_lines
    (optional: several issuer names stacked beside one 文件 for a joint mark), issuer (the mark
    without 文件; several joined with "；"), doc_number, signer (签发人 of an upward document, ""
    otherwise), doc_kind (通知/意见/决定/批复/请示/报告), title_lines, addressees (as printed,
    with the final colon), body: [{type "para"|"heading", text, level (heading only: 1 一、 2 （一）
    3 1. 4 （1）)}], attachments (附件说明 names without numbers; numbered on the page when more
    than one), signatories, issue_date_raw / issue_date, seal (bool, default true), disclosure
    (附注 without brackets, "" for none), cc (抄送机关 without "抄送：" and the final "。"),
    printed_by, print_date_raw (without 印发) / print_date, receipt (null or {office, number,
    date_raw, date, ink "red"|"blue" (stamp), fill_ink "black"|"blue"|"red" (the handwritten
    number and date)}), margin_notes: [annotation objects, kind "note", handwritten in the top
    margin of the first circular page].
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
    tint), illumination (0–0.1 uneven lighting amplitude), seed (default: crc32 of id).

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
handwritten), handwriting (kind, annotation, part text|signer|date), page_number, slip_title,
slip_header, slip_label, slip_cell (row, col key; field for header fields), printed_note,
annex_label, annex_title, table_cell (table, row — data rows from 1, 0 for header rows with
header_row —, col from 1, total, rowspan/colspan, lines), cc, imprint (part printed_by|
print_date).  ink is black, red or blue.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

SCHEMA_VERSION = 1
HERE = Path(__file__).resolve().parent
EXAMPLE_TRUTH = HERE / "truth" / "example-bundle.json"


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
    for kind in truth.get("page_order", []):
        if kind not in ("slip", "circular", "annex", "imprint"):
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
    for n, annex in enumerate(truth.get("annexes", [])):
        ncol = len(annex["header"][0]) if annex.get("header") else 0
        for r, row in enumerate(annex.get("rows", [])):
            if len(row) != ncol:
                problems.append(f"annexes[{n}].rows[{r}] has {len(row)} cells, header {ncol}")
    if problems:
        raise ValueError("bad truth " + str(truth.get("id", "?")) + ": " + "; ".join(problems))


def _cell_entries(cell) -> list[str]:
    if cell is None:
        return [""]
    if isinstance(cell, list):
        return [str(x) for x in cell]
    return [str(cell)]
