"""公文 written as a labelled form: the 函 of Taiwan's 公文程式條例 (受文者, 發文日期, 發文字號,
速別, 密等, 附件, then 主旨, 說明, 正本, 副本), in traditional or simplified characters.

Such a document has no 标题 (its 主旨 states the matter) and no red 发文机关标志: the organ's
name stands above, as 「機關名稱　函」.  Every element carries its label, so it is read by the
label, wherever on the page it stands; the rule set is chosen by what the page shows (enough of
these labels), not by where the document came from.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .dates import parse_date
from .model import Doubt
from .rows import Row, doubt_of_rows
from .rows import field_of_rows as _field
from .rules import ORGAN_NAME
from .script import is_traditional, to_simplified, to_traditional, variants

# label (as printed in traditional characters; read in either script) → the field it gives
# (None: a label that only ends the value before it)
FORM_LABELS: dict[str, str | None] = {
    "受文者": "addressees", "受文單位": "addressees", "發文日期": "issue_date", "發文字號": "doc_number",
    "附件": "attachments", "副本": "cc", "速別": "urgency",
    "正本": None, "主旨": None, "說明": None, "密等": None, "地址": None, "聯絡人": None,
    "聯絡電話": None, "電話": None, "傳真": None, "電子信箱": None, "承辦人": None, "保存年限": None,
    "檔號": None,
}
_FIELD_OF = {to_simplified(label): name for label, name in FORM_LABELS.items()}


def _either_script(label: str) -> str:
    return "".join("[" + "".join(sorted(variants(c))) + "]" for c in label)


LABEL = re.compile(
    r"^\s*(?P<label>" + "|".join(_either_script(l) for l in sorted(FORM_LABELS, key=len, reverse=True))
    + r")\s*[:：]\s*(?P<rest>.*)$"
)
# a page is a labelled form when it shows this many of the labels that only such forms have
FORM_MARKERS = {to_simplified(l) for l in ("受文者", "發文日期", "發文字號", "主旨", "副本", "正本", "速別", "密等")}
MIN_FORM_MARKERS = 3
# 臺教高(二)字第1090012345號, 府授教字第1090001234號: an office's word, 字第, a number, 號
FORM_DOC_NUMBER = re.compile(r"^[^\s:：]{1,24}字第\s*[0-9A-Za-z]{4,14}\s*[號号]$")
# 「教育部　函」 / 「臺北市政府 函」: the organ's name before 函 (書函, 開會通知單 also)
FORM_HEAD = re.compile(r"^(?P<org>.{2,30}?)\s*(?:書函|函)$")
# the head of the organ signs the 函 at its end: 「部長　潘文忠」, 「代理市長　某某」
HEAD_TITLES = ("部長", "次長", "署長", "市長", "縣長", "局長", "處長", "院長", "校長", "主任委員", "主任", "主席",
               "秘書長", "廳長", "司長", "所長", "館長", "鄉長", "鎮長", "區長", "會長", "理事長", "董事長", "總經理")
HEAD_SIGNATURE = re.compile(
    r"^(?P<title>(?:代理)?(?:" + "|".join(_either_script(t) for t in sorted(HEAD_TITLES, key=len, reverse=True))
    + r"))\s*(?P<name>[\u4e00-\u9fff]{2,4})$"
)
SIGNATURE_METHOD = "form-signature"
# 附件：無 — the form has none, 附件：如文 — it is named in the text; 速別：普通件 — no urgency
NO_VALUE = {"無", "无", "如文", "普通件", "普通", ""}
# how many rows from the top the organ's line may stand
HEAD_ROWS = 8
# how many rows a labelled value may wrap over
MAX_VALUE_ROWS = 4
# a wrapped value's next row starts at most this many row heights below the one before
WRAP_GAP = 1.0


def is_labelled_form(rows: list[Row]) -> bool:
    labels = {to_simplified(m.group("label")) for r in rows if (m := LABEL.match(r.compact))}
    return len(labels & FORM_MARKERS) >= MIN_FORM_MARKERS


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
        name = _FIELD_OF[to_simplified(m.group("label"))]
        taken, text = [rows[k]], m.group("rest")
        k += 1
        while name in ("addressees", "cc", "attachments") and k < len(rows) and len(taken) < MAX_VALUE_ROWS and _wraps(rows[k], taken, m.group("label")):
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
    for name in ("addressees", "cc", "attachments", "urgency"):
        if name in values and values[name][0].rstrip("。") not in NO_VALUE:
            text, taken = values[name]
            out[name] = _field(text.rstrip("。"), taken, "form-label", raw=text)
    for r in rows[:HEAD_ROWS]:
        if (m := FORM_HEAD.match(r.compact)) and ORGAN_NAME.match(m.group("org")):
            out["issuer"] = _field(m.group("org"), [r], "form-head", raw=r.compact)
            break
    # the head's signature ends the 函: the last row that is a head's title and a name
    for r in reversed(rows):
        if m := HEAD_SIGNATURE.match(r.compact):
            out["signatories"] = _field(f"{m.group('title')}\u3000{m.group('name')}", [r], SIGNATURE_METHOD, raw=r.compact)
            break
    if is_traditional("".join(r.compact for r in rows)):
        # a form printed in traditional characters: what the recogniser read as simplified is
        # written back (the reading stays in raw)
        out = {k: replace(f, value=to_traditional(f.value)) if isinstance(f.value, str) else f for k, f in out.items()}
    if doubts:
        out["doubts"] = tuple(doubts)
    return out
