"""Body paragraphs from rows: indents start paragraphs, short lines end them, pages run on."""

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
