"""公文 written as a labelled form: the 函 of Taiwan's 公文程式條例 (受文者, 發文日期, 發文字號,
速別, 密等, 附件, then 主旨, 說明, 正本, 副本), in traditional or simplified characters.

Such a document has no 标题 (its 主旨 states the matter) and no red 发文机关标志: the organ's
name stands above, as 「機關名稱　函」.  Every element carries its label, so it is read by the
label, wherever on the page it stands; the rule set is chosen by what the page shows (enough of
these labels), not by where the document came from.
"""

from __future__ import annotations

import re

from .dates import parse_date
from .model import Doubt
from .rows import Row, doubt_of_rows
from .rows import field_of_rows as _field
from .rules import ORGAN_NAME

# label → the field it gives (None: a label that only ends the value before it)
FORM_LABELS: dict[str, str | None] = {
    "受文者": "addressees", "受文單位": "addressees", "受文单位": "addressees",
    "發文日期": "issue_date", "发文日期": "issue_date",
    "發文字號": "doc_number", "发文字号": "doc_number",
    "副本": "cc",
    "正本": None, "主旨": None, "說明": None, "说明": None, "速別": None, "速别": None, "密等": None,
    "附件": None, "地址": None, "聯絡人": None, "联络人": None, "聯絡電話": None, "電話": None, "傳真": None,
    "電子信箱": None, "承辦人": None, "保存年限": None, "檔號": None,
}
LABEL = re.compile(r"^\s*(?P<label>" + "|".join(sorted(FORM_LABELS, key=len, reverse=True)) + r")\s*[:：]\s*(?P<rest>.*)$")
# a page is a labelled form when it shows this many of the labels that only such forms have
FORM_MARKERS = ("受文者", "發文日期", "发文日期", "發文字號", "发文字号", "主旨", "副本", "正本", "速別", "速别", "密等")
MIN_FORM_MARKERS = 3
# 臺教高(二)字第1090012345號, 府授教字第1090001234號: an office's word, 字第, a number, 號
FORM_DOC_NUMBER = re.compile(r"^[^\s:：]{1,24}字第\s*[0-9A-Za-z]{4,14}\s*[號号]$")
# 「教育部　函」 / 「臺北市政府 函」: the organ's name before 函 (書函, 開會通知單 also)
FORM_HEAD = re.compile(r"^(?P<org>.{2,30}?)\s*(?:書函|函)$")
# how many rows from the top the organ's line may stand
HEAD_ROWS = 8
# how many rows a labelled value may wrap over
MAX_VALUE_ROWS = 4
# a wrapped value's next row starts at most this many row heights below the one before
WRAP_GAP = 1.0


def is_labelled_form(rows: list[Row]) -> bool:
    labels = {m.group("label") for r in rows if (m := LABEL.match(r.compact))}
    return sum(1 for l in FORM_MARKERS if l in labels) >= MIN_FORM_MARKERS


def _wraps(r: Row, taken: list[Row], label: str) -> bool:
    """``r`` continues a labelled value: the next row, no label of its own, starting under the
    value (past the label, within two characters of where the value starts)."""
    first, last = taken[0], taken[-1]
    char = (first.bbox[2] - first.bbox[0]) / max(len(first.compact), 1)
    value_x = first.bbox[0] + char * (len(label) + 1)
    return (
        not LABEL.match(r.compact)
        and r.bbox[1] - last.bbox[3] <= WRAP_GAP * last.height
        and first.bbox[0] + 0.5 * char < r.bbox[0] <= value_x + 2 * char
    )


def _values(rows: list[Row]) -> dict[str, tuple[str, list[Row]]]:
    """Each labelled field's text (the label's rest and the rows it wraps onto, up to the next
    label) with its rows; the first of each label counts."""
    out: dict[str, tuple[str, list[Row]]] = {}
    k = 0
    while k < len(rows):
        m = LABEL.match(rows[k].compact)
        if not m:
            k += 1
            continue
        name = FORM_LABELS[m.group("label")]
        taken, text = [rows[k]], m.group("rest")
        k += 1
        while name in ("addressees", "cc") and k < len(rows) and len(taken) < MAX_VALUE_ROWS and _wraps(rows[k], taken, m.group("label")):
            taken.append(rows[k])
            text += rows[k].compact
            k += 1
        if name is not None and name not in out and text:
            out[name] = (text, taken)
    return out


def labelled_fields(rows: list[Row]) -> dict:
    """The fields of a labelled form's first page (rows in reading order), and doubts for
    values seen but not trusted."""
    out: dict = {}
    doubts: list[Doubt] = []
    values = _values(rows)

    def doubt(name: str, reason: str, text: str, taken: list[Row]) -> None:
        doubts.append(doubt_of_rows(name, reason, taken, text=text))

    if "doc_number" in values:
        text, taken = values["doc_number"]
        if FORM_DOC_NUMBER.match(text):
            out["doc_number"] = _field(text, taken, "form-label", raw=text)
        else:
            doubt("doc_number", "the text after 發文字號 is not shaped like 某字第…號", text, taken)
    if "issue_date" in values:
        text, taken = values["issue_date"]
        d = parse_date(text)
        if d is not None and d.valid and d.value is not None:
            out["issue_date"] = _field(d.value, taken, "form-label", raw=d.raw)
        else:
            doubt("issue_date", "the text after 發文日期 is not a whole date", text, taken)
    for name in ("addressees", "cc"):
        if name in values:
            text, taken = values[name]
            out[name] = _field(text.rstrip("。"), taken, "form-label", raw=text)
    for r in rows[:HEAD_ROWS]:
        if (m := FORM_HEAD.match(r.compact)) and ORGAN_NAME.match(m.group("org")):
            out["issuer"] = _field(m.group("org"), [r], "form-head", raw=r.compact)
            break
    if doubts:
        out["doubts"] = tuple(doubts)
    return out
