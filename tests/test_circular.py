"""Parsing rules of the circular's tail (署名, 成文日期) on known strings and rows (no OCR)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongwen.parsers.circular import _checks, _tail, split_joint_names
from gongwen.parsers.model import Field, Line
from gongwen.parsers.rows import make_row


@pytest.mark.parametrize(
    "text, issuers, expected",
    [
        ("中共南京市玄武区委办公室南京市玄武区人民政府办公室", [], ["中共南京市玄武区委办公室", "南京市玄武区人民政府办公室"]),
        ("中共中央办公厅国务院办公厅", [], ["中共中央办公厅", "国务院办公厅"]),
        ("浙江省财政厅浙江省教育厅", [], ["浙江省财政厅", "浙江省教育厅"]),
        # one organ whose name holds another's ending is not cut
        ("国家发展和改革委员会办公厅", [], ["国家发展和改革委员会办公厅"]),
        ("南京市人民政府办公室", [], ["南京市人民政府办公室"]),
        # the issuers of the 发文机关标志 decide, a misread character allowed
        ("中共浙江省委办公厅浙江省人民政府办公厅", ["中共浙江省委办公厅", "浙江省人民政府办公厅"], ["中共浙江省委办公厅", "浙江省人民政府办公厅"]),
        ("中共浙江省委办公斤浙江省人民政府办公厅", ["中共浙江省委办公厅", "浙江省人民政府办公厅"], ["中共浙江省委办公斤", "浙江省人民政府办公厅"]),
        # a scrap shorter than the first issuer's name
        ("中共", ["中共浙江省委办公厅", "浙江省人民政府办公厅"], ["中共"]),
    ],
)
def test_split_joint_names(text, issuers, expected):
    assert split_joint_names(text, issuers) == expected


def _row(text, x0, top, x1, layer="black"):
    return make_row(1, [Line(text, (x0, top, x1, top + 60), 0.95, layer)])


def test_joint_signatories_side_by_side_and_a_date_garbled_under_the_seal():
    rows = [
        _row("请认真贯彻执行。", 460, 1000, 1000),
        _row("中共南京市玄武区委办公室南京市玄武区人民政府办公室", 397, 1300, 2120),
        _row("二〇〇之年六月二十三日", 1471, 1420, 1905),  # the seal garbled the year's last 〇
        _row("（此件公开发布）", 500, 1540, 950),
    ]
    out = _tail(rows, doc_year=2007)
    assert out["signatories"].value == "中共南京市玄武区委办公室；南京市玄武区人民政府办公室"
    assert out["issue_date"].value == dt.date(2007, 6, 23) and out["issue_date"].inferred
    assert out["disclosure"].value == "此件公开发布"


def test_unreadable_date_is_kept_raw_and_the_signatory_stops_above_it():
    rows = [
        _row("此复。", 460, 1000, 660),
        _row("中共广东省委办公厅", 1322, 1300, 1912),
        _row("二d一〇年八月大日", 1324, 1420, 1907),
    ]
    out = _tail(rows, doc_year=None)
    assert out["signatories"].value == "中共广东省委办公厅"
    assert out["issue_date"].value is None and out["issue_date"].raw == "二d一〇年八月大日"
    assert out["issue_date"].confidence < 0.85


@pytest.mark.parametrize(
    "read, expected",
    [
        ("长抄市人；府办公室", "长沙市人民政府办公室"),  # one name cut in two by the seal
        ("长沙市人民政府办公宝", "长沙市人民政府办公室"),
        ("湖南省财政厅", "湖南省财政厅"),  # another organ is not the issuer
        # the second organ of a joint document, named at the head of the title
        ("长沙市人民政府办公室；湖南雀人民府公厅", "长沙市人民政府办公室；湖南省人民政府办公厅"),
    ],
)
def test_signatory_misread_under_the_seal_snaps_to_the_issuer(read, expected):
    joint = "；" in expected  # (a joint document's 署名 naming one of its organs is no list: test_classify)
    title = "长沙市人民政府办公室湖南省人民政府办公厅" if joint else "长沙市人民政府办公室"
    fields = {
        "issuer": Field("长沙市人民政府办公室", confidence=0.99),
        "title": Field(title + "关于做好防汛工作的通知", confidence=0.99),
        "signatories": Field(read, confidence=0.9),
    }
    out = _checks(fields)
    got = out.get("signatories", fields["signatories"])
    assert got.value == expected
    assert (got.confidence < 0.9) == (read != expected)


def test_title_line_of_digits_with_a_low_box_still_continues_the_title():
    from gongwen.parsers.circular import _main

    rows = [
        _row("湘办发〔2005〕143号", 943, 1199, 1561),
        make_row(1, [Line("中共湖南省委办公厅关于长沙市芙蓉区", (478, 1497, 2030, 1590), 0.99)]),  # 93 px: 2号
        make_row(1, [Line("2005年老旧小区改造项目调整的批复", (502, 1625, 2000, 1710), 0.99)]),  # 85 px
        make_row(1, [Line("长沙市芙蓉区人民政府：", (335, 1861, 1013, 1938), 0.99)]),
        make_row(1, [Line("你区《关于长沙市芙蓉区2005年老旧小区改造项目调整的", (469, 1991, 2173, 2068), 0.99)]),
        make_row(1, [Line("请示》收悉。经研究，现批复如下：", (329, 2105, 2002, 2182), 0.99)]),
        make_row(1, [Line("此复。", (456, 2223, 658, 2300), 0.99)]),
    ]
    found = {"doc_number": Field("湘办发〔2005〕143号", page=1, bbox=rows[0].bbox)}
    out = _main(rows, found)
    assert out["title"].value == "中共湖南省委办公厅关于长沙市芙蓉区2005年老旧小区改造项目调整的批复"
    assert out["addressees"].value == "长沙市芙蓉区人民政府"


def test_issuer_read_twice_with_a_misread_character_counts_once():
    from gongwen.parsers.circular import issuer_names

    lines = ["中共广东省委办公厅", "中共厂东省委办公厅", "文件", "广东省人民政府办公厅"]
    assert issuer_names(lines) == ["中共广东省委办公厅", "广东省人民政府办公厅"]


def test_two_issuers_a_few_characters_apart_stay_two():
    from gongwen.parsers.circular import issuer_names

    assert issuer_names(["浙江省财政厅", "浙江省教育厅文件"]) == ["浙江省财政厅", "浙江省教育厅"]
    assert issuer_names(["中共广东省委办公厅", "中共厂东省委刃公厅"]) == ["中共广东省委办公厅"]
    # scraps of the red header read as lines of their own
    assert issuer_names(["中共广东省委办公厅", "东省委刃公厅", "中共厂", "文件", "广东省人民政府办公厅"]) == [
        "中共广东省委办公厅", "广东省人民政府办公厅"
    ]


def test_a_circular_cut_short_after_its_title_gives_no_tail():
    assert _tail([], doc_year=2014) == {}


def test_date_beside_scraps_of_the_seal_and_with_specks_between_its_numerals():
    rows = [
        _row("请各地各部门结合实际，认真贯彻执行。", 467, 1673, 1631),
        _row("杭州市人民政府办公室", 1219, 2638, 1875),
        make_row(1, [Line("2,2日", (1507, 2511, 1600, 2589), 0.7, "red"), Line("2006年2月4日", (1620, 2750, 1907, 2810), 0.99)]),
    ]
    assert _tail(rows)["issue_date"].value == dt.date(2006, 2, 4)
    rows[-1] = _row("二C一七年六月_二十六日", 1195, 2758, 1905)
    d = _tail(rows)["issue_date"]
    assert d.value == dt.date(2017, 6, 26) and d.confidence < 0.9
    # a 〇 the seal left as a bracket, beside a speck: the bracket is a 〇 form, the speck goes
    rows[-1] = _row("二、）○四年一月三日", 1326, 2029, 1906)
    d = _tail(rows)["issue_date"]
    assert d.value == dt.date(2004, 1, 3) and d.confidence < 0.9


@pytest.mark.parametrize("layer", ["black", "red"])
def test_joint_header_stacks_its_organs_beside_one_large_wenjian(layer):
    from gongwen.parsers.circular import extract_circular
    from gongwen.parsers.model import Page

    body = [Line("为进一步加强防汛防台工作，现将有关事项通知如下：", (333, 2100 + 90 * k, 2170, 2170 + 90 * k), 0.99) for k in range(8)]
    lines = [
        Line("中共济南市历下区委办公室", (364, 853, 1798, 950), 0.99, layer),  # 1.3× the body: below a mark's size
        Line("文件", (1833, 884, 2166, 1092), 0.99, layer),
        Line("济南市历下区人民政府办公室", (360, 1006, 1800, 1103), 0.99, layer),
        Line("历委办〔2015〕84号", (958, 1307, 1546, 1383), 0.95),
        *body,
    ]
    page = Page(number=1, width=2480, height=3508, dpi=300, engine="test", lines=tuple(lines))
    c = extract_circular([page], ["circular"])
    assert c.issuer.value == "中共济南市历下区委办公室；济南市历下区人民政府办公室"


def test_title_of_lines_no_larger_than_the_body_is_found_by_being_centred():
    from gongwen.parsers.circular import _main

    rows = [
        _row("越政发〔2003〕297号", 943, 1199, 1561),
        _row("广州市越秀区人民政府关于", 702, 1380, 1802),
        _row("印发《广州市越秀区耕地保护", 660, 1480, 1846),
        _row("工作实施方案》的通知", 800, 1580, 1712),
        _row("各街道办事处，区政府直属各单位：", 342, 1760, 1337),
        _row("经区政府同意，现就耕地保护有关事项通知如下：", 465, 1860, 1866),
        _row("一、总体要求", 465, 1960, 900),
        _row("要坚持统筹兼顾，正确处理改革发展稳定的关系。各级各部", 465, 2060, 2175),
        _row("门要充分认识做好工作的重要性和紧迫性。", 333, 2160, 1500),
    ]
    found = {"doc_number": Field("越政发〔2003〕297号", page=1, bbox=rows[0].bbox)}
    out = _main(rows, found)
    assert out["title"].value == "广州市越秀区人民政府关于印发《广州市越秀区耕地保护工作实施方案》的通知"
    assert out["addressees"].value == "各街道办事处，区政府直属各单位"


def test_a_date_garbled_by_the_seal_is_never_a_signatory():
    rows = [
        _row("请各地各部门结合实际，认真贯彻执行。", 467, 1673, 1631),
        _row("杭州市人民政府办公室", 1219, 2638, 1875),
        _row("2014年1月24[", 1250, 2758, 1905),
        _row("（此件公开发布）", 467, 2900, 900),
    ]
    out = _tail(rows)
    assert out["signatories"].value == "杭州市人民政府办公室"
    assert "2014" not in out["signatories"].raw
