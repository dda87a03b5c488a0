"""Truths of documents in other layouts than the GB/T 9704 circular, for held-out measurement:
``make_layout_truth(kind, seed, index)``, fully determined by its arguments.

Kinds (``LAYOUT_KINDS``):

- letter: a 函 on letterhead (organ's name large, red or black), title, 发文字号 under the title
  (right or centred), 主送机关, body, 署名 and date under a seal;
- under_title: no 发文机关标志; title, then（organ date）in brackets under it, body, no 署名
  (issuer empty, signatories = the organ under the title, issue_date = its date);
- quotation: a ruled 语录 box (毛主席语录/最高指示 and a quotation in bold) above a red mark
  such as 某某省革命委员会文件 (1966–76): the quotation is neither issuer nor title;
- speech, leaflet, phone_record: not circulars (page kind "other"); no circular field but the
  title a person reads (a speech's or leaflet's; a telephone record has none);
- taiwan: a Taiwanese 函 in traditional characters (受文者, 發文日期, 發文字號, 速別, 密等, 附件,
  主旨, 說明, 正本, 副本): doc_number as printed, issue_date from the 民國 date, addressees the
  受文者, cc the 副本, title empty, issuer the organ before 函, signatories the head's line;
- secrecy: a random circular whose 密级 is written otherwise (绝密文件, 机密 in a box, 机　密,
  密级：秘密, 秘密★1年 …);
- red_print, mimeograph, photo: a random circular printed all in red, mimeographed (blotchy ink,
  slanting lines, grey paper, a stencil's hand), or photographed with a phone (perspective, a
  curved page, uneven light, a dark table around it).
"""

from __future__ import annotations

import datetime as dt
import random
import re

from .corpus_layouts import (ADDRESSEES_70S, CLOSINGS_70S, FIRMS, LEAFLET_GREETINGS, LEAFLET_SENTENCES,
                             LEAFLET_TITLES, LETTER_ADDRESSEES, LETTER_CLOSINGS, LETTER_OPENINGS, MEETINGS,
                             OPENINGS_70S, ORGANS_70S, PHONE_CALLERS, PHONE_CONTENT, PHONE_TITLES, PROVINCES_70S,
                             QUOTATION_HEADINGS, QUOTATIONS, SENTENCES_70S, SLOGANS, SPEAKER_TITLES,
                             SPEECH_SALUTATIONS, SPEECH_SENTENCES, SPEECH_SUBTITLES, STREETS, SUBJECTS_70S,
                             TOPICS_70S, TW_ADDRESSEES, TW_ATTACHMENTS, TW_CC_UNITS, TW_EXPLAIN, TW_GIVEN, TW_ORGANS,
                             TW_SUBJECTS, TW_SURNAMES, TW_TOPICS, TW_UNITS)
from .corpus import _TOPICS
from .page import DPI
from .random_truth import _person, ar_date, cn_date, iso, make_random_truth
from .schema import SCHEMA_VERSION, validate_truth
from .text import _balanced_wrap

LAYOUT_KINDS = ("letter", "under_title", "quotation", "speech", "leaflet", "phone_record", "taiwan",
                "secrecy", "red_print", "mimeograph", "photo")
CN_NUMS = "一二三四五六七八九十"


def _empty_circular() -> dict:
    """A circular with no element: what a page that is no circular gives."""
    return {"copy_number": "", "secrecy": "", "secrecy_term": "", "urgency": "", "issuer_mark": "", "issuer": "",
            "doc_number": "", "signer": "", "doc_kind": "", "title_lines": [], "addressees": "", "body": [],
            "attachments": [], "signatories": [], "issue_date_raw": "", "issue_date": "", "seal": False,
            "disclosure": "", "cc": "", "printed_by": "", "print_date_raw": "", "print_date": "",
            "receipt": None, "margin_notes": []}


def _scan(rng: random.Random, **over) -> dict:
    skew = rng.uniform(-1.2, 1.2)
    deg = {"skew_deg": round(skew, 2), "rotation": 0, "noise": round(rng.uniform(2.0, 6.0), 1),
           "blur": round(rng.uniform(0.3, 0.9), 2), "jpeg_quality": rng.randint(65, 90), "scale_dpi": DPI,
           "paper": [rng.randint(238, 252), rng.randint(236, 250), rng.randint(226, 244)],
           "illumination": round(rng.uniform(0.0, 0.06), 3)}
    deg.update(over)
    return deg


def _mimeo(rng: random.Random) -> dict:
    g = rng.randint(198, 222)
    return {"mimeograph": {"strength": round(rng.uniform(0.35, 0.8), 2), "slant_deg": round(rng.uniform(0.15, 0.45), 2),
                           "wave_px": round(rng.uniform(1.0, 5.0), 1)},
            "paper": [g, g - rng.randint(0, 4), g - rng.randint(8, 18)], "noise": round(rng.uniform(4.0, 8.0), 1)}


def _photo(rng: random.Random) -> dict:
    return {"photo": {"scale": round(rng.uniform(0.80, 0.9), 3), "curve_px": round(rng.uniform(12, 34), 1),
                      "tilt": round(rng.uniform(0.01, 0.03), 3), "light": round(rng.uniform(0.16, 0.32), 3)},
            "skew_deg": 0.0, "illumination": 0.0, "blur": round(rng.uniform(0.6, 1.1), 2),
            "noise": round(rng.uniform(3.0, 6.0), 1), "jpeg_quality": rng.randint(80, 92),
            "paper": [rng.randint(240, 252), rng.randint(238, 250), rng.randint(228, 244)]}


def _fill(rng: random.Random, template: str, **values) -> str:
    dyn = {"month": lambda: str(rng.randint(2, 12)), "day": lambda: str(rng.randint(1, 28))}

    def sub(m: re.Match) -> str:
        key = m.group(1)
        return str(values[key]) if key in values else dyn[key]()
    return re.sub(r"\{(\w+)\}", sub, template)


def _date(rng: random.Random, y0: int, y1: int) -> dt.date:
    return dt.date(rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28))


def _truth(rng: random.Random, kind: str, layout: str, page_order: list[str], circular: dict, degradation: dict,
           **extra) -> dict:
    t = {"schema_version": SCHEMA_VERSION, "id": "", "notes": "", "layout": layout, "page_order": page_order,
         "slip": None, "circular": circular, "annexes": [], "degradation": degradation}
    t.update(extra)
    return t


def _paras_70s(rng: random.Random, topic: str, year: int, target: int) -> list[dict]:
    body = [{"type": "para", "text": _fill(rng, rng.choice(OPENINGS_70S), topic=topic, year=year)}]
    deck = rng.sample(SENTENCES_70S, k=len(SENTENCES_70S))
    total, n = 0, 0
    headings = rng.random() < 0.5
    while total < target and deck:
        if headings:
            body.append({"type": "heading", "level": 1, "text": f"{CN_NUMS[n]}、" + rng.choice(
                ["加强领导", "发动群众", "抓好重点", "搞好协作", "做好准备", "认真检查"])})
        text = "".join(_fill(rng, deck.pop(), topic=topic, year=year) for _ in range(min(len(deck), rng.randint(1, 3))))
        if not text:
            break
        body.append({"type": "para", "text": text})
        total += len(text)
        n += 1
    body.append({"type": "para", "text": rng.choice(CLOSINGS_70S)})
    return body


def _organ_70s(rng: random.Random) -> tuple[str, str, str]:
    """(organ, its short form in a title, 机关代字)"""
    prov, pa, counties = rng.choice(PROVINCES_70S)
    county = rng.choice(counties)
    tmpl, code = rng.choice(ORGANS_70S)
    org = tmpl.format(p=prov, pa=pa, c=county, ca=county[0])
    short = org.replace("委员会", "委") if org.startswith("中共") and org.endswith("委员会") else org
    return org, short, code.format(p=prov, pa=pa, c=county, ca=county[0])


def _docnum_70s(rng: random.Random, code: str, year: int) -> dict:
    """An older 发文字号: ``doc_number`` in the record's form (brackets normalised to 〔〕, a
    two-digit year and 字第 kept as printed, like parsers/docnumber.py), ``doc_number_printed``
    as the page prints it."""
    n, yy = rng.randint(1, 160), f"{year % 100:02d}"
    printed, record = rng.choice([
        (f"{code}〔{year}〕{n}号", f"{code}〔{year}〕{n}号"), (f"{code}（{yy}）{n}号", f"{code}〔{yy}〕{n}号"),
        (f"（{yy}）{code.rstrip('发')}字第{n}号", f"〔{yy}〕{code.rstrip('发')}字第{n}号"),
        (f"{code}（{year}）{n}号", f"{code}〔{year}〕{n}号")])
    return {"doc_number": record, "doc_number_printed": printed}


def _title_70s(rng: random.Random, short: str, topic: str, year: int, with_org: float) -> list[str]:
    subj, genre = rng.choice(SUBJECTS_70S)
    tokens = ([short] if rng.random() < with_org else []) + ["关于"] + [
        part.format(year=year, topic=topic) for part in subj.split("|")] + ["的", genre]
    return _balanced_wrap(tokens, 18)


# ---------------------------------------------------------------------------------------------


def _letter(rng: random.Random, seed: int, index: int) -> dict:
    base = make_random_truth(seed * 100 + 1, index)
    c0 = base["circular"]
    issue = dt.date.fromisoformat(c0["issue_date"])
    firm = rng.random() < 0.3
    if firm:
        name, code = rng.choice(FIRMS)
        company = rng.choice(["浙江华东机电股份有限公司", "宁波天宇新材料股份有限公司", "温州瓯越科技股份有限公司",
                              "江苏恒泰化工股份有限公司"])
        genre = "函"
        subject = rng.choice([[company, f"{issue.year - 1}年度", "募集资金", "存放与使用", "情况"],
                              [company, "重大资产", "重组", "有关事项"], [company, "年度报告", "有关问题"]])
        title_lines = _balanced_wrap(["关于"] + subject + ["的", genre], 18)
        addressees = rng.choice(LETTER_ADDRESSEES[:2] + LETTER_ADDRESSEES[-1:])
    else:
        name = c0["issuer"].split("；")[0]
        code = c0["doc_number"].split("〔")[0]
        code = code if code.endswith("函") else re.sub("发$", "", code) + "函"
        genre = "复函" if rng.random() < 0.3 else "函"
        title_lines = [ln for ln in c0["title_lines"] if ln not in c0["issuer"].split("；")] or c0["title_lines"]
        title_lines[-1] = re.sub(r"(通知|意见|决定|批复|请示|报告)$", genre, title_lines[-1])
        addressees = rng.choice(LETTER_ADDRESSEES[2:])
    topic = rng.choice(_TOPICS)
    opening = _fill(rng, rng.choice(LETTER_OPENINGS), topic=topic, superior="上级")
    middle = [b for b in c0["body"][1:-1] if b["type"] == "para"][: rng.randint(1, 4)]
    body = [{"type": "para", "text": opening}] + middle + [{"type": "para", "text": rng.choice(LETTER_CLOSINGS)}]
    city = rng.choice(["杭州", "温州", "宁波", "南京", "济南", "福州"])
    lines = []
    if rng.random() < 0.5:
        lines.append(f"地址：{city}市{rng.choice(STREETS)}{rng.randint(1, 300)}号　邮编：{rng.randint(210000, 360000)}")
    if rng.random() < 0.4:
        lines.append(f"电话：0571-{rng.randint(55000000, 89999999)}　传真：0571-{rng.randint(55000000, 89999999)}")
    c = _empty_circular()
    c.update({
        "issuer_mark": name, "issuer": name, "doc_kind": genre,
        "doc_number": f"{code}〔{issue.year}〕{rng.randint(1, 400)}号",
        "doc_number_align": rng.choice(["right", "right", "center"]),
        "letterhead": {"name": name, "ink": rng.choice(["red", "red", "black"]),
                       "font": rng.choice(["xbs", "xbs", "heiti_bold", "song"]), "size": rng.randint(96, 112),
                       "lines": lines, "rule": rng.choice(["double", "single", "none"])},
        "title_lines": title_lines, "addressees": addressees + "：", "body": body,
        "signatories": [name], "issue_date_raw": cn_date(issue) if rng.random() < 0.3 else ar_date(issue),
        "issue_date": iso(issue), "seal": True, "receipt": c0["receipt"] if rng.random() < 0.5 else None,
        "page_numbers": rng.choice(["gb", "none"]),
    })
    order = ["circular"]
    slip = None
    if base["slip"] and rng.random() < 0.3:
        slip, order = base["slip"], ["slip", "circular"]
    return _truth(rng, "letter", "letter", order, c, _scan(rng), slip=slip)


def _under_title(rng: random.Random, seed: int, index: int) -> dict:
    org, short, code = _organ_70s(rng)
    issue = _date(rng, 1966, 1978)
    topic = rng.choice(TOPICS_70S)
    c = _empty_circular()
    c.update({
        "doc_kind": "通知", "title_lines": _title_70s(rng, short, topic, issue.year, 0.6),
        "title_font": rng.choice(["xbs", "heiti_bold"]),
        "byline": f"（{org}{rng.choice([' ', '　', '　　'])}{cn_date(issue)}）",
        **(_docnum_70s(rng, code, issue.year) if rng.random() < 0.4 else {"doc_number": ""}),
        "addressees": rng.choice(ADDRESSEES_70S) if rng.random() < 0.7 else "",
        "body": _paras_70s(rng, topic, issue.year, rng.choice([200, 500, 900])),
        "signatories": [org], "issue_date_raw": cn_date(issue), "issue_date": iso(issue),
        "page_numbers": rng.choice(["dash", "none"]),
    })
    deg = _scan(rng, **(_mimeo(rng) if rng.random() < 0.6 else {}))
    return _truth(rng, "under_title", "under_title", ["circular"], c, deg,
                  **({"print": {"font": "kaiti"}} if rng.random() < 0.4 else {}))


def _quotation(rng: random.Random, seed: int, index: int) -> dict:
    org, short, code = _organ_70s(rng)
    issue = _date(rng, 1967, 1976)
    topic = rng.choice(TOPICS_70S)
    quotes = rng.sample(QUOTATIONS, k=rng.choice([1, 1, 2]))
    c = _empty_circular()
    c.update({
        "issuer_mark": org + "文件", "issuer": org, "doc_kind": "通知",
        **_docnum_70s(rng, code, issue.year),
        "quotation": {"heading": rng.choice(QUOTATION_HEADINGS), "lines": quotes, "ink": rng.choice(["red", "black"])},
        "title_lines": _title_70s(rng, short, topic, issue.year, 0.3),
        "addressees": rng.choice(ADDRESSEES_70S),
        "body": _paras_70s(rng, topic, issue.year, rng.choice([150, 400, 800])),
        "signatories": [org], "issue_date_raw": cn_date(issue), "issue_date": iso(issue), "seal": True,
        "page_numbers": rng.choice(["dash", "gb"]),
    })
    deg = _scan(rng, **(_mimeo(rng) if rng.random() < 0.4 else {}))
    return _truth(rng, "quotation", "quotation", ["circular"], c, deg)


def _speech(rng: random.Random, seed: int, index: int) -> dict:
    old = rng.random() < 0.5
    topic = rng.choice(TOPICS_70S if old else _TOPICS)
    name = _person(rng)
    meeting = [_fill(rng, part, topic=topic) for part in rng.choice(MEETINGS).split("|")]
    c = _empty_circular()
    title_lines = _balanced_wrap([name, "同志", "在"] + meeting + ["上", "的", "讲话"], 18)
    rank = rng.choice(SPEAKER_TITLES)
    sentences = [_fill(rng, s, topic=topic) for s in SPEECH_SENTENCES]
    paras, k = [], 0
    while k < len(sentences):
        n = rng.randint(1, 3)
        paras.append({"type": "para", "text": "".join(sentences[k:k + n])})
        k += n
    c.update({"title_lines": title_lines, "subtitle": rng.choice(SPEECH_SUBTITLES) if rng.random() < 0.4 else "",
              "speaker": (f"{rank}　{name}" if rank else name) if rng.random() < 0.6 else "",
              "body": [{"type": "para", "text": rng.choice(SPEECH_SALUTATIONS), "indent": 0}] + paras,
              "page_numbers": rng.choice(["gb", "dash"])})
    deg = _scan(rng, **(_mimeo(rng) if old and rng.random() < 0.6 else {}))
    return _truth(rng, "speech", "speech", ["other"], c, deg)


def _leaflet(rng: random.Random, seed: int, index: int) -> dict:
    topic = rng.choice(TOPICS_70S + _TOPICS)
    title_tokens = [_fill(rng, part, topic=topic) for part in rng.choice(LEAFLET_TITLES).split("|")]
    c = _empty_circular()
    body = [{"type": "para", "text": rng.choice(LEAFLET_GREETINGS), "indent": 0}]
    body += [{"type": "para", "text": _fill(rng, s, topic=topic)} for s in LEAFLET_SENTENCES]
    body += [{"type": "para", "text": _fill(rng, s, topic=topic), "align": "center"}
             for s in rng.sample(SLOGANS, k=rng.randint(1, 2))]
    c.update({"title_lines": _balanced_wrap(title_tokens, 12), "body": body, "page_numbers": "none",
              "title_ink": rng.choice(["black", "black", "red"])})
    deg = _scan(rng, **(_mimeo(rng) if rng.random() < 0.5 else {}))
    return _truth(rng, "leaflet", "leaflet", ["other"], c, deg)


def _phone_record(rng: random.Random, seed: int, index: int) -> dict:
    prov, pa, counties = rng.choice(PROVINCES_70S)
    county = rng.choice(counties)
    when = _date(rng, 1966, 1980)
    hour = rng.randint(1, 11)
    time = (f"{when.year}年" if rng.random() < 0.6 else "") + f"{when.month}月{when.day}日" + \
        f"{rng.choice(['上午', '下午', '晚上'])}{hour}时" + (f"{rng.randint(1, 59)}分" if rng.random() < 0.5 else "")
    topic = rng.choice(TOPICS_70S)
    content = [{"type": "para", "text": _fill(rng, s, topic=topic)}
               for s in rng.sample(PHONE_CONTENT, k=rng.randint(1, 3))]
    c = _empty_circular()
    c.update({
        "form": {"office": rng.choice([f"中共{county}委员会办公室", f"{county}革命委员会办事组", ""]),
                 "title": rng.choice(PHONE_TITLES),
                 "fields": [["来电单位", rng.choice(PHONE_CALLERS)], ["来电人", _person(rng)], ["接话人", _person(rng)],
                            ["时间", time]],
                 "style": rng.choice(["ruled", "ruled", "lines"]), "content_label": rng.choice(["内容", "电话内容"]),
                 "footer": f"记录人：{_person(rng)}" if rng.random() < 0.3 else ""},
        "body": content, "page_numbers": "none",
    })
    over = _mimeo(rng) if rng.random() < 0.6 else {}
    if rng.random() < 0.35:
        over.update(_photo(rng))
    return _truth(rng, "phone_record", "phone_record", ["other"], c, _scan(rng, **over),
                  **({"print": {"font": "kaiti"}} if rng.random() < 0.4 else {}))


def _tw_person(rng: random.Random) -> str:
    return rng.choice(TW_SURNAMES) + rng.choice(TW_GIVEN)


def _taiwan(rng: random.Random, seed: int, index: int) -> dict:
    organ, word, head, address, domain = rng.choice(TW_ORGANS)
    ry = rng.randint(100, 112)
    issue = dt.date(ry + 1911, rng.randint(1, 12), rng.randint(1, 28))
    topic = rng.choice(TW_TOPICS)
    unit = organ[-1] if organ.endswith(("部", "署")) else "府"
    vals = dict(ry=ry, m=rng.randint(issue.month, 12), d=rng.randint(1, 28), m2=rng.randint(1, 12),
                d2=rng.randint(1, 28), n7=f"{rng.randint(0, 9999999):07d}", unit=unit, topic=topic,
                cc_unit=rng.choice(TW_CC_UNITS), person=rng.choice(TW_SURNAMES) + rng.choice(["先生", "小姐"]),
                tel=f"{rng.randint(2000, 8999)}-{rng.randint(1000, 9999)}")
    explain = [rng.choice(TW_EXPLAIN[:1] + TW_EXPLAIN[1:2])] + rng.sample(TW_EXPLAIN[2:], k=rng.randint(1, 3))
    body = [{"type": "para", "text": "主旨：" + _fill(rng, rng.choice(TW_SUBJECTS), **vals)},
            {"type": "para", "text": "說明："}]
    body += [{"type": "para", "text": f"{CN_NUMS[i]}、" + _fill(rng, e, **vals)} for i, e in enumerate(explain)]
    speed = rng.choice(["普通件", "普通件", "普通件", "速件", "最速件"])
    attachment = _fill(rng, rng.choice(TW_ATTACHMENTS), **vals) if rng.random() < 0.5 else ""
    cc = "、".join(rng.sample(TW_CC_UNITS, k=rng.randint(1, 2))) + ("（含附件）" if attachment and rng.random() < 0.5 else "")
    contact = [f"地址：{address}", f"承辦人：{_tw_person(rng)}", f"電話：(02){vals['tel']}",
               f"傳真：(02){rng.randint(2000, 8999)}-{rng.randint(1000, 9999)}",
               f"電子信箱：{rng.choice(['wang', 'lin', 'chen', 'hsu'])}{rng.randint(1, 99)}@{domain}"]
    contact = contact[:rng.randint(3, 5)]
    c = _empty_circular()
    c.update({
        "issuer_mark": f"{organ}{rng.choice(['　', ' ', ''])}函", "issuer": organ, "doc_kind": "函",
        "doc_number": f"{word}第{ry}{rng.randint(0, 9999999):07d}號",
        "addressees": rng.choice(TW_ADDRESSEES), "body": body,
        "attachments": [attachment] if attachment else [],
        "urgency": "" if speed == "普通件" else speed,
        "signatories": [f"{head}　{_tw_person(rng)}"],
        "issue_date_raw": f"中華民國{ry}年{issue.month}月{issue.day}日", "issue_date": iso(issue), "cc": cc,
        "page_numbers": "tw",
        "taiwan": {"file_no": f"{ry}/{rng.randint(1, 999):04d}" if rng.random() < 0.3 else "",
                   "keep_years": rng.choice(["", "", "10年", "永久"]), "contact": contact, "speed": speed,
                   "secrecy_text": rng.choice(["", "普通"]), "attachment_text": attachment,
                   "original": "、".join(rng.sample(TW_UNITS, k=rng.randint(1, 3)))},
    })
    return _truth(rng, "taiwan", "taiwan", ["circular"], c, _scan(rng))


# (secrecy, term, as printed, style)
SECRECY_FORMS = [("绝密", "", "绝密文件", "plain"), ("机密", "", "机密", "boxed"), ("秘密", "1年", "秘密★1年", "plain"),
                 ("机密", "", "机　密", "plain"), ("秘密", "", "密级：秘密", "plain"), ("机密", "", "机密★", "plain"),
                 ("绝密", "长期", "绝密★长期", "plain"), ("秘密", "", "秘密", "boxed"), ("机密", "10年", "机密★10年", "boxed"),
                 ("绝密", "", "绝　密", "boxed")]


def _circular_of(seed: int, index: int) -> dict:
    """A random bundle cut to its circular (and slip): no annex tables, at most about two pages of
    body; the fields measured are all on the circular."""
    t = make_random_truth(seed, index)
    t["annexes"] = []
    t["page_order"] = [k for k in t["page_order"] if k != "annex"]
    body = t["circular"]["body"]
    if len(body) > 10:
        t["circular"]["body"] = body[:8] + body[-1:]
    return t


def _secrecy(rng: random.Random, seed: int, index: int) -> dict:
    t = _circular_of(seed * 100 + 8, index)
    c = t["circular"]
    secrecy, term, printed, style = rng.choice(SECRECY_FORMS)
    c.update({"secrecy": secrecy, "secrecy_term": term, "secrecy_printed": printed, "secrecy_style": style})
    if rng.random() < 0.6 and not c["copy_number"]:
        c["copy_number"] = f"{rng.randint(1, 300):06d}"
    t["layout"] = "gb9704"
    return t


def _red_print(rng: random.Random, seed: int, index: int) -> dict:
    t = _circular_of(seed * 100 + 9, index)
    t["print"] = {"ink": "red"}
    return t


def _mimeograph(rng: random.Random, seed: int, index: int) -> dict:
    t = _circular_of(seed * 100 + 10, index)
    t["slip"] = None
    t["page_order"] = [k for k in t["page_order"] if k != "slip"]
    if rng.random() < 0.5:
        t["print"] = {"font": "kaiti"}
    t["degradation"].update(_mimeo(rng))
    return t


def _photo_kind(rng: random.Random, seed: int, index: int) -> dict:
    t = _circular_of(seed * 100 + 11, index)
    t["degradation"].update(_photo(rng))
    return t


_MAKERS = {"letter": _letter, "under_title": _under_title, "quotation": _quotation, "speech": _speech,
           "leaflet": _leaflet, "phone_record": _phone_record, "taiwan": _taiwan, "secrecy": _secrecy,
           "red_print": _red_print, "mimeograph": _mimeograph, "photo": _photo_kind}


def make_layout_truth(kind: str, seed: int, index: int) -> dict:
    """A truth of one of LAYOUT_KINDS, fully determined by (kind, seed, index); id kind-seed-NN."""
    if kind not in _MAKERS:
        raise ValueError(f"unknown layout kind {kind!r}; choose from {', '.join(LAYOUT_KINDS)}")
    rng = random.Random(f"{kind}/{seed}/{index}")
    truth = _MAKERS[kind](rng, seed, index)
    truth["id"] = f"{kind}-{seed}-{index:02d}"
    truth["kind"] = kind
    truth["notes"] = f"layout kind {kind} from seed {seed}, index {index}; all text composed"
    truth.setdefault("layout", "gb9704")
    validate_truth(truth)
    return truth
