"""发文字号: 机关代字〔年份〕序号号, whatever OCR made of the brackets.

OCR and typists write the hexagonal brackets 〔〕 as ``[ ] ［ ］ ( ) （ ） 【 】 ﹝ ﹞ 〖 〗 「 」``, often
with spaces; the normal form is ``浙委办发〔2014〕8号``.

Older documents (1950s–80s) print the year in two digits, after the code or before it:
``中发（66）267号``, ``（75）鄂革字第12号``.  Their brackets are normalised too, but their digits
and 字第 stay as printed (``中发〔66〕267号``, ``〔75〕鄂革字第12号``): the catalogue records a 文号
as the document prints it; the year is read as 19YY.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_BRACKETS = "〔[［(（【﹝〖{「『"
CLOSE_BRACKETS = "〕]］)）】﹞〗}」』"
# a speck read between the closing bracket and the number (鲁办发〔2016］.192号)
STRAY = r"(?:[.．·、,，]\s*)?"
# 机关代字: Chinese characters (a few issuers add a Latin or digit part, e.g. 国科发计字)
ISSUER_CODE = r"[\u4e00-\u9fff]{1,15}?"
# a bracket read twice, as itself and as a square one (浙委办发〔[2009〕187号: a mimeographed 〔)
TWICE = "{1,2}"
DOC_NUMBER = re.compile(
    rf"(?P<code>{ISSUER_CODE})\s*[{re.escape(OPEN_BRACKETS)}]{TWICE}\s*(?P<year>(?:19|20)\d{{2}})\s*"
    rf"[{re.escape(CLOSE_BRACKETS)}]{TWICE}\s*{STRAY}(?:第\s*)?(?P<num>\d{{1,5}})\s*[号號]"
)
# the two-digit year of older numbers, after the code or before it
SHORT_YEAR_AFTER = re.compile(
    rf"(?P<code>{ISSUER_CODE})\s*[{re.escape(OPEN_BRACKETS)}]\s*(?P<year>[4-9]\d)\s*"
    rf"[{re.escape(CLOSE_BRACKETS)}]\s*(?P<zi>第\s*)?(?P<num>\d{{1,5}})\s*[号號]"
)
SHORT_YEAR_FIRST = re.compile(
    rf"[{re.escape(OPEN_BRACKETS)}]\s*(?P<year>[4-9]\d|19\d{{2}})\s*[{re.escape(CLOSE_BRACKETS)}]\s*"
    rf"(?P<code>[\u4e00-\u9fff]{{1,12}}?)\s*(?P<zi>(?:字\s*)?第\s*)?(?P<num>\d{{1,5}})\s*[号號]"
)
# how the code of an older number ends (its brackets and two digits are common in addresses)
OLDER_CODE_END = re.compile(r"(?:发|字|函|电|办|令|通|革|委)$")
# 签发人：张三 李四, printed right of the number in an upward document
SIGNER_TAIL = re.compile(r"签\s*发\s*人.*$")
NUMBER_LINE_SHARE = 0.6
# words that precede a number in running text but are not part of the 机关代字
CODE_PREFIXES_TO_DROP = ("根据", "按照", "依据", "见", "详见", "参照", "转发", "印发", "的")


@dataclass(frozen=True)
class DocNumber:
    code: str
    year: int
    number: str  # as printed (0512 keeps its zero)
    raw: str
    printed: str = ""  # the normal form of an older number (two-digit year), digits as printed

    def __str__(self) -> str:
        return self.printed or f"{self.code}〔{self.year}〕{self.number}号"


def find_doc_number(text: str) -> DocNumber | None:
    """The first document number in ``text``, normalised; None when there is none."""
    m = DOC_NUMBER.search(text)
    if not m:
        return _older_number(text)
    code = m.group("code")
    for prefix in CODE_PREFIXES_TO_DROP:
        if code.startswith(prefix) and len(code) > len(prefix):
            code = code[len(prefix):]
    return DocNumber(code=code, year=int(m.group("year")), number=m.group("num"), raw=m.group(0))


def number_alone(text: str) -> DocNumber | None:
    """The 发文字号 of a line that is the number (with 签发人 beside it, in an upward document),
    not a number cited in a sentence (…你区《关于…的请示》（崂政〔2016〕1号）收悉): the number
    is at least NUMBER_LINE_SHARE of the line."""
    rest = SIGNER_TAIL.sub("", "".join(text.split()))
    num = find_doc_number(rest)
    if num is None or len("".join(num.raw.split())) < NUMBER_LINE_SHARE * len(rest):
        return None
    return num


def _older_number(text: str) -> DocNumber | None:
    """中发（66）267号 → 中发〔66〕267号; （75）鄂革字第12号 → 〔75〕鄂革字第12号."""
    if m := SHORT_YEAR_AFTER.search(text):
        code, yy, zi = _drop_prefix(m.group("code")), m.group("year"), (m.group("zi") or "").replace(" ", "")
        printed = f"{code}〔{yy}〕{zi}{m.group('num')}号"
    elif m := SHORT_YEAR_FIRST.search(text):
        code, yy, zi = m.group("code"), m.group("year"), (m.group("zi") or "").replace(" ", "")
        printed = f"〔{yy}〕{code}{zi}{m.group('num')}号"
    else:
        return None
    if not (zi.startswith("字") or OLDER_CODE_END.search(code)):
        return None  # 楼（46）5号: an address, not a 发文字号
    year = int(yy) if len(yy) == 4 else 1900 + int(yy)
    return DocNumber(code=code, year=year, number=m.group("num"), raw=m.group(0), printed=printed)


def _drop_prefix(code: str) -> str:
    for prefix in CODE_PREFIXES_TO_DROP:
        if code.startswith(prefix) and len(code) > len(prefix):
            return code[len(prefix):]
    return code


def year_is_plausible(doc_year: int, *dates_years: int | None) -> bool:
    """A document number's year matches its dates: equal, or the year before (a document
    numbered in December and dated in January)."""
    years = [y for y in dates_years if y]
    return not years or any(doc_year in (y, y - 1) for y in years)
