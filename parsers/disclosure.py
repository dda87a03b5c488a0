"""Is an item published?  The disclosure rule as data, and the decision as a pure function of
what was read (the 附注 and its confidence, the item's status and 密级) and of a reviewer's
choice.  It fails closed: only a recognised public wording, taken whole, publishes an item.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .model import REVIEW_THRESHOLD, Document, Status

# The rule is data, and it fails closed.  A 附注 (the ``disclosure`` field) is taken whole: its
# key (:func:`marking_key`: NFKC, without whitespace, punctuation or brackets) must BE one of
# PUBLIC_FORMS, not merely contain one, so that any wording nobody listed here -- a new
# restriction, a condition, a misread character -- withholds the item.  NOT_PUBLIC_TERMS are
# not needed for that; they name the reason an item is withheld in words an archivist knows.

# 附注 wordings that make an item public, as keys (GB/T 9704-2012 7.3.7: （此件公开发布）; the
# 公开属性 of 《党政机关公文处理工作条例》: 主动公开).
PUBLIC_FORMS = frozenset({
    "此件公开发布",
    "此件主动公开",
    "此件依法主动公开",
    "此件可公开发布",
    "此件可以公开发布",
    "此件予以公开",
    "公开发布",
    "主动公开",
    "公开方式主动公开",
    "公开属性主动公开",
    "信息公开选项主动公开",
    "信息公开方式主动公开",
})
# A label that may precede the marking itself (附注：此件公开发布).
MARKING_LABELS = ("附注",)

NEGATION, DEFERRAL, ON_REQUEST, RESTRICTION, CONDITION, CLASSIFIED = (
    "negation", "deferral", "on_request", "restriction", "condition", "classified",
)
# What each kind of term does to the marking, for the reason of a withheld item.
TERM_KINDS = {
    NEGATION: "否定或禁止公开 (it says not public)",
    DEFERRAL: "暂缓或推迟公开 (publication deferred)",
    ON_REQUEST: "依申请公开，不主动发布 (disclosed on request only)",
    RESTRICTION: "限定范围或对象 (restricted to some readers)",
    CONDITION: "公开附有条件、须批准或删减 (publication conditional)",
    CLASSIFIED: "涉密 (classified)",
}
# Terms that negate, defer, restrict or condition a marking.  At each place of the marking the
# longest term is named (暂不 rather than 暂, 不得 rather than 不).
NOT_PUBLIC_TERMS: tuple[tuple[str, str], ...] = (
    *((t, NEGATION) for t in ("严禁", "禁止", "不得", "不宜", "不予", "不", "非", "免", "勿", "未", "禁",
                               "否", "无")),
    *((t, DEFERRAL) for t in ("暂缓", "暂不", "延后", "推迟", "暂", "缓", "待")),
    *((t, ON_REQUEST) for t in ("依申请", "申请")),
    *((t, RESTRICTION) for t in ("内部", "发至", "发到", "县团级", "县处级", "地师级", "党内", "传达",
                                  "范围", "注意保存", "保存", "外传", "限", "仅", "只")),
    *((t, CONDITION) for t in ("同意", "批准", "审批", "审定", "审核", "删减", "删除", "节选", "摘要",
                                "部分", "经", "后", "删", "除")),
    *((t, CLASSIFIED) for t in ("涉密", "秘密", "机密", "绝密", "保密", "密")),
)
# A reviewer's explicit decision (``review.publication`` of document.json)
PUBLICATION_PUBLIC, PUBLICATION_WITHHELD = "public", "withheld"
PUBLICATION_DECISIONS = (PUBLICATION_PUBLIC, PUBLICATION_WITHHELD)


def marking_key(marking: str | None) -> str:
    """A 附注 as compared with :data:`PUBLIC_FORMS`: NFKC, without whitespace, punctuation,
    brackets or other symbols, and without a leading 附注 label (（此件公开发布） → 此件公开发布)."""
    text = unicodedata.normalize("NFKC", marking or "")
    key = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZCS")
    for label in MARKING_LABELS:
        if key.startswith(label) and len(key) > len(label):
            key = key[len(label):]
    return key


def restricting_term(key: str) -> tuple[str, str] | None:
    """The first term of :data:`NOT_PUBLIC_TERMS` in a marking key, with its kind."""
    by_length = sorted(NOT_PUBLIC_TERMS, key=lambda t: -len(t[0]))
    for i in range(len(key)):
        for term, kind in by_length:
            if key.startswith(term, i):
                return term, kind
    return None


@dataclass(frozen=True)
class Disclosure:
    """Whether an item is published, and why, in words an archivist understands."""

    public: bool
    reason: str


def disclosure_decision(
    marking: str | None,
    confidence: float | None,
    *,
    status: str = Status.OK,
    secrecy: str | None = None,
    reviewer: str | None = None,
    reviewer_name: str | None = None,
    threshold: float = REVIEW_THRESHOLD,
) -> Disclosure:
    """Is an item published?  A pure function of what was read and decided:

    - a failed item, a duplicate, or one with a 密级 (``secrecy``), never is;
    - else a reviewer's decision (``reviewer``: ``public`` / ``withheld``) settles it;
    - else the 附注 (``marking``, read with ``confidence``) publishes the item only when it is
      one of the recognised public wordings as a whole, contains no term that negates,
      defers, restricts or conditions it, and was read with a confidence not below the review
      threshold (a value corrected in the review has confidence 1).  No 附注 withholds."""
    shown = " ".join((marking or "").split())
    if status == Status.FAILED:
        return Disclosure(False, "识别失败，无从判断能否公开 (the item failed to convert)")
    if status == Status.DUPLICATE:
        return Disclosure(False, "重复件，与另一件字节相同，只发布原件 (a duplicate of another item)")
    if secrecy and secrecy.strip():
        return Disclosure(False, (
            f"标有密级“{secrecy.strip()}”，涉密件不发布；如密级识别有误或已解密，请在审核中更正密级 (classified)"
        ))
    who = f"审核人{reviewer_name}" if reviewer_name else "审核人"
    if reviewer == PUBLICATION_PUBLIC:
        return Disclosure(True, f"{who}决定公开 (a reviewer decided to publish it)")
    if reviewer == PUBLICATION_WITHHELD:
        return Disclosure(False, f"{who}决定不公开 (a reviewer decided to withhold it)")
    key = marking_key(marking)
    if not key:
        return Disclosure(False, "无附注，未标明可以公开 (no disclosure marking)")
    hit = restricting_term(key)
    if hit is not None:
        term, kind = hit
        return Disclosure(False, f"附注“{shown}”含“{term}”：{TERM_KINDS[kind]}")
    if key not in PUBLIC_FORMS:
        return Disclosure(False, (
            f"附注“{shown}”不是认可的公开措辞 (not a recognised public marking; a reviewer can decide)"
        ))
    if confidence is None or confidence < threshold:
        read = "未知" if confidence is None else f"{confidence:.2f}"
        return Disclosure(False, (
            f"附注“{shown}”识别置信度 {read}，低于 {threshold}，须人工核对 (the marking was read with low confidence)"
        ))
    return Disclosure(True, f"附注“{shown}” (marked public)")


def is_public(marking: str | None) -> bool:
    """Does this 附注 wording, read with certainty, publish an item?  此件公开发布 yes,
    此件不公开 no, 此件公开发布（删除附件） no, none no."""
    return disclosure_decision(marking, 1.0).public


def document_disclosure(doc: Document, reviewer: bool = True) -> Disclosure:
    """The decision for a :class:`Document` (the review app shows it); ``reviewer=False``: as
    the marking alone decides, whatever a reviewer decided."""
    marking, secrecy, review = doc.circular.disclosure, doc.circular.secrecy, doc.review
    return disclosure_decision(
        None if marking is None or marking.value is None else str(marking.value),
        None if marking is None else marking.confidence,
        status=doc.status,
        secrecy=None if secrecy is None or secrecy.value is None else str(secrecy.value),
        reviewer=review.publication if reviewer and review is not None else None,
        reviewer_name=review.publication_by if reviewer and review is not None else None,
    )
