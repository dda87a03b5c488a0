"""Random truths: a bundle (issuer, doc number, title, body, annexes, slip with readers and
annotations, receipt, degradation) fully determined by (seed, index)."""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal

from .bundle import render_clean
from .corpus import (_ANNEX_TITLES, _CLOSINGS, _DEPTS, _GIVEN, _OPENINGS, _OPENINGS_REPLY, _OPENINGS_SHORT,
                     _OPENINGS_UP, _PROVINCES, _SECTIONS, _SENTENCES, _SLIP_NOTES, _SUBHEADS, _SUBJECTS,
                     _SUBJECTS_REPLY, _SUBJECTS_UP, _SURNAMES, _TOPICS, _TOWNS)
from .page import DPI
from .schema import SCHEMA_VERSION, validate_truth
from .text import _balanced_wrap

CN_DIGITS = "〇一二三四五六七八九"


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
