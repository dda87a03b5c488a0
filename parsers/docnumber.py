"""发文字号: 机关代字〔年份〕序号号, whatever OCR made of the brackets.

OCR and typists write the hexagonal brackets 〔〕 as ``[ ] ［ ］ ( ) （ ） 【 】 ﹝ ﹞ 〖 〗 「 」``, often
with spaces; the normal form is ``浙委办发〔2014〕8号``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_BRACKETS = "〔[［(（【﹝〖{「『"
CLOSE_BRACKETS = "〕]］)）】﹞〗}」』"
# 机关代字: Chinese characters (a few issuers add a Latin or digit part, e.g. 国科发计字)
ISSUER_CODE = r"[\u4e00-\u9fff]{1,15}?"
DOC_NUMBER = re.compile(
    rf"(?P<code>{ISSUER_CODE})\s*[{re.escape(OPEN_BRACKETS)}]\s*(?P<year>(?:19|20)\d{{2}})\s*"
    rf"[{re.escape(CLOSE_BRACKETS)}]\s*(?:第\s*)?(?P<num>\d{{1,5}})\s*号"
)
# words that precede a number in running text but are not part of the 机关代字
CODE_PREFIXES_TO_DROP = ("根据", "按照", "依据", "见", "详见", "参照", "转发", "印发", "的")


@dataclass(frozen=True)
class DocNumber:
    code: str
    year: int
    number: str  # as printed (0512 keeps its zero)
    raw: str

    def __str__(self) -> str:
        return f"{self.code}〔{self.year}〕{self.number}号"


def find_doc_number(text: str) -> DocNumber | None:
    """The first document number in ``text``, normalised; None when there is none."""
    m = DOC_NUMBER.search(text)
    if not m:
        return None
    code = m.group("code")
    for prefix in CODE_PREFIXES_TO_DROP:
        if code.startswith(prefix) and len(code) > len(prefix):
            code = code[len(prefix):]
    return DocNumber(code=code, year=int(m.group("year")), number=m.group("num"), raw=m.group(0))


def year_is_plausible(doc_year: int, *dates_years: int | None) -> bool:
    """A document number's year matches its dates: equal, or the year before (a document
    numbered in December and dated in January)."""
    years = [y for y in dates_years if y]
    return not years or any(doc_year in (y, y - 1) for y in years)
