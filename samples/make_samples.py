#!/usr/bin/env python3
"""Render realistic scanned bundles (件) of Chinese government circulars from truth JSON.

A bundle is what an archive scans as one item: an optional circulation slip (传阅单) with
handwritten 拟办意见/领导批示, the circular itself (GB/T 9704-2012 layout: red 发文机关标志,
发文字号, red rule, title, 主送机关, body, 附件说明, signatories, 成文日期 under a red seal, 附注),
a 收文 stamp, annex tables and the 版记 (抄送 / 印发).  Every page comes with its page truth
(text, role, ink and bbox of every printed or handwritten line), so tests and benchmarks can
score OCR and parsing without a person.

This file is both a script and a module; load it with importlib from its path.

    python samples/make_samples.py --out DIR [--seed N] [--count K] [--only example|random]
                                   [--force] [--upright]

Default set: example-bundle.tif (LZW) and .pdf from truth/example-bundle.json, and sample-7-01.pdf
(rotated 90°), sample-7-02/ (JPEG folder, 180°), sample-7-03.tif (G4) from seed 7.  With --seed N:
random-N-01 … in the formats pdf, tiff-lzw, folder, tiff-g4, tiff-jpeg, png (single page) in turn.

Public functions: ``load_truth``, ``validate_truth``, ``make_random_truth``, ``render_bundle``
(with ``render_clean``), ``degrade_page``, ``binarise``, ``save_item``, ``load_pages``, ``item_path``,
``truth_path``, ``expected_record``, ``body_text``, ``font``/``check_fonts``, ``main``.
Randomness: random.Random(seed * 1000 + index) for truths; rendering jitter and degradation are
seeded from the truth (degradation.seed or crc32 of id), so the same truth gives the same pixels.

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

Files written by save_item: <item> plus <item path>.truth.json (truth + "pages" + "format").
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import functools
import json
import math
import os
import random
import re
import shutil
import sys
import time
import zlib
from decimal import Decimal
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

SCHEMA_VERSION = 1
HERE = Path(__file__).resolve().parent
EXAMPLE_TRUTH = HERE / "truth" / "example-bundle.json"

# ----------------------------------------------------------------------------------------------
# Page geometry (GB/T 9704-2012) at 300 dpi
DPI = 300
MM = DPI / 25.4
PAGE_W, PAGE_H = 2480, 3508
LEFT = round(28 * MM)                  # 331
TOP = round(37 * MM)                   # 437
BODY_W = round(156 * MM)               # 1843
BODY_H = round(225 * MM)               # 2657
RIGHT = LEFT + BODY_W
BOTTOM = TOP + BODY_H
FS = 65                                # 3号 (16 pt) body size; 28 characters fill the line
CP = BODY_W / 28                       # character pitch
LP = BODY_H / 22                       # line pitch: 22 lines per page
TITLE_FS = 92                          # 2号 (22 pt)
SMALL_FS = 58                          # 4号 (14 pt)

INK = {
    "black": (24, 24, 26),
    "red": (212, 34, 38),
    "blue": (30, 56, 158),
}
PEN = {"black": (38, 38, 48), "blue": (28, 52, 150), "red": (196, 40, 46)}
STAMP = {"red": (214, 52, 58), "blue": (48, 78, 176)}
SEAL_RED = (226, 46, 50)

FORMATS = ("tiff-lzw", "tiff-jpeg", "tiff-g4", "pdf", "folder", "png")
_EXT = {"tiff-lzw": ".tif", "tiff-jpeg": ".tif", "tiff-g4": ".tif", "pdf": ".pdf", "folder": "", "png": ".png"}

# ----------------------------------------------------------------------------------------------
# Fonts

_FONT_FILES = {
    # key: (path, face wanted, Debian package)
    "fangsong": ("/usr/share/fonts/truetype/arphic/uming.ttc", "CN", "fonts-arphic-uming"),
    "kaiti": ("/usr/share/fonts/truetype/arphic/ukai.ttc", "CN", "fonts-arphic-ukai"),
    "hand": ("/usr/share/fonts/truetype/arphic/ukai.ttc", "CN", "fonts-arphic-ukai"),
    "heiti": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "SC", "fonts-noto-cjk"),
    "heiti_bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "SC", "fonts-noto-cjk"),
    "xbs": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "SC", "fonts-noto-cjk"),
    "song": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "SC", "fonts-noto-cjk"),
    "stamp": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "Zen Hei", "fonts-wqy-zenhei"),
}


class FontMissingError(RuntimeError):
    """A font file the renderer needs is not installed."""


@functools.lru_cache(maxsize=None)
def _face_index(path: str, want: str) -> int:
    for i in range(16):
        try:
            name = ImageFont.truetype(path, 12, index=i).getname()[0]
        except OSError:
            break
        if name.endswith(" " + want) or name.endswith(want):
            return i
    return 0


@functools.lru_cache(maxsize=512)
def font(key: str, size: int) -> ImageFont.FreeTypeFont:
    """The font for a role key ("fangsong", "xbs", "hand" …) at a pixel size."""
    path, want, package = _FONT_FILES[key]
    if not os.path.exists(path):
        raise FontMissingError(
            f"font file {path} is missing: install the Debian package {package} "
            f"(apt-get install {package})")
    return ImageFont.truetype(path, int(size), index=_face_index(path, want))


def check_fonts() -> None:
    """Raise FontMissingError naming the Debian package of the first missing font."""
    for key in _FONT_FILES:
        font(key, 20)


# ----------------------------------------------------------------------------------------------
# Text helpers: line breaking with Chinese rules (no punctuation at a line start)

NO_START = set("，。、；：？！）》」』〕】”’…%,.;:?!)]}·")
NO_END = set("（《「『〔【“‘([{")
_TOKEN_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.%/\-]*|.", re.S)
CN_DIGITS = "〇一二三四五六七八九"


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def _width(text: str, fnt, tracking: float = 0.0) -> float:
    return fnt.getlength(text) + tracking * len(text)


def wrap(text: str, fnt, width: float, first_width: float | None = None,
         tracking: float = 0.0) -> list[str]:
    """Break text into lines no wider than width (the first line first_width).

    Runs of digits/Latin are not split; punctuation that may not start a line hangs at the end
    of the previous one (the line is squeezed when drawn); an opening bracket moves down."""
    lines: list[str] = []
    cur: list[str] = []
    cur_w = 0.0
    avail = width if first_width is None else first_width
    size = fnt.size
    for tok in _tokens(text):
        w = _width(tok, fnt, tracking)
        if cur and cur_w + w > avail + 0.5:
            if tok[0] in NO_START and cur_w + w <= avail + 1.6 * size:
                cur.append(tok)
                cur_w += w
                continue
            carry: list[str] = []
            while len(cur) > 1 and cur[-1][-1] in NO_END:
                carry.insert(0, cur.pop())
            if len(cur) > 1 and cur[-1][0] in NO_START and cur_w + w > avail + 1.6 * size:
                pass
            lines.append("".join(cur))
            avail = width
            cur = carry
            cur_w = sum(_width(t, fnt, tracking) for t in cur)
        if not cur and w > avail:             # a token longer than a line: split it
            for ch in tok:
                cw = _width(ch, fnt, tracking)
                if cur and cur_w + cw > avail:
                    lines.append("".join(cur))
                    avail = width
                    cur, cur_w = [], 0.0
                cur.append(ch)
                cur_w += cw
            continue
        cur.append(tok)
        cur_w += w
    if cur:
        lines.append("".join(cur))
    return lines


def _balanced_wrap(tokens: list[str], max_units: float) -> list[str]:
    """Title lines: break at token boundaries into balanced lines of at most max_units em."""
    def units(s: str) -> float:
        return sum(0.55 if ord(c) < 128 else 1.0 for c in s)
    total = units("".join(tokens))
    k = max(1, math.ceil(total / max_units))
    for kk in (k, k + 1, k + 2, k + 3):
        target = total / kk
        lines, cur = [], ""
        for tok in tokens:
            if cur and (units(cur) + units(tok) > max_units
                        or (units(cur) >= target - 0.5 and units(cur) + units(tok) > target + 1.5)):
                lines.append(cur)
                cur = ""
            cur += tok
        if cur:
            lines.append(cur)
        if len(lines) <= kk:
            break
    return [ln.strip() for ln in lines]


def iso(d: dt.date) -> str:
    return d.isoformat()


def cn_date(d: dt.date) -> str:
    """二〇一四年一月二十四日"""
    def num(n: int) -> str:
        if n < 10:
            return CN_DIGITS[n]
        if n < 20:
            return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    year = "".join(CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{num(d.month)}月{num(d.day)}日"


def ar_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ----------------------------------------------------------------------------------------------
# Truth loading and checks

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


# ----------------------------------------------------------------------------------------------
# Random truth: corpus

_PROVINCES = [
    # name, abbr, gov code, office code, party office code, cities [(name, abbr, districts)]
    ("浙江", "浙", "浙政发", "浙政办发", "浙委办发", [
        ("杭州", "杭", "杭政", [("上城", "上"), ("拱墅", "拱"), ("西湖", "西"), ("萧山", "萧")]),
        ("温州", "温", "温政发", [("鹿城", "鹿"), ("龙湾", "龙"), ("瓯海", "瓯")]),
        ("宁波", "甬", "甬政发", [("海曙", "海"), ("鄞州", "鄞")]),
        ("金华", "金", "金政发", [("婺城", "婺"), ("金东", "金东")])]),
    ("四川", "川", "川府发", "川办发", "川委办", [
        ("成都", "成", "成府发", [("锦江", "锦"), ("武侯", "武")]),
        ("绵阳", "绵", "绵府发", [("涪城", "涪"), ("游仙", "游")])]),
    ("江苏", "苏", "苏政发", "苏政办发", "苏办发", [
        ("南京", "宁", "宁政发", [("玄武", "玄"), ("鼓楼", "鼓")]),
        ("苏州", "苏", "苏府", [("姑苏", "姑"), ("吴中", "吴")])]),
    ("广东", "粤", "粤府", "粤府办", "粤办发", [
        ("广州", "穗", "穗府", [("越秀", "越"), ("天河", "天")]),
        ("深圳", "深", "深府", [("福田", "福"), ("南山", "南")])]),
    ("山东", "鲁", "鲁政发", "鲁政办发", "鲁办发", [
        ("济南", "济", "济政发", [("历下", "历"), ("槐荫", "槐")]),
        ("青岛", "青", "青政发", [("市南", "南"), ("崂山", "崂")])]),
    ("湖南", "湘", "湘政发", "湘政办发", "湘办发", [
        ("长沙", "长", "长政发", [("岳麓", "岳"), ("芙蓉", "芙")])]),
    ("福建", "闽", "闽政", "闽政办", "闽委办", [
        ("福州", "榕", "榕政综", [("鼓楼", "鼓"), ("台江", "台")]),
        ("厦门", "厦", "厦府", [("思明", "思"), ("湖里", "湖")])]),
]
_DEPTS = [  # (省 name, 市/区 name, code char)
    ("财政厅", "财政局", "财"), ("教育厅", "教育局", "教"), ("民政厅", "民政局", "民"),
    ("交通运输厅", "交通运输局", "交"), ("农业农村厅", "农业农村局", "农"),
    ("自然资源厅", "自然资源和规划局", "自然资源"), ("人力资源和社会保障厅", "人力资源和社会保障局", "人社"),
    ("卫生健康委员会", "卫生健康局", "卫健"), ("生态环境厅", "生态环境局", "环"),
    ("住房和城乡建设厅", "住房和城乡建设局", "建"), ("应急管理厅", "应急管理局", "应急"),
]
_TOPICS = [
    "安全生产", "防汛防台", "农村饮用水安全", "城乡环境综合整治", "优化营商环境", "扶贫开发",
    "森林防火", "食品安全", "数字政府建设", "生活垃圾分类", "河长制", "义务教育均衡发展",
    "基层医疗卫生服务", "文明城市创建", "社会信用体系建设", "农村人居环境整治", "消防安全",
    "地质灾害防治", "粮食安全", "就业创业", "老旧小区改造", "耕地保护", "冬春火灾防控",
    "政务公开", "信访", "重点项目建设", "节能减排", "乡村振兴", "养老服务体系建设",
    "校园安全", "道路交通安全", "安全度汛", "春运", "统计执法检查",
]
_SUBJECTS = [  # (title subject template, kinds it suits); "|" marks where a title line may break
    ("做好|{year}年|{topic}|工作", "通知 意见"), ("进一步|加强|{topic}|工作", "通知 意见"),
    ("开展|{topic}|专项|行动", "通知"), ("印发|《{place}|{topic}|工作|实施方案》", "通知"),
    ("成立|{place}|{topic}|工作|领导小组", "通知"), ("调整|{place}|{topic}|工作|领导小组|成员", "通知"),
    ("表彰|{year}年度|{topic}|工作|先进集体|和|先进个人", "决定"), ("加快推进|{topic}|工作", "意见"),
    ("切实|做好|{topic}|有关|工作", "通知"), ("建立|{topic}|工作|长效机制", "意见"),
    ("印发|《{place}|{topic}|三年|行动计划（{year}—{year3}年）》", "通知"),
    ("开展|{year}年|{topic}|督查|工作", "通知"), ("下达|{year}年|{topic}|专项资金|计划", "通知"),
    ("深化|{topic}|改革", "意见 决定"), ("{topic}|工作|考核|结果", "通报 通知"),
]
_SUBJECTS_REPLY = ["同意|{req}|{topic}|实施方案", "{req}|申请|设立|{town}|{topic}|示范区",
                   "{req}|{year}年|{topic}|项目|调整"]
_SUBJECTS_UP = ["{year}年|{topic}|工作|情况", "申请|安排|{topic}|专项资金", "{topic}|工作|有关|问题"]
_SECTIONS = ["总体要求", "工作目标", "主要任务", "重点工作", "保障措施", "工作要求", "实施步骤",
             "基本原则", "组织实施", "时间安排", "工作范围", "职责分工", "存在的问题", "下一步工作打算"]
_SUBHEADS = ["加强组织领导", "明确责任分工", "强化督查考核", "加大资金投入", "注重宣传引导",
             "完善工作机制", "严格执纪问责", "突出工作重点", "做好信息报送", "狠抓工作落实",
             "强化要素保障", "健全长效机制", "推进试点示范", "加强队伍建设", "优化服务流程",
             "强化风险防控", "夯实基层基础", "深化改革创新"]
_OPENINGS = [
    "为深入贯彻落实{superior}关于{topic}工作的决策部署，进一步提升{region}{topic}工作水平，经{superior_short}同意，现就有关事项通知如下：",
    "近年来，{units}认真贯彻落实{superior}部署要求，{topic}工作取得了明显成效，但仍存在工作发展不平衡、基础保障不够有力等问题。为进一步做好{topic}工作，现提出如下意见：",
    "根据{superior}工作部署，结合{region}实际，现就做好{year}年{topic}工作通知如下：",
    "{topic}工作事关人民群众切身利益，事关经济社会发展大局。为切实做好{topic}工作，经研究，现就有关事项通知如下：",
    "为加快推进{topic}工作，根据有关法律法规和政策规定，结合{region}实际，提出如下意见。",
    "为进一步加强{topic}工作，保障人民群众生命财产安全，经{superior_short}同意，决定在{region}范围内开展{topic}专项行动。现将有关事项通知如下：",
]
_OPENINGS_SHORT = ["根据{superior}工作部署，现就做好{year}年{topic}工作通知如下：",
                   "经{superior_short}同意，现就{topic}有关事项通知如下："]
_OPENINGS_REPLY = ["你{req_short}《关于{req_subject}的请示》（{req_docnum}）收悉。经研究，现批复如下："]
_OPENINGS_UP = {
    "报告": ["根据{superior_short}工作部署，我{self_short}认真开展{topic}工作，现将有关情况报告如下：",
           "{year}年以来，我{self_short}认真贯彻落实{superior}决策部署，扎实推进{topic}工作，现将有关情况报告如下："],
    "请示": ["为做好{topic}工作，根据{superior}有关要求，结合我{self_short}实际，现将有关事项请示如下：",
           "为加快推进{topic}工作，我{self_short}拟采取以下措施，现请示如下："],
}
_SENTENCES = [
    "要坚持问题导向和目标导向，把{topic}工作摆在更加突出的位置，切实抓紧抓实抓好。",
    "各级各部门要充分认识做好{topic}工作的重要性和紧迫性，进一步增强责任感和使命感。",
    "到{year1}年底，{region}{topic}工作体系基本建立，重点任务完成率达到{pct}%以上。",
    "要建立健全统筹协调机制，定期研究解决工作中遇到的困难和问题。",
    "各地要结合实际制定具体实施方案，明确时间表、路线图和责任人。",
    "{dept}要加强业务指导，及时总结推广好经验、好做法。",
    "{region}每年安排专项资金{n}00万元，用于支持{topic}重点项目建设。",
    "要严格落实属地管理责任，主要负责同志是第一责任人，分管负责同志是直接责任人。",
    "要加强监督检查，对工作不力、措施不实的单位予以通报批评。",
    "要充分利用报刊、广播、电视和网络等媒体，广泛宣传{topic}的政策措施和工作成效。",
    "要注重发挥基层组织作用，动员社会各方面力量积极参与。",
    "要建立工作台账，实行清单化管理、项目化推进，确保各项任务按期完成。",
    "各有关单位要于每月{day}日前将上月工作进展情况报送{dept}。",
    "{year}年{month}月底前，各地要完成调查摸底工作，摸清底数，建立档案。",
    "要坚持依法行政，规范工作程序，确保各项工作公开、公平、公正。",
    "对工作中涌现出的先进集体和先进个人，要按照有关规定给予表彰奖励。",
    "要强化信息化支撑，推动数据共享和业务协同，提高工作效率。",
    "要加强队伍建设，定期组织业务培训，不断提高干部队伍的业务能力和服务水平。",
    "要抓住关键环节，集中力量解决群众反映强烈的突出问题。",
    "要严格执行中央八项规定精神，坚决防止形式主义、官僚主义。",
    "各地要把{topic}工作纳入经济社会发展总体规划和年度工作计划。",
    "要完善考核评价办法，将考核结果作为领导班子和领导干部综合考评的重要依据。",
    "要加强部门之间的沟通协调，形成工作合力，避免推诿扯皮。",
    "要切实加强安全管理，落实各项防范措施，坚决防止发生重大事故。",
    "要认真做好政策解读和舆论引导工作，及时回应社会关切。",
    "截至{year}年{month}月底，{region}已累计完成投资{big}万元，完成年度计划的{pct}%。",
    "要积极争取上级支持，拓宽资金筹措渠道，引导社会资本参与{topic}工作。",
    "要加强对重点区域、重点行业、重点环节的监管，做到早发现、早报告、早处置。",
    "要建立健全应急预案，加强应急值守，确保信息畅通、反应迅速、处置有力。",
    "各地要按照“谁主管、谁负责”的原则，层层分解任务，逐级压实责任。",
    "要加强调查研究，深入基层一线，掌握第一手情况。",
    "要进一步优化办事流程，精简审批环节，压缩办理时限。",
    "要坚持以人民为中心的发展思想，把群众满意作为衡量工作成效的根本标准。",
    "要统筹推进城乡协调发展，着力补齐农村基础设施和公共服务短板。",
    "要做好与相关规划、政策的衔接，保持政策的连续性和稳定性。",
    "{dept}负责牵头组织实施，其他有关部门按照职责分工做好相关工作。",
    "各乡镇（街道）要明确专人负责，切实做好具体组织实施工作。",
    "要加强资金监管，严格执行专款专用，严禁截留、挤占、挪用。",
    "审计部门要加强对专项资金使用情况的审计监督。",
    "要坚持试点先行，在{town}等地开展试点，及时总结经验后逐步推广。",
    "要健全长效管理机制，防止问题反弹回潮。",
    "要强化督查督办，对重点任务实行挂号销号管理。",
    "要畅通群众投诉举报渠道，认真受理和处理群众反映的问题。",
    "各地各部门要主动作为，勇于担当，确保{topic}各项工作落到实处。",
    "要加强对基层的指导服务，帮助解决实际困难。",
    "各地要在{year}年{month}月{day}日前将实施方案报送{dept}备案。",
    "工作中遇到的重大问题，要及时向{superior_short}请示报告。",
    "要坚持统筹兼顾，正确处理改革发展稳定的关系。",
    "要把握工作节奏，合理安排进度，确保按时保质完成各项任务。",
    "要进一步完善政策措施，加大扶持力度，激发市场主体活力。",
    "要认真落实安全生产责任制，全面开展安全隐患排查整治。",
    "要加强人才队伍建设，健全引才育才用才机制。",
    "要推进信息公开，主动接受人大监督、政协民主监督和社会舆论监督。",
    "要强化部门联动，建立信息通报、联合执法、案件移送等工作制度。",
    "要加强对{topic}工作的研究谋划，提前做好各项准备工作。",
    "要严格落实值班制度，节假日期间实行二十四小时值班和领导带班制度。",
    "本次工作共涉及{n}个乡镇（街道）、{big}个行政村（社区）。",
    "要围绕年度目标任务，细化工作措施，逐月抓好推进。",
    "对未按期完成任务的单位，由{dept}进行约谈，并在一定范围内通报。",
    "要注重典型示范引领，每年评选一批{topic}工作示范单位。",
    "要进一步简化程序，实行一次告知、一窗受理、限时办结。",
    "要健全基层网格化管理体系，将工作责任落实到村（社区）、到户、到人。",
    "要认真总结{year}年工作情况，查找存在的薄弱环节，研究提出改进措施。",
    "要落实财政保障，将所需工作经费列入同级财政预算。",
    "全年共组织开展检查{n}次，发现并整改问题{big}个。",
    "{year}年共安排各级财政资金{big}万元，比上年增长{pct}%。",
]
_CLOSINGS = {
    "通知": ["请各地各部门结合实际，认真贯彻执行。", "特此通知。", "请认真遵照执行。执行中遇到的问题，请及时向{dept}反映。"],
    "意见": ["以上意见，请认真贯彻落实。", "各地各部门要按照本意见要求，结合实际抓好贯彻落实。"],
    "决定": ["本决定自印发之日起施行。", "希望受表彰的先进集体和个人珍惜荣誉，再接再厉，再创佳绩。"],
    "批复": ["请你{req_short}按照有关规定，认真组织实施。此复。", "此复。"],
    "请示": ["妥否，请批示。", "以上请示，请予审定。"],
    "报告": ["特此报告。", "以上报告，请审阅。"],
}
_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林郑谢罗梁宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊孟秦邱侯江尹薛闫段雷龙黎史陶贺")
_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文海波宁晓东月影德昕亮世南崇胜挺专途伍金鹏飞宇浩然俊峰婷晨阳辉健斌春梅雪琳鑫宏新立君松林荣")
_TOWNS = ["城关镇", "新桥镇", "东山街道", "南湖街道", "白石镇", "青田镇", "大安乡", "柳溪镇", "双塘街道",
          "龙泉镇", "石门乡", "桃源镇", "江北街道", "梅山镇", "清水乡", "凤凰镇", "长安街道", "黄坛镇",
          "西溪街道", "三江镇", "花桥镇", "枫林镇", "仙岩街道", "七星乡", "河口镇", "万全镇", "金山街道"]
_SLIP_NOTES = ["注：请速传阅，如有批示，迅速办理，阅后退回{room}室。", "注：请按顺序传阅，阅后签名，当日退回办公室。",
               "请妥善保管，不得横传、复印。阅后退回{room}室。", ""]


class _Slots:
    """Fills {slot} placeholders of the corpus for one document."""

    def __init__(self, rng: random.Random, values: dict):
        self.rng = rng
        self.values = values

    def fill(self, template: str) -> str:
        rng = self.rng
        dyn = {
            "n": lambda: str(rng.randint(2, 60)),
            "big": lambda: str(rng.randint(100, 9000)),
            "pct": lambda: str(rng.choice([5, 8, 10, 12, 15, 20, 30, 60, 80, 85, 90, 95, 98])),
            "month": lambda: str(rng.randint(3, 12)),
            "day": lambda: str(rng.randint(1, 28)),
            "town": lambda: rng.choice(_TOWNS),
            "dept": lambda: rng.choice(self.values["depts"]),
        }

        def sub(m: re.Match) -> str:
            key = m.group(1)
            if key in dyn:
                return dyn[key]()
            return str(self.values[key])
        return re.sub(r"\{(\w+)\}", sub, template)


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice([1, 2, 2])))


def _raw_short_date(d: dt.date, style: str) -> str:
    return {"dot": f"{d.month}.{d.day}", "full": f"{d.year}.{d.month}.{d.day}",
            "cn": f"{d.month}月{d.day}日", "slash": f"{d.month}/{d.day}"}[style]


def _issuer_choice(rng: random.Random) -> dict:
    """An issuing organ with its 机关代字, region words and level."""
    prov = rng.choice(_PROVINCES)
    pname, pabbr, pgov, poff, pparty, cities = prov
    city = rng.choice(cities)
    cname, cabbr, cgov, districts = city
    dname, dabbr = rng.choice(districts)
    level = rng.choices(["national", "province", "city", "district"], [1, 4, 4, 4])[0]
    kind = rng.choices(["gov", "office", "party", "dept", "joint"], [3, 4, 2, 3, 2])[0]
    d = rng.choice(_DEPTS)
    if level == "national":
        name, code = rng.choice([("国务院办公厅", "国办发"), ("国务院", "国发"), ("国务院办公厅", "国办函")])
        return dict(names=[name], code=code, level=level, region="全国", region_short="国",
                    superior="党中央、国务院", superior_short="国务院", prefix="",
                    units="各省、自治区、直辖市人民政府，国务院各部委、各直属机构")
    if level == "province":
        base, region, sup, pre = pname + "省", "全省", "省委、省政府", "省"
        names_codes = {
            "gov": ([base + "人民政府"], pgov), "office": ([base + "人民政府办公厅"], poff),
            "party": ([f"中共{pname}省委办公厅"], pparty), "dept": ([base + d[0]], f"{pabbr}{d[2]}发"),
            "joint": ([f"中共{pname}省委办公厅", base + "人民政府办公厅"], pparty)}
        units = rng.choice(["各市、县（市、区）人民政府，省政府直属各单位",
                            "各市、县（市、区）党委和人民政府，省直属各单位"])
    elif level == "city":
        base, region, sup, pre = cname + "市", "全市", "市委、市政府", "市"
        names_codes = {
            "gov": ([base + "人民政府"], cgov), "office": ([base + "人民政府办公室"], cabbr + "政办发"),
            "party": ([f"中共{cname}市委办公室"], cabbr + "委办发"), "dept": ([base + d[1]], cabbr + d[2]),
            "joint": ([f"中共{cname}市委办公室", base + "人民政府办公室"], cabbr + "委办发")}
        units = rng.choice(["各县（市、区）人民政府，市政府直属各单位", "各县（市、区）委、人民政府，市直属各单位"])
    else:
        base, region, sup, pre = f"{cname}市{dname}区", "全区", "区委、区政府", "区"
        names_codes = {
            "gov": ([base + "人民政府"], dabbr + "政发"), "office": ([base + "人民政府办公室"], dabbr + "政办"),
            "party": ([f"中共{cname}市{dname}区委办公室"], dabbr + "委办"), "dept": ([base + d[1]], dabbr + d[2]),
            "joint": ([f"中共{cname}市{dname}区委办公室", base + "人民政府办公室"], dabbr + "委办")}
        units = rng.choice(["各街道办事处，区政府直属各单位", "各镇人民政府、街道办事处，区级各部门"])
    names, code = names_codes[kind]
    if kind == "dept":
        units = rng.choice(["各市、县（市、区）" if level == "province" else "各县（市、区）" if level == "city"
                            else "各街道", "各有关单位"]) + ("" if units.startswith("各有关") else "有关部门")
    return dict(names=names, code=code, level=level, region=region, region_short=pre, superior=sup,
                superior_short=sup.split("、")[-1], prefix=pre, units=units,
                province=pname, city=cname, district=dname, district_abbr=dabbr, place=base, dept_level=d)


def _depts_for(iss: dict) -> list[str]:
    pre = iss["prefix"] or "国家"
    if iss["level"] == "province":
        return [pre + x for x in ("发展改革委", "财政厅", "民政厅", "应急管理厅", "扶贫办", "教育厅", "住房城乡建设厅")]
    if iss["level"] == "national":
        return ["国家发展改革委", "财政部", "民政部", "应急管理部"]
    return [pre + x for x in ("发展改革局", "财政局", "民政局", "应急管理局", "农业农村局", "住建局", "教育局")]


def _body(rng: random.Random, slots: _Slots, kind: str, target_chars: int) -> list[dict]:
    body: list[dict] = []
    if kind == "批复":
        opening = rng.choice(_OPENINGS_REPLY)
    elif kind in ("请示", "报告"):
        opening = rng.choice(_OPENINGS_UP[kind])
    elif target_chars <= 0:
        opening = rng.choice(_OPENINGS_SHORT)
    else:
        opening = rng.choice(_OPENINGS)
    opening = slots.fill(opening)
    if kind == "通知":
        opening = opening.replace("提出如下意见：", "通知如下：").replace("提出如下意见。", "现通知如下：")
    elif kind in ("意见", "决定"):
        opening = opening.replace("通知如下：", "提出如下意见：" if kind == "意见" else "决定如下：")
    body.append({"type": "para", "text": opening})
    total = len(body[0]["text"])
    if target_chars <= 0:               # a one-page circular: opening, one short paragraph, closing
        body.append({"type": "para", "text": "".join(slots.fill(s) for s in rng.sample(_SENTENCES, k=2))})
    sections = rng.sample(_SECTIONS, k=len(_SECTIONS))
    subheads = rng.sample(_SUBHEADS, k=len(_SUBHEADS))
    nums = "一二三四五六七八九十"
    s_i = 0
    deep = rng.random() < 0.4

    deck: list[str] = []                # sentences drawn without repeats until the corpus runs out

    def sentences(k: int) -> str:
        out = []
        for _ in range(k):
            if not deck:
                deck.extend(rng.sample(_SENTENCES, k=len(_SENTENCES)))
            out.append(slots.fill(deck.pop()))
        return "".join(out)

    while total < target_chars and s_i < 8:
        head = f"{nums[s_i]}、{sections[s_i % len(sections)]}"
        body.append({"type": "heading", "level": 1, "text": head})
        total += len(head)
        style = rng.random()
        for j in range(rng.randint(1, 3)):
            if style < 0.55:
                lead = subheads.pop() if subheads else "抓好落实"
                if deep and j == 0 and rng.random() < 0.5:
                    body.append({"type": "heading", "level": 2, "text": f"（{nums[j]}）{lead}"})
                    arabic = rng.random() < 0.6
                    for k in range(rng.randint(1, 3)):
                        lead3 = subheads.pop() if subheads else "细化措施"
                        sub = "1234"[k] + "." if arabic else f"（{'1234'[k]}）"
                        text = f"{sub}{lead3}。{sentences(rng.randint(1, 3))}"
                        body.append({"type": "para", "text": text})
                        total += len(text)
                    continue
                text = f"（{nums[j]}）{lead}。{sentences(rng.randint(1, 4))}"
            else:
                text = sentences(rng.randint(2, 5))
            body.append({"type": "para", "text": text})
            total += len(text)
            if total >= target_chars:
                break
        s_i += 1
    body.append({"type": "para", "text": slots.fill(rng.choice(_CLOSINGS[kind]))})
    return body


_ANNEX_TITLES = {  # annex table kind -> attachment title ("plan" is listed but never attached)
    "funds": "{year}年{topic}专项资金分配表", "funds2": "{year}年{topic}补助资金安排表",
    "tasks": "{topic}工作任务分解表", "names": "{topic}工作领导小组成员名单",
    "targets": "{topic}工作进度统计表", "projects": "{year}年{topic}重点项目计划表",
    "plan": "{topic}工作实施方案",
}


def _annex_table(rng: random.Random, iss: dict, n_rows: int, kind: str, slots: _Slots) -> dict:
    places = [t for t in _TOWNS]
    rng.shuffle(places)
    while len(places) < n_rows:
        places += [p + "（二）" for p in places]
    depts = _depts_for(iss)

    def money() -> str:
        return str(rng.randint(5, 3000)) if rng.random() < 0.7 else f"{rng.randint(5, 900)}.{rng.randint(0, 9)}"

    def fmt_total(vals: list[str]) -> str:
        s = sum(Decimal(v) for v in vals)
        return str(s)
    header: list[list[str]]
    numeric: list[int] = []
    rows: list[list] = []
    if kind == "funds":
        header = [["序号", "地区", "项目数（个）", "补助资金（万元）", "备注"]]
        numeric = [2, 3]
        for i in range(n_rows):
            rows.append([str(i + 1), places[i], str(rng.randint(1, 40)), money(),
                         rng.choice(["", "", "", "含续建项目", "新增"])])
    elif kind == "funds2":
        header = [["序号", "地区", "补助资金（万元）", "补助资金（万元）", "补助资金（万元）"],
                  ["序号", "地区", "小计", "中央资金", "省级资金"]]
        numeric = [2, 3, 4]
        for i in range(n_rows):
            a, b = rng.randint(0, 800), rng.randint(10, 900)
            rows.append([str(i + 1), places[i], str(a + b), str(a), str(b)])
    elif kind == "targets":
        header = [["地区", "目标任务（个）", "已完成（个）", "完成率（%）"]]
        numeric = [1, 2]
        for i in range(n_rows):
            t = rng.randint(5, 200)
            done = rng.randint(0, t)
            rows.append([places[i], str(t), str(done), f"{100 * done / t:.1f}"])
    elif kind == "projects":
        header = [["序号", "项目名称", "建设单位", "总投资（万元）", "年度计划（万元）", "建设内容"]]
        numeric = [3, 4]
        for i in range(n_rows):
            total = rng.randint(100, 20000)
            rows.append([str(i + 1), places[i].rstrip("镇乡街道") + rng.choice(["污水管网改造工程", "道路提升工程", "农村饮用水达标提标工程", "综合文化站建设项目", "防洪堤加固工程"]),
                         places[i] + "人民政府" if places[i].endswith(("镇", "乡")) else places[i] + "办事处",
                         str(total), str(rng.randint(50, total)),
                         rng.choice(["新建管网12公里", "改造道路3.5公里及配套设施", "新建水厂1座，铺设供水管道", "建筑面积1200平方米", "加固堤防2.8公里"])])
    elif kind == "tasks":
        header = [["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]]
        for i in range(n_rows):
            rows.append([str(i + 1), slots.fill(
                rng.choice(_SENTENCES)).rstrip("。"), rng.choice(depts),
                [d for d in rng.sample(depts, k=rng.randint(1, 3))] if rng.random() < 0.5 else "各乡镇（街道）",
                f"{rng.randint(3, 12)}月底前"])
    else:  # names
        header = [["序号", "姓名", "单位及职务", "联系电话"]]
        for i in range(n_rows):
            rows.append([str(i + 1), _person(rng), rng.choice(depts) + rng.choice(["局长", "副局长", "主任", "科长", "副主任"]),
                         f"0577-{rng.randint(55000000, 89999999)}"])
    total_row = None
    if numeric and rng.random() < 0.9:
        ncol = len(header[0])
        total_row = [""] * ncol
        total_row[0] = "合计"
        for c in numeric:
            total_row[c] = fmt_total([r[c] for r in rows])
    return {"header": header, "rows": rows, "total_row": total_row, "numeric_columns": numeric,
            "total_matches_sum": True if total_row else None}


def make_random_truth(seed: int, index: int, *, rotation_variety: bool = False,
                      single_page: bool = False) -> dict:
    """A random bundle truth (same schema as the example), fully determined by (seed, index).

    rotation_variety: some items come rotated by 90/180/270; single_page: a short circular with
    no slip and no annexes that fits on one page with its 版记 (for single-image formats)."""
    rng = random.Random(seed * 1000 + index)
    iss = _issuer_choice(rng)
    year = rng.randint(2000, 2024)
    issue = dt.date(year, rng.randint(1, 11), rng.randint(1, 28))
    depts = _depts_for(iss)
    kind = rng.choices(["通知", "意见", "决定", "批复", "请示", "报告"], [8, 3, 1, 2, 1, 1])[0]
    if single_page and kind in ("请示", "报告"):     # their 版头 (mark at 80 mm) leaves too little room
        kind = "通知"
    upward = kind in ("请示", "报告")
    # A 请示/报告 goes up from a lower organ; a 批复 answers a lower organ.
    lower_place = f"{iss.get('city', '温州')}市{iss.get('district', '鹿城')}区" if iss["level"] != "district" else rng.choice(_TOWNS)
    req_unit = lower_place + ("办事处" if lower_place.endswith("街道") else "人民政府")
    topic = rng.choice(_TOPICS)
    values = dict(topic=topic, year=year, year1=year + rng.randint(1, 3), year3=year + 2,
                  region=iss["region"], superior=iss["superior"], superior_short=iss["superior_short"],
                  units=iss["units"].split("，")[0] if "，" in iss["units"] else "各地各部门",
                  depts=depts, place=iss.get("place", ""), req=lower_place,
                  self_short=iss["region_short"] or "部")
    values["req_short"] = ("区" if req_unit.endswith("区人民政府") else lower_place[-1] if req_unit.endswith("人民政府")
                           else "处")
    slots = _Slots(rng, values)
    if kind == "批复":
        subj_src = _SUBJECTS_REPLY
    elif upward:
        subj_src = _SUBJECTS_UP
    else:
        subj_src = [t for t, kinds in _SUBJECTS if kind in kinds.split()]
    subject_tokens = [slots.fill(t) for t in rng.choice(subj_src).split("|")]
    values["req_subject"] = "".join(subject_tokens)
    req_code = lower_place[0] if iss["level"] == "district" else iss.get("district_abbr", "鹿")
    values["req_docnum"] = f"{req_code}政〔{year}〕{rng.randint(1, 80)}号"
    names = iss["names"]
    joint = len(names) > 1
    # title
    tokens: list[str] = []
    with_issuer = joint or rng.random() < 0.5
    if with_issuer:
        tokens = [names[0]] + ([" ", names[1]] if joint else [])
    body_tokens = ["关于"] + subject_tokens + ["的", kind]
    if with_issuer and joint:
        head = " ".join(names)
        title_lines = ([head] if len(head) <= 20 else list(names)) + _balanced_wrap(body_tokens, 18)
    else:
        title_lines = _balanced_wrap(tokens + body_tokens, 18)
    if kind == "批复":
        addressees = req_unit + "："
    elif upward:
        addressees = {"national": "党中央、国务院", "province": "国务院", "city": "省人民政府",
                      "district": "市人民政府"}[iss["level"]] + "："
    else:
        addressees = iss["units"] + "："
    n_pages = 1 if single_page else rng.choice([1, 1, 2, 2, 3, 4])
    target = 0 if single_page else {1: 300, 2: 900, 3: 1500, 4: 2100}[n_pages] + rng.randint(-150, 150)
    body = _body(rng, slots, kind, target)
    # attachments and annexes
    n_att = 0 if single_page else rng.choices([0, 1, 2, 3], [4, 3, 2, 1])[0]
    kinds = rng.sample(list(_ANNEX_TITLES), k=n_att)
    att_titles = [slots.fill(_ANNEX_TITLES[k]) for k in kinds]
    annexes = []
    for i, (k, t) in enumerate(list(zip(kinds, att_titles))[: rng.choice([0, 1, 1, 2])]):
        if k == "plan":
            continue
        n_rows = rng.choice([4, 6, 8, 12, 18, 25, 32, 40])
        table = _annex_table(rng, iss, n_rows, k, slots)
        annexes.append({"label": "附件", "number": (i + 1) if len(att_titles) > 1 else None, "title": t,
                        "rows_per_page": rng.choice([None, None, 8, 10, 12]), **table})
    signatories = list(names)
    issue_raw = cn_date(issue) if rng.random() < 0.3 else ar_date(issue)
    print_date = issue + dt.timedelta(days=rng.randint(0, 6))
    disclosure = rng.choice(["此件公开发布", "此件主动公开", "此件不公开", "", ""])
    cc_pool = {"national": ["党中央各部门", "全国人大常委会办公厅", "全国政协办公厅", "国家监委", "最高人民法院", "最高人民检察院"],
               "province": ["省委各部门", "省人大常委会办公厅", "省政协办公厅", "省监委", "省法院", "省检察院", "省军区"],
               "city": ["市委各部门", "市人大常委会办公室", "市政协办公室", "市监委", "市中级法院", "市检察院"],
               "district": ["区委各部门", "区人大常委会办公室", "区政协办公室", "区监委", "区法院", "区检察院", "区人武部"]}[iss["level"]]
    cc = "，".join(rng.sample(cc_pool, k=rng.randint(2, len(cc_pool)))) if rng.random() < 0.7 else ""
    printed_by = names[0] if rng.random() < 0.6 else (names[0].replace("人民政府", "人民政府办公室") if names[0].endswith("人民政府") else names[0])
    receive = issue + dt.timedelta(days=rng.randint(2, 12))
    fmt_recv = rng.choice(["yy", "dot", "full"])
    recv_raw = {"yy": f"{receive.year % 100:02d}年{receive.month}月{receive.day}日",
                "dot": f"{receive.year}.{receive.month}.{receive.day}",
                "full": ar_date(receive)}[fmt_recv]
    receiver_place = (f"{iss.get('city', '温州')}市{iss.get('district', '鹿城')}区" if iss["level"] != "district"
                      else f"{iss['city']}市{iss['district']}区{rng.choice(['财政局', '民政局', '教育局'])}")
    receiver = receiver_place + ("人民政府办公室" if receiver_place.endswith("区") else "")
    receipt = None
    if rng.random() < 0.8:
        receipt = {"office": receiver, "number": rng.choice([f"{rng.randint(1, 40)}-{rng.randint(1, 20)}",
                                                            str(rng.randint(1, 999)), f"第{rng.randint(1, 500)}号"]),
                   "date_raw": recv_raw, "date": iso(receive), "ink": rng.choice(["red", "red", "blue"]),
                   "fill_ink": rng.choice(["black", "blue"])}
    circular = {
        "copy_number": f"{rng.randint(1, 300):06d}" if rng.random() < 0.25 else "",
        "secrecy": "", "secrecy_term": "", "urgency": "",
        "issuer_mark": "".join(names) + "文件",
        "issuer": "；".join(names),
        "doc_number": f"{iss['code']}〔{year}〕{rng.randint(1, 300)}号",
        "signer": _person(rng) if upward else "",
        "doc_kind": kind,
        "title_lines": title_lines,
        "addressees": addressees,
        "body": body,
        "attachments": att_titles,
        "signatories": signatories,
        "issue_date_raw": issue_raw, "issue_date": iso(issue),
        "seal": True,
        "disclosure": disclosure,
        "cc": cc,
        "printed_by": printed_by,
        "print_date_raw": ar_date(print_date), "print_date": iso(print_date),
        "receipt": receipt,
        "margin_notes": [],
    }
    if joint and rng.random() < 0.5:
        circular["issuer_mark_lines"] = list(names)
    elif joint:
        circular["issuer_mark"] = names[0] + "文件"
        circular["issuer"] = names[0]
    if circular["copy_number"] and rng.random() < 0.7:
        circular["secrecy"] = rng.choice(["秘密", "机密"])
        circular["secrecy_term"] = rng.choice(["", "1年", "5年", "10年"])
    if rng.random() < 0.2:
        circular["urgency"] = rng.choice(["特急", "加急"])
    # readers and annotations
    reader_count = rng.randint(3, 12)
    readers = [_person(rng) for _ in range(reader_count)]
    title_of = {"national": "部长", "province": "厅长", "city": "市长", "district": "区长"}[iss["level"]]
    day0 = receive + dt.timedelta(days=rng.randint(0, 2))
    annotations = []
    date_style = rng.choice(["dot", "full", "cn"])

    def ann(kind_: str, label, text: str, signer: str, d: dt.date) -> dict:
        raw = _raw_short_date(d, date_style if rng.random() < 0.8 else rng.choice(["dot", "full", "cn"]))
        return {"kind": kind_, "label": label, "text": text, "signer": signer, "date_raw": raw,
                "date": iso(d), "date_year_inferred": str(d.year) not in raw}
    box_labels = rng.choice([["拟办意见：", "领导批示："], ["拟办意见", "领导批示"], ["办公室意见：", "领导批示："],
                             ["拟办意见：", "批示意见："]])
    clerk = _person(rng)
    if rng.random() < 0.85:
        r1, r2 = readers[0], readers[min(1, len(readers) - 1)]
        text = rng.choice([f"请{r1[0]}{title_of}、{r2[0]}副{title_of}阅示。", f"拟请{r1}同志阅处。",
                           f"建议送{rng.choice(depts)}研究办理。", "请各位领导阅。", f"请{r1[0]}{title_of}阅示。"])
        annotations.append(ann("proposal", box_labels[0], text, clerk, day0))
    if rng.random() < 0.7:
        leader = readers[0]
        text = rng.choice([f"请{clerk}阅示。", f"同意拟办意见，请{rng.choice(depts)}抓好落实。",
                           f"阅。请{rng.choice(depts)}按文件要求认真贯彻执行。", f"请{rng.choice(readers)}同志牵头研究办理。",
                           "已阅。", "请办公室按程序办理。"])
        annotations.append(ann("instruction", box_labels[1], text, leader, day0 + dt.timedelta(days=rng.randint(0, 4))))
    if rng.random() < 0.3:
        who = rng.choice(readers)
        text = rng.choice([f"我已转交，请{clerk}阅示。", f"已阅，转{rng.choice(depts)}。", "已按要求落实。", "请存档。",
                           f"已转{rng.choice(readers)}同志。"])
        annotations.append(ann("note", None, text, who, day0 + dt.timedelta(days=rng.randint(3, 8))))
    if rng.random() < 0.2:
        who = rng.choice(readers)
        circular["margin_notes"].append(ann("note", None, rng.choice(["请办公室存档。", "请抓紧落实。", f"请{clerk}阅处。", "已阅。"]),
                                            who, day0 + dt.timedelta(days=rng.randint(1, 5))))
    rows = []
    filled = rng.randint(0, reader_count)
    dd = day0
    for i, r in enumerate(readers):
        row = {"reader": r, "circulated": "", "delivered": "", "returned": ""}
        if i < filled:
            dd = dd + dt.timedelta(days=rng.choice([0, 0, 1]))
            row["delivered"] = _raw_short_date(dd, "dot")
            row["delivered_iso"] = iso(dd)
            if rng.random() < 0.6:
                c = dd + dt.timedelta(days=rng.choice([0, 1, 2]))
                row["circulated"] = _raw_short_date(c, "dot")
                row["circulated_iso"] = iso(c)
            if rng.random() < 0.4:
                c = dd + dt.timedelta(days=rng.choice([1, 2, 3]))
                row["returned"] = _raw_short_date(c, "dot")
                row["returned_iso"] = iso(c)
        for k in ("circulated", "delivered", "returned"):
            row.setdefault(k + "_iso", "")
        rows.append(row)
    col_variant = rng.choice([
        (["传阅人", "传阅日期", "送达日期", "收回日期"], ["reader", "circulated", "delivered", "returned"]),
        (["阅文人", "传阅日期", "送达日期", "退回日期"], ["reader", "circulated", "delivered", "returned"]),
        (["传阅人", "送达日期", "退回日期"], ["reader", "delivered", "returned"]),
        (["阅文领导", "收到日期", "退回日期"], ["reader", "delivered", "returned"]),
    ])
    for row in rows:
        if "circulated" not in col_variant[1]:
            row["circulated"] = row["circulated_iso"] = ""
    slip_layout = rng.choice(["right", "right", "rows"])
    blank_rows = rng.choice([0, 0, 1, 2, 3, 4])
    if slip_layout == "right":          # a printed form has enough rows for the opinion boxes
        blank_rows = max(blank_rows, 8 - reader_count)
    slip_org = receiver_place + ("人民政府" if receiver_place.endswith("区") else "")
    slip = {
        "title": slip_org + rng.choice(["文件传阅单", "文件处理笺", "阅文单", "文件传阅单"]),
        "columns": col_variant[0], "column_keys": col_variant[1], "rows": rows,
        "blank_rows": blank_rows, "readers_printed": rng.random() < 0.3,
        "layout": slip_layout, "box_labels": box_labels,
        "fields": ([{"label": "来文单位", "value": names[0]}, {"label": "文号", "value": circular["doc_number"]}]
                   if rng.random() < 0.4 else []),
        "printed_note": slots.fill(rng.choice(_SLIP_NOTES).replace("{room}", str(rng.randint(101, 520)))),
        "annotations": annotations,
    }
    has_slip = (not single_page) and rng.random() < 0.8
    page_order = ["circular"] + (["annex"] if annexes else [])
    if not single_page and (cc or rng.random() < 0.5) and rng.random() < 0.6:
        page_order.append("imprint")
    if has_slip:
        if rng.random() < 0.8:
            page_order.insert(0, "slip")
        else:
            page_order.append("slip")
    rot = 0
    if rotation_variety and rng.random() < 0.35:
        rot = rng.choice([90, 180, 270])
    skew = rng.uniform(-1.2, 1.2) if rng.random() < 0.75 else rng.uniform(-3, 3)
    degradation = {"skew_deg": round(skew, 2), "rotation": rot, "noise": round(rng.uniform(2.0, 7.0), 1),
                   "blur": round(rng.uniform(0.3, 1.0), 2), "jpeg_quality": rng.randint(60, 90), "scale_dpi": DPI,
                   "paper": [rng.randint(238, 252), rng.randint(236, 250), rng.randint(226, 244)],
                   "illumination": round(rng.uniform(0.0, 0.07), 3)}
    truth = {
        "schema_version": SCHEMA_VERSION,
        "id": f"random-{seed}-{index:02d}",
        "notes": f"random bundle from seed {seed}, index {index}; all text composed",
        "page_order": page_order,
        "slip": slip if has_slip else None,
        "circular": circular,
        "annexes": annexes,
        "degradation": degradation,
    }
    validate_truth(truth)
    if single_page:
        _fit_one_page(truth)
    return truth


def _fit_one_page(truth: dict) -> None:
    """Shorten a single-page truth until the circular and its 版记 render on one page."""
    c = truth["circular"]
    body = c["body"]
    mid = [b for b in body[1:-1] if b["type"] == "para"][:1]
    c["body"] = [body[0]] + mid + [body[-1]]
    while len(render_clean(truth)) > 1:
        if len(c["body"]) > 2:
            del c["body"][1]
        elif c["cc"]:
            c["cc"] = ""
        elif c["margin_notes"] or c["copy_number"] or c["urgency"]:
            c["margin_notes"], c["copy_number"], c["secrecy"], c["secrecy_term"], c["urgency"] = [], "", "", "", ""
        elif c["disclosure"]:
            c["disclosure"] = ""
        elif len(c["title_lines"]) > 2:
            c["title_lines"] = c["title_lines"][-2:]
        elif c["doc_kind"] == "通知" and c["body"][-1]["text"] != "特此通知。":
            c["body"][-1] = {"type": "para", "text": "特此通知。"}
        elif c["attachments"]:
            c["attachments"] = []
        elif len(c["body"]) > 1:
            del c["body"][0]
        elif c["signer"]:
            c["signer"] = ""
        else:
            raise RuntimeError(f"{truth['id']}: cannot fit the circular on one page")


# ----------------------------------------------------------------------------------------------
# Rendering: page canvas

class _Page:
    def __init__(self, kind: str):
        self.kind = kind
        self.img = Image.new("RGB", (PAGE_W, PAGE_H), (255, 255, 255))
        self.draw = ImageDraw.Draw(self.img)
        self.blocks: list[dict] = []
        self.late: list = []          # overlays applied after print: seals, stamps, handwriting
        self._seq = 0

    def add(self, role: str, text: str, bbox, ink: str = "black", order: float | None = None, **extra) -> dict:
        self._seq += 1
        extra.setdefault("handwritten", role == "handwriting")
        block = {"role": role, "text": text, "bbox": [int(round(v)) for v in bbox], "ink": ink, **extra,
                 "_order": self._seq if order is None else order}
        self.blocks.append(block)
        return block


def _draw_line(page: _Page, x: float, y_top: float, text: str, fkey: str, size: int, *,
               fill=INK["black"], width: float | None = None, justify: bool = False,
               tracking: float = 0.0, hscale: float = 1.0) -> tuple[float, float, float, float]:
    """Draw one line with its em box top at y_top; squeeze to width if wider, stretch if justify.

    Returns the em-box bbox."""
    fnt = font(fkey, size)
    base = y_top + 0.88 * size
    chars = list(text)
    widths = [fnt.getlength(c) for c in chars]
    natural = sum(widths) + tracking * max(0, len(chars) - 1)
    if width is not None and len(chars) > 1 and (natural > width + 0.5 or justify):
        gap = (width - sum(widths)) / (len(chars) - 1)
    else:
        gap = tracking
    if gap == 0 and hscale == 1.0:
        page.draw.text((x, base), text, font=fnt, fill=fill, anchor="ls")
        return (x, y_top, x + natural, y_top + size)
    cx = x
    for c, w in zip(chars, widths):
        page.draw.text((cx, base), c, font=fnt, fill=fill, anchor="ls")
        cx += w + gap
    return (x, y_top, cx - gap, y_top + size)


def _text_w(text: str, fkey: str, size: int, tracking: float = 0.0) -> float:
    return _width(text, font(fkey, size), tracking) - (tracking if text else 0)


def _mask_text(text: str, fkey: str, size: int) -> Image.Image:
    """An L mask of text, cropped to the ink."""
    fnt = font(fkey, size)
    w = int(fnt.getlength(text)) + size
    m = Image.new("L", (w, int(size * 1.5)), 0)
    ImageDraw.Draw(m).text((size // 2, int(size * 1.1)), text, font=fnt, fill=255, anchor="ls")
    return m.crop(m.getbbox())


def _multiply(page: _Page, mask: Image.Image, xy: tuple[int, int], color, alpha: float = 1.0) -> tuple:
    """Blend colour into the page through mask with multiply (ink over ink stays dark)."""
    x, y = int(round(xy[0])), int(round(xy[1]))
    w, h = mask.size
    x0, y0, x1, y1 = max(0, x), max(0, y), min(PAGE_W, x + w), min(PAGE_H, y + h)
    if x1 <= x0 or y1 <= y0:
        return (x0, y0, x0, y0)
    m = np.asarray(mask.crop((x0 - x, y0 - y, x1 - x, y1 - y)), dtype=np.float32) * (alpha / 255.0)
    region = np.asarray(page.img.crop((x0, y0, x1, y1)), dtype=np.float32)
    col = np.asarray(color, dtype=np.float32) / 255.0
    out = region * (1.0 - m[..., None] * (1.0 - col))
    page.img.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)), (x0, y0))
    bb = mask.getbbox()
    if not bb:
        return (x0, y0, x0, y0)
    return (x + bb[0], y + bb[1], x + bb[2], y + bb[3])


def _hand_mask(text: str, size: int, rng: random.Random) -> Image.Image:
    """Handwriting: ukai glyphs, each with its own size, tilt and offset, on a drifting baseline;
    the line is then slanted and tilted as a whole."""
    pad = size
    glyphs = []
    x = pad
    drift = rng.uniform(-0.06, 0.06)             # baseline slope, px per px
    for ch in text:
        if ch == " ":
            x += size * 0.45
            continue
        s = max(10, int(round(size * rng.uniform(0.84, 1.12))))
        fnt = font("hand", s)
        g = Image.new("L", (2 * s, 2 * s), 0)
        ImageDraw.Draw(g).text((s // 2, int(s * 1.45)), ch, font=fnt, fill=255, anchor="ls")
        if ord(ch) > 127:
            g = g.rotate(rng.uniform(-7, 7), resample=Image.Resampling.BICUBIC, center=(s, s))
        dy = rng.gauss(0, size * 0.05) + drift * (x - pad)
        glyphs.append((x - s // 2, dy - s * 1.45, g))
        adv = fnt.getlength(ch)
        x += adv * rng.uniform(0.86, 1.02) + (size * 0.05 if ord(ch) > 127 else size * 0.02)
    w = int(x + pad)
    base = size * 1.45 + max(0.0, -drift * w)
    h = int(size * 2.4 + abs(drift) * w)
    m = Image.new("L", (w, h), 0)
    for gx, gy, g in glyphs:
        px, py = int(gx), int(base + gy)
        region = m.crop((px, py, px + g.size[0], py + g.size[1]))
        m.paste(ImageChops.lighter(region, g), (px, py))
    shear = rng.uniform(-0.18, 0.02)
    m = m.transform(m.size, Image.Transform.AFFINE, (1, shear, -shear * h / 2, 0, 1, 0),
                    resample=Image.Resampling.BILINEAR)
    m = m.rotate(rng.uniform(-2.0, 2.0), resample=Image.Resampling.BICUBIC, expand=True)
    bb = m.getbbox()
    return m.crop(bb) if bb else m


def _hand(page: _Page, x: float, y: float, text: str, size: int, ink: str, rng: random.Random,
          anchor: str = "lt") -> tuple:
    """Schedule handwriting at (x, y) (anchor lt/rt/ct/lm/cm); returns its ink bbox."""
    mask = _hand_mask(text, size, rng)
    w, h = mask.size
    if anchor[0] == "r":
        x -= w
    elif anchor[0] == "c":
        x -= w / 2
    if anchor[1] == "m":
        y -= h / 2
    x += rng.uniform(-size * 0.1, size * 0.1)
    y += rng.uniform(-size * 0.08, size * 0.08)
    x = min(max(20, x), PAGE_W - w - 20)
    y = min(max(20, y), PAGE_H - h - 20)
    color = PEN[ink]
    page.late.append((3, lambda: page.img.paste(color, (int(x), int(y), int(x) + w, int(y) + h), mask)))
    return (int(x), int(y), int(x) + w, int(y) + h)


def _hand_wrap(text: str, size: int, width: float) -> list[str]:
    return wrap(text, font("hand", size), width / 1.04)


# ----------------------------------------------------------------------------------------------
# Seal and receipt stamp

def _star_points(cx: float, cy: float, r: float, rot: float = -90.0) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.382
        a = math.radians(rot + i * 36)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def _seal_mask(name: str, diameter: int, rng: random.Random) -> Image.Image:
    """A round official seal: ring, five-pointed star, the organ's name along the upper arc."""
    size = diameter + 20
    c = size / 2
    R = diameter / 2
    m = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(m)
    ring = max(8, int(diameter * 0.03))
    d.ellipse((c - R, c - R, c + R, c + R), outline=255, width=ring)
    d.polygon(_star_points(c, c, R * 0.3), fill=255)
    n = len(name)
    fs = int(min(R * 0.34, (R * 0.72) * math.radians(250) / max(n, 1) * 1.05))
    fnt = font("song", fs)
    span = min(250.0, n * fs * 1.1 / (R * 0.72) * 180 / math.pi)
    r_text = R - ring - fs * 0.62
    for i, ch in enumerate(name):
        ang = -90 - span / 2 + span * (i + 0.5) / n        # degrees, screen coords, -90 is top
        glyph = Image.new("L", (fs * 2, fs * 2), 0)
        ImageDraw.Draw(glyph).text((fs, fs), ch, font=fnt, fill=255, anchor="mm")
        glyph = glyph.rotate(-(ang + 90), resample=Image.Resampling.BICUBIC)
        gx = c + r_text * math.cos(math.radians(ang)) - fs
        gy = c + r_text * math.sin(math.radians(ang)) - fs
        m.paste(255, (int(gx), int(gy)), glyph)
    # uneven ink: random low-frequency density and pinholes
    a = np.asarray(m, dtype=np.float32)
    gen = np.random.default_rng(rng.randrange(1 << 30))
    low = cv2.resize(gen.uniform(0.55, 1.0, (6, 6)).astype(np.float32), (size, size), interpolation=cv2.INTER_CUBIC)
    holes = (gen.random((size, size)) > 0.04).astype(np.float32)
    a = a * np.clip(low, 0.45, 1.0) * holes
    m = Image.fromarray(cv2.GaussianBlur(a, (0, 0), 1.2).clip(0, 255).astype(np.uint8))
    return m.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC)


def _seal(page: _Page, name: str, cx: float, cy: float, rng: random.Random) -> None:
    diameter = round(42 * MM)
    mask = _seal_mask(name, diameter, rng)
    x, y = cx - mask.size[0] / 2, cy - mask.size[1] / 2
    page.late.append((1, lambda: _multiply(page, mask, (x, y), SEAL_RED, 0.88)))
    page.add("seal", name, (cx - diameter / 2, cy - diameter / 2, cx + diameter / 2, cy + diameter / 2), "red")


def _rot_pt(x: float, y: float, ang: float, cx: float, cy: float) -> tuple[float, float]:
    a = math.radians(-ang)                   # PIL rotate(ang) is counter-clockwise on screen
    dx, dy = x - cx, y - cy
    return (cx + dx * math.cos(a) - dy * math.sin(a), cy + dx * math.sin(a) + dy * math.cos(a))


def _rot_box(b, ang, cx, cy, ox, oy):
    pts = [_rot_pt(px, py, ang, cx, cy) for px, py in ((b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3]))]
    xs, ys = [p[0] + ox for p in pts], [p[1] + oy for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def _receipt_stamp(page: _Page, receipt: dict, x1: float, y0: float, rng: random.Random) -> None:
    """A 收文 stamp: office name | number over 收文 | date; number and date filled by hand."""
    office = receipt["office"]
    fs = 40
    w_off = max(_text_w(office, "stamp", fs) + 40, 420)
    W = int(w_off + 300)
    H = 200
    pad = 30
    stamp = Image.new("L", (W + 2 * pad, H + 2 * pad), 0)
    pen = Image.new("L", stamp.size, 0)
    d = ImageDraw.Draw(stamp)
    lw = 5
    d.rectangle((pad, pad, pad + W, pad + H), outline=255, width=lw)
    d.line((pad, pad + H // 2, pad + W, pad + H // 2), fill=255, width=lw - 1)
    xs = pad + int(w_off)
    d.line((xs, pad, xs, pad + H // 2), fill=255, width=lw - 1)
    xl = pad + 140
    d.line((xl, pad + H // 2, xl, pad + H), fill=255, width=lw - 1)
    fo = font("stamp", fs)
    parts = []
    cy1, cy2 = pad + H // 4, pad + 3 * H // 4
    d.text(((pad + xs) / 2, cy1), office, font=fo, fill=255, anchor="mm")
    parts.append(("office", office, (pad, pad, xs, pad + H // 2), False))
    d.text(((pad + xl) / 2, cy2), "收文", font=font("stamp", 48), fill=255, anchor="mm")
    parts.append(("label", "收文", (pad, pad + H // 2, xl, pad + H), False))
    fill_ink = receipt.get("fill_ink", "black")
    for key, txt, box in (("number", receipt["number"], (xs, pad, pad + W, pad + H // 2)),
                          ("date", receipt["date_raw"], (xl, pad + H // 2, pad + W, pad + H))):
        hm = _hand_mask(txt, 52, rng)
        bw, bh = box[2] - box[0], box[3] - box[1]
        if hm.size[0] > bw - 10:
            hm = hm.resize((int(bw - 10), int(hm.size[1] * (bw - 10) / hm.size[0])))
        px, py = int(box[0] + (bw - hm.size[0]) / 2), int(box[1] + (bh - hm.size[1]) / 2)
        pen.paste(255, (px, py), hm)
        parts.append((key, txt, (px, py, px + hm.size[0], py + hm.size[1]), True))
    ang = rng.uniform(-4, 4)
    stamp = stamp.rotate(ang, resample=Image.Resampling.BICUBIC, expand=False)
    pen = pen.rotate(ang, resample=Image.Resampling.BICUBIC, expand=False)
    a = np.asarray(stamp, dtype=np.float32)
    gen = np.random.default_rng(rng.randrange(1 << 30))
    low = cv2.resize(gen.uniform(0.78, 1.0, (4, 8)).astype(np.float32), stamp.size, interpolation=cv2.INTER_CUBIC)
    stamp = Image.fromarray((a * low).clip(0, 255).astype(np.uint8))
    ox, oy = x1 - stamp.size[0], y0
    cx, cy = stamp.size[0] / 2, stamp.size[1] / 2
    ink = receipt.get("ink", "red")
    page.late.append((2, lambda: _multiply(page, stamp, (ox, oy), STAMP[ink], 0.95)))
    pen_color = STAMP[ink] if fill_ink == ink else PEN[fill_ink]
    page.late.append((3, lambda: _multiply(page, pen, (ox, oy), pen_color, 1.0)))
    for n, (part, txt, box, hand) in enumerate(parts):
        page.add("stamp", txt, _rot_box(box, ang, cx, cy, ox, oy), fill_ink if hand else ink,
                 order=-100 + n, part=part, handwritten=hand)
    return (ox, oy, ox + stamp.size[0], oy + stamp.size[1])


# ----------------------------------------------------------------------------------------------
# Rendering: circular

class _Item:
    __slots__ = ("h", "draw", "keep_next", "keep_prev")

    def __init__(self, h, draw, keep_next=False, keep_prev=0):
        self.h, self.draw, self.keep_next, self.keep_prev = h, draw, keep_next, keep_prev


def _paginate(items: list[_Item], first_top: float = TOP) -> list[list[tuple[_Item, float]]]:
    pages: list[list[_Item]] = [[]]
    y = first_top
    for it in items:
        if y + it.h > BOTTOM + 3 and pages[-1]:
            cur = pages[-1]
            carry: list[_Item] = []
            k = it.keep_prev
            while k > 0 and len(cur) > 1:
                carry.insert(0, cur.pop())
                k -= 1
            while len(cur) > 1 and cur[-1].keep_next:
                carry.insert(0, cur.pop())
            pages.append(carry)
            y = TOP + sum(c.h for c in carry)
        pages[-1].append(it)
        y += it.h
    out = []
    for n, pg in enumerate(pages):
        y = first_top if n == 0 else TOP
        placed = []
        for it in pg:
            placed.append((it, y))
            y += it.h
        out.append(placed)
    return out


def _para_items(text: str, fkey: str, role: str, indent_chars: float = 2.0, **extra) -> list[_Item]:
    fnt = font(fkey, FS)
    track = CP - FS
    lines = wrap(text, fnt, BODY_W, BODY_W - indent_chars * CP, tracking=track)
    items = []
    for i, ln in enumerate(lines):
        last = i == len(lines) - 1
        x = LEFT + (indent_chars * CP if i == 0 else 0)
        w = RIGHT - x

        def draw(page, y, ln=ln, x=x, w=w, last=last):
            nat = _text_w(ln, fkey, FS, track)
            bb = _draw_line(page, x, y + (LP - FS) / 2, ln, fkey, FS, tracking=track,
                            width=w if (not last or nat > w) else None, justify=not last)
            page.add(role, ln, bb, **extra)
        items.append(_Item(LP, draw, keep_next=(role == "heading")))
    return items


def _spacer(h: float) -> _Item:
    return _Item(h, lambda page, y: None)


def _header_item(c: dict, rng: random.Random) -> _Item:
    """版头 of the first page: 份号/密级/紧急程度, red 发文机关标志, 发文字号 (and 签发人), red rule."""
    upward = bool(c.get("signer"))
    mark_top = TOP + (80 if upward else 35) * MM
    lines = c.get("issuer_mark_lines") or []
    if len(lines) > 1:
        names = [_mask_text(n, "xbs", 120) for n in lines]
        nw = max(m.size[0] for m in names)
        nh = 120
        gap = 36
        suffix = _mask_text("文件", "xbs", 170)
        total_h = len(names) * nh + (len(names) - 1) * gap
        sw = int(suffix.size[0] * 0.95)
        sh = min(int(total_h * 0.8), suffix.size[1])
        suffix = suffix.resize((sw, sh))
        total_w = nw + 60 + sw
        scale = min(1.0, BODY_W * 0.97 / total_w)
        mark = Image.new("L", (int(total_w * scale) + 2, total_h), 0)
        for i, m in enumerate(names):
            mark.paste(m.resize((int(nw * scale), nh)), (0, i * (nh + gap)))
        mark.paste(suffix.resize((int(sw * scale), sh)), (int((nw + 60) * scale), (total_h - sh) // 2))
    else:
        text = c["issuer_mark"]
        m = _mask_text(text, "xbs", 176)
        ratio = min(0.86, BODY_W * 0.97 / m.size[0])
        mark = m.resize((int(m.size[0] * ratio), m.size[1]), Image.Resampling.LANCZOS)
    mark_bottom = mark_top + mark.size[1]
    docnum_top = mark_bottom + 1.55 * LP
    rule_y = docnum_top + FS + 4 * MM
    height = rule_y + 10 - TOP

    def draw(page: _Page, y: float) -> None:
        info = []
        if c.get("copy_number"):
            info.append(("copy_number", c["copy_number"], "fangsong"))
        if c.get("secrecy"):
            info.append(("secrecy", c["secrecy"] + ("★" + c["secrecy_term"] if c.get("secrecy_term") else ""), "heiti"))
        if c.get("urgency"):
            info.append(("urgency", c["urgency"], "heiti"))
        for i, (role, txt, fk) in enumerate(info):
            bb = _draw_line(page, LEFT, TOP + i * LP + (LP - FS) / 2, txt, fk, FS)
            page.add(role, txt, bb)
        mx = LEFT + (BODY_W - mark.size[0]) / 2
        page.img.paste(INK["red"], (int(mx), int(mark_top), int(mx) + mark.size[0], int(mark_top) + mark.size[1]), mark)
        mark_text = "".join(lines) + "文件" if len(lines) > 1 else c["issuer_mark"]
        page.add("issuer_mark", mark_text, (mx, mark_top, mx + mark.size[0], mark_bottom), "red")
        num = c["doc_number"]
        if upward:
            bb = _draw_line(page, LEFT + CP, docnum_top, num, "fangsong", FS)
            page.add("doc_number", num, bb)
            name = c["signer"]
            wn = _text_w(name, "kaiti", FS)
            label = "签发人："
            wl = _text_w(label, "fangsong", FS)
            x0 = RIGHT - CP - wn - wl
            b1 = _draw_line(page, x0, docnum_top, label, "fangsong", FS)
            b2 = _draw_line(page, x0 + wl, docnum_top, name, "kaiti", FS)
            page.add("signer", label + name, (b1[0], b1[1], b2[2], b2[3]))
        else:
            w = _text_w(num, "fangsong", FS)
            bb = _draw_line(page, LEFT + (BODY_W - w) / 2, docnum_top, num, "fangsong", FS)
            page.add("doc_number", num, bb)
        red = INK["red"]
        if c["issuer_mark"].startswith("中共") and not upward:
            mid = LEFT + BODY_W / 2
            page.draw.rectangle((LEFT, rule_y, mid - 60, rule_y + 6), fill=red)
            page.draw.rectangle((mid + 60, rule_y, RIGHT, rule_y + 6), fill=red)
            page.draw.polygon(_star_points(mid, rule_y + 3, 40), fill=red)
        else:
            page.draw.rectangle((LEFT, rule_y, RIGHT, rule_y + 6), fill=red)
    return _Item(height, draw)


def _title_items(lines: list[str]) -> list[_Item]:
    items = []
    for ln in lines:
        def draw(page, y, ln=ln):
            w = min(_text_w(ln, "xbs", TITLE_FS), BODY_W)
            bb = _draw_line(page, LEFT + (BODY_W - w) / 2, y + (LP * 1.05 - TITLE_FS) / 2, ln, "xbs",
                            TITLE_FS, width=BODY_W if w >= BODY_W else None)
            page.add("title", ln, bb)
        items.append(_Item(LP * 1.05, draw, keep_next=True))
    return items


def _attachment_items(atts: list[str]) -> list[_Item]:
    items: list[_Item] = []
    fnt = font("fangsong", FS)
    track = CP - FS
    label = "附件："
    x_label = LEFT + 2 * CP
    x_item = x_label + 3 * CP
    numbered = len(atts) > 1
    for i, name in enumerate(atts):
        num = f"{i + 1}." if numbered else ""
        x_name = x_item + (_width(num, fnt, track) if num else 0)
        lines = wrap(name, fnt, RIGHT - x_name, tracking=track)
        for j, ln in enumerate(lines):
            if j == 0:
                prefix = (label if i == 0 else "") + num
                x0 = x_label if i == 0 else x_item
                text = prefix + ln
            else:
                x0, text = x_name, ln

            def draw(page, y, x0=x0, text=text):
                bb = _draw_line(page, x0, y + (LP - FS) / 2, text, "fangsong", FS, tracking=track,
                                width=(RIGHT - x0) if _text_w(text, "fangsong", FS, track) > RIGHT - x0 else None)
                page.add("attachments", text, bb)
            items.append(_Item(LP, draw))
    return items


def _signature_item(c: dict, rng: random.Random) -> _Item:
    sigs = c.get("signatories") or []
    date_raw = c["issue_date_raw"]
    fk = "fangsong"
    track = CP - FS
    wd = _text_w(date_raw, fk, FS, track)
    date_x1 = RIGHT - 4 * CP
    date_cx = date_x1 - wd / 2
    widths = [_text_w(s, fk, FS, track) for s in sigs]
    side_by_side = len(sigs) == 2 and (widths[0] + widths[1] + 3 * CP) < (date_cx - LEFT) * 2 - 2 * CP
    rows = 1 if (side_by_side or len(sigs) <= 1) else len(sigs)
    lead = 2 * LP
    h = lead + (rows + 1) * LP + (LP if c.get("disclosure") else 0)

    def draw(page: _Page, y: float) -> None:
        y_sig = y + lead
        centers = []
        if side_by_side:
            right_cx = date_cx
            left_cx = max(LEFT + widths[0] / 2 + CP, right_cx - max(42 * MM * 1.15, (widths[0] + widths[1]) / 2 + 2.5 * CP))
            pos = [(left_cx, y_sig), (right_cx, y_sig)]
        else:
            pos = [(date_cx, y_sig + i * LP) for i in range(len(sigs))]
        for s, w, (cx, yy) in zip(sigs, widths, pos):
            x0 = max(LEFT, min(cx - w / 2, RIGHT - w))
            bb = _draw_line(page, x0, yy + (LP - FS) / 2, s, fk, FS, tracking=track)
            page.add("signatory", s, bb)
            centers.append((x0 + w / 2, yy))
        y_date = y_sig + rows * LP
        bb = _draw_line(page, date_x1 - wd, y_date + (LP - FS) / 2, date_raw, fk, FS, tracking=track)
        page.add("date", date_raw, bb)
        if c.get("disclosure"):
            txt = f"（{c['disclosure']}）"
            bb = _draw_line(page, LEFT + 2 * CP, y_date + LP + (LP - FS) / 2, txt, fk, FS, tracking=track)
            page.add("disclosure", txt, bb)
        if c.get("seal", True):
            if side_by_side:
                for s, (cx, yy) in zip(sigs, centers):
                    _seal(page, s, cx + rng.uniform(-20, 20), yy + LP * 0.6 + rng.uniform(-15, 15), rng)
            elif sigs:
                # GB/T 9704: signatory and date sit a little below the centre of the seal
                cy = (y_sig + y_date + LP) / 2 - 0.4 * LP + rng.uniform(-15, 15)
                names = sigs if len(sigs) == 1 else sigs
                for k, s in enumerate(names):
                    _seal(page, s, date_cx + (k - (len(names) - 1) / 2) * 42 * MM * 0.9 + rng.uniform(-20, 20), cy, rng)
    return _Item(h, draw, keep_prev=2)


def _imprint_height(c: dict) -> float:
    n = len(_cc_lines(c)) if c.get("cc") else 0
    return (n + 1) * 0.9 * LP


def _cc_lines(c: dict) -> list[str]:
    fnt = font("fangsong", SMALL_FS)
    lw = _width("抄送：", fnt)
    text = "抄送：" + c["cc"] + "。"
    lines = wrap(text, fnt, BODY_W - 2 * SMALL_FS - lw, BODY_W - 2 * SMALL_FS)
    return lines


def _draw_imprint(page: _Page, c: dict, bottom: float) -> None:
    """版记 ending at bottom: thick rule, 抄送 lines, thin rule, 印发机关 and 印发日期, thick rule."""
    rowh = 0.9 * LP
    top = bottom - _imprint_height(c)
    black = INK["black"]
    page.draw.rectangle((LEFT, top - 2, RIGHT, top + 2), fill=black)
    y = top
    if c.get("cc"):
        lines = _cc_lines(c)
        lw = _text_w("抄送：", "fangsong", SMALL_FS)
        for i, ln in enumerate(lines):
            x = LEFT + SMALL_FS + (0 if i == 0 else lw)
            bb = _draw_line(page, x, y + (rowh - SMALL_FS) / 2, ln, "fangsong", SMALL_FS)
            page.add("cc", ln, bb)
            y += rowh
        page.draw.rectangle((LEFT, y - 1, RIGHT, y + 1), fill=black)
    by = c.get("printed_by", "")
    bb = _draw_line(page, LEFT + SMALL_FS, y + (rowh - SMALL_FS) / 2, by, "fangsong", SMALL_FS)
    page.add("imprint", by, bb, part="printed_by")
    pd = c.get("print_date_raw", "") + "印发"
    w = _text_w(pd, "fangsong", SMALL_FS)
    bb = _draw_line(page, RIGHT - SMALL_FS - w, y + (rowh - SMALL_FS) / 2, pd, "fangsong", SMALL_FS)
    page.add("imprint", pd, bb, part="print_date")
    page.draw.rectangle((LEFT, bottom - 2, RIGHT, bottom + 2), fill=black)


def _page_number(page: _Page, n: int) -> None:
    txt = f"— {n} —"
    w = _text_w(txt, "song", SMALL_FS)
    x = RIGHT - CP - w if n % 2 else LEFT + CP
    y = BOTTOM + 7 * MM
    bb = _draw_line(page, x, y, txt, "song", SMALL_FS)
    page.add("page_number", txt, bb, order=1e9)


def _margin_notes(page: _Page, notes: list[dict], rng: random.Random, x0: float, x1: float, y0: float) -> None:
    y = y0
    for k, a in enumerate(notes):
        ink = a.get("ink", "blue")
        size = 68
        for j, ln in enumerate(_hand_wrap(a["text"], size, x1 - x0)):
            bb = _hand(page, x0 + (0 if j else rng.uniform(0, 60)), y, ln, size, ink, rng)
            page.add("handwriting", ln, bb, ink, order=-50 + k + j * 0.01, kind=a["kind"], annotation=k, part="text")
            y = bb[3] + 8
        bb2 = _hand(page, x1, y, a["date_raw"], size, ink, rng, anchor="rt")
        bb1 = _hand(page, bb2[0] - 30, y, a["signer"], size, ink, rng, anchor="rt")
        page.add("handwriting", a["signer"], bb1, ink, order=-49.5 + k, kind=a["kind"], annotation=k, part="signer")
        page.add("handwriting", a["date_raw"], bb2, ink, order=-49.4 + k, kind=a["kind"], annotation=k, part="date")
        y = max(bb1[3], bb2[3]) + 20


def _render_circular(truth: dict, rng: random.Random) -> list[_Page]:
    c = truth["circular"]
    items: list[_Item] = [_header_item(c, rng), _spacer(LP * 1.25)]
    items += _title_items(c["title_lines"])
    items.append(_spacer(LP * 0.9))
    items += _para_items(c["addressees"], "fangsong", "addressees", indent_chars=0)
    for b in c["body"]:
        if b["type"] == "heading":
            fk = {1: "heiti", 2: "kaiti"}.get(b.get("level", 1), "fangsong")
            items += _para_items(b["text"], fk, "heading", level=b.get("level", 1))
        else:
            items += _para_items(b["text"], "fangsong", "body")
    if c.get("attachments"):
        items.append(_spacer(LP))
        items += _attachment_items(c["attachments"])
    items.append(_signature_item(c, rng))
    placed = _paginate(items)
    pages = []
    for n, pl in enumerate(placed):
        page = _Page("circular")
        for it, y in pl:
            it.draw(page, y)
        page._bottom_used = (pl[-1][1] + pl[-1][0].h) if pl else TOP
        pages.append(page)
    first = pages[0]
    rc = c.get("receipt")
    notes_x1 = LEFT + BODY_W * 0.55
    if rc:
        stamp = _receipt_stamp(first, rc, RIGHT + rng.uniform(-60, 140), rng.uniform(110, 300), rng)
        notes_x1 = min(notes_x1, stamp[0] - 80)
    if c.get("margin_notes"):
        _margin_notes(first, [dict(a, ink=a.get("ink", "blue")) for a in c["margin_notes"]], rng,
                      LEFT - 150 + rng.uniform(0, 80), notes_x1, rng.uniform(90, 140))
    return pages


# ----------------------------------------------------------------------------------------------
# Rendering: annex tables

def _header_spans(header: list[list[str]]) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) rectangles: identical neighbouring cells merge."""
    R, C = len(header), len(header[0])
    done = [[False] * C for _ in range(R)]
    out = []
    for r in range(R):
        for c in range(C):
            if done[r][c]:
                continue
            v = header[r][c]
            w = 1
            while c + w < C and header[r][c + w] == v and not done[r][c + w]:
                w += 1
            h = 1
            while r + h < R and all(header[r + h][c + k] == v for k in range(w)):
                h += 1
            for rr in range(r, r + h):
                for cc in range(c, c + w):
                    done[rr][cc] = True
            out.append((r, c, h, w, v))
    return out


def _cell_entries(cell) -> list[str]:
    if cell is None:
        return [""]
    if isinstance(cell, list):
        return [str(x) for x in cell]
    return [str(cell)]


def _header_wrap(text: str, fnt, width: float) -> list[str]:
    """Header cells break before a bracketed qualifier first: 帮扶县 / （市、区）."""
    m = re.match(r"^(.+?)(（.*）)$", text)
    if m and fnt.getlength(text) > width:
        parts = []
        for seg in m.groups():
            parts += wrap(seg, fnt, width)
        return parts
    return wrap(text, fnt, width)


def _table_layout(annex: dict, fs: int, width: float):
    header, rows = annex["header"], annex["rows"]
    total = annex.get("total_row")
    all_rows = rows + ([total] if total else [])
    C = len(header[0])
    fnt = font("fangsong", fs)
    hfnt = font("heiti", fs)
    pad = fs * 0.35
    nat = [0.0] * C
    minw = [fs * 2.2 + 2 * pad] * C
    for row in all_rows:
        for c, cell in enumerate(row):
            for e in _cell_entries(cell):
                nat[c] = max(nat[c], fnt.getlength(e) + 2 * pad)
                if len(e) <= 7:             # short entries (names, numbers) never wrap
                    minw[c] = max(minw[c], fnt.getlength(e) + 2 * pad)
                for tok in _tokens(e):
                    if len(tok) > 1:
                        minw[c] = max(minw[c], fnt.getlength(tok) + 2 * pad)
    for r, c, h, w, v in _header_spans(header):
        if w == 1:
            segs = _header_wrap(v, hfnt, fs * 6)
            hw = max(hfnt.getlength(x) for x in segs) + 2 * pad
            nat[c] = max(nat[c], hw)
            minw[c] = max(minw[c], min(hw, fs * 4 + 2 * pad))
    if sum(nat) <= width:
        widths = [n + (width - sum(nat)) * n / sum(nat) for n in nat]
    else:
        base = [min(m, n) for m, n in zip(minw, nat)]
        want = [max(0.0, n - b) for n, b in zip(nat, base)]
        spare = width - sum(base)
        widths = [b + spare * wn / (sum(want) or 1) for b, wn in zip(base, want)]
    lh = fs * 1.28
    numeric = set(annex.get("numeric_columns") or [])
    align = []
    for c in range(C):
        short = all(len(e) <= 4 for row in all_rows for e in _cell_entries(row[c]))
        align.append("c" if (c in numeric or short) else "l")

    def cell_lines(cell, c, f=fnt) -> list[str]:
        out = []
        for e in _cell_entries(cell):
            out += wrap(e, f, widths[c] - 2 * pad) if e else [""]
        return out
    # header geometry
    spans = _header_spans(header)
    hrow_h = [lh + 2 * pad] * len(header)
    for r, c, h, w, v in spans:
        cw = sum(widths[c:c + w])
        n = len(_header_wrap(v, hfnt, cw - 2 * pad))
        need = n * lh + 2 * pad
        if h == 1:
            hrow_h[r] = max(hrow_h[r], need)
    row_lines = [[cell_lines(cell, c) for c, cell in enumerate(row)] for row in all_rows]
    row_h = [max(len(x) for x in rl) * lh + 2 * pad for rl in row_lines]
    return dict(widths=widths, pad=pad, lh=lh, spans=spans, hrow_h=hrow_h, row_lines=row_lines, row_h=row_h,
                align=align, hfnt=hfnt)


def _plan_table(annex: dict, lay: dict, first_avail: float, avail: float) -> list[list[int]]:
    """Row indices (into rows + total) per page."""
    limit = annex.get("rows_per_page") or 10 ** 6
    n_rows = len(annex["rows"])
    hh = sum(lay["hrow_h"])
    chunks: list[list[int]] = [[]]
    room = first_avail - hh
    for i, h in enumerate(lay["row_h"]):
        is_total = i >= n_rows
        data_on_page = sum(1 for j in chunks[-1] if j < n_rows)
        if chunks[-1] and (h > room or (not is_total and data_on_page >= limit)):
            chunks.append([])
            room = avail - hh
        chunks[-1].append(i)
        room -= h
    return chunks


def _render_annex(annex: dict, table_no: int) -> list[_Page]:
    label = annex.get("label", "附件") + (str(annex["number"]) if annex.get("number") else "")
    title = annex.get("title", "")
    tfnt = font("xbs", TITLE_FS)
    title_lines = wrap(title, tfnt, BODY_W) if title else []
    table_top = TOP + 2 * LP + len(title_lines) * LP * 1.05 + 0.5 * LP
    # The largest font (小四 down to 五号-) with which every page but the last holds rows_per_page
    # rows; when none does, the largest font and natural page breaks.
    limit = annex.get("rows_per_page")
    chosen = None
    n = len(annex["rows"])
    for fs in (50, 46, 42, 38):
        lay = _table_layout(annex, fs, BODY_W)
        chunks = _plan_table(annex, lay, BOTTOM - table_top, BODY_H)
        if chosen is None:
            chosen = (lay, chunks, fs)
        if not limit:
            break
        if all(sum(1 for j in ch if j < n) in (limit, 0) for ch in chunks[:-1]):
            chosen = (lay, chunks, fs)
            break
    lay, chunks, fs = chosen
    n_rows = len(annex["rows"])
    fnt = font("fangsong", fs)
    pages = []
    for p, chunk in enumerate(chunks):
        page = _Page("annex")
        y = TOP
        if p == 0:
            bb = _draw_line(page, LEFT, TOP + (LP - FS) / 2, label, "heiti", FS)
            page.add("annex_label", label, bb)
            y = TOP + 2 * LP
            for ln in title_lines:
                w = _text_w(ln, "xbs", TITLE_FS)
                bb = _draw_line(page, LEFT + (BODY_W - w) / 2, y + (LP * 1.05 - TITLE_FS) / 2, ln, "xbs", TITLE_FS)
                page.add("annex_title", ln, bb)
                y += LP * 1.05
            y = table_top
        xs = [LEFT]
        for w in lay["widths"]:
            xs.append(xs[-1] + w)
        lw = 3
        pad, lh = lay["pad"], lay["lh"]
        # header
        ys = [y]
        for h in lay["hrow_h"]:
            ys.append(ys[-1] + h)
        for r, c, h, w, v in lay["spans"]:
            box = (xs[c], ys[r], xs[c + w], ys[r + h])
            page.draw.rectangle(box, outline=INK["black"], width=lw)
            lines = _header_wrap(v, lay["hfnt"], box[2] - box[0] - 2 * pad)
            ty = (box[1] + box[3]) / 2 - len(lines) * lh / 2
            for k, ln in enumerate(lines):
                wl = _text_w(ln, "heiti", fs)
                _draw_line(page, (box[0] + box[2]) / 2 - wl / 2, ty + k * lh + (lh - fs) / 2, ln, "heiti", fs)
            page.add("table_cell", v, box, table=table_no, row=0, header_row=r + 1, col=c + 1,
                     rowspan=h, colspan=w, lines=lines)
        y = ys[-1]
        for i in chunk:
            h = lay["row_h"][i]
            is_total = i >= n_rows
            row = annex["total_row"] if is_total else annex["rows"][i]
            for c in range(len(lay["widths"])):
                box = (xs[c], y, xs[c + 1], y + h)
                page.draw.rectangle(box, outline=INK["black"], width=lw)
                lines = lay["row_lines"][i][c]
                if not any(lines):
                    continue
                ty = (box[1] + box[3]) / 2 - len(lines) * lh / 2
                cw = box[2] - box[0] - 2 * pad
                for k, ln in enumerate(lines):
                    wl = min(_text_w(ln, "fangsong", fs), cw)
                    x = box[0] + pad if lay["align"][c] == "l" else (box[0] + box[2]) / 2 - wl / 2
                    _draw_line(page, x, ty + k * lh + (lh - fs) / 2, ln, "fangsong", fs,
                               width=cw if fnt.getlength(ln) > cw else None)
                text = "\n".join(_cell_entries(row[c]))
                page.add("table_cell", text, box, table=table_no, row=i + 1, col=c + 1, total=is_total, lines=lines)
            y += h
        pages.append(page)
    return pages


# ----------------------------------------------------------------------------------------------
# Rendering: circulation slip

def _render_slip(slip: dict, rng: random.Random) -> _Page:
    page = _Page("slip")
    title = slip["title"]
    tfs = 84
    w = _text_w(title, "xbs", tfs, 6)
    bb = _draw_line(page, PAGE_W / 2 - w / 2, 300, title, "xbs", tfs, tracking=6)
    page.add("slip_title", title, bb)
    x0, x1 = LEFT - 50, RIGHT + 50
    W = x1 - x0
    keys = slip["column_keys"]
    ncols = len(keys)
    layout = slip.get("layout", "right")
    labels = slip.get("box_labels") or ["拟办意见：", "领导批示："]
    if layout == "right":
        fr = [0.16, 0.12, 0.12, 0.12][:ncols] if ncols == 4 else [0.2, 0.15, 0.15][:ncols]
        fracs = fr + [1 - sum(fr)]
    else:
        fracs = [0.28] + [0.72 / (ncols - 1)] * (ncols - 1)
    xs = [x0]
    for f in fracs:
        xs.append(xs[-1] + f * W)
    readers = slip["rows"]
    nrows = len(readers) + int(slip.get("blank_rows", 0))
    top = 300 + tfs + 110
    lw = 4
    hfs = 50
    black = INK["black"]
    # header fields rows
    y = top
    field_h = 130
    for fi, fld in enumerate(slip.get("fields") or []):
        box_l = (x0, y, xs[1], y + field_h)
        box_v = (xs[1], y, x1, y + field_h)
        page.draw.rectangle(box_l, outline=black, width=lw)
        page.draw.rectangle(box_v, outline=black, width=lw)
        wl = _text_w(fld["label"], "heiti", hfs)
        bb = _draw_line(page, (box_l[0] + box_l[2]) / 2 - wl / 2, y + (field_h - hfs) / 2, fld["label"], "heiti", hfs)
        page.add("slip_header", fld["label"], bb)
        bb = _hand(page, box_v[0] + 40, y + field_h / 2, fld["value"], 60, "black", rng, anchor="lm")
        page.add("slip_cell", fld["value"], bb, "black", field=fld["label"], row=0, col="field", handwritten=True)
        y += field_h
    header_h = 130
    box_rows = 2 if layout == "rows" else 0
    note_space = 420
    avail = BOTTOM + 150 - y - header_h - note_space
    row_h = max(100, min(200 if box_rows else 230, avail / (nrows + box_rows * 2.8)))
    if layout == "right":
        row_h = max(row_h, min(330, 1300 / max(nrows, 1)))
    header_top = y
    # header row
    for c, name in enumerate(slip["columns"]):
        box = (xs[c], y, xs[c + 1], y + header_h)
        page.draw.rectangle(box, outline=black, width=lw)
        wl = _text_w(name, "heiti", hfs)
        bb = _draw_line(page, (box[0] + box[2]) / 2 - wl / 2, y + (header_h - hfs) / 2, name, "heiti", hfs)
        page.add("slip_header", name, bb)
    y += header_h
    ink = rng.choice(["blue", "black"])
    row_top = y
    for r in range(nrows):
        for c in range(ncols):
            page.draw.rectangle((xs[c], y, xs[c + 1], y + row_h), outline=black, width=lw)
        if r < len(readers):
            row = readers[r]
            for c, key in enumerate(keys):
                val = row.get(key, "")
                if not val:
                    continue
                cx = (xs[c] + xs[c + 1]) / 2
                if key == "reader" and slip.get("readers_printed"):
                    wl = _text_w(val, "fangsong", 54)
                    bb = _draw_line(page, cx - wl / 2, y + (row_h - 54) / 2, val, "fangsong", 54)
                    page.add("slip_cell", val, bb, "black", row=r + 1, col=key)
                else:
                    size = 62 if key == "reader" else 58
                    bb = _hand(page, cx, y + row_h / 2, val, size, ink, rng, anchor="cm")
                    page.add("slip_cell", val, bb, ink, row=r + 1, col=key, handwritten=True)
        y += row_h
    table_bottom = y
    anns = slip.get("annotations") or []
    by_kind = {"proposal": [a for a in anns if a["kind"] == "proposal"],
               "instruction": [a for a in anns if a["kind"] == "instruction"]}
    boxes = []
    if layout == "right":
        split = row_top + row_h * math.ceil(nrows * 0.55)
        boxes = [(labels[0], (xs[-2], header_top, x1, split), "proposal"),
                 (labels[1], (xs[-2], split, x1, table_bottom), "instruction")]
    else:
        bh = max(row_h * 2.8, 330)
        for k, kind in enumerate(("proposal", "instruction")):
            box_l = (x0, y, xs[1], y + bh)
            page.draw.rectangle(box_l, outline=black, width=lw)
            boxes.append((labels[k], (xs[1], y, x1, y + bh), kind))
            y += bh
        table_bottom = y
    ann_index = {id(a): i for i, a in enumerate(anns)}
    for label, box, kind in boxes:
        page.draw.rectangle(box, outline=black, width=lw)
        if layout == "right":
            bb = _draw_line(page, box[0] + 25, box[1] + 25, label, "heiti", hfs)
            inner_top = box[1] + 25 + hfs + 25
        else:
            lab = label.rstrip("：:")
            lines = wrap(lab, font("heiti", hfs), xs[1] - x0 - 40)
            ty = (box[1] + box[3]) / 2 - len(lines) * hfs * 1.3 / 2
            for k, ln in enumerate(lines):
                wl = _text_w(ln, "heiti", hfs)
                _draw_line(page, (x0 + xs[1]) / 2 - wl / 2, ty + k * hfs * 1.3, ln, "heiti", hfs)
            bb = (x0 + 20, ty, xs[1] - 20, ty + len(lines) * hfs * 1.3)
            inner_top = box[1] + 30
        page.add("slip_label", label, bb)
        yy = inner_top
        hs = 72
        while hs > 44:                      # shrink the writing until it fits the box
            need = sum(len(_hand_wrap(a["text"], hs, box[2] - box[0] - 260)) * (hs * 1.5 + 10) + hs * 1.6 + 40
                       for a in by_kind[kind])
            if inner_top + need <= box[3] - 10:
                break
            hs -= 4
        for a in by_kind[kind]:
            a_ink = rng.choice(["blue", "black"]) if rng.random() < 0.3 else ink
            idx = ann_index[id(a)]
            for j, ln in enumerate(_hand_wrap(a["text"], hs, box[2] - box[0] - 260)):
                hb = _hand(page, box[0] + 60 + (rng.uniform(40, 110) if j == 0 else 0), yy, ln, hs, a_ink, rng)
                page.add("handwriting", ln, hb, a_ink, kind=kind, annotation=idx, part="text")
                yy = hb[3] + 10
            yy += 10
            hb1 = _hand(page, box[2] - 60 - _text_w(a["date_raw"], "hand", hs) - 50, yy, a["signer"], hs, a_ink, rng, anchor="rt")
            hb2 = _hand(page, box[2] - 50, yy, a["date_raw"], hs, a_ink, rng, anchor="rt")
            page.add("handwriting", a["signer"], hb1, a_ink, kind=kind, annotation=idx, part="signer")
            page.add("handwriting", a["date_raw"], hb2, a_ink, kind=kind, annotation=idx, part="date")
            yy = max(hb1[3], hb2[3]) + 30
    y = table_bottom + 45
    if slip.get("printed_note"):
        nfs = 50
        for ln in wrap(slip["printed_note"], font("fangsong", nfs), W):
            bb = _draw_line(page, x0, y, ln, "fangsong", nfs)
            page.add("printed_note", ln, bb)
            y += nfs * 1.5
    notes = [a for a in anns if a["kind"] == "note"]
    y += 40
    for a in notes:
        idx = ann_index[id(a)]
        hs = 72
        for j, ln in enumerate(_hand_wrap(a["text"], hs, W * 0.6)):
            hb = _hand(page, x0 + W * 0.18 + (rng.uniform(0, 80) if j == 0 else 0), y, ln, hs, "blue", rng)
            page.add("handwriting", ln, hb, "blue", kind="note", annotation=idx, part="text")
            y = hb[3] + 10
        hb1 = _hand(page, x0 + W * 0.45, y + 5, a["signer"], hs, "blue", rng)
        hb2 = _hand(page, hb1[2] + 30, y + 5, a["date_raw"], hs, "blue", rng)
        page.add("handwriting", a["signer"], hb1, "blue", kind="note", annotation=idx, part="signer")
        page.add("handwriting", a["date_raw"], hb2, "blue", kind="note", annotation=idx, part="date")
        y = max(hb1[3], hb2[3]) + 40
    return page


# ----------------------------------------------------------------------------------------------
# Rendering: the bundle

def _finish(page: _Page) -> None:
    for _prio, fn in sorted(page.late, key=lambda t: t[0]):
        fn()
    page.late = []
    page.blocks.sort(key=lambda b: b["_order"])
    for i, b in enumerate(page.blocks):
        del b["_order"]
        b["line"] = i


def _truth_seed(truth: dict) -> int:
    deg = truth.get("degradation") or {}
    if deg.get("seed") is not None:
        return int(deg["seed"])
    return zlib.crc32(str(truth.get("id", "")).encode("utf-8"))


def render_clean(truth: dict) -> list[_Page]:
    """Render the bundle without degradation: _Page objects (img, kind, blocks) in page order."""
    validate_truth(truth)
    rng = random.Random(_truth_seed(truth))
    c = truth["circular"]
    order = truth["page_order"]
    imprint_separate = "imprint" in order
    by_kind: dict[str, list[_Page]] = {}
    circ = _render_circular(truth, rng)
    number = 0
    for p in circ:
        number += 1
        _page_number(p, number)
    by_kind["circular"] = circ
    annex_pages: list[_Page] = []
    for t, annex in enumerate(truth.get("annexes") or []):
        for p in _render_annex(annex, t + 1):
            number += 1
            _page_number(p, number)
            annex_pages.append(p)
    by_kind["annex"] = annex_pages
    has_imprint = bool(c.get("printed_by") or c.get("cc"))
    by_kind["imprint"] = []
    if has_imprint:
        if imprint_separate:
            p = _Page("imprint")
            _draw_imprint(p, c, BOTTOM)
            by_kind["imprint"] = [p]
        else:
            last = (annex_pages or circ)[-1]
            used = getattr(last, "_bottom_used", None)
            if used is None:
                used = max((b["bbox"][3] for b in last.blocks if b["role"] != "page_number"), default=TOP)
            if used + 0.3 * LP + _imprint_height(c) <= BOTTOM:
                _draw_imprint(last, c, BOTTOM)
            else:
                p = _Page("imprint")
                _draw_imprint(p, c, BOTTOM)
                by_kind["imprint"] = [p]
    by_kind["slip"] = [_render_slip(truth["slip"], rng)] if truth.get("slip") else []
    pages: list[_Page] = []
    for kind in order:
        pages += by_kind.get(kind, [])
    if not imprint_separate:
        pages += by_kind["imprint"]
    for p in pages:
        _finish(p)
    return pages


# ----------------------------------------------------------------------------------------------
# Degradation (pure functions on arrays)

def _page_rotation(deg: dict, i: int) -> int:
    rot = deg.get("rotation", 0) or 0
    if isinstance(rot, list):
        rot = rot[i] if i < len(rot) else 0
    rot = int(rot) % 360
    if rot not in (0, 90, 180, 270):
        raise ValueError(f"rotation must be a multiple of 90, got {rot}")
    return rot


def degrade_page(arr: np.ndarray, params: dict, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Scan-like degradation of an upright RGB uint8 page; returns (new array, 3×3 matrix).

    params: skew_deg, rotation, noise, blur, jpeg_quality, paper, illumination.  The matrix maps
    (x, y, 1) of the input page to the output image."""
    gen = np.random.default_rng(seed)
    h, w = arr.shape[:2]
    paper = np.asarray(params.get("paper") or (246, 244, 236), dtype=np.float32)
    # paper tint and uneven lighting in one multiply
    amp = float(params.get("illumination", 0.03) or 0.0)
    if amp > 0:
        low = gen.uniform(-1, 1, (4, 3)).astype(np.float32)
        field = cv2.resize(low, (w // 8, h // 8), interpolation=cv2.INTER_CUBIC)
        gx = np.linspace(-1, 1, w // 8, dtype=np.float32)[None, :] * gen.uniform(-1, 1)
        field = 1.0 - amp * (0.5 * field + 0.5 * gx + 0.5).clip(0, 2) / 1.5
        field = cv2.resize(field, (w, h), interpolation=cv2.INTER_LINEAR)
        out = arr.astype(np.float32)
        out *= field[..., None]
        out *= paper / 255.0
    else:
        out = arr.astype(np.float32) * (paper / 255.0)
    M = np.eye(3)
    skew = float(params.get("skew_deg", 0.0) or 0.0)
    if abs(skew) > 1e-3:
        R = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        border = tuple(float(v) * 0.98 for v in paper)
        out = cv2.warpAffine(out, R, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                             borderValue=border)
        M = np.vstack([R, [0, 0, 1]]) @ M
    blur = float(params.get("blur", 0.0) or 0.0)
    if blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    noise = float(params.get("noise", 0.0) or 0.0)
    if noise > 0:
        n = gen.standard_normal((h, w), dtype=np.float32)
        n *= noise
        out += n[..., None]
    out = np.clip(out, 0, 255, out=out).astype(np.uint8)
    rot = int(params.get("rotation", 0) or 0) % 360
    if rot:
        if rot not in (90, 180, 270):
            raise ValueError(f"rotation must be 0, 90, 180 or 270, got {rot}")
        k = rot // 90
        out = np.ascontiguousarray(np.rot90(out, k))   # counter-clockwise
        if k == 1:      # (x, y) -> (y, w-1-x)
            T = np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], dtype=float)
        elif k == 2:
            T = np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], dtype=float)
        else:
            T = np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], dtype=float)
        M = T @ M
    q = params.get("jpeg_quality")
    if q:
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(out, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(q)])
        out = cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    return out, M


def _map_box(M: np.ndarray, b, w: int, h: int) -> list[int]:
    pts = np.array([[b[0], b[1], 1], [b[2], b[1], 1], [b[0], b[3], 1], [b[2], b[3], 1]], dtype=float).T
    q = M @ pts
    x0, x1 = q[0].min(), q[0].max()
    y0, y1 = q[1].min(), q[1].max()
    return [int(round(max(0, x0))), int(round(max(0, y0))), int(round(min(w, x1))), int(round(min(h, y1)))]


def render_bundle(truth: dict, degrade: bool = True) -> tuple[list[Image.Image], list[dict]]:
    """Render a truth dict: (page images as RGB PIL images, page truth list).

    With degrade=False the pages are the clean upright renders (bbox_scan equals bbox)."""
    pages = render_clean(truth)
    deg = dict(truth.get("degradation") or {})
    seed = _truth_seed(truth)
    images, page_truth = [], []
    for i, p in enumerate(pages):
        prng = random.Random(seed * 7919 + i)
        skew = float(deg.get("skew_deg", 0.0) or 0.0) + (prng.uniform(-0.25, 0.25) if deg.get("skew_deg") else 0.0)
        rot = _page_rotation(deg, i)
        if degrade:
            params = dict(deg, skew_deg=skew, rotation=rot)
            arr, M = degrade_page(np.asarray(p.img), params, seed * 1009 + i)
            img = Image.fromarray(arr)
        else:
            img, M, skew, rot = p.img, np.eye(3), 0.0, 0
        w, h = img.size
        blocks = []
        for b in p.blocks:
            b = dict(b)
            b["bbox_scan"] = _map_box(M, b["bbox"], w, h)
            blocks.append(b)
        images.append(img)
        page_truth.append({"index": i + 1, "kind": p.kind, "width": w, "height": h, "dpi": DPI,
                           "rotation": rot, "skew_deg": round(skew, 3), "blocks": blocks})
    return images, page_truth


# ----------------------------------------------------------------------------------------------
# Saving

def truth_path(item_path: str | os.PathLike) -> Path:
    """Where the truth of an item is written: the item path + ".truth.json"."""
    p = Path(item_path)
    return p.with_name(p.name + ".truth.json")


def item_path(out_dir: str | os.PathLike, name: str, fmt: str) -> Path:
    return Path(out_dir) / (name + _EXT[fmt])


def binarise(img: Image.Image) -> Image.Image:
    """Bilevel page for G4: luminance, light smoothing, Otsu threshold kept in a sane range."""
    gray = np.asarray(img.convert("L"))
    g = cv2.GaussianBlur(gray, (0, 0), 0.8)
    t, _ = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    t = float(np.clip(t, 110, 165))
    return Image.fromarray(((g > t) * 255).astype(np.uint8)).convert("1", dither=Image.Dither.NONE)


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp{os.getpid()}")


def save_item(pages: list[Image.Image], path: str | os.PathLike, fmt: str, *, quality: int = 85,
              truth: dict | None = None, page_truth: list[dict] | None = None) -> Path:
    """Write pages in fmt to path (atomically); with truth, also <path>.truth.json."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    dpi = (DPI, DPI)
    tmp = _tmp_name(path)
    try:
        if fmt == "folder":
            if tmp.exists():
                shutil.rmtree(tmp)
            tmp.mkdir()
            for i, im in enumerate(pages):
                im.convert("RGB").save(tmp / f"{i + 1}.jpg", "JPEG", quality=quality, dpi=dpi)
            if path.exists():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            os.replace(tmp, path)
        else:
            if fmt == "png":
                if len(pages) != 1:
                    raise ValueError(f"png holds one page, the item has {len(pages)}")
                pages[0].save(tmp, "PNG", dpi=dpi)
            elif fmt == "pdf":
                rgb = [im.convert("RGB") for im in pages]
                rgb[0].save(tmp, "PDF", save_all=True, append_images=rgb[1:], resolution=float(DPI), quality=quality)
            else:
                if fmt == "tiff-g4":
                    ims = [binarise(im) for im in pages]
                    opts = {"compression": "group4"}
                elif fmt == "tiff-jpeg":
                    ims = [im.convert("RGB") for im in pages]
                    opts = {"compression": "jpeg", "quality": quality}
                else:
                    ims = [im.convert("RGB") for im in pages]
                    opts = {"compression": "tiff_lzw"}
                ims[0].save(tmp, "TIFF", save_all=True, append_images=ims[1:], dpi=dpi, **opts)
            os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp) if tmp.is_dir() else tmp.unlink()
    if truth is not None:
        out = copy.deepcopy(truth)
        out["pages"] = page_truth or []
        out["format"] = fmt
        tp = truth_path(path)
        ttmp = _tmp_name(tp)
        with open(ttmp, "w", encoding="utf-8") as fh:
            json.dump(out, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        os.replace(ttmp, tp)
    return path


def load_pages(path: str | os.PathLike) -> list[Image.Image]:
    """Read back the pages of a saved item (TIFF frames, PDF pages at 300 dpi, folder, PNG)."""
    path = Path(path)
    if path.is_dir():
        files = sorted((f for f in path.iterdir() if f.suffix.lower() in (".jpg", ".jpeg", ".png")),
                       key=lambda f: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", f.name)])
        return [Image.open(f) for f in files]
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(str(path))
        return [pdf[i].render(scale=DPI / 72).to_pil() for i in range(len(pdf))]
    im = Image.open(path)
    frames = []
    for i in range(getattr(im, "n_frames", 1)):
        im.seek(i)
        frames.append(im.copy())
    return frames


# ----------------------------------------------------------------------------------------------
# What a perfect conversion would output (contract v1 values) for a truth

def _strip_colon(s: str) -> str:
    return s[:-1] if s.endswith(("：", ":")) else s


def expected_record(truth: dict) -> dict:
    """The contract values a perfect run should produce for this truth: {"document": documents.csv
    fields, "circulation": rows, "annotations": rows, "tables": [{"header": [...], "rows": [...]}]}.
    Table rows include the 合计 row; list cells are joined without separators."""
    c = truth["circular"]
    rc = c.get("receipt") or {}
    doc = {
        "copy_number": c.get("copy_number", ""),
        "secrecy": c.get("secrecy", "") + (f"★{c['secrecy_term']}" if c.get("secrecy") and c.get("secrecy_term") else ""),
        "urgency": c.get("urgency", ""),
        "issuer": c.get("issuer", ""), "doc_number": c.get("doc_number", ""), "signer": c.get("signer", ""),
        "title": re.sub(r"\s+", "", "".join(c.get("title_lines", []))),
        "addressees": _strip_colon(c.get("addressees", "")),
        "signatories": "；".join(c.get("signatories", [])), "issue_date": c.get("issue_date", ""),
        "disclosure": c.get("disclosure", ""), "attachments": "；".join(c.get("attachments", [])),
        "cc": c.get("cc", ""), "printed_by": c.get("printed_by", ""), "print_date": c.get("print_date", ""),
        "received_date": rc.get("date", ""), "receipt_number": rc.get("number", ""),
    }
    slip = truth.get("slip") or {}
    circulation = []
    for i, r in enumerate(slip.get("rows", [])):
        circulation.append({"seq": i + 1, "reader": r["reader"],
                            **{k: r.get(k + "_iso") or "" for k in ("circulated", "delivered", "returned")}})
    annotations = [{"kind": a["kind"], "text": a["text"], "signer": a.get("signer", ""), "date": a.get("date", "")}
                   for a in slip.get("annotations", []) + c.get("margin_notes", [])]
    tables = []
    for annex in truth.get("annexes", []):
        header = annex["header"]
        cols = []
        for j in range(len(header[0])):
            parts = []
            for row in header:
                if not parts or parts[-1] != row[j]:
                    parts.append(row[j])
            cols.append("/".join(parts))
        rows = [["".join(_cell_entries(x)) for x in r] for r in annex["rows"]]
        if annex.get("total_row"):
            rows.append(["".join(_cell_entries(x)) for x in annex["total_row"]])
        tables.append({"header": cols, "rows": rows})
    return {"document": doc, "circulation": circulation, "annotations": annotations, "tables": tables}


def body_text(truth: dict) -> str:
    """The circular's body as one string (paragraphs and headings joined without separators)."""
    return "".join(b["text"] for b in truth["circular"]["body"])


# ----------------------------------------------------------------------------------------------
# CLI

_MIX = ("pdf", "tiff-lzw", "folder", "tiff-g4", "tiff-jpeg", "png")


def _plan(args) -> list[tuple[str, tuple[str, ...], object]]:
    """(name, formats, truth factory) for every item to write; one render serves all formats."""
    plan: list[tuple[str, tuple[str, ...], object]] = []
    if args.seed is None:
        if args.only in (None, "example"):
            plan.append(("example-bundle", ("tiff-lzw", "pdf"), lambda: load_truth(EXAMPLE_TRUTH)))
        if args.only in (None, "random"):
            for i, (fmt, rot) in enumerate((("pdf", 90), ("folder", 180), ("tiff-g4", 0)), start=1):
                def make(i=i, rot=rot):
                    t = make_random_truth(7, i)
                    t["id"] = f"sample-7-{i:02d}"
                    t["degradation"]["rotation"] = rot
                    return t
                plan.append((f"sample-7-{i:02d}", (fmt,), make))
    else:
        for i in range(1, (args.count or 6) + 1):
            fmt = _MIX[(i - 1) % len(_MIX)]
            plan.append((f"random-{args.seed}-{i:02d}", (fmt,),
                         lambda i=i, fmt=fmt: make_random_truth(args.seed, i, rotation_variety=not args.upright,
                                                                single_page=(fmt == "png"))))
    return plan


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Render sample scanned bundles (件) of Chinese government circulars with their truth.",
        epilog="Without --seed: the example bundle (TIFF and PDF) and three random items from seed 7 "
               "(PDF, JPEG folder, G4 TIFF; rotated 90/180/0).  With --seed N: --count random items in "
               "mixed formats.  Beside each item: <item>.truth.json.")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--seed", type=int, help="render random items from this seed instead of the default set")
    ap.add_argument("--count", type=int, help="number of random items with --seed (default 6)")
    ap.add_argument("--only", choices=["example", "random"], help="default set only: the example or the random items")
    ap.add_argument("--force", action="store_true", help="rewrite items that already exist")
    ap.add_argument("--upright", action="store_true", help="with --seed: no pages rotated by 90/180/270")
    args = ap.parse_args(argv)
    if args.seed is not None and args.only:
        ap.error("--only applies to the default set, not to --seed")
    if args.count is not None and (args.seed is None or args.count < 1):
        ap.error("--count needs --seed and a positive number")
    try:
        check_fonts()
    except FontMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    for name, fmts, factory in _plan(args):
        todo = [f for f in fmts if args.force or not (item_path(out, name, f).exists()
                                                      and truth_path(item_path(out, name, f)).exists())]
        for f in fmts:
            if f not in todo:
                print(f"exists, skipped: {item_path(out, name, f)}")
        if not todo:
            continue
        t0 = time.perf_counter()
        truth = factory()
        images, page_truth = render_bundle(truth)
        t_render = time.perf_counter() - t0
        for f in todo:
            t1 = time.perf_counter()
            path = save_item(images, item_path(out, name, f), f,
                             quality=int(truth["degradation"].get("jpeg_quality") or 85),
                             truth=truth, page_truth=page_truth)
            print(f"wrote {path} ({len(images)} page{'s' if len(images) != 1 else ''}, {f}, render {t_render:.1f} s, "
                  f"save {time.perf_counter() - t1:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
