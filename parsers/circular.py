"""GB/T 9704-2012 elements of a circular, and the 收文 stamp, from its classified pages.

Each element is found by where GB/T 9704 puts it and how offices write it:

- 版头 (above the red rule): 份号, 密级和保密期限, 紧急程度 at the top-left; the red 发文机关标志;
  发文字号 (with 签发人 at the right in an upward document) just above the rule.
- 主体: 标题 (larger print, centred, one to three lines), 主送机关 (the line ending with a colon),
  正文, 附件说明 (附件：1. … 2. …), 发文机关署名 and 成文日期 (right-aligned, the date under the
  names), 附注 ((此件公开发布)).
- 版记: 抄送：… and the line 印发机关 … 年月日印发.
- The receiving office's 收文 stamp (office, 收文, number, date) at the top of the first page.

Every value is a ``Field`` with the page, bbox and confidence of the text it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from .classify import has_circular_head, head_number, mark_lines
from .stamp import form_receipt, receipt_number_and_rest, stamp_lines
from .dates import ParsedDate, parse_date
from .handdate import HandDate, read_hand_date
from .docnumber import find_doc_number, year_is_plausible
from .geometry import overlap_area
from .labelled import SIGNATURE_METHOD, is_labelled_form, labelled_fields
from .layout import rows as layout_rows
from .model import HAND_LAYERS, PRINT_LAYERS, Circular, Doubt, Field, Line, Page, PageKind, Region
from .rows import Row, body_height, make_row, page_rows
from .title import (
    Measure, skippable, title_above, title_after, title_at_top, title_doubt, title_in_region, title_of,
    under_title_parts,
)
from .rows import doubt_of_rows as _doubt
from .rows import field_of_rows as _field
from .metrics import edit_distance, infix_distance
from .rules import (
    ADDRESSEE_END,
    ADDRESSEE_NEVER,
    DISCLOSURE_VOCABULARY,
    ATTACHMENT_ITEM,
    ATTACHMENT_LABEL,
    CC_LABEL,
    COPY_NUMBER,
    DATE_LIKE,
    DATE_NOISE,
    DATE_SHAPE,
    DOC_NUMBER_YEAR,
    DISCLOSURE,
    IMPRINT,
    JOINT_NAME_STARTS,
    MIN_ORGAN_NAME_CHARS,
    ORGAN_ENDINGS,
    ORGAN_NAME,
    ORGAN_NAME_END,
    ORGAN_SUFFIX_START,
    ORGAN_WITHOUT_PLACE,
    PAGE_NUMBER,
    SECRECY,
    SECRECY_ALONE,
    SIGNER,
    URGENCY,
)

MAX_SIGNATORIES = 4
# the body's size is measured on the first MEASURE_ROWS rows below the 版头 when this many of
# them are rows of text
MEASURE_ROWS = 10
MEASURE_MIN_ROWS = 5
# the full stop ending the 抄送机关's list, and specks read after it (a dot of the paper, a seal's)
LIST_END = "。.．·,，、;；"
# confidence is scaled by this when a check fails (a year that does not match the dates, an
# impossible date, a date whose year had to be inferred)
FAILED_CHECK_FACTOR = 0.5
INFERRED_FACTOR = 0.9
# a 成文日期 written by hand is read, and always shown to a reviewer (below REVIEW_THRESHOLD)
HANDWRITTEN_DATE_FACTOR = 0.75
# a signatory this close to the issuer's name (misread under the seal) is read as that name
SNAP_TO_ISSUER_SHARE = 0.3
SNAP_TO_ISSUER_EDITS = 2
# a row starting within this many characters of the left margin is body text, not a 署名
# (a paragraph indent is 2)
BODY_MARGIN_CHARS = 3.0
SCRAP_CHARS = 4
# a row this many body heights tall above the 成文日期, of a few characters, is a seal's ring
# read as text (a row of print swollen by handwritten signatures beside it holds more)
SEAL_ROW_RATIO = 2.5
SEAL_TEXT_CHARS = 8
# a letterhead printed black is at least this much larger than the body (as a red mark is)
LETTERHEAD_MIN_RATIO = 1.3
RED_PRINT_SHARE = 0.6  # a page with this share of its characters in red is printed in red
SECRECY_TOP = 0.2  # without a mark or a number, a 密级 alone is looked for in this top share
# a 主送机关 starts at the left margin (顶格); a row starting this many characters in is a paragraph
ADDRESSEE_INDENT_CHARS = 1.5
MARGIN_ROWS = 3  # the left margin is where this many rows start
MARGIN_ROW_WIDTH = 0.6  # rows this share of the widest one's width or wider tell the margin


def _date_field(parsed: ParsedDate, rows: list[Row], method: str, factor: float = 1.0) -> Field:
    factor *= 1.0 if parsed.valid else FAILED_CHECK_FACTOR
    if parsed.inferred:
        factor *= INFERRED_FACTOR
    return _field(parsed.value, rows, method, raw=parsed.raw, factor=factor, inferred=parsed.inferred)


BODY_LAYERS = {"black", "text"} | HAND_LAYERS


def _body_rows(page: Page) -> list[Row]:
    """Rows of the print and handwriting, each red line a row of its own (a seal's scraps stay
    visible to the 署名's checks without gluing rows together)."""
    red = [make_row(page.number, [l]) for l in page.lines if l.layer not in BODY_LAYERS]
    return sorted(page_rows(page, layers=BODY_LAYERS) + red, key=lambda r: (r.bbox[1], r.bbox[0]))


def _as_print(page: Page) -> Page:
    """A page printed all in red (body and all) has its red lines read as print: red is then
    the ink of the text, not of a header, a seal or a stamp."""
    red = sum(len(l.text) for l in page.lines if l.layer == "red")
    total = sum(len(l.text) for l in page.lines)
    if not total or red < RED_PRINT_SHARE * total:
        return page
    return replace(page, lines=tuple(replace(l, layer="black") if l.layer == "red" else l for l in page.lines))


def _black_part(r: Row) -> Row | None:
    """The row's printed (black or text-layer) lines alone, or None when it has none."""
    lines = [l for l in r.lines if l.layer in PRINT_LAYERS]
    if len(lines) == len(r.lines):
        return r
    return make_row(r.page, lines) if lines else None


def _is_page_number(r: Row) -> bool:
    return bool(PAGE_NUMBER.match(r.compact))


def _date_only(r: Row, context_year: int | None = None) -> ParsedDate | None:
    """A date that is (nearly) the whole row: 2014年1月24日, 二〇一四年一月二十四日."""
    d = parse_date(r.compact, context_year)
    if d is None or len(d.raw.replace(" ", "")) < 0.8 * len(r.compact):
        return None
    return d


def extract_circular(pages: list[Page] | tuple[Page, ...], kinds: list[PageKind]) -> Circular:
    """The elements of the circular among ``pages`` (classified as ``kinds``)."""
    circ_pages = [p for p, k in zip(pages, kinds) if k == PageKind.CIRCULAR]
    fields: dict[str, Field | None] = {}
    all_rows = [r for p in pages if p.error is None for r in page_rows(p)]
    form = False
    if circ_pages:
        first = circ_pages[0]
        rows = page_rows(first)
        if is_labelled_form(rows):  # a 函 of labelled elements (受文者, 發文字號, 主旨 …)
            form = True
            fields.update(labelled_fields(rows))
        else:
            fields.update(_head(first, rows))
            # the print and the handwriting, not the red ink: a tall seal would glue the 署名
            # and the 成文日期 under it into one row
            body_rows = [r for p in circ_pages for r in _body_rows(_as_print(p)) if not _is_page_number(r)]
            fields.update(_main(body_rows, fields, first.regions))
    elif first := next((p for p, k in zip(pages, kinds) if k == PageKind.OTHER and p.error is None), None):
        # no circular: the title of the speech, leaflet or booklet the item is (its 题名)
        title, doubt = title_of(title_at_top(first), "title-top")
        fields.update({"title": title} if title is not None else {"doubts": (doubt,)} if doubt is not None else {})
    if not form:
        fields.update(_imprint(all_rows))
    fields.update(_checks(fields))  # first: it puts right a 成文日期 the receipt is read against
    year = _context_year(fields)
    issued = fields["issue_date"].value if fields.get("issue_date") is not None else None
    fields.update(_receipt_anywhere(pages, circ_pages, year, issued if isinstance(issued, dt.date) else None))
    fields.update(_trusted_organs(fields))
    return Circular(**{k: v for k, v in fields.items() if k in Circular.__dataclass_fields__})


def needs_title_region(page: Page) -> bool:
    """Whether the layout model's title region may be needed on ``page``: it heads a circular
    (not a labelled 函, which has no title) whose title is found neither by size nor by position.
    The regions are the parsers' evidence of last resort, so the OCR stage runs the model on
    such pages only."""
    rows = page_rows(page)
    if not has_circular_head(rows, page) or is_labelled_form(rows):
        return False
    return extract_circular([page], [PageKind.CIRCULAR]).title is None


# -- 版头 -------------------------------------------------------------------------------------


def _head(page: Page, rows: list[Row]) -> dict[str, Field | None]:
    out: dict[str, Field | None] = {}
    marks = mark_lines(rows, page)
    doc_idx = next((i for i, r in enumerate(rows[:12]) if head_number(r)), None)
    if doc_idx is not None:  # the 发文机关标志 stands above the 发文字号 (a red title below is none of it)
        marks = [l for l in marks if l.bbox[3] <= rows[doc_idx].bbox[1] + 0.5 * rows[doc_idx].height]
    if marks:
        names = issuer_names([l.text for l in sorted(marks, key=lambda l: (l.bbox[1], l.bbox[0]))])
        if names:
            mark_rows = [make_row(page.number, [l]) for l in marks]
            out["issuer"] = _field("；".join(names), mark_rows, "issuer-mark", raw="".join(l.text for l in marks))
    elif doc_idx is not None and (head := _letterhead_above(rows[:doc_idx], rows)) is not None:
        out["issuer"] = _field(head.compact, [head], "letterhead")
    if doc_idx is not None:
        r = rows[doc_idx]
        num = head_number(r)
        out["doc_number"] = _field(str(num), [r], "doc-number", raw=num.raw)
        m = SIGNER.search(r.compact)
        if m:
            out["signer"] = _field(re.sub(r"\s+", "；", m.group("names").strip()), [r], "signer")
    head_end = rows[doc_idx].bbox[1] if doc_idx is not None else 0
    mark_top = min(l.bbox[1] for l in marks) if marks else head_end
    for full in rows:
        # the 版头's left column only: a 收文 stamp or a date may share the row at the right
        left = [l for l in full.lines if l.bbox[0] < page.width * 0.5]
        if not left or full.bbox[3] > mark_top:
            continue
        r = make_row(page.number, left)
        if "copy_number" not in out and (m := COPY_NUMBER.match(r.compact)):
            out["copy_number"] = _field(m.group("n"), [r], "head")
        elif "secrecy" not in out and (m := SECRECY.match(r.compact)):
            value = m.group("level") + (f"★{m.group('term')}" if m.group("term") else "")
            out["secrecy"] = _field(value, [r], "head")
        elif "urgency" not in out and (m := URGENCY.match(r.compact)):
            out["urgency"] = _field(m.group("u"), [r], "head")
    if "secrecy" not in out and (found := _secrecy_alone(page, rows, mark_top if (marks or doc_idx is not None) else None)):
        out["secrecy"] = found
    return out


def _letterhead_above(above: list[Row], rows: list[Row]) -> Row | None:
    """A letter's 发文机关标志 printed black (or scanned gray): the first printed row above the
    发文字号, an organ's name and nothing else, larger than the body and centred."""
    printed = [r for r in above if not skippable(r)]
    if not printed:
        return None
    m = Measure.of([r for r in rows if not skippable(r)] or rows)
    r = printed[0]
    if ORGAN_NAME.match(r.compact) and r.height >= LETTERHEAD_MIN_RATIO * m.h and m.centred(r):
        return r
    return None


def _secrecy_alone(page: Page, rows: list[Row], top_end: float | None) -> Field | None:
    """A 密级 printed on its own at the top, left or right (older documents print 绝密 at the
    top right, some as 绝密文件, in a box, or in red): a line that is the mark and nothing
    else, above the 发文机关标志 or the 发文字号 (without either: in the top part of the page)."""
    limit = top_end if top_end is not None else SECRECY_TOP * page.height
    for r in rows:
        if r.bbox[1] >= limit:
            break
        for line in r.lines:
            if line.bbox[3] <= limit and (m := SECRECY_ALONE.match("".join(line.text.split()))):
                value = m.group("level") + (f"★{m.group('term')}" if m.group("term") else "")
                return _field(value, [make_row(page.number, [line])], "head-mark")
    return None


def issuer_names(texts: list[str]) -> list[str]:
    """Issuer names from the lines of the 发文机关标志: 文件 dropped, each name once (a name read
    twice, or a piece of one, counts once), in reading order."""
    names: list[str] = []
    for t in texts:
        for part in re.split(r"文\s*件", re.sub(r"\s+", "", t)):
            if len(part) < 2:
                continue
            if any(_piece_of(part, n) for n in names):
                continue  # read twice (a misread character aside), or a piece of one
            names = [n for n in names if not _piece_of(n, part)] + [part]
    return names


def _piece_of(part: str, name: str) -> bool:
    """``part`` is ``name`` read again, or a piece of it, a character in four misread aside."""
    if len(part) > len(name) + 1:
        return False
    return infix_distance(part, name) <= max(1, len(part) // 4)



# -- 主体 -------------------------------------------------------------------------------------


def _main(rows: list[Row], found: dict, regions: tuple[Region, ...] = ()) -> dict[str, Field | None]:
    out: dict[str, Field | None] = {}
    if not rows:
        return out
    doc = found.get("doc_number")
    start = 0
    if doc is not None:
        start = next(
            (i + 1 for i, r in enumerate(rows) if r.page == doc.page and overlap_area(r.bbox, doc.bbox) > 0 and find_doc_number(r.compact)),
            0,
        )
    black = [r for r in rows if "red" not in r.layers]
    # the title and the 主送机关 stand on the first page, below the 版头: measured against the
    # body right there (the pages of a photo differ in scale, and print grows towards the
    # camera; a stamp or the mark above is no body), or against all pages when that page holds
    # too little text
    below = [r for r in rows[start:] if r.page == rows[0].page][:MEASURE_ROWS]
    m = Measure.of(below if sum(1 for r in below if len(r.compact) >= 8) >= MEASURE_MIN_ROWS else rows)
    h = m.h

    title_rows, i = title_after(rows, start, m)
    doubts: list[Doubt] = []
    if not title_rows and start > 0:
        # a letter or a report prints its title above the 发文字号 (under the letterhead)
        title_rows = title_above(rows, start - 1, m)
    if not title_rows and regions:
        # neither larger nor centred where GB/T 9704 puts it (a title set flush left, or of the
        # body's size): the rows the layout model takes for a title, below the 版头
        title_rows, i = title_in_region(rows, start, regions, i)
    title, doubt = title_of(title_rows, "title")
    if title is not None:
        out["title"] = title
    doubts += [doubt] if doubt is not None else []
    # 署名 and 成文日期 printed under the title, in brackets (older documents, speeches)
    under: dict[str, Field] = {}
    if i < len(rows) and (under := _under_title(rows[i], m)):
        i += 1
    # 主送机关: the first row after the title that ends with a colon (it may wrap)
    j = i
    addr_rows: list[Row] = []
    for k in range(j, min(j + 4, len(rows))):
        addr_rows.append(rows[k])
        if ADDRESSEE_END.search(rows[k].compact):
            break
    else:
        addr_rows = []
    # a row shaped like a title (…的通知) is no part of the 主送机关: a title neither larger nor
    # centred nor in a title region is left for a reviewer
    lead = next((k for k in range(len(addr_rows) - 1, 0, -1)
                 if title_doubt("".join(r.compact for r in addr_rows[:k])) is None), 0)
    if lead:
        if not title_rows:
            doubts.append(_doubt("title", "rows shaped like a title, but neither larger than the body nor centred", addr_rows[:lead]))
        addr_rows = addr_rows[lead:]
        j += lead
    if len(addr_rows) > 1 and not under and (under := _under_title(addr_rows[0], m)):
        addr_rows = addr_rows[1:]  # the organ and date under a title not found as one
        j += 1
    if addr_rows and len("".join(r.compact for r in addr_rows)) <= 200:
        text = ADDRESSEE_END.sub("", "".join(r.compact for r in addr_rows))
        page_left = _left_margin([r for r in (black or rows) if r.page == addr_rows[0].page], h)
        if (reason := _addressee_doubt(text, addr_rows[0], page_left, h)) is None:
            out["addressees"] = _field(text, addr_rows, "addressees")
            j += len(addr_rows)
        else:
            doubts.append(_doubt("addressees", reason, addr_rows))
    year = None
    if doc is not None and (m := DOC_NUMBER_YEAR.search(str(doc.value))):
        year = int(m.group(1))
    out.update(_tail(rows[j:], found.get("issuer"), year))
    out.update(under)
    if doubts:
        out["doubts"] = tuple(doubts)
    return out


def _left_margin(rows: list[Row], h: float) -> float:
    """The page's left margin: the leftmost start shared by MARGIN_ROWS rows (within half a
    character), so that a footer, a table or a stamp reaching further left does not move it.
    The rows that span most of the text's width count (a paragraph's lines start at the
    margin); short ones (a letterhead's logo, a page number, a table's cell) only when there
    are too few long ones."""
    widest = max((r.bbox[2] - r.bbox[0] for r in rows), default=0.0)
    long_rows = [r for r in rows if r.bbox[2] - r.bbox[0] >= MARGIN_ROW_WIDTH * widest]
    starts = sorted(r.bbox[0] for r in (long_rows if len(long_rows) >= MARGIN_ROWS else rows))
    for x in starts:
        if sum(1 for s in starts if abs(s - x) <= 0.5 * h) >= MARGIN_ROWS:
            return x
    return starts[0]


def _addressee_doubt(text: str, first: Row, left: float, h: float) -> str | None:
    """Why the rows ending with a colon are not trusted as the 主送机关 (None: they are)."""
    if ADDRESSEE_NEVER.search(text):
        return "the lines ending with a colon are a sentence of the body (…如下：), not the 主送机关"
    if (d := parse_date(text)) is not None and d.value is not None:
        return "the lines hold a date (an organ and date under the title?), not only the 主送机关"
    if first.bbox[0] > left + ADDRESSEE_INDENT_CHARS * h:
        return "the lines are indented as a paragraph; the 主送机关 starts at the left margin"
    return None


def _under_title(r: Row, measure: Measure) -> dict[str, Field]:
    """「（中共中央 一九六六年五月十六日）」 centred under the title: the 署名 and the 成文日期
    (a long one may reach both margins: only its centre is checked)."""
    parts = under_title_parts(r.compact)
    if parts is None or not measure.mid_aligned(r):
        return {}
    names, d, raw = parts
    return {
        "signatories": _field("；".join(names), [r], "under-title", raw=raw),
        "issue_date": _date_field(d, [r], "under-title"),
    }
















def _disclosure(r: Row) -> Field | None:
    m = DISCLOSURE.match(r.compact)
    if not m:
        return None
    text = m.group("text")
    if text in DISCLOSURE_VOCABULARY:
        return _field(text, [r], "disclosure")
    best = min(DISCLOSURE_VOCABULARY, key=lambda v: edit_distance(v, text))
    if edit_distance(best, text) <= 1:  # one character misread: the closed vocabulary decides
        return _field(best, [r], "disclosure+vocabulary", raw=text, factor=INFERRED_FACTOR)
    return _field(text, [r], "disclosure")


def split_joint_names(text: str, issuers: list[str], only_organs: bool = False) -> list[str]:
    """Two or more signing organs read as one line: split where the issuers of a joint document
    (from the 发文机关标志) meet, when the line is their names in order with at most one
    misread character per name; else where one organ's name ends (…办公室) and another's opens
    (中共…, or the same place as the first: 某区委办公室|某区人民政府办公室; with
    ``only_organs``, for text known to hold nothing but organs' names like a joint title's head,
    any name that does not open with an organ's ending).  Otherwise the line as it is."""
    if len(issuers) >= 2:
        parts: list[str] = []
        pos = 0
        for k, name in enumerate(issuers):
            if k == len(issuers) - 1:
                piece = text[pos:]
            else:  # the cut that makes this piece closest to the name
                ends = range(pos + len(name) - 1, min(len(text), pos + len(name) + 1) + 1)
                if not ends:  # the line is too short to hold this name and the next
                    break
                piece = min(
                    (text[pos:end] for end in ends), key=lambda t: (edit_distance(t, name), abs(len(t) - len(name)))
                )
            if edit_distance(piece, name) > 1:
                break
            parts.append(piece)
            pos += len(piece)
        else:
            return parts
    n = MIN_ORGAN_NAME_CHARS
    for cut in range(n, len(text) - n + 1):
        left, right = text[:cut], text[cut:]
        if not (ORGAN_NAME_END.search(left) and ORGAN_NAME_END.search(right)):
            continue
        if any(text.find(w, max(0, cut - len(w) + 1), cut + len(w) - 1) not in (-1, cut) for w in ORGAN_ENDINGS if len(w) > 1):
            continue  # the cut falls inside a longer ending (…政府办|公室)
        if right.startswith(JOINT_NAME_STARTS) or right[:2] in left or (only_organs and not ORGAN_SUFFIX_START.match(right)):
            return [left] + split_joint_names(right, [], only_organs)
    return [text]


def _names_in_row(r: Row) -> list[str]:
    """Names side by side in one row: boxes apart by more than a character; seal scraps (a box
    of one or two characters) dropped."""
    boxes = [l for l in sorted(r.lines, key=lambda l: l.bbox[0]) if l.layer in PRINT_LAYERS and len(l.text) > 2]
    names: list[str] = []
    prev = None
    for l in boxes:
        if prev is not None and l.bbox[0] - prev.bbox[2] <= (l.bbox[3] - l.bbox[1]):
            names[-1] += l.text
        else:
            names.append(l.text)
        prev = l
    return ["".join(n.split()) for n in names]


def _tail(rows: list[Row], issuer: Field | None = None, doc_year: int | None = None) -> dict[str, Field | None]:
    """附件说明, 发文机关署名, 成文日期 and 附注 at the end of the body."""
    out: dict[str, Field | None] = {}
    attachments = _attachments(rows)
    if attachments is not None:
        out["attachments"] = attachments
    if not rows:  # the page ends right after the 发文字号 (or the 附件说明)
        return out
    # 成文日期: the last date-only row in the right half; 署名 right above it
    right_edge = max(r.bbox[2] for r in rows)
    left_edge = min(r.bbox[0] for r in rows)
    mid = (left_edge + right_edge) / 2
    char = body_height(rows)  # a row's own height can be swollen by a seal beside it
    date_idx, date_row = _issue_date_row(rows, mid)
    if date_row is not None:
        out["issue_date"] = _issue_date(date_row, doc_year)
    # the 署名 sits right above the 成文日期 (or, when the date is unreadable, above the 附注)
    anchor = date_idx
    if anchor is None:
        anchor = next((i for i, r in enumerate(rows) if _disclosure(r) is not None), None)
    if anchor is not None:
        above = rows[max(0, anchor - MAX_SIGNATORIES - 2) : anchor]
        signatories = _signatories(above, issuer, mid, left_edge + BODY_MARGIN_CHARS * char, char)
        if signatories is not None:
            out["signatories"] = signatories
    after = rows[date_idx + 1 :] if date_idx is not None else rows
    disclosure = next((f for f in map(_disclosure, after) if f is not None), None)
    if disclosure is not None:
        out["disclosure"] = disclosure
    return out


def _attachments(rows: list[Row]) -> Field | None:
    """The 附件说明: its first item on the label's row, then numbered items, or an item wrapped
    onto rows indented under the first."""
    att_idx = next((i for i, r in enumerate(rows) if ATTACHMENT_LABEL.match(r.compact)), None)
    if att_idx is None:
        return None
    label = rows[att_idx]
    items: list[str] = []
    used = [label]
    rest = ATTACHMENT_LABEL.match(label.compact).group("rest")
    first = ATTACHMENT_ITEM.match(rest)
    items.append(first.group("text") if first else rest)
    numbered = first is not None
    for r in rows[att_idx + 1 : att_idx + 12]:
        m = ATTACHMENT_ITEM.match(r.compact)
        if numbered and m:
            items.append(m.group("text"))
        elif _wraps_attachment(r, label, used[-1]):
            items[-1] += r.compact  # a wrapped item, indented under the first
        else:
            break
        used.append(r)
    items = [t for t in (i.strip() for i in items) if t]
    return _field("；".join(items), used, "attachments") if items else None


def _wraps_attachment(r: Row, label: Row, last: Row) -> bool:
    """Does ``r`` carry on the attachment item of the row ``last`` (printed at the size of the
    附件 ``label``'s row, indented past the label, right below, no date)?"""
    return bool(
        r.layers & PRINT_LAYERS
        and len(r.compact) > 2
        and abs(r.height - label.height) < 0.3 * label.height
        and r.bbox[0] > label.bbox[0] + r.height
        and r.bbox[1] - last.bbox[3] < 1.2 * r.height
        and not _date_only(r)
    )


def _issue_date_row(rows: list[Row], mid: float) -> tuple[int | None, Row | None]:
    """(index, print) of the 成文日期's row: the last date-only row right of ``mid``; (None, None)
    when there is none."""
    for i in range(len(rows) - 1, -1, -1):
        # the print of the row only: scraps of a red seal beside the date are no part of it
        # (nor, on a page printed in red, a character or two of its ring read as print)
        r = _black_part(rows[i])
        if r is None:
            continue
        kept = [l for l in r.lines if len("".join(l.text.split())) > 2]
        for r in ([make_row(r.page, kept)] if 0 < len(kept) < len(r.lines) else []) + [r]:
            if r.x_center > mid and (_date_only(r) or DATE_SHAPE.match(r.compact)):
                return i, r
    # no printed date: one written by hand where the date goes (a whole date, read as one:
    # a leader's dated note is no 成文日期, so only when nothing is printed there)
    for i in range(len(rows) - 1, -1, -1):
        hand = [l for l in rows[i].lines if l.layer in HAND_LAYERS]
        r = make_row(rows[i].page, hand) if hand else None
        if r is not None and r.x_center > mid and (d := _date_only(r)) is not None and d.value is not None:
            return i, r
    return None, None


def _issue_date(r: Row, doc_year: int | None) -> Field:
    """The 成文日期 read from its row ``r``."""
    d = _date_only(r)
    if d is not None:
        if r.layers <= HAND_LAYERS:  # written by hand: a reviewer looks at it
            return _date_field(d, [r], "issue-date-handwritten", factor=HANDWRITTEN_DATE_FACTOR)
        return _date_field(d, [r], "issue-date")
    cleaned = DATE_NOISE.sub("", r.compact)
    if (d := _date_only(make_row(r.page, [Line(cleaned, r.bbox, r.confidence)]))) is not None:
        if _speck_may_be_numeral(r.compact, d.value):
            # 四月十亡日: the speck stands where a numeral may be (十七日?): the date is not read
            return _field(None, [r], "issue-date", raw=r.compact, factor=FAILED_CHECK_FACTOR)
        # specks of the seal between its numerals (六月_二十六日): read without them
        return _date_field(replace(d, inferred=True), [r], "issue-date+specks-dropped")
    # the seal garbled the year (or more): month and day with the year of the 发文字号,
    # marked inferred; what cannot be read at all is kept raw, for a reviewer.  A day of one
    # numeral is not taken: the seal that took numerals from the year may have taken the 十 or
    # 1 before it (二〇一年八月六日 printed 二〇〇一年八月十六日)
    for text in (r.compact, cleaned) if doc_year else ():
        d = parse_date(text[text.find("年") + 1 :], doc_year)
        if d is not None and d.value is not None:
            if d.value.day < 10:
                return _field(None, [r], "issue-date", raw=r.compact, factor=FAILED_CHECK_FACTOR)
            return _date_field(d, [r], "issue-date+doc-number-year")
    return _field(None, [r], "issue-date", raw=r.compact, factor=FAILED_CHECK_FACTOR)


def _speck_may_be_numeral(text: str, value) -> bool:
    """A speck dropped from a date might be a numeral the seal garbled: putting one of the
    numerals in its place gives another valid date (the whole text a date)."""
    numerals = "0123456789" if any(ch.isdigit() for ch in text) else "〇一二三四五六七八九十"
    for i, ch in enumerate(text):
        if not DATE_NOISE.fullmatch(ch):
            continue
        for n in numerals:
            other = DATE_NOISE.sub("", text[:i] + n + text[i + 1:])
            d = parse_date(other)
            if d is not None and d.valid and d.value is not None and d.value != value and d.raw == other:
                return True
    return False


def _signatories(above: list[Row], issuer: Field | None, mid: float, indent: float, char: float) -> Field | None:
    """The 发文机关署名 in the rows ``above`` the 成文日期 (or the 附注), read upwards until the body
    or the 附件说明: rows right of ``mid``, a single name not starting left of ``indent``."""
    names: list[str] = []
    used: list[Row] = []
    scraps: list[Row] = []
    for r in reversed(above):
        if DATE_LIKE.search(r.compact):
            continue  # a date (2014年1月24[ under a seal) is never a name
        if len(r.compact) <= SCRAP_CHARS and not r.compact[-1:] in "。；：，" \
                or (r.height >= SEAL_ROW_RATIO * char and len(r.compact) <= SEAL_TEXT_CHARS):
            # what the seal left of a name, or a piece of its ring; or, on a page printed in red,
            # the seal's ring read as a row of its own, far taller than print
            scraps.append(r)
            continue
        if not (r.layers & PRINT_LAYERS):
            continue  # a colour-only row
        parts = [t for t in _names_in_row(r) if len(t) > SCRAP_CHARS - 2]
        if len(parts) == 1:
            parts = split_joint_names(parts[0], issuer.value.split("；") if issuer is not None else [])
        if _above_signatures(r, parts, mid, indent):
            break  # the body or the 附件说明 above the signature block
        names[:0] = parts
        used.insert(0, r)
        if len(names) >= MAX_SIGNATORIES:
            break
    # the seal's ring repeats the organ's name: a piece of another name read is none of its own
    names = [n for n in names if not any(o != n and len(o) > len(n) and _piece_of(n, o) for o in names)]
    if names:
        return _field("；".join(names), used, "signatories")
    return _issuer_from_scraps(scraps, issuer)


def _above_signatures(r: Row, parts: list[str], mid: float, indent: float) -> bool:
    """Is ``r`` (holding the names ``parts``) the body or the 附件说明 rather than a 署名?"""
    return bool(
        r.compact[-1:] in "。；：，"
        or ATTACHMENT_LABEL.match(r.compact)
        or ATTACHMENT_ITEM.match(r.compact)
        or len(r.compact) > max(30, 20 * len(parts))
        or r.bbox[2] < mid
        # joint signatories side by side may start at the left margin; one name does not
        or (r.bbox[0] < indent and len(parts) < 2)
    )


def _issuer_from_scraps(scraps: list[Row], issuer: Field | None) -> Field | None:
    """The seal hid the name: scraps (of the name, or of the seal's ring, which bears the signing
    organ's name) whose every character is in the issuer's name are read as the issuer, at half
    the confidence, for a reviewer to confirm."""
    if not scraps or issuer is None or "；" in issuer.value:
        return None
    chars = set("".join(r.compact for r in scraps))
    if not chars <= set(issuer.value):
        return None
    return _field(
        issuer.value, scraps, "signatories-from-issuer-mark", raw="".join(r.compact for r in scraps),
        factor=FAILED_CHECK_FACTOR,
    )


# -- 版记 and stamp ----------------------------------------------------------------------------


def _imprint(rows: list[Row]) -> dict[str, Field | None]:
    out: dict[str, Field | None] = {}
    for i, r in enumerate(rows):
        m = IMPRINT.match(r.compact)
        if m:
            org = m.group("org").strip()
            out["printed_by"] = _field(org, [r], "imprint")
            d = parse_date(m.group("date"))
            if d is not None:
                out["print_date"] = _date_field(d, [r], "imprint")
        m = CC_LABEL.match(r.compact)
        if m:
            used = [r]
            text = m.group("rest")
            for nxt in rows[i + 1 : i + 4]:
                if IMPRINT.match(nxt.compact) or CC_LABEL.match(nxt.compact) or nxt.page != r.page:
                    break
                if nxt.bbox[1] - used[-1].bbox[3] > 1.5 * r.height:
                    break
                text += nxt.compact
                used.append(nxt)
            out["cc"] = _field(text.rstrip(LIST_END).strip(), used, "cc")
    return out


def _context_year(fields: dict) -> int | None:
    for name in ("issue_date", "print_date"):
        f = fields.get(name)
        if f is not None and isinstance(f.value, dt.date):
            return f.value.year
    return None


def _receipt_anywhere(pages, circ_pages: list[Page], year: int | None, issued: dt.date | None) -> dict[str, Field | None]:
    """The 收文 stamp's date and number from the first page that has one: the circular's first
    page, where it is usually stamped, then the item's other pages in order; what no stamp
    gave, from a processing form's own 收文日期 / 收文编号 fields."""
    first = circ_pages[:1]
    readable = first + [p for p in pages if p.error is None and not any(p is f for f in first)]
    out: dict[str, Field | None] = {}
    for page in readable:
        # a stamp's rows: a date or number filled into a printed template (第＿号, ＿年＿月＿日)
        # is read as lines apart from the words printed round it
        rows = [make_row(page.number, r) for r in layout_rows(stamp_lines([l for r in page_rows(page) for l in r.lines], page))]
        out = _receipt(rows, rows, year, issued, STAMP_METHOD)
        if out:
            break
    for page in readable:
        if len(out) == 2:
            break
        dates, numbers = form_receipt(page.lines)
        found = _receipt([make_row(page.number, [l]) for l in dates], [make_row(page.number, [l]) for l in numbers],
                         year, issued, FORM_METHOD, bare=True)
        out.update({k: v for k, v in found.items() if k not in out})
    return out


STAMP_METHOD = "receipt-stamp"
# a stamp's word of digits alone this long that opens with the item's year is a date whose dots
# were lost (2018625, 16319), not the receipt's number
DOTLESS_DATE_DIGITS = 5
DOTLESS_DATE_DAYS = 90  # and a date within this many days of the 成文日期 (a receipt is stamped soon)
FORM_METHOD = "receipt-form"  # a processing form's own 收文日期 / 收文编号 fields


def _spaced(row: Row) -> str:
    """A row's lines joined by a space (the number and the date of a stamp set in one row stay
    apart: 收文 2022.05.02 259); a piece read twice, alone and again at the start of the line
    it touches (月 | 月19日), once."""
    lines = sorted(row.lines, key=lambda l: l.bbox[0])
    kept = [l for l, after in zip(lines, lines[1:] + [None])
            if after is None or not (after.bbox[0] < l.bbox[2] and after.text.startswith(l.text))]
    return " ".join(l.text for l in kept)


def _dotless_date(word: str, year: int | None, issued: dt.date | None) -> HandDate | None:
    """A stamp's ``word`` as a date whose dots were lost that opens with the item's year
    (2018625, 16319 in an item of 2016) and is one date soon after the item was issued
    (``DOTLESS_DATE_DAYS``): a date, never the number."""
    if year is None or issued is None or not (word.isdigit() and len(word) >= DOTLESS_DATE_DIGITS):
        return None
    if not any(word.startswith(str(y)) or word.startswith(f"{y % 100:02d}") for y in (year, year + 1)):
        return None
    h = read_hand_date(word, year, issued, bare=True)
    if h is None or h.date.value is None or h.date.span != (0, len(word)):
        return None
    return h if (h.date.value - issued).days <= DOTLESS_DATE_DAYS else None


def _receipt(dates: list[Row], numbers: list[Row], year: int | None, issued: dt.date | None,
             method: str, bare: bool = False) -> dict[str, Field | None]:
    """The receipt's date among ``dates`` and its number among ``numbers`` (a stamp's rows, or
    a form's field values).  The date is often written by hand: it is read as such
    (``handdate``), and must fall in the window after the 成文日期; with ``bare`` (a form's
    收文日期 field, where a date must stand) digits that lost their dots too."""
    out: dict[str, Field | None] = {}
    for u in dates:
        h = read_hand_date(_spaced(u), year, issued, bare=bare)
        if h is not None:
            out["received_date"] = _date_field(h.date, [u], method, factor=h.factor)
            break
    def dotless_date(word: str) -> HandDate | None:
        return None if bare else _dotless_date(word, year, issued)

    number_row, rest = None, ""
    for u in numbers:
        text = _spaced(u)
        if (h := read_hand_date(text, year, issued)) is not None:
            a, b = h.date.span
            text = text[:a] + " " + text[b:]
        if (found := receipt_number_and_rest(text, year, skip=lambda w: dotless_date(w) is not None)) is not None:
            out["receipt_number"] = _field(found[0], [u], method)
            number_row, rest = u, found[1]
            break
    if number_row is None and getattr(out.get("received_date"), "value", None) is None:
        # no number read: a stamp's word that is a date whose dots were lost, opening with the
        # item's year, is its date all the same
        for u in dates:
            if (h := next((h for w in _spaced(u).split() if (h := dotless_date(w)) is not None), None)) is not None:
                out["received_date"] = _date_field(h.date, [u], method, factor=h.factor)
                break
    if number_row is not None and not bare and getattr(out.get("received_date"), "value", None) is None:
        # the stamp's number found, the date is a row of its own, or the rest of the number's
        # row in a stamp of one row: there a date must stand, and digits that lost their dots
        # are read too (2012620, 23621, 04923, 07.81), in the window alone
        # (a row read as written but no day of the calendar, 07.81, is read so again)
        for u, text in [(u, _spaced(u)) for u in dates if u is not number_row] + [(number_row, rest)]:
            if (h := read_hand_date(text, year, issued, bare=True)) is not None:
                if h.date.value is not None or "received_date" not in out:
                    out["received_date"] = _date_field(h.date, [u], method, factor=h.factor)
                break
    return out




ORGAN_FIELDS = ("issuer", "signatories")


def _trusted_organs(fields: dict) -> dict:
    """The 发文机关标志 and the 署名 name organs: a value with a name that is not shaped like an
    organ's (a person's name, a place, "编号", a sentence of red body text) is left empty, with
    its reason among the doubts."""
    out: dict = {}
    doubts = list(fields.get("doubts", ()))
    for name in ORGAN_FIELDS:
        f = fields.get(name)
        if f is None or f.method == SIGNATURE_METHOD:  # a head's title and name sign a 函: a person
            continue
        names = str(f.value).split("；")
        if bad := [n for n in names if not ORGAN_NAME.match(n)]:
            reason = f"「{bad[0][:20]}」 is not shaped like an organ's name (…厅, …委, …人民政府, …公司 …)"
        elif bad := [n for n in names if ORGAN_WITHOUT_PLACE.match(n)]:
            reason = f"「{bad[0][:20]}」 names no place: its first characters were lost or misread"
        else:
            continue
        out[name] = None
        doubts.append(Doubt(field=name, text=str(f.value), page=f.page, bbox=f.bbox, reason=reason))
    if len(doubts) > len(fields.get("doubts", ())):
        out["doubts"] = tuple(doubts)
    return out


def _checks(fields: dict) -> dict[str, Field | None]:
    """Cross-checks between elements.

    - The 发文字号's year must fit the dates (same year, or the year before); else its
      confidence is lowered.
    - The 成文日期 lies in the 发文字号's year (or the next) and not after the 印发日期; a year
      that fails both while the number's year fits is an OCR slip in the year's digits, so the
      number's year is taken, marked inferred, with lowered confidence.
    - A 署名 within two characters of an issuer named in the 发文机关标志 is that issuer (the
      mark is printed large and clean; the 署名 sits under the seal).
    - A 署名 naming only some of the organs of a joint document (its 发文机关标志, or the head of
      its title) is left empty, with its reason among the doubts.
    """
    out: dict[str, Field | None] = {}
    doc = fields.get("doc_number")
    doc_year = None
    if doc is not None:
        m = re.search(r"〔(\d{4})〕", doc.value)
        doc_year = int(m.group(1)) if m else None
    issue, printed = fields.get("issue_date"), fields.get("print_date")
    if (
        issue is not None
        and isinstance(issue.value, dt.date)
        and doc_year is not None
        and issue.value.year not in (doc_year, doc_year + 1)
        and not (isinstance(getattr(printed, "value", None), dt.date) and printed.value.year == issue.value.year)
    ):
        try:
            fixed = issue.value.replace(year=doc_year)
        except ValueError:
            fixed = None
        if fixed is not None and (not isinstance(getattr(printed, "value", None), dt.date) or fixed <= printed.value):
            issue = replace(
                issue, value=fixed, inferred=True, method=issue.method + "+year-from-doc-number",
                confidence=round(issue.confidence * FAILED_CHECK_FACTOR, 4),
            )
            out["issue_date"] = issue
    if doc is not None and doc_year is not None:
        years = [f.value.year for f in (issue, printed) if f is not None and isinstance(f.value, dt.date)]
        if not year_is_plausible(doc_year, *years):
            out["doc_number"] = replace(doc, confidence=round(doc.confidence * FAILED_CHECK_FACTOR, 4))
    issuer, sig = fields.get("issuer"), fields.get("signatories")
    if issuer is not None and sig is not None:
        known = issuer.value.split("；")
        title = fields.get("title")
        if title is not None and "关于" in str(title.value):
            # a joint document names its organs at the head of its title, all of them even
            # when its 发文机关标志 shows only the first
            for organ in split_joint_names(str(title.value).split("关于")[0], known, only_organs=True):
                if (
                    len(organ) >= MIN_ORGAN_NAME_CHARS
                    and ORGAN_NAME_END.search(organ)
                    # the title may name a known organ shortly (中共湖南省委 for 中共湖南省委员会)
                    and not any(organ in k or k in organ for k in known)
                ):
                    known = known + [organ]

        def snap(name: str) -> str:
            best = min(known, key=lambda k: edit_distance(k, name))
            close = max(SNAP_TO_ISSUER_EDITS, int(SNAP_TO_ISSUER_SHARE * len(best)))
            return best if 0 < edit_distance(best, name) <= close else name

        pieces = sig.value.split("；")
        names = [snap(n) for n in pieces]
        whole = snap("".join(pieces))
        if len(pieces) > 1 and whole in known and not all(n in known for n in names):
            names = [whole]  # one name cut in pieces by the seal over it
        if set(names) < set(known):
            # a joint document is signed by all its organs (GB/T 9704 7.3.5.2): a 署名 naming
            # only some of them is what a seal left readable, not the list
            out["signatories"] = None
            out["doubts"] = (*fields.get("doubts", ()), Doubt(
                field="signatories", text=sig.value, page=sig.page, bbox=sig.bbox,
                reason=f"names {len(set(names))} of the {len(known)} organs of a joint document: a seal may hide the others",
            ))
        elif names != sig.value.split("；"):
            out["signatories"] = replace(
                sig, value="；".join(names), method=sig.method + "+issuer-mark",
                confidence=round(sig.confidence * INFERRED_FACTOR, 4),
            )
    return out
