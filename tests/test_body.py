"""Body paragraphs from rows: indents start paragraphs, short lines end them, pages run on."""

import pytest

from gongwen.parsers.body import heading_level, paragraphs
from gongwen.parsers.model import Line
from gongwen.parsers.rows import make_row

CHAR = 60


def row(page, y, x0, x1, text):
    return make_row(page, [Line(text=text, bbox=(x0, y, x1, y + CHAR), confidence=0.99)])


def test_paragraph_runs_on_across_a_page_break_and_headings_stand_alone():
    rows = [
        row(1, 100, 420, 2000, "近年来，按照省委、省政府的部署和要求，省级"),  # indented: starts
        row(1, 200, 300, 2000, "结对帮扶团组认真做好结对帮扶工作，有效推动"),
        row(1, 300, 300, 2000, "了欠发达地区发展和低收入农户增收。为进一步"),  # full to the margin
        row(2, 100, 300, 1200, "深化扶贫开发工作，现通知如下："),  # runs on, short: ends
        row(2, 200, 420, 1500, "一、结对帮扶工作的范围和对象"),
        row(2, 300, 420, 2000, "（一）结对帮扶工作目标。协助地方党委、政府实"),
        row(2, 400, 300, 900, "施收入倍增计划。"),
    ]
    paras = paragraphs(rows)
    assert [p.kind for p in paras] == ["paragraph", "heading", "paragraph"]
    assert paras[0].pages == (1, 2) and paras[0].text.endswith("现通知如下：")
    assert paras[1].level == 1 and paras[1].text == "一、结对帮扶工作的范围和对象"
    assert paras[2].level == 2 and paras[2].text.endswith("施收入倍增计划。")


def test_heading_levels():
    assert heading_level("一、总体要求") == 1
    assert heading_level("（三）加大宣传力度") == 2
    assert heading_level("2.工作任务") == 3
    assert heading_level("（1）组织领导") == 4
    assert heading_level("2014.2.12") is None


def _gazette_pages():
    """Three A4 pages at 300 dpi (3508 px high) of a gazette: its running header at the top of
    each, a page footer 第 n 页 共 3 页, and one paragraph running from page to page."""
    from gongwen.parsers.model import Page

    def line(y, x0, x1, text):
        return Line(text=text, bbox=(x0, y, x1, y + CHAR), confidence=0.99)

    body = [
        [line(500, 420, 2000, "近年来，按照省委、省政府的部署和要求，省级"), line(600, 300, 2000, "结对帮扶团组认真做好结对帮扶工作，有效推动")],
        [line(500, 300, 2000, "了欠发达地区发展和低收入农户增收。为进一步"), line(600, 300, 2000, "深化扶贫开发工作，确保帮扶工作取得实效，")],
        [line(500, 300, 1200, "现通知如下。"), line(600, 420, 2000, "各地要结合实际认真贯彻执行。")],
    ]
    return [
        Page(number=n, width=2480, height=3508, dpi=300.0, engine="test", lines=tuple([
            line(150, 300, 1100, "国务院公报 2023年第12号"),
            *body[n - 1],
            line(3350, 1000, 1500, f"第 {n} 页 共 3 页"),
        ]))
        for n in (1, 2, 3)
    ]


def test_running_headers_and_footers_are_found_by_recurring_at_the_page_edges():
    from gongwen.parsers.body import furniture_key, running_furniture

    assert running_furniture(_gazette_pages()) == {furniture_key("国务院公报 2023年第12号"), furniture_key("第 1 页 共 3 页")}
    assert furniture_key("第 1 页 共 3 页") == furniture_key("第2页 共3页")
    assert running_furniture(_gazette_pages()[:1]) == frozenset()  # once is no running header


def test_a_paragraph_runs_on_across_pages_past_the_running_header_and_footer():
    from gongwen.parsers.body import extract_body
    from gongwen.parsers.model import Circular, PageKind

    paras = extract_body(_gazette_pages(), [PageKind.CIRCULAR] * 3, Circular())
    assert [p.text for p in paras] == [
        "近年来，按照省委、省政府的部署和要求，省级结对帮扶团组认真做好结对帮扶工作，有效推动"
        "了欠发达地区发展和低收入农户增收。为进一步深化扶贫开发工作，确保帮扶工作取得实效，现通知如下。",
        "各地要结合实际认真贯彻执行。",
    ]


@pytest.mark.parametrize("text, expected", [
    ("表1  2023年各县（市、区）主要经济指标", "表1 2023年各县（市、区）主要经济指标"),
    ("执行 GB/T 9704—2012 标准", "执行GB/T 9704—2012标准"),
    ("2014 年 1 月 24 日", "2014年1月24日"),
    ("府授文字第 15 號", "府授文字第15號"),
    ("University of Michigan, Ann Arbor", "University of Michigan, Ann Arbor"),
    ("关于 做好 档案工作", "关于做好档案工作"),
    ("（ 2023 ）", "（2023）"),
])
def test_a_rows_spaces_stay_only_between_latin_words_and_numbers(text, expected):
    from gongwen.parsers.body import spaced

    assert spaced(text) == expected


def test_rows_join_with_a_space_only_where_a_latin_word_wraps():
    from gongwen.parsers.body import join_rows

    assert join_rows("University of Michigan, Ann", "Arbor") == "University of Michigan, Ann Arbor"
    assert join_rows("合计2,870", "345") == "合计2,870345"  # a number is not cut by a space
    assert join_rows("结对帮扶", "工作") == "结对帮扶工作"
    assert join_rows("", "Ann") == "Ann"


def test_a_tables_rows_are_not_body_paragraphs():
    """A table inside the 正文 is a table of its own in the outputs; its rows (瓯海区1120.56.298
    glued) are not paragraphs, and the text round it runs on as before."""
    from gongwen.parsers.body import extract_body
    from gongwen.parsers.model import Cell, Circular, Page, PageKind, Table

    def line(y, x0, x1, text):
        return Line(text=text, bbox=(x0, y, x1, y + CHAR), confidence=0.99)

    table = Table(cells=tuple(
        Cell(row=r, col=k, text="", bbox=(300 + 600 * k, 800 + 100 * r, 900 + 600 * k, 900 + 100 * r), page=1)
        for r in range(2) for k in range(3)
    ))
    lines = (
        line(500, 420, 2000, "现将各县主要经济指标和有关情况"), line(600, 300, 1000, "通报如下。"),
        line(820, 320, 500, "地区"), line(820, 920, 1200, "生产总值"), line(820, 1520, 1800, "增长"),
        line(920, 320, 560, "瓯海区"), line(920, 920, 1160, "1120.5"), line(920, 1520, 1640, "6.2"),
        line(1100, 420, 2000, "全市经济运行总体平稳，主要指标"), line(1200, 300, 900, "好于预期。"),
    )
    page = Page(number=1, width=2480, height=3508, dpi=300.0, engine="test", lines=lines, tables=(table,))
    paras = extract_body([page], [PageKind.CIRCULAR], Circular(), (table,))
    assert [p.text for p in paras] == ["现将各县主要经济指标和有关情况通报如下。", "全市经济运行总体平稳，主要指标好于预期。"]
    without = extract_body([page], [PageKind.CIRCULAR], Circular())  # the table not given: its rows are paragraphs
    assert "瓯海区1120.5 6.2" in [p.text for p in without]
